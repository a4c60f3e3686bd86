//! Every guide works everywhere: each guide file under `assets/guides/` is
//! walked through every screen (80×24 and 120×40), plain mode, `status`,
//! `lookup`, `links` and every export. A guide built here, with ids and
//! names of its own, shows that the features come from the guide's
//! declarations (roles, kinds, flags, table values), not from ids in code;
//! and the catalog check refuses a guide that lacks what a screen needs.

#![recursion_limit = "512"]

use std::collections::BTreeSet;
use std::path::PathBuf;

use mde_migrate::catalog::{COMMON_FILE, Catalog, GUIDE_FILES, ItemKind, ScreenKind};
use mde_migrate::plan::Plan;
use mde_migrate::report::{Format, render as report};
use mde_migrate::ui::theme::Theme;
use mde_migrate::wizard::{Action, Effect, LoadedPlan, Modal, Screen, Wizard};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const NOW: &str = "2030-02-01T09:00:00Z";

fn embedded() -> &'static Catalog {
    Catalog::embedded().unwrap_or_else(|e| panic!("{e}"))
}

/// A guide of its own: other ids, other names, every feature declared.
fn acme() -> serde_json::Value {
    let l = |id: &str| serde_json::json!({ "id": id, "title": format!("Acme page {id}"), "url": format!("https://learn.microsoft.com/acme/{id}") });
    let links: Vec<_> = [
        "l-applies",
        "l-console",
        "l-process",
        "l-stage-b",
        "l-up-win",
        "l-up-mac",
        "l-gold",
        "l-lead",
        "l-res-win",
        "l-res-mac",
        "l-extra",
        "l-srv-lic",
    ]
    .into_iter()
    .map(l)
    .collect();
    serde_json::json!({
      "id": "acme-2030", "title": "Acme move - Phase 1: Get ready", "short_name": "Acme test guide",
      "published": "2030-01-01", "source_url": "https://learn.microsoft.com/acme/get-ready",
      "proposed_for": ["acme"], "applies_to": ["l-applies"],
      "portal": { "name": "Acme Console", "link": "l-console", "former": "once the Acme Desk" },
      "migration_process": "l-process",
      "phases": [ { "id": "ph-a", "title": "Stage A: Ready" }, { "id": "ph-b", "title": "Stage B: Build", "link": "l-stage-b" } ],
      "links": links,
      "systems": [
        { "id": "sys-desk", "name": "Windows 10", "family": "windows", "product": "10" },
        { "id": "sys-old", "name": "Windows 7 SP1", "family": "windows", "product": "7", "downlevel": true },
        { "id": "sys-srv", "name": "Windows Server 2019", "family": "windows", "server": true, "product": "2019" },
        { "id": "sys-fruit", "name": "macOS", "family": "macos" },
        { "id": "sys-phone", "name": "Android", "family": "android" }
      ],
      "update_table": [
        { "family": "windows", "os": "Windows", "link": "l-up-win" },
        { "family": "macos", "os": "macOS", "link": "l-up-mac" }
      ],
      "proxy_table": { "axis": "plan",
        "values": [
          { "id": "Gold", "name": "Acme Gold tier", "link": "l-gold", "aliases": ["g"] },
          { "id": "Lead", "name": "Acme Lead tier", "link": "l-lead" }
        ],
        "rows": [
          { "value": "Gold", "systems": [ { "system": "sys-desk" }, { "system": "sys-srv", "footnote": "fn-star" }, { "system": "sys-old" } ], "resources": ["l-res-win"] },
          { "value": "Lead", "systems": [ { "system": "sys-desk" }, { "system": "sys-srv" } ], "resources": ["l-res-win"] },
          { "value": "Lead", "systems": [ { "system": "sys-fruit" } ], "resources": ["l-res-mac"] }
        ] },
      "footnotes": [ { "id": "fn-star", "marker": "†", "text": "Servers take the extra agent.", "links": ["l-extra"] } ],
      "warnings": [ { "id": "w-srv", "when": "f-boxes", "text": "Servers need a separate Acme licence.", "links": ["l-srv-lic"] } ],
      "steps": [
        { "id": "st-patch", "screen": "updates", "short": "Patch", "title": "Patch everything first", "intro": "Bring every device up to date.", "items": [
          { "id": "q-vendor", "kind": "text", "role": "product", "label": "Vendor product today", "help": "Name it." },
          { "id": "q-fleet", "kind": "systems", "label": "Fleet systems", "help": "Pick them." },
          { "id": "q-patch-win", "kind": "task", "family": "windows", "label": "Windows patched", "help": "Patch Windows.", "links": ["l-up-win"] },
          { "id": "q-patch-mac", "kind": "task", "family": "macos", "label": "Macs patched", "help": "Patch Macs.", "links": ["l-up-mac"] } ] },
        { "id": "st-buy", "screen": "licence", "short": "Buy", "title": "Buy the service", "intro": "Get the tier.", "items": [
          { "id": "q-how", "kind": "choice", "role": "licence-route", "label": "Tier bought", "help": "Choose.", "links": ["l-gold"],
            "options": [ { "id": "o-gold", "label": "Gold tier", "plan": "Gold" }, { "id": "o-lead", "label": "Lead tier", "plan": "Lead" } ] },
          { "id": "q-relay", "kind": "choice", "role": "proxy-in-use", "label": "Relay in the path", "help": "Say.",
            "options": [ { "id": "o-relay-on", "label": "On", "flags": ["f-relay"] }, { "id": "o-relay-off", "label": "Off" } ] },
          { "id": "q-boxes", "kind": "choice", "role": "servers", "label": "Boxes in the fleet", "help": "Say.",
            "options": [ { "id": "o-boxes-some", "label": "Some", "flags": ["f-boxes"] }, { "id": "o-boxes-none", "label": "None" } ] } ] },
        { "id": "st-who", "screen": "access", "short": "Who", "title": "Decide who gets in", "intro": "Pick the model.", "items": [
          { "id": "q-model", "kind": "choice", "role": "access-model", "label": "Door model", "help": "Pick.", "links": ["l-console"],
            "options": [ { "id": "o-fine", "label": "Fine-grained", "short": "fine-grained", "flags": ["f-fine"] }, { "id": "o-coarse", "label": "Coarse", "short": "coarse" } ] },
          { "id": "q-people", "kind": "roles", "when": "f-fine", "label": "People planned", "help": "Plan them." } ] },
        { "id": "st-net", "screen": "proxy", "short": "Network", "required_when": "f-relay", "title": "Open the network", "intro": "Look up the pages.", "items": [
          { "id": "q-read", "kind": "proxy-review", "label": "Network pages read", "help": "Read them." } ] }
      ]
    })
}

/// The built-in guides plus one more, validated like the built-in ones.
fn with_guide(extra: &serde_json::Value) -> Result<Catalog, String> {
    let text = extra.to_string();
    let mut files: Vec<(&str, &str)> = GUIDE_FILES.to_vec();
    files.push(("acme-2030.json", &text));
    Catalog::from_sources(&files, COMMON_FILE).map_err(|e| e.to_string())
}

fn acme_catalog() -> &'static Catalog {
    let c = with_guide(&acme()).unwrap_or_else(|e| panic!("{e}"));
    Box::leak(Box::new(c))
}

fn wizard(catalog: &'static Catalog, plan: Plan) -> Wizard {
    let mut w = Wizard::new(catalog, true);
    w.update(Action::PlansListed(Vec::new()), NOW);
    w.update(
        Action::Created(Ok(LoadedPlan {
            id: "walk-00000000".into(),
            plan,
            read_only: None,
        })),
        NOW,
    );
    w
}

fn press(w: &mut Wizard, actions: &[Action]) -> Vec<Effect> {
    let mut all = Vec::new();
    for a in actions {
        let effects = w.update(a.clone(), NOW);
        if effects.contains(&Effect::Save) {
            w.update(Action::Saved(Ok(())), NOW);
        }
        all.extend(effects);
    }
    all
}

fn render(w: &Wizard, width: u16, height: u16) -> String {
    let mut terminal =
        Terminal::new(TestBackend::new(width, height)).unwrap_or_else(|e| panic!("{e}"));
    terminal
        .draw(|f| mde_migrate::ui::draw(f, w, &Theme::plain()))
        .unwrap_or_else(|e| panic!("{e}"));
    let buf = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// Both sizes; returns the large one.
fn both(w: &Wizard) -> String {
    let small = render(w, 80, 24);
    assert!(!small.trim().is_empty());
    render(w, 120, 40)
}

/// A plan where everything is asked: a proxy, the planner, servers, every
/// system of the guide, with its product filled in.
fn full_plan(catalog: &Catalog, guide: &str) -> Plan {
    let g = catalog.guide(guide).unwrap_or_else(|| panic!("{guide}"));
    let mut p = Plan::create("Walk", "Contoso", "Their product 9", g, NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    for (_, item) in g.items().filter(|(_, i)| i.kind == ItemKind::Choice) {
        // The first flagged answer, else the first: asks every item.
        let opt = item
            .options
            .iter()
            .find(|o| !o.flags.is_empty())
            .or(item.options.first());
        if let Some(o) = opt {
            p.set_choice(&item.id, Some(&o.id), NOW);
        }
    }
    for s in &g.systems {
        p.estate.systems.insert(s.id.clone(), Some(5));
    }
    p
}

/// Every screen of a guide, every item of every step, the pop-ups its
/// items open, help, overview and summary, at 80×24 and 120×40.
fn walk_screens(catalog: &'static Catalog, guide: &str) {
    let g = catalog.guide(guide).unwrap_or_else(|| panic!("{guide}"));
    let mut w = wizard(catalog, full_plan(catalog, guide));
    let overview = both(&w);
    assert!(
        overview.contains(&g.short_name) || overview.contains(&g.title[..20]),
        "{guide}: {overview}"
    );
    for (n, step) in g.steps.iter().enumerate() {
        press(&mut w, &[Action::NextStep]);
        assert_eq!(w.screen, Screen::Step(n), "{guide}");
        let screen = both(&w);
        assert!(
            screen.contains(&step.short),
            "{guide} {}: {screen}",
            step.id
        );
        let flags = w.open.as_ref().map(|o| o.plan.flags(g)).unwrap_or_default();
        let asked = step
            .items
            .iter()
            .filter(|i| i.when.as_ref().is_none_or(|f| flags.contains(f)));
        if step.screen == ScreenKind::Proxy {
            // The proxy step shows its lookup and the estate's pages
            // instead of an item list: walk both panes, open the estate.
            for _ in 0..3 {
                press(&mut w, &[Action::Down]);
                both(&w);
            }
            press(&mut w, &[Action::NextField]);
            both(&w);
            press(&mut w, &[Action::Systems]);
            assert!(matches!(w.modal, Some(Modal::Systems(_))), "{guide}");
            both(&w);
            press(&mut w, &[Action::Back]);
            assert!(w.modal.is_none(), "{guide}");
        }
        let asked = asked.filter(|_| step.screen != ScreenKind::Proxy);
        for (k, item) in asked.enumerate() {
            if k > 0 {
                press(&mut w, &[Action::Down]);
            }
            let screen = both(&w);
            let label: String = item.label.chars().take(18).collect();
            assert!(screen.contains(&label), "{guide} {}: {screen}", item.id);
            if matches!(
                item.kind,
                ItemKind::Choice | ItemKind::Systems | ItemKind::Roles
            ) {
                press(&mut w, &[Action::Select]);
                assert!(
                    w.modal.is_some(),
                    "{guide} {}: Enter opens its pop-up",
                    item.id
                );
                both(&w);
                press(&mut w, &[Action::Back]);
                assert!(w.modal.is_none(), "{guide} {}", item.id);
            }
        }
        press(&mut w, &[Action::Help]);
        assert!(matches!(w.modal, Some(Modal::Help { .. })));
        both(&w);
        press(&mut w, &[Action::Back]);
    }
    press(&mut w, &[Action::NextStep]);
    assert_eq!(w.screen, Screen::Summary, "{guide}");
    let summary = both(&w);
    assert!(!summary.trim().is_empty());
    press(&mut w, &[Action::Export]);
    both(&w);
}

/// Plain mode: create a plan for the guide and walk it with Enter alone.
fn walk_plain(catalog: &'static Catalog, guide: &str) -> String {
    let g = catalog.guide(guide).unwrap_or_else(|| panic!("{guide}"));
    let n = catalog
        .guides
        .iter()
        .position(|x| x.id == guide)
        .unwrap_or_else(|| panic!("{guide}"))
        + 1;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let store = mde_migrate::store::Store::open(dir.path(), true).unwrap_or_else(|e| panic!("{e}"));
    let mut input = format!("\nPlain {guide}\nContoso\nTheir product\n{n}\n");
    for _ in 0..80 {
        input.push('\n');
    }
    input.push_str("q\n");
    let mut out = Vec::new();
    mde_migrate::plain::run(catalog, &store, input.as_bytes(), &mut out)
        .unwrap_or_else(|e| panic!("{guide}: {e}"));
    let out = String::from_utf8(out).unwrap_or_else(|e| panic!("{e}"));
    assert!(out.contains(&g.short_name), "{guide}: {out}");
    for step in &g.steps {
        assert!(out.contains(&step.title), "{guide} {}: {out}", step.id);
    }
    out
}

/// The command line, against the catalog: new, set, status, lookup,
/// links and every export.
fn walk_cli(catalog: &'static Catalog, guide: &str) -> Vec<String> {
    let g = catalog.guide(guide).unwrap_or_else(|| panic!("{guide}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let state = dir.path().to_string_lossy().into_owned();
    let run = |args: &[&str]| -> String {
        let mut all = vec!["mde-migrate", "--state-dir", state.as_str()];
        all.extend_from_slice(args);
        let mut out = Vec::new();
        mde_migrate::cli::run_args(catalog, all, &mut out)
            .unwrap_or_else(|e| panic!("{guide} {args:?}: {e:#}"));
        String::from_utf8(out).unwrap_or_else(|e| panic!("{e}"))
    };
    let mut outputs = Vec::new();
    outputs.push(run(&[
        "new",
        "--name",
        "Cli walk",
        "--guide",
        guide,
        "--replacing",
        "Their product",
    ]));
    let (_, route) = g
        .role(mde_migrate::catalog::Role::LicenceRoute)
        .unwrap_or_else(|| panic!("{guide}: no licence route"));
    let first = &route.options[0];
    outputs.push(run(&["set", "Cli walk", &route.id, &first.id]));
    let status = run(&["status", "Cli walk"]);
    assert!(
        status.contains(&g.short_name) || status.contains(guide),
        "{guide}: {status}"
    );
    outputs.push(status);
    let json: serde_json::Value = serde_json::from_str(&run(&["status", "Cli walk", "--json"]))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(json["guide"], guide, "{json}");
    // Every row of the table, by its value's name and its system's name.
    let axis = match g.proxy_table.axis {
        mde_migrate::catalog::Axis::Plan => "--plan",
        mde_migrate::catalog::Axis::Capability => "--capability",
    };
    for row in &g.proxy_table.rows {
        let value = g.axis_value(&row.value).unwrap_or_else(|| panic!("value"));
        for cell in &row.systems {
            let system = g.system(&cell.system).unwrap_or_else(|| panic!("system"));
            let out = run(&[
                "lookup",
                "--guide",
                guide,
                "--os",
                &system.name,
                axis,
                &value.name,
                "--json",
            ]);
            let rows: serde_json::Value =
                serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
            let urls: BTreeSet<String> = rows
                .as_array()
                .into_iter()
                .flatten()
                .filter(|r| r["os"] == system.name.as_str())
                .flat_map(|r| r["resources"].as_array().cloned().unwrap_or_default())
                .filter_map(|x| x["url"].as_str().map(str::to_string))
                .collect();
            for res in &row.resources {
                let url = &g.link(res).unwrap_or_else(|| panic!("link")).url;
                assert!(
                    urls.contains(url),
                    "{guide} {} {}: {out}",
                    value.id,
                    system.name
                );
            }
        }
    }
    let links = run(&["links", "--guide", guide]);
    assert!(
        links.contains(&g.source_url) || links.contains(&g.links[0].url),
        "{links}"
    );
    for format in ["md", "html", "json"] {
        let text = run(&["export", "Cli walk", "--format", format]);
        assert!(
            text.contains(
                &g.steps[0]
                    .title
                    .replace('\'', if format == "html" { "&#39;" } else { "'" })
            ) || text.contains(&g.steps[0].title),
            "{guide} {format}"
        );
        outputs.push(text);
    }
    outputs
}

fn every_export(catalog: &Catalog, guide: &str) {
    let plan = full_plan(catalog, guide);
    for format in [Format::Markdown, Format::Html, Format::Json] {
        let text = report(catalog, &plan, format, NOW).unwrap_or_else(|e| panic!("{guide}: {e}"));
        assert!(text.len() > 500, "{guide} {format:?}");
    }
}

#[test]
fn every_guide_file_is_built_in() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/guides");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let v: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{e}")),
            )
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            v["id"].as_str().unwrap_or_default().to_string()
        })
        .collect();
    on_disk.sort();
    let mut built: Vec<String> = embedded().guides.iter().map(|g| g.id.clone()).collect();
    built.sort();
    assert_eq!(on_disk, built);
    assert!(built.len() >= 3);
}

#[test]
fn every_guide_walks_every_screen() {
    for g in &embedded().guides {
        walk_screens(embedded(), &g.id);
    }
}

#[test]
fn every_guide_walks_in_plain_mode() {
    for g in &embedded().guides {
        walk_plain(embedded(), &g.id);
    }
}

#[test]
fn every_guide_answers_status_lookup_links_and_exports() {
    for g in &embedded().guides {
        walk_cli(embedded(), &g.id);
        every_export(embedded(), &g.id);
    }
}

#[test]
fn a_guide_with_ids_of_its_own_works_everywhere() {
    let c = acme_catalog();
    walk_screens(c, "acme-2030");
    let plain = walk_plain(c, "acme-2030");
    assert!(plain.contains("Tier bought"), "{plain}");
    let cli = walk_cli(c, "acme-2030");
    assert!(cli[0].contains("acme-2030"), "{}", cli[0]);
    every_export(c, "acme-2030");
    // Proposed by its own words.
    assert_eq!(c.propose_guide("Acme Shield 3"), "acme-2030");
    assert_eq!(c.propose_guide("Something else"), "generic-2023");
}

#[test]
fn a_guide_with_ids_of_its_own_derives_every_fact() {
    let c = acme_catalog();
    let g = c.guide("acme-2030").unwrap_or_else(|| panic!("acme"));
    let mut p =
        Plan::create("Acme plan", "", "Acme Shield 3", g, NOW).unwrap_or_else(|e| panic!("{e}"));
    // The product item is declared by its role, whatever its id.
    assert_eq!(
        p.answer("q-vendor").and_then(|a| a.text.as_deref()),
        Some("Acme Shield 3")
    );
    for (s, n) in [
        ("sys-desk", 10),
        ("sys-old", 2),
        ("sys-srv", 3),
        ("sys-phone", 1),
    ] {
        p.estate.systems.insert(s.into(), Some(n));
    }
    p.set_choice("q-how", Some("o-lead"), NOW);
    p.set_choice("q-boxes", Some("o-boxes-none"), NOW);
    p.set_choice("q-model", Some("o-fine"), NOW);
    // The Defender plan comes from the licence-route item's answer.
    assert_eq!(p.defender_plan(g), Some("Lead"));
    // Servers in the estate set the servers item's flag: its warning shows.
    let flags = p.flags(g);
    assert!(
        flags.contains("f-boxes") && flags.contains("f-fine"),
        "{flags:?}"
    );
    let warnings: Vec<&str> = p.warnings(g).iter().map(|w| w.id.as_str()).collect();
    assert_eq!(warnings, ["w-srv"]);
    // The network step is optional until the relay answer is the flagged one.
    let net = g.step("st-net").unwrap_or_else(|| panic!("step"));
    assert!(!p.is_step_required(net, &flags));
    p.set_choice("q-relay", Some("o-relay-on"), NOW);
    assert!(p.is_step_required(net, &p.flags(g)));
    // Both conflicts, on the items holding the roles.
    let conflicts: Vec<(&str, String)> =
        p.conflicts(g).into_iter().map(|c| (c.id, c.item)).collect();
    assert_eq!(
        conflicts,
        [
            ("servers-answer", "q-boxes".to_string()),
            ("downlevel-plan", "q-how".to_string())
        ]
    );
    let texts: Vec<String> = p.conflicts(g).into_iter().map(|c| c.text).collect();
    assert!(
        texts[0].contains("\"Boxes in the fleet\" is answered None"),
        "{texts:?}"
    );
    assert!(texts[1].contains("under Gold only"), "{texts:?}");
    // The proxy pages of the Lead tier for this estate, and the gaps.
    let applicable: Vec<(String, Vec<String>)> = p
        .applicable_proxy(g)
        .into_iter()
        .map(|a| (a.link, a.systems))
        .collect();
    assert_eq!(
        applicable,
        [(
            "l-res-win".to_string(),
            vec!["sys-desk".to_string(), "sys-srv".to_string()]
        )]
    );
    let gaps: Vec<(String, Vec<String>)> = p
        .gaps(g)
        .into_iter()
        .map(|x| (x.value, x.systems.into_iter().map(|s| s.id).collect()))
        .collect();
    assert_eq!(
        gaps,
        [(
            "Lead".to_string(),
            vec!["sys-old".to_string(), "sys-phone".to_string()]
        )]
    );
    // Its table values and their spellings drive lookup.
    let rows = mde_migrate::lookup::lookup(c, Some("acme-2030"), "server 2019", Some("g"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].plan.as_deref(), Some("Gold"));
    assert!(
        rows[0].footnotes[0].starts_with("† Servers take the extra agent."),
        "{rows:?}"
    );
    // The screens say it in the guide's words.
    let mut w = wizard(c, p);
    press(&mut w, &[Action::NextStep, Action::NextStep]);
    let licence = render(&w, 120, 40);
    assert!(
        licence.contains("Defender plan: Acme Lead tier"),
        "{licence}"
    );
    assert!(licence.contains("see \"Boxes in the fleet\""), "{licence}");
    press(&mut w, &[Action::NextStep]);
    let access = render(&w, 120, 40);
    assert!(
        access.contains("Portal access: fine-grained, 0 roles planned"),
        "{access}"
    );
}

/// A change made to the test guide.
type Change = Box<dyn Fn(&mut serde_json::Value)>;

/// Drop a declaration from the test guide: the catalog check names what is
/// missing, instead of a screen losing a feature without a word.
#[test]
fn a_guide_missing_what_a_screen_needs_is_refused() {
    let cases: Vec<(&str, Change)> = vec![
        (
            "role \"licence-route\", which the licence screen needs",
            Box::new(|g| {
                let route = &mut g["steps"][1]["items"][0];
                route.as_object_mut().map(|o| o.remove("role"));
                for o in route["options"].as_array_mut().into_iter().flatten() {
                    o.as_object_mut().map(|o| o.remove("plan"));
                }
            }),
        ),
        (
            "only the \"licence-route\" item's options may",
            Box::new(|g| {
                g["steps"][1]["items"][0]
                    .as_object_mut()
                    .map(|o| o.remove("role"));
            }),
        ),
        (
            "role \"proxy-in-use\"",
            Box::new(|g| {
                g["steps"][1]["items"][1]
                    .as_object_mut()
                    .map(|o| o.remove("role"));
            }),
        ),
        (
            "role \"access-model\"",
            Box::new(|g| {
                g["steps"][2]["items"][0]
                    .as_object_mut()
                    .map(|o| o.remove("role"));
            }),
        ),
        (
            "no roles item",
            Box::new(|g| {
                g["steps"][2]["items"][1]["kind"] = "task".into();
            }),
        ),
        (
            "no proxy-review item",
            Box::new(|g| {
                g["steps"][3]["items"][0]["kind"] = "task".into();
            }),
        ),
        (
            "no systems item",
            Box::new(|g| {
                g["steps"][0]["items"][1]["kind"] = "text".into();
            }),
        ),
        (
            "needs \"family\": \"macos\"",
            Box::new(|g| {
                g["steps"][0]["items"][3]
                    .as_object_mut()
                    .map(|o| o.remove("family"));
            }),
        ),
        (
            "names no plan",
            Box::new(|g| {
                g["steps"][1]["items"][0]["options"][1]
                    .as_object_mut()
                    .map(|o| o.remove("plan"));
            }),
        ),
        (
            "only the \"licence-route\" item's options may",
            Box::new(|g| {
                g["steps"][1]["items"][1]["options"][0]["plan"] = "Gold".into();
            }),
        ),
        (
            "unknown plan (proxy table value) \"Silver\"",
            Box::new(|g| {
                g["steps"][1]["items"][0]["options"][0]["plan"] = "Silver".into();
            }),
        ),
        (
            "held by more than one item",
            Box::new(|g| {
                g["steps"][1]["items"][2]["role"] = "proxy-in-use".into();
            }),
        ),
        (
            "needs a text item, not a task",
            Box::new(|g| {
                g["steps"][0]["items"][0]
                    .as_object_mut()
                    .map(|o| o.remove("role"));
                g["steps"][0]["items"][2]["role"] = "product".into();
            }),
        ),
        (
            "no answer of it sets a flag",
            Box::new(|g| {
                g["steps"][1]["items"][1]["options"][0]
                    .as_object_mut()
                    .map(|o| o.remove("flags"));
                g["steps"][3]
                    .as_object_mut()
                    .map(|o| o.remove("required_when"));
            }),
        ),
        (
            "no answer of \"q-model\" sets it",
            Box::new(|g| {
                g["steps"][2]["items"][1]["when"] = "f-relay".into();
            }),
        ),
        (
            "exactly one phase must have no link",
            Box::new(|g| {
                g["phases"][0]["link"] = "l-process".into();
            }),
        ),
        (
            "more than one guide is marked",
            Box::new(|g| {
                g["default"] = true.into();
            }),
        ),
    ];
    assert!(with_guide(&acme()).is_ok());
    for (want, change) in cases {
        let mut g = acme();
        change(&mut g);
        match with_guide(&g) {
            Ok(_) => panic!("accepted a guide with {want}"),
            Err(e) => {
                assert!(e.contains(want), "{want}: {e}");
                assert!(
                    e.contains("acme-2030.json") || want.starts_with("more than one"),
                    "{e}"
                );
            }
        }
    }
}

#[test]
fn replacing_mcafee_proposes_the_mcafee_guide() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let run = |args: &[&str]| {
        let out = assert_cmd::Command::cargo_bin("mde-migrate")
            .unwrap_or_else(|e| panic!("{e}"))
            .env("MDE_MIGRATE_HOME", home.path())
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let created = run(&["new", "--name", "X", "--replacing", "McAfee ENS"]);
    assert!(created.contains("(mcafee-2021)"), "{created}");
    let status: serde_json::Value =
        serde_json::from_str(&run(&["status", "X", "--json"])).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status["guide"], "mcafee-2021");
    // The product answer is the McAfee guide's product item.
    let text = run(&["status", "X"]);
    assert!(text.contains("McAfee ENS"), "{text}");
    run(&[
        "new",
        "--name",
        "Y",
        "--replacing",
        "Symantec Endpoint Protection",
    ]);
    let status: serde_json::Value =
        serde_json::from_str(&run(&["status", "Y", "--json"])).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status["guide"], "symantec-2021");
}

#[test]
fn mcafee_notes_stay_with_the_mcafee_guide() {
    let c = embedded();
    for (guide, shown) in [
        ("mcafee-2021", true),
        ("generic-2023", false),
        ("symantec-2021", false),
    ] {
        let md = report(c, &full_plan(c, guide), Format::Markdown, NOW)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(md.contains("now Trellix"), shown, "{guide}");
        assert_eq!(
            md.contains("old Microsoft Update website"),
            shown,
            "{guide}"
        );
        // Only the generic guide's proxy step is ever optional here.
        let optional = md.contains("This program treats it as optional");
        assert_eq!(optional, guide == "generic-2023", "{guide}");
        let g = c.guide(guide).unwrap_or_else(|| panic!("{guide}"));
        let on_item = c
            .common
            .notes_about(g, "proxy-in-use")
            .any(|n| n.text.contains("treats it as optional"));
        assert_eq!(on_item, guide == "generic-2023", "{guide}");
    }
    // On the item it concerns, in the wizard.
    let mut w = wizard(c, full_plan(c, "mcafee-2021"));
    press(&mut w, &[Action::NextStep, Action::Down, Action::Down]);
    let screen = render(&w, 120, 40);
    assert!(screen.contains("McAfee solution is up to date"), "{screen}");
    assert!(screen.contains("is now Trellix"), "{screen}");
}

#[test]
fn plan_and_capability_values_come_from_the_guides_tables() {
    let c = acme_catalog();
    let run = |args: &[&str]| {
        let mut all = vec!["mde-migrate", "lookup", "--os", "Windows 10"];
        all.extend_from_slice(args);
        let mut out = Vec::new();
        mde_migrate::cli::run_args(c, all, &mut out)
            .map(|_| String::from_utf8_lossy(&out).into_owned())
            .map_err(|e| format!("{e:#}"))
    };
    // The test guide's own values, by id, name or declared alias.
    for spelling in ["Lead", "lead", "Acme Lead tier"] {
        let out = run(&["--guide", "acme-2030", "--plan", spelling, "--json"])
            .unwrap_or_else(|e| panic!("{spelling}: {e}"));
        assert!(out.contains("\"plan\": \"Lead\""), "{spelling}: {out}");
    }
    let out =
        run(&["--guide", "acme-2030", "--plan", "g", "--json"]).unwrap_or_else(|e| panic!("{e}"));
    assert!(out.contains("\"plan\": \"Gold\""), "{out}");
    // A plan value is not a capability, and an unknown one lists them all.
    let err = run(&["--capability", "Gold"]).err().unwrap_or_default();
    assert!(
        err.contains("is not a capability")
            && err.contains("EDR (Endpoint detection and response (EDR))"),
        "{err}"
    );
    let err = run(&["--plan", "Plan 3"]).err().unwrap_or_default();
    assert!(err.contains("is not a Defender for Endpoint plan"), "{err}");
    assert!(
        err.contains("P2 (Defender for Endpoint Plan 2)") && err.contains("Gold (Acme Gold tier)"),
        "{err}"
    );
    // The built-in spellings still read: av, "Microsoft Defender Antivirus".
    for spelling in ["av", "Microsoft Defender Antivirus", "antivirus"] {
        let out = run(&["--capability", spelling, "--json"])
            .unwrap_or_else(|e| panic!("{spelling}: {e}"));
        assert!(
            out.contains("\"capability\": \"Antivirus\""),
            "{spelling}: {out}"
        );
    }
}

#[test]
fn down_level_devices_are_reported_under_the_guides_own_rows() {
    let c = embedded();
    for (guide, under) in [
        ("generic-2023", "P2"),
        ("symantec-2021", "EDR"),
        ("mcafee-2021", "EDR"),
    ] {
        let g = c.guide(guide).unwrap_or_else(|| panic!("{guide}"));
        let mut p = Plan::create("Old", "", "", g, NOW).unwrap_or_else(|e| panic!("{e}"));
        p.estate.systems.insert("win7sp1".into(), Some(3));
        let want = format!("the guide lists them under {under} only): 3");
        for format in [Format::Markdown, Format::Html] {
            let text = report(c, &p, format, NOW).unwrap_or_else(|e| panic!("{e}"));
            assert!(text.contains(&want), "{guide} {format:?}");
            assert!(
                !text.contains("Plan 2 down-level onboarding"),
                "{guide} {format:?}"
            );
        }
    }
}

#[test]
fn the_new_plan_form_proposes_the_mcafee_guide_and_fills_its_product_item() {
    let c = embedded();
    let mut w = Wizard::new(c, true);
    press(&mut w, &[Action::PlansListed(Vec::new()), Action::Create]);
    assert_eq!(w.screen, Screen::NewPlan);
    let mut keys: Vec<Action> = "Rollout".chars().map(Action::Char).collect();
    keys.extend([Action::NextField, Action::NextField]);
    keys.extend("McAfee ENS 10.7".chars().map(Action::Char));
    press(&mut w, &keys);
    assert_eq!(c.guides[w.form.guide].id, "mcafee-2021");
    assert!(render(&w, 80, 24).contains("McAfee guide (2021)"));
    press(&mut w, &[Action::NextField, Action::NextField]);
    let effects = press(&mut w, &[Action::Select]);
    let Some(Effect::Create(plan)) = effects.iter().find(|e| matches!(e, Effect::Create(_))) else {
        panic!("no plan created: {effects:?}");
    };
    assert_eq!(plan.guide, "mcafee-2021");
    assert_eq!(
        plan.answer("mcafee-product")
            .and_then(|a| a.text.as_deref()),
        Some("McAfee ENS 10.7")
    );
}

#[test]
fn a_link_to_a_host_the_catalog_does_not_list_is_refused() {
    let mut g = acme();
    g["links"][0]["url"] = "https://acme.example/page".into();
    let err = with_guide(&g).err().unwrap_or_default();
    assert!(
        err.contains("acme-2030.json") && err.contains("\"acme.example\""),
        "{err}"
    );
    let mut g = acme();
    g["links"][0]["url"] = "http://learn.microsoft.com/acme".into();
    let err = with_guide(&g).err().unwrap_or_default();
    assert!(err.contains("is not https://"), "{err}");
    // The hosts are data: a catalog whose list lacks a guide's vendor host
    // refuses that guide.
    let common = COMMON_FILE.replace("\"kc.mcafee.com\", ", "");
    let err = Catalog::from_sources(GUIDE_FILES, &common)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("mcafee-2021.json") && err.contains("kc.mcafee.com"),
        "{err}"
    );
}

/// Catalog text is read on screen, aloud and in reports alike: it never
/// says where something is on the screen ("on the left", "on the right");
/// the screens add their own pane hints.
#[test]
fn catalog_text_is_mode_neutral() {
    fn strings<'a>(v: &'a serde_json::Value, out: &mut Vec<&'a str>) {
        match v {
            serde_json::Value::String(s) => out.push(s),
            serde_json::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
            // A page's tables are quoted as the page has them: their
            // "navigation pane on the left" is the portal's, not ours.
            serde_json::Value::Object(o) => o
                .iter()
                .filter(|(k, _)| k.as_str() != "tables")
                .for_each(|(_, v)| strings(v, out)),
            _ => {}
        }
    }
    let mut files: Vec<(&str, &str)> = GUIDE_FILES.to_vec();
    files.push(("common", COMMON_FILE));
    for (name, json) in files {
        let v: serde_json::Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}"));
        let mut all = Vec::new();
        strings(&v, &mut all);
        for s in all {
            let lower = s.to_lowercase();
            for word in ["on the left", "on the right", "left pane", "right pane"] {
                assert!(!lower.contains(word), "{name}: {s}");
            }
        }
    }
}
