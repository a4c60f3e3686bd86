//! Helpers shared by the wizard tests: a wizard with an open plan, and a
//! frame rendered to text.

#![allow(dead_code)]
// Test code throughout, so clippy.toml's allow-unwrap-in-tests covers the
// helpers too (integration tests are always built with cfg(test)).
#![cfg(test)]

use mde_migrate::catalog::Catalog;
use mde_migrate::plan::Plan;
use mde_migrate::ui::theme::Theme;
use mde_migrate::wizard::{Action, Effect, LoadedPlan, Wizard};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

pub const NOW: &str = "2026-11-28T10:00:00Z";

pub fn catalog() -> &'static Catalog {
    Catalog::embedded().expect("the built-in catalog")
}

pub fn plan(guide: &str) -> Plan {
    let guide = catalog().guide(guide).unwrap();
    Plan::create(
        "Contoso rollout",
        "Contoso Ltd",
        "Symantec Endpoint Protection 14",
        guide,
        NOW,
    )
    .unwrap()
}

/// A wizard with `plan` open, as after creating it.
pub fn wizard_with(plan: Plan) -> Wizard {
    let mut w = Wizard::new(catalog(), true);
    w.update(Action::PlansListed(Vec::new()), NOW);
    w.update(
        Action::Created(Ok(LoadedPlan {
            id: "contoso-rollout-00000000".into(),
            plan,
            read_only: None,
        })),
        NOW,
    );
    w
}

/// Apply actions, answering every save with success; returns all effects.
/// Go to the summary the way an operator does after the last phase: back
/// to the overview, its last row, Enter.
pub fn to_summary(w: &mut Wizard) {
    if w.screen != mde_migrate::wizard::Screen::Overview {
        press(w, &[Action::Back]);
    }
    press(w, &[Action::End, Action::Select]);
}

pub fn press(w: &mut Wizard, actions: &[Action]) -> Vec<Effect> {
    let mut all = Vec::new();
    for a in actions {
        let effects = w.update(a.clone(), NOW);
        for e in &effects {
            if *e == Effect::Save {
                w.update(Action::Saved(Ok(())), NOW);
            }
        }
        all.extend(effects);
    }
    all
}

/// Render to text, one line per row, trailing spaces trimmed.
pub fn render(w: &Wizard, width: u16, height: u16) -> String {
    render_with(w, width, height, &Theme::plain()).0
}

/// Render; returns the text and the cursor position.
pub fn render_with(w: &Wizard, width: u16, height: u16, theme: &Theme) -> (String, (u16, u16)) {
    let backend = TestBackend::new(width, height);
    let mut terminal = Terminal::new(backend).unwrap();
    terminal
        .draw(|f| mde_migrate::ui::draw(f, w, theme))
        .unwrap();
    let cursor = terminal.get_cursor_position().unwrap();
    let cursor = (cursor.x, cursor.y);
    let buf = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        for x in 0..buf.area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    (out, cursor)
}

/// Render into a buffer (for styles and the hyperlink scan).
pub fn render_buffer(w: &Wizard, width: u16, height: u16) -> ratatui::buffer::Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| mde_migrate::ui::draw(f, w, &Theme::plain()))
        .unwrap();
    terminal.backend().buffer().clone()
}
