//! Screen 7, proxy guides: an interactive lookup (plan or capability ×
//! operating system → the guide's resources and footnotes) beside the
//! guides that apply to this estate, each to mark reviewed.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::action::{Action, Effect};
use super::modal::LinkRef;
use super::{OpenPlan, Screen, Wizard, step};
use crate::catalog::{Guide, ItemKind, System};
use crate::plan::Applicable;
use crate::ui::theme::Theme;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Focus {
    Estate,
    /// The left list: where the step starts, since the estate's list is
    /// empty until systems are chosen.
    #[default]
    Lookup,
}

impl Focus {
    pub fn key(self) -> &'static str {
        match self {
            Focus::Estate => "estate",
            Focus::Lookup => "lookup",
        }
    }
}

/// The proxy step's place as a resume position: pane, plan or capability,
/// system, and the estate guide ("lookup:P2:win10:proxy-internet").
pub fn encode(open: &OpenPlan) -> String {
    let (guide, st) = (open.guide, &open.proxy);
    let value = guide
        .proxy_table
        .values
        .get(st.value)
        .map_or("", |v| v.id.as_str());
    let system = lookup_systems(guide)
        .get(st.system)
        .map_or("", |s| s.id.as_str());
    let applicable = open.plan.applicable_proxy(guide);
    let estate = applicable.get(st.estate).map_or("", |a| a.link.as_str());
    format!("{}:{value}:{system}:{estate}", st.focus.key())
}

/// Restore what [`encode`] wrote; parts that no longer match are skipped.
pub fn decode(open: &mut OpenPlan, text: &str) {
    let guide = open.guide;
    let mut parts = text.split(':');
    let st = &mut open.proxy;
    match parts.next() {
        Some("estate") => st.focus = Focus::Estate,
        Some("lookup") => st.focus = Focus::Lookup,
        _ => return,
    }
    if let Some(v) = parts
        .next()
        .and_then(|id| guide.proxy_table.values.iter().position(|v| v.id == id))
    {
        st.value = v;
    }
    if let Some(s) = parts
        .next()
        .and_then(|id| lookup_systems(guide).iter().position(|s| s.id == id))
    {
        st.system = s;
    }
    let applicable = open.plan.applicable_proxy(guide);
    if let Some(e) = parts
        .next()
        .and_then(|id| applicable.iter().position(|a| a.link == id))
    {
        open.proxy.estate = e;
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProxyState {
    pub focus: Focus,
    /// Index into the proxy table's values (plans or capabilities).
    pub value: usize,
    /// Index into the systems of the lookup list.
    pub system: usize,
    /// Index into this estate's guides.
    pub estate: usize,
    /// Scroll of a step screen's detail pane.
    pub detail_scroll: u16,
}

/// The systems the proxy table names, in guide order.
pub fn lookup_systems(guide: &Guide) -> Vec<&System> {
    guide
        .systems
        .iter()
        .filter(|s| {
            guide
                .proxy_table
                .rows
                .iter()
                .any(|r| r.systems.iter().any(|x| x.system == s.id))
        })
        .collect()
}

/// The resources (and footnote texts) the guide lists for a value and system.
pub fn lookup(guide: &Guide, value: &str, system: &str) -> (Vec<LinkRef>, Vec<String>) {
    let mut links = Vec::new();
    let mut notes = Vec::new();
    for row in guide.proxy_table.rows.iter().filter(|r| r.value == value) {
        let Some(cell) = row.systems.iter().find(|s| s.system == system) else {
            continue;
        };
        for r in row.resources.iter().filter_map(|r| guide.link(r)) {
            links.push(to_ref(r));
        }
        if let Some(f) = cell.footnote.as_deref().and_then(|f| guide.footnote(f)) {
            notes.push(format!("{} {}", f.marker, f.text));
        }
    }
    (links, notes)
}

fn to_ref(l: &crate::catalog::Link) -> LinkRef {
    LinkRef {
        title: l.title.clone(),
        url: l.url.clone(),
    }
}

fn push_new(out: &mut Vec<LinkRef>, l: LinkRef) {
    if !out.iter().any(|x| x.url == l.url && x.title == l.title) {
        out.push(l);
    }
}

/// The other pages of a lookup: the system's own page from the table, the
/// footnotes' pages and the plan's or capability's page.
pub fn lookup_pages(guide: &Guide, value: &str, system: &str) -> Vec<LinkRef> {
    let mut out = Vec::new();
    for row in guide.proxy_table.rows.iter().filter(|r| r.value == value) {
        let Some(cell) = row.systems.iter().find(|s| s.system == system) else {
            continue;
        };
        if let Some(l) = cell.link.as_deref().and_then(|l| guide.link(l)) {
            push_new(&mut out, to_ref(l));
        }
        if let Some(f) = cell.footnote.as_deref().and_then(|f| guide.footnote(f)) {
            for l in f.links.iter().filter_map(|l| guide.link(l)) {
                push_new(&mut out, to_ref(l));
            }
        }
    }
    if let Some(l) = guide.axis_value(value).and_then(|v| guide.link(&v.link)) {
        push_new(&mut out, to_ref(l));
    }
    out
}

/// What `o` offers on the lookup: the resources, then the other pages.
pub fn lookup_links(guide: &Guide, value: &str, system: &str) -> Vec<LinkRef> {
    let mut out = lookup(guide, value, system).0;
    for l in lookup_pages(guide, value, system) {
        push_new(&mut out, l);
    }
    out
}

/// What `o` offers on one of the estate's guides: the guide, its
/// footnotes' pages and the pages of the plan's warnings.
pub fn estate_links(guide: &Guide, plan: &crate::plan::Plan, a: &Applicable) -> Vec<LinkRef> {
    let mut out = Vec::new();
    if let Some(l) = guide.link(&a.link) {
        out.push(to_ref(l));
    }
    for f in a.footnotes.iter().filter_map(|f| guide.footnote(f)) {
        for l in f.links.iter().filter_map(|l| guide.link(l)) {
            push_new(&mut out, to_ref(l));
        }
    }
    for w in plan.warnings(guide) {
        for l in w.links.iter().filter_map(|l| guide.link(l)) {
            push_new(&mut out, to_ref(l));
        }
    }
    out
}

fn review_item(open: &OpenPlan) -> Option<&'static crate::catalog::Item> {
    open.guide
        .items()
        .find(|(_, i)| i.kind == ItemKind::ProxyReview)
        .map(|(_, i)| i)
}

pub fn update(w: &mut Wizard, action: Action, now: &str) -> Vec<Effect> {
    if let Some(e) = w.plan_nav(&action) {
        return e;
    }
    let Some(open) = &mut w.open else {
        return Vec::new();
    };
    let guide = open.guide;
    let systems = lookup_systems(guide);
    let applicable = open.plan.applicable_proxy(guide);
    let values = guide.proxy_table.values.len();
    let st = &mut open.proxy;
    match action {
        Action::PageUp => {
            st.detail_scroll = st.detail_scroll.saturating_sub(5);
            return Vec::new();
        }
        Action::PageDown => {
            st.detail_scroll = st.detail_scroll.saturating_add(5);
            return Vec::new();
        }
        Action::NextField | Action::PrevField => {
            // The estate's list starts in view, its selection with it.
            st.detail_scroll = 0;
            st.focus = if st.focus == Focus::Lookup {
                Focus::Estate
            } else {
                Focus::Lookup
            };
            return Vec::new();
        }
        Action::Left => {
            st.value = (st.value + values - 1) % values.max(1);
            st.focus = Focus::Lookup;
            return Vec::new();
        }
        Action::Right => {
            st.value = (st.value + 1) % values.max(1);
            st.focus = Focus::Lookup;
            return Vec::new();
        }
        _ => {}
    }
    let (selected, len) = match st.focus {
        Focus::Lookup => (st.system, systems.len()),
        Focus::Estate => (st.estate, applicable.len()),
    };
    if let Some(s) = super::moved(selected, len, &action, 5) {
        match st.focus {
            Focus::Lookup => st.system = s,
            Focus::Estate => {
                st.estate = s;
                st.detail_scroll = 0;
            }
        }
        return Vec::new();
    }
    let focus = st.focus;
    let lookup_result = systems
        .get(st.system)
        .zip(guide.proxy_table.values.get(st.value))
        .map(|(s, v)| lookup_links(guide, &v.id, &s.id));
    let chosen = applicable.get(st.estate).cloned();
    match (action, focus) {
        (a @ (Action::Open | Action::Copy | Action::Select), Focus::Lookup) => {
            let links = lookup_result.unwrap_or_default();
            if links.is_empty() {
                w.message = Some("The guide lists no resource for this pair.".into());
                return Vec::new();
            }
            step::open_links(w, links, a == Action::Copy)
        }
        (a @ (Action::Open | Action::Copy), Focus::Estate) => {
            let links: Vec<LinkRef> = chosen
                .map(|c| estate_links(guide, &open.plan, &c))
                .unwrap_or_default();
            step::open_links(w, links, a == Action::Copy)
        }
        (Action::Toggle | Action::Select, Focus::Estate) => match chosen {
            Some(c) => w.change(|plan, _| {
                plan.toggle_reviewed(&c.link, now);
                Ok(())
            }),
            None => {
                w.message = Some(
                    "No guide applies yet: press s to pick the estate's operating systems.".into(),
                );
                Vec::new()
            }
        },
        (Action::Toggle, Focus::Lookup) => {
            w.message =
                Some("Tab goes to this estate's guides, where Space marks one reviewed.".into());
            Vec::new()
        }
        (
            a @ (Action::NotApplicable
            | Action::EditNote
            | Action::Owner
            | Action::Due
            | Action::State),
            _,
        ) => match w.open.as_ref().and_then(review_item) {
            Some(item) => step::act_on_item(w, item, a, now),
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

pub fn render(w: &Wizard, f: &mut Frame, area: Rect, t: &Theme) -> Option<Position> {
    let Screen::Step(index) = w.screen else {
        return None;
    };
    let open = w.open.as_ref()?;
    let (guide, plan, st) = (open.guide, &open.plan, &open.proxy);
    let stp = guide.steps.get(index)?;
    let flags = plan.flags(guide);
    let required = plan.is_step_required(stp, &flags);
    // The catalog's intro says what to do; where it is on screen is ours.
    let mut top = vec![Line::styled(
        format!(
            " {} On screen: the lookup on the left, your estate's guides on the right.",
            stp.intro
        ),
        t.muted(),
    )];
    let status = if required {
        "required for this plan".to_string()
    } else {
        "optional here because you said no proxy is in use (the guide does not say so; see the note)".to_string()
    };
    top.push(Line::from(vec![
        Span::styled(" This step: ", t.heading()),
        Span::raw(status),
    ]));
    let top = crate::ui::widgets::wrap(&top, usize::from(area.width)).0;
    let rows = u16::try_from(top.len().clamp(3, 5)).unwrap_or(3);
    let [banner, main] =
        Layout::vertical([Constraint::Length(rows), Constraint::Fill(1)]).areas(area);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(46), Constraint::Fill(1)]).areas(main);
    // The lookup's answer gets the rows it needs (the list keeps at
    // least six), so it rarely has more than it shows.
    let systems = lookup_systems(guide);
    let value = guide.proxy_table.values.get(st.value);
    let mut res = Vec::new();
    if let (Some(sys), Some(v)) = (systems.get(st.system), value) {
        let (links, notes) = lookup(guide, &v.id, &sys.id);
        if links.is_empty() {
            res.push(Line::styled(
                format!("The guide lists no {} guide for {}.", v.id, sys.name),
                t.todo(),
            ));
        }
        for l in links {
            res.push(Line::from(l.title));
            res.push(Line::styled(l.url, t.link()));
        }
        for n in notes {
            res.push(Line::styled(n, t.warning()));
        }
        let pages = lookup_pages(guide, &v.id, &sys.id);
        if !pages.is_empty() {
            let titles: Vec<&str> = pages.iter().map(|p| p.title.as_str()).collect();
            res.push(Line::styled(
                format!("Also (o lists them): {}", titles.join("; ")),
                t.muted(),
            ));
        }
    }
    let need = crate::ui::widgets::wrap(&res, usize::from(left.width.saturating_sub(2)))
        .0
        .len()
        + 2;
    let result_h = u16::try_from(need)
        .unwrap_or(u16::MAX)
        .min(left.height.saturating_sub(8))
        .max(5);
    let [list_area, result_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(result_h)]).areas(left);
    f.render_widget(Paragraph::new(top), banner);

    // The lookup.
    let axis = guide.proxy_table.axis.name();
    let focused = st.focus == Focus::Lookup;
    let block = crate::ui::pane(format!(" Look up: {axis} × system "), focused, t);
    let head = vec![Line::from(vec![
        Span::styled(format!("{}: ", capitalised(axis)), t.heading()),
        Span::styled(
            format!("‹ {} ›", value.map_or("", |v| v.id.as_str())),
            if focused { t.selected() } else { t.base() },
        ),
        Span::styled("  ←/→ changes", t.muted()),
    ])];
    let rows: Vec<Line> = systems
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let sel = i == st.system;
            let in_estate = if plan.estate.systems.contains_key(&s.id) {
                "•"
            } else {
                " "
            };
            let style = if sel && focused {
                t.selected()
            } else if sel {
                t.heading()
            } else {
                t.base()
            };
            Line::styled(
                format!(
                    "{}{in_estate} {}",
                    if sel && focused { "›" } else { " " },
                    s.name
                ),
                style,
            )
        })
        .collect();
    // The list scrolls with the selection; its border says when systems
    // are out of view.
    let list = crate::ui::widgets::List {
        head,
        rows,
        foot: Vec::new(),
        selected: st.system,
        indent: 3,
    };
    let lookup_cursor = crate::ui::widgets::list_pane(f, list_area, block, &list, t);

    // The full name when it fits on the border, the short one otherwise.
    let name = value.map_or("Result", |v| v.name.as_str());
    let short = value.map_or("Result", |v| v.id.as_str());
    let fits = name.chars().count() + 13 <= usize::from(result_area.width);
    let title = format!(" {} (o opens) ", if fits { name } else { short });
    let block = crate::ui::pane(title, false, t);
    crate::ui::widgets::text_pane(f, result_area, block, &res, "o lists the pages", t);

    // This estate's guides.
    let applicable = plan.applicable_proxy(guide);
    let reviewed = applicable
        .iter()
        .filter(|a| plan.reviewed.contains(&a.link))
        .count();
    let focused = st.focus == Focus::Estate;
    let block = crate::ui::pane(
        format!(
            " Guides for this estate: {reviewed} of {} reviewed ",
            applicable.len()
        ),
        focused,
        t,
    );
    let inner = block.inner(right);
    let (lines, rows) = estate_lines(w.catalog, open, &applicable, &w.today, t);
    let (offset, starts) =
        crate::ui::widgets::scroll_pane(f, right, block, &lines, st.detail_scroll, t);
    if focused {
        let row = rows
            .get(st.estate)
            .and_then(|r| starts.get(usize::from(*r)))
            .copied()
            .unwrap_or(0);
        let row = u16::try_from(row)
            .unwrap_or(0)
            .saturating_sub(offset)
            .min(inner.height.saturating_sub(1));
        Some(Position::new(inner.x, inner.y + row))
    } else {
        Some(lookup_cursor)
    }
}

/// The estate's guides as lines (wrapped when drawn), with the line of
/// each guide's row.
fn estate_lines(
    catalog: &crate::catalog::Catalog,
    open: &OpenPlan,
    applicable: &[Applicable],
    today: &str,
    t: &Theme,
) -> (Vec<Line<'static>>, Vec<u16>) {
    let (guide, plan, st) = (open.guide, &open.plan, &open.proxy);
    let mut lines = Vec::new();
    let mut rows = Vec::new();
    if plan.estate.systems.is_empty() {
        lines.push(Line::styled("No operating systems chosen yet.", t.todo()));
        lines.push(Line::from(
            "Press s to pick them; the guides they need appear here.",
        ));
    } else if applicable.is_empty() {
        lines.push(Line::from(
            "The guide lists no proxy guide for this estate's systems.",
        ));
    }
    if guide.proxy_table.axis == crate::catalog::Axis::Plan
        && plan.defender_plan(guide).is_none()
        && !applicable.is_empty()
    {
        lines.push(Line::styled(
            "No plan chosen on the licence step yet: guides for both plans are listed.",
            t.muted(),
        ));
    }
    for (i, a) in applicable.iter().enumerate() {
        let sel = i == st.estate && st.focus == Focus::Estate;
        let done = plan.reviewed.contains(&a.link);
        rows.push(u16::try_from(lines.len()).unwrap_or(0));
        let title = guide
            .link(&a.link)
            .map_or(a.link.as_str(), |l| l.title.as_str());
        lines.push(Line::styled(
            format!(
                "{}[{}] {title}",
                if sel { "›" } else { " " },
                if done { "✓" } else { " " }
            ),
            if sel {
                t.selected()
            } else if done {
                t.done()
            } else {
                t.base()
            },
        ));
        let names: Vec<String> = a
            .systems
            .iter()
            .filter_map(|s| guide.system(s))
            .map(|s| {
                let marked = guide.proxy_table.rows.iter().any(|r| {
                    a.values.contains(&r.value)
                        && r.systems
                            .iter()
                            .any(|c| c.system == s.id && c.footnote.is_some())
                });
                if marked {
                    format!("{}*", s.name)
                } else {
                    s.name.clone()
                }
            })
            .collect();
        let covers = format!("     {}: {}", a.values.join("/"), names.join(", "));
        lines.push(Line::styled(covers, t.muted()));
    }
    if let Some(a) = applicable.get(st.estate) {
        // The selected guide's address first, with its name, so it is not
        // read as the footnote's.
        if let Some(l) = guide.link(&a.link) {
            lines.push(Line::from(""));
            lines.push(Line::styled("Selected (o opens, y copies):", t.heading()));
            lines.push(Line::from(format!("• {}", l.title)));
            lines.push(Line::styled(format!("  {}", l.url), t.link()));
        }
        for f in a.footnotes.iter().filter_map(|f| guide.footnote(f)) {
            lines.push(Line::from(""));
            lines.push(Line::styled(
                format!("{} {}", f.marker, f.text),
                t.warning(),
            ));
        }
        for f in a.footnotes.iter().filter_map(|f| guide.footnote(f)) {
            for l in f.links.iter().filter_map(|l| guide.link(l)) {
                lines.push(Line::from(format!("  {}", l.title)));
                lines.push(Line::styled(format!("  {}", l.url), t.link()));
            }
        }
    }
    let gaps = plan.gaps(guide);
    if !gaps.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::styled(
            match guide.proxy_table.axis {
                crate::catalog::Axis::Plan => "Not in the guide's table for this plan:",
                crate::catalog::Axis::Capability => "Not in the guide's table for a capability:",
            },
            t.todo(),
        ));
        for g in gaps {
            lines.push(Line::styled(format!("• {}", g.text()), t.todo()));
        }
    }
    let unmatched = super::summary::unmatched_lines(catalog, open, t);
    if !unmatched.is_empty() {
        lines.push(Line::from(""));
        lines.extend(unmatched);
    }
    for c in plan.conflicts(guide) {
        lines.push(Line::from(""));
        lines.push(Line::from(vec![
            Span::styled("⚠ Conflict: ", t.warning()),
            Span::raw(c.text),
        ]));
    }
    for wn in plan.warnings(guide) {
        lines.push(Line::from(""));
        lines.push(Line::from(vec![
            Span::styled("⚠ ", t.warning()),
            Span::raw(wn.text.clone()),
        ]));
    }
    for family in plan.estate_families(guide) {
        if let Some(h) = open.common.proxy_help(family) {
            lines.push(Line::from(""));
            lines.push(Line::from(vec![
                Span::styled(
                    format!(
                        "How {family} uses a proxy (not in the guide; as of {}): ",
                        h.as_of
                    ),
                    t.heading(),
                ),
                Span::raw(h.text.clone()),
            ]));
            lines.push(Line::from(vec![
                Span::styled("Source: ", t.muted()),
                Span::styled(h.source.clone(), t.link()),
            ]));
        }
    }
    if let Some(item) = review_item(open) {
        // The review's own state, when it is more than reviewed or not.
        let state = plan.item_state(guide, item);
        let task = step::task_lines(open, item, today, t);
        if !task.is_empty()
            || matches!(
                state,
                crate::plan::ItemState::Blocked
                    | crate::plan::ItemState::Waiting
                    | crate::plan::ItemState::NotApplicable
            )
        {
            lines.push(Line::from(""));
            lines.push(Line::from(format!("Review: {}", state.label())));
            lines.extend(task);
        }
        lines.extend(step::item_notes(open, &item.id, t));
    }
    (lines, rows)
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
