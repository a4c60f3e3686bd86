//! Changing a plan: every answer goes through here, validated against the
//! guide, so the wizard, plain mode and scripts share one set of rules.
//! Pure: the caller passes the time.

use super::{Answer, MAX_NAME, MAX_NOTE, MAX_ROLES, MAX_SHORT_TEXT, MAX_TEXT, Plan, Role, Status};
use crate::catalog::{Guide, ItemKind};

/// A change the plan refuses, saying what was wrong and what would do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("the plan name is empty: give it a name such as \"Contoso rollout\"")]
    EmptyName,
    #[error("the plan name is {0} characters long; keep it to {MAX_NAME}")]
    NameTooLong(usize),
    #[error("the {0} contains control characters; type plain text")]
    ControlCharacters(&'static str),
    #[error("the {what} is {len} characters long; keep it to {max}")]
    TooLong {
        what: &'static str,
        len: usize,
        max: usize,
    },
    #[error("unknown item {item:?} in guide {guide}; items: {valid}")]
    UnknownItem {
        item: String,
        guide: String,
        valid: String,
    },
    #[error("{value:?} is not a valid answer for {item:?}; use one of: {valid}")]
    InvalidValue {
        item: String,
        value: String,
        valid: String,
    },
    #[error("item {item:?} is a {kind} list, not one value: {how}")]
    NotSettable {
        item: String,
        kind: &'static str,
        how: &'static str,
    },
    #[error("a plan holds at most {MAX_ROLES} roles")]
    TooManyRoles,
    #[error("no role number {0}")]
    NoSuchRole(usize),
    #[error("unknown operating system {0:?} for this guide")]
    UnknownSystem(String),
    #[error("{value:?} is not a date; give the due date as YYYY-MM-DD, such as 2027-01-15")]
    BadDate { value: String },
    #[error("marking {item:?} {state} needs a reason: say why")]
    ReasonRequired { item: String, state: &'static str },
    #[error("{state} applies to tasks; answer {item:?} with one of its values instead")]
    TaskStateOnly { item: String, state: &'static str },
}

pub(super) fn valid_name(name: &str) -> Result<String, PlanError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(PlanError::EmptyName);
    }
    if name.chars().any(char::is_control) || crate::sanitize::has_hostile(name) {
        return Err(PlanError::ControlCharacters("plan name"));
    }
    let len = name.chars().count();
    if len > MAX_NAME {
        return Err(PlanError::NameTooLong(len));
    }
    Ok(name.to_string())
}

pub(super) fn limited(
    what: &'static str,
    s: &str,
    max: usize,
    multiline: bool,
) -> Result<String, PlanError> {
    let bad = s
        .chars()
        .any(|c| c.is_control() && !(multiline && c == '\n'))
        || crate::sanitize::has_hostile(&s.replace('\n', ""));
    if bad {
        return Err(PlanError::ControlCharacters(what));
    }
    let len = s.chars().count();
    if len > max {
        return Err(PlanError::TooLong { what, len, max });
    }
    Ok(if multiline {
        s.trim_end().to_string()
    } else {
        s.trim().to_string()
    })
}

pub(super) fn valid_short(what: &'static str, s: &str) -> Result<String, PlanError> {
    limited(what, s, MAX_SHORT_TEXT, false)
}

impl Plan {
    fn touch_answer(&mut self, item: &str, now: &str) -> &mut Answer {
        self.updated = now.to_string();
        let a = self.answers.entry(item.to_string()).or_default();
        a.updated = now.to_string();
        a
    }

    pub fn rename(&mut self, name: &str, now: &str) -> Result<(), PlanError> {
        self.name = valid_name(name)?;
        self.updated = now.to_string();
        Ok(())
    }

    pub fn set_details(
        &mut self,
        organisation: &str,
        replacing: &str,
        now: &str,
    ) -> Result<(), PlanError> {
        self.organisation = valid_short("organisation", organisation)?;
        self.replacing = valid_short("product being replaced", replacing)?;
        self.updated = now.to_string();
        Ok(())
    }

    pub fn set_status(&mut self, item: &str, status: Option<Status>, now: &str) {
        let a = self.touch_answer(item, now);
        a.status = status;
        if !status.is_some_and(Status::takes_reason) {
            a.reason.clear();
        }
    }

    pub fn set_choice(&mut self, item: &str, choice: Option<&str>, now: &str) {
        let a = self.touch_answer(item, now);
        a.choice = choice.map(str::to_string);
        if choice.is_some() && a.status.is_some_and(Status::takes_reason) {
            a.status = None;
            a.reason.clear();
        }
    }

    pub fn set_text(&mut self, item: &str, text: &str, now: &str) -> Result<(), PlanError> {
        let text = limited("answer", text, MAX_TEXT, false)?;
        let a = self.touch_answer(item, now);
        a.text = (!text.is_empty()).then_some(text);
        Ok(())
    }

    pub fn set_note(&mut self, item: &str, note: &str, now: &str) -> Result<(), PlanError> {
        let note = limited("note", note, MAX_NOTE, true)?;
        self.touch_answer(item, now).note = note;
        Ok(())
    }

    /// Record an answer given as text (scripts, plain mode): `todo`/`done`/`n/a`
    /// for tasks, an option id for choices, any text for text items;
    /// `n/a` is accepted for every item.
    pub fn set_value(
        &mut self,
        guide: &Guide,
        item_id: &str,
        value: &str,
        now: &str,
    ) -> Result<(), PlanError> {
        let Some((_, item)) = guide.item(item_id) else {
            return Err(PlanError::UnknownItem {
                item: item_id.to_string(),
                guide: guide.id.clone(),
                valid: guide
                    .items()
                    .map(|(_, i)| i.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        };
        if item.kind != ItemKind::Task && Status::parse(value) == Some(Status::NotApplicable) {
            self.set_status(item_id, Some(Status::NotApplicable), now);
            return Ok(());
        }
        match item.kind {
            ItemKind::Task => match Status::parse(value) {
                Some(s) => self.set_status(item_id, Some(s), now),
                None => {
                    return Err(PlanError::InvalidValue {
                        item: item_id.into(),
                        value: value.into(),
                        valid: "todo, done, n/a, blocked, waiting".into(),
                    });
                }
            },
            ItemKind::Choice => {
                let wanted = value.trim().to_lowercase();
                let Some(opt) = item.options.iter().find(|o| o.id.to_lowercase() == wanted) else {
                    let mut valid: Vec<&str> = item.options.iter().map(|o| o.id.as_str()).collect();
                    valid.push("n/a");
                    return Err(PlanError::InvalidValue {
                        item: item_id.into(),
                        value: value.into(),
                        valid: valid.join(", "),
                    });
                };
                let id = opt.id.clone();
                self.set_choice(item_id, Some(&id), now);
            }
            ItemKind::Text => self.set_text(item_id, value, now)?,
            kind @ (ItemKind::Systems | ItemKind::Roles | ItemKind::ProxyReview) => {
                return Err(PlanError::NotSettable {
                    item: item_id.into(),
                    kind: kind.name(),
                    how: match kind {
                        ItemKind::Roles => {
                            "change it with `mde-migrate roles PLAN list|add|remove`, or in the wizard"
                        }
                        ItemKind::ProxyReview => {
                            "mark guides reviewed with `mde-migrate review PLAN [GUIDE]...`, or in the wizard"
                        }
                        _ => {
                            "fill it with `mde-migrate import PLAN FILE` (a device inventory CSV), or pick the systems in the wizard (s)"
                        }
                    },
                });
            }
        }
        Ok(())
    }

    /// Mark a proxy guide (link id) reviewed or not.
    pub fn set_reviewed(&mut self, link: &str, reviewed: bool, now: &str) {
        if self.reviewed.contains(link) != reviewed {
            self.toggle_reviewed(link, now);
        }
    }

    pub fn add_role(&mut self, role: Role, now: &str) -> Result<usize, PlanError> {
        if self.roles.len() >= MAX_ROLES {
            return Err(PlanError::TooManyRoles);
        }
        let role = clean_role(role)?;
        self.roles.push(role);
        self.updated = now.to_string();
        Ok(self.roles.len() - 1)
    }

    pub fn update_role(&mut self, index: usize, role: Role, now: &str) -> Result<(), PlanError> {
        let role = clean_role(role)?;
        let slot = self
            .roles
            .get_mut(index)
            .ok_or(PlanError::NoSuchRole(index + 1))?;
        *slot = role;
        self.updated = now.to_string();
        Ok(())
    }

    pub fn remove_role(&mut self, index: usize, now: &str) -> Result<Role, PlanError> {
        if index >= self.roles.len() {
            return Err(PlanError::NoSuchRole(index + 1));
        }
        self.updated = now.to_string();
        Ok(self.roles.remove(index))
    }

    /// Add or remove a system of the guide from the estate.
    pub fn toggle_system(
        &mut self,
        guide: &Guide,
        system: &str,
        now: &str,
    ) -> Result<bool, PlanError> {
        if guide.system(system).is_none() {
            return Err(PlanError::UnknownSystem(system.to_string()));
        }
        self.updated = now.to_string();
        if self.estate.systems.remove(system).is_some() {
            Ok(false)
        } else {
            self.estate.systems.insert(system.to_string(), None);
            Ok(true)
        }
    }

    pub fn set_system_count(
        &mut self,
        guide: &Guide,
        system: &str,
        count: Option<u64>,
        now: &str,
    ) -> Result<(), PlanError> {
        if guide.system(system).is_none() {
            return Err(PlanError::UnknownSystem(system.to_string()));
        }
        self.estate.systems.insert(system.to_string(), count);
        self.updated = now.to_string();
        Ok(())
    }

    /// Mark a proxy guide (link id) reviewed or not; returns the new state.
    pub fn toggle_reviewed(&mut self, link: &str, now: &str) -> bool {
        self.updated = now.to_string();
        if self.reviewed.remove(link) {
            false
        } else {
            self.reviewed.insert(link.to_string());
            true
        }
    }
}

impl Role {
    /// A role started from a template: its name, directory group and
    /// permissions, all of which the operator may change. The one way a
    /// template becomes a role, in the wizard, plain mode and the CLI.
    pub fn from_template(template: &crate::catalog::RoleTemplate) -> Role {
        Role {
            name: template.name.clone(),
            group: template.group.clone(),
            permissions: template.permissions.iter().cloned().collect(),
            extra: Default::default(),
        }
    }
}

fn clean_role(mut role: Role) -> Result<Role, PlanError> {
    role.name = limited("role name", &role.name, MAX_SHORT_TEXT, false)?;
    role.group = limited("group name", &role.group, MAX_SHORT_TEXT * 2, false)?;
    if role.name.is_empty() {
        role.name = "Unnamed role".into();
    }
    Ok(role)
}
