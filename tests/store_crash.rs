//! kill -9 at random moments while a writer saves in a loop: after every
//! kill the plan file is whole, is one the writer wrote, never goes back in
//! time, the lock is free again, and the only debris is temp files the
//! sweeper removes.

// Test code: a failed unwrap is a failed test, which is what we want.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(unix)]

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use mde_migrate::plan::Plan;
use mde_migrate::store::{Access, REVISION_KEY, Store, UID_KEY};

const CHILD_ENV: &str = "MDE_STORE_TEST_CRASH_WRITER";
const NAME: &str = "Crash test";
/// Kills per run; `MDE_STORE_TEST_KILLS` for a longer run (the time budget
/// grows with it).
fn kills_wanted() -> usize {
    std::env::var("MDE_STORE_TEST_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

/// Version `n` of the plan. Its size changes with `n`, so a torn write
/// could not pass for a whole one.
fn version(n: u64) -> Plan {
    let now = "2026-11-28T14:05:12Z";
    let mut plan = Plan::new(NAME, "Contoso", "", "generic-2023", now).unwrap();
    plan.organisation = n.to_string();
    plan.set_note("licence-state", &"n".repeat((n % 3000) as usize), now)
        .unwrap();
    plan
}

fn counter(plan: &Plan) -> u64 {
    plan.organisation.parse().unwrap()
}

/// Not a test on its own: the writer half of the next test. Takes the lock
/// (its killed predecessor must have released it), says so, then saves
/// ever newer versions until killed. Prints nothing else.
#[test]
fn crash_writer_child() {
    let Some(dir) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let store = Store::open(dir, true).unwrap();
    let id = store.find(NAME).unwrap();
    let (loaded, lock) = store.load_for_edit(&id).unwrap();
    let mut lock = lock.unwrap();
    let mut n = counter(&loaded.plan);
    let mut out = std::io::stdout();
    writeln!(out, "\nwriter-ready").unwrap();
    out.flush().unwrap();
    loop {
        n += 1;
        if store.save_locked(&mut lock, &version(n)).is_err() {
            std::process::exit(3);
        }
    }
}

#[test]
fn kill_9_leaves_the_last_saved_plan() {
    if std::env::var_os(CHILD_ENV).is_some() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path(), true).unwrap();
    let id = store.create(&version(0)).unwrap();
    let mut rng = Rng::seeded();
    println!("seed {}", rng.0);
    let started = Instant::now();
    let (mut last, mut advanced, mut kills, mut max_temps) = (0, 0, 0, 0);

    let wanted = kills_wanted();
    let budget = Duration::from_secs(60 * (wanted as u64).div_ceil(300));
    while kills < wanted && started.elapsed() < budget {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "crash_writer_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, store.dir())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let _ = tx.send(lines.any(|l| l.is_ok_and(|l| l.contains("writer-ready"))));
        });
        if rx.recv_timeout(Duration::from_secs(30)) != Ok(true) {
            let _ = child.kill();
            panic!("writer {kills} never got ready: {:?}", child.wait());
        }
        std::thread::sleep(Duration::from_micros(rng.below(20_001)));
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert_eq!(
            status.signal(),
            Some(9),
            "writer stopped by itself: {status:?}"
        );
        kills += 1;

        let loaded = store.load(&id).unwrap();
        assert_eq!(loaded.access, Access::ReadWrite);
        let n = counter(&loaded.plan);
        // What the store adds: the unique id at creation, a revision per save.
        let mut read = loaded.plan.clone();
        read.extra.remove(UID_KEY);
        let revision = read.extra.remove(REVISION_KEY).and_then(|r| r.as_u64());
        assert_eq!(
            revision.unwrap_or(0),
            n,
            "kill {kills}: one revision per save"
        );
        assert_eq!(
            read,
            version(n),
            "kill {kills}: not a version the writer wrote"
        );
        assert!(n >= last, "kill {kills}: went back from {last} to {n}");
        advanced += usize::from(n > last);
        last = n;
        drop(store.lock(&id).unwrap());
        max_temps = max_temps.max(debris(store.dir(), &id));
    }

    let swept = store.sweep_temp_files(Duration::ZERO).unwrap().len();
    assert_eq!(debris(store.dir(), &id), 0);
    println!(
        "{kills} SIGKILLs in {:.1?}: {last} saves in all, progress after {advanced} kills, \
         at most {max_temps} temp files left, {swept} swept at the end",
        started.elapsed()
    );
    assert!(kills >= 100, "only {kills} kills within {budget:?}");
    // Loose on purpose: on a loaded machine one fsync can outlast 20 ms.
    assert!(
        advanced >= kills / 10,
        "the writer rarely got to save: {advanced}/{kills}"
    );
}

/// Check the directory holds only the plan, its lock and writers' temp
/// files (`.<id>.json.*.mde-tmp`); return how many temp files there are.
fn debris(dir: &Path, id: &str) -> usize {
    let mut temps = 0;
    for entry in fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.starts_with(&format!(".{id}.json.")) && name.ends_with(".mde-tmp") {
            temps += 1;
        } else {
            assert!(
                name == format!("{id}.json")
                    || name == format!("{id}.lock")
                    || name == mde_migrate::store::FOLDER_LOCK,
                "stray {name}"
            );
        }
    }
    temps
}

/// xorshift64*: enough randomness for kill delays, no dependency.
struct Rng(u64);

impl Rng {
    fn seeded() -> Rng {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        Rng((nanos as u64) | 1)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}
