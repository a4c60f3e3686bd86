//! One function per subcommand. Writers take the plan's lock first, so a
//! wizard with the plan open is never overwritten behind its back.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use serde::Serialize;

use super::{LookupArgs, NewArgs, ReportFormat, check_guide};
use crate::catalog::{Axis, Catalog, Guide};
use crate::plan::Plan;
use crate::report::{self, Format};
use crate::sanitize::line;
use crate::store::{Access, HolderKind, PlanLock, ReadOnlyReason, Store, StoreError};
use crate::wizard::PlanEntry;

pub struct Ctx {
    pub catalog: &'static Catalog,
    pub state_dir: Option<PathBuf>,
    /// How long a writer waits for another command-line writer (`--wait`).
    pub wait: std::time::Duration,
}

impl Ctx {
    /// The built-in guide a plan follows, or an error naming both.
    pub(super) fn guide_of(&self, plan: &crate::plan::Plan) -> anyhow::Result<&'static Guide> {
        self.catalog.guide(&plan.guide).with_context(|| {
            format!(
                "plan {:?} follows unknown guide {:?}",
                line(&plan.name),
                line(&plan.guide)
            )
        })
    }
}

impl Ctx {
    /// The store; `create` makes the folder when missing (for writers).
    pub(super) fn store(&self, create: bool) -> anyhow::Result<Store> {
        let dir = Store::resolve_dir(self.state_dir.as_deref())?;
        Ok(Store::open(dir, create)?)
    }
}

/// A plan opened for a change: locked, writable, current.
pub(super) struct Editing {
    store: Store,
    pub plan: Plan,
    pub guide: &'static Guide,
    lock: PlanLock,
}

/// The plan `wanted` names (id or name); a typo gets "did you mean".
pub(super) fn find(store: &Store, wanted: &str) -> anyhow::Result<String> {
    match store.find(wanted) {
        Err(StoreError::NotFound { wanted, known }) if !known.is_empty() => {
            let names: Vec<String> = known.iter().map(|n| format!("{:?}", line(n))).collect();
            bail!(
                "no plan named {:?}{}; the plans are: {} (see `mde-migrate plans`)",
                line(&wanted),
                super::suggest::did_you_mean(&wanted, known.iter().map(String::as_str)),
                names.join(", ")
            )
        }
        other => Ok(other?),
    }
}

/// Fail, with the closest item ids, unless `item` is an item of `guide`.
fn check_item(guide: &Guide, item: &str) -> anyhow::Result<()> {
    if guide.item(item).is_none() {
        let valid: Vec<&str> = guide.items().map(|(_, i)| i.id.as_str()).collect();
        bail!(
            "unknown item {:?} in guide {}{}; items: {}",
            line(item),
            guide.id,
            super::suggest::did_you_mean(item, valid.iter().copied()),
            valid.join(", ")
        );
    }
    Ok(())
}

/// What the plan now holds for `item`, in the words `status` uses: the
/// task state, the option id and label, the text.
fn stored(plan: &Plan, guide: &Guide, item: &str) -> String {
    let Some((_, it)) = guide.item(item) else {
        return String::new();
    };
    let a = plan.answer(item);
    if let Some(s) = a.and_then(|a| a.status)
        && (it.kind == crate::catalog::ItemKind::Task || s.takes_reason())
    {
        return s.key().to_string();
    }
    match it.kind {
        crate::catalog::ItemKind::Choice => a
            .and_then(|a| a.choice.as_deref())
            .and_then(|c| it.option(c))
            .map(|o| format!("{} ({})", o.id, o.label))
            .unwrap_or_default(),
        crate::catalog::ItemKind::Text => a
            .and_then(|a| a.text.as_deref())
            .map(|t| format!("{:?}", line(t)))
            .unwrap_or_else(|| "(empty)".into()),
        _ => plan.answer_text(guide, it).unwrap_or_default(),
    }
}

pub(super) fn edit(ctx: &Ctx, wanted: &str) -> anyhow::Result<Editing> {
    let store = ctx.store(false)?;
    let id = find(&store, wanted)?;
    let (loaded, lock) = store.load_for_edit_waiting(&id, HolderKind::Cli, ctx.wait)?;
    let lock = match (lock, &loaded.access) {
        (Some(lock), Access::ReadWrite) => lock,
        (_, Access::ReadOnly(ReadOnlyReason::LockedByOther { pid })) => {
            let (recorded, kind) = store.lock_holder(&id);
            let pid = pid
                .or(recorded)
                .map_or_else(String::new, |p| format!(" (process {p})"));
            let name = line(&loaded.plan.name);
            match kind {
                Some(HolderKind::Cli) => bail!(
                    "plan {name:?} is busy: another mde-migrate command{pid} was still changing it after {:.1} s; try again, or wait longer with --wait SECONDS",
                    ctx.wait.as_secs_f64()
                ),
                _ => bail!(
                    "plan {name:?} is open in another mde-migrate{pid}; only that one may change it: close it there first"
                ),
            }
        }
        (_, Access::ReadOnly(reason)) => bail!(
            "plan {:?} can't be changed: {reason}",
            line(&loaded.plan.name)
        ),
        (None, Access::ReadWrite) => bail!(
            "plan {:?} can't be locked for writing",
            line(&loaded.plan.name)
        ),
    };
    // Best effort, under the lock: a dead writer's temp files of this plan.
    let _ = store.sweep_plan_temp_files(&id, crate::store::STALE_TEMP_AGE);
    let guide = ctx.guide_of(&loaded.plan)?;
    Ok(Editing {
        store,
        plan: loaded.plan,
        guide,
        lock,
    })
}

impl Editing {
    /// Save through the lock: refused if the plan changed on disk since
    /// [`edit`] read it, or its folder was removed.
    pub(super) fn save(&mut self) -> anyhow::Result<()> {
        Ok(self.store.save_locked(&mut self.lock, &self.plan)?)
    }
}

/// Print JSON with every string cleaned (keys too), whatever field it sits in.
pub(super) fn json(out: &mut dyn Write, value: &impl Serialize) -> anyhow::Result<()> {
    let mut value = serde_json::to_value(value).context("writing JSON")?;
    crate::sanitize::json(&mut value);
    let text = serde_json::to_string_pretty(&value).context("writing JSON")?;
    writeln!(out, "{text}")?;
    Ok(())
}

#[derive(Serialize)]
struct PlanRow {
    id: String,
    name: String,
    organisation: String,
    guide: String,
    percent: u8,
    updated: String,
    read_only: bool,
    broken: Option<String>,
}

pub fn plans(ctx: &Ctx, as_json: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    let store = ctx.store(false)?;
    let rows: Vec<PlanRow> = store
        .list_summaries()?
        .into_iter()
        .map(|l| {
            let e = PlanEntry::from_listed(l);
            PlanRow {
                read_only: e.newer || e.broken.is_some(),
                id: line(&e.id).into_owned(),
                name: line(&e.name).into_owned(),
                organisation: line(&e.organisation).into_owned(),
                guide: line(&e.guide).into_owned(),
                percent: e.percent,
                updated: line(&e.updated).into_owned(),
                broken: e.broken.map(|b| line(&b).into_owned()),
            }
        })
        .collect();
    if as_json {
        return json(out, &rows);
    }
    if rows.is_empty() {
        writeln!(
            out,
            "No plans in {}. Create one: mde-migrate new --name NAME",
            crate::sanitize::path(store.dir())
        )?;
        return Ok(());
    }
    for r in rows {
        match r.broken {
            Some(problem) => writeln!(out, "{:<24} BROKEN  {problem}", r.id)?,
            None => writeln!(
                out,
                "{:<32} {:>3}%  {:<14} {:<24} {}{}",
                r.name,
                r.percent,
                r.guide,
                r.organisation,
                r.updated,
                if r.read_only {
                    "  (newer file: read-only)"
                } else {
                    ""
                }
            )?,
        }
    }
    Ok(())
}

pub fn new(ctx: &Ctx, args: &NewArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let guide = match &args.guide {
        Some(g) => check_guide(ctx.catalog, g)?,
        None => ctx
            .catalog
            .guide(ctx.catalog.propose_guide(&args.replacing))
            .unwrap_or_else(|| ctx.catalog.default_guide()),
    };
    let plan = Plan::create(
        &args.name,
        &args.org,
        &args.replacing,
        guide,
        &crate::app::now(),
    )?;
    let store = ctx.store(true)?;
    let id = store.create(&plan)?;
    writeln!(
        out,
        "Created plan {:?} ({}) in {}",
        line(&plan.name),
        guide.id,
        crate::sanitize::path(&store.dir().join(format!("{id}.json")))
    )?;
    Ok(())
}

pub fn status(ctx: &Ctx, wanted: &str, as_json: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    let store = ctx.store(false)?;
    let id = find(&store, wanted)?;
    let loaded = store.load(&id)?;
    let guide = ctx.guide_of(&loaded.plan)?;
    let read_only = match &loaded.access {
        Access::ReadWrite => None,
        Access::ReadOnly(r) => Some(r.to_string()),
    };
    let status = super::status::build(
        ctx.catalog,
        guide,
        &loaded.plan,
        &id,
        read_only,
        &crate::app::now(),
    );
    if as_json {
        return json(out, &status);
    }
    super::status::print(&status, out)
}

pub fn lookup(ctx: &Ctx, args: &LookupArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let value = match (&args.plan, &args.capability) {
        (Some(p), _) => Some(super::table_value(ctx.catalog, Axis::Plan, p)?),
        (_, Some(c)) => Some(super::table_value(ctx.catalog, Axis::Capability, c)?),
        (None, None) => None,
    };
    if let Some(g) = &args.guide {
        check_guide(ctx.catalog, g)?;
    }
    let rows = match crate::lookup::lookup(ctx.catalog, args.guide.as_deref(), &args.os, value) {
        Ok(rows) => rows,
        Err(crate::lookup::LookupError::UnknownOs {
            input, suggestions, ..
        }) => bail!(
            "{}",
            unknown_os(ctx, args.guide.as_deref(), value, &input, &suggestions)
        ),
        Err(e) => return Err(e.into()),
    };
    if args.json {
        return json(out, &rows);
    }
    for r in &rows {
        let axis = r.plan.as_deref().or(r.capability.as_deref()).unwrap_or("");
        writeln!(out, "{} · {axis} · {}", r.guide, r.os)?;
        for res in &r.resources {
            writeln!(out, "  {}", res.title)?;
            writeln!(out, "  {}", res.url)?;
        }
        for f in &r.footnotes {
            writeln!(out, "  {f}")?;
        }
    }
    Ok(())
}

/// Why `lookup` found nothing for `input` in the guides it searched (the
/// one `--guide` names, or those whose table has the `--plan` /
/// `--capability` value, or all): a system a guide knows but whose proxy
/// table has no row (iOS, Android); a system those tables do not cover but
/// another built-in guide's does; or an unknown name with the close
/// matches, closest first.
fn unknown_os(
    ctx: &Ctx,
    guide: Option<&str>,
    value: Option<&str>,
    input: &str,
    suggestions: &[String],
) -> String {
    let searched: Vec<&crate::catalog::Guide> = ctx
        .catalog
        .guides
        .iter()
        .filter(|g| guide.is_none_or(|id| id == g.id))
        .filter(|g| value.is_none_or(|v| g.axis_value(v).is_some()))
        .collect();
    let in_table = |g: &crate::catalog::Guide, id: &str| {
        g.proxy_table
            .rows
            .iter()
            .any(|r| r.systems.iter().any(|c| c.system == id))
    };
    let wanted = input.trim().to_lowercase();
    let known = searched
        .iter()
        .flat_map(|g| g.systems.iter().map(move |s| (*g, s)))
        .find(|(g, s)| {
            !in_table(g, &s.id)
                && (s.name.to_lowercase() == wanted
                    || s.id.to_lowercase() == wanted
                    || s.aliases.iter().any(|a| a.to_lowercase() == wanted))
        });
    if let Some((g, s)) = known {
        return format!(
            "{} is known to guide {}, but its proxy table has no row for it: the guide gives no proxy settings for it (see `mde-migrate links --guide {}`)",
            s.name, g.id, g.id
        );
    }
    if searched.len() < ctx.catalog.guides.len()
        && !searched.is_empty()
        && crate::lookup::parse_os(input).family.is_some()
    {
        return not_in_table(ctx, &searched, input);
    }
    if let Some(s) = suggestions
        .iter()
        .find(|s| s.trim().to_lowercase() == wanted)
    {
        return format!(
            "{} is known, but no proxy table row covers it: the guides give no proxy settings for it (see `mde-migrate links`)",
            line(s)
        );
    }
    let ranked = super::suggest::ranked(input, suggestions);
    if ranked.is_empty() {
        return format!("unknown operating system {:?}", line(input));
    }
    format!(
        "unknown operating system {:?}; close matches, closest first: {}",
        line(input),
        ranked.join(" | ")
    )
}

/// An operating system the searched guides' tables have no row for: what
/// each table covers, and which other built-in guide's table does cover it.
fn not_in_table(ctx: &Ctx, searched: &[&crate::catalog::Guide], input: &str) -> String {
    let mut text = format!("{:?} has no row", line(input));
    let mut last: Vec<&str> = Vec::new();
    let mut covered_by: Vec<crate::plan::Cover> = Vec::new();
    let mut predates = true;
    for (i, g) in searched.iter().enumerate() {
        let mut covers: Vec<&str> = Vec::new();
        for row in &g.proxy_table.rows {
            for c in &row.systems {
                if let Some(s) = g.system(&c.system)
                    && !covers.contains(&s.name.as_str())
                {
                    covers.push(&s.name);
                }
            }
        }
        let which = if i > 0 && covers == last {
            "the same systems".to_string()
        } else {
            covers.join(", ")
        };
        text.push_str(&format!(
            "{} the {} table (published {}), which covers: {which}",
            if i == 0 { " in" } else { "; nor in" },
            g.short_name,
            g.published
        ));
        let u = crate::plan::locate_unmatched(ctx.catalog, g, &line(input), 0);
        predates &= u.predates;
        for c in u.covered_by {
            if !searched.iter().any(|s| s.id == c.guide)
                && !covered_by.iter().any(|x| x.guide == c.guide)
            {
                covered_by.push(c);
            }
        }
        last = covers;
    }
    text.push('.');
    if predates {
        text.push_str(if searched.len() == 1 {
            " The table predates it."
        } else {
            " The tables predate it."
        });
    }
    if covered_by.is_empty() {
        text.push_str(" No other built-in guide's table has a row for it.");
    }
    for c in &covered_by {
        text.push_str(&format!(
            " The {}, published {}, lists it as {}: mde-migrate lookup --guide {} --os {:?}.",
            c.name,
            c.published,
            c.systems.join(", "),
            c.guide,
            line(input)
        ));
    }
    text
}

#[derive(Serialize)]
struct LinkRow<'a> {
    guide: &'a str,
    id: &'a str,
    title: &'a str,
    url: &'a str,
}

pub fn links(
    ctx: &Ctx,
    guide: Option<&str>,
    as_json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if let Some(g) = guide {
        check_guide(ctx.catalog, g)?;
    }
    let rows: Vec<LinkRow> = ctx
        .catalog
        .guides
        .iter()
        .filter(|g| guide.is_none_or(|id| id == g.id))
        .flat_map(|g| {
            g.links.iter().map(move |l| LinkRow {
                guide: &g.id,
                id: &l.id,
                title: &l.title,
                url: &l.url,
            })
        })
        .collect();
    if as_json {
        return json(out, &rows);
    }
    for r in rows {
        writeln!(
            out,
            "{:<14} {:<22} {}\n{:<14} {:<22} {}",
            r.guide, r.id, r.title, "", "", r.url
        )?;
    }
    Ok(())
}

/// The plan to change, once the item is known to be one of its guide's.
fn edit_item(ctx: &Ctx, wanted: &str, item: &str) -> anyhow::Result<Editing> {
    let e = edit(ctx, wanted)?;
    check_item(e.guide, item)?;
    Ok(e)
}

/// What `set` was asked to change.
pub struct SetArgs<'a> {
    pub value: Option<&'a str>,
    pub owner: Option<&'a str>,
    pub due: Option<&'a str>,
    pub state: Option<&'a str>,
    pub reason: Option<&'a str>,
}

const STATE_WORDS: &str = "todo, done, n/a, blocked, waiting";

pub fn set(
    ctx: &Ctx,
    wanted: &str,
    item: &str,
    args: &SetArgs<'_>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if args.value.is_none()
        && args.owner.is_none()
        && args.due.is_none()
        && args.state.is_none()
        && args.reason.is_none()
    {
        bail!(
            "nothing to set on {:?}: give a value, or --owner, --due, --state or --reason",
            line(item)
        );
    }
    let mut e = edit_item(ctx, wanted, item)?;
    let guide = e.guide;
    let Some((_, it)) = guide.item(item) else {
        bail!("unknown item {:?}", line(item));
    };
    let now = crate::app::now();
    let flag_state = match args.state {
        None => None,
        Some(s) => Some(crate::plan::Status::parse(s).with_context(|| {
            format!(
                "--state {:?} is not a state; use one of: {STATE_WORDS}",
                line(s)
            )
        })?),
    };
    // A value that is a state: any state for a task; not applicable,
    // blocked or waiting for other items, unless an option has that id.
    let value_state = args.value.and_then(|v| {
        let s = crate::plan::Status::parse(v)?;
        let is_option = it
            .options
            .iter()
            .any(|o| o.id.eq_ignore_ascii_case(v.trim()));
        (it.kind == crate::catalog::ItemKind::Task || (s.takes_reason() && !is_option)).then_some(s)
    });
    let state = match (value_state, flag_state) {
        (Some(a), Some(b)) if a != b => bail!(
            "the value says {} but --state says {}; give one",
            a.key(),
            b.key()
        ),
        (a, b) => a.or(b),
    };
    // Every change is made in memory first: one refused, none saved.
    if let (Some(v), None) = (args.value, value_state) {
        e.plan.set_value(guide, item, v, &now)?;
    }
    match (state, args.reason) {
        (Some(s), reason) => {
            if s.needs_reason() && reason.is_none_or(|r| r.trim().is_empty()) {
                bail!(
                    "marking {:?} {} needs a reason: add --reason \"why\"",
                    line(item),
                    s.word()
                );
            }
            if !s.takes_reason() && reason.is_some_and(|r| !r.trim().is_empty()) {
                bail!(
                    "--reason goes with --state n/a, blocked or waiting, not {}",
                    s.key()
                );
            }
            e.plan
                .set_state(guide, item, s, reason.unwrap_or(""), &now)?;
        }
        (None, Some(reason)) => {
            let current = e.plan.answer(item).and_then(|a| a.status);
            match current {
                Some(s) if s.takes_reason() => {
                    e.plan.set_state(guide, item, s, reason, &now)?;
                }
                _ => bail!(
                    "{:?} is not n/a, blocked or waiting; give the state too: --state blocked --reason \"why\"",
                    line(item)
                ),
            }
        }
        (None, None) => {}
    }
    if let Some(owner) = args.owner {
        e.plan.set_owner(item, owner, &now)?;
    }
    if let Some(due) = args.due {
        e.plan.set_due(item, due, &now)?;
    }
    e.save()?;
    let now_holds = stored(&e.plan, guide, item);
    if now_holds.is_empty() {
        writeln!(out, "{item}: not answered")?;
    } else {
        writeln!(out, "{item} = {now_holds}")?;
    }
    if let Some(a) = e.plan.answer(item) {
        if !a.reason.is_empty() {
            writeln!(out, "  reason: {}", line(&a.reason))?;
        }
        if !a.owner.is_empty() {
            writeln!(out, "  owner: {}", line(&a.owner))?;
        }
        if let Some(d) = &a.due {
            writeln!(out, "  due: {}", line(d))?;
        }
    }
    Ok(())
}

pub fn note(
    ctx: &Ctx,
    wanted: &str,
    item: &str,
    text: &str,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut e = edit_item(ctx, wanted, item)?;
    let had = e.plan.answer(item).is_some_and(|a| !a.note.is_empty());
    e.plan.set_note(item, text, &crate::app::now())?;
    e.save()?;
    let now_empty = e.plan.answer(item).is_none_or(|a| a.note.is_empty());
    match (now_empty, had) {
        (true, true) => writeln!(out, "Note on {item} removed.")?,
        (true, false) => writeln!(out, "No note on {item} (an empty text removes one).")?,
        (false, _) => writeln!(out, "Note on {item} saved.")?,
    }
    Ok(())
}

/// How `import` meets a non-empty estate, and whether it undoes instead.
pub struct ImportArgs<'a> {
    pub file: Option<&'a Path>,
    pub mode: Option<crate::estate::Mode>,
    pub undo: bool,
    pub json: bool,
}

fn print_changes(changes: &[crate::estate::Change], out: &mut dyn Write) -> std::io::Result<()> {
    let n = |v: Option<u64>| v.map_or_else(|| "-".to_string(), |n| n.to_string());
    for c in changes {
        writeln!(
            out,
            "  {:>8} → {:<8}  {}",
            n(c.before),
            n(c.after),
            line(&c.name)
        )?;
    }
    Ok(())
}

/// `plans import FILE`: bring a plan file in, never over another plan.
pub fn import_plan(ctx: &Ctx, file: &Path, out: &mut dyn Write) -> anyhow::Result<()> {
    let store = ctx.store(true)?;
    let id = store.import_plan(file)?;
    writeln!(
        out,
        "Plan imported as {}",
        line(&store.dir().join(format!("{id}.json")).display().to_string())
    )?;
    Ok(())
}

pub fn import(
    ctx: &Ctx,
    wanted: &str,
    args: &ImportArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    use crate::estate::{self, Mode};
    if args.undo {
        let mut e = edit(ctx, wanted)?;
        let before = e.plan.estate.clone();
        estate::undo(&mut e.plan, &crate::app::now()).map_err(|m| anyhow::anyhow!("{m}"))?;
        e.save()?;
        let changes = estate::changes(e.guide, &before, &e.plan.estate);
        if args.json {
            return json(out, &changes);
        }
        writeln!(
            out,
            "Estate restored from before the last import (undo again to redo):"
        )?;
        print_changes(&changes, out)?;
        return Ok(());
    }
    let Some(file) = args.file else {
        bail!("import needs a CSV file (or --undo)");
    };
    // Refused before the plan is locked: a FIFO or a device never holds it.
    let f = estate::open(file)?;
    let mut e = edit(ctx, wanted)?;
    let guide = e.guide;
    let report = estate::import(guide, std::io::BufReader::new(f))
        .with_context(|| line(&file.display().to_string()).into_owned())?;
    let mode = match args.mode {
        Some(m) => m,
        None if estate::is_empty(&e.plan.estate) => Mode::Replace,
        None => {
            let after = report.estate_after(&e.plan, Mode::Replace);
            writeln!(
                out,
                "The plan already has an estate; replacing it would change (before → after):"
            )?;
            print_changes(&estate::changes(guide, &e.plan.estate, &after), out)?;
            bail!(
                "plan {:?} already has an estate: nothing changed; add --replace to replace it or --merge to add these counts to it",
                line(&e.plan.name)
            );
        }
    };
    let before = e.plan.estate.clone();
    report.apply(&mut e.plan, mode, &crate::app::now());
    e.save()?;
    if args.json {
        return json(out, &report);
    }
    estate::print_report(guide, &report, out)?;
    if !report.unrecognised.is_empty() {
        writeln!(out, "Where the guides cover them:")?;
        for (name, n) in &report.unrecognised {
            let u = crate::plan::locate_unmatched(ctx.catalog, guide, name, *n);
            writeln!(out, "  {}", line(&u.text(guide)))?;
        }
    }
    if !estate::is_empty(&before) {
        writeln!(
            out,
            "{} the estate (before → after); `import {} --undo` goes back:",
            if mode == Mode::Merge {
                "Merged into"
            } else {
                "Replaced"
            },
            line(wanted)
        )?;
        print_changes(&estate::changes(guide, &before, &e.plan.estate), out)?;
    }
    Ok(())
}

pub fn export(
    ctx: &Ctx,
    wanted: &str,
    format: ReportFormat,
    output: Option<&Path>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let store = ctx.store(false)?;
    let id = find(&store, wanted)?;
    let loaded = store.load(&id)?;
    let csv_guide = || {
        ctx.catalog.guide(&loaded.plan.guide).with_context(|| {
            format!(
                "plan {:?} follows unknown guide {:?}",
                line(&loaded.plan.name),
                line(&loaded.plan.guide)
            )
        })
    };
    let format = match format {
        ReportFormat::Md => Format::Markdown,
        ReportFormat::Html => Format::Html,
        ReportFormat::Json => Format::Json,
        ReportFormat::Csv | ReportFormat::EstateCsv => {
            let guide = csv_guide()?;
            let text = match format {
                ReportFormat::Csv => report::csv::tasks(&loaded.plan, guide),
                _ => report::csv::estate(&loaded.plan, ctx.catalog, guide),
            };
            return write_out(&text, output, out);
        }
    };
    let text = report::render(ctx.catalog, &loaded.plan, format, &crate::app::now())?;
    write_out(&text, output, out)
}

/// Write an export to `output` (atomically) or to standard output.
fn write_out(text: &str, output: Option<&Path>, out: &mut dyn Write) -> anyhow::Result<()> {
    match output {
        Some(path) => {
            // The old report, if any, is left whole when this fails.
            match crate::store::write_path_atomic(path, |f| f.write_all(text.as_bytes())) {
                Ok(()) => {}
                Err(StoreError::Write { path, reason }) => bail!(
                    "report not written to {}: {reason}{}; any report there before is unchanged",
                    crate::sanitize::path(&path),
                    reason.hint()
                ),
                Err(e) => {
                    return Err(e).with_context(|| {
                        format!("report not written to {}", crate::sanitize::path(path))
                    });
                }
            }
            writeln!(out, "Report written to {}", crate::sanitize::path(path))?;
        }
        None => out.write_all(text.as_bytes())?,
    }
    Ok(())
}

/// `import-tasks`: an edited task list back into the plan, through the
/// locked save; all or nothing.
pub fn import_tasks(
    ctx: &Ctx,
    wanted: &str,
    file: &Path,
    dry_run: bool,
    as_json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    use std::io::Read as _;
    let shown = crate::sanitize::path(file);
    // Refused before the plan is locked: a FIFO or a device never holds it.
    let f = crate::estate::open(file)?;
    let mut bytes = Vec::new();
    f.take(report::csv::MAX_TASK_CSV as u64 + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("can't read {shown}"))?;
    let mut e = edit(ctx, wanted)?;
    let guide = e.guide;
    let result = report::csv::import_tasks(&mut e.plan, guide, &bytes, &crate::app::now())
        .with_context(|| format!("{shown}: nothing changed"))?;
    if !dry_run && !result.changes.is_empty() {
        e.save()?;
    }
    if as_json {
        return json(out, &result);
    }
    for u in &result.unmatched {
        writeln!(
            out,
            "Row {}: no item {:?} in guide {}; row left out",
            u.row,
            line(&u.item),
            guide.id
        )?;
    }
    for c in &result.changes {
        let show = |s: &str| {
            if s.is_empty() {
                "(empty)".to_string()
            } else {
                format!("{:?}", crate::sanitize::truncate(&line(s), 60))
            }
        };
        writeln!(
            out,
            "Row {}: {} {}: {} → {}",
            c.row,
            c.item,
            c.field,
            show(&c.from),
            show(&c.to)
        )?;
    }
    let n = result.changes.len();
    let verb = if dry_run { "would change" } else { "changed" };
    writeln!(
        out,
        "{} read; {} {verb}{}.",
        crate::words::count(result.rows, "row"),
        crate::words::count(n, "value"),
        if result.unmatched.is_empty() {
            String::new()
        } else {
            format!(
                "; {} matched no item",
                crate::words::count(result.unmatched.len(), "row")
            )
        }
    )?;
    Ok(())
}
