//! The estate's operating systems, as a pop-up: every system the guide
//! names, grouped by family; Space puts one in the estate or takes it out,
//! digits type its device count.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::Wizard;
use super::action::{Action, Effect};
use super::modal::Modal;
use crate::ui::theme::Theme;

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
            if let Some(i) = row.checked_sub(popup_area(w.size).y + 2).map(usize::from)
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

/// Where the pop-up sits for a terminal size.
pub fn popup_area(size: (u16, u16)) -> Rect {
    let area = Rect::new(0, 0, size.0, size.1);
    crate::ui::centered(area, 64, 24)
}

pub fn render(w: &Wizard, state: &SystemsState, f: &mut Frame, t: &Theme) -> Option<Position> {
    let open = w.open.as_ref()?;
    let (guide, plan) = (open.guide, &open.plan);
    let area = crate::ui::centered(f.area(), 64, 24);
    f.render_widget(Clear, area);
    let block = crate::ui::pane(" Operating systems in the estate ", true, t);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let mut lines = vec![Line::styled(
        "Space: in or out · digits: device count · Esc: close",
        t.muted(),
    )];
    // Devices the guide has no system for, under the list (the summary
    // says where each is covered).
    let unmatched = crate::estate::unmatched(&plan.estate);
    let shown = unmatched.len().min(3);
    let footer = if unmatched.is_empty() { 0 } else { shown + 1 };
    let visible = usize::from(inner.height.saturating_sub(2)).saturating_sub(footer);
    let offset = state.selected.saturating_sub(visible.saturating_sub(1));
    for (i, s) in guide.systems.iter().enumerate().skip(offset).take(visible) {
        let entry = plan.estate.systems.get(&s.id);
        let mark = if entry.is_some() { "[x]" } else { "[ ]" };
        let count = match entry {
            Some(Some(c)) => format!("{c:>8} devices"),
            Some(None) => "   count not given".to_string(),
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
        let text = format!(
            "{} {mark} {:<8} {}{tags}",
            if sel { "›" } else { " " },
            s.family.name(),
            s.name
        );
        let style = if sel {
            t.selected()
        } else if entry.is_some() {
            t.done()
        } else {
            t.base()
        };
        let width = usize::from(inner.width).saturating_sub(count.chars().count() + 1);
        lines.push(Line::from(vec![
            Span::styled(
                format!("{:<width$}", crate::sanitize::truncate(&text, width)),
                style,
            ),
            Span::styled(count, style),
        ]));
    }
    let total: u64 = plan.estate.systems.values().flatten().sum();
    lines.push(Line::styled(
        format!(
            "{} chosen, {} counted",
            plan.estate.systems.len(),
            crate::words::count(total, "device")
        ),
        t.heading(),
    ));
    if !unmatched.is_empty() {
        let width = usize::from(inner.width);
        lines.push(Line::styled(
            crate::sanitize::truncate("Not in this guide's tables (the summary says more):", width)
                .into_owned(),
            t.todo(),
        ));
        for (i, (name, n)) in unmatched.iter().take(shown).enumerate() {
            let more = if i + 1 == shown && unmatched.len() > shown {
                format!(" (and {} more)", unmatched.len() - shown)
            } else {
                String::new()
            };
            let text = format!("{n:>10} devices  {name}{more}");
            lines.push(Line::from(
                crate::sanitize::truncate(&text, width).into_owned(),
            ));
        }
    }
    f.render_widget(Paragraph::new(lines), inner);
    let row = u16::try_from(state.selected - offset + 1).unwrap_or(0);
    Some(Position::new(inner.x, inner.y + row))
}
