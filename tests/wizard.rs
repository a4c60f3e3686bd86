//! The wizard's state machine, driven with actions: navigation, every kind
//! of answer, the role planner, the proxy review, links, resume and quit.
//! No terminal, no disk: effects are asserted as values.

mod common;

use common::*;
use mde_migrate::plan::{Position, Status};
use mde_migrate::wizard::{Action, Context, Effect, Key, Modal, OpenFailure, Screen};

fn typed(s: &str) -> Vec<Action> {
    s.chars().map(Action::Char).collect()
}

fn open_plan(w: &mde_migrate::wizard::Wizard) -> &mde_migrate::plan::Plan {
    match &w.open {
        Some(o) => &o.plan,
        None => panic!("no plan open"),
    }
}

#[test]
fn n_and_p_walk_every_screen_in_order() {
    let mut w = wizard_with(plan("generic-2023"));
    assert_eq!(w.screen, Screen::Overview);
    let mut seen = vec![w.screen];
    for _ in 0..6 {
        press(&mut w, &[Action::NextStep]);
        seen.push(w.screen);
    }
    assert_eq!(
        seen,
        vec![
            Screen::Overview,
            Screen::Step(0),
            Screen::Step(1),
            Screen::Step(2),
            Screen::Step(3),
            Screen::Summary,
            Screen::Summary
        ]
    );
    press(&mut w, &[Action::PrevStep, Action::PrevStep]);
    assert_eq!(w.screen, Screen::Step(2));
    press(&mut w, &[Action::Back]);
    assert_eq!(w.screen, Screen::Overview);
    let effects = press(&mut w, &[Action::Back]);
    assert_eq!(w.screen, Screen::Plans);
    assert!(w.open.is_none());
    assert!(effects.contains(&Effect::Close) && effects.contains(&Effect::ListPlans));
}

#[test]
fn symantec_plans_have_three_steps() {
    let mut w = wizard_with(plan("symantec-2021"));
    press(
        &mut w,
        &[Action::NextStep, Action::NextStep, Action::NextStep],
    );
    assert_eq!(w.screen, Screen::Step(2));
    assert_eq!(w.context(), Context::Proxy);
    press(&mut w, &[Action::NextStep]);
    assert_eq!(w.screen, Screen::Summary);
}

#[test]
fn tasks_toggle_done_and_not_applicable_is_its_own_answer() {
    let mut w = wizard_with(plan("generic-2023"));
    // Updates: existing-product, existing-version, existing-updated …
    press(&mut w, &[Action::NextStep, Action::Down, Action::Down]);
    let e = press(&mut w, &[Action::Toggle]);
    assert_eq!(e, vec![Effect::Save]);
    let status = |w: &mde_migrate::wizard::Wizard| {
        open_plan(w)
            .answer("existing-updated")
            .and_then(|a| a.status)
    };
    assert_eq!(status(&w), Some(Status::Done));
    press(&mut w, &[Action::Toggle]);
    assert_eq!(status(&w), Some(Status::Todo));
    press(&mut w, &[Action::NotApplicable]);
    assert_eq!(status(&w), Some(Status::NotApplicable));
    press(&mut w, &[Action::NotApplicable]);
    assert_eq!(status(&w), None, "a second `a` takes the answer back");
    // The position follows the item for resuming.
    assert_eq!(
        open_plan(&w).position.item.as_deref(),
        Some("existing-updated")
    );
}

#[test]
fn choosing_e5_gives_plan_2_and_servers_bring_the_warning() {
    let mut w = wizard_with(plan("generic-2023"));
    press(
        &mut w,
        &[Action::NextStep, Action::NextStep, Action::Select],
    );
    assert!(matches!(w.modal, Some(Modal::Choice { .. })));
    press(&mut w, &[Action::End, Action::Select]);
    assert!(w.modal.is_none());
    let guide = catalog()
        .guide("generic-2023")
        .unwrap_or_else(|| panic!("guide"));
    assert_eq!(open_plan(&w).defender_plan(guide), Some("P2"));
    assert!(open_plan(&w).warnings(guide).is_empty());
    // Servers: the last item; choose Yes.
    press(
        &mut w,
        &[Action::End, Action::Select, Action::Home, Action::Select],
    );
    assert_eq!(
        open_plan(&w)
            .answer("servers")
            .and_then(|a| a.choice.as_deref()),
        Some("yes")
    );
    assert_eq!(open_plan(&w).warnings(guide).len(), 1);
}

#[test]
fn proxy_answer_reveals_network_item_and_makes_step_required() {
    let mut w = wizard_with(plan("generic-2023"));
    press(&mut w, &[Action::NextStep, Action::NextStep]);
    let guide = catalog()
        .guide("generic-2023")
        .unwrap_or_else(|| panic!("guide"));
    let flags = open_plan(&w).flags(guide);
    assert!(!open_plan(&w).is_step_required(&guide.steps[3], &flags));
    // proxy-in-use is the fourth item: choose Yes.
    press(
        &mut w,
        &[
            Action::Down,
            Action::Down,
            Action::Down,
            Action::Select,
            Action::Home,
            Action::Select,
        ],
    );
    let plan = open_plan(&w);
    let flags = plan.flags(guide);
    assert!(plan.is_step_required(&guide.steps[3], &flags));
    let items: Vec<&str> = plan
        .relevant_items(&guide.steps[1], &flags)
        .iter()
        .map(|i| i.id.as_str())
        .collect();
    assert!(items.contains(&"network-config"));
}

#[test]
fn text_answers_and_notes_are_kept_even_on_esc() {
    let mut w = wizard_with(plan("generic-2023"));
    press(&mut w, &[Action::NextStep, Action::Down, Action::Select]);
    assert_eq!(w.context(), Context::Text);
    press(&mut w, &typed("14.3 RU9"));
    let e = press(&mut w, &[Action::Back]);
    assert!(e.contains(&Effect::Save));
    assert_eq!(
        open_plan(&w)
            .answer("existing-version")
            .and_then(|a| a.text.as_deref()),
        Some("14.3 RU9")
    );
    press(&mut w, &[Action::EditNote]);
    press(&mut w, &typed("ask the desktop team"));
    press(&mut w, &[Action::Select]);
    assert_eq!(
        open_plan(&w)
            .answer("existing-version")
            .map(|a| a.note.as_str()),
        Some("ask the desktop team")
    );
    // Letters typed in a field are text, not commands.
    assert_eq!(w.key(Key::Char('q')), Some(Action::Quit));
    press(&mut w, &[Action::EditNote]);
    assert_eq!(w.key(Key::Char('q')), Some(Action::Char('q')));
}

#[test]
fn systems_popup_builds_the_estate_with_counts() {
    let mut w = wizard_with(plan("generic-2023"));
    press(&mut w, &[Action::NextStep, Action::Systems]);
    assert_eq!(w.context(), Context::Systems);
    // First system: Windows 11; second: Windows 10.
    press(
        &mut w,
        &[
            Action::Down,
            Action::Toggle,
            Action::Char('1'),
            Action::Char('2'),
            Action::Char('0'),
        ],
    );
    press(&mut w, &[Action::Down, Action::Down, Action::Char('7')]);
    let estate = &open_plan(&w).estate.systems;
    assert_eq!(estate.get("win10"), Some(&Some(120)));
    assert_eq!(estate.get("win7sp1"), Some(&Some(7)));
    press(&mut w, &[Action::Backspace]);
    assert_eq!(open_plan(&w).estate.systems.get("win7sp1"), Some(&None));
    press(&mut w, &[Action::Toggle]);
    assert!(!open_plan(&w).estate.systems.contains_key("win7sp1"));
    press(&mut w, &[Action::Back]);
    assert!(w.modal.is_none());
}

#[test]
fn role_planner_adds_edits_and_removes_roles() {
    let mut w = wizard_with(plan("generic-2023"));
    press(
        &mut w,
        &[Action::NextStep, Action::NextStep, Action::NextStep],
    );
    // Choose RBAC: the roles item appears.
    press(
        &mut w,
        &[
            Action::Select,
            Action::Home,
            Action::Select,
            Action::Down,
            Action::Select,
        ],
    );
    assert_eq!(w.context(), Context::Roles);
    // Add from the first template (administrator), rename it, give a group.
    press(&mut w, &[Action::Create, Action::Select]);
    assert_eq!(w.context(), Context::RoleEdit);
    press(&mut w, &vec![Action::Backspace; 40]);
    press(&mut w, &typed("SOC admins"));
    press(&mut w, &[Action::NextField]);
    press(&mut w, &typed("sg-mde-admins"));
    press(&mut w, &[Action::NextField, Action::Toggle, Action::Select]);
    let roles = &open_plan(&w).roles;
    assert_eq!(roles.len(), 1);
    assert_eq!(roles[0].name, "SOC admins");
    assert_eq!(roles[0].group, "sg-mde-admins");
    assert_eq!(
        roles[0].permissions.len(),
        11,
        "the administrator template less the withdrawn first permission"
    );
    // Add the read-only template as is.
    press(
        &mut w,
        &[
            Action::Create,
            Action::Down,
            Action::Down,
            Action::Select,
            Action::Select,
        ],
    );
    assert_eq!(open_plan(&w).roles.len(), 2);
    assert_eq!(open_plan(&w).roles[1].name, "Read-only");
    // Remove the first, with confirmation.
    press(&mut w, &[Action::Home, Action::Delete]);
    assert_eq!(w.context(), Context::Confirm);
    press(&mut w, &[Action::Select]);
    assert_eq!(open_plan(&w).roles.len(), 1);
    assert_eq!(open_plan(&w).roles[0].name, "Read-only");
    assert_eq!(w.context(), Context::Roles);
}

#[test]
fn o_opens_exactly_the_catalog_url_and_a_failure_shows_it() {
    let mut w = wizard_with(plan("generic-2023"));
    // Licence, second item: licence state.
    press(&mut w, &[Action::NextStep, Action::NextStep, Action::Down]);
    let e = press(&mut w, &[Action::Open]);
    let url = "https://learn.microsoft.com/microsoft-365/security/defender-endpoint/production-deployment#check-license-state";
    assert_eq!(e, vec![Effect::OpenUrl(url.into())]);
    press(
        &mut w,
        &[Action::Opened(Err(OpenFailure {
            url: url.into(),
            reason: "this is an SSH session without a display".into(),
        }))],
    );
    assert!(matches!(&w.modal, Some(Modal::Url { url: u, .. }) if u == url));
    let e = press(&mut w, &[Action::Copy]);
    assert_eq!(e, vec![Effect::Copy(url.into())]);
}

#[test]
fn several_links_open_a_list() {
    let mut w = wizard_with(plan("generic-2023"));
    press(
        &mut w,
        &[Action::NextStep, Action::NextStep, Action::NextStep],
    );
    press(&mut w, &[Action::Open]);
    match &w.modal {
        Some(Modal::Links { links, .. }) => assert_eq!(links.len(), 3),
        other => panic!("expected the links list, got {other:?}"),
    }
    let e = press(&mut w, &[Action::Down, Action::Select]);
    assert_eq!(
        e,
        vec![Effect::OpenUrl(
            "https://learn.microsoft.com/microsoft-365/security/defender-endpoint/use".into()
        )]
    );
}

#[test]
fn reopening_lands_where_the_operator_left() {
    let mut p = plan("generic-2023");
    p.position = Position {
        screen: "step".into(),
        step: Some("licence".into()),
        item: Some("tenant".into()),
    };
    let w = wizard_with(p);
    assert_eq!(w.screen, Screen::Step(1));
    let open = w.open.as_ref().unwrap_or_else(|| panic!("open"));
    assert_eq!(open.cursor[1], 2, "tenant is the third licence item");
    let mut p = plan("symantec-2021");
    p.position = Position {
        screen: "summary".into(),
        step: None,
        item: None,
    };
    assert_eq!(wizard_with(p).screen, Screen::Summary);
}

#[test]
fn read_only_plans_refuse_changes() {
    let mut w = wizard_with(plan("generic-2023"));
    if let Some(o) = &mut w.open {
        o.read_only = Some("another mde-migrate has it open".into());
    }
    press(&mut w, &[Action::NextStep, Action::Down, Action::Down]);
    let e = press(&mut w, &[Action::Toggle]);
    assert!(e.is_empty());
    assert!(
        w.message
            .as_deref()
            .is_some_and(|m| m.contains("read-only"))
    );
    assert_eq!(open_plan(&w).answer("existing-updated"), None);
}

#[test]
fn quit_saves_and_warns_once_when_saving_fails() {
    // Nothing moved since the last save: nothing to write.
    let mut w = wizard_with(plan("generic-2023"));
    let e = w.update(Action::Quit, NOW);
    assert_eq!(e, vec![Effect::Close, Effect::Quit]);
    // The operator moved to another item: that position is saved on the way out.
    let mut w = wizard_with(plan("generic-2023"));
    press(&mut w, &[Action::NextStep, Action::Down]);
    let e = w.update(Action::Quit, NOW);
    assert_eq!(e, vec![Effect::Save, Effect::Close, Effect::Quit]);
    assert_eq!(
        open_plan(&w).position.item.as_deref(),
        Some("existing-version")
    );

    let mut w = wizard_with(plan("generic-2023"));
    press(&mut w, &[Action::NextStep, Action::Down, Action::Down]);
    w.update(Action::Toggle, NOW);
    w.update(Action::Saved(Err("disk full".into())), NOW);
    let e = w.update(Action::Quit, NOW);
    assert!(e.is_empty());
    assert_eq!(w.context(), Context::Confirm);
    let e = w.update(Action::Select, NOW);
    assert_eq!(e, vec![Effect::Close, Effect::Quit]);
}

#[test]
fn proxy_review_marks_the_estate_guides() {
    let mut p = plan("generic-2023");
    let guide = catalog()
        .guide("generic-2023")
        .unwrap_or_else(|| panic!("guide"));
    for s in ["win10", "ws2016"] {
        if let Err(e) = p.toggle_system(guide, s, NOW) {
            panic!("{e}");
        }
    }
    p.set_choice("licence-route", Some("m365-e5"), NOW);
    let mut w = wizard_with(p);
    press(
        &mut w,
        &[
            Action::NextStep,
            Action::NextStep,
            Action::NextStep,
            Action::NextStep,
        ],
    );
    assert_eq!(w.context(), Context::Proxy);
    press(&mut w, &[Action::Toggle]);
    let plan = open_plan(&w);
    assert!(plan.reviewed.contains("proxy-internet"));
    let review = guide
        .item("proxy-guides")
        .map(|(_, i)| i)
        .unwrap_or_else(|| panic!("item"));
    assert!(plan.is_complete(guide, review));
    // The lookup starts on the plan's own Defender plan (E5 → P2): Tab to
    // it, o opens the result for P2 × Windows 11; ← switches to P1.
    press(&mut w, &[Action::NextField]);
    let e = press(&mut w, &[Action::Open]);
    assert_eq!(e, vec![Effect::OpenUrl("https://learn.microsoft.com/microsoft-365/security/defender-endpoint/configure-proxy-internet".into())]);
    press(&mut w, &[Action::Left]);
    let e = press(&mut w, &[Action::Open]);
    assert_eq!(
        e,
        vec![Effect::OpenUrl(
            "https://learn.microsoft.com/microsoft-365/security/defender-endpoint/configure-network-connections-microsoft-defender-antivirus".into()
        )]
    );
}

#[test]
fn new_plan_form_proposes_the_guide_and_validates_the_name() {
    let mut w = mde_migrate::wizard::Wizard::new(catalog(), false);
    press(&mut w, &[Action::PlansListed(Vec::new()), Action::Create]);
    assert_eq!(w.screen, Screen::NewPlan);
    press(
        &mut w,
        &[
            Action::Select,
            Action::Select,
            Action::Select,
            Action::Select,
            Action::Select,
        ],
    );
    assert!(
        w.form.error.as_deref().is_some_and(|e| e.contains("empty")),
        "{:?}",
        w.form.error
    );
    press(&mut w, &typed("Fabrikam"));
    press(&mut w, &[Action::NextField, Action::NextField]);
    press(&mut w, &typed("Symantec Endpoint Protection"));
    let e = press(
        &mut w,
        &[Action::NextField, Action::NextField, Action::Select],
    );
    match e.as_slice() {
        [Effect::Create(p)] => {
            assert_eq!(p.name, "Fabrikam");
            assert_eq!(p.guide, "symantec-2021");
        }
        other => panic!("expected a create effect, got {other:?}"),
    }
}

#[test]
fn help_opens_and_closes() {
    let mut w = wizard_with(plan("generic-2023"));
    press(&mut w, &[Action::Help]);
    assert_eq!(w.context(), Context::Help);
    press(&mut w, &[Action::Back]);
    assert!(w.modal.is_none());
}

#[test]
fn import_from_the_wizard_replaces_the_estate() {
    let mut w = wizard_with(plan("generic-2023"));
    press(&mut w, &[Action::NextStep]);
    assert_eq!(w.key(Key::Char('i')), Some(Action::Import));
    press(&mut w, &[Action::Import]);
    assert_eq!(w.context(), Context::Text);
    press(&mut w, &typed("/data/devices.csv"));
    let e = press(&mut w, &[Action::Select]);
    assert_eq!(
        e,
        vec![Effect::Import(std::path::PathBuf::from(
            "/data/devices.csv"
        ))]
    );
    let report = |csv: &str| {
        let g = mde_migrate::catalog::Catalog::embedded()
            .unwrap_or_else(|e| panic!("{e}"))
            .guide("generic-2023")
            .unwrap_or_else(|| panic!("guide"));
        Box::new(mde_migrate::estate::import(g, csv.as_bytes()).unwrap_or_else(|e| panic!("{e}")))
    };
    // An empty estate: the import goes straight in.
    let e = press(
        &mut w,
        &[Action::Imported(Ok(report("os,count\nWindows 10,120\n")))],
    );
    assert!(e.contains(&Effect::Save));
    assert_eq!(open_plan(&w).estate.systems.get("win10"), Some(&Some(120)));
    assert!(
        w.message
            .as_deref()
            .is_some_and(|m| m.starts_with("Imported 120 devices")),
        "{:?}",
        w.message
    );
    // A non-empty estate: it asks; Enter, Esc and c cancel and change nothing.
    let second = report("os,count\nWindows 10,8\nWindows 11,2\n");
    for cancel in [Key::Enter, Key::Esc, Key::Char('c')] {
        let e = press(&mut w, &[Action::Imported(Ok(second.clone()))]);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(w.context(), Context::ImportChoice);
        let action = w.key(cancel).unwrap_or_else(|| panic!("{cancel:?}"));
        let e = press(&mut w, &[action]);
        assert!(e.is_empty(), "{cancel:?}: {e:?}");
        assert!(w.modal.is_none());
        assert_eq!(open_plan(&w).estate.systems.get("win10"), Some(&Some(120)));
        assert_eq!(open_plan(&w).estate.systems.get("win11"), None);
    }
    // Other keys leave the question open.
    press(
        &mut w,
        &[Action::Imported(Ok(second.clone())), Action::Char('y')],
    );
    assert_eq!(w.context(), Context::ImportChoice);
    // m merges.
    let e = press(&mut w, &[Action::Char('m')]);
    assert!(e.contains(&Effect::Save));
    assert_eq!(open_plan(&w).estate.systems.get("win10"), Some(&Some(128)));
    assert_eq!(open_plan(&w).estate.systems.get("win11"), Some(&Some(2)));
    // r replaces, and the estate before it is kept for undo.
    press(&mut w, &[Action::Imported(Ok(second.clone()))]);
    let action = w.key(Key::Char('r')).unwrap_or_else(|| panic!("r"));
    let e = press(&mut w, &[action]);
    assert!(e.contains(&Effect::Save));
    assert_eq!(open_plan(&w).estate.systems.get("win10"), Some(&Some(8)));
    assert_eq!(
        open_plan(&w).extra["previous_estate"]["systems"]["win10"],
        128
    );
    press(
        &mut w,
        &[Action::Imported(Err(
            "devices.csv: no operating-system column".into(),
        ))],
    );
    assert!(
        w.message
            .as_deref()
            .is_some_and(|m| m.starts_with("Not imported:"))
    );
}

#[test]
fn a_failed_export_offers_another_place() {
    let mut w = wizard_with(plan("generic-2023"));
    press(&mut w, &[Action::Export]);
    let e = press(&mut w, &[Action::Down, Action::Select]);
    assert_eq!(
        e,
        vec![Effect::Export(mde_migrate::report::Format::Html, None)]
    );
    press(
        &mut w,
        &[Action::Exported(Err((
            mde_migrate::report::Format::Html,
            "read-only file system".into(),
        )))],
    );
    assert_eq!(w.context(), Context::Text);
    press(&mut w, &[Action::ClearField]);
    press(&mut w, &typed("/tmp/plan.html"));
    let e = press(&mut w, &[Action::Select]);
    assert_eq!(
        e,
        vec![Effect::Export(
            mde_migrate::report::Format::Html,
            Some(std::path::PathBuf::from("/tmp/plan.html"))
        )]
    );
}

#[test]
fn a_click_selects_the_row_under_it() {
    let mut w = wizard_with(plan("generic-2023"));
    press(
        &mut w,
        &[
            Action::Resize {
                width: 80,
                height: 24,
            },
            Action::NextStep,
        ],
    );
    // Header line, three lines of intro, the list's top border: rows start at 5.
    press(&mut w, &[Action::Click { column: 5, row: 7 }]);
    let open = w.open.as_ref().unwrap_or_else(|| panic!("open"));
    assert_eq!(open.cursor[0], 2);
    let text = render(&w, 80, 24);
    assert!(text.lines().nth(7).unwrap_or("").contains("›"), "{text}");
    // The wheel moves like the arrows.
    press(&mut w, &[Action::ScrollDown]);
    assert_eq!(w.open.as_ref().map(|o| o.cursor[0]), Some(3));
}

#[test]
fn a_broken_plan_can_be_set_aside_and_never_opens() {
    let mut w = mde_migrate::wizard::Wizard::new(catalog(), false);
    let broken = mde_migrate::wizard::PlanEntry {
        id: "old-1a2b3c4d".into(),
        name: "old-1a2b3c4d".into(),
        organisation: String::new(),
        guide: String::new(),
        percent: 0,
        updated: String::new(),
        broken: Some("truncated: the file ends early".into()),
        newer: false,
    };
    press(&mut w, &[Action::PlansListed(vec![broken])]);
    let e = press(&mut w, &[Action::Select]);
    assert!(e.is_empty(), "a broken file is never loaded: {e:?}");
    assert_eq!(w.context(), Context::Confirm);
    let e = press(&mut w, &[Action::Select]);
    assert_eq!(e, vec![Effect::SetAside("old-1a2b3c4d".into())]);
    let e = press(
        &mut w,
        &[Action::SetAside(Ok(std::path::PathBuf::from(
            "/plans/old-1a2b3c4d.json.corrupt-20261128T150000Z",
        )))],
    );
    assert_eq!(e, vec![Effect::ListPlans]);
    assert!(
        w.message
            .as_deref()
            .is_some_and(|m| m.contains("corrupt-20261128T150000Z"))
    );
}

#[test]
fn y_in_the_proxy_lookup_copies_instead_of_opening() {
    let mut w = wizard_with(plan("generic-2023"));
    press(
        &mut w,
        &[
            Action::NextStep,
            Action::NextStep,
            Action::NextStep,
            Action::NextStep,
            Action::NextField,
        ],
    );
    let e = press(&mut w, &[Action::Copy]);
    assert_eq!(
        e,
        vec![Effect::Copy(
            "https://learn.microsoft.com/microsoft-365/security/defender-endpoint/configure-network-connections-microsoft-defender-antivirus".into()
        )]
    );
}

#[test]
fn the_import_question_shows_now_replace_and_merge_per_system_and_its_keys() {
    let mut w = wizard_with(plan("generic-2023"));
    let g = catalog()
        .guide("generic-2023")
        .unwrap_or_else(|| panic!("guide"));
    let import = |csv: &str| {
        Box::new(mde_migrate::estate::import(g, csv.as_bytes()).unwrap_or_else(|e| panic!("{e}")))
    };
    press(
        &mut w,
        &[Action::Imported(Ok(import("os,count\nWindows 10,120\n")))],
    );
    press(
        &mut w,
        &[Action::Imported(Ok(import(
            "os,count\nWindows 10,8\nWindows 11,2\n",
        )))],
    );
    for (width, height) in [(80, 24), (120, 40)] {
        let screen = render(&w, width, height);
        let rows: Vec<&str> = screen.lines().collect();
        assert!(
            rows.iter().any(|l| l.contains("120")
                && l.contains("8")
                && l.contains("128")
                && l.contains("Windows 10")),
            "{screen}"
        );
        assert!(
            rows.iter()
                .any(|l| l.contains("-") && l.contains("2") && l.contains("Windows 11")),
            "{screen}"
        );
        assert!(
            screen.contains("r replace") && screen.contains("m merge"),
            "{screen}"
        );
        assert!(screen.contains("Enter or Esc: cancel"), "{screen}");
    }
}
