//! `cargo bench`: catalog parse and validation, drawing each screen at
//! 120×40, one full key → update → frame step, saving and loading a large
//! plan, the proxy lookup and the inventory import.

use std::hint::black_box;

use mde_migrate::catalog::{COMMON_FILE, Catalog, GUIDE_FILES};
use mde_migrate::plan::{Plan, Role};
use mde_migrate::store::Store;
use mde_migrate::ui::theme::Theme;
use mde_migrate::wizard::{Action, LoadedPlan, Wizard};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const NOW: &str = "2026-11-28T10:00:00Z";

fn main() {
    divan::main();
}

fn catalog() -> &'static Catalog {
    match Catalog::embedded() {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    }
}

fn worked_plan() -> Plan {
    let c = catalog();
    let guide = c.guide("generic-2023").unwrap_or_else(|| panic!("guide"));
    let mut p = Plan::new("Bench", "Contoso", "Symantec", "generic-2023", NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    for (s, n) in [
        ("win10", 1200),
        ("ws2016", 40),
        ("win7sp1", 12),
        ("macos", 100),
        ("linux", 30),
    ] {
        let _ = p.set_system_count(guide, s, Some(n), NOW);
    }
    for (item, value) in [
        ("licence-route", "m365-e5"),
        ("proxy-in-use", "yes"),
        ("servers", "yes"),
        ("access-model", "rbac"),
    ] {
        let _ = p.set_value(guide, item, value, NOW);
    }
    p
}

/// Hundreds of roles and thousands of notes.
fn large_plan() -> Plan {
    let mut p = worked_plan();
    for i in 0..500 {
        let role = Role {
            name: format!("Role {i}"),
            group: format!("sg-mde-role-{i}"),
            permissions: ["view-secops", "alerts-investigation", "remediate-secops"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            ..Role::default()
        };
        let _ = p.add_role(role, NOW);
    }
    for i in 0..3000 {
        let _ = p.set_note(
            &format!("extra-item-{i}"),
            &format!("Note {i}: checked with the regional team, follow up next week."),
            NOW,
        );
    }
    p
}

fn wizard(plan: Plan) -> Wizard {
    let mut w = Wizard::new(catalog(), false);
    w.update(Action::PlansListed(Vec::new()), NOW);
    w.update(
        Action::Created(Ok(LoadedPlan {
            id: "bench".into(),
            plan,
            read_only: None,
        })),
        NOW,
    );
    w
}

#[divan::bench]
fn catalog_parse_and_validate() -> Catalog {
    Catalog::from_sources(black_box(GUIDE_FILES), black_box(COMMON_FILE))
        .unwrap_or_else(|e| panic!("{e}"))
}

#[divan::bench(args = ["overview", "updates", "licence", "access", "proxy", "summary"])]
fn render_screen_120x40(bencher: divan::Bencher, screen: &str) {
    let steps = match screen {
        "overview" => 0,
        "updates" => 1,
        "licence" => 2,
        "access" => 3,
        "proxy" => 4,
        _ => 5,
    };
    let mut w = wizard(worked_plan());
    for _ in 0..steps {
        w.update(Action::NextStep, NOW);
    }
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap_or_else(|e| panic!("{e}"));
    let theme = Theme::from_env();
    bencher.bench_local(|| {
        terminal
            .draw(|f| mde_migrate::ui::draw(f, &w, &theme))
            .unwrap_or_else(|e| panic!("{e}"));
    });
}

#[divan::bench]
fn key_update_and_frame(bencher: divan::Bencher) {
    let mut w = wizard(worked_plan());
    w.update(Action::NextStep, NOW);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap_or_else(|e| panic!("{e}"));
    let theme = Theme::from_env();
    let mut down = true;
    bencher.bench_local(|| {
        let key = if down {
            mde_migrate::wizard::Key::Down
        } else {
            mde_migrate::wizard::Key::Up
        };
        down = !down;
        if let Some(a) = w.key(key) {
            black_box(w.update(a, NOW));
        }
        terminal
            .draw(|f| mde_migrate::ui::draw(f, &w, &theme))
            .unwrap_or_else(|e| panic!("{e}"));
    });
}

#[divan::bench(sample_count = 50)]
fn save_large_plan(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let store = Store::open(dir.path(), true).unwrap_or_else(|e| panic!("{e}"));
    let plan = large_plan();
    let id = store.create(&plan).unwrap_or_else(|e| panic!("{e}"));
    let (_, lock) = store.load_for_edit(&id).unwrap_or_else(|e| panic!("{e}"));
    let mut lock = lock.unwrap_or_else(|| panic!("not locked"));
    bencher.bench_local(|| {
        store
            .save_locked(&mut lock, &plan)
            .unwrap_or_else(|e| panic!("{e}"))
    });
}

#[divan::bench(sample_count = 50)]
fn save_typical_plan(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let store = Store::open(dir.path(), true).unwrap_or_else(|e| panic!("{e}"));
    let plan = worked_plan();
    let id = store.create(&plan).unwrap_or_else(|e| panic!("{e}"));
    let (_, lock) = store.load_for_edit(&id).unwrap_or_else(|e| panic!("{e}"));
    let mut lock = lock.unwrap_or_else(|| panic!("not locked"));
    bencher.bench_local(|| {
        store
            .save_locked(&mut lock, &plan)
            .unwrap_or_else(|e| panic!("{e}"))
    });
}

#[divan::bench]
fn load_large_plan(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let store = Store::open(dir.path(), true).unwrap_or_else(|e| panic!("{e}"));
    let id = store
        .create(&large_plan())
        .unwrap_or_else(|e| panic!("{e}"));
    bencher.bench_local(|| store.load(&id).unwrap_or_else(|e| panic!("{e}")));
}

#[divan::bench]
fn list_100_plans(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let store = Store::open(dir.path(), true).unwrap_or_else(|e| panic!("{e}"));
    for i in 0..100 {
        let mut p = worked_plan();
        p.name = format!("Plan {i}");
        store.create(&p).unwrap_or_else(|e| panic!("{e}"));
    }
    bencher.bench_local(|| store.list().unwrap_or_else(|e| panic!("{e}")));
}

/// A plan of about 1 MiB on disk: the large plan with long notes.
fn megabyte_plan() -> Plan {
    let mut p = large_plan();
    let note = "Checked with the regional team; see the change record. ".repeat(60);
    for i in 0..170 {
        let _ = p.set_note(&format!("long-note-{i}"), &note, NOW);
    }
    p
}

/// 100 plans, one of them about 1 MiB: the plans screen's list (the top of
/// each file) and the whole-file listing the name checks use.
#[divan::bench(args = ["summaries", "whole files"])]
fn list_100_plans_one_1mb(bencher: divan::Bencher, how: &str) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let store = Store::open(dir.path(), true).unwrap_or_else(|e| panic!("{e}"));
    let mut big = megabyte_plan();
    big.name = "Big".into();
    store.create(&big).unwrap_or_else(|e| panic!("{e}"));
    for i in 1..100 {
        let mut p = worked_plan();
        p.name = format!("Plan {i}");
        store.create(&p).unwrap_or_else(|e| panic!("{e}"));
    }
    if how == "summaries" {
        bencher.bench_local(|| store.list_summaries().unwrap_or_else(|e| panic!("{e}")));
    } else {
        bencher.bench_local(|| store.list().unwrap_or_else(|e| panic!("{e}")));
    }
}

#[divan::bench(args = ["win10", "Windows Server 2012 R2 Datacenter", "Ubuntu 20.04", "macOS 10.14"])]
fn lookup_os(os: &str) -> usize {
    mde_migrate::lookup::lookup(catalog(), None, black_box(os), None)
        .map(|r| r.len())
        .unwrap_or(0)
}

/// A 100 000-row Defender DeviceInfo export (about 6 MB of text).
#[divan::bench(sample_count = 10)]
fn import_100k_devices(bencher: divan::Bencher) {
    let csv = mde_migrate::estate::generate_devices_csv(100_000, 42);
    let guide = catalog()
        .guide("generic-2023")
        .unwrap_or_else(|| panic!("guide"));
    bencher
        .counter(divan::counter::BytesCount::new(csv.len()))
        .bench_local(|| {
            mde_migrate::estate::import(guide, black_box(csv.as_bytes()))
                .unwrap_or_else(|e| panic!("{e}"))
        });
}
