//! A plan you can run a project from: owners, due dates, blocked and
//! waiting items with their reasons; overdue and blocked items first in the
//! summary, `status` and the reports; the task list as CSV and back; and
//! the migration of schema-1 plan files.

mod common;

use assert_cmd::Command;
use mde_migrate::plan::{ItemState, Status};
use mde_migrate::report::csv as task_csv;
use mde_migrate::wizard::{Action, Effect, Modal, Screen};
use serde_json::Value;

use common::*;

fn cmd(home: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("mde-migrate").unwrap_or_else(|e| panic!("{e}"));
    c.env("MDE_MIGRATE_HOME", home).env_remove("ACCESSIBLE");
    c
}

fn stdout(c: &mut Command) -> String {
    let out = c.output().unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr_of_failure(c: &mut Command) -> String {
    let out = c.output().unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    err
}

fn plan_file(home: &std::path::Path) -> std::path::PathBuf {
    std::fs::read_dir(home)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .unwrap_or_else(|| panic!("no plan saved"))
}

fn saved(home: &std::path::Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(plan_file(home)).unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn new_plan(home: &std::path::Path) {
    stdout(cmd(home).args(["new", "--name", "Rollout", "--guide", "generic-2023"]));
}

const V1: &str = include_str!("fixtures/store/v1-plan.json");

// ---------------------------------------------------------------- schema 1

#[test]
fn a_version_1_plan_opens_keeps_every_answer_and_resumes_where_it_was() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let v1: Value = serde_json::from_str(V1).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v1["schema_version"], 1, "the fixture is a schema-1 file");
    std::fs::write(home.path().join("contoso-rollout-200a609b.json"), V1)
        .unwrap_or_else(|e| panic!("{e}"));

    // Read: every answer as it was, the roles, estate, reviews, position.
    let status: Value = serde_json::from_str(&stdout(cmd(home.path()).args([
        "status",
        "Contoso rollout",
        "--json",
    ])))
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        status["read_only"],
        Value::Null,
        "a v1 file is not read-only"
    );
    assert_eq!(status["position"]["screen"], "step");
    assert_eq!(status["position"]["step"], "updates");
    assert_eq!(status["position"]["item"], "estate");
    let items: Vec<&Value> = status["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["items"].as_array().into_iter().flatten())
        .collect();
    let item = |id: &str| {
        items
            .iter()
            .find(|i| i["id"] == id)
            .copied()
            .unwrap_or_else(|| panic!("{id}"))
    };
    assert_eq!(item("existing-version")["answer"], "12.4");
    assert_eq!(item("licence-route")["answer"], "m365-e5");
    assert_eq!(item("update-ios")["state"], "not-applicable");
    assert_eq!(item("update-macos")["state"], "todo");
    assert_eq!(
        item("update-macos")["note"],
        "Waiting for the Mac fleet owner"
    );
    assert_eq!(
        item("tenant")["note"],
        "Tenant in EU datacentre; see change CHG-1042"
    );
    assert_eq!(item("rbac-tool")["answer"], "intune");
    assert_eq!(item("roles")["answer"], "1");
    assert_eq!(item("proxy-guides")["reviewed"][0]["id"], "proxy-internet");
    assert_eq!(status["estate"]["devices"], 136);

    // Written again (a change through the locked save): schema 2, every
    // answer of the file and every field it held still there.
    stdout(cmd(home.path()).args(["set", "Contoso rollout", "tenant", "--owner", "Ana"]));
    let v2 = saved(home.path());
    assert_eq!(v2["schema_version"], 2);
    let (a1, a2) = (&v1["answers"], &v2["answers"]);
    for (id, old) in a1.as_object().into_iter().flatten() {
        for field in ["status", "choice", "text", "note"] {
            assert_eq!(a2[id][field], old[field], "{id}.{field}");
        }
    }
    assert_eq!(a2["tenant"]["owner"], "Ana");
    for field in [
        "roles",
        "estate",
        "reviewed",
        "position",
        "previous_estate",
        "created",
    ] {
        assert_eq!(v2[field], v1[field], "{field}");
    }
}

#[test]
fn a_newer_schema_file_is_still_never_rewritten() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let newer = V1.replace("\"schema_version\": 1", "\"schema_version\": 3");
    let path = home.path().join("contoso-rollout-200a609b.json");
    std::fs::write(&path, &newer).unwrap_or_else(|e| panic!("{e}"));
    let err = stderr_of_failure(cmd(home.path()).args([
        "set",
        "Contoso rollout",
        "tenant",
        "--owner",
        "Ana",
    ]));
    assert!(err.contains("newer"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap_or_default(),
        newer,
        "not one byte changed"
    );
}

// ---------------------------------------------------------------- CLI set

#[test]
fn set_takes_owner_due_state_and_reason_and_refuses_bad_values() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    new_plan(home.path());
    let out = stdout(cmd(home.path()).args([
        "set",
        "Rollout",
        "tenant",
        "--owner",
        "Ana Lopez",
        "--due",
        "2027-01-15",
        "--state",
        "blocked",
        "--reason",
        "Licence order pending",
    ]));
    assert_eq!(
        out,
        "tenant = blocked\n  reason: Licence order pending\n  owner: Ana Lopez\n  due: 2027-01-15\n"
    );
    let a = &saved(home.path())["answers"]["tenant"];
    assert_eq!(a["status"], "blocked");
    assert_eq!(a["owner"], "Ana Lopez");
    assert_eq!(a["due"], "2027-01-15");
    assert_eq!(a["reason"], "Licence order pending");

    // Refused, each naming what was wrong; nothing saved.
    let before = std::fs::read(plan_file(home.path())).unwrap_or_default();
    let bad = [
        (vec!["--due", "2027-02-30"], "\"2027-02-30\" is not a date"),
        (vec!["--due", "15/01/2027"], "\"15/01/2027\" is not a date"),
        (vec!["--state", "blocked"], "needs a reason"),
        (vec!["--state", "n/a"], "needs a reason"),
        (
            vec!["--state", "maybe"],
            "todo, done, n/a, blocked, waiting",
        ),
        (
            vec!["--state", "done", "--reason", "x"],
            "--reason goes with",
        ),
        (
            vec!["--owner", "Bo", "--due", "2027-13-01"],
            "\"2027-13-01\" is not a date",
        ),
    ];
    for (args, needle) in bad {
        let mut c = cmd(home.path());
        c.args(["set", "Rollout", "tenant"]).args(&args);
        let err = stderr_of_failure(&mut c);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    assert_eq!(
        std::fs::read(plan_file(home.path())).unwrap_or_default(),
        before,
        "a refused set changes nothing, not even the owner given with a bad date"
    );

    // Every spelling of a state.
    for (spelling, stored) in [
        ("Waiting", "waiting"),
        ("on hold", "waiting"),
        ("to do", "todo"),
        ("DONE", "done"),
        ("not applicable", "not-applicable"),
        ("N/A", "not-applicable"),
        ("Blocked", "blocked"),
        ("stuck", "blocked"),
    ] {
        let mut c = cmd(home.path());
        c.args(["set", "Rollout", "tenant", "--state", spelling]);
        if !matches!(stored, "todo" | "done") {
            c.args(["--reason", "because"]);
        }
        stdout(&mut c);
        assert_eq!(
            saved(home.path())["answers"]["tenant"]["status"],
            stored,
            "{spelling}"
        );
    }
    // The value itself may be the state; done clears the reason.
    stdout(cmd(home.path()).args(["set", "Rollout", "tenant", "waiting"]));
    assert_eq!(saved(home.path())["answers"]["tenant"]["status"], "waiting");
    stdout(cmd(home.path()).args(["set", "Rollout", "tenant", "done"]));
    let a = &saved(home.path())["answers"]["tenant"];
    assert_eq!(
        (a["status"].as_str(), a.get("reason")),
        (Some("done"), None)
    );

    // A choice item can be blocked too, and answering it clears that.
    stdout(cmd(home.path()).args([
        "set",
        "Rollout",
        "licence-route",
        "--state",
        "blocked",
        "--reason",
        "Budget",
    ]));
    assert_eq!(
        saved(home.path())["answers"]["licence-route"]["status"],
        "blocked"
    );
    stdout(cmd(home.path()).args(["set", "Rollout", "licence-route", "trial"]));
    let a = &saved(home.path())["answers"]["licence-route"];
    assert_eq!(
        (a["choice"].as_str(), a.get("status")),
        (Some("trial"), None)
    );

    // Empty clears owner and due.
    stdout(cmd(home.path()).args(["set", "Rollout", "tenant", "--owner", "", "--due", ""]));
    let a = &saved(home.path())["answers"]["tenant"];
    assert_eq!((a.get("owner"), a.get("due")), (None, None));
    // Nothing to set is said so.
    let err = stderr_of_failure(cmd(home.path()).args(["set", "Rollout", "tenant"]));
    assert!(err.contains("nothing to set"), "{err}");
}

// ------------------------------------------------- overdue and blocked first

/// A plan with two items overdue (2020), one blocked (not overdue), one due
/// later (not listed), and one overdue but done (not listed).
fn plan_with_attention(home: &std::path::Path) {
    new_plan(home);
    for args in [
        vec![
            "access-granted",
            "--due",
            "2020-03-01",
            "--owner",
            "Security lead",
        ],
        vec![
            "tenant",
            "--state",
            "blocked",
            "--reason",
            "Licence order pending",
        ],
        vec!["update-linux", "--due", "2999-01-01"],
        vec!["update-windows", "done", "--due", "2019-01-01"],
        vec!["licence-state", "--due", "2020-01-10"],
    ] {
        let mut c = cmd(home);
        c.args(["set", "Rollout"]).args(&args);
        stdout(&mut c);
    }
}

#[test]
fn status_lists_overdue_then_blocked_items_first() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    plan_with_attention(home.path());
    let v: Value = serde_json::from_str(&stdout(
        cmd(home.path()).args(["status", "Rollout", "--json"]),
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let first: Vec<(&str, bool)> = v["attention"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| (a["item"].as_str().unwrap_or(""), a["overdue"] == true))
        .collect();
    assert_eq!(
        first,
        vec![
            ("licence-state", true),
            ("access-granted", true),
            ("tenant", false)
        ],
        "overdue by due date, then blocked"
    );
    let text = stdout(cmd(home.path()).args(["status", "Rollout"]));
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle}: {text}"))
    };
    assert!(at("First (overdue, then blocked):") < at("1. Get and deploy"));
    assert!(at("overdue, due 2020-01-10") < at("overdue, due 2020-03-01"));
    assert!(at("overdue, due 2020-03-01") < at("⊘ blocked · Tenant configured"));
    assert!(text.contains("(owner: Security lead)"), "{text}");
    assert!(
        text.contains("      reason: Licence order pending"),
        "{text}"
    );
    assert!(text.contains("due: 2020-03-01 (overdue)"), "{text}");
    assert!(text.contains("due: 2999-01-01\n"), "{text}");
    assert!(
        !text.contains("due: 2019-01-01 (overdue)"),
        "done is never overdue"
    );
}

#[test]
fn reports_show_owner_due_state_reason_and_list_overdue_and_blocked_first() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    plan_with_attention(home.path());
    let md = stdout(cmd(home.path()).args(["export", "Rollout", "--format", "md"]));
    let at = |needle: &str| md.find(needle).unwrap_or_else(|| panic!("{needle}: {md}"));
    assert!(at("## First: overdue and blocked") < at("## Steps"));
    assert!(
        md.contains("| ⊘ blocked | Tenant configured | Licence |  |  | Licence order pending |"),
        "{md}"
    );
    assert!(
        at("| Licence state checked | Licence |")
            < at("| Security team has access | Portal access |")
    );
    assert!(md.contains("| Owner | Due | Reason |"), "{md}");
    assert!(md.contains("2020-03-01 (overdue)"), "{md}");

    let html = stdout(cmd(home.path()).args(["export", "Rollout", "--format", "html"]));
    assert!(
        html.contains("<h2 id=\"first\">First: overdue and blocked</h2>"),
        "{html}"
    );
    assert!(
        html.contains("<th>Owner</th><th>Due</th><th>Reason</th>"),
        "{html}"
    );
    assert!(
        html.contains("<td class=\"blocked\">⊘ blocked</td>"),
        "{html}"
    );

    let json: Value = serde_json::from_str(&stdout(
        cmd(home.path()).args(["export", "Rollout", "--format", "json"]),
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let order: Vec<&str> = json["attention"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["item"].as_str())
        .collect();
    assert_eq!(order, ["licence-state", "access-granted", "tenant"]);
    let tenant = json["steps"][1]["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|i| i["id"] == "tenant")
        .cloned()
        .unwrap_or_default();
    assert_eq!(tenant["state"], "blocked");
    assert_eq!(tenant["reason"], "Licence order pending");
}

// ---------------------------------------------------------------- CSV

#[test]
fn the_task_csv_round_trips_through_a_spreadsheet_edit() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    new_plan(home.path());
    stdout(cmd(home.path()).args(["note", "Rollout", "tenant", "EU tenant"]));
    let csv = stdout(cmd(home.path()).args(["export", "Rollout", "--format", "csv"]));
    // What spreadsheets want: a byte-order mark, CRLF, every cell quoted.
    assert!(
        csv.starts_with("\u{feff}\"Step\",\"Item ID\",\"Title\",\"State\",\"Owner\",\"Due date\",\"Reason\",\"Note\",\"Link\",\"Work Item Type\"\r\n"),
        "{csv}"
    );
    assert!(!csv.replace("\r\n", "").contains('\n'), "CRLF only");
    let rows: Vec<&str> = csv.split("\r\n").filter(|r| !r.is_empty()).collect();
    // Every item of every phase: Phases 2 and 3 are in the task list too
    // (an empty estate asks every one of them).
    let g = catalog()
        .guide("generic-2023")
        .unwrap_or_else(|| panic!("guide"));
    let later: Vec<&str> = g
        .steps
        .iter()
        .filter(|s| s.phase != g.phases[0].id)
        .flat_map(|s| s.items.iter().map(|i| i.id.as_str()))
        .collect();
    assert!(!later.is_empty());
    for id in &later {
        assert!(
            csv.contains(&format!("\"{id}\"")),
            "{id} not in the task list"
        );
    }
    assert_eq!(
        rows.len(),
        1 + 17 + later.len(),
        "a header and one row per item"
    );
    let tenant = rows
        .iter()
        .find(|r| r.contains("\"tenant\""))
        .copied()
        .unwrap_or_default();
    assert!(
        tenant.starts_with("\"Get Microsoft Defender for Endpoint Plan 1 or Plan 2\",\"tenant\",\"Tenant configured\",\"not answered\",\"\",\"\",\"\",\"EU tenant\",\"https://"),
        "{tenant}"
    );

    // Edit two cells: tenant's owner, update-macos's state and due date.
    let edited = csv
        .replace(
            "\"tenant\",\"Tenant configured\",\"not answered\",\"\"",
            "\"tenant\",\"Tenant configured\",\"not answered\",\"Ana\"",
        )
        .replace(
            "\"update-macos\",\"macOS devices updated\",\"not answered\",\"\",\"\"",
            "\"update-macos\",\"macOS devices updated\",\"done\",\"\",\"2027-01-15\"",
        );
    assert_ne!(edited, csv);
    let file = home.path().join("tasks.csv");
    std::fs::write(&file, &edited).unwrap_or_else(|e| panic!("{e}"));
    let out = stdout(
        cmd(home.path())
            .args(["import-tasks", "Rollout"])
            .arg(&file),
    );
    assert!(out.contains("tenant owner: (empty) → \"Ana\""), "{out}");
    assert!(
        out.contains("update-macos state: \"not answered\" → \"done\""),
        "{out}"
    );
    assert!(
        out.contains(&format!("{} rows read; 3 values changed.", rows.len() - 1)),
        "{out}"
    );
    let a = &saved(home.path())["answers"];
    assert_eq!(a["tenant"]["owner"], "Ana");
    assert_eq!(a["tenant"]["note"], "EU tenant");
    assert_eq!(a["update-macos"]["status"], "done");
    assert_eq!(a["update-macos"]["due"], "2027-01-15");
    // The export of the imported plan is the edited file.
    let again = stdout(cmd(home.path()).args(["export", "Rollout", "--format", "csv"]));
    assert_eq!(again, edited);
    // Importing it again changes nothing.
    let before = std::fs::read(plan_file(home.path())).unwrap_or_default();
    let out = stdout(
        cmd(home.path())
            .args(["import-tasks", "Rollout"])
            .arg(&file),
    );
    assert!(out.contains("0 values changed"), "{out}");
    assert_eq!(
        std::fs::read(plan_file(home.path())).unwrap_or_default(),
        before
    );
}

#[test]
fn a_task_import_is_all_or_nothing_naming_rows_and_columns() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    new_plan(home.path());
    let csv = stdout(cmd(home.path()).args(["export", "Rollout", "--format", "csv"]));
    let file = home.path().join("tasks.csv");
    let before = std::fs::read(plan_file(home.path())).unwrap_or_default();
    // A good change on one row, then a bad date: nothing is kept.
    let bad = csv
        .replace(
            "\"tenant\",\"Tenant configured\",\"not answered\",\"\"",
            "\"tenant\",\"Tenant configured\",\"not answered\",\"Ana\"",
        )
        .replace(
            "\"access-granted\",\"Security team has access\",\"not answered\",\"\",\"\"",
            "\"access-granted\",\"Security team has access\",\"not answered\",\"\",\"next Friday\"",
        );
    let row = bad
        .split("\r\n")
        .position(|r| r.contains("access-granted"))
        .map_or(0, |i| i + 1);
    std::fs::write(&file, &bad).unwrap_or_else(|e| panic!("{e}"));
    let err = stderr_of_failure(
        cmd(home.path())
            .args(["import-tasks", "Rollout"])
            .arg(&file),
    );
    assert!(
        err.contains(&format!("row {row}, column \"Due date\""))
            && err.contains("\"next Friday\" is not a date"),
        "{err}"
    );
    assert!(err.contains("nothing changed"), "{err}");
    assert_eq!(
        std::fs::read(plan_file(home.path())).unwrap_or_default(),
        before
    );

    // Blocked without a reason; a state that is none; an answered choice
    // reopened (its answer closes it).
    stdout(cmd(home.path()).args(["set", "Rollout", "licence-route", "trial"]));
    let before = std::fs::read(plan_file(home.path())).unwrap_or_default();
    let csv = stdout(cmd(home.path()).args(["export", "Rollout", "--format", "csv"]));
    let reopened = csv.replace(
        "\"licence-route\",\"How you get licences\",\"done\"",
        "\"licence-route\",\"How you get licences\",\"to do\"",
    );
    assert_ne!(reopened, csv);
    std::fs::write(&file, &reopened).unwrap_or_else(|e| panic!("{e}"));
    let err = stderr_of_failure(
        cmd(home.path())
            .args(["import-tasks", "Rollout"])
            .arg(&file),
    );
    assert!(
        err.contains("column \"State\"") && err.contains("by its answer"),
        "{err}"
    );
    for (cell, column) in [("\"blocked\"", "Reason"), ("\"sort of\"", "State")] {
        let bad = csv.replace(
            "\"tenant\",\"Tenant configured\",\"not answered\"",
            &format!("\"tenant\",\"Tenant configured\",{cell}"),
        );
        std::fs::write(&file, &bad).unwrap_or_else(|e| panic!("{e}"));
        let err = stderr_of_failure(
            cmd(home.path())
                .args(["import-tasks", "Rollout"])
                .arg(&file),
        );
        assert!(err.contains(&format!("column \"{column}\"")), "{err}");
    }
    assert_eq!(
        std::fs::read(plan_file(home.path())).unwrap_or_default(),
        before
    );

    // A row that matches no item is reported with its number; the others
    // still apply.
    let renamed = csv.replace("\"update-ios\"", "\"update-ipados\"").replace(
        "\"tenant\",\"Tenant configured\",\"not answered\",\"\"",
        "\"tenant\",\"Tenant configured\",\"not answered\",\"Ana\"",
    );
    let row = renamed
        .split("\r\n")
        .position(|r| r.contains("update-ipados"))
        .map_or(0, |i| i + 1);
    std::fs::write(&file, &renamed).unwrap_or_else(|e| panic!("{e}"));
    let out = stdout(
        cmd(home.path())
            .args(["import-tasks", "Rollout"])
            .arg(&file),
    );
    assert!(
        out.contains(&format!(
            "Row {row}: no item \"update-ipados\" in guide generic-2023; row left out"
        )),
        "{out}"
    );
    assert!(
        out.contains("1 value changed; 1 row matched no item."),
        "{out}"
    );
    assert_eq!(saved(home.path())["answers"]["tenant"]["owner"], "Ana");

    // Two rows for one item, no Item ID column: refused.
    let twice = format!("{csv}{}\r\n", csv.split("\r\n").nth(1).unwrap_or_default());
    std::fs::write(&file, twice).unwrap_or_else(|e| panic!("{e}"));
    let err = stderr_of_failure(
        cmd(home.path())
            .args(["import-tasks", "Rollout"])
            .arg(&file),
    );
    assert!(
        err.contains("column \"Item ID\"") && err.contains("already"),
        "{err}"
    );
    std::fs::write(&file, "\"Step\",\"Title\"\r\n\"a\",\"b\"\r\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let err = stderr_of_failure(
        cmd(home.path())
            .args(["import-tasks", "Rollout"])
            .arg(&file),
    );
    assert!(err.contains("no \"Item ID\" column"), "{err}");
}

#[test]
fn hostile_text_is_neutralised_in_the_csv_and_cleaned_everywhere() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    new_plan(home.path());
    // Formula-looking text typed by an operator is kept as typed …
    stdout(cmd(home.path()).args([
        "set",
        "Rollout",
        "tenant",
        "--owner",
        "=HYPERLINK(\"http://x\")",
        "--state",
        "blocked",
        "--reason",
        "-1+2",
    ]));
    stdout(cmd(home.path()).args(["note", "Rollout", "tenant", "@SUM(A1)"]));
    stdout(cmd(home.path()).args(["set", "Rollout", "existing-version", "+12"]));
    let csv = stdout(cmd(home.path()).args(["export", "Rollout", "--format", "csv"]));
    // … and written so no spreadsheet runs it.
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{csv}");
    assert!(csv.contains("\"'-1+2\""), "{csv}");
    assert!(csv.contains("\"'@SUM(A1)\""), "{csv}");
    for cell in csv.split(['\r', '\n']).flat_map(|r| r.split("\",\"")) {
        let cell = cell.trim_start_matches(['\u{feff}', '"']);
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t']),
            "{cell:?} in {csv}"
        );
    }
    // Read back: the prefix goes again, nothing changes.
    let file = home.path().join("tasks.csv");
    std::fs::write(&file, &csv).unwrap_or_else(|e| panic!("{e}"));
    let out = stdout(
        cmd(home.path())
            .args(["import-tasks", "Rollout"])
            .arg(&file),
    );
    assert!(out.contains("0 values changed"), "{out}");
    let a = &saved(home.path())["answers"]["tenant"];
    assert_eq!(a["owner"], "=HYPERLINK(\"http://x\")");
    assert_eq!(a["reason"], "-1+2");

    // Escape sequences: refused when typed, cleaned when hand-edited in.
    let err = stderr_of_failure(cmd(home.path()).args([
        "set",
        "Rollout",
        "tenant",
        "--owner",
        "Eve\u{1b}]52;c;ZXZpbA==\u{7}",
    ]));
    assert!(err.contains("control characters"), "{err}");
    let path = plan_file(home.path());
    let text = std::fs::read_to_string(&path).unwrap_or_default().replace(
        "\"reason\": \"-1+2\"",
        "\"reason\": \"Eve\\u001b[2J\\u202ewins\", \"due\": \"2020-01-01\\u001b[31m\"",
    );
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    for args in [
        vec!["status", "Rollout"],
        vec!["status", "Rollout", "--json"],
        vec!["export", "Rollout", "--format", "csv"],
        vec!["export", "Rollout", "--format", "md"],
        vec!["export", "Rollout", "--format", "html"],
        vec!["export", "Rollout", "--format", "json"],
    ] {
        let out = stdout(cmd(home.path()).args(&args));
        assert!(out.contains("Eve"), "{args:?}: {out}");
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{202e}') && !out.contains("\\u001b"),
            "{args:?}: {out}"
        );
    }
    // A CSV cell with an escape sequence is refused with row and column.
    let hostile = csv.replace("\"'-1+2\"", "\"x\u{1b}[2Jy\"");
    std::fs::write(&file, hostile).unwrap_or_else(|e| panic!("{e}"));
    let err = stderr_of_failure(
        cmd(home.path())
            .args(["import-tasks", "Rollout"])
            .arg(&file),
    );
    assert!(
        err.contains("column \"Reason\"") && err.contains("control characters"),
        "{err}"
    );
}

#[test]
fn the_estate_csv_lists_every_system_with_its_gaps() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    new_plan(home.path());
    let inventory = home.path().join("inv.csv");
    std::fs::write(
        &inventory,
        "os,count\r\nWindows 10,120\r\niOS,7\r\nWindows 7 SP1,2\r\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    stdout(cmd(home.path()).args(["import", "Rollout"]).arg(&inventory));
    stdout(cmd(home.path()).args(["set", "Rollout", "licence-route", "owned-p1"]));
    let csv = stdout(cmd(home.path()).args(["export", "Rollout", "--format", "estate-csv"]));
    assert!(
        csv.starts_with("\u{feff}\"System ID\",\"System\",\"Devices\",\"Proxy gaps\",\"Note\"\r\n"),
        "{csv}"
    );
    assert!(
        csv.contains("\"ios\",\"iOS\",\"7\",\"no P1 row\",\"\"\r\n"),
        "{csv}"
    );
    assert!(
        csv.contains("\"win7sp1\",\"Windows 7 SP1\",\"2\",\"no P1 row\",\"\"\r\n"),
        "{csv}"
    );
    assert!(
        csv.contains("\"win10\",\"Windows 10\",\"120\",\"\",\"\"\r\n"),
        "{csv}"
    );
}

// ---------------------------------------------------------------- model

#[test]
fn one_mark_per_state_and_formula_cells_round_trip() {
    let marks: Vec<String> = [
        ItemState::Done,
        ItemState::Todo,
        ItemState::NotApplicable,
        ItemState::Blocked,
        ItemState::Waiting,
        ItemState::Unanswered,
    ]
    .iter()
    .map(|s| s.label())
    .collect();
    assert_eq!(
        marks,
        [
            "✓ done",
            "○ to do",
            "– not applicable",
            "⊘ blocked",
            "… waiting",
            "? not answered"
        ]
    );
    for cell in ["=1+1", "+1", "-1", "@x", "\tx", "\rx", "plain", "'quoted"] {
        assert_eq!(
            task_csv::restore(&task_csv::neutralise(cell)),
            cell,
            "{cell:?}"
        );
    }
    assert_eq!(task_csv::neutralise("=1"), "'=1");
    assert_eq!(task_csv::neutralise("a=1"), "a=1");
}

#[test]
fn overdue_is_measured_against_the_clock_passed_in() {
    let guide = catalog()
        .guide("generic-2023")
        .unwrap_or_else(|| panic!("guide"));
    let mut p = plan("generic-2023");
    p.set_due("tenant", "2026-12-01", NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    let (_, tenant) = guide.item("tenant").unwrap_or_else(|| panic!("tenant"));
    assert!(
        !p.is_overdue(guide, tenant, "2026-12-01T23:59:59Z"),
        "due today is not late"
    );
    assert!(p.is_overdue(guide, tenant, "2026-12-02T00:00:00Z"));
    assert!(!p.is_overdue(guide, tenant, "not a time"));
    p.set_state(guide, "tenant", Status::NotApplicable, "No tenant", NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !p.is_overdue(guide, tenant, "2027-01-01"),
        "closed items are not late"
    );
    assert_eq!(
        p.set_state(guide, "tenant", Status::Blocked, "  ", NOW)
            .map_err(|e| e.to_string()),
        Err("marking \"tenant\" blocked needs a reason: say why".into())
    );
}

// ---------------------------------------------------------------- wizard

fn wizard_on_tenant() -> mde_migrate::wizard::Wizard {
    let mut w = wizard_with(plan("generic-2023"));
    // Licence: licence-route, licence-state, tenant.
    press(
        &mut w,
        &[
            Action::NextStep,
            Action::NextStep,
            Action::Down,
            Action::Down,
        ],
    );
    assert_eq!(w.screen, Screen::Step(1));
    w
}

fn answer_of(w: &mde_migrate::wizard::Wizard, id: &str) -> mde_migrate::plan::Answer {
    w.open
        .as_ref()
        .and_then(|o| o.plan.answer(id).cloned())
        .unwrap_or_default()
}

fn typed(s: &str) -> Vec<Action> {
    s.chars().map(Action::Char).collect()
}

#[test]
fn wizard_keys_set_state_owner_and_due_date() {
    let mut w = wizard_on_tenant();
    for (c, action) in [
        ('t', Action::State),
        ('w', Action::Owner),
        ('d', Action::Due),
    ] {
        assert_eq!(
            mde_migrate::wizard::keys::action_for(
                mde_migrate::wizard::Key::Char(c),
                w.context(),
                true
            ),
            Some(action)
        );
    }

    // t: the states; blocked asks why, and Enter on no reason keeps asking.
    press(&mut w, &[Action::State]);
    assert!(
        matches!(w.modal, Some(Modal::State { .. })),
        "{:?}",
        w.modal
    );
    press(&mut w, &[Action::Down, Action::Down, Action::Down]);
    assert_eq!(press(&mut w, &[Action::Select]), vec![]);
    assert!(matches!(w.modal, Some(Modal::Text { .. })), "{:?}", w.modal);
    assert_eq!(press(&mut w, &[Action::Select]), vec![]);
    assert!(
        w.message
            .as_deref()
            .is_some_and(|m| m.contains("reason is needed")),
        "{:?}",
        w.message
    );
    assert!(matches!(w.modal, Some(Modal::Text { .. })));
    press(&mut w, &typed("Licence order pending"));
    assert_eq!(press(&mut w, &[Action::Select]), vec![Effect::Save]);
    let a = answer_of(&w, "tenant");
    assert_eq!(
        (a.status, a.reason.as_str()),
        (Some(Status::Blocked), "Licence order pending")
    );

    // t again, Esc: nothing changes.
    press(&mut w, &[Action::State, Action::Home, Action::Back]);
    assert!(w.modal.is_none());
    assert_eq!(answer_of(&w, "tenant").status, Some(Status::Blocked));

    // Waiting takes no reason if none is given.
    press(&mut w, &[Action::State, Action::End, Action::Select]);
    press(&mut w, &[Action::ClearField, Action::Select]);
    assert_eq!(answer_of(&w, "tenant").status, Some(Status::Waiting));

    // w: the owner; Esc cancels, Enter keeps.
    press(&mut w, &[Action::Owner]);
    press(&mut w, &typed("Ana"));
    press(&mut w, &[Action::Back]);
    assert_eq!(answer_of(&w, "tenant").owner, "");
    press(&mut w, &[Action::Owner]);
    press(&mut w, &typed("Ana"));
    assert_eq!(press(&mut w, &[Action::Select]), vec![Effect::Save]);
    assert_eq!(answer_of(&w, "tenant").owner, "Ana");

    // d: a wrong date keeps the box open, naming it; a right one is kept.
    press(&mut w, &[Action::Due]);
    press(&mut w, &typed("2027-02-30"));
    assert_eq!(press(&mut w, &[Action::Select]), vec![]);
    assert!(
        w.message
            .as_deref()
            .is_some_and(|m| m.contains("\"2027-02-30\" is not a date")),
        "{:?}",
        w.message
    );
    assert!(matches!(w.modal, Some(Modal::Text { .. })));
    press(&mut w, &[Action::ClearField]);
    press(&mut w, &typed("2026-11-01"));
    assert_eq!(press(&mut w, &[Action::Select]), vec![Effect::Save]);
    assert_eq!(answer_of(&w, "tenant").due.as_deref(), Some("2026-11-01"));
    // The details say it all, with the one vocabulary of marks.
    let text = render(&w, 120, 40);
    assert!(text.contains("Status: … waiting"), "{text}");
    assert!(text.contains("Owner: Ana"), "{text}");
    assert!(text.contains("Due: 2026-11-01 · overdue"), "{text}");
}

#[test]
fn a_choice_marked_not_applicable_asks_why() {
    let mut w = wizard_with(plan("generic-2023"));
    press(
        &mut w,
        &[Action::NextStep, Action::NextStep, Action::Select],
    );
    assert!(matches!(w.modal, Some(Modal::Choice { .. })));
    press(&mut w, &[Action::NotApplicable]);
    assert!(matches!(w.modal, Some(Modal::Text { .. })), "{:?}", w.modal);
    press(&mut w, &typed("Licences come with the group contract"));
    assert_eq!(press(&mut w, &[Action::Select]), vec![Effect::Save]);
    let a = answer_of(&w, "licence-route");
    assert_eq!(a.status, Some(Status::NotApplicable));
    assert_eq!(a.reason, "Licences come with the group contract");
}

#[test]
fn the_summary_lists_overdue_and_blocked_items_first_80x24() {
    let guide = catalog()
        .guide("generic-2023")
        .unwrap_or_else(|| panic!("guide"));
    let mut p = plan("generic-2023");
    let ok = |r: Result<(), mde_migrate::plan::PlanError>| r.unwrap_or_else(|e| panic!("{e}"));
    ok(p.set_state(
        guide,
        "tenant",
        Status::Blocked,
        "Licence order pending",
        NOW,
    ));
    ok(p.set_due("access-granted", "2026-11-20", NOW));
    ok(p.set_owner("access-granted", "Security lead", NOW));
    ok(p.set_due("update-linux", "2027-06-30", NOW));
    ok(p.set_state(guide, "update-ios", Status::Waiting, "", NOW));
    let mut w = wizard_with(p);
    // The summary comes after the three phases: the overview's last row.
    to_summary(&mut w);
    assert_eq!(w.screen, Screen::Summary);
    let text = render(&w, 80, 24);
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle}: {text}"))
    };
    assert!(at("? overdue 2026-11-20 · Portal access") < at("⊘ blocked · Licence: Tenant"));
    assert!(at("⊘ blocked · Licence: Tenant") < at("? Updates: Its version"));
    assert!(
        text.contains("Still open, overdue and blocked first:"),
        "{text}"
    );
    insta::assert_snapshot!("summary_overdue_and_blocked_80x24", text);
    // Enter on the first row goes to the overdue item.
    press(&mut w, &[Action::Home, Action::Select]);
    assert_eq!(w.screen, Screen::Step(2));
}

// ---------------------------------------------------------------- plain mode

#[test]
fn plain_mode_sets_state_owner_and_due_date() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    new_plan(home.path());
    let input = [
        "",  // the plan
        "t", // state of "Product in use today"
        "3", // blocked
        "",  // no reason: refused
        "t",
        "3",
        "Vendor name not confirmed",
        "w",
        "=Ana",
        "d",
        "2027-13-01", // refused, named
        "d",
        "2027-01-15",
        "r",
        "q",
    ]
    .join("\n")
        + "\n";
    let out = cmd(home.path())
        .env("TERM", "xterm-256color")
        .env_remove("DISPLAY")
        .arg("--plain")
        .write_stdin(input)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{text}");
    assert!(text.contains("States: 1 ○ open"), "{text}");
    assert!(
        text.contains("Not changed: marking \"existing-product\" blocked needs a reason"),
        "{text}"
    );
    assert!(text.contains("Saved. Now: ⊘ blocked."), "{text}");
    assert!(text.contains("\"2027-13-01\" is not a date"), "{text}");
    // Said again with the item: reason, owner, due date.
    assert!(
        text.contains("Reason: Vendor name not confirmed\nOwner: =Ana\nDue: 2027-01-15\n"),
        "{text}"
    );
    let a = &saved(home.path())["answers"]["existing-product"];
    assert_eq!(a["status"], "blocked");
    assert_eq!(a["reason"], "Vendor name not confirmed");
    assert_eq!(a["owner"], "=Ana");
    assert_eq!(a["due"], "2027-01-15");
}

#[test]
fn the_proxy_review_takes_a_state_owner_and_due_date_too() {
    let mut w = wizard_with(plan("generic-2023"));
    for _ in 0..4 {
        press(&mut w, &[Action::NextStep]);
    }
    assert_eq!(w.screen, Screen::Step(3));
    press(&mut w, &[Action::State]);
    assert!(
        matches!(w.modal, Some(Modal::State { .. })),
        "{:?}",
        w.modal
    );
    // Open, n/a, blocked, waiting: the review is not a task.
    press(&mut w, &[Action::Down, Action::Down, Action::Select]);
    press(&mut w, &typed("Proxy team on leave"));
    assert_eq!(press(&mut w, &[Action::Select]), vec![Effect::Save]);
    press(&mut w, &[Action::Owner]);
    press(&mut w, &typed("Network team"));
    press(&mut w, &[Action::Select]);
    let a = answer_of(&w, "proxy-guides");
    assert_eq!(
        (a.status, a.reason.as_str(), a.owner.as_str()),
        (Some(Status::Blocked), "Proxy team on leave", "Network team")
    );
    let text = render(&w, 120, 40);
    assert!(text.contains("Review: ⊘ blocked"), "{text}");
    assert!(text.contains("Reason: Proxy team on leave"), "{text}");
    assert!(text.contains("Owner: Network team"), "{text}");
}

#[test]
fn hostile_owner_and_reason_from_a_plan_file_are_shown_harmlessly() {
    let mut p = plan("generic-2023");
    let a = p.answers.entry("tenant".into()).or_default();
    a.status = Some(Status::Blocked);
    a.owner = "Eve\u{1b}]52;c;ZXZpbA==\u{7}".into();
    a.reason = "\u{1b}[2Jwiped\u{202e}".into();
    a.due = Some("2020-01-01\u{1b}[31m".into());
    let mut w = wizard_with(p);
    // The licence step with tenant focused, then the summary.
    press(
        &mut w,
        &[
            Action::NextStep,
            Action::NextStep,
            Action::Down,
            Action::Down,
        ],
    );
    let step = render(&w, 120, 40);
    to_summary(&mut w);
    let summary = render(&w, 120, 40);
    assert!(step.contains("Owner: Eve"), "{step}");
    assert!(
        summary.contains("⊘ blocked · Licence: Tenant configured"),
        "{summary}"
    );
    for text in [&step, &summary] {
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{202e}'),
            "{text}"
        );
    }
    assert!(
        step.contains("Reason: [2Jwiped") || step.contains("Reason: wiped"),
        "{step}"
    );
}

#[test]
fn plain_mode_summary_lists_overdue_and_blocked_items_first() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    plan_with_attention(home.path());
    let out = cmd(home.path())
        .env("TERM", "xterm-256color")
        .env_remove("DISPLAY")
        .arg("--plain")
        .write_stdin("\ns\nq\n")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{text}");
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle}: {text}"))
    };
    assert!(
        at("First, overdue and blocked:")
            < at("? not answered · overdue, due 2020-01-10 · Licence state checked")
    );
    assert!(
        at("overdue, due 2020-01-10 · Licence state checked")
            < at("overdue, due 2020-03-01 · Security team has access (owner: Security lead)")
    );
    assert!(
        at("overdue, due 2020-03-01") < at("⊘ blocked · Tenant configured: Licence order pending")
    );
}
