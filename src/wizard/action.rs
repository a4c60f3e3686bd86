//! What the wizard is told (actions: keys turned into intents, and the
//! results of effects) and what it asks for (effects). Plain values, so the
//! state machine can be tested without a terminal, a disk or a browser.

use std::path::PathBuf;

use crate::catalog::Catalog;
use crate::plan::Plan;
use crate::report::Format;
use crate::store::{Listed, Listing};

/// An intent, from a key, a mouse event or the result of an effect.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    /// Tab: next field or pane.
    NextField,
    /// Shift-Tab: previous field or pane.
    PrevField,
    /// Enter: choose, edit, confirm.
    Select,
    /// Space: toggle or cycle.
    Toggle,
    /// Esc: go back, keeping every saved answer; in a text box, cancel the
    /// edit; in a confirmation, no.
    Back,
    /// `y` in a confirmation: yes. The only key that confirms.
    Yes,
    /// `u` on the plans screen: restore the plan just deleted.
    Undo,
    /// Ctrl-Z: give the terminal back and stop until resumed.
    Suspend,
    NextStep,
    PrevStep,
    /// `o`: open the focused guidance page.
    Open,
    /// `y`: copy the focused URL.
    Copy,
    Help,
    Quit,
    /// `a`: mark not applicable (toggle).
    NotApplicable,
    /// `e`: edit the note of the focused item.
    EditNote,
    /// `w`: who owns the focused item.
    Owner,
    /// `d`: the focused item's due date.
    Due,
    /// `t`: the focused item's state (to do, done, n/a, blocked, waiting).
    State,
    /// `/`: filter a long list.
    Filter,
    /// `c`: create (a plan, a role).
    Create,
    /// `r`: rename.
    Rename,
    /// `d`/Delete: delete (with confirmation).
    Delete,
    /// `x`: export a report.
    Export,
    /// `m`: switch mouse capture.
    ToggleMouse,
    /// `s`: the estate's operating systems.
    Systems,
    /// `i`: import the estate from a device inventory CSV.
    Import,
    /// A typed character in a text field.
    Char(char),
    Backspace,
    DeleteChar,
    /// Ctrl-U: clear the field.
    ClearField,
    Click {
        column: u16,
        row: u16,
    },
    ScrollUp,
    ScrollDown,
    Resize {
        width: u16,
        height: u16,
    },
    // Results of effects.
    PlansListed(Vec<PlanEntry>),
    Loaded(Result<LoadedPlan, String>),
    Created(Result<LoadedPlan, String>),
    Saved(Result<(), String>),
    /// A save refused because the plan changed on disk since it was read,
    /// its lock was replaced or its folder removed: why. The answers are
    /// kept in memory; the operator chooses reload or save as a copy.
    SaveRefused(String),
    /// The open plan's answers saved as a new plan (now the open one).
    CopySaved(Result<LoadedPlan, String>),
    Deleted(Result<String, String>),
    /// A deleted plan brought back from the trash.
    Restored(Result<String, String>),
    Renamed(Result<String, String>),
    SetAside(Result<PathBuf, String>),
    /// A page opened in a browser (its address), or why not.
    Opened(Result<String, OpenFailure>),
    /// A report written (where), or not (the format and why).
    Exported(Result<PathBuf, (Format, String)>),
    /// An inventory read (what it found), or why not.
    Imported(Result<Box<crate::estate::ImportReport>, String>),
}

/// Why a link could not be opened in a browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenFailure {
    pub url: String,
    pub reason: String,
}

/// A plan as the plans screen lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanEntry {
    pub id: String,
    pub name: String,
    pub organisation: String,
    pub guide: String,
    pub percent: u8,
    pub updated: String,
    /// Set when the file could not be read: what is wrong with it.
    pub broken: Option<String>,
    /// The file comes from a newer version and opens read-only.
    pub newer: bool,
}

/// A plan opened for the wizard.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedPlan {
    pub id: String,
    pub plan: Plan,
    /// Why the plan can't be changed here, if it can't.
    pub read_only: Option<String>,
}

/// A side effect the event loop runs for the wizard.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Read the plans for the plans screen.
    ListPlans,
    /// Open (and lock) a plan.
    Load(String),
    /// Create a new plan file.
    Create(Box<Plan>),
    /// Save the open plan.
    Save,
    /// Save the open plan's answers as a new plan (new name, new unique
    /// id, never overwriting) and open that one.
    SaveCopy,
    /// Move a plan to the trash (one undo: [`Effect::Restore`]).
    Delete(String),
    /// Bring a plan back from the trash.
    Restore(String),
    /// Rename a plan (its file keeps its name).
    Rename {
        id: String,
        name: String,
    },
    /// Copy a broken plan file aside so the operator can start over.
    SetAside(String),
    /// Open a catalog URL in the browser.
    OpenUrl(String),
    /// Copy text to the clipboard (OSC 52).
    Copy(String),
    /// Write a report: to the given file, or into `reports/` in the plans
    /// folder.
    Export(Format, Option<PathBuf>),
    /// Read a device inventory CSV into the open plan's estate.
    Import(PathBuf),
    /// Release the open plan (its lock).
    Close,
    SetMouse(bool),
    /// Restore the terminal, stop the process, and take the full screen
    /// back when it is continued.
    Suspend,
    Quit,
}

impl Action {
    /// Comes from the operator (a key or the mouse), not from the terminal
    /// or the result of an effect.
    pub fn is_input(&self) -> bool {
        !matches!(
            self,
            Action::Resize { .. }
                | Action::PlansListed(_)
                | Action::Loaded(_)
                | Action::Created(_)
                | Action::Saved(_)
                | Action::SaveRefused(_)
                | Action::CopySaved(_)
                | Action::Deleted(_)
                | Action::Restored(_)
                | Action::Renamed(_)
                | Action::SetAside(_)
                | Action::Opened(_)
                | Action::Exported(_)
                | Action::Imported(_)
        )
    }
}

impl PlanEntry {
    /// A row of the plans list from the store's summary of a file: the
    /// progress as of the plan's last save, or the problem of a broken
    /// file.
    pub fn from_listed(listed: Listed) -> PlanEntry {
        match listed {
            Listed::Plan { id, summary, .. } => PlanEntry {
                percent: summary.percent,
                id,
                name: summary.name,
                organisation: summary.organisation,
                guide: summary.guide,
                updated: summary.updated,
                broken: None,
                newer: summary.newer,
            },
            Listed::Broken { id, error, .. } => PlanEntry::broken(id, error.to_string()),
        }
    }

    /// A row for a file that is not a readable plan: listed by its id, with
    /// the problem.
    fn broken(id: String, error: String) -> PlanEntry {
        PlanEntry {
            name: id.clone(),
            id,
            organisation: String::new(),
            guide: String::new(),
            percent: 0,
            updated: String::new(),
            broken: Some(error),
            newer: false,
        }
    }

    /// A row of the plans list from what the store found: progress for a
    /// readable plan, the problem for a broken file.
    pub fn from_listing(catalog: &Catalog, listing: Listing) -> PlanEntry {
        match listing {
            Listing::Plan {
                id, plan, newer, ..
            } => PlanEntry {
                percent: catalog
                    .guide(&plan.guide)
                    .map_or(0, |g| plan.progress(g).percent),
                id,
                name: plan.name,
                organisation: plan.organisation,
                guide: plan.guide,
                updated: plan.updated,
                broken: None,
                newer,
            },
            Listing::Broken { id, error, .. } => PlanEntry::broken(id, error.to_string()),
        }
    }
}
