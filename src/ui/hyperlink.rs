//! OSC 8 hyperlinks over the addresses a frame shows. ratatui has no
//! hyperlink cells, so the frame is drawn as usual (plain text, which every
//! terminal shows and copies) and, where the terminal supports OSC 8, the
//! terminal loop writes each address again over itself as a hyperlink.
//! Only addresses of the built-in catalog become links: a shortened one
//! ("https://learn…guide") is matched back to the one catalog address it
//! stands for, and anything else (an address typed into a note, a file
//! name) stays plain text.

use ratatui::backend::IntoCrossterm;
use ratatui::buffer::Buffer;
use ratatui::crossterm::Command;
use ratatui::crossterm::style::{Attribute, SetAttribute, SetBackgroundColor, SetForegroundColor};
use ratatui::style::{Modifier, Style};

use crate::catalog::Catalog;

/// An address on screen: where it starts, the text drawn there (possibly
/// shortened with "…") and the whole catalog address it links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spot {
    pub x: u16,
    pub y: u16,
    pub text: String,
    pub url: String,
    /// The style the address was drawn in, so writing it again changes
    /// nothing but the link.
    pub style: Style,
}

fn url_char(c: char) -> bool {
    c.is_ascii_graphic() || c == '…'
}

/// Do the characters of `row` begin with `prefix`? (Checked at every cell
/// of every frame, so without building a string.)
fn starts_with(row: &[(u16, char)], prefix: &str) -> bool {
    let mut chars = row.iter().map(|(_, c)| *c);
    prefix.chars().all(|p| chars.next() == Some(p))
}

/// Every catalog address drawn in `buf`, left to right, top to bottom.
pub fn spots(buf: &Buffer, catalog: &Catalog) -> Vec<Spot> {
    let area = buf.area;
    let mut out = Vec::new();
    for y in area.top()..area.bottom() {
        // One entry per character, with the column it is drawn in.
        let mut row: Vec<(u16, char)> = Vec::new();
        for x in area.left()..area.right() {
            for c in buf[(x, y)].symbol().chars() {
                row.push((x, c));
            }
        }
        let mut i = 0;
        while i < row.len() {
            if !(starts_with(&row[i..], "https://") || starts_with(&row[i..], "http://")) {
                i += 1;
                continue;
            }
            let mut end = i;
            while end < row.len() && url_char(row[end].1) {
                end += 1;
            }
            // Closing punctuation belongs to the sentence, not the address.
            while end > i && matches!(row[end - 1].1, ')' | '.' | ',' | ';' | ':' | '"' | '\'') {
                end -= 1;
            }
            let text: String = row[i..end].iter().map(|(_, c)| *c).collect();
            if let Some(url) = resolve(catalog, &text) {
                let cell = &buf[(row[i].0, y)];
                out.push(Spot {
                    x: row[i].0,
                    y,
                    text,
                    url,
                    style: Style::new()
                        .fg(cell.fg)
                        .bg(cell.bg)
                        .add_modifier(cell.modifier),
                });
            }
            i = end.max(i + 1);
        }
    }
    out
}

/// The catalog addresses `shown` can stand for: itself when whole, every
/// address with its start and end when shortened with "…".
pub fn stands_for<'c>(catalog: &'c Catalog, shown: &str) -> Vec<&'c str> {
    let mut out: Vec<&str> = match shown.split_once('…') {
        None => catalog.urls().filter(|u| *u == shown).take(1).collect(),
        Some((head, tail)) => catalog
            .urls()
            .filter(|u| {
                u.len() > head.len() + tail.len() && u.starts_with(head) && u.ends_with(tail)
            })
            .collect(),
    };
    out.sort_unstable();
    out.dedup();
    out.retain(|u| catalog.knows_url(u) && crate::links::refuse(catalog, u).is_none());
    out
}

/// The one catalog address that `shown` is, or stands for when shortened;
/// none when it is not the catalog's or could be more than one (then it
/// stays plain text: a link must go where it says).
pub fn resolve(catalog: &Catalog, shown: &str) -> Option<String> {
    match stands_for(catalog, shown).as_slice() {
        [one] => Some((*one).to_string()),
        _ => None,
    }
}

/// The spots the terminal already shows as links. ratatui sends only the
/// cells that changed, so a link written over unchanged cells stays; only
/// spots that are new (moved, restyled, uncovered) are written again, and
/// all of them after the screen was cleared (a resize, a resume).
#[derive(Debug, Default)]
pub struct Linked {
    area: ratatui::layout::Rect,
    shown: Vec<Spot>,
}

impl Linked {
    /// The spots of a frame drawn over `area` that must be written.
    pub fn fresh(&mut self, area: ratatui::layout::Rect, spots: Vec<Spot>) -> Vec<Spot> {
        if area != self.area {
            self.forget();
            self.area = area;
        }
        let fresh = spots
            .iter()
            .filter(|s| !self.shown.contains(s))
            .cloned()
            .collect();
        self.shown = spots;
        fresh
    }

    /// The screen was cleared: every spot must be written again.
    pub fn forget(&mut self) {
        self.shown.clear();
    }
}

/// The bytes that write each spot again, in its style, as an OSC 8
/// hyperlink; the cursor and attributes are saved before and restored
/// after. Addresses are cleaned once more, though the catalog already
/// refuses control characters in them.
pub fn overlay(spots: &[Spot]) -> String {
    let mut out = String::new();
    for s in spots {
        let url = crate::sanitize::line(&s.url);
        let text = crate::sanitize::line(&s.text);
        out.push_str(&format!("\x1b7\x1b[{};{}H", s.y + 1, s.x + 1));
        sgr(&mut out, s.style);
        out.push_str(&format!("\x1b]8;;{url}\x1b\\{text}\x1b]8;;\x1b\\"));
        let _ = SetAttribute(Attribute::Reset).write_ansi(&mut out);
        out.push_str("\x1b8");
    }
    out
}

fn sgr(out: &mut String, style: Style) {
    let _ = SetAttribute(Attribute::Reset).write_ansi(out);
    if let Some(fg) = style.fg {
        let _ = SetForegroundColor(fg.into_crossterm()).write_ansi(out);
    }
    if let Some(bg) = style.bg {
        let _ = SetBackgroundColor(bg.into_crossterm()).write_ansi(out);
    }
    for (m, a) in [
        (Modifier::BOLD, Attribute::Bold),
        (Modifier::DIM, Attribute::Dim),
        (Modifier::ITALIC, Attribute::Italic),
        (Modifier::UNDERLINED, Attribute::Underlined),
        (Modifier::REVERSED, Attribute::Reverse),
    ] {
        if style.add_modifier.contains(m) {
            let _ = SetAttribute(a).write_ansi(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;

    fn spot(x: u16, url: &str) -> Spot {
        Spot {
            x,
            y: 0,
            text: url.to_string(),
            url: url.to_string(),
            style: Style::new(),
        }
    }

    #[test]
    fn only_new_spots_are_written_again_until_the_screen_is_cleared() {
        let area = Rect::new(0, 0, 80, 24);
        let (a, b) = (spot(0, "https://a.example"), spot(5, "https://b.example"));
        let mut linked = Linked::default();
        assert_eq!(linked.fresh(area, vec![a.clone()]), vec![a.clone()]);
        // The same frame again: the terminal still shows the link.
        assert!(linked.fresh(area, vec![a.clone()]).is_empty());
        // A new address is written; the one already shown is not.
        assert_eq!(
            linked.fresh(area, vec![a.clone(), b.clone()]),
            vec![b.clone()]
        );
        // Covered by a pop-up, then uncovered: written again.
        assert!(linked.fresh(area, vec![b.clone()]).is_empty());
        assert_eq!(
            linked.fresh(area, vec![a.clone(), b.clone()]),
            vec![a.clone()]
        );
        // A resize or a resume clears the screen: everything again.
        let wide = Rect::new(0, 0, 120, 40);
        assert_eq!(linked.fresh(wide, vec![a.clone(), b.clone()]).len(), 2);
        linked.forget();
        assert_eq!(linked.fresh(wide, vec![a, b]).len(), 2);
    }

    #[test]
    fn a_prefix_is_matched_character_by_character() {
        let row: Vec<(u16, char)> = "http://x".chars().map(|c| (0, c)).collect();
        assert!(starts_with(&row, "http://"));
        assert!(!starts_with(&row, "https://"));
        assert!(!starts_with(&row[..4], "http://"));
    }
}
