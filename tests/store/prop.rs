//! Properties: any plan survives save → load unchanged; no bytes make the
//! reader panic, and nothing that is not JSON reads as a plan; every id is
//! a safe file name. Cases: 256 by default, `PROPTEST_CASES` for long runs.

use std::collections::{BTreeMap, BTreeSet};

use mde_migrate::plan::{Answer, Estate, Plan, Position, Role, SCHEMA_VERSION, Status};
use mde_migrate::store::{REVISION_KEY, Store, UID_KEY, decode, plan_id};
use proptest::prelude::*;
use serde_json::Value;

/// Any Unicode at all, control characters and NUL included.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..24).prop_map(String::from_iter)
}

/// Unknown fields a newer build might write. No floats: serde_json only
/// promises exact float round trips with its `float_roundtrip` feature.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(text(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Unknown fields, with keys that cannot collide with known ones.
fn extra() -> impl Strategy<Value = BTreeMap<String, Value>> {
    prop::collection::btree_map(text().prop_map(|k| format!("x-{k}")), json(), 0..3)
}

fn answer() -> impl Strategy<Value = Answer> {
    let status = prop::option::of(prop::sample::select(Status::EVERY.to_vec()));
    (
        status,
        prop::option::of(text()),
        prop::option::of(text()),
        text(),
        text(),
        extra(),
        (text(), prop::option::of(text()), text()),
    )
        .prop_map(
            |(status, choice, text, note, updated, extra, (owner, due, reason))| Answer {
                status,
                choice,
                text,
                note,
                owner,
                due,
                reason,
                updated,
                extra,
            },
        )
}

fn role() -> impl Strategy<Value = Role> {
    (
        text(),
        text(),
        prop::collection::btree_set(text(), 0..4),
        extra(),
    )
        .prop_map(|(name, group, permissions, extra)| Role {
            name,
            group,
            permissions,
            extra,
        })
}

fn plan() -> impl Strategy<Value = Plan> {
    let head = (text(), text(), text(), text(), text(), text());
    let body = (
        prop::collection::btree_map(text(), answer(), 0..5),
        prop::collection::vec(role(), 0..4),
        prop::collection::btree_map(text(), prop::option::of(any::<u64>()), 0..4),
        prop::collection::btree_set(text(), 0..4),
        (text(), prop::option::of(text()), prop::option::of(text())),
        extra(),
    );
    (head, body).prop_map(
        |(
            (name, organisation, replacing, guide, created, updated),
            (answers, roles, systems, reviewed, (screen, step, item), extra),
        )| Plan {
            schema_version: SCHEMA_VERSION,
            name,
            organisation,
            replacing,
            guide,
            created,
            updated,
            answers,
            roles,
            estate: Estate {
                systems,
                extra: BTreeMap::new(),
            },
            reviewed: reviewed.into_iter().collect::<BTreeSet<_>>(),
            position: Position { screen, step, item },
            extra,
        },
    )
}

proptest! {
    #[test]
    fn save_then_load_is_identity(plan in plan()) {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(tmp.path(), false).unwrap();
        // What the store adds: a unique id at creation, a revision per save.
        let strip = |mut p: Plan| {
            p.extra.remove(UID_KEY);
            p.extra.remove(REVISION_KEY);
            p
        };
        let id = store.create(&plan).unwrap();
        let (loaded, lock) = store.load_for_edit(&id).unwrap();
        prop_assert_eq!(strip(loaded.plan), plan.clone());
        // And once more over the existing file, through its lock.
        store.save_locked(&mut lock.unwrap(), &plan).unwrap();
        prop_assert_eq!(strip(store.load(&id).unwrap().plan), plan);
    }

    #[test]
    fn any_bytes_never_panic_and_non_json_never_reads(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let result = decode(&bytes);
        let json = bytes.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(&bytes);
        if serde_json::from_slice::<Value>(json).is_err() {
            prop_assert!(result.is_err());
        }
    }

    #[test]
    fn damaged_plan_files_never_panic(plan in plan(), cut in any::<prop::sample::Index>(), flip in any::<(prop::sample::Index, u8)>()) {
        let bytes = serde_json::to_vec_pretty(&plan).unwrap();
        // Cut anywhere before the closing brace: never a plan.
        let end = cut.index(bytes.len() - 1);
        prop_assert!(decode(&bytes[..end]).is_err());
        // One byte changed: whatever it reads as, no panic.
        let mut changed = bytes.clone();
        let at = flip.0.index(changed.len());
        changed[at] ^= flip.1.max(1);
        let _ = decode(&changed);
    }

    #[test]
    fn any_json_never_panics(value in json()) {
        let _ = decode(value.to_string().as_bytes());
        let mut map = serde_json::Map::new();
        map.insert("schema_version".into(), Value::from(1));
        map.insert("name".into(), value);
        let _ = decode(Value::Object(map).to_string().as_bytes());
    }

    #[test]
    fn ids_are_safe_file_names(name in ".*") {
        let id = plan_id(&name);
        prop_assert!(id.len() <= 49, "{}", id);
        let (slug, hash) = id.rsplit_once('-').unwrap();
        prop_assert_eq!(hash.len(), 8);
        prop_assert!(hash.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        prop_assert!(!slug.is_empty() && !slug.starts_with('-') && !slug.ends_with('-'));
        prop_assert!(slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
        prop_assert!(!slug.contains("--"));
        let dir = std::path::Path::new("/plans");
        let path = dir.join(format!("{id}.json"));
        prop_assert_eq!(path.parent(), Some(dir));
    }
}
