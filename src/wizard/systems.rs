//! The estate's operating systems, as a pop-up: every system the guide
//! names, grouped by family; Space puts one in the estate or takes it out,
//! digits type its device count.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::Clear;

use super::Wizard;
use super::action::{Action, Effect};
use super::modal::Modal;
use crate::ui::theme::Theme;
use crate::ui::widgets::List;

/// Largest device count typed by hand.
const MAX_COUNT: u64 = 10_000_000_000;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SystemsState {
    pub selected: usize,
}

pub fn update(w: &mut Wizard, mut state: SystemsState, action: Action, now: &str) -> Vec<Effect> {
    let Some(open) = &w.open else {
        return Vec::new();
    };
    let guide = open.guide;
    let n = guide.systems.len();
    if let Some(s) = super::moved(state.selected, n, &action, 5) {
        state.selected = s;
        w.modal = Some(Modal::Systems(state));
        return Vec::new();
    }
    let Some(system) = guide.systems.get(state.selected) else {
        return Vec::new();
    };
    let id = system.id.clone();
    let count = open.plan.estate.systems.get(&id).copied();
    let effects = match action {
        Action::Back => return Vec::new(),
        Action::Toggle | Action::Select => w.change(|plan, g| {
            plan.toggle_system(g, &id, now)
                .map(|_| ())
                .map_err(|e| e.to_string())
        }),
        Action::Char(c) if c.is_ascii_digit() => {
            let digit = u64::from(c.to_digit(10).unwrap_or(0));
            let current = count.flatten().unwrap_or(0);
            let next = current
                .saturating_mul(10)
                .saturating_add(digit)
                .min(MAX_COUNT);
            w.change(|plan, g| {
                plan.set_system_count(g, &id, Some(next), now)
                    .map_err(|e| e.to_string())
            })
        }
        Action::Backspace if count.is_some() => {
            let next = count.flatten().map(|c| c / 10).filter(|c| *c > 0);
            w.change(|plan, g| {
                plan.set_system_count(g, &id, next, now)
                    .map_err(|e| e.to_string())
            })
        }
        Action::Click { row, .. } => {
            let area = popup_area(w.size);
            let hit = row.checked_sub(area.y + 1).and_then(|y| {
                let list = list(w, &state, &Theme::plain())?;
                crate::ui::widgets::list_row_at(
                    &list,
                    area.width.saturating_sub(2),
                    area.height.saturating_sub(2),
                    y,
                )
            });
            if let Some(i) = hit
                && i < n
            {
                state.selected = i;
            }
            Vec::new()
        }
        _ => Vec::new(),
    };
    w.modal = Some(Modal::Systems(state));
    effects
}

/// Where the pop-up sits for a terminal size: over the body, so the status
/// line and the footer stay in view.
pub fn popup_area(size: (u16, u16)) -> Rect {
    let area = crate::ui::body_area(Rect::new(0, 0, size.0, size.1));
    crate::ui::centered(area, 72, 40)
}

/// The systems as a list: the hint and the totals on top, then one row
/// per system (mark, family, name, tags, count), wrapping under the name.
fn list<'a>(w: &Wizard, state: &SystemsState, t: &Theme) -> Option<List<'a>> {
    let open = w.open.as_ref()?;
    let (guide, plan) = (open.guide, &open.plan);
    let total: u64 = plan.estate.systems.values().flatten().sum();
    let head = vec![Line::styled(
        "Space: in or out · digits: device count · Esc: close",
        t.muted(),
    )];
    let mut foot = vec![Line::styled(
        format!(
            "{} chosen, {} counted",
            plan.estate.systems.len(),
            crate::words::count(total, "device")
        ),
        t.heading(),
    )];
    // Devices the guide has no system for, under the list (the summary
    // says where each is covered).
    let unmatched = crate::estate::unmatched(&plan.estate);
    let shown = unmatched.len().min(3);
    if !unmatched.is_empty() {
        foot.push(Line::styled(
            "Not in this guide's tables (the summary says more):",
            t.todo(),
        ));
        for (i, (name, n)) in unmatched.iter().take(shown).enumerate() {
            let more = if i + 1 == shown && unmatched.len() > shown {
                format!(" (and {} more)", unmatched.len() - shown)
            } else {
                String::new()
            };
            foot.push(Line::from(format!(
                "{n:>10} devices  {}{more}",
                crate::sanitize::line(name)
            )));
        }
    }
    let rows = guide
        .systems
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let entry = plan.estate.systems.get(&s.id);
            let mark = if entry.is_some() { "[x]" } else { "[ ]" };
            let count = match entry {
                Some(Some(c)) => format!(" · {}", crate::words::count(*c, "device")),
                Some(None) => " · count not given".to_string(),
                None => String::new(),
            };
            let mut tags = Vec::new();
            if s.server {
                tags.push("server");
            }
            if s.downlevel {
                tags.push("down-level");
            }
            let tags = if tags.is_empty() {
                String::new()
            } else {
                format!(" ({})", tags.join(", "))
            };
            let sel = i == state.selected;
            let style = if sel {
                t.selected()
            } else if entry.is_some() {
                t.done()
            } else {
                t.base()
            };
            Line::styled(
                format!(
                    "{} {mark} {:<8} {}{tags}{count}",
                    if sel { "›" } else { " " },
                    s.family.name(),
                    s.name
                ),
                style,
            )
        })
        .collect();
    Some(List {
        head,
        rows,
        foot,
        selected: state.selected,
        indent: 15,
    })
}

pub fn render(w: &Wizard, state: &SystemsState, f: &mut Frame, t: &Theme) -> Option<Position> {
    let area = popup_area((f.area().width, f.area().height));
    f.render_widget(Clear, area);
    let block = crate::ui::pane(" Operating systems in the estate ", true, t);
    let list = list(w, state, t)?;
    Some(crate::ui::widgets::list_pane(f, area, block, &list, t))
}
