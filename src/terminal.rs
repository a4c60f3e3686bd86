//! The terminal: raw mode, alternate screen, mouse capture, and putting it
//! all back on quit, error, panic and signals (SIGTERM, SIGHUP, SIGINT,
//! SIGQUIT); giving it back on Ctrl-Z / SIGTSTP and taking it again on
//! SIGCONT; noticing when the terminal itself is gone.
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

/// The signals the loop acts on, as flags set from the handlers.
pub struct Signals {
    /// SIGTERM, SIGHUP, SIGINT, SIGQUIT: save, restore, exit.
    quit: Arc<AtomicBool>,
    /// SIGTSTP: give the terminal back and stop.
    stop: Arc<AtomicBool>,
    /// SIGCONT: take the full screen again and redraw.
    cont: Arc<AtomicBool>,
}

/// The signals that end the program.
const TERMINATING: [i32; 4] = [
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGQUIT,
];

/// Install the handlers. The loop leaves through the normal path (save,
/// restore). A watchdog thread makes sure the process ends even when the
/// loop cannot notice: when the terminal hung up, the input reader may never
/// return, so after a grace period the watchdog restores what it can and
/// exits. Every answer is already on disk by then.
pub fn signals() -> io::Result<Signals> {
    let quit = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let cont = Arc::new(AtomicBool::new(false));
    for sig in TERMINATING {
        signal_hook::flag::register(sig, Arc::clone(&quit))?;
    }
    signal_hook::flag::register(signal_hook::consts::SIGTSTP, Arc::clone(&stop))?;
    signal_hook::flag::register(signal_hook::consts::SIGCONT, Arc::clone(&cont))?;
    let mut waiter = signal_hook::iterator::Signals::new(TERMINATING)?;
    std::thread::spawn(move || {
        if let Some(sig) = waiter.forever().next() {
            std::thread::sleep(std::time::Duration::from_millis(800));
            restore();
            std::process::exit(128 + sig);
        }
    });
    Ok(Signals { quit, stop, cont })
}

impl Signals {
    /// Was a terminating signal received?
    pub fn quit(&self) -> bool {
        self.quit.load(Ordering::Relaxed)
    }

    /// Was SIGTSTP received since the last call?
    pub fn take_stop(&self) -> bool {
        self.stop.swap(false, Ordering::Relaxed)
    }

    /// Was SIGCONT received since the last call?
    pub fn take_cont(&self) -> bool {
        self.cont.swap(false, Ordering::Relaxed)
    }
}

/// What waiting on the terminal's input found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// Bytes to read.
    Ready,
    /// Nothing within the wait.
    Idle,
    /// The terminal is gone (hung up, closed): no input will ever come.
    Gone,
    /// Standard input is not the terminal: ask crossterm.
    Unknown,
}

/// Wait up to `timeout` for input on standard input, when it is the
/// terminal. Waiting here rather than in crossterm matters: once the
/// terminal has hung up, crossterm's reader loops forever on end-of-file,
/// while `poll` reports the hang-up at once.
pub fn wait_input(timeout: std::time::Duration) -> Input {
    use rustix::event::{PollFd, PollFlags, Timespec};
    use std::io::IsTerminal;
    // Whether standard input was the terminal is decided once: a terminal
    // that hung up may stop answering isatty.
    static WAS_TERMINAL: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let stdin = io::stdin();
    let now = stdin.is_terminal();
    if !*WAS_TERMINAL.get_or_init(|| now) {
        return Input::Unknown;
    }
    if !now {
        return Input::Gone;
    }
    let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
    let wait = Timespec {
        tv_sec: i64::try_from(timeout.as_secs()).unwrap_or(i64::MAX),
        tv_nsec: i64::from(timeout.subsec_nanos()),
    };
    match rustix::event::poll(&mut fds, Some(&wait)) {
        Ok(_) => {}
        Err(rustix::io::Errno::INTR) => return Input::Idle,
        Err(_) => return Input::Gone,
    }
    let revents = fds[0].revents();
    if revents.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) {
        Input::Gone
    } else if revents.contains(PollFlags::IN) {
        Input::Ready
    } else {
        Input::Idle
    }
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

    /// Ctrl-Z / SIGTSTP: give the terminal back (mouse off, alternate screen
    /// left, cursor shown, raw mode off), stop the process, and when it is
    /// continued take the full screen again. The caller redraws.
    pub fn suspend(&mut self) -> io::Result<()> {
        restore();
        signal_hook::low_level::raise(signal_hook::consts::SIGSTOP)?;
        self.resume()
    }

    /// Take the full screen again (after SIGCONT) and forget what was on it,
    /// so the next draw paints everything.
    pub fn resume(&mut self) -> io::Result<()> {
        enable_raw_mode()?;
        let out = self.terminal.backend_mut();
        if self.mouse {
            execute!(out, EnterAlternateScreen, EnableMouseCapture)?;
        } else {
            execute!(out, EnterAlternateScreen)?;
        }
        // resize clears the screen and forgets the last frame without
        // asking the terminal where its cursor is (clear would).
        let size = self.terminal.size()?;
        self.terminal
            .resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
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
