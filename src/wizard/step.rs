//! The checklist shared by the step screens (updates, licence, portal
//! access): the relevant items on the left, the focused item's help, answer,
//! links and notes on the right. Each screen adds its own lines through its
//! module; this file holds what they share.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::action::{Action, Effect};
use super::modal::{LinkRef, Modal, TextTarget};
use super::{OpenPlan, Screen, Wizard, access, licence, roles, systems, updates};
use crate::catalog::{Guide, Item, ItemKind, ScreenKind, Step};
use crate::plan::{Plan, Status};
use crate::sanitize::line;
use crate::ui::theme::Theme;

/// The step on screen and its relevant items.
pub fn current(open: &OpenPlan, index: usize) -> Option<(&'static Step, Vec<&'static Item>)> {
    let step = open.guide.steps.get(index)?;
    let flags = open.plan.flags(open.guide);
    Some((step, open.plan.relevant_items(step, &flags)))
}

/// Every link of an item: its own, then the chosen option's.
pub fn item_links(guide: &Guide, plan: &Plan, item: &Item) -> Vec<LinkRef> {
    plan.item_links(guide, item)
        .into_iter()
        .map(|l| LinkRef {
            title: l.title.clone(),
            url: l.url.clone(),
        })
        .collect()
}

/// The pages of the dated notes shown on an item: `o` and `y` reach every
/// address the item's details show.
pub fn note_links(open: &OpenPlan, item: &str) -> Vec<LinkRef> {
    let mut out: Vec<LinkRef> = Vec::new();
    for n in open.common.notes_about(open.guide, item) {
        // The note's first words tell its pages apart in the list.
        let words: Vec<&str> = n.text.split_whitespace().take(7).collect();
        let opening = if n.text.split_whitespace().count() > words.len() {
            format!("{}…", words.join(" "))
        } else {
            words.join(" ")
        };
        // The addresses its text names, then the page it comes from.
        for url in n.urls() {
            if !out.iter().any(|l| l.url == url) {
                out.push(LinkRef {
                    title: format!("Named in the note of {}: \"{opening}\"", n.as_of),
                    url: url.to_string(),
                });
            }
        }
        if !out.iter().any(|l| l.url == n.source) {
            out.push(LinkRef {
                title: format!("Source of the note of {}: \"{opening}\"", n.as_of),
                url: n.source.clone(),
            });
        }
    }
    out
}

/// An item's pages (its own, the chosen option's) and its notes' sources,
/// each address once.
pub fn item_pages(open: &OpenPlan, item: &Item) -> Vec<LinkRef> {
    let mut out = item_links(open.guide, &open.plan, item);
    for l in note_links(open, &item.id) {
        if !out.iter().any(|x| x.url == l.url) {
            out.push(l);
        }
    }
    out
}

/// `o` and `y` on a list of links: one opens (or copies) at once, several
/// open the links pop-up.
pub fn open_links(w: &mut Wizard, links: Vec<LinkRef>, copy: bool) -> Vec<Effect> {
    match links.len() {
        0 => {
            w.message = Some("No guidance page for this item.".into());
            Vec::new()
        }
        1 => {
            let url = links.into_iter().next().map(|l| l.url).unwrap_or_default();
            if copy {
                super::modal::copied(w, url)
            } else {
                w.message = Some(format!("Opening {url} in your browser…"));
                vec![Effect::OpenUrl(url)]
            }
        }
        _ => {
            w.modal = Some(Modal::Links { links, selected: 0 });
            Vec::new()
        }
    }
}

pub fn update(w: &mut Wizard, action: Action, now: &str) -> Vec<Effect> {
    if let Some(e) = w.plan_nav(&action) {
        return e;
    }
    let Screen::Step(index) = w.screen else {
        return Vec::new();
    };
    let Some(open) = &mut w.open else {
        return Vec::new();
    };
    let Some((_, items)) = current(open, index) else {
        return Vec::new();
    };
    let at = cursor_at(open, index, items.len());
    if scroll_detail(open, &action) {
        return Vec::new();
    }
    if let Some(s) = super::moved(at, items.len(), &action, 5) {
        if let Some(c) = open.cursor.get_mut(index) {
            *c = s;
        }
        open.proxy.detail_scroll = 0;
        return Vec::new();
    }
    if let Action::Click { row, column } = action {
        let area = areas(w).0;
        let Some(open) = &w.open else {
            return Vec::new();
        };
        // The rows as drawn (wrapped, scrolled): the click lands on the
        // item drawn under it.
        let hit = row.checked_sub(area.y + 1).and_then(|y| {
            let list = item_list(open, &items, at, &Theme::plain());
            crate::ui::widgets::list_row_at(
                &list,
                area.width.saturating_sub(2),
                area.height.saturating_sub(2),
                y,
            )
        });
        if let Some(i) = hit
            && column < area.right()
            && let Some(open) = &mut w.open
            && let Some(c) = open.cursor.get_mut(index)
        {
            *c = i;
        }
        return Vec::new();
    }
    let Some(item) = items.get(at).copied() else {
        return Vec::new();
    };
    act_on_item(w, item, action, now)
}

/// What a key does to an item, by kind. Shared with the proxy screen.
pub fn act_on_item(w: &mut Wizard, item: &'static Item, action: Action, now: &str) -> Vec<Effect> {
    let Some(open) = &w.open else {
        return Vec::new();
    };
    let answer = open.plan.answer(&item.id).cloned().unwrap_or_default();
    let id = item.id.clone();
    match (action, item.kind) {
        (Action::Toggle | Action::Select, ItemKind::Task)
            if matches!(
                answer.status,
                Some(Status::Blocked | Status::Waiting | Status::NotApplicable)
            ) && !answer.reason.trim().is_empty() =>
        {
            // A stray Space or Enter must not drop the reason typed for it.
            let word = answer.status.map_or("", |s| s.word());
            w.message = Some(format!(
                "This item is {word}, with a reason: t changes its state (Space and Enter leave it as it is)."
            ));
            Vec::new()
        }
        (Action::Toggle | Action::Select, ItemKind::Task) => {
            let next = match answer.status {
                Some(Status::Done) => Status::Todo,
                _ => Status::Done,
            };
            w.change(|plan, _| {
                plan.set_status(&id, Some(next), now);
                Ok(())
            })
        }
        (Action::Toggle | Action::Select, ItemKind::Choice) => {
            let selected = answer
                .choice
                .as_deref()
                .and_then(|c| item.options.iter().position(|o| o.id == c))
                .unwrap_or(0);
            w.modal = Some(Modal::Choice { item: id, selected });
            Vec::new()
        }
        (Action::Toggle | Action::Select, ItemKind::Text) => {
            w.modal = Some(Modal::text(
                TextTarget::Answer(id),
                answer.text.as_deref().unwrap_or(""),
            ));
            Vec::new()
        }
        (Action::Toggle | Action::Select, ItemKind::Systems) => {
            w.modal = Some(Modal::Systems(systems::SystemsState::default()));
            Vec::new()
        }
        (Action::Toggle | Action::Select, ItemKind::Roles) => {
            w.modal = Some(Modal::Roles(roles::RolesState::at(0)));
            Vec::new()
        }
        (Action::NotApplicable, _) => {
            if answer.status == Some(Status::NotApplicable) {
                return w.change(|plan, _| {
                    plan.set_status(&id, None, now);
                    Ok(())
                });
            }
            super::modal::set_state_asking(w, id, Status::NotApplicable, now)
        }
        (Action::EditNote, _) => {
            w.modal = Some(Modal::text(TextTarget::Note(id), &answer.note));
            Vec::new()
        }
        (Action::Copy, _) if !item.commands.is_empty() => {
            // Commands first: they are what the operator pastes.
            let mut links: Vec<LinkRef> = item
                .commands
                .iter()
                .map(|c| LinkRef {
                    title: format!("Command: {}", c.label),
                    url: c.text.clone(),
                })
                .collect();
            links.extend(item_links(open.guide, &open.plan, item));
            open_links(w, links, true)
        }
        (Action::Owner, _) => {
            w.modal = Some(Modal::text(TextTarget::Owner(id), &answer.owner));
            Vec::new()
        }
        (Action::Due, _) => {
            w.modal = Some(Modal::text(
                TextTarget::Due(id),
                answer.due.as_deref().unwrap_or(""),
            ));
            Vec::new()
        }
        (Action::State, _) => {
            let choices = super::modal::state_choices(item.kind);
            let current = answer.status.unwrap_or(Status::Todo);
            let selected = choices.iter().position(|(s, _)| *s == current).unwrap_or(0);
            w.modal = Some(Modal::State { item: id, selected });
            Vec::new()
        }
        (a @ (Action::Open | Action::Copy), _) => {
            let links = item_pages(open, item);
            open_links(w, links, a == Action::Copy)
        }
        _ => Vec::new(),
    }
}

/// The banner above a step's list: its intro and the screen's status
/// lines (plan, warnings, conflicts), wrapped to the width.
fn banner_lines(open: &OpenPlan, step: &Step, width: u16, t: &Theme) -> Vec<Line<'static>> {
    let banner = match step.screen {
        ScreenKind::Updates => updates::banner(open, t),
        ScreenKind::Licence => licence::banner(open, t),
        ScreenKind::Access => access::banner(open, t),
        ScreenKind::Proxy => Vec::new(),
        ScreenKind::Checklist => checklist_banner(open, step, t),
    };
    let mut top = vec![Line::styled(format!(" {}", step.intro), t.muted())];
    top.extend(banner);
    crate::ui::widgets::wrap(&top, usize::from(width)).0
}

/// Rows of the banner: at least 3, at most 7, so the list keeps its room.
fn banner_height(lines: usize) -> u16 {
    u16::try_from(lines.clamp(3, 7)).unwrap_or(3)
}

/// The list and detail areas of a step screen, shared by drawing and mouse
/// hit-testing.
pub fn areas(w: &Wizard) -> (Rect, Rect) {
    let (width, height) = w.size;
    let body = crate::ui::body_area(Rect::new(0, 0, width, height));
    let rows = match (&w.open, w.screen) {
        (Some(open), Screen::Step(i)) => open.guide.steps.get(i).map_or(3, |s| {
            banner_lines(open, s, body.width, &Theme::plain()).len()
        }),
        _ => 3,
    };
    let [_, main] =
        Layout::vertical([Constraint::Length(banner_height(rows)), Constraint::Fill(1)])
            .areas(body);
    let [list, detail] =
        Layout::horizontal([Constraint::Percentage(46), Constraint::Fill(1)]).areas(main);
    (list, detail)
}

/// Mark and word for an item's state: never colour alone.
pub fn mark(
    plan: &Plan,
    guide: &Guide,
    item: &Item,
    t: &Theme,
) -> (&'static str, &'static str, ratatui::style::Style) {
    use crate::plan::ItemState;
    let state = plan.item_state(guide, item);
    let style = match state {
        ItemState::NotApplicable => t.muted(),
        ItemState::Done => t.done(),
        ItemState::Blocked => t.warning(),
        _ => t.todo(),
    };
    (state.mark(), state.word(), style)
}

/// A short summary of the answer for the list row.
pub fn answer_summary(plan: &Plan, guide: &Guide, item: &Item) -> String {
    match item.kind {
        // The mark already says a task's state; systems are counted.
        ItemKind::Task => String::new(),
        ItemKind::Systems => match plan.estate.systems.len() {
            0 => String::new(),
            n => format!("{n} chosen"),
        },
        _ => plan.answer_text(guide, item).unwrap_or_default(),
    }
}

/// The step's items as a list: mark and label (with the answer), long
/// labels wrapping under their text, past the mark.
fn item_list<'a>(
    open: &OpenPlan,
    items: &[&Item],
    at: usize,
    t: &Theme,
) -> crate::ui::widgets::List<'a> {
    let (guide, plan) = (open.guide, &open.plan);
    let rows = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            // The mark alone: the legend under the list and the details
            // give its word.
            let (m, _, style) = mark(plan, guide, item, t);
            let summary = answer_summary(plan, guide, item);
            let text = if summary.is_empty() {
                item.label.clone()
            } else {
                format!("{}: {summary}", item.label)
            };
            let sel = i == at;
            Line::from(vec![
                Span::styled(if sel { "›" } else { " " }, t.heading()),
                Span::styled(format!("{m} "), if sel { t.selected() } else { style }),
                Span::styled(text, if sel { t.selected() } else { t.base() }),
            ])
        })
        .collect();
    crate::ui::widgets::List {
        head: Vec::new(),
        rows,
        foot: Vec::new(),
        selected: at,
        indent: 3,
    }
}

pub fn render(w: &Wizard, f: &mut Frame, area: Rect, t: &Theme) -> Option<Position> {
    let Screen::Step(index) = w.screen else {
        return None;
    };
    let open = w.open.as_ref()?;
    let (step, items) = current(open, index)?;
    let top = banner_lines(open, step, area.width, t);
    let [banner_area, main] = Layout::vertical([
        Constraint::Length(banner_height(top.len())),
        Constraint::Fill(1),
    ])
    .areas(area);
    let [list_area, detail_area] =
        Layout::horizontal([Constraint::Percentage(46), Constraint::Fill(1)]).areas(main);
    f.render_widget(Paragraph::new(top), banner_area);

    let at = cursor_at(open, index, items.len());
    let shown: Vec<crate::plan::ItemState> = items
        .iter()
        .map(|i| open.plan.item_state(open.guide, i))
        .collect();
    let legend =
        crate::plan::ItemState::legend(&shown, usize::from(list_area.width.saturating_sub(2)));
    let block = crate::ui::pane(format!(" {} ", step.short), true, t)
        .title_bottom(Line::styled(legend, t.muted()));
    let list = item_list(open, &items, at, t);
    let cursor = crate::ui::widgets::list_pane(f, list_area, block, &list, t);

    if let Some(item) = items.get(at) {
        let lines = detail(open, step, item, &w.today, t);
        let block = crate::ui::pane(" Details ", false, t);
        crate::ui::widgets::scroll_pane(f, detail_area, block, &lines, open.proxy.detail_scroll, t);
    }
    Some(cursor)
}

/// The detail pane of an item.
pub fn detail(
    open: &OpenPlan,
    step: &Step,
    item: &Item,
    today: &str,
    t: &Theme,
) -> Vec<Line<'static>> {
    let (guide, plan) = (open.guide, &open.plan);
    let mut out = vec![
        Line::styled(item.label.clone(), t.heading()),
        Line::from(item.help.clone()),
    ];
    let (m, state, style) = mark(plan, guide, item, t);
    out.push(Line::from(vec![
        Span::raw("Status: "),
        Span::styled(format!("{m} {state}"), style),
    ]));
    out.extend(task_lines(open, item, today, t));
    if item.kind == ItemKind::Choice {
        let chosen = plan.answer(&item.id).and_then(|a| a.choice.as_deref());
        for o in &item.options {
            let on = chosen == Some(o.id.as_str());
            out.push(Line::styled(
                format!("  {} {}", if on { "(•)" } else { "( )" }, o.label),
                if on { t.done() } else { t.base() },
            ));
        }
    }
    if item.kind == ItemKind::Text
        && let Some(text) = plan.answer(&item.id).and_then(|a| a.text.as_deref())
    {
        out.push(Line::from(vec![
            Span::raw("Answer: "),
            Span::raw(line(text).into_owned()),
        ]));
    }
    let extra = match step.screen {
        ScreenKind::Updates => updates::detail(open, item, t),
        ScreenKind::Licence => licence::detail(open, item, t),
        ScreenKind::Access => access::detail(open, item, t),
        ScreenKind::Proxy => Vec::new(),
        ScreenKind::Checklist => checklist_detail(open, item, t),
    };
    out.extend(extra);
    out.extend(item_notes(open, &item.id, t));
    let links = item_links(guide, plan, item);
    let pages = item_pages(open, item).len();
    if !links.is_empty() {
        out.push(Line::from(""));
        out.push(Line::styled(
            if pages == 1 {
                "Guide (o opens, y copies):"
            } else {
                "Guides (o lists them):"
            },
            t.heading(),
        ));
        for l in links {
            // The address hangs under its title's bullet.
            out.push(Line::from(format!("• {}", l.title)));
            out.push(Line::styled(format!("  {}", l.url), t.link()));
        }
    }
    if let Some(note) = plan
        .answer(&item.id)
        .map(|a| a.note.as_str())
        .filter(|n| !n.is_empty())
    {
        out.push(Line::from(""));
        out.push(Line::styled("Your note (e edits):", t.heading()));
        for l in crate::sanitize::text(note).lines() {
            out.push(Line::styled(l.to_string(), t.note()));
        }
    } else {
        out.push(Line::styled("e adds a note.", t.muted()));
    }
    out
}

/// A later phase's banner: which phase, and the page and date its steps
/// come from.
fn checklist_banner(open: &OpenPlan, step: &Step, t: &Theme) -> Vec<Line<'static>> {
    let Some(phase) = open.guide.phase_of(step) else {
        return Vec::new();
    };
    let (_, date) = open.guide.phase_source(phase);
    vec![Line::styled(
        format!(
            " {} · from its page of {date} (o opens the item's pages)",
            phase.title
        ),
        t.muted(),
    )]
}

/// What an earlier answer decides about the item, its tables (rows that
/// concern this estate marked ▸) and its commands.
fn checklist_detail(open: &OpenPlan, item: &Item, t: &Theme) -> Vec<Line<'static>> {
    let (guide, plan) = (open.guide, &open.plan);
    let mut out = Vec::new();
    if let Some(d) = &item.depends {
        out.push(Line::from(vec![
            Span::styled("Depends on: ", t.warning()),
            Span::raw(d.clone()),
        ]));
    }
    let flags = plan.flags(guide);
    for table in &item.tables {
        out.push(Line::from(""));
        out.push(Line::styled(table.title.clone(), t.heading()));
        out.push(Line::styled(table.header.join(" │ "), t.muted()));
        let marked = table.rows.iter().any(|r| !r.when.is_empty());
        for row in &table.rows {
            let here = row.when.iter().any(|f| flags.contains(f));
            let lead = if !marked {
                "• "
            } else if here {
                "▸ "
            } else {
                "  "
            };
            out.push(Line::styled(
                format!("{lead}{}", row.cells.join(" │ ")),
                if here { t.base() } else { t.muted() },
            ));
        }
        if marked {
            out.push(Line::styled("▸ concerns this estate", t.muted()));
        }
    }
    if !item.commands.is_empty() {
        out.push(Line::from(""));
        out.push(Line::styled(
            "Commands (y copies; never run from here):",
            t.heading(),
        ));
        for c in &item.commands {
            out.push(Line::from(format!("{}:", c.label)));
            out.push(Line::styled(format!("  {}", c.text), t.link()));
        }
    }
    out
}

/// For the summary: what the later phases hold for this estate — the
/// relevant items that depend on Phase 1 answers, each with the first
/// cell of the table rows that concern the estate.
pub fn for_estate_lines(open: &OpenPlan, t: &Theme) -> Vec<Line<'static>> {
    let (guide, plan) = (open.guide, &open.plan);
    if plan.estate.systems.is_empty() {
        return vec![
            Line::from(""),
            Line::styled(
                "Phases 2 and 3 ask every item until the estate is chosen (s).",
                t.muted(),
            ),
        ];
    }
    let flags = plan.flags(guide);
    let mut out = Vec::new();
    for step in guide
        .steps
        .iter()
        .filter(|s| s.screen == ScreenKind::Checklist)
    {
        for item in plan.relevant_items(step, &flags) {
            if item.depends.is_none() {
                continue;
            }
            let rows: Vec<String> = plan
                .rows_for(guide, item)
                .into_iter()
                .filter_map(|(_, r)| r.cells.first())
                .map(|c| crate::sanitize::truncate(c, 60).into_owned())
                .collect();
            if out.is_empty() {
                out.push(Line::from(""));
                out.push(Line::styled(
                    "For this estate in Phases 2 and 3:",
                    t.heading(),
                ));
            }
            let tail = if rows.is_empty() {
                String::new()
            } else {
                format!(" ({})", rows.join("; "))
            };
            out.push(Line::from(format!("• {}{tail}", item.label)));
        }
    }
    out
}

/// Reason, owner and due date of an item, when it has them (t, w, d
/// change them).
pub fn task_lines(open: &OpenPlan, item: &Item, today: &str, t: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let Some(a) = open.plan.answer(&item.id) else {
        return out;
    };
    if !a.reason.is_empty() {
        out.push(Line::from(vec![
            Span::raw("Reason: "),
            Span::raw(line(&a.reason).into_owned()),
        ]));
    }
    if !a.owner.is_empty() {
        out.push(Line::from(vec![
            Span::raw("Owner: "),
            Span::raw(line(&a.owner).into_owned()),
        ]));
    }
    if let Some(due) = a.due.as_deref() {
        let late = open.plan.is_overdue(open.guide, item, today);
        out.push(Line::styled(
            format!("Due: {}{}", line(due), if late { " · overdue" } else { "" }),
            if late { t.warning() } else { t.base() },
        ));
    }
    out
}

/// The dated "changed since the guide" notes on an item, each with the
/// page it comes from.
pub fn item_notes(open: &OpenPlan, item: &str, t: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for n in open.common.notes_about(open.guide, item) {
        out.push(Line::from(""));
        out.push(Line::from(vec![
            Span::styled(
                format!("Changed since the guide (as of {}): ", n.as_of),
                t.warning(),
            ),
            Span::raw(n.text.clone()),
        ]));
        out.push(Line::from(vec![
            Span::styled("Source: ", t.muted()),
            Span::styled(n.source.clone(), t.link()),
        ]));
    }
    out
}

/// PageUp / PageDown scroll the detail pane, five rows at a time; true
/// when the action was one of them.
pub(crate) fn scroll_detail(open: &mut OpenPlan, action: &Action) -> bool {
    let scroll = &mut open.proxy.detail_scroll;
    match action {
        Action::PageUp => *scroll = scroll.saturating_sub(5),
        Action::PageDown => *scroll = scroll.saturating_add(5),
        _ => return false,
    }
    true
}

/// The selected item of step `index`, kept inside its `len` items.
fn cursor_at(open: &OpenPlan, index: usize, len: usize) -> usize {
    open.cursor
        .get(index)
        .copied()
        .unwrap_or(0)
        .min(len.saturating_sub(1))
}
