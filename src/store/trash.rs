//! One undo for a deleted plan: [`Store::trash`] moves the plan file into
//! `<plans>/.trash/` instead of unlinking it, and [`Store::restore`] moves it
//! back. The trash keeps the last deleted copy of each plan id.

use std::fs;
use std::io;
use std::path::PathBuf;

use super::{IoProblem, Store, StoreError, atomic, inside};

/// The trash folder's name inside the plans folder.
pub const TRASH_DIR: &str = ".trash";

impl Store {
    /// The trash folder (it may not exist yet).
    pub fn trash_dir(&self) -> PathBuf {
        self.dir.join(TRASH_DIR)
    }

    /// Move plan `id` into the trash (replacing an older trashed copy of the
    /// same id) and remove its lock sidecar. Refuses while the plan is held.
    pub fn trash(&self, id: &str) -> Result<PathBuf, StoreError> {
        let path = self.path_of(id)?;
        if fs::symlink_metadata(&path).is_err() {
            return Err(StoreError::NoFile { path });
        }
        let lock = self.lock(id)?;
        let trash = self.trash_dir();
        match fs::symlink_metadata(&trash) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(StoreError::NotADir { dir: trash });
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::create_dir(&trash).map_err(|e| StoreError::Dir {
                    reason: IoProblem::from(&e),
                    dir: trash.clone(),
                })?;
            }
            Err(e) => {
                return Err(StoreError::Dir {
                    reason: IoProblem::from(&e),
                    dir: trash,
                });
            }
        }
        let to = inside(&trash, id, "json")?;
        fs::rename(&path, &to).map_err(|e| StoreError::Remove {
            reason: IoProblem::from(&e),
            path,
        })?;
        let _ = fs::remove_file(lock.path());
        drop(lock);
        let _ = atomic::sync_dir(&trash);
        let _ = atomic::sync_dir(&self.dir);
        Ok(to)
    }

    /// Move plan `id` back from the trash. Refuses when a plan file of that
    /// id exists again (nothing is overwritten), when another plan has taken
    /// its name meanwhile (any letter case: checked and moved in one step
    /// under the folder's lock, as [`Store::create`] does), or nothing is in
    /// the trash.
    pub fn restore(&self, id: &str) -> Result<PathBuf, StoreError> {
        let path = self.path_of(id)?;
        let from = inside(&self.trash_dir(), id, "json")?;
        if fs::symlink_metadata(&from).is_err() {
            return Err(StoreError::NoFile { path: from });
        }
        let _folder = super::lock::folder(&self.dir.join(super::FOLDER_LOCK))?;
        let lock = self.lock(id)?;
        if fs::symlink_metadata(&path).is_ok() {
            return Err(StoreError::Exists { path });
        }
        // A trashed file that no longer reads as a plan comes back as it
        // is (the plans list shows it as broken); one that does keeps its
        // name only if no other plan took it.
        if let Ok((bytes, _)) = super::contents::read_with_id(&from)
            && let Ok(decoded) = super::decode(&bytes)
        {
            self.check_name_free(&decoded.plan.name, Some(id))?;
        }
        fs::rename(&from, &path).map_err(|e| StoreError::Write {
            reason: IoProblem::from(&e),
            path: path.clone(),
        })?;
        drop(lock);
        let _ = atomic::sync_dir(&self.dir);
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Plan;

    #[test]
    fn a_trashed_plan_leaves_the_list_and_comes_back_intact() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let store = Store::open(dir.path(), false).unwrap_or_else(|e| panic!("{e}"));
        let plan = Plan::new(
            "Trash me",
            "Contoso",
            "",
            "generic-2023",
            "2026-11-28T10:00:00Z",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let id = store.create(&plan).unwrap_or_else(|e| panic!("{e}"));
        let before = fs::read(store.path_of(&id).unwrap_or_else(|e| panic!("{e}")))
            .unwrap_or_else(|e| panic!("{e}"));
        let trashed = store.trash(&id).unwrap_or_else(|e| panic!("{e}"));
        assert!(trashed.starts_with(dir.path().join(TRASH_DIR)));
        assert!(store.list().unwrap_or_else(|e| panic!("{e}")).is_empty());
        store.restore(&id).unwrap_or_else(|e| panic!("{e}"));
        let after = fs::read(store.path_of(&id).unwrap_or_else(|e| panic!("{e}")))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(before, after);
        assert_eq!(store.list().unwrap_or_else(|e| panic!("{e}")).len(), 1);
        // Nothing left to restore, and a restore never overwrites a plan.
        assert!(matches!(store.restore(&id), Err(StoreError::NoFile { .. })));
        store.trash(&id).unwrap_or_else(|e| panic!("{e}"));
        fs::write(
            store.path_of(&id).unwrap_or_else(|e| panic!("{e}")),
            &before,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(store.restore(&id), Err(StoreError::Exists { .. })));
    }

    #[test]
    fn a_restore_never_makes_two_plans_of_one_name() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let store = Store::open(dir.path(), false).unwrap_or_else(|e| panic!("{e}"));
        let now = "2026-11-28T10:00:00Z";
        let plan = |name: &str| {
            Plan::new(name, "", "", "generic-2023", now).unwrap_or_else(|e| panic!("{e}"))
        };
        let id = store
            .create(&plan("Twice"))
            .unwrap_or_else(|e| panic!("{e}"));
        store.trash(&id).unwrap_or_else(|e| panic!("{e}"));
        // The name is free again: another plan takes it.
        store
            .create(&plan("TWICE"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            store.restore(&id),
            Err(StoreError::NameTaken { .. })
        ));
        assert_eq!(store.list().unwrap_or_else(|e| panic!("{e}")).len(), 1);
        assert!(inside(&store.trash_dir(), &id, "json").is_ok_and(|p| p.exists()));
    }
}
