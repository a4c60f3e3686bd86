//! The wizard's state machine: which screen, which modal, what is selected,
//! and the open plan. [`Wizard::update`] takes an [`Action`] and returns the
//! [`Effect`]s to run. No I/O and no terminal here: the event loop runs the
//! effects, and drawing only reads this state.

use crate::catalog::{Catalog, Common, Guide, ScreenKind};
use crate::plan::Plan;
use position::{record_position, resume};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};

use crate::ui::theme::Theme;

pub mod action;
pub mod keys;

mod access;
mod licence;
mod modal;
mod new_plan;
mod overview;
mod plans;
mod position;
mod proxy;
mod roles;
mod step;
mod summary;
mod systems;
mod updates;

pub use action::{Action, Effect, LoadedPlan, OpenFailure, PlanEntry};
pub use keys::{Context, Key};
pub use modal::{ConfirmKind, EXPORT_FORMATS, LinkRef, Modal, TextTarget, state_choices};
pub use overview::links as overview_links;
pub use proxy::{estate_links, lookup, lookup_links, lookup_pages, lookup_systems};
pub use roles::RolesState;
pub use summary::next_links;
pub use systems::SystemsState;

/// The plan field that keeps text being typed when the program ended.
pub const DRAFT: &str = "draft";

/// The screens, in the order the wizard walks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Plans,
    NewPlan,
    Overview,
    /// A step of the plan's guide, by index.
    Step(usize),
    Summary,
}

/// What the status line says about saving.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    /// Nothing changed yet.
    Idle,
    /// Saved at this time (HH:MM:SS).
    Saved(String),
    /// The last save failed: why.
    NotSaved(String),
    /// The last save was refused because the plan changed on disk (or its
    /// lock or folder went): why. Saving again is refused too, until the
    /// plan is reloaded or saved as a copy.
    Refused(String),
}

/// The plan being worked on, with the wizard's cursor in it.
#[derive(Debug, Clone)]
pub struct OpenPlan {
    pub id: String,
    pub plan: Plan,
    pub guide: &'static Guide,
    pub common: &'static Common,
    /// Why changes are refused (another instance has it, newer file).
    pub read_only: Option<String>,
    /// Selected item (index into the relevant items) for each step.
    pub cursor: Vec<usize>,
    pub overview_selected: usize,
    pub summary_selected: usize,
    pub proxy: proxy::ProxyState,
    /// A change has not reached the disk yet.
    pub unsaved: bool,
    /// The position as last saved: quitting saves only when it moved.
    pub saved_position: crate::plan::Position,
}

/// The whole wizard.
#[derive(Debug, Clone)]
pub struct Wizard {
    pub catalog: &'static Catalog,
    pub screen: Screen,
    pub plans: plans::PlansState,
    pub form: new_plan::Form,
    pub open: Option<OpenPlan>,
    pub modal: Option<Modal>,
    pub save: SaveState,
    /// A one-line message for the status line (cleared by the next key).
    pub message: Option<String>,
    pub mouse: bool,
    /// Terminal size, for mouse hit-testing.
    pub size: (u16, u16),
    /// The time of the last action (the clock the caller passes in): what
    /// "overdue" is measured against on screen.
    pub today: String,
    quit_warned: bool,
}

impl Wizard {
    pub fn new(catalog: &'static Catalog, mouse: bool) -> Wizard {
        Wizard {
            catalog,
            screen: Screen::Plans,
            plans: plans::PlansState::default(),
            form: new_plan::Form::new(catalog),
            open: None,
            modal: None,
            save: SaveState::Idle,
            message: None,
            mouse,
            size: (80, 24),
            today: String::new(),
            quit_warned: false,
        }
    }

    /// The effects to run before the first frame.
    pub fn start(&self) -> Vec<Effect> {
        vec![Effect::ListPlans]
    }

    /// Which key table applies now.
    pub fn context(&self) -> Context {
        match &self.modal {
            Some(m) => m.context(),
            None => self.screen_context(),
        }
    }

    /// The key table of the screen under any modal.
    pub fn screen_context(&self) -> Context {
        match self.screen {
            Screen::Plans => Context::Plans,
            Screen::NewPlan => Context::NewPlan,
            Screen::Overview => Context::Overview,
            Screen::Step(i) => match self.step_kind(i) {
                Some(ScreenKind::Proxy) => Context::Proxy,
                _ => Context::Step,
            },
            Screen::Summary => Context::Summary,
        }
    }

    /// Whether a key of the screen's table has something to act on now
    /// (no plan to rename or delete on an empty list): the footer and the
    /// help offer only the keys that do.
    pub fn key_applies(&self, ctx: Context, action: &Action) -> bool {
        match ctx {
            Context::Plans => plans::applies(self, action),
            // An empty role planner has no role to edit or remove.
            Context::Roles => {
                !matches!(action, Action::Select | Action::Delete)
                    || self.open.as_ref().is_some_and(|o| !o.plan.roles.is_empty())
            }
            _ => true,
        }
    }

    pub fn step_kind(&self, index: usize) -> Option<ScreenKind> {
        self.open
            .as_ref()
            .and_then(|o| o.guide.steps.get(index))
            .map(|s| s.screen)
    }

    /// Turn a key into an action in the current context. While the
    /// terminal is too small to show the screen only `q`, Ctrl-C (quit) and
    /// Ctrl-Z (suspend) act.
    pub fn key(&self, key: Key) -> Option<Action> {
        if self.too_small() {
            return match key {
                Key::Char('q') | Key::Ctrl('c') => Some(Action::Quit),
                Key::Ctrl('z') => Some(Action::Suspend),
                _ => None,
            };
        }
        keys::action_for(key, self.context(), self.open.is_some())
    }

    /// The terminal is smaller than the screens need: "Terminal too small"
    /// hides everything, so no key may act on what cannot be seen.
    pub fn too_small(&self) -> bool {
        self.size.0 < crate::ui::MIN_SIZE.0 || self.size.1 < crate::ui::MIN_SIZE.1
    }

    /// Apply an action; `now` is the current time (RFC 3339, UTC).
    pub fn update(&mut self, action: Action, now: &str) -> Vec<Effect> {
        if self.too_small()
            && action.is_input()
            && !matches!(action, Action::Quit | Action::Suspend)
        {
            return Vec::new();
        }
        // A key replaces the last message; a result (the list refreshed
        // after a delete, a save) leaves it for the operator to read, and
        // `?` keeps it: the help shows it whole.
        if action.is_input() && !matches!(action, Action::Help) {
            self.message = None;
        }
        now.clone_into(&mut self.today);
        match action {
            Action::Suspend => return vec![Effect::Suspend],
            Action::Resize { width, height } => {
                self.size = (width, height);
                return Vec::new();
            }
            Action::Saved(result) => return self.saved(result, now),
            Action::SaveRefused(reason) => {
                self.save = SaveState::Refused(reason.clone());
                self.modal = Some(Modal::SaveConflict { reason });
                return Vec::new();
            }
            Action::CopySaved(result) => {
                match result {
                    Ok(copy) => {
                        let name = crate::sanitize::line(&copy.plan.name).into_owned();
                        self.loaded(Ok(copy));
                        self.message = Some(format!(
                            "Saved as a new plan, {name:?}; the original is as the other change left it on disk."
                        ));
                    }
                    Err(e) => {
                        self.modal = Some(Modal::SaveConflict { reason: e });
                    }
                }
                return Vec::new();
            }
            Action::PlansListed(entries) => {
                self.plans.set_entries(entries);
                return Vec::new();
            }
            Action::Loaded(result) | Action::Created(result) => return self.loaded(result),
            Action::Deleted(result) => {
                let id = self.plans.deleting.take();
                match result {
                    Ok(msg) => {
                        self.plans.undo = id;
                        self.message = Some(format!("{msg} Press u to restore it."));
                    }
                    Err(e) => self.message = Some(e),
                }
                return vec![Effect::ListPlans];
            }
            Action::Restored(result) => {
                match result {
                    Ok(msg) => self.message = Some(msg),
                    Err(e) => {
                        self.plans.follow = None;
                        self.message = Some(e);
                    }
                }
                return vec![Effect::ListPlans];
            }
            Action::Renamed(result) => {
                match result {
                    Ok(msg) => self.message = Some(msg),
                    Err(e) => self.message = Some(e),
                }
                return vec![Effect::ListPlans];
            }
            Action::SetAside(result) => {
                self.message = Some(match result {
                    Ok(path) => format!("Broken file kept as {}", path.display()),
                    Err(e) => e,
                });
                return vec![Effect::ListPlans];
            }
            Action::Opened(result) => {
                match result {
                    Ok(url) => {
                        self.message = Some(format!("Opened in your browser: {url}"));
                    }
                    Err(fail) => {
                        self.message =
                            Some("No browser opened: the address is shown; y copies it.".into());
                        self.modal = Some(Modal::Url {
                            title: "Open this page on a machine with a browser".into(),
                            url: fail.url,
                            reason: fail.reason,
                        });
                    }
                }
                return Vec::new();
            }
            Action::Exported(result) => {
                match result {
                    Ok(path) => {
                        self.message = Some(format!("Report written to {}", path.display()))
                    }
                    Err((format, e)) => {
                        // Offer another place: the plans folder may be full or read-only.
                        let suggestion = std::env::var_os("HOME")
                            .map(std::path::PathBuf::from)
                            .unwrap_or_default()
                            .join(format!(
                                "{}.{}",
                                self.open.as_ref().map_or("plan", |o| o.id.as_str()),
                                format.extension()
                            ));
                        self.message = Some(format!("Report not written: {e}. Type another path."));
                        self.modal = Some(Modal::text(
                            TextTarget::ExportPath(format),
                            &suggestion.display().to_string(),
                        ));
                    }
                }
                return Vec::new();
            }
            Action::Imported(result) => {
                return match result {
                    Ok(report) => match &self.open {
                        Some(open) if !crate::estate::is_empty(&open.plan.estate) => {
                            // Say what changes and ask: replace, merge or cancel.
                            // The file is read: "Reading …" is over.
                            self.message = None;
                            self.modal = Some(Modal::Import(report));
                            Vec::new()
                        }
                        _ => modal::apply_import(self, &report, crate::estate::Mode::Replace, now),
                    },
                    Err(e) => {
                        self.message = Some(format!("Not imported: {e}"));
                        Vec::new()
                    }
                };
            }
            Action::Quit => return self.quit(now),
            Action::Help
                if !matches!(self.modal, Some(Modal::Help { .. }))
                    && !self.context().is_typing() =>
            {
                self.modal = Some(Modal::Help { scroll: 0 });
                return Vec::new();
            }
            Action::ToggleMouse => {
                self.mouse = !self.mouse;
                self.message = Some(if self.mouse {
                    "Mouse on: click to select, wheel to scroll. Press m to select text with the mouse.".into()
                } else {
                    "Mouse off: the terminal can select and copy text. Press m to turn the mouse back on.".into()
                });
                return vec![Effect::SetMouse(self.mouse)];
            }
            _ => {}
        }
        if self.modal.is_some() {
            return modal::update(self, action, now);
        }
        match self.screen {
            Screen::Plans => plans::update(self, action),
            Screen::NewPlan => new_plan::update(self, action, now),
            Screen::Overview => overview::update(self, action),
            Screen::Step(i) => match self.step_kind(i) {
                Some(ScreenKind::Proxy) => proxy::update(self, action, now),
                Some(_) => step::update(self, action, now),
                None => Vec::new(),
            },
            Screen::Summary => summary::update(self, action),
        }
    }

    fn saved(&mut self, result: Result<(), String>, now: &str) -> Vec<Effect> {
        match result {
            Ok(()) => {
                if let Some(o) = &mut self.open {
                    o.unsaved = false;
                    o.saved_position = o.plan.position.clone();
                }
                self.save = SaveState::Saved(clock(now));
                self.quit_warned = false;
            }
            Err(reason) => self.save = SaveState::NotSaved(reason),
        }
        Vec::new()
    }

    fn loaded(&mut self, result: Result<LoadedPlan, String>) -> Vec<Effect> {
        let loaded = match result {
            Ok(l) => l,
            Err(e) => {
                if self.screen == Screen::NewPlan {
                    self.form.error = Some(e);
                } else {
                    self.message = Some(e);
                }
                return Vec::new();
            }
        };
        let Some(guide) = self.catalog.guide(&loaded.plan.guide) else {
            self.message = Some(format!(
                "Plan {:?} follows guide {:?}, which this version does not know (known: {}).",
                crate::sanitize::line(&loaded.plan.name),
                crate::sanitize::line(&loaded.plan.guide),
                self.catalog.guide_ids().join(", ")
            ));
            return vec![Effect::Close];
        };
        let mut open = OpenPlan {
            id: loaded.id,
            plan: loaded.plan,
            guide,
            common: &self.catalog.common,
            read_only: loaded.read_only,
            cursor: vec![0; guide.steps.len()],
            overview_selected: 0,
            summary_selected: 0,
            proxy: proxy::ProxyState::default(),
            unsaved: false,
            saved_position: crate::plan::Position::default(),
        };
        self.screen = resume(&mut open);
        open.saved_position = open.plan.position.clone();
        let draft = if open.read_only.is_none() {
            open.plan.extra.remove(DRAFT)
        } else {
            None
        };
        if draft.is_some() {
            // The next save drops the draft from the file.
            open.unsaved = true;
        }
        self.save = SaveState::Idle;
        self.open = Some(open);
        self.form = new_plan::Form::new(self.catalog);
        if let Some(draft) = draft {
            self.offer_draft(&draft);
        }
        Vec::new()
    }

    /// Text being typed when the program has to end (Ctrl-C, a signal, the
    /// terminal gone) is kept in the plan as a draft, not lost and not taken
    /// as the answer: `{"draft": {"item": …, "field": "note" | "answer",
    /// "text": …}}`.
    fn keep_draft(&mut self, now: &str) {
        let Some(Modal::Text { target, field }) = &self.modal else {
            return;
        };
        let (item, kind) = match target {
            TextTarget::Answer(item) => (item, "answer"),
            TextTarget::Note(item) => (item, "note"),
            _ => return,
        };
        let Some(open) = &mut self.open else {
            return;
        };
        if open.read_only.is_some() {
            return;
        }
        let saved = open.plan.answer(item).map_or("", |a| match kind {
            "note" => a.note.as_str(),
            _ => a.text.as_deref().unwrap_or(""),
        });
        if saved == field.value() {
            return;
        }
        open.plan.extra.insert(
            DRAFT.into(),
            serde_json::json!({
                "item": item,
                "field": kind,
                "text": field.value(),
                "saved_at": now,
            }),
        );
        open.unsaved = true;
    }

    /// Reopen the field a draft was typed in, with its text.
    fn offer_draft(&mut self, draft: &serde_json::Value) {
        let (Some(item), Some(kind), Some(text)) = (
            draft.get("item").and_then(|v| v.as_str()),
            draft.get("field").and_then(|v| v.as_str()),
            draft.get("text").and_then(|v| v.as_str()),
        ) else {
            return;
        };
        let Some(open) = &self.open else {
            return;
        };
        if open.guide.item(item).is_none() {
            return;
        }
        let target = match kind {
            "note" => TextTarget::Note(item.to_string()),
            "answer" => TextTarget::Answer(item.to_string()),
            _ => return,
        };
        self.modal = Some(Modal::text(target, text));
        self.message = Some(
            "Restored the text you were typing when mde-migrate ended: Enter keeps it, Esc drops it."
                .into(),
        );
    }

    fn quit(&mut self, now: &str) -> Vec<Effect> {
        self.keep_draft(now);
        let mut effects = Vec::new();
        let screen = self.screen;
        if let Some(open) = &mut self.open {
            if matches!(screen, Screen::Overview | Screen::Step(_) | Screen::Summary) {
                record_position(open, screen);
            }
            if open.read_only.is_none()
                && (open.unsaved || open.plan.position != open.saved_position)
            {
                if open.unsaved
                    && matches!(self.save, SaveState::NotSaved(_) | SaveState::Refused(_))
                    && !self.quit_warned
                {
                    self.quit_warned = true;
                    self.modal = Some(Modal::Confirm(ConfirmKind::QuitUnsaved));
                    return Vec::new();
                }
                effects.push(Effect::Save);
            }
            effects.push(Effect::Close);
        }
        effects.push(Effect::Quit);
        effects
    }

    /// Apply a change to the open plan and ask for a save. Refused, with a
    /// message, when the plan is read-only.
    pub(crate) fn change(
        &mut self,
        f: impl FnOnce(&mut Plan, &'static Guide) -> Result<(), String>,
    ) -> Vec<Effect> {
        let Some(open) = &mut self.open else {
            return Vec::new();
        };
        if let Some(r) = &open.read_only {
            self.message = Some(format!("Not changed: this plan is read-only ({r})."));
            return Vec::new();
        }
        match f(&mut open.plan, open.guide) {
            Ok(()) => {
                open.unsaved = true;
                record_position(open, self.screen);
                vec![Effect::Save]
            }
            Err(e) => {
                self.message = Some(e);
                Vec::new()
            }
        }
    }

    /// Go to a screen of the open plan, remembering the position.
    pub(crate) fn go(&mut self, screen: Screen) -> Vec<Effect> {
        self.screen = screen;
        let Some(open) = &mut self.open else {
            return Vec::new();
        };
        open.proxy.detail_scroll = 0;
        if let Screen::Step(i) = screen
            && open
                .guide
                .steps
                .get(i)
                .is_some_and(|s| s.screen == ScreenKind::Proxy)
        {
            // The lookup starts on the plan the licence answer gives.
            if let Some(p) = open.plan.defender_plan(open.guide)
                && let Some(v) = open.guide.proxy_table.values.iter().position(|v| v.id == p)
            {
                open.proxy.value = v;
            }
        }
        record_position(open, screen);
        if open.read_only.is_some() {
            return Vec::new();
        }
        vec![Effect::Save]
    }

    /// The next screen in walking order (n), or the previous one (p).
    pub(crate) fn neighbour(&self, forward: bool) -> Option<Screen> {
        let steps = self.open.as_ref()?.guide.steps.len();
        let order: Vec<Screen> = std::iter::once(Screen::Overview)
            .chain((0..steps).map(Screen::Step))
            .chain(std::iter::once(Screen::Summary))
            .collect();
        let at = order.iter().position(|s| *s == self.screen)?;
        if forward {
            order.get(at + 1).copied()
        } else {
            at.checked_sub(1).and_then(|i| order.get(i).copied())
        }
    }

    /// Handle n / p / Esc / s / x on any screen of an open plan.
    pub(crate) fn plan_nav(&mut self, action: &Action) -> Option<Vec<Effect>> {
        match action {
            Action::NextStep | Action::PrevStep => {
                let forward = *action == Action::NextStep;
                Some(match self.neighbour(forward) {
                    Some(s) => self.go(s),
                    None => {
                        self.message = Some(if forward {
                            "This is the last screen: the summary.".into()
                        } else {
                            "This is the first screen: the overview.".into()
                        });
                        Vec::new()
                    }
                })
            }
            Action::Systems => {
                self.modal = Some(Modal::Systems(systems::SystemsState::default()));
                Some(Vec::new())
            }
            Action::Export => {
                self.modal = Some(Modal::Export { selected: 0 });
                Some(Vec::new())
            }
            Action::Import => {
                self.modal = Some(Modal::text(TextTarget::Import, ""));
                Some(Vec::new())
            }
            Action::Back => Some(match self.screen {
                Screen::Overview => {
                    let mut e = Vec::new();
                    if let Some(open) = &self.open
                        && open.read_only.is_none()
                        && open.unsaved
                    {
                        e.push(Effect::Save);
                    }
                    self.open = None;
                    self.screen = Screen::Plans;
                    e.extend([Effect::Close, Effect::ListPlans]);
                    e
                }
                _ => self.go(Screen::Overview),
            }),
            _ => None,
        }
    }
}

/// "14:05:09" from an RFC 3339 time.
pub fn clock(now: &str) -> String {
    now.get(11..19).unwrap_or(now).to_string()
}

/// Move a selection within `len` rows.
pub(crate) fn moved(selected: usize, len: usize, action: &Action, page: usize) -> Option<usize> {
    if len == 0 {
        return None;
    }
    let last = len - 1;
    let page = page.max(1);
    Some(match action {
        Action::Up | Action::ScrollUp => selected.saturating_sub(1),
        Action::Down | Action::ScrollDown => (selected + 1).min(last),
        Action::Home => 0,
        Action::End => last,
        Action::PageUp => selected.saturating_sub(page),
        Action::PageDown => (selected + page).min(last),
        _ => return None,
    })
}
/// Draw the current screen into `area`; returns where the cursor belongs.
pub fn render_screen(w: &Wizard, f: &mut Frame, area: Rect, t: &Theme) -> Option<Position> {
    match w.screen {
        Screen::Plans => plans::render(w, f, area, t),
        Screen::NewPlan => new_plan::render(w, f, area, t),
        Screen::Overview => overview::render(w, f, area, t),
        Screen::Step(i) => match w.step_kind(i) {
            Some(ScreenKind::Proxy) => proxy::render(w, f, area, t),
            Some(_) => step::render(w, f, area, t),
            None => None,
        },
        Screen::Summary => summary::render(w, f, area, t),
    }
}

/// Draw the systems pop-up.
pub fn render_systems(w: &Wizard, s: &SystemsState, f: &mut Frame, t: &Theme) -> Option<Position> {
    systems::render(w, s, f, t)
}

/// Draw the role planner.
pub fn render_roles(w: &Wizard, s: &RolesState, f: &mut Frame, t: &Theme) -> Option<Position> {
    roles::render(w, s, f, t)
}

/// What the screen in front of the operator is for, for the help overlay.
pub fn screen_help(w: &Wizard) -> &'static str {
    match w.screen {
        Screen::Plans => {
            "Your migration plans. Each plan follows one guide and keeps every answer, so you can stop and pick it up later where you left it."
        }
        Screen::NewPlan => {
            "Name the plan and say which product you are replacing: the guide is proposed from it (Symantec or McAfee gets its own guide) and you can change it."
        }
        Screen::Overview => {
            "The three phases of the migration (Prepare, Set up, Onboard) with their progress, and every step of each with what is done. Open a step of any phase, or walk them all in order with n and p."
        }
        Screen::Step(i) => match w.step_kind(i) {
            Some(ScreenKind::Updates) => {
                "Get the estate up to date before the migration: the product you are replacing first, then every operating system family, each with its update guide."
            }
            Some(ScreenKind::Licence) => {
                "Get Defender for Endpoint: how you obtain licences (in a guide by plan, it decides Plan 1 or Plan 2); then check the licences, configure the tenant, and say whether a proxy or servers are in play."
            }
            Some(ScreenKind::Access) => {
                "Decide how the security team gets into the portal. With RBAC, plan roles (start from a template), map each to a directory group, and pick the tool that configures them."
            }
            Some(ScreenKind::Checklist) => {
                "A step of a later phase: each item with the tables and commands its page gives. Commands are copied with y and never run from here; items that depend on Phase 1 answers say so."
            }
            Some(ScreenKind::Proxy) => {
                "Left: look up the proxy guide for any plan (or capability) and operating system. Right: the guides your estate needs; open each, then mark it reviewed."
            }
            None => "",
        },
        Screen::Summary => {
            "What is done and what is still open, with your notes. Export a report for a change board, then move on to Phase 2 (Set up)."
        }
    }
}

/// A typing key applied to a text field; false when the action is not one.
pub(crate) fn edit_field(field: &mut crate::ui::widgets::TextField, action: &Action) -> bool {
    match action {
        Action::Char(c) => {
            field.insert(*c);
        }
        Action::Backspace => field.backspace(),
        Action::DeleteChar => field.delete(),
        Action::Left => field.left(),
        Action::Right => field.right(),
        Action::Home => field.home(),
        Action::End => field.end(),
        Action::ClearField => field.clear(),
        _ => return false,
    }
    true
}
