//! One fixture per way a plan file can be broken: each gets its own
//! message naming the file, and none is ever overwritten by a save.

use std::fs;

use mde_migrate::store::{Access, Broken, Listing, ReadOnlyReason, Store, StoreError};

use crate::common::{sample, temp_store, with_fixture};

/// Load fixture `name`, expect it broken, check the message names the file
/// and says `phrase`, and that a save leaves its bytes alone.
fn broken(name: &str, phrase: &str) -> Broken {
    let (_tmp, store, id) = with_fixture(name);
    let path = store.path_of(&id).unwrap();
    let err = store.load(&id).unwrap_err();
    let text = err.to_string();
    assert!(text.contains(&path.display().to_string()), "{text}");
    assert!(text.contains(phrase), "{name}: {text}");
    assert!(text.contains("left as it is"), "{text}");
    let problem = match err {
        StoreError::Broken { problem, .. } => problem,
        other => panic!("{name}: {other:?}"),
    };
    refuses_to_overwrite(&store, &id);
    problem
}

fn refuses_to_overwrite(store: &Store, id: &str) {
    let path = store.path_of(id).unwrap();
    let before = fs::read(&path).unwrap();
    // Not even by a writer holding its lock.
    let mut lock = store.lock(id).unwrap();
    assert!(
        store
            .save_locked(&mut lock, &sample("Replacement"))
            .is_err()
    );
    assert_eq!(fs::read(&path).unwrap(), before, "{id} was rewritten");
}

#[test]
fn empty() {
    let problem = broken("empty.json", "interrupted write by another tool");
    assert_eq!(problem, Broken::Empty);
}

#[test]
fn truncated() {
    assert_eq!(broken("truncated.json", "cut off"), Broken::Truncated);
}

#[test]
fn invalid_syntax() {
    let problem = broken("invalid-syntax.json", "line 4, column 27");
    assert_eq!(
        problem,
        Broken::Syntax {
            line: 4,
            column: 27
        }
    );
}

#[test]
fn wrong_shape_missing_name() {
    let problem = broken("wrong-shape-missing-name.json", "missing field `name`");
    assert!(matches!(problem, Broken::Shape { .. }), "{problem:?}");
}

#[test]
fn wrong_shape_bad_field() {
    let problem = broken("wrong-shape-bad-field.json", "invalid type");
    assert!(matches!(problem, Broken::Shape { .. }), "{problem:?}");
}

#[test]
fn wrong_shape_not_object() {
    let problem = broken("wrong-shape-not-object.json", "holds a list, not an object");
    assert!(matches!(problem, Broken::Shape { .. }), "{problem:?}");
}

#[test]
fn binary() {
    assert_eq!(broken("binary.json", "not text"), Broken::NotText);
}

#[test]
fn no_version() {
    assert_eq!(
        broken("no-version.json", "no schema_version"),
        Broken::NoVersion
    );
}

#[test]
fn version_zero() {
    assert_eq!(
        broken("version-zero.json", "no schema_version"),
        Broken::NoVersion
    );
}

#[test]
fn bad_version() {
    let problem = broken("bad-version.json", "\"one\"");
    assert!(matches!(problem, Broken::BadVersion { .. }), "{problem:?}");
}

#[test]
fn newer_and_unreadable() {
    let problem = broken("newer-unreadable.json", "upgrade mde-migrate");
    assert!(
        matches!(problem, Broken::NewerUnreadable { found: 3, .. }),
        "{problem:?}"
    );
}

#[test]
fn oversized() {
    let (_tmp, store) = temp_store();
    let path = store.path_of("oversized").unwrap();
    // Valid JSON, one byte over the limit: refused on its size alone.
    let mut bytes = br#"{"schema_version": 1, "name": "big", "guide": "g", "pad": ""#.to_vec();
    let limit = usize::try_from(mde_migrate::store::MAX_FILE_BYTES).unwrap();
    bytes.resize(limit - 1, b'x');
    bytes.extend_from_slice(b"\"}");
    fs::write(&path, &bytes).unwrap();
    let err = store.load("oversized").unwrap_err();
    assert!(
        matches!(err, StoreError::Broken { problem: Broken::TooLarge { len }, .. } if len == limit as u64 + 1),
        "{err:?}"
    );
    assert!(err.to_string().contains("4 MiB"), "{err}");
    refuses_to_overwrite(&store, "oversized");
}

#[test]
fn deeply_nested() {
    let (_tmp, store) = temp_store();
    let deep = |open: &str, close: &str| -> Vec<u8> {
        let mut s = open.repeat(10_000);
        s.push_str(&close.repeat(10_000));
        s.into_bytes()
    };
    let inside_plan = format!(
        r#"{{"schema_version": 1, "name": "n", "guide": "g", "x": {}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let cases = [
        ("open-only", "[".repeat(10_000).into_bytes()),
        ("arrays", deep("[", "]")),
        ("objects", deep("{\"a\":", "}")),
        ("inside-plan", inside_plan.into_bytes()),
    ];
    for (id, bytes) in cases {
        fs::write(store.path_of(id).unwrap(), bytes).unwrap();
        let err = store.load(id).unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::Broken {
                    problem: Broken::TooDeep,
                    ..
                }
            ),
            "{id}: {err:?}"
        );
        refuses_to_overwrite(&store, id);
    }
}

#[test]
fn newer_version_is_read_only_and_never_rewritten() {
    let (_tmp, store, id) = with_fixture("newer-version.json");
    let path = store.path_of(&id).unwrap();
    let before = fs::read(&path).unwrap();

    let loaded = store.load(&id).unwrap();
    assert_eq!(
        loaded.access,
        Access::ReadOnly(ReadOnlyReason::NewerSchema { found: 3 })
    );
    assert_eq!(loaded.plan.name, "Northwind (from a newer build)");
    assert!(loaded.plan.extra.contains_key("phase2"));

    // Saving what was read, or anything else, is refused.
    let mut lock = store.lock(&id).unwrap();
    for plan in [loaded.plan.clone(), sample("Other")] {
        let err = store.save_locked(&mut lock, &plan).unwrap_err();
        assert!(matches!(err, StoreError::Newer { found: 3, .. }), "{err:?}");
        assert!(err.to_string().contains("upgrade mde-migrate"), "{err}");
    }
    assert_eq!(fs::read(&path).unwrap(), before);
    drop(lock);

    let (edit, lock) = store.load_for_edit(&id).unwrap();
    assert!(lock.is_none());
    assert_eq!(edit.access, loaded.access);

    let listing = store.list().unwrap();
    assert!(
        matches!(&listing[..], [Listing::Plan { newer: true, .. }]),
        "{listing:?}"
    );
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn a_byte_order_mark_is_not_damage() {
    let (_tmp, store) = temp_store();
    let mut bytes = "\u{FEFF}".as_bytes().to_vec();
    bytes.extend(fs::read(crate::common::fixture("valid.json")).unwrap());
    fs::write(store.path_of("bom").unwrap(), bytes).unwrap();
    assert_eq!(store.load("bom").unwrap().plan.name, "Contoso rollout");
}

#[test]
fn a_directory_or_missing_file_is_not_a_plan() {
    let (_tmp, store) = temp_store();
    assert!(matches!(
        store.load("absent"),
        Err(StoreError::NoFile { .. })
    ));
    fs::create_dir(store.path_of("dir").unwrap()).unwrap();
    assert!(matches!(store.load("dir"), Err(StoreError::Read { .. })));
}
