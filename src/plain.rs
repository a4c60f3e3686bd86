//! Plain mode: the same plan and the same steps as numbered line prompts,
//! for screen readers, braille displays and dumb terminals. Text in order,
//! no cursor addressing, no colour, no redraws. It saves through the same
//! store as the wizard, so a plan started in one mode resumes in the other.

use std::io::{BufRead, Write};

use anyhow::Context as _;

use crate::catalog::{Catalog, Guide, Item, ItemKind};
use crate::plan::{Plan, Position};
use crate::sanitize::line;
use crate::store::{Access, Listing, PlanLock, Store};

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
    /// `e`: edit the note.
    Note,
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
    match t {
        "" => Input::Keep,
        "b" | "B" => Input::Back,
        "s" | "S" => Input::Summary,
        "q" | "Q" => Input::Quit,
        "e" | "E" => Input::Note,
        _ => match t
            .strip_prefix("o ")
            .and_then(|n| n.trim().parse::<usize>().ok())
        {
            Some(n) => Input::Link(n),
            None => Input::Text(t.to_string()),
        },
    }
}

/// The plan being walked, with its lock and the store to save to.
pub(crate) struct Session<'a> {
    pub store: &'a Store,
    pub id: String,
    pub plan: Plan,
    pub guide: &'static Guide,
    pub catalog: &'static Catalog,
    pub read_only: Option<String>,
    pub _lock: Option<PlanLock>,
}

impl Session<'_> {
    /// Save now; a failure is said, and the next answer tries again.
    pub fn save(&mut self, out: &mut dyn Write) -> anyhow::Result<()> {
        if self.read_only.is_some() {
            return Ok(());
        }
        let saved = match self._lock.as_mut() {
            Some(lock) => self.store.save_locked(lock, &self.plan),
            None => self.store.save(&self.id, &self.plan),
        };
        if let Err(e) = saved {
            // The store's errors already start "not saved: "; say it once.
            let why = crate::sanitize::line(&e.to_string()).into_owned();
            let why = why.strip_prefix("not saved: ").unwrap_or(&why);
            writeln!(out, "Not saved (the next answer tries again): {why}")?;
        }
        Ok(())
    }
}

/// Run plain mode until the plan is walked, `q`, or the end of input.
pub fn run(
    catalog: &'static Catalog,
    store: &Store,
    mut input: impl BufRead,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    writeln!(
        out,
        "mde-migrate, plain mode: Phase 1 (Prepare) of a move to Microsoft Defender for Endpoint."
    )?;
    writeln!(
        out,
        "Type a number and press Enter. Enter alone keeps the answer and goes on."
    )?;
    writeln!(
        out,
        "Commands: b back, s step summary, o N show link N, e note, q quit. Every answer is saved at once."
    )?;
    let Some(mut session) = choose_plan(catalog, store, &mut input, out)? else {
        writeln!(out, "Goodbye.")?;
        return Ok(());
    };
    if let Some(r) = &session.read_only {
        writeln!(
            out,
            "This plan is read-only here: {r}. Answers will not be saved."
        )?;
    }
    walk(&mut session, &mut input, out)?;
    session.save(out)?;
    Ok(())
}

fn choose_plan<'a>(
    catalog: &'static Catalog,
    store: &'a Store,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
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
            _ => continue,
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
            _lock: lock,
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
                "  {}. {} ({} steps){mark}",
                i + 1,
                g.short_name,
                g.steps.len()
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
        match items::ask_item(s, item, input, out)? {
            items::Next::Forward => at += 1,
            items::Next::Back => at = at.saturating_sub(1),
            items::Next::Quit => {
                writeln!(
                    out,
                    "Saved. Run mde-migrate --plain again to go on from here."
                )?;
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
    Ok(())
}

fn step_header(s: &Session<'_>, index: usize, out: &mut dyn Write) -> anyhow::Result<()> {
    let step = &s.guide.steps[index];
    let progress = s.plan.step_progress(s.guide);
    let p = &progress[index];
    writeln!(
        out,
        "\nStep {} of {}: {} ({} of {} done)",
        index + 1,
        s.guide.steps.len(),
        step.title,
        p.done,
        p.total
    )?;
    writeln!(out, "{}", step.intro)?;
    if !p.required {
        writeln!(
            out,
            "This step is optional for this plan: no proxy is in use."
        )?;
    }
    Ok(())
}

/// Done and open, per step, and the way on to Phase 2.
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
    let flags = plan.flags(guide);
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
    for w in plan.warnings(guide) {
        writeln!(out, "Important: {}", w.text)?;
    }
    if let Some(l) = guide.next_phase() {
        writeln!(out, "Next: {} at {}", l.title, l.url)?;
    }
    Ok(())
}

/// The status words plain mode uses.
pub(crate) fn status_word(plan: &Plan, guide: &Guide, item: &Item) -> &'static str {
    match plan.item_state(guide, item) {
        crate::plan::ItemState::NotApplicable => "not applicable",
        crate::plan::ItemState::Done => "done",
        crate::plan::ItemState::Todo => "to do",
        crate::plan::ItemState::Unanswered => "not answered",
    }
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
