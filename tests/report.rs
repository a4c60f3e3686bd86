//! Reports: the content a change board needs, hostile text made harmless in
//! HTML and Markdown, and JSON that round-trips.

use mde_migrate::catalog::Catalog;
use mde_migrate::plan::{Plan, Role};
use mde_migrate::report::{Format, Report, build, render};

const NOW: &str = "2026-11-28T10:00:00Z";

fn catalog() -> &'static Catalog {
    Catalog::embedded().unwrap_or_else(|e| panic!("{e}"))
}

fn generic_plan() -> Plan {
    let g = catalog()
        .guide("generic-2023")
        .unwrap_or_else(|| panic!("guide"));
    let mut p = Plan::create(
        "Contoso rollout",
        "Contoso Ltd",
        "Symantec Endpoint Protection",
        g,
        NOW,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for (s, n) in [("win10", 120), ("ws2016", 4), ("win7sp1", 2), ("macos", 10)] {
        p.set_system_count(g, s, Some(n), NOW)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    for (i, v) in [
        ("licence-route", "m365-e5"),
        ("licence-state", "done"),
        ("proxy-in-use", "yes"),
        ("servers", "yes"),
        ("access-model", "rbac"),
        ("rbac-tool", "intune"),
        ("update-ios", "n/a"),
    ] {
        p.set_value(g, i, v, NOW).unwrap_or_else(|e| panic!("{e}"));
    }
    p.set_note("tenant", "Waiting for the EU data location decision", NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    p.add_role(
        Role {
            name: "SOC tier 2".into(),
            group: "sg-soc-t2".into(),
            permissions: ["view-secops", "alerts-investigation"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            ..Role::default()
        },
        NOW,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    p.toggle_reviewed("proxy-internet", NOW);
    p
}

#[test]
fn a_generic_plan_report_carries_every_decision() {
    let r = build(catalog(), &generic_plan(), NOW).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.defender_plan.as_deref(), Some("P2"));
    assert_eq!(r.steps.iter().filter(|s| s.phase == "prepare").count(), 4);
    assert_eq!(r.phases.len(), 3);
    assert!(r.steps[3].required, "a proxy is in use");
    let route = r.steps[1]
        .items
        .iter()
        .find(|i| i.id == "licence-route")
        .unwrap_or_else(|| panic!("item"));
    assert_eq!(
        route.answer.as_deref(),
        Some("Microsoft 365 E5 (includes Plan 2)")
    );
    assert_eq!(route.state, "done");
    assert_eq!(route.links[0].url, "https://aka.ms/mdatp");
    let tool = r.steps[2]
        .items
        .iter()
        .find(|i| i.id == "rbac-tool")
        .unwrap_or_else(|| panic!("item"));
    assert!(tool.links.iter().any(|l| l.url
        == "https://learn.microsoft.com/mem/intune/fundamentals/role-based-access-control"));
    assert_eq!(
        r.steps[0]
            .items
            .iter()
            .find(|i| i.id == "update-ios")
            .map(|i| i.state.as_str()),
        Some("not-applicable")
    );
    assert_eq!(
        (
            r.estate.devices,
            r.estate.servers,
            r.estate.downlevel,
            r.estate.unified_solution
        ),
        (136, Some(4), Some(2), Some(4))
    );
    assert_eq!(r.warnings.len(), 1);
    assert!(r.warnings[0].links.iter().any(|l| l.url == "https://learn.microsoft.com/azure/defender-for-cloud/plan-defender-for-servers-select-plan"));
    let proxy: Vec<(&str, bool)> = r
        .proxy_guides
        .iter()
        .map(|g| (g.url.as_str(), g.reviewed))
        .collect();
    assert_eq!(
        proxy,
        vec![
            (
                "https://learn.microsoft.com/microsoft-365/security/defender-endpoint/configure-proxy-internet",
                true
            ),
            (
                "https://learn.microsoft.com/microsoft-365/security/defender-endpoint/onboard-downlevel#configure-proxy-and-internet-connectivity-settings",
                false
            ),
            (
                "https://learn.microsoft.com/microsoft-365/security/defender-endpoint/microsoft-defender-endpoint-mac#network-connections",
                false
            ),
        ]
    );
    assert!(
        r.proxy_guides[0]
            .footnotes
            .iter()
            .any(|f| f.contains("modern, unified solution"))
    );
    assert!(r.open_items.iter().any(|o| o.item == "tenant"));
    assert!(!r.open_items.iter().any(|o| o.item == "licence-state"));
    assert_eq!(
        r.next[0].url,
        "https://learn.microsoft.com/microsoft-365/security/defender-endpoint/switch-to-mde-phase-2"
    );
    assert_eq!(
        r.roles[0].permissions,
        vec!["Alerts investigation", "View data: security operations"]
    );

    let md =
        render(catalog(), &generic_plan(), Format::Markdown, NOW).unwrap_or_else(|e| panic!("{e}"));
    assert!(md.contains("| Defender for Endpoint plan | P2 |"));
    assert!(md.contains("- Server devices: 4"));
    assert!(md.contains("Waiting for the EU data location decision"));
    insta::assert_snapshot!("report_generic_markdown", md);
}

#[test]
fn a_symantec_plan_report_has_three_steps_and_capabilities() {
    let g = catalog()
        .guide("symantec-2021")
        .unwrap_or_else(|| panic!("guide"));
    let mut p = Plan::new("Fabrikam", "", "Symantec", "symantec-2021", NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    p.set_system_count(g, "win10", Some(50), NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    let r = build(catalog(), &p, NOW).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.steps.iter().filter(|s| s.phase == "prepare").count(), 3);
    assert_eq!(r.steps.len(), 13);
    assert_eq!(r.defender_plan, None);
    let values: Vec<&str> = r
        .proxy_guides
        .iter()
        .flat_map(|g| g.values.iter().map(String::as_str))
        .collect();
    assert_eq!(values, vec!["EDR", "Antivirus"]);
    assert_eq!(
        r.next[0].url,
        "https://learn.microsoft.com/microsoft-365/security/defender-endpoint/symantec-to-microsoft-defender-atp-setup"
    );
}

fn hostile_plan() -> Plan {
    let mut p = generic_plan();
    let evil = "<script>alert(1)</script> | *bold* _x_ `code` \n# title \u{1b}[2J \u{1b}]52;c;ZXZpbA==\u{7} \u{202e}gnp.exe";
    p.name = format!("Plan {evil}");
    p.organisation = evil.to_string();
    if let Some(a) = p.answers.get_mut("tenant") {
        a.note = format!("line one\n{evil}");
    }
    p.roles[0].name = evil.to_string();
    p.roles[0].group = "a|b|c".into();
    p
}

#[test]
fn hostile_text_is_harmless_in_html() {
    let html =
        render(catalog(), &hostile_plan(), Format::Html, NOW).unwrap_or_else(|e| panic!("{e}"));
    assert!(html.starts_with("<!doctype html>"));
    assert!(!html.contains("<script>"), "user script survived");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    for bad in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(!html.contains(bad), "{bad:?} in the HTML");
    }
    assert!(
        !html.contains("src=") && !html.contains("<link") && !html.contains("<script"),
        "self-contained, no scripts"
    );
    assert!(html.contains("<style>"));
}

#[test]
fn hostile_text_is_harmless_in_markdown() {
    let md =
        render(catalog(), &hostile_plan(), Format::Markdown, NOW).unwrap_or_else(|e| panic!("{e}"));
    for bad in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(!md.contains(bad), "{bad:?} in the Markdown");
    }
    assert!(!md.contains("<script>"));
    // Every table row keeps its column count: user pipes are escaped.
    for line in md.lines().filter(|l| l.starts_with('|')) {
        let mut cells = 0;
        let mut prev = ' ';
        for c in line.chars() {
            if c == '|' && prev != '\\' {
                cells += 1;
            }
            prev = c;
        }
        assert!(
            [3, 4, 5, 6].contains(&cells),
            "row with {cells} pipes: {line}"
        );
    }
    let roles = md
        .lines()
        .find(|l| l.contains("sg") || l.contains("a\\|b\\|c"))
        .unwrap_or("");
    assert!(roles.contains("a\\|b\\|c"), "{roles}");
    // The heading stays one line and its text is escaped.
    let title = md.lines().next().unwrap_or("");
    assert!(
        title.starts_with("# Migration plan: Plan \\<script\\>"),
        "{title}"
    );
}

#[test]
fn json_round_trips_and_is_clean() {
    let json =
        render(catalog(), &hostile_plan(), Format::Json, NOW).unwrap_or_else(|e| panic!("{e}"));
    let back: Report = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        back,
        build(catalog(), &hostile_plan(), NOW).unwrap_or_else(|e| panic!("{e}"))
    );
    assert_eq!(back.format, "mde-migrate-report");
    assert_eq!(back.version, 1);
    assert!(!json.contains("\\u001b") && !json.contains("\\u0007") && !json.contains('\u{202e}'));
}

#[test]
fn an_unknown_guide_is_a_clear_error() {
    let mut p = generic_plan();
    p.guide = "mcafee-2022".into();
    let e = render(catalog(), &p, Format::Markdown, NOW)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        e.contains("mcafee-2022") && e.contains("generic-2023"),
        "{e}"
    );
}

/// A plan of `guide` with one device on every system the guide names.
fn every_system_plan(guide: &str) -> Plan {
    let g = catalog()
        .guide(guide)
        .unwrap_or_else(|| panic!("guide {guide}"));
    let mut p = Plan::create("Estate", "Contoso", "", g, NOW).unwrap_or_else(|e| panic!("{e}"));
    for s in &g.systems {
        p.set_system_count(g, &s.id, Some(1), NOW)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    p
}

/// The estate facts are each guide's own: the server licence is said by
/// the guide where its page says it, and by a dated note where it does not;
/// the down-level systems are those the guide marks, by the guide's names.
#[test]
fn estate_facts_come_from_each_guides_data() {
    for g in &catalog().guides {
        let plan = every_system_plan(&g.id);
        let r = build(catalog(), &plan, NOW).unwrap_or_else(|e| panic!("{e}"));
        let md = render(catalog(), &plan, Format::Markdown, NOW).unwrap_or_else(|e| panic!("{e}"));
        let html = render(catalog(), &plan, Format::Html, NOW).unwrap_or_else(|e| panic!("{e}"));
        for out in [&md, &html] {
            assert!(!out.contains("need a server licence"), "{}: {out}", g.id);
        }
        // Where the guide warns about servers, its warning says it; where
        // it does not, a dated note on the estate does.
        let warns = g
            .warnings
            .iter()
            .any(|w| w.text.contains("server licences"));
        let noted: Vec<_> = catalog()
            .common
            .notes_about(g, "estate")
            .filter(|n| n.text.contains("server licences"))
            .collect();
        assert!(
            warns == noted.is_empty(),
            "{}: said once, by one source",
            g.id
        );
        if !warns {
            assert!(
                md.lines()
                    .filter(|l| l.contains("include no server licences"))
                    .all(|l| l.contains("changed since the guide") || l.contains("As of")),
                "{}: the licence fact is a dated note: {md}",
                g.id
            );
            assert!(md.contains("include no server licences"), "{}", g.id);
        }
        // The down-level systems, as the guide names them.
        let down: Vec<&str> = g
            .systems
            .iter()
            .filter(|s| s.downlevel)
            .map(|s| s.name.as_str())
            .collect();
        let line = md
            .lines()
            .find(|l| l.starts_with("- Down-level devices"))
            .unwrap_or_else(|| panic!("{}: no down-level line: {md}", g.id));
        assert!(line.contains(&down.join(", ")), "{}: {line}", g.id);
        assert!(html.contains(&down.join(", ")), "{}", g.id);
        assert_eq!(r.estate.downlevel_systems, down.join(", "), "{}", g.id);
    }
}

/// A guide whose data names its down-level systems differently is shown
/// with its own names, not a fixed list.
#[test]
fn down_level_names_follow_the_guides_data() {
    let mut c = catalog().clone();
    let Some(g) = c.guides.iter_mut().find(|g| g.id == "symantec-2021") else {
        panic!("guide");
    };
    for s in g.systems.iter_mut().filter(|s| s.downlevel) {
        s.name = format!("Legacy {}", s.id);
    }
    let g = c.guide("symantec-2021").unwrap_or_else(|| panic!("guide"));
    let mut p = Plan::create("Estate", "Contoso", "", g, NOW).unwrap_or_else(|e| panic!("{e}"));
    p.set_system_count(g, "win7sp1", Some(3), NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    let md = render(&c, &p, Format::Markdown, NOW).unwrap_or_else(|e| panic!("{e}"));
    assert!(md.contains("- Down-level devices (Legacy win7sp1;"), "{md}");
    assert!(
        !md.lines()
            .any(|l| l.starts_with("- Down-level") && l.contains("Windows 7")),
        "{md}"
    );
}
