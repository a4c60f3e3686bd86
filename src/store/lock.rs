//! One writer per plan: an exclusive OS lock on the sidecar `<id>.lock`
//! (never on the JSON, whose inode every save replaces). The OS releases it
//! when the holder dies, even by SIGKILL. Only [`acquire_waiting`] waits,
//! a bounded time, and never for a wizard.
//!
//! The sidecar is opened without following a symbolic link, must be a
//! regular file with one name, and is only ever rewritten (with this
//! process's id) when it is empty or holds nothing but a process id: a
//! file someone put there is refused, never truncated.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::Seen;
use super::error::{IoProblem, StoreError};

/// Proof that this process is the one writer of a plan. Released on drop.
/// The sidecar file stays: removing it would let two processes lock two
/// different files of the same name.
#[derive(Debug)]
pub struct PlanLock {
    file: File,
    path: PathBuf,
    id: String,
    /// The plan file as this process last read or wrote it.
    pub(super) seen: Option<Seen>,
}

impl PlanLock {
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The sidecar lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Is the file at [`PlanLock::path`] still the one this lock holds? A
    /// lock file removed (or replaced) by someone else no longer keeps
    /// another writer out.
    pub(super) fn still_ours(&self) -> bool {
        match (identity(&self.file), identity_at(&self.path)) {
            (Some(held), Some(there)) => held == there,
            _ => false,
        }
    }
}

impl Drop for PlanLock {
    fn drop(&mut self) {
        // Closing the file would release it too; say it explicitly.
        let _ = self.file.unlock();
    }
}

/// What kind of process holds a plan's lock, as its sidecar records it:
/// a wizard (or plain mode) keeps a plan for as long as it is open; a
/// command-line writer (`set`, `note`, `import`) for a few milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolderKind {
    Wizard,
    Cli,
}

impl HolderKind {
    fn word(self) -> &'static str {
        match self {
            HolderKind::Wizard => "wizard",
            HolderKind::Cli => "cli",
        }
    }

    fn from_word(word: &str) -> Option<HolderKind> {
        match word {
            "wizard" => Some(HolderKind::Wizard),
            "cli" => Some(HolderKind::Cli),
            _ => None,
        }
    }
}

/// Take the lock at `path` for plan `id`, or say who holds it.
pub(super) fn acquire(path: PathBuf, id: &str) -> Result<PlanLock, StoreError> {
    acquire_as(path, id, HolderKind::Wizard)
}

/// Like [`acquire`], but while another command-line writer holds the lock,
/// try again every few milliseconds for up to `timeout`. A wizard holds a
/// plan for as long as it is open: then this refuses at once.
pub(super) fn acquire_waiting(
    path: PathBuf,
    id: &str,
    kind: HolderKind,
    timeout: Duration,
) -> Result<PlanLock, StoreError> {
    let start = Instant::now();
    let mut pause = Duration::from_millis(2);
    loop {
        match acquire_as(path.clone(), id, kind) {
            Err(StoreError::Locked { id, pid }) => {
                let (_, holder) = holder(&path);
                if holder == Some(HolderKind::Wizard) || start.elapsed() >= timeout {
                    // Read again: a writer between two holders may have left
                    // the sidecar half written.
                    let pid = pid.or(self::holder(&path).0);
                    return Err(StoreError::Locked { id, pid });
                }
                std::thread::sleep(pause.min(timeout.saturating_sub(start.elapsed())));
                pause = (pause * 2).min(Duration::from_millis(25));
            }
            other => return other,
        }
    }
}

/// The process recorded in the sidecar at `path`, and what kind it is.
/// Read without following a symbolic link.
pub fn holder(path: &Path) -> (Option<u32>, Option<HolderKind>) {
    match open_for_reading(path) {
        Ok(mut file) => read_holder(&mut file),
        Err(_) => (None, None),
    }
}

fn acquire_as(path: PathBuf, id: &str, kind: HolderKind) -> Result<PlanLock, StoreError> {
    let failed = |path: &Path, reason: IoProblem| StoreError::LockFailed {
        path: path.to_path_buf(),
        reason,
    };
    let mut file = open_sidecar(&path).map_err(|e| failed(&path, lock_problem(&e)))?;
    if let Err(why) = check_regular(&file) {
        return Err(failed(&path, IoProblem::Other(why)));
    }
    match file.try_lock() {
        Ok(()) => {
            // Under the lock, so no other mde-migrate is writing its pid.
            match holds_only_a_pid(&mut file) {
                Ok(true) => {}
                Ok(false) => {
                    let _ = file.unlock();
                    return Err(failed(
                        &path,
                        IoProblem::Other(
                            "it holds data mde-migrate did not write, so it is left untouched; \
                             remove it if it is not yours"
                                .into(),
                        ),
                    ));
                }
                Err(e) => {
                    let _ = file.unlock();
                    return Err(failed(&path, IoProblem::from(&e)));
                }
            }
            // Only for the other instance's message; a lock without a pid
            // is still a lock.
            let _ = write_pid(&mut file, kind);
            Ok(PlanLock {
                file,
                path,
                id: id.to_string(),
                seen: None,
            })
        }
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Locked {
            id: id.to_string(),
            pid: read_holder(&mut file).0,
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(failed(&path, IoProblem::from(&e))),
    }
}

/// Open (or create) the sidecar: never through a symbolic link, never
/// blocking on a FIFO, never inherited by a child process.
fn open_sidecar(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC | libc::O_NONBLOCK);
    }
    #[cfg(not(unix))]
    {
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(io::Error::other("it is a symbolic link"));
        }
    }
    options.open(path)
}

/// Open the sidecar to read who holds it: never through a symbolic link,
/// never blocking on a FIFO.
fn open_for_reading(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC | libc::O_NONBLOCK);
    }
    #[cfg(not(unix))]
    {
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(io::Error::other("it is a symbolic link"));
        }
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::other("not a regular file"));
    }
    Ok(file)
}

/// Name the ELOOP of `O_NOFOLLOW` for what it is.
fn lock_problem(e: &io::Error) -> IoProblem {
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::ELOOP) {
        return IoProblem::Other(
            "it is a symbolic link, and mde-migrate never writes through one; remove it".into(),
        );
    }
    IoProblem::from(e)
}

/// A lock file is a plain file with one name (a hard link to some other
/// file would let the pid overwrite it).
fn check_regular(file: &File) -> Result<(), String> {
    let meta = file.metadata().map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("it is not a regular file; remove it".into());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() > 1 {
            return Err(
                "it has other names (hard links), so it is left untouched; remove it".into(),
            );
        }
    }
    Ok(())
}

/// Empty, or a process id (and the holder's kind) and white space: what
/// mde-migrate writes.
fn holds_only_a_pid(file: &mut File) -> io::Result<bool> {
    let mut bytes = Vec::new();
    file.rewind()?;
    file.take(65).read_to_end(&mut bytes)?;
    if bytes.len() > 64 {
        return Ok(false);
    }
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Ok(false);
    };
    let mut words = text.split_whitespace();
    Ok(match (words.next(), words.next(), words.next()) {
        (None, _, _) => true,
        (Some(pid), kind, None) => {
            pid.parse::<u32>().is_ok() && kind.is_none_or(|k| HolderKind::from_word(k).is_some())
        }
        _ => false,
    })
}

/// "<pid> <kind>", written over the old record before it is cut to length,
/// so a reader never finds the sidecar empty between two holders.
fn write_pid(file: &mut File, kind: HolderKind) -> io::Result<()> {
    let record = format!("{} {}\n", std::process::id(), kind.word());
    file.rewind()?;
    file.write_all(record.as_bytes())?;
    file.set_len(record.len() as u64)?;
    file.flush()
}

/// The pid and kind in a sidecar; a record from an older version holds a
/// pid alone (kind unknown).
fn read_holder(file: &mut File) -> (Option<u32>, Option<HolderKind>) {
    let mut text = String::new();
    if file.rewind().is_err() || file.take(64).read_to_string(&mut text).is_err() {
        return (None, None);
    }
    let mut words = text.split_whitespace();
    let pid = words.next().and_then(|w| w.parse().ok());
    let kind = words.next().and_then(HolderKind::from_word);
    (pid, kind)
}

/// Device and inode of an open file (0, 0 where the platform has none).
pub(super) fn identity(file: &File) -> Option<(u64, u64)> {
    file.metadata().ok().map(|m| file_id(&m))
}

/// Device and inode of the file at `path`, not following a symbolic link.
pub(super) fn identity_at(path: &Path) -> Option<(u64, u64)> {
    std::fs::symlink_metadata(path).ok().map(|m| file_id(&m))
}

#[cfg(unix)]
pub(super) fn file_id(meta: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
pub(super) fn file_id(_meta: &std::fs::Metadata) -> (u64, u64) {
    (0, 0)
}

/// Hold the plans folder's own lock file at `path` (blocking: it is held
/// only while a plan is checked for and created). Opened like a plan's
/// sidecar: never through a link, only a plain file with one name, and
/// never written.
pub(super) fn folder(path: &Path) -> Result<FolderLock, StoreError> {
    let failed = |reason: IoProblem| StoreError::LockFailed {
        path: path.to_path_buf(),
        reason,
    };
    let file = open_sidecar(path).map_err(|e| failed(lock_problem(&e)))?;
    check_regular(&file).map_err(|why| failed(IoProblem::Other(why)))?;
    file.lock().map_err(|e| failed(IoProblem::from(&e)))?;
    Ok(FolderLock { file })
}

/// The plans folder's lock, released on drop.
#[derive(Debug)]
pub(super) struct FolderLock {
    file: File,
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}
