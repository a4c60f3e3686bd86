//! The real binary in a pseudo-terminal: where the terminal shows OSC 8
//! hyperlinks, the built-in guides' addresses on screen become links to
//! the whole address, written over their own text (the screen reads the
//! same); an address typed into a note never does; and with hyperlinks off
//! no OSC 8 sequence is written at all.

#![cfg(test)]

#[path = "common/pty.rs"]
mod pty;

use std::path::Path;
use std::process::Command;

use pty::{ENTER, Session};

const LINUX: &str = "https://www.linux.com/training-tutorials/linux-101-updating-your-system";

fn cli(home: &Path, args: &[&str]) {
    let out = Command::new(pty::bin())
        .args(args)
        .env("MDE_MIGRATE_HOME", home)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A generic plan with a note holding an address of its own; the wizard
/// open on its Linux update item, whose guide is a catalog address.
fn on_the_linux_item(hyperlinks: &str) -> (tempfile::TempDir, Session) {
    let home = tempfile::tempdir().unwrap();
    cli(
        home.path(),
        &[
            "new",
            "--name",
            "Links",
            "--org",
            "Contoso",
            "--replacing",
            "Sophos",
        ],
    );
    cli(
        home.path(),
        &[
            "note",
            "Links",
            "update-linux",
            "see https://evil.example.com/x",
        ],
    );
    let mut s = Session::start(home.path(), &[], &[("MDE_MIGRATE_HYPERLINKS", hyperlinks)]);
    s.wait_for("Links");
    s.send(ENTER);
    s.wait_for("you are here");
    s.send("n");
    s.wait_for("Linux devices updated");
    s.send("G");
    s.wait_for("evil.example.com");
    (home, s)
}

#[test]
fn catalog_addresses_become_hyperlinks_and_the_screen_reads_the_same() {
    let (_home, mut s) = on_the_linux_item("1");
    s.wait_bytes(&format!("\x1b]8;;{LINUX}\x1b\\"));
    let bytes = String::from_utf8_lossy(&s.bytes()).into_owned();
    assert!(
        !bytes.contains("\x1b]8;;https://evil"),
        "a typed address became a link"
    );
    // Every link opened is closed again.
    let opened = bytes.matches("\x1b]8;;http").count();
    let closed = bytes.matches("\x1b]8;;\x1b\\").count();
    assert!(
        opened > 0 && opened == closed,
        "{opened} opened, {closed} closed"
    );
    // The emulator shows the address as text, as without links.
    let text = s.text();
    assert!(text.contains("https://www.linux.com/"), "{text}");
    s.send("q");
    assert!(s.wait_exit());
}

#[test]
fn with_hyperlinks_off_no_osc_8_is_written() {
    let (_home, mut s) = on_the_linux_item("0");
    assert!(s.text().contains("https://www.linux.com/"));
    s.send("q");
    assert!(s.wait_exit());
    assert!(!String::from_utf8_lossy(&s.bytes()).contains("\x1b]8;"));
}
