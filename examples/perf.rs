//! End-to-end performance of the release binary in a pseudo-terminal, side
//! by side with `whiptail --checklist` where it is installed:
//!
//!     cargo build --release && cargo run --release --example perf [-- RUNS]
//!
//! Cases: one large plan (468 KB) alone, and 100 plans of which the most
//! recently changed is about 1 MB, all written by this build's saver (the
//! plans screen lists each from the top of its file); then an empty plans
//! folder. For each program, over RUNS runs (default 7), it reports the median and
//! the maximum of: time from spawn to the last byte of the first complete
//! frame; bytes written for each key of a fixed key script (move, toggle,
//! move, toggle, confirm) and in total, with the screen cells each key
//! changed; the child's peak memory (VmHWM); and the time from the quit key
//! to the process' exit with the terminal restored. It answers the cursor
//! position and device attribute queries as a terminal would.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const ROWS: u16 = 30;
const COLS: u16 = 100;
/// Output is a finished frame once the program stays quiet this long.
const QUIET: Duration = Duration::from_millis(150);

struct Run {
    first_frame: Duration,
    key_bytes: Vec<usize>,
    key_cells: Vec<usize>,
    peak_kib: u64,
    quit: Duration,
}

struct Program {
    name: &'static str,
    command: Vec<String>,
    env: Vec<(String, String)>,
    /// Keys after the first frame: move, toggle, move, toggle, confirm.
    keys: Vec<&'static str>,
    quit_key: &'static str,
    /// A plans folder to put back before each run (pristine copy, folder
    /// the program uses), so every run starts where the first did: the
    /// program saves where the operator was on quit.
    reset: Option<(PathBuf, PathBuf)>,
}

/// Make `to` hold exactly the files of `from` (plan files and their
/// locks; no sub-folders are needed here).
fn copy_plans(from: &Path, to: &Path) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(from).map_err(|e| e.to_string())? {
        let entry = entry.map_err(|e| e.to_string())?;
        if entry.file_type().map_err(|e| e.to_string())?.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

fn vm_hwm_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Read until the program has been quiet for QUIET; answer terminal queries.
/// Returns the bytes and the time the last one arrived.
fn drain(
    rx: &Receiver<Vec<u8>>,
    writer: &mut dyn Write,
    limit: Duration,
) -> (Vec<u8>, Option<Instant>) {
    let start = Instant::now();
    let mut got = Vec::new();
    let mut last = None;
    loop {
        let wait = if last.is_some() {
            QUIET
        } else {
            limit.saturating_sub(start.elapsed())
        };
        match rx.recv_timeout(wait) {
            Ok(chunk) => {
                let text = String::from_utf8_lossy(&chunk);
                if text.contains("\x1b[6n") {
                    let _ = writer.write_all(b"\x1b[1;1R");
                }
                if text.contains("\x1b[c") || text.contains("\x1b[0c") {
                    let _ = writer.write_all(b"\x1b[?62;22c");
                }
                let _ = writer.flush();
                got.extend_from_slice(&chunk);
                last = Some(Instant::now());
            }
            Err(_) => return (got, last),
        }
        if start.elapsed() > limit {
            return (got, last);
        }
    }
}

fn changed_cells(before: &vt100::Screen, after: &vt100::Screen) -> usize {
    let mut n = 0;
    for r in 0..ROWS {
        for c in 0..COLS {
            let a = before.cell(r, c).map(|x| {
                (
                    x.contents().to_string(),
                    x.inverse(),
                    x.bold(),
                    x.fgcolor(),
                    x.bgcolor(),
                )
            });
            let b = after.cell(r, c).map(|x| {
                (
                    x.contents().to_string(),
                    x.inverse(),
                    x.bold(),
                    x.fgcolor(),
                    x.bgcolor(),
                )
            });
            if a != b {
                n += 1;
            }
        }
    }
    n
}

fn run_once(p: &Program) -> Result<Run, String> {
    let pty = native_pty_system();
    let pair = pty
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .map_err(|e| e.to_string())?;
    let mut cmd = CommandBuilder::new(&p.command[0]);
    cmd.args(&p.command[1..]);
    cmd.env("TERM", "xterm-256color");
    for (k, v) in &p.env {
        cmd.env(k, v);
    }
    let mut reader = pair.master.try_clone_reader().map_err(|e| e.to_string())?;
    let mut writer = pair.master.take_writer().map_err(|e| e.to_string())?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let spawned = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).map_err(|e| e.to_string())?;
    drop(pair.slave);
    let pid = child.process_id().ok_or("no pid")?;
    let mut parser = vt100::Parser::new(nz(ROWS), nz(COLS), 0);
    let (first, last) = drain(&rx, &mut writer, Duration::from_secs(5));
    let first_frame = last.ok_or("no first frame")?.duration_since(spawned);
    parser.process(&first);
    let mut key_bytes = Vec::new();
    let mut key_cells = Vec::new();
    for key in &p.keys {
        let before = parser.screen().clone();
        writer
            .write_all(key.as_bytes())
            .map_err(|e| e.to_string())?;
        writer.flush().map_err(|e| e.to_string())?;
        let (bytes, _) = drain(&rx, &mut writer, Duration::from_secs(2));
        parser.process(&bytes);
        key_bytes.push(bytes.len());
        key_cells.push(changed_cells(&before, parser.screen()));
    }
    let peak_kib = vm_hwm_kib(pid);
    let before_quit = parser.screen().contents();
    let quit_at = Instant::now();
    writer
        .write_all(p.quit_key.as_bytes())
        .map_err(|e| e.to_string())?;
    writer.flush().map_err(|e| e.to_string())?;
    let quit = loop {
        if let Ok(Some(_)) = child.try_wait() {
            break quit_at.elapsed();
        }
        if quit_at.elapsed() > Duration::from_secs(5) {
            let mut threads = String::new();
            if let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/task")) {
                for t in dir.flatten() {
                    let path = t.path();
                    let wchan = std::fs::read_to_string(path.join("wchan")).unwrap_or_default();
                    let stat = std::fs::read_to_string(path.join("stat")).unwrap_or_default();
                    let syscall = std::fs::read_to_string(path.join("syscall")).unwrap_or_default();
                    threads.push_str(&format!("{wchan} | {syscall} | {stat}\n"));
                }
            }
            let _ = child.kill();
            return Err(format!(
                "{} did not quit within 5 s of its quit key; threads:\n{threads}\nits screen before it:\n{before_quit}",
                p.name
            ));
        }
        std::thread::sleep(Duration::from_micros(200));
    };
    Ok(Run {
        first_frame,
        key_bytes,
        key_cells,
        peak_kib,
        quit,
    })
}

fn median_max(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(|a, b| a.total_cmp(b));
    let max = v.last().copied().unwrap_or(0.0);
    (v.get(v.len() / 2).copied().unwrap_or(0.0), max)
}

struct Summary {
    first_ms: (f64, f64),
    per_key: Vec<(f64, f64)>,
    cells: Vec<f64>,
    total_bytes: (f64, f64),
    peak_mib: (f64, f64),
    quit_ms: (f64, f64),
}

fn measure(p: &Program, runs: usize) -> Result<Summary, String> {
    let results: Vec<Run> = (0..runs)
        .map(|_| {
            if let Some((pristine, home)) = &p.reset {
                copy_plans(pristine, home)?;
            }
            run_once(p)
        })
        .collect::<Result<_, _>>()?;
    let keys = p.keys.len();
    Ok(Summary {
        first_ms: median_max(
            results
                .iter()
                .map(|r| r.first_frame.as_secs_f64() * 1000.0)
                .collect(),
        ),
        per_key: (0..keys)
            .map(|k| median_max(results.iter().map(|r| r.key_bytes[k] as f64).collect()))
            .collect(),
        cells: (0..keys)
            .map(|k| median_max(results.iter().map(|r| r.key_cells[k] as f64).collect()).0)
            .collect(),
        total_bytes: median_max(
            results
                .iter()
                .map(|r| r.key_bytes.iter().sum::<usize>() as f64)
                .collect(),
        ),
        peak_mib: median_max(results.iter().map(|r| r.peak_kib as f64 / 1024.0).collect()),
        quit_ms: median_max(
            results
                .iter()
                .map(|r| r.quit.as_secs_f64() * 1000.0)
                .collect(),
        ),
    })
}

/// The JSON of a plan as another tool or an older build would write it;
/// `large` gives it 500 roles, 3 000 short notes and `long_notes` notes of
/// 3.3 KB. It opens where it was left: the Updates step.
fn plan_json(name: &str, updated: &str, large: bool, long_notes: usize) -> serde_json::Value {
    let mut answers = serde_json::Map::new();
    let mut roles = Vec::new();
    if large {
        for i in 0..3000 {
            answers.insert(format!("extra-item-{i}"), serde_json::json!({"note": format!("Note {i}: checked with the regional team."), "updated": updated}));
        }
        roles = (0..500)
            .map(|i| serde_json::json!({"name": format!("Role {i}"), "group": format!("sg-{i}"), "permissions": ["view-secops", "alerts-investigation"]}))
            .collect();
    }
    let long = "Checked with the regional team; see the change record. ".repeat(60);
    for i in 0..long_notes {
        answers.insert(
            format!("long-note-{i}"),
            serde_json::json!({"note": long, "updated": updated}),
        );
    }
    serde_json::json!({
        "schema_version": 1, "name": name, "organisation": "Contoso", "replacing": "Symantec",
        "guide": "generic-2023", "created": "2026-11-01T10:00:00Z", "updated": updated,
        "answers": answers, "roles": roles,
        "estate": {"systems": {"win10": 1200, "ws2016": 40, "macos": 100}},
        "reviewed": [], "position": {"screen": "step", "step": "updates", "item": "update-windows"}
    })
}

/// A plans folder holding `small` small plans and one large plan of
/// `long_notes` extra long notes, the most recently changed (so the first
/// the plans screen selects). Every file goes through the store's import,
/// so it is written as this build saves plans.
fn plans_home(tag: &str, small: usize, long_notes: usize) -> Result<(PathBuf, u64), String> {
    let base = std::env::temp_dir().join(format!("mde-migrate-perf-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let (staging, dir) = (base.join("staging"), base.join("plans"));
    std::fs::create_dir_all(&staging).map_err(|e| e.to_string())?;
    let store = mde_migrate::store::Store::open(&dir, true).map_err(|e| e.to_string())?;
    let mut files = vec![(
        "perf-plan-00000000".to_string(),
        plan_json("Perf plan", "2026-11-28T10:00:00Z", true, long_notes),
    )];
    for i in 0..small {
        let updated = format!("2026-11-{:02}T10:00:00Z", 1 + i % 27);
        files.push((
            format!("plan-{i:03}-00000000"),
            plan_json(&format!("Plan {i:03}"), &updated, false, 0),
        ));
    }
    for (id, value) in files {
        let from = staging.join(format!("{id}.json"));
        let text = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?;
        std::fs::write(&from, text).map_err(|e| e.to_string())?;
        store.import_plan(&from).map_err(|e| e.to_string())?;
    }
    let size = std::fs::metadata(dir.join("perf-plan-00000000.json"))
        .map_err(|e| e.to_string())?
        .len();
    let _ = std::fs::remove_dir_all(&staging);
    copy_plans(&dir, &base.join("pristine"))?;
    Ok((base, size))
}

fn which(cmd: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(cmd))
            .find(|p| p.is_file())
    })
}

fn print(name: &str, s: &Summary, labels: &[&str]) {
    println!("{name}");
    println!(
        "  first frame        median {:7.2} ms   max {:7.2} ms",
        s.first_ms.0, s.first_ms.1
    );
    for (i, (m, x)) in s.per_key.iter().enumerate() {
        println!(
            "  key {:<14} median {:7.0} B    max {:7.0} B   ({:.0} cells changed)",
            labels[i], m, x, s.cells[i]
        );
    }
    println!(
        "  all keys           median {:7.0} B    max {:7.0} B",
        s.total_bytes.0, s.total_bytes.1
    );
    println!(
        "  peak memory        median {:7.2} MiB  max {:7.2} MiB",
        s.peak_mib.0, s.peak_mib.1
    );
    println!(
        "  quit + restore     median {:7.2} ms   max {:7.2} ms",
        s.quit_ms.0, s.quit_ms.1
    );
}

fn main() -> Result<(), String> {
    let runs = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(7);
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/mde-migrate");
    if !bin.is_file() {
        return Err(format!(
            "build the release binary first: cargo build --release ({} is missing)",
            bin.display()
        ));
    }
    let labels = [
        "move (↓)",
        "toggle (Space)",
        "move (↓)",
        "toggle (Space)",
        "confirm (n)",
    ];
    println!("{ROWS}×{COLS} pseudo-terminal, {runs} runs each, release build\n");
    let mut cases = Vec::new();
    for (tag, small, long_notes, what) in [
        ("large", 0, 0, "one large plan: 500 roles, 3 000 notes"),
        (
            "hundred",
            99,
            175,
            "100 plans, one of them large with long notes",
        ),
    ] {
        let (home, size) = plans_home(tag, small, long_notes)?;
        let name = format!("mde-migrate ({what}, {} KB)", size / 1000);
        // The plans screen lists the plans; Enter opens the selected (the
        // large one), where it was left: the Updates step.
        let ours = Program {
            name: "mde-migrate",
            command: vec![bin.display().to_string(), "--no-mouse".into()],
            env: vec![(
                "MDE_MIGRATE_HOME".into(),
                home.join("plans").display().to_string(),
            )],
            keys: vec!["\r", "\x1b[B", " ", "\x1b[B", " ", "n"],
            quit_key: "q",
            reset: Some((home.join("pristine"), home.join("plans"))),
        };
        let mine = measure(&ours, runs)?;
        let _ = std::fs::remove_dir_all(&home);
        // Drop the Enter that opens the plan from the per-key table.
        let mine = Summary {
            per_key: mine.per_key[1..].to_vec(),
            cells: mine.cells[1..].to_vec(),
            ..mine
        };
        print(&name, &mine, &labels);
        println!();
        cases.push((name, mine));
    }
    let empty = std::env::temp_dir().join(format!("mde-migrate-perf-empty-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&empty);
    let fresh = Program {
        name: "mde-migrate (empty plans folder)",
        command: vec![bin.display().to_string(), "--no-mouse".into()],
        env: vec![("MDE_MIGRATE_HOME".into(), empty.display().to_string())],
        keys: vec![],
        quit_key: "q",
        reset: None,
    };
    let first = measure(&fresh, runs)?;
    println!(
        "\n{}: first frame median {:.2} ms (max {:.2}), peak memory {:.2} MiB, quit {:.2} ms",
        fresh.name, first.first_ms.0, first.first_ms.1, first.peak_mib.0, first.quit_ms.0
    );
    let _ = std::fs::remove_dir_all(&empty);
    if let Some(whiptail) = which("whiptail") {
        let mut command = vec![
            whiptail.display().to_string(),
            "--checklist".into(),
            "Pick".into(),
            "20".into(),
            "60".into(),
            "6".into(),
        ];
        for i in 1..=6 {
            command.extend([format!("item{i}"), format!("Item {i}"), "off".into()]);
        }
        let theirs = Program {
            name: "whiptail --checklist (6 items)",
            command,
            env: vec![],
            keys: vec!["\x1b[B", " ", "\x1b[B", " "],
            quit_key: "\r",
            reset: None,
        };
        let w = measure(&theirs, runs)?;
        println!();
        print(theirs.name, &w, &labels[..4]);
        for (name, mine) in &cases {
            println!("\nratio {name} / whiptail (median):");
            println!("  first frame  {:.2}", mine.first_ms.0 / w.first_ms.0);
            for (i, label) in labels.iter().take(4).enumerate() {
                println!(
                    "  key {:<10} {:.2}",
                    label,
                    mine.per_key[i].0 / w.per_key[i].0.max(1.0)
                );
            }
            println!("  peak memory  {:.2}", mine.peak_mib.0 / w.peak_mib.0);
            println!("  quit         {:.2}", mine.quit_ms.0 / w.quit_ms.0);
        }
        println!(
            "  (empty plans folder: first frame {:.2}, peak memory {:.2})",
            first.first_ms.0 / w.first_ms.0,
            first.peak_mib.0 / w.peak_mib.0
        );
    } else {
        println!(
            "\nwhiptail is not installed (apt-get install whiptail) — no side-by-side figures."
        );
    }
    Ok(())
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).unwrap_or(std::num::NonZeroU16::MIN)
}
