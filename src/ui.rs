//! Drawing: reads the wizard's state and paints a frame. Nothing here
//! changes state; the cursor is placed on the selected item every frame so
//! screen readers and braille displays follow it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::wizard::{SaveState, Screen, Wizard, keys};

pub mod hyperlink;
pub mod modal;
pub mod theme;
pub mod widgets;

use theme::Theme;

/// The smallest terminal the full-screen wizard draws in.
pub const MIN_SIZE: (u16, u16) = (80, 24);

/// The body between the header line and the two bottom lines.
pub fn body_area(area: Rect) -> Rect {
    let [_, body, _, _] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    body
}

/// A rectangle of at most `w`×`h` in the middle of `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// A bordered pane with a title; a focused pane's border stands out.
pub fn pane<'a>(
    title: impl Into<std::borrow::Cow<'a, str>>,
    focused: bool,
    t: &Theme,
) -> Block<'a> {
    Block::new()
        .borders(Borders::ALL)
        .border_style(if focused {
            t.focused_border()
        } else {
            t.border()
        })
        .title(Span::styled(title, t.title()))
}

/// Paint one frame.
pub fn draw(f: &mut Frame, w: &Wizard, t: &Theme) {
    let area = f.area();
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        too_small(f, area, t);
        return;
    }
    let [header, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    f.render_widget(Paragraph::new(header_line(w, t, header.width)), header);
    let mut cursor = crate::wizard::render_screen(w, f, body, t);
    let line = status_line(w, t, status.width);
    let (lines, _) = widgets::wrap(std::slice::from_ref(&line), usize::from(status.width));
    // A message (what the last key did) is never cut: see below. A long
    // save state alone ends in "… ? shows all" (the help shows it whole).
    let long = w.message.is_some() && lines.len() > 1;
    if !long {
        f.render_widget(Paragraph::new(cut_status(line, status.width, t)), status);
        f.render_widget(Paragraph::new(footer_line(w, t, footer.width)), footer);
    }
    if let Some(m) = &w.modal {
        cursor = modal::render(w, m, f, t).or(cursor);
    }
    if long {
        // A message longer than the status line is never cut: it takes the
        // footer's row and, when it needs more, rises over the bottom of
        // the screen (at most a third of it) until the next key.
        let rows = u16::try_from(lines.len())
            .unwrap_or(u16::MAX)
            .min(area.height / 3)
            .max(2);
        let at = Rect::new(status.x, footer.bottom() - rows, status.width, rows);
        f.render_widget(ratatui::widgets::Clear, at);
        f.render_widget(Paragraph::new(lines), at);
    }
    if let Some(c) = cursor {
        let c = Position::new(
            c.x.min(area.right().saturating_sub(1)),
            c.y.min(area.bottom().saturating_sub(1)),
        );
        f.set_cursor_position(c);
    }
}

fn too_small(f: &mut Frame, area: Rect, t: &Theme) {
    let text = vec![
        Line::styled("Terminal too small", t.warning()),
        Line::from(format!(
            "mde-migrate needs at least {}×{}; this one is {}×{}.",
            MIN_SIZE.0, MIN_SIZE.1, area.width, area.height
        )),
        Line::from("Enlarge the window, or quit with q and run mde-migrate --plain."),
    ];
    f.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
    f.set_cursor_position(Position::new(area.x, area.y));
}

/// "mde-migrate │ Overview › 1.1 Updates › [1.2 Licence] › … › Phase 2 ›
/// Phase 3 › Summary": the steps of the phase on screen, the other phases
/// by name.
fn header_line(w: &Wizard, t: &Theme, width: u16) -> Line<'static> {
    let mut spans = vec![Span::styled(" mde-migrate ", t.title())];
    let Some(open) = &w.open else {
        let place = match w.screen {
            Screen::NewPlan => "│ New plan",
            _ => "│ Plans",
        };
        spans.push(Span::styled(place, t.heading()));
        return Line::from(spans);
    };
    // The steps of the phase on screen, each other phase as one name.
    let guide = open.guide;
    let here = match w.screen {
        Screen::Step(i) => guide.steps.get(i).map(|s| s.phase.as_str()),
        _ => None,
    };
    let mut names: Vec<(Option<Screen>, String, String)> = vec![(
        Some(Screen::Overview),
        "Overview".to_string(),
        "Overview".to_string(),
    )];
    for (k, p) in guide.phases.iter().enumerate() {
        if here == Some(p.id.as_str()) {
            for (n, (i, s)) in guide.phase_steps(&p.id).enumerate() {
                names.push((
                    Some(Screen::Step(i)),
                    format!("{}.{} {}", k + 1, n + 1, s.short),
                    format!("{}.{}", k + 1, n + 1),
                ));
            }
        } else {
            names.push((None, format!("Phase {}", k + 1), format!("P{}", k + 1)));
        }
    }
    names.push((
        Some(Screen::Summary),
        "Summary".to_string(),
        "Summary".to_string(),
    ));
    let full: usize = names
        .iter()
        .map(|(_, n, _)| n.chars().count() + 3)
        .sum::<usize>()
        + 16;
    let compact = full > usize::from(width);
    // Still too long with the others short: the current one short too.
    let tight = names
        .iter()
        .map(|(s, n, short)| if *s == Some(w.screen) { n } else { short }.chars().count() + 3)
        .sum::<usize>()
        + 18
        > usize::from(width);
    spans.push(Span::styled("│ ", t.muted()));
    // Tight, the overview (always Esc away) gives its room to the steps.
    let names: Vec<_> = names
        .into_iter()
        .filter(|(s, _, _)| !tight || *s != Some(Screen::Overview) || w.screen == Screen::Overview)
        .collect();
    for (i, (screen, long, short)) in names.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" › ", t.muted()));
        }
        if *screen == Some(w.screen) {
            let name = if tight { short } else { long };
            spans.push(Span::styled(format!("[{name}]"), t.selected()));
        } else {
            spans.push(Span::styled(
                if compact { short.clone() } else { long.clone() },
                t.base(),
            ));
        }
    }
    Line::from(spans)
}

fn status_line(w: &Wizard, t: &Theme, width: u16) -> Line<'static> {
    let mut spans = Vec::new();
    match (&w.open, &w.save) {
        (Some(o), _) if o.read_only.is_some() => {
            let why = o.read_only.as_deref().unwrap_or("");
            spans.push(Span::styled(
                format!(" Read-only: {} ", crate::sanitize::line(why)),
                t.warning(),
            ));
        }
        (Some(_), SaveState::Saved(at)) => {
            spans.push(Span::styled(format!(" ✓ Saved {at} "), t.done()))
        }
        (Some(_), SaveState::NotSaved(why)) => {
            // The store's errors already start "not saved: "; say it once.
            // The hint comes first so a narrow terminal cuts the detail,
            // not what to do.
            let why = crate::sanitize::line(why);
            let why = why
                .strip_prefix("not saved: ")
                .or_else(|| why.strip_prefix("Not saved: "))
                .unwrap_or(&why);
            spans.push(Span::styled(
                format!(" ✗ Not saved (the next change tries again): {why} "),
                t.error(),
            ));
        }
        (Some(_), SaveState::Refused(why)) => {
            let why = crate::sanitize::line(why);
            let why = why.strip_prefix("not saved: ").unwrap_or(&why);
            spans.push(Span::styled(
                format!(" ✗ Not saved (reload or save as a copy at the next change): {why} "),
                t.error(),
            ));
        }
        (Some(_), SaveState::Idle) => {
            spans.push(Span::styled(" Every answer is saved as you go ", t.muted()))
        }
        (None, _) => {}
    }
    if let Some(m) = &w.message {
        let message = crate::sanitize::line(m);
        let width = usize::from(width);
        let used: usize = spans.iter().map(|s| s.width()).sum();
        // The message is what the last key did: when both do not fit, it
        // wins over the save state, and an address in it is shortened in
        // the middle rather than cut at the edge.
        if used + message.chars().count() + 2 > width {
            spans.clear();
        }
        spans.push(Span::raw(format!(
            " {} ",
            fit_message(&message, width.saturating_sub(2))
        )));
    }
    Line::from(spans)
}

/// A status message in `width` columns: an address in it is shortened in
/// the middle ("…"), so its start and end stay readable.
fn fit_message(message: &str, width: usize) -> String {
    let len = message.chars().count();
    if len <= width {
        return message.to_string();
    }
    let over = len - width;
    let mut out: Vec<String> = Vec::new();
    let mut shortened = false;
    for word in message.split(' ') {
        let n = word.chars().count();
        if !shortened && word.starts_with("http") && word.contains("://") && n > over + 12 {
            out.push(widgets::shorten_url(word, n - over));
            shortened = true;
        } else {
            out.push(word.to_string());
        }
    }
    out.join(" ")
}

/// The status line cut to `width`, ending in "… ? shows all" when it does
/// not fit: the help overlay shows the whole text.
fn cut_status(status: Line<'static>, width: u16, t: &Theme) -> Line<'static> {
    use unicode_width::UnicodeWidthStr;
    const MORE: &str = "… ? shows all ";
    let width = usize::from(width);
    if status.width() <= width || width <= MORE.width() {
        return status;
    }
    let mut room = width - MORE.width();
    let mut spans = Vec::new();
    for span in status.spans {
        let w = span.content.width();
        if w <= room {
            room -= w;
            spans.push(span);
            continue;
        }
        let mut kept = String::new();
        for c in span.content.chars() {
            let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if cw > room {
                break;
            }
            room -= cw;
            kept.push(c);
        }
        spans.push(Span::styled(kept, span.style));
        break;
    }
    spans.push(Span::styled(MORE, t.key()));
    Line::from(spans)
}

/// The keys of this context that matter most, from the key tables, as
/// many whole entries as fit in `width` (never one cut in the middle; the
/// help, offered first, lists them all).
fn footer_line(w: &Wizard, t: &Theme, width: u16) -> Line<'static> {
    use unicode_width::UnicodeWidthStr;
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1usize;
    let mut full = false;
    let ctx = w.context();
    let mut tables = keys::tables(ctx, w.open.is_some());
    // The global keys (help, quit) first, so they always fit.
    if let Some(at) = tables
        .iter()
        .position(|t| t.iter().any(|b| b.action == crate::wizard::Action::Help))
    {
        let global = tables.remove(at);
        tables.insert(0, global);
    }
    for table in tables {
        for b in table.iter() {
            if let Some(word) = b.footer
                && w.key_applies(ctx, &b.action)
            {
                let word = match &w.modal {
                    Some(crate::wizard::Modal::Text { target, .. }) => {
                        modal::text_key_word(target, &b.action).unwrap_or(word)
                    }
                    _ => word,
                };
                let entry = format!(" {word}  ");
                let need = b.label.width() + entry.trim_end().width();
                if full || used + need > usize::from(width) {
                    full = true;
                    continue;
                }
                used += b.label.width() + entry.width();
                spans.push(Span::styled(b.label, t.key()));
                spans.push(Span::raw(entry));
            }
        }
    }
    Line::from(spans)
}
