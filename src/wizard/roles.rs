//! The RBAC role planner, as a pop-up over the portal-access screen: the
//! planned roles; add one from a template (administrator, operator,
//! read-only, the deployment guide's three tiers), edit its name, directory
//! group and permissions, remove it.

use std::collections::BTreeSet;

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::Wizard;
use super::action::{Action, Effect};
use super::keys::Context;
use super::modal::{ConfirmKind, Modal};
use crate::plan::{MAX_SHORT_TEXT, Role};
use crate::sanitize::line;
use crate::ui::theme::Theme;
use crate::ui::widgets::TextField;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    Group,
    Permissions,
}

/// A role being edited (a new one when `index` is `None`).
#[derive(Debug, Clone, PartialEq)]
pub struct RoleForm {
    pub index: Option<usize>,
    pub name: TextField,
    pub group: TextField,
    pub permissions: BTreeSet<String>,
    pub focus: Field,
    pub permission: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    List,
    Templates { selected: usize },
    Edit(Box<RoleForm>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct RolesState {
    pub selected: usize,
    pub mode: Mode,
}

impl RolesState {
    pub fn at(selected: usize) -> RolesState {
        RolesState {
            selected,
            mode: Mode::List,
        }
    }

    pub fn context(&self) -> Context {
        match self.mode {
            Mode::List => Context::Roles,
            Mode::Templates { .. } => Context::Templates,
            Mode::Edit(_) => Context::RoleEdit,
        }
    }
}

fn form(index: Option<usize>, role: &Role) -> RoleForm {
    RoleForm {
        index,
        name: TextField::new(&role.name, MAX_SHORT_TEXT),
        group: TextField::new(&role.group, MAX_SHORT_TEXT * 2),
        permissions: role.permissions.clone(),
        focus: Field::Name,
        permission: 0,
    }
}

pub fn update(w: &mut Wizard, mut state: RolesState, action: Action, now: &str) -> Vec<Effect> {
    let Some(open) = &w.open else {
        return Vec::new();
    };
    let common = open.common;
    let roles = open.plan.roles.clone();
    match state.mode.clone() {
        Mode::List => {
            if let Some(s) = super::moved(state.selected, roles.len(), &action, 5) {
                state.selected = s;
            } else {
                match action {
                    Action::Back => return Vec::new(),
                    Action::Create => state.mode = Mode::Templates { selected: 0 },
                    Action::Select => match roles.get(state.selected) {
                        Some(r) => state.mode = Mode::Edit(Box::new(form(Some(state.selected), r))),
                        None => state.mode = Mode::Templates { selected: 0 },
                    },
                    Action::Delete if state.selected < roles.len() => {
                        w.modal = Some(Modal::Confirm(ConfirmKind::RemoveRole(state.selected)));
                        return Vec::new();
                    }
                    Action::Open => {
                        let links = open
                            .guide
                            .of_kind(crate::catalog::ItemKind::Roles)
                            .map(|(_, item)| super::step::item_links(open.guide, &open.plan, item))
                            .unwrap_or_default();
                        w.modal = Some(Modal::Roles(state));
                        return super::step::open_links(w, links, false);
                    }
                    _ => {}
                }
            }
        }
        Mode::Templates { selected } => {
            let n = common.role_templates.len() + 1;
            if let Some(s) = super::moved(selected, n, &action, 5) {
                state.mode = Mode::Templates { selected: s };
            } else {
                match action {
                    Action::Back => state.mode = Mode::List,
                    Action::Select | Action::Toggle => {
                        let role = common
                            .role_templates
                            .get(selected)
                            .map_or_else(Role::default, Role::from_template);
                        state.mode = Mode::Edit(Box::new(form(None, &role)));
                    }
                    _ => {}
                }
            }
        }
        Mode::Edit(mut f) => {
            let perms = common.permissions.len();
            let typing = match f.focus {
                Field::Name => Some(&mut f.name),
                Field::Group => Some(&mut f.group),
                Field::Permissions => None,
            };
            match (action, typing) {
                (Action::Back, _) => {
                    // Esc cancels the edit: the role stays as it was saved.
                    state.mode = Mode::List;
                    w.message = Some("Edit cancelled: the role is as it was.".into());
                    w.modal = Some(Modal::Roles(state));
                    return Vec::new();
                }
                (Action::Select, _) => {
                    let role = Role {
                        name: f.name.value().to_string(),
                        group: f.group.value().to_string(),
                        permissions: f.permissions.clone(),
                        extra: f
                            .index
                            .and_then(|i| roles.get(i))
                            .map(|r| r.extra.clone())
                            .unwrap_or_default(),
                    };
                    let index = f.index;
                    let effects = w.change(|plan, _| match index {
                        Some(i) => plan.update_role(i, role, now).map_err(|e| e.to_string()),
                        None => plan
                            .add_role(role, now)
                            .map(|_| ())
                            .map_err(|e| e.to_string()),
                    });
                    let count = w.open.as_ref().map_or(0, |o| o.plan.roles.len());
                    state.selected = index.unwrap_or(count.saturating_sub(1));
                    state.mode = Mode::List;
                    w.modal = Some(Modal::Roles(state));
                    return effects;
                }
                (Action::NextField, _) => {
                    f.focus = match f.focus {
                        Field::Name => Field::Group,
                        Field::Group => Field::Permissions,
                        Field::Permissions => Field::Name,
                    };
                }
                (Action::PrevField, _) => {
                    f.focus = match f.focus {
                        Field::Name => Field::Permissions,
                        Field::Group => Field::Name,
                        Field::Permissions => Field::Group,
                    };
                }
                (Action::Char(c), Some(field)) => {
                    field.insert(c);
                }
                (Action::Toggle, Some(field)) => {
                    field.insert(' ');
                }
                (Action::Backspace, Some(field)) => field.backspace(),
                (Action::Left, Some(field)) => field.left(),
                (Action::Right, Some(field)) => field.right(),
                (Action::Up, None) => f.permission = f.permission.saturating_sub(1),
                (Action::Down, None) => {
                    f.permission = (f.permission + 1).min(perms.saturating_sub(1))
                }
                (Action::Down, Some(_)) => {
                    f.focus = if f.focus == Field::Name {
                        Field::Group
                    } else {
                        Field::Permissions
                    }
                }
                (Action::Up, Some(_)) => f.focus = Field::Name,
                (Action::Toggle | Action::Char(' '), None) => {
                    if let Some(p) = common.permissions.get(f.permission)
                        && !f.permissions.remove(&p.id)
                    {
                        f.permissions.insert(p.id.clone());
                    }
                }
                _ => {}
            }
            state.mode = Mode::Edit(f);
        }
    }
    w.modal = Some(Modal::Roles(state));
    Vec::new()
}

/// The planner's pop-up: over the body, so the status line (what the
/// last key did) and the footer stay in view.
pub fn popup_area(area: Rect) -> Rect {
    crate::ui::centered(crate::ui::body_area(area), 78, 30)
}

pub fn render(w: &Wizard, state: &RolesState, f: &mut Frame, t: &Theme) -> Option<Position> {
    let open = w.open.as_ref()?;
    let area = popup_area(f.area());
    f.render_widget(Clear, area);
    let title = match state.mode {
        Mode::List => " Role planner ",
        Mode::Templates { .. } => " Start from a template ",
        Mode::Edit(_) => " Edit role ",
    };
    let block = crate::ui::pane(title, true, t);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let common = open.common;
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor = None;
    match &state.mode {
        Mode::List => {
            lines.push(Line::styled(
                "c: add from a template · Enter: edit · d: remove · Esc: close",
                t.muted(),
            ));
            if open.plan.roles.is_empty() {
                lines.push(Line::from(""));
                lines.push(Line::styled(
                    "No roles planned yet. Press c to start from a template.",
                    t.todo(),
                ));
                cursor = Some(Position::new(inner.x, inner.y + 2));
            }
            if !open.plan.roles.is_empty() {
                // Every name and group in full: a long one wraps under
                // itself, and the list scrolls with a "more" sign.
                let rows = open
                    .plan
                    .roles
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let sel = i == state.selected;
                        let group = if r.group.is_empty() {
                            "(no directory group yet)".into()
                        } else {
                            line(&r.group).into_owned()
                        };
                        Line::from(vec![
                            Span::styled(
                                format!("{} {}", if sel { "›" } else { " " }, line(&r.name)),
                                if sel { t.selected() } else { t.heading() },
                            ),
                            Span::styled(
                                format!(
                                    " → {group} · {}",
                                    crate::words::count(r.permissions.len(), "permission")
                                ),
                                if sel { t.selected() } else { t.base() },
                            ),
                        ])
                    })
                    .collect();
                let list = crate::ui::widgets::List {
                    head: lines,
                    rows,
                    foot: Vec::new(),
                    selected: state.selected,
                    indent: 2,
                };
                return Some(crate::ui::widgets::list_pane(
                    f,
                    area,
                    crate::ui::pane(title, true, t),
                    &list,
                    t,
                ));
            }
        }
        Mode::Templates { selected } => {
            lines.push(Line::styled(
                "Enter: start from it (you can change everything) · Esc: back",
                t.muted(),
            ));
            let mut rows = Vec::new();
            for (i, tpl) in common.role_templates.iter().enumerate() {
                let sel = i == *selected;
                rows.push(Line::from(vec![
                    Span::styled(
                        format!("{} {:<40}", if sel { "›" } else { " " }, tpl.name),
                        if sel { t.selected() } else { t.heading() },
                    ),
                    Span::styled(format!(" {}", tpl.description), t.muted()),
                ]));
            }
            let sel = *selected == common.role_templates.len();
            rows.push(Line::styled(
                format!("{} {:<40}", if sel { "›" } else { " " }, "Empty role"),
                if sel { t.selected() } else { t.heading() },
            ));
            // Descriptions wrap under themselves, past the names.
            let list = crate::ui::widgets::List {
                head: lines,
                rows,
                foot: Vec::new(),
                selected: *selected,
                indent: 43,
            };
            return Some(crate::ui::widgets::list_pane(
                f,
                area,
                crate::ui::pane(title, true, t),
                &list,
                t,
            ));
        }
        Mode::Edit(form) => {
            lines.push(Line::styled(
                "Tab: next field · Space: grant/withdraw · Enter: keep · Esc: cancel",
                t.muted(),
            ));
            for (field, label, value) in [
                (Field::Name, "Role name", &form.name),
                (Field::Group, "Directory group", &form.group),
            ] {
                let focused = form.focus == field;
                let (shown, caret) = value.view(usize::from(inner.width.saturating_sub(20)));
                if focused {
                    cursor = Some(Position::new(
                        inner.x + 18 + u16::try_from(caret).unwrap_or(0),
                        inner.y + u16::try_from(lines.len()).unwrap_or(0),
                    ));
                }
                lines.push(Line::from(vec![
                    Span::styled(
                        format!("{}{label:<16} ", if focused { "›" } else { " " }),
                        t.heading(),
                    ),
                    Span::styled(
                        format!(
                            " {shown:<w$}",
                            w = usize::from(inner.width.saturating_sub(20))
                        ),
                        if focused { t.selected() } else { t.muted() },
                    ),
                ]));
            }
            lines.push(Line::styled(
                " Permissions (Microsoft Defender for Endpoint roles):",
                t.heading(),
            ));
            let visible = usize::from(inner.height).saturating_sub(lines.len());
            let offset = form.permission.saturating_sub(visible.saturating_sub(1));
            for (i, p) in common
                .permissions
                .iter()
                .enumerate()
                .skip(offset)
                .take(visible)
            {
                let on = form.permissions.contains(&p.id);
                let sel = form.focus == Field::Permissions && i == form.permission;
                if sel {
                    cursor = Some(Position::new(
                        inner.x + 1,
                        inner.y + u16::try_from(lines.len()).unwrap_or(0),
                    ));
                }
                lines.push(Line::styled(
                    format!(
                        "{} [{}] {}",
                        if sel { "›" } else { " " },
                        if on { "x" } else { " " },
                        p.label
                    ),
                    if sel {
                        t.selected()
                    } else if on {
                        t.done()
                    } else {
                        t.base()
                    },
                ));
            }
        }
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    cursor
}
