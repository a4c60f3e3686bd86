//! The only place the wizard's effects touch the world: the store (list,
//! load and lock, create, save, delete, set aside), the browser (on a
//! thread, so the screen never waits) and report files. Each effect's
//! result goes back to the wizard as an [`Action`].

use std::path::PathBuf;
use std::sync::mpsc::Sender;

use crate::catalog::Catalog;
use crate::links;
use crate::report::{self, Format};
use crate::store::{Access, PlanLock, Store, StoreError};
use crate::wizard::{Action, Effect, LoadedPlan, OpenFailure, PlanEntry, Wizard};

/// Runs effects for one wizard session; holds the open plan's lock.
pub struct Runner {
    catalog: &'static Catalog,
    store: Store,
    lock: Option<PlanLock>,
    browser: links::Env,
    results: Sender<Action>,
}

impl Runner {
    pub fn new(
        catalog: &'static Catalog,
        store: Store,
        browser: links::Env,
        results: Sender<Action>,
    ) -> Runner {
        Runner {
            catalog,
            store,
            lock: None,
            browser,
            results,
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Run one effect; the result, if it is ready now, comes back at once.
    pub fn run(&mut self, effect: Effect, wizard: &Wizard, now: &str) -> Option<Action> {
        match effect {
            Effect::ListPlans => Some(Action::PlansListed(self.entries())),
            Effect::Load(id) => Some(Action::Loaded(self.load(&id))),
            Effect::Create(plan) => Some(Action::Created(self.create(*plan))),
            Effect::Save => Some(self.save(wizard)),
            Effect::SaveCopy => Some(Action::CopySaved(self.save_copy(wizard, now))),
            Effect::Delete(id) => Some(Action::Deleted(self.delete(&id))),
            Effect::Restore(id) => Some(Action::Restored(
                self.store
                    .restore(&id)
                    .map(|_| "Plan restored from the trash.".to_string())
                    .map_err(|e| format!("Not restored: {e}")),
            )),
            Effect::Rename { id, name } => Some(Action::Renamed(self.rename(&id, &name, now))),
            Effect::SetAside(id) => Some(Action::SetAside(
                self.store.set_aside(&id).map_err(|e| e.to_string()),
            )),
            Effect::OpenUrl(url) => self.open_url(url),
            Effect::Export(format, path) => Some(Action::Exported(
                self.export(wizard, format, path, now)
                    .map_err(|e| (format, e)),
            )),
            Effect::Import(path) => Some(Action::Imported(self.import(wizard, &path))),
            Effect::Close => {
                self.lock = None;
                None
            }
            Effect::Copy(_) | Effect::SetMouse(_) | Effect::Suspend | Effect::Quit => None,
        }
    }

    fn entries(&self) -> Vec<PlanEntry> {
        let listing = match self.store.list_summaries() {
            Ok(l) => l,
            Err(e) => {
                return vec![PlanEntry {
                    id: String::new(),
                    name: "(plans folder)".into(),
                    organisation: String::new(),
                    guide: String::new(),
                    percent: 0,
                    updated: String::new(),
                    broken: Some(e.to_string()),
                    newer: false,
                }];
            }
        };
        listing.into_iter().map(PlanEntry::from_listed).collect()
    }

    fn load(&mut self, id: &str) -> Result<LoadedPlan, String> {
        let (loaded, lock) = self.store.load_for_edit(id).map_err(|e| e.to_string())?;
        self.lock = lock;
        let read_only = match loaded.access {
            Access::ReadWrite => None,
            Access::ReadOnly(reason) => Some(reason.to_string()),
        };
        Ok(LoadedPlan {
            id: id.to_string(),
            plan: loaded.plan,
            read_only,
        })
    }

    fn create(&mut self, plan: crate::plan::Plan) -> Result<LoadedPlan, String> {
        let id = self.store.create(&plan).map_err(|e| e.to_string())?;
        self.load(&id)
    }

    /// Save the open plan through its lock, so a change made on disk since
    /// it was opened (another writer, a removed lock or folder) is refused
    /// and said, never overwritten; the wizard keeps its answers.
    /// A refusal because of a change on disk (or a lock or folder gone) is
    /// [`Action::SaveRefused`]: the wizard offers reload or save as a copy.
    fn save(&mut self, wizard: &Wizard) -> Action {
        let Some(open) = &wizard.open else {
            return Action::Saved(Ok(()));
        };
        if open.read_only.is_some() {
            return Action::Saved(Ok(()));
        }
        let Some(lock) = self.lock.as_mut().filter(|l| l.id() == open.id) else {
            return Action::SaveRefused(
                "not saved: this plan is no longer locked for writing here".into(),
            );
        };
        match self.store.save_locked(lock, &open.plan) {
            Ok(()) => Action::Saved(Ok(())),
            Err(e @ (StoreError::Conflict { .. } | StoreError::DirGone { .. })) => {
                Action::SaveRefused(e.to_string())
            }
            Err(e) => Action::Saved(Err(e.to_string())),
        }
    }

    /// Save the open plan's answers as a new plan and open it (its lock
    /// replaces the old plan's).
    fn save_copy(&mut self, wizard: &Wizard, now: &str) -> Result<LoadedPlan, String> {
        let Some(open) = &wizard.open else {
            return Err("no plan is open".into());
        };
        let id = self
            .store
            .create_copy(&open.plan, now)
            .map_err(|e| format!("not saved as a copy: {e}"))?;
        self.lock = None;
        self.load(&id)
    }

    fn delete(&mut self, id: &str) -> Result<String, String> {
        self.store.trash(id).map_err(|e| e.to_string())?;
        Ok("Plan deleted (kept in the trash folder).".into())
    }

    /// Rename through the store: under the folder's lock and the plan's,
    /// so two renames to one name at once make one winner.
    fn rename(&mut self, id: &str, name: &str, now: &str) -> Result<String, String> {
        let plan = self
            .store
            .rename(id, name, now)
            .map_err(|e| format!("Not renamed: {e}"))?;
        Ok(format!(
            "Renamed to {:?}.",
            crate::sanitize::line(&plan.name)
        ))
    }

    fn open_url(&self, url: String) -> Option<Action> {
        if let Some(why) = links::refuse(self.catalog, &url) {
            return Some(Action::Opened(Err(OpenFailure {
                url,
                reason: why.into(),
            })));
        }
        if let Some(why) = self.browser.no_browser() {
            return Some(Action::Opened(Err(OpenFailure {
                url,
                reason: why.into(),
            })));
        }
        let tx = self.results.clone();
        std::thread::spawn(move || {
            let result = match open::that_detached(&url) {
                Ok(()) => Ok(url),
                Err(e) => Err(OpenFailure {
                    url,
                    reason: format!("the opener failed ({e})"),
                }),
            };
            let _ = tx.send(Action::Opened(result));
        });
        None
    }

    fn import(
        &self,
        wizard: &Wizard,
        path: &std::path::Path,
    ) -> Result<Box<crate::estate::ImportReport>, String> {
        let Some(open) = &wizard.open else {
            return Err("no plan is open".into());
        };
        let file = crate::estate::open(path).map_err(|e| e.to_string())?;
        let report = crate::estate::import(open.guide, std::io::BufReader::new(file))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Box::new(report))
    }

    /// `reports/` in the plans folder, made if missing. Never makes the
    /// plans folder again when it was removed, and never writes through a
    /// `reports` that is a link or not a folder.
    fn export(
        &self,
        wizard: &Wizard,
        format: Format,
        path: Option<PathBuf>,
        now: &str,
    ) -> Result<PathBuf, String> {
        let Some(open) = &wizard.open else {
            return Err("no plan is open".into());
        };
        export_report(
            &self.store,
            self.catalog,
            &open.id,
            &open.plan,
            format,
            path,
            now,
        )
    }
}

/// Write a plan's report with the store's atomic writer: to `path`, or
/// into the `reports` folder inside the plans folder, named after the plan
/// and the time. Shared by the wizard and plain mode.
pub fn export_report(
    store: &Store,
    catalog: &Catalog,
    id: &str,
    plan: &crate::plan::Plan,
    format: Format,
    path: Option<PathBuf>,
    now: &str,
) -> Result<PathBuf, String> {
    let text = report::render(catalog, plan, format, now).map_err(|e| e.to_string())?;
    let path = match path {
        Some(p) => p,
        None => {
            let dir = reports_dir(store)?;
            let stamp: String = now.chars().filter(char::is_ascii_digit).take(14).collect();
            dir.join(format!("{id}-{stamp}.{}", format.extension()))
        }
    };
    crate::store::write_path_atomic(&path, |f| std::io::Write::write_all(f, text.as_bytes()))
        .map_err(|e| e.to_string())?;
    Ok(path)
}

/// The `reports` folder inside the plans folder: made if missing, but
/// never when the plans folder itself was removed, and never a link.
fn reports_dir(store: &Store) -> Result<PathBuf, String> {
    let plans = store.dir();
    if !std::fs::symlink_metadata(plans).is_ok_and(|m| m.is_dir()) {
        return Err(format!(
            "the plans folder {} was removed, and it is not made again behind your back",
            crate::sanitize::path(plans)
        ));
    }
    let dir = plans.join("reports");
    let shown = crate::sanitize::path(&dir);
    match std::fs::create_dir(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(format!("{shown}: {e}")),
    }
    match std::fs::symlink_metadata(&dir) {
        Ok(m) if m.is_dir() => Ok(dir),
        Ok(_) => Err(format!(
            "{shown} is not a plain folder (a link or a file), so no report is written there"
        )),
        Err(e) => Err(format!("{shown}: {e}")),
    }
}
