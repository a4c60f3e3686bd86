//! Helpers shared by the store tests: temp stores, sample plans, fixtures.

use std::fs;
use std::path::{Path, PathBuf};

use mde_migrate::plan::Plan;
use mde_migrate::store::Store;
use tempfile::TempDir;

pub const NOW: &str = "2026-11-28T14:05:12Z";

/// An empty store in a fresh temp directory (keep the `TempDir` alive).
pub fn temp_store() -> (TempDir, Store) {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path().join("plans"), true).unwrap();
    (tmp, store)
}

/// A valid plan called `name`.
pub fn sample(name: &str) -> Plan {
    Plan::new(
        name,
        "Contoso",
        "Symantec Endpoint Protection",
        "generic-2023",
        NOW,
    )
    .unwrap()
}

/// A plan with any name at all, even one `Plan::new` would refuse.
pub fn named(name: &str) -> Plan {
    let mut plan = sample("placeholder");
    plan.name = name.to_string();
    plan
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/store")
        .join(name)
}

/// A store holding one fixture file; its id is the fixture's stem.
pub fn with_fixture(name: &str) -> (TempDir, Store, String) {
    let (tmp, store) = temp_store();
    let id = name.strip_suffix(".json").unwrap().to_string();
    fs::copy(fixture(name), store.path_of(&id).unwrap()).unwrap();
    (tmp, store, id)
}

/// File names in `dir`, sorted, but the folder's own lock file
/// ([`mde_migrate::store::FOLDER_LOCK`], made by the first creation).
pub fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != mde_migrate::store::FOLDER_LOCK)
        .collect();
    names.sort();
    names
}
