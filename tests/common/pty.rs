//! Drive the real binary in a pseudo-terminal and read its screen back
//! through a terminal emulator (vt100).

#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub const ROWS: u16 = 30;
pub const COLS: u16 = 100;

pub struct Session {
    child: Box<dyn Child + Send + Sync>,
    writer: Option<Box<dyn Write + Send>>,
    output: Arc<Mutex<Vec<u8>>>,
    master: Option<Box<dyn MasterPty + Send>>,
    /// Tells the reader thread to let go of its copy of the master.
    stop_reading: Arc<AtomicBool>,
    reader: Option<std::thread::JoinHandle<()>>,
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_mde-migrate")
}

impl Session {
    /// Start `mde-migrate args…` with the plans in `home`.
    pub fn start(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Session {
        Session::start_program(bin(), home, args, env)
    }

    /// Start `program args…` (a wrapper around the binary, say) with the
    /// plans in `home`.
    pub fn start_program(
        program: &str,
        home: &Path,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Session {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap_or_else(|e| panic!("openpty: {e}"));
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("MDE_MIGRATE_HOME", home);
        cmd.env_remove("DISPLAY");
        cmd.env_remove("WAYLAND_DISPLAY");
        cmd.env_remove("SSH_CONNECTION");
        cmd.env_remove("SSH_TTY");
        cmd.env_remove("SSH_CLIENT");
        cmd.env_remove("NO_COLOR");
        cmd.env_remove("ACCESSIBLE");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair
            .slave
            .spawn_command(cmd)
            .unwrap_or_else(|e| panic!("spawn: {e}"));
        drop(pair.slave);
        let mut reader = pair
            .master
            .try_clone_reader()
            .unwrap_or_else(|e| panic!("reader: {e}"));
        let writer = pair
            .master
            .take_writer()
            .unwrap_or_else(|e| panic!("writer: {e}"));
        let output = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&output);
        let stop_reading = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&stop_reading);
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut o) = sink.lock() {
                    o.extend_from_slice(&buf[..n]);
                }
                if stop.load(Ordering::SeqCst) {
                    break;
                }
            }
        });
        Session {
            child,
            writer: Some(writer),
            output,
            master: Some(pair.master),
            stop_reading,
            reader: Some(reader),
        }
    }

    /// Close every handle on the pty master, sending no signal: the
    /// terminal simply ends. `poke` is sent first so the program draws and
    /// the reader thread, woken by that output, lets go of its copy.
    pub fn close_master(&mut self, poke: &str) {
        self.stop_reading.store(true, Ordering::SeqCst);
        self.send(poke);
        if let Some(reader) = self.reader.take() {
            let start = Instant::now();
            while !reader.is_finished() && start.elapsed() < Duration::from_secs(15) {
                std::thread::sleep(Duration::from_millis(20));
            }
            assert!(reader.is_finished(), "the reader never let go");
            let _ = reader.join();
        }
        self.writer = None;
        self.master = None;
    }

    pub fn bytes(&self) -> Vec<u8> {
        self.output.lock().map(|o| o.clone()).unwrap_or_default()
    }

    /// The screen as the emulator shows it now.
    pub fn screen(&self) -> vt100::Parser {
        let mut p = vt100::Parser::new(nz(ROWS), nz(COLS), 0);
        p.process(&self.bytes());
        p
    }

    pub fn text(&self) -> String {
        self.screen().screen().contents()
    }

    /// Wait until the screen shows `what`.
    pub fn wait_for(&self, what: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(15) {
            if self.text().contains(what) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "the screen never showed {what:?}; it shows:\n{}",
            self.text()
        );
    }

    /// Wait until the raw output holds `needle` (escape sequences included).
    pub fn wait_bytes(&self, needle: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(15) {
            if String::from_utf8_lossy(&self.bytes()).contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the output never held {needle:?}");
    }

    /// Wait until the terminal cursor sits on a row showing `what`; the row.
    pub fn wait_cursor_on(&self, what: &str) -> u16 {
        let start = Instant::now();
        loop {
            let parser = self.screen();
            let (row, _) = parser.screen().cursor_position();
            let line = parser
                .screen()
                .contents()
                .lines()
                .nth(usize::from(row))
                .map(str::to_string)
                .unwrap_or_default();
            if line.contains(what) {
                return row;
            }
            if start.elapsed() > Duration::from_secs(15) {
                panic!(
                    "the cursor never reached {what:?}; it is on row {row}: {line:?}\n{}",
                    parser.screen().contents()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn send(&mut self, s: &str) {
        let Some(writer) = self.writer.as_mut() else {
            panic!("the terminal is closed");
        };
        writer
            .write_all(s.as_bytes())
            .unwrap_or_else(|e| panic!("write: {e}"));
        let _ = writer.flush();
        // Let the program read and draw before the next key, so an Esc is
        // never taken as the start of an escape sequence.
        std::thread::sleep(Duration::from_millis(60));
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().unwrap_or_else(|| panic!("no pid"))
    }

    /// Wait for the program to end; its exit success.
    pub fn wait_exit(&mut self) -> bool {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(15) {
            if let Ok(Some(status)) = self.child.try_wait() {
                // Let the reader drain the last bytes.
                std::thread::sleep(Duration::from_millis(100));
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!("the program did not exit; screen:\n{}", self.text());
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}

pub const ENTER: &str = "\r";
pub const DOWN: &str = "\x1b[B";
pub const UP: &str = "\x1b[A";
pub const TAB: &str = "\t";
pub const ESC: &str = "\x1b";

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).unwrap_or(std::num::NonZeroU16::MIN)
}
