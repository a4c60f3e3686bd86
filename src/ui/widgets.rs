//! Small shared pieces: the one-line text field (state and editing), and
//! wrapping with a hanging indent in a scrolling pane.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

/// A one-line text field with a caret, limited to `max` characters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextField {
    value: String,
    /// Caret position in characters.
    caret: usize,
    max: usize,
}

impl TextField {
    pub fn new(value: &str, max: usize) -> TextField {
        let value: String = value.chars().take(max).collect();
        let caret = value.chars().count();
        TextField { value, caret, max }
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    pub fn caret(&self) -> usize {
        self.caret
    }

    /// The field holds as many characters as it takes: typing adds none.
    pub fn is_full(&self) -> bool {
        self.value.chars().count() >= self.max
    }

    pub fn max(&self) -> usize {
        self.max
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.value
            .char_indices()
            .nth(chars)
            .map_or(self.value.len(), |(i, _)| i)
    }

    /// Insert a typed character; control characters are refused.
    pub fn insert(&mut self, c: char) -> bool {
        if c.is_control() || self.value.chars().count() >= self.max {
            return false;
        }
        let at = self.byte_at(self.caret);
        self.value.insert(at, c);
        self.caret += 1;
        true
    }

    pub fn backspace(&mut self) {
        if self.caret > 0 {
            self.caret -= 1;
            let at = self.byte_at(self.caret);
            self.value.remove(at);
        }
    }

    pub fn delete(&mut self) {
        if self.caret < self.value.chars().count() {
            let at = self.byte_at(self.caret);
            self.value.remove(at);
        }
    }

    pub fn left(&mut self) {
        self.caret = self.caret.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.caret = (self.caret + 1).min(self.value.chars().count());
    }

    pub fn home(&mut self) {
        self.caret = 0;
    }

    pub fn end(&mut self) {
        self.caret = self.value.chars().count();
    }

    pub fn clear(&mut self) {
        self.value.clear();
        self.caret = 0;
    }

    /// The part to show in `width` columns and the caret's column in it.
    pub fn view(&self, width: usize) -> (String, usize) {
        let before: String = self.value.chars().take(self.caret).collect();
        let caret_col = before.width();
        if caret_col < width {
            let mut shown = String::new();
            for c in self.value.chars() {
                if (shown.clone() + &c.to_string()).width() > width {
                    break;
                }
                shown.push(c);
            }
            return (shown, caret_col);
        }
        // Scroll so the caret sits at the right edge.
        let mut shown: Vec<char> = Vec::new();
        for c in before.chars().rev() {
            let s: String = std::iter::once(c)
                .chain(shown.iter().rev().copied())
                .collect();
            if s.width() >= width {
                break;
            }
            shown.insert(0, c);
        }
        let s: String = shown.into_iter().collect();
        let col = s.width();
        (s, col)
    }
}

#[cfg(test)]
mod tests {
    use super::TextField;

    #[test]
    fn edits_at_the_caret() {
        let mut f = TextField::new("ac", 10);
        f.left();
        f.insert('b');
        assert_eq!(f.value(), "abc");
        f.home();
        f.delete();
        assert_eq!(f.value(), "bc");
        f.end();
        f.backspace();
        assert_eq!(f.value(), "b");
        assert!(!f.insert('\x1b'));
    }

    #[test]
    fn respects_the_limit() {
        let mut f = TextField::new("", 3);
        for c in "abcdef".chars() {
            f.insert(c);
        }
        assert_eq!(f.value(), "abc");
    }

    #[test]
    fn view_scrolls_to_keep_the_caret_visible() {
        let f = TextField::new("abcdefghij", 20);
        let (shown, col) = f.view(5);
        assert_eq!(shown, "ghij");
        assert_eq!(col, 4);
    }
}

/// The marks a line may start with; continuation lines are indented past
/// them.
const BULLETS: [&str; 18] = [
    "• ",
    "- ",
    "⚠ ",
    "✓ ",
    "○ ",
    "? ",
    "– ",
    "[✓] ",
    "[ ] ",
    "[x] ",
    "›[✓] ",
    "›[ ] ",
    "( ) ",
    "(•) ",
    "› ( ) ",
    "› (•) ",
    "▶ ",
    "* ",
];

/// Wrap lines to `width` columns at spaces, keeping each span's style.
/// Continuation lines get a hanging indent: the line's leading spaces plus
/// a leading bullet ("• ", "- ", "⚠ ") if any. A word longer than the width
/// is broken, except a web address: that stays on one line, shortened in
/// the middle with "…" when it does not fit (see [`shorten_url`]). Returns
/// the lines and, for each input line, the index of its first output line.
pub fn wrap(lines: &[Line<'_>], width: usize) -> (Vec<Line<'static>>, Vec<usize>) {
    wrap_each(lines, width, None)
}

/// Like [`wrap`], with the same hanging indent of `indent` columns for
/// every line (rows of a list whose text starts after a mark and a count).
pub fn wrap_hanging(
    lines: &[Line<'_>],
    width: usize,
    indent: usize,
) -> (Vec<Line<'static>>, Vec<usize>) {
    wrap_each(lines, width, Some(indent))
}

fn wrap_each(
    lines: &[Line<'_>],
    width: usize,
    indent: Option<usize>,
) -> (Vec<Line<'static>>, Vec<usize>) {
    let width = width.max(8);
    let mut out: Vec<Line<'static>> = Vec::new();
    let mut starts = Vec::with_capacity(lines.len());
    for line in lines {
        starts.push(out.len());
        let chars: Vec<(char, Style)> = line
            .spans
            .iter()
            .flat_map(|s| {
                let style = line.style.patch(s.style);
                s.content.chars().map(move |c| (c, style))
            })
            .collect();
        let indent = indent.unwrap_or_else(|| {
            let text: String = chars.iter().map(|(c, _)| *c).collect();
            let lead = text.chars().take_while(|c| *c == ' ').count();
            let rest: String = text.chars().skip(lead).collect();
            let bullet = BULLETS
                .iter()
                .find(|b| rest.starts_with(**b))
                .map_or(0, |b| b.chars().count());
            (lead + bullet).min(width / 2)
        });
        // A given indent leaves room for a word or two.
        let indent = indent.min(width.saturating_sub(12));
        wrap_line(&chars, width, indent, &mut out);
    }
    (out, starts)
}

fn is_url_start(chars: &[(char, Style)]) -> bool {
    let head: String = chars.iter().take(8).map(|(c, _)| *c).collect();
    head.starts_with("https://") || head.starts_with("http://")
}

fn wrap_line(chars: &[(char, Style)], width: usize, indent: usize, out: &mut Vec<Line<'static>>) {
    if chars.len() <= width {
        out.push(to_line(chars));
        return;
    }
    let mut row: Vec<(char, Style)> = Vec::new();
    let mut i = 0;
    let mut first = true;
    while i < chars.len() {
        let limit = if first { width } else { width - indent };
        let remaining = &chars[i..];
        if remaining.len() <= limit {
            row.extend_from_slice(remaining);
            break;
        }
        // The last space within the limit breaks the line.
        let cut = remaining[..=limit]
            .iter()
            .rposition(|(c, _)| *c == ' ')
            .filter(|p| remaining[..*p].iter().any(|(c, _)| *c != ' '));
        let (take, skip) = match cut {
            Some(p) => (p, p + 1),
            None => {
                // One word fills the line. An address is shortened, never
                // broken: a broken address can be neither read nor copied.
                let spaces = remaining.iter().take_while(|(c, _)| *c == ' ').count();
                let word = remaining[spaces..]
                    .iter()
                    .position(|(c, _)| *c == ' ')
                    .map_or(remaining.len(), |p| spaces + p);
                let lead = remaining[..word]
                    .iter()
                    .take_while(|(c, _)| !c.is_ascii_alphanumeric())
                    .count();
                if is_url_start(&remaining[lead..word]) {
                    let style = remaining[lead].1;
                    let url: String = remaining[lead..word].iter().map(|(c, _)| *c).collect();
                    row.extend_from_slice(&remaining[..lead]);
                    let room = limit.saturating_sub(lead);
                    row.extend(shorten_url(&url, room).chars().map(|c| (c, style)));
                    if word < remaining.len() {
                        out.push(to_line(&row));
                        row.clear();
                        row.extend(std::iter::repeat_n((' ', Style::default()), indent));
                    }
                    i += word;
                    while i < chars.len() && chars[i].0 == ' ' {
                        i += 1;
                    }
                    first = false;
                    continue;
                }
                (limit, limit)
            }
        };
        row.extend_from_slice(&remaining[..take]);
        out.push(to_line(&row));
        row.clear();
        row.extend(std::iter::repeat_n((' ', Style::default()), indent));
        i += skip;
        while i < chars.len() && chars[i].0 == ' ' {
            i += 1;
        }
        first = false;
    }
    if row.iter().any(|(c, _)| *c != ' ') || first {
        out.push(to_line(&row));
    }
}

/// An address in at most `width` columns: whole when it fits, otherwise
/// its start (scheme and host) and its end with "…" between, so it stays
/// recognisable on one line; `y` copies the whole address.
pub fn shorten_url(url: &str, width: usize) -> String {
    let n = url.chars().count();
    if n <= width {
        return url.to_string();
    }
    if width < 2 {
        return "…".chars().take(width).collect();
    }
    let keep = width - 1;
    let head = keep.div_ceil(2);
    let tail = keep - head;
    let start: String = url.chars().take(head).collect();
    let end: String = url.chars().skip(n - tail).collect();
    format!("{start}…{end}")
}

fn to_line(chars: &[(char, Style)]) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut cur = String::new();
    let mut style = None;
    for (c, s) in chars {
        if style != Some(*s) && !cur.is_empty() {
            spans.push(Span::styled(
                std::mem::take(&mut cur),
                style.unwrap_or_default(),
            ));
        }
        style = Some(*s);
        cur.push(*c);
    }
    if !cur.is_empty() {
        spans.push(Span::styled(cur, style.unwrap_or_default()));
    }
    Line::from(spans)
}

/// A bordered pane whose text wraps with a hanging indent and scrolls:
/// `scroll` lines are skipped (clamped to what there is), and the bottom
/// border says when more is above or below. Returns the scroll used and
/// the first wrapped line of each input line.
pub fn scroll_pane(
    f: &mut ratatui::Frame,
    area: ratatui::layout::Rect,
    block: ratatui::widgets::Block<'_>,
    lines: &[Line<'_>],
    scroll: u16,
    t: &crate::ui::theme::Theme,
) -> (u16, Vec<usize>) {
    let inner = block.inner(area);
    let (wrapped, starts) = wrap(lines, usize::from(inner.width));
    let height = usize::from(inner.height);
    let max = wrapped.len().saturating_sub(height);
    let offset = usize::from(scroll).min(max);
    let mut block = block;
    let below = offset < max;
    let above = offset > 0;
    if let Some(sign) = more_sign(above, below, true) {
        block = block.title_bottom(Line::styled(sign, t.warning()).right_aligned());
    }
    let visible: Vec<Line<'static>> = wrapped.into_iter().skip(offset).take(height).collect();
    f.render_widget(ratatui::widgets::Paragraph::new(visible).block(block), area);
    (u16::try_from(offset).unwrap_or(u16::MAX), starts)
}

/// A bordered pane of wrapped text that does not scroll: when it has more
/// than it shows, the bottom border says so and where the rest is
/// (`elsewhere`, e.g. "o lists the pages").
pub fn text_pane(
    f: &mut ratatui::Frame,
    area: ratatui::layout::Rect,
    block: ratatui::widgets::Block<'_>,
    lines: &[Line<'_>],
    elsewhere: &str,
    t: &crate::ui::theme::Theme,
) {
    let inner = block.inner(area);
    let (wrapped, _) = wrap(lines, usize::from(inner.width));
    let height = usize::from(inner.height);
    let mut block = block;
    if wrapped.len() > height {
        block = block.title_bottom(
            Line::styled(format!(" ↓ more: {elsewhere} "), t.warning()).right_aligned(),
        );
    }
    let visible: Vec<Line<'static>> = wrapped.into_iter().take(height).collect();
    f.render_widget(ratatui::widgets::Paragraph::new(visible).block(block), area);
}

/// The "more" sign a pane's bottom border carries when it has more above
/// or below than it shows.
pub fn more_sign(above: bool, below: bool, keys: bool) -> Option<&'static str> {
    match (above, below, keys) {
        (true, true, true) => Some(" ↑↓ more: PgUp/PgDn "),
        (false, true, true) => Some(" ↓ more: PgDn "),
        (true, false, true) => Some(" ↑ more: PgUp "),
        (true, true, false) => Some(" ↑↓ more "),
        (false, true, false) => Some(" ↓ more "),
        (true, false, false) => Some(" ↑ more "),
        (false, false, _) => None,
    }
}

/// A list for [`list_pane`]: `head` lines (a hint) stay at the top and
/// `foot` lines (totals, what the list leaves out) under the rows; rows
/// wrap at `indent` (the column where a row's text starts after its
/// marks).
pub struct List<'a> {
    pub head: Vec<Line<'a>>,
    pub rows: Vec<Line<'a>>,
    pub foot: Vec<Line<'a>>,
    pub selected: usize,
    pub indent: usize,
}

struct ListLayout {
    head: Vec<Line<'static>>,
    foot: Vec<Line<'static>>,
    wrapped: Vec<Line<'static>>,
    starts: Vec<usize>,
    offset: usize,
    room: usize,
}

/// Where a list's rows fall in a pane's inside of `width`×`height`: one
/// answer for drawing and for the mouse.
fn layout(list: &List<'_>, width: u16, height: u16) -> ListLayout {
    let width = usize::from(width);
    let (head, _) = wrap(&list.head, width);
    let (foot, _) = wrap(&list.foot, width);
    let (wrapped, starts) = wrap_hanging(&list.rows, width, list.indent);
    let room = usize::from(height).saturating_sub(head.len() + foot.len());
    let first = starts.get(list.selected).copied().unwrap_or(0);
    let last = starts
        .get(list.selected + 1)
        .copied()
        .unwrap_or(wrapped.len());
    let offset = last.saturating_sub(room).min(first);
    ListLayout {
        head,
        foot,
        wrapped,
        starts,
        offset,
        room,
    }
}

/// The row of a [`List`] drawn at line `y` of a pane's inside of
/// `width`×`height` (a click), if any.
pub fn list_row_at(list: &List<'_>, width: u16, height: u16, y: u16) -> Option<usize> {
    let l = layout(list, width, height);
    let line = usize::from(y).checked_sub(l.head.len())?;
    if line >= l.room {
        return None;
    }
    let line = line + l.offset;
    if line >= l.wrapped.len() {
        return None;
    }
    l.starts.iter().rposition(|s| *s <= line)
}

/// Draw a [`List`] in a bordered pane, scrolled to keep the selected row
/// in view, with a "more" sign on the bottom border when rows are out of
/// view. Returns where the selected row starts on screen.
pub fn list_pane(
    f: &mut ratatui::Frame,
    area: ratatui::layout::Rect,
    block: ratatui::widgets::Block<'_>,
    list: &List<'_>,
    t: &crate::ui::theme::Theme,
) -> ratatui::layout::Position {
    let inner = block.inner(area);
    let ListLayout {
        head,
        foot,
        wrapped,
        starts,
        offset,
        room,
    } = layout(list, inner.width, inner.height);
    let first = starts.get(list.selected).copied().unwrap_or(0);
    let above = offset > 0;
    let below = offset + room < wrapped.len();
    let mut block = block;
    if let Some(sign) = more_sign(above, below, false) {
        block = block.title_bottom(Line::styled(sign, t.warning()).right_aligned());
    }
    let mut shown = head.clone();
    shown.extend(wrapped.into_iter().skip(offset).take(room));
    shown.extend(foot);
    f.render_widget(ratatui::widgets::Paragraph::new(shown).block(block), area);
    let y = head.len() + first.saturating_sub(offset);
    ratatui::layout::Position::new(
        inner.x,
        inner.y
            + u16::try_from(y)
                .unwrap_or(0)
                .min(inner.height.saturating_sub(1)),
    )
}

#[cfg(test)]
mod wrap_tests {
    use super::*;

    fn text(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn wraps_at_spaces_with_a_hanging_indent() {
        let (out, starts) = wrap(
            &[
                Line::from("• No P2 row for: Linux (40 devices), iOS (200 devices)"),
                Line::from("short"),
            ],
            24,
        );
        assert_eq!(
            text(&out),
            vec![
                "• No P2 row for: Linux",
                "  (40 devices), iOS (200",
                "  devices)",
                "short"
            ]
        );
        assert_eq!(starts, vec![0, 3]);
    }

    #[test]
    fn long_words_are_broken_and_nothing_is_lost() {
        let word = "Supercalifragilisticexpialidocious-and-then-some";
        let (out, _) = wrap(&[Line::from(word)], 20);
        assert_eq!(text(&out).concat(), word);
    }

    #[test]
    fn an_address_is_never_broken_only_shortened_in_the_middle() {
        let url =
            "https://learn.microsoft.com/defender-endpoint/defender-endpoint-trial-user-guide";
        let (out, _) = wrap(&[Line::from(format!("Source: {url}"))], 40);
        assert_eq!(
            text(&out),
            vec!["Source:", "https://learn.micros…nt-trial-user-guide"]
        );
        assert!(out.iter().all(|l| l.width() <= 40));
        // In parentheses, inside a sentence, with a hanging indent.
        let (out, _) = wrap(&[Line::from(format!("• See ({url}) for more."))], 30);
        assert_eq!(
            text(&out),
            vec!["• See", "  (https://learn…l-user-guide)", "  for more."]
        );
        // One that fits moves to the next line whole.
        let (out, _) = wrap(&[Line::from("Open https://aka.ms/mdatp now")], 22);
        assert_eq!(text(&out), vec!["Open", "https://aka.ms/mdatp", "now"]);
    }

    #[test]
    fn an_indented_address_is_not_broken_either() {
        let url =
            "https://learn.microsoft.com/microsoft-365/security/defender-endpoint/portal-overview";
        let (out, _) = wrap(&[Line::from(format!("  {url}"))], 50);
        assert_eq!(
            text(&out),
            vec!["  https://learn.microsoft.…ndpoint/portal-overview"]
        );
    }

    #[test]
    fn shorten_url_keeps_both_ends() {
        assert_eq!(
            shorten_url("https://aka.ms/mdatp", 40),
            "https://aka.ms/mdatp"
        );
        assert_eq!(shorten_url("https://aka.ms/mdatp", 11), "https…mdatp");
        assert_eq!(shorten_url("https://aka.ms/mdatp", 11).chars().count(), 11);
    }

    #[test]
    fn list_rows_hang_at_the_given_indent() {
        let (out, starts) = wrap_hanging(
            &[Line::from(
                " › ○ 1. Portal access  Grant access to the portal for the team",
            )],
            44,
            22,
        );
        assert_eq!(
            text(&out),
            vec![
                " › ○ 1. Portal access  Grant access to the",
                "                      portal for the team",
            ]
        );
        assert_eq!(starts, vec![0]);
    }

    #[test]
    fn option_marks_hang_too() {
        let (out, _) = wrap(
            &[Line::from("  ( ) Role-based access control (recommended)")],
            34,
        );
        assert_eq!(
            text(&out),
            vec!["  ( ) Role-based access control", "      (recommended)"]
        );
    }
}
