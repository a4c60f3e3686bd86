//! Screen 2, a new plan: name (validated), organisation, the product being
//! replaced, and the guide, proposed from that product and changeable.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::action::{Action, Effect};
use super::{Screen, Wizard};
use crate::catalog::Catalog;
use crate::plan::{MAX_NAME, MAX_SHORT_TEXT, Plan};
use crate::ui::theme::Theme;
use crate::ui::widgets::TextField;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    Organisation,
    Replacing,
    Guide,
    Create,
}

const ORDER: [Field; 5] = [
    Field::Name,
    Field::Organisation,
    Field::Replacing,
    Field::Guide,
    Field::Create,
];

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub name: TextField,
    pub organisation: TextField,
    pub replacing: TextField,
    /// Index into the catalog's guides.
    pub guide: usize,
    /// The operator picked the guide: stop proposing one.
    pub guide_chosen: bool,
    pub focus: Field,
    pub error: Option<String>,
}

impl Form {
    pub fn new(catalog: &Catalog) -> Form {
        let guide = catalog.guides.iter().position(|g| g.default).unwrap_or(0);
        Form {
            name: TextField::new("", MAX_NAME),
            organisation: TextField::new("", MAX_SHORT_TEXT),
            replacing: TextField::new("", MAX_SHORT_TEXT),
            guide,
            guide_chosen: false,
            focus: Field::Name,
            error: None,
        }
    }

    fn field(&mut self) -> Option<&mut TextField> {
        match self.focus {
            Field::Name => Some(&mut self.name),
            Field::Organisation => Some(&mut self.organisation),
            Field::Replacing => Some(&mut self.replacing),
            Field::Guide | Field::Create => None,
        }
    }

    fn step_focus(&mut self, forward: bool) {
        let at = ORDER.iter().position(|f| *f == self.focus).unwrap_or(0);
        let next = if forward {
            (at + 1).min(ORDER.len() - 1)
        } else {
            at.saturating_sub(1)
        };
        self.focus = ORDER[next];
    }
}

pub fn update(w: &mut Wizard, action: Action, now: &str) -> Vec<Effect> {
    let catalog = w.catalog;
    let form = &mut w.form;
    form.error = None;
    match action {
        Action::NextField => form.step_focus(true),
        Action::PrevField => form.step_focus(false),
        Action::Back if form.name.value().trim().is_empty() => {
            w.form = Form::new(catalog);
            w.screen = Screen::Plans;
        }
        Action::Back => {
            w.modal = Some(super::Modal::Confirm(super::ConfirmKind::DiscardNewPlan));
        }
        Action::Left | Action::Right if form.focus == Field::Guide => {
            let n = catalog.guides.len();
            form.guide = if action == Action::Right {
                (form.guide + 1) % n
            } else {
                (form.guide + n - 1) % n
            };
            form.guide_chosen = true;
        }
        Action::Char(' ') if form.focus == Field::Guide => {
            form.guide = (form.guide + 1) % catalog.guides.len();
            form.guide_chosen = true;
        }
        Action::Select if form.focus == Field::Create => return create(w, now),
        Action::Select => form.step_focus(true),
        other => {
            if let Some(field) = form.field() {
                super::edit_field(field, &other);
                if form.focus == Field::Replacing && !form.guide_chosen {
                    let proposed = catalog.propose_guide(form.replacing.value());
                    if let Some(i) = catalog.guides.iter().position(|g| g.id == proposed) {
                        form.guide = i;
                    }
                }
            }
        }
    }
    Vec::new()
}

fn create(w: &mut Wizard, now: &str) -> Vec<Effect> {
    let form = &mut w.form;
    let Some(guide) = w.catalog.guides.get(form.guide) else {
        return Vec::new();
    };
    match Plan::create(
        form.name.value(),
        form.organisation.value(),
        form.replacing.value(),
        guide,
        now,
    ) {
        Ok(plan) => vec![Effect::Create(Box::new(plan))],
        Err(e) => {
            form.error = Some(e.to_string());
            form.focus = Field::Name;
            Vec::new()
        }
    }
}

pub fn render(w: &Wizard, f: &mut Frame, area: Rect, t: &Theme) -> Option<Position> {
    let form = &w.form;
    let block = crate::ui::pane(" New plan ", false, t);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let label_w = 26u16;
    let field_w = inner.width.saturating_sub(label_w + 2);
    let mut lines: Vec<Line> = vec![
        Line::from("Give the plan a name you will recognise in the list. The rest can wait."),
        Line::from(""),
    ];
    let mut cursor = None;
    let rows: [(Field, &str, &TextField); 3] = [
        (Field::Name, "Plan name (required)", &form.name),
        (Field::Organisation, "Organisation", &form.organisation),
        (Field::Replacing, "Product being replaced", &form.replacing),
    ];
    for (field, label, value) in rows {
        let focused = form.focus == field;
        let room = usize::from(field_w.saturating_sub(1));
        // Focused: the part around the caret. Otherwise the start, with
        // "…" where the rest does not fit.
        let (shown, caret) = if focused {
            value.view(room)
        } else {
            (
                crate::sanitize::truncate(value.value(), room).into_owned(),
                0,
            )
        };
        if focused {
            let y = inner.y + u16::try_from(lines.len()).unwrap_or(0);
            cursor = Some(Position::new(
                inner.x + label_w + 1 + u16::try_from(caret).unwrap_or(0),
                y,
            ));
        }
        lines.push(Line::from(vec![
            Span::styled(
                format!("{}{label:<24}", if focused { "›" } else { " " }),
                if focused { t.heading() } else { t.base() },
            ),
            Span::raw("  "),
            Span::styled(
                format!("{shown:<width$}", width = usize::from(field_w)),
                if focused { t.selected() } else { t.muted() },
            ),
        ]));
    }
    lines.push(Line::from(""));
    let guide = w.catalog.guides.get(form.guide);
    let focused = form.focus == Field::Guide;
    if focused {
        cursor = Some(Position::new(
            inner.x + label_w + 1,
            inner.y + u16::try_from(lines.len()).unwrap_or(0),
        ));
    }
    lines.push(Line::from(vec![
        Span::styled(
            format!(
                "{}{:<24}",
                if focused { "›" } else { " " },
                "Guide to follow"
            ),
            if focused { t.heading() } else { t.base() },
        ),
        Span::raw("  "),
        Span::styled(
            format!("‹ {} ›", guide.map_or("", |g| g.short_name.as_str())),
            if focused { t.selected() } else { t.base() },
        ),
    ]));
    let why = match guide {
        Some(g) if !form.guide_chosen && g.proposed_by(form.replacing.value()) => {
            format!(
                "Proposed because you are replacing {}. ←/→ to change.",
                crate::sanitize::line(form.replacing.value())
            )
        }
        Some(g) => format!(
            "{}, published {}. ←/→ to change.",
            crate::words::count(g.steps.len(), "step"),
            g.published
        ),
        None => String::new(),
    };
    lines.push(Line::styled(
        format!("{:width$}{why}", "", width = usize::from(label_w) + 1),
        t.muted(),
    ));
    lines.push(Line::from(""));
    let focused = form.focus == Field::Create;
    if focused {
        cursor = Some(Position::new(
            inner.x + label_w + 1,
            inner.y + u16::try_from(lines.len()).unwrap_or(0),
        ));
    }
    lines.push(Line::from(vec![
        Span::raw(format!("{:width$}", "", width = usize::from(label_w) + 1)),
        Span::styled(
            "[ Create plan ]",
            if focused { t.selected() } else { t.heading() },
        ),
    ]));
    lines.push(Line::from(""));
    let full = rows
        .iter()
        .find(|(field, _, value)| form.focus == *field && value.is_full());
    if let Some(e) = &form.error {
        lines.push(Line::styled(format!("Not created: {e}"), t.error()));
    } else if let Some((_, label, value)) = full {
        // Typing at the limit adds nothing: say so rather than drop keys
        // without a word.
        lines.push(Line::styled(
            format!(
                "{label}: {} characters at most; that is all it takes.",
                value.max()
            ),
            t.warning(),
        ));
    } else {
        lines.push(Line::styled(
            "Tab or Enter moves on; Enter on [ Create plan ] saves it. Esc goes back.",
            t.muted(),
        ));
    }
    // Wrapped lines hang under their own text (the guide's reason under
    // the guide's name).
    let lines = crate::ui::widgets::wrap(&lines, usize::from(inner.width)).0;
    f.render_widget(Paragraph::new(lines), inner);
    cursor
}
