//! One place that makes text from files and users safe to show: control
//! characters (C0, DEL, C1), escape sequences and bidirectional overrides are
//! removed before anything reaches a terminal, a report or the command line.

use std::borrow::Cow;
use std::path::Path;

/// True for characters that must never reach a terminal from user data:
/// controls (C0, DEL, C1), bidirectional marks and overrides, and the
/// invisible zero-width characters that make two names look alike.
fn is_hostile(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// A path as it may be shown: [`line`] over its lossy text, so a file name
/// with an override or a zero-width character is shown without it.
pub fn path(p: &Path) -> String {
    line(&p.to_string_lossy()).into_owned()
}

/// Clean every string (and every object key) of a JSON value in place, with
/// [`text`]: line breaks are kept (JSON escapes them), everything else
/// hostile is removed, so not even a `\u001b` escape reaches a reader.
pub fn json(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::String(s) => {
            if let Cow::Owned(clean) = text(s) {
                *s = clean;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(json),
        Value::Object(map) => {
            let entries = std::mem::take(map);
            for (k, mut value) in entries {
                json(&mut value);
                map.insert(text(&k).into_owned(), value);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
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
    fn invisible_characters_and_paths_are_cleaned() {
        assert_eq!(line("a\u{200B}b\u{2060}c\u{061C}d"), "abcd");
        let p = Path::new("/tmp/pla\u{202E}n\u{200B}s/x.md");
        assert_eq!(path(p), "/tmp/plans/x.md");
    }

    #[test]
    fn json_strings_and_keys_are_cleaned() {
        let mut v = serde_json::json!({
            "k\u{1b}]0;t\u{7}": ["a\u{1b}[2J\nb", {"n": "\u{202E}x"}], "m": 1
        });
        json(&mut v);
        let out = serde_json::to_string(&v).unwrap_or_default();
        assert_eq!(out, r#"{"k]0;t":["a[2J\nb",{"n":"x"}],"m":1}"#);
    }

    #[test]
    fn truncate_marks_the_cut() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
    }
}
