//! Messages that tell the operator what to do: they name commands that
//! exist, say "not saved" once, and keep the hint in view at 80 columns.

mod common;

use std::path::PathBuf;

use assert_cmd::Command;
use common::*;
use mde_migrate::store::StoreError;
use mde_migrate::wizard::Action;

#[test]
fn store_errors_point_to_a_command_that_exists() {
    let errors = [
        StoreError::BadId { id: "../x".into() }.to_string(),
        StoreError::NoFile {
            path: PathBuf::from("/tmp/plans/gone.json"),
        }
        .to_string(),
    ];
    for e in &errors {
        assert!(!e.contains("mde-migrate list"), "{e}");
        assert!(e.contains("`mde-migrate plans`"), "{e}");
    }
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut c = Command::cargo_bin("mde-migrate").unwrap_or_else(|e| panic!("{e}"));
    c.env("MDE_MIGRATE_HOME", home.path())
        .arg("plans")
        .assert()
        .success();
}

#[test]
fn a_failed_save_says_not_saved_once_and_keeps_the_hint_at_80_columns() {
    let mut w = wizard_with(plan("generic-2023"));
    let why = "not saved: /home/operator/.local/share/mde-migrate/plans/contoso-rollout-1a2b3c4d.json: \
               No space left on device; free some space";
    w.update(Action::Saved(Err(why.into())), NOW);
    let screen = render(&w, 80, 24);
    let line = screen
        .lines()
        .find(|l| l.contains("Not saved"))
        .unwrap_or_else(|| panic!("no status line:\n{screen}"));
    assert!(
        !line.to_lowercase().contains("not saved: not saved"),
        "{line}"
    );
    assert_eq!(
        line.to_lowercase().matches("not saved").count(),
        1,
        "{line}"
    );
    assert!(line.contains("the next change tries again"), "{line}");
}

/// The text of a screen with box borders (and the progress bar showing
/// beside a pop-up) taken out and the lines joined, so a sentence wrapped
/// over several rows reads as one.
fn flat(screen: &str) -> String {
    screen
        .lines()
        .map(|l| l.replace(['│', '┌', '┐', '└', '┘', '─', '░', '█'], " "))
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_long_status_error_says_it_is_cut_and_shows_whole_on_help() {
    let mut w = wizard_with(plan("generic-2023"));
    let hint = "free some space on the disk that holds the plans folder, or press x to export the plan elsewhere";
    let why = format!(
        "not saved: /home/operator/.local/share/mde-migrate/plans/contoso-rollout-1a2b3c4d.json: No space left on device; {hint}"
    );
    w.update(Action::Saved(Err(why)), NOW);
    let screen = render(&w, 80, 24);
    insta::assert_snapshot!("long_error_status_80x24", screen);
    let status = screen
        .lines()
        .find(|l| l.contains("Not saved"))
        .unwrap_or_else(|| panic!("no status line:\n{screen}"));
    assert!(status.trim_end().ends_with("… ? shows all"), "{status}");
    assert!(!flat(&screen).contains(hint), "the test needs a cut line");

    w.update(Action::Help, NOW);
    let help = render(&w, 80, 24);
    insta::assert_snapshot!("long_error_help_80x24", help);
    assert!(flat(&help).contains(hint), "{help}");
    assert!(flat(&help).contains("No space left on device"), "{help}");
}

#[test]
fn a_save_refused_by_a_change_on_disk_offers_reload_and_copy_at_80x24() {
    let mut w = wizard_with(plan("generic-2023"));
    let why = StoreError::Conflict {
        path: PathBuf::from(
            "/home/operator/.local/share/mde-migrate/plans/contoso-rollout-1a2b3c4d.json",
        ),
        why: "its lock file was removed or replaced, so another program may have written it".into(),
    }
    .to_string();
    w.update(Action::SaveRefused(why), NOW);
    let screen = render(&w, 80, 24);
    insta::assert_snapshot!("save_conflict_80x24", screen);
    let text = flat(&screen);
    for needed in [
        "its lock file was removed or replaced",
        "reload from disk (asks y first",
        "save these answers as a copy",
        "keep working here",
    ] {
        assert!(text.contains(needed), "{needed:?} not on screen:\n{screen}");
    }
}
