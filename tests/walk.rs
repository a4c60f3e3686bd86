//! What an administrator meets walking the wizard: the keys the footer and
//! help offer are the keys that act, and every address a screen shows can
//! be opened (`o`) and copied (`y`) from it.

mod common;

use std::collections::BTreeSet;

use common::*;
use mde_migrate::wizard::{Action, Context, Effect, Key, Modal, Wizard};

/// The footer: the last row of the screen.
fn footer(screen: &str) -> String {
    screen.lines().last().unwrap_or_default().to_string()
}

#[test]
fn the_empty_plans_screen_offers_only_keys_that_act_and_d_says_why_not() {
    let mut w = Wizard::new(catalog(), false);
    press(&mut w, &[Action::PlansListed(Vec::new())]);
    let screen = render(&w, 80, 24);
    let keys = footer(&screen);
    assert!(keys.contains("c new"), "{keys}");
    for absent in ["rename", "delete", "filter", "open"] {
        assert!(
            !keys.contains(absent),
            "{absent} offered on an empty list: {keys}"
        );
    }
    // The help lists the same keys.
    press(&mut w, &[Action::Help]);
    let help = render(&w, 80, 60);
    assert!(help.contains("create a new plan"), "{help}");
    assert!(!help.contains("delete the selected plan"), "{help}");
    assert!(!help.contains("rename the selected plan"), "{help}");
    press(&mut w, &[Action::Back]);
    // d and r answer in words instead of doing nothing.
    for key in [Key::Char('d'), Key::Char('r')] {
        let a = w.key(key).unwrap_or(Action::Back);
        let effects = press(&mut w, &[a]);
        assert!(effects.is_empty());
        assert!(w.modal.is_none());
        assert_eq!(w.message.as_deref(), Some("No plans yet: c creates one."));
        assert!(render(&w, 80, 24).contains("No plans yet: c creates one."));
    }
}

#[test]
fn with_plans_the_footer_offers_rename_and_delete_and_a_filter_hiding_all_says_so() {
    let mut w = Wizard::new(catalog(), false);
    let entry = mde_migrate::wizard::PlanEntry {
        id: "alpha-1".into(),
        name: "Alpha".into(),
        organisation: "Contoso".into(),
        guide: "generic-2023".into(),
        percent: 0,
        updated: String::new(),
        broken: None,
        newer: false,
    };
    press(&mut w, &[Action::PlansListed(vec![entry])]);
    let keys = footer(&render(&w, 80, 24));
    for present in ["Enter open", "r rename", "d delete", "/ filter"] {
        assert!(keys.contains(present), "{present}: {keys}");
    }
    w.plans.filter = "zzz".into();
    w.plans.clamp();
    let keys = footer(&render(&w, 80, 24));
    assert!(!keys.contains("delete"), "{keys}");
    let a = w.key(Key::Char('d')).unwrap_or(Action::Back);
    press(&mut w, &[a]);
    assert!(w.modal.is_none());
    assert_eq!(
        w.message.as_deref(),
        Some("No plan matches the filter: Esc clears it.")
    );
}

/// The URLs `o` and `y` offer where the wizard stands.
fn offered(w: &mut Wizard) -> BTreeSet<String> {
    let mut got = Vec::new();
    for key in [Action::Open, Action::Copy] {
        let effects = press(w, std::slice::from_ref(&key));
        let mut urls: BTreeSet<String> = effects
            .iter()
            .filter_map(|e| match e {
                Effect::OpenUrl(u) | Effect::Copy(u) => Some(u.clone()),
                _ => None,
            })
            .filter(|u| is_address(u))
            .collect();
        if let Some(Modal::Links { links, .. }) = &w.modal {
            // `y` also offers an item's commands and paths to copy; only
            // the web pages are compared with what `o` opens.
            urls.extend(
                links
                    .iter()
                    .map(|l| l.url.clone())
                    .filter(|u| is_address(u)),
            );
            press(w, &[Action::Back]);
        }
        got.push(urls);
    }
    assert_eq!(got[0], got[1], "o and y offer the same pages");
    got.swap_remove(0)
}

fn is_address(u: &str) -> bool {
    u.starts_with("https://") || u.starts_with("http://")
}

/// The whole addresses a screen shows (a shortened one, with "…", is
/// not counted: its whole form is what `y` copies).
fn shown(screen: &str) -> BTreeSet<String> {
    screen
        .split(|c: char| c.is_whitespace() || c == '│' || c == '(' || c == ')')
        .filter(|w| w.starts_with("https://") && !w.contains('…'))
        .map(|w| w.trim_end_matches(['.', ',', ';']).to_string())
        .collect()
}

#[test]
fn every_address_a_step_shows_is_offered_by_o_and_y_there() {
    for g in &catalog().guides {
        let mut p = plan(&g.id);
        p.set_choice("proxy-in-use", Some("yes"), NOW);
        p.set_choice("access-model", Some("rbac"), NOW);
        p.set_choice("licence-route", Some("trial"), NOW);
        let mut w = wizard_with(p);
        press(
            &mut w,
            &[Action::Resize {
                width: 250,
                height: 120,
            }],
        );
        let mut checked = 0;
        for _ in 0..g.steps.len() {
            press(&mut w, &[Action::NextStep]);
            if w.context() != Context::Step {
                continue;
            }
            press(&mut w, &[Action::Home]);
            for _ in 0..20 {
                let screen = render(&w, 250, 120);
                let offered = offered(&mut w);
                // Addresses of the built-in catalog (the guide's text may
                // name a former portal address, which is not a link).
                for url in shown(&screen)
                    .into_iter()
                    .filter(|u| catalog().knows_url(u))
                {
                    assert!(
                        offered.contains(&url),
                        "{}: {url} is on screen but not offered by o/y ({offered:?})\n{screen}",
                        g.id
                    );
                    checked += 1;
                }
                press(&mut w, &[Action::Down]);
            }
        }
        assert!(checked > 5, "{}: only {checked} addresses seen", g.id);
    }
}

#[test]
fn the_note_sources_of_an_item_are_in_its_o_list() {
    // "Tenant configured" carries two dated notes, each with its source.
    for g in &catalog().guides {
        let mut w = wizard_with(plan(&g.id));
        let common = &catalog().common;
        let mut found = false;
        for _ in 0..g.steps.len() {
            press(&mut w, &[Action::NextStep]);
            if w.context() != Context::Step {
                continue;
            }
            press(&mut w, &[Action::Home]);
            let step = match w.screen {
                mde_migrate::wizard::Screen::Step(i) => &g.steps[i],
                _ => continue,
            };
            let open = w
                .open
                .as_ref()
                .map(|o| o.plan.clone())
                .unwrap_or_else(|| plan(&g.id));
            let items = open.relevant_items(step, &open.flags(g));
            for item in items {
                let offered = offered(&mut w);
                for n in common.notes_about(g, &item.id) {
                    found = true;
                    assert!(
                        offered.contains(&n.source),
                        "{}/{}: note source {} not offered ({offered:?})",
                        g.id,
                        item.id,
                        n.source
                    );
                    assert!(catalog().knows_url(&n.source));
                }
                press(&mut w, &[Action::Down]);
            }
        }
        assert!(found, "{}: no item with a dated note walked", g.id);
    }
}

#[test]
fn every_address_named_in_a_dated_note_can_be_opened() {
    let c = catalog();
    let mut named = 0;
    for n in &c.common.notes {
        // The addresses the note's text names, read here independently.
        let urls = n.text.split_whitespace().filter_map(|w| {
            let u = w
                .trim_start_matches('(')
                .trim_end_matches(['.', ',', ')', ';', ':']);
            u.starts_with("https://").then_some(u)
        });
        for url in urls {
            named += 1;
            assert!(!url.ends_with('.'), "note {}: {url}", n.id);
            assert!(
                mde_migrate::links::refuse(c, url).is_none(),
                "note {}: {url} would be refused",
                n.id
            );
        }
    }
    assert!(named > 0, "no note names an address");
}

#[test]
fn a_command_at_plain_modes_plan_prompt_says_to_choose_a_plan_first() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = assert_cmd::Command::cargo_bin("mde-migrate")
        .unwrap_or_else(|e| panic!("{e}"))
        .env("MDE_MIGRATE_HOME", home.path())
        .env("TERM", "xterm-256color")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .arg("--plain")
        .write_stdin("l\nh\nq\n")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert_eq!(
        text.matches("Choose a plan first: type a number from 1 to 1 (Enter: 1, q quits).")
            .count(),
        2,
        "{text}"
    );
}

#[test]
fn a_text_boxs_footer_says_what_enter_and_esc_do_there() {
    // The import box reads a file on Enter: its footer says so.
    let mut w = wizard_with(plan("generic-2023"));
    press(&mut w, &[Action::Import]);
    let keys = footer(&render(&w, 80, 24));
    assert!(keys.contains("Enter read file"), "{keys}");
    assert!(keys.contains("Esc cancel"), "{keys}");
    // A note is kept.
    press(&mut w, &[Action::Back, Action::NextStep, Action::EditNote]);
    let keys = footer(&render(&w, 80, 24));
    assert!(keys.contains("Enter keep"), "{keys}");
}

#[test]
fn esc_in_the_plans_filter_says_it_cleared_the_filter() {
    let mut w = Wizard::new(catalog(), false);
    press(&mut w, &[Action::PlansListed(Vec::new())]);
    w.plans.filter = "fab".into();
    press(&mut w, &[Action::Filter]);
    let keys = footer(&render(&w, 80, 24));
    assert!(keys.contains("Esc clear filter"), "{keys}");
    press(&mut w, &[Action::Back]);
    assert_eq!(w.plans.filter, "");
    assert_eq!(
        w.message.as_deref(),
        Some("Filter cleared: every plan is listed.")
    );
}

#[test]
fn item_keys_on_the_overview_and_summary_say_where_they_work() {
    let mut w = wizard_with(plan("generic-2023"));
    let before = w.open.as_ref().map(|o| o.plan.answers.clone());
    for key in ['t', 'w', 'd', 'a', 'e'] {
        let a = w.key(Key::Char(key));
        assert_eq!(a, Some(Action::State), "{key} on the overview");
        let effects = press(&mut w, &[Action::State]);
        assert!(effects.is_empty() && w.modal.is_none());
        assert!(
            w.message
                .as_deref()
                .is_some_and(|m| m.contains("Enter opens the selected step")),
            "{:?}",
            w.message
        );
    }
    // The summary: the same keys, pointing to its open items.
    let steps = catalog().guide("generic-2023").map_or(0, |g| g.steps.len());
    for _ in 0..=steps {
        press(&mut w, &[Action::NextStep]);
    }
    assert_eq!(w.context(), Context::Summary);
    let a = w.key(Key::Char('d'));
    press(&mut w, &[a.unwrap_or(Action::Back)]);
    assert!(
        w.message
            .as_deref()
            .is_some_and(|m| m.contains("selected open item"))
    );
    assert!(w.modal.is_none());
    assert_eq!(w.open.as_ref().map(|o| o.plan.answers.clone()), before);
    // The help says so.
    press(&mut w, &[Action::Help]);
    let help = render(&w, 120, 60)
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    // The line may wrap inside the help box, so its two halves are
    // looked for apart.
    assert!(
        help.contains("t w d a e state, owner, due date, not applicable, note: on a step's item")
            && help.contains("(Enter goes there first)"),
        "{help}"
    );
}

#[test]
fn the_footer_shows_whole_entries_only_at_80_columns() {
    use mde_migrate::wizard::keys;
    // Every footer word of the tables, and the words text boxes use.
    let mut words: Vec<&str> = vec![
        "read file",
        "rename",
        "filter",
        "clear filter",
        "write report",
        "set state",
    ];
    for ctx in [
        Context::Step,
        Context::Proxy,
        Context::Overview,
        Context::Summary,
        Context::Plans,
    ] {
        for table in keys::tables(ctx, true) {
            words.extend(table.iter().filter_map(|b| b.footer));
        }
    }
    let mut w = wizard_with(plan("symantec-2021"));
    let steps = catalog()
        .guide("symantec-2021")
        .map_or(0, |g| g.steps.len());
    let mut seen = 0;
    for _ in 0..=steps + 1 {
        let screen = render(&w, 80, 24);
        let keys = footer(&screen);
        assert!(keys.chars().count() <= 80);
        let last = keys.trim_end();
        assert!(
            words.iter().any(|word| last.ends_with(&format!(" {word}"))),
            "the footer ends in a cut entry: {last:?}"
        );
        seen += 1;
        press(&mut w, &[Action::NextStep]);
    }
    assert!(seen > 3);
}

#[test]
fn a_stray_space_or_enter_keeps_a_blocked_tasks_reason() {
    let mut w = wizard_with(plan("generic-2023"));
    // Updates: the third item, "Current product is up to date", is a task.
    press(&mut w, &[Action::NextStep, Action::Down, Action::Down]);
    let id = "existing-updated";
    let state = |w: &Wizard| {
        w.open
            .as_ref()
            .and_then(|o| o.plan.answers.get(id))
            .map(|a| (a.status, a.reason.clone()))
    };
    // t → blocked (asks why) → a reason.
    press(&mut w, &[Action::State]);
    let at = mde_migrate::wizard::state_choices(mde_migrate::catalog::ItemKind::Task)
        .iter()
        .position(|(s, _)| *s == mde_migrate::plan::Status::Blocked)
        .unwrap_or(0);
    for _ in 0..at {
        press(&mut w, &[Action::Down]);
    }
    press(&mut w, &[Action::Select]);
    for c in "vendor has to confirm".chars() {
        press(&mut w, &[Action::Char(c)]);
    }
    press(&mut w, &[Action::Select]);
    let blocked = state(&w);
    assert_eq!(
        blocked,
        Some((
            Some(mde_migrate::plan::Status::Blocked),
            "vendor has to confirm".to_string()
        ))
    );
    for key in [Key::Char(' '), Key::Enter] {
        let a = w.key(key).unwrap_or(Action::Back);
        press(&mut w, &[a]);
        assert_eq!(state(&w), blocked, "{key:?} changed a blocked item");
        assert!(
            w.message
                .as_deref()
                .is_some_and(|m| m.contains("t changes its state")),
            "{:?}",
            w.message
        );
    }
}

#[test]
fn quitting_a_read_only_plain_session_does_not_say_saved() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let new = assert_cmd::Command::cargo_bin("mde-migrate")
        .unwrap_or_else(|e| panic!("{e}"))
        .env("MDE_MIGRATE_HOME", home.path())
        .args(["new", "--name", "Held"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(new.status.success());
    // Another copy holds the plan's lock.
    let json = std::fs::read_dir(home.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .unwrap_or_else(|| panic!("no plan"));
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(json.with_extension("lock"))
        .unwrap_or_else(|e| panic!("{e}"));
    lock.try_lock().unwrap_or_else(|e| panic!("{e}"));
    let out = assert_cmd::Command::cargo_bin("mde-migrate")
        .unwrap_or_else(|e| panic!("{e}"))
        .env("MDE_MIGRATE_HOME", home.path())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .arg("--plain")
        .write_stdin("1\nq\n")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("read-only"), "{text}");
    assert!(!text.contains("Saved."), "{text}");
    assert!(
        text.contains("Nothing saved: this plan was open read-only here."),
        "{text}"
    );
    drop(lock);
}

#[test]
fn the_empty_role_planner_offers_no_edit_or_remove_and_d_says_why() {
    let mut p = plan("generic-2023");
    p.set_choice("access-model", Some("rbac"), NOW);
    let mut w = wizard_with(p);
    w.modal = Some(Modal::Roles(mde_migrate::wizard::RolesState::at(0)));
    let screen = render(&w, 80, 24);
    let keys = footer(&screen);
    assert!(keys.contains("c add"), "{keys}");
    assert!(!keys.contains("remove") && !keys.contains("edit"), "{keys}");
    assert!(!screen.contains("d: remove"), "{screen}");
    let a = w.key(Key::Char('d')).unwrap_or(Action::Back);
    press(&mut w, &[a]);
    assert!(matches!(w.modal, Some(Modal::Roles(_))), "{:?}", w.modal);
    assert_eq!(
        w.message.as_deref(),
        Some("No roles yet: c adds one from a template.")
    );
}

#[test]
fn the_replace_or_merge_question_says_read_not_imported() {
    let guide = catalog()
        .guide("generic-2023")
        .unwrap_or_else(|| panic!("guide"));
    let read = |csv: &str| {
        Box::new(
            mde_migrate::estate::import(guide, csv.as_bytes()).unwrap_or_else(|e| panic!("{e}")),
        )
    };
    let mut w = wizard_with(plan("generic-2023"));
    press(
        &mut w,
        &[Action::Imported(Ok(read("os,count\nWindows 10,120\n")))],
    );
    // The second import asks first: nothing is imported yet, and the file
    // is no longer being read.
    w.message = Some("Reading inventory.csv …".into());
    press(
        &mut w,
        &[Action::Imported(Ok(read("os,count\nWindows 11,30\n")))],
    );
    assert_eq!(w.message, None);
    assert!(matches!(w.modal, Some(Modal::Import(_))));
    let screen = render(&w, 80, 24);
    assert!(screen.contains("Read 30 devices from 1 row "), "{screen}");
    assert!(!screen.contains("Imported 30"), "{screen}");
}

#[test]
fn a_stray_space_in_the_systems_list_loses_no_device_count() {
    let mut p = plan("generic-2023");
    let first = catalog()
        .guide("generic-2023")
        .and_then(|g| g.systems.first())
        .map(|s| s.id.clone())
        .unwrap_or_default();
    p.estate.systems.insert(first.clone(), Some(2633));
    let mut w = wizard_with(p);
    w.modal = Some(Modal::Systems(Default::default()));
    let count = |w: &Wizard| {
        w.open
            .as_ref()
            .and_then(|o| o.plan.estate.systems.get(&first).copied())
    };
    let space = w.key(Key::Char(' ')).unwrap_or(Action::Back);
    press(&mut w, std::slice::from_ref(&space));
    assert_eq!(count(&w), None, "Space takes the system out");
    assert!(
        w.message
            .as_deref()
            .is_some_and(|m| m.contains("brings it back with its 2633 devices")),
        "{:?}",
        w.message
    );
    press(&mut w, &[space]);
    assert_eq!(
        count(&w),
        Some(Some(2633)),
        "Space again brings its count back"
    );
    assert!(matches!(w.modal, Some(Modal::Systems(_))));
}

#[test]
fn the_proxy_estate_pane_offers_its_dated_sources_and_says_o_lists_them() {
    let mut p = plan("generic-2023");
    p.set_choice("proxy-in-use", Some("yes"), NOW);
    p.estate.systems.insert("win10".into(), Some(120));
    let mut w = wizard_with(p);
    for _ in 0..8 {
        if w.context() == Context::Proxy {
            break;
        }
        press(&mut w, &[Action::NextStep]);
    }
    assert_eq!(w.context(), Context::Proxy);
    // Focus on the estate pane.
    let focus = |w: &Wizard| {
        w.open
            .as_ref()
            .map(|o| format!("{:?}", o.proxy.focus))
            .unwrap_or_default()
    };
    for _ in 0..2 {
        if focus(&w) == "Estate" {
            break;
        }
        press(&mut w, &[Action::NextField]);
    }
    assert_eq!(focus(&w), "Estate");
    let screen = render(&w, 120, 40);
    assert!(
        screen.contains("Selected (o/y list its pages):"),
        "{screen}"
    );
    let help = catalog()
        .common
        .proxy_help(mde_migrate::catalog::Family::Windows)
        .map(|h| h.source.clone())
        .unwrap_or_default();
    let offered = offered(&mut w);
    assert!(offered.contains(&help), "{help} not in {offered:?}");
}
