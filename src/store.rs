//! Plan files on disk: where they live, atomic and durable saves, one writer
//! per plan, schema versions and broken files. The only module that touches
//! the plans directory; nothing here draws or prompts, and nothing here
//! overwrites a file it could not read or that a newer build wrote.

use std::ffi::OsStr;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::plan::{Plan, SCHEMA_VERSION};

use contents::{encode, read_with_id};

mod atomic;
mod contents;
mod decode;
mod error;
mod id;
mod listing;
mod lock;
mod summary;
mod trash;

pub use atomic::write_path_atomic;
pub use decode::{Decoded, decode};
pub use error::{Broken, IoProblem, StoreError};
pub use id::{plan_file_id, plan_id};
pub use listing::{Listed, Listing};
pub use lock::{HolderKind, PlanLock};
pub use summary::{PROGRESS_KEY, SUMMARY_BYTES, Summary};
pub use trash::TRASH_DIR;

/// Environment variable naming the plans directory.
pub const ENV_HOME: &str = "MDE_MIGRATE_HOME";
/// Largest plan file read or written: 4 MiB.
pub const MAX_FILE_BYTES: u64 = 4 << 20;
/// The plans folder's own lock file, held while a plan is created.
pub const FOLDER_LOCK: &str = ".mde-migrate.lock";
/// Temp files older than this are a dead writer's and swept at open.
pub const STALE_TEMP_AGE: Duration = Duration::from_secs(10 * 60);

/// Key in a plan file holding its revision: how many times it was saved.
pub const REVISION_KEY: &str = "revision";

/// The plan file as a writer last read or wrote it: its revision and its
/// identity (device, inode). A save checks both are still what is on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    pub revision: u64,
    pub file: (u64, u64),
    /// The length and a hash of the bytes read or written
    /// ([`contents::digest`]): a file still holding exactly those bytes
    /// needs no second decode before it is written over.
    pub digest: (u64, u64),
}

/// Key in a plan file holding its unique id, given once at creation.
pub const UID_KEY: &str = "uid";

/// The unique id a plan carries, if it has one (plans made before ids
/// were given have none).
pub fn uid_of(plan: &Plan) -> Option<&str> {
    plan.extra.get(UID_KEY).and_then(serde_json::Value::as_str)
}

/// A fresh unique id: 128 bits hashed from the clock's nanoseconds, the
/// process id, a counter and a stack address, as 32 hex digits. Unique
/// across machines and runs for any practical purpose; no secret.
fn new_uid() -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let local = 0u8;
    let half = |salt: u64| {
        // RandomState is seeded randomly per process by std.
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(salt);
        h.write_u128(nanos);
        h.write_u32(std::process::id());
        h.write_u64(count);
        h.write_usize(std::ptr::addr_of!(local) as usize);
        h.finish()
    };
    format!("{:016x}{:016x}", half(1), half(2))
}

/// The revision a plan carries (0 for a plan never saved with one).
pub fn revision_of(plan: &Plan) -> u64 {
    plan.extra
        .get(REVISION_KEY)
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0)
}

/// The plans directory.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

/// A plan read from its file, and whether this process may change it.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub plan: Plan,
    pub access: Access,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    ReadWrite,
    ReadOnly(ReadOnlyReason),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadOnlyReason {
    /// A newer build wrote it; writing it back would drop its data.
    NewerSchema { found: u32 },
    /// Another mde-migrate holds the plan's lock.
    LockedByOther { pid: Option<u32> },
    /// The lock could not even be taken (read-only file system, permissions).
    NotWritable { reason: IoProblem },
    /// The plan file is a symbolic link: read through it, never written.
    Symlinked,
}

impl Store {
    /// The plans directory: `--state-dir` first, then `MDE_MIGRATE_HOME`,
    /// else `plans` in the user's local data directory.
    pub fn resolve_dir(cli: Option<&Path>) -> Result<PathBuf, StoreError> {
        Store::resolve_dir_with(cli, std::env::var_os(ENV_HOME).as_deref())
    }

    /// [`Store::resolve_dir`] with the environment value passed in. An
    /// empty environment value counts as unset; an empty `--state-dir` is
    /// a mistake.
    pub fn resolve_dir_with(
        cli: Option<&Path>,
        env_home: Option<&OsStr>,
    ) -> Result<PathBuf, StoreError> {
        if let Some(dir) = cli {
            if dir.as_os_str().is_empty() {
                return Err(StoreError::EmptyDir);
            }
            return Ok(dir.to_path_buf());
        }
        if let Some(dir) = env_home.filter(|d| !d.is_empty()) {
            return Ok(PathBuf::from(dir));
        }
        directories::ProjectDirs::from("", "", "mde-migrate")
            .map(|p| p.data_local_dir().join("plans"))
            .ok_or(StoreError::NoDataDir)
    }

    /// Open the plans directory. With `create`, make it if missing and sweep
    /// stale temp files; without, a missing directory is
    /// [`StoreError::MissingDir`] and nothing is changed on disk.
    pub fn open(dir: impl Into<PathBuf>, create: bool) -> Result<Store, StoreError> {
        let dir = dir.into();
        if dir.as_os_str().is_empty() {
            return Err(StoreError::EmptyDir);
        }
        let dir = std::path::absolute(&dir).unwrap_or(dir);
        match fs::metadata(&dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Err(StoreError::NotADir { dir }),
            Err(e) if e.kind() == io::ErrorKind::NotFound && create => {
                fs::create_dir_all(&dir).map_err(|e| StoreError::Dir {
                    reason: IoProblem::from(&e),
                    dir: dir.clone(),
                })?;
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(StoreError::MissingDir { dir });
            }
            Err(e) => {
                return Err(StoreError::Dir {
                    reason: IoProblem::from(&e),
                    dir,
                });
            }
        }
        let store = Store { dir };
        if create {
            // Best effort: a sweep that fails leaves hidden files, no harm.
            let _ = store.sweep_temp_files(STALE_TEMP_AGE);
        }
        Ok(store)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file of plan `id`, checked to be inside the directory.
    pub fn path_of(&self, id: &str) -> Result<PathBuf, StoreError> {
        inside(&self.dir, id, "json")
    }

    /// Save a new plan under [`plan_file_id`] of its name and unique id
    /// (given here if it has none). Refuses if that file
    /// exists or another plan has the same name in any letter case. The
    /// check and the creation are one step under the folder's lock
    /// ([`FOLDER_LOCK`]), so two creations at once make one plan.
    pub fn create(&self, plan: &Plan) -> Result<String, StoreError> {
        let _folder = lock::folder(&self.dir.join(FOLDER_LOCK))?;
        self.create_unlocked(plan)
    }

    /// [`Store::create`]'s body; the caller holds the folder's lock.
    fn create_unlocked(&self, plan: &Plan) -> Result<String, StoreError> {
        let mut plan = plan.clone();
        if uid_of(&plan).is_none() {
            plan.extra
                .insert(UID_KEY.into(), serde_json::Value::from(new_uid()));
        }
        let id = match uid_of(&plan) {
            Some(uid) => id::plan_file_id(&plan.name, uid),
            None => plan_id(&plan.name),
        };
        let path = self.path_of(&id)?;
        if fs::symlink_metadata(&path).is_ok() {
            return Err(StoreError::Exists { path });
        }
        self.check_name_free(&plan.name, None)?;
        let bytes = encode(&plan, &path)?;
        atomic::write_file(&self.dir, &id, atomic::Mode::New, |f| f.write_all(&bytes))?;
        Ok(id)
    }

    /// Bring in a plan file from elsewhere (another machine, a backup),
    /// under its own file name. It must read as a plan of this or an older
    /// schema. A plan already there under that name is replaced only when
    /// it is the same plan (the same unique id) and nobody holds it; a
    /// different plan of that name, or another plan already called the
    /// same in any letter case, is refused and left as it is.
    pub fn import_plan(&self, from: &Path) -> Result<String, StoreError> {
        let (bytes, _) = read_with_id(from)?;
        let decoded = decode(&bytes).map_err(|problem| StoreError::Broken {
            path: from.to_path_buf(),
            problem,
        })?;
        if let Some(found) = decoded.newer {
            return Err(StoreError::Newer {
                path: from.to_path_buf(),
                found,
            });
        }
        let incoming = decoded.plan;
        let id = from
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".json"))
            .filter(|n| id::is_valid(n))
            .map_or_else(|| plan_id(&incoming.name), str::to_string);
        let path = self.path_of(&id)?;
        let _folder = lock::folder(&self.dir.join(FOLDER_LOCK))?;
        if fs::symlink_metadata(&path).is_err() {
            self.check_name_free(&incoming.name, None)?;
            let bytes = encode(&incoming, &path)?;
            atomic::write_file(&self.dir, &id, atomic::Mode::New, |f| f.write_all(&bytes))?;
            return Ok(id);
        }
        let (existing, lock) = self.load_for_edit(&id)?;
        let Some(mut lock) = lock else {
            return Err(match existing.access {
                Access::ReadOnly(ReadOnlyReason::LockedByOther { pid }) => {
                    StoreError::Locked { id, pid }
                }
                _ => StoreError::Exists { path },
            });
        };
        match (uid_of(&existing.plan), uid_of(&incoming)) {
            (Some(a), Some(b)) if a == b => {}
            _ => return Err(StoreError::DifferentPlan { path }),
        }
        self.check_name_free(&incoming.name, Some(&id))?;
        self.save_locked(&mut lock, &incoming)?;
        Ok(id)
    }

    /// Rename plan `id` to `name`, as one step under the folder's lock
    /// ([`FOLDER_LOCK`]), like [`Store::create`]: of two renames (or a
    /// rename and a creation) to the same name at once, one wins and the
    /// other is refused with [`StoreError::NameTaken`]. The plan must not
    /// be open in another mde-migrate; it is saved through its lock with
    /// the revision check. Returns the plan as saved.
    pub fn rename(&self, id: &str, name: &str, now: &str) -> Result<Plan, StoreError> {
        let _folder = lock::folder(&self.dir.join(FOLDER_LOCK))?;
        let (loaded, lock) = self.load_for_edit(id)?;
        let Some(mut lock) = lock else {
            return Err(match loaded.access {
                Access::ReadOnly(ReadOnlyReason::LockedByOther { pid }) => StoreError::Locked {
                    id: id.to_string(),
                    pid,
                },
                Access::ReadOnly(reason) => StoreError::ReadOnly {
                    id: id.to_string(),
                    reason,
                },
                Access::ReadWrite => StoreError::LockFailed {
                    path: inside(&self.dir, id, "lock")?,
                    reason: IoProblem::Other("the lock was not taken".into()),
                },
            });
        };
        let mut plan = loaded.plan;
        plan.rename(name, now)?;
        self.check_name_free(&plan.name, Some(id))?;
        self.save_locked(&mut lock, &plan)?;
        Ok(plan)
    }

    /// Save `plan` as a new plan: a copy under a free name ("NAME (copy)",
    /// "NAME (copy 2)", …) with a new unique id and its own file, made
    /// under the folder's lock like [`Store::create`]. Never overwrites a
    /// file; this is how answers refused by the revision check are kept.
    /// Returns the new plan's id.
    pub fn create_copy(&self, plan: &Plan, now: &str) -> Result<String, StoreError> {
        let mut copy = plan.clone();
        copy.extra.remove(UID_KEY);
        copy.extra.remove(REVISION_KEY);
        copy.updated = now.to_string();
        // A name near the length limit gives up its end to the suffix.
        let clean = crate::sanitize::line(plan.name.trim());
        let base: String = clean
            .chars()
            .take(crate::plan::MAX_NAME.saturating_sub(" (copy 1000)".len()))
            .collect();
        let base = base.trim_end();
        let _folder = lock::folder(&self.dir.join(FOLDER_LOCK))?;
        let taken: Vec<String> = self
            .list()?
            .into_iter()
            .filter_map(|l| match l {
                Listing::Plan { plan, .. } => Some(plan.name.trim().to_lowercase()),
                Listing::Broken { .. } => None,
            })
            .collect();
        let name = (1..=1000)
            .map(|n| match n {
                1 => format!("{base} (copy)"),
                n => format!("{base} (copy {n})"),
            })
            .find(|n| !taken.contains(&n.to_lowercase()))
            .ok_or_else(|| StoreError::NameTaken {
                existing: format!("{base} (copy)"),
                id: String::new(),
            })?;
        copy.rename(&name, now)?;
        self.create_unlocked(&copy)
    }

    /// Save the plan `lock` holds, the way every writer of a session must:
    /// under the lock, refuse with [`StoreError::Conflict`] when the lock
    /// file is no longer the one held, or the plan file is not the one this
    /// process last read or wrote (another revision, another file, gone);
    /// refuse with [`StoreError::DirGone`] when the plans folder was
    /// removed. Nothing is written then, and `plan` is the caller's still.
    /// On success the file carries the next revision, and `lock` remembers
    /// it.
    pub fn save_locked(&self, lock: &mut PlanLock, plan: &Plan) -> Result<(), StoreError> {
        let id = lock.id().to_string();
        let path = self.path_of(&id)?;
        if plan.schema_version > SCHEMA_VERSION {
            return Err(StoreError::Newer {
                path,
                found: plan.schema_version,
            });
        }
        if !fs::symlink_metadata(&self.dir).is_ok_and(|m| m.is_dir()) {
            return Err(StoreError::DirGone {
                dir: self.dir.clone(),
            });
        }
        let conflict = |why: &str| StoreError::Conflict {
            path: path.clone(),
            why: why.to_string(),
        };
        if !lock.still_ours() {
            return Err(conflict(
                "its lock file was removed or replaced, so another program may have written it",
            ));
        }
        if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(StoreError::Symlinked { path });
        }
        // The file holding exactly the bytes last read or written here is
        // known (read without a second copy of a large plan in memory);
        // any other is read and decoded to say precisely what changed.
        let (revision, file, on_disk_len) = match contents::digest_of(&path) {
            Err(StoreError::NoFile { .. }) => {
                return Err(conflict("the plan file was removed"));
            }
            Ok((digest, file))
                if lock
                    .seen
                    .is_some_and(|seen| digest == seen.digest && file == seen.file) =>
            {
                (lock.seen.map_or(0, |seen| seen.revision), file, digest.0)
            }
            Ok(_) | Err(_) => {
                let (bytes, file) = match read_with_id(&path) {
                    Err(StoreError::NoFile { .. }) => {
                        return Err(conflict("the plan file was removed"));
                    }
                    other => other?,
                };
                let on_disk = match decode(&bytes) {
                    Ok(Decoded { newer: None, plan }) => plan,
                    Ok(Decoded {
                        newer: Some(found), ..
                    }) => return Err(StoreError::Newer { path, found }),
                    Err(problem) => return Err(StoreError::Broken { path, problem }),
                };
                (revision_of(&on_disk), file, bytes.len() as u64)
            }
        };
        let Some(seen) = lock.seen else {
            return Err(conflict(
                "it was not read under this lock, so what is on disk was never seen here",
            ));
        };
        if seen.file != file {
            return Err(conflict("the plan file was replaced by another one"));
        }
        if seen.revision != revision {
            return Err(conflict(&format!(
                "revision {revision} on disk, {} when it was opened",
                seen.revision
            )));
        }
        let next = revision.saturating_add(1);
        let hint = usize::try_from(on_disk_len).unwrap_or(0);
        let bytes = contents::encode_stamped(plan, &path, next, hint)?;
        atomic::write_atomic(&self.dir, &id, |f| f.write_all(&bytes))?;
        let digest = contents::digest(&bytes);
        drop(bytes);
        lock.seen = lock::identity_at(&path).map(|file| Seen {
            revision: next,
            file,
            digest,
        });
        Ok(())
    }

    /// Read plan `id`. A file from a newer build is read leniently and
    /// comes back read-only; older ones are migrated.
    pub fn load(&self, id: &str) -> Result<Loaded, StoreError> {
        self.load_with_id(id).map(|(loaded, _, _)| loaded)
    }

    fn load_with_id(&self, id: &str) -> Result<(Loaded, (u64, u64), contents::Digest), StoreError> {
        let path = self.path_of(id)?;
        let (bytes, file) = read_with_id(&path)?;
        let digest = contents::digest(&bytes);
        let decoded = decode(&bytes).map_err(|problem| StoreError::Broken { path, problem })?;
        drop(bytes);
        let access = match decoded.newer {
            Some(found) => Access::ReadOnly(ReadOnlyReason::NewerSchema { found }),
            None => Access::ReadWrite,
        };
        Ok((
            Loaded {
                plan: decoded.plan,
                access,
            },
            file,
            digest,
        ))
    }

    /// Read plan `id` to change it: take its lock first, so what is read is
    /// what this process will write over. The lock comes back exactly when
    /// the access is [`Access::ReadWrite`]; otherwise the plan is read-only
    /// and the reason says why.
    pub fn load_for_edit(&self, id: &str) -> Result<(Loaded, Option<PlanLock>), StoreError> {
        self.load_for_edit_waiting(id, HolderKind::Wizard, Duration::ZERO)
    }

    /// [`Store::load_for_edit`] for a short writer of `kind`: while another
    /// command-line writer holds the plan, wait up to `wait` for it (a
    /// wizard is never waited for).
    pub fn load_for_edit_waiting(
        &self,
        id: &str,
        kind: HolderKind,
        wait: Duration,
    ) -> Result<(Loaded, Option<PlanLock>), StoreError> {
        let path = self.path_of(id)?;
        if !path.is_file() {
            return Err(StoreError::NoFile { path });
        }
        if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            let mut loaded = self.load(id)?;
            if loaded.access == Access::ReadWrite {
                loaded.access = Access::ReadOnly(ReadOnlyReason::Symlinked);
            }
            return Ok((loaded, None));
        }
        let lock = match lock::acquire_waiting(inside(&self.dir, id, "lock")?, id, kind, wait) {
            Ok(lock) => Ok(lock),
            Err(StoreError::Locked { pid, .. }) => Err(ReadOnlyReason::LockedByOther { pid }),
            Err(StoreError::LockFailed { reason, .. }) => {
                Err(ReadOnlyReason::NotWritable { reason })
            }
            Err(e) => return Err(e),
        };
        let (mut loaded, file, digest) = self.load_with_id(id)?;
        match (lock, &loaded.access) {
            (Ok(mut lock), Access::ReadWrite) => {
                lock.seen = Some(Seen {
                    revision: revision_of(&loaded.plan),
                    file,
                    digest,
                });
                Ok((loaded, Some(lock)))
            }
            (Ok(_), Access::ReadOnly(_)) => Ok((loaded, None)),
            (Err(reason), _) => {
                if loaded.access == Access::ReadWrite {
                    loaded.access = Access::ReadOnly(reason);
                }
                Ok((loaded, None))
            }
        }
    }

    /// Delete plan `id` and its lock sidecar. Refuses while another process
    /// (or another [`PlanLock`] of this one) holds the plan.
    pub fn delete(&self, id: &str) -> Result<(), StoreError> {
        let path = self.path_of(id)?;
        if fs::symlink_metadata(&path).is_err() {
            return Err(StoreError::NoFile { path });
        }
        let lock = self.lock(id)?;
        fs::remove_file(&path).map_err(|e| StoreError::Remove {
            reason: IoProblem::from(&e),
            path,
        })?;
        let _ = fs::remove_file(lock.path());
        drop(lock);
        let _ = atomic::sync_dir(&self.dir);
        Ok(())
    }

    /// Copy plan file `id` aside to `<id>.json.corrupt-<UTC time>` in the
    /// same directory, then remove the original so the operator can start
    /// over. The copy is never touched again by mde-migrate.
    pub fn set_aside(&self, id: &str) -> Result<PathBuf, StoreError> {
        let path = self.path_of(id)?;
        if !path.is_file() {
            return Err(StoreError::NoFile { path });
        }
        let _lock = self.lock(id)?;
        let (aside, mut copy) = self.new_aside_file(id)?;
        let copied = File::open(&path)
            .and_then(|mut from| io::copy(&mut from, &mut copy))
            .and_then(|_| copy.sync_all())
            .and_then(|()| atomic::sync_dir(&self.dir));
        if let Err(e) = copied {
            drop(copy);
            let _ = fs::remove_file(&aside);
            return Err(StoreError::Write {
                path: aside,
                reason: IoProblem::from(&e),
            });
        }
        fs::remove_file(&path).map_err(|e| StoreError::Remove {
            reason: IoProblem::from(&e),
            path,
        })?;
        let _ = atomic::sync_dir(&self.dir);
        Ok(aside)
    }

    fn new_aside_file(&self, id: &str) -> Result<(PathBuf, File), StoreError> {
        let stamp: String = humantime::format_rfc3339_seconds(SystemTime::now())
            .to_string()
            .chars()
            .filter(|c| !matches!(c, '-' | ':'))
            .collect();
        let mut n = 0;
        loop {
            let ext = match n {
                0 => format!("json.corrupt-{stamp}"),
                n => format!("json.corrupt-{stamp}-{n}"),
            };
            let aside = inside(&self.dir, id, &ext)?;
            match OpenOptions::new().write(true).create_new(true).open(&aside) {
                Ok(file) => return Ok((aside, file)),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
                Err(e) => {
                    return Err(StoreError::Write {
                        path: aside,
                        reason: IoProblem::from(&e),
                    });
                }
            }
        }
    }

    /// Become the one writer of plan `id`, or learn that another process is
    /// ([`StoreError::Locked`]). The caller decides what to do then.
    pub fn lock(&self, id: &str) -> Result<PlanLock, StoreError> {
        lock::acquire(inside(&self.dir, id, "lock")?, id)
    }

    /// Who holds plan `id`'s lock, as its sidecar records it: the process
    /// id and whether it is a wizard or a command-line writer.
    pub fn lock_holder(&self, id: &str) -> (Option<u32>, Option<HolderKind>) {
        match inside(&self.dir, id, "lock") {
            Ok(path) => lock::holder(&path),
            Err(_) => (None, None),
        }
    }

    /// Remove temp files older than `older_than` that dead writers left.
    /// Done at [`Store::open`] with [`STALE_TEMP_AGE`].
    pub fn sweep_temp_files(&self, older_than: Duration) -> Result<Vec<PathBuf>, StoreError> {
        atomic::sweep(&self.dir, None, older_than).map_err(|e| StoreError::Read {
            path: self.dir.clone(),
            reason: IoProblem::from(&e),
        })
    }

    /// [`Store::sweep_temp_files`] for the temp files of plan `id` only;
    /// the CLI writers run it once they hold the plan's lock.
    pub fn sweep_plan_temp_files(
        &self,
        id: &str,
        older_than: Duration,
    ) -> Result<Vec<PathBuf>, StoreError> {
        atomic::sweep(&self.dir, Some(id), older_than).map_err(|e| StoreError::Read {
            path: self.dir.clone(),
            reason: IoProblem::from(&e),
        })
    }
}

/// `<dir>/<id>.<ext>`, refused unless `id` is one plain name whose path
/// stays directly inside `dir`.
fn inside(dir: &Path, id: &str, ext: &str) -> Result<PathBuf, StoreError> {
    let bad = || StoreError::BadId { id: id.to_string() };
    if !id::is_valid(id) {
        return Err(bad());
    }
    let path = dir.join(format!("{id}.{ext}"));
    if path.parent() != Some(dir) {
        return Err(bad());
    }
    Ok(path)
}

impl std::fmt::Display for ReadOnlyReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadOnlyReason::NewerSchema { found } => write!(
                f,
                "the file was written by a newer mde-migrate (schema {found}); it is never rewritten by this one"
            ),
            ReadOnlyReason::LockedByOther { pid: Some(pid) } => {
                write!(f, "another mde-migrate (process {pid}) has this plan open")
            }
            ReadOnlyReason::LockedByOther { pid: None } => {
                write!(f, "another mde-migrate has this plan open")
            }
            ReadOnlyReason::Symlinked => write!(
                f,
                "the plan file is a symbolic link, and mde-migrate never writes through one; copy the file itself into the plans folder to change it"
            ),
            ReadOnlyReason::NotWritable { reason } => {
                write!(
                    f,
                    "the plan can't be locked for writing: {reason}{}",
                    reason.hint()
                )
            }
        }
    }
}
