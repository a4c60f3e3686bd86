//! The store against a careless colleague and a hostile folder: a lock
//! sidecar that is a link or someone's file, a lock or a folder removed
//! under a writer, other programs' temp files.

// Test code: a failed unwrap is a failed test, which is what we want.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(unix)]

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use assert_cmd::Command;
use mde_migrate::store::{Access, ReadOnlyReason, Store, StoreError};

fn cmd(home: &Path) -> Command {
    let mut c = Command::cargo_bin("mde-migrate").unwrap();
    c.env("MDE_MIGRATE_HOME", home).env_remove("ACCESSIBLE");
    c
}

/// A plans folder at `home` with one plan made by the CLI; its id.
fn cli_plan(home: &Path, name: &str) -> String {
    cmd(home)
        .args([
            "new",
            "--name",
            name,
            "--org",
            "Contoso",
            "--replacing",
            "Symantec Endpoint Protection",
        ])
        .assert()
        .success();
    Store::open(home, false).unwrap().find(name).unwrap()
}

const VICTIM: &[u8] =
    b"root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n";

#[test]
fn a_symlinked_lock_is_refused_and_its_target_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("plans");
    let id = cli_plan(&home, "Linked");
    let victim = tmp.path().join("passwd-copy");
    fs::write(&victim, VICTIM).unwrap();
    let lock = home.join(format!("{id}.lock"));
    let _ = fs::remove_file(&lock);
    std::os::unix::fs::symlink(&victim, &lock).unwrap();
    let store = Store::open(&home, false).unwrap();

    let err = store.lock(&id).unwrap_err();
    assert!(matches!(err, StoreError::LockFailed { .. }), "{err:?}");
    assert!(err.to_string().contains("symbolic link"), "{err}");
    let (loaded, none) = store.load_for_edit(&id).unwrap();
    assert!(none.is_none());
    assert!(matches!(
        loaded.access,
        Access::ReadOnly(ReadOnlyReason::NotWritable { .. })
    ));
    let out = cmd(&home)
        .args(["note", "Linked", "tenant", "EU"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(fs::read(&victim).unwrap(), VICTIM, "target byte for byte");
    assert!(
        fs::symlink_metadata(&lock)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn a_lock_file_holding_other_data_or_other_names_is_never_truncated() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("plans");
    let id = cli_plan(&home, "Foreign");
    let lock = home.join(format!("{id}.lock"));
    let store = Store::open(&home, false).unwrap();

    fs::write(&lock, VICTIM).unwrap();
    let err = store.lock(&id).unwrap_err();
    assert!(err.to_string().contains("did not write"), "{err}");
    assert_eq!(fs::read(&lock).unwrap(), VICTIM);

    // A hard link to someone's file (holding a pid-like text) is refused too.
    fs::remove_file(&lock).unwrap();
    let other = tmp.path().join("counter");
    fs::write(&other, b"42\n").unwrap();
    fs::hard_link(&other, &lock).unwrap();
    let err = store.lock(&id).unwrap_err();
    assert!(err.to_string().contains("hard links"), "{err}");
    assert_eq!(fs::read(&other).unwrap(), b"42\n");

    // A directory or FIFO in its place is not a lock file.
    fs::remove_file(&lock).unwrap();
    fs::create_dir(&lock).unwrap();
    assert!(store.lock(&id).is_err());
    fs::remove_dir(&lock).unwrap();
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&lock)
            .status()
            .unwrap()
            .success()
    );
    let err = store.lock(&id).unwrap_err();
    assert!(err.to_string().contains("not a regular file"), "{err}");

    // Its own lock file (a pid) is taken again.
    fs::remove_file(&lock).unwrap();
    drop(store.lock(&id).unwrap());
    drop(store.lock(&id).unwrap());
}

/// Writer A (as the wizard does) holds the plan; something removes what
/// keeps B out; CLI writer B writes a note; A's save must be refused and
/// B's note must still be in the file.
fn lost_update(remove: impl FnOnce(&Path, &str)) -> StoreError {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("plans");
    let id = cli_plan(&home, "Shared");
    let store = Store::open(&home, false).unwrap();
    let (loaded, lock) = store.load_for_edit(&id).unwrap();
    let mut lock = lock.unwrap();
    let mut mine = loaded.plan.clone();
    mine.organisation = "Changed by A".into();

    remove(&home, &id);
    cmd(&home)
        .args(["note", "Shared", "tenant", "B's note"])
        .assert()
        .success();
    let err = store.save_locked(&mut lock, &mine).unwrap_err();
    let text = fs::read_to_string(home.join(format!("{id}.json"))).unwrap();
    assert!(text.contains("B's note"), "{text}");
    assert!(!text.contains("Changed by A"), "{text}");
    assert_eq!(mine.organisation, "Changed by A", "A keeps its answers");
    err
}

#[test]
fn a_removed_lock_file_does_not_let_a_save_revert_a_cli_write() {
    let err = lost_update(|home, id| fs::remove_file(home.join(format!("{id}.lock"))).unwrap());
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("changed on disk since it was opened"),
        "{text}"
    );
    assert!(text.contains("reload"), "{text}");
}

#[test]
fn a_removed_and_recreated_folder_does_not_let_a_save_revert_a_cli_write() {
    // The folder is removed, then made again with the plan restored from a
    // backup (same bytes, same revision, a new file and lock).
    let err = lost_update(|home, id| {
        let file = home.join(format!("{id}.json"));
        let backup = fs::read(&file).unwrap();
        fs::remove_dir_all(home).unwrap();
        fs::create_dir(home).unwrap();
        fs::write(&file, backup).unwrap();
    });
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
}

#[test]
fn a_removed_folder_is_refused_by_name_and_not_made_again() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("plans");
    let id = cli_plan(&home, "Gone");
    let store = Store::open(&home, false).unwrap();
    let (loaded, lock) = store.load_for_edit(&id).unwrap();
    let mut lock = lock.unwrap();
    fs::remove_dir_all(&home).unwrap();
    let err = store.save_locked(&mut lock, &loaded.plan).unwrap_err();
    assert!(matches!(err, StoreError::DirGone { .. }), "{err:?}");
    assert!(
        err.to_string().contains(&home.display().to_string()),
        "{err}"
    );
    assert!(!home.exists());
}

#[test]
fn a_plan_replaced_or_rewritten_on_disk_is_not_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("plans");
    let id = cli_plan(&home, "Edited");
    let store = Store::open(&home, false).unwrap();
    let path = home.join(format!("{id}.json"));

    // Saves of one writer follow one another; each bumps the revision.
    let (loaded, lock) = store.load_for_edit(&id).unwrap();
    let mut lock = lock.unwrap();
    store.save_locked(&mut lock, &loaded.plan).unwrap();
    store.save_locked(&mut lock, &loaded.plan).unwrap();
    let on_disk: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    assert_eq!(on_disk["revision"], 2);

    // Rewritten in place (same file, another revision) by a tool that
    // ignores the lock.
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("\"revision\": 2", "\"revision\": 7");
    fs::write(&path, &text).unwrap();
    let err = store.save_locked(&mut lock, &loaded.plan).unwrap_err();
    assert!(err.to_string().contains("revision 7 on disk"), "{err}");
    assert_eq!(fs::read_to_string(&path).unwrap(), text);

    // Replaced by another file of the same revision.
    drop(lock);
    let (loaded, lock) = store.load_for_edit(&id).unwrap();
    let mut lock = lock.unwrap();
    let copy = home.join("copy");
    fs::write(&copy, &text).unwrap();
    fs::rename(&copy, &path).unwrap();
    let err = store.save_locked(&mut lock, &loaded.plan).unwrap_err();
    assert!(err.to_string().contains("replaced"), "{err}");
}

#[test]
fn every_cli_writer_sweeps_its_plans_stale_temp_files_and_only_those() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("plans");
    let id = cli_plan(&home, "Swept");
    let csv = tmp.path().join("estate.csv");
    fs::write(&csv, "os,count\nWindows 10,3\n").unwrap();
    let csv = csv.to_str().unwrap().to_string();
    // Every command-line writer cleans up after a killed one.
    let writers: [&[&str]; 5] = [
        &["set", "Swept", "licence-state", "done"],
        &["note", "Swept", "tenant", "a note"],
        &["import", "Swept", &csv, "--replace"],
        &["roles", "Swept", "add", "--template", "tier-1"],
        &["review", "Swept", "--undo", "1"],
    ];
    for args in writers {
        let stale = home.join(format!(".{id}.json.a1B2c3.mde-tmp"));
        let foreign = home.join(".foo.tmp");
        let old_style = home.join(format!(".{id}.Zz9.tmp"));
        let old = SystemTime::now() - Duration::from_secs(11 * 60);
        for path in [&stale, &foreign, &old_style] {
            fs::write(path, b"{").unwrap();
            fs::File::options()
                .write(true)
                .open(path)
                .unwrap()
                .set_modified(old)
                .unwrap();
        }
        // `review --undo 1` on a plan with no proxy guide is refused, after
        // the lock was taken: the sweep happens all the same.
        let _ = cmd(&home).args(args).output().unwrap();
        assert!(
            !stale.exists(),
            "{args:?}: a dead writer's temp file is removed"
        );
        assert!(foreign.exists(), "{args:?}: another program's file stays");
        assert!(
            old_style.exists(),
            "{args:?}: only the exact pattern is the store's"
        );
    }
}

#[test]
fn a_save_keeps_the_files_mode_and_group() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("plans");
    let id = cli_plan(&home, "Team");
    let path = home.join(format!("{id}.json"));
    fs::set_permissions(&path, fs::Permissions::from_mode(0o664)).unwrap();
    // Group 100 (`users` on most systems) where this user may set it (as
    // root); else the user's own group, which a save must keep as well.
    let before = fs::metadata(&path).unwrap().gid();
    let gid = if std::os::unix::fs::chown(&path, None, Some(100)).is_ok() {
        100
    } else {
        before
    };
    cmd(&home)
        .args(["note", "Team", "tenant", "shared"])
        .assert()
        .success();
    let after = fs::metadata(&path).unwrap();
    assert_eq!(after.permissions().mode() & 0o7777, 0o664);
    assert_eq!(after.gid(), gid);
    assert!(fs::read_to_string(&path).unwrap().contains("shared"));
}

#[test]
fn a_symlinked_plan_file_is_read_only_and_never_written_through() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("plans");
    let id = cli_plan(&home, "Elsewhere");
    let path = home.join(format!("{id}.json"));
    let real = tmp.path().join("real-plan.json");
    fs::rename(&path, &real).unwrap();
    std::os::unix::fs::symlink(&real, &path).unwrap();
    let before = fs::read(&real).unwrap();
    let store = Store::open(&home, false).unwrap();

    let (loaded, lock) = store.load_for_edit(&id).unwrap();
    assert!(lock.is_none());
    assert_eq!(loaded.access, Access::ReadOnly(ReadOnlyReason::Symlinked));
    // Not even a writer holding the lock writes through the link.
    let mut lock = store.lock(&id).unwrap();
    let err = store.save_locked(&mut lock, &loaded.plan).unwrap_err();
    assert!(matches!(err, StoreError::Symlinked { .. }), "{err:?}");
    drop(lock);
    let out = cmd(&home)
        .args(["note", "Elsewhere", "tenant", "through the link"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("symbolic link"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(fs::read(&real).unwrap(), before);
    assert!(
        fs::symlink_metadata(&path)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn eight_creations_of_one_name_in_different_cases_make_one_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path().join("plans"), true).unwrap();
    let names = [
        "Race", "RACE", "race", "rAce", "raCe", "racE", "RAce", "raCE",
    ];
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(names.len()));
    let handles: Vec<_> = names
        .iter()
        .map(|name| {
            let store = store.clone();
            let barrier = barrier.clone();
            let plan = mde_migrate::plan::Plan::new(
                name,
                "Contoso",
                "Symantec Endpoint Protection",
                "generic-2023",
                "2026-11-28T14:05:12Z",
            )
            .unwrap();
            std::thread::spawn(move || {
                barrier.wait();
                store.create(&plan)
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let made = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(made, 1, "{results:?}");
    for err in results.iter().filter_map(|r| r.as_ref().err()) {
        assert!(matches!(err, StoreError::NameTaken { .. }), "{err:?}");
    }
    assert_eq!(store.list().unwrap().len(), 1);
}

#[test]
fn a_symlinked_folder_lock_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path().join("plans"), true).unwrap();
    let victim = tmp.path().join("victim");
    fs::write(&victim, VICTIM).unwrap();
    std::os::unix::fs::symlink(&victim, store.dir().join(".mde-migrate.lock")).unwrap();
    let plan = mde_migrate::plan::Plan::new(
        "Linked folder",
        "Contoso",
        "Symantec Endpoint Protection",
        "generic-2023",
        "2026-11-28T14:05:12Z",
    )
    .unwrap();
    let err = store.create(&plan).unwrap_err();
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert_eq!(fs::read(&victim).unwrap(), VICTIM);
}

#[test]
fn a_report_write_that_fails_leaves_the_old_report_whole() {
    use std::io::Write;
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("report.md");
    let old = "# Good report\n".repeat(600);
    fs::write(&report, &old).unwrap();
    // Half written, then the disk is full.
    let err = mde_migrate::store::write_path_atomic(&report, |f| {
        f.write_all(&b"# New report, torn".repeat(700))?;
        Err(std::io::Error::from(std::io::ErrorKind::StorageFull))
    })
    .unwrap_err();
    assert!(err.to_string().contains("disk full"), "{err}");
    assert_eq!(fs::read_to_string(&report).unwrap(), old);
    let names: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "no temp file left: {names:?}");
}

#[test]
fn export_o_replaces_a_symlink_instead_of_writing_through_it() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("plans");
    cli_plan(&home, "Reported");
    let victim = tmp.path().join("victim");
    fs::write(&victim, VICTIM).unwrap();
    let report = tmp.path().join("report.md");
    std::os::unix::fs::symlink(&victim, &report).unwrap();
    cmd(&home)
        .args(["export", "Reported", "-o"])
        .arg(&report)
        .assert()
        .success();
    assert_eq!(fs::read(&victim).unwrap(), VICTIM);
    assert!(fs::symlink_metadata(&report).unwrap().is_file());
    assert!(fs::read_to_string(&report).unwrap().contains("Reported"));
}

#[test]
fn odd_entries_named_like_plans_are_listed_as_broken() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("plans");
    cli_plan(&home, "Real");
    fs::create_dir(home.join("folder-00000000.json")).unwrap();
    std::os::unix::fs::symlink(
        tmp.path().join("nowhere"),
        home.join("dangling-00000000.json"),
    )
    .unwrap();
    assert!(
        std::process::Command::new("mkfifo")
            .arg(home.join("fifo-00000000.json"))
            .status()
            .unwrap()
            .success()
    );
    fs::write(
        home.join("twice-00000000.json"),
        br#"{"schema_version": 1, "name": "A", "name": "B", "guide": "generic-2023"}"#,
    )
    .unwrap();
    let store = Store::open(&home, false).unwrap();
    let listing = store.list().unwrap();
    let broken: Vec<(String, String)> = listing
        .iter()
        .filter_map(|l| match l {
            mde_migrate::store::Listing::Broken { id, error, .. } => {
                Some((id.clone(), error.to_string()))
            }
            mde_migrate::store::Listing::Plan { .. } => None,
        })
        .collect();
    let find = |id: &str| {
        broken
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, e)| e.clone())
            .unwrap_or_else(|| panic!("{id} not listed as broken: {broken:?}"))
    };
    assert!(find("folder-00000000").contains("a directory"));
    assert!(find("dangling-00000000").contains("symbolic link to nothing"));
    assert!(find("fifo-00000000").contains("not a regular file"));
    assert!(find("twice-00000000").contains("appears twice"));
    assert_eq!(listing.len(), 5);
    let out = cmd(&home).args(["plans"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for id in ["folder-00000000", "dangling-00000000", "fifo-00000000"] {
        assert!(text.contains(id), "{id} missing from `plans`: {text}");
    }
}

#[test]
fn the_wizard_says_a_refused_save_in_its_status_line_and_keeps_its_answers() {
    use mde_migrate::wizard::{Effect, SaveState, Wizard};
    const NOW: &str = "2026-11-28T14:05:12Z";
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("plans");
    let id = cli_plan(&home, "Wizard");
    let catalog = mde_migrate::catalog::Catalog::embedded().unwrap();
    let (tx, _rx) = std::sync::mpsc::channel();
    let browser = mde_migrate::links::Env {
        ssh: false,
        display: false,
        macos_or_windows: false,
    };
    let store = Store::open(&home, false).unwrap();
    let mut runner = mde_migrate::effects::Runner::new(catalog, store, browser, tx);
    let mut w = Wizard::new(catalog, false);
    let loaded = runner.run(Effect::Load(id.clone()), &w, NOW).unwrap();
    w.update(loaded, NOW);
    w.open.as_mut().unwrap().plan.organisation = "Changed in the wizard".into();

    fs::remove_file(home.join(format!("{id}.lock"))).unwrap();
    cmd(&home)
        .args(["note", "Wizard", "tenant", "B's note"])
        .assert()
        .success();
    let saved = runner.run(Effect::Save, &w, NOW).unwrap();
    w.update(saved, NOW);
    match &w.save {
        SaveState::Refused(why) => {
            assert!(why.contains("changed on disk since it was opened"), "{why}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        w.open.as_ref().unwrap().plan.organisation,
        "Changed in the wizard"
    );
    let text = fs::read_to_string(home.join(format!("{id}.json"))).unwrap();
    assert!(text.contains("B's note") && !text.contains("Changed in the wizard"));
}

#[test]
fn every_plan_gets_its_own_unique_id_and_import_never_overwrites_another_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let here = tmp.path().join("here");
    let there = tmp.path().join("there");
    let id_here = cli_plan(&here, "Rollout");
    let id_there = cli_plan(&there, "Rollout");
    assert_ne!(id_here, id_there, "same name, two file names");
    // Their plan under our file name (copied by hand, or made before
    // unique ids gave distinct names).
    fs::copy(
        there.join(format!("{id_there}.json")),
        tmp.path().join(format!("{id_here}.json")),
    )
    .unwrap();
    let id_there = id_here.clone();
    let read = |home: &Path| -> serde_json::Value {
        serde_json::from_slice(&fs::read(home.join(format!("{id_here}.json"))).unwrap()).unwrap()
    };
    let uid_here = read(&here)["uid"].as_str().unwrap().to_string();
    let uid_there = read(tmp.path())["uid"].as_str().unwrap().to_string();
    assert_eq!(uid_here.len(), 32);
    assert_ne!(uid_here, uid_there, "two teams' plans are two plans");

    let store = Store::open(&here, false).unwrap();
    let theirs = tmp.path().join(format!("{id_there}.json"));
    let before = fs::read(here.join(format!("{id_here}.json"))).unwrap();
    let err = store.import_plan(&theirs).unwrap_err();
    assert!(matches!(err, StoreError::DifferentPlan { .. }), "{err:?}");
    assert!(err.to_string().contains("another plan"), "{err}");
    assert_eq!(
        fs::read(here.join(format!("{id_here}.json"))).unwrap(),
        before
    );

    // Into a folder without it: brought in as it is.
    let empty = Store::open(tmp.path().join("empty"), true).unwrap();
    let id = empty.import_plan(&theirs).unwrap();
    assert_eq!(id, id_there);
    assert_eq!(
        mde_migrate::store::uid_of(&empty.load(&id).unwrap().plan),
        Some(uid_there.as_str())
    );
    // The same plan again (a newer copy of it) replaces it.
    assert_eq!(empty.import_plan(&theirs).unwrap(), id);

    // A broken file is refused, nothing is written.
    let junk = tmp.path().join("junk-00000000.json");
    fs::write(&junk, b"{\"schema_version\": 1,").unwrap();
    assert!(matches!(
        empty.import_plan(&junk),
        Err(StoreError::Broken { .. })
    ));
    assert!(!empty.dir().join("junk-00000000.json").exists());
}

#[test]
fn plans_import_on_the_command_line_refuses_another_plan_of_the_same_file_name() {
    let tmp = tempfile::tempdir().unwrap();
    let here = tmp.path().join("here");
    let there = tmp.path().join("there");
    let id = cli_plan(&here, "Rollout");
    let other = cli_plan(&there, "Rollout");
    let mine = here.join(format!("{id}.json"));
    let before = fs::read(&mine).unwrap();
    let theirs = tmp.path().join(format!("{id}.json"));
    fs::copy(there.join(format!("{other}.json")), &theirs).unwrap();
    let out = cmd(&here)
        .args(["plans", "import"])
        .arg(&theirs)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("another plan with the same file name"),
        "{err}"
    );
    assert_eq!(fs::read(&mine).unwrap(), before);

    let fresh = tmp.path().join("fresh");
    cmd(&fresh)
        .args(["plans", "import"])
        .arg(&mine)
        .assert()
        .success();
    assert_eq!(fs::read(fresh.join(format!("{id}.json"))).unwrap(), before);
}

#[test]
fn two_renames_to_one_name_at_once_make_one_winner_and_a_clear_refusal() {
    use mde_migrate::wizard::{Action, Effect, Wizard};
    const NOW: &str = "2026-11-28T14:05:12Z";
    let catalog = mde_migrate::catalog::Catalog::embedded().unwrap();
    for round in 0..12 {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path().join("plans");
        let a = cli_plan(&home, "First");
        let b = cli_plan(&home, "Second");
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(3));
        // Two wizards' renames and a creation, all to "Target" in some case.
        let renames: Vec<_> = [(a, "Target"), (b, "TARGET")]
            .into_iter()
            .map(|(id, name)| {
                let (home, barrier) = (home.clone(), barrier.clone());
                std::thread::spawn(move || {
                    let (tx, _rx) = std::sync::mpsc::channel();
                    let browser = mde_migrate::links::Env {
                        ssh: false,
                        display: false,
                        macos_or_windows: false,
                    };
                    let store = Store::open(&home, false).unwrap();
                    let mut runner = mde_migrate::effects::Runner::new(catalog, store, browser, tx);
                    let w = Wizard::new(catalog, false);
                    barrier.wait();
                    let effect = Effect::Rename {
                        id,
                        name: name.into(),
                    };
                    match runner.run(effect, &w, NOW) {
                        Some(Action::Renamed(r)) => r,
                        other => panic!("{other:?}"),
                    }
                })
            })
            .collect();
        let created = {
            let home = home.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let store = Store::open(&home, false).unwrap();
                let plan =
                    mde_migrate::plan::Plan::new("target", "", "", "generic-2023", NOW).unwrap();
                barrier.wait();
                store.create(&plan).map(|_| ()).map_err(|e| e.to_string())
            })
        };
        let mut results: Vec<Result<String, String>> =
            renames.into_iter().map(|t| t.join().unwrap()).collect();
        results.push(created.join().unwrap().map(|()| "created".into()));
        let won = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(won, 1, "round {round}: {results:?}");
        for err in results.iter().filter_map(|r| r.as_ref().err()) {
            assert!(err.contains("already exists"), "round {round}: {err}");
        }
        let names: Vec<String> = Store::open(&home, false)
            .unwrap()
            .list()
            .unwrap()
            .into_iter()
            .filter_map(|l| match l {
                mde_migrate::store::Listing::Plan { plan, .. } => Some(plan.name.to_lowercase()),
                _ => None,
            })
            .filter(|n| n == "target")
            .collect();
        assert_eq!(names.len(), 1, "round {round}");
    }
}

#[test]
fn a_lock_that_never_read_the_plan_does_not_overwrite_it() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("plans");
    let id = cli_plan(&home, "Unread");
    let store = Store::open(&home, false).unwrap();
    let before = fs::read(home.join(format!("{id}.json"))).unwrap();
    let mut lock = store.lock(&id).unwrap();
    let mut other = store.load(&id).unwrap().plan;
    other.organisation = "Never read under the lock".into();
    let err = store.save_locked(&mut lock, &other).unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    assert_eq!(fs::read(home.join(format!("{id}.json"))).unwrap(), before);
}

/// The wizard with the effects it asks for run against the real store,
/// as the event loop does.
struct Session {
    runner: mde_migrate::effects::Runner,
    w: mde_migrate::wizard::Wizard,
}

const WNOW: &str = "2026-11-28T14:05:12Z";

impl Session {
    fn new(home: &Path) -> Session {
        let catalog = mde_migrate::catalog::Catalog::embedded().unwrap();
        let (tx, _rx) = std::sync::mpsc::channel();
        let browser = mde_migrate::links::Env {
            ssh: false,
            display: false,
            macos_or_windows: false,
        };
        let store = Store::open(home, false).unwrap();
        Session {
            runner: mde_migrate::effects::Runner::new(catalog, store, browser, tx),
            w: mde_migrate::wizard::Wizard::new(catalog, false),
        }
    }

    fn act(&mut self, action: mde_migrate::wizard::Action) {
        let mut pending = self.w.update(action, WNOW);
        while !pending.is_empty() {
            let effect = pending.remove(0);
            if let Some(result) = self.runner.run(effect, &self.w, WNOW) {
                pending.extend(self.w.update(result, WNOW));
            }
        }
    }

    fn open(&mut self, id: &str) {
        let loaded = self
            .runner
            .run(mde_migrate::wizard::Effect::Load(id.into()), &self.w, WNOW)
            .unwrap();
        self.act(loaded);
        assert!(self.w.open.is_some());
    }

    /// Change the organisation in memory, as an edit would, and save.
    fn change(&mut self, org: &str) {
        let open = self.w.open.as_mut().unwrap();
        open.plan.organisation = org.into();
        open.unsaved = true;
        let saved = self
            .runner
            .run(mde_migrate::wizard::Effect::Save, &self.w, WNOW)
            .unwrap();
        self.act(saved);
    }
}

/// A wizard holds plan "Raced"; its lock file is removed and a CLI note
/// lands; the wizard's next save is refused. Returns the session, the id
/// and the plans folder.
fn raced_wizard(tmp: &Path) -> (Session, String, std::path::PathBuf) {
    use mde_migrate::wizard::{Context, Modal};
    let home = tmp.join("plans");
    let id = cli_plan(&home, "Raced");
    let mut s = Session::new(&home);
    s.open(&id);
    fs::remove_file(home.join(format!("{id}.lock"))).unwrap();
    cmd(&home)
        .args(["note", "Raced", "tenant", "B's note"])
        .assert()
        .success();
    s.change("Changed in the wizard");
    assert!(
        matches!(&s.w.modal, Some(Modal::SaveConflict { reason }) if reason.contains("changed on disk")),
        "{:?}",
        s.w.modal
    );
    assert_eq!(s.w.context(), Context::SaveConflict);
    assert_eq!(
        s.w.open.as_ref().unwrap().plan.organisation,
        "Changed in the wizard",
        "the answers are kept in memory"
    );
    (s, id, home)
}

#[test]
fn a_refused_save_offers_reload_which_asks_y_and_shows_the_other_change() {
    use mde_migrate::wizard::{Action, ConfirmKind, Key, Modal};
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, id, home) = raced_wizard(tmp.path());
    // r asks first; Enter and Esc mean no and go back to the choice.
    s.act(s.w.key(Key::Char('r')).unwrap());
    assert!(matches!(
        s.w.modal,
        Some(Modal::Confirm(ConfirmKind::ReloadFromDisk { .. }))
    ));
    s.act(s.w.key(Key::Enter).unwrap());
    assert!(matches!(s.w.modal, Some(Modal::SaveConflict { .. })));
    assert_eq!(
        s.w.open.as_ref().unwrap().plan.organisation,
        "Changed in the wizard"
    );
    s.act(s.w.key(Key::Char('r')).unwrap());
    s.act(s.w.key(Key::Char('y')).unwrap());
    let open = s.w.open.as_ref().unwrap();
    assert_eq!(open.id, id);
    assert_eq!(open.plan.organisation, "Contoso", "reloaded from disk");
    assert_eq!(open.plan.answer("tenant").unwrap().note, "B's note");
    assert!(open.read_only.is_none(), "the lock was taken again");
    assert!(s.w.modal.is_none());
    // Saves work again, on top of the other change.
    s.change("After the reload");
    assert!(s.w.modal.is_none(), "{:?}", s.w.modal);
    let text = fs::read_to_string(home.join(format!("{id}.json"))).unwrap();
    assert!(text.contains("B's note") && text.contains("After the reload"));
    let _ = s.w.update(Action::Quit, WNOW);
}

#[test]
fn a_refused_save_offers_a_copy_that_never_overwrites_the_original() {
    use mde_migrate::store::uid_of;
    use mde_migrate::wizard::Key;
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, id, home) = raced_wizard(tmp.path());
    let original = fs::read(home.join(format!("{id}.json"))).unwrap();
    s.act(s.w.key(Key::Char('c')).unwrap());
    assert!(s.w.modal.is_none(), "{:?}", s.w.modal);
    let msg = s.w.message.clone().unwrap_or_default();
    assert!(msg.contains("Saved as a new plan"), "{msg}");
    let open = s.w.open.as_ref().unwrap();
    assert_ne!(open.id, id);
    assert_eq!(open.plan.name, "Raced (copy)");
    assert_eq!(open.plan.organisation, "Changed in the wizard");
    // The original is as the CLI left it; the copy is its own plan.
    assert_eq!(fs::read(home.join(format!("{id}.json"))).unwrap(), original);
    let store = Store::open(&home, false).unwrap();
    let copy = store.load(&open.id).unwrap().plan;
    assert_eq!(copy.organisation, "Changed in the wizard");
    let first = store.load(&id).unwrap().plan;
    assert_ne!(uid_of(&copy), uid_of(&first));
    assert!(uid_of(&copy).is_some());
    // And the copy saves normally from here on.
    s.change("Copy, changed again");
    assert!(s.w.modal.is_none());
    assert_eq!(
        store.load(&open_id(&s)).unwrap().plan.organisation,
        "Copy, changed again"
    );
}

fn open_id(s: &Session) -> String {
    s.w.open.as_ref().unwrap().id.clone()
}

#[test]
fn a_removed_folder_offers_the_same_choice_and_is_never_made_again() {
    use mde_migrate::wizard::{Key, Modal};
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("plans");
    let id = cli_plan(&home, "Gone");
    let mut s = Session::new(&home);
    s.open(&id);
    fs::remove_dir_all(&home).unwrap();
    s.change("Typed after the folder went");
    assert!(
        matches!(&s.w.modal, Some(Modal::SaveConflict { reason }) if reason.contains("was removed")),
        "{:?}",
        s.w.modal
    );
    // A copy needs the folder: refused, said, and the choice stays.
    s.act(s.w.key(Key::Char('c')).unwrap());
    assert!(
        matches!(&s.w.modal, Some(Modal::SaveConflict { reason }) if reason.contains("not saved as a copy")),
        "{:?}",
        s.w.modal
    );
    assert!(!home.exists(), "the folder is not made again");
    // Esc keeps the answers here.
    s.act(s.w.key(Key::Esc).unwrap());
    assert!(s.w.modal.is_none());
    assert_eq!(
        s.w.open.as_ref().unwrap().plan.organisation,
        "Typed after the folder went"
    );
    // Once the folder is back, the copy is made.
    fs::create_dir(&home).unwrap();
    s.change("Typed after the folder went");
    s.act(s.w.key(Key::Char('c')).unwrap());
    assert!(s.w.modal.is_none(), "{:?}", s.w.modal);
    assert_eq!(s.w.open.as_ref().unwrap().plan.name, "Gone (copy)");
}

/// `export -o` by the real binary under a file-size limit (RLIMIT_FSIZE
/// through `ulimit -f`, with SIGXFSZ ignored so the write fails with EFBIG
/// as on a full disk): refused, said, the old report whole, no temp file.
#[test]
fn export_o_that_hits_the_file_size_limit_leaves_the_old_report_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("plans");
    cli_plan(&home, "Reported");
    for (i, item) in ["tenant", "licence-state", "access-model"]
        .iter()
        .enumerate()
    {
        cmd(&home)
            .args([
                "note",
                "Reported",
                item,
                &format!("{i}: {}", "a long note ".repeat(300)),
            ])
            .assert()
            .success();
    }
    let out_dir = tmp.path().join("reports");
    fs::create_dir(&out_dir).unwrap();
    let report = out_dir.join("report.md");
    let old = "# The report from last week\n".repeat(20);
    fs::write(&report, &old).unwrap();
    let full = cmd(&home).args(["export", "Reported"]).output().unwrap();
    assert!(full.stdout.len() > 8 * 1024, "{}", full.stdout.len());

    let bin = assert_cmd::cargo::cargo_bin("mde-migrate");
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(r#"trap "" XFSZ; ulimit -f 4; exec "$0" export Reported -o "$1""#)
        .arg(&bin)
        .arg(&report)
        .env("MDE_MIGRATE_HOME", &home)
        .env_remove("ACCESSIBLE")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("report not written to"), "{err}");
    assert!(err.contains("unchanged"), "{err}");
    assert_eq!(fs::read_to_string(&report).unwrap(), old);
    let names: Vec<_> = fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        names,
        vec![std::ffi::OsString::from("report.md")],
        "no temp file left"
    );

    // Without the limit the same command replaces it.
    cmd(&home)
        .args(["export", "Reported", "-o"])
        .arg(&report)
        .assert()
        .success();
    let new = fs::read_to_string(&report).unwrap();
    assert!(
        new.contains("Reported") && new.contains("a long note"),
        "{new}"
    );
    assert!(new.len() > 8 * 1024);
}

#[test]
fn a_copy_gets_a_free_name_a_new_id_and_never_touches_the_original() {
    use mde_migrate::store::{UID_KEY, uid_of};
    const NOW: &str = "2026-11-28T14:05:12Z";
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("plans");
    let id = cli_plan(&home, "Copied");
    let store = Store::open(&home, false).unwrap();
    let before = fs::read(home.join(format!("{id}.json"))).unwrap();
    let plan = store.load(&id).unwrap().plan;
    let first = store.create_copy(&plan, NOW).unwrap();
    let second = store.create_copy(&plan, NOW).unwrap();
    assert_eq!(store.load(&first).unwrap().plan.name, "Copied (copy)");
    assert_eq!(store.load(&second).unwrap().plan.name, "Copied (copy 2)");
    let uids: Vec<_> = [&id, &first, &second]
        .iter()
        .map(|i| uid_of(&store.load(i).unwrap().plan).map(str::to_string))
        .collect();
    assert!(uids.iter().all(Option::is_some), "{uids:?}");
    assert!(uids[0] != uids[1] && uids[1] != uids[2] && uids[0] != uids[2]);
    assert_eq!(fs::read(home.join(format!("{id}.json"))).unwrap(), before);
    // A name at the length limit, with characters a name may not hold.
    let mut long = plan.clone();
    long.name = format!("{}\u{202e}", "n".repeat(80));
    long.extra.remove(UID_KEY);
    let copy = store.create_copy(&long, NOW).unwrap();
    let name = store.load(&copy).unwrap().plan.name;
    assert!(
        name.ends_with(" (copy)") && name.chars().count() <= 80,
        "{name:?}"
    );
    assert!(!name.contains('\u{202e}'));
}

/// Standard input for plain mode that runs `race` just before it hands
/// over line number `before` (0-based), one line per read.
struct RacingInput {
    lines: Vec<String>,
    next: usize,
    before: usize,
    race: Option<Box<dyn FnOnce()>>,
}

impl std::io::Read for RacingInput {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.next == self.before
            && let Some(race) = self.race.take()
        {
            race();
        }
        let Some(line) = self.lines.get(self.next) else {
            return Ok(0);
        };
        let bytes = format!("{line}\n").into_bytes();
        assert!(bytes.len() <= buf.len());
        buf[..bytes.len()].copy_from_slice(&bytes);
        self.next += 1;
        Ok(bytes.len())
    }
}

#[test]
fn plain_mode_saves_through_the_lock_and_never_reverts_a_cli_write() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("plans");
    let id = cli_plan(&home, "Plain");
    let store = Store::open(&home, false).unwrap();
    let catalog = mde_migrate::catalog::Catalog::embedded().unwrap();
    let race_home = home.clone();
    let race_id = id.clone();
    let input = RacingInput {
        // Choose plan 1, answer the first item with option 1, quit.
        lines: vec!["1".into(), "1".into(), "q".into()],
        next: 0,
        before: 1,
        race: Some(Box::new(move || {
            fs::remove_file(race_home.join(format!("{race_id}.lock"))).unwrap();
            cmd(&race_home)
                .args(["note", "Plain", "tenant", "B's note"])
                .assert()
                .success();
        })),
    };
    let mut out = Vec::new();
    mde_migrate::plain::run(catalog, &store, std::io::BufReader::new(input), &mut out).unwrap();
    let out = String::from_utf8_lossy(&out);
    assert!(out.contains("Not saved"), "{out}");
    assert!(out.contains("changed on disk"), "{out}");
    let plan = store.load(&id).unwrap().plan;
    assert_eq!(plan.answer("tenant").unwrap().note, "B's note");
    assert!(
        plan.answer("licence-route")
            .is_none_or(|a| a.choice.is_none()),
        "plain mode's answer did not go over the CLI's write: {:?}",
        plan.answers
    );
}

#[test]
fn a_wizard_export_never_makes_a_removed_plans_folder_again_nor_writes_through_a_link() {
    use mde_migrate::report::Format;
    use mde_migrate::wizard::{Action, Effect, Modal};
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("plans");
    let id = cli_plan(&home, "Exported");
    let mut s = Session::new(&home);
    s.open(&id);
    // Into reports/ while the folder is there.
    let done = s
        .runner
        .run(Effect::Export(Format::Markdown, None), &s.w, WNOW)
        .unwrap();
    assert!(matches!(&done, Action::Exported(Ok(p)) if p.starts_with(home.join("reports"))));
    // `reports` replaced by a link elsewhere: nothing is written there.
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    fs::remove_dir_all(home.join("reports")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, home.join("reports")).unwrap();
    let linked = s
        .runner
        .run(Effect::Export(Format::Markdown, None), &s.w, WNOW)
        .unwrap();
    assert!(
        matches!(&linked, Action::Exported(Err((_, e))) if e.contains("not a plain folder")),
        "{linked:?}"
    );
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
    // The plans folder removed: refused, said, and not made again.
    fs::remove_dir_all(&home).unwrap();
    let gone = s
        .runner
        .run(Effect::Export(Format::Markdown, None), &s.w, WNOW)
        .unwrap();
    assert!(
        matches!(&gone, Action::Exported(Err((_, e))) if e.contains("was removed")),
        "{gone:?}"
    );
    assert!(!home.exists(), "the plans folder is not made again");
    // The wizard offers another place.
    s.act(gone);
    assert!(matches!(s.w.modal, Some(Modal::Text { .. })));
}
