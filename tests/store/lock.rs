//! One writer per plan: a second lock is refused, in this process and from
//! another one, and a killed holder frees the plan.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use mde_migrate::store::{Access, ReadOnlyReason, Store, StoreError};

use crate::common::{sample, temp_store};

const CHILD_ENV: &str = "MDE_STORE_TEST_LOCK_HOLDER";

#[test]
fn second_lock_is_refused_until_the_first_is_dropped() {
    let (_tmp, store) = temp_store();
    let id = store.create(&sample("Shared")).unwrap();
    let first = store.lock(&id).unwrap();
    let err = store.lock(&id).unwrap_err();
    assert!(
        matches!(&err, StoreError::Locked { pid: Some(p), .. } if *p == std::process::id()),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(text.contains("open in another mde-migrate"), "{text}");
    assert!(text.contains("read-only"), "{text}");
    drop(first);
    let again = store.lock(&id).unwrap();
    assert_eq!(again.id(), id);
}

#[test]
fn load_for_edit_takes_the_lock_or_says_read_only() {
    let (_tmp, store) = temp_store();
    let id = store.create(&sample("Edited")).unwrap();
    let (loaded, lock) = store.load_for_edit(&id).unwrap();
    assert_eq!(loaded.access, Access::ReadWrite);
    assert!(lock.is_some());
    let (second, none) = store.load_for_edit(&id).unwrap();
    assert!(none.is_none());
    assert!(matches!(
        second.access,
        Access::ReadOnly(ReadOnlyReason::LockedByOther { pid: Some(_) })
    ));
    assert_eq!(second.plan, loaded.plan);
}

/// Not a test on its own: the child half of the next test. Holds the lock
/// until its stdin closes.
#[test]
fn child_lock_holder() {
    let Some(dir) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let store = Store::open(dir, false).unwrap();
    let id = store.find("Shared").unwrap();
    let _lock = store.lock(&id).unwrap();
    let mut out = std::io::stdout();
    writeln!(out, "\nlock-taken").unwrap();
    out.flush().unwrap();
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
}

#[test]
fn lock_held_by_another_process() {
    if std::env::var_os(CHILD_ENV).is_some() {
        return;
    }
    let (_tmp, store) = temp_store();
    let id = store.create(&sample("Shared")).unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "lock::child_lock_holder",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, store.dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        let _ = tx.send(lines.any(|l| l.is_ok_and(|l| l.contains("lock-taken"))));
    });
    if rx.recv_timeout(Duration::from_secs(30)) != Ok(true) {
        let _ = child.kill();
        panic!("child never took the lock");
    }

    let err = store.lock(&id).unwrap_err();
    assert!(
        matches!(err, StoreError::Locked { pid: Some(p), .. } if p == child.id()),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains(&format!("held by process {}", child.id())),
        "{err}"
    );
    let (loaded, lock) = store.load_for_edit(&id).unwrap();
    assert!(lock.is_none());
    assert!(matches!(
        loaded.access,
        Access::ReadOnly(ReadOnlyReason::LockedByOther { .. })
    ));

    // SIGKILL: no destructor runs; the OS releases the lock.
    child.kill().unwrap();
    child.wait().unwrap();
    store.lock(&id).unwrap();
}
