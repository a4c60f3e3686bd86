//! Pop-ups over a screen: help, a choice, a text field, the links of an
//! item, a URL that could not be opened, confirmations and the export menu.
//! Their state and keys; drawing is in `crate::ui::modal`.

use super::action::{Action, Effect};
use super::keys::Context;
use super::{Wizard, roles, systems};
use crate::plan::{MAX_NAME, MAX_NOTE, MAX_OWNER, MAX_REASON, MAX_TEXT, Status};
use crate::report::Format;
use crate::ui::widgets::TextField;

/// A guidance page: its title and full address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    pub title: String,
    pub url: String,
}

/// What a text field is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextTarget {
    Answer(String),
    Note(String),
    /// Who owns the item.
    Owner(String),
    /// The item's due date.
    Due(String),
    /// Why the item gets this state (not applicable, blocked, waiting).
    Reason {
        item: String,
        state: Status,
    },
    Rename {
        id: String,
    },
    Filter,
    /// The path of a device inventory CSV.
    Import,
    /// Where to write a report the plans folder could not take.
    ExportPath(Format),
}

impl TextTarget {
    pub fn title(&self) -> &'static str {
        match self {
            TextTarget::Answer(_) => "Answer",
            TextTarget::Note(_) => "Note",
            TextTarget::Owner(_) => "Owner (empty: nobody)",
            TextTarget::Due(_) => "Due date, YYYY-MM-DD (empty: none)",
            TextTarget::Reason { state, .. } => match state {
                Status::Blocked => "Blocked: why? (needed)",
                Status::Waiting => "Waiting: on what? (may stay empty)",
                _ => "Not applicable: why? (needed)",
            },
            TextTarget::Rename { .. } => "New name for the plan",
            TextTarget::Filter => "Filter plans",
            TextTarget::Import => "Import the estate: path of a device inventory CSV",
            TextTarget::ExportPath(_) => "Write the report to this file instead",
        }
    }
}

/// What a confirmation asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmKind {
    DeletePlan {
        id: String,
        name: String,
    },
    SetAside {
        id: String,
        name: String,
        problem: String,
    },
    RemoveRole(usize),
    /// Esc in New plan with a name typed.
    DiscardNewPlan,
    QuitUnsaved,
    /// Reload the open plan from disk, dropping the answers a refused
    /// save kept in memory (`reason`: why the save was refused).
    ReloadFromDisk {
        reason: String,
    },
}

/// A pop-up over the current screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Modal {
    Help {
        scroll: u16,
    },
    Choice {
        item: String,
        selected: usize,
    },
    Text {
        target: TextTarget,
        field: TextField,
    },
    Links {
        links: Vec<LinkRef>,
        selected: usize,
    },
    Url {
        title: String,
        url: String,
        reason: String,
    },
    Confirm(ConfirmKind),
    Systems(systems::SystemsState),
    Roles(roles::RolesState),
    Export {
        selected: usize,
    },
    /// An import over a non-empty estate: replace, merge or cancel.
    Import(Box<crate::estate::ImportReport>),
    /// A save was refused because the plan changed on disk (or its lock
    /// or folder went): reload, save as a copy, or keep working here.
    SaveConflict {
        reason: String,
    },
    /// The state of an item: to do, done, not applicable, blocked, waiting.
    State {
        item: String,
        selected: usize,
    },
}

/// The states a state chooser offers for an item of this kind: done and to
/// do are task states; other items are answered, and "to do" clears a
/// state.
pub fn state_choices(kind: crate::catalog::ItemKind) -> Vec<(Status, &'static str)> {
    if kind == crate::catalog::ItemKind::Task {
        vec![
            (Status::Todo, "○ to do"),
            (Status::Done, "✓ done"),
            (Status::NotApplicable, "– not applicable (asks why)"),
            (Status::Blocked, "⊘ blocked (asks why)"),
            (Status::Waiting, "… waiting (asks on what)"),
        ]
    } else {
        vec![
            (Status::Todo, "○ open: answer it here (clears the state)"),
            (Status::NotApplicable, "– not applicable (asks why)"),
            (Status::Blocked, "⊘ blocked (asks why)"),
            (Status::Waiting, "… waiting (asks on what)"),
        ]
    }
}

pub const EXPORT_FORMATS: [(Format, &str); 3] = [
    (Format::Markdown, "Markdown (.md): for a wiki or a Git host"),
    (
        Format::Html,
        "HTML (.html): one self-contained page that prints well",
    ),
    (Format::Json, "JSON (.json): for other tools"),
];

impl Modal {
    pub fn context(&self) -> Context {
        match self {
            Modal::Help { .. } => Context::Help,
            Modal::Choice { .. } => Context::Choice,
            Modal::Text { .. } => Context::Text,
            Modal::Links { .. } => Context::Links,
            Modal::Export { .. } => Context::Export,
            Modal::Url { .. } => Context::Url,
            Modal::Confirm(_) => Context::Confirm,
            Modal::Import(_) => Context::ImportChoice,
            Modal::State { .. } => Context::State,
            Modal::SaveConflict { .. } => Context::SaveConflict,
            Modal::Systems(_) => Context::Systems,
            Modal::Roles(r) => r.context(),
        }
    }

    /// A text field for an answer, a note or a name.
    pub fn text(target: TextTarget, value: &str) -> Modal {
        let max = match target {
            TextTarget::Answer(_) => MAX_TEXT,
            TextTarget::Note(_) => MAX_NOTE,
            TextTarget::Owner(_) => MAX_OWNER,
            TextTarget::Due(_) => 10,
            TextTarget::Reason { .. } => MAX_REASON,
            TextTarget::Rename { .. } => MAX_NAME,
            TextTarget::Filter => 80,
            TextTarget::Import | TextTarget::ExportPath(_) => 4096,
        };
        Modal::Text {
            target,
            field: TextField::new(value, max),
        }
    }
}

/// Keys while a modal is open.
pub fn update(w: &mut Wizard, action: Action, now: &str) -> Vec<Effect> {
    let Some(modal) = w.modal.take() else {
        return Vec::new();
    };
    match modal {
        Modal::Help { scroll } => {
            let scroll = match action {
                Action::Up => scroll.saturating_sub(1),
                Action::Down => scroll
                    .saturating_add(1)
                    .min(crate::ui::modal::help_max_scroll(w)),
                Action::Back | Action::Help => return Vec::new(),
                _ => scroll,
            };
            w.modal = Some(Modal::Help { scroll });
            Vec::new()
        }
        Modal::Choice { item, selected } => choice(w, item, selected, action, now),
        Modal::Text { target, field } => text(w, target, field, action, now),
        Modal::Links { links, selected } => {
            if let Some(s) = super::moved(selected, links.len(), &action, 5) {
                w.modal = Some(Modal::Links { links, selected: s });
                return Vec::new();
            }
            let link = links.get(selected).cloned();
            match (action, link) {
                (Action::Back, _) => Vec::new(),
                // A command a page gives is copied, never opened or run.
                (Action::Open | Action::Select, Some(l)) if !l.url.starts_with("https://") => {
                    w.modal = Some(Modal::Links { links, selected });
                    copied(w, l.url)
                }
                (Action::Open | Action::Select, Some(l)) => {
                    w.message = Some(format!("Opening {} in your browser…", l.url));
                    vec![Effect::OpenUrl(l.url)]
                }
                (Action::Copy, Some(l)) => {
                    w.modal = Some(Modal::Links { links, selected });
                    copied(w, l.url)
                }
                _ => {
                    w.modal = Some(Modal::Links { links, selected });
                    Vec::new()
                }
            }
        }
        Modal::Url { title, url, reason } => match action {
            Action::Copy => {
                let effects = copied(w, url.clone());
                w.modal = Some(Modal::Url { title, url, reason });
                effects
            }
            Action::Back | Action::Select => Vec::new(),
            _ => {
                w.modal = Some(Modal::Url { title, url, reason });
                Vec::new()
            }
        },
        Modal::Confirm(kind) => confirm(w, kind, action, now),
        Modal::Import(report) => match action {
            Action::Char('r') => apply_import(w, &report, crate::estate::Mode::Replace, now),
            Action::Char('m') => apply_import(w, &report, crate::estate::Mode::Merge, now),
            Action::Back => {
                w.message = Some("Import cancelled: the estate is unchanged.".into());
                Vec::new()
            }
            _ => {
                w.modal = Some(Modal::Import(report));
                Vec::new()
            }
        },
        Modal::State { item, selected } => state(w, item, selected, action, now),
        Modal::SaveConflict { reason } => match action {
            Action::Char('r') => {
                w.modal = Some(Modal::Confirm(ConfirmKind::ReloadFromDisk { reason }));
                Vec::new()
            }
            Action::Char('c') => {
                w.message = Some("Saving the answers as a copy…".into());
                vec![Effect::SaveCopy]
            }
            Action::Back => {
                w.message = Some(
                    "The answers stay here, not saved; the next change offers reload or copy again."
                        .into(),
                );
                Vec::new()
            }
            _ => {
                w.modal = Some(Modal::SaveConflict { reason });
                Vec::new()
            }
        },
        Modal::Systems(state) => systems::update(w, state, action, now),
        Modal::Roles(state) => roles::update(w, state, action, now),
        Modal::Export { selected } => {
            if let Some(s) = super::moved(selected, EXPORT_FORMATS.len(), &action, 3) {
                w.modal = Some(Modal::Export { selected: s });
                return Vec::new();
            }
            match action {
                Action::Select | Action::Open => EXPORT_FORMATS
                    .get(selected)
                    .map(|(f, _)| vec![Effect::Export(*f, None)])
                    .unwrap_or_default(),
                Action::Back => Vec::new(),
                _ => {
                    w.modal = Some(Modal::Export { selected });
                    Vec::new()
                }
            }
        }
    }
}

pub(crate) fn copied(w: &mut Wizard, url: String) -> Vec<Effect> {
    w.message = Some(format!("Sent to the terminal's clipboard: {url}"));
    vec![Effect::Copy(url)]
}

fn choice(w: &mut Wizard, item: String, selected: usize, action: Action, now: &str) -> Vec<Effect> {
    let Some(open) = &w.open else {
        return Vec::new();
    };
    let Some((_, it)) = open.guide.item(&item) else {
        return Vec::new();
    };
    if let Some(s) = super::moved(selected, it.options.len(), &action, 5) {
        w.modal = Some(Modal::Choice { item, selected: s });
        return Vec::new();
    }
    match action {
        Action::Select => {
            let Some(option) = it.options.get(selected).map(|o| o.id.clone()) else {
                return Vec::new();
            };
            w.change(|plan, _| {
                plan.set_choice(&item, Some(&option), now);
                Ok(())
            })
        }
        Action::NotApplicable => {
            let reason = open
                .plan
                .answer(&item)
                .map(|a| a.reason.clone())
                .unwrap_or_default();
            w.modal = Some(Modal::text(
                TextTarget::Reason {
                    item,
                    state: Status::NotApplicable,
                },
                &reason,
            ));
            Vec::new()
        }
        Action::Open => {
            let url = it
                .options
                .get(selected)
                .and_then(|o| o.link.as_deref())
                .and_then(|l| open.guide.link(l))
                .map(|l| l.url.clone());
            w.modal = Some(Modal::Choice { item, selected });
            match url {
                Some(u) => vec![Effect::OpenUrl(u)],
                None => {
                    w.message = Some("This answer has no guide of its own.".into());
                    Vec::new()
                }
            }
        }
        Action::Back => Vec::new(),
        _ => {
            w.modal = Some(Modal::Choice { item, selected });
            Vec::new()
        }
    }
}

/// The open reason box for `item`, or the state set at once when it takes
/// no reason.
pub(crate) fn set_state_asking(
    w: &mut Wizard,
    item: String,
    state: Status,
    now: &str,
) -> Vec<Effect> {
    if state.takes_reason() {
        let reason = w
            .open
            .as_ref()
            .and_then(|o| o.plan.answer(&item))
            .map(|a| a.reason.clone())
            .unwrap_or_default();
        w.modal = Some(Modal::text(TextTarget::Reason { item, state }, &reason));
        return Vec::new();
    }
    w.change(|plan, guide| {
        plan.set_state(guide, &item, state, "", now)
            .map_err(|e| e.to_string())
    })
}

fn state(w: &mut Wizard, item: String, selected: usize, action: Action, now: &str) -> Vec<Effect> {
    let Some(open) = &w.open else {
        return Vec::new();
    };
    let Some((_, it)) = open.guide.item(&item) else {
        return Vec::new();
    };
    let choices = state_choices(it.kind);
    if let Some(s) = super::moved(selected, choices.len(), &action, 5) {
        w.modal = Some(Modal::State { item, selected: s });
        return Vec::new();
    }
    match action {
        Action::Select => match choices.get(selected) {
            Some((st, _)) => set_state_asking(w, item, *st, now),
            None => Vec::new(),
        },
        Action::Back => Vec::new(),
        _ => {
            w.modal = Some(Modal::State { item, selected });
            Vec::new()
        }
    }
}

fn text(
    w: &mut Wizard,
    target: TextTarget,
    mut field: TextField,
    action: Action,
    now: &str,
) -> Vec<Effect> {
    // Enter keeps the text; Esc cancels the edit: what was saved stays.
    match action {
        Action::Select => {
            if let TextTarget::Rename { id } = &target {
                w.plans.follow = Some(id.clone());
            }
            // A value that would be refused keeps the box open to fix it.
            let refused = match &target {
                TextTarget::Due(_) => {
                    let v = field.value().trim();
                    (!v.is_empty() && crate::plan::valid_date(v).is_none()).then(|| {
                        format!(
                            "{:?} is not a date: type it as YYYY-MM-DD, such as 2027-01-15 (Esc cancels).",
                            crate::sanitize::line(v)
                        )
                    })
                }
                TextTarget::Reason { state, .. }
                    if state.needs_reason() && field.value().trim().is_empty() =>
                {
                    Some(format!(
                        "Say why it is {}: a reason is needed (Esc cancels).",
                        state.word()
                    ))
                }
                _ => None,
            };
            if let Some(msg) = refused {
                w.message = Some(msg);
                w.modal = Some(Modal::Text { target, field });
                return Vec::new();
            }
            return commit(w, target, field.value(), now);
        }
        Action::Back => {
            if target == TextTarget::Filter {
                let had = !w.plans.filter.is_empty();
                w.plans.filter.clear();
                w.plans.clamp();
                w.message = Some(if had {
                    "Filter cleared: every plan is listed.".into()
                } else {
                    "No filter: every plan is listed.".into()
                });
                return Vec::new();
            }
            w.message = Some("Edit cancelled: nothing changed.".into());
            return Vec::new();
        }
        _ => {}
    }
    super::edit_field(&mut field, &action);
    if target == TextTarget::Filter {
        w.plans.filter = field.value().to_string();
        w.plans.clamp();
    }
    w.modal = Some(Modal::Text { target, field });
    Vec::new()
}

fn commit(w: &mut Wizard, target: TextTarget, value: &str, now: &str) -> Vec<Effect> {
    match target {
        TextTarget::Answer(item) => {
            let unchanged = w
                .open
                .as_ref()
                .and_then(|o| o.plan.answer(&item))
                .and_then(|a| a.text.as_deref())
                .unwrap_or("")
                == value.trim();
            if unchanged {
                return Vec::new();
            }
            w.change(|plan, _| plan.set_text(&item, value, now).map_err(|e| e.to_string()))
        }
        TextTarget::Note(item) => {
            let unchanged = w
                .open
                .as_ref()
                .and_then(|o| o.plan.answer(&item))
                .map_or("", |a| a.note.as_str())
                == value.trim_end();
            if unchanged {
                return Vec::new();
            }
            w.change(|plan, _| plan.set_note(&item, value, now).map_err(|e| e.to_string()))
        }
        TextTarget::Owner(item) => {
            let unchanged = w
                .open
                .as_ref()
                .and_then(|o| o.plan.answer(&item))
                .map_or("", |a| a.owner.as_str())
                == value.trim();
            if unchanged {
                return Vec::new();
            }
            w.change(|plan, _| plan.set_owner(&item, value, now).map_err(|e| e.to_string()))
        }
        TextTarget::Due(item) => {
            let unchanged = w
                .open
                .as_ref()
                .and_then(|o| o.plan.answer(&item))
                .and_then(|a| a.due.as_deref())
                .unwrap_or("")
                == value.trim();
            if unchanged {
                return Vec::new();
            }
            w.change(|plan, _| plan.set_due(&item, value, now).map_err(|e| e.to_string()))
        }
        TextTarget::Reason { item, state } => w.change(|plan, guide| {
            if state == Status::NotApplicable {
                plan.set_choice(&item, None, now);
            }
            plan.set_state(guide, &item, state, value, now)
                .map_err(|e| e.to_string())
        }),
        TextTarget::Rename { id } => {
            if value.trim().is_empty() {
                w.message = Some("Not renamed: the name is empty.".into());
                return Vec::new();
            }
            vec![Effect::Rename {
                id,
                name: value.to_string(),
            }]
        }
        TextTarget::Filter => {
            w.plans.filter = value.to_string();
            w.plans.clamp();
            Vec::new()
        }
        TextTarget::ExportPath(format) => {
            let path = value.trim();
            if path.is_empty() {
                return Vec::new();
            }
            vec![Effect::Export(format, Some(std::path::PathBuf::from(path)))]
        }
        TextTarget::Import => {
            let path = value.trim();
            if path.is_empty() {
                return Vec::new();
            }
            w.message = Some(format!("Reading {path} …"));
            vec![Effect::Import(std::path::PathBuf::from(path))]
        }
    }
}

/// Put an import into the open plan's estate (the estate it replaces is
/// kept as the previous one) and say what it did.
pub(crate) fn apply_import(
    w: &mut Wizard,
    report: &crate::estate::ImportReport,
    mode: crate::estate::Mode,
    now: &str,
) -> Vec<Effect> {
    let effects = w.change(|plan, _| {
        report.apply(plan, mode, now);
        Ok(())
    });
    if !effects.is_empty() {
        let how = match mode {
            crate::estate::Mode::Replace => "",
            crate::estate::Mode::Merge => " (added to the estate)",
        };
        w.message = Some(format!("{}{how}", report.summary_line()));
    }
    effects
}

/// Only `y` ([`Action::Yes`]) confirms; Enter, Esc and every other key mean
/// no.
fn confirm(w: &mut Wizard, kind: ConfirmKind, action: Action, now: &str) -> Vec<Effect> {
    match action {
        Action::Yes => match kind {
            ConfirmKind::DeletePlan { id, .. } => {
                w.plans.deleting = Some(id.clone());
                vec![Effect::Delete(id)]
            }
            ConfirmKind::DiscardNewPlan => {
                w.form = super::new_plan::Form::new(w.catalog);
                w.screen = super::Screen::Plans;
                Vec::new()
            }
            ConfirmKind::SetAside { id, .. } => vec![Effect::SetAside(id)],
            ConfirmKind::RemoveRole(index) => {
                let effects = w.change(|plan, _| {
                    plan.remove_role(index, now)
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                });
                w.modal = Some(Modal::Roles(roles::RolesState::at(index.saturating_sub(1))));
                effects
            }
            ConfirmKind::QuitUnsaved => {
                let mut e = vec![Effect::Close, Effect::Quit];
                if w.open.is_none() {
                    e.remove(0);
                }
                e
            }
            ConfirmKind::ReloadFromDisk { .. } => match &w.open {
                // Release the lock first: the reload takes it again.
                Some(open) => vec![Effect::Close, Effect::Load(open.id.clone())],
                None => Vec::new(),
            },
        },
        _ => {
            match kind {
                ConfirmKind::RemoveRole(index) => {
                    w.modal = Some(Modal::Roles(roles::RolesState::at(index)))
                }
                ConfirmKind::QuitUnsaved => {
                    w.message =
                        Some("Not quit. Export the plan with x to keep a copy elsewhere.".into());
                }
                ConfirmKind::DeletePlan { .. } => w.message = Some("Not deleted.".into()),
                ConfirmKind::DiscardNewPlan => {
                    w.message = Some("Kept: the new plan is still here.".into())
                }
                ConfirmKind::SetAside { .. } => {}
                ConfirmKind::ReloadFromDisk { reason } => {
                    w.modal = Some(Modal::SaveConflict { reason });
                }
            }
            Vec::new()
        }
    }
}
