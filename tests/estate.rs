//! Estate import: one fixture per input shape and failure, with the exact
//! counts and the figures derived from them.

use std::collections::BTreeMap;

use mde_migrate::catalog::{Catalog, Family, Guide};
use mde_migrate::estate::{ImportError, ImportReport, Shape, import};
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
    r.apply(&mut plan, "2026-11-28T10:00:00Z");
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
    assert_eq!(r.systems, systems(&[("win10", 5), ("ws2019", 2)]));
    assert_eq!(r.malformed, vec![3, 4, 5, 6]);
    assert_eq!(r.malformed_total, 4);
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
