//! Derived facts that check the answers against the estate: conflicts
//! (servers answered No while the estate lists servers; Plan 1 with
//! down-level devices) and gaps (estate systems with no proxy row), in the
//! model, in `status` and in the reports.

mod common;

use assert_cmd::Command;
use common::*;
use mde_migrate::report::{Format, render as report};

fn generic(estate: &[(&str, u64)]) -> mde_migrate::plan::Plan {
    let mut p = plan("generic-2023");
    for (id, n) in estate {
        p.estate.systems.insert((*id).to_string(), Some(*n));
    }
    p
}

fn guide(id: &str) -> &'static mde_migrate::catalog::Guide {
    catalog().guide(id).unwrap_or_else(|| panic!("guide {id}"))
}

#[test]
fn servers_answered_no_while_the_estate_lists_servers_is_a_conflict() {
    let g = guide("generic-2023");
    let mut p = generic(&[("win10", 500), ("ws2019", 100), ("ws2016", 45)]);
    p.set_choice("servers", Some("no"), NOW);
    let c = p.conflicts(g);
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].id, "servers-answer");
    assert_eq!(c[0].item, "servers");
    assert!(c[0].text.contains("145 server devices"), "{}", c[0].text);
    assert!(c[0].text.contains("Windows Server 2019"), "{}", c[0].text);
    // The estate wins: the server licence warning applies.
    assert_eq!(p.warnings(g).len(), 1);
    p.set_choice("servers", Some("yes"), NOW);
    assert!(p.conflicts(g).is_empty());
}

#[test]
fn plan_1_with_down_level_devices_is_a_conflict() {
    let g = guide("generic-2023");
    let mut p = generic(&[("win10", 500), ("win7sp1", 20), ("win81", 10)]);
    p.set_choice("licence-route", Some("owned-p1"), NOW);
    let c = p.conflicts(g);
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].id, "downlevel-plan");
    assert_eq!(c[0].item, "licence-route");
    assert!(c[0].text.contains("30 down-level devices"), "{}", c[0].text);
    assert!(c[0].text.contains("need P2"), "{}", c[0].text);
    p.set_choice("licence-route", Some("m365-e5"), NOW);
    assert!(p.conflicts(g).is_empty());
}

#[test]
fn gaps_name_every_system_without_a_row_with_its_count() {
    let g = guide("generic-2023");
    let mut p = generic(&[("win10", 500), ("linux", 40), ("ios", 200), ("android", 50)]);
    p.set_choice("licence-route", Some("m365-e5"), NOW);
    let gaps = p.gaps(g);
    assert_eq!(gaps.len(), 1);
    assert_eq!(gaps[0].value, "P2");
    assert_eq!(
        gaps[0].text(),
        "No P2 row for: Linux (40 devices), iOS (200 devices), Android (50 devices)"
    );
    // With no plan chosen both plans apply: P1 lists Linux, not iOS/Android.
    p.set_choice("licence-route", None, NOW);
    let texts: Vec<String> = p.gaps(g).iter().map(|g| g.text()).collect();
    assert_eq!(
        texts,
        vec![
            "No P1 row for: iOS (200 devices), Android (50 devices)".to_string(),
            "No P2 row for: Linux (40 devices), iOS (200 devices), Android (50 devices)"
                .to_string(),
        ]
    );
}

#[test]
fn symantec_gaps_are_per_capability() {
    let g = guide("symantec-2021");
    let mut p = plan("symantec-2021");
    for (id, n) in [
        ("win10", 300),
        ("ws2012r2", 12),
        ("win7sp1", 8),
        ("rhel", 25),
    ] {
        p.estate.systems.insert(id.to_string(), Some(n));
    }
    let texts: Vec<String> = p.gaps(g).iter().map(|g| g.text()).collect();
    assert_eq!(
        texts,
        vec![
            "No EDR row for: RHEL 7.2+ (25 devices)".to_string(),
            "No Antivirus row for: Windows Server 2012 R2 (12 devices), Windows 7 SP1 (8 devices)"
                .to_string(),
        ],
        "{texts:?}"
    );
}

#[test]
fn conflicts_and_gaps_are_in_every_report() {
    let mut p = generic(&[("win10", 500), ("ws2019", 145), ("win7sp1", 30), ("ios", 9)]);
    p.set_choice("servers", Some("no"), NOW);
    p.set_choice("licence-route", Some("owned-p1"), NOW);
    for f in [Format::Markdown, Format::Html, Format::Json] {
        let text = report(catalog(), &p, f, NOW).unwrap_or_else(|e| panic!("{e}"));
        assert!(text.contains("145 server devices"), "{f:?}");
        assert!(text.contains("30 down-level devices"), "{f:?}");
        assert!(
            text.contains("No P1 row for: Windows 7 SP1 (30 devices), iOS (9 devices)"),
            "{f:?}"
        );
    }
}

fn cmd(home: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("mde-migrate").unwrap_or_else(|e| panic!("{e}"));
    c.env("MDE_MIGRATE_HOME", home).env_remove("ACCESSIBLE");
    c
}

#[test]
fn status_lists_conflicts_and_gaps() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    cmd(home.path())
        .args(["new", "--name", "Mixed"])
        .assert()
        .success();
    let csv = home.path().join("estate.csv");
    std::fs::write(
        &csv,
        "os,count\nWindows 10,500\nWindows Server 2019,145\niOS,9\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let csv = csv.to_string_lossy().into_owned();
    cmd(home.path())
        .args(["import", "Mixed", &csv])
        .assert()
        .success();
    cmd(home.path())
        .args(["set", "Mixed", "servers", "no"])
        .assert()
        .success();
    let out = cmd(home.path())
        .args(["status", "Mixed"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Conflict:") && text.contains("145 server devices"),
        "{text}"
    );
    assert!(
        text.contains("Proxy gap: No P1 row for: iOS (9 devices)"),
        "{text}"
    );
    let out = cmd(home.path())
        .args(["status", "Mixed", "--json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["conflicts"][0]["id"], "servers-answer");
    assert_eq!(v["gaps"][0]["systems"][0]["name"], "iOS");
}
