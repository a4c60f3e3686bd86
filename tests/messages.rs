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
