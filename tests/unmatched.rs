//! Devices whose system the plan's guide does not list: kept by the import,
//! shown on the wizard's screens, in `status`, every report and plain mode,
//! each with its count and the built-in guide whose table does cover it.

mod common;

use common::*;
use mde_migrate::estate::{Mode, import};
use mde_migrate::plan::Plan;
use mde_migrate::report::{Format, render as report};
use mde_migrate::wizard::Action;

const FIXTURE: &str = "symantec_newer_systems.csv";

fn fixture_path(name: &str) -> String {
    format!(
        "{}/tests/fixtures/estate/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// A Symantec plan with the fixture imported: 2633 Windows 10 placed;
/// Windows 11, Server 2022, macOS 13 and FreeBSD kept apart.
fn symantec_plan() -> Plan {
    let guide = catalog()
        .guide("symantec-2021")
        .unwrap_or_else(|| panic!("guide"));
    let bytes = std::fs::read(fixture_path(FIXTURE)).unwrap_or_else(|e| panic!("{e}"));
    let r = import(guide, bytes.as_slice()).unwrap_or_else(|e| panic!("{e}"));
    let mut p = plan("symantec-2021");
    r.apply(&mut p, Mode::Replace, NOW);
    p
}

fn generic_url() -> String {
    catalog()
        .guide("generic-2023")
        .map(|g| g.source_url.clone())
        .unwrap_or_else(|| panic!("generic guide"))
}

#[test]
fn the_import_names_every_unmatched_system_with_its_count() {
    let guide = catalog()
        .guide("symantec-2021")
        .unwrap_or_else(|| panic!("guide"));
    let bytes = std::fs::read(fixture_path(FIXTURE)).unwrap_or_else(|e| panic!("{e}"));
    let r = import(guide, bytes.as_slice()).unwrap_or_else(|e| panic!("{e}"));
    let s = r.summary_line();
    for part in [
        "800 Windows 11",
        "300 Windows Server 2022",
        "45 macOS 13.4",
        "4 FreeBSD 13",
    ] {
        assert!(s.contains(part), "{s}");
    }
    assert_eq!(r.placed() + r.unrecognised_devices, r.devices);
}

#[test]
fn each_unmatched_system_points_to_the_guide_that_covers_it() {
    let p = symantec_plan();
    let guide = catalog()
        .guide("symantec-2021")
        .unwrap_or_else(|| panic!("guide"));
    let list = p.unmatched(catalog(), guide);
    let names: Vec<(&str, u64)> = list.iter().map(|u| (u.name.as_str(), u.devices)).collect();
    assert_eq!(
        names,
        vec![
            ("Windows 11", 800),
            ("Windows Server 2022", 300),
            ("macOS 13.4", 45),
            ("FreeBSD 13", 4)
        ]
    );
    for u in &list[..3] {
        assert!(u.predates, "{u:?}");
        assert_eq!(u.covered_by[0].guide, "generic-2023");
        let text = u.text(guide);
        assert!(text.contains("Symantec guide (2021) table"), "{text}");
        assert!(text.contains("predates this system"), "{text}");
        assert!(text.contains("Generic guide (2023)"), "{text}");
    }
    assert!(list[3].covered_by.is_empty());
    assert!(!list[3].predates);
}

#[test]
fn the_summary_shows_each_unmatched_system_and_where_it_is_covered() {
    let p = symantec_plan();
    let guide = catalog()
        .guide("symantec-2021")
        .unwrap_or_else(|| panic!("guide"));
    let texts: Vec<String> = p
        .unmatched(catalog(), guide)
        .iter()
        .map(|u| u.text(guide))
        .collect();
    let mut w = wizard_with(p);
    for _ in 0..=guide.steps.len() {
        press(&mut w, &[Action::NextStep]);
    }
    insta::assert_snapshot!("unmatched_summary_80x24", render(&w, 80, 24));
    let seen = paged(&mut w, 40);
    assert!(
        seen.contains("Not in this guide's tables (kept, not planned for): 1149 devices"),
        "{seen}"
    );
    for t in &texts {
        assert!(seen.contains(&flat(t)), "{t}\n{seen}");
    }
    // o offers the guide that covers them, after Phases 2 and 3.
    press(&mut w, &[Action::Open]);
    let Some(mde_migrate::wizard::Modal::Links { links, .. }) = &w.modal else {
        panic!("o on the summary opens no list: {:?}", w.modal);
    };
    let last = links.last().cloned().unwrap_or_else(|| panic!("no links"));
    assert_eq!(last.url, generic_url());
    assert_eq!(
        last.title,
        "Generic guide (2023): current guidance for Windows 11, Windows Server 2022, macOS 13.4"
    );
}

#[test]
fn the_proxy_estate_pane_and_systems_list_show_the_unmatched_devices() {
    let p = symantec_plan();
    let guide = catalog()
        .guide("symantec-2021")
        .unwrap_or_else(|| panic!("guide"));
    let texts: Vec<String> = p
        .unmatched(catalog(), guide)
        .iter()
        .map(|u| u.text(guide))
        .collect();
    let mut w = wizard_with(p);
    // The proxy step is the last of Phase 1.
    for _ in 0..guide.phase_steps(&guide.phases[0].id).count() {
        press(&mut w, &[Action::NextStep]);
    }
    press(&mut w, &[Action::NextField]);
    let seen = paged(&mut w, 37);
    for t in &texts {
        assert!(seen.contains(&flat(t)), "{t}\n{seen}");
    }
    press(&mut w, &[Action::Systems]);
    let popup = render(&w, 80, 24);
    insta::assert_snapshot!("unmatched_systems_popup_80x24", popup);
    assert!(popup.contains("800 devices  Windows 11"), "{popup}");
    assert!(
        popup.contains("300 devices  Windows Server 2022"),
        "{popup}"
    );
    assert!(popup.contains("(and 1 more)"), "{popup}");
}

fn cli(home: &std::path::Path) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("mde-migrate").unwrap_or_else(|e| panic!("{e}"));
    c.env("MDE_MIGRATE_HOME", home)
        .env_remove("ACCESSIBLE")
        .timeout(std::time::Duration::from_secs(120));
    c
}

#[test]
fn status_and_status_json_say_where_unmatched_devices_are_covered() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    cli(home.path())
        .args(["new", "--name", "Estate", "--guide", "symantec-2021"])
        .assert()
        .success();
    let out = cli(home.path())
        .args(["import", "Estate", &fixture_path(FIXTURE)])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    for part in [
        "800  Windows 11",
        "300  Windows Server 2022",
        "45  macOS 13.4",
        "4  FreeBSD 13",
        "Where the guides cover them:",
        "Windows 11 (800 devices): the Symantec guide (2021) table (published 2021-03-03) predates this system",
    ] {
        assert!(text.contains(part), "{part}\n{text}");
    }
    cli(home.path())
        .args(["set", "Estate", "tenant", "todo"])
        .assert()
        .success();
    let out = cli(home.path())
        .args(["status", "Estate"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("Estate:    3782 devices"), "{text}");
    // One set of marks, as everywhere: ○ for an item to do, never ✗.
    assert!(text.contains("  ○ todo "), "{text}");
    assert!(!text.contains('✗'), "{text}");
    assert!(
        text.contains("Unmatched: Windows 11 (800 devices): the Symantec guide (2021) table (published 2021-03-03) predates this system"),
        "{text}"
    );
    assert!(text.contains(&generic_url()), "{text}");
    assert!(
        text.contains("FreeBSD 13 (4 devices): not in this guide's tables, and no built-in guide's table has a row for it."),
        "{text}"
    );
    let out = cli(home.path())
        .args(["status", "Estate", "--json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let u = &v["estate"]["unmatched"];
    assert_eq!(u[0]["name"], "Windows 11");
    assert_eq!(u[0]["devices"], 800);
    assert_eq!(u[0]["predates"], true);
    assert_eq!(u[0]["covered_by"][0]["guide"], "generic-2023");
    assert_eq!(u[0]["covered_by"][0]["systems"][0], "Windows 11");
    assert_eq!(u[0]["covered_by"][0]["url"], generic_url().as_str());
    assert_eq!(u[2]["name"], "macOS 13.4");
    assert_eq!(u[2]["covered_by"][0]["systems"][0], "macOS");
    assert_eq!(u[3]["covered_by"].as_array().map(Vec::len), Some(0));
    assert!(
        u[1]["text"]
            .as_str()
            .is_some_and(|t| t.contains("Windows Server 2022 (300 devices)"))
    );
}

#[test]
fn every_report_lists_the_unmatched_devices_and_the_covering_guide() {
    let p = symantec_plan();
    let guide = catalog()
        .guide("symantec-2021")
        .unwrap_or_else(|| panic!("guide"));
    let texts: Vec<String> = p
        .unmatched(catalog(), guide)
        .iter()
        .map(|u| u.text(guide))
        .collect();
    for format in [Format::Markdown, Format::Html, Format::Json] {
        let out = report(catalog(), &p, format, NOW).unwrap_or_else(|e| panic!("{e}"));
        assert!(out.contains(&generic_url()), "{format:?}");
        for t in &texts {
            let shown = match format {
                Format::Html => t.replace('\'', "&#39;"),
                Format::Markdown | Format::Json => t.clone(),
            };
            assert!(out.contains(&shown), "{format:?} lacks {t}\n{out}");
        }
    }
    let json = report(catalog(), &p, Format::Json, NOW).unwrap_or_else(|e| panic!("{e}"));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["estate"]["devices"], 3782);
    assert_eq!(v["estate"]["unmatched"][0]["name"], "Windows 11");
    assert_eq!(v["estate"]["unmatched"][0]["devices"], 800);
    assert_eq!(
        v["estate"]["unmatched"][0]["covered_by"][0]["url"],
        generic_url().as_str()
    );
    let md = report(catalog(), &p, Format::Markdown, NOW).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        md.contains("| Windows 11 (not in this guide's tables) | 800 |"),
        "{md}"
    );
}

/// The text of the pane starting at column `from` over every page met
/// while paging it down, flattened so wrapped phrases can be searched.
fn paged(w: &mut mde_migrate::wizard::Wizard, from: usize) -> String {
    let mut all: Vec<String> = Vec::new();
    for _ in 0..40 {
        let frame = render(w, 80, 24);
        let rows: Vec<String> = frame
            .lines()
            .skip(1)
            .filter_map(|row| {
                let right: Vec<char> = row.chars().skip(from).collect();
                (right.first() == Some(&'│'))
                    .then(|| right[1..right.len().saturating_sub(1)].iter().collect())
            })
            .collect();
        let overlap = (0..=rows.len().min(all.len()))
            .rev()
            .find(|n| all[all.len() - n..] == rows[..*n])
            .unwrap_or(0);
        all.extend(rows.into_iter().skip(overlap));
        if !frame.contains("↓") {
            break;
        }
        press(w, &[Action::PageDown]);
    }
    flat(&all.join(" ").replace('│', " "))
}

fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn plain_mode_imports_and_says_where_unmatched_devices_are_covered() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let store =
        mde_migrate::store::Store::open(home.path(), true).unwrap_or_else(|e| panic!("{e}"));
    let mut p = plan("symantec-2021");
    p.estate.systems.insert("win10".into(), Some(5));
    store.create(&p).unwrap_or_else(|e| panic!("{e}"));
    // Plan 1; import the fixture, merging into the estate; on to the summary.
    let input = format!("1\ni\n{}\nm\ns\no 3\nq\n", fixture_path(FIXTURE));
    let mut out = Vec::new();
    let mut opener = |_: &str| -> Result<(), String> { Err("not in tests".into()) };
    mde_migrate::plain::run_with(catalog(), &store, input.as_bytes(), &mut out, &mut opener)
        .unwrap_or_else(|e| panic!("{e}"));
    let out = String::from_utf8(out).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.contains("Windows 10: now 5, after replacing 2633, after merging 2638"),
        "{out}"
    );
    let saved = symantec_plan();
    let guide = catalog()
        .guide("symantec-2021")
        .unwrap_or_else(|| panic!("guide"));
    for u in saved.unmatched(catalog(), guide) {
        // Said after the import and again in the summary.
        assert!(
            out.matches(&u.text(guide)).count() >= 2,
            "{}\n{out}",
            u.text(guide)
        );
    }
    assert!(out.contains("800 Windows 11"), "{out}");
    // At the summary, link 3 is the guide that covers them.
    assert!(
        out.contains(&format!(
            "Link 3: Generic guide (2023): current guidance for Windows 11, Windows Server 2022, macOS 13.4: {}",
            generic_url()
        )),
        "{out}"
    );
    let id = store
        .list()
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .find_map(|l| match l {
            mde_migrate::store::Listing::Plan { id, .. } => Some(id),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no plan"));
    let plan = store.load(&id).unwrap_or_else(|e| panic!("{e}")).plan;
    assert_eq!(plan.estate.systems.get("win10"), Some(&Some(2638)));
    assert_eq!(
        mde_migrate::estate::unmatched(&plan.estate).len(),
        4,
        "{:?}",
        plan.estate
    );
}

#[test]
fn hostile_unmatched_names_are_cleaned_everywhere() {
    let mut p = plan("generic-2023");
    p.estate.extra.insert(
        "unmatched".into(),
        serde_json::json!([{"name": "Evil\u{1b}]52;c;aGk=\u{7}OS\u{202e} <b>&", "devices": 3}]),
    );
    let guide = catalog()
        .guide("generic-2023")
        .unwrap_or_else(|| panic!("guide"));
    let list = p.unmatched(catalog(), guide);
    assert_eq!(list.len(), 1);
    let text = list[0].text(guide);
    assert!(
        !text.chars().any(|c| c.is_control() || c == '\u{202e}'),
        "{text:?}"
    );
    for format in [Format::Markdown, Format::Html, Format::Json] {
        let out = report(catalog(), &p, format, NOW).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{202e}'),
            "{format:?}"
        );
        if format == Format::Html {
            assert!(!out.contains("<b>&"), "unescaped HTML");
        }
    }
    let mut w = wizard_with(p);
    for _ in 0..=guide.steps.len() {
        press(&mut w, &[Action::NextStep]);
    }
    let frame = render(&w, 120, 40);
    assert!(!frame.contains('\u{1b}') && !frame.contains('\u{202e}'));
    assert!(frame.contains("(3 devices)"), "{frame}");
}

#[test]
fn the_updates_banner_names_the_unmatched_devices() {
    let guide = catalog()
        .guide("generic-2023")
        .unwrap_or_else(|| panic!("guide"));
    let r = import(
        guide,
        "os,count\nWindows 10,100\nSolaris 11,3\nChrome OS,2\n".as_bytes(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut p = plan("generic-2023");
    r.apply(&mut p, Mode::Replace, NOW);
    let mut w = wizard_with(p);
    press(&mut w, &[Action::NextStep]);
    let frame = flat(&render(&w, 80, 24));
    assert!(
        frame.contains("Estate: 1 operating system, 100 devices (s changes them); not in this guide's tables: 3 Solaris 11, 2 Chrome OS (the summary says more)"),
        "{frame}"
    );
}
