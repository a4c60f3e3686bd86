//! The operator's plan: answers, roles, estate and position, with progress
//! and the facts derived from them. Pure: no I/O, no clock (callers pass the
//! time), no terminal.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::catalog::{Guide, Item, ItemKind};

mod coverage;
mod de;
mod derive;
mod edit;
mod task;

pub use coverage::{Cover, CoveringPage, Unmatched, covering_pages, locate as locate_unmatched};
pub use derive::{
    Applicable, Conflict, Gap, GapSystem, ItemState, PhaseProgress, Progress, StepProgress,
};
pub use edit::PlanError;
pub use task::{Attention, MAX_OWNER, MAX_REASON, valid_date};

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = 2;

/// Longest plan name, in characters.
pub const MAX_NAME: usize = 80;
/// Longest organisation or product name.
pub const MAX_SHORT_TEXT: usize = 120;
/// Longest free-text answer.
pub const MAX_TEXT: usize = 200;
/// Longest note.
pub const MAX_NOTE: usize = 4000;
/// Most roles in one plan.
pub const MAX_ROLES: usize = 1000;

/// An item's status. `None` in an [`Answer`] means "not yet answered";
/// [`Status::NotApplicable`] is an answer of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Todo,
    Done,
    NotApplicable,
    /// Cannot go on until something else happens (a reason is required).
    Blocked,
    /// Waiting on someone or something (a reason is optional).
    Waiting,
}

impl Status {
    /// The statuses the wizard cycles through with its status key.
    pub const ALL: [Status; 3] = [Status::Todo, Status::Done, Status::NotApplicable];
    /// Every status, in the order a state chooser offers them.
    pub const EVERY: [Status; 5] = [
        Status::Todo,
        Status::Done,
        Status::NotApplicable,
        Status::Blocked,
        Status::Waiting,
    ];

    pub fn word(self) -> &'static str {
        match self {
            Status::Todo => "to do",
            Status::Done => "done",
            Status::NotApplicable => "not applicable",
            Status::Blocked => "blocked",
            Status::Waiting => "waiting",
        }
    }

    /// Does this status take a reason (not applicable, blocked, waiting)?
    pub fn takes_reason(self) -> bool {
        matches!(
            self,
            Status::NotApplicable | Status::Blocked | Status::Waiting
        )
    }

    /// Must a reason be given with it (not applicable, blocked)? Waiting
    /// takes one if the operator has one.
    pub fn needs_reason(self) -> bool {
        matches!(self, Status::NotApplicable | Status::Blocked)
    }

    /// The value scripts pass (`todo`, `done`, `n/a`, `blocked`, `waiting`).
    pub fn key(self) -> &'static str {
        match self {
            Status::Todo => "todo",
            Status::Done => "done",
            Status::NotApplicable => "n/a",
            Status::Blocked => "blocked",
            Status::Waiting => "waiting",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        match s.trim().to_lowercase().replace([' ', '_'], "-").as_str() {
            "todo" | "to-do" | "open" => Some(Status::Todo),
            "done" | "yes" | "complete" => Some(Status::Done),
            "n/a" | "na" | "not-applicable" | "skip" => Some(Status::NotApplicable),
            "blocked" | "block" | "stuck" => Some(Status::Blocked),
            "waiting" | "wait" | "on-hold" | "pending" => Some(Status::Waiting),
            _ => None,
        }
    }

    /// Next status in the cycle to do → done → not applicable → to do.
    pub fn next(self) -> Status {
        match self {
            Status::Todo => Status::Done,
            Status::Done => Status::NotApplicable,
            Status::NotApplicable | Status::Blocked | Status::Waiting => Status::Todo,
        }
    }
}

/// The operator's answer to one item.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Answer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choice: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Who does it (free text).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub owner: String,
    /// When it is due, `YYYY-MM-DD` (a hand-edited value that is not a
    /// date is kept but never counts as overdue).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    /// Why the item is not applicable, blocked or waiting.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    #[serde(default)]
    pub updated: String,
    /// Fields written by a newer build, kept on round trip.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// One planned RBAC role.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Role {
    pub name: String,
    /// The directory (Entra ID) group the role maps to.
    #[serde(default)]
    pub group: String,
    /// Permission ids from the catalog.
    #[serde(default)]
    pub permissions: BTreeSet<String>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// The operating systems of the estate: guide system ids with optional
/// device counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Estate {
    #[serde(default)]
    pub systems: BTreeMap<String, Option<u64>>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// Where the operator was: a screen, and on a step screen the step and item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    #[serde(default)]
    pub screen: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
}

/// One migration effort.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Plan {
    pub schema_version: u32,
    pub name: String,
    #[serde(default)]
    pub organisation: String,
    /// The product being replaced.
    #[serde(default)]
    pub replacing: String,
    /// The guide this plan follows.
    pub guide: String,
    #[serde(default)]
    pub created: String,
    #[serde(default)]
    pub updated: String,
    #[serde(default)]
    pub answers: BTreeMap<String, Answer>,
    #[serde(default)]
    pub roles: Vec<Role>,
    #[serde(default)]
    pub estate: Estate,
    /// Link ids of proxy guides marked reviewed.
    #[serde(default)]
    pub reviewed: BTreeSet<String>,
    #[serde(default)]
    pub position: Position,
    /// Fields written by a newer build, kept on round trip.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl Plan {
    /// A fresh plan following `guide`, with the product being replaced
    /// filled in as the answer of the guide's product item, if it has one.
    pub fn create(
        name: &str,
        organisation: &str,
        replacing: &str,
        guide: &crate::catalog::Guide,
        now: &str,
    ) -> Result<Plan, PlanError> {
        let mut plan = Plan::new(name, organisation, replacing, &guide.id, now)?;
        if !plan.replacing.is_empty()
            && let Some((_, item)) = guide.role(crate::catalog::Role::Product)
        {
            plan.answers.insert(
                item.id.clone(),
                Answer {
                    text: Some(plan.replacing.clone()),
                    updated: now.to_string(),
                    ..Answer::default()
                },
            );
        }
        Ok(plan)
    }

    /// A fresh plan with no answers. Validates the name; the guide id is
    /// trusted (callers take it from the catalog). [`Plan::create`] also
    /// fills in the product being replaced.
    pub fn new(
        name: &str,
        organisation: &str,
        replacing: &str,
        guide: &str,
        now: &str,
    ) -> Result<Plan, PlanError> {
        let name = edit::valid_name(name)?;
        let organisation = edit::valid_short("organisation", organisation)?;
        let replacing = edit::valid_short("product being replaced", replacing)?;
        let plan = Plan {
            schema_version: SCHEMA_VERSION,
            name,
            organisation,
            replacing,
            guide: guide.to_string(),
            created: now.to_string(),
            updated: now.to_string(),
            answers: BTreeMap::new(),
            roles: Vec::new(),
            estate: Estate::default(),
            reviewed: BTreeSet::new(),
            position: Position {
                screen: "overview".into(),
                step: None,
                item: None,
            },
            extra: BTreeMap::new(),
        };
        Ok(plan)
    }

    pub fn answer(&self, item: &str) -> Option<&Answer> {
        self.answers.get(item)
    }

    /// Is this item answered in a way that closes it?
    pub fn is_complete(&self, guide: &Guide, item: &Item) -> bool {
        let a = self.answers.get(&item.id);
        match a.and_then(|a| a.status) {
            Some(Status::NotApplicable) => return true,
            Some(Status::Blocked | Status::Waiting) => return false,
            _ => {}
        }
        match item.kind {
            ItemKind::Task => a.and_then(|a| a.status) == Some(Status::Done),
            ItemKind::Choice => a.and_then(|a| a.choice.as_ref()).is_some(),
            ItemKind::Text => a
                .and_then(|a| a.text.as_deref())
                .is_some_and(|t| !t.trim().is_empty()),
            ItemKind::Systems => !self.estate.systems.is_empty(),
            ItemKind::Roles => !self.roles.is_empty(),
            ItemKind::ProxyReview => {
                let applicable = self.applicable_proxy(guide);
                !applicable.is_empty() && applicable.iter().all(|a| self.reviewed.contains(&a.link))
            }
        }
    }

    /// Has the operator said anything about this item yet?
    pub fn is_answered(&self, guide: &Guide, item: &Item) -> bool {
        let a = self.answers.get(&item.id);
        let said = a.is_some_and(|a| a.status.is_some() || a.choice.is_some())
            || a.and_then(|a| a.text.as_deref())
                .is_some_and(|t| !t.is_empty());
        said || match item.kind {
            ItemKind::Systems => !self.estate.systems.is_empty(),
            ItemKind::Roles => !self.roles.is_empty(),
            ItemKind::ProxyReview => !self.reviewed.is_empty(),
            _ => false,
        } || self.is_complete(guide, item)
    }
}
