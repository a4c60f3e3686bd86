//! One writer per plan: an exclusive OS lock on the sidecar `<id>.lock`
//! (never on the JSON, whose inode every save replaces). The OS releases it
//! when the holder dies, even by SIGKILL. Only [`acquire_waiting`] waits,
//! a bounded time, and never for a wizard.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::error::{IoProblem, StoreError};

/// Proof that this process is the one writer of a plan. Released on drop.
/// The sidecar file stays: removing it would let two processes lock two
/// different files of the same name.
#[derive(Debug)]
pub struct PlanLock {
    file: File,
    path: PathBuf,
    id: String,
}

impl PlanLock {
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The sidecar lock file.
    pub fn path(&self) -> &Path {
        &self.path
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
                let (_, holder) = read_holder(&path);
                if holder == Some(HolderKind::Wizard) || start.elapsed() >= timeout {
                    // Read again: a writer between two holders may have left
                    // the sidecar half written.
                    let pid = pid.or(read_holder(&path).0);
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
pub fn holder(path: &Path) -> (Option<u32>, Option<HolderKind>) {
    read_holder(path)
}

fn acquire_as(path: PathBuf, id: &str, kind: HolderKind) -> Result<PlanLock, StoreError> {
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| StoreError::LockFailed {
            path: path.clone(),
            reason: IoProblem::from(&e),
        })?;
    match file.try_lock() {
        Ok(()) => {
            // Only for the other instance's message; a lock without a pid
            // is still a lock.
            let _ = write_pid(&mut file, kind);
            Ok(PlanLock {
                file,
                path,
                id: id.to_string(),
            })
        }
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Locked {
            id: id.to_string(),
            pid: read_holder(&path).0,
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(StoreError::LockFailed {
            path,
            reason: IoProblem::from(&e),
        }),
    }
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
fn read_holder(path: &Path) -> (Option<u32>, Option<HolderKind>) {
    let mut text = String::new();
    let read = File::open(path).and_then(|f| f.take(64).read_to_string(&mut text));
    if read.is_err() {
        return (None, None);
    }
    let mut words = text.split_whitespace();
    let pid = words.next().and_then(|w| w.parse().ok());
    let kind = match words.next() {
        Some("wizard") => Some(HolderKind::Wizard),
        Some("cli") => Some(HolderKind::Cli),
        _ => None,
    };
    (pid, kind)
}
