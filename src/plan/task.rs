//! Running a project from the plan: who owns an item, when it is due, and
//! why it is not applicable, blocked or waiting; which items are overdue or
//! blocked. Pure: "today" is passed in, never read from a clock here.

use serde::Serialize;

use super::edit::limited;
use super::{ItemState, Plan, PlanError, Status};
use crate::catalog::{Guide, ItemKind};

/// Longest owner.
pub const MAX_OWNER: usize = 120;
/// Longest reason.
pub const MAX_REASON: usize = 400;

/// `YYYY-MM-DD` → the same text, if it is a real calendar date.
pub fn valid_date(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (year >= 1 && (1..=days).contains(&day)).then(|| s.to_string())
}

/// The date part of a timestamp or date (`2026-12-03T12:00:00Z` →
/// `2026-12-03`), if it starts with a valid date.
fn day_of(now: &str) -> Option<String> {
    valid_date(now.get(..10)?)
}

/// An item that needs attention first: overdue, or blocked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attention {
    /// The step's short name.
    pub step: String,
    pub item: String,
    pub label: String,
    /// The state key (`blocked`, `todo`, …).
    pub state: &'static str,
    pub overdue: bool,
    /// Cleaned.
    pub owner: String,
    pub due: Option<String>,
    /// Cleaned.
    pub reason: String,
}

impl Attention {
    /// One line: "⊘ blocked · overdue since 2026-11-30 · Tenant configured
    /// (owner: Ana) — waiting for the licence order".
    pub fn text(&self) -> String {
        let state = ItemState::from_key(self.state).unwrap_or(ItemState::Unanswered);
        let mut out = state.label();
        if self.overdue
            && let Some(d) = &self.due
        {
            out.push_str(&format!(" · overdue, due {d}"));
        }
        out.push_str(&format!(" · {}", self.label));
        if !self.owner.is_empty() {
            out.push_str(&format!(" (owner: {})", self.owner));
        }
        if !self.reason.is_empty() {
            out.push_str(&format!(": {}", self.reason));
        }
        out
    }
}

impl Plan {
    /// Set or clear (empty text) an item's owner.
    pub fn set_owner(&mut self, item: &str, owner: &str, now: &str) -> Result<(), PlanError> {
        let owner = limited("owner", owner, MAX_OWNER, false)?;
        self.touch(item, now).owner = owner;
        Ok(())
    }

    /// Set or clear (empty text) an item's due date, `YYYY-MM-DD`.
    pub fn set_due(&mut self, item: &str, due: &str, now: &str) -> Result<(), PlanError> {
        let due = if due.trim().is_empty() {
            None
        } else {
            Some(valid_date(due).ok_or_else(|| PlanError::BadDate {
                value: crate::sanitize::truncate(&crate::sanitize::line(due), 40).into_owned(),
            })?)
        };
        self.touch(item, now).due = due;
        Ok(())
    }

    /// Set an item's state with its reason. Blocked and not applicable need
    /// a reason; waiting may have one; done and to do clear it. Done is for
    /// tasks only; to do on another item clears its state.
    pub fn set_state(
        &mut self,
        guide: &Guide,
        item: &str,
        status: Status,
        reason: &str,
        now: &str,
    ) -> Result<(), PlanError> {
        let kind = guide.item(item).map(|(_, i)| i.kind);
        let reason = limited("reason", reason, MAX_REASON, false)?;
        if status.needs_reason() && reason.is_empty() {
            return Err(PlanError::ReasonRequired {
                item: item.to_string(),
                state: status.word(),
            });
        }
        if status == Status::Done && kind.is_some_and(|k| k != ItemKind::Task) {
            return Err(PlanError::TaskStateOnly {
                item: item.to_string(),
                state: status.word(),
            });
        }
        let stored = match (status, kind) {
            (Status::Todo, Some(k)) if k != ItemKind::Task => None,
            (s, _) => Some(s),
        };
        self.set_status(item, stored, now);
        if status.takes_reason() {
            self.touch(item, now).reason = reason;
        }
        Ok(())
    }

    fn touch(&mut self, item: &str, now: &str) -> &mut super::Answer {
        self.updated = now.to_string();
        let a = self.answers.entry(item.to_string()).or_default();
        a.updated = now.to_string();
        a
    }

    /// Is the item due before `today` (a date or a timestamp) and still
    /// open? A due date that is not a valid date never counts.
    pub fn is_overdue(&self, guide: &Guide, item: &crate::catalog::Item, today: &str) -> bool {
        let Some(today) = day_of(today) else {
            return false;
        };
        let Some(due) = self
            .answers
            .get(&item.id)
            .and_then(|a| a.due.as_deref())
            .and_then(valid_date)
        else {
            return false;
        };
        due < today
            && !matches!(
                self.item_state(guide, item),
                ItemState::Done | ItemState::NotApplicable
            )
    }

    /// The items that need attention first, for the summary, `status` and
    /// the reports: overdue items (earliest due date first), then blocked
    /// items that are not overdue, each in guide order within its group.
    /// Only items that count for this plan.
    pub fn attention(&self, guide: &Guide, today: &str) -> Vec<Attention> {
        let flags = self.flags(guide);
        let mut overdue = Vec::new();
        let mut blocked = Vec::new();
        for (step, item) in guide.items() {
            if !self.is_relevant(item, &flags) {
                continue;
            }
            let state = self.item_state(guide, item);
            let late = self.is_overdue(guide, item, today);
            if !late && state != ItemState::Blocked {
                continue;
            }
            let a = self.answers.get(&item.id);
            let entry = Attention {
                step: step.short.clone(),
                item: item.id.clone(),
                label: item.label.clone(),
                state: state.key(),
                overdue: late,
                owner: a
                    .map(|a| crate::sanitize::line(&a.owner).into_owned())
                    .unwrap_or_default(),
                due: a
                    .and_then(|a| a.due.as_deref())
                    .map(|d| crate::sanitize::line(d).into_owned()),
                reason: a
                    .map(|a| crate::sanitize::line(&a.reason).into_owned())
                    .unwrap_or_default(),
            };
            if late {
                overdue.push(entry);
            } else {
                blocked.push(entry);
            }
        }
        overdue.sort_by(|a, b| a.due.cmp(&b.due));
        overdue.extend(blocked);
        overdue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(valid_date("2027-01-15").as_deref(), Some("2027-01-15"));
        assert_eq!(valid_date(" 2028-02-29 ").as_deref(), Some("2028-02-29"));
        for bad in [
            "2027-02-29",
            "2100-02-29",
            "2027-13-01",
            "2027-00-10",
            "2027-04-31",
            "2027-1-15",
            "15/01/2027",
            "2027-01-1x",
            "+027-01-15",
            "",
            "2027-01-15T00:00",
            "0000-01-01",
        ] {
            assert_eq!(valid_date(bad), None, "{bad}");
        }
        assert_eq!(valid_date("2000-02-29").as_deref(), Some("2000-02-29"));
        assert_eq!(
            day_of("2026-12-03T12:00:00Z").as_deref(),
            Some("2026-12-03")
        );
        assert_eq!(day_of("2026"), None);
    }
}
