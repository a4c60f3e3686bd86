//! The real binary in a pseudo-terminal: create a plan, answer items on
//! every step, quit, come back where you left; the opener gets exactly the
//! catalog URL; the terminal is restored on quit and on SIGTERM; a second
//! instance is read-only; the cursor follows the selection.

#[path = "common/pty.rs"]
mod pty;

use std::path::Path;
use std::process::Command;

use pty::{DOWN, ENTER, ESC, Session, TAB};
use serde_json::Value;

fn plan_json(home: &Path) -> Value {
    let file = std::fs::read_dir(home)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .unwrap_or_else(|| panic!("no plan file in {}", home.display()));
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"))
}

fn cli(home: &Path, args: &[&str]) {
    let out = Command::new(pty::bin())
        .args(args)
        .env("MDE_MIGRATE_HOME", home)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The terminal was put back: alternate screen left, cursor shown, mouse off.
fn assert_restored(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let left = text
        .rfind("\x1b[?1049l")
        .unwrap_or_else(|| panic!("alternate screen never left"));
    let entered = text.rfind("\x1b[?1049h").unwrap_or(0);
    assert!(
        left > entered,
        "the alternate screen was entered again after leaving it"
    );
    assert!(
        text[left..].contains("\x1b[?25h")
            || text[..left].rfind("\x1b[?25h") > text[..left].rfind("\x1b[?25l"),
        "cursor not shown at the end"
    );
    assert!(
        text.contains("\x1b[?1000l"),
        "mouse capture never switched off"
    );
}

#[test]
fn create_answer_quit_and_resume_where_left() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut s = Session::start(home.path(), &[], &[]);
    s.wait_for("No plans yet");
    s.send("c");
    s.wait_for("New plan");
    s.send("E2E plan");
    s.send(TAB);
    s.send("Contoso");
    s.send(TAB);
    s.send("Symantec Endpoint Protection");
    s.send(TAB);
    s.send(TAB);
    s.send(ENTER);
    s.wait_for("you are here");
    assert!(s.text().contains("Symantec guide (2021)"));
    // Step 1 (Get Defender): licence route "Buy", licence state done.
    s.send("n");
    s.wait_for("How you get licences");
    s.send(ENTER);
    s.send(DOWN);
    s.send(ENTER);
    s.send(DOWN);
    s.send(" ");
    // Step 2 (Portal access): RBAC.
    s.send("n");
    s.wait_for("Permission model");
    s.send(ENTER);
    s.send(ENTER);
    // Step 3 (Proxy): Windows 10 in the estate, its guide reviewed.
    s.send("n");
    s.wait_for("Guides for this estate");
    s.send("s");
    s.wait_for("Operating systems in the estate");
    s.send(" ");
    s.send(ESC);
    // Focus starts on the lookup: Tab to the estate's guides.
    s.send(TAB);
    s.send(" ");
    s.wait_for("1 of 2 reviewed");
    // Back to portal access, then quit.
    s.send("p");
    s.wait_for("[1.2 Portal access]");
    s.send("q");
    assert!(s.wait_exit());
    assert_restored(&s.bytes());

    let plan = plan_json(home.path());
    assert_eq!(plan["guide"], "symantec-2021");
    assert_eq!(plan["answers"]["licence-route"]["choice"], "buy");
    assert_eq!(plan["answers"]["licence-state"]["status"], "done");
    assert_eq!(plan["answers"]["access-model"]["choice"], "rbac");
    assert!(plan["estate"]["systems"].get("win10").is_some(), "{plan}");
    assert_eq!(plan["reviewed"][0], "proxy-internet");
    assert_eq!(plan["position"]["step"], "access");

    let mut again = Session::start(home.path(), &[], &[]);
    again.wait_for("E2E plan");
    again.send(ENTER);
    again.wait_for("[1.2 Portal access]");
    again.send("q");
    assert!(again.wait_exit());
}

#[test]
fn o_runs_the_opener_with_exactly_the_catalog_url() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    cli(
        home.path(),
        &["new", "--name", "Opener", "--replacing", "Symantec"],
    );
    let stub = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let log = stub.path().join("opened.log");
    let script = stub.path().join("xdg-open");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf '%s\\n' \"$@\" >> '{}'\n", log.display()),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let path = format!(
        "{}:{}",
        stub.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut s = Session::start(home.path(), &[], &[("PATH", &path), ("DISPLAY", ":99")]);
    s.wait_for("Opener");
    s.send(ENTER);
    s.wait_for("you are here");
    s.send("n");
    s.wait_for("How you get licences");
    // Its page and its dated note's source: a list; Enter opens the first.
    s.send("o");
    s.wait_for("Guidance pages");
    s.send(ENTER);
    let start = std::time::Instant::now();
    while !log.exists() && start.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let opened =
        std::fs::read_to_string(&log).unwrap_or_else(|e| panic!("the opener never ran: {e}"));
    assert_eq!(opened, "https://aka.ms/mdatp\n");
    // The screen is still the wizard's, undamaged.
    assert!(s.text().contains("How you get licences"));
    s.send("q");
    assert!(s.wait_exit());
}

#[test]
fn without_a_display_the_url_is_shown() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    cli(
        home.path(),
        &["new", "--name", "Remote", "--replacing", "Symantec"],
    );
    let mut s = Session::start(
        home.path(),
        &[],
        &[("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22")],
    );
    s.wait_for("Remote");
    s.send(ENTER);
    s.wait_for("you are here");
    s.send("n");
    s.wait_for("How you get licences");
    s.send("o");
    s.wait_for("Guidance pages");
    s.send(ENTER);
    s.wait_for("No browser could open here");
    assert!(s.text().contains("https://aka.ms/mdatp"));
    s.send("y");
    s.wait_bytes("\x1b]52;c;aHR0cHM6Ly9ha2EubXMvbWRhdHA=\x07");
    s.send(ESC);
    s.send("q");
    assert!(s.wait_exit());
}

#[test]
fn sigterm_restores_the_terminal_and_keeps_the_plan() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    cli(home.path(), &["new", "--name", "Signalled"]);
    let mut s = Session::start(home.path(), &[], &[]);
    s.wait_for("Signalled");
    s.send(ENTER);
    s.wait_for("you are here");
    s.send("n");
    s.send("n");
    s.wait_for("Licence state checked");
    s.send(DOWN);
    s.send(" ");
    s.wait_for("✓ Saved");
    let status = Command::new("kill")
        .args(["-TERM", &s.pid().to_string()])
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(status.success());
    s.wait_exit();
    assert_restored(&s.bytes());
    let plan = plan_json(home.path());
    assert_eq!(plan["answers"]["licence-state"]["status"], "done");
    assert_eq!(plan["position"]["step"], "licence");
    assert_eq!(plan["position"]["item"], "licence-state");
}

#[test]
fn a_second_instance_gets_a_read_only_view() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    cli(home.path(), &["new", "--name", "Shared"]);
    let mut first = Session::start(home.path(), &[], &[]);
    first.wait_for("Shared");
    first.send(ENTER);
    first.wait_for("you are here");
    let mut second = Session::start(home.path(), &[], &[]);
    second.wait_for("Shared");
    second.send(ENTER);
    second.wait_for("Read-only");
    // A script can't write either.
    let out = Command::new(pty::bin())
        .args(["set", "Shared", "tenant", "done"])
        .env("MDE_MIGRATE_HOME", home.path())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("another mde-migrate"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    second.send("q");
    first.send("q");
    assert!(second.wait_exit());
    assert!(first.wait_exit());
}

#[test]
fn the_cursor_follows_the_selection() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    cli(home.path(), &["new", "--name", "Cursor"]);
    let mut s = Session::start(home.path(), &[], &[]);
    // Plans screen: the cursor is on the plan's row.
    s.wait_cursor_on("Cursor");
    s.send(ENTER);
    s.wait_for("you are here");
    s.send("n");
    s.send("n");
    // Licence step: on the first item, then two rows down with the selection.
    let row = s.wait_cursor_on("How you get licences");
    s.send(DOWN);
    s.send(DOWN);
    let row2 = s.wait_cursor_on("Tenant configured");
    assert_eq!(row2, row + 2);
    s.send("q");
    assert!(s.wait_exit());
}

#[test]
fn a_dumb_terminal_gets_plain_prompts() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut s = Session::start(home.path(), &[], &[("TERM", "dumb")]);
    s.wait_for("plain mode");
    s.wait_for("Choose a plan");
    s.send("q\r");
    assert!(s.wait_exit());
    let bytes = s.bytes();
    assert!(
        !bytes.contains(&0x1b),
        "no escape sequences for a dumb terminal"
    );
}

#[test]
fn no_color_means_no_colour_codes() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    cli(home.path(), &["new", "--name", "Plain colours"]);
    let mut s = Session::start(home.path(), &[], &[("NO_COLOR", "1")]);
    s.wait_cursor_on("Plain colours");
    s.send(ENTER);
    s.wait_for("you are here");
    s.send("q");
    assert!(s.wait_exit());
    let text = String::from_utf8_lossy(&s.bytes()).into_owned();
    for code in [
        "\x1b[38;", "\x1b[48;", "\x1b[30m", "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[34m",
        "\x1b[35m", "\x1b[36m", "\x1b[90m",
    ] {
        assert!(
            !text.contains(code),
            "colour code {code:?} with NO_COLOR set"
        );
    }
    // The selection is still shown, in reverse video.
    assert!(
        text.contains("\x1b[7m"),
        "no reverse video for the selection"
    );
}

fn signal(pid: u32, sig: &str) {
    let status = Command::new("kill")
        .args([&format!("-{sig}"), &pid.to_string()])
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(status.success(), "kill -{sig}");
}

/// The process state letter from /proc (T: stopped).
fn proc_state(pid: u32) -> char {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit(')')
        .next()
        .and_then(|rest| rest.trim().chars().next())
        .unwrap_or('?')
}

fn wait_state(pid: u32, want: char) {
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_secs(15) {
        if proc_state(pid) == want {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!(
        "process {pid} never reached state {want}: {}",
        proc_state(pid)
    );
}

fn count(bytes: &[u8], needle: &str) -> usize {
    String::from_utf8_lossy(bytes).matches(needle).count()
}

#[test]
fn ctrl_z_and_sigtstp_give_the_terminal_back_and_sigcont_takes_it_again() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    cli(home.path(), &["new", "--name", "Suspended"]);
    let mut s = Session::start(home.path(), &[], &[]);
    s.wait_for("Suspended");
    s.send(ENTER);
    s.wait_for("you are here");
    let pid = s.pid();
    for (round, how) in ["ctrl-z", "sigtstp"].iter().enumerate() {
        let before = s.bytes().len();
        if *how == "ctrl-z" {
            s.send("\x1a");
        } else {
            signal(pid, "TSTP");
        }
        wait_state(pid, 'T');
        // The reader thread may not have taken the last bytes yet.
        let start = std::time::Instant::now();
        while count(&s.bytes()[before..], "\x1b[?1049l") == 0
            && start.elapsed() < std::time::Duration::from_secs(15)
        {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let bytes = s.bytes();
        let after = &bytes[before..];
        assert_restored(after);
        assert!(
            String::from_utf8_lossy(after).contains("\x1b[?1006l")
                || String::from_utf8_lossy(after).contains("\x1b[?1000l"),
            "{how}: mouse capture left on"
        );
        signal(pid, "CONT");
        let start = std::time::Instant::now();
        while count(&s.bytes(), "\x1b[?1049h") < round + 2 {
            assert!(
                start.elapsed() < std::time::Duration::from_secs(15),
                "{how}: the full screen never came back"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        s.wait_for("you are here");
        // Keys work again.
        s.send("n");
        s.wait_for("[1.1 ");
        s.send("p");
        s.wait_for("you are here");
    }
    s.send("q");
    assert!(s.wait_exit());
    assert_restored(&s.bytes());
}

#[test]
fn sigquit_restores_the_terminal_and_keeps_the_plan() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    cli(home.path(), &["new", "--name", "Quitted"]);
    let mut s = Session::start(home.path(), &[], &[]);
    s.wait_for("Quitted");
    s.send(ENTER);
    s.wait_for("you are here");
    s.send("n");
    s.send("n");
    s.wait_for("Licence state checked");
    s.send(DOWN);
    s.send(" ");
    s.wait_for("✓ Saved");
    signal(s.pid(), "QUIT");
    s.wait_exit();
    assert_restored(&s.bytes());
    let plan = plan_json(home.path());
    assert_eq!(plan["answers"]["licence-state"]["status"], "done");
    assert_eq!(plan["position"]["item"], "licence-state");
}

#[test]
fn sigterm_while_typing_a_note_keeps_it_as_a_draft_offered_back() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    cli(home.path(), &["new", "--name", "Drafted"]);
    let mut s = Session::start(home.path(), &[], &[]);
    s.wait_for("Drafted");
    s.send(ENTER);
    s.wait_for("you are here");
    s.send("n");
    s.wait_for("[1.1 ");
    s.send("e");
    s.send("ask the desktop team");
    s.wait_for("ask the desktop team");
    signal(s.pid(), "TERM");
    s.wait_exit();
    assert_restored(&s.bytes());
    let plan = plan_json(home.path());
    assert_eq!(plan["draft"]["text"], "ask the desktop team", "{plan}");
    assert_eq!(plan["draft"]["field"], "note");

    let mut again = Session::start(home.path(), &[], &[]);
    again.wait_for("Drafted");
    again.send(ENTER);
    again.wait_for("Restored the text you were typing");
    assert!(again.text().contains("ask the desktop team"));
    again.send(ENTER);
    again.wait_for("✓ Saved");
    again.send("q");
    assert!(again.wait_exit());
    let plan = plan_json(home.path());
    assert!(plan.get("draft").is_none(), "{plan}");
    let notes: Vec<&str> = plan["answers"]
        .as_object()
        .map(|m| m.values().filter_map(|a| a["note"].as_str()).collect())
        .unwrap_or_default();
    assert!(notes.contains(&"ask the desktop team"), "{plan}");
}

#[test]
fn a_terminal_closed_without_a_signal_ends_the_program_with_the_plan_saved() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    cli(home.path(), &["new", "--name", "Hung up"]);
    // A session of its own with no controlling terminal, and SIGHUP ignored
    // by the wrapper: closing the master sends no signal to the program.
    let script = r#"trap "" HUP; exec setsid -w "$0""#;
    let mut s = Session::start_program("sh", home.path(), &["-c", script, pty::bin()], &[]);
    s.wait_for("Hung up");
    s.send(ENTER);
    s.wait_for("you are here");
    s.send("n");
    s.send("n");
    s.wait_for("Licence state checked");
    s.send(DOWN);
    s.send(" ");
    s.wait_for("✓ Saved");
    s.send("e");
    s.send("half typed");
    s.wait_for("half typed");
    s.close_master(" ");
    // wait_exit bounds the wait (15 s) and fails if the program spins on.
    s.wait_exit();
    let plan = plan_json(home.path());
    assert_eq!(plan["name"], "Hung up");
    assert_eq!(plan["answers"]["licence-state"]["status"], "done");
    assert_eq!(plan["draft"]["text"], "half typed ", "{plan}");
    // The lock was released: the CLI can write at once.
    cli(home.path(), &["plans"]);
}

#[test]
fn a_cli_note_racing_an_open_wizard_is_kept_and_the_wizard_saves_its_answers_as_a_copy() {
    use mde_migrate::plan::Status;
    use mde_migrate::store::Store;
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    cli(home.path(), &["new", "--name", "Raced"]);
    let store = Store::open(home.path(), false).unwrap_or_else(|e| panic!("{e}"));
    let id = store.find("Raced").unwrap_or_else(|e| panic!("{e}"));
    let mut s = Session::start(home.path(), &[], &[]);
    s.wait_for("Raced");
    s.send(ENTER);
    s.wait_for("you are here");
    s.send("n");
    s.wait_for("Saved");
    // Someone cleans up "stale" lock files; a script then writes a note.
    std::fs::remove_file(home.path().join(format!("{id}.lock"))).unwrap_or_else(|e| panic!("{e}"));
    cli(home.path(), &["note", "Raced", "tenant", "B's note"]);
    // The wizard's next change is refused, said, and the choice offered.
    // (Not applicable asks why first.)
    s.send("a");
    s.wait_for("Not applicable: why?");
    s.send("Not used here");
    s.send(ENTER);
    s.wait_for("the plan changed on disk");
    s.wait_for("save these answers as a copy");
    s.send("c");
    s.wait_for("Saved as a new plan");
    s.send("q");
    assert!(s.wait_exit());
    let original = store.load(&id).unwrap_or_else(|e| panic!("{e}")).plan;
    assert_eq!(
        original.answer("tenant").map(|a| a.note.as_str()),
        Some("B's note"),
        "the CLI's note is kept"
    );
    assert!(
        original
            .answers
            .values()
            .all(|a| a.status != Some(Status::NotApplicable)),
        "the wizard's change did not go over it"
    );
    let copy_id = store.find("Raced (copy)").unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(copy_id, id);
    let copy = store.load(&copy_id).unwrap_or_else(|e| panic!("{e}")).plan;
    assert!(
        copy.answers
            .values()
            .any(|a| a.status == Some(Status::NotApplicable)),
        "the wizard's answer is in the copy: {:?}",
        copy.answers
    );
}

/// Text being typed survives every way the wizard can be ended: SIGHUP
/// (the terminal window closed), SIGINT (from outside) and Ctrl-C (the key,
/// which raw mode delivers as a key, not as a signal).
#[test]
fn text_being_typed_is_kept_as_a_draft_on_sighup_sigint_and_ctrl_c() {
    for how in ["HUP", "INT", "ctrl-c"] {
        let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        cli(home.path(), &["new", "--name", "Drafted"]);
        let mut s = Session::start(home.path(), &[], &[]);
        s.wait_for("Drafted");
        s.send(ENTER);
        s.wait_for("you are here");
        s.send("n");
        s.wait_for("[1.1 ");
        s.send("e");
        s.send("typed before the end");
        s.wait_for("typed before the end");
        match how {
            "ctrl-c" => s.send("\x03"),
            sig => signal(s.pid(), sig),
        }
        s.wait_exit();
        assert_restored(&s.bytes());
        let plan = plan_json(home.path());
        assert_eq!(
            plan["draft"]["text"], "typed before the end",
            "{how}: {plan}"
        );
        assert_eq!(plan["draft"]["field"], "note", "{how}");
    }
}

/// One plan per guide: walk Phase 1 with `n`, on into Phase 2, mark its
/// second item done, quit there; the file has the answer and the place;
/// the next start lands on that item of Phase 2.
#[test]
fn each_guide_walks_into_phase_two_and_resumes_there() {
    let catalog = mde_migrate::catalog::Catalog::embedded().unwrap_or_else(|e| panic!("{e}"));
    for (product, guide) in [
        ("Sophos Intercept X", "generic-2023"),
        ("Symantec Endpoint Protection", "symantec-2021"),
        ("McAfee Endpoint Security", "mcafee-2021"),
    ] {
        let g = catalog.guide(guide).unwrap_or_else(|| panic!("{guide}"));
        let first = g.phase_steps(&g.phases[0].id).count();
        let (_, setup) = g
            .phase_steps(&g.phases[1].id)
            .next()
            .unwrap_or_else(|| panic!("{guide}: no Phase 2"));
        // An empty estate asks every item; the second is the one we mark.
        let second = &setup.items[1];

        let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut s = Session::start(home.path(), &[], &[]);
        s.wait_for("No plans yet");
        s.send("c");
        s.wait_for("New plan");
        s.send("Phases");
        s.send(TAB);
        s.send("Contoso");
        s.send(TAB);
        s.send(product);
        s.send(TAB);
        s.send(TAB);
        s.send(ENTER);
        s.wait_for("you are here");
        for _ in 0..=first {
            s.send("n");
        }
        s.wait_for("[2.1");
        s.wait_for(&setup.short);
        s.send(DOWN);
        s.send(" ");
        s.wait_for("✓ done");
        s.send("q");
        assert!(s.wait_exit(), "{guide}: quit");
        assert_restored(&s.bytes());

        let plan = plan_json(home.path());
        assert_eq!(plan["guide"], guide);
        assert_eq!(plan["position"]["screen"], "step", "{guide}: {plan}");
        assert_eq!(plan["position"]["step"], setup.id.as_str(), "{guide}");
        assert_eq!(plan["position"]["item"], second.id.as_str(), "{guide}");
        assert_eq!(
            plan["answers"][second.id.as_str()]["status"],
            "done",
            "{guide}: {plan}"
        );
        // The product being replaced, from Phase 1's form, is kept.
        assert_eq!(plan["replacing"], product);

        let mut again = Session::start(home.path(), &[], &[]);
        again.wait_for("Phases");
        again.send(ENTER);
        again.wait_for("[2.1");
        // The cursor is on the item marked: its details are open.
        again.wait_for(&second.help[..40]);
        again.send("q");
        assert!(again.wait_exit(), "{guide}: quit again");
    }
}
