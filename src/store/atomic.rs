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
/// file (`.<id>.json.<random>.mde-tmp`, same directory) replaces the file only once it is
/// complete and on disk. A failed write or sync is a failed save, reported as
/// [`StoreError::Write`]; the old file is then untouched. A directory that
/// was removed is [`StoreError::DirGone`]: it is never made again here.
///
/// The save path of [`Store::save_locked`](super::Store::save_locked) uses this; `write`
/// is a parameter so tests can make the disk fail.
pub(super) fn write_atomic(
    dir: &Path,
    id: &str,
    write: impl FnMut(&mut File) -> io::Result<()>,
) -> Result<PathBuf, StoreError> {
    write_file(dir, id, Mode::Replace, write)
}

/// Write any file (a report) atomically the way plans are written: a temp
/// file next to it (`.<name>.<random>.mde-tmp`), written by `write`,
/// synced, given the old file's mode and group, then renamed over `path`
/// and the folder synced. A failure at any point leaves the old file as it
/// was and removes the temp file. A symbolic link at `path` is replaced by
/// the file, never written through.
pub fn write_path_atomic(
    path: &Path,
    mut write: impl FnMut(&mut File) -> io::Result<()>,
) -> Result<(), StoreError> {
    let failed = |e: &io::Error| StoreError::Write {
        path: path.to_path_buf(),
        reason: IoProblem::from(e),
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| failed(&io::Error::other("not a file name")))?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let result = (|| {
        let mut tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(TEMP_SUFFIX)
            .rand_bytes(TEMP_RANDOM)
            .tempfile_in(dir)?;
        write(tmp.as_file_mut())?;
        if let Ok(old) = fs::symlink_metadata(path)
            && old.is_file()
        {
            keep_access(tmp.as_file(), &old)?;
        }
        tmp.as_file().sync_all()?;
        tmp.persist(path).map_err(|e| e.error)?;
        sync_dir(dir)
    })();
    result.map_err(|e| failed(&e))
}

pub(super) fn write_file(
    dir: &Path,
    id: &str,
    mode: Mode,
    mut write: impl FnMut(&mut File) -> io::Result<()>,
) -> Result<PathBuf, StoreError> {
    let target = super::inside(dir, id, "json")?;
    if fs::symlink_metadata(&target).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(StoreError::Symlinked { path: target });
    }
    let result = attempt(dir, id, &target, mode, &mut write);
    match result {
        Err(e) if e.kind() == io::ErrorKind::NotFound && !dir.is_dir() => {
            Err(StoreError::DirGone {
                dir: dir.to_path_buf(),
            })
        }
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
    let prefix = format!(".{id}.json.");
    let mut tmp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(TEMP_SUFFIX)
        .rand_bytes(TEMP_RANDOM)
        .tempfile_in(dir)?;
    write(tmp.as_file_mut())?;
    if mode == Mode::Replace
        && let Ok(old) = fs::symlink_metadata(target)
        && old.is_file()
    {
        keep_access(tmp.as_file(), &old)?;
    }
    tmp.as_file().sync_all()?;
    match mode {
        Mode::Replace => tmp.persist(target).map_err(|e| e.error)?,
        Mode::New => tmp.persist_noclobber(target).map_err(|e| e.error)?,
    };
    sync_dir(dir)
}

/// Give the new file the old one's permission bits and group, so a plan in
/// a shared folder (mode 664, group `users`) stays shared after a save.
/// The group is kept when this user may set it; otherwise the new file has
/// the user's group (what the operating system allows), never an error.
#[cfg(unix)]
fn keep_access(new: &File, old: &fs::Metadata) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let _ = std::os::unix::fs::fchown(new, None, Some(old.gid()));
    new.set_permissions(old.permissions())
}

#[cfg(not(unix))]
fn keep_access(new: &File, old: &fs::Metadata) -> io::Result<()> {
    new.set_permissions(old.permissions())
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

/// Suffix of every temp file the atomic writer makes.
pub(super) const TEMP_SUFFIX: &str = ".mde-tmp";
/// Random characters tempfile puts in a temp file's name.
const TEMP_RANDOM: usize = 6;

/// The plan id whose temp file `name` is, if `name` is exactly what
/// [`attempt`] makes: `.<id>.json.<6 letters or digits>.mde-tmp`. Other
/// programs' hidden files never match.
pub(super) fn temp_of(name: &str) -> Option<&str> {
    let inner = name.strip_prefix('.')?.strip_suffix(TEMP_SUFFIX)?;
    let (id, random) = inner.rsplit_once(".json.")?;
    (random.len() == TEMP_RANDOM
        && random.bytes().all(|b| b.is_ascii_alphanumeric())
        && super::id::is_valid(id))
    .then_some(id)
}

/// Remove the store's own temp files left in `dir` by writers that died
/// (of plan `only` if given, else of any plan), if older than
/// `older_than`. Returns the files removed. A live writer's temp file is
/// younger than any sensible `older_than`; nothing else is touched.
pub(super) fn sweep(
    dir: &Path,
    only: Option<&str>,
    older_than: Duration,
) -> io::Result<Vec<PathBuf>> {
    let now = SystemTime::now();
    let mut removed = Vec::new();
    for entry in fs::read_dir(dir)?.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(id) = temp_of(name) else { continue };
        if only.is_some_and(|o| o != id) {
            continue;
        }
        // Of the entry itself: a symbolic link is a plain file here.
        let Ok(meta) = fs::symlink_metadata(entry.path()) else {
            continue;
        };
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
