//! Facts derived from a plan and its guide: flags, which Defender plan
//! applies, which items and steps count, progress, and the proxy guides that
//! apply to the estate. Pure.

use std::collections::BTreeSet;

use serde::Serialize;

use super::Plan;
use crate::catalog::{Axis, ChoiceOption, Family, Guide, Item, Role, Step, Warning};

/// Done out of total, with a whole percentage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    pub percent: u8,
}

impl Progress {
    pub fn new(done: usize, total: usize) -> Progress {
        let percent = (done * 100)
            .checked_div(total)
            .map_or(100, |p| u8::try_from(p).unwrap_or(100));
        Progress {
            done,
            total,
            percent,
        }
    }
}

/// Progress of one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepProgress {
    pub id: String,
    /// The phase the step belongs to ("prepare", "setup", "onboard").
    pub phase: String,
    pub title: String,
    pub done: usize,
    pub total: usize,
    /// False for a step that is optional for this plan (the generic proxy
    /// step when no proxy is in use). Optional steps do not count overall.
    pub required: bool,
}

/// Progress of one phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhaseProgress {
    pub id: String,
    pub title: String,
    #[serde(flatten)]
    pub progress: Progress,
}

/// A proxy guide that applies to this estate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Applicable {
    /// Link id of the resource.
    pub link: String,
    /// The plan or capability values of the rows it comes from.
    pub values: Vec<String>,
    /// Estate system ids it covers.
    pub systems: Vec<String>,
    /// Footnote ids of those systems.
    pub footnotes: Vec<String>,
}

impl Plan {
    /// Flags set by the answers ("proxy", "servers", "rbac", …) and by the
    /// estate: servers in it set the flags of the servers item's flagged
    /// answer, as if it were answered Yes.
    pub fn flags(&self, guide: &Guide) -> BTreeSet<String> {
        let mut flags = BTreeSet::new();
        for (_, item) in guide.items() {
            if let Some(opt) = self
                .answers
                .get(&item.id)
                .and_then(|a| a.choice.as_deref())
                .and_then(|c| item.option(c))
            {
                flags.extend(opt.flags.iter().cloned());
            }
        }
        if self.server_count(guide).is_some()
            && let Some((_, item)) = guide.role(Role::Servers)
        {
            for o in &item.options {
                flags.extend(o.flags.iter().cloned());
            }
        }
        flags.extend(self.derived_flags(guide));
        flags
    }

    /// The flags the estate and the licence give (see
    /// [`crate::catalog::DERIVED_FLAGS`]): the families and kinds of
    /// devices in the estate, the Defender plan. What is not known yet
    /// counts as everything: an empty estate sets every estate flag, no
    /// plan chosen sets both plan flags.
    pub fn derived_flags(&self, guide: &Guide) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let systems: Vec<&crate::catalog::System> = self
            .estate
            .systems
            .keys()
            .filter_map(|id| guide.system(id))
            .collect();
        if systems.is_empty() {
            out.extend(
                crate::catalog::DERIVED_FLAGS
                    .iter()
                    .filter(|f| f.starts_with("os-"))
                    .map(|f| (*f).to_string()),
            );
            out.extend(guide.systems.iter().flat_map(|s| s.flags.iter().cloned()));
        }
        for s in systems {
            out.extend(s.flags.iter().cloned());
            out.insert(format!("os-{}", s.family.name().to_lowercase()));
            if s.family == Family::Windows {
                out.insert(
                    if s.server {
                        "os-windows-server"
                    } else {
                        "os-windows-client"
                    }
                    .into(),
                );
            }
            if s.downlevel {
                out.insert("os-downlevel".into());
            }
            if s.unified_solution {
                out.insert("os-unified".into());
            }
        }
        match self.defender_plan(guide) {
            Some(p) => {
                out.insert(format!("plan-{}", p.to_lowercase()));
            }
            None => {
                out.insert("plan-p1".into());
                out.insert("plan-p2".into());
            }
        }
        out
    }

    /// Does the item count for this plan (its `when` flag, if any, is set)?
    pub fn is_relevant(&self, item: &Item, flags: &BTreeSet<String>) -> bool {
        item.when.as_ref().is_none_or(|f| flags.contains(f))
    }

    /// Is the step required for this plan?
    pub fn is_step_required(&self, step: &Step, flags: &BTreeSet<String>) -> bool {
        step.required_when
            .as_ref()
            .is_none_or(|f| flags.contains(f))
    }

    /// The Defender for Endpoint plan ("P1"/"P2") the licence answer gives.
    pub fn defender_plan<'g>(&self, guide: &'g Guide) -> Option<&'g str> {
        self.chosen(guide, Role::LicenceRoute)?.plan.as_deref()
    }

    /// The answer chosen for the item holding a role.
    pub fn chosen<'g>(&self, guide: &'g Guide, role: Role) -> Option<&'g ChoiceOption> {
        let (_, item) = guide.role(role)?;
        let choice = self.answers.get(&item.id)?.choice.as_deref()?;
        item.option(choice)
    }

    /// The items of a step that count for this plan, in order.
    pub fn relevant_items<'g>(&self, step: &'g Step, flags: &BTreeSet<String>) -> Vec<&'g Item> {
        step.items
            .iter()
            .filter(|i| self.is_relevant(i, flags))
            .collect()
    }

    pub fn step_progress(&self, guide: &Guide) -> Vec<StepProgress> {
        let flags = self.flags(guide);
        guide
            .steps
            .iter()
            .map(|step| {
                let items = self.relevant_items(step, &flags);
                let done = items.iter().filter(|i| self.is_complete(guide, i)).count();
                StepProgress {
                    id: step.id.clone(),
                    phase: step.phase.clone(),
                    title: step.title.clone(),
                    done,
                    total: items.len(),
                    required: self.is_step_required(step, &flags),
                }
            })
            .collect()
    }

    /// The rows of an item's tables that concern this plan (their `when`
    /// flags are set by the estate or the answers), with the table's
    /// title: the onboarding methods, detection tests and exclusions for
    /// the estate's operating systems.
    pub fn rows_for<'g>(
        &self,
        guide: &'g Guide,
        item: &'g Item,
    ) -> Vec<(&'g crate::catalog::Table, &'g crate::catalog::TableRow)> {
        let flags = self.flags(guide);
        // An item for one kind of device (its `when` is an estate flag)
        // takes the rows of that flag where the table has some, else the
        // rows of its family ("os-windows" takes the down-level rows).
        let when = item.when.as_deref();
        let family = when.and_then(crate::catalog::flag_family);
        item.tables
            .iter()
            .flat_map(|t| {
                let exact =
                    when.is_some_and(|w| t.rows.iter().any(|r| r.when.iter().any(|f| f == w)));
                t.rows.iter().map(move |r| (t, r, exact))
            })
            .filter(|(_, r, _)| r.when.iter().any(|f| flags.contains(f)))
            .filter(|(_, r, exact)| match (when, family) {
                (Some(w), _) if *exact => r.when.iter().any(|f| f == w),
                (_, Some(fam)) => r
                    .when
                    .iter()
                    .any(|f| crate::catalog::flag_family(f) == Some(fam)),
                _ => true,
            })
            .map(|(t, r, _)| (t, r))
            .collect()
    }

    /// Progress of each phase of the guide, in order, over its required
    /// steps.
    pub fn phase_progress(&self, guide: &Guide) -> Vec<PhaseProgress> {
        let steps = self.step_progress(guide);
        guide
            .phases
            .iter()
            .map(|p| {
                let (done, total) = steps
                    .iter()
                    .filter(|s| s.required && s.phase == p.id)
                    .fold((0, 0), |(d, t), s| (d + s.done, t + s.total));
                PhaseProgress {
                    id: p.id.clone(),
                    title: p.title.clone(),
                    progress: Progress::new(done, total),
                }
            })
            .collect()
    }

    /// Overall progress over the required steps.
    pub fn progress(&self, guide: &Guide) -> Progress {
        let (done, total) = self
            .step_progress(guide)
            .iter()
            .filter(|s| s.required)
            .fold((0, 0), |(d, t), s| (d + s.done, t + s.total));
        Progress::new(done, total)
    }

    /// Warnings whose flag is set (the Defender for Servers licence warning).
    pub fn warnings<'g>(&self, guide: &'g Guide) -> Vec<&'g Warning> {
        let flags = self.flags(guide);
        guide
            .warnings
            .iter()
            .filter(|w| flags.contains(&w.when))
            .collect()
    }

    /// Families with at least one system in the estate.
    pub fn estate_families(&self, guide: &Guide) -> BTreeSet<Family> {
        self.estate
            .systems
            .keys()
            .filter_map(|id| guide.system(id))
            .map(|s| s.family)
            .collect()
    }

    /// The estate's systems of one family, with their device counts.
    pub fn family_systems<'g>(
        &self,
        guide: &'g Guide,
        family: Family,
    ) -> Vec<(&'g crate::catalog::System, Option<u64>)> {
        self.estate
            .systems
            .iter()
            .filter_map(|(id, count)| {
                let sys = guide.system(id).filter(|s| s.family == family)?;
                Some((sys, *count))
            })
            .collect()
    }

    /// Server systems in the estate, with the devices counted on them
    /// (`Some(0)` devices counted = servers present but not counted).
    pub fn server_count(&self, guide: &Guide) -> Option<u64> {
        self.count_where(guide, |s| s.server)
    }

    /// Devices on the systems the guide marks down-level.
    pub fn downlevel_count(&self, guide: &Guide) -> Option<u64> {
        self.count_where(guide, |s| s.downlevel)
    }

    /// Devices on systems that need the modern unified solution.
    pub fn unified_count(&self, guide: &Guide) -> Option<u64> {
        self.count_where(guide, |s| s.unified_solution)
    }

    fn count_where(
        &self,
        guide: &Guide,
        pick: impl Fn(&crate::catalog::System) -> bool,
    ) -> Option<u64> {
        let mut any = false;
        let mut total = 0u64;
        for (id, count) in &self.estate.systems {
            if guide.system(id).is_some_and(&pick) {
                any = true;
                total = total.saturating_add(count.unwrap_or(0));
            }
        }
        any.then_some(total)
    }

    /// The proxy table values that apply: for a plan axis, the Defender plan
    /// chosen (or every plan while none is); for a capability axis, every
    /// capability (a migration deploys both EDR and antivirus).
    pub fn proxy_values<'g>(&self, guide: &'g Guide) -> Vec<&'g str> {
        let values = guide.proxy_table.values.iter().map(|v| v.id.as_str());
        match (guide.proxy_table.axis, self.defender_plan(guide)) {
            (Axis::Plan, Some(p)) => values.filter(|v| *v == p).collect(),
            _ => values.collect(),
        }
    }

    /// The proxy guides that apply to the systems of this estate.
    pub fn applicable_proxy(&self, guide: &Guide) -> Vec<Applicable> {
        let values = self.proxy_values(guide);
        let mut out: Vec<Applicable> = Vec::new();
        for row in &guide.proxy_table.rows {
            if !values.contains(&row.value.as_str()) {
                continue;
            }
            let hits: Vec<_> = row
                .systems
                .iter()
                .filter(|s| self.estate.systems.contains_key(&s.system))
                .collect();
            if hits.is_empty() {
                continue;
            }
            for res in &row.resources {
                // One page is one entry, even under two link ids (macOS
                // EDR and Antivirus share one address): reviewed once.
                let url = guide.link(res).map(|l| l.url.as_str());
                let same = |a: &Applicable| {
                    &a.link == res
                        || url.is_some_and(|u| guide.link(&a.link).is_some_and(|l| l.url == u))
                };
                let entry = match out.iter().position(same) {
                    Some(i) => &mut out[i],
                    None => {
                        out.push(Applicable {
                            link: res.clone(),
                            values: Vec::new(),
                            systems: Vec::new(),
                            footnotes: Vec::new(),
                        });
                        let last = out.len() - 1;
                        &mut out[last]
                    }
                };
                push_unique(&mut entry.values, &row.value);
                for h in &hits {
                    push_unique(&mut entry.systems, &h.system);
                    if let Some(f) = &h.footnote {
                        push_unique(&mut entry.footnotes, f);
                    }
                }
            }
        }
        out
    }
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    if !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}

/// Where an item stands, as reports, scripts and plain mode say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemState {
    Done,
    Todo,
    NotApplicable,
    Unanswered,
    Blocked,
    Waiting,
}

impl ItemState {
    /// The word scripts read: `done`, `todo`, `not-applicable`,
    /// `unanswered`, `blocked`, `waiting`.
    pub fn key(self) -> &'static str {
        match self {
            ItemState::Done => "done",
            ItemState::Todo => "todo",
            ItemState::NotApplicable => "not-applicable",
            ItemState::Unanswered => "unanswered",
            ItemState::Blocked => "blocked",
            ItemState::Waiting => "waiting",
        }
    }

    /// The state a script key names (see [`ItemState::key`]).
    pub fn from_key(key: &str) -> Option<ItemState> {
        [
            ItemState::Done,
            ItemState::Todo,
            ItemState::NotApplicable,
            ItemState::Unanswered,
            ItemState::Blocked,
            ItemState::Waiting,
        ]
        .into_iter()
        .find(|s| s.key() == key)
    }

    /// The one mark for this state, everywhere (wizard, plain mode,
    /// `status`, reports): never colour alone.
    pub fn mark(self) -> &'static str {
        match self {
            ItemState::Done => "✓",
            ItemState::Todo => "○",
            ItemState::NotApplicable => "–",
            ItemState::Unanswered => "?",
            ItemState::Blocked => "⊘",
            ItemState::Waiting => "…",
        }
    }

    /// The state in words: "done", "to do", "not applicable", "not
    /// answered", "blocked", "waiting".
    pub fn word(self) -> &'static str {
        match self {
            ItemState::Done => "done",
            ItemState::Todo => "to do",
            ItemState::NotApplicable => "not applicable",
            ItemState::Unanswered => "not answered",
            ItemState::Blocked => "blocked",
            ItemState::Waiting => "waiting",
        }
    }

    /// Mark and word: "⊘ blocked".
    pub fn label(self) -> String {
        format!("{} {}", self.mark(), self.word())
    }

    /// The legend of the marks, in one line: done, to do, n/a and not
    /// answered always; blocked and waiting when `shown` holds them. Kept
    /// within `width` characters by leaving out the marks not shown.
    pub fn legend(shown: &[ItemState], width: usize) -> String {
        let word = |s: ItemState| match s {
            ItemState::NotApplicable => format!("{} n/a", s.mark()),
            _ => s.label(),
        };
        let base = [ItemState::Done, ItemState::Todo, ItemState::NotApplicable];
        let extra = [ItemState::Blocked, ItemState::Waiting];
        let mut all: Vec<ItemState> = base.to_vec();
        all.extend(extra.iter().filter(|s| shown.contains(s)));
        all.push(ItemState::Unanswered);
        let full = all.iter().map(|s| word(*s)).collect::<Vec<_>>().join(" ");
        if full.chars().count() <= width {
            return full;
        }
        all.iter()
            .filter(|s| shown.contains(s))
            .map(|s| word(*s))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl Plan {
    /// Not applicable, done (closed), to do (answered but open) or not
    /// answered yet.
    pub fn item_state(&self, guide: &Guide, item: &Item) -> ItemState {
        let status = self.answers.get(&item.id).and_then(|a| a.status);
        if status == Some(super::Status::NotApplicable) {
            ItemState::NotApplicable
        } else if status == Some(super::Status::Blocked) {
            ItemState::Blocked
        } else if status == Some(super::Status::Waiting) {
            ItemState::Waiting
        } else if self.is_complete(guide, item) {
            ItemState::Done
        } else if self.is_answered(guide, item) {
            ItemState::Todo
        } else {
            ItemState::Unanswered
        }
    }

    /// The guidance pages of an item: its own, then the chosen option's,
    /// then the other options' (each option's page stays reachable), then
    /// the pages of the warnings an option of this item can raise.
    pub fn item_links<'g>(&self, guide: &'g Guide, item: &Item) -> Vec<&'g crate::catalog::Link> {
        let chosen = self
            .answers
            .get(&item.id)
            .and_then(|a| a.choice.as_deref())
            .and_then(|c| item.option(c));
        let mut ids: Vec<&str> = item.links.iter().map(String::as_str).collect();
        ids.extend(chosen.and_then(|o| o.link.as_deref()));
        ids.extend(item.options.iter().filter_map(|o| o.link.as_deref()));
        let flags: Vec<&str> = item
            .options
            .iter()
            .flat_map(|o| o.flags.iter().map(String::as_str))
            .collect();
        for w in guide
            .warnings
            .iter()
            .filter(|w| flags.contains(&w.when.as_str()))
        {
            ids.extend(w.links.iter().map(String::as_str));
        }
        let mut out: Vec<&'g crate::catalog::Link> = Vec::new();
        for l in ids.into_iter().filter_map(|id| guide.link(id)) {
            if !out.iter().any(|x| x.id == l.id) {
                out.push(l);
            }
        }
        out
    }
}

impl Plan {
    /// The answer to an item in words, if it has one: the status of a task,
    /// the chosen option's label, the text, the systems chosen, the roles
    /// planned, the proxy guides reviewed. User text comes back cleaned.
    pub fn answer_text(&self, guide: &Guide, item: &Item) -> Option<String> {
        let a = self.answers.get(&item.id);
        match item.kind {
            crate::catalog::ItemKind::Task => {
                a.and_then(|a| a.status).map(|s| s.word().to_string())
            }
            crate::catalog::ItemKind::Choice => a
                .and_then(|a| a.choice.as_deref())
                .and_then(|c| item.option(c))
                .map(|o| o.label.clone()),
            crate::catalog::ItemKind::Text => a
                .and_then(|a| a.text.as_deref())
                .filter(|t| !t.is_empty())
                .map(|t| crate::sanitize::line(t).into_owned()),
            crate::catalog::ItemKind::Systems => {
                let names: Vec<&str> = self
                    .estate
                    .systems
                    .keys()
                    .filter_map(|s| guide.system(s))
                    .map(|s| s.name.as_str())
                    .collect();
                (!names.is_empty()).then(|| names.join(", "))
            }
            crate::catalog::ItemKind::Roles => match self.roles.len() {
                0 => None,
                n => Some(format!("{} planned", crate::words::count(n, "role"))),
            },
            crate::catalog::ItemKind::ProxyReview => {
                let all = self.applicable_proxy(guide);
                let done = all
                    .iter()
                    .filter(|x| self.reviewed.contains(&x.link))
                    .count();
                (!all.is_empty()).then(|| format!("{done} of {} reviewed", all.len()))
            }
        }
    }
}

/// An answer the estate or the licence contradicts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    /// "servers-answer" or "downlevel-plan".
    pub id: &'static str,
    /// The item whose answer is in question.
    pub item: String,
    /// One sentence saying what disagrees and what counts.
    pub text: String,
}

/// Estate systems with no row in the guide's proxy table for one plan or
/// capability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// "P1", "P2", "EDR", "Antivirus".
    pub value: String,
    pub systems: Vec<GapSystem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GapSystem {
    pub id: String,
    pub name: String,
    /// `None` when the devices are not counted.
    pub devices: Option<u64>,
}

impl Gap {
    /// "no P2 row for: Linux (40 devices), iOS (not counted)".
    pub fn text(&self) -> String {
        let names: Vec<String> = self
            .systems
            .iter()
            .map(|s| match s.devices {
                Some(n) => format!("{} ({})", s.name, crate::words::count(n, "device")),
                None => format!("{} (not counted)", s.name),
            })
            .collect();
        format!("No {} row for: {}", self.value, names.join(", "))
    }
}

impl Plan {
    /// The table values (plans or capabilities) that list down-level systems.
    pub fn downlevel_values(guide: &Guide) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for r in &guide.proxy_table.rows {
            let down = r
                .systems
                .iter()
                .any(|c| guide.system(&c.system).is_some_and(|s| s.downlevel));
            if down && !out.contains(&r.value.as_str()) {
                out.push(&r.value);
            }
        }
        out
    }

    /// The estate's down-level systems, named as the guide names them.
    pub fn downlevel_names(&self, guide: &Guide) -> String {
        self.estate_names(guide, |s| s.downlevel)
    }

    /// The estate's systems that need the modern unified solution, named
    /// as the guide names them.
    pub fn unified_names(&self, guide: &Guide) -> String {
        self.estate_names(guide, |s| s.unified_solution)
    }

    fn estate_names(
        &self,
        guide: &Guide,
        pick: impl Fn(&crate::catalog::System) -> bool,
    ) -> String {
        // In the guide's order, as its table lists them.
        let names: Vec<&str> = guide
            .systems
            .iter()
            .filter(|s| self.estate.systems.contains_key(&s.id) && pick(s))
            .map(|s| s.name.as_str())
            .collect();
        names.join(", ")
    }

    /// Every contradiction between the answers and the estate: servers
    /// answered No while the estate lists servers (the estate wins: the
    /// server licence warning applies), and a Plan 1 licence with down-level
    /// devices, which the guide lists under Plan 2 only.
    pub fn conflicts(&self, guide: &Guide) -> Vec<Conflict> {
        let mut out = Vec::new();
        if let Some((_, servers)) = guide.role(Role::Servers)
            && let Some(opt) = self.chosen(guide, Role::Servers)
            && opt.flags.is_empty()
            && let Some(n) = self.server_count(guide)
        {
            let counted = match n {
                0 => "server systems".to_string(),
                n => crate::words::count(n, "server device"),
            };
            out.push(Conflict {
                id: "servers-answer",
                item: servers.id.clone(),
                text: format!(
                    "\"{}\" is answered {}, but the estate lists {counted} ({}). The estate counts: they need a server licence.",
                    servers.label,
                    opt.label,
                    self.estate_names(guide, |s| s.server)
                ),
            });
        }
        if let (Some(plan), Some(n), Some((_, route))) = (
            self.defender_plan(guide),
            self.downlevel_count(guide),
            guide.role(Role::LicenceRoute),
        ) {
            let values = Plan::downlevel_values(guide);
            if !values.is_empty() && !values.contains(&plan) {
                let devices = match n {
                    0 => "down-level systems".to_string(),
                    n => crate::words::count(n, "down-level device"),
                };
                out.push(Conflict {
                    id: "downlevel-plan",
                    item: route.id.clone(),
                    text: format!(
                        "The licence gives {plan}, but the estate has {devices} ({}); the guide lists them under {} only: they need {}.",
                        self.estate_names(guide, |s| s.downlevel),
                        values.join("/"),
                        values.join(" or ")
                    ),
                });
            }
        }
        out
    }

    /// Every system of the estate with no row in the proxy table, per plan
    /// or capability that applies, with its device count. Systems the table
    /// never names (iOS, Android) are listed too, never dropped.
    pub fn gaps(&self, guide: &Guide) -> Vec<Gap> {
        let mut out = Vec::new();
        for value in self.proxy_values(guide) {
            let mut systems: Vec<GapSystem> = self
                .estate
                .systems
                .iter()
                .filter(|(id, _)| {
                    !guide
                        .proxy_table
                        .rows
                        .iter()
                        .any(|r| r.value == value && r.systems.iter().any(|c| &c.system == *id))
                })
                .map(|(id, n)| GapSystem {
                    id: id.clone(),
                    name: guide.system(id).map_or_else(
                        || crate::sanitize::line(id).into_owned(),
                        |s| s.name.clone(),
                    ),
                    devices: *n,
                })
                .collect();
            let rank = |id: &str| guide.systems.iter().position(|s| s.id == id);
            systems.sort_by_key(|s| (rank(&s.id).is_none(), rank(&s.id)));
            if !systems.is_empty() {
                out.push(Gap {
                    value: value.to_string(),
                    systems,
                });
            }
        }
        out
    }
}
