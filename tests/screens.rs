//! Every screen drawn into ratatui's TestBackend at 80×24 and 120×40, for
//! both guides, compared with reviewed snapshots; plus the cursor that
//! follows the selection, and styles where they carry meaning.

mod common;

use common::*;
use mde_migrate::plan::{Plan, Role, Status};
use mde_migrate::ui::theme::Theme;
use mde_migrate::wizard::{Action, OpenFailure, PlanEntry, Wizard};
use ratatui::style::Modifier;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// A plan with answers on every step, as an operator would have it midway.
fn worked_plan(guide_id: &str) -> Plan {
    let guide = catalog().guide(guide_id).unwrap_or_else(|| panic!("guide"));
    let mut p = plan(guide_id);
    let systems: &[(&str, u64)] = if guide_id == "generic-2023" {
        &[("win10", 120), ("ws2016", 4), ("win7sp1", 2), ("macos", 10)]
    } else {
        &[
            ("win10", 120),
            ("ws2016", 4),
            ("macos-10.14", 10),
            ("ubuntu", 6),
        ]
    };
    for (s, n) in systems {
        if let Err(e) = p.set_system_count(guide, s, Some(*n), NOW) {
            panic!("{e}");
        }
    }
    let answers: &[(&str, &str)] = if guide_id == "generic-2023" {
        &[
            ("existing-version", "14.3 RU9"),
            ("existing-updated", "done"),
            ("update-windows", "done"),
            ("update-ios", "n/a"),
            ("licence-route", "m365-e5"),
            ("licence-state", "done"),
            ("proxy-in-use", "yes"),
            ("servers", "yes"),
            ("access-model", "rbac"),
            ("rbac-tool", "intune"),
        ]
    } else {
        &[
            ("licence-route", "trial"),
            ("licence-state", "done"),
            ("proxy-in-use", "yes"),
            ("access-model", "rbac"),
            ("rbac-tool", "intune"),
        ]
    };
    for (item, value) in answers {
        if let Err(e) = p.set_value(guide, item, value, NOW) {
            panic!("{item}: {e}");
        }
    }
    if let Err(e) = p.set_note(
        "licence-state",
        "Checked in the admin centre with Dana",
        NOW,
    ) {
        panic!("{e}");
    }
    for (name, group, perms) in [
        (
            "SOC tier 2",
            "sg-soc-t2",
            &["view-secops", "alerts-investigation"][..],
        ),
        ("Helpdesk read-only", "sg-helpdesk", &["view-secops"][..]),
    ] {
        let role = Role {
            name: name.into(),
            group: group.into(),
            permissions: perms.iter().map(|s| s.to_string()).collect(),
            ..Role::default()
        };
        if let Err(e) = p.add_role(role, NOW) {
            panic!("{e}");
        }
    }
    p.toggle_reviewed("proxy-internet", NOW);
    p
}

fn snap(name: &str, w: &Wizard) {
    for (width, height) in SIZES {
        let text = render(w, width, height);
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), text);
    }
}

fn entries() -> Vec<PlanEntry> {
    vec![
        PlanEntry {
            id: "contoso-1a2b3c4d".into(),
            name: "Contoso rollout".into(),
            organisation: "Contoso Ltd".into(),
            guide: "generic-2023".into(),
            percent: 40,
            updated: "2026-11-27T16:20:00Z".into(),
            broken: None,
            newer: false,
        },
        PlanEntry {
            id: "fabrikam-5e6f7a8b".into(),
            name: "Fabrikam from Symantec".into(),
            organisation: "Fabrikam".into(),
            guide: "symantec-2021".into(),
            percent: 100,
            updated: "2026-11-20T09:05:00Z".into(),
            broken: None,
            newer: false,
        },
        PlanEntry {
            id: "old-99999999".into(),
            name: "old-99999999".into(),
            organisation: String::new(),
            guide: String::new(),
            percent: 0,
            updated: String::new(),
            broken: Some("truncated JSON (the file ends early)".into()),
            newer: false,
        },
    ]
}

#[test]
fn plans_screen_empty_and_with_plans() {
    let mut w = Wizard::new(catalog(), true);
    w.update(Action::PlansListed(Vec::new()), NOW);
    snap("plans_empty", &w);
    w.update(Action::PlansListed(entries()), NOW);
    snap("plans_list", &w);
    w.update(Action::Create, NOW);
    for c in "Fabrikam".chars() {
        w.update(Action::Char(c), NOW);
    }
    w.update(Action::NextField, NOW);
    w.update(Action::NextField, NOW);
    for c in "Symantec Endpoint Protection".chars() {
        w.update(Action::Char(c), NOW);
    }
    snap("new_plan", &w);
}

#[test]
fn every_step_of_the_generic_guide() {
    let mut w = wizard_with(worked_plan("generic-2023"));
    snap("generic_overview", &w);
    for (i, name) in ["updates", "licence", "access", "proxy"].iter().enumerate() {
        press(&mut w, &[Action::NextStep]);
        // Land on an item with something to show.
        if *name == "licence" {
            press(&mut w, &[Action::End]);
        }
        if *name == "access" {
            press(&mut w, &[Action::Down]);
        }
        snap(&format!("generic_{}_{name}", i + 1), &w);
    }
    // Phase 2 follows Phase 1: its first step, on the passive-mode item
    // with its registry path; then Phase 3's onboarding, with the table.
    press(&mut w, &[Action::NextStep, Action::Down, Action::Down]);
    snap("generic_p2_defender_av", &w);
    for _ in 0..5 {
        press(&mut w, &[Action::NextStep]);
    }
    snap("generic_p3_onboard", &w);
    to_summary(&mut w);
    snap("generic_summary", &w);
}

#[test]
fn every_step_of_the_symantec_guide() {
    let mut w = wizard_with(worked_plan("symantec-2021"));
    snap("symantec_overview", &w);
    for (i, name) in ["licence", "access", "proxy"].iter().enumerate() {
        press(&mut w, &[Action::NextStep]);
        snap(&format!("symantec_{}_{name}", i + 1), &w);
    }
    to_summary(&mut w);
    snap("symantec_summary", &w);
}

#[test]
fn pop_ups() {
    let mut w = wizard_with(worked_plan("generic-2023"));
    press(&mut w, &[Action::NextStep, Action::Help]);
    snap("help_updates", &w);
    press(&mut w, &[Action::Back, Action::Systems]);
    snap("systems", &w);
    press(&mut w, &[Action::Back, Action::NextStep, Action::Select]);
    snap("choice_licence_route", &w);
    press(
        &mut w,
        &[Action::Back, Action::NextStep, Action::Down, Action::Select],
    );
    snap("roles_list", &w);
    press(&mut w, &[Action::Create]);
    snap("roles_templates", &w);
    press(&mut w, &[Action::Select]);
    snap("roles_edit", &w);
    press(
        &mut w,
        &[Action::Back, Action::Back, Action::Home, Action::Open],
    );
    snap("links", &w);
    press(&mut w, &[Action::Back]);
    w.update(
        Action::Opened(Err(OpenFailure {
            url: "https://aka.ms/mdatp".into(),
            reason: "this is an SSH session without a display".into(),
        })),
        NOW,
    );
    snap("url_popup", &w);
}

#[test]
fn too_small_terminal_gets_a_message() {
    let w = wizard_with(worked_plan("generic-2023"));
    let text = render(&w, 79, 24);
    assert!(text.contains("Terminal too small"), "{text}");
    assert!(text.contains("this one is 79×24"), "{text}");
    insta::assert_snapshot!("too_small_60x20", render(&w, 60, 20));
}

#[test]
fn the_cursor_sits_on_the_selected_item() {
    let mut w = wizard_with(worked_plan("generic-2023"));
    press(&mut w, &[Action::NextStep]);
    let (text, (x, y)) = render_with(&w, 80, 24, &Theme::plain());
    let first = text.lines().nth(usize::from(y)).unwrap_or("");
    assert!(
        first.contains("Product in use today"),
        "cursor row {y}: {first:?}"
    );
    press(&mut w, &[Action::Down, Action::Down]);
    let (text, (x2, y2)) = render_with(&w, 80, 24, &Theme::plain());
    assert_eq!((x2, y2), (x, y + 2));
    assert!(
        text.lines()
            .nth(usize::from(y2))
            .unwrap_or("")
            .contains("Current product is up to")
    );
}

#[test]
fn selection_is_marked_without_colour() {
    let mut w = wizard_with(worked_plan("generic-2023"));
    press(&mut w, &[Action::NextStep]);
    let backend = ratatui::backend::TestBackend::new(80, 24);
    let mut terminal = ratatui::Terminal::new(backend).unwrap_or_else(|e| panic!("{e}"));
    let theme = Theme::plain();
    terminal
        .draw(|f| mde_migrate::ui::draw(f, &w, &theme))
        .unwrap_or_else(|e| panic!("{e}"));
    let buf = terminal.backend().buffer();
    let mut reversed_rows = std::collections::BTreeSet::new();
    for y in 0..24u16 {
        for x in 0..80u16 {
            let cell = &buf[(x, y)];
            assert_eq!(
                cell.fg,
                ratatui::style::Color::Reset,
                "no colour without NO_COLOR support at ({x},{y})"
            );
            if cell.modifier.contains(Modifier::REVERSED) {
                reversed_rows.insert(y);
            }
        }
    }
    // The step in the header and the selected item are in reverse video.
    assert!(reversed_rows.contains(&0));
    assert!(reversed_rows.len() >= 2, "{reversed_rows:?}");
    // And the state has a mark, explained by the legend and the details,
    // not colour alone; one vocabulary, no ✗ for an open item.
    let text = render(&w, 80, 24);
    assert!(
        text.contains("✓ done ○ to do – n/a ? not answered"),
        "{text}"
    );
    assert!(
        text.contains("Status: ? not answered") || text.contains("Status: ✓ done"),
        "{text}"
    );
    assert!(!text.contains('✗'), "{text}");
}

#[test]
fn hostile_text_from_a_plan_is_shown_harmlessly() {
    let mut p = plan("generic-2023");
    p.name = "Evil \u{1b}]52;c;ZXZpbA==\u{7} \u{1b}[2J\u{202e}plan".into();
    p.organisation = "Org\u{1b}[31m red".into();
    if let Some(a) = p.answers.get_mut("existing-product") {
        a.text = Some("Sym\u{1b}[2Jantec".into());
    }
    let mut w = wizard_with(p.clone());
    to_summary(&mut w);
    for (width, height) in SIZES {
        let text = render(&w, width, height);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{202e}'),
            "{text}"
        );
    }
    insta::assert_snapshot!("hostile_summary_80x24", render(&w, 80, 24));
    let _ = Status::Done;
}

/// A crowded plan: every system with large counts, long names, both
/// conflicts, the server warning, gaps and long notes.
fn crowded_plan() -> Plan {
    let guide = catalog()
        .guide("generic-2023")
        .unwrap_or_else(|| panic!("guide"));
    let mut p = match Plan::create(
        "Contoso Worldwide Holdings: endpoint protection migration, wave 3 (EMEA, APAC)",
        "Contoso Worldwide Holdings International Shared Services Limited",
        "Symantec Endpoint Protection 14.3 RU9 with Endpoint Detection and Response",
        guide,
        NOW,
    ) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    for (i, s) in guide.systems.iter().enumerate() {
        let n = 1000 + 137 * u64::try_from(i).unwrap_or(0);
        if let Err(e) = p.set_system_count(guide, &s.id, Some(n), NOW) {
            panic!("{e}");
        }
    }
    for (item, value) in [
        ("licence-route", "owned-p1"),
        ("servers", "no"),
        ("proxy-in-use", "yes"),
        ("access-model", "rbac"),
    ] {
        if let Err(e) = p.set_value(guide, item, value, NOW) {
            panic!("{item}: {e}");
        }
    }
    for item in ["licence-route", "servers", "tenant", "existing-version"] {
        if let Err(e) = p.set_note(
            item,
            "Agreed with the regional desktop teams in the change board of 14 November; revisit after the pilot of 500 devices in Frankfurt and Singapore",
            NOW,
        ) {
            panic!("{e}");
        }
    }
    p
}

/// The text of the right-hand pane (from column `from`) in every frame met
/// while paging it down to its end, flattened so that wrapped phrases can
/// be searched.
fn paged(w: &mut Wizard, from: usize) -> String {
    let mut all: Vec<String> = Vec::new();
    for _ in 0..40 {
        let frame = render(w, 80, 24);
        // Only the pane's inner rows: those that start with its left border.
        let rows: Vec<String> = frame
            .lines()
            .skip(1)
            .filter_map(|row| {
                let right: Vec<char> = row.chars().skip(from).collect();
                (right.first() == Some(&'│'))
                    .then(|| right[1..right.len().saturating_sub(1)].iter().collect())
            })
            .collect();
        // Append what this page adds after the rows it shares with the last.
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
fn nothing_is_cut_off_at_80x24() {
    let guide = catalog()
        .guide("generic-2023")
        .unwrap_or_else(|| panic!("guide"));
    let p = crowded_plan();
    let conflicts = p.conflicts(guide);
    let gaps = p.gaps(guide);
    assert_eq!(conflicts.len(), 2);
    assert!(!gaps.is_empty());
    let mut w = wizard_with(p);

    // Licence, on the licence route: the banner names both conflicts.
    press(&mut w, &[Action::NextStep, Action::NextStep]);
    insta::assert_snapshot!("crowded_licence_80x24", render(&w, 80, 24));
    assert_eq!(
        render(&w, 80, 24)
            .matches("disagrees with the estate")
            .count(),
        2
    );
    let route = paged(&mut w, 37);
    assert!(route.contains(&flat(&conflicts[1].text)), "{route}");
    // The servers item: the warning and the conflict, in full.
    press(&mut w, &[Action::End]);
    insta::assert_snapshot!("crowded_servers_80x24", render(&w, 80, 24));
    let servers = paged(&mut w, 37);
    assert!(servers.contains(&flat(&conflicts[0].text)), "{servers}");
    assert!(servers.contains("Microsoft Defender for Servers Plan 1 or Plan 2"));

    // Proxy: every gap and conflict, paging the estate pane.
    press(&mut w, &[Action::NextStep, Action::NextStep]);
    insta::assert_snapshot!("crowded_proxy_80x24", render(&w, 80, 24));
    let proxy = paged(&mut w, 37);
    for g in &gaps {
        assert!(proxy.contains(&flat(&format!("• {}", g.text()))), "{proxy}");
    }
    for c in &conflicts {
        assert!(proxy.contains(&flat(&c.text)), "{proxy}");
    }

    // Summary (after Phases 2 and 3: the overview's last row): the
    // warning, conflicts, gaps and notes, paging the pane.
    press(&mut w, &[Action::Back, Action::End, Action::Select]);
    insta::assert_snapshot!("crowded_summary_80x24", render(&w, 80, 24));
    let summary = paged(&mut w, 40);
    assert!(
        summary.contains(
            "Standalone Defender for Endpoint Plan 1 and Plan 2 include no server licences"
        )
    );
    for c in &conflicts {
        assert!(summary.contains(&flat(&c.text)), "{summary}");
    }
    for g in &gaps {
        assert!(summary.contains(&flat(&g.text())), "{summary}");
    }
    assert!(summary.contains("Frankfurt and Singapore"), "{summary}");
}
