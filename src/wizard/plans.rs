//! Screen 1, the plans: list with name, organisation, guide, progress and
//! last change; create, resume, rename, delete (with confirmation).

use ratatui::Frame;
use ratatui::layout::{Constraint, Position, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

use super::action::{Action, Effect, PlanEntry};
use super::modal::{ConfirmKind, Modal, TextTarget};
use super::{Screen, Wizard};
use crate::sanitize::line;
use crate::ui::theme::Theme;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlansState {
    pub entries: Vec<PlanEntry>,
    pub selected: usize,
    pub filter: String,
    /// The list has been read at least once.
    pub loaded: bool,
    /// The plan whose deletion was asked for, until the store answers.
    pub deleting: Option<String>,
    /// The plan just moved to the trash: `u` brings it back.
    pub undo: Option<String>,
    /// Select this plan when the list is next read (after a rename or a
    /// restore).
    pub follow: Option<String>,
}

impl PlansState {
    pub fn set_entries(&mut self, entries: Vec<PlanEntry>) {
        self.entries = entries;
        self.loaded = true;
        if let Some(id) = self.follow.take()
            && let Some(i) = self.visible().iter().position(|e| e.id == id)
        {
            self.selected = i;
        }
        self.clamp();
    }

    /// The entries the filter lets through.
    pub fn visible(&self) -> Vec<&PlanEntry> {
        let f = self.filter.trim().to_lowercase();
        self.entries
            .iter()
            .filter(|e| {
                f.is_empty()
                    || e.name.to_lowercase().contains(&f)
                    || e.organisation.to_lowercase().contains(&f)
            })
            .collect()
    }

    pub fn clamp(&mut self) {
        let n = self.visible().len();
        self.selected = self.selected.min(n.saturating_sub(1));
    }

    pub fn current(&self) -> Option<&PlanEntry> {
        self.visible().get(self.selected).copied()
    }
}

pub fn update(w: &mut Wizard, action: Action) -> Vec<Effect> {
    let n = w.plans.visible().len();
    let page = usize::from(w.size.1.saturating_sub(8));
    if let Some(s) = super::moved(w.plans.selected, n, &action, page) {
        w.plans.selected = s;
        return Vec::new();
    }
    match action {
        Action::Click { row, .. } => {
            if let Some(i) = row_at(w, row)
                && i < n
            {
                w.plans.selected = i;
            }
            Vec::new()
        }
        Action::Create => {
            w.screen = Screen::NewPlan;
            Vec::new()
        }
        Action::Filter => {
            w.modal = Some(Modal::text(TextTarget::Filter, &w.plans.filter.clone()));
            Vec::new()
        }
        Action::Back if !w.plans.filter.is_empty() => {
            w.plans.filter.clear();
            w.plans.clamp();
            Vec::new()
        }
        Action::Select => match w.plans.current().cloned() {
            Some(e) if e.broken.is_some() => {
                w.modal = Some(Modal::Confirm(ConfirmKind::SetAside {
                    id: e.id,
                    name: e.name,
                    problem: e.broken.unwrap_or_default(),
                }));
                Vec::new()
            }
            Some(e) => vec![Effect::Load(e.id)],
            None => {
                w.screen = Screen::NewPlan;
                Vec::new()
            }
        },
        Action::Undo => match w.plans.undo.take() {
            Some(id) => {
                w.plans.follow = Some(id.clone());
                vec![Effect::Restore(id)]
            }
            None => {
                w.message = Some("Nothing to restore: u brings back the plan just deleted.".into());
                Vec::new()
            }
        },
        Action::Rename => {
            match w.plans.current().cloned() {
                Some(e) if e.broken.is_none() => {
                    w.modal = Some(Modal::text(TextTarget::Rename { id: e.id }, &e.name));
                }
                Some(_) => {
                    w.message = Some(
                        "This plan's file can't be read, so it can't be renamed: Enter or d sets it aside."
                            .into(),
                    );
                }
                None => w.message = Some(no_plan_here(w)),
            }
            Vec::new()
        }
        Action::Delete => {
            if w.plans.current().is_none() {
                w.message = Some(no_plan_here(w));
            }
            if let Some(e) = w.plans.current().cloned() {
                w.modal = Some(Modal::Confirm(if e.broken.is_some() {
                    ConfirmKind::SetAside {
                        id: e.id,
                        name: e.name,
                        problem: e.broken.unwrap_or_default(),
                    }
                } else {
                    ConfirmKind::DeletePlan {
                        id: e.id,
                        name: e.name,
                    }
                }));
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// What a key that needs a selected plan says when there is none.
fn no_plan_here(w: &Wizard) -> String {
    if w.plans.entries.is_empty() {
        "No plans yet: c creates one.".into()
    } else {
        "No plan matches the filter: Esc clears it.".into()
    }
}

/// Whether a plans-screen key has something to act on now: the footer and
/// the help offer only those that do.
pub fn applies(w: &Wizard, action: &Action) -> bool {
    match action {
        Action::Rename => w.plans.current().is_some_and(|e| e.broken.is_none()),
        Action::Delete => w.plans.current().is_some(),
        Action::Filter => !w.plans.entries.is_empty(),
        Action::Undo => w.plans.undo.is_some(),
        Action::Back => !w.plans.filter.is_empty(),
        Action::Select => w.plans.current().is_some(),
        _ => true,
    }
}

pub fn render(w: &Wizard, f: &mut Frame, area: Rect, t: &Theme) -> Option<Position> {
    let visible = w.plans.visible();
    let title = if w.plans.filter.is_empty() {
        format!(" Plans ({}) ", w.plans.entries.len())
    } else {
        format!(
            " Plans matching {:?} ({} of {}) ",
            line(&w.plans.filter),
            visible.len(),
            w.plans.entries.len()
        )
    };
    let block = crate::ui::pane(title, false, t);
    if w.plans.entries.is_empty() {
        let text = vec![
            Line::from(""),
            Line::styled("  Welcome to mde-migrate.", t.heading()),
            Line::from(""),
            Line::from("  It walks you through a move to Microsoft Defender for Endpoint in three"),
            Line::from(
                "  phases: prepare, set up, onboard. From updates and licences to the removal.",
            ),
            Line::from("  Every answer is saved as you go, so you can stop and resume any time."),
            Line::from(""),
            Line::from(vec![
                Span::raw("  No plans yet. Press "),
                Span::styled("c", t.key()),
                Span::raw(" or "),
                Span::styled("Enter", t.key()),
                Span::raw(" to create your first plan, "),
                Span::styled("?", t.key()),
                Span::raw(" for help."),
            ]),
        ];
        f.render_widget(
            Paragraph::new(text).block(block).wrap(Wrap { trim: false }),
            area,
        );
        return Some(Position::new(area.x + 2, area.y + 8));
    }
    // Name and organisation share what the fixed columns leave (3 : 2);
    // a long one wraps in its cell instead of being cut. A narrow
    // terminal shows the day of the last change, not the time.
    let Columns {
        narrow,
        changed_w,
        name_w,
        org_w,
    } = columns(area.width);
    let header = Row::new([
        "",
        "Name",
        if org_w < 12 { "Org." } else { "Organisation" },
        "Guide",
        "Done",
        if narrow { "Changed" } else { "Last change" },
    ])
    .style(t.heading());
    let mut heights = Vec::with_capacity(visible.len());
    let rows: Vec<Row> = visible
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mark = if i == w.plans.selected { "›" } else { " " };
            let (done, guide) = match &e.broken {
                Some(_) => ("broken".to_string(), "file can't be read".to_string()),
                None => (format!("{:>3}%", e.percent), short_guide(w, &e.guide)),
            };
            let (name, org) = cells(e, name_w, org_w);
            let height = name.len().max(org.len()).max(1);
            heights.push(height);
            let changed = e.updated.get(..16).unwrap_or(&e.updated).replace('T', " ");
            let changed = if narrow {
                changed.get(..10).unwrap_or(&changed).to_string()
            } else {
                changed
            };
            let row = Row::new(vec![
                Cell::from(mark),
                Cell::from(Text::from(name)),
                Cell::from(Text::from(org)),
                Cell::from(guide),
                Cell::from(done),
                Cell::from(changed),
            ])
            .height(u16::try_from(height).unwrap_or(1));
            if i == w.plans.selected {
                row.style(t.selected())
            } else {
                row
            }
        })
        .collect();
    let widths = [
        Constraint::Length(1),
        Constraint::Length(u16::try_from(name_w).unwrap_or(8)),
        Constraint::Length(u16::try_from(org_w).unwrap_or(6)),
        Constraint::Length(22),
        Constraint::Length(6),
        Constraint::Length(changed_w),
    ];
    let table = Table::new(rows, widths)
        .header(header)
        .block(block)
        .column_spacing(1);
    // Scroll so the selected row (all its lines) is in view.
    let sel = w.plans.selected.min(heights.len().saturating_sub(1));
    let offset = scroll_offset(&heights, sel, usize::from(area.height.saturating_sub(3)));
    let mut state = ratatui::widgets::TableState::new()
        .with_offset(offset)
        .with_selected(Some(w.plans.selected));
    f.render_stateful_widget(table, area, &mut state);
    let row = u16::try_from(
        heights
            .get(offset..sel)
            .map_or(0, |h| h.iter().sum::<usize>()),
    )
    .unwrap_or(0);
    if let Some(e) = visible.get(w.plans.selected)
        && let Some(problem) = &e.broken
        && area.height > 4
    {
        let msg = Paragraph::new(Line::styled(
            format!(
                " {}: {} (Enter: keep a copy and remove it)",
                line(&e.name),
                line(problem)
            ),
            t.error(),
        ));
        f.render_widget(
            msg,
            Rect::new(
                area.x + 1,
                area.bottom() - 2,
                area.width.saturating_sub(2),
                1,
            ),
        );
    }
    Some(Position::new(area.x + 1, area.y + 2 + row))
}

struct Columns {
    narrow: bool,
    changed_w: u16,
    name_w: usize,
    org_w: usize,
}

/// The list's columns in a pane `width` wide.
fn columns(width: u16) -> Columns {
    let narrow = width < 100;
    let changed_w: u16 = if narrow { 10 } else { 16 };
    let fixed = 1 + 22 + 6 + changed_w + 5 + 2;
    let free = width.saturating_sub(fixed);
    Columns {
        narrow,
        changed_w,
        name_w: usize::from(free * 3 / 5).max(8),
        org_w: usize::from(free - free * 3 / 5).max(6),
    }
}

/// A plan's name and organisation, wrapped in their columns.
fn cells(e: &PlanEntry, name_w: usize, org_w: usize) -> (Vec<Line<'static>>, Vec<Line<'static>>) {
    let name = if e.newer {
        format!("{} (newer, read-only)", line(&e.name))
    } else {
        line(&e.name).into_owned()
    };
    let wrap = |text: String, width: usize| crate::ui::widgets::wrap(&[Line::from(text)], width).0;
    (
        wrap(name, name_w),
        wrap(line(&e.organisation).into_owned(), org_w),
    )
}

/// The visible plan drawn at screen row `row` (a click), with the rows'
/// heights and scrolling as drawn.
fn row_at(w: &Wizard, row: u16) -> Option<usize> {
    let (width, height) = w.size;
    let body = crate::ui::body_area(Rect::new(0, 0, width, height));
    let c = columns(body.width);
    let visible = w.plans.visible();
    let heights: Vec<usize> = visible
        .iter()
        .map(|e| {
            let (n, o) = cells(e, c.name_w, c.org_w);
            n.len().max(o.len()).max(1)
        })
        .collect();
    let offset = scroll_offset(
        &heights,
        w.plans.selected,
        usize::from(body.height.saturating_sub(3)),
    );
    // Rows start under the border and the header line.
    let mut y = usize::from(row.checked_sub(body.y + 2)?);
    for (i, h) in heights.iter().enumerate().skip(offset) {
        if y < *h {
            return Some(i);
        }
        y -= h;
    }
    None
}

/// The first row shown so that the selected row, all its lines, fits in
/// `room` lines.
fn scroll_offset(heights: &[usize], selected: usize, room: usize) -> usize {
    let sel = selected.min(heights.len().saturating_sub(1));
    let mut offset = 0;
    while offset < sel && heights[offset..=sel].iter().sum::<usize>() > room {
        offset += 1;
    }
    offset
}

fn short_guide(w: &Wizard, id: &str) -> String {
    w.catalog.guide(id).map_or_else(
        || format!("unknown: {}", line(id)),
        |g| g.short_name.clone(),
    )
}
