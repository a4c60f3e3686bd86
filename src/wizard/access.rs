//! Screen 6, portal access: basic permissions or RBAC, the role planner
//! (opened from the roles item), the tool that configures RBAC with its
//! guide, and access granted.

use ratatui::text::{Line, Span};

use super::OpenPlan;
use crate::catalog::{Item, ItemKind, Role};
use crate::sanitize::line;
use crate::ui::theme::Theme;

pub fn banner(open: &OpenPlan, t: &Theme) -> Vec<Line<'static>> {
    let (guide, plan) = (open.guide, &open.plan);
    // The answer that asks the role planner is the RBAC one.
    let planner = guide
        .of_kind(ItemKind::Roles)
        .and_then(|(_, i)| i.when.as_deref());
    let text = match plan.chosen(guide, Role::AccessModel) {
        Some(o) if planner.is_some_and(|f| o.flags.iter().any(|x| x == f)) => {
            format!(
                "{}, {} planned",
                o.short_label(),
                crate::words::count(plan.roles.len(), "role")
            )
        }
        Some(o) => o.short_label().to_string(),
        None => "permission model not chosen yet (RBAC is recommended)".to_string(),
    };
    vec![Line::from(vec![
        Span::styled(" Portal access: ", t.heading()),
        Span::raw(text),
    ])]
}

pub fn detail(open: &OpenPlan, item: &Item, t: &Theme) -> Vec<Line<'static>> {
    let (guide, plan) = (open.guide, &open.plan);
    let mut out = Vec::new();
    match item.kind {
        ItemKind::Roles => {
            out.push(Line::from(""));
            if plan.roles.is_empty() {
                out.push(Line::styled(
                    "No roles yet. Enter opens the planner: start from a template.",
                    t.todo(),
                ));
            }
            // The details pane wraps and scrolls: every role, in full.
            for r in &plan.roles {
                let group = if r.group.is_empty() {
                    "no group yet".to_string()
                } else {
                    line(&r.group).into_owned()
                };
                out.push(Line::from(vec![
                    Span::styled(format!("• {}", line(&r.name)), t.heading()),
                    Span::raw(format!(" → {group}")),
                ]));
                out.push(Line::styled(
                    format!(
                        "  {}",
                        crate::words::count(r.permissions.len(), "permission")
                    ),
                    t.muted(),
                ));
            }
        }
        _ if item.role == Some(Role::AccessModel) => {
            out.push(Line::from(""));
            out.push(Line::from(format!(
                "Portal: {} ({})",
                guide.portal.name, guide.portal.former
            )));
        }
        _ => {}
    }
    out
}
