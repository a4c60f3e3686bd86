//! A hand-edited (or copied, or hostile) plan file with escape sequences,
//! bidirectional overrides and zero-width characters in every string field:
//! nothing of it reaches the terminal, a JSON reader or a report raw, and a
//! value that names no option, system or guide page is reported as invalid.

use std::path::Path;

use assert_cmd::Command;
use serde_json::{Value, json};

/// Everything a terminal could act on or a reader be fooled by: OSC 52
/// (clipboard write), OSC 0 (title), CSI 2J (clear), a C1 CSI, a right-to-
/// left override and a zero-width space.
const EVIL: &str = "\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}]0;title\u{7}\u{1b}[2J\u{9b}31m\u{202E}\u{200B}";

fn evil(s: &str) -> String {
    format!("{s}{EVIL}")
}

fn cmd(home: &Path) -> Command {
    let mut c = Command::cargo_bin("mde-migrate").unwrap_or_else(|e| panic!("{e}"));
    c.env("MDE_MIGRATE_HOME", home).env_remove("ACCESSIBLE");
    c
}

fn run(home: &Path, args: &[&str]) -> (bool, String, String) {
    let out = cmd(home)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}")),
        String::from_utf8(out.stderr).unwrap_or_else(|e| panic!("{args:?}: {e}")),
    )
}

/// The first character no output may carry, if any: controls other than a
/// line break (ESC, BEL, C1), bidi marks and overrides, zero-width
/// characters; and, in JSON, the same written as a `\u` escape.
fn hostile_in(what: &str, s: &str) -> Option<String> {
    let bad = s.chars().find(|&c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
    });
    if let Some(c) = bad {
        let at = s.find(c).unwrap_or(0);
        let from = s[..at].char_indices().rev().nth(40).map_or(0, |(i, _)| i);
        return Some(format!("{what}: {c:?} in …{}", &s[from..at]));
    }
    for esc in ["\\u001b", "\\u0007", "\\u009b", "\\u202e", "\\u200b"] {
        if s.to_lowercase().contains(esc) {
            return Some(format!("{what}: JSON escape {esc}"));
        }
    }
    None
}

/// A plan made by the program, then rewritten by hand with `EVIL` in every
/// string field it has, plus unknown fields at every level.
fn hostile_plan(home: &Path, guide: &str) -> String {
    let (ok, _, err) = run(
        home,
        &[
            "new",
            "--name",
            "Hostile",
            "--guide",
            guide,
            "--replacing",
            "Symantec",
        ],
    );
    assert!(ok, "{err}");
    let file = std::fs::read_dir(home)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .unwrap_or_else(|| panic!("no plan file"));
    let id = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}"));
    let mut p: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let real_system = "win10";
    p["name"] = json!(evil("Hostile"));
    p["organisation"] = json!(evil("Org"));
    p["replacing"] = json!(evil("Symantec"));
    p["created"] = json!(evil("2026-12-01T00:00:00Z"));
    p["updated"] = json!(evil("2026-12-01T00:00:00Z"));
    let mut answers = serde_json::Map::new();
    answers.insert(
        "licence-route".into(),
        json!({"choice": evil("trial"), "note": evil("note 1"), "updated": evil("u"), evil("k"): evil("v")}),
    );
    answers.insert(
        "proxy-in-use".into(),
        json!({"choice": "yes", "note": evil("note\nwith lines")}),
    );
    answers.insert("access-model".into(), json!({"choice": evil("rbac")}));
    answers.insert(
        "licence-state".into(),
        json!({"status": "done", "note": evil("note 3")}),
    );
    answers.insert(
        "existing-product".into(),
        json!({"text": evil("Symantec"), "note": evil("note 4")}),
    );
    answers.insert(
        "existing-version".into(),
        json!({"text": evil("14.3"), "note": evil("note 5")}),
    );
    answers.insert(
        evil("no-such-item"),
        json!({"text": evil("t"), "note": evil("n")}),
    );
    p["answers"] = Value::Object(answers);
    p["roles"] = json!([{
        "name": evil("SOC"),
        "group": evil("sg-soc"),
        "permissions": [evil("view-data"), "live-response-basic"],
        evil("role-extra"): evil("x"),
    }]);
    let mut systems = serde_json::Map::new();
    systems.insert(evil("win10"), json!(5));
    systems.insert(real_system.into(), json!(3));
    p["estate"] = json!({"systems": systems, evil("estate-extra"): [evil("a")]});
    p["reviewed"] = json!([evil("proxy-win10")]);
    p["position"] = json!({"screen": evil("step"), "step": evil("licence"), "item": evil("x")});
    p[evil("unknown")] = json!({ evil("k"): evil("v") });
    let text = serde_json::to_string_pretty(&p).unwrap_or_else(|e| panic!("{e}"));
    assert!(text.contains('\u{1b}') || text.contains("\\u001b"));
    std::fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
    id
}

#[test]
fn no_output_carries_an_escape_from_a_hostile_plan_file() {
    for guide in ["symantec-2021", "generic-2023"] {
        let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let id = hostile_plan(home.path(), guide);
        let report = home.path().join("report.md");
        let report_arg = report.to_string_lossy().into_owned();
        let runs: Vec<Vec<&str>> = vec![
            vec!["plans"],
            vec!["plans", "--json"],
            vec!["status", &id],
            vec!["status", &id, "--json"],
            vec!["export", &id, "-f", "md"],
            vec!["export", &id, "-f", "html"],
            vec!["export", &id, "-f", "json"],
            vec!["export", &id, "-o", &report_arg],
            vec!["status", "Hostile"],
            vec!["set", &id, "no-such", "x"],
        ];
        let mut found = Vec::new();
        for args in &runs {
            let (_, out, err) = run(home.path(), args);
            let what = format!("{guide} {}", args.join(" "));
            found.extend(hostile_in(&format!("{what} (stdout)"), &out));
            found.extend(hostile_in(&format!("{what} (stderr)"), &err));
        }
        let written = std::fs::read_to_string(&report).unwrap_or_else(|e| panic!("{e}"));
        found.extend(hostile_in("export -o file", &written));
        assert!(found.is_empty(), "{found:#?}");

        // The file's text still shows, cleaned: nothing is dropped but the
        // hostile characters.
        let (_, status, _) = run(home.path(), &["status", &id]);
        assert!(
            status.contains("Plan:      Hostile]52;c;ZXZpbA==]0;title[2J"),
            "{status}"
        );
        assert!(status.contains("note: note 1]52;"), "{status}");
    }
}

#[test]
fn values_the_guide_does_not_know_are_reported_as_invalid() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let id = hostile_plan(home.path(), "symantec-2021");
    let (ok, status, err) = run(home.path(), &["status", &id]);
    assert!(ok, "{err}");
    assert!(
        status.contains("answer: invalid value \"trial]52;c;ZXZpbA==]0;title[2J31m\""),
        "{status}"
    );
    assert!(!status.contains("= trial"), "{status}");
    assert!(
        status.contains("answer: unknown system \"win10]52;c;ZXZpbA==]0;title[2J31m\""),
        "{status}"
    );
    assert!(
        status.contains("answer: unknown guide page \"proxy-win10]52;"),
        "{status}"
    );
    // A known option still shows as its id.
    assert!(status.contains("= yes"), "{status}");

    let (ok, out, err) = run(home.path(), &["status", &id, "--json"]);
    assert!(ok, "{err}");
    let s: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    let items: Vec<&Value> = s["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|st| st["items"].as_array().into_iter().flatten())
        .collect();
    let item = |id: &str| {
        items
            .iter()
            .find(|i| i["id"] == id)
            .copied()
            .unwrap_or_else(|| panic!("no item {id}: {out}"))
    };
    assert_eq!(item("licence-route")["answer"], Value::Null);
    assert_eq!(
        item("licence-route")["problem"],
        "invalid value \"trial]52;c;ZXZpbA==]0;title[2J31m\""
    );
    assert_eq!(item("proxy-in-use")["answer"], "yes");
    assert_eq!(item("proxy-in-use")["problem"], Value::Null);
    assert_eq!(item("estate")["answer"], "Windows 10 (3)");
}

#[test]
fn file_names_and_paths_lose_their_bidi_and_invisible_characters() {
    let root = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // A plans folder whose own name carries an override and a zero-width
    // space, as `new`, `plans` and `export -o` echo it.
    let home = root.path().join("pla\u{202E}ns\u{200B}");
    std::fs::create_dir(&home).unwrap_or_else(|e| panic!("{e}"));
    let (ok, out, err) = run(&home, &["plans"]);
    assert!(ok, "{err}");
    assert!(out.starts_with("No plans in"), "{out}");
    let mut found: Vec<String> = hostile_in("plans (empty)", &out).into_iter().collect();
    let (ok, out, err) = run(&home, &["new", "--name", "Contoso"]);
    assert!(ok, "{err}");
    assert!(out.contains("plans/contoso-"), "{out}");
    found.extend(hostile_in("new", &out));

    // A copied plan file whose name carries them too.
    let original = std::fs::read_dir(&home)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .unwrap_or_else(|| panic!("no plan file"));
    let id = original
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    std::fs::copy(&original, home.join("copy\u{202E}fdp.\u{200B}json"))
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(&original, home.join("co\u{200B}py\u{202E}.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    for args in [
        vec!["plans"],
        vec!["plans", "--json"],
        vec!["status", &id, "--json"],
        vec!["status", "co\u{200B}py\u{202E}", "--json"],
    ] {
        let (_, out, err) = run(&home, &args);
        found.extend(hostile_in(&format!("{args:?} (stdout)"), &out));
        found.extend(hostile_in(&format!("{args:?} (stderr)"), &err));
    }
    let report = root.path().join("rep\u{202E}ort\u{200B}.md");
    let report_arg = report.to_string_lossy().into_owned();
    let (ok, out, err) = run(&home, &["export", &id, "-o", &report_arg]);
    assert!(ok, "{err}");
    assert!(out.contains("report.md"), "{out}");
    assert!(report.exists());
    found.extend(hostile_in("export -o", &out));
    let missing = root.path().join("no\u{202E}such\u{200B}/r.md");
    let (ok, out, err) = run(&home, &["export", &id, "-o", &missing.to_string_lossy()]);
    assert!(!ok);
    assert!(err.contains("nosuch/r.md"), "{err}");
    found.extend(hostile_in("export -o (error)", &format!("{out}{err}")));
    assert!(found.is_empty(), "{found:#?}");
}

mod common;

/// The first hostile character drawn on any cell of a rendered screen.
fn hostile_on_screen(what: &str, screen: &str) -> Option<String> {
    hostile_in(what, screen)
}

#[test]
fn the_wizard_draws_no_escape_from_a_hostile_plan() {
    use mde_migrate::plan::{Answer, Role};
    use mde_migrate::wizard::{Action, PlanEntry};
    for guide in ["symantec-2021", "generic-2023"] {
        let mut p = common::plan(guide);
        p.name = evil("Hostile");
        p.organisation = evil("Org");
        p.replacing = evil("Symantec");
        p.updated = evil("2026");
        for (item, choice, text, note) in [
            ("licence-route", Some(evil("trial")), None, evil("note 1")),
            (
                "proxy-in-use",
                Some("yes".to_string()),
                None,
                evil("note\n2"),
            ),
            (
                "access-model",
                Some("rbac".to_string()),
                None,
                evil("note 3"),
            ),
            (
                "existing-product",
                None,
                Some(evil("Symantec")),
                evil("note 4"),
            ),
            ("existing-version", None, Some(evil("14.3")), evil("note 5")),
            ("tenant", None, None, evil("note 6")),
        ] {
            p.answers.insert(
                item.to_string(),
                Answer {
                    choice,
                    text,
                    note,
                    updated: evil("u"),
                    ..Answer::default()
                },
            );
        }
        p.roles = vec![Role {
            name: evil("SOC"),
            group: evil("sg-soc"),
            permissions: [evil("view-data"), "live-response-basic".to_string()]
                .into_iter()
                .collect(),
            ..Role::default()
        }];
        p.estate.systems.insert(evil("win10"), Some(5));
        p.estate.systems.insert("win10".into(), Some(3));
        p.reviewed.insert(evil("proxy-win10"));
        let mut w = common::wizard_with(p);
        let mut found = Vec::new();
        let mut look = |w: &mde_migrate::wizard::Wizard, what: &str| {
            for (cols, rows) in [(80, 24), (120, 40)] {
                let screen = common::render(w, cols, rows);
                found.extend(hostile_on_screen(
                    &format!("{guide} {what} {cols}x{rows}"),
                    &screen,
                ));
            }
        };
        look(&w, "overview");
        for step in 0..6 {
            common::press(&mut w, &[Action::NextStep]);
            for item in 0..12 {
                look(&w, &format!("step {step} item {item}"));
                common::press(&mut w, &[Action::Down]);
            }
            common::press(&mut w, &[Action::NextField]);
            look(&w, &format!("step {step} other pane"));
        }
        let mut plans = mde_migrate::wizard::Wizard::new(common::catalog(), true);
        plans.update(
            Action::PlansListed(vec![
                PlanEntry {
                    id: evil("hostile-1a2b3c4d"),
                    name: evil("Hostile"),
                    organisation: evil("Org"),
                    guide: evil(guide),
                    percent: 40,
                    updated: evil("2026"),
                    broken: None,
                    newer: false,
                },
                PlanEntry {
                    id: evil("broken-1a2b3c4d"),
                    name: evil("Broken"),
                    organisation: String::new(),
                    guide: String::new(),
                    percent: 0,
                    updated: String::new(),
                    broken: Some(evil("not JSON")),
                    newer: false,
                },
            ]),
            common::NOW,
        );
        look(&plans, "plans");
        common::press(&mut plans, &[Action::Down]);
        look(&plans, "plans, broken one");
        assert!(found.is_empty(), "{found:#?}");
    }
}
