//! Atomic, durable file writes in the plans directory: temp file in the same
//! directory, write, fsync, rename, fsync the directory. Nothing here may
//! leave a half-written `<id>.json` behind, whatever moment the process dies.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::error::{IoProblem, StoreError};

/// Whether the write may replace an existing file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Replace,
    /// Fails with [`StoreError::Exists`] if the file is there, atomically.
    New,
}

/// Write `<dir>/<id>.json` atomically: the content `write` puts into a temp
/// file (`.<id>.*.tmp`, same directory) replaces the file only once it is
/// complete and on disk. A failed write or sync is a failed save, reported as
/// [`StoreError::Write`]; the old file is then untouched. If the directory
/// was removed, it is created again and the write tried once more.
///
/// The save path of [`Store::save`](super::Store::save) uses this; `write`
/// is a parameter so tests can make the disk fail.
pub fn write_atomic(
    dir: &Path,
    id: &str,
    write: impl FnMut(&mut File) -> io::Result<()>,
) -> Result<PathBuf, StoreError> {
    write_file(dir, id, Mode::Replace, write)
}

pub(super) fn write_file(
    dir: &Path,
    id: &str,
    mode: Mode,
    mut write: impl FnMut(&mut File) -> io::Result<()>,
) -> Result<PathBuf, StoreError> {
    let target = super::inside(dir, id, "json")?;
    let mut result = attempt(dir, id, &target, mode, &mut write);
    if matches!(&result, Err(e) if e.kind() == io::ErrorKind::NotFound) && !dir.exists() {
        result = fs::create_dir_all(dir).and_then(|()| attempt(dir, id, &target, mode, &mut write));
    }
    match result {
        Ok(()) => Ok(target),
        Err(e) if mode == Mode::New && e.kind() == io::ErrorKind::AlreadyExists => {
            Err(StoreError::Exists { path: target })
        }
        Err(e) => Err(StoreError::Write {
            path: target,
            reason: IoProblem::from(&e),
        }),
    }
}

fn attempt(
    dir: &Path,
    id: &str,
    target: &Path,
    mode: Mode,
    write: &mut impl FnMut(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    let prefix = format!(".{id}.");
    let mut tmp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .tempfile_in(dir)?;
    write(tmp.as_file_mut())?;
    tmp.as_file().sync_all()?;
    match mode {
        Mode::Replace => tmp.persist(target).map_err(|e| e.error)?,
        Mode::New => tmp.persist_noclobber(target).map_err(|e| e.error)?,
    };
    sync_dir(dir)
}

/// Make a rename or removal in `dir` durable. File systems that cannot sync
/// a directory say so with EINVAL or "unsupported"; only those are ignored.
#[cfg(unix)]
pub(super) fn sync_dir(dir: &Path) -> io::Result<()> {
    match File::open(dir).and_then(|d| d.sync_all()) {
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::InvalidInput | io::ErrorKind::Unsupported
            ) =>
        {
            Ok(())
        }
        other => other,
    }
}

/// Elsewhere (Windows) std cannot open a directory to sync it; the rename
/// itself is left to the OS.
#[cfg(not(unix))]
pub(super) fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// Remove temp files (`.*.tmp`) left in `dir` by writers that died, if older
/// than `older_than`. Returns the files removed. A live writer's temp file is
/// younger than any sensible `older_than`.
pub(super) fn sweep(dir: &Path, older_than: Duration) -> io::Result<Vec<PathBuf>> {
    let now = SystemTime::now();
    let mut removed = Vec::new();
    for entry in fs::read_dir(dir)?.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !(name.starts_with('.') && name.ends_with(".tmp")) {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        let age = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .unwrap_or(Duration::ZERO);
        if meta.is_file() && age >= older_than && fs::remove_file(entry.path()).is_ok() {
            removed.push(entry.path());
        }
    }
    Ok(removed)
}
