//! The summary: progress per phase, what is open in any phase (Enter
//! jumps to it), the notes, the derived facts, export, and the pages of
//! Phases 2 and 3.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::action::{Action, Effect};
use super::{OpenPlan, Screen, Wizard};
use crate::sanitize::line;
use crate::ui::theme::Theme;
use crate::words::count;

/// One row of the summary's open list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenRow {
    /// Step index and item index among the step's relevant items.
    pub step: usize,
    pub item: usize,
    /// The state's mark (one vocabulary: [`crate::plan::ItemState::mark`]).
    pub mark: &'static str,
    /// "Licence: Tenant configured".
    pub text: String,
    /// Set when it is listed first (overdue or blocked; `text` then starts
    /// with "overdue 2026-11-30 · " or "blocked · "): its reason and owner.
    pub first: Option<String>,
}

/// Open items, overdue and blocked ones first (overdue by due date, then
/// blocked), then the other open items of the required steps in guide
/// order. `today` is the caller's clock.
pub fn open_items(open: &OpenPlan, today: &str) -> Vec<OpenRow> {
    let (guide, plan) = (open.guide, &open.plan);
    let flags = plan.flags(guide);
    let mut index = std::collections::BTreeMap::new();
    let mut rest = Vec::new();
    for (si, step) in guide.steps.iter().enumerate() {
        let required = plan.is_step_required(step, &flags);
        for (ii, item) in plan.relevant_items(step, &flags).into_iter().enumerate() {
            let row = OpenRow {
                step: si,
                item: ii,
                mark: plan.item_state(guide, item).mark(),
                text: format!("{}: {}", step.short, item.label),
                first: None,
            };
            index.insert(item.id.as_str(), row.clone());
            if required && !plan.is_complete(guide, item) {
                rest.push((item.id.as_str(), row));
            }
        }
    }
    let mut out = Vec::new();
    for a in plan.attention(guide, today) {
        let Some(mut row) = index.get(a.item.as_str()).cloned() else {
            continue;
        };
        // What makes it first comes first: the row is cut at the pane's
        // width, the item's own words after it.
        let mut why = Vec::new();
        if a.overdue
            && let Some(d) = &a.due
        {
            why.push(format!("overdue {d}"));
        }
        if a.state == "blocked" {
            why.push("blocked".to_string());
        }
        row.text = format!("{} · {}", why.join(", "), row.text);
        let mut after = Vec::new();
        if !a.reason.is_empty() {
            after.push(a.reason.clone());
        }
        if !a.owner.is_empty() {
            after.push(format!("owner {}", a.owner));
        }
        row.first = Some(after.join("; "));
        out.push((a.item, row));
    }
    let firsts: Vec<String> = out.iter().map(|(id, _)| id.clone()).collect();
    out.extend(
        rest.into_iter()
            .filter(|(id, _)| !firsts.iter().any(|f| f == id))
            .map(|(id, r)| (id.to_string(), r)),
    );
    out.into_iter().map(|(_, r)| r).collect()
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
    let items = open_items(open, &w.today);
    if super::step::scroll_detail(open, &action) {
        return Vec::new();
    }
    if let Some(s) = super::moved(open.summary_selected, items.len(), &action, 5) {
        open.summary_selected = s;
        return Vec::new();
    }
    match action {
        Action::Select => {
            let Some(OpenRow {
                step: si, item: ii, ..
            }) = items.get(open.summary_selected).cloned()
            else {
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
        Action::State => {
            w.message = Some(
                "t, w, d, a and e act on a step's item: Enter goes to the selected open item first."
                    .into(),
            );
            Vec::new()
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
    let items = open_items(open, &w.today);
    let block = crate::ui::pane(
        format!(" All phases: {}% · {} open ", progress.percent, items.len()),
        true,
        t,
    );
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
    if items.is_empty() {
        lines.push(Line::styled(
            "Nothing open: all three phases are done.",
            t.done(),
        ));
    } else {
        let heading = if items.iter().any(|r| r.first.is_some()) {
            "Still open, overdue and blocked first:"
        } else {
            "Still open (Enter goes there):"
        };
        lines.push(Line::styled(heading, t.heading()));
    }
    // Each open item in full: a long label wraps under itself, and the
    // list scrolls with a "more" sign. Overdue and blocked items come
    // first, in the warning colour, with why.
    let rows = items
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let sel = i == open.summary_selected;
            let first = row
                .first
                .as_deref()
                .filter(|f| !f.is_empty())
                .map(|f| format!(" ({})", line(f)))
                .unwrap_or_default();
            let style = match (sel, row.first.is_some()) {
                (true, _) => t.selected(),
                (false, true) => t.warning(),
                (false, false) => t.base(),
            };
            Line::styled(
                format!(
                    "{}{} {}{first}",
                    if sel { "›" } else { " " },
                    row.mark,
                    row.text
                ),
                style,
            )
        })
        .collect();
    let list = crate::ui::widgets::List {
        head: lines,
        rows,
        foot: Vec::new(),
        selected: open.summary_selected,
        indent: 3,
    };
    let cursor = crate::ui::widgets::list_pane(f, left, block, &list, t);

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
            "{}, {} counted",
            count(plan.estate.systems.len(), "system"),
            count(devices, "device")
        )),
    ]));
    let first = plan.attention(guide, &w.today);
    if !first.is_empty() {
        let overdue = first.iter().filter(|a| a.overdue).count();
        let blocked = first.iter().filter(|a| a.state == "blocked").count();
        facts.push(Line::from(vec![
            Span::styled("First: ", t.heading()),
            Span::styled(
                format!("{overdue} overdue, {blocked} blocked (listed first)"),
                t.warning(),
            ),
        ]));
    }
    facts.extend(unmatched_lines(w.catalog, open, t));
    if let Some(n) = plan.server_count(guide) {
        facts.push(Line::from(format!("Servers: {}", count(n, "device"))));
    }
    if let Some(n) = plan.downlevel_count(guide) {
        facts.push(Line::from(format!(
            "Down-level ({}): {}; the guide lists them under {} only",
            plan.downlevel_names(guide),
            count(n, "device"),
            down_level_value(guide)
        )));
    }
    if let Some(n) = plan.unified_count(guide) {
        facts.push(Line::from(format!(
            "Need the modern unified solution ({}): {}",
            plan.unified_names(guide),
            count(n, "device")
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
    let n = crate::ui::widgets::wrap(&n, usize::from(block.inner(next).width)).0;
    f.render_widget(Paragraph::new(n).block(block), next);
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
        format!(
            "Not in this guide's tables (kept, not planned for): {}",
            count(total, "device")
        ),
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
