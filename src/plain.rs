//! Plain mode: the same plan and the same steps as numbered line prompts,
//! for screen readers, braille displays and dumb terminals. Text in order,
//! no cursor addressing, no colour, no redraws. It saves through the same
//! store as the wizard, so a plan started in one mode resumes in the other.

use std::io::{BufRead, Write};

use anyhow::Context as _;

use crate::catalog::{Catalog, Guide, Item, ItemKind, ScreenKind};
use crate::plan::{Plan, Position};
use crate::sanitize::line;
use crate::store::{Access, Listing, PlanLock, Store, StoreError};
use crate::wizard::LinkRef;
use crate::words::count;

mod items;

/// What the operator typed at a prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Enter alone: keep the answer, go on.
    Keep,
    Back,
    Summary,
    Quit,
    /// `o N`: print (and where possible open) link N.
    Link(usize),
    /// `o` alone: every link listed last, with its address.
    Links,
    /// `e`: edit the note.
    Note,
    /// `g N`: go to step N.
    Goto(usize),
    /// `x`: export a report.
    Export,
    /// `l`: look up a proxy guide for any plan or capability and system.
    Lookup,
    /// `v`: the guide's overview and its pages again.
    Overview,
    /// `h` or `?`: the commands.
    Help,
    /// `i`: import the estate from a device inventory.
    Import,
    /// `r`: say the current item again, with its links.
    Repeat,
    /// `w`: who owns the item.
    Owner,
    /// `d`: the item's due date.
    Due,
    /// `t`: the item's state (to do, done, n/a, blocked, waiting).
    State,
    /// Anything else.
    Text(String),
}

/// Read one line; `None` at the end of input.
pub(crate) fn read(input: &mut dyn BufRead) -> anyhow::Result<Option<String>> {
    let mut s = String::new();
    let n = input.read_line(&mut s).context("reading standard input")?;
    if n == 0 {
        return Ok(None);
    }
    Ok(Some(s.trim_end_matches(['\n', '\r']).to_string()))
}

pub(crate) fn parse(s: &str) -> Input {
    let t = s.trim();
    let numbered = |prefix: &str| {
        t.strip_prefix(prefix)
            .and_then(|n| n.trim().parse::<usize>().ok())
    };
    match t {
        "" => Input::Keep,
        "b" | "B" => Input::Back,
        "s" | "S" => Input::Summary,
        "q" | "Q" => Input::Quit,
        "e" | "E" => Input::Note,
        "o" | "O" => Input::Links,
        "x" | "X" => Input::Export,
        "l" | "L" => Input::Lookup,
        "v" | "V" => Input::Overview,
        "h" | "H" | "?" => Input::Help,
        "i" | "I" => Input::Import,
        "r" | "R" => Input::Repeat,
        "w" | "W" => Input::Owner,
        "d" | "D" => Input::Due,
        "t" | "T" => Input::State,
        _ => {
            if let Some(n) = numbered("o ") {
                Input::Link(n)
            } else if let Some(n) = numbered("g ") {
                Input::Goto(n)
            } else {
                Input::Text(t.to_string())
            }
        }
    }
}

/// The commands, as one sentence to read aloud.
pub(crate) const COMMANDS: &str = "Commands: b back, g N go to step N, r the item again, s summary, o N the address of link N (o alone: every address), e note, t state (blocked, waiting…), w owner, d due date, l look up a proxy guide, i import the estate from a device inventory, x export a report, v the guide's overview, h these commands, q quit. Every answer is saved at once.";

/// Opens an address in a browser, or says why it can't.
pub type Opener<'o> = &'o mut dyn FnMut(&str) -> Result<(), String>;

/// The opener plain mode uses when none is given: the system browser,
/// where one can open.
pub fn system_opener(url: &str) -> Result<(), String> {
    if let Some(why) = crate::links::Env::current().no_browser() {
        return Err(why.to_string());
    }
    open::that_detached(url).map_err(|e| e.to_string())
}

/// The plan being walked, with its lock and the store to save to.
pub(crate) struct Session<'a> {
    pub store: &'a Store,
    pub id: String,
    pub plan: Plan,
    pub guide: &'static Guide,
    pub catalog: &'static Catalog,
    pub read_only: Option<String>,
    pub lock: Option<PlanLock>,
    /// The links listed last: what `o N` opens.
    pub links: Vec<LinkRef>,
    pub opener: Opener<'a>,
}

impl Session<'_> {
    /// Save now, under the plan's lock; a failure is said, and the next
    /// answer tries again. A save refused because the plan changed on disk
    /// (or its lock or folder went) offers what the wizard offers: reload
    /// from disk (after `y`), or save these answers as a copy.
    /// True when the answers were written (to this plan or, chosen after a
    /// refusal, to a copy).
    pub fn save(&mut self, input: &mut dyn BufRead, out: &mut dyn Write) -> anyhow::Result<bool> {
        if self.read_only.is_some() {
            return Ok(false);
        }
        let Some(lock) = self.lock.as_mut() else {
            writeln!(
                out,
                "Not saved: plan {} is not locked for writing here; start again to reopen it.",
                self.id
            )?;
            return Ok(false);
        };
        match self.store.save_locked(lock, &self.plan) {
            Ok(()) => Ok(true),
            Err(e @ (StoreError::Conflict { .. } | StoreError::DirGone { .. })) => {
                self.save_refused(&e.to_string(), input, out)
            }
            Err(e) => {
                // The store's errors already start "not saved: "; say it once.
                let why = crate::sanitize::line(&e.to_string()).into_owned();
                let why = why.strip_prefix("not saved: ").unwrap_or(&why);
                writeln!(out, "Not saved (the next answer tries again): {why}")?;
                Ok(false)
            }
        }
    }

    /// The choice after a refused save: `r` reloads from disk once `y`
    /// confirms, `c` saves the answers as a new plan, anything else keeps
    /// them here unsaved (the next answer offers the choice again). True
    /// when the answers went into a copy.
    fn save_refused(
        &mut self,
        reason: &str,
        input: &mut dyn BufRead,
        out: &mut dyn Write,
    ) -> anyhow::Result<bool> {
        let why = crate::sanitize::line(reason).into_owned();
        let why = why.strip_prefix("not saved: ").unwrap_or(&why).to_string();
        writeln!(out, "Not saved: {why}")?;
        loop {
            let Some(raw) = ask(
                out,
                input,
                "r reloads the plan from disk (drops the answers not saved here), c saves these answers as a copy (a new plan, nothing overwritten), Enter keeps working here, not saved: ",
            )?
            else {
                return Ok(false);
            };
            match raw.trim() {
                "r" | "R" => {
                    let Some(yes) = ask(
                        out,
                        input,
                        "Reload from disk and drop the answers not saved here? Type y to reload, Enter keeps them: ",
                    )?
                    else {
                        return Ok(false);
                    };
                    if !matches!(yes.trim(), "y" | "Y") {
                        writeln!(out, "Not reloaded.")?;
                        continue;
                    }
                    // Release the lock first: the reload takes it again.
                    self.lock = None;
                    let id = self.id.clone();
                    match self.reopen(&id) {
                        Ok(()) => {
                            writeln!(out, "Reloaded {:?} from disk.", line(&self.plan.name))?;
                            return Ok(false);
                        }
                        Err(e) => writeln!(out, "Not reloaded: {}", line(&e.to_string()))?,
                    }
                }
                "c" | "C" => match self.store.create_copy(&self.plan, &crate::app::now()) {
                    Ok(id) => match self.reopen(&id) {
                        Ok(()) => {
                            writeln!(
                                out,
                                "Saved as a new plan, {:?}; answers are saved there from now on.",
                                line(&self.plan.name)
                            )?;
                            return Ok(true);
                        }
                        Err(e) => writeln!(
                            out,
                            "Saved as a copy, but it did not open: {}",
                            line(&e.to_string())
                        )?,
                    },
                    Err(e) => writeln!(out, "Not saved as a copy: {}", line(&e.to_string()))?,
                },
                _ => {
                    writeln!(
                        out,
                        "The answers stay here, not saved; the next answer offers reload or copy again."
                    )?;
                    return Ok(false);
                }
            }
        }
    }

    /// Open plan `id` for editing in place of the current one.
    fn reopen(&mut self, id: &str) -> Result<(), StoreError> {
        let (loaded, lock) = self.store.load_for_edit(id)?;
        self.id = id.to_string();
        self.plan = loaded.plan;
        self.lock = lock;
        self.read_only = match loaded.access {
            Access::ReadWrite => None,
            Access::ReadOnly(r) => Some(r.to_string()),
        };
        Ok(())
    }

    /// List links as numbered titles; `o N` gives each address.
    pub fn list_links(&mut self, links: Vec<LinkRef>, out: &mut dyn Write) -> anyhow::Result<()> {
        for (i, l) in links.iter().enumerate() {
            writeln!(out, "  Link {}: {}", i + 1, l.title)?;
        }
        if !links.is_empty() {
            writeln!(
                out,
                "  (o N gives the address of link N; o alone gives every address.)"
            )?;
        }
        self.links = links;
        Ok(())
    }

    /// `o N`: the address, and a browser where one can open.
    pub fn open_link(&mut self, n: usize, out: &mut dyn Write) -> anyhow::Result<()> {
        let Some(l) = self.links.get(n.wrapping_sub(1)).cloned() else {
            match self.links.len() {
                0 => writeln!(out, "No links here.")?,
                k => writeln!(out, "No link {n} here: type o and a number from 1 to {k}.")?,
            }
            return Ok(());
        };
        writeln!(out, "Link {n}: {}: {}", l.title, l.url)?;
        if let Some(why) = crate::links::refuse(self.catalog, &l.url) {
            writeln!(out, "Not opened: {why}.")?;
            return Ok(());
        }
        match (self.opener)(&l.url) {
            Ok(()) => writeln!(out, "Opening it in the browser.")?,
            Err(why) => writeln!(
                out,
                "No browser opened: {}. The address is above.",
                line(&why)
            )?,
        }
        Ok(())
    }

    /// `o`: every link listed last, with its address.
    pub fn all_links(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        if self.links.is_empty() {
            writeln!(out, "No links here.")?;
        }
        for (i, l) in self.links.iter().enumerate() {
            writeln!(out, "  Link {}: {}: {}", i + 1, l.title, l.url)?;
        }
        Ok(())
    }
}

/// Run plain mode until the plan is walked, `q`, or the end of input.
pub fn run(
    catalog: &'static Catalog,
    store: &Store,
    input: impl BufRead,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    run_with(catalog, store, input, out, &mut system_opener)
}

/// [`run`], with the browser opener given (tests pass one that records).
pub fn run_with(
    catalog: &'static Catalog,
    store: &Store,
    mut input: impl BufRead,
    out: &mut impl Write,
    opener: Opener<'_>,
) -> anyhow::Result<()> {
    writeln!(
        out,
        "mde-migrate, plain mode: a move to Microsoft Defender for Endpoint in three phases (Prepare, Set up, Onboard)."
    )?;
    writeln!(
        out,
        "Type a number and press Enter. Enter alone keeps the answer and goes on."
    )?;
    writeln!(out, "{COMMANDS}")?;
    let Some(mut session) = choose_plan(catalog, store, &mut input, out, opener)? else {
        writeln!(out, "Goodbye.")?;
        return Ok(());
    };
    if let Some(r) = &session.read_only {
        writeln!(
            out,
            "This plan is read-only here: {r}. Answers will not be saved."
        )?;
    }
    overview(&session, out)?;
    walk(&mut session, &mut input, out)?;
    session.save(&mut input, out)?;
    Ok(())
}

/// The guide, what it applies to, the migration process and the phases,
/// each with its address.
pub(crate) fn overview(s: &Session<'_>, out: &mut dyn Write) -> anyhow::Result<()> {
    let g = s.guide;
    writeln!(
        out,
        "\nPlan {:?} follows the {}: {}, published {}.",
        line(&s.plan.name),
        g.short_name,
        g.title,
        g.published
    )?;
    let phases = s.plan.phase_progress(g);
    writeln!(
        out,
        "Its {} steps in three phases, numbered in one run, then the summary:",
        g.steps.len()
    )?;
    for (p, pp) in g.phases.iter().zip(&phases) {
        let steps: Vec<String> = g
            .phase_steps(&p.id)
            .map(|(i, st)| format!("{}. {}", i + 1, st.short))
            .collect();
        let (url, date) = g.phase_source(p);
        writeln!(
            out,
            "  {} ({} of {} closed, page of {date}: {url}): {}.",
            p.title,
            pp.progress.done,
            pp.progress.total,
            steps.join("; ")
        )?;
    }
    writeln!(out, "The guide's pages:")?;
    for l in crate::wizard::overview_links(g) {
        writeln!(out, "  {}: {}", l.title, l.url)?;
    }
    for n in s.catalog.common.notes_for("overview") {
        dated_note(n, out)?;
    }
    Ok(())
}

/// A statement that is not in the guide: dated, with its source.
pub(crate) fn dated_note(n: &crate::catalog::Note, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(
        out,
        "Changed since the guide (as of {}): {} Source: {}",
        n.as_of, n.text, n.source
    )?;
    Ok(())
}

fn choose_plan<'a>(
    catalog: &'static Catalog,
    store: &'a Store,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    opener: Opener<'a>,
) -> anyhow::Result<Option<Session<'a>>> {
    let plans: Vec<(String, String)> = store
        .list()?
        .into_iter()
        .filter_map(|l| match l {
            Listing::Plan { id, plan, .. } => Some((id, plan.name)),
            Listing::Broken { id, error, .. } => {
                let _ = writeln!(out, "Skipped {id}: {error}");
                None
            }
        })
        .collect();
    loop {
        writeln!(out, "\nPlans:")?;
        for (i, (_, name)) in plans.iter().enumerate() {
            writeln!(out, "  {}. {}", i + 1, line(name))?;
        }
        writeln!(out, "  {}. Create a new plan", plans.len() + 1)?;
        write!(out, "Choose a plan [1]: ")?;
        out.flush()?;
        let Some(answer) = read(input)? else {
            return Ok(None);
        };
        let n = match parse(&answer) {
            Input::Quit => return Ok(None),
            Input::Keep => 1,
            Input::Text(t) => match t.parse::<usize>() {
                Ok(n) if (1..=plans.len() + 1).contains(&n) => n,
                _ => {
                    writeln!(out, "Type a number from 1 to {}.", plans.len() + 1)?;
                    continue;
                }
            },
            // A command (l, h, b…) means nothing before a plan is open:
            // say so rather than ask again without a word.
            _ => {
                writeln!(
                    out,
                    "Choose a plan first: type a number from 1 to {} (Enter: 1, q quits).",
                    plans.len() + 1
                )?;
                continue;
            }
        };
        let id = if n == plans.len() + 1 {
            match create(catalog, store, input, out)? {
                Some(id) => id,
                None => return Ok(None),
            }
        } else {
            plans[n - 1].0.clone()
        };
        let (loaded, lock) = match store.load_for_edit(&id) {
            Ok(x) => x,
            Err(e) => {
                writeln!(out, "Can't open it: {e}")?;
                continue;
            }
        };
        let Some(guide) = catalog.guide(&loaded.plan.guide) else {
            writeln!(
                out,
                "That plan follows an unknown guide ({}).",
                line(&loaded.plan.guide)
            )?;
            continue;
        };
        let read_only = match loaded.access {
            Access::ReadWrite => None,
            Access::ReadOnly(r) => Some(r.to_string()),
        };
        return Ok(Some(Session {
            store,
            id,
            plan: loaded.plan,
            guide,
            catalog,
            read_only,
            lock,
            links: Vec::new(),
            opener,
        }));
    }
}

fn ask(
    out: &mut dyn Write,
    input: &mut dyn BufRead,
    prompt: &str,
) -> anyhow::Result<Option<String>> {
    write!(out, "{prompt}")?;
    out.flush()?;
    read(input)
}

fn create(
    catalog: &'static Catalog,
    store: &Store,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> anyhow::Result<Option<String>> {
    writeln!(out, "\nNew plan.")?;
    loop {
        let Some(name) = ask(out, input, "Plan name: ")? else {
            return Ok(None);
        };
        let Some(org) = ask(out, input, "Organisation (Enter to skip): ")? else {
            return Ok(None);
        };
        let Some(replacing) = ask(out, input, "Product being replaced (Enter to skip): ")? else {
            return Ok(None);
        };
        let proposed = catalog.propose_guide(&replacing);
        writeln!(out, "Guides:")?;
        for (i, g) in catalog.guides.iter().enumerate() {
            let mark = if g.id == proposed { " (proposed)" } else { "" };
            writeln!(
                out,
                "  {}. {} ({}){mark}",
                i + 1,
                g.short_name,
                count(g.steps.len(), "step")
            )?;
        }
        let Some(choice) = ask(out, input, "Guide [proposed]: ")? else {
            return Ok(None);
        };
        let guide = match choice.trim().parse::<usize>() {
            Ok(n) if (1..=catalog.guides.len()).contains(&n) => &catalog.guides[n - 1],
            _ => catalog
                .guide(proposed)
                .unwrap_or_else(|| catalog.default_guide()),
        };
        let plan = match Plan::create(&name, &org, &replacing, guide, &crate::app::now()) {
            Ok(p) => p,
            Err(e) => {
                writeln!(out, "Not created: {e}. Try again.")?;
                continue;
            }
        };
        match store.create(&plan) {
            Ok(id) => {
                writeln!(
                    out,
                    "Created {:?}, following the {}.",
                    plan.name, guide.short_name
                )?;
                return Ok(Some(id));
            }
            Err(e) => writeln!(out, "Not created: {e}. Try again.")?,
        }
    }
}

/// Every relevant item in guide order, as (step index, item).
fn sequence(plan: &Plan, guide: &'static Guide) -> Vec<(usize, &'static Item)> {
    let flags = plan.flags(guide);
    guide
        .steps
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            plan.relevant_items(s, &flags)
                .into_iter()
                .map(move |it| (i, it))
        })
        .collect()
}

fn walk(s: &mut Session<'_>, input: &mut dyn BufRead, out: &mut dyn Write) -> anyhow::Result<()> {
    let guide = s.guide;
    let start = {
        let seq = sequence(&s.plan, guide);
        s.plan
            .position
            .item
            .as_deref()
            .and_then(|id| seq.iter().position(|(_, it)| it.id == id))
            .unwrap_or(0)
    };
    let mut at = start;
    let mut last_step = usize::MAX;
    loop {
        // The items can change as answers set flags (proxy, RBAC).
        let seq = sequence(&s.plan, guide);
        let Some(&(step_index, item)) = seq.get(at) else {
            break;
        };
        if step_index != last_step {
            step_header(s, step_index, out)?;
            last_step = step_index;
        }
        s.plan.position = Position {
            screen: "step".into(),
            step: Some(guide.steps[step_index].id.clone()),
            item: Some(item.id.clone()),
        };
        writeln!(out, "\nItem {} of {}: {}", at + 1, seq.len(), item.label)?;
        match items::ask_item(s, item, at == 0, input, out)? {
            items::Next::Forward => at += 1,
            items::Next::Back => at = at.saturating_sub(1),
            items::Next::Step(n) => {
                at = seq.iter().position(|(i, _)| *i == n).unwrap_or(at);
                // Say the step again, even when it is the one we were on.
                last_step = usize::MAX;
            }
            items::Next::Quit => {
                if s.read_only.is_some() {
                    // Nothing was written: do not say "Saved".
                    writeln!(
                        out,
                        "Nothing saved: this plan was open read-only here. Run mde-migrate --plain again once the other copy has closed it."
                    )?;
                } else {
                    writeln!(
                        out,
                        "Saved. Run mde-migrate --plain again to go on from here."
                    )?;
                }
                return Ok(());
            }
        }
    }
    s.plan.position = Position {
        screen: "summary".into(),
        step: None,
        item: None,
    };
    summary(s, out)?;
    let next = summary_links(s);
    s.list_links(next, out)?;
    loop {
        let Some(raw) = ask(
            out,
            input,
            "At the summary (x export, o N a link, g N a step, Enter or q finishes): ",
        )?
        else {
            return Ok(());
        };
        match parse(&raw) {
            Input::Keep | Input::Quit => return Ok(()),
            Input::Export => export(s, input, out)?,
            Input::Link(n) => s.open_link(n, out)?,
            Input::Links => s.all_links(out)?,
            Input::Summary => summary(s, out)?,
            Input::Overview => overview(s, out)?,
            Input::Lookup => lookup(s, input, out)?,
            Input::Help => writeln!(out, "{COMMANDS}")?,
            Input::Import => import(s, input, out)?,
            Input::Goto(n) => match step_to_go(s, n) {
                Ok(i) => {
                    let seq = sequence(&s.plan, guide);
                    s.plan.position.item = seq
                        .iter()
                        .find(|(k, _)| *k == i)
                        .map(|(_, it)| it.id.clone());
                    return walk(s, input, out);
                }
                Err(why) => writeln!(out, "{why}")?,
            },
            Input::Back => {
                let seq = sequence(&s.plan, guide);
                if let Some((_, it)) = seq.last() {
                    s.plan.position.item = Some(it.id.clone());
                    return walk(s, input, out);
                }
            }
            Input::Repeat => {
                summary(s, out)?;
                let next = summary_links(s);
                s.list_links(next, out)?;
            }
            Input::Note | Input::Text(_) | Input::Owner | Input::Due | Input::State => {
                writeln!(out, "Nothing to answer here: g N goes back to step N.")?;
            }
        }
    }
}

/// The summary's pages: Phases 2 and 3, then the built-in guides that
/// cover the estate's unmatched devices (as the wizard's summary offers).
pub(crate) fn summary_links(s: &Session<'_>) -> Vec<LinkRef> {
    let mut next = crate::wizard::next_links(s.guide);
    let unmatched = s.plan.unmatched(s.catalog, s.guide);
    next.extend(
        crate::plan::covering_pages(&unmatched)
            .into_iter()
            .map(|p| LinkRef {
                title: p.title,
                url: p.url,
            }),
    );
    next
}

/// `g N`: the step index to go to, or why not.
pub(crate) fn step_to_go(s: &Session<'_>, n: usize) -> Result<usize, String> {
    let steps = s.guide.steps.len();
    let Some(step) = n.checked_sub(1).and_then(|i| s.guide.steps.get(i)) else {
        return Err(format!(
            "There is no step {n}: type g and a number from 1 to {steps}."
        ));
    };
    let flags = s.plan.flags(s.guide);
    if s.plan.relevant_items(step, &flags).is_empty() {
        return Err(format!(
            "Step {n}, {}, has nothing to answer for this plan.",
            step.short
        ));
    }
    Ok(n - 1)
}

fn step_header(s: &Session<'_>, index: usize, out: &mut dyn Write) -> anyhow::Result<()> {
    let (guide, plan) = (s.guide, &s.plan);
    let step = &guide.steps[index];
    let progress = plan.step_progress(guide);
    let p = &progress[index];
    let starts_phase = index == 0 || guide.steps[index - 1].phase != step.phase;
    if starts_phase && let Some(phase) = guide.phase_of(step) {
        let (url, date) = guide.phase_source(phase);
        writeln!(out, "\n== {} (from {url}, {date}) ==", phase.title)?;
    }
    writeln!(
        out,
        "\nStep {} of {}: {} ({} of {} done)",
        index + 1,
        guide.steps.len(),
        step.title,
        p.done,
        p.total
    )?;
    if step.screen == ScreenKind::Proxy {
        // Where things are, said in the order they are read.
        writeln!(
            out,
            "{} The guides this estate needs come with its last item, numbered; l looks up any {} and system.",
            step.intro,
            guide.proxy_table.axis.name()
        )?;
    } else {
        writeln!(out, "{}", step.intro)?;
    }
    if !p.required {
        writeln!(
            out,
            "This step is optional for this plan: no proxy is in use."
        )?;
    }
    let flags = plan.flags(guide);
    let items = plan.relevant_items(step, &flags);
    for w in plan.warnings(guide) {
        let raised_here = items
            .iter()
            .any(|i| i.options.iter().any(|o| o.flags.contains(&w.when)));
        if raised_here {
            writeln!(out, "Important: {}", w.text)?;
        }
    }
    for c in plan.conflicts(guide) {
        if let Some(i) = items.iter().find(|i| i.id == c.item) {
            writeln!(
                out,
                "Conflict: the answer to \"{}\" disagrees with the estate; that item says how.",
                i.label
            )?;
        }
    }
    Ok(())
}

/// The estate's facts, as the summary and the systems item say them.
pub(crate) fn estate_facts(s: &Session<'_>, out: &mut dyn Write) -> anyhow::Result<()> {
    let (guide, plan) = (s.guide, &s.plan);
    let counted: u64 = plan.estate.systems.values().flatten().sum();
    writeln!(
        out,
        "Estate: {}, {} counted.",
        count(plan.estate.systems.len(), "operating system"),
        count(counted, "device")
    )?;
    if let Some(n) = plan.server_count(guide) {
        writeln!(out, "Servers: {}.", count(n, "device"))?;
    }
    if let Some(n) = plan.downlevel_count(guide) {
        writeln!(
            out,
            "Down-level systems ({}): {}; the guide lists them under {} only.",
            plan.downlevel_names(guide),
            count(n, "device"),
            Plan::downlevel_values(guide).join(" or ")
        )?;
    }
    if let Some(n) = plan.unified_count(guide) {
        writeln!(
            out,
            "Devices that need the modern unified solution ({}): {n}.",
            plan.unified_names(guide)
        )?;
    }
    let unmatched = plan.unmatched(s.catalog, guide);
    if !unmatched.is_empty() {
        let total = unmatched
            .iter()
            .fold(0u64, |t, u| t.saturating_add(u.devices));
        writeln!(
            out,
            "Not in this guide's tables (kept, not planned for): {}.",
            count(total, "device")
        )?;
        for u in &unmatched {
            writeln!(out, "  {}", u.text(guide))?;
            for c in &u.covered_by {
                writeln!(out, "    {}: {}", c.name, c.url)?;
            }
        }
    }
    Ok(())
}

/// Done and open, per step, the estate, warnings, conflicts, gaps, notes
/// and the way on to Phases 2 and 3.
pub(crate) fn summary(s: &Session<'_>, out: &mut dyn Write) -> anyhow::Result<()> {
    let (guide, plan) = (s.guide, &s.plan);
    let progress = plan.progress(guide);
    writeln!(
        out,
        "\nSummary of {:?}: {} of {} items closed ({}%).",
        line(&plan.name),
        progress.done,
        progress.total,
        progress.percent
    )?;
    let first = plan.attention(guide, &crate::app::now());
    if !first.is_empty() {
        writeln!(out, "First, overdue and blocked:")?;
        for a in &first {
            writeln!(out, "  {} ({})", line(&a.text()), a.step)?;
        }
    }
    let flags = plan.flags(guide);
    for pp in plan.phase_progress(guide) {
        writeln!(
            out,
            "  {}: {} of {} closed ({}%).",
            pp.title, pp.progress.done, pp.progress.total, pp.progress.percent
        )?;
    }
    for (i, step) in guide.steps.iter().enumerate() {
        let open: Vec<&str> = plan
            .relevant_items(step, &flags)
            .into_iter()
            .filter(|it| !plan.is_complete(guide, it))
            .map(|it| it.label.as_str())
            .collect();
        let state = if !plan.is_step_required(step, &flags) {
            "optional".to_string()
        } else if open.is_empty() {
            "done".to_string()
        } else {
            format!("open: {}", open.join("; "))
        };
        writeln!(out, "  Step {}. {}: {state}", i + 1, step.short)?;
    }
    estate_facts(s, out)?;
    for w in plan.warnings(guide) {
        writeln!(out, "Important: {}", w.text)?;
        for l in w.links.iter().filter_map(|l| guide.link(l)) {
            writeln!(out, "  {}: {}", l.title, l.url)?;
        }
    }
    for c in plan.conflicts(guide) {
        writeln!(out, "Conflict: {}", c.text)?;
    }
    for g in plan.gaps(guide) {
        writeln!(out, "Proxy table: {}.", g.text())?;
    }
    for (_, item) in guide.items() {
        if let Some(note) = plan
            .answer(&item.id)
            .map(|a| a.note.as_str())
            .filter(|n| !n.is_empty())
        {
            writeln!(out, "Your note on {}: {}", item.label, line(note))?;
        }
    }
    for n in s.catalog.common.notes_for("summary") {
        dated_note(n, out)?;
    }
    for l in crate::wizard::next_links(guide) {
        writeln!(out, "Next: {} at {}", l.title, l.url)?;
    }
    writeln!(out, "x exports this plan as a report.")?;
    Ok(())
}

/// Ask for a number from 1 to `n`; `None` for Enter alone, anything
/// else, or the end of input.
fn pick(
    out: &mut dyn Write,
    input: &mut dyn BufRead,
    prompt: &str,
    n: usize,
) -> anyhow::Result<Option<usize>> {
    let Some(answer) = ask(out, input, prompt)? else {
        return Ok(None);
    };
    Ok(match answer.trim().parse::<usize>() {
        Ok(k) if (1..=n).contains(&k) => Some(k - 1),
        _ => None,
    })
}

/// `x`: write a report in one of the wizard's export formats.
pub(crate) fn export(
    s: &mut Session<'_>,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let formats = crate::wizard::EXPORT_FORMATS;
    writeln!(out, "Export a report of this plan. Formats:")?;
    for (i, (_, label)) in formats.iter().enumerate() {
        writeln!(out, "  {}. {label}", i + 1)?;
    }
    let prompt = format!("Format (1 to {}; Enter cancels): ", formats.len());
    let Some(i) = pick(out, input, &prompt, formats.len())? else {
        writeln!(out, "Not exported.")?;
        return Ok(());
    };
    let now = crate::app::now();
    match crate::effects::export_report(
        s.store,
        s.catalog,
        &s.id,
        &s.plan,
        formats[i].0,
        None,
        &now,
    ) {
        Ok(path) => writeln!(out, "Report written to {}", path.display())?,
        Err(e) => writeln!(out, "Not exported: {}", line(&e))?,
    }
    Ok(())
}

/// `i`: read a device inventory into the estate: what changes, then
/// replace, merge or cancel when the plan already has an estate.
pub(crate) fn import(
    s: &mut Session<'_>,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if s.read_only.is_some() {
        writeln!(out, "Not imported: this plan is read-only here.")?;
        return Ok(());
    }
    let Some(path) = ask(
        out,
        input,
        "Device inventory to import (a CSV file's path; Enter cancels): ",
    )?
    else {
        return Ok(());
    };
    let path = path.trim();
    if path.is_empty() {
        writeln!(out, "Not imported.")?;
        return Ok(());
    }
    let path = std::path::Path::new(path);
    let report = match crate::estate::open(path)
        .and_then(|f| crate::estate::import(s.guide, std::io::BufReader::new(f)))
    {
        Ok(r) => r,
        Err(e) => {
            writeln!(
                out,
                "Not imported: {}: {}",
                line(&path.display().to_string()),
                line(&e.to_string())
            )?;
            return Ok(());
        }
    };
    crate::estate::print_report(s.guide, &report, out)?;
    let mode = if crate::estate::is_empty(&s.plan.estate) {
        crate::estate::Mode::Replace
    } else {
        writeln!(out, "The plan already has an estate. Devices per system:")?;
        let n = |v: Option<u64>| v.map_or_else(|| "none".to_string(), |n| n.to_string());
        for r in crate::estate::choice_rows(s.guide, &s.plan, &report) {
            writeln!(
                out,
                "  {}: now {}, after replacing {}, after merging {}",
                r.name,
                n(r.now),
                n(r.replace),
                n(r.merge)
            )?;
        }
        let Some(answer) = ask(
            out,
            input,
            "r replaces the estate, m merges into it, Enter cancels: ",
        )?
        else {
            return Ok(());
        };
        match answer.trim() {
            "r" | "R" => crate::estate::Mode::Replace,
            "m" | "M" => crate::estate::Mode::Merge,
            _ => {
                writeln!(out, "Not imported: the estate stays as it is.")?;
                return Ok(());
            }
        }
    };
    report.apply(&mut s.plan, mode, &crate::app::now());
    s.save(input, out)?;
    writeln!(out, "{}", report.summary_line())?;
    for u in s.plan.unmatched(s.catalog, s.guide) {
        writeln!(out, "  {}", u.text(s.guide))?;
    }
    writeln!(
        out,
        "To go back to the estate before this import: mde-migrate import {:?} --undo",
        line(&s.plan.name)
    )?;
    Ok(())
}

/// `l`: the proxy guides the table lists for any plan or capability and
/// system, as numbered links.
pub(crate) fn lookup(
    s: &mut Session<'_>,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let guide = s.guide;
    let axis = guide.proxy_table.axis.name();
    let values = &guide.proxy_table.values;
    writeln!(
        out,
        "Look up a proxy guide in the guide's table. Each {axis}:"
    )?;
    for (i, v) in values.iter().enumerate() {
        writeln!(out, "  {}. {} ({})", i + 1, v.id, v.name)?;
    }
    let prompt = format!("The {axis} (1 to {}; Enter cancels): ", values.len());
    let Some(v) = pick(out, input, &prompt, values.len())?.and_then(|i| values.get(i)) else {
        writeln!(out, "Look-up cancelled.")?;
        return Ok(());
    };
    let systems = crate::wizard::lookup_systems(guide);
    writeln!(out, "Systems the table names:")?;
    for (i, sys) in systems.iter().enumerate() {
        let mark = if s.plan.estate.systems.contains_key(&sys.id) {
            " (in the estate)"
        } else {
            ""
        };
        writeln!(out, "  {}. {}{mark}", i + 1, sys.name)?;
    }
    let prompt = format!("The system (1 to {}; Enter cancels): ", systems.len());
    let Some(sys) = pick(out, input, &prompt, systems.len())?.and_then(|i| systems.get(i)) else {
        writeln!(out, "Look-up cancelled.")?;
        return Ok(());
    };
    let (found, notes) = crate::wizard::lookup(guide, &v.id, &sys.id);
    if found.is_empty() {
        writeln!(out, "The guide lists no {} guide for {}.", v.id, sys.name)?;
    } else {
        writeln!(
            out,
            "For {} with {}, the guide lists {}, then its other pages:",
            sys.name,
            v.id,
            count(found.len(), "proxy guide")
        )?;
    }
    for n in notes {
        writeln!(out, "Footnote {n}")?;
    }
    s.list_links(crate::wizard::lookup_links(guide, &v.id, &sys.id), out)?;
    Ok(())
}

/// The status words plain mode uses.
pub(crate) fn status_word(plan: &Plan, guide: &Guide, item: &Item) -> &'static str {
    plan.item_state(guide, item).word()
}

/// Kinds of item, for the prompt's hint.
pub(crate) fn hint(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Task => "1 done, 2 to do, 3 not applicable",
        ItemKind::Choice => "the number of an answer",
        ItemKind::Text => "type the answer",
        ItemKind::Systems => "numbers to add or remove, N=COUNT for a device count",
        ItemKind::Roles => "a to add a role, d N to remove role N",
        ItemKind::ProxyReview => "numbers to mark reviewed or not",
    }
}
