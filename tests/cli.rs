//! The command line: every subcommand on a real plans folder, JSON shapes
//! the README documents, and bad input as one-line errors with a non-zero
//! exit code.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn cmd(home: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("mde-migrate").unwrap_or_else(|e| panic!("{e}"));
    c.env("MDE_MIGRATE_HOME", home).env_remove("ACCESSIBLE");
    c
}

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(out)))
}

/// One line on stderr, naming the problem; non-zero exit.
fn fails_with(c: &mut Command, needle: &str) {
    let out = c.output().unwrap_or_else(|e| panic!("{e}"));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("mde-migrate: "), "{err}");
    assert!(err.contains(needle), "{err:?} should mention {needle:?}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
}

#[test]
fn create_answer_and_read_back_a_plan() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    cmd(home.path())
        .args([
            "new",
            "--name",
            "Contoso rollout",
            "--org",
            "Contoso",
            "--replacing",
            "Symantec Endpoint Protection",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("symantec-2021"));
    cmd(home.path())
        .args(["set", "Contoso rollout", "licence-state", "done"])
        .assert()
        .success();
    cmd(home.path())
        .args(["set", "contoso rollout", "licence-route", "trial"])
        .assert()
        .success();
    cmd(home.path())
        .args(["note", "Contoso rollout", "tenant", "EU data location"])
        .assert()
        .success();
    let out = cmd(home.path())
        .args(["status", "Contoso rollout", "--json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let s = json(&out.stdout);
    assert_eq!(s["name"], "Contoso rollout");
    assert_eq!(s["organisation"], "Contoso");
    assert_eq!(s["guide"], "symantec-2021");
    assert_eq!(s["progress"]["done"], 2);
    assert!(s["progress"]["total"].as_u64().unwrap_or(0) >= 8);
    // Every step of the three phases: 3 + 6 + 4, each with its phase.
    assert_eq!(s["steps"].as_array().map(Vec::len), Some(13));
    assert_eq!(s["steps"][2]["phase"], "prepare");
    assert_eq!(s["steps"][3]["phase"], "setup");
    assert_eq!(s["steps"][12]["phase"], "onboard");
    let phases = s["phases"].as_array().cloned().unwrap_or_default();
    assert_eq!(phases.len(), 3);
    assert_eq!(phases[0]["done"], 2);
    assert_eq!(phases[1]["done"], 0);
    let licence = &s["steps"][0];
    assert_eq!(licence["id"], "licence");
    let items = licence["items"].as_array().cloned().unwrap_or_default();
    let state = |id: &str| {
        items
            .iter()
            .find(|i| i["id"] == id)
            .map(|i| i["state"].clone())
    };
    assert_eq!(state("licence-state"), Some(Value::from("done")));
    assert_eq!(state("licence-route"), Some(Value::from("done")));
    assert_eq!(
        items
            .iter()
            .find(|i| i["id"] == "tenant")
            .map(|i| i["note"].clone()),
        Some(Value::from("EU data location"))
    );
    assert!(s["position"].is_object());
    // Text status shows the item ids scripts need.
    cmd(home.path())
        .args(["status", "Contoso rollout"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("licence-state")
                .and(predicate::str::contains("45%").or(predicate::str::contains("%"))),
        );
    let out = cmd(home.path())
        .args(["plans", "--json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(json(&out.stdout)[0]["name"], "Contoso rollout");
}

#[test]
fn lookup_json_has_the_documented_shape() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = cmd(home.path())
        .args(["lookup", "--os", "server 2016", "--plan", "p2", "--json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success());
    let rows = json(&out.stdout);
    let row = &rows[0];
    assert_eq!(row["guide"], "generic-2023");
    assert_eq!(row["plan"], "P2");
    assert_eq!(row["capability"], Value::Null);
    assert_eq!(row["os"], "Windows Server 2016");
    assert_eq!(
        row["resources"][0]["url"],
        "https://learn.microsoft.com/microsoft-365/security/defender-endpoint/configure-proxy-internet"
    );
    assert!(
        row["footnotes"][0]
            .as_str()
            .unwrap_or("")
            .contains("unified solution")
    );
    let out = cmd(home.path())
        .args([
            "lookup",
            "--os",
            "Ubuntu 20.04",
            "--capability",
            "antivirus",
            "--json",
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    // Both capability guides answer, each in its own row.
    let rows = json(&out.stdout);
    let guides: Vec<&str> = rows
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["guide"].as_str())
        .collect();
    assert_eq!(guides, ["mcafee-2021", "symantec-2021"]);
    for row in rows.as_array().into_iter().flatten() {
        assert_eq!(row["capability"], "Antivirus");
        assert_eq!(row["plan"], Value::Null);
    }
}

#[test]
fn links_lists_every_catalog_link() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = cmd(home.path())
        .args(["links", "--json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let rows = json(&out.stdout);
    let rows = rows.as_array().cloned().unwrap_or_default();
    assert!(rows.len() > 60, "{}", rows.len());
    assert!(
        rows.iter()
            .all(|r| r["url"].as_str().is_some_and(|u| u.starts_with("https://")))
    );
    assert!(
        rows.iter()
            .any(|r| r["guide"] == "symantec-2021" && r["url"] == "https://aka.ms/MDATPportal")
    );
}

#[test]
fn import_and_export() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    cmd(home.path())
        .args(["new", "--name", "Estate"])
        .assert()
        .success();
    let csv = format!(
        "{}/tests/fixtures/estate/counts.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    cmd(home.path())
        .args(["import", "Estate", &csv])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("136 devices")
                .and(predicate::str::contains("Windows Server 2016")),
        );
    let out = cmd(home.path())
        .args(["export", "Estate", "--format", "json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let r = json(&out.stdout);
    assert_eq!(r["estate"]["devices"], 136);
    assert_eq!(r["estate"]["servers"], 4);
    let html = home.path().join("estate.html");
    cmd(home.path())
        .args(["export", "Estate", "-f", "html", "-o"])
        .arg(&html)
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(&html)
            .unwrap_or_default()
            .starts_with("<!doctype html>")
    );
    fails_with(
        cmd(home.path()).args(["import", "Estate", "/nonexistent/devices.csv"]),
        "/nonexistent/devices.csv",
    );
}

#[test]
fn bad_input_is_one_clear_line_and_a_non_zero_exit() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    cmd(home.path())
        .args(["new", "--name", "Real plan"])
        .assert()
        .success();
    fails_with(
        cmd(home.path()).args(["status", "No such plan"]),
        "No such plan",
    );
    fails_with(
        cmd(home.path()).args(["status", "No such plan"]),
        "Real plan",
    );
    fails_with(
        cmd(home.path()).args(["lookup", "--os", "Solaris 11"]),
        "Solaris 11",
    );
    fails_with(
        cmd(home.path()).args(["lookup", "--os", "Windows"]),
        "Windows 10",
    );
    fails_with(
        cmd(home.path()).args(["new", "--name", "x", "--guide", "mcafee-2022"]),
        "mcafee-2022",
    );
    fails_with(
        cmd(home.path()).args(["links", "--guide", "nope"]),
        "generic-2023",
    );
    fails_with(
        cmd(home.path()).args(["set", "Real plan", "no-such-item", "done"]),
        "no-such-item",
    );
    fails_with(
        cmd(home.path()).args(["set", "Real plan", "licence-route", "free"]),
        "m365-e5",
    );
    fails_with(
        cmd(home.path()).args(["set", "Real plan", "tenant", "maybe"]),
        "todo, done, n/a",
    );
    fails_with(
        cmd(home.path()).args(["note", "Real plan", "nope", "text"]),
        "nope",
    );
    fails_with(cmd(home.path()).args(["new", "--name", ""]), "empty");
    fails_with(
        cmd(home.path()).args(["new", "--name", "Real plan"]),
        "already exists",
    );
    // A missing plans folder, for commands that only read.
    let missing = home.path().join("not-there");
    fails_with(cmd(&missing).args(["plans"]), "not-there");
    fails_with(cmd(&missing).args(["status", "x"]), "not-there");
}

#[test]
fn an_unreadable_plan_file_is_named() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        home.path().join("broken-00000000.json"),
        "{\"schema_version\": 1, \"name\": \"Bro",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    cmd(home.path())
        .args(["new", "--name", "Fine"])
        .assert()
        .success();
    // Listing still works and reports the broken file.
    cmd(home.path())
        .args(["plans"])
        .assert()
        .success()
        .stdout(predicate::str::contains("BROKEN").and(predicate::str::contains("Fine")));
    fails_with(
        cmd(home.path()).args(["status", "broken-00000000"]),
        "broken-00000000.json",
    );
}

#[test]
fn hostile_text_in_a_plan_file_is_shown_harmlessly() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    cmd(home.path())
        .args(["new", "--name", "Hostile"])
        .assert()
        .success();
    let path = std::fs::read_dir(home.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .unwrap_or_else(|| panic!("file"));
    let mut plan: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"));
    plan["organisation"] = Value::from("Org \u{1b}]52;c;ZXZpbA==\u{7} \u{1b}[2J \u{202e}evil");
    plan["answers"]["tenant"] =
        serde_json::json!({"status": "done", "note": "note \u{1b}[31mred\u{1b}[0m", "updated": ""});
    std::fs::write(&path, serde_json::to_string(&plan).unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"));
    for args in [
        vec!["status", "Hostile"],
        vec!["status", "Hostile", "--json"],
        vec!["plans"],
        vec!["export", "Hostile"],
    ] {
        let out = cmd(home.path())
            .args(&args)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        for bad in ['\u{1b}', '\u{7}', '\u{202e}'] {
            assert!(!text.contains(bad), "{args:?}: {bad:?} in {text}");
        }
    }
}

#[test]
fn names_that_look_like_paths_stay_in_the_folder() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for name in ["../../etc/passwd", "a/b", "CON", "..", "plan"] {
        cmd(home.path())
            .args(["new", "--name", name])
            .assert()
            .success();
    }
    let files: Vec<_> = std::fs::read_dir(home.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .collect();
    assert_eq!(files.len(), 5);
    assert!(
        !home
            .path()
            .parent()
            .unwrap_or(home.path())
            .join("etc")
            .exists()
    );
    cmd(home.path())
        .args(["status", "../../etc/passwd"])
        .assert()
        .success()
        .stdout(predicate::str::contains("../../etc/passwd"));
}

#[test]
fn without_a_terminal_the_wizard_says_so() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = cmd(home.path())
        .env("TERM", "xterm")
        .write_stdin("")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains("needs a terminal") && err.contains("--plain") && err.contains("status"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn help_version_completions_and_manpage() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    cmd(home.path())
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("lookup"));
    cmd(home.path())
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::contains(env!("CARGO_PKG_VERSION")));
    cmd(home.path())
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("mde-migrate"));
    cmd(home.path())
        .args(["manpage"])
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH"));
}

/// A plan named "Busy" in a fresh folder; returns the folder and its id.
fn busy_plan() -> (tempfile::TempDir, String) {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    cmd(home.path())
        .args(["new", "--name", "Busy"])
        .assert()
        .success();
    let id = std::fs::read_dir(home.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .find_map(|n| n.strip_suffix(".json").map(str::to_string))
        .unwrap_or_else(|| panic!("no plan file"));
    (home, id)
}

/// Hold the plan's lock from this test process, recording `record` in the
/// sidecar as a holder would.
fn hold_lock(home: &std::path::Path, id: &str, record: &str) -> std::fs::File {
    let path = home.join(format!("{id}.lock"));
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(&path)
        .unwrap_or_else(|e| panic!("{e}"));
    f.try_lock().unwrap_or_else(|e| panic!("{e}"));
    std::io::Write::write_all(&mut f, record.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    f
}

#[test]
fn parallel_command_line_writers_wait_for_each_other() {
    let (home, id) = busy_plan();
    let items = [
        "licence-route",
        "licence-state",
        "tenant",
        "proxy-in-use",
        "access-model",
        "access-granted",
        "existing-product",
        "existing-version",
    ];
    let children: Vec<_> = items
        .iter()
        .map(|item| {
            let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("mde-migrate"));
            c.env("MDE_MIGRATE_HOME", home.path())
                .args([
                    "--wait",
                    "30",
                    "note",
                    &id,
                    item,
                    &format!("note on {item}"),
                ])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            c.spawn().unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = cmd(home.path())
        .args(["status", &id, "--json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    for item in items {
        assert!(
            text.contains(&format!("note on {item}")),
            "{item} lost: {text}"
        );
    }
}

#[test]
fn a_writer_waits_while_another_command_holds_the_plan() {
    let (home, id) = busy_plan();
    let held = hold_lock(home.path(), &id, "4242 cli\n");
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("mde-migrate"))
        .env("MDE_MIGRATE_HOME", home.path())
        .args(["set", &id, "licence-state", "done", "--wait", "60"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    // Give the writer time to find the plan busy; it must then keep trying.
    std::thread::sleep(std::time::Duration::from_millis(300));
    drop(held);
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // With --wait 0 the busy plan is refused at once, naming the process.
    let _held = hold_lock(home.path(), &id, "4242 cli\n");
    fails_with(
        cmd(home.path()).args(["--wait", "0", "note", &id, "tenant", "x"]),
        "another mde-migrate command (process 4242)",
    );
    cmd(home.path())
        .args(["--wait", "soon", "note", &id, "tenant", "x"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "\"soon\" is not a number of seconds",
        ));
}

#[test]
fn a_plan_open_in_the_wizard_is_refused_at_once_naming_its_process() {
    let (home, id) = busy_plan();
    let _held = hold_lock(home.path(), &id, "4242 wizard\n");
    // An hour's wait would time this test out: the refusal must not wait.
    let out = cmd(home.path())
        .args(["--wait", "3600", "set", &id, "licence-state", "done"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is open in another mde-migrate (process 4242)"),
        "{err}"
    );
    assert!(err.contains("close it there first"), "{err}");
}

#[test]
fn lookup_reads_every_plan_spelling_and_names_systems_without_a_row() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for spelling in [
        "p2",
        "P2",
        "Plan 2",
        "plan2",
        "Defender for Endpoint Plan 2",
    ] {
        let out = cmd(home.path())
            .args(["lookup", "--os", "Windows 10", "--plan", spelling, "--json"])
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            out.status.success(),
            "{spelling}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let rows = json(&out.stdout);
        assert_eq!(rows[0]["plan"], "P2", "{spelling}");
    }
    cmd(home.path())
        .args(["lookup", "--os", "Windows 10", "--plan", "Plan 3"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "is not a Defender for Endpoint plan",
        ));
    let out = cmd(home.path())
        .args(["lookup", "--os", "iOS"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(!err.contains("unknown operating system"), "{err}");
    assert!(err.contains("iOS is known to guide"), "{err}");
    assert!(err.contains("has no row for it"), "{err}");
    // Close matches: the closest first.
    fails_with(
        cmd(home.path()).args(["lookup", "--os", "Windows 12"]),
        "close matches, closest first: Windows 11 | Windows 10 |",
    );
}

#[test]
fn writers_say_what_they_stored_and_typos_get_did_you_mean() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    cmd(home.path())
        .args([
            "new",
            "--name",
            "Contoso rollout",
            "--replacing",
            "Symantec",
        ])
        .assert()
        .success();
    // Typed in capitals, stored as the option id: say what was stored.
    cmd(home.path())
        .args(["set", "Contoso rollout", "licence-route", "TRIAL"])
        .assert()
        .success()
        .stdout("licence-route = trial (Free trial)\n");
    cmd(home.path())
        .args(["set", "Contoso rollout", "tenant", "N/A"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("needs a reason"));
    cmd(home.path())
        .args([
            "set",
            "Contoso rollout",
            "tenant",
            "N/A",
            "--reason",
            "No tenant here",
        ])
        .assert()
        .success()
        .stdout("tenant = n/a\n  reason: No tenant here\n");
    cmd(home.path())
        .args(["note", "Contoso rollout", "tenant", "EU"])
        .assert()
        .success()
        .stdout(predicate::str::contains("saved"));
    cmd(home.path())
        .args(["note", "Contoso rollout", "tenant", ""])
        .assert()
        .success()
        .stdout("Note on tenant removed.\n");
    fails_with(
        cmd(home.path()).args(["set", "Contoso rolout", "tenant", "done"]),
        "no plan named \"Contoso rolout\" (did you mean \"Contoso rollout\"?)",
    );
    fails_with(
        cmd(home.path()).args(["set", "Contoso rollout", "licence-rout", "trial"]),
        "unknown item \"licence-rout\" in guide symantec-2021 (did you mean \"licence-route\"?)",
    );
    fails_with(
        cmd(home.path()).args(["note", "Contoso rollout", "tenent", "x"]),
        "(did you mean \"tenant\"?)",
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::Read as _;
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    cmd(home.path())
        .args(["new", "--name", "Long", "--replacing", "Symantec"])
        .assert()
        .success();
    // More output than a pipe holds (64 KiB), so the writer meets the
    // closed pipe: a hand-written 300 KB note.
    let file = std::fs::read_dir(home.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .unwrap_or_else(|| panic!("no plan file"));
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}"));
    let mut plan: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    plan["answers"]["tenant"] =
        serde_json::json!({"status": "done", "note": "word ".repeat(60_000)});
    std::fs::write(&file, plan.to_string()).unwrap_or_else(|e| panic!("{e}"));
    for args in [
        vec!["status", "Long"],
        vec!["status", "Long", "--json"],
        vec!["export", "Long", "-f", "md"],
        vec!["export", "Long", "-f", "json"],
    ] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("mde-migrate"))
            .env("MDE_MIGRATE_HOME", home.path())
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        // Read one byte, then close the pipe, as `| head -c1` does.
        let mut first = [0u8; 1];
        if let Some(mut out) = child.stdout.take() {
            out.read_exact(&mut first).unwrap_or_else(|e| panic!("{e}"));
        }
        let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.is_empty(), "{args:?}: {err}");
        assert!(out.status.success(), "{args:?}: {:?}", out.status);
    }
}

#[test]
fn status_names_the_estate_systems_with_their_counts() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    cmd(home.path())
        .args(["new", "--name", "Counted", "--replacing", "Symantec"])
        .assert()
        .success();
    let csv = home.path().join("devices.csv");
    std::fs::write(&csv, "os,count\nWindows 10,120\nmacOS 10.14,10\n")
        .unwrap_or_else(|e| panic!("{e}"));
    cmd(home.path())
        .args(["import", "Counted", &csv.to_string_lossy()])
        .assert()
        .success();
    let out = cmd(home.path())
        .args(["status", "Counted"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    let estate = text
        .lines()
        .find(|l| l.contains(" estate "))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(estate.contains("Windows 10 (120)"), "{estate}");
    assert!(estate.contains("(10)"), "{estate}");
    assert!(!estate.contains("win10"), "{estate}");
}

fn plan_file(home: &std::path::Path) -> Value {
    let path = std::fs::read_dir(home)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .unwrap_or_else(|| panic!("no plan file"));
    json(&std::fs::read(path).unwrap_or_else(|e| panic!("{e}")))
}

#[test]
fn roles_can_be_listed_added_from_a_template_and_removed() {
    use mde_migrate::plan::Role;
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let h = home.path();
    cmd(h).args(["new", "--name", "Roles"]).assert().success();
    // The error that used to point nowhere names the commands that exist.
    fails_with(
        cmd(h).args(["set", "Roles", "roles", "x"]),
        "mde-migrate roles PLAN list|add|remove",
    );
    cmd(h)
        .args(["roles", "Roles", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("none yet"))
        .stdout(predicate::str::contains("tier-2"));
    // From a template: the role the wizard and plain mode start from.
    let catalog = mde_migrate::catalog::Catalog::embedded().unwrap_or_else(|e| panic!("{e}"));
    let template = catalog
        .common
        .role_templates
        .iter()
        .find(|t| t.id == "tier-2")
        .unwrap_or_else(|| panic!("tier-2"));
    let expected = Role::from_template(template);
    cmd(h)
        .args(["roles", "Roles", "add", "--template", "tier-2"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Role 1 added"))
        .stdout(predicate::str::contains(&template.name));
    let p = plan_file(h);
    assert_eq!(p["roles"][0]["name"], expected.name.as_str());
    assert_eq!(p["roles"][0]["group"], expected.group.as_str());
    let perms: Vec<&str> = p["roles"][0]["permissions"]
        .as_array()
        .unwrap_or_else(|| panic!("{p}"))
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let want: Vec<&str> = expected.permissions.iter().map(String::as_str).collect();
    assert_eq!(perms, want);
    // Options change what the template gives.
    cmd(h)
        .args([
            "roles",
            "Roles",
            "add",
            "--template",
            "Read-only",
            "--name",
            "Helpdesk",
            "--group",
            "sg-helpdesk",
            "--permission",
            "live-response-basic",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Role 2 added: \"Helpdesk\", directory group \"sg-helpdesk\"",
        ));
    let out = cmd(h)
        .args(["roles", "Roles", "list", "--json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success());
    let v = json(&out.stdout);
    assert_eq!(v["roles"][1]["name"], "Helpdesk");
    assert_eq!(v["roles"][1]["group"], "sg-helpdesk");
    assert!(
        v["roles"][1]["permissions"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x == "live-response-basic"))
    );
    assert!(v["templates"].as_array().is_some_and(|t| t.len() >= 6));
    // Mistakes: one line, did you mean, nothing changed.
    fails_with(
        cmd(h).args(["roles", "Roles", "add", "--template", "admin"]),
        "did you mean \"administrator\"",
    );
    fails_with(
        cmd(h).args([
            "roles",
            "Roles",
            "add",
            "--name",
            "X",
            "--permission",
            "view-secop",
        ]),
        "did you mean \"view-secops\"",
    );
    fails_with(cmd(h).args(["roles", "Roles", "add"]), "--template ID");
    fails_with(
        cmd(h).args(["roles", "Roles", "remove", "7"]),
        "no role number 7",
    );
    fails_with(
        cmd(h).args(["roles", "Roles", "remove", "Helpdek"]),
        "did you mean \"Helpdesk\"",
    );
    assert_eq!(plan_file(h)["roles"].as_array().map(Vec::len), Some(2));
    // Remove by name (any case) or number.
    cmd(h)
        .args(["roles", "Roles", "remove", "helpdesk"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Role 2 removed: \"Helpdesk\". 1 role(s) left.",
        ));
    cmd(h)
        .args(["roles", "Roles", "remove", "1"])
        .assert()
        .success();
    assert_eq!(plan_file(h)["roles"].as_array().map(Vec::len), Some(0));
}

#[test]
fn proxy_guides_can_be_listed_and_marked_reviewed() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let h = home.path();
    cmd(h).args(["new", "--name", "Proxy"]).assert().success();
    fails_with(
        cmd(h).args(["set", "Proxy", "proxy-guides", "x"]),
        "mde-migrate review PLAN",
    );
    cmd(h)
        .args(["review", "Proxy"])
        .assert()
        .success()
        .stdout(predicate::str::contains("No proxy guide applies yet"));
    fails_with(
        cmd(h).args(["review", "Proxy", "1"]),
        "no proxy guide applies",
    );
    let csv = h.join("estate.csv");
    std::fs::write(
        &csv,
        "os,count\nWindows 10,120\nWindows Server 2016,4\nWindows 7 SP1,2\nmacOS,10\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    cmd(h)
        .arg("import")
        .arg("Proxy")
        .arg(&csv)
        .assert()
        .success();
    cmd(h)
        .args(["set", "Proxy", "licence-route", "m365-e5"])
        .assert()
        .success();
    let out = cmd(h)
        .args(["review", "Proxy", "--json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let rows = json(&out.stdout);
    let rows = rows.as_array().unwrap_or_else(|| panic!("{rows}"));
    assert!(rows.len() >= 2, "{rows:?}");
    assert!(rows.iter().all(|r| r["reviewed"] == false));
    let first = rows[0]["id"].as_str().unwrap_or_default().to_string();
    let second = rows[1]["id"].as_str().unwrap_or_default().to_string();
    // By number and by id; a wrong one refuses the whole command.
    fails_with(
        cmd(h).args(["review", "Proxy", "1", "99"]),
        "\"99\" is not one of",
    );
    assert!(
        plan_file(h)["reviewed"]
            .as_array()
            .is_none_or(Vec::is_empty)
    );
    cmd(h)
        .args(["review", "Proxy", "1", &second])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "Marked reviewed: {first}, {second}."
        )))
        .stdout(predicate::str::contains(format!(
            "2 of {} reviewed.",
            rows.len()
        )));
    let reviewed = plan_file(h)["reviewed"].clone();
    let mut both = vec![first.clone(), second.clone()];
    both.sort();
    assert_eq!(reviewed, serde_json::json!(both));
    cmd(h)
        .args(["review", "Proxy", "--undo", &first])
        .assert()
        .success()
        .stdout(predicate::str::contains("Marked not reviewed"));
    assert_eq!(plan_file(h)["reviewed"], serde_json::json!([second]));
    // The status shows what was marked: "N of M reviewed" and the pages
    // by title, not their ids; the JSON keeps the ids alongside.
    let title = rows[1]["title"].as_str().unwrap_or_default().to_string();
    let out = cmd(h)
        .args(["status", "Proxy"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("= 1 of {} reviewed: {title}", rows.len())),
        "{text}"
    );
    assert!(!text.contains(&format!("= {second}")), "{text}");
    let status = json(
        &cmd(h)
            .args(["status", "Proxy", "--json"])
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
            .stdout,
    );
    let items = status["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["items"].as_array().into_iter().flatten());
    let review = items
        .into_iter()
        .find(|i| i["kind"] == "proxy-review")
        .unwrap_or_else(|| panic!("{status}"));
    assert_eq!(
        review["reviewed"],
        serde_json::json!([{ "id": second, "title": title }])
    );
    assert_eq!(
        review["answer"],
        format!("1 of {} reviewed: {title}", rows.len())
    );
}

/// A lookup in one guide's table that matches nothing says what that table
/// covers and which built-in guide's table does cover the system.
#[test]
fn a_lookup_outside_a_guides_table_says_what_it_covers_and_where_to_look() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let catalog = mde_migrate::catalog::Catalog::embedded().unwrap_or_else(|e| panic!("{e}"));
    let older: Vec<_> = catalog
        .guides
        .iter()
        .filter(|g| g.published.as_str() < "2023")
        .collect();
    assert!(older.len() >= 2, "the 2021 guides");
    for g in older {
        for os in ["Windows 11", "Windows Server 2022"] {
            let out = cmd(home.path())
                .args(["lookup", "--guide", &g.id, "--os", os])
                .output()
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(!out.status.success());
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(err.trim_end().lines().count(), 1, "{err}");
            assert!(!err.contains("unknown operating system"), "{err}");
            // What the table covers, from its data.
            for row in &g.proxy_table.rows {
                for c in &row.systems {
                    let name = &g.system(&c.system).unwrap_or_else(|| panic!("system")).name;
                    assert!(err.contains(name.as_str()), "{}: {name} in {err}", g.id);
                }
            }
            assert!(err.contains(&g.short_name), "{err}");
            assert!(err.contains("predates"), "{err}");
            // Where it is covered: the newer built-in guide, and how to look.
            assert!(
                err.contains(&format!("lookup --guide generic-2023 --os \"{os}\"")),
                "{err}"
            );
            assert!(err.contains(&format!("lists it as {os}")), "{err}");
        }
    }
    // A system no table covers says so.
    fails_with(
        cmd(home.path()).args(["lookup", "--guide", "symantec-2021", "--os", "Windows 2000"]),
        "No other built-in guide's table has a row for it",
    );
    // Without --guide, a capability searches the guides whose tables are by
    // capability: Windows 11 is not in them, and the generic guide (whose
    // table does list it, by plan) is not said to lack a row.
    let out = cmd(home.path())
        .args(["lookup", "--os", "Windows 11", "--capability", "EDR"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(!err.contains("is known to guide generic-2023"), "{err}");
    assert!(err.contains("\"Windows 11\" has no row in the"), "{err}");
    assert!(err.contains("The tables predate it."), "{err}");
    assert!(
        err.contains("lookup --guide generic-2023 --os \"Windows 11\""),
        "{err}"
    );
}

/// `--plan` / `--capability` values come from the guides' tables: `--help`
/// lists each with the guides that use it, and shell completions offer them.
#[test]
fn plan_and_capability_values_are_offered_from_the_catalog() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let catalog = mde_migrate::catalog::Catalog::embedded().unwrap_or_else(|e| panic!("{e}"));
    let help = cmd(home.path())
        .args(["lookup", "--help"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let help = String::from_utf8_lossy(&help.stdout);
    let bash = cmd(home.path())
        .args(["completions", "bash"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let bash = String::from_utf8_lossy(&bash.stdout);
    for g in &catalog.guides {
        let ids: Vec<&str> = g.proxy_table.values.iter().map(|v| v.id.as_str()).collect();
        assert!(bash.contains(&ids.join(" ")), "{}: {ids:?}", g.id);
        for v in &g.proxy_table.values {
            let line = help
                .lines()
                .find(|l| l.trim_start().starts_with(&format!("- {}:", v.id)))
                .unwrap_or_else(|| panic!("{}: no {} in {help}", g.id, v.id));
            assert!(line.contains(&v.name) && line.contains(&g.id), "{line}");
        }
    }
}
