//! `status`: a plan's progress and answers, with item ids for scripts, as
//! text or as the documented JSON shape.

use std::io::Write;

use serde::Serialize;

use crate::catalog::{Guide, ItemKind};
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
    pub steps: Vec<StepStatus>,
    pub position: Position,
    /// Answers the estate or the licence contradicts.
    pub conflicts: Vec<crate::plan::Conflict>,
    /// Estate systems with no row in the proxy table, per plan or capability.
    pub gaps: Vec<crate::plan::Gap>,
}

#[derive(Debug, Serialize)]
pub struct StepStatus {
    pub id: String,
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
    /// "done", "todo", "not-applicable" or "unanswered".
    pub state: &'static str,
    pub answer: Option<String>,
    pub note: String,
}

pub fn build(guide: &Guide, plan: &Plan, id: &str, read_only: Option<String>) -> Status {
    let flags = plan.flags(guide);
    let progress = plan.step_progress(guide);
    let steps = guide
        .steps
        .iter()
        .zip(progress)
        .map(|(step, sp)| StepStatus {
            id: sp.id,
            title: sp.title,
            required: sp.required,
            done: sp.done,
            total: sp.total,
            items: plan
                .relevant_items(step, &flags)
                .into_iter()
                .map(|item| {
                    let a = plan.answer(&item.id);
                    let status = a.and_then(|a| a.status);
                    let state = plan.item_state(guide, item).key();
                    let answer = match item.kind {
                        ItemKind::Choice => a.and_then(|a| a.choice.clone()),
                        ItemKind::Text => a
                            .and_then(|a| a.text.as_deref())
                            .map(|t| line(t).into_owned()),
                        ItemKind::Task => status.map(|s| s.key().to_string()),
                        ItemKind::Systems => Some(
                            plan.estate
                                .systems
                                .keys()
                                .cloned()
                                .collect::<Vec<_>>()
                                .join(","),
                        )
                        .filter(|s| !s.is_empty()),
                        ItemKind::Roles => {
                            Some(plan.roles.len().to_string()).filter(|_| !plan.roles.is_empty())
                        }
                        ItemKind::ProxyReview => {
                            Some(plan.reviewed.iter().cloned().collect::<Vec<_>>().join(","))
                                .filter(|s| !s.is_empty())
                        }
                    };
                    ItemState {
                        id: item.id.clone(),
                        label: item.label.clone(),
                        kind: item.kind.name(),
                        state,
                        answer,
                        note: a
                            .map(|a| crate::sanitize::text(&a.note).into_owned())
                            .unwrap_or_default(),
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
        steps,
        position: Position {
            screen: line(&plan.position.screen).into_owned(),
            step: plan.position.step.as_deref().map(|s| line(s).into_owned()),
            item: plan.position.item.as_deref().map(|s| line(s).into_owned()),
        },
        conflicts: plan.conflicts(guide),
        gaps: plan.gaps(guide),
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
    for (i, step) in s.steps.iter().enumerate() {
        let optional = if step.required { "" } else { " (optional)" };
        writeln!(
            out,
            "\n{}. {} [{}/{}]{optional}",
            i + 1,
            step.title,
            step.done,
            step.total
        )?;
        for item in &step.items {
            let mark = match item.state {
                "done" => "✓",
                "not-applicable" => "–",
                "todo" => "✗",
                _ => "?",
            };
            let answer = item
                .answer
                .as_deref()
                .map(|a| format!(" = {a}"))
                .unwrap_or_default();
            writeln!(
                out,
                "  {mark} {:<15} {:<20} {}{answer}",
                item.state, item.id, item.label
            )?;
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
