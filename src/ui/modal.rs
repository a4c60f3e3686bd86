//! Drawing the pop-ups: help, choices, text fields, links, a URL that could
//! not be opened, confirmations and the export menu. Reads state only.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::centered;
use super::theme::Theme;
use crate::sanitize::line;
use crate::wizard::{ConfirmKind, Modal, TextTarget, Wizard, keys};

fn frame(f: &mut Frame, area: Rect, title: &str, t: &Theme) -> Rect {
    f.render_widget(Clear, area);
    let block = crate::ui::pane(format!(" {title} "), true, t);
    let inner = block.inner(area);
    f.render_widget(block, area);
    inner
}

fn row(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

pub fn render(w: &Wizard, m: &Modal, f: &mut Frame, t: &Theme) -> Option<Position> {
    let full = f.area();
    match m {
        Modal::Help { scroll } => {
            let area = help_area(full);
            let inner = frame(f, area, "Help (Esc closes, ↑/↓ scroll)", t);
            // Wrapped with a hanging indent; the bottom border says when
            // more is above or below.
            let lines = help_lines(w, inner.width, t);
            let max = lines.len().saturating_sub(usize::from(inner.height));
            let offset = usize::from(*scroll).min(max);
            if let Some(sign) = crate::ui::widgets::more_sign(offset > 0, offset < max, false) {
                let sign = format!("{sign}(↑/↓) ");
                let w = u16::try_from(sign.chars().count()).unwrap_or(0);
                let at = Rect::new(
                    area.right().saturating_sub(w + 1),
                    area.bottom().saturating_sub(1),
                    w,
                    1,
                );
                f.render_widget(Paragraph::new(Line::styled(sign, t.warning())), at);
            }
            let shown: Vec<Line> = lines
                .into_iter()
                .skip(offset)
                .take(usize::from(inner.height))
                .collect();
            f.render_widget(Paragraph::new(shown), inner);
            Some(Position::new(inner.x, inner.y))
        }
        Modal::Choice { item, selected } => {
            let open = w.open.as_ref()?;
            let (_, it) = open.guide.item(item)?;
            let h = u16::try_from(it.options.len()).unwrap_or(10) + 5;
            let area = centered(full, 64, h);
            let inner = frame(f, area, &it.label, t);
            let chosen = open.plan.answer(item).and_then(|a| a.choice.as_deref());
            let mut lines = vec![Line::styled(
                "Enter chooses · a: not applicable · Esc: back",
                t.muted(),
            )];
            for (i, o) in it.options.iter().enumerate() {
                let sel = i == *selected;
                let on = chosen == Some(o.id.as_str());
                lines.push(Line::styled(
                    format!(
                        "{} {} {}",
                        if sel { "›" } else { " " },
                        if on { "(•)" } else { "( )" },
                        o.label
                    ),
                    if sel { t.selected() } else { t.base() },
                ));
            }
            f.render_widget(Paragraph::new(lines), inner);
            Some(Position::new(inner.x, inner.y + 1 + row(*selected)))
        }
        Modal::Text { target, field } => {
            let area = centered(full, 70, 7);
            let inner = frame(f, area, target.title(), t);
            let (shown, caret) = field.view(usize::from(inner.width.saturating_sub(2)));
            let lines = vec![
                Line::styled(
                    format!(
                        " {shown:<w$}",
                        w = usize::from(inner.width.saturating_sub(2))
                    ),
                    t.selected(),
                ),
                Line::from(""),
                Line::styled(text_hint(target), t.muted()),
            ];
            f.render_widget(Paragraph::new(lines), inner);
            Some(Position::new(inner.x + 1 + row(caret), inner.y))
        }
        Modal::Links { links, selected } => {
            let width = full.width.saturating_sub(4);
            let mut lines = Vec::new();
            for (i, l) in links.iter().enumerate() {
                let sel = i == *selected;
                lines.push(Line::styled(
                    format!("{} {}", if sel { "›" } else { " " }, l.title),
                    if sel { t.selected() } else { t.heading() },
                ));
                lines.push(Line::styled(format!("  {}", l.url), t.link()));
            }
            let (wrapped, starts) =
                crate::ui::widgets::wrap(&lines, usize::from(width.saturating_sub(2)));
            let h = row(wrapped.len()).saturating_add(3).min(full.height);
            let area = centered(full, width, h);
            let inner = frame(f, area, "Guidance pages", t);
            let head = Line::styled("Enter/o opens · y copies · Esc closes", t.muted());
            let room = usize::from(inner.height.saturating_sub(1));
            // Keep the selected entry (its title and address) in view.
            let first = starts.get(selected * 2).copied().unwrap_or(0);
            let last = starts
                .get(selected * 2 + 2)
                .copied()
                .unwrap_or(wrapped.len());
            let offset = last.saturating_sub(room).min(first);
            let more_below = offset + room < wrapped.len();
            let mut shown = vec![head];
            shown.extend(wrapped.iter().skip(offset).take(room).cloned());
            f.render_widget(Paragraph::new(shown), inner);
            if offset > 0 || more_below {
                let sign = match (offset > 0, more_below) {
                    (true, true) => " ↑↓ more ",
                    (false, true) => " ↓ more ",
                    _ => " ↑ more ",
                };
                let w = u16::try_from(sign.chars().count()).unwrap_or(0);
                let at = Rect::new(
                    area.right().saturating_sub(w + 1),
                    area.bottom().saturating_sub(1),
                    w,
                    1,
                );
                f.render_widget(Paragraph::new(Line::styled(sign, t.warning())), at);
            }
            Some(Position::new(
                inner.x,
                inner.y + 1 + row(first.saturating_sub(offset)),
            ))
        }
        Modal::Url { title, url, reason } => {
            let width = full.width.saturating_sub(2);
            let text_w = width.saturating_sub(2);
            let fits = url.chars().count() <= usize::from(text_w);
            let lines = vec![
                Line::from(format!("No browser could open here: {}.", line(reason))),
                Line::from(if fits {
                    "The full address (select it with the mouse after m, or press y to copy):"
                } else {
                    "The address, shortened in the middle to fit (y copies all of it; a wider window shows it whole):"
                }),
                Line::from(""),
                Line::styled(
                    crate::ui::widgets::shorten_url(url, usize::from(text_w)),
                    t.link(),
                ),
                Line::from(""),
                Line::styled(
                    "y copies it to your clipboard through the terminal (OSC 52) · Esc closes",
                    t.muted(),
                ),
            ];
            let (lines, starts) = crate::ui::widgets::wrap(&lines, usize::from(text_w));
            // As tall as what it says.
            let area = centered(full, width, row(lines.len() + 2));
            let inner = frame(f, area, title, t);
            f.render_widget(Paragraph::new(lines), inner);
            Some(Position::new(
                inner.x,
                inner.y + row(starts.get(3).copied().unwrap_or(0)),
            ))
        }
        Modal::Import(report) => {
            let rows = match &w.open {
                Some(o) => crate::estate::choice_rows(o.guide, &o.plan, report),
                None => Vec::new(),
            };
            let width = full.width.saturating_sub(4).min(90);
            let text_w = usize::from(width.saturating_sub(2));
            let n = |v: Option<u64>| v.map_or_else(|| "-".to_string(), |n| n.to_string());
            let wrap = |l: Line<'static>| crate::ui::widgets::wrap(&[l], text_w).0;
            let mut lines = wrap(Line::from(report.summary_line()));
            lines.push(Line::from(""));
            lines.push(Line::styled(
                format!("{:>10}  {:>10}  {:>10}  system", "now", "replace", "merge"),
                t.heading(),
            ));
            // A long system name wraps in its column.
            let system_rows: Vec<Line> = rows
                .iter()
                .map(|r| {
                    Line::from(format!(
                        "{:>10}  {:>10}  {:>10}  {}",
                        n(r.now),
                        n(r.replace),
                        n(r.merge),
                        line(&r.name)
                    ))
                })
                .collect();
            lines.extend(crate::ui::widgets::wrap_hanging(&system_rows, text_w, 36).0);
            lines.push(Line::from(""));
            let keys = wrap(Line::from(vec![
                Span::styled("r", t.key()),
                Span::raw(" replace    "),
                Span::styled("m", t.key()),
                Span::raw(" merge    "),
                Span::styled("c", t.key()),
                Span::raw(", Enter or Esc: cancel (the estate stays as it is)"),
            ]));
            let h = row(lines.len() + keys.len() + 2).min(full.height.saturating_sub(2));
            let area = centered(full, width, h);
            let inner = frame(f, area, "Import: the plan already has an estate", t);
            // The keys stay in view: the rows give way when space is short.
            let keep = usize::from(inner.height).saturating_sub(keys.len());
            if lines.len() > keep && keep >= 1 {
                lines.truncate(keep - 1);
                lines.push(Line::styled(
                    "  … more systems: a taller window shows them all",
                    t.muted(),
                ));
            }
            lines.extend(keys);
            f.render_widget(Paragraph::new(lines), inner);
            Some(Position::new(
                inner.x,
                inner.y + inner.height.saturating_sub(1),
            ))
        }
        Modal::SaveConflict { reason } => {
            let area = centered(full, full.width.saturating_sub(4).min(80), 16);
            let inner = frame(f, area, "Not saved: the plan changed on disk", t);
            let why = line(reason);
            let why = why
                .strip_prefix("not saved: ")
                .or_else(|| why.strip_prefix("Not saved: "))
                .unwrap_or(&why);
            let key = |k: &'static str, text: &'static str| {
                Line::from(vec![
                    Span::styled(format!("  {k:<5}"), t.key()),
                    Span::raw(text),
                ])
            };
            let lines = vec![
                Line::from(why.to_string()),
                Line::from(""),
                Line::from("Your answers are kept here, in memory. Choose:"),
                key(
                    "r",
                    "reload from disk (asks y first: drops what is not saved here)",
                ),
                key(
                    "c",
                    "save these answers as a copy: a new plan, nothing overwritten",
                ),
                key("Esc", "keep working here, not saved (quitting asks first)"),
            ];
            let (lines, _) = crate::ui::widgets::wrap(&lines, usize::from(inner.width));
            f.render_widget(Paragraph::new(lines), inner);
            Some(Position::new(
                inner.x,
                inner.y + inner.height.saturating_sub(1),
            ))
        }
        Modal::Confirm(kind) => {
            let (title, text) = confirm_text(w, kind);
            let width = full.width.saturating_sub(4).min(66);
            let (lines, _) = crate::ui::widgets::wrap(
                &[
                    Line::from(text),
                    Line::from(""),
                    Line::from(vec![
                        Span::styled("y", t.key()),
                        Span::raw(" yes    "),
                        Span::styled("any other key", t.key()),
                        Span::raw(" (Enter, Esc, n): no"),
                    ]),
                ],
                usize::from(width.saturating_sub(2)),
            );
            // As tall as the question: the keys are never cut off.
            let h = row(lines.len() + 2).min(full.height.saturating_sub(2));
            let area = centered(full, width, h);
            let inner = frame(f, area, title, t);
            let keys = lines.len().saturating_sub(1);
            f.render_widget(Paragraph::new(lines), inner);
            Some(Position::new(
                inner.x,
                inner.y + row(keys).min(inner.height.saturating_sub(1)),
            ))
        }
        Modal::Systems(s) => crate::wizard::render_systems(w, s, f, t),
        Modal::Roles(s) => crate::wizard::render_roles(w, s, f, t),
        Modal::State { item, selected } => {
            let open = w.open.as_ref()?;
            let (_, it) = open.guide.item(item)?;
            let choices = crate::wizard::state_choices(it.kind);
            let h = u16::try_from(choices.len()).unwrap_or(5) + 5;
            let area = centered(full, 64, h);
            let inner = frame(f, area, &format!("State: {}", it.label), t);
            let now = open.plan.item_state(open.guide, it);
            let mut lines = vec![Line::styled(
                format!("Now: {} · Enter sets · Esc: back", now.label()),
                t.muted(),
            )];
            for (i, (_, label)) in choices.iter().enumerate() {
                let sel = i == *selected;
                lines.push(Line::styled(
                    format!("{} {label}", if sel { "›" } else { " " }),
                    if sel { t.selected() } else { t.base() },
                ));
            }
            f.render_widget(Paragraph::new(lines), inner);
            Some(Position::new(inner.x, inner.y + 1 + row(*selected)))
        }
        Modal::Export { selected } => {
            let area = centered(full, 66, 8);
            let inner = frame(f, area, "Export a report", t);
            let (mut lines, _) = crate::ui::widgets::wrap(
                &[Line::styled(
                    "Enter writes it to the reports folder inside the plans folder · Esc: back",
                    t.muted(),
                )],
                usize::from(inner.width),
            );
            let hint = lines.len();
            for (i, (_, label)) in crate::wizard::EXPORT_FORMATS.iter().enumerate() {
                let sel = i == *selected;
                lines.push(Line::styled(
                    format!("{} {label}", if sel { "›" } else { " " }),
                    if sel { t.selected() } else { t.base() },
                ));
            }
            f.render_widget(Paragraph::new(lines), inner);
            Some(Position::new(inner.x, inner.y + row(hint + *selected)))
        }
    }
}

/// What the status line says that may be cut at the terminal's width: a
/// refused save and the last message, each in full.
fn status_in_full(w: &Wizard, t: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if let (
        Some(_),
        crate::wizard::SaveState::NotSaved(why) | crate::wizard::SaveState::Refused(why),
    ) = (&w.open, &w.save)
    {
        let why = line(why);
        let why = why
            .strip_prefix("not saved: ")
            .or_else(|| why.strip_prefix("Not saved: "))
            .unwrap_or(&why);
        lines.push(Line::from(vec![
            Span::styled("Not saved: ", t.error()),
            Span::raw(why.to_string()),
        ]));
    }
    if let Some(m) = &w.message {
        lines.push(Line::from(vec![
            Span::styled("Last message: ", t.heading()),
            Span::raw(line(m).into_owned()),
        ]));
    }
    if !lines.is_empty() {
        lines.push(Line::from(""));
    }
    lines
}

fn confirm_text(w: &Wizard, kind: &ConfirmKind) -> (&'static str, String) {
    match kind {
        ConfirmKind::DeletePlan { name, .. } => (
            "Delete plan?",
            format!("Delete the plan {:?} and all its answers? It goes to the trash: u on the plans screen brings it back.", line(name)),
        ),
        ConfirmKind::SetAside { name, problem, .. } => (
            "Broken plan file",
            format!(
                "{:?} can't be read: {}. Keep a copy of the file aside (NAME.corrupt-TIME) and take it off the list?",
                line(name),
                line(problem)
            ),
        ),
        ConfirmKind::RemoveRole(i) => {
            let name = w
                .open
                .as_ref()
                .and_then(|o| o.plan.roles.get(*i))
                .map_or_else(String::new, |r| line(&r.name).into_owned());
            ("Remove role?", format!("Remove the role {name:?} from the plan?"))
        }
        ConfirmKind::DiscardNewPlan => (
            "Discard the new plan?",
            "The plan you are typing has not been created yet. Discard it and go back to the plans?".into(),
        ),
        ConfirmKind::ReloadFromDisk { .. } => (
            "Reload the plan from disk?",
            "This drops the answers changed here since the last save and shows the plan as it is on disk now. To keep them, say no and press c to save them as a copy.".into(),
        ),
        ConfirmKind::QuitUnsaved => (
            "Quit with unsaved changes?",
            "The last change could not be saved (see the status line). Quit anyway? Say no, then press x to export the plan elsewhere.".into(),
        ),
    }
}

fn help_area(full: Rect) -> Rect {
    centered(full, 76, full.height.saturating_sub(2))
}

/// The help for the screen in front of the operator and its keys, wrapped
/// to `width`.
fn help_lines(w: &Wizard, width: u16, t: &Theme) -> Vec<Line<'static>> {
    let under = w.screen_context();
    // The status line's text whole: a narrow terminal cuts it there.
    let mut lines = status_in_full(w, t);
    lines.push(Line::from(crate::wizard::screen_help(w)));
    lines.push(Line::from(""));
    lines.push(Line::styled("Keys here:", t.heading()));
    let mut shown: Vec<&str> = Vec::new();
    for table in keys::tables(under, w.open.is_some()) {
        // The first table that binds a key wins, as it does for keys.
        for b in table.iter() {
            if shown.contains(&b.label) {
                continue;
            }
            shown.push(b.label);
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<10}", b.label), t.key()),
                Span::raw(b.help),
            ]));
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::from(
        "Marks: ✓ done · ○ to do · – not applicable · ? not answered.",
    ));
    lines.push(Line::from(
        "Not applicable is an answer; it closes an item just as done does.",
    ));
    lines.push(Line::from(
        "Every change is saved at once: quitting never loses an answer.",
    ));
    crate::ui::widgets::wrap(&lines, usize::from(width)).0
}

/// How far the help can scroll at the wizard's terminal size, so ↓ past
/// the end does not store presses that ↑ must undo first.
pub fn help_max_scroll(w: &Wizard) -> u16 {
    let full = Rect::new(0, 0, w.size.0, w.size.1);
    let area = help_area(full);
    let (width, height) = (area.width.saturating_sub(2), area.height.saturating_sub(2));
    let n = help_lines(w, width, &Theme::plain()).len();
    u16::try_from(n.saturating_sub(usize::from(height))).unwrap_or(u16::MAX)
}

/// What Enter and Esc do in a text box, in its own words.
fn text_hint(target: &TextTarget) -> &'static str {
    match target {
        TextTarget::Answer(_) | TextTarget::Note(_) | TextTarget::Owner(_) => {
            "Enter keeps the text · Esc cancels the edit · Ctrl-U clears it"
        }
        TextTarget::Due(_) => {
            "Enter keeps the date (empty clears it) · Esc cancels · Ctrl-U clears it"
        }
        TextTarget::Reason { .. } => "Enter sets the state with this reason · Esc cancels",
        TextTarget::Rename { .. } => "Enter renames the plan · Esc cancels · Ctrl-U clears it",
        TextTarget::Filter => "Enter keeps the filter · Esc clears it",
        TextTarget::Import => "Enter reads the file · Esc cancels · Ctrl-U clears it",
        TextTarget::ExportPath(_) => "Enter writes the report there · Esc cancels",
    }
}
