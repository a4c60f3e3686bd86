//! Screen 3, the overview: the three phases with Prepare active, this
//! guide's steps with their status, and the plan's progress.

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

    let mut phase_spans = vec![Span::raw(" ")];
    for (i, p) in guide.phases.iter().enumerate() {
        if i > 0 {
            phase_spans.push(Span::styled(" ──▶ ", t.muted()));
        }
        if guide.is_current_phase(p) {
            phase_spans.push(Span::styled(
                format!("[{}: you are here]", p.title),
                t.selected(),
            ));
        } else {
            phase_spans.push(Span::styled(p.title.clone(), t.muted()));
        }
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
    let (rows, indent) = step_rows(open, t);
    let (mut lines, starts) = crate::ui::widgets::wrap_hanging(&rows, width, indent);
    let hint = crate::ui::widgets::wrap(
        &[Line::styled(
            " Enter opens a step; n and p walk them in order.",
            t.muted(),
        )],
        width,
    )
    .0;
    let rest = [
        Line::from(""),
        Line::styled(
            format!(" Guide: {} ({}).", guide.title, guide.published),
            t.muted(),
        ),
        Line::styled(
            " o lists its pages: the guide, what it applies to, the migration process, Phases 2 and 3 (also on the summary).",
            t.muted(),
        ),
    ];
    lines.extend(crate::ui::widgets::wrap(&rest, width).0);
    let row = hint.len()
        + starts
            .get(open.overview_selected)
            .copied()
            .unwrap_or_default();
    let mut all = hint;
    all.extend(lines);
    f.render_widget(Paragraph::new(all), inner);
    Some(Position::new(
        inner.x + 1,
        inner.y + u16::try_from(row).unwrap_or(0),
    ))
}

/// "Prepare: 3 of 8 items closed (37%) ███████░░░░░░": the words first,
/// then the bar beside them, never drawn over it. Filled and empty cells
/// differ by shape, not colour alone.
pub fn progress_line(
    done: usize,
    total: usize,
    percent: u8,
    width: usize,
    t: &Theme,
) -> Line<'static> {
    let label = format!("Prepare: {done} of {total} items closed ({percent}%) ");
    let bar = width.saturating_sub(label.chars().count() + 2);
    let filled = bar * usize::from(percent.min(100)) / 100;
    Line::from(vec![
        Span::styled(format!(" {label}"), t.heading()),
        Span::styled("█".repeat(filled), t.done()),
        Span::styled("░".repeat(bar - filled), t.muted()),
    ])
}

/// One row per step (mark, counts, title), then the summary; and the
/// column where a row's title starts, under which it wraps.
fn step_rows(open: &super::OpenPlan, t: &Theme) -> (Vec<Line<'static>>, usize) {
    let (guide, plan) = (open.guide, &open.plan);
    let progress = plan.step_progress(guide);
    let mut rows = Vec::new();
    let mut indent = 0;
    for (i, sp) in progress.iter().enumerate() {
        let selected = open.overview_selected == i;
        let (mark, style) = if !sp.required {
            ("– optional", t.muted())
        } else if sp.done == sp.total && sp.total > 0 {
            ("✓ done    ", t.done())
        } else {
            // Started or not, what is left is to do; the counts say how much.
            ("○ to do   ", t.todo())
        };
        let step = &guide.steps[i];
        let head = format!(
            "{}. {:<15} {:>2}/{:<2}  ",
            i + 1,
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
    (rows, indent)
}

/// The overview row drawn at screen row `row` at this size (a click): the
/// same wrapping as the drawing.
fn row_at(w: &Wizard, row: u16) -> Option<usize> {
    let open = w.open.as_ref()?;
    let (width, _) = w.size;
    // The steps box starts under the phases box (3 lines) and the progress
    // line (1), in the body under the header; its border and the hint
    // take one line each.
    let inner_width = usize::from(width.saturating_sub(2));
    let (rows, indent) = step_rows(open, &Theme::plain());
    let (_, starts) = crate::ui::widgets::wrap_hanging(&rows, inner_width, indent);
    let hint = crate::ui::widgets::wrap(
        &[Line::from(
            " Enter opens a step; n and p walk them in order.",
        )],
        inner_width,
    )
    .0
    .len();
    let line = usize::from(row.checked_sub(1 + 3 + 1 + 1)?).checked_sub(hint)?;
    // Under the summary row (one line) come the guide's lines, no row.
    if line > starts.last().copied().unwrap_or(0) {
        return None;
    }
    starts.iter().rposition(|s| *s <= line)
}
