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
    // Every step of the three phases, then the summary, which stays.
    let steps = catalog().guide("generic-2023").map_or(0, |g| g.steps.len());
    assert!(steps > 4, "Phases 2 and 3 have steps");
    for _ in 0..steps + 2 {
        press(&mut w, &[Action::NextStep]);
        seen.push(w.screen);
    }
    let mut want = vec![Screen::Overview];
    want.extend((0..steps).map(Screen::Step));
    want.extend([Screen::Summary, Screen::Summary]);
    assert_eq!(seen, want);
    for _ in 0..steps - 4 {
        press(&mut w, &[Action::PrevStep]);
    }
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
    // Phase 1 has three steps; Phase 2 follows.
    press(&mut w, &[Action::NextStep]);
    assert_eq!(w.screen, Screen::Step(3));
    let g = catalog()
        .guide("symantec-2021")
        .unwrap_or_else(|| panic!("guide"));
    assert_eq!(g.steps[3].phase, g.phases[1].id);
    assert_eq!(g.phase_steps(&g.phases[0].id).count(), 3);
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
    // `a` asks why; Enter on an empty reason keeps the box open.
    press(&mut w, &[Action::NotApplicable]);
    assert!(matches!(w.modal, Some(Modal::Text { .. })), "{:?}", w.modal);
    assert_eq!(press(&mut w, &[Action::Select]), vec![]);
    assert!(matches!(w.modal, Some(Modal::Text { .. })));
    assert_eq!(status(&w), Some(Status::Todo));
    press(&mut w, &typed("No old product"));
    assert_eq!(press(&mut w, &[Action::Select]), vec![Effect::Save]);
    assert_eq!(status(&w), Some(Status::NotApplicable));
    assert_eq!(
        open_plan(&w)
            .answer("existing-updated")
            .map(|a| a.reason.as_str()),
        Some("No old product")
    );
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
fn text_answers_and_notes_are_kept_on_enter_and_esc_cancels_the_edit() {
    let mut w = wizard_with(plan("generic-2023"));
    press(&mut w, &[Action::NextStep, Action::Down, Action::Select]);
    assert_eq!(w.context(), Context::Text);
    press(&mut w, &typed("14.3 RU9"));
    let e = press(&mut w, &[Action::Select]);
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
    // Esc cancels the edit: the saved answer and note stay as they were.
    press(&mut w, &[Action::Select, Action::ClearField]);
    press(&mut w, &typed("15.0"));
    let e = press(&mut w, &[Action::Back]);
    assert!(e.is_empty(), "{e:?}");
    assert!(w.modal.is_none());
    press(&mut w, &[Action::EditNote]);
    press(&mut w, &typed(" and the servers team"));
    let e = press(&mut w, &[Action::Back]);
    assert!(e.is_empty(), "{e:?}");
    let answer = open_plan(&w).answer("existing-version");
    assert_eq!(answer.and_then(|a| a.text.as_deref()), Some("14.3 RU9"));
    assert_eq!(
        answer.map(|a| a.note.as_str()),
        Some("ask the desktop team")
    );
    // Esc in the import box imports nothing.
    press(&mut w, &[Action::Import]);
    press(&mut w, &typed("/tmp/devices.csv"));
    let e = press(&mut w, &[Action::Back]);
    assert!(e.is_empty(), "{e:?}");
    // Letters typed in a field are text, not commands.
    assert_eq!(w.key(Key::Char('q')), Some(Action::Quit));
    press(&mut w, &[Action::EditNote]);
    assert_eq!(w.key(Key::Char('q')), Some(Action::Char('q')));
}

fn entry(id: &str, name: &str) -> mde_migrate::wizard::PlanEntry {
    mde_migrate::wizard::PlanEntry {
        id: id.into(),
        name: name.into(),
        organisation: "Contoso".into(),
        guide: "generic-2023".into(),
        percent: 0,
        updated: String::new(),
        broken: None,
        newer: false,
    }
}

/// Keys as the terminal gives them, through the wizard's key tables.
fn keys(w: &mut mde_migrate::wizard::Wizard, keys: &[Key]) -> Vec<Effect> {
    let mut all = Vec::new();
    for k in keys {
        if let Some(a) = w.key(*k) {
            all.extend(press(w, &[a]));
        }
    }
    all
}

#[test]
fn only_y_deletes_a_plan_and_u_restores_it() {
    let mut w = mde_migrate::wizard::Wizard::new(catalog(), false);
    press(
        &mut w,
        &[Action::PlansListed(vec![
            entry("alpha-1", "Alpha"),
            entry("beta-2", "Beta"),
        ])],
    );
    // Enter, Esc, n, Space, an arrow and a stray letter all mean no.
    for no in [
        Key::Enter,
        Key::Esc,
        Key::Char('n'),
        Key::Char(' '),
        Key::Down,
        Key::Char('x'),
    ] {
        let e = keys(&mut w, &[Key::Char('d')]);
        assert!(e.is_empty());
        assert_eq!(w.context(), Context::Confirm);
        let e = keys(&mut w, &[no]);
        assert!(e.is_empty(), "{no:?} must not delete: {e:?}");
        assert!(w.modal.is_none(), "{no:?} closes the dialog");
        assert_eq!(w.plans.selected, 0);
    }
    // The Action::Select that Enter used to give does not confirm either.
    press(&mut w, &[Action::Delete]);
    assert!(press(&mut w, &[Action::Select]).is_empty());
    // y deletes.
    let e = keys(&mut w, &[Key::Char('d'), Key::Char('y')]);
    assert_eq!(e, vec![Effect::Delete("alpha-1".into())]);
    let e = press(
        &mut w,
        &[Action::Deleted(Ok(
            "Plan deleted (kept in the trash folder).".into(),
        ))],
    );
    assert_eq!(e, vec![Effect::ListPlans]);
    assert!(
        w.message
            .as_deref()
            .is_some_and(|m| m.contains("u to restore")),
        "{:?}",
        w.message
    );
    press(
        &mut w,
        &[Action::PlansListed(vec![entry("beta-2", "Beta")])],
    );
    // u restores it, and the selection follows the restored plan.
    let e = keys(&mut w, &[Key::Char('u')]);
    assert_eq!(e, vec![Effect::Restore("alpha-1".into())]);
    let e = press(&mut w, &[Action::Restored(Ok("Plan restored.".into()))]);
    assert_eq!(e, vec![Effect::ListPlans]);
    press(
        &mut w,
        &[Action::PlansListed(vec![
            entry("beta-2", "Beta"),
            entry("alpha-1", "Alpha"),
        ])],
    );
    assert_eq!(w.plans.current().map(|e| e.id.as_str()), Some("alpha-1"));
    // One undo: a second u has nothing to restore.
    assert!(keys(&mut w, &[Key::Char('u')]).is_empty());
    // Y works too.
    let e = keys(&mut w, &[Key::Char('d'), Key::Char('Y')]);
    assert_eq!(e, vec![Effect::Delete("alpha-1".into())]);
}

#[test]
fn keys_do_nothing_while_the_terminal_is_too_small() {
    let mut w = mde_migrate::wizard::Wizard::new(catalog(), false);
    press(
        &mut w,
        &[
            Action::PlansListed(vec![entry("alpha-1", "Alpha")]),
            Action::Resize {
                width: 79,
                height: 23,
            },
        ],
    );
    assert!(render(&w, 79, 23).contains("Terminal too small"));
    for k in [
        Key::Char('d'),
        Key::Enter,
        Key::Char(' '),
        Key::Char('p'),
        Key::Char('c'),
        Key::Char('r'),
        Key::Char('/'),
        Key::Char('y'),
        Key::Delete,
        Key::Esc,
        Key::Down,
    ] {
        assert_eq!(w.key(k), None, "{k:?} acts on a hidden screen");
    }
    // Not even an action that got through some other way (a click).
    for a in [
        Action::Delete,
        Action::Select,
        Action::Toggle,
        Action::Click { column: 3, row: 3 },
    ] {
        assert!(press(&mut w, std::slice::from_ref(&a)).is_empty(), "{a:?}");
        assert!(w.modal.is_none(), "{a:?} opened {:?}", w.modal);
        assert_eq!(w.screen, Screen::Plans);
    }
    assert_eq!(w.key(Key::Char('q')), Some(Action::Quit));
    assert_eq!(w.key(Key::Ctrl('c')), Some(Action::Quit));
    // Big enough again: the keys are back.
    press(
        &mut w,
        &[Action::Resize {
            width: 80,
            height: 24,
        }],
    );
    assert_eq!(w.key(Key::Char('d')), Some(Action::Delete));
}

#[test]
fn esc_cancels_a_rename_and_enter_renames_with_the_selection_following() {
    let mut w = mde_migrate::wizard::Wizard::new(catalog(), false);
    press(
        &mut w,
        &[Action::PlansListed(vec![
            entry("alpha-1", "Alpha"),
            entry("beta-2", "Beta"),
        ])],
    );
    press(&mut w, &[Action::Down, Action::Rename, Action::ClearField]);
    press(&mut w, &typed("Aardvark"));
    assert!(
        press(&mut w, &[Action::Back]).is_empty(),
        "Esc renames nothing"
    );
    assert!(w.modal.is_none());
    press(&mut w, &[Action::Rename, Action::ClearField]);
    press(&mut w, &typed("Aardvark"));
    let e = press(&mut w, &[Action::Select]);
    assert_eq!(
        e,
        vec![Effect::Rename {
            id: "beta-2".into(),
            name: "Aardvark".into()
        }]
    );
    press(
        &mut w,
        &[
            Action::Renamed(Ok("Renamed.".into())),
            Action::PlansListed(vec![entry("beta-2", "Aardvark"), entry("alpha-1", "Alpha")]),
        ],
    );
    assert_eq!(w.plans.current().map(|e| e.id.as_str()), Some("beta-2"));
}

#[test]
fn esc_in_new_plan_asks_before_discarding_a_typed_name() {
    let mut w = mde_migrate::wizard::Wizard::new(catalog(), false);
    press(&mut w, &[Action::PlansListed(Vec::new()), Action::Create]);
    // Nothing typed: Esc goes straight back.
    press(&mut w, &[Action::Back]);
    assert_eq!(w.screen, Screen::Plans);
    assert!(w.modal.is_none());
    press(&mut w, &[Action::Create]);
    press(&mut w, &typed("Fabrikam"));
    keys(&mut w, &[Key::Esc]);
    assert_eq!(w.context(), Context::Confirm);
    // Enter (any key but y) keeps the form.
    keys(&mut w, &[Key::Enter]);
    assert_eq!(w.screen, Screen::NewPlan);
    assert_eq!(w.form.name.value(), "Fabrikam");
    keys(&mut w, &[Key::Esc, Key::Char('y')]);
    assert_eq!(w.screen, Screen::Plans);
    press(&mut w, &[Action::Create]);
    assert_eq!(w.form.name.value(), "", "discarded");
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
    // Enter is no: the role stays.
    keys(&mut w, &[Key::Enter]);
    assert_eq!(w.context(), Context::Roles);
    assert_eq!(open_plan(&w).roles.len(), 2);
    // Esc in the role editor cancels the edit.
    press(
        &mut w,
        &[Action::Select, Action::Backspace, Action::Backspace],
    );
    assert_eq!(w.context(), Context::RoleEdit);
    assert!(press(&mut w, &[Action::Back]).is_empty());
    assert_eq!(w.context(), Context::Roles);
    assert_eq!(open_plan(&w).roles[0].name, "SOC admins");
    press(&mut w, &[Action::Delete]);
    keys(&mut w, &[Key::Char('y')]);
    assert_eq!(open_plan(&w).roles.len(), 1);
    assert_eq!(open_plan(&w).roles[0].name, "Read-only");
    assert_eq!(w.context(), Context::Roles);
}

#[test]
fn o_opens_exactly_the_catalog_url_and_a_failure_shows_it() {
    let mut w = wizard_with(plan("generic-2023"));
    // Licence, second item: licence state.
    press(&mut w, &[Action::NextStep, Action::NextStep, Action::Down]);
    // Its page first, then the source of its dated note: a list.
    press(&mut w, &[Action::Open]);
    let url = "https://learn.microsoft.com/microsoft-365/security/defender-endpoint/production-deployment#check-license-state";
    assert!(
        matches!(&w.modal, Some(Modal::Links { links, .. }) if links.first().is_some_and(|l| l.url == url)),
        "{:?}",
        w.modal
    );
    let e = press(&mut w, &[Action::Select]);
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
        // The item's three pages, then its dated notes' pages.
        Some(Modal::Links { links, .. }) => {
            assert!(links.len() > 3, "{links:?}");
            assert!(links[..3].iter().all(|l| !l.title.contains("the note of")));
            assert!(links[3..].iter().all(|l| l.title.contains("the note of")));
        }
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
    let e = w.update(Action::Yes, NOW);
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
    // Focus starts on the lookup; Tab reaches the estate's guides.
    press(&mut w, &[Action::NextField, Action::Toggle]);
    let plan = open_plan(&w);
    assert!(plan.reviewed.contains("proxy-internet"));
    let review = guide
        .item("proxy-guides")
        .map(|(_, i)| i)
        .unwrap_or_else(|| panic!("item"));
    assert!(plan.is_complete(guide, review));
    // The lookup starts on the plan's own Defender plan (E5 → P2): Tab to
    // it, o opens the result for P2 × Windows 11; ← switches to P1.
    // The resource comes first, then the system's, the plan's pages.
    press(&mut w, &[Action::NextField]);
    press(&mut w, &[Action::Open]);
    assert_eq!(
        first_listed(&mut w),
        "https://learn.microsoft.com/microsoft-365/security/defender-endpoint/configure-proxy-internet"
    );
    press(&mut w, &[Action::Left, Action::Open]);
    assert_eq!(
        first_listed(&mut w),
        "https://learn.microsoft.com/microsoft-365/security/defender-endpoint/configure-network-connections-microsoft-defender-antivirus"
    );
}

/// The first address of the links list on screen; Enter opens it.
fn first_listed(w: &mut mde_migrate::wizard::Wizard) -> String {
    let first = match &w.modal {
        Some(Modal::Links { links, .. }) => links.first().map(|l| l.url.clone()),
        other => panic!("expected the links list, got {other:?}"),
    };
    let url = first.unwrap_or_default();
    let e = press(w, &[Action::Select]);
    assert_eq!(e, vec![Effect::OpenUrl(url.clone())]);
    url
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
    // Header line, three lines of intro, the list's top border: rows start
    // at 5. The first item's label wraps onto row 6, so row 7 shows the
    // second item: the click selects what is drawn under it.
    press(&mut w, &[Action::Click { column: 5, row: 7 }]);
    let open = w.open.as_ref().unwrap_or_else(|| panic!("open"));
    assert_eq!(open.cursor[0], 1);
    let text = render(&w, 80, 24);
    assert!(
        text.lines().nth(7).unwrap_or("").contains("›? Its version"),
        "{text}"
    );
    // A click on the wrapped part of the first item selects the first.
    press(&mut w, &[Action::Click { column: 5, row: 6 }]);
    assert_eq!(w.open.as_ref().map(|o| o.cursor[0]), Some(0));
    // The wheel moves like the arrows.
    press(&mut w, &[Action::ScrollDown]);
    assert_eq!(w.open.as_ref().map(|o| o.cursor[0]), Some(1));
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
    assert!(press(&mut w, &[Action::Select]).is_empty(), "Enter is no");
    press(&mut w, &[Action::Select]);
    let e = press(&mut w, &[Action::Yes]);
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
        ],
    );
    press(&mut w, &[Action::Copy]);
    let e = press(&mut w, &[Action::Copy]);
    assert_eq!(
        e,
        vec![Effect::Copy(
            "https://learn.microsoft.com/microsoft-365/security/defender-endpoint/configure-network-connections-microsoft-defender-antivirus".into()
        )]
    );
}

#[test]
fn text_being_typed_at_quit_is_kept_as_a_draft_and_offered_back() {
    let mut w = wizard_with(plan("generic-2023"));
    press(&mut w, &[Action::NextStep, Action::Down, Action::EditNote]);
    press(&mut w, &typed("call the desktop team"));
    // Ctrl-C (and every signal, and a closed terminal) arrive as Quit.
    assert_eq!(w.key(Key::Ctrl('c')), Some(Action::Quit));
    let e = w.update(Action::Quit, NOW);
    assert!(e.contains(&Effect::Save), "{e:?}");
    let saved = open_plan(&w).clone();
    // Not taken as the note: a draft beside it.
    assert_eq!(
        saved
            .answer("existing-version")
            .map_or("", |a| a.note.as_str()),
        ""
    );
    let draft = saved
        .extra
        .get("draft")
        .unwrap_or_else(|| panic!("no draft in {:?}", saved.extra));
    assert_eq!(draft["item"], "existing-version");
    assert_eq!(draft["field"], "note");
    assert_eq!(draft["text"], "call the desktop team");
    // The draft round-trips through the plan file's JSON.
    let json = serde_json::to_string(&saved).unwrap_or_else(|e| panic!("{e}"));
    let back: mde_migrate::plan::Plan =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));

    // Next start: the note editor reopens with the draft, and says so.
    let mut w = wizard_with(back);
    match &w.modal {
        Some(Modal::Text { field, .. }) => assert_eq!(field.value(), "call the desktop team"),
        other => panic!("expected the note editor, got {other:?}"),
    }
    assert!(
        w.message
            .as_deref()
            .is_some_and(|m| m.contains("Restored the text")),
        "{:?}",
        w.message
    );
    assert!(!open_plan(&w).extra.contains_key("draft"));
    press(&mut w, &[Action::Select]);
    assert_eq!(
        open_plan(&w)
            .answer("existing-version")
            .map(|a| a.note.as_str()),
        Some("call the desktop team")
    );
    // Nothing typed, nothing kept.
    let e = w.update(Action::Quit, NOW);
    assert!(!open_plan(&w).extra.contains_key("draft"), "{e:?}");
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
