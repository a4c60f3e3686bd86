//! Change-board reports of a plan: one model built from the plan and its
//! guide (every decision, open item and link, user text already cleaned),
//! then three renderers: Markdown, self-contained HTML and JSON. No I/O
//! here: writing the report is the caller's job.

use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, Guide};
use crate::plan::Plan;
use crate::sanitize::{line, text};

pub mod csv;
mod html;
mod markdown;

/// A report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    Json,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Json => "json",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error(
        "plan {plan:?} follows guide {guide:?}, which this version does not know; known guides: {known}"
    )]
    UnknownGuide {
        plan: String,
        guide: String,
        known: String,
    },
    #[error("writing JSON failed: {0}")]
    Json(String),
}

/// The JSON report (`export --format json`), version 1. Stable: fields are
/// only ever added. Every string that came from the operator is cleaned of
/// control characters and escape sequences.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Always "mde-migrate-report".
    pub format: String,
    pub version: u32,
    pub generated_at: String,
    pub plan: Header,
    pub progress: Count,
    /// "P1"/"P2" from the licence answer (generic guide).
    pub defender_plan: Option<String>,
    /// The guide's three phases, each with its page and progress.
    #[serde(default)]
    pub phases: Vec<PhaseReport>,
    /// Every step of every phase, in order.
    pub steps: Vec<StepReport>,
    pub roles: Vec<RoleReport>,
    pub estate: EstateReport,
    pub warnings: Vec<Note>,
    pub proxy_guides: Vec<ProxyGuide>,
    pub open_items: Vec<OpenItem>,
    /// Dated notes on what changed since the guide was written.
    pub changed_since: Vec<Note>,
    /// Phase 2 and Phase 3 of this guide.
    pub next: Vec<LinkRef>,
    /// Answers the estate or the licence contradicts.
    #[serde(default)]
    pub conflicts: Vec<Note>,
    /// Estate systems with no row in the proxy table, one line per plan or
    /// capability.
    #[serde(default)]
    pub gaps: Vec<Note>,
    /// The guide's footnotes, each with its pages.
    #[serde(default)]
    pub footnotes: Vec<Note>,
    /// The guide's own page, then every page it links to, in its order.
    #[serde(default)]
    pub pages: Vec<LinkRef>,
    /// Overdue items, then blocked ones: what to look at first.
    #[serde(default)]
    pub attention: Vec<AttentionItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub name: String,
    pub organisation: String,
    pub replacing: String,
    pub guide: String,
    pub guide_title: String,
    pub guide_published: String,
    pub created: String,
    pub updated: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub done: usize,
    pub total: usize,
    pub percent: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkRef {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseReport {
    pub id: String,
    pub title: String,
    /// The page its steps come from, and that page's date.
    pub source_url: String,
    pub published: String,
    pub done: usize,
    pub total: usize,
    pub percent: u8,
}

/// A command or registry path a page gives (shown, never run).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandReport {
    pub label: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepReport {
    pub id: String,
    /// The phase it belongs to.
    #[serde(default)]
    pub phase: String,
    pub title: String,
    pub required: bool,
    pub done: usize,
    pub total: usize,
    pub items: Vec<ItemReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemReport {
    pub id: String,
    pub label: String,
    pub kind: String,
    /// "done", "todo", "not-applicable" or "unanswered".
    pub state: String,
    /// The answer in words, if any.
    pub answer: Option<String>,
    pub note: String,
    pub links: Vec<LinkRef>,
    /// Dated notes on this item: what changed since the guide, or is not in it.
    #[serde(default)]
    pub changed_since: Vec<Note>,
    /// What an earlier phase's answer decides about it.
    #[serde(default)]
    pub depends: Option<String>,
    /// The first cell of each table row of the item that concerns this
    /// estate (the onboarding methods, the tests, the exclusions).
    #[serde(default)]
    pub for_estate: Vec<String>,
    #[serde(default)]
    pub commands: Vec<CommandReport>,
    /// Who does it ("" when nobody is named).
    #[serde(default)]
    pub owner: String,
    /// `YYYY-MM-DD`, if set.
    #[serde(default)]
    pub due: Option<String>,
    /// Due before the report's date and still open.
    #[serde(default)]
    pub overdue: bool,
    /// Why it is not applicable, blocked or waiting.
    #[serde(default)]
    pub reason: String,
}

/// An item to look at first: overdue (earliest due date first), then
/// blocked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttentionItem {
    pub step: String,
    pub item: String,
    pub label: String,
    /// As in [`ItemReport::state`].
    pub state: String,
    pub overdue: bool,
    pub owner: String,
    pub due: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleReport {
    pub name: String,
    pub group: String,
    /// Permission labels.
    pub permissions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemCount {
    pub id: String,
    pub name: String,
    pub devices: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EstateReport {
    pub systems: Vec<SystemCount>,
    pub devices: u64,
    /// Devices on server systems (Defender for Servers licences).
    pub servers: Option<u64>,
    /// Devices on the systems the guide marks down-level.
    pub downlevel: Option<u64>,
    /// Those systems of the estate, as the guide names them.
    #[serde(default)]
    pub downlevel_systems: String,
    /// The plans or capabilities whose table rows list down-level systems.
    #[serde(default)]
    pub downlevel_under: Vec<String>,
    /// Devices that need the modern unified solution (the guide's footnote).
    pub unified_solution: Option<u64>,
    /// Those systems of the estate, as the guide names them.
    #[serde(default)]
    pub unified_systems: String,
    /// Devices kept that no system of the guide covers (counted in
    /// `devices`), each pointing to the built-in guide whose table does.
    #[serde(default)]
    pub unmatched: Vec<UnmatchedCount>,
}

/// Devices on a system the guide has no row for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnmatchedCount {
    /// As the inventory named it.
    pub name: String,
    pub devices: u64,
    /// The guide's table predates this system.
    pub predates: bool,
    /// One sentence: where current guidance for it is.
    pub text: String,
    /// The built-in guides whose tables cover it, newest first.
    pub covered_by: Vec<LinkRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub text: String,
    #[serde(default)]
    pub as_of: Option<String>,
    #[serde(default)]
    pub links: Vec<LinkRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProxyGuide {
    pub title: String,
    pub url: String,
    /// Plans or capabilities it serves.
    pub values: Vec<String>,
    /// Estate systems it covers, as the guide names them.
    pub systems: Vec<String>,
    pub footnotes: Vec<String>,
    pub reviewed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenItem {
    pub step: String,
    pub item: String,
    pub label: String,
}

fn link_ref(guide: &Guide, id: &str) -> Option<LinkRef> {
    guide.link(id).map(|l| LinkRef {
        title: l.title.clone(),
        url: l.url.clone(),
    })
}

fn dated(n: &crate::catalog::Note) -> Note {
    Note {
        text: n.text.clone(),
        as_of: Some(n.as_of.clone()),
        links: vec![LinkRef {
            title: "Source".into(),
            url: n.source.clone(),
        }],
    }
}

/// Build the report model.
pub fn build(catalog: &Catalog, plan: &Plan, generated_at: &str) -> Result<Report, ReportError> {
    let guide = catalog
        .guide(&plan.guide)
        .ok_or_else(|| ReportError::UnknownGuide {
            plan: line(&plan.name).into_owned(),
            guide: line(&plan.guide).into_owned(),
            known: catalog.guide_ids().join(", "),
        })?;
    let flags = plan.flags(guide);
    let mut open_items = Vec::new();
    let steps = guide
        .steps
        .iter()
        .zip(plan.step_progress(guide))
        .map(|(step, sp)| {
            let items = plan
                .relevant_items(step, &flags)
                .into_iter()
                .map(|item| {
                    let a = plan.answer(&item.id);
                    let state = plan.item_state(guide, item).key();
                    if sp.required && !plan.is_complete(guide, item) {
                        open_items.push(OpenItem {
                            step: step.short.clone(),
                            item: item.id.clone(),
                            label: item.label.clone(),
                        });
                    }
                    let answer = plan.answer_text(guide, item);
                    ItemReport {
                        id: item.id.clone(),
                        label: item.label.clone(),
                        kind: item.kind.name().to_string(),
                        state: state.to_string(),
                        answer,
                        note: a.map(|a| text(&a.note).into_owned()).unwrap_or_default(),
                        links: plan
                            .item_links(guide, item)
                            .into_iter()
                            .map(|l| LinkRef {
                                title: l.title.clone(),
                                url: l.url.clone(),
                            })
                            .collect(),
                        changed_since: catalog
                            .common
                            .notes_about(guide, &item.id)
                            .map(dated)
                            .collect(),
                        depends: item.depends.clone(),
                        for_estate: plan
                            .rows_for(guide, item)
                            .into_iter()
                            .filter_map(|(_, r)| r.cells.first().cloned())
                            .collect(),
                        commands: item
                            .commands
                            .iter()
                            .map(|c| CommandReport {
                                label: c.label.clone(),
                                text: c.text.clone(),
                            })
                            .collect(),
                        owner: a.map(|a| line(&a.owner).into_owned()).unwrap_or_default(),
                        due: a
                            .and_then(|a| a.due.as_deref())
                            .map(|d| line(d).into_owned()),
                        overdue: plan.is_overdue(guide, item, generated_at),
                        reason: a.map(|a| line(&a.reason).into_owned()).unwrap_or_default(),
                    }
                })
                .collect();
            StepReport {
                id: sp.id,
                phase: sp.phase,
                title: sp.title,
                required: sp.required,
                done: sp.done,
                total: sp.total,
                items,
            }
        })
        .collect();
    let roles = plan
        .roles
        .iter()
        .map(|r| RoleReport {
            name: line(&r.name).into_owned(),
            group: line(&r.group).into_owned(),
            permissions: r
                .permissions
                .iter()
                .map(|p| {
                    catalog
                        .common
                        .permission(p)
                        .map_or_else(|| line(p).into_owned(), |x| x.label.clone())
                })
                .collect(),
        })
        .collect();
    let systems: Vec<SystemCount> = plan
        .estate
        .systems
        .iter()
        .map(|(id, n)| SystemCount {
            id: line(id).into_owned(),
            name: guide
                .system(id)
                .map_or_else(|| line(id).into_owned(), |s| s.name.clone()),
            devices: *n,
        })
        .collect();
    let unmatched: Vec<UnmatchedCount> = plan
        .unmatched(catalog, guide)
        .into_iter()
        .map(|u| UnmatchedCount {
            text: u.text(guide),
            name: u.name,
            devices: u.devices,
            predates: u.predates,
            covered_by: u
                .covered_by
                .into_iter()
                .map(|c| LinkRef {
                    title: c.name,
                    url: c.url,
                })
                .collect(),
        })
        .collect();
    let proxy_guides = plan
        .applicable_proxy(guide)
        .into_iter()
        .filter_map(|a| {
            let l = guide.link(&a.link)?;
            Some(ProxyGuide {
                title: l.title.clone(),
                url: l.url.clone(),
                values: a.values.clone(),
                systems: a
                    .systems
                    .iter()
                    .filter_map(|s| guide.system(s))
                    .map(|s| s.name.clone())
                    .collect(),
                footnotes: a
                    .footnotes
                    .iter()
                    .filter_map(|f| guide.footnote(f))
                    .map(|f| format!("{} {}", f.marker, f.text))
                    .collect(),
                reviewed: plan.reviewed.contains(&a.link),
            })
        })
        .collect();
    let progress = plan.progress(guide);
    let screens: Vec<&str> = guide.steps.iter().map(|s| s.screen.name()).collect();
    Ok(Report {
        format: "mde-migrate-report".into(),
        version: 1,
        generated_at: generated_at.to_string(),
        plan: Header {
            name: line(&plan.name).into_owned(),
            organisation: line(&plan.organisation).into_owned(),
            replacing: line(&plan.replacing).into_owned(),
            guide: guide.id.clone(),
            guide_title: guide.title.clone(),
            guide_published: guide.published.clone(),
            created: line(&plan.created).into_owned(),
            updated: line(&plan.updated).into_owned(),
        },
        progress: Count {
            done: progress.done,
            total: progress.total,
            percent: progress.percent,
        },
        defender_plan: plan.defender_plan(guide).map(str::to_string),
        phases: guide
            .phases
            .iter()
            .zip(plan.phase_progress(guide))
            .map(|(p, pp)| {
                let (url, date) = guide.phase_source(p);
                PhaseReport {
                    id: pp.id,
                    title: pp.title,
                    source_url: url.to_string(),
                    published: date.to_string(),
                    done: pp.progress.done,
                    total: pp.progress.total,
                    percent: pp.progress.percent,
                }
            })
            .collect(),
        steps,
        roles,
        estate: EstateReport {
            devices: systems
                .iter()
                .filter_map(|s| s.devices)
                .chain(unmatched.iter().map(|u| u.devices))
                .fold(0u64, u64::saturating_add),
            systems,
            unmatched,
            servers: plan.server_count(guide),
            downlevel: plan.downlevel_count(guide),
            downlevel_systems: plan.downlevel_names(guide),
            downlevel_under: Plan::downlevel_values(guide)
                .into_iter()
                .map(String::from)
                .collect(),
            unified_solution: plan.unified_count(guide),
            unified_systems: plan.unified_names(guide),
        },
        warnings: plan
            .warnings(guide)
            .into_iter()
            .map(|w| Note {
                text: w.text.clone(),
                as_of: None,
                links: w.links.iter().filter_map(|l| link_ref(guide, l)).collect(),
            })
            .collect(),
        proxy_guides,
        open_items,
        changed_since: catalog
            .common
            .notes_in(guide)
            .filter(|n| {
                n.screens
                    .iter()
                    .any(|s| screens.contains(&s.as_str()) || s == "summary")
            })
            .map(dated)
            .collect(),
        next: guide
            .phases
            .iter()
            .filter_map(|p| p.link.as_deref())
            .filter_map(|l| link_ref(guide, l))
            .collect(),
        conflicts: plan
            .conflicts(guide)
            .into_iter()
            .map(|c| Note {
                text: c.text,
                as_of: None,
                links: Vec::new(),
            })
            .collect(),
        gaps: plan
            .gaps(guide)
            .into_iter()
            .map(|g| Note {
                text: g.text(),
                as_of: None,
                links: Vec::new(),
            })
            .collect(),
        footnotes: guide
            .footnotes
            .iter()
            .map(|f| Note {
                text: format!("{} {}", f.marker, f.text),
                as_of: None,
                links: f.links.iter().filter_map(|l| link_ref(guide, l)).collect(),
            })
            .collect(),
        pages: std::iter::once(LinkRef {
            title: guide.title.clone(),
            url: guide.source_url.clone(),
        })
        .chain(guide.links.iter().map(|l| LinkRef {
            title: l.title.clone(),
            url: l.url.clone(),
        }))
        .collect(),
        attention: plan
            .attention(guide, generated_at)
            .into_iter()
            .map(|a| AttentionItem {
                step: a.step,
                item: a.item,
                label: a.label,
                state: a.state.to_string(),
                overdue: a.overdue,
                owner: a.owner,
                due: a.due,
                reason: a.reason,
            })
            .collect(),
    })
}

/// Render a plan's report.
pub fn render(
    catalog: &Catalog,
    plan: &Plan,
    format: Format,
    generated_at: &str,
) -> Result<String, ReportError> {
    let report = build(catalog, plan, generated_at)?;
    Ok(match format {
        Format::Markdown => markdown::render(&report),
        Format::Html => html::render(&report),
        Format::Json => {
            let mut value =
                serde_json::to_value(&report).map_err(|e| ReportError::Json(e.to_string()))?;
            crate::sanitize::json(&mut value);
            serde_json::to_string_pretty(&value).map_err(|e| ReportError::Json(e.to_string()))?
                + "\n"
        }
    })
}

impl Report {
    /// Does any item have an owner, a due date or a reason (the reports
    /// show those columns only then)?
    pub(crate) fn has_task_fields(&self) -> bool {
        self.steps
            .iter()
            .flat_map(|s| &s.items)
            .any(|i| !i.owner.is_empty() || i.due.is_some() || !i.reason.is_empty())
    }

    /// The steps in order, each with its number within its phase and, on
    /// the first step of a phase, that phase (for its heading).
    pub(crate) fn numbered_steps(
        &self,
    ) -> impl Iterator<Item = (Option<&PhaseReport>, usize, &StepReport)> {
        let mut phase = "";
        let mut number = 0;
        self.steps.iter().map(move |s| {
            let first = s.phase != phase;
            if first {
                phase = &s.phase;
                number = 0;
            }
            number += 1;
            let heading = first
                .then(|| self.phases.iter().find(|p| p.id == s.phase))
                .flatten();
            (heading, number, s)
        })
    }
}

/// "2027-01-15", with "(overdue)" after it when it is.
pub(crate) fn due_words(due: Option<&str>, overdue: bool) -> String {
    match (due, overdue) {
        (Some(d), true) => format!("{d} (overdue)"),
        (Some(d), false) => d.to_string(),
        (None, _) => String::new(),
    }
}

/// A state as a mark and a word: never colour alone.
pub(crate) fn state_words(state: &str) -> String {
    crate::plan::ItemState::from_key(state)
        .unwrap_or(crate::plan::ItemState::Unanswered)
        .label()
}
