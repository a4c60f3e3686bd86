//! The plans directory seen from outside: round trips, names that try to
//! escape, listing, finding, deleting and setting aside. Broken files,
//! locks, write failures and properties live in `store/`.

// Test code: a failed unwrap is a failed test, which is what we want.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "store/broken.rs"]
mod broken;
#[path = "store/common.rs"]
mod common;
#[path = "store/listing.rs"]
mod listing;
#[path = "store/lock.rs"]
mod lock;
#[path = "store/prop.rs"]
mod prop;
#[cfg(unix)]
#[path = "store/write.rs"]
mod write;

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use mde_migrate::plan::SCHEMA_VERSION;
use mde_migrate::store::{Access, Listing, Store, StoreError, plan_id};

use common::{files_in, named, sample, temp_store, with_fixture};

#[test]
fn round_trip() {
    let (_tmp, store) = temp_store();
    let plan = sample("Contoso rollout");
    let id = store.create(&plan).unwrap();
    assert!(id.starts_with("contoso-rollout-"), "{id}");
    assert_ne!(
        id,
        plan_id("Contoso rollout"),
        "the hash is of the unique id"
    );
    let loaded = store.load(&id).unwrap();
    // Creation gives the plan its unique id; nothing else changes.
    let mut without_uid = loaded.plan.clone();
    assert!(without_uid.extra.remove("uid").is_some());
    assert_eq!(without_uid, plan);
    assert_eq!(loaded.access, Access::ReadWrite);
    let text = fs::read_to_string(store.path_of(&id).unwrap()).unwrap();
    assert!(
        text.starts_with(&format!("{{\n  \"schema_version\": {SCHEMA_VERSION},")),
        "{text}"
    );
    assert!(text.ends_with("}\n"));
}

#[test]
fn unknown_fields_survive_a_round_trip() {
    let (_tmp, store, id) = with_fixture("unknown-fields.json");
    let before: serde_json::Value =
        serde_json::from_slice(&fs::read(store.path_of(&id).unwrap()).unwrap()).unwrap();
    let (loaded, lock) = store.load_for_edit(&id).unwrap();
    let mut loaded = loaded.plan;
    loaded.organisation = "Fabrikam Ltd".into();
    store.save_locked(&mut lock.unwrap(), &loaded).unwrap();
    let after: serde_json::Value =
        serde_json::from_slice(&fs::read(store.path_of(&id).unwrap()).unwrap()).unwrap();
    for pointer in [
        "/future_top_level",
        "/answers/licence-state/checked_by",
        "/roles/0/scope",
        "/estate/imported_from",
    ] {
        assert!(after.pointer(pointer).is_some(), "{pointer} lost");
        assert_eq!(after.pointer(pointer), before.pointer(pointer), "{pointer}");
    }
    assert_eq!(after["organisation"], "Fabrikam Ltd");
}

#[test]
fn create_refuses_an_existing_file_or_name_in_any_case() {
    let (_tmp, store) = temp_store();
    let id = store.create(&sample("Contoso")).unwrap();
    // The same name again is refused by name (its file would have another
    // id, from another unique id) ...
    let same = store.create(&sample("Contoso")).unwrap_err();
    assert!(matches!(same, StoreError::NameTaken { .. }), "{same:?}");
    // ... and the same plan (same unique id) by its file.
    let again = store.load(&id).unwrap().plan;
    let same = store.create(&again).unwrap_err();
    assert!(matches!(same, StoreError::Exists { .. }), "{same:?}");
    let case = store.create(&sample("CONTOSO")).unwrap_err();
    assert!(matches!(case, StoreError::NameTaken { .. }), "{case:?}");
    assert!(case.to_string().contains("\"Contoso\""), "{case}");
    assert_eq!(files_in(store.dir()).len(), 1);
}

#[test]
fn renaming_keeps_the_id_and_file() {
    let (_tmp, store) = temp_store();
    let id = store.create(&sample("Old name")).unwrap();
    let plan = store.rename(&id, "New name", common::NOW).unwrap();
    assert_eq!(plan.name, "New name");
    // The same file (and the lock sidecar it was saved under).
    assert_eq!(
        files_in(store.dir()),
        vec![format!("{id}.json"), format!("{id}.lock")]
    );
    assert_eq!(store.find("new NAME").unwrap(), id);
    assert!(matches!(
        store.check_name_free("new name", None),
        Err(StoreError::NameTaken { .. })
    ));
}

#[test]
fn hostile_and_odd_names_stay_inside_and_distinct() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("plans");
    let store = Store::open(&dir, true).unwrap();
    let long = "x".repeat(300);
    let names = [
        "../x",
        "a/b",
        "a\\b",
        "CON",
        "nul",
        "COM1.txt",
        long.as_str(),
        "🦀",
        "🦀🦀",
        "📋 plan",
        "Plan",
        "../../etc/passwd",
        "..",
        ".",
        ".hidden",
    ];
    let mut ids = Vec::new();
    for name in names {
        // Plan::new would refuse some of these; the store must cope anyway.
        let id = store.create(&named(name)).unwrap();
        let path = store.path_of(&id).unwrap();
        assert_eq!(
            path.parent(),
            Some(store.dir()),
            "{name:?} → {}",
            path.display()
        );
        assert!(id.len() <= 49, "{id}");
        assert!(
            !matches!(
                id.to_ascii_lowercase().as_str(),
                "con" | "nul" | "prn" | "aux"
            ),
            "{id}"
        );
        assert_eq!(store.load(&id).unwrap().plan.name, name);
        ids.push(id);
    }
    // `plan` differs from `Plan` only in case: `create` refuses the name,
    // but its id and file are distinct all the same.
    assert!(matches!(
        store.create(&named("plan")),
        Err(StoreError::NameTaken { .. })
    ));
    let lower = plan_id("plan");
    fs::write(
        store.path_of(&lower).unwrap(),
        serde_json::to_vec_pretty(&named("plan")).unwrap(),
    )
    .unwrap();
    assert_eq!(store.load(&lower).unwrap().plan.name, "plan");
    assert_eq!(
        store.load(&store.find("Plan").unwrap()).unwrap().plan.name,
        "Plan"
    );
    ids.push(lower);
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), names.len() + 1, "{ids:?}");
    // Nothing appeared next to the plans directory, nothing under it but files.
    assert_eq!(files_in(tmp.path()), vec!["plans".to_string()]);
    assert_eq!(files_in(&dir).len(), names.len() + 1);
    assert!(
        fs::read_dir(&dir)
            .unwrap()
            .all(|e| e.unwrap().file_type().unwrap().is_file())
    );
}

#[test]
fn ids_from_outside_cannot_escape() {
    let (_tmp, store) = temp_store();
    for id in ["../x", "a/b", "..", "", ".x", "/etc/passwd", "c:\\x"] {
        assert!(
            matches!(store.load(id), Err(StoreError::BadId { .. })),
            "{id:?}"
        );
        assert!(matches!(
            store.rename(id, "x", common::NOW),
            Err(StoreError::BadId { .. })
        ));
        assert!(matches!(store.lock(id), Err(StoreError::BadId { .. })));
        assert!(matches!(store.delete(id), Err(StoreError::BadId { .. })));
    }
}

#[test]
fn listing_survives_a_corrupt_file_and_ignores_others() {
    let (_tmp, store) = temp_store();
    let mut older = sample("Older");
    older.updated = "2026-01-01T00:00:00Z".into();
    let mut newer = sample("Newer");
    newer.updated = "2026-11-01T00:00:00Z".into();
    let older_id = store.create(&older).unwrap();
    let newer_id = store.create(&newer).unwrap();
    let dir = store.dir();
    fs::write(dir.join("broken-00000000.json"), b"{\"schema_version\": 1,").unwrap();
    for other in [
        ".older-1234.json.abc.tmp",
        "older-1234.lock",
        "older-1234.json.corrupt-20261128T140512Z",
        "notes.txt",
        ".hidden.json",
    ] {
        fs::write(dir.join(other), b"not a plan").unwrap();
    }
    fs::create_dir(dir.join("subdir.json")).unwrap();

    let listing = store.list().unwrap();
    let ids: Vec<&str> = listing.iter().map(Listing::id).collect();
    assert_eq!(
        ids,
        [
            newer_id.as_str(),
            older_id.as_str(),
            "broken-00000000",
            "subdir"
        ]
    );
    match &listing[3] {
        Listing::Broken { error, .. } => {
            assert!(error.to_string().contains("a directory"), "{error}");
        }
        other => panic!("{other:?}"),
    }
    match &listing[2] {
        Listing::Broken { error, path, .. } => {
            assert!(error.to_string().contains(&path.display().to_string()));
            assert!(error.to_string().contains("cut off"), "{error}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn find_by_id_name_and_any_case() {
    let (_tmp, store) = temp_store();
    let id = store.create(&sample("Contoso rollout")).unwrap();
    store.create(&sample("Fabrikam")).unwrap();
    assert_eq!(store.find(&id).unwrap(), id);
    assert_eq!(store.find(&format!("{id}.json")).unwrap(), id);
    assert_eq!(store.find("Contoso rollout").unwrap(), id);
    assert_eq!(store.find("  contoso ROLLOUT ").unwrap(), id);
    let missing = store.find("Northwind").unwrap_err();
    let text = missing.to_string();
    assert!(text.contains("\"Northwind\""), "{text}");
    assert!(
        text.contains("\"Contoso rollout\"") && text.contains("\"Fabrikam\""),
        "{text}"
    );
}

#[test]
fn find_with_no_plans_says_how_to_create_one() {
    let (_tmp, store) = temp_store();
    let text = store.find("anything").unwrap_err().to_string();
    assert!(text.contains("no plans yet"), "{text}");
    assert!(text.contains("mde-migrate new --name NAME"), "{text}");
}

#[test]
fn find_reports_two_files_with_one_name() {
    let (_tmp, store) = temp_store();
    let id = store.create(&sample("Twin")).unwrap();
    fs::copy(
        store.path_of(&id).unwrap(),
        store.dir().join("twin-copy.json"),
    )
    .unwrap();
    let err = store.find("Twin").unwrap_err();
    assert!(
        matches!(err, StoreError::Ambiguous { ref ids, .. } if ids.len() == 2),
        "{err:?}"
    );
}

#[test]
fn open_without_create_names_the_missing_dir() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("nowhere");
    let err = Store::open(&dir, false).unwrap_err();
    assert!(matches!(err, StoreError::MissingDir { .. }), "{err:?}");
    assert!(
        err.to_string().contains(&dir.display().to_string()),
        "{err}"
    );
    assert!(!dir.exists());
    Store::open(&dir, true).unwrap();
    assert!(dir.is_dir());
    Store::open(&dir, false).unwrap();
    let file = tmp.path().join("file");
    fs::write(&file, b"").unwrap();
    assert!(matches!(
        Store::open(&file, true),
        Err(StoreError::NotADir { .. })
    ));
}

#[test]
fn state_dir_then_env_then_default() {
    let cli = Path::new("/from/cli");
    let env = std::ffi::OsStr::new("/from/env");
    assert_eq!(Store::resolve_dir_with(Some(cli), Some(env)).unwrap(), cli);
    assert_eq!(
        Store::resolve_dir_with(None, Some(env)).unwrap(),
        Path::new(env)
    );
    let default = Store::resolve_dir_with(None, None).unwrap();
    assert!(default.ends_with("plans"), "{}", default.display());
    assert!(default.to_string_lossy().contains("mde-migrate"));
    let empty_env = std::ffi::OsStr::new("");
    assert_eq!(
        Store::resolve_dir_with(None, Some(empty_env)).unwrap(),
        default
    );
    assert!(matches!(
        Store::resolve_dir_with(Some(Path::new("")), None),
        Err(StoreError::EmptyDir)
    ));
}

#[test]
fn open_sweeps_only_stale_temp_files() {
    let (_tmp, store) = temp_store();
    let dir = store.dir();
    let stale = dir.join(".plan-1234abcd.json.Xx09aZ.mde-tmp");
    let fresh = dir.join(".plan-1234abcd.json.YYYYYY.mde-tmp");
    // Other programs' hidden files, however old, are theirs.
    let foreign = [
        dir.join(".foo.tmp"),
        dir.join(".plan-1234abcd.XXXX.tmp"),
        dir.join(".plan-1234abcd.json.XXXXXXX.mde-tmp"),
        dir.join(".plan-1234abcd.json.XXXXXX.mde-tmp.bak"),
    ];
    let old = SystemTime::now() - Duration::from_secs(11 * 60);
    for path in foreign.iter().chain([&stale, &fresh]) {
        fs::write(path, b"{").unwrap();
    }
    for path in foreign.iter().chain([&stale]) {
        fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
    Store::open(dir, false).unwrap();
    assert!(stale.exists(), "a read-only open changes nothing");
    Store::open(dir, true).unwrap();
    assert!(!stale.exists());
    assert!(fresh.exists(), "a live writer's temp file is kept");
    for path in &foreign {
        assert!(path.exists(), "{} is not the store's", path.display());
    }
}

#[test]
fn delete_removes_plan_and_lock() {
    let (_tmp, store) = temp_store();
    let id = store.create(&sample("Gone")).unwrap();
    drop(store.lock(&id).unwrap());
    assert!(store.dir().join(format!("{id}.lock")).exists());
    store.delete(&id).unwrap();
    assert!(
        files_in(store.dir()).is_empty(),
        "{:?}",
        files_in(store.dir())
    );
    assert!(matches!(store.delete(&id), Err(StoreError::NoFile { .. })));
}

#[test]
fn delete_refuses_a_locked_plan() {
    let (_tmp, store) = temp_store();
    let id = store.create(&sample("Busy")).unwrap();
    let held = store.lock(&id).unwrap();
    assert!(matches!(store.delete(&id), Err(StoreError::Locked { .. })));
    assert!(store.path_of(&id).unwrap().exists());
    drop(held);
    store.delete(&id).unwrap();
}

#[test]
fn set_aside_copies_then_removes() {
    let (_tmp, store, id) = with_fixture("truncated.json");
    let bytes = fs::read(store.path_of(&id).unwrap()).unwrap();
    let first = store.set_aside(&id).unwrap();
    assert_eq!(first.parent(), Some(store.dir()));
    let name = first.file_name().unwrap().to_str().unwrap().to_string();
    let stamp = name.strip_prefix(&format!("{id}.json.corrupt-")).unwrap();
    assert_eq!(stamp.len(), "20261128T140512Z".len(), "{name}");
    assert!(
        stamp.ends_with('Z') && stamp.as_bytes()[8] == b'T',
        "{name}"
    );
    assert_eq!(fs::read(&first).unwrap(), bytes);
    assert!(!store.path_of(&id).unwrap().exists());
    assert!(store.list().unwrap().is_empty());

    // Again within the same second: a second copy, the first untouched.
    fs::write(store.path_of(&id).unwrap(), b"").unwrap();
    let second = store.set_aside(&id).unwrap();
    assert_ne!(first, second);
    assert_eq!(fs::read(&first).unwrap(), bytes);
    assert!(fs::read(&second).unwrap().is_empty());
}
