//! The plans list read from the top of each file: what a save writes there,
//! what the list makes of it, and that opening a plan never trusts it.

use std::fs;

use mde_migrate::catalog::{Catalog, ItemKind};
use mde_migrate::plan::{Plan, Status};
use mde_migrate::store::{Access, Broken, Listed, Listing, PROGRESS_KEY, Store, StoreError};
use mde_migrate::wizard::PlanEntry;

use super::common::{NOW, sample, temp_store};

/// `plan` with every task of its guide done.
fn all_tasks_done(mut plan: Plan) -> Plan {
    let catalog = Catalog::embedded().unwrap();
    let guide = catalog.guide(&plan.guide).unwrap();
    let tasks: Vec<String> = guide
        .items()
        .filter(|(_, i)| i.kind == ItemKind::Task)
        .map(|(_, i)| i.id.clone())
        .collect();
    assert!(!tasks.is_empty());
    for id in tasks {
        plan.set_state(guide, &id, Status::Done, "", NOW).unwrap();
    }
    plan
}

/// A plan of about `kib` KiB on disk (long notes on its answers).
fn large(name: &str, kib: usize) -> Plan {
    let mut plan = sample(name);
    let catalog = Catalog::embedded().unwrap();
    let guide = catalog.guide(&plan.guide).unwrap();
    let ids: Vec<String> = guide.items().map(|(_, i)| i.id.clone()).collect();
    let note = "Checked with the regional team; see the change record. ".repeat(60);
    let mut size = 0;
    for round in 0.. {
        for id in &ids {
            if size > kib << 10 {
                return plan;
            }
            let key = format!("{id}-{round}");
            plan.answers.entry(key).or_default().note = note.clone();
            size += note.len() + 40;
        }
    }
    plan
}

fn summaries(store: &Store) -> Vec<Listed> {
    store.list_summaries().unwrap()
}

#[test]
fn a_saved_plan_lists_from_its_top_as_it_opens() {
    let (_tmp, store) = temp_store();
    let id = store.create(&all_tasks_done(sample("Done plan"))).unwrap();
    let text = fs::read_to_string(store.path_of(&id).unwrap()).unwrap();
    let top: Vec<&str> = text.lines().take(3).collect();
    assert!(top[2].starts_with("  \"progress\": {\"done\": "), "{text}");
    // The progress is for the list only: it never reaches the plan.
    let loaded = store.load(&id).unwrap();
    assert!(!loaded.plan.extra.contains_key(PROGRESS_KEY));
    let full: Vec<PlanEntry> = store
        .list()
        .unwrap()
        .into_iter()
        .map(|l| PlanEntry::from_listing(Catalog::embedded().unwrap(), l))
        .collect();
    let quick: Vec<PlanEntry> = summaries(&store)
        .into_iter()
        .map(PlanEntry::from_listed)
        .collect();
    assert_eq!(quick, full);
    assert_eq!(quick[0].name, "Done plan");
    assert!(quick[0].percent > 0);
    // Saved again: one progress key, still at the top.
    let (loaded, lock) = store.load_for_edit(&id).unwrap();
    store.save_locked(&mut lock.unwrap(), &loaded.plan).unwrap();
    let text = fs::read_to_string(store.path_of(&id).unwrap()).unwrap();
    assert_eq!(text.matches("\"progress\"").count(), 1, "{text}");
}

#[test]
fn a_file_broken_past_its_top_lists_and_opens_as_broken() {
    let (_tmp, store) = temp_store();
    let id = store.create(&sample("Cut short")).unwrap();
    let path = store.path_of(&id).unwrap();
    let text = fs::read_to_string(&path).unwrap();
    let cut = text.find("\n  \"answers\"").unwrap();
    fs::write(
        &path,
        format!("{}\n  \"answers\": {{ garbage", &text[..cut]),
    )
    .unwrap();
    match &summaries(&store)[..] {
        [Listed::Plan { summary, .. }] => assert_eq!(summary.name, "Cut short"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        store.load(&id),
        Err(StoreError::Broken {
            problem: Broken::Syntax { .. },
            ..
        })
    ));
}

#[test]
fn a_hand_edit_the_top_disagrees_with_opens_by_its_body() {
    let (_tmp, store) = temp_store();
    let id = store.create(&sample("Edited")).unwrap();
    let path = store.path_of(&id).unwrap();
    let text = fs::read_to_string(&path).unwrap();
    let total = catalog_total(&store, &id);
    let edited = text.replacen(
        "\"progress\": {\"done\": 0,",
        &format!("\"progress\": {{\"done\": {total},"),
        1,
    );
    assert_ne!(edited, text);
    fs::write(&path, edited).unwrap();
    // The list shows what the top says ...
    match &summaries(&store)[..] {
        [Listed::Plan { summary, .. }] => assert_eq!(summary.percent, 100),
        other => panic!("{other:?}"),
    }
    // ... opening reads the body, and the next save puts the top right.
    let (loaded, lock) = store.load_for_edit(&id).unwrap();
    let guide = Catalog::embedded()
        .unwrap()
        .guide(&loaded.plan.guide)
        .unwrap();
    assert_eq!(loaded.plan.progress(guide).percent, 0);
    store.save_locked(&mut lock.unwrap(), &loaded.plan).unwrap();
    match &summaries(&store)[..] {
        [Listed::Plan { summary, .. }] => assert_eq!(summary.percent, 0),
        other => panic!("{other:?}"),
    }
}

fn catalog_total(store: &Store, id: &str) -> usize {
    let plan = store.load(id).unwrap().plan;
    let guide = Catalog::embedded().unwrap().guide(&plan.guide).unwrap();
    plan.progress(guide).total
}

#[test]
fn a_top_not_as_saved_is_read_whole() {
    let (_tmp, store) = temp_store();
    // Keys in another order, no progress: listed from the whole file.
    let plan = all_tasks_done(sample("Reordered"));
    let mut value = serde_json::to_value(&plan).unwrap();
    let name = value.as_object_mut().unwrap().remove("name").unwrap();
    value.as_object_mut().unwrap().insert("name".into(), name);
    fs::write(
        store.path_of("reordered").unwrap(),
        serde_json::to_vec_pretty(&value).unwrap(),
    )
    .unwrap();
    // A name twice (the first at the top): broken, as it opens.
    let twice = "{\"schema_version\": 2, \"progress\": null, \"name\": \"A\", \"name\": \"B\", \"guide\": \"generic-2023\", \"answers\": {}}";
    fs::write(store.path_of("twice").unwrap(), twice).unwrap();
    let listed = summaries(&store);
    match &listed[..] {
        [
            Listed::Plan { id, summary, .. },
            Listed::Broken {
                id: broken,
                error: StoreError::Broken { .. },
                ..
            },
        ] => {
            assert_eq!(id, "reordered");
            assert_eq!(summary.name, "Reordered");
            let guide = Catalog::embedded().unwrap().guide(&plan.guide).unwrap();
            assert_eq!(summary.percent, plan.progress(guide).percent);
            assert!(summary.percent > 0);
            assert_eq!(broken, "twice");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn broken_files_are_listed_as_broken() {
    let (_tmp, store) = temp_store();
    store.create(&sample("Fine")).unwrap();
    let dir = store.dir().to_path_buf();
    fs::write(dir.join("empty.json"), "").unwrap();
    fs::write(dir.join("not-json.json"), "not json at all").unwrap();
    fs::write(
        dir.join("truncated.json"),
        "{\"schema_version\": 2, \"name\": \"Bro",
    )
    .unwrap();
    fs::create_dir(dir.join("folder.json")).unwrap();
    // Too large to open: refused by its size, before a byte is read.
    let huge = fs::File::create(dir.join("huge.json")).unwrap();
    huge.set_len(mde_migrate::store::MAX_FILE_BYTES + 1)
        .unwrap();
    let listed = summaries(&store);
    let broken: Vec<(&str, String)> = listed
        .iter()
        .filter_map(|l| match l {
            Listed::Broken { id, error, .. } => Some((id.as_str(), error.to_string())),
            Listed::Plan { .. } => None,
        })
        .collect();
    let ids: Vec<&str> = broken.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, ["empty", "folder", "huge", "not-json", "truncated"]);
    // Each says what opening it says.
    for (id, said) in &broken {
        if *id == "folder" {
            continue;
        }
        assert_eq!(*said, store.load(id).unwrap_err().to_string(), "{id}");
    }
    assert!(matches!(&listed[0], Listed::Plan { summary, .. } if summary.name == "Fine"));
}

#[test]
fn a_hundred_plans_one_of_a_megabyte_list_alike() {
    let (_tmp, store) = temp_store();
    let big = store.create(&large("Big", 1024)).unwrap();
    assert!(fs::metadata(store.path_of(&big).unwrap()).unwrap().len() > 1 << 20);
    for i in 1..100 {
        let mut plan = sample(&format!("Plan {i:03}"));
        plan.updated = format!("2026-11-{:02}T10:00:00Z", 1 + i % 28);
        if i % 3 == 0 {
            plan = all_tasks_done(plan);
        }
        store.create(&plan).unwrap();
    }
    let quick: Vec<PlanEntry> = summaries(&store)
        .into_iter()
        .map(PlanEntry::from_listed)
        .collect();
    let full: Vec<PlanEntry> = store
        .list()
        .unwrap()
        .into_iter()
        .map(|l| PlanEntry::from_listing(Catalog::embedded().unwrap(), l))
        .collect();
    assert_eq!(quick.len(), 100);
    assert_eq!(quick, full);
    assert!(quick.iter().any(|e| e.name == "Big"));
}

#[test]
fn a_newer_file_lists_read_only_from_its_top() {
    let (_tmp, store) = temp_store();
    let text = "{\"schema_version\": 99, \"progress\": {\"done\": 1, \"total\": 2}, \"name\": \"Future\", \"guide\": \"generic-2023\", \"answers\": {}, \"future\": true}";
    fs::write(store.path_of("future").unwrap(), text).unwrap();
    match &summaries(&store)[..] {
        [Listed::Plan { summary, .. }] => {
            assert!(summary.newer);
            assert_eq!(summary.percent, 50);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        &store.list().unwrap()[..],
        [Listing::Plan { newer: true, .. }]
    ));
    assert!(matches!(
        store.load("future").unwrap().access,
        Access::ReadOnly(_)
    ));
}

#[test]
fn a_schema_1_key_called_progress_is_kept_aside() {
    let (_tmp, store) = temp_store();
    let text = "{\"schema_version\": 1, \"name\": \"Old\", \"guide\": \"generic-2023\", \"progress\": \"our own tracking\"}";
    fs::write(store.path_of("old").unwrap(), text).unwrap();
    let (loaded, lock) = store.load_for_edit("old").unwrap();
    assert_eq!(
        loaded.plan.extra.get("schema1_progress"),
        Some(&serde_json::Value::from("our own tracking"))
    );
    store.save_locked(&mut lock.unwrap(), &loaded.plan).unwrap();
    let saved: serde_json::Value =
        serde_json::from_slice(&fs::read(store.path_of("old").unwrap()).unwrap()).unwrap();
    assert_eq!(saved["schema1_progress"], "our own tracking");
    assert!(saved["progress"].is_object(), "{saved}");
}

#[test]
fn a_file_changed_in_place_is_read_again_before_a_save() {
    let (_tmp, store) = temp_store();
    let id = store.create(&sample("In place")).unwrap();
    let path = store.path_of(&id).unwrap();
    let (loaded, lock) = store.load_for_edit(&id).unwrap();
    let mut lock = lock.unwrap();
    store.save_locked(&mut lock, &loaded.plan).unwrap();
    // Same file, same revision, other bytes: broken past its top.
    let text = fs::read_to_string(&path).unwrap();
    let broken = text.replacen("\"answers\": {}", "\"answers\": [1, 2]", 1);
    assert_ne!(broken, text);
    fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, broken.as_bytes()))
        .unwrap();
    let err = store.save_locked(&mut lock, &loaded.plan).unwrap_err();
    assert!(matches!(err, StoreError::Broken { .. }), "{err:?}");
    assert_eq!(fs::read_to_string(&path).unwrap(), broken);
    // Put back as it was: saved again, at the next revision.
    fs::write(&path, &text).unwrap();
    store.save_locked(&mut lock, &loaded.plan).unwrap();
    assert_eq!(
        mde_migrate::store::revision_of(&store.load(&id).unwrap().plan),
        2
    );
}
