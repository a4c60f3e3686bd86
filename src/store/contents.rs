//! Plan files as bytes: reading with a size limit, and the bytes a save
//! writes. No file is read whole before its size is known.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::Path;

use super::MAX_FILE_BYTES;
use super::error::{Broken, IoProblem, StoreError};
use crate::plan::{Plan, SCHEMA_VERSION};

/// The file's bytes, refusing anything over [`MAX_FILE_BYTES`] before
/// reading it, and reading no more than that if it grows meanwhile; with
/// the device and inode of the file the bytes came from (measured on the
/// open handle, so they belong to those bytes).
pub(super) fn read_with_id(path: &Path) -> Result<(Vec<u8>, (u64, u64)), StoreError> {
    let (file, opened) = open_checked(path)?;
    let read_err = |e: io::Error| StoreError::Read {
        path: path.to_path_buf(),
        reason: IoProblem::from(&e),
    };
    let too_large = |len| StoreError::Broken {
        path: path.to_path_buf(),
        problem: Broken::TooLarge { len },
    };
    let mut bytes = Vec::with_capacity(usize::try_from(opened.len()).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok((bytes, super::lock::file_id(&opened)))
}

/// The plan file opened to read, with its metadata measured on the open
/// handle: refused if missing, not a regular file, or over
/// [`MAX_FILE_BYTES`], before a byte of it is read.
pub(super) fn open_checked(path: &Path) -> Result<(File, fs::Metadata), StoreError> {
    let read_err = |e: io::Error| StoreError::Read {
        path: path.to_path_buf(),
        reason: IoProblem::from(&e),
    };
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(StoreError::NoFile {
                path: path.to_path_buf(),
            });
        }
        Err(e) => return Err(read_err(e)),
    };
    if !meta.is_file() {
        return Err(StoreError::Read {
            path: path.to_path_buf(),
            reason: IoProblem::Other("not a regular file".into()),
        });
    }
    let too_large = |len| StoreError::Broken {
        path: path.to_path_buf(),
        problem: Broken::TooLarge { len },
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(meta.len()));
    }
    let file = open_plain(path).map_err(read_err)?;
    let opened = file.metadata().map_err(read_err)?;
    if !opened.is_file() {
        return Err(StoreError::Read {
            path: path.to_path_buf(),
            reason: IoProblem::Other("not a regular file".into()),
        });
    }
    if opened.len() > MAX_FILE_BYTES {
        return Err(too_large(opened.len()));
    }
    Ok((file, opened))
}

/// Open a file to read it, never blocking on a FIFO put in its place.
fn open_plain(path: &Path) -> io::Result<File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_CLOEXEC | libc::O_NONBLOCK);
    }
    options.open(path)
}

/// The bytes saved for `plan`: pretty JSON at this build's schema version,
/// refused if too large to be read back.
pub(super) fn encode(plan: &Plan, path: &Path) -> Result<Vec<u8>, StoreError> {
    let result = if plan.schema_version == SCHEMA_VERSION {
        serde_json::to_vec_pretty(plan)
    } else {
        let mut current = plan.clone();
        current.schema_version = SCHEMA_VERSION;
        serde_json::to_vec_pretty(&current)
    };
    let mut bytes = result.map_err(|e| StoreError::Write {
        path: path.to_path_buf(),
        reason: IoProblem::Other(format!("cannot encode the plan: {e}")),
    })?;
    super::summary::insert_progress(&mut bytes, plan);
    bytes.push(b'\n');
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(StoreError::TooBig {
            path: path.to_path_buf(),
            len: bytes.len() as u64,
        });
    }
    Ok(bytes)
}
