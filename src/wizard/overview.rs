//! Screen 3, the overview: the three phases with their progress, every
//! step of each with its status, and the plan's progress overall.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

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

pub fn update(w: &mut Wizard, action: Action) -> Vec<Effect> {
    if let Some(e) = w.plan_nav(&action) {
        return e;
    }
    let n = rows(w);
    let hit = match action {
        Action::Click { row, .. } => row_at(w, row),
        _ => None,
    };
    let Some(open) = &mut w.open else {
        return Vec::new();
    };
    if let Some(s) = super::moved(open.overview_selected, n, &action, 5) {
        open.overview_selected = s;
        return Vec::new();
    }
    let steps = open.guide.steps.len();
    match action {
        Action::Click { .. } => {
            if let Some(i) = hit
                && i < n
            {
                open.overview_selected = i;
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
        Action::State => {
            w.message = Some(
                "t, w, d, a and e act on a step's item: Enter opens the selected step first."
                    .into(),
            );
            Vec::new()
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
    let here = here(open);
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
    // The plan's name gives way in the title, never the guide's.
    let room = usize::from(phases_area.width)
        .saturating_sub(guide.short_name.chars().count() + 8)
        .max(10);
    let phase_block = crate::ui::pane(
        format!(
            " {} · {} ",
            crate::sanitize::truncate(&line(&plan.name), room),
            guide.short_name
        ),
        false,
        t,
    );
    f.render_widget(
        Paragraph::new(Line::from(phase_spans)).block(phase_block),
        phases_area,
    );

    let progress = plan.progress(guide);
    f.render_widget(
        Paragraph::new(progress_line(
            progress.done,
            progress.total,
            progress.percent,
            usize::from(gauge_area.width),
            t,
        )),
        gauge_area,
    );

    let block = crate::ui::pane(" Steps ", false, t);
    let inner = block.inner(steps_area);
    f.render_widget(block, steps_area);
    let width = usize::from(inner.width);
    let (rows, targets, indent) = step_rows(open, t);
    let (lines, starts) = crate::ui::widgets::wrap_hanging(&rows, width, indent);
    let hint = crate::ui::widgets::wrap(&[Line::styled(HINT, t.muted())], width).0;
    let foot = crate::ui::widgets::wrap(&foot_lines(guide, t), width).0;
    let shown = usize::from(inner.height).saturating_sub(hint.len() + foot.len());
    let first = scroll(&targets, &starts, open.overview_selected, shown);
    let row = hint.len()
        + selected_start(&targets, &starts, open.overview_selected).saturating_sub(first);
    let mut all = hint;
    all.extend(lines.into_iter().skip(first).take(shown));
    while all.len() < usize::from(inner.height).saturating_sub(foot.len()) {
        all.push(Line::from(""));
    }
    all.extend(foot);
    f.render_widget(Paragraph::new(all), inner);
    Some(Position::new(
        inner.x + 1,
        inner.y + u16::try_from(row).unwrap_or(0),
    ))
}

const HINT: &str = " Enter opens a step of any phase; n and p walk them all in order.";

/// The phase of the selected step, if a step is selected.
fn here(open: &super::OpenPlan) -> Option<&'static str> {
    open.guide
        .steps
        .get(open.overview_selected)
        .map(|s| s.phase.as_str())
}

/// Under the list: each phase's page date, and what `o` lists.
fn foot_lines(guide: &Guide, t: &Theme) -> Vec<Line<'static>> {
    let dates: Vec<String> = guide
        .phases
        .iter()
        .enumerate()
        .map(|(k, p)| format!("Phase {} {}", k + 1, guide.phase_source(p).1))
        .collect();
    vec![
        Line::from(""),
        Line::styled(format!(" Pages: {}.", dates.join(" · ")), t.muted()),
        Line::styled(
            " o lists them, what the guide applies to and the migration process.",
            t.muted(),
        ),
    ]
}

/// The line where the selected row starts.
fn selected_start(targets: &[Option<usize>], starts: &[usize], selected: usize) -> usize {
    targets
        .iter()
        .position(|t| *t == Some(selected))
        .and_then(|r| starts.get(r).copied())
        .unwrap_or(0)
}

/// The first line shown of the list, so that the selected row (and the
/// phase heading right above it) is in view in `height` lines.
fn scroll(targets: &[Option<usize>], starts: &[usize], selected: usize, height: usize) -> usize {
    let Some(r) = targets.iter().position(|t| *t == Some(selected)) else {
        return 0;
    };
    let top = if r > 0 && targets[r - 1].is_none() {
        starts[r - 1]
    } else {
        starts[r]
    };
    let end = starts.get(r + 1).copied().unwrap_or(starts[r] + 1);
    if end <= height.max(1) {
        0
    } else {
        top.min(end - height.max(1))
    }
}

/// "All three phases: 3 of 8 items closed (37%) ███████░░░░░░": the words first,
/// then the bar beside them, never drawn over it. Filled and empty cells
/// differ by shape, not colour alone.
pub fn progress_line(
    done: usize,
    total: usize,
    percent: u8,
    width: usize,
    t: &Theme,
) -> Line<'static> {
    let label = format!("All three phases: {done} of {total} items closed ({percent}%) ");
    let bar = width.saturating_sub(label.chars().count() + 2);
    let filled = bar * usize::from(percent.min(100)) / 100;
    Line::from(vec![
        Span::styled(format!(" {label}"), t.heading()),
        Span::styled("█".repeat(filled), t.done()),
        Span::styled("░".repeat(bar - filled), t.muted()),
    ])
}

/// Each phase's heading, then one row per step of it (mark, counts,
/// title), then the summary; what each row opens (`None` for a heading,
/// the step's index, the step count for the summary); and the column where
/// a row's title starts, under which it wraps.
fn step_rows(open: &super::OpenPlan, t: &Theme) -> (Vec<Line<'static>>, Vec<Option<usize>>, usize) {
    let (guide, plan) = (open.guide, &open.plan);
    let progress = plan.step_progress(guide);
    let phases = plan.phase_progress(guide);
    let here = here(open);
    let mut rows = Vec::new();
    let mut targets = Vec::new();
    let mut indent = 0;
    for (p, pp) in guide.phases.iter().zip(&phases) {
        let mark = if here == Some(p.id.as_str()) {
            " ◂ you are here"
        } else {
            ""
        };
        rows.push(Line::styled(
            format!(
                " {} · {} of {} closed ({}%){mark}",
                p.title, pp.progress.done, pp.progress.total, pp.progress.percent
            ),
            t.heading(),
        ));
        targets.push(None);
        for (n, (i, step)) in guide.phase_steps(&p.id).enumerate() {
            let Some(sp) = progress.get(i) else {
                continue;
            };
            let selected = open.overview_selected == i;
            let (mark, style) = if !sp.required {
                ("– optional", t.muted())
            } else if sp.done == sp.total && sp.total > 0 {
                ("✓ done    ", t.done())
            } else {
                // Started or not, what is left is to do; the counts say how much.
                ("○ to do   ", t.todo())
            };
            let head = format!(
                "{}. {:<15} {:>2}/{:<2}  ",
                n + 1,
                step.short,
                sp.done,
                sp.total
            );
            // A long title wraps under itself, past the marks and counts.
            indent = 3 + mark.chars().count() + 1 + head.chars().count();
            rows.push(Line::from(vec![
                Span::styled(if selected { " › " } else { "   " }, t.heading()),
                Span::styled(
                    format!("{mark} "),
                    if selected { t.selected() } else { style },
                ),
                Span::styled(
                    format!("{head}{}", step.title),
                    if selected { t.selected() } else { t.base() },
                ),
            ]));
            targets.push(Some(i));
        }
    }
    let selected = open.overview_selected == progress.len();
    rows.push(Line::from(vec![
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
    targets.push(Some(progress.len()));
    (rows, targets, indent)
}

/// The overview row drawn at screen row `row` at this size (a click): the
/// same wrapping and scrolling as the drawing.
fn row_at(w: &Wizard, row: u16) -> Option<usize> {
    let open = w.open.as_ref()?;
    let (width, height) = w.size;
    // The body is the screen under the header and above the status and
    // key lines; the steps box starts under the phases box (3 lines) and
    // the progress line (1); its border takes a line at each end.
    let inner_width = usize::from(width.saturating_sub(2));
    let inner_height = usize::from(height.saturating_sub(3 + 3 + 1 + 2));
    let t = Theme::plain();
    let (rows, targets, indent) = step_rows(open, &t);
    let (_, starts) = crate::ui::widgets::wrap_hanging(&rows, inner_width, indent);
    let hint = crate::ui::widgets::wrap(&[Line::from(HINT)], inner_width)
        .0
        .len();
    let foot = crate::ui::widgets::wrap(&foot_lines(open.guide, &t), inner_width)
        .0
        .len();
    let shown = inner_height.saturating_sub(hint + foot);
    let first = scroll(&targets, &starts, open.overview_selected, shown);
    let line = usize::from(row.checked_sub(1 + 3 + 1 + 1)?).checked_sub(hint)?;
    if line >= shown {
        return None;
    }
    let line = line + first;
    // Under the summary row (one line) comes no row.
    if line > starts.last().copied().unwrap_or(0) {
        return None;
    }
    let r = starts.iter().rposition(|s| *s <= line)?;
    targets.get(r).copied().flatten()
}
