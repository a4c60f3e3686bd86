//! One place that makes text from files and users safe to show: control
//! characters (C0, DEL, C1), escape sequences and bidirectional overrides are
//! removed before anything reaches a terminal, a report or the command line.

use std::borrow::Cow;

/// True for characters that must never reach a terminal from user data.
fn is_hostile(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        || matches!(c, '\u{FEFF}')
}

/// Clean one line of text: hostile characters dropped, tabs and line breaks
/// become spaces.
pub fn line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_hostile(c) || c == '\t') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .filter_map(|c| match c {
                '\t' | '\n' | '\r' => Some(' '),
                c if is_hostile(c) => None,
                c => Some(c),
            })
            .collect(),
    )
}

/// Clean multi-line text: like [`line`] but keeps line breaks (`\n`).
pub fn text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| (is_hostile(c) && c != '\n') || c == '\t') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .filter_map(|c| match c {
                '\n' => Some('\n'),
                '\t' => Some(' '),
                c if is_hostile(c) => None,
                c => Some(c),
            })
            .collect(),
    )
}

/// Does the text carry anything [`line`] would remove (other than tabs)?
pub fn has_hostile(s: &str) -> bool {
    s.chars().any(is_hostile)
}

/// Shorten to at most `max` characters, marking the cut with "…".
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    if s.chars().count() <= max {
        return Cow::Borrowed(s);
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_lose_their_escape() {
        let s = "a\x1b]52;c;ZXZpbA==\x07b\x1b[2Jc\u{202E}d\u{9b}e";
        let cleaned = line(s);
        assert!(!cleaned.contains('\x1b'));
        assert!(!cleaned.contains('\x07'));
        assert!(!cleaned.contains('\u{202E}'));
        assert!(!cleaned.contains('\u{9b}'));
        assert_eq!(cleaned, "a]52;c;ZXZpbA==b[2Jcde");
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(line("Contoso plan"), Cow::Borrowed(_)));
        assert_eq!(text("a\nb\tc"), "a\nb c");
        assert_eq!(line("a\nb"), "a b");
    }

    #[test]
    fn truncate_marks_the_cut() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
    }
}
