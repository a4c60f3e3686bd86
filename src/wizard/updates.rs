//! Screen 4, updates (guides with an updates step): the product being replaced,
//! the operating systems of the estate and an update task per family, each with
//! its update resource.

use ratatui::text::{Line, Span};

use super::OpenPlan;
use crate::catalog::{Item, ItemKind};
use crate::sanitize::line;
use crate::ui::theme::Theme;

/// The estate in one line above the list.
pub fn banner(open: &OpenPlan, t: &Theme) -> Vec<Line<'static>> {
    let systems = &open.plan.estate.systems;
    let unmatched = crate::estate::unmatched(&open.plan.estate);
    let apart = if unmatched.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = unmatched.iter().map(|(n, c)| format!("{c} {n}")).collect();
        format!(
            "; not in this guide's tables: {} (the summary says more)",
            names.join(", ")
        )
    };
    if systems.is_empty() && unmatched.is_empty() {
        return vec![Line::from(vec![
            Span::styled(" Estate: ", t.heading()),
            Span::styled(
                "no operating systems chosen yet; press s to pick them.",
                t.todo(),
            ),
        ])];
    }
    let devices: u64 = systems.values().flatten().sum();
    let counted = if devices > 0 {
        format!(", {}", crate::words::count(devices, "device"))
    } else {
        String::new()
    };
    vec![Line::from(vec![
        Span::styled(" Estate: ", t.heading()),
        Span::raw(format!(
            "{}{counted} (s changes them){apart}",
            crate::words::count(systems.len(), "operating system")
        )),
    ])]
}

/// For a family's update task: which of the estate's systems it covers.
pub fn detail(open: &OpenPlan, item: &Item, t: &Theme) -> Vec<Line<'static>> {
    let (guide, plan) = (open.guide, &open.plan);
    let mut out = Vec::new();
    if item.kind == ItemKind::Systems {
        out.push(Line::from(""));
        if plan.estate.systems.is_empty() {
            out.push(Line::styled(
                "None chosen yet. Enter opens the list.",
                t.todo(),
            ));
        }
        for (id, count) in &plan.estate.systems {
            let name = guide
                .system(id)
                .map_or_else(|| line(id).into_owned(), |s| s.name.clone());
            let count = count
                .map(|c| format!(": {}", crate::words::count(c, "device")))
                .unwrap_or_default();
            out.push(Line::from(format!("• {name}{count}")));
        }
        return out;
    }
    if let Some(family) = item.family {
        let present: Vec<String> = plan
            .family_systems(guide, family)
            .into_iter()
            .map(|(s, count)| match count {
                Some(c) => format!("{} ({c})", s.name),
                None => s.name.clone(),
            })
            .collect();
        out.push(Line::from(""));
        if present.is_empty() && !plan.estate.systems.is_empty() {
            out.push(Line::styled(
                format!("No {family} systems in the estate: press a to mark this not applicable."),
                t.muted(),
            ));
        } else if !present.is_empty() {
            out.push(Line::from(format!("In the estate: {}", present.join(", "))));
        }
    }
    out
}
