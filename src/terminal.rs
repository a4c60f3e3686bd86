//! The terminal: raw mode, alternate screen, mouse capture, and putting it
//! all back on quit, error, panic and signals (SIGTERM, SIGHUP, SIGINT).
//! Nothing else here: no drawing decisions, no plan logic.

use std::io::{self, Stdout, Write};
use std::sync::Arc;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

/// The terminal in full-screen mode; restored when dropped.
pub struct Tui {
    pub terminal: Terminal<CrosstermBackend<Stdout>>,
    mouse: bool,
}

/// Set from the signal handlers: the loop leaves through the normal path
/// (save, restore). A watchdog thread makes sure the process ends even when
/// the loop cannot notice: when the terminal hung up, the input reader may
/// never return, so after a grace period the watchdog restores what it can
/// and exits. Every answer is already on disk by then.
pub fn signal_flag() -> io::Result<Arc<AtomicBool>> {
    let flag = Arc::new(AtomicBool::new(false));
    let signals = [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ];
    for sig in signals {
        signal_hook::flag::register(sig, Arc::clone(&flag))?;
    }
    let mut waiter = signal_hook::iterator::Signals::new(signals)?;
    std::thread::spawn(move || {
        if let Some(sig) = waiter.forever().next() {
            std::thread::sleep(std::time::Duration::from_millis(800));
            restore();
            std::process::exit(128 + sig);
        }
    });
    Ok(flag)
}

/// Was a terminating signal received?
pub fn signalled(flag: &AtomicBool) -> bool {
    flag.load(Ordering::Relaxed)
}

static HOOK: Once = Once::new();

/// Restore the terminal before the default panic message is printed.
fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

impl Tui {
    pub fn init(mouse: bool) -> io::Result<Tui> {
        install_panic_hook();
        enable_raw_mode()?;
        let mut out = io::stdout();
        let entered = if mouse {
            execute!(out, EnterAlternateScreen, EnableMouseCapture)
        } else {
            execute!(out, EnterAlternateScreen)
        };
        if let Err(e) = entered {
            restore();
            return Err(e);
        }
        match Terminal::new(CrosstermBackend::new(io::stdout())) {
            Ok(terminal) => Ok(Tui { terminal, mouse }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }

    pub fn set_mouse(&mut self, on: bool) -> io::Result<()> {
        if on == self.mouse {
            return Ok(());
        }
        let out = self.terminal.backend_mut();
        if on {
            execute!(out, EnableMouseCapture)?;
        } else {
            execute!(out, DisableMouseCapture)?;
        }
        self.mouse = on;
        Ok(())
    }

    /// Write raw bytes to the terminal (OSC 52 copy, OSC 8 links).
    pub fn write_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        let out = self.terminal.backend_mut();
        out.write_all(bytes)?;
        out.flush()
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        restore();
    }
}

/// Put the terminal back: mouse capture off, alternate screen left, cursor
/// shown, raw mode off. Safe to call more than once.
pub fn restore() {
    let mut out = io::stdout();
    let _ = execute!(out, DisableMouseCapture, LeaveAlternateScreen, Show);
    let _ = disable_raw_mode();
    let _ = out.flush();
}
