//! Screen 5, licence: how licences are obtained and so which Defender plan
//! applies, licence state, tenant, proxy in use (which makes the proxy step
//! required) and servers (which brings the Defender for Servers warning).

use ratatui::text::{Line, Span};

use super::OpenPlan;
use crate::catalog::{Item, Role};
use crate::ui::theme::Theme;

/// The derived plan and the warnings that apply, above the list.
pub fn banner(open: &OpenPlan, t: &Theme) -> Vec<Line<'static>> {
    let (guide, plan) = (open.guide, &open.plan);
    let route = plan
        .chosen(guide, Role::LicenceRoute)
        .map(|o| o.label.clone());
    let label = |role: Role| guide.role(role).map_or("", |(_, i)| i.label.as_str());
    let mut spans = Vec::new();
    match (plan.defender_plan(guide), guide.proxy_table.axis) {
        (Some(p), _) => {
            spans.push(Span::styled(" Defender plan: ", t.heading()));
            spans.push(Span::styled(
                guide
                    .axis_value(p)
                    .map_or_else(|| p.to_string(), |v| v.name.clone()),
                t.done(),
            ));
        }
        (None, crate::catalog::Axis::Plan) => {
            spans.push(Span::styled(" Defender plan: ", t.heading()));
            spans.push(Span::styled(
                format!("not chosen yet (answer \"{}\")", label(Role::LicenceRoute)),
                t.todo(),
            ));
        }
        (None, crate::catalog::Axis::Capability) => {
            spans.push(Span::styled(" Licences: ", t.heading()));
            match route {
                Some(label) => spans.push(Span::styled(label, t.done())),
                None => spans.push(Span::styled("? not answered", t.todo())),
            }
        }
    }
    let mut out = vec![Line::from(spans)];
    if !plan.warnings(guide).is_empty() {
        out.push(Line::from(vec![
            Span::styled(" ⚠ ", t.warning()),
            Span::raw(format!(
                "Servers need their own licence: see \"{}\".",
                label(Role::Servers)
            )),
        ]));
    }
    for c in plan.conflicts(guide) {
        let label = guide
            .item(&c.item)
            .map_or(c.item.as_str(), |(_, i)| i.label.as_str());
        out.push(Line::from(vec![
            Span::styled(" ⚠ Conflict: ", t.warning()),
            Span::raw(format!(
                "\"{label}\" disagrees with the estate: see that item."
            )),
        ]));
    }
    out
}

pub fn detail(open: &OpenPlan, item: &Item, t: &Theme) -> Vec<Line<'static>> {
    let (guide, plan) = (open.guide, &open.plan);
    let mut out = Vec::new();
    for c in plan
        .conflicts(guide)
        .into_iter()
        .filter(|c| c.item == item.id)
    {
        out.push(Line::from(""));
        out.push(Line::from(vec![
            Span::styled("⚠ Conflict: ", t.warning()),
            Span::raw(c.text),
        ]));
    }
    match item.role {
        Some(Role::Servers) => {
            for w in plan.warnings(guide) {
                out.push(Line::from(""));
                out.push(Line::from(vec![
                    Span::styled("⚠ Important: ", t.warning()),
                    Span::raw(w.text.clone()),
                ]));
                for l in w.links.iter().filter_map(|l| guide.link(l)) {
                    out.push(Line::from(format!("• {}", l.title)));
                    out.push(Line::styled(format!("  {}", l.url), t.link()));
                }
            }
            if let Some(n) = plan.server_count(guide) {
                let counted = if n > 0 {
                    format!("{n} server devices")
                } else {
                    "server systems".into()
                };
                out.push(Line::from(format!("The estate lists {counted}.")));
            }
        }
        Some(Role::ProxyInUse) => {
            let step = guide.steps.iter().find(|s| s.required_when.is_some());
            if let Some(s) = step {
                let required = plan.is_step_required(s, &plan.flags(guide));
                out.push(Line::from(""));
                out.push(Line::from(if required {
                    format!("Step \"{}\" is required for this plan.", s.short)
                } else {
                    format!("Step \"{}\" stays optional unless you answer Yes.", s.short)
                }));
            }
        }
        _ => {}
    }
    out
}
