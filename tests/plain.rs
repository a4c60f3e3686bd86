//! Plain mode driven through standard input: a whole plan of each guide,
//! the saved state checked, and not one escape sequence in the output.

use assert_cmd::Command;
use serde_json::Value;

fn run(home: &std::path::Path, input: &str) -> String {
    let out = Command::cargo_bin("mde-migrate")
        .unwrap_or_else(|e| panic!("{e}"))
        .env("MDE_MIGRATE_HOME", home)
        .env("TERM", "xterm-256color")
        .arg("--plain")
        .write_stdin(input)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.contains('\u{1b}'), "escape sequence in plain output");
    text
}

fn saved(home: &std::path::Path) -> Value {
    let path = std::fs::read_dir(home)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .unwrap_or_else(|| panic!("no plan saved"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_whole_generic_plan_through_standard_input() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let input = [
        "", // plans: 1 = create
        "Plain plan",
        "Contoso",
        "Sophos",
        "", // name, org, product, guide (proposed: none matches, so the generic one)
        // Updates: product (kept), version, existing updated, estate, 5 families
        "",
        "10.7",
        "1",
        "2 4=3 8=5",
        "",
        "1",
        "3",
        "3",
        "3",
        "3",
        // Licence: route (E5 = 7), state, tenant, proxy yes, network, servers yes
        "7",
        "1",
        "2",
        "1",
        "1",
        "1",
        // Access: RBAC, roles (add Tier 2, rename, group, perms as they are), tool Intune, granted
        "1",
        "a",
        "5",
        "SOC tier 2",
        "sg-soc-t2",
        "",
        "",
        "1",
        "1",
        // Proxy: review both guides
        "1 2",
        "",
    ]
    .join("\n")
        + "\n";
    let out = run(home.path(), &input);
    assert!(out.contains("Step 1 of 4"), "{out}");
    assert!(out.contains("Summary of \"Plain plan\""), "{out}");
    let p = saved(home.path());
    assert_eq!(p["guide"], "generic-2023");
    assert_eq!(p["answers"]["existing-version"]["text"], "10.7");
    assert_eq!(p["answers"]["existing-updated"]["status"], "done");
    assert_eq!(
        p["estate"]["systems"]["win10"],
        Value::Null,
        "ticked without a count"
    );
    assert_eq!(p["estate"]["systems"]["win7sp1"], 3);
    assert_eq!(p["estate"]["systems"]["ws2016"], 5);
    assert_eq!(p["answers"]["update-windows"]["status"], "done");
    assert_eq!(p["answers"]["update-ios"]["status"], "not-applicable");
    assert_eq!(p["answers"]["licence-route"]["choice"], "m365-e5");
    assert_eq!(p["answers"]["tenant"]["status"], "todo");
    assert_eq!(p["answers"]["proxy-in-use"]["choice"], "yes");
    assert_eq!(p["answers"]["access-model"]["choice"], "rbac");
    assert_eq!(p["roles"][0]["name"], "SOC tier 2");
    assert_eq!(p["roles"][0]["group"], "sg-soc-t2");
    assert_eq!(p["answers"]["rbac-tool"]["choice"], "intune");
    let reviewed = p["reviewed"].as_array().cloned().unwrap_or_default();
    assert_eq!(reviewed.len(), 2, "{reviewed:?}");
    assert_eq!(p["position"]["screen"], "summary");
}

#[test]
fn a_symantec_plan_resumes_where_it_stopped() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // Create, answer the first two items, quit.
    let out = run(
        home.path(),
        "\nSym plan\n\nSymantec Endpoint Protection\n\n2\n1\nq\n",
    );
    assert!(
        out.contains("Symantec guide (2021) (3 steps) (proposed)"),
        "{out}"
    );
    let p = saved(home.path());
    assert_eq!(p["guide"], "symantec-2021");
    assert_eq!(p["answers"]["licence-route"]["choice"], "buy");
    assert_eq!(p["answers"]["licence-state"]["status"], "done");
    assert_eq!(p["position"]["item"], "tenant");
    // Again: plan 1, it starts at the tenant; b goes back; o 1 shows a link; e adds a note.
    let out = run(home.path(), "1\nb\no 1\ne\nmy note\n\n1\n2\n");
    assert!(out.contains("Licence state checked"), "{out}");
    assert!(out.contains("https://learn.microsoft.com/microsoft-365/security/defender-endpoint/production-deployment#check-license-state"), "{out}");
    let p = saved(home.path());
    assert_eq!(p["answers"]["licence-state"]["note"], "my note");
    assert_eq!(p["answers"]["tenant"]["status"], "done");
    assert_eq!(p["answers"]["proxy-in-use"]["choice"], "no");
}

#[test]
fn end_of_input_saves_and_stops_cleanly() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = run(home.path(), "\nEOF plan\n\n\n\n");
    assert!(out.contains("Item 1 of"), "{out}");
    assert_eq!(saved(home.path())["name"], "EOF plan");
}
