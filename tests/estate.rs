//! Estate import: one fixture per input shape and failure, with the exact
//! counts and the figures derived from them.

use std::collections::BTreeMap;

use predicates::prelude::*;

use mde_migrate::catalog::{Catalog, Family, Guide};
use mde_migrate::estate::{self, ImportError, ImportReport, Mode, Shape, import};
use mde_migrate::plan::Plan;

fn guide(id: &str) -> &'static Guide {
    Catalog::embedded()
        .unwrap_or_else(|e| panic!("{e}"))
        .guide(id)
        .unwrap_or_else(|| panic!("{id}"))
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/estate/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn run(guide_id: &str, name: &str) -> ImportReport {
    import(guide(guide_id), fixture(name).as_slice()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn systems(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs.iter().map(|(k, v)| ((*k).to_string(), *v)).collect()
}

#[test]
fn os_and_count_list() {
    let r = run("generic-2023", "counts.csv");
    assert_eq!(r.shape, Shape::Counts);
    assert_eq!(r.os_column, "os");
    assert_eq!((r.rows, r.devices), (4, 136));
    assert_eq!(
        r.systems,
        systems(&[("win10", 120), ("ws2016", 4), ("win7sp1", 2), ("macos", 10)])
    );
    // The figures the plan derives from it.
    let mut plan = Plan::new("p", "", "", "generic-2023", "2026-11-28T10:00:00Z")
        .unwrap_or_else(|e| panic!("{e}"));
    r.apply(&mut plan, Mode::Replace, "2026-11-28T10:00:00Z");
    let g = guide("generic-2023");
    assert_eq!(plan.server_count(g), Some(4));
    assert_eq!(plan.downlevel_count(g), Some(2));
    assert_eq!(plan.unified_count(g), Some(4));
    assert_eq!(
        plan.warnings(g).len(),
        1,
        "servers bring the Defender for Servers warning"
    );
    let proxy: Vec<String> = plan
        .applicable_proxy(g)
        .into_iter()
        .map(|a| a.link)
        .collect();
    assert_eq!(
        proxy,
        [
            "av-network",
            "mac-network",
            "proxy-internet",
            "downlevel-proxy"
        ]
    );
    assert_eq!(plan.estate.extra["import"]["devices"], 136);
}

#[test]
fn defender_device_info_export() {
    let r = run("generic-2023", "defender_deviceinfo.csv");
    assert_eq!(r.shape, Shape::DefenderDeviceInfo);
    assert_eq!(r.os_column, "OSPlatform");
    assert_eq!((r.rows, r.devices), (8, 8));
    assert_eq!(
        r.systems,
        systems(&[
            ("win10", 1),
            ("win11", 1),
            ("ws2019", 1),
            ("ws2012r2", 1),
            ("win7sp1", 1),
            ("macos", 1),
            ("linux", 1),
            ("ios", 1)
        ])
    );
    assert_eq!(r.unrecognised_devices, 0);
    assert_eq!(r.families.get(&Family::Windows), Some(&5));
}

#[test]
fn intune_export_with_bom_and_semicolons() {
    let r = run("generic-2023", "intune_bom_semicolon.csv");
    assert_eq!(r.shape, Shape::Intune);
    assert_eq!(r.os_column, "OS");
    assert_eq!(
        r.systems,
        systems(&[
            ("win10", 1),
            ("win11", 1),
            ("macos", 1),
            ("ios", 1),
            ("android", 1)
        ])
    );
}

#[test]
fn quoted_commas_blank_lines_and_tabs() {
    let r = run("generic-2023", "quoted_commas.csv");
    assert_eq!(r.shape, Shape::OsColumn);
    assert_eq!(r.os_column, "Operating system");
    assert_eq!(r.systems, systems(&[("win10", 2), ("ws2022", 1)]));
    let r = run("generic-2023", "blank_lines.csv");
    assert_eq!((r.rows, r.devices, r.malformed_total), (2, 11, 0));
    let r = run("generic-2023", "tab_separated.csv");
    assert_eq!(r.systems, systems(&[("win10", 8), ("ws2016", 2)]));
}

#[test]
fn any_csv_with_an_os_column() {
    let r = run("symantec-2021", "any_os_column.csv");
    assert_eq!(r.shape, Shape::OsColumn);
    assert_eq!(r.os_column, "platform");
    assert_eq!(
        r.systems,
        systems(&[("win10", 2), ("ubuntu", 1), ("rhel", 1)])
    );
}

#[test]
fn malformed_rows_are_reported_with_line_numbers_and_skipped() {
    let r = run("generic-2023", "malformed.csv");
    assert_eq!(r.systems, systems(&[("win10", 8), ("ws2019", 2)]));
    assert_eq!(r.malformed, vec![3, 4, 5, 6]);
    assert_eq!(r.malformed_total, 4);
    assert_eq!((r.rows, r.counted_rows), (9, 5));
}

#[test]
fn unknown_systems_are_counted_with_examples() {
    let r = run("generic-2023", "unknown_systems.csv");
    assert_eq!(r.systems, systems(&[("win10", 3)]));
    assert_eq!(r.unrecognised_devices, 8);
    assert_eq!(
        r.unrecognised,
        vec![
            ("Windows XP".to_string(), 4),
            ("Solaris 11".to_string(), 3),
            ("Chrome OS".to_string(), 1)
        ]
    );
    // In the Symantec guide, iOS is not in the tables: counted, not an error.
    let r = run("symantec-2021", "defender_deviceinfo.csv");
    assert!(
        r.unrecognised.iter().any(|(n, _)| n.starts_with("iOS")),
        "{:?}",
        r.unrecognised
    );
}

#[test]
fn hostile_bytes_in_names_are_cleaned() {
    let r = run("generic-2023", "hostile_names.csv");
    assert_eq!(r.unrecognised_devices, 3);
    for (name, _) in &r.unrecognised {
        assert!(
            !name.contains('\u{1b}') && !name.contains('\u{7}') && !name.contains('\u{202e}'),
            "{name:?}"
        );
    }
}

#[test]
fn files_that_are_not_inventories_get_a_clear_error() {
    let g = guide("generic-2023");
    assert!(matches!(
        import(g, fixture("empty.csv").as_slice()),
        Err(ImportError::Empty)
    ));
    assert!(matches!(
        import(g, fixture("binary.csv").as_slice()),
        Err(ImportError::NotCsv(_))
    ));
    match import(g, fixture("no_os_column.csv").as_slice()) {
        Err(e @ ImportError::NoOsColumn { .. }) => {
            assert!(e.to_string().contains("hostname,owner"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    // A binary tail after a good header: the bad row is skipped, not a panic.
    let r = import(g, fixture("nul_after_header.csv").as_slice()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.systems, systems(&[("win10", 1)]));
    // One giant line: refused, without reading it all into memory.
    struct Endless;
    impl std::io::Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            buf.fill(b'x');
            Ok(buf.len())
        }
    }
    let header = "os,count\nWindows 10,".as_bytes();
    match import(g, std::io::Read::chain(header, Endless)) {
        Err(ImportError::LineTooLong { line }) => assert_eq!(line, 2),
        other => panic!("{other:?}"),
    }
    match import(g, Endless) {
        Err(ImportError::LineTooLong { line: 1 }) | Err(ImportError::NotCsv(_)) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_generated_inventory_imports_whole() {
    let csv = mde_migrate::estate::generate_devices_csv(10_000, 7);
    let r = import(guide("generic-2023"), csv.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((r.rows, r.devices), (10_000, 10_000));
    assert_eq!(
        r.systems.values().sum::<u64>() + r.unrecognised_devices,
        10_000
    );
    assert_eq!(r.unrecognised_devices, 0, "{:?}", r.unrecognised);
}

#[test]
fn a_device_listed_again_is_counted_once() {
    // DeviceInfo keeps a row per device per report: names repeat.
    let r = run("generic-2023", "repeated_devices.csv");
    assert_eq!((r.rows, r.devices, r.duplicates), (4, 2, 2));
    assert_eq!(r.systems, systems(&[("win10", 1), ("ws2019", 1)]));
    // An os,count list has no device column: nothing is taken as a repeat.
    let r = run("generic-2023", "counts.csv");
    assert_eq!(r.duplicates, 0);
}

#[test]
fn a_name_that_fits_several_systems_is_not_guessed() {
    // The Symantec guide lists three macOS versions: a Mac with no version
    // is not counted as any of them.
    let r = run("symantec-2021", "macs_without_version.csv");
    assert_eq!(r.systems, systems(&[("macos-10.14", 2), ("ubuntu", 1)]));
    assert_eq!(r.unrecognised, vec![("macOS".to_string(), 3)]);
    // The generic guide has one macOS row: there it counts.
    let r = run("generic-2023", "macs_without_version.csv");
    assert_eq!(r.systems, systems(&[("macos", 5), ("linux", 1)]));
}

fn import_err(name: &str) -> ImportError {
    match import(guide("generic-2023"), fixture(name).as_slice()) {
        Err(e) => e,
        Ok(r) => panic!("{name} imported: {r:?}"),
    }
}

#[test]
fn an_import_with_no_usable_row_or_mostly_malformed_rows_is_refused() {
    match import_err("no_usable_row.csv") {
        e @ ImportError::NoUsableRow {
            rows: 2,
            counted: 0,
            malformed: 2,
            ..
        } => {
            assert!(e.to_string().contains("2 rows read"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    match import_err("mostly_malformed.csv") {
        e @ ImportError::MostlyMalformed {
            rows: 4,
            malformed: 3,
            ..
        } => {
            assert!(e.to_string().contains("3 of 4 rows (lines 3, 4, 5)"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    // A header and nothing else.
    assert!(matches!(
        import(guide("generic-2023"), "os,count\n\n".as_bytes()),
        Err(ImportError::NoUsableRow { rows: 0, .. })
    ));
    // One row, malformed: counted in the singular.
    match import(
        guide("generic-2023"),
        "os,count\nWindows 10,many\n".as_bytes(),
    ) {
        Err(e) => {
            let text = e.to_string();
            assert!(
                text.contains("1 row read") || text.contains("1 of 1 row "),
                "{text}"
            );
            assert!(!text.contains("1 rows"), "{text}");
        }
        Ok(r) => panic!("imported: {r:?}"),
    }
}

#[test]
fn replace_merge_and_undo_keep_one_previous_estate() {
    let g = guide("generic-2023");
    let mut plan = Plan::new("p", "", "", "generic-2023", "2026-11-28T10:00:00Z")
        .unwrap_or_else(|e| panic!("{e}"));
    run("generic-2023", "counts.csv").apply(&mut plan, Mode::Replace, "t1");
    let first = plan.estate.clone();
    let second = run("generic-2023", "tab_separated.csv");
    let after = second.estate_after(&plan, Mode::Replace);
    let changes = estate::changes(g, &plan.estate, &after);
    let win10 = changes
        .iter()
        .find(|c| c.system == "win10")
        .unwrap_or_else(|| panic!("{changes:?}"));
    assert_eq!((win10.before, win10.after), (Some(120), Some(8)));
    assert!(
        changes
            .iter()
            .any(|c| c.system == "macos" && c.after.is_none())
    );
    // Merge adds.
    let merged = second.estate_after(&plan, Mode::Merge);
    assert_eq!(merged.systems.get("win10"), Some(&Some(128)));
    assert_eq!(merged.systems.get("macos"), Some(&Some(10)));
    // Replace, then undo brings the first estate back; undo again redoes.
    second.apply(&mut plan, Mode::Replace, "t2");
    assert_eq!(plan.estate.systems.get("win10"), Some(&Some(8)));
    let replaced = plan.estate.clone();
    estate::undo(&mut plan, "t3").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(plan.estate, first);
    estate::undo(&mut plan, "t4").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(plan.estate, replaced);
    // The previous estate survives a save and a load.
    let json = serde_json::to_string(&plan).unwrap_or_else(|e| panic!("{e}"));
    assert!(json.contains("previous_estate"), "{json}");
    let fresh = Plan::new("q", "", "", "generic-2023", "t").unwrap_or_else(|e| panic!("{e}"));
    assert!(estate::undo(&mut fresh.clone(), "t").is_err());
}

#[test]
fn counts_that_overflow_are_refused_with_the_row() {
    let csv = format!(
        "os,count\nWindows 10,{m}\nWindows 10,{m}\nWindows 11,3\n",
        m = u64::MAX
    );
    match import(guide("generic-2023"), csv.as_bytes()) {
        Err(e @ ImportError::CountOverflow { line: 3 }) => {
            assert!(e.to_string().contains("line 3"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    // One row of the maximum imports; merging it twice saturates.
    let csv = format!("os,count\nWindows 10,{}\n", u64::MAX);
    let r = import(guide("generic-2023"), csv.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let mut plan = Plan::new("p", "", "", "generic-2023", "t").unwrap_or_else(|e| panic!("{e}"));
    r.apply(&mut plan, Mode::Merge, "t");
    r.apply(&mut plan, Mode::Merge, "t");
    assert_eq!(plan.estate.systems.get("win10"), Some(&Some(u64::MAX)));
    let g = guide("generic-2023");
    plan.estate.systems.insert("win7sp1".into(), Some(u64::MAX));
    plan.estate.systems.insert("win81".into(), Some(5));
    assert_eq!(plan.downlevel_count(g), Some(u64::MAX));
}

/// A stream of one quoted field that never closes, `lines` lines long.
struct OpenQuote {
    lines: u64,
    done: bool,
}

impl std::io::Read for OpenQuote {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if !self.done {
            self.done = true;
            let head = b"os,count\nWindows 10,1\n\"Windows 10\nmore text\n";
            buf[..head.len()].copy_from_slice(head);
            return Ok(head.len());
        }
        if self.lines == 0 {
            return Ok(0);
        }
        let chunk = b"a line inside one quoted field\n";
        let mut n = 0;
        while self.lines > 0 && n + chunk.len() <= buf.len() {
            buf[n..n + chunk.len()].copy_from_slice(chunk);
            n += chunk.len();
            self.lines -= 1;
        }
        Ok(n)
    }
}

#[test]
fn a_quoted_field_spread_over_many_lines_is_refused_with_its_row() {
    // About 10 MB of one quoted field starting on line 3.
    let r = import(
        guide("generic-2023"),
        OpenQuote {
            lines: 340_000,
            done: false,
        },
    );
    match r {
        Err(e @ ImportError::LineTooLong { line: 3 }) => {
            assert!(e.to_string().contains("line 3"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    // Quoted fields over a few lines still import.
    let csv = "os,notes,count\nWindows 10,\"two\nlines\",4\nWindows 11,\"a \"\"quote\"\"\",1\n";
    let r = import(guide("generic-2023"), csv.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.systems, systems(&[("win10", 4), ("win11", 1)]));
}

#[test]
fn cr_only_line_endings_import() {
    let r = run("generic-2023", "cr_line_endings.csv");
    assert_eq!((r.rows, r.devices), (2, 7));
    assert_eq!(r.systems, systems(&[("win10", 5), ("ws2019", 2)]));
}

#[test]
fn utf16_with_a_byte_order_mark_is_read() {
    for name in ["utf16le_bom_tabs.csv", "utf16be_bom_tabs.csv"] {
        let r = run("generic-2023", name);
        assert_eq!(r.shape, Shape::Intune, "{name}");
        assert_eq!(
            r.systems,
            systems(&[("win10", 1), ("win11", 1), ("macos", 1)]),
            "{name}"
        );
    }
    match import_err("utf16le_no_bom.csv") {
        ImportError::NotCsv(why) => assert!(why.contains("UTF-16"), "{why}"),
        other => panic!("{other:?}"),
    }
    match import(guide("generic-2023"), &b"PK\x03\x04\x14\0\0\0"[..]) {
        Err(ImportError::NotCsv(why)) => assert!(why.contains("ZIP"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_row_counts_add_up() {
    for (g, name) in [
        ("generic-2023", "malformed.csv"),
        ("generic-2023", "repeated_devices.csv"),
        ("generic-2023", "nul_after_header.csv"),
        ("generic-2023", "unknown_systems.csv"),
        ("symantec-2021", "defender_deviceinfo.csv"),
    ] {
        let r = run(g, name);
        assert_eq!(
            r.rows,
            r.counted_rows + r.malformed_total + r.duplicates + r.left_out,
            "{name}: {r:?}"
        );
        assert_eq!(
            r.devices,
            r.systems.values().sum::<u64>() + r.unrecognised_devices,
            "{name}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_directory_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let fifo = dir.path().join("devices.csv");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap_or_else(|e| panic!("mkfifo: {e}"));
    assert!(status.success());
    match estate::open(&fifo) {
        Err(e @ ImportError::NotAFile { .. }) => {
            assert!(e.to_string().contains("named pipe"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    match estate::open(dir.path()) {
        Err(e @ ImportError::NotAFile { .. }) => {
            assert!(e.to_string().contains("directory"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        estate::open(&dir.path().join("missing.csv")),
        Err(ImportError::Open { .. })
    ));
}

fn cli(home: &std::path::Path) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("mde-migrate").unwrap_or_else(|e| panic!("{e}"));
    c.env("MDE_MIGRATE_HOME", home)
        .env_remove("ACCESSIBLE")
        // A guard against a hang, not a timing assertion.
        .timeout(std::time::Duration::from_secs(120));
    c
}

fn fixture_path(name: &str) -> String {
    format!(
        "{}/tests/fixtures/estate/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn plan_files(home: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![home.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push((p.clone(), std::fs::read(&p).unwrap_or_default()));
            }
        }
    }
    out.sort();
    out
}

fn stderr_of(c: &mut assert_cmd::Command) -> String {
    let out = c.output().unwrap_or_else(|e| panic!("{e}"));
    assert!(!out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[cfg(unix)]
#[test]
fn cli_import_of_a_fifo_fails_at_once_and_leaves_the_plan() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    cli(home.path())
        .args(["new", "--name", "Estate"])
        .assert()
        .success();
    cli(home.path())
        .args(["import", "Estate", &fixture_path("counts.csv")])
        .assert()
        .success();
    let before = plan_files(home.path());
    let fifo = home.path().join("devices.csv");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap_or_else(|e| panic!("{e}"))
            .success()
    );
    let err = stderr_of(
        cli(home.path())
            .args(["import", "Estate"])
            .arg(&fifo)
            .arg("--replace"),
    );
    assert!(
        err.contains("named pipe") && err.contains("not a regular file"),
        "{err}"
    );
    let err = stderr_of(
        cli(home.path())
            .args(["import", "Estate"])
            .arg(home.path())
            .arg("--replace"),
    );
    assert!(err.contains("directory"), "{err}");
    assert_eq!(plan_files(home.path()), before);
}

#[test]
fn cli_import_refuses_junk_and_asks_before_replacing_then_undoes() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    cli(home.path())
        .args(["new", "--name", "Estate"])
        .assert()
        .success();
    // An empty estate: imported without a flag.
    cli(home.path())
        .args(["import", "Estate", &fixture_path("counts.csv")])
        .assert()
        .success();
    let imported = plan_files(home.path());
    // Junk is refused, with the counts, and the estate stays.
    let err = stderr_of(cli(home.path()).args([
        "import",
        "Estate",
        &fixture_path("no_usable_row.csv"),
        "--replace",
    ]));
    assert!(
        err.contains("no usable row") && err.contains("2 malformed"),
        "{err}"
    );
    let err = stderr_of(cli(home.path()).args([
        "import",
        "Estate",
        &fixture_path("mostly_malformed.csv"),
        "--replace",
    ]));
    assert!(err.contains("3 of 4 rows"), "{err}");
    // A non-empty estate and no flag: refused, with what would change.
    let out = cli(home.path())
        .args(["import", "Estate", &fixture_path("tab_separated.csv")])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("120 → 8") && stdout.contains("Windows 10"),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("--replace"));
    assert_eq!(plan_files(home.path()), imported);
    // Merge adds, and says so.
    cli(home.path())
        .args([
            "import",
            "Estate",
            &fixture_path("tab_separated.csv"),
            "--merge",
        ])
        .assert()
        .success()
        .stdout(predicates::str::contains("120 → 128"));
    let status = cli(home.path())
        .args(["status", "Estate", "--json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(String::from_utf8_lossy(&status.stdout).contains("128"));
    // Undo goes back to the estate before the merge.
    cli(home.path())
        .args(["import", "Estate", "--undo"])
        .assert()
        .success()
        .stdout(predicates::str::contains("128 → 120"));
    cli(home.path())
        .args([
            "import",
            "Estate",
            &fixture_path("tab_separated.csv"),
            "--replace",
        ])
        .assert()
        .success()
        .stdout(predicates::str::contains("120 → 8"));
}

#[test]
fn the_summary_adds_up_and_names_every_unmatched_system() {
    let r = run("symantec-2021", "symantec_with_windows11.csv");
    assert_eq!(r.devices, 3733);
    assert_eq!(r.placed() + r.unrecognised_devices, r.devices);
    let s = r.summary_line();
    assert!(
        s.starts_with(&format!(
            "Imported 3733 devices from 3 rows (an OS and count list): {} on",
            r.placed()
        )),
        "{s}"
    );
    for (name, n) in &r.unrecognised {
        assert!(s.contains(&format!("{n} {name}")), "{s}");
    }
    assert!(s.contains("800 Windows 11"), "{s}");
    let r = run("generic-2023", "unknown_systems.csv");
    let s = r.summary_line();
    assert!(
        s.contains("3 on 1 system of the guide, 8 not in its tables, kept apart (4 Windows XP, 3 Solaris 11, 1 Chrome OS)"),
        "{s}"
    );
    // Kept in the plan, with the names as cleaned.
    let mut plan = Plan::new("p", "", "", "generic-2023", "t").unwrap_or_else(|e| panic!("{e}"));
    r.apply(&mut plan, Mode::Replace, "t");
    assert_eq!(
        estate::unmatched(&plan.estate),
        vec![
            ("Windows XP".to_string(), 4),
            ("Solaris 11".to_string(), 3),
            ("Chrome OS".to_string(), 1)
        ]
    );
    let r = run("generic-2023", "hostile_names.csv");
    r.apply(&mut plan, Mode::Replace, "t");
    for (name, _) in estate::unmatched(&plan.estate) {
        assert!(
            !name.chars().any(|c| c.is_control() || c == '\u{202e}'),
            "{name:?}"
        );
    }
}

#[test]
fn status_shows_the_unmatched_devices() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    cli(home.path())
        .args(["new", "--name", "Estate", "--guide", "symantec-2021"])
        .assert()
        .success();
    cli(home.path())
        .args([
            "import",
            "Estate",
            &fixture_path("symantec_with_windows11.csv"),
        ])
        .assert()
        .success()
        .stdout(predicates::str::contains("800  Windows 11"));
    cli(home.path())
        .args(["status", "Estate"])
        .assert()
        .success()
        .stdout(
            predicates::str::contains("Estate:    3733 devices")
                .and(predicates::str::contains("Not in the guide's tables"))
                .and(predicates::str::contains("800  Windows 11")),
        );
    let out = cli(home.path())
        .args(["status", "Estate", "--json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["estate"]["devices"], 3733);
    assert_eq!(v["estate"]["unmatched"][0]["name"], "Windows 11");
    assert_eq!(v["estate"]["unmatched"][0]["devices"], 800);
}

#[test]
fn defender_portal_inventory_leaves_out_non_computers() {
    let r = run("generic-2023", "defender_portal_inventory.csv");
    assert_eq!(r.shape, Shape::DefenderPortal);
    assert_eq!(
        r.shape.describe(),
        "a Defender portal device inventory export"
    );
    assert_eq!(r.os_column, "OS Platform");
    assert_eq!((r.rows, r.devices, r.left_out), (8, 5, 3));
    assert_eq!(
        r.systems,
        systems(&[("win11", 2), ("win10", 1), ("ws2019", 1), ("macos", 1)])
    );
    assert_eq!(
        r.onboarding,
        systems(&[("Onboarded", 3), ("Can be onboarded", 2)])
    );
    assert!(
        r.summary_line().contains("3 not computers"),
        "{}",
        r.summary_line()
    );
}

#[test]
fn intune_graph_export_spellings() {
    let r = run("generic-2023", "intune_graph_export.csv");
    assert_eq!(r.shape, Shape::Intune);
    assert_eq!(r.os_column, "OperatingSystem");
    assert_eq!(
        r.systems,
        systems(&[("win10", 1), ("win11", 1), ("macos", 1), ("android", 1)])
    );
}

#[test]
fn configuration_manager_windows_11_is_told_by_its_build() {
    let r = run("generic-2023", "configmgr_query.csv");
    assert_eq!(r.shape, Shape::ConfigMgr);
    assert_eq!(r.os_column, "Operating System Name and Version");
    assert_eq!(
        r.systems,
        systems(&[("win10", 1), ("win11", 2), ("ws2019", 1), ("win7sp1", 1)])
    );
    assert_eq!(r.unrecognised_devices, 0);
}

#[test]
fn deviceinfo_counts_each_device_once_from_its_latest_row() {
    let r = run("generic-2023", "deviceinfo_over_time.csv");
    assert_eq!(r.shape, Shape::DefenderDeviceInfo);
    assert_eq!((r.rows, r.devices, r.duplicates), (7, 4, 3));
    // pc-1 moved to Windows 11 and srv-1 to Server 2022 in their latest rows.
    assert_eq!(
        r.systems,
        systems(&[("win11", 1), ("ws2022", 1), ("win10", 1), ("ws2012r2", 1)])
    );
    assert_eq!(
        r.rows,
        r.counted_rows + r.malformed_total + r.duplicates + r.left_out
    );
}
