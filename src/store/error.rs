//! What can go wrong with plan files, as values a caller can match on and
//! messages an operator can act on. No I/O here; messages quote the path or
//! value and say what to do.

use std::io;
use std::path::PathBuf;

use crate::plan::SCHEMA_VERSION;

use super::MAX_FILE_BYTES;

/// Everything the store can refuse or fail at.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "cannot find a data directory for plans (is HOME set?); pass --state-dir DIR or set MDE_MIGRATE_HOME"
    )]
    NoDataDir,
    #[error("the state directory given is empty; pass --state-dir DIR with a real directory")]
    EmptyDir,
    #[error(
        "no plans directory at {dir}; create a plan first with `mde-migrate new --name NAME`, or point --state-dir / MDE_MIGRATE_HOME at the right place",
        dir = dir.display()
    )]
    MissingDir { dir: PathBuf },
    #[error("{dir} is not a directory; point --state-dir / MDE_MIGRATE_HOME at a directory", dir = dir.display())]
    NotADir { dir: PathBuf },
    #[error("cannot use the plans directory {dir}: {reason}{hint}", dir = dir.display(), hint = reason.hint())]
    Dir { dir: PathBuf, reason: IoProblem },
    #[error(
        "{id:?} is not a plan id; ids look like \"contoso-rollout-1a2b3c4d\" (see `mde-migrate plans`)"
    )]
    BadId { id: String },
    #[error("no plan file {path}; see `mde-migrate plans` for the plans there are", path = path.display())]
    NoFile { path: PathBuf },
    #[error("a plan file already exists at {path}; choose another name", path = path.display())]
    Exists { path: PathBuf },
    #[error(
        "not imported: {path} is another plan with the same file name (a different unique id), so it is left as it is; rename one of the plans, or copy the file into another plans folder",
        path = path.display()
    )]
    DifferentPlan { path: PathBuf },
    #[error("a plan named {existing:?} already exists (id {id}); choose another name")]
    NameTaken { existing: String, id: String },
    #[error("{}", not_found(wanted, known))]
    NotFound { wanted: String, known: Vec<String> },
    #[error("{wanted:?} matches several plans ({}); name one by its id", ids.join(", "))]
    Ambiguous { wanted: String, ids: Vec<String> },
    #[error(
        "plan file {path}: {problem}; the file is left as it is: repair it by hand, or set it aside and start the plan again",
        path = path.display()
    )]
    Broken { path: PathBuf, problem: Broken },
    #[error(
        "not saved: {path} was written by a newer mde-migrate (schema {found}; this one knows {SCHEMA_VERSION}); it stays read-only here: upgrade mde-migrate to change it",
        path = path.display()
    )]
    Newer { path: PathBuf, found: u32 },
    #[error(
        "plan {id} is open in another mde-migrate{}; only that one may change it, so it is read-only here: close it there first",
        holder(*pid)
    )]
    Locked { id: String, pid: Option<u32> },
    #[error("cannot lock {path}: {reason}{hint}", path = path.display(), hint = reason.hint())]
    LockFailed { path: PathBuf, reason: IoProblem },
    #[error("cannot read {path}: {reason}{hint}", path = path.display(), hint = reason.hint())]
    Read { path: PathBuf, reason: IoProblem },
    #[error("cannot remove {path}: {reason}{hint}", path = path.display(), hint = reason.hint())]
    Remove { path: PathBuf, reason: IoProblem },
    #[error(
        "not saved: {path}: the plan would be {len} bytes, more than the {} MiB a plan file may be; shorten its notes",
        MAX_FILE_BYTES >> 20,
        path = path.display()
    )]
    TooBig { path: PathBuf, len: u64 },
    #[error(
        "not saved: the plan changed on disk since it was opened ({why}); the answers here are kept: reload the plan to see the other change, or save them as a copy under another name ({path})",
        path = path.display()
    )]
    Conflict { path: PathBuf, why: String },
    #[error(
        "not saved: the plans folder {dir} was removed while the plan was open; it is not made again behind your back: restore the folder or point --state-dir / MDE_MIGRATE_HOME at the right place",
        dir = dir.display()
    )]
    DirGone { dir: PathBuf },
    #[error(
        "not saved: {path} is a symbolic link, and mde-migrate never writes through one; it is read-only here: copy the plan file itself into the plans folder to change it",
        path = path.display()
    )]
    Symlinked { path: PathBuf },
    #[error("not saved: {path}: {reason}{hint}", path = path.display(), hint = reason.hint())]
    Write { path: PathBuf, reason: IoProblem },
    #[error("plan {id} can't be changed: {reason}")]
    ReadOnly {
        id: String,
        reason: super::ReadOnlyReason,
    },
    #[error("{0}")]
    Plan(#[from] crate::plan::PlanError),
}

fn not_found(wanted: &str, known: &[String]) -> String {
    if known.is_empty() {
        return format!(
            "no plan named {wanted:?}: there are no plans yet; create one with `mde-migrate new --name NAME`"
        );
    }
    let names: Vec<String> = known
        .iter()
        .map(|n| format!("{:?}", crate::sanitize::line(n)))
        .collect();
    format!(
        "no plan named {wanted:?}; the plans are: {}",
        names.join(", ")
    )
}

fn holder(pid: Option<u32>) -> String {
    match pid {
        Some(p) if p == std::process::id() => " (held by this process)".into(),
        Some(p) => format!(" (held by process {p})"),
        None => String::new(),
    }
}

/// Why a plan file cannot be read as a plan. Each kind has its own message
/// because each has its own cause.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Broken {
    #[error("empty (0 bytes) — the sign of an interrupted write by another tool")]
    Empty,
    #[error("{len} bytes, more than the {} MiB a plan file may be", MAX_FILE_BYTES >> 20)]
    TooLarge { len: u64 },
    #[error("not text (binary data or NUL bytes), so not a plan file")]
    NotText,
    #[error("cut off before its end — the sign of an interrupted write by another tool")]
    Truncated,
    #[error("not valid JSON (line {line}, column {column})")]
    Syntax { line: usize, column: usize },
    #[error("not the shape of a plan: {detail}")]
    Shape { detail: String },
    #[error("nested too deeply to be a plan (more than 128 levels)")]
    TooDeep,
    #[error("has no schema_version (or version 0), so mde-migrate did not write it")]
    NoVersion,
    #[error("has schema_version {found}, which is not a version number")]
    BadVersion { found: String },
    #[error(
        "written by a newer mde-migrate (schema {found}) in a shape this one cannot read ({detail}); upgrade mde-migrate"
    )]
    NewerUnreadable { found: u32, detail: String },
}

/// An I/O failure in words an operator knows, with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IoProblem {
    #[error("disk full")]
    DiskFull,
    #[error("disk quota exceeded")]
    QuotaExceeded,
    #[error("read-only file system")]
    ReadOnlyFs,
    #[error("permission denied")]
    PermissionDenied,
    #[error("directory missing")]
    DirMissing,
    #[error("{0}")]
    Other(String),
}

impl IoProblem {
    /// The operator's next move, as a suffix for a message.
    pub fn hint(&self) -> &'static str {
        match self {
            IoProblem::DiskFull | IoProblem::QuotaExceeded => "; free some space, then save again",
            IoProblem::ReadOnlyFs => {
                "; choose a writable place with --state-dir or MDE_MIGRATE_HOME"
            }
            IoProblem::PermissionDenied => {
                "; check the owner and permissions of the plans directory, or choose another with --state-dir"
            }
            IoProblem::DirMissing => "; it was removed: check --state-dir / MDE_MIGRATE_HOME",
            IoProblem::Other(_) => "",
        }
    }
}

impl From<&io::Error> for IoProblem {
    fn from(e: &io::Error) -> IoProblem {
        match e.kind() {
            io::ErrorKind::StorageFull => IoProblem::DiskFull,
            io::ErrorKind::QuotaExceeded => IoProblem::QuotaExceeded,
            io::ErrorKind::ReadOnlyFilesystem => IoProblem::ReadOnlyFs,
            io::ErrorKind::PermissionDenied => IoProblem::PermissionDenied,
            io::ErrorKind::NotFound => IoProblem::DirMissing,
            _ => IoProblem::Other(e.to_string()),
        }
    }
}
