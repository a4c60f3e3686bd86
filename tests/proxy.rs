//! The proxy step: focus starts on the lookup (left), the `›` marker is on
//! the focused pane only, resuming restores pane, plan or capability and
//! system, and one page listed under two ids is reviewed once.

mod common;

use common::*;
use mde_migrate::wizard::{Action, Context};

fn to_proxy(guide: &str) -> mde_migrate::wizard::Wizard {
    let mut p = plan(guide);
    let g = catalog().guide(guide).unwrap_or_else(|| panic!("guide"));
    let systems: &[&str] = if guide == "generic-2023" {
        &["win10", "macos"]
    } else {
        &["win10", "macos-10.15"]
    };
    for s in systems {
        if let Err(e) = p.set_system_count(g, s, Some(10), NOW) {
            panic!("{e}");
        }
    }
    let mut w = wizard_with(p);
    // The proxy step is the last of Phase 1.
    for _ in 0..g.phase_steps(&g.phases[0].id).count() {
        press(&mut w, &[Action::NextStep]);
    }
    assert_eq!(w.context(), Context::Proxy);
    w
}

/// Rows of the left and right panes that carry the `›` marker.
fn marked(w: &mde_migrate::wizard::Wizard) -> (usize, usize) {
    let text = render(w, 120, 40);
    // The breadcrumb (first row) and the lookup's ‹ P2 › use the sign too.
    let mut left = 0;
    let mut right = 0;
    for row in text.lines().skip(1).filter(|r| !r.contains('‹')) {
        let chars: Vec<char> = row.chars().collect();
        let half = chars.len().min(55);
        if chars[..half].contains(&'›') {
            left += 1;
        }
        if chars[half..].contains(&'›') {
            right += 1;
        }
    }
    (left, right)
}

#[test]
fn focus_starts_on_the_lookup_and_only_the_focused_pane_is_marked() {
    let mut w = to_proxy("generic-2023");
    let open = w.open.as_ref().unwrap_or_else(|| panic!("open"));
    assert_eq!(open.proxy.system, 0);
    assert_eq!(marked(&w), (1, 0));
    // ↓ moves in the lookup at once.
    press(&mut w, &[Action::Down]);
    assert_eq!(w.open.as_ref().map(|o| o.proxy.system), Some(1));
    press(&mut w, &[Action::NextField]);
    assert_eq!(marked(&w), (0, 1));
}

#[test]
fn resume_restores_the_pane_value_and_system() {
    let mut w = to_proxy("symantec-2021");
    press(
        &mut w,
        &[Action::Right, Action::Down, Action::Down, Action::Down],
    );
    let before = w.open.as_ref().map(|o| o.proxy).unwrap_or_default();
    assert_eq!(before.value, 1);
    assert_eq!(before.system, 3);
    press(&mut w, &[Action::Quit]);
    let saved = w
        .open
        .as_ref()
        .map(|o| o.plan.clone())
        .unwrap_or_else(|| panic!("plan"));
    assert_eq!(
        saved.position.item.as_deref(),
        Some("lookup:Antivirus:ws2016:proxy-internet")
    );
    let again = wizard_with(saved);
    let after = again.open.as_ref().map(|o| o.proxy).unwrap_or_default();
    assert_eq!(again.context(), Context::Proxy);
    assert_eq!(
        (after.focus, after.value, after.system),
        (before.focus, 1, 3)
    );
}

#[test]
fn a_page_listed_twice_is_reviewed_once() {
    let g = catalog()
        .guide("symantec-2021")
        .unwrap_or_else(|| panic!("guide"));
    let mut p = plan("symantec-2021");
    if let Err(e) = p.set_system_count(g, "macos-10.15", Some(5), NOW) {
        panic!("{e}");
    }
    let all = p.applicable_proxy(g);
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(
        all[0].values,
        vec!["EDR".to_string(), "Antivirus".to_string()]
    );
    p.toggle_reviewed(&all[0].link, NOW);
    let review = g
        .item("proxy-guides")
        .map(|(_, i)| i)
        .unwrap_or_else(|| panic!("item"));
    assert!(p.is_complete(g, review));
}

#[test]
fn the_plans_filter_is_in_the_footer_and_esc_clears_it() {
    use mde_migrate::wizard::{Key, Wizard};
    let mut w = Wizard::new(catalog(), false);
    // An empty list has nothing to filter: the footer offers / once a
    // plan is listed.
    press(&mut w, &[Action::PlansListed(Vec::new())]);
    assert!(!render(&w, 120, 40).contains("/ filter"));
    let entry = mde_migrate::wizard::PlanEntry {
        id: "fabrikam-1".into(),
        name: "Fabrikam".into(),
        organisation: String::new(),
        guide: "generic-2023".into(),
        percent: 0,
        updated: String::new(),
        broken: None,
        newer: false,
    };
    press(&mut w, &[Action::PlansListed(vec![entry])]);
    assert!(render(&w, 120, 40).contains("/ filter"));
    press(&mut w, &[Action::Filter]);
    for c in "fab".chars() {
        press(&mut w, &[Action::Char(c)]);
    }
    press(&mut w, &[Action::Select]);
    assert_eq!(w.plans.filter, "fab");
    let esc = w.key(Key::Esc);
    assert_eq!(esc, Some(Action::Back));
    press(&mut w, &[Action::Back]);
    assert_eq!(w.plans.filter, "");
}

#[test]
fn the_export_dialog_says_where_it_writes_and_offers_no_copy() {
    let mut w = wizard_with(plan("generic-2023"));
    press(&mut w, &[Action::Export]);
    let text = render(&w, 120, 40);
    assert!(
        text.contains("reports folder inside the plans folder"),
        "{text}"
    );
    assert!(text.contains("Enter write"), "{text}");
    assert!(!text.contains("y copy"), "{text}");
}

#[test]
fn the_links_list_keeps_the_selected_page_in_view_at_80x24() {
    // The generic overview lists seven pages, addresses wrapped.
    let mut w = wizard_with(plan("generic-2023"));
    press(&mut w, &[Action::Open]);
    for _ in 0..6 {
        press(&mut w, &[Action::Down]);
    }
    let last = render(&w, 80, 24);
    assert!(last.contains("› Phase 3: Onboard"), "{last}");
    assert!(last.contains("mde-phase-3"), "{last}");
}

#[test]
fn tab_to_the_estate_brings_its_selection_into_view() {
    let mut w = to_proxy("generic-2023");
    press(&mut w, &[Action::PageDown, Action::PageDown]);
    assert!(w.open.as_ref().is_some_and(|o| o.proxy.detail_scroll > 0));
    press(&mut w, &[Action::NextField]);
    assert_eq!(w.open.as_ref().map(|o| o.proxy.detail_scroll), Some(0));
    assert_eq!(marked(&w), (0, 1));
}
