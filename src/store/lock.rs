//! One writer per plan: an exclusive OS lock on the sidecar `<id>.lock`
//! (never on the JSON, whose inode every save replaces). The OS releases it
//! when the holder dies, even by SIGKILL; nothing here ever waits for it.
//!
//! The sidecar is opened without following a symbolic link, must be a
//! regular file with one name, and is only ever rewritten (with this
//! process's id) when it is empty or holds nothing but a process id: a
//! file someone put there is refused, never truncated.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

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

/// Take the lock at `path` for plan `id`, or say who holds it.
pub(super) fn acquire(path: PathBuf, id: &str) -> Result<PlanLock, StoreError> {
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
            let _ = write_pid(&mut file);
            Ok(PlanLock {
                file,
                path,
                id: id.to_string(),
                seen: None,
            })
        }
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Locked {
            id: id.to_string(),
            pid: read_pid(&mut file),
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

/// Empty, or a process id and white space: what mde-migrate writes.
fn holds_only_a_pid(file: &mut File) -> io::Result<bool> {
    let mut bytes = Vec::new();
    file.rewind()?;
    file.take(33).read_to_end(&mut bytes)?;
    if bytes.len() > 32 {
        return Ok(false);
    }
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Ok(false);
    };
    let text = text.trim();
    Ok(text.is_empty() || text.parse::<u32>().is_ok())
}

fn write_pid(file: &mut File) -> io::Result<()> {
    file.set_len(0)?;
    file.rewind()?;
    writeln!(file, "{}", std::process::id())?;
    file.flush()
}

fn read_pid(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.rewind().ok()?;
    file.take(32).read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
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
