//! Keys → actions, from one table per context. The footer and the help
//! overlay are drawn from the same tables, so what the screen says a key
//! does is what it does.

use super::action::Action;

/// A key, independent of the terminal library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Up,
    Down,
    Left,
    Right,
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Home,
    End,
    PageUp,
    PageDown,
}

/// Where the keys are read: decides which table applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Plans,
    NewPlan,
    Overview,
    Step,
    Proxy,
    Summary,
    Help,
    Choice,
    Text,
    Links,
    Export,
    Url,
    Confirm,
    /// Replace, merge or cancel an import over a non-empty estate.
    ImportChoice,
    /// Choosing an item's state.
    State,
    /// A save refused because the plan changed on disk: reload or copy.
    SaveConflict,
    Systems,
    Roles,
    Templates,
    RoleEdit,
}

impl Context {
    /// In these contexts printable keys are typed text, not commands.
    pub fn is_typing(self) -> bool {
        matches!(self, Context::NewPlan | Context::Text | Context::RoleEdit)
    }
}

/// One row of a key table.
pub struct Binding {
    pub keys: &'static [Key],
    /// How the keys are written in the footer and help ("j/↓").
    pub label: &'static str,
    pub help: &'static str,
    pub action: Action,
    /// A word or two for the one-line footer; `None`: help overlay only.
    pub footer: Option<&'static str>,
}

const fn b(
    keys: &'static [Key],
    label: &'static str,
    help: &'static str,
    action: Action,
    footer: Option<&'static str>,
) -> Binding {
    Binding {
        keys,
        label,
        help,
        action,
        footer,
    }
}

use Key::{
    BackTab, Backspace, Ctrl, Delete, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right,
    Tab, Up,
};
const fn c(ch: char) -> Key {
    Key::Char(ch)
}

#[rustfmt::skip]
static MOVE: &[Binding] = &[
    b(&[Up, c('k')], "↑/k", "move up", Action::Up, None),
    b(&[Down, c('j')], "↓/j", "move down", Action::Down, None),
    b(&[Home, c('g')], "Home/g", "go to the first row", Action::Home, None),
    b(&[End, c('G')], "End/G", "go to the last row", Action::End, None),
    b(&[PageUp], "PgUp", "page up", Action::PageUp, None),
    b(&[PageDown], "PgDn", "page down", Action::PageDown, None),
];

#[rustfmt::skip]
static GLOBAL: &[Binding] = &[
    b(&[c('?')], "?", "show or hide this help", Action::Help, Some("help")),
    b(&[c('m')], "m", "switch mouse capture (off lets the terminal select text)", Action::ToggleMouse, None),
    b(&[c('q')], "q", "quit (everything is already saved)", Action::Quit, Some("quit")),
];

#[rustfmt::skip]
static ALWAYS: &[Binding] = &[
    b(&[Ctrl('c')], "Ctrl-C", "quit at once (all saved; text being typed kept as a draft)", Action::Quit, None),
    b(&[Ctrl('z')], "Ctrl-Z", "suspend to the shell (fg comes back)", Action::Suspend, None),
];

#[rustfmt::skip]
static PLANS: &[Binding] = &[
    b(&[Enter], "Enter", "open the selected plan where you left it", Action::Select, Some("open")),
    b(&[c('c'), c('N')], "c", "create a new plan", Action::Create, Some("new")),
    b(&[c('r')], "r", "rename the selected plan", Action::Rename, Some("rename")),
    b(&[c('d'), Delete], "d", "delete the selected plan (asks first)", Action::Delete, Some("delete")),
    b(&[c('/')], "/", "filter the list by name or organisation", Action::Filter, Some("filter")),
    b(&[c('u')], "u", "restore the plan just deleted", Action::Undo, None),
    b(&[Esc], "Esc", "clear the filter", Action::Back, None),
];

#[rustfmt::skip]
static NEW_PLAN: &[Binding] = &[
    b(&[Tab, Down], "Tab/↓", "next field", Action::NextField, Some("next field")),
    b(&[BackTab, Up], "S-Tab/↑", "previous field", Action::PrevField, Some("previous")),
    b(&[Left], "←", "caret left; on the guide: previous guide", Action::Left, None),
    b(&[Right], "→", "caret right; on the guide: next guide", Action::Right, None),
    b(&[Enter], "Enter", "next field; on the last field: create the plan", Action::Select, Some("next / create")),
    b(&[Esc], "Esc", "back to the plans (asks before discarding a typed name)", Action::Back, Some("back")),
    b(&[Backspace], "Bksp", "delete the character before the caret", Action::Backspace, None),
    b(&[Ctrl('u')], "Ctrl-U", "clear the field", Action::ClearField, None),
];

#[rustfmt::skip]
static PLAN_NAV: &[Binding] = &[
    b(&[c('n')], "n", "next step", Action::NextStep, Some("next")),
    b(&[c('p')], "p", "previous step", Action::PrevStep, Some("prev")),
    b(&[c('s')], "s", "operating systems in the estate", Action::Systems, None),
    b(&[c('x')], "x", "export a report (Markdown, HTML, JSON)", Action::Export, None),
    b(&[c('i')], "i", "import the estate from a device inventory CSV", Action::Import, None),
    b(&[Esc], "Esc", "back (answers are kept)", Action::Back, None),
];

#[rustfmt::skip]
static OVERVIEW: &[Binding] = &[
    b(&[Enter], "Enter", "open the selected step", Action::Select, Some("open step")),
    b(&[c('o')], "o", "list the guide's pages: the guide, what it applies to, the migration process, Phases 2 and 3", Action::Open, Some("guide pages")),
    b(&[c('y')], "y", "copy one of their addresses", Action::Copy, None),
];

#[rustfmt::skip]
static STEP: &[Binding] = &[
    b(&[PageUp], "PgUp", "scroll the details up", Action::PageUp, None),
    b(&[PageDown], "PgDn", "scroll the details down", Action::PageDown, None),
    b(&[c(' ')], "Space", "tasks: done or to do; others: answer", Action::Toggle, Some("done/to do")),
    b(&[Enter], "Enter", "answer: choose, type or open the list", Action::Select, Some("answer")),
    b(&[c('a')], "a", "mark not applicable, with a reason (again to undo)", Action::NotApplicable, Some("n/a")),
    b(&[c('e')], "e", "edit the note", Action::EditNote, Some("note")),
    b(&[c('t')], "t", "state: to do, done, not applicable, blocked or waiting", Action::State, None),
    b(&[c('w')], "w", "who owns the item", Action::Owner, None),
    b(&[c('d')], "d", "due date (YYYY-MM-DD)", Action::Due, None),
    b(&[c('o')], "o", "open the guidance page", Action::Open, Some("open")),
    b(&[c('y')], "y", "copy the guidance address", Action::Copy, None),
];

#[rustfmt::skip]
static PROXY: &[Binding] = &[
    b(&[Tab], "Tab", "switch between the lookup and this estate's guides", Action::NextField, Some("switch pane")),
    b(&[BackTab], "S-Tab", "switch back", Action::PrevField, None),
    b(&[Left, c('h')], "←/h", "lookup: previous plan or capability", Action::Left, None),
    b(&[Right, c('l')], "→/l", "lookup: next plan or capability", Action::Right, None),
    b(&[c(' '), Enter], "Space", "estate guides: mark reviewed (again to undo)", Action::Toggle, Some("reviewed")),
    b(&[c('a')], "a", "mark the review not applicable, with a reason", Action::NotApplicable, None),
    b(&[c('e')], "e", "edit the note", Action::EditNote, None),
    b(&[c('t')], "t", "state of the review: to do, blocked, waiting…", Action::State, None),
    b(&[c('w')], "w", "who owns the review", Action::Owner, None),
    b(&[c('d')], "d", "due date of the review (YYYY-MM-DD)", Action::Due, None),
    b(&[c('o')], "o", "open the guide", Action::Open, Some("open link")),
    b(&[c('y')], "y", "copy its address", Action::Copy, None),
];

#[rustfmt::skip]
static SUMMARY: &[Binding] = &[
    b(&[Enter], "Enter", "go to the selected open item", Action::Select, Some("go there")),
    b(&[c('o')], "o", "list the pages of Phase 2 (Set up) and Phase 3 (Onboard)", Action::Open, Some("Phase 2/3 pages")),
    b(&[c('y')], "y", "copy a Phase 2 or Phase 3 address", Action::Copy, None),
    b(&[c('x')], "x", "export a report", Action::Export, Some("export")),
];

#[rustfmt::skip]
static HELP: &[Binding] = &[
    b(&[Esc, c('?'), c('q'), Enter], "Esc/?", "close the help", Action::Back, Some("close")),
    b(&[Up, c('k')], "↑/k", "scroll up", Action::Up, None),
    b(&[Down, c('j')], "↓/j", "scroll down", Action::Down, None),
];

#[rustfmt::skip]
static CHOICE: &[Binding] = &[
    b(&[Enter, c(' ')], "Enter", "choose this answer", Action::Select, Some("choose")),
    b(&[c('a')], "a", "not applicable (asks why)", Action::NotApplicable, None),
    b(&[c('o')], "o", "open this option's guide", Action::Open, None),
    b(&[Esc], "Esc", "close (the answer stays as it was)", Action::Back, Some("back")),
];

#[rustfmt::skip]
static STATE: &[Binding] = &[
    b(&[Enter, c(' ')], "Enter", "set this state (not applicable and blocked ask why)", Action::Select, Some("set")),
    b(&[Esc], "Esc", "close (the state stays as it was)", Action::Back, Some("back")),
];

#[rustfmt::skip]
static TEXT: &[Binding] = &[
    b(&[Enter], "Enter", "keep the text", Action::Select, Some("keep")),
    b(&[Esc], "Esc", "cancel the edit (the saved text stays as it was)", Action::Back, Some("cancel")),
    b(&[Ctrl('u')], "Ctrl-U", "clear", Action::ClearField, Some("clear")),
    b(&[Left], "←", "caret left", Action::Left, None),
    b(&[Right], "→", "caret right", Action::Right, None),
    b(&[Home], "Home", "start of the text", Action::Home, None),
    b(&[End], "End", "end of the text", Action::End, None),
    b(&[Backspace], "Bksp", "delete before the caret", Action::Backspace, None),
    b(&[Delete], "Del", "delete at the caret", Action::DeleteChar, None),
];

#[rustfmt::skip]
static LINKS: &[Binding] = &[
    b(&[Enter, c('o')], "Enter/o", "open the selected page", Action::Open, Some("open")),
    b(&[c('y')], "y", "copy its address", Action::Copy, Some("copy")),
    b(&[Esc], "Esc", "close", Action::Back, Some("close")),
];

#[rustfmt::skip]
static EXPORT: &[Binding] = &[
    b(&[Enter], "Enter", "write the report in the selected format", Action::Select, Some("write")),
    b(&[Esc], "Esc", "close without writing", Action::Back, Some("close")),
];

#[rustfmt::skip]
static URL: &[Binding] = &[
    b(&[c('y')], "y", "copy the address (OSC 52)", Action::Copy, Some("copy")),
    b(&[Esc, Enter, c('q')], "Esc", "close", Action::Back, Some("close")),
];

#[rustfmt::skip]
static CONFIRM: &[Binding] = &[
    b(&[c('y'), c('Y')], "y", "yes", Action::Yes, Some("yes")),
    b(&[c('n'), Esc, Enter], "any other key", "no (Enter and Esc too)", Action::Back, Some("no")),
];

#[rustfmt::skip]
static IMPORT_CHOICE: &[Binding] = &[
    b(&[c('r')], "r", "replace the estate with the import", Action::Char('r'), Some("replace")),
    b(&[c('m')], "m", "add the import's counts to the estate", Action::Char('m'), Some("merge")),
    b(&[c('c'), Esc, Enter], "c/Esc/Enter", "cancel: keep the estate as it is", Action::Back, Some("cancel")),
];

#[rustfmt::skip]
static SAVE_CONFLICT: &[Binding] = &[
    b(&[c('r')], "r", "reload the plan from disk (asks y first: drops the answers not saved here)", Action::Char('r'), Some("reload")),
    b(&[c('c')], "c", "save these answers as a copy: a new plan, nothing overwritten", Action::Char('c'), Some("save as copy")),
    b(&[Esc, Enter], "Esc", "keep working here, not saved (quitting asks first)", Action::Back, Some("keep here")),
];

#[rustfmt::skip]
static SYSTEMS: &[Binding] = &[
    b(&[c(' '), Enter], "Space", "in the estate or not", Action::Toggle, Some("in/out")),
    b(&[ c('0'), c('1'), c('2'), c('3'), c('4'), c('5'), c('6'), c('7'), c('8'), c('9'), ], "0-9", "type a device count", Action::Char('0'), Some("count")),
    b(&[Backspace], "Bksp", "delete a digit of the count", Action::Backspace, None),
    b(&[Esc], "Esc", "close (changes are saved)", Action::Back, Some("close")),
];

#[rustfmt::skip]
static ROLES: &[Binding] = &[
    b(&[c('c')], "c", "add a role from a template", Action::Create, Some("add")),
    b(&[Enter], "Enter", "edit the selected role", Action::Select, Some("edit")),
    b(&[c('d'), Delete], "d", "remove the selected role (asks first)", Action::Delete, Some("remove")),
    b(&[c('o')], "o", "open the role-based access control guide", Action::Open, None),
    b(&[Esc], "Esc", "close (roles are saved)", Action::Back, Some("close")),
];

#[rustfmt::skip]
static TEMPLATES: &[Binding] = &[
    b(&[Enter, c(' ')], "Enter", "start a role from this template", Action::Select, Some("use")),
    b(&[Esc], "Esc", "back to the roles", Action::Back, Some("back")),
];

#[rustfmt::skip]
static ROLE_EDIT: &[Binding] = &[
    b(&[Tab], "Tab", "next field", Action::NextField, Some("next field")),
    b(&[BackTab], "S-Tab", "previous field", Action::PrevField, None),
    b(&[Up], "↑", "previous permission", Action::Up, None),
    b(&[Down], "↓", "next permission", Action::Down, None),
    b(&[c(' ')], "Space", "permissions: grant or withdraw", Action::Toggle, Some("grant/withdraw")),
    b(&[Enter], "Enter", "keep the role", Action::Select, Some("keep")),
    b(&[Esc], "Esc", "cancel the edit (the role stays as it was)", Action::Back, Some("cancel")),
    b(&[Backspace], "Bksp", "delete before the caret", Action::Backspace, None),
    b(&[Left], "←", "caret left", Action::Left, None),
    b(&[Right], "→", "caret right", Action::Right, None),
];

/// The tables that apply in a context, most specific first.
pub fn tables(ctx: Context, plan_open: bool) -> Vec<&'static [Binding]> {
    let mut t: Vec<&'static [Binding]> = Vec::new();
    let nav = |t: &mut Vec<&'static [Binding]>| {
        if plan_open {
            t.push(PLAN_NAV);
        }
        t.push(MOVE);
        t.push(GLOBAL);
    };
    match ctx {
        Context::Plans => {
            t.push(PLANS);
            t.push(MOVE);
            t.push(GLOBAL);
        }
        Context::NewPlan => t.push(NEW_PLAN),
        Context::Overview => {
            t.push(OVERVIEW);
            nav(&mut t);
        }
        Context::Step => {
            t.push(STEP);
            nav(&mut t);
        }
        Context::Proxy => {
            t.push(PROXY);
            nav(&mut t);
        }
        Context::Summary => {
            t.push(SUMMARY);
            nav(&mut t);
        }
        Context::Help => t.push(HELP),
        Context::Choice => {
            t.push(CHOICE);
            t.push(MOVE);
        }
        Context::Text => t.push(TEXT),
        Context::Links => {
            t.push(LINKS);
            t.push(MOVE);
        }
        Context::Export => {
            t.push(EXPORT);
            t.push(MOVE);
        }
        Context::Url => t.push(URL),
        Context::Confirm => t.push(CONFIRM),
        Context::ImportChoice => t.push(IMPORT_CHOICE),
        Context::State => {
            t.push(STATE);
            t.push(MOVE);
        }
        Context::SaveConflict => t.push(SAVE_CONFLICT),
        Context::Systems => {
            t.push(SYSTEMS);
            t.push(MOVE);
        }
        Context::Roles => {
            t.push(ROLES);
            t.push(MOVE);
        }
        Context::Templates => {
            t.push(TEMPLATES);
            t.push(MOVE);
        }
        Context::RoleEdit => t.push(ROLE_EDIT),
    }
    t.push(ALWAYS);
    t
}

/// The action for a key in a context, if any.
pub fn action_for(key: Key, ctx: Context, plan_open: bool) -> Option<Action> {
    for table in tables(ctx, plan_open) {
        for binding in table {
            if binding.keys.contains(&key) {
                return Some(match (&binding.action, key) {
                    (Action::Char(_), Key::Char(ch)) => Action::Char(ch),
                    (a, _) => a.clone(),
                });
            }
        }
    }
    match key {
        Key::Char(ch) if ctx.is_typing() => Some(Action::Char(ch)),
        // In a confirmation every key but `y` means no.
        _ if ctx == Context::Confirm => Some(Action::Back),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_contexts_take_letters_as_text() {
        assert_eq!(
            action_for(Key::Char('q'), Context::Text, true),
            Some(Action::Char('q'))
        );
        assert_eq!(
            action_for(Key::Char('q'), Context::Step, true),
            Some(Action::Quit)
        );
        assert_eq!(
            action_for(Key::Ctrl('c'), Context::Text, true),
            Some(Action::Quit)
        );
    }

    #[test]
    fn step_keys_follow_the_table() {
        assert_eq!(
            action_for(Key::Char('j'), Context::Step, true),
            Some(Action::Down)
        );
        assert_eq!(
            action_for(Key::Char('n'), Context::Step, true),
            Some(Action::NextStep)
        );
        assert_eq!(action_for(Key::Char('n'), Context::Plans, false), None);
        assert_eq!(
            action_for(Key::Char('7'), Context::Systems, true),
            Some(Action::Char('7'))
        );
    }

    /// Every context. The match makes adding a context without adding it
    /// here a compile error.
    const ALL: [Context; 20] = [
        Context::Plans,
        Context::NewPlan,
        Context::Overview,
        Context::Step,
        Context::Proxy,
        Context::Summary,
        Context::Help,
        Context::Choice,
        Context::Text,
        Context::Links,
        Context::Export,
        Context::Url,
        Context::Confirm,
        Context::ImportChoice,
        Context::SaveConflict,
        Context::Systems,
        Context::Roles,
        Context::Templates,
        Context::RoleEdit,
        Context::State,
    ];

    #[test]
    fn all_lists_every_context() {
        for (i, ctx) in ALL.iter().enumerate() {
            let at = match ctx {
                Context::Plans => 0,
                Context::NewPlan => 1,
                Context::Overview => 2,
                Context::Step => 3,
                Context::Proxy => 4,
                Context::Summary => 5,
                Context::Help => 6,
                Context::Choice => 7,
                Context::Text => 8,
                Context::Links => 9,
                Context::Export => 10,
                Context::Url => 11,
                Context::Confirm => 12,
                Context::ImportChoice => 13,
                Context::SaveConflict => 14,
                Context::Systems => 15,
                Context::Roles => 16,
                Context::Templates => 17,
                Context::RoleEdit => 18,
                Context::State => 19,
            };
            assert_eq!(i, at, "{ctx:?}");
        }
    }

    #[test]
    fn every_binding_has_help_and_the_footer_has_words() {
        for ctx in ALL {
            for open in [false, true] {
                let tables = tables(ctx, open);
                for b in tables.iter().flat_map(|t| t.iter()) {
                    assert!(!b.help.is_empty() && !b.label.is_empty(), "{ctx:?}");
                    assert!(!b.keys.is_empty(), "{ctx:?} {}", b.label);
                }
                assert!(
                    tables
                        .iter()
                        .flat_map(|t| t.iter())
                        .any(|b| b.footer.is_some()),
                    "{ctx:?}: nothing in the footer"
                );
            }
        }
    }

    #[test]
    fn what_the_help_lists_is_what_the_keys_do() {
        // A binding whose every key an earlier table takes would be shown
        // in the help and the footer but never happen.
        for ctx in ALL {
            for open in [false, true] {
                for b in tables(ctx, open).iter().flat_map(|t| t.iter()) {
                    let reached = b.keys.iter().any(|k| {
                        let got = action_for(*k, ctx, open);
                        match (&b.action, got) {
                            (Action::Char(_), Some(Action::Char(_))) => true,
                            (a, Some(g)) => *a == g,
                            (_, None) => false,
                        }
                    });
                    assert!(
                        reached,
                        "{ctx:?} (plan open: {open}): {} is shadowed",
                        b.label
                    );
                }
            }
        }
    }

    #[test]
    fn ctrl_c_quits_and_esc_goes_back_everywhere() {
        for ctx in ALL {
            assert_eq!(
                action_for(Key::Ctrl('c'), ctx, true),
                Some(Action::Quit),
                "{ctx:?}"
            );
            assert_eq!(
                action_for(Key::Esc, ctx, true),
                Some(Action::Back),
                "{ctx:?}"
            );
        }
    }

    #[test]
    fn only_y_confirms() {
        for key in [
            Key::Enter,
            Key::Esc,
            Key::Char('n'),
            Key::Char('d'),
            Key::Char(' '),
            Key::Char('q'),
            Key::Up,
            Key::Down,
            Key::Tab,
        ] {
            assert_eq!(
                action_for(key, Context::Confirm, true),
                Some(Action::Back),
                "{key:?}"
            );
        }
        assert_eq!(
            action_for(Key::Char('y'), Context::Confirm, true),
            Some(Action::Yes)
        );
        // Nowhere else does Enter or Esc mean yes.
        for ctx in ALL {
            for key in [Key::Enter, Key::Esc] {
                assert_ne!(action_for(key, ctx, true), Some(Action::Yes), "{ctx:?}");
            }
        }
    }

    #[test]
    fn typing_contexts_take_every_letter_as_text() {
        for ctx in ALL.into_iter().filter(|c| c.is_typing()) {
            for ch in ['q', 'y', 'd', 'n', 'a', '?', 'x', 'm'] {
                assert_eq!(
                    action_for(Key::Char(ch), ctx, true),
                    Some(Action::Char(ch)),
                    "{ctx:?} {ch}"
                );
            }
        }
        // And the others take none of them as text, except where digits
        // are a count (the estate's systems) or letters a choice (import).
        for ctx in ALL.into_iter().filter(|c| !c.is_typing()) {
            let text = action_for(Key::Char('q'), ctx, true);
            assert!(!matches!(text, Some(Action::Char(_))), "{ctx:?}");
        }
    }
}
