//! One writer per plan: an exclusive OS lock on the sidecar `<id>.lock`
//! (never on the JSON, whose inode every save replaces). The OS releases it
//! when the holder dies, even by SIGKILL; nothing here ever waits for it.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

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

/// Take the lock at `path` for plan `id`, or say who holds it.
pub(super) fn acquire(path: PathBuf, id: &str) -> Result<PlanLock, StoreError> {
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
            let _ = write_pid(&mut file);
            Ok(PlanLock {
                file,
                path,
                id: id.to_string(),
            })
        }
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Locked {
            id: id.to_string(),
            pid: read_pid(&path),
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(StoreError::LockFailed {
            path,
            reason: IoProblem::from(&e),
        }),
    }
}

fn write_pid(file: &mut File) -> io::Result<()> {
    file.set_len(0)?;
    file.rewind()?;
    writeln!(file, "{}", std::process::id())?;
    file.flush()
}

fn read_pid(path: &Path) -> Option<u32> {
    let mut text = String::new();
    File::open(path)
        .ok()?
        .take(32)
        .read_to_string(&mut text)
        .ok()?;
    text.trim().parse().ok()
}
