//! `status`: a plan's progress and answers, with item ids for scripts, as
//! text or as the documented JSON shape.

use std::io::Write;

use serde::Serialize;

use crate::catalog::{Catalog, Guide, ItemKind};
use crate::plan::{Plan, Position, Progress};
use crate::sanitize::line;

/// `status --json`.
#[derive(Debug, Serialize)]
pub struct Status {
    pub id: String,
    pub name: String,
    pub organisation: String,
    pub replacing: String,
    pub guide: String,
    pub created: String,
    pub updated: String,
    pub read_only: Option<String>,
    pub progress: Progress,
    pub defender_plan: Option<String>,
    /// Progress of each of the three phases.
    pub phases: Vec<crate::plan::PhaseProgress>,
    /// Every step of every phase, in order.
    pub steps: Vec<StepStatus>,
    pub position: Position,
    pub estate: EstateStatus,
    /// Answers the estate or the licence contradicts.
    pub conflicts: Vec<crate::plan::Conflict>,
    /// Estate systems with no row in the proxy table, per plan or capability.
    pub gaps: Vec<crate::plan::Gap>,
    /// Overdue items (earliest due first), then blocked ones: what to look
    /// at first.
    pub attention: Vec<crate::plan::Attention>,
}

/// The estate: devices per system of the guide, and devices kept that no
/// system of the guide covers (by the name the inventory gave).
#[derive(Debug, Serialize)]
pub struct EstateStatus {
    pub devices: u64,
    pub systems: Vec<EstateCount>,
    /// Devices kept that no system of the guide covers, each with the
    /// built-in guides whose tables do.
    pub unmatched: Vec<UnmatchedStatus>,
}

#[derive(Debug, Serialize)]
pub struct UnmatchedStatus {
    #[serde(flatten)]
    pub system: crate::plan::Unmatched,
    /// The same in one sentence.
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct EstateCount {
    pub name: String,
    pub devices: Option<u64>,
}

fn estate_status(catalog: &Catalog, plan: &Plan, guide: &Guide) -> EstateStatus {
    let systems: Vec<EstateCount> = plan
        .estate
        .systems
        .iter()
        .map(|(id, n)| EstateCount {
            name: guide.system(id).map_or_else(
                || format!("{} (not a system of this guide)", line(id)),
                |s| s.name.clone(),
            ),
            devices: *n,
        })
        .collect();
    let unmatched: Vec<UnmatchedStatus> = plan
        .unmatched(catalog, guide)
        .into_iter()
        .map(|u| UnmatchedStatus {
            text: u.text(guide),
            system: u,
        })
        .collect();
    let devices = systems
        .iter()
        .map(|c| c.devices.unwrap_or(0))
        .chain(unmatched.iter().map(|u| u.system.devices))
        .fold(0u64, u64::saturating_add);
    EstateStatus {
        devices,
        systems,
        unmatched,
    }
}

#[derive(Debug, Serialize)]
pub struct StepStatus {
    pub id: String,
    /// The phase it belongs to.
    pub phase: String,
    pub title: String,
    pub required: bool,
    pub done: usize,
    pub total: usize,
    pub items: Vec<ItemState>,
}

#[derive(Debug, Serialize)]
pub struct ItemState {
    pub id: String,
    pub label: String,
    pub kind: &'static str,
    /// "done", "todo", "not-applicable", "blocked", "waiting" or
    /// "unanswered".
    pub state: &'static str,
    /// Who does it ("" when nobody is named).
    pub owner: String,
    /// `YYYY-MM-DD`, if set.
    pub due: Option<String>,
    /// Due before today and still open.
    pub overdue: bool,
    /// Why it is not applicable, blocked or waiting.
    pub reason: String,
    /// The answer in words a script can compare: the option id, the text,
    /// the task state, the systems with their device counts.
    pub answer: Option<String>,
    /// What in the plan file is not a value the guide knows (an option,
    /// system or guide page id that does not exist), cleaned, never echoed
    /// raw.
    pub problem: Option<String>,
    pub note: String,
    /// For the proxy review: the pages marked reviewed, ids with titles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<Vec<ReviewedPage>>,
}

/// A proxy guide page marked reviewed: its id and its title.
#[derive(Debug, Serialize)]
pub struct ReviewedPage {
    pub id: String,
    pub title: String,
}

/// The guide's pages the plan marks reviewed, in the plan's order.
fn reviewed_pages(guide: &Guide, plan: &Plan) -> Vec<ReviewedPage> {
    plan.reviewed
        .iter()
        .filter_map(|r| guide.link(r))
        .map(|l| ReviewedPage {
            id: l.id.clone(),
            title: l.title.clone(),
        })
        .collect()
}

/// A value from the file, as it may be quoted in a problem.
fn quoted(s: &str) -> String {
    format!("{:?}", crate::sanitize::truncate(&line(s), 60))
}

/// An item's answer and, when the file holds values the guide does not
/// know, what is wrong with them.
fn answer_of(
    guide: &Guide,
    plan: &Plan,
    item: &crate::catalog::Item,
    a: Option<&crate::plan::Answer>,
) -> (Option<String>, Option<String>) {
    match item.kind {
        ItemKind::Choice => match a.and_then(|a| a.choice.as_deref()) {
            None => (None, None),
            Some(c) => match item.option(c) {
                Some(o) => (Some(o.id.clone()), None),
                None => (None, Some(format!("invalid value {}", quoted(c)))),
            },
        },
        ItemKind::Text => (
            a.and_then(|a| a.text.as_deref())
                .map(|t| line(t).into_owned()),
            None,
        ),
        ItemKind::Task => (a.and_then(|a| a.status).map(|s| s.key().to_string()), None),
        ItemKind::Systems => {
            let mut known = Vec::new();
            let mut unknown = Vec::new();
            for (id, count) in &plan.estate.systems {
                match guide.system(id) {
                    Some(sys) => known.push(match count {
                        Some(n) => format!("{} ({n})", sys.name),
                        None => sys.name.clone(),
                    }),
                    None => unknown.push(quoted(id)),
                }
            }
            (
                (!known.is_empty()).then(|| known.join(", ")),
                (!unknown.is_empty()).then(|| format!("unknown system {}", unknown.join(", "))),
            )
        }
        ItemKind::Roles => (
            Some(plan.roles.len().to_string()).filter(|_| !plan.roles.is_empty()),
            None,
        ),
        ItemKind::ProxyReview => {
            let unknown: Vec<String> = plan
                .reviewed
                .iter()
                .filter(|r| guide.link(r).is_none())
                .map(|r| quoted(r))
                .collect();
            // "N of M reviewed" and the pages by title; the ids are in
            // `reviewed` alongside.
            let titles: Vec<String> = reviewed_pages(guide, plan)
                .into_iter()
                .map(|p| p.title)
                .collect();
            let answer = match (plan.answer_text(guide, item), titles.is_empty()) {
                (Some(n), true) => Some(n),
                (Some(n), false) => Some(format!("{n}: {}", titles.join("; "))),
                (None, false) => Some(format!("reviewed: {}", titles.join("; "))),
                (None, true) => None,
            };
            (
                answer,
                (!unknown.is_empty()).then(|| format!("unknown guide page {}", unknown.join(", "))),
            )
        }
    }
}

pub fn build(
    catalog: &Catalog,
    guide: &Guide,
    plan: &Plan,
    id: &str,
    read_only: Option<String>,
    today: &str,
) -> Status {
    let flags = plan.flags(guide);
    let progress = plan.step_progress(guide);
    let steps = guide
        .steps
        .iter()
        .zip(progress)
        .map(|(step, sp)| StepStatus {
            id: sp.id,
            phase: sp.phase,
            title: sp.title,
            required: sp.required,
            done: sp.done,
            total: sp.total,
            items: plan
                .relevant_items(step, &flags)
                .into_iter()
                .map(|item| {
                    let a = plan.answer(&item.id);
                    let state = plan.item_state(guide, item).key();
                    let (answer, problem) = answer_of(guide, plan, item, a);
                    ItemState {
                        id: item.id.clone(),
                        label: item.label.clone(),
                        kind: item.kind.name(),
                        state,
                        owner: a.map(|a| line(&a.owner).into_owned()).unwrap_or_default(),
                        due: a
                            .and_then(|a| a.due.as_deref())
                            .map(|d| line(d).into_owned()),
                        overdue: plan.is_overdue(guide, item, today),
                        reason: a.map(|a| line(&a.reason).into_owned()).unwrap_or_default(),
                        answer,
                        problem,
                        note: a
                            .map(|a| crate::sanitize::text(&a.note).into_owned())
                            .unwrap_or_default(),
                        reviewed: (item.kind == ItemKind::ProxyReview)
                            .then(|| reviewed_pages(guide, plan)),
                    }
                })
                .collect(),
        })
        .collect();
    Status {
        id: id.to_string(),
        name: line(&plan.name).into_owned(),
        organisation: line(&plan.organisation).into_owned(),
        replacing: line(&plan.replacing).into_owned(),
        guide: guide.id.clone(),
        created: line(&plan.created).into_owned(),
        updated: line(&plan.updated).into_owned(),
        read_only,
        progress: plan.progress(guide),
        defender_plan: plan.defender_plan(guide).map(str::to_string),
        phases: plan.phase_progress(guide),
        steps,
        estate: estate_status(catalog, plan, guide),
        position: Position {
            screen: line(&plan.position.screen).into_owned(),
            step: plan.position.step.as_deref().map(|s| line(s).into_owned()),
            item: plan.position.item.as_deref().map(|s| line(s).into_owned()),
        },
        conflicts: plan.conflicts(guide),
        gaps: plan.gaps(guide),
        attention: plan.attention(guide, today),
    }
}

pub fn print(s: &Status, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(out, "Plan:      {}", s.name)?;
    if !s.organisation.is_empty() {
        writeln!(out, "Org:       {}", s.organisation)?;
    }
    if !s.replacing.is_empty() {
        writeln!(out, "Replacing: {}", s.replacing)?;
    }
    writeln!(out, "Guide:     {}", s.guide)?;
    writeln!(
        out,
        "Progress:  {} of {} items closed ({}%)",
        s.progress.done, s.progress.total, s.progress.percent
    )?;
    if let Some(p) = &s.defender_plan {
        writeln!(out, "Defender:  {p}")?;
    }
    if let Some(r) = &s.read_only {
        writeln!(out, "Read-only: {r}")?;
    }
    if !s.attention.is_empty() {
        writeln!(out, "\nFirst (overdue, then blocked):")?;
        for a in &s.attention {
            writeln!(out, "  {}  [{}]", line(&a.text()), a.item)?;
        }
    }
    let e = &s.estate;
    if !e.systems.is_empty() || !e.unmatched.is_empty() {
        let n = |v: Option<u64>| v.map_or_else(|| "-".to_string(), |n| n.to_string());
        writeln!(
            out,
            "Estate:    {}",
            crate::words::count(e.devices, "device")
        )?;
        for c in &e.systems {
            writeln!(out, "  {:>8}  {}", n(c.devices), line(&c.name))?;
        }
        if !e.unmatched.is_empty() {
            writeln!(out, "  Not in the guide's tables (kept, not planned for):")?;
            for u in &e.unmatched {
                writeln!(out, "  {:>8}  {}", u.system.devices, line(&u.system.name))?;
            }
            for u in &e.unmatched {
                writeln!(out, "Unmatched: {}", line(&u.text))?;
                for c in &u.system.covered_by {
                    writeln!(out, "           {}: {}", c.name, c.url)?;
                }
            }
        }
    }
    for p in &s.phases {
        writeln!(
            out,
            "  {}: {} of {} items closed ({}%)",
            p.title, p.progress.done, p.progress.total, p.progress.percent
        )?;
    }
    let mut phase = "";
    let mut i = 0;
    for step in &s.steps {
        if step.phase != phase {
            phase = &step.phase;
            i = 0;
            if let Some(p) = s.phases.iter().find(|p| p.id == step.phase) {
                writeln!(out, "\n== {} ==", p.title)?;
            }
        }
        i += 1;
        let optional = if step.required { "" } else { " (optional)" };
        writeln!(
            out,
            "\n{}. {} [{}/{}]{optional}",
            i, step.title, step.done, step.total
        )?;
        for item in &step.items {
            let mark = crate::plan::ItemState::from_key(item.state)
                .unwrap_or(crate::plan::ItemState::Unanswered)
                .mark();
            let answer = item
                .answer
                .as_deref()
                .map(|a| format!(" = {}", line(a)))
                .unwrap_or_default();
            writeln!(
                out,
                "  {mark} {:<15} {:<20} {}{answer}",
                item.state, item.id, item.label
            )?;
            if let Some(p) = &item.problem {
                writeln!(out, "      answer: {}", line(p))?;
            }
            if !item.reason.is_empty() {
                writeln!(out, "      reason: {}", line(&item.reason))?;
            }
            let mut plan_line = Vec::new();
            if !item.owner.is_empty() {
                plan_line.push(format!("owner: {}", line(&item.owner)));
            }
            if let Some(d) = &item.due {
                let late = if item.overdue { " (overdue)" } else { "" };
                plan_line.push(format!("due: {}{late}", line(d)));
            }
            if !plan_line.is_empty() {
                writeln!(out, "      {}", plan_line.join(", "))?;
            }
            if !item.note.is_empty() {
                writeln!(out, "      note: {}", line(&item.note))?;
            }
        }
    }
    for c in &s.conflicts {
        writeln!(out, "\nConflict:  {}", c.text)?;
    }
    for g in &s.gaps {
        writeln!(out, "\nProxy gap: {}", g.text())?;
    }
    let pos = &s.position;
    writeln!(
        out,
        "\nResumes at: {}{}{}",
        pos.screen,
        pos.step
            .as_deref()
            .map(|s| format!(" {s}"))
            .unwrap_or_default(),
        pos.item
            .as_deref()
            .map(|s| format!(" / {s}"))
            .unwrap_or_default()
    )?;
    Ok(())
}
