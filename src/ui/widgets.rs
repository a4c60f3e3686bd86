//! Small shared pieces: the one-line text field. State and editing only;
//! drawing is in [`crate::ui`].

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
