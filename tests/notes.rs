//! Dated "changed since the guide" notes are shown on the item they
//! concern, with their source, and not on unrelated items.

mod common;

use common::*;
use mde_migrate::wizard::Action;

/// The screen, with wrapped lines joined, so phrases can be searched.
fn flat(w: &mde_migrate::wizard::Wizard) -> String {
    render(w, 200, 60)
        .replace(['│', '\n'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_old_systems_note_is_on_the_estate_not_on_the_product_task() {
    let mut w = wizard_with(plan("generic-2023"));
    // Updates: existing-product, existing-version, existing-updated, estate.
    press(&mut w, &[Action::NextStep, Action::Down, Action::Down]);
    let updated = flat(&w);
    assert!(updated.contains("Current product is up to date") || updated.contains("up to date"));
    assert!(!updated.contains("oldest rows"), "{updated}");
    press(&mut w, &[Action::Down]);
    let estate = flat(&w);
    assert!(estate.contains("oldest rows"), "{estate}");
    assert!(
        estate
            .contains("Source: https://learn.microsoft.com/defender-endpoint/minimum-requirements")
    );
}

#[test]
fn the_trial_note_is_on_the_licence_route_only() {
    let mut w = wizard_with(plan("generic-2023"));
    press(&mut w, &[Action::NextStep, Action::NextStep]);
    let route = flat(&w);
    assert!(
        route.contains("Changed since the guide") && route.contains("90 days"),
        "{route}"
    );
    press(&mut w, &[Action::Down]);
    let state = flat(&w);
    assert!(!state.contains("90 days"), "{state}");
    assert!(state.contains("Billing > Your products"));
}
