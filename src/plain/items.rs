//! One item in plain mode: say what it is, what it holds now, and take an
//! answer of its kind. Changes go through the plan model's checks and are
//! saved at once.

use std::collections::BTreeSet;
use std::io::{BufRead, Write};

use super::{Input, Session, hint, parse, read, status_word};
use crate::catalog::{Item, ItemKind};
use crate::plan::{Role, Status};
use crate::sanitize::line;
use crate::wizard::LinkRef;

pub enum Next {
    Forward,
    Back,
    /// `g N`: to the first item of this step (an index).
    Step(usize),
    Quit,
}

/// The pages of an item, in the order `o N` numbers them. For the proxy
/// review, each of the estate's guides first (link N is guide N), then
/// their footnotes' pages and the warnings' pages.
pub(crate) fn links(s: &Session<'_>, item: &Item) -> Vec<LinkRef> {
    let (guide, plan) = (s.guide, &s.plan);
    let mut out: Vec<LinkRef> = Vec::new();
    let mut push = |l: LinkRef| {
        if !out.iter().any(|x| x.url == l.url && x.title == l.title) {
            out.push(l);
        }
    };
    if item.kind == ItemKind::ProxyReview {
        let all = plan.applicable_proxy(guide);
        for a in &all {
            if let Some(l) = guide.link(&a.link) {
                push(LinkRef {
                    title: l.title.clone(),
                    url: l.url.clone(),
                });
            }
        }
        for a in &all {
            for l in crate::wizard::estate_links(guide, plan, a) {
                push(l);
            }
        }
    }
    for l in plan.item_links(guide, item) {
        push(LinkRef {
            title: l.title.clone(),
            url: l.url.clone(),
        });
    }
    out
}

fn describe(s: &mut Session<'_>, item: &Item, out: &mut dyn Write) -> anyhow::Result<()> {
    let (guide, catalog) = (s.guide, s.catalog);
    writeln!(out, "{}", item.help)?;
    for c in s
        .plan
        .conflicts(guide)
        .into_iter()
        .filter(|c| c.item == item.id)
    {
        writeln!(out, "Conflict: {}", c.text)?;
    }
    let raised: Vec<&str> = item
        .options
        .iter()
        .flat_map(|o| o.flags.iter().map(String::as_str))
        .collect();
    for w in s.plan.warnings(guide) {
        if raised.contains(&w.when.as_str()) {
            writeln!(out, "Important: {}", w.text)?;
        }
    }
    item_facts(s, item, out)?;
    later_phase_facts(s, item, out)?;
    match item.kind {
        ItemKind::Systems => super::estate_facts(s, out)?,
        ItemKind::ProxyReview => proxy_facts(s, out)?,
        _ => {}
    }
    for n in catalog.common.notes_about(guide, &item.id) {
        super::dated_note(n, out)?;
    }
    let links = links(s, item);
    s.list_links(links, out)?;
    let a = s.plan.answer(&item.id);
    let current = match item.kind {
        ItemKind::Task => None,
        _ => s.plan.answer_text(guide, item),
    };
    let word = status_word(&s.plan, guide, item);
    match current {
        Some(c) => writeln!(out, "Current answer: {c} ({word})")?,
        None => writeln!(out, "Current answer: {word}")?,
    }
    if let Some(a) = a {
        if !a.reason.is_empty() {
            writeln!(out, "Reason: {}", line(&a.reason))?;
        }
        if !a.owner.is_empty() {
            writeln!(out, "Owner: {}", line(&a.owner))?;
        }
        if let Some(d) = a.due.as_deref() {
            let late = if s.plan.is_overdue(guide, item, &crate::app::now()) {
                " (overdue)"
            } else {
                ""
            };
            writeln!(out, "Due: {}{late}", line(d))?;
        }
    }
    if let Some(note) = a.map(|a| a.note.as_str()).filter(|n| !n.is_empty()) {
        writeln!(out, "Your note: {}", line(note))?;
    }
    Ok(())
}

/// Ask why (not applicable, blocked, waiting) and set the state; true when
/// the plan changed. Not applicable and blocked need a reason.
fn ask_reason(
    s: &mut Session<'_>,
    item: &'static Item,
    state: Status,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    now: &str,
) -> anyhow::Result<bool> {
    let current = s
        .plan
        .answer(&item.id)
        .map(|a| a.reason.clone())
        .unwrap_or_default();
    let prompt = match state {
        Status::Waiting => "Waiting on what? (Enter alone: no reason",
        Status::Blocked => "Blocked: why? (needed",
        _ => "Not applicable: why? (needed",
    };
    if current.is_empty() {
        write!(out, "{prompt}): ")?;
    } else {
        write!(out, "{prompt}; Enter alone keeps {:?}): ", line(&current))?;
    }
    out.flush()?;
    let Some(typed) = read(input)? else {
        return Ok(false);
    };
    let reason = if typed.trim().is_empty() {
        current
    } else {
        typed.trim().to_string()
    };
    if state == Status::NotApplicable {
        s.plan.set_choice(&item.id, None, now);
    }
    match s.plan.set_state(s.guide, &item.id, state, &reason, now) {
        Ok(()) => Ok(true),
        Err(e) => {
            writeln!(out, "Not changed: {e}.")?;
            Ok(false)
        }
    }
}

/// Ask with `prompt`; the trimmed answer, or None when the input ended or
/// Enter alone kept the value (said).
fn changed(
    prompt: &str,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> anyhow::Result<Option<String>> {
    write!(out, "{prompt}")?;
    out.flush()?;
    let Some(typed) = read(input)? else {
        return Ok(None);
    };
    let typed = typed.trim();
    if typed.is_empty() {
        writeln!(out, "Kept as it was.")?;
        return Ok(None);
    }
    Ok(Some(typed.to_string()))
}
/// `w`, `d`, `t`: owner, due date, state; true when the plan changed.
fn task_field(
    s: &mut Session<'_>,
    item: &'static Item,
    which: &Input,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    now: &str,
) -> anyhow::Result<bool> {
    let a = s.plan.answer(&item.id).cloned().unwrap_or_default();
    match which {
        Input::Owner | Input::Due => {
            let (what, current) = match which {
                Input::Owner => ("Owner", a.owner.clone()),
                _ => ("Due date (YYYY-MM-DD)", a.due.clone().unwrap_or_default()),
            };
            if current.is_empty() {
                writeln!(out, "{what}: none yet.")?;
            } else {
                writeln!(out, "{what} now: {}", line(&current))?;
            }
            let prompt = format!(
                "New {} (Enter alone keeps it; a single - removes it): ",
                what.to_lowercase()
            );
            let Some(typed) = changed(&prompt, input, out)? else {
                return Ok(false);
            };
            let typed = typed.as_str();
            let new = if typed == "-" { "" } else { typed };
            let result = match which {
                Input::Owner => s.plan.set_owner(&item.id, new, now),
                _ => s.plan.set_due(&item.id, new, now),
            };
            match result {
                Ok(()) => Ok(true),
                Err(e) => {
                    writeln!(out, "Not saved: {e}.")?;
                    Ok(false)
                }
            }
        }
        _ => {
            let choices = crate::wizard::state_choices(item.kind);
            let listed: Vec<String> = choices
                .iter()
                .enumerate()
                .map(|(i, (_, label))| format!("{} {label}", i + 1))
                .collect();
            writeln!(
                out,
                "State now: {}. States: {}.",
                s.plan.item_state(s.guide, item).label(),
                listed.join(", ")
            )?;
            let Some(typed) = changed("State (a number; Enter alone keeps it): ", input, out)?
            else {
                return Ok(false);
            };
            let typed = typed.as_str();
            let wanted = typed
                .parse::<usize>()
                .ok()
                .and_then(|n| choices.get(n.wrapping_sub(1)))
                .map(|(st, _)| *st)
                .or_else(|| Status::parse(typed));
            let Some(state) = wanted else {
                writeln!(
                    out,
                    "Not changed: type a number from 1 to {}.",
                    choices.len()
                )?;
                return Ok(false);
            };
            if state.takes_reason() {
                return ask_reason(s, item, state, input, out, now);
            }
            match s.plan.set_state(s.guide, &item.id, state, "", now) {
                Ok(()) => Ok(true),
                Err(e) => {
                    writeln!(out, "Not changed: {e}.")?;
                    Ok(false)
                }
            }
        }
    }
}

/// What the wizard's details add for an item, from the guide's data: the
/// estate's systems of an update task's family, the portal, and whether a
/// step this answer decides is required.
fn item_facts(s: &Session<'_>, item: &Item, out: &mut dyn Write) -> anyhow::Result<()> {
    let (guide, plan) = (s.guide, &s.plan);
    if let Some(family) = item.family {
        let present: Vec<String> = plan
            .family_systems(guide, family)
            .into_iter()
            .map(|(sys, count)| match count {
                Some(c) => format!("{} ({})", sys.name, crate::words::count(c, "device")),
                None => sys.name.clone(),
            })
            .collect();
        if !present.is_empty() {
            writeln!(out, "In the estate: {}.", present.join(", "))?;
        } else if !plan.estate.systems.is_empty() {
            writeln!(
                out,
                "No {family} systems in the estate: 3 marks this not applicable."
            )?;
        }
    }
    if item.links.contains(&guide.portal.link) {
        writeln!(
            out,
            "Portal: {}. Formerly {}.",
            guide.portal.name, guide.portal.former
        )?;
    }
    let flags = plan.flags(guide);
    for step in &guide.steps {
        let Some(f) = step.required_when.as_deref() else {
            continue;
        };
        let Some(sets) = item.options.iter().find(|o| o.flags.iter().any(|x| x == f)) else {
            continue;
        };
        if plan.is_step_required(step, &flags) {
            writeln!(out, "Step \"{}\" is required for this plan.", step.short)?;
        } else {
            writeln!(
                out,
                "Step \"{}\" stays optional unless you answer {}.",
                step.short, sets.label
            )?;
        }
    }
    Ok(())
}

/// On an item of Phase 2 or 3: what it depends on, its tables (rows that
/// concern this estate marked), and its commands, shown and never run.
fn later_phase_facts(s: &Session<'_>, item: &Item, out: &mut dyn Write) -> anyhow::Result<()> {
    let (guide, plan) = (s.guide, &s.plan);
    if let Some(d) = &item.depends {
        writeln!(out, "Depends on: {d}.")?;
    }
    let flags = plan.flags(guide);
    for t in &item.tables {
        let marked = t.rows.iter().any(|r| !r.when.is_empty());
        writeln!(out, "Table: {} ({}).", t.title, t.header.join(" | "))?;
        for (n, r) in t.rows.iter().enumerate() {
            let here = if marked && r.when.iter().any(|f| flags.contains(f)) {
                " [this estate]"
            } else {
                ""
            };
            writeln!(out, "  Row {}{here}: {}", n + 1, r.cells.join(" | "))?;
        }
    }
    if !item.commands.is_empty() {
        writeln!(out, "Commands the page gives (shown here, never run):")?;
        for c in &item.commands {
            writeln!(out, "  {}:", c.label)?;
            for l in c.text.lines() {
                writeln!(out, "    {l}")?;
            }
        }
    }
    Ok(())
}

/// On the proxy review: what the table has no row for, conflicts and
/// warnings, and how each family of the estate uses a proxy.
fn proxy_facts(s: &Session<'_>, out: &mut dyn Write) -> anyhow::Result<()> {
    let (guide, plan) = (s.guide, &s.plan);
    for g in plan.gaps(guide) {
        writeln!(out, "Proxy table: {}.", g.text())?;
    }
    for c in plan.conflicts(guide) {
        writeln!(out, "Conflict: {}", c.text)?;
    }
    for w in plan.warnings(guide) {
        writeln!(out, "Important: {}", w.text)?;
    }
    for u in plan.unmatched(s.catalog, guide) {
        writeln!(out, "Not in this guide's tables: {}", u.text(guide))?;
    }
    for family in plan.estate_families(guide) {
        if let Some(h) = s.catalog.common.proxy_help(family) {
            writeln!(
                out,
                "How {family} uses a proxy (not in the guide; as of {}): {} Source: {}",
                h.as_of, h.text, h.source
            )?;
        }
    }
    Ok(())
}

fn show_choices(s: &Session<'_>, item: &Item, out: &mut dyn Write) -> anyhow::Result<()> {
    match item.kind {
        ItemKind::Task => writeln!(out, "  1. done\n  2. to do\n  3. not applicable")?,
        ItemKind::Choice => {
            let chosen = s.plan.answer(&item.id).and_then(|a| a.choice.as_deref());
            for (i, o) in item.options.iter().enumerate() {
                let mark = if chosen == Some(o.id.as_str()) {
                    " (chosen)"
                } else {
                    ""
                };
                writeln!(out, "  {}. {}{mark}", i + 1, o.label)?;
            }
            writeln!(out, "  {}. not applicable", item.options.len() + 1)?;
        }
        ItemKind::Systems => {
            for (i, sys) in s.guide.systems.iter().enumerate() {
                let entry = s.plan.estate.systems.get(&sys.id);
                let mark = if entry.is_some() {
                    "in estate"
                } else {
                    "not in estate"
                };
                let count = entry
                    .copied()
                    .flatten()
                    .map(|c| format!(", {}", crate::words::count(c, "device")))
                    .unwrap_or_default();
                writeln!(out, "  {}. {} ({mark}{count})", i + 1, sys.name)?;
            }
        }
        ItemKind::Roles => {
            if s.plan.roles.is_empty() {
                writeln!(out, "  No roles planned yet.")?;
            }
            for (i, r) in s.plan.roles.iter().enumerate() {
                let group = if r.group.is_empty() {
                    "no group yet".into()
                } else {
                    line(&r.group).into_owned()
                };
                writeln!(
                    out,
                    "  {}. {} (group: {group}; {} permissions)",
                    i + 1,
                    line(&r.name),
                    r.permissions.len()
                )?;
            }
        }
        ItemKind::ProxyReview => {
            let all = s.plan.applicable_proxy(s.guide);
            if all.is_empty() {
                writeln!(
                    out,
                    "  No guide applies yet: choose the estate's operating systems first."
                )?;
            }
            for (i, a) in all.iter().enumerate() {
                let title = s
                    .guide
                    .link(&a.link)
                    .map_or(a.link.as_str(), |l| l.title.as_str());
                let mark = if s.plan.reviewed.contains(&a.link) {
                    "reviewed"
                } else {
                    "not reviewed"
                };
                let names: Vec<&str> = a
                    .systems
                    .iter()
                    .filter_map(|x| s.guide.system(x))
                    .map(|x| x.name.as_str())
                    .collect();
                writeln!(
                    out,
                    "  {}. {title} ({mark}; {} for {}; its address is link {})",
                    i + 1,
                    a.values.join(" and "),
                    names.join(", "),
                    i + 1
                )?;
                for f in a.footnotes.iter().filter_map(|f| s.guide.footnote(f)) {
                    writeln!(out, "     Footnote {}: {}", f.marker, f.text)?;
                }
            }
        }
        ItemKind::Text => {}
    }
    Ok(())
}

pub fn ask_item(
    s: &mut Session<'_>,
    item: &'static Item,
    first: bool,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> anyhow::Result<Next> {
    describe(s, item, out)?;
    // The answers are listed again after an answer, or after a command
    // that said much else; not after a short one.
    let mut show = true;
    loop {
        if show {
            show_choices(s, item, out)?;
        }
        show = false;
        write!(
            out,
            "Answer ({}; Enter keeps; h lists the commands): ",
            hint(item.kind)
        )?;
        out.flush()?;
        let Some(raw) = read(input)? else {
            return Ok(Next::Quit);
        };
        let now = crate::app::now();
        match parse(&raw) {
            Input::Keep => return Ok(Next::Forward),
            Input::Back if first => {
                writeln!(out, "This is the first item: there is nothing before it.")?;
            }
            Input::Back => return Ok(Next::Back),
            Input::Quit => return Ok(Next::Quit),
            Input::Summary => {
                super::summary(s, out)?;
                // Its pages are numbered as at the end of the walk.
                let next = super::summary_links(s);
                s.list_links(next, out)?;
                writeln!(
                    out,
                    "Back at item: {}. r says it again with its own links.",
                    item.label
                )?;
            }
            Input::Help => writeln!(out, "{}", super::COMMANDS)?,
            Input::Repeat => {
                describe(s, item, out)?;
                show = true;
            }
            Input::Overview => {
                super::overview(s, out)?;
                writeln!(out, "Back at item: {}. r says it again.", item.label)?;
            }
            Input::Link(n) => s.open_link(n, out)?,
            Input::Links => s.all_links(out)?,
            Input::Goto(n) => match super::step_to_go(s, n) {
                Ok(i) => return Ok(Next::Step(i)),
                Err(why) => writeln!(out, "{why}")?,
            },
            Input::Export => super::export(s, input, out)?,
            Input::Lookup => {
                super::lookup(s, input, out)?;
                writeln!(
                    out,
                    "Back at item: {}. o N gives the pages just looked up; r says the item again, with its own links.",
                    item.label
                )?;
            }
            Input::Import => {
                super::import(s, input, out)?;
                writeln!(out, "Back at item: {}. r says it again.", item.label)?;
            }
            which @ (Input::Owner | Input::Due | Input::State) => {
                if s.read_only.is_some() {
                    writeln!(out, "Not changed: this plan is read-only here.")?;
                    continue;
                }
                if task_field(s, item, &which, input, out, &now)? && s.save(input, out)? {
                    writeln!(
                        out,
                        "Saved. Now: {}.",
                        s.plan.item_state(s.guide, item).label()
                    )?;
                }
            }
            Input::Note => {
                if s.read_only.is_some() {
                    writeln!(out, "Not changed: this plan is read-only here.")?;
                    continue;
                }
                let current = s
                    .plan
                    .answer(&item.id)
                    .map(|a| a.note.clone())
                    .unwrap_or_default();
                if current.is_empty() {
                    writeln!(out, "No note yet.")?;
                } else {
                    writeln!(out, "Your note now: {}", line(&current))?;
                }
                write!(
                    out,
                    "New note (Enter alone keeps it; a single - removes it): "
                )?;
                out.flush()?;
                let Some(note) = read(input)? else {
                    return Ok(Next::Quit);
                };
                let note = note.trim();
                if note.is_empty() {
                    writeln!(out, "Note kept as it was.")?;
                    continue;
                }
                let new = if note == "-" { "" } else { note };
                match s.plan.set_note(&item.id, new, &now) {
                    Ok(()) => {
                        if s.save(input, out)? {
                            writeln!(
                                out,
                                "{}",
                                if new.is_empty() {
                                    "Note removed."
                                } else {
                                    "Note saved."
                                }
                            )?;
                        }
                    }
                    Err(e) => writeln!(out, "Not saved: {e}")?,
                }
            }
            Input::Text(t) => {
                show = true;
                if answer(s, item, &t, input, out, &now)? {
                    s.save(input, out)?;
                    if matches!(
                        item.kind,
                        ItemKind::Task | ItemKind::Choice | ItemKind::Text
                    ) {
                        return Ok(Next::Forward);
                    }
                }
            }
        }
    }
}

/// Apply a typed answer; true when the plan changed.
fn answer(
    s: &mut Session<'_>,
    item: &'static Item,
    t: &str,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    now: &str,
) -> anyhow::Result<bool> {
    if s.read_only.is_some() {
        writeln!(out, "Not changed: this plan is read-only here.")?;
        return Ok(false);
    }
    let guide = s.guide;
    let number = t.parse::<usize>().ok();
    match item.kind {
        ItemKind::Task => {
            let status = match number {
                Some(1) => Some(Status::Done),
                Some(2) => Some(Status::Todo),
                Some(3) => Some(Status::NotApplicable),
                _ => Status::parse(t),
            };
            match status {
                Some(st) if st.takes_reason() => {
                    return ask_reason(s, item, st, input, out, now);
                }
                Some(st) => s.plan.set_status(&item.id, Some(st), now),
                None => {
                    writeln!(out, "Type 1, 2 or 3.")?;
                    return Ok(false);
                }
            }
        }
        ItemKind::Choice => match number {
            Some(n) if (1..=item.options.len()).contains(&n) => {
                let id = item.options[n - 1].id.clone();
                s.plan.set_choice(&item.id, Some(&id), now);
            }
            Some(n) if n == item.options.len() + 1 => {
                return ask_reason(s, item, Status::NotApplicable, input, out, now);
            }
            _ => {
                writeln!(out, "Type a number from 1 to {}.", item.options.len() + 1)?;
                return Ok(false);
            }
        },
        ItemKind::Text => {
            if let Err(e) = s.plan.set_text(&item.id, t, now) {
                writeln!(out, "Not kept: {e}")?;
                return Ok(false);
            }
        }
        ItemKind::Systems => {
            let mut changed = false;
            for token in t.split([' ', ',']).filter(|x| !x.is_empty()) {
                let (n, count) = match token.split_once('=') {
                    Some((n, c)) => (n.parse::<usize>().ok(), Some(c.parse::<u64>().ok())),
                    None => (token.parse::<usize>().ok(), None),
                };
                let Some(sys) = n.and_then(|n| guide.systems.get(n.wrapping_sub(1))) else {
                    writeln!(
                        out,
                        "Skipped {token:?}: type numbers from 1 to {}.",
                        guide.systems.len()
                    )?;
                    continue;
                };
                let result = match count {
                    Some(Some(c)) => s.plan.set_system_count(guide, &sys.id, Some(c), now),
                    Some(None) => {
                        writeln!(out, "Skipped {token:?}: the count is not a whole number.")?;
                        continue;
                    }
                    None => s.plan.toggle_system(guide, &sys.id, now).map(|_| ()),
                };
                changed |= result.is_ok();
            }
            return Ok(changed);
        }
        ItemKind::Roles => return roles(s, t, input, out, now),
        ItemKind::ProxyReview => {
            let all = s.plan.applicable_proxy(guide);
            let mut changed = false;
            for token in t.split([' ', ',']).filter(|x| !x.is_empty()) {
                match token
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| all.get(n.wrapping_sub(1)))
                {
                    Some(a) => {
                        s.plan.toggle_reviewed(&a.link, now);
                        changed = true;
                    }
                    None => writeln!(
                        out,
                        "Skipped {token:?}: type numbers from 1 to {}.",
                        all.len()
                    )?,
                }
            }
            return Ok(changed);
        }
    }
    Ok(true)
}

fn roles(
    s: &mut Session<'_>,
    t: &str,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    now: &str,
) -> anyhow::Result<bool> {
    if let Some(n) = t
        .strip_prefix("d ")
        .and_then(|n| n.trim().parse::<usize>().ok())
    {
        return Ok(match s.plan.remove_role(n.wrapping_sub(1), now) {
            Ok(r) => {
                writeln!(out, "Removed {}.", line(&r.name))?;
                true
            }
            Err(e) => {
                writeln!(out, "{e}")?;
                false
            }
        });
    }
    if t != "a" {
        writeln!(
            out,
            "Type a to add a role, d N to remove role N, or Enter to go on."
        )?;
        return Ok(false);
    }
    let common = &s.catalog.common;
    writeln!(out, "Templates:")?;
    for (i, tpl) in common.role_templates.iter().enumerate() {
        writeln!(out, "  {}. {}: {}", i + 1, tpl.name, tpl.description)?;
    }
    writeln!(out, "  {}. Empty role", common.role_templates.len() + 1)?;
    write!(out, "Template: ")?;
    out.flush()?;
    let Some(pick) = read(input)? else {
        return Ok(false);
    };
    let template = pick
        .trim()
        .parse::<usize>()
        .ok()
        .and_then(|n| common.role_templates.get(n.wrapping_sub(1)));
    let mut role = template.map_or_else(Role::default, Role::from_template);
    write!(out, "Role name [{}]: ", role.name)?;
    out.flush()?;
    if let Some(name) = read(input)?.filter(|n| !n.trim().is_empty()) {
        role.name = name;
    }
    if role.group.is_empty() {
        write!(out, "Directory group (Entra ID) it maps to: ")?;
    } else {
        write!(
            out,
            "Directory group (Entra ID) it maps to [{}]: ",
            line(&role.group)
        )?;
    }
    out.flush()?;
    if let Some(group) = read(input)?.filter(|g| !g.trim().is_empty()) {
        role.group = group;
    }
    loop {
        for (i, p) in common.permissions.iter().enumerate() {
            let mark = if role.permissions.contains(&p.id) {
                "granted"
            } else {
                "not granted"
            };
            writeln!(out, "  {}. {} ({mark})", i + 1, p.label)?;
        }
        write!(
            out,
            "Permissions (numbers to grant or withdraw; Enter when done): "
        )?;
        out.flush()?;
        let Some(line_in) = read(input)? else {
            break;
        };
        if line_in.trim().is_empty() {
            break;
        }
        let mut set: BTreeSet<String> = role.permissions.clone();
        for token in line_in.split([' ', ',']).filter(|x| !x.is_empty()) {
            match token
                .parse::<usize>()
                .ok()
                .and_then(|n| common.permissions.get(n.wrapping_sub(1)))
            {
                Some(p) => {
                    if !set.remove(&p.id) {
                        set.insert(p.id.clone());
                    }
                }
                None => writeln!(out, "Skipped {token:?}.")?,
            }
        }
        role.permissions = set;
    }
    match s.plan.add_role(role, now) {
        Ok(_) => {
            writeln!(out, "Role added.")?;
            Ok(true)
        }
        Err(e) => {
            writeln!(out, "Not added: {e}")?;
            Ok(false)
        }
    }
}
