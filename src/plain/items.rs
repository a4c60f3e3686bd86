//! One item in plain mode: say what it is, what it holds now, and take an
//! answer of its kind. Changes go through the plan model's checks and are
//! saved at once.

use std::collections::BTreeSet;
use std::io::{BufRead, Write};

use super::{Input, Session, hint, parse, read, status_word};
use crate::catalog::{Item, ItemKind};
use crate::plan::{Role, Status};
use crate::sanitize::line;

pub enum Next {
    Forward,
    Back,
    Quit,
}

fn links(s: &Session<'_>, item: &Item) -> Vec<(String, String)> {
    s.plan
        .item_links(s.guide, item)
        .into_iter()
        .map(|l| (l.title.clone(), l.url.clone()))
        .collect()
}

fn describe(s: &Session<'_>, item: &Item, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(out, "{}", item.help)?;
    for (i, (title, _)) in links(s, item).iter().enumerate() {
        writeln!(
            out,
            "  Link {}: {title} (type o {} for the address)",
            i + 1,
            i + 1
        )?;
    }
    let a = s.plan.answer(&item.id);
    let current = match item.kind {
        ItemKind::Task => None,
        _ => s.plan.answer_text(s.guide, item),
    };
    let word = status_word(&s.plan, s.guide, item);
    match current {
        Some(c) => writeln!(out, "Current answer: {c} ({word})")?,
        None => writeln!(out, "Current answer: {word}")?,
    }
    if let Some(note) = a.map(|a| a.note.as_str()).filter(|n| !n.is_empty()) {
        writeln!(out, "Note: {}", line(note))?;
    }
    Ok(())
}

fn show_choices(s: &Session<'_>, item: &Item, out: &mut dyn Write) -> anyhow::Result<()> {
    match item.kind {
        ItemKind::Task => writeln!(out, "  1. done\n  2. to do\n  3. not applicable")?,
        ItemKind::Choice => {
            for (i, o) in item.options.iter().enumerate() {
                writeln!(out, "  {}. {}", i + 1, o.label)?;
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
                    .map(|c| format!(", {c} devices"))
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
                    "  {}. {title} ({mark}; {} for {})",
                    i + 1,
                    a.values.join("/"),
                    names.join(", ")
                )?;
            }
        }
        ItemKind::Text => {}
    }
    Ok(())
}

pub fn ask_item(
    s: &mut Session<'_>,
    item: &'static Item,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> anyhow::Result<Next> {
    describe(s, item, out)?;
    loop {
        show_choices(s, item, out)?;
        write!(out, "Answer ({}; Enter keeps): ", hint(item.kind))?;
        out.flush()?;
        let Some(raw) = read(input)? else {
            return Ok(Next::Quit);
        };
        let now = crate::app::now();
        match parse(&raw) {
            Input::Keep => return Ok(Next::Forward),
            Input::Back => return Ok(Next::Back),
            Input::Quit => return Ok(Next::Quit),
            Input::Summary => {
                super::summary(s, out)?;
            }
            Input::Link(n) => match links(s, item).get(n.wrapping_sub(1)) {
                Some((title, url)) => {
                    writeln!(out, "{title}: {url}")?;
                    let env = crate::links::Env::current();
                    if env.no_browser().is_none() && crate::links::refuse(s.catalog, url).is_none()
                    {
                        let _ = open::that_detached(url);
                    }
                }
                None => writeln!(out, "No link {n} here.")?,
            },
            Input::Note => {
                write!(out, "Note (Enter alone removes it): ")?;
                out.flush()?;
                let Some(note) = read(input)? else {
                    return Ok(Next::Quit);
                };
                match s.plan.set_note(&item.id, &note, &now) {
                    Ok(()) => {
                        s.save(out)?;
                        writeln!(out, "Note saved.")?;
                    }
                    Err(e) => writeln!(out, "Not saved: {e}")?,
                }
            }
            Input::Text(t) => {
                if answer(s, item, &t, input, out, &now)? {
                    s.save(out)?;
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
                s.plan.set_choice(&item.id, None, now);
                s.plan
                    .set_status(&item.id, Some(Status::NotApplicable), now);
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
