//! What the plans directory holds, as a list, and finding a plan in it by
//! id or name. Reads only: nothing here writes, and one broken file never
//! hides the others.

use std::cmp::{Ordering, Reverse};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use std::io;

use super::contents::open_checked;
use super::error::{IoProblem, StoreError};
use super::summary::{self, Summary};
use super::{Access, Store, id};
use crate::plan::Plan;

/// One file of the plans directory, as [`Store::list`] sees it.
#[derive(Debug)]
#[expect(
    clippy::large_enum_variant,
    reason = "a listing holds a few dozen entries; boxing the plan buys nothing"
)]
pub enum Listing {
    Plan {
        id: String,
        path: PathBuf,
        plan: Plan,
        /// Written by a newer build: read-only here.
        newer: bool,
    },
    Broken {
        id: String,
        path: PathBuf,
        error: StoreError,
    },
}

/// One file of the plans directory, as [`Store::list_summaries`] sees it.
#[derive(Debug)]
pub enum Listed {
    Plan {
        id: String,
        path: PathBuf,
        summary: Summary,
    },
    Broken {
        id: String,
        path: PathBuf,
        error: StoreError,
    },
}

impl Listed {
    pub fn id(&self) -> &str {
        match self {
            Listed::Plan { id, .. } | Listed::Broken { id, .. } => id,
        }
    }
}

impl Listing {
    pub fn id(&self) -> &str {
        match self {
            Listing::Plan { id, .. } | Listing::Broken { id, .. } => id,
        }
    }

    pub fn path(&self) -> &Path {
        match self {
            Listing::Plan { path, .. } | Listing::Broken { path, .. } => path,
        }
    }
}

impl Store {
    /// Refuse with [`StoreError::NameTaken`] if a plan other than `except_id`
    /// is called `name`, ignoring letter case (for create and rename).
    pub fn check_name_free(&self, name: &str, except_id: Option<&str>) -> Result<(), StoreError> {
        let wanted = name.trim().to_lowercase();
        for entry in self.list()? {
            if let Listing::Plan { id, plan, .. } = entry
                && Some(id.as_str()) != except_id
                && plan.name.trim().to_lowercase() == wanted
            {
                return Err(StoreError::NameTaken {
                    existing: plan.name,
                    id,
                });
            }
        }
        Ok(())
    }

    /// Every plan file, readable or not, newest change first. One broken
    /// file never hides the others; only an unreadable directory fails.
    pub fn list(&self) -> Result<Vec<Listing>, StoreError> {
        let mut out: Vec<Listing> = self
            .plan_files()?
            .into_iter()
            .map(|(id, path, not_a_file)| match not_a_file {
                Some(error) => Listing::Broken { id, path, error },
                None => match self.load(&id) {
                    Ok(loaded) => Listing::Plan {
                        newer: loaded.access != Access::ReadWrite,
                        plan: loaded.plan,
                        id,
                        path,
                    },
                    Err(error) => Listing::Broken { id, path, error },
                },
            })
            .collect();
        out.sort_by(listing_order);
        Ok(out)
    }

    /// What the plans list shows, in [`Store::list`]'s order, reading only
    /// the top of each file a save wrote ([`super::SUMMARY_BYTES`] at
    /// most, see [`Summary`]); a file whose top is not as a save writes it
    /// is read whole, so it lists exactly as it would open. A file broken
    /// past its top lists as a plan and says so when opened.
    pub fn list_summaries(&self) -> Result<Vec<Listed>, StoreError> {
        let mut out: Vec<Listed> = self
            .plan_files()?
            .into_iter()
            .map(|(id, path, not_a_file)| match not_a_file {
                Some(error) => Listed::Broken { id, path, error },
                None => match self.summary(&id, &path) {
                    Ok(summary) => Listed::Plan { id, path, summary },
                    Err(error) => Listed::Broken { id, path, error },
                },
            })
            .collect();
        // Each file's sort key once, not once per comparison.
        out.sort_by_cached_key(listed_key);
        Ok(out)
    }

    /// The summary of plan `id`: from the top of its file, else from the
    /// whole file read as [`Store::load`] does.
    fn summary(&self, id: &str, path: &Path) -> Result<Summary, StoreError> {
        let (file, _) = open_checked(path)?;
        // A saved plan's top is a few hundred bytes: one small read.
        if let Some(summary) = summary::read(io::BufReader::with_capacity(2 << 10, file)) {
            return Ok(summary);
        }
        let loaded = self.load(id)?;
        Ok(Summary::of(
            &loaded.plan,
            loaded.access != Access::ReadWrite,
        ))
    }

    /// The files of the directory named like plans, as (id, path), with
    /// the error for one that is no regular file.
    fn plan_files(&self) -> Result<Vec<(String, PathBuf, Option<StoreError>)>, StoreError> {
        let entries = fs::read_dir(&self.dir).map_err(|e| StoreError::Read {
            path: self.dir.clone(),
            reason: IoProblem::from(&e),
        })?;
        let mut out = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(id) = name.to_str().and_then(|n| n.strip_suffix(".json")) else {
                continue;
            };
            let path = entry.path();
            if !id::is_valid(id) {
                continue;
            }
            let id = id.to_string();
            // A directory, FIFO or dangling link named like a plan is a
            // broken plan, shown as such, never silently left out. The
            // directory entry's type says most (no extra call); a link is
            // followed to see what it points to.
            let regular = entry.file_type().is_ok_and(|t| t.is_file());
            if !regular && !path.is_file() {
                let what = match fs::symlink_metadata(&path) {
                    Ok(m) if m.file_type().is_symlink() => {
                        "a symbolic link to nothing, not a plan file"
                    }
                    Ok(m) if m.is_dir() => "a directory, not a plan file",
                    _ => "not a regular file (a FIFO, socket or device), so not a plan file",
                };
                let error = StoreError::Read {
                    path: path.clone(),
                    reason: IoProblem::Other(what.into()),
                };
                out.push((id, path, Some(error)));
                continue;
            }
            out.push((id, path, None));
        }
        Ok(out)
    }

    /// The id of the plan called `wanted`: an exact id (or file name), then
    /// an exact name, then a name in any letter case.
    pub fn find(&self, wanted: &str) -> Result<String, StoreError> {
        let listing = self.list()?;
        let as_id = wanted.strip_suffix(".json").unwrap_or(wanted);
        if let Some(l) = listing.iter().find(|l| l.id() == as_id) {
            return Ok(l.id().to_string());
        }
        let plans: Vec<(&str, &str)> = listing
            .iter()
            .filter_map(|l| match l {
                Listing::Plan { id, plan, .. } => Some((id.as_str(), plan.name.as_str())),
                Listing::Broken { .. } => None,
            })
            .collect();
        let wanted_name = wanted.trim();
        let lower = wanted_name.to_lowercase();
        let named = |same: &dyn Fn(&str) -> bool| -> Vec<String> {
            plans
                .iter()
                .filter(|(_, n)| same(n))
                .map(|(id, _)| (*id).to_string())
                .collect()
        };
        let mut ids = named(&|n| n == wanted_name);
        if ids.is_empty() {
            ids = named(&|n| n.to_lowercase() == lower);
        }
        match ids.len() {
            0 => {}
            1 => return Ok(ids.swap_remove(0)),
            _ => {
                return Err(StoreError::Ambiguous {
                    wanted: wanted.to_string(),
                    ids,
                });
            }
        }
        Err(StoreError::NotFound {
            wanted: wanted.to_string(),
            known: plans.iter().map(|(_, n)| (*n).to_string()).collect(),
        })
    }
}

/// Plans by last change (newest first, unparseable times last), then name,
/// then id; broken files after them, by id.
fn listing_order(a: &Listing, b: &Listing) -> Ordering {
    let when = |p: &Plan| humantime::parse_rfc3339_weak(&p.updated).ok();
    match (a, b) {
        (
            Listing::Plan {
                plan: pa, id: ia, ..
            },
            Listing::Plan {
                plan: pb, id: ib, ..
            },
        ) => when(pb)
            .cmp(&when(pa))
            .then_with(|| pa.name.to_lowercase().cmp(&pb.name.to_lowercase()))
            .then_with(|| ia.cmp(ib)),
        (Listing::Plan { .. }, Listing::Broken { .. }) => Ordering::Less,
        (Listing::Broken { .. }, Listing::Plan { .. }) => Ordering::Greater,
        (Listing::Broken { id: ia, .. }, Listing::Broken { id: ib, .. }) => ia.cmp(ib),
    }
}

/// [`listing_order`] for summaries, as a key: plans by last change
/// (newest first, unparseable times last), then name, then id; broken files
/// after them, by id.
fn listed_key(l: &Listed) -> (bool, Reverse<Option<SystemTime>>, String, String) {
    match l {
        Listed::Plan { id, summary, .. } => (
            false,
            Reverse(humantime::parse_rfc3339_weak(&summary.updated).ok()),
            summary.name.to_lowercase(),
            id.clone(),
        ),
        Listed::Broken { id, .. } => (true, Reverse(None), String::new(), id.clone()),
    }
}
