//! Screen 6, portal access: basic permissions or RBAC, the role planner
//! (opened from the roles item), the tool that configures RBAC with its
//! guide, and access granted.

use ratatui::text::{Line, Span};

use super::OpenPlan;
use crate::catalog::{Item, ItemKind};
use crate::sanitize::line;
use crate::ui::theme::Theme;

pub fn banner(open: &OpenPlan, t: &Theme) -> Vec<Line<'static>> {
    let plan = &open.plan;
    let model = plan
        .answer("access-model")
        .and_then(|a| a.choice.as_deref());
    let text = match model {
        Some("rbac") => format!(
            "RBAC, {} role{} planned",
            plan.roles.len(),
            if plan.roles.len() == 1 { "" } else { "s" }
        ),
        Some("basic") => "basic permissions".to_string(),
        _ => "permission model not chosen yet (RBAC is recommended)".to_string(),
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
                        "  {} permission{}",
                        r.permissions.len(),
                        if r.permissions.len() == 1 { "" } else { "s" }
                    ),
                    t.muted(),
                ));
            }
        }
        _ if item.id == "access-model" => {
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
