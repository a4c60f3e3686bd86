//! Screen 3, the overview: the three phases with their progress, every
//! step of each with its status, and the plan's progress overall.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph};

use super::action::{Action, Effect};
use super::modal::LinkRef;
use super::{Screen, Wizard};
use crate::catalog::Guide;
use crate::sanitize::line;
use crate::ui::theme::Theme;

/// Rows: every step, then the summary.
fn rows(w: &Wizard) -> usize {
    w.open.as_ref().map_or(0, |o| o.guide.steps.len() + 1)
}

/// The rows of the step list under the intro line: each phase's heading
/// (`None`), then its steps (`Some(index)`), then the summary
/// (`Some(steps)`).
fn list_rows(guide: &Guide) -> Vec<Option<usize>> {
    let mut out = Vec::new();
    for p in &guide.phases {
        out.push(None);
        out.extend(guide.phase_steps(&p.id).map(|(i, _)| Some(i)));
    }
    out.push(Some(guide.steps.len()));
    out
}

/// The first list row shown, so that the selected row is in view in a
/// list `height` rows high.
fn scroll(rows: &[Option<usize>], selected: usize, height: usize) -> usize {
    let at = rows.iter().position(|r| *r == Some(selected)).unwrap_or(0);
    // Keep the phase heading above the first step of a phase in view.
    let at_top = if at > 0 && rows[at - 1].is_none() {
        at - 1
    } else {
        at
    };
    let height = height.max(1);
    if at < height {
        0
    } else {
        at_top.min(at + 1 - height)
    }
}

/// Rows above the step list: the phases box (3), the gauge (1), the step
/// box's border (1) and its intro line (1).
const LIST_TOP: u16 = 6;
/// Rows under the list inside the step box: a blank line, the guide line,
/// the pages line, the border.
const LIST_FOOT: u16 = 4;

pub fn update(w: &mut Wizard, action: Action) -> Vec<Effect> {
    if let Some(e) = w.plan_nav(&action) {
        return e;
    }
    let n = rows(w);
    let height = w.size.1;
    let Some(open) = &mut w.open else {
        return Vec::new();
    };
    if let Some(s) = super::moved(open.overview_selected, n, &action, 5) {
        open.overview_selected = s;
        return Vec::new();
    }
    let steps = open.guide.steps.len();
    match action {
        Action::Click { row, .. } => {
            // The screen starts under the breadcrumb (1 row) and ends
            // above the status and key lines (2).
            let list = list_rows(open.guide);
            let shown = usize::from(height.saturating_sub(3 + LIST_TOP + LIST_FOOT));
            let first = scroll(&list, open.overview_selected, shown);
            if let Some(i) = row.checked_sub(1 + LIST_TOP).map(usize::from)
                && i < shown
                && let Some(Some(target)) = list.get(first + i)
            {
                open.overview_selected = *target;
            }
            Vec::new()
        }
        Action::Select | Action::Toggle => {
            let target = if open.overview_selected < steps {
                Screen::Step(open.overview_selected)
            } else {
                Screen::Summary
            };
            w.go(target)
        }
        a @ (Action::Open | Action::Copy) => {
            let links = links(open.guide);
            super::step::open_links(w, links, a == Action::Copy)
        }
        _ => Vec::new(),
    }
}

/// The overview's pages: the guide itself, what it applies to, the
/// migration process and every phase with a page of its own.
pub fn links(guide: &Guide) -> Vec<LinkRef> {
    let mut out = vec![LinkRef {
        title: format!("This guide: {}", guide.title),
        url: guide.source_url.clone(),
    }];
    let ids = guide
        .applies_to
        .iter()
        .map(String::as_str)
        .chain(std::iter::once(guide.migration_process.as_str()))
        .chain(guide.phases.iter().filter_map(|p| p.link.as_deref()));
    for l in ids.filter_map(|id| guide.link(id)) {
        if !out.iter().any(|x| x.url == l.url && x.title == l.title) {
            out.push(LinkRef {
                title: l.title.clone(),
                url: l.url.clone(),
            });
        }
    }
    out
}

pub fn render(w: &Wizard, f: &mut Frame, area: Rect, t: &Theme) -> Option<Position> {
    let open = w.open.as_ref()?;
    let (guide, plan) = (open.guide, &open.plan);
    let [phases_area, gauge_area, steps_area] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(area);

    // The phase of the selected step is "here"; on the summary row, none.
    let here = guide
        .steps
        .get(open.overview_selected)
        .map(|s| s.phase.as_str());
    let phases = plan.phase_progress(guide);
    let mut phase_spans = vec![Span::raw(" ")];
    for (i, p) in phases.iter().enumerate() {
        if i > 0 {
            phase_spans.push(Span::styled(" ▶ ", t.muted()));
        }
        let text = format!("{} {}%", p.title, p.progress.percent);
        phase_spans.push(if here == Some(p.id.as_str()) {
            Span::styled(format!("[{text}]"), t.selected())
        } else if p.progress.total > 0 && p.progress.done == p.progress.total {
            Span::styled(text, t.done())
        } else {
            Span::styled(text, t.base())
        });
    }
    let phase_block = crate::ui::pane(
        format!(" {} · {} ", line(&plan.name), guide.short_name),
        false,
        t,
    );
    f.render_widget(
        Paragraph::new(Line::from(phase_spans)).block(phase_block),
        phases_area,
    );

    let progress = plan.progress(guide);
    let label = format!(
        "All three phases: {} of {} items closed ({}%)",
        progress.done, progress.total, progress.percent
    );
    f.render_widget(
        Gauge::default()
            .ratio(f64::from(progress.percent) / 100.0)
            .label(label)
            .gauge_style(t.done())
            .use_unicode(true),
        gauge_area,
    );

    let block = crate::ui::pane(" Steps ", false, t);
    let inner = block.inner(steps_area);
    f.render_widget(block, steps_area);
    let [intro_area, list_area, foot_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(LIST_FOOT - 1),
    ])
    .areas(inner);
    f.render_widget(
        Paragraph::new(Line::styled(
            " Enter opens a step of any phase; n and p walk them all in order.",
            t.muted(),
        )),
        intro_area,
    );
    let steps = plan.step_progress(guide);
    let width = usize::from(list_area.width);
    let rows = list_rows(guide);
    let first = scroll(&rows, open.overview_selected, usize::from(list_area.height));
    let mut lines = Vec::new();
    let mut phase_at = 0usize;
    let mut number = 0usize;
    let mut cursor = None;
    for (r, row) in rows.iter().enumerate() {
        let shown = r >= first;
        match row {
            None => {
                let p = phases.get(phase_at);
                phase_at += 1;
                number = 0;
                if shown && let Some(p) = p {
                    let mark = if here == Some(p.id.as_str()) {
                        " ◂ you are here"
                    } else {
                        ""
                    };
                    lines.push(Line::styled(
                        format!(
                            " {} · {} of {} closed ({}%){mark}",
                            p.title, p.progress.done, p.progress.total, p.progress.percent
                        ),
                        t.heading(),
                    ));
                }
            }
            Some(i) if *i < steps.len() => {
                number += 1;
                if !shown {
                    continue;
                }
                let sp = &steps[*i];
                let selected = open.overview_selected == *i;
                if selected {
                    cursor = Some(lines.len());
                }
                let (mark, style) = if !sp.required {
                    ("– optional", t.muted())
                } else if sp.done == sp.total && sp.total > 0 {
                    ("✓ done    ", t.done())
                } else {
                    // Started or not, what is left is to do; the counts say how much.
                    ("○ to do   ", t.todo())
                };
                let step = &guide.steps[*i];
                let head = format!(
                    "{}. {:<15} {:>2}/{:<2}  ",
                    number, step.short, sp.done, sp.total
                );
                let rest = width.saturating_sub(head.chars().count() + 14);
                let text = format!("{head}{}", crate::sanitize::truncate(&step.title, rest));
                lines.push(Line::from(vec![
                    Span::styled(if selected { " › " } else { "   " }, t.heading()),
                    Span::styled(
                        format!("{mark} "),
                        if selected { t.selected() } else { style },
                    ),
                    Span::styled(text, if selected { t.selected() } else { t.base() }),
                ]));
            }
            Some(_) => {
                if !shown {
                    continue;
                }
                let selected = open.overview_selected == steps.len();
                if selected {
                    cursor = Some(lines.len());
                }
                lines.push(Line::from(vec![
                    Span::styled(if selected { " › " } else { "   " }, t.heading()),
                    Span::styled(
                        "▶          ",
                        if selected { t.selected() } else { t.muted() },
                    ),
                    Span::styled(
                        " Summary: what is done, what is open, export",
                        if selected { t.selected() } else { t.base() },
                    ),
                ]));
            }
        }
    }
    f.render_widget(Paragraph::new(lines), list_area);
    let dates: Vec<String> = guide
        .phases
        .iter()
        .enumerate()
        .map(|(k, p)| format!("Phase {} {}", k + 1, guide.phase_source(p).1))
        .collect();
    let foot = vec![
        Line::from(""),
        Line::styled(format!(" Pages: {}.", dates.join(" · ")), t.muted()),
        Line::styled(
            " o lists them, what the guide applies to and the migration process.",
            t.muted(),
        ),
    ];
    f.render_widget(Paragraph::new(foot), foot_area);
    let row = u16::try_from(cursor.unwrap_or(0)).unwrap_or(0);
    Some(Position::new(list_area.x + 1, list_area.y + row))
}
