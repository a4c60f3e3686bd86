//! Screen 1, the plans: list with name, organisation, guide, progress and
//! last change; create, resume, rename, delete (with confirmation).

use ratatui::Frame;
use ratatui::layout::{Constraint, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

use super::action::{Action, Effect, PlanEntry};
use super::modal::{ConfirmKind, Modal, TextTarget};
use super::{Screen, Wizard};
use crate::sanitize::{line, truncate};
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
            // Table rows start under the border and the header line.
            let first = 3u16;
            if let Some(i) = row.checked_sub(first).map(usize::from)
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
            if let Some(e) = w.plans.current().filter(|e| e.broken.is_none()).cloned() {
                w.modal = Some(Modal::text(TextTarget::Rename { id: e.id }, &e.name));
            }
            Vec::new()
        }
        Action::Delete => {
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
    let header =
        Row::new(["", "Name", "Organisation", "Guide", "Done", "Last change"]).style(t.heading());
    let rows: Vec<Row> = visible
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mark = if i == w.plans.selected { "›" } else { " " };
            let (done, guide) = match &e.broken {
                Some(_) => ("broken".to_string(), "file can't be read".to_string()),
                None => (format!("{:>3}%", e.percent), short_guide(w, &e.guide)),
            };
            let name = if e.newer {
                format!("{} (newer, read-only)", line(&e.name))
            } else {
                line(&e.name).into_owned()
            };
            let row = Row::new(vec![
                Cell::from(mark),
                Cell::from(truncate(&name, 40).into_owned()),
                Cell::from(truncate(&line(&e.organisation), 30).into_owned()),
                Cell::from(guide),
                Cell::from(done),
                Cell::from(e.updated.get(..16).unwrap_or(&e.updated).replace('T', " ")),
            ]);
            if i == w.plans.selected {
                row.style(t.selected())
            } else {
                row
            }
        })
        .collect();
    let widths = [
        Constraint::Length(1),
        Constraint::Fill(3),
        Constraint::Fill(2),
        Constraint::Length(22),
        Constraint::Length(6),
        Constraint::Length(16),
    ];
    let table = Table::new(rows, widths)
        .header(header)
        .block(block)
        .column_spacing(1);
    let inner_h = area.height.saturating_sub(3);
    let offset = w
        .plans
        .selected
        .saturating_sub(usize::from(inner_h).saturating_sub(1));
    let mut state = ratatui::widgets::TableState::new()
        .with_offset(offset)
        .with_selected(Some(w.plans.selected));
    f.render_stateful_widget(table, area, &mut state);
    let row = u16::try_from(w.plans.selected - offset).unwrap_or(0);
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

fn short_guide(w: &Wizard, id: &str) -> String {
    w.catalog.guide(id).map_or_else(
        || format!("unknown: {}", line(id)),
        |g| g.short_name.clone(),
    )
}
