//! Every screen drawn into ratatui's TestBackend at 80×24 and 120×40, for
//! both guides, compared with reviewed snapshots; plus the cursor that
//! follows the selection, and styles where they carry meaning.

// Test code throughout: clippy.toml's allow-unwrap-in-tests covers the
// helpers too (integration tests are always built with cfg(test)).
#![cfg(test)]

mod common;

use common::*;
use mde_migrate::plan::{Plan, Role, Status};
use mde_migrate::ui::theme::Theme;
use mde_migrate::wizard::{Action, OpenFailure, PlanEntry, Wizard};
use ratatui::style::Modifier;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// A plan with answers on every step, as an operator would have it midway.
fn worked_plan(guide_id: &str) -> Plan {
    let guide = catalog().guide(guide_id).unwrap();
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
        p.set_system_count(guide, s, Some(*n), NOW).unwrap();
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
        p.set_value(guide, item, value, NOW)
            .unwrap_or_else(|e| panic!("{item}: {e}"));
    }
    p.set_note(
        "licence-state",
        "Checked in the admin centre with Dana",
        NOW,
    )
    .unwrap();
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
        p.add_role(role, NOW).unwrap();
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
    // Two items down; the first wraps, so at least two rows further.
    assert_eq!(x2, x);
    assert!(y2 >= y + 2, "{y} → {y2}");
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
    let mut terminal = ratatui::Terminal::new(backend).unwrap();
    let theme = Theme::plain();
    terminal
        .draw(|f| mde_migrate::ui::draw(f, &w, &theme))
        .unwrap();
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
    let guide = catalog().guide("generic-2023").unwrap();
    let mut p = plan("generic-2023");
    p.name = "Evil \u{1b}]52;c;ZXZpbA==\u{7} \u{1b}[2J\u{202e}plan".into();
    p.organisation = "Org\u{1b}[31m red".into();
    p.set_value(guide, "existing-product", "Symantec", NOW)
        .unwrap();
    // As a hand-edited file would have it: past the checks on typing.
    p.answers.get_mut("existing-product").unwrap().text = Some("Sym\u{1b}[2J\u{2066}antec".into());
    p.set_note("existing-product", "ok", NOW).unwrap();
    p.answers.get_mut("existing-product").unwrap().note = "N\u{202e}ote\u{200b}!".into();
    let mut w = wizard_with(p);
    // Each screen that shows the name, the answer or the note, at both
    // sizes: what is shown is the cleaned text, and no cell of the frame
    // holds a control or bidirectional character.
    let check = |w: &Wizard, expected: &[&str]| {
        for (width, height) in SIZES {
            let text = render(w, width, height);
            for e in expected {
                assert!(flat(&text).contains(e), "{e:?} not in\n{text}");
            }
            let buf = render_buffer(w, width, height);
            for cell in buf.content() {
                assert!(
                    !mde_migrate::sanitize::has_hostile(cell.symbol()),
                    "{:?} drawn in\n{text}",
                    cell.symbol()
                );
            }
        }
    };
    check(&w, &["Evil ]52;c;ZXZpbA== [2Jplan"]);
    press(&mut w, &[Action::NextStep]);
    check(&w, &["Sym[2Jantec", "Note!"]);
    // The summary, after the three phases.
    to_summary(&mut w);
    check(&w, &[]);
    insta::assert_snapshot!("hostile_summary_80x24", render(&w, 80, 24));
    let _ = Status::Done;
}

/// A crowded plan: every system with large counts, long names, both
/// conflicts, the server warning, gaps and long notes.
fn crowded_plan() -> Plan {
    let guide = catalog().guide("generic-2023").unwrap();
    let mut p = Plan::create(
        "Contoso Worldwide Holdings: endpoint protection migration, wave 3 (EMEA, APAC)",
        "Contoso Worldwide Holdings International Shared Services Limited",
        "Symantec Endpoint Protection 14.3 RU9 with Endpoint Detection and Response",
        guide,
        NOW,
    )
    .unwrap();
    for (i, s) in guide.systems.iter().enumerate() {
        let n = 1000 + 137 * u64::try_from(i).unwrap_or(0);
        p.set_system_count(guide, &s.id, Some(n), NOW).unwrap();
    }
    for (item, value) in [
        ("licence-route", "owned-p1"),
        ("servers", "no"),
        ("proxy-in-use", "yes"),
        ("access-model", "rbac"),
    ] {
        p.set_value(guide, item, value, NOW)
            .unwrap_or_else(|e| panic!("{item}: {e}"));
    }
    for item in ["licence-route", "servers", "tenant", "existing-version"] {
        p.set_note(
            item,
            "Agreed with the regional desktop teams in the change board of 14 November; revisit after the pilot of 500 devices in Frankfurt and Singapore",
            NOW,
        ).unwrap();
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
    let guide = catalog().guide("generic-2023").unwrap();
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

/// The summary's estate facts come from each guide's data: a server count
/// (the licence is the guide's warning or a dated note, not a fixed line),
/// and the down-level systems by the names the guide gives them.
#[test]
fn summary_estate_facts_per_guide() {
    for g in &catalog().guides {
        let mut p = plan(&g.id);
        for s in &g.systems {
            if let Err(e) = p.set_system_count(g, &s.id, Some(1), NOW) {
                panic!("{e}");
            }
        }
        let servers = g.systems.iter().filter(|s| s.server).count();
        let down: Vec<&str> = g
            .systems
            .iter()
            .filter(|s| s.downlevel)
            .map(|s| s.name.as_str())
            .collect();
        let mut w = wizard_with(p);
        for _ in 0..=g.steps.len() {
            press(&mut w, &[Action::NextStep]);
        }
        let summary = paged(&mut w, 40);
        assert!(
            !summary.contains("need a server licence"),
            "{}: {summary}",
            g.id
        );
        assert!(
            summary.contains(&format!("Servers: {servers} devices")),
            "{}: {summary}",
            g.id
        );
        assert!(
            summary.contains(&flat(&format!("Down-level ({}):", down.join(", ")))),
            "{}: {summary}",
            g.id
        );
    }
}

/// One system, one device: the summary counts them in the singular.
#[test]
fn one_system_is_said_in_the_singular() {
    for g in &catalog().guides {
        let mut p = plan(&g.id);
        let Some(s) = g.systems.iter().find(|s| s.server) else {
            panic!("{}: no server system", g.id);
        };
        if let Err(e) = p.set_system_count(g, &s.id, Some(1), NOW) {
            panic!("{e}");
        }
        let mut w = wizard_with(p);
        for _ in 0..=g.steps.len() {
            press(&mut w, &[Action::NextStep]);
        }
        let summary = paged(&mut w, 40);
        assert!(
            summary.contains("Estate: 1 system, 1 device counted"),
            "{}: {summary}",
            g.id
        );
        assert!(summary.contains("Servers: 1 device"), "{}: {summary}", g.id);
        assert!(!summary.contains("1 systems") && !summary.contains("1 devices"));
    }
}

/// Every web address drawn on a screen, as text runs.
fn addresses(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for row in text.lines() {
        let mut rest = row;
        while let Some(at) = rest.find("https://").or_else(|| rest.find("http://")) {
            let run: String = rest[at..]
                .chars()
                .take_while(|c| c.is_ascii_graphic() || *c == '…')
                .collect();
            let run = run
                .trim_end_matches([')', '.', ',', ';', ':', '"', '\''])
                .to_string();
            rest = &rest[at + run.len().max(1)..];
            out.push(run);
        }
    }
    out
}

/// Every frame an administrator meets on `guide`: overview, each item of
/// each step, each item's page list, the summary; at both sizes.
fn every_frame(guide: &str) -> Vec<String> {
    let mut frames = Vec::new();
    // The third guide is walked as a new plan (its systems differ).
    let start = if guide == "mcafee-2021" {
        plan(guide)
    } else {
        worked_plan(guide)
    };
    let mut w = wizard_with(start);
    let steps = catalog().guide(guide).unwrap().steps.len();
    let mut grab = |w: &Wizard| {
        for (width, height) in SIZES {
            frames.push(render(w, width, height));
        }
    };
    grab(&w);
    press(&mut w, &[Action::Open]);
    grab(&w);
    press(&mut w, &[Action::Back]);
    for _ in 0..steps {
        press(&mut w, &[Action::NextStep, Action::Home]);
        for _ in 0..12 {
            grab(&w);
            press(&mut w, &[Action::Open]);
            grab(&w);
            // A list of pages: each entry in turn.
            for _ in 0..8 {
                press(&mut w, &[Action::Down]);
                grab(&w);
            }
            press(&mut w, &[Action::Back, Action::Down]);
        }
    }
    press(&mut w, &[Action::NextStep]);
    grab(&w);
    press(&mut w, &[Action::Open]);
    grab(&w);
    frames
}

#[test]
fn no_address_is_ever_broken_on_any_screen() {
    for guide in ["generic-2023", "symantec-2021", "mcafee-2021"] {
        let mut seen = 0;
        for frame in every_frame(guide) {
            for run in addresses(&frame) {
                seen += 1;
                assert!(
                    !mde_migrate::ui::hyperlink::stands_for(catalog(), &run).is_empty(),
                    "{guide}: {run:?} is neither a whole catalog address nor one shortened in the middle:\n{frame}"
                );
            }
        }
        assert!(seen > 50, "{guide}: only {seen} addresses seen");
    }
}

#[test]
fn catalog_addresses_become_hyperlinks_and_typed_ones_do_not() {
    let mut p = worked_plan("generic-2023");
    p.set_note("existing-product", "see https://evil.example.com/x", NOW)
        .unwrap();
    let mut w = wizard_with(p);
    press(&mut w, &[Action::NextStep]);
    let text = render(&w, 80, 24);
    assert!(text.contains("https://evil.example.com/x"), "{text}");
    let spots = mde_migrate::ui::hyperlink::spots(&render_buffer(&w, 80, 24), catalog());
    assert!(spots.iter().all(|s| !s.url.contains("evil")), "{spots:?}");
    // On the page list, a shortened address links to the whole one.
    press(
        &mut w,
        &[
            Action::NextStep,
            Action::NextStep,
            Action::Home,
            Action::Open,
        ],
    );
    let buf = render_buffer(&w, 80, 24);
    let spots = mde_migrate::ui::hyperlink::spots(&buf, catalog());
    let short = spots
        .iter()
        .find(|s| s.text.contains('…'))
        .unwrap_or_else(|| panic!("no shortened address: {}", render(&w, 80, 24)));
    assert!(catalog().knows_url(&short.url), "{short:?}");
    assert!(short.url.len() > short.text.len());
    let (head, tail) = short.text.split_once('…').unwrap();
    assert!(short.url.starts_with(head) && short.url.ends_with(tail));
    // Written over itself at its place, in its style, and nothing else.
    let bytes = mde_migrate::ui::hyperlink::overlay(std::slice::from_ref(short));
    assert!(bytes.starts_with(&format!("\u{1b}7\u{1b}[{};{}H", short.y + 1, short.x + 1)));
    assert!(bytes.contains(&format!(
        "\u{1b}]8;;{}\u{1b}\\{}\u{1b}]8;;\u{1b}\\",
        short.url, short.text
    )));
    assert!(bytes.ends_with("\u{1b}8"));
    // The frame itself carries no escape: the test backend's text is the
    // terminal's text.
    assert!(!render(&w, 80, 24).contains('\u{1b}'));
}

#[test]
fn a_hostile_spot_is_cleaned_before_it_reaches_the_terminal() {
    let spot = mde_migrate::ui::hyperlink::Spot {
        x: 0,
        y: 0,
        text: "https://aka.ms/mdatp\u{7}\u{1b}]52;c;x".into(),
        url: "https://aka.ms/mdatp\u{1b}\\\u{202e}".into(),
        style: ratatui::style::Style::new(),
    };
    let bytes = mde_migrate::ui::hyperlink::overlay(&[spot]);
    assert!(!bytes.contains('\u{7}') && !bytes.contains('\u{202e}'));
    assert!(
        bytes.contains("\u{1b}]8;;https://aka.ms/mdatp\\\u{1b}\\"),
        "{bytes:?}"
    );
    // Resolving refuses what the catalog does not hold.
    assert_eq!(
        mde_migrate::ui::hyperlink::resolve(catalog(), "https://aka.ms/mdatp-evil"),
        None
    );
    assert_eq!(
        mde_migrate::ui::hyperlink::resolve(catalog(), "https://aka…/x"),
        None
    );
}

#[test]
fn the_status_line_says_whether_a_browser_opened() {
    let url = "https://learn.microsoft.com/microsoft-365/security/defender-endpoint/switch-to-mde-phase-1";
    let mut w = wizard_with(worked_plan("generic-2023"));
    press(&mut w, &[Action::NextStep]);
    w.update(Action::Opened(Ok(url.into())), NOW);
    let text = render(&w, 80, 24);
    let status = text.lines().nth(22).unwrap();
    assert!(
        status.contains("Opened in your browser: https://"),
        "{status}"
    );
    // The address is shortened in the middle to stay on the line.
    assert!(
        status.contains('…') && status.ends_with("switch-to-mde-phase-1"),
        "{status}"
    );
    assert!(w.modal.is_none());
    let wide = render(&w, 120, 40);
    assert!(wide.lines().nth(38).unwrap().contains(url));

    w.update(
        Action::Opened(Err(OpenFailure {
            url: url.into(),
            reason: "this is an SSH session without a display".into(),
        })),
        NOW,
    );
    let text = render(&w, 80, 24);
    let status = text.lines().nth(22).unwrap();
    assert!(
        status.contains("No browser opened: the address is shown; y copies it."),
        "{status}"
    );
    // The pop-up shows the address on one line, shortened in the middle.
    let shown: Vec<String> = addresses(&text);
    assert!(
        shown
            .iter()
            .any(|a| a.contains('…') && a.ends_with("phase-1")),
        "{text}"
    );
    assert!(text.contains("y copies all of it"), "{text}");
    let effects = press(&mut w, &[Action::Copy]);
    assert_eq!(effects, vec![mde_migrate::wizard::Effect::Copy(url.into())]);
}

/// The text inside the pop-up whose title contains `title`, row by row.
fn popup_text(frame: &str, title: &str) -> String {
    let rows: Vec<Vec<char>> = frame.lines().map(|l| l.chars().collect()).collect();
    let Some((top, x0)) = rows.iter().enumerate().find_map(|(y, r)| {
        let s: String = r.iter().collect();
        s.find(title)
            .map(|b| (y, s[..b].chars().count()))
            .and_then(|(y, x)| r[..x].iter().rposition(|c| *c == '┌').map(|x0| (y, x0)))
    }) else {
        return String::new();
    };
    let x1 = rows[top][x0 + 1..]
        .iter()
        .position(|c| *c == '┐')
        .map_or(rows[top].len(), |p| x0 + 1 + p);
    let mut out = Vec::new();
    for r in &rows[top + 1..] {
        if r.get(x0) != Some(&'│') {
            break;
        }
        out.push(r[x0 + 1..x1.min(r.len())].iter().collect::<String>());
    }
    out.join(" ")
}

#[test]
fn long_names_wrap_instead_of_being_cut() {
    let long = "Regional security operations, EMEA and APAC, second line (incident response)";
    let group = "sg-defender-regional-security-operations-emea-apac-second-line";
    let mut p = crowded_plan();
    p.add_role(
        Role {
            name: long.into(),
            group: group.into(),
            permissions: ["view-secops".to_string()].into(),
            ..Role::default()
        },
        NOW,
    )
    .unwrap();
    let mut w = wizard_with(p);
    // The role planner, at 80 columns and at 200: the name and the group
    // in full, never "…".
    press(
        &mut w,
        &[Action::NextStep, Action::NextStep, Action::NextStep],
    );
    press(&mut w, &[Action::Home, Action::Down]);
    let roles_row = render(&w, 80, 24);
    // One role: the banner counts it without a plural, and the details
    // give its name in full.
    assert!(roles_row.contains("RBAC, 1 role planned"), "{roles_row}");
    let details = paged(&mut w, 37);
    assert!(details.contains(long), "{details}");
    // A word longer than the pane is broken, never cut short.
    assert!(details.replace(' ', "").contains(group), "{details}");
    press(&mut w, &[Action::Select]);
    insta::assert_snapshot!("crowded_roles_80x24", render(&w, 80, 24));
    for (width, height) in [(80, 24), (120, 40), (200, 50)] {
        let text = popup_text(&render(&w, width, height), "Role planner");
        assert!(flat(&text).contains(long), "{width}: {text}");
        assert!(
            flat(&text).replace(' ', "").contains(group),
            "{width}: {text}"
        );
        assert!(!text.contains('…'), "{width}: {text}");
    }
    // The overview: the long plan name gives way in the title, with "…",
    // and the guide's name stays whole; the progress words sit beside the
    // bar, not over it.
    let mut w = wizard_with(crowded_plan());
    let text = render(&w, 80, 24);
    let title = text.lines().nth(1).unwrap();
    assert!(
        title.contains("…") && title.contains("· Generic guide (2023)"),
        "{title}"
    );
    let bar = text.lines().nth(4).unwrap();
    assert!(
        bar.starts_with(" All three phases: ") && bar.contains("items closed"),
        "{bar}"
    );
    let words_end = bar.find(") ").unwrap() + 2;
    assert!(
        bar[words_end..].chars().all(|c| c == '█' || c == '░'),
        "{bar}"
    );
    // The new-plan form shows a long name from its start once it is left.
    w.update(Action::Back, NOW);
    let mut w = Wizard::new(catalog(), true);
    w.update(Action::PlansListed(Vec::new()), NOW);
    w.update(Action::Create, NOW);
    for c in "Contoso Worldwide Holdings endpoint migration wave 3 EMEA and APAC regions".chars() {
        w.update(Action::Char(c), NOW);
    }
    w.update(Action::NextField, NOW);
    let text = render(&w, 80, 24);
    assert!(
        text.contains("Contoso Worldwide Holdings endpoint"),
        "{text}"
    );
}

#[test]
fn every_pane_that_overflows_says_so() {
    // The proxy lookup's system list at 80×24 has more systems than rows.
    let mut w = wizard_with(crowded_plan());
    press(
        &mut w,
        &[
            Action::NextStep,
            Action::NextStep,
            Action::NextStep,
            Action::NextStep,
        ],
    );
    let text = render(&w, 80, 24);
    let list_bottom = text
        .lines()
        .find(|l| l.starts_with("└") && l.contains("more"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(list_bottom.contains("↓ more"), "{text}");
    // At the end of the list the sign points up.
    press(&mut w, &[Action::End]);
    let text = render(&w, 80, 24);
    assert!(text.contains("↑ more"), "{text}");
    // The Symantec guide's 17 systems fill the systems pop-up at 80×24:
    // every name whole, the footer still in view, the last row reachable.
    let mut w = wizard_with(worked_plan("symantec-2021"));
    press(&mut w, &[Action::Systems, Action::End]);
    let text = render(&w, 80, 24);
    assert!(!text.contains('…'), "{text}");
    assert!(
        text.contains("Space in/out"),
        "the footer stays in view: {text}"
    );
    let (_, (_, y)) = render_with(&w, 80, 24, &Theme::plain());
    let last = catalog()
        .guide("symantec-2021")
        .unwrap()
        .systems
        .last()
        .unwrap();
    assert!(
        text.lines()
            .nth(usize::from(y))
            .unwrap()
            .contains(&last.name),
        "{text}"
    );
    // The help overlay says there is more below.
    let mut w = wizard_with(crowded_plan());
    press(&mut w, &[Action::NextStep, Action::Help]);
    let text = render(&w, 80, 24);
    assert!(text.contains("↓ more (↑/↓)"), "{text}");
    press(&mut w, &vec![Action::Down; 60]);
    let text = render(&w, 80, 24);
    assert!(text.contains("↑ more (↑/↓)"), "{text}");
    assert!(text.contains("Every change is saved at once"), "{text}");
    // Presses past the end are not stored: one ↑ scrolls back at once.
    press(&mut w, &[Action::Up]);
    assert!(render(&w, 80, 24).contains("↑↓ more (↑/↓)"));
}

#[test]
fn a_long_plan_name_wraps_in_the_plans_list() {
    let mut w = Wizard::new(catalog(), true);
    let mut list = entries();
    list[1].name = "Fabrikam Worldwide: move from Symantec Endpoint Protection, wave 2".into();
    w.update(Action::PlansListed(list), NOW);
    w.update(Action::Down, NOW);
    let text = render(&w, 80, 24);
    // Every word of the name, down its column; the headers whole.
    let column: Vec<String> = text
        .lines()
        .skip(4)
        .take(5)
        .map(|l| l.chars().skip(3).take(21).collect::<String>())
        .collect();
    assert_eq!(
        flat(&column.join(" ")),
        flat("Fabrikam Worldwide: move from Symantec Endpoint Protection, wave 2 old-99999999"),
        "{text}"
    );
    assert!(
        text.contains("Organisation") && text.contains("Changed"),
        "{text}"
    );
    // The cursor is on the selected (second) plan's first line.
    let (_, (_, y)) = render_with(&w, 80, 24, &Theme::plain());
    assert!(
        text.lines()
            .nth(usize::from(y))
            .unwrap()
            .contains("Fabrikam Worldwide")
    );
}

#[test]
fn a_long_message_takes_the_footer_row_instead_of_being_cut() {
    let mut w = wizard_with(worked_plan("generic-2023"));
    let long = "Imported 3733 devices from 3 rows (an OS and count list): 2633 on 1 system of the guide; not matched: 800 Windows 11, 300 Windows Server 2022";
    w.message = Some(long.into());
    let text = render(&w, 80, 24);
    let rows: Vec<&str> = text.lines().skip(22).collect();
    assert_eq!(flat(&rows.join(" ")), flat(long), "{text}");
    // Longer still, it rises over the bottom of the screen, whole.
    let longer = format!(
        "{long}, 120 macOS 14, 40 Ubuntu 24.04, 12 Android, 9 iOS; the 2021 table predates them: see the current system requirements"
    );
    w.message = Some(longer.clone());
    let text = render(&w, 80, 24);
    let rows: Vec<&str> = text.lines().skip(20).collect();
    assert_eq!(flat(&rows.join(" ")), flat(&longer), "{text}");
    // The next key brings the footer back.
    press(&mut w, &[Action::Down]);
    assert!(
        render(&w, 80, 24)
            .lines()
            .nth(23)
            .unwrap()
            .contains("? help")
    );
}

#[test]
fn the_message_after_a_delete_survives_the_list_refresh() {
    let mut w = Wizard::new(catalog(), true);
    w.update(Action::PlansListed(entries()), NOW);
    press(&mut w, &[Action::Delete, Action::Yes]);
    w.update(
        Action::Deleted(Ok("Deleted \"Contoso rollout\".".into())),
        NOW,
    );
    // The runner lists the plans again at once; the message stays.
    w.update(Action::PlansListed(entries()[1..].to_vec()), NOW);
    let text = render(&w, 80, 24);
    assert!(text.contains("Press u to restore it."), "{text}");
    // The next key replaces it.
    press(&mut w, &[Action::Down]);
    assert!(!render(&w, 80, 24).contains("Press u to restore it."));
}

#[test]
fn a_click_lands_on_the_row_drawn_under_it_when_rows_wrap() {
    let size = Action::Resize {
        width: 80,
        height: 24,
    };
    // Overview: step titles wrap to two lines.
    let mut w = wizard_with(worked_plan("generic-2023"));
    press(&mut w, std::slice::from_ref(&size));
    let text = render(&w, 80, 24);
    let row_of = |text: &str, needle: &str| -> u16 {
        let y = text
            .lines()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle}: {text}"));
        u16::try_from(y).unwrap()
    };
    let portal = row_of(&text, "3. Portal access");
    press(
        &mut w,
        &[Action::Click {
            column: 20,
            row: portal,
        }],
    );
    assert_eq!(w.open.as_ref().unwrap().overview_selected, 2);
    // The second line of the licence step's title is the licence step.
    let licence = row_of(&text, "2. Licence");
    press(
        &mut w,
        &[Action::Click {
            column: 50,
            row: licence + 1,
        }],
    );
    assert_eq!(w.open.as_ref().unwrap().overview_selected, 1);
    // A step of Phase 2 (the fifth step in all); its phase's heading, and
    // the pages under the list, select nothing.
    let setup = row_of(&text, "1. Defender AV");
    press(
        &mut w,
        &[Action::Click {
            column: 20,
            row: setup,
        }],
    );
    assert_eq!(w.open.as_ref().unwrap().overview_selected, 4);
    let text = render(&w, 80, 24);
    for needle in ["Phase 2: Set up ·", "Pages: Phase 1"] {
        let row = row_of(&text, needle);
        press(&mut w, &[Action::Click { column: 20, row }]);
        assert_eq!(w.open.as_ref().unwrap().overview_selected, 4, "{needle}");
    }

    // Plans: a long name takes several lines; the plan under it follows.
    let mut w = Wizard::new(catalog(), true);
    let mut list = entries();
    list[0].name = "Contoso Worldwide: move from Symantec Endpoint Protection, wave 2".into();
    w.update(Action::PlansListed(list), NOW);
    press(&mut w, &[size]);
    let text = render(&w, 80, 24);
    let fabrikam = row_of(&text, "Fabrikam from");
    assert!(fabrikam > 4, "{text}");
    press(
        &mut w,
        &[Action::Click {
            column: 5,
            row: fabrikam,
        }],
    );
    assert_eq!(w.plans.selected, 1);
    press(&mut w, &[Action::Click { column: 5, row: 4 }]);
    assert_eq!(w.plans.selected, 0);
    press(
        &mut w,
        &[Action::Click {
            column: 5,
            row: fabrikam - 1,
        }],
    );
    assert_eq!(w.plans.selected, 0, "a wrapped line of the first plan");
}

#[test]
fn a_question_about_a_long_name_keeps_its_keys_in_view() {
    let mut w = Wizard::new(catalog(), true);
    let mut list = entries();
    list[0].name = "Contoso Worldwide Holdings: endpoint protection migration, wave 3 (EMEA, APAC), second attempt after the pilot in Frankfurt and Singapore".into();
    w.update(Action::PlansListed(list), NOW);
    press(&mut w, &[Action::Delete]);
    let text = render(&w, 80, 24);
    let inside = popup_text(&text, "Delete plan?");
    assert!(
        flat(&inside).contains("Frankfurt and Singapore\" and all its answers?"),
        "{text}"
    );
    assert!(
        flat(&inside).contains("y yes any other key (Enter, Esc, n): no"),
        "{text}"
    );
    // The export dialog's hint is whole too.
    let mut w = wizard_with(worked_plan("generic-2023"));
    press(&mut w, &[Action::Export]);
    let text = render(&w, 80, 24);
    assert!(
        flat(&popup_text(&text, "Export a report")).contains("inside the plans folder · Esc: back"),
        "{text}"
    );
    let (_, (_, y)) = render_with(&w, 80, 24, &Theme::plain());
    assert!(
        text.lines()
            .nth(usize::from(y))
            .unwrap()
            .contains("› Markdown"),
        "{text}"
    );
}

#[test]
fn a_full_field_says_so_instead_of_dropping_keys_silently() {
    let mut w = Wizard::new(catalog(), true);
    w.update(Action::PlansListed(Vec::new()), NOW);
    w.update(Action::Create, NOW);
    let name = "Northwind: Symantec Endpoint Protection replacement for all regional offices and data centres";
    for c in name.chars() {
        w.update(Action::Char(c), NOW);
    }
    let text = render(&w, 80, 24);
    assert!(
        text.contains("Plan name (required): 80 characters at most"),
        "{text}"
    );
    // Room again: the warning goes.
    w.update(Action::Backspace, NOW);
    assert!(!render(&w, 80, 24).contains("characters at most"));
}
