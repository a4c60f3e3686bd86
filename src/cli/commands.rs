//! One function per subcommand. Writers take the plan's lock first, so a
//! wizard with the plan open is never overwritten behind its back.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use serde::Serialize;

use super::{CapabilityArg, LookupArgs, NewArgs, PlanArg, ReportFormat, check_guide};
use crate::catalog::{Catalog, Guide};
use crate::plan::Plan;
use crate::report::{self, Format};
use crate::sanitize::line;
use crate::store::{Access, PlanLock, Store};
use crate::wizard::PlanEntry;

pub struct Ctx {
    pub catalog: &'static Catalog,
    pub state_dir: Option<PathBuf>,
}

impl Ctx {
    /// The store; `create` makes the folder when missing (for writers).
    fn store(&self, create: bool) -> anyhow::Result<Store> {
        let dir = Store::resolve_dir(self.state_dir.as_deref())?;
        Ok(Store::open(dir, create)?)
    }
}

/// A plan opened for a change: locked, writable, current.
struct Editing {
    store: Store,
    plan: Plan,
    guide: &'static Guide,
    lock: PlanLock,
}

fn edit(ctx: &Ctx, wanted: &str) -> anyhow::Result<Editing> {
    let store = ctx.store(false)?;
    let id = store.find(wanted)?;
    let (loaded, lock) = store.load_for_edit(&id)?;
    let lock = match (lock, &loaded.access) {
        (Some(lock), Access::ReadWrite) => lock,
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
    let guide = ctx.catalog.guide(&loaded.plan.guide).with_context(|| {
        format!(
            "plan {:?} follows unknown guide {:?}",
            line(&loaded.plan.name),
            line(&loaded.plan.guide)
        )
    })?;
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
    fn save(&mut self) -> anyhow::Result<()> {
        Ok(self.store.save_locked(&mut self.lock, &self.plan)?)
    }
}

fn json(out: &mut dyn Write, value: &impl Serialize) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).context("writing JSON")?;
    writeln!(out)?;
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
        .list()?
        .into_iter()
        .map(|l| {
            let e = PlanEntry::from_listing(ctx.catalog, l);
            PlanRow {
                read_only: e.newer || e.broken.is_some(),
                id: e.id,
                name: line(&e.name).into_owned(),
                organisation: line(&e.organisation).into_owned(),
                guide: line(&e.guide).into_owned(),
                percent: e.percent,
                updated: line(&e.updated).into_owned(),
                broken: e.broken,
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
            store.dir().display()
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
        Some(g) => {
            check_guide(ctx.catalog, g)?;
            g.clone()
        }
        None => ctx.catalog.propose_guide(&args.replacing).to_string(),
    };
    let plan = Plan::new(
        &args.name,
        &args.org,
        &args.replacing,
        &guide,
        &crate::app::now(),
    )?;
    let store = ctx.store(true)?;
    let id = store.create(&plan)?;
    writeln!(
        out,
        "Created plan {:?} ({guide}) in {}",
        plan.name,
        store.dir().join(format!("{id}.json")).display()
    )?;
    Ok(())
}

pub fn status(ctx: &Ctx, wanted: &str, as_json: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    let store = ctx.store(false)?;
    let id = store.find(wanted)?;
    let loaded = store.load(&id)?;
    let guide = ctx.catalog.guide(&loaded.plan.guide).with_context(|| {
        format!(
            "plan {:?} follows unknown guide {:?}",
            line(&loaded.plan.name),
            line(&loaded.plan.guide)
        )
    })?;
    let read_only = match &loaded.access {
        Access::ReadWrite => None,
        Access::ReadOnly(r) => Some(r.to_string()),
    };
    let status = super::status::build(guide, &loaded.plan, &id, read_only);
    if as_json {
        return json(out, &status);
    }
    super::status::print(&status, out)
}

pub fn lookup(ctx: &Ctx, args: &LookupArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let value = match (args.plan, args.capability) {
        (Some(PlanArg::P1), _) => Some("P1"),
        (Some(PlanArg::P2), _) => Some("P2"),
        (_, Some(CapabilityArg::Edr)) => Some("EDR"),
        (_, Some(CapabilityArg::Antivirus)) => Some("Antivirus"),
        (None, None) => None,
    };
    if let Some(g) = &args.guide {
        check_guide(ctx.catalog, g)?;
    }
    let rows = crate::lookup::lookup(ctx.catalog, args.guide.as_deref(), &args.os, value)?;
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

pub fn set(
    ctx: &Ctx,
    wanted: &str,
    item: &str,
    value: &str,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut e = edit(ctx, wanted)?;
    let guide = e.guide;
    e.plan.set_value(guide, item, value, &crate::app::now())?;
    e.save()?;
    writeln!(out, "{item} = {}", line(value))?;
    Ok(())
}

pub fn note(
    ctx: &Ctx,
    wanted: &str,
    item: &str,
    text: &str,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut e = edit(ctx, wanted)?;
    let guide = e.guide;
    if guide.item(item).is_none() {
        let valid: Vec<&str> = guide.items().map(|(_, i)| i.id.as_str()).collect();
        bail!(
            "unknown item {:?} in guide {}; items: {}",
            line(item),
            guide.id,
            valid.join(", ")
        );
    }
    e.plan.set_note(item, text, &crate::app::now())?;
    e.save()?;
    writeln!(out, "Note on {item} saved.")?;
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
    file: &Path,
    as_json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut e = edit(ctx, wanted)?;
    let guide = e.guide;
    let f = std::fs::File::open(file).with_context(|| format!("can't read {}", file.display()))?;
    let report = crate::estate::import(guide, std::io::BufReader::new(f))
        .with_context(|| format!("{}", file.display()))?;
    report.apply(&mut e.plan, &crate::app::now());
    e.save()?;
    if as_json {
        return json(out, &report);
    }
    crate::estate::print_report(guide, &report, out)?;
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
    let id = store.find(wanted)?;
    let loaded = store.load(&id)?;
    let format = match format {
        ReportFormat::Md => Format::Markdown,
        ReportFormat::Html => Format::Html,
        ReportFormat::Json => Format::Json,
    };
    let text = report::render(ctx.catalog, &loaded.plan, format, &crate::app::now())?;
    match output {
        Some(path) => {
            crate::store::write_path_atomic(path, |f| f.write_all(text.as_bytes()))?;
            writeln!(out, "Report written to {}", path.display())?;
        }
        None => out.write_all(text.as_bytes())?,
    }
    Ok(())
}
