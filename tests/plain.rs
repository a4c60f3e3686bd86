//! Plain mode driven through standard input: a whole plan of each guide,
//! the saved state checked, and not one escape sequence in the output.

use assert_cmd::Command;
use serde_json::Value;

/// The binary, never able to open a browser: no display, an SSH session
/// (so no platform opener either, macOS and Windows included).
fn binary(home: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("mde-migrate").unwrap_or_else(|e| panic!("{e}"));
    c.env("MDE_MIGRATE_HOME", home)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("ACCESSIBLE")
        .env("SSH_CONNECTION", "192.0.2.1 22 192.0.2.2 22");
    c
}

fn run(home: &std::path::Path, input: &str) -> String {
    let out = binary(home)
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
        // Not applicable asks why.
        "3",
        "No Macs",
        "3",
        "No iPhones",
        "3",
        "No Android phones",
        "3",
        "No Linux servers",
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
        // Proxy: review both guides.
        "1 2",
        "",
    ]
    .join("\n")
        + "\n"
        // Phases 2 and 3: Enter alone goes on, item after item, to the summary.
        + &"\n".repeat(40);
    let out = run(home.path(), &input);
    let steps = catalog().guide("generic-2023").map_or(0, |g| g.steps.len());
    assert!(out.contains(&format!("Step 1 of {steps}")), "{out}");
    // Every phase is walked, in order, before the summary.
    let at = |needle: &str| {
        out.find(needle)
            .unwrap_or_else(|| panic!("{needle}: {out}"))
    };
    assert!(at("== Phase 2: Set up") < at("== Phase 3: Onboard"));
    let last_step = catalog()
        .guide("generic-2023")
        .and_then(|g| g.steps.last())
        .map_or(String::new(), |s| s.title.clone());
    assert!(at("== Phase 3: Onboard") < at(&last_step));
    assert!(at(&last_step) < at("Summary of \"Plain plan\""));
    let p = saved(home.path());
    assert_eq!(p["guide"], "generic-2023");
    assert_eq!(p["answers"]["existing-version"]["text"], "10.7");
    assert_eq!(p["answers"]["existing-updated"]["status"], "done");
    assert_eq!(p["answers"]["update-linux"]["status"], "not-applicable");
    assert_eq!(p["answers"]["update-linux"]["reason"], "No Linux servers");
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
        out.contains("Symantec guide (2021) (13 steps) (proposed)"),
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

#[test]
fn accessible_or_a_dumb_terminal_with_piped_input_chooses_plain_mode() {
    for (var, value, term) in [
        ("ACCESSIBLE", "1", "xterm-256color"),
        ("MDE_MIGRATE_UNUSED", "", "dumb"),
    ] {
        let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let out = binary(home.path())
            .env(var, value)
            .env("TERM", term)
            .write_stdin("\nPiped plan\n\n\n\nq\n")
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{var}={value} TERM={term}: {text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.contains("plain mode"), "{text}");
        assert!(!text.contains('\u{1b}'), "escape sequence in plain output");
        assert_eq!(saved(home.path())["name"], "Piped plan");
    }
}

// In-process runs: the opener is injected and records what it was asked to
// open, so no test can reach a real browser.

use mde_migrate::catalog::Catalog;
use mde_migrate::plan::Plan;
use mde_migrate::store::Store;

const NOW: &str = "2026-11-28T10:00:00Z";

fn catalog() -> &'static Catalog {
    Catalog::embedded().unwrap_or_else(|e| panic!("{e}"))
}

/// Run plain mode on the store in `home`; the output and what was opened.
fn plain(home: &std::path::Path, input: impl std::io::BufRead) -> (String, Vec<String>) {
    let store = Store::open(home, true).unwrap_or_else(|e| panic!("{e}"));
    let mut opened = Vec::new();
    let mut out = Vec::new();
    let mut opener = |u: &str| -> Result<(), String> {
        opened.push(u.to_string());
        Ok(())
    };
    mde_migrate::plain::run_with(catalog(), &store, input, &mut out, &mut opener)
        .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8(out).unwrap_or_else(|e| panic!("{e}"));
    assert!(!text.contains('\u{1b}'), "escape sequence in plain output");
    (text, opened)
}

/// A plan where every item is asked: a proxy, RBAC, servers, every system.
fn full_plan(guide: &str) -> Plan {
    let mut p = Plan::new("Full", "Contoso", "", guide, NOW).unwrap_or_else(|e| panic!("{e}"));
    let g = catalog().guide(guide).unwrap_or_else(|| panic!("guide"));
    p.set_choice("proxy-in-use", Some("yes"), NOW);
    p.set_choice("access-model", Some("rbac"), NOW);
    if g.item("servers").is_some() {
        p.set_choice("servers", Some("yes"), NOW);
    }
    for s in &g.systems {
        p.estate.systems.insert(s.id.clone(), Some(10));
    }
    p
}

fn seeded(plan: &Plan) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let store = Store::open(home.path(), true).unwrap_or_else(|e| panic!("{e}"));
    store.create(plan).unwrap_or_else(|e| panic!("{e}"));
    home
}

/// The URLs `mde-migrate links --guide <id> --json` prints.
fn listed(guide: &str) -> Vec<String> {
    let out = binary(&std::env::temp_dir())
        .args(["links", "--guide", guide, "--json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let rows = rows.as_array().cloned().unwrap_or_default();
    assert!(rows.len() > 10, "{guide}: {rows:?}");
    rows.iter()
        .filter_map(|r| r.get("url").and_then(|u| u.as_str()).map(str::to_string))
        .collect()
}

/// Every look-up, then `o` (every address) and Enter on each item.
fn walk_input(guide: &str) -> String {
    let g = catalog().guide(guide).unwrap_or_else(|| panic!("guide"));
    let systems = mde_migrate::wizard::lookup_systems(g).len();
    // The first item's pages, before a look-up lists its own.
    let mut lines = vec!["1".to_string(), "o".to_string()];
    for v in 1..=g.proxy_table.values.len() {
        for s in 1..=systems {
            lines.extend(["l".into(), v.to_string(), s.to_string(), "o".into()]);
        }
    }
    for _ in 0..60 {
        lines.extend(["o".into(), String::new()]);
    }
    lines.join("\n") + "\n"
}

#[test]
fn every_listed_link_has_its_address_in_plain_mode() {
    for g in &catalog().guides {
        let home = seeded(&full_plan(&g.id));
        let (out, _) = plain(home.path(), walk_input(&g.id).as_bytes());
        assert!(out.contains("Summary of"), "{out}");
        let mut wanted = listed(&g.id);
        wanted.push(g.source_url.clone());
        let missing: Vec<&String> = wanted
            .iter()
            .filter(|u| !out.contains(u.as_str()))
            .collect();
        assert!(
            missing.is_empty(),
            "{}: plain mode never gives {missing:#?}",
            g.id
        );
        for f in &g.footnotes {
            assert!(out.contains(&f.text), "{}: footnote {} missing", g.id, f.id);
        }
        // Read aloud, in order: nothing is "on the left" or "on the right"
        // (a page's table rows may speak of the portal's own panes).
        let ours: String = out
            .lines()
            .filter(|l| !l.starts_with("  Row "))
            .collect::<Vec<_>>()
            .join("\n");
        for word in ["on the left", "on the right", " left ", " right "] {
            assert!(!ours.contains(word), "{}: {word:?} in plain output", g.id);
        }
    }
}

#[test]
fn dated_notes_warnings_conflicts_and_gaps_are_all_said() {
    let g = catalog()
        .guide("generic-2023")
        .unwrap_or_else(|| panic!("guide"));
    let mut p = full_plan("generic-2023");
    // Plan 1 with down-level devices, and "no servers" while the estate has them.
    p.set_choice("licence-route", Some("owned-p1"), NOW);
    p.set_choice("servers", Some("no"), NOW);
    let conflicts = p.conflicts(g);
    let gaps = p.gaps(g);
    let warnings: Vec<String> = p.warnings(g).iter().map(|w| w.text.clone()).collect();
    assert_eq!(conflicts.len(), 2);
    assert!(!gaps.is_empty() && !warnings.is_empty());
    let home = seeded(&p);
    let (out, _) = plain(home.path(), walk_input("generic-2023").as_bytes());
    for c in &conflicts {
        assert!(out.contains(&format!("Conflict: {}", c.text)), "{}", c.text);
    }
    for gap in &gaps {
        assert!(out.contains(&gap.text()), "{}", gap.text());
    }
    for w in &warnings {
        assert!(out.contains(&format!("Important: {w}")), "{w}");
    }
    // The down-level systems by the guide's own names.
    assert!(
        out.contains(&format!("Down-level systems ({}): ", p.downlevel_names(g))),
        "{out}"
    );
    assert!(!p.downlevel_names(g).is_empty());
    // What the wizard's details add: the family's systems, the portal, a
    // step an answer makes required.
    assert!(
        out.contains("In the estate: Windows 10 (10 devices), Windows 11 (10 devices), "),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "Portal: {}. Formerly {}.",
            g.portal.name, g.portal.former
        )),
        "{out}"
    );
    assert!(out.contains("\" is required for this plan."), "{out}");
    for (_, item) in g.items() {
        for n in catalog().common.notes_about(g, &item.id) {
            let said = format!(
                "Changed since the guide (as of {}): {} Source: {}",
                n.as_of, n.text, n.source
            );
            assert!(out.contains(&said), "note {} on {} missing", n.id, item.id);
        }
    }
    for n in catalog().common.notes_for("summary") {
        assert!(out.contains(&n.text), "summary note {}", n.id);
    }
}

#[test]
fn o_n_gives_a_proxy_guide_address_and_opens_it() {
    let g = catalog()
        .guide("symantec-2021")
        .unwrap_or_else(|| panic!("guide"));
    let p = full_plan("symantec-2021");
    let first = p
        .applicable_proxy(g)
        .first()
        .and_then(|a| g.link(&a.link))
        .cloned()
        .unwrap_or_else(|| panic!("no proxy guide"));
    let (step, before) = g
        .items()
        .find(|(_, i)| i.kind == mde_migrate::catalog::ItemKind::ProxyReview)
        .map(|(s, i)| {
            (
                g.step_index(&s.id).unwrap_or(0) + 1,
                s.items.iter().position(|x| x.id == i.id).unwrap_or(0),
            )
        })
        .unwrap_or((0, 0));
    let home = seeded(&p);
    // Go to the proxy step and on to its review item (every item counts in
    // this plan), link 1 there; then a look-up and its link 1.
    let keep = "\n".repeat(before);
    let input = format!("1\ng {step}\n{keep}o 1\nl\n1\n1\no 1\nr\no 1\nq\n");
    let (out, opened) = plain(home.path(), input.as_bytes());
    assert!(
        out.contains(&format!("Link 1: {}: {}", first.title, first.url)),
        "{out}"
    );
    assert!(out.contains("Opening it in the browser."), "{out}");
    assert_eq!(opened.first(), Some(&first.url));
    let sys = mde_migrate::wizard::lookup_systems(g)[0];
    let value = &g.proxy_table.values[0].id;
    let found = mde_migrate::wizard::lookup_links(g, value, &sys.id);
    assert_eq!(opened.get(1), Some(&found[0].url), "{out}");
    assert!(!out.contains("No link 1 here"), "{out}");
    // r says the item again: o 1 is its first guide once more.
    assert_eq!(opened.get(2), Some(&first.url), "{out}");
    assert_eq!(opened.len(), 3);
}

#[test]
fn notes_back_at_the_start_and_go_to_step() {
    let home = seeded(&full_plan("generic-2023"));
    let store = Store::open(home.path(), true).unwrap_or_else(|e| panic!("{e}"));
    let id = store
        .list()
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .find_map(|l| match l {
            mde_migrate::store::Listing::Plan { id, .. } => Some(id),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no plan"));
    // b at the first item; a note; e again shows it, Enter keeps it; g 3.
    let input = "1\nb\ne\nfirst note\ne\n\ng 3\ne\n-\nq\n";
    let (out, _) = plain(home.path(), input.as_bytes());
    assert!(
        out.contains("This is the first item: there is nothing before it."),
        "{out}"
    );
    assert!(out.contains("No note yet."), "{out}");
    assert!(out.contains("Your note now: first note"), "{out}");
    assert!(out.contains("Note kept as it was."), "{out}");
    assert!(out.contains("Note removed."), "{out}");
    let g = catalog()
        .guide("generic-2023")
        .unwrap_or_else(|| panic!("guide"));
    assert!(
        out.contains(&format!(
            "Step 3 of {}: {}",
            g.steps.len(),
            g.steps[2].title
        )),
        "{out}"
    );
    let plan = store.load(&id).unwrap_or_else(|e| panic!("{e}")).plan;
    let first = g.steps[0].items[0].id.clone();
    assert_eq!(
        plan.answer(&first).map(|a| a.note.as_str()),
        Some("first note")
    );
    assert_eq!(plan.position.step.as_deref(), Some(g.steps[2].id.as_str()));
    let third_first = plan.position.item.clone().unwrap_or_default();
    assert_eq!(
        plan.answer(&third_first)
            .map(|a| a.note.as_str())
            .unwrap_or(""),
        ""
    );
}

#[test]
fn x_exports_every_format_into_the_reports_folder() {
    let home = seeded(&full_plan("symantec-2021"));
    let (out, _) = plain(home.path(), "1\nx\n1\nx\n2\nx\n3\nx\n\nq\n".as_bytes());
    assert_eq!(out.matches("Report written to ").count(), 3, "{out}");
    assert!(out.contains("Not exported."), "{out}");
    let mut found: Vec<String> = std::fs::read_dir(home.path().join("reports"))
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    let exts: Vec<&str> = found.iter().filter_map(|f| f.rsplit('.').next()).collect();
    assert_eq!(exts, vec!["html", "json", "md"], "{found:?}");
    for f in &found {
        let text = std::fs::read_to_string(home.path().join("reports").join(f))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(text.contains("Full"), "{f}");
    }
}

/// Input that changes the plan file behind plain mode's back once it has
/// read `after` lines.
struct Meddler {
    lines: std::collections::VecDeque<String>,
    read: usize,
    after: usize,
    meddle: Option<Box<dyn FnOnce()>>,
}

impl std::io::Read for Meddler {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.read == self.after
            && let Some(f) = self.meddle.take()
        {
            f();
        }
        let Some(line) = self.lines.pop_front() else {
            return Ok(0);
        };
        self.read += 1;
        let bytes = format!("{line}\n").into_bytes();
        let n = bytes.len().min(buf.len());
        buf[..n].copy_from_slice(&bytes[..n]);
        Ok(n)
    }
}

#[test]
fn saves_go_through_the_lock_and_never_overwrite_a_change_on_disk() {
    let home = seeded(&full_plan("generic-2023"));
    let path = std::fs::read_dir(home.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .unwrap_or_else(|| panic!("no plan"));
    let meddled = path.clone();
    let input = Meddler {
        lines: ["1", "e", "mine", "e", "again", "q"]
            .iter()
            .map(|s| (*s).to_string())
            .collect(),
        read: 0,
        after: 3,
        meddle: Some(Box::new(move || {
            let text = std::fs::read_to_string(&meddled).unwrap_or_default();
            let mut v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
            v["name"] = Value::from("Changed elsewhere");
            v["revision"] = Value::from(99);
            std::fs::write(&meddled, v.to_string()).unwrap_or_else(|e| panic!("{e}"));
        })),
    };
    let (out, _) = plain(home.path(), std::io::BufReader::new(input));
    assert!(out.contains("Note saved."), "{out}");
    assert!(out.contains("Not saved: the plan changed on disk"), "{out}");
    assert_eq!(out.matches("Note saved.").count(), 1, "{out}");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        v["name"], "Changed elsewhere",
        "the change on disk was overwritten"
    );
}

/// The plan file of `home`, and a closure that changes it on disk as
/// another writer would (a new name, a later revision).
fn meddled_plan(home: &std::path::Path) -> (std::path::PathBuf, Box<dyn FnOnce()>) {
    let path = std::fs::read_dir(home)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .unwrap_or_else(|| panic!("no plan"));
    let meddled = path.clone();
    let meddle = Box::new(move || {
        let text = std::fs::read_to_string(&meddled).unwrap_or_default();
        let mut v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        v["name"] = Value::from("Changed elsewhere");
        v["revision"] = Value::from(99);
        std::fs::write(&meddled, v.to_string()).unwrap_or_else(|e| panic!("{e}"));
    });
    (path, meddle)
}

fn meddler(lines: &[&str], after: usize, meddle: Box<dyn FnOnce()>) -> std::io::BufReader<Meddler> {
    std::io::BufReader::new(Meddler {
        lines: lines.iter().map(|s| (*s).to_string()).collect(),
        read: 0,
        after,
        meddle: Some(meddle),
    })
}

fn notes(v: &Value) -> Vec<String> {
    v["answers"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(_, a)| a["note"].as_str().map(str::to_string))
        .filter(|n| !n.is_empty())
        .collect()
}

/// A save refused by a change on disk offers the wizard's choice: `r`
/// reloads from disk, only after `y` (Enter keeps the answers here).
#[test]
fn a_refused_save_offers_reload_after_y() {
    let home = seeded(&full_plan("generic-2023"));
    let (path, meddle) = meddled_plan(home.path());
    let input = meddler(
        &["1", "e", "mine", "e", "again", "r", "", "r", "y", "q"],
        3,
        meddle,
    );
    let (out, _) = plain(home.path(), input);
    assert!(out.contains("Not saved: the plan changed on disk"), "{out}");
    assert!(out.contains("r reloads the plan from disk"), "{out}");
    assert!(out.contains("Not reloaded."), "{out}");
    assert!(
        out.contains("Reloaded \"Changed elsewhere\" from disk."),
        "{out}"
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"));
    // The other change stands; the answer refused here was dropped by choice.
    assert_eq!(v["name"], "Changed elsewhere");
    assert_eq!(notes(&v), vec!["mine".to_string()]);
}

/// `c` saves the answers as a new plan and goes on there; the plan changed
/// on disk is left as the other writer made it.
#[test]
fn a_refused_save_offers_a_copy_and_goes_on_in_it() {
    let home = seeded(&full_plan("generic-2023"));
    let (path, meddle) = meddled_plan(home.path());
    let input = meddler(
        &["1", "e", "mine", "e", "again", "c", "e", "third", "q"],
        3,
        meddle,
    );
    let (out, _) = plain(home.path(), input);
    assert!(
        out.contains("Saved as a new plan, \"Full (copy)\""),
        "{out}"
    );
    let original: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(original["name"], "Changed elsewhere");
    assert_eq!(notes(&original), vec!["mine".to_string()]);
    let store = Store::open(home.path(), false).unwrap_or_else(|e| panic!("{e}"));
    let copy = store
        .list()
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .find_map(|l| match l {
            mde_migrate::store::Listing::Plan { plan, .. } if plan.name == "Full (copy)" => {
                Some(plan)
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no copy: {out}"));
    // The refused answer is in the copy, and later answers are saved there.
    assert_eq!(
        copy.answers
            .values()
            .map(|a| a.note.clone())
            .find(|n| !n.is_empty()),
        Some("third".to_string())
    );
}

/// A removed plans folder: the copy is refused and said, the folder is not
/// made again, and Enter keeps the answers here.
#[test]
fn a_removed_folder_offers_the_same_choice_in_plain_mode() {
    let home = seeded(&full_plan("generic-2023"));
    let dir = home.path().join("plans");
    let store = Store::open(&dir, true).unwrap_or_else(|e| panic!("{e}"));
    store
        .create(&full_plan("generic-2023"))
        .unwrap_or_else(|e| panic!("{e}"));
    drop(store);
    let gone = dir.clone();
    let input = meddler(
        &["1", "e", "mine", "c", "", "q"],
        2,
        Box::new(move || std::fs::remove_dir_all(&gone).unwrap_or_else(|e| panic!("{e}"))),
    );
    let (out, _) = plain(&dir, input);
    assert!(out.contains("was removed"), "{out}");
    assert!(out.contains("Not saved as a copy"), "{out}");
    assert!(out.contains("The answers stay here, not saved"), "{out}");
    assert!(!out.contains("Note saved."), "{out}");
    assert!(!dir.exists(), "the folder is not made again");
}
