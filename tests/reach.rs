//! Every page `mde-migrate links` lists for a guide can be opened (`o`) and
//! copied (`y`) from some screen of the wizard, and is written into each
//! export format. The walk presses the real keys; nothing is looked up in
//! the catalog behind the wizard's back.

mod common;

use std::collections::BTreeSet;

use common::*;
use mde_migrate::report::{Format, render as report};
use mde_migrate::wizard::{Action, Context, Effect, Modal, Wizard};

/// The URLs `mde-migrate links --guide <id> --json` prints.
fn listed(guide: &str) -> Vec<String> {
    let out = assert_cmd::Command::cargo_bin("mde-migrate")
        .unwrap_or_else(|e| panic!("{e}"))
        .env("MDE_MIGRATE_HOME", std::env::temp_dir())
        .args(["links", "--guide", guide, "--json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let rows = rows.as_array().cloned().unwrap_or_default();
    assert!(rows.len() > 10, "{guide}: {rows:?}");
    rows.iter()
        .filter_map(|r| r.get("url").and_then(|u| u.as_str()).map(str::to_string))
        .collect()
}

/// A plan where every item is asked: a proxy, RBAC, servers, every system.
fn full_plan(guide: &str) -> mde_migrate::plan::Plan {
    let mut p = plan(guide);
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

/// What `o` and `y` offer where the wizard stands: the same pages, and on
/// an item with commands `y` offers those too, first (never `o`).
fn offered(w: &mut Wizard, seen: &mut BTreeSet<String>) {
    let mut got = Vec::new();
    for key in [Action::Open, Action::Copy] {
        let effects = press(w, std::slice::from_ref(&key));
        let mut urls: Vec<String> = effects
            .iter()
            .filter_map(|e| match e {
                Effect::OpenUrl(u) | Effect::Copy(u) => Some(u.clone()),
                _ => None,
            })
            .collect();
        if let Some(Modal::Links { links, .. }) = &w.modal {
            urls.extend(links.iter().map(|l| l.url.clone()));
            press(w, &[Action::Back]);
        }
        assert!(w.modal.is_none(), "{key:?} left a dialog open");
        got.push(urls);
    }
    let (commands, pages): (Vec<String>, Vec<String>) = got[1]
        .iter()
        .cloned()
        .partition(|u| !u.starts_with("https://"));
    assert_eq!(got[0], pages, "o and y offer the same pages");
    for c in &commands {
        assert!(
            catalog()
                .guides
                .iter()
                .flat_map(|g| g.items())
                .any(|(_, i)| i.commands.iter().any(|x| &x.text == c)),
            "y offered {c:?}, which is no command of the catalog"
        );
    }
    assert!(
        got[0].iter().all(|u| u.starts_with("https://")),
        "o offers a command"
    );
    seen.extend(got.swap_remove(0));
}

fn walk(guide: &str) -> BTreeSet<String> {
    let mut w = wizard_with(full_plan(guide));
    let mut seen = BTreeSet::new();
    offered(&mut w, &mut seen);
    let steps = catalog().guide(guide).map_or(0, |g| g.steps.len());
    for _ in 0..steps {
        press(&mut w, &[Action::NextStep]);
        if w.context() == Context::Proxy {
            for _ in 0..2 {
                press(&mut w, &[Action::Home]);
                for _ in 0..30 {
                    offered(&mut w, &mut seen);
                    press(&mut w, &[Action::Down]);
                }
                press(&mut w, &[Action::NextField]);
            }
            // The lookup, for every plan or capability.
            press(&mut w, &[Action::Right, Action::Left]);
            for _ in 0..2 {
                press(&mut w, &[Action::Home]);
                for _ in 0..30 {
                    offered(&mut w, &mut seen);
                    press(&mut w, &[Action::Down]);
                }
                press(&mut w, &[Action::Right]);
            }
        } else {
            press(&mut w, &[Action::Home]);
            for _ in 0..20 {
                offered(&mut w, &mut seen);
                press(&mut w, &[Action::Down]);
            }
        }
    }
    press(&mut w, &[Action::NextStep]);
    offered(&mut w, &mut seen);
    seen
}

#[test]
fn every_listed_link_is_reachable_from_a_screen() {
    for g in &catalog().guides {
        let seen = walk(&g.id);
        let mut wanted = listed(&g.id);
        wanted.push(g.source_url.clone());
        let missing: Vec<&String> = wanted.iter().filter(|u| !seen.contains(*u)).collect();
        assert!(
            missing.is_empty(),
            "{}: no screen offers {missing:#?}",
            g.id
        );
    }
}

#[test]
fn the_overview_offers_the_guide_and_the_summary_both_next_phases() {
    for g in &catalog().guides {
        let mut w = wizard_with(full_plan(&g.id));
        let mut seen = BTreeSet::new();
        offered(&mut w, &mut seen);
        assert!(seen.contains(&g.source_url), "{}", g.id);
        // The guide's own page is one the program agrees to open.
        assert_eq!(mde_migrate::links::refuse(catalog(), &g.source_url), None);
        for _ in 0..=g.steps.len() {
            press(&mut w, &[Action::NextStep]);
        }
        let mut next = BTreeSet::new();
        offered(&mut w, &mut next);
        for id in ["phase-2", "phase-3"] {
            let url = g.link(id).map(|l| l.url.clone()).unwrap_or_default();
            assert!(next.contains(&url), "{}: summary lacks {id}", g.id);
        }
    }
}

#[test]
fn every_listed_link_is_in_every_export() {
    for g in &catalog().guides {
        let p = full_plan(&g.id);
        for format in [Format::Markdown, Format::Html, Format::Json] {
            let text = report(catalog(), &p, format, NOW).unwrap_or_else(|e| panic!("{e}"));
            let mut wanted = listed(&g.id);
            wanted.push(g.source_url.clone());
            for url in wanted {
                let shown = match format {
                    Format::Html => url.replace('&', "&amp;"),
                    _ => url.clone(),
                };
                assert!(text.contains(&shown), "{} {format:?} lacks {url}", g.id);
            }
            for f in &g.footnotes {
                assert!(text.contains(&f.text), "{} {format:?} lacks footnote", g.id);
            }
        }
    }
}
