//! Where the operator is in a plan: recorded in the plan on every move that
//! matters, and restored when the plan is opened again. Pure.

use super::{OpenPlan, Screen};

/// The screen a reopened plan lands on, with its cursor restored.
pub(super) fn resume(open: &mut OpenPlan) -> Screen {
    let pos = open.plan.position.clone();
    match pos.screen.as_str() {
        "summary" => Screen::Summary,
        "step" => {
            let Some(index) = pos.step.as_deref().and_then(|s| open.guide.step_index(s)) else {
                return Screen::Overview;
            };
            let proxy = open
                .guide
                .steps
                .get(index)
                .is_some_and(|s| s.screen == crate::catalog::ScreenKind::Proxy);
            if proxy {
                if let Some(item) = pos.item.as_deref() {
                    super::proxy::decode(open, item);
                }
            } else if let (Some(item), Some(step)) =
                (pos.item.as_deref(), open.guide.steps.get(index))
            {
                let flags = open.plan.flags(open.guide);
                let items = open.plan.relevant_items(step, &flags);
                if let Some(i) = items.iter().position(|it| it.id == item) {
                    open.cursor[index] = i;
                }
            }
            open.overview_selected = index;
            Screen::Step(index)
        }
        _ => Screen::Overview,
    }
}

pub(super) fn record_position(open: &mut OpenPlan, screen: Screen) {
    let position = match screen {
        Screen::Step(i) => {
            let step = open.guide.steps.get(i);
            let proxy = step.is_some_and(|s| s.screen == crate::catalog::ScreenKind::Proxy);
            let item = step.and_then(|s| {
                if proxy {
                    return Some(super::proxy::encode(open));
                }
                let flags = open.plan.flags(open.guide);
                let items = open.plan.relevant_items(s, &flags);
                let at = open.cursor.get(i).copied().unwrap_or(0);
                items.get(at).map(|it| it.id.clone())
            });
            crate::plan::Position {
                screen: "step".into(),
                step: step.map(|s| s.id.clone()),
                item,
            }
        }
        Screen::Summary => crate::plan::Position {
            screen: "summary".into(),
            step: None,
            item: None,
        },
        _ => crate::plan::Position {
            screen: "overview".into(),
            step: None,
            item: None,
        },
    };
    open.plan.position = position;
}
