//! The summary: progress per phase, what is open in any phase (Enter
//! jumps to it), the notes, the derived facts, export, and the pages of
//! Phases 2 and 3.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::action::{Action, Effect};
use super::{OpenPlan, Screen, Wizard};
use crate::sanitize::line;
use crate::ui::theme::Theme;

/// Open items: (step index, item index among the step's relevant items,
/// step short name, item label).
pub fn open_items(open: &OpenPlan) -> Vec<(usize, usize, String, String)> {
    let (guide, plan) = (open.guide, &open.plan);
    let flags = plan.flags(guide);
    let mut out = Vec::new();
    for (si, step) in guide.steps.iter().enumerate() {
        if !plan.is_step_required(step, &flags) {
            continue;
        }
        for (ii, item) in plan.relevant_items(step, &flags).into_iter().enumerate() {
            if !plan.is_complete(guide, item) {
                out.push((si, ii, step.short.clone(), item.label.clone()));
            }
        }
    }
    out
}

/// The pages of the phases after this one (Phase 2: Set up, Phase 3: Onboard).
pub fn next_links(guide: &crate::catalog::Guide) -> Vec<super::modal::LinkRef> {
    guide
        .phases
        .iter()
        .filter(|p| !guide.is_current_phase(p))
        .filter_map(|p| p.link.as_deref())
        .filter_map(|id| guide.link(id))
        .map(|l| super::modal::LinkRef {
            title: l.title.clone(),
            url: l.url.clone(),
        })
        .collect()
}

pub fn update(w: &mut Wizard, action: Action) -> Vec<Effect> {
    if let Some(e) = w.plan_nav(&action) {
        return e;
    }
    let Some(open) = &mut w.open else {
        return Vec::new();
    };
    let items = open_items(open);
    match action {
        Action::PageUp => {
            open.proxy.detail_scroll = open.proxy.detail_scroll.saturating_sub(5);
            return Vec::new();
        }
        Action::PageDown => {
            open.proxy.detail_scroll = open.proxy.detail_scroll.saturating_add(5);
            return Vec::new();
        }
        _ => {}
    }
    if let Some(s) = super::moved(open.summary_selected, items.len(), &action, 5) {
        open.summary_selected = s;
        return Vec::new();
    }
    match action {
        Action::Select => {
            let Some((si, ii, _, _)) = items.get(open.summary_selected).cloned() else {
                return Vec::new();
            };
            if let Some(c) = open.cursor.get_mut(si) {
                *c = ii;
            }
            w.go(Screen::Step(si))
        }
        a @ (Action::Open | Action::Copy) => {
            let links = pages(w.catalog, open);
            super::step::open_links(w, links, a == Action::Copy)
        }
        _ => Vec::new(),
    }
}

pub fn render(w: &Wizard, f: &mut Frame, area: Rect, t: &Theme) -> Option<Position> {
    let open = w.open.as_ref()?;
    let (guide, plan) = (open.guide, &open.plan);
    let [main, next] = Layout::vertical([Constraint::Fill(1), Constraint::Length(5)]).areas(area);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Fill(1)]).areas(main);

    let progress = plan.progress(guide);
    let items = open_items(open);
    let block = crate::ui::pane(
        format!(" All phases: {}% · {} open ", progress.percent, items.len()),
        true,
        t,
    );
    let inner = block.inner(left);
    f.render_widget(block, left);
    let mut lines = Vec::new();
    for pp in plan.phase_progress(guide) {
        let p = pp.progress;
        let (mark, style) = if p.done == p.total {
            ("✓ done    ", t.done())
        } else {
            ("○ to do   ", t.todo())
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{mark} "), style),
            Span::raw(format!("{} {}/{}", pp.title, p.done, p.total)),
        ]));
    }
    lines.push(Line::from(""));
    let header_rows = lines.len();
    if items.is_empty() {
        lines.push(Line::styled(
            "Nothing open: all three phases are done.",
            t.done(),
        ));
    } else {
        lines.push(Line::styled("Still open (Enter goes there):", t.heading()));
    }
    let visible = usize::from(inner.height).saturating_sub(lines.len());
    let offset = open
        .summary_selected
        .saturating_sub(visible.saturating_sub(1));
    for (i, (_, _, step, label)) in items.iter().enumerate().skip(offset).take(visible) {
        let sel = i == open.summary_selected;
        lines.push(Line::styled(
            format!("{}○ {step}: {label}", if sel { "›" } else { " " }),
            if sel { t.selected() } else { t.base() },
        ));
    }
    f.render_widget(Paragraph::new(lines), inner);
    let cursor = Position::new(
        inner.x,
        inner.y
            + u16::try_from(header_rows + 1 + open.summary_selected.saturating_sub(offset))
                .unwrap_or(0),
    );

    let mut facts = vec![
        Line::from(vec![
            Span::styled("Plan: ", t.heading()),
            Span::raw(line(&plan.name).into_owned()),
        ]),
        Line::from(vec![
            Span::styled("Organisation: ", t.heading()),
            Span::raw(line(&plan.organisation).into_owned()),
        ]),
        Line::from(vec![
            Span::styled("Replacing: ", t.heading()),
            Span::raw(line(&plan.replacing).into_owned()),
        ]),
        Line::from(vec![
            Span::styled("Guide: ", t.heading()),
            Span::raw(guide.short_name.clone()),
        ]),
    ];
    if let Some(p) = plan.defender_plan(guide) {
        facts.push(Line::from(vec![
            Span::styled("Defender plan: ", t.heading()),
            Span::raw(p.to_string()),
        ]));
    }
    let devices: u64 = plan.estate.systems.values().flatten().sum();
    facts.push(Line::from(vec![
        Span::styled("Estate: ", t.heading()),
        Span::raw(format!(
            "{} systems, {devices} devices counted",
            plan.estate.systems.len()
        )),
    ]));
    facts.extend(unmatched_lines(w.catalog, open, t));
    if let Some(n) = plan.server_count(guide) {
        facts.push(Line::from(format!(
            "Servers: {n} devices need a server licence"
        )));
    }
    if let Some(n) = plan.downlevel_count(guide) {
        facts.push(Line::from(format!(
            "Down-level (Windows 7 SP1, 8.1, Server 2008 R2 SP1): {n} devices; the guide lists them under {} only",
            down_level_value(guide)
        )));
    }
    if let Some(n) = plan.unified_count(guide) {
        facts.push(Line::from(format!(
            "Need the modern unified solution (Server 2016, 2012 R2): {n} devices"
        )));
    }
    for wn in plan.warnings(guide) {
        facts.push(Line::from(vec![
            Span::styled("⚠ ", t.warning()),
            Span::raw(wn.text.clone()),
        ]));
    }
    for c in plan.conflicts(guide) {
        facts.push(Line::from(vec![
            Span::styled("⚠ Conflict: ", t.warning()),
            Span::raw(c.text),
        ]));
    }
    for g in plan.gaps(guide) {
        facts.push(Line::styled(
            format!("{} (proxy table)", g.text()),
            t.todo(),
        ));
    }
    facts.extend(super::step::for_estate_lines(open, t));
    let notes: Vec<(String, String)> = guide
        .items()
        .filter_map(|(_, i)| {
            plan.answer(&i.id)
                .filter(|a| !a.note.is_empty())
                .map(|a| (i.label.clone(), a.note.clone()))
        })
        .collect();
    if !notes.is_empty() {
        facts.push(Line::from(""));
        facts.push(Line::styled("Your notes:", t.heading()));
        for (label, note) in notes {
            facts.push(Line::from(vec![
                Span::styled(format!("{label}: "), t.muted()),
                Span::styled(line(&note).into_owned(), t.note()),
            ]));
        }
    }
    let block = crate::ui::pane(" This plan ", false, t);
    crate::ui::widgets::scroll_pane(f, right, block, &facts, open.proxy.detail_scroll, t);

    let mut n = vec![Line::from(vec![
        Span::styled("Next: ", t.heading()),
        Span::raw("x exports a report; o lists the pages of Phases 2 and 3, y copies."),
    ])];
    // Short names here, the full titles in the list `o` opens.
    let unmatched = plan.unmatched(w.catalog, guide);
    let titles: Vec<String> = next_links(guide)
        .into_iter()
        .map(|l| l.title)
        .chain(
            crate::plan::covering_pages(&unmatched)
                .into_iter()
                .map(|p| p.guide),
        )
        .collect();
    if !titles.is_empty() {
        n.push(Line::styled(
            format!(
                "Pages (o lists them with their addresses): {}",
                titles.join(" · ")
            ),
            t.link(),
        ));
    }
    let block = Block::new().borders(Borders::ALL).border_style(t.border());
    f.render_widget(
        Paragraph::new(n).block(block).wrap(Wrap { trim: false }),
        next,
    );
    Some(cursor)
}

/// What `o` offers on the summary: Phases 2 and 3, then the built-in
/// guides that cover the estate's unmatched devices.
pub fn pages(catalog: &crate::catalog::Catalog, open: &OpenPlan) -> Vec<super::modal::LinkRef> {
    let mut out = next_links(open.guide);
    let unmatched = open.plan.unmatched(catalog, open.guide);
    for p in crate::plan::covering_pages(&unmatched) {
        out.push(super::modal::LinkRef {
            title: p.title,
            url: p.url,
        });
    }
    out
}

/// Devices on systems the guide's tables do not cover, each with its count
/// and the built-in guide whose table does (summary and proxy estate pane).
pub fn unmatched_lines(
    catalog: &crate::catalog::Catalog,
    open: &OpenPlan,
    t: &Theme,
) -> Vec<Line<'static>> {
    let list = open.plan.unmatched(catalog, open.guide);
    if list.is_empty() {
        return Vec::new();
    }
    let total = list.iter().fold(0u64, |n, u| n.saturating_add(u.devices));
    let mut out = vec![Line::styled(
        format!("Not in this guide's tables (kept, not planned for): {total} devices"),
        t.todo(),
    )];
    for u in list {
        out.push(Line::from(vec![
            Span::styled("⚠ ", t.warning()),
            Span::raw(u.text(open.guide)),
        ]));
    }
    out
}

/// The plan or capability under which the guide lists down-level systems.
pub fn down_level_value(guide: &crate::catalog::Guide) -> String {
    crate::plan::Plan::downlevel_values(guide).join("/")
}
