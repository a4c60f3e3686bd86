//! The event loop: draw → event → action → update → effects. Owns the
//! terminal; the wizard's logic and the effects' work live elsewhere.

use std::collections::VecDeque;
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

use ratatui::crossterm::event::{
    self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};

use crate::catalog::Catalog;
use crate::effects::Runner;
use crate::links;
use crate::store::Store;
use crate::terminal::{self, Tui};
use crate::ui::{self, theme::Theme};
use crate::wizard::{Action, Effect, Key, Wizard};

/// How often the loop wakes without input to look for signals and results
/// from the browser thread. It draws nothing when nothing changed.
const WAKE: Duration = Duration::from_millis(200);

/// The current time, RFC 3339 UTC to the second.
pub fn now() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

pub struct Options {
    pub mouse: bool,
    pub theme: Theme,
}

/// A crossterm key as the wizard's [`Key`].
pub fn key_of(k: &KeyEvent) -> Option<Key> {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    Some(match k.code {
        KeyCode::Char(c) if ctrl => Key::Ctrl(c.to_ascii_lowercase()),
        KeyCode::Char(c) => Key::Char(c),
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::Left => Key::Left,
        KeyCode::Right => Key::Right,
        KeyCode::Enter => Key::Enter,
        KeyCode::Esc => Key::Esc,
        KeyCode::Tab if k.modifiers.contains(KeyModifiers::SHIFT) => Key::BackTab,
        KeyCode::Tab => Key::Tab,
        KeyCode::BackTab => Key::BackTab,
        KeyCode::Backspace => Key::Backspace,
        KeyCode::Delete => Key::Delete,
        KeyCode::Home => Key::Home,
        KeyCode::End => Key::End,
        KeyCode::PageUp => Key::PageUp,
        KeyCode::PageDown => Key::PageDown,
        _ => return None,
    })
}

fn action_of(ev: &Event, w: &Wizard) -> Option<Action> {
    match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => key_of(k).and_then(|key| w.key(key)),
        Event::Mouse(m) if w.mouse => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
                column: m.column,
                row: m.row,
            }),
            MouseEventKind::ScrollUp => Some(Action::ScrollUp),
            MouseEventKind::ScrollDown => Some(Action::ScrollDown),
            _ => None,
        },
        Event::Resize(width, height) => Some(Action::Resize {
            width: *width,
            height: *height,
        }),
        _ => None,
    }
}

/// Run the full-screen wizard until the operator quits or a signal comes.
pub fn run(catalog: &'static Catalog, store: Store, opts: Options) -> anyhow::Result<()> {
    let signals = terminal::signals()?;
    let mut tui = Tui::init(opts.mouse)?;
    let (tx, rx) = mpsc::channel();
    let mut runner = Runner::new(catalog, store, links::Env::current(), tx);
    let mut wizard = Wizard::new(catalog, opts.mouse);
    let size = tui.terminal.size()?;
    wizard.update(
        Action::Resize {
            width: size.width,
            height: size.height,
        },
        &now(),
    );
    let hyperlinks = links::hyperlinks_supported();
    let mut linked = ui::hyperlink::Linked::default();
    let mut pending: VecDeque<Effect> = wizard.start().into();
    let mut dirty = true;
    loop {
        let mut quit = false;
        while let Some(effect) = pending.pop_front() {
            dirty = true;
            match effect {
                Effect::Quit => quit = true,
                Effect::Suspend => {
                    tui.suspend()?;
                    signals.take_cont();
                    linked.forget();
                }
                Effect::SetMouse(on) => tui.set_mouse(on)?,
                Effect::Copy(text) => tui.write_raw(links::osc52(&text).as_bytes())?,
                other => {
                    let t = now();
                    if let Some(result) = runner.run(other, &wizard, &t) {
                        pending.extend(wizard.update(result, &t));
                    }
                }
            }
        }
        if quit {
            break;
        }
        if signals.quit() {
            leave(&mut runner, &mut wizard);
            break;
        }
        if signals.take_stop() {
            // SIGTSTP from outside (kill -TSTP, a job-control shell).
            tui.suspend()?;
            signals.take_cont();
            linked.forget();
            dirty = true;
        }
        if signals.take_cont() {
            // Continued after a stop we did not make: take the screen again.
            tui.resume()?;
            linked.forget();
            dirty = true;
        }
        if dirty {
            let drawn = tui
                .terminal
                .draw(|f| ui::draw(f, &wizard, &opts.theme))
                .map(|frame| {
                    if hyperlinks {
                        let spots = ui::hyperlink::spots(frame.buffer, catalog);
                        ui::hyperlink::overlay(&linked.fresh(frame.area, spots))
                    } else {
                        String::new()
                    }
                });
            let drawn = drawn.and_then(|links| {
                if links.is_empty() {
                    Ok(())
                } else {
                    tui.write_raw(links.as_bytes())
                }
            });
            if drawn.is_err() {
                // The terminal took no output: it is gone. Save and leave.
                leave(&mut runner, &mut wizard);
                break;
            }
            dirty = false;
        }
        let ready = match terminal::wait_input(WAKE) {
            terminal::Input::Gone => {
                leave(&mut runner, &mut wizard);
                break;
            }
            terminal::Input::Ready => event::poll(Duration::ZERO),
            terminal::Input::Idle => {
                // A resize reaches crossterm as a signal, not as input.
                if let Ok((width, height)) = ratatui::crossterm::terminal::size()
                    && (width, height) != wizard.size
                {
                    pending.extend(wizard.update(Action::Resize { width, height }, &now()));
                    dirty = true;
                }
                Ok(false)
            }
            terminal::Input::Unknown => event::poll(WAKE),
        };
        let mut ready = match ready {
            Ok(r) => r,
            Err(_) => {
                leave(&mut runner, &mut wizard);
                break;
            }
        };
        while ready {
            let Ok(ev) = event::read() else {
                leave(&mut runner, &mut wizard);
                return Ok(());
            };
            if let Some(action) = action_of(&ev, &wizard) {
                pending.extend(wizard.update(action, &now()));
                dirty = true;
            }
            if matches!(ev, Event::Resize(..)) {
                dirty = true;
            }
            // Drain what crossterm already read (a paste, several keys).
            ready = event::poll(Duration::ZERO).unwrap_or(false);
        }
        while let Ok(action) = rx.try_recv() {
            pending.extend(wizard.update(action, &now()));
            dirty = true;
        }
    }
    drop(tui);
    Ok(())
}

/// Leave without the operator: a signal, or the terminal is gone. Keep text
/// being typed as a draft, save where the operator was, release the plan.
fn leave(runner: &mut Runner, wizard: &mut Wizard) {
    let t = now();
    for effect in wizard.update(Action::Quit, &t) {
        if matches!(effect, Effect::Save | Effect::Close) {
            let _ = runner.run(effect, wizard, &t);
        }
    }
}
