//! Plan files as bytes: reading with a size limit, and the bytes a save
//! writes. No file is read whole before its size is known.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::Path;

use serde_json::Value;

use super::error::{Broken, IoProblem, StoreError};
use super::{MAX_FILE_BYTES, REVISION_KEY};
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
    encode_sized(plan, path, 0)
}

/// [`encode`] into a buffer of about `hint` bytes (the size of the file it
/// replaces), so a large plan is not copied as the buffer grows.
fn encode_sized(plan: &Plan, path: &Path, hint: usize) -> Result<Vec<u8>, StoreError> {
    let mut bytes = Vec::with_capacity(hint.saturating_add(hint / 8).saturating_add(256));
    let result = if plan.schema_version == SCHEMA_VERSION {
        serde_json::to_writer_pretty(&mut bytes, plan)
    } else {
        let mut current = plan.clone();
        current.schema_version = SCHEMA_VERSION;
        serde_json::to_writer_pretty(&mut bytes, &current)
    };
    result.map_err(|e| StoreError::Write {
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

/// The bytes saved for `plan` at revision `revision` ([`REVISION_KEY`]),
/// in a buffer of about `hint` bytes. The revision is written into the
/// encoded text (in place of the plan's own, or as the last key), without
/// a copy of the plan; a plan whose revision is not a number is copied
/// with it set.
pub(super) fn encode_stamped(
    plan: &Plan,
    path: &Path,
    revision: u64,
    hint: usize,
) -> Result<Vec<u8>, StoreError> {
    match plan.extra.get(REVISION_KEY) {
        Some(v) if v.is_u64() => {
            let mut bytes = encode_sized(plan, path, hint)?;
            if set_top_number(&mut bytes, REVISION_KEY, revision) {
                return Ok(bytes);
            }
        }
        None => {
            let mut bytes = encode_sized(plan, path, hint)?;
            if bytes.ends_with(b"\n}\n") {
                let at = bytes.len() - 3;
                let line = format!(",\n  \"{REVISION_KEY}\": {revision}");
                bytes.splice(at..at, line.into_bytes());
                return Ok(bytes);
            }
        }
        Some(_) => {}
    }
    let mut stamped = plan.clone();
    stamped
        .extra
        .insert(REVISION_KEY.into(), Value::from(revision));
    encode_sized(&stamped, path, hint)
}

/// In pretty JSON, replace the number of top-level key `key` with `value`.
/// Only top-level keys are indented by exactly two spaces, and no string
/// holds a raw line break, so `\n  "key": ` is that key and nothing else.
fn set_top_number(bytes: &mut Vec<u8>, key: &str, value: u64) -> bool {
    let needle = format!("\n  \"{key}\": ");
    let Some(at) = bytes
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
    else {
        return false;
    };
    let start = at + needle.len();
    let len = bytes[start..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if len == 0 || !matches!(bytes.get(start + len), Some(b',' | b'\n')) {
        return false;
    }
    bytes.splice(start..start + len, value.to_string().into_bytes());
    true
}

/// The length and a hash of a file's bytes.
pub(super) type Digest = (u64, u64);

/// The [`Digest`] of `bytes`: equal digests mean, for any practical
/// purpose, the same bytes.
pub(super) fn digest(bytes: &[u8]) -> Digest {
    use std::hash::Hasher;
    let mut h = std::hash::DefaultHasher::new();
    h.write(bytes);
    (bytes.len() as u64, h.finish())
}

/// [`digest`] of the file at `path`, read in small pieces (never whole),
/// with the device and inode it was read from; the same refusals as
/// [`read_with_id`].
pub(super) fn digest_of(path: &Path) -> Result<(Digest, (u64, u64)), StoreError> {
    use std::hash::Hasher;
    let (file, opened) = open_checked(path)?;
    let mut h = std::hash::DefaultHasher::new();
    let mut len = 0u64;
    let mut buf = vec![0u8; 64 << 10];
    let mut file = file.take(MAX_FILE_BYTES + 1);
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(StoreError::Read {
                    path: path.to_path_buf(),
                    reason: IoProblem::from(&e),
                });
            }
        };
        h.write(&buf[..n]);
        len += n as u64;
    }
    Ok(((len, h.finish()), super::lock::file_id(&opened)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        Plan::new(
            "Plan",
            "Contoso",
            "Symantec",
            "generic-2023",
            "2026-12-01T10:00:00Z",
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    fn revision_in(bytes: &[u8]) -> Option<u64> {
        let v: Value = serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{e}"));
        v.get(REVISION_KEY).and_then(Value::as_u64)
    }

    #[test]
    fn the_revision_is_stamped_into_the_text_as_a_copy_would_have_it() {
        let path = Path::new("p.json");
        let mut p = plan();
        p.extra.insert("zz".into(), Value::from("last"));
        // No revision yet: added as a key.
        let bytes = encode_stamped(&p, path, 1, 0).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(revision_in(&bytes), Some(1));
        // One already: replaced, and nothing else changes.
        p.extra.insert(REVISION_KEY.into(), Value::from(7));
        let bytes = encode_stamped(&p, path, 12345, 10).unwrap_or_else(|e| panic!("{e}"));
        let mut copy = p.clone();
        copy.extra.insert(REVISION_KEY.into(), Value::from(12345));
        assert_eq!(bytes, encode(&copy, path).unwrap_or_else(|e| panic!("{e}")));
        // A note holding the same words is not the key.
        p.answers.entry("x".into()).or_default().note = "\n  \"revision\": 3,".into();
        let bytes = encode_stamped(&p, path, 8, 0).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(revision_in(&bytes), Some(8));
        let back: Value = serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back["answers"]["x"]["note"], "\n  \"revision\": 3,");
        // Not a number: copied with the revision set.
        p.extra.insert(REVISION_KEY.into(), Value::from("seven"));
        let bytes = encode_stamped(&p, path, 9, 0).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(revision_in(&bytes), Some(9));
    }

    #[test]
    fn a_file_digest_is_the_digest_of_its_bytes() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("p.json");
        let bytes: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap_or_else(|e| panic!("{e}"));
        let (d, _) = digest_of(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d, digest(&bytes));
        assert_ne!(d, digest(&bytes[1..]));
    }
}
