//! Operating-system names → the guides' systems, and plan or capability ×
//! system → the proxy guides, as the `lookup` command and the importer use
//! them. Pure: no I/O here.

use serde::Serialize;

use crate::catalog::{Catalog, Family, Guide, System};
use crate::sanitize::line;

mod parse;

pub use parse::{OsQuery, normalise, parse_os, parse_os_parts, windows_from_build};

/// A guidance page in a lookup answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resource {
    pub title: String,
    pub url: String,
}

/// One answer of `lookup`: a guide's table row for one system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LookupRow {
    pub guide: String,
    /// "P1" or "P2" (plan-axis guides), else null.
    pub plan: Option<String>,
    /// "EDR" or "Antivirus" (capability-axis guides), else null.
    pub capability: Option<String>,
    /// The system as the guide names it.
    pub os: String,
    pub resources: Vec<Resource>,
    /// Footnotes on this system's cell, with their links.
    pub footnotes: Vec<String>,
}

/// Why a lookup has no answer, naming the input and what would do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    #[error("unknown operating system {input:?}{}{}", reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default(), suggest(suggestions))]
    UnknownOs {
        input: String,
        /// Why a known family or distribution did not match, when it is a version.
        reason: Option<String>,
        suggestions: Vec<String>,
    },
    #[error("unknown plan or capability {value:?}; use one of: {}", valid.join(", "))]
    UnknownValue { value: String, valid: Vec<String> },
    #[error("unknown guide {id:?}; use one of: {}", valid.join(", "))]
    UnknownGuide { id: String, valid: Vec<String> },
    #[error("guide {guide} has no {value:?} column; it looks up by {axis}: {}", valid.join(", "))]
    ValueNotInGuide {
        guide: String,
        value: String,
        axis: String,
        valid: Vec<String>,
    },
    #[error("{os} is in guide {guide}, but its table lists no resource for {value}; it lists: {}", listed.join(", "))]
    NoResource {
        guide: String,
        os: String,
        value: String,
        listed: Vec<String>,
    },
}

fn suggest(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("; close matches: {}", s.join(", "))
    }
}

/// Compare dotted versions numerically ("7.10" > "7.2").
fn version_at_least(have: &str, min: &str) -> bool {
    let parse = |s: &str| {
        s.split('.')
            .map(|p| p.parse::<u64>().unwrap_or(0))
            .collect::<Vec<_>>()
    };
    let (mut a, mut b) = (parse(have), parse(min));
    let n = a.len().max(b.len());
    a.resize(n, 0);
    b.resize(n, 0);
    a >= b
}

/// "10.14.6" is version "10.14"; "7.2" is "7.2".
fn version_is(have: &str, want: &str) -> bool {
    have == want
        || have
            .strip_prefix(want)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// Ubuntu long-term releases: even years, April (16.04, 18.04, 20.04, …).
fn ubuntu_lts(version: &str) -> bool {
    let mut parts = version.split('.');
    let major = parts
        .next()
        .and_then(|m| m.parse::<u32>().ok())
        .unwrap_or(1);
    let minor = parts.next();
    major.is_multiple_of(2) && minor.is_none_or(|m| m == "04")
}

/// Does a guide's system cover what the query names?
pub fn covers(system: &System, q: &OsQuery) -> bool {
    if Some(system.family) != q.family {
        return false;
    }
    match system.family {
        Family::Windows => {
            system.server == q.server && system.product.is_some() && system.product == q.product
        }
        Family::Macos => match (&system.version, &q.version) {
            (None, _) | (Some(_), None) => true,
            (Some(want), Some(have)) => version_is(have, want),
        },
        Family::Linux => match &system.distro {
            None => true,
            Some(d) if q.distro.as_ref() != Some(d) => false,
            Some(_) => match &q.version {
                None => true,
                Some(have) => {
                    system
                        .min_version
                        .as_deref()
                        .is_none_or(|m| version_at_least(have, m))
                        && system
                            .version
                            .as_deref()
                            .is_none_or(|v| version_is(have, v))
                        && (!system.lts_only || ubuntu_lts(have))
                }
            },
        },
        Family::Ios | Family::Android => true,
    }
}

/// The guide's systems a query falls under, in guide order.
pub fn match_systems<'g>(guide: &'g Guide, q: &OsQuery) -> Vec<&'g System> {
    guide.systems.iter().filter(|s| covers(s, q)).collect()
}

/// The guide's systems an OS name falls under.
pub fn classify<'g>(guide: &'g Guide, os: &str) -> Vec<&'g System> {
    match_systems(guide, &parse_os(os))
}

/// "p1", "Plan 2", "edr", "AV" → the table value ("P1", "P2", "EDR",
/// "Antivirus"), by the spellings the guides declare for their values.
fn table_value(catalog: &Catalog, value: &str) -> Result<String, LookupError> {
    let mut valid: Vec<String> = Vec::new();
    for g in &catalog.guides {
        if let Some(v) = g.table_value(value) {
            return Ok(v.id.clone());
        }
        for v in &g.proxy_table.values {
            if !valid.contains(&v.id) {
                valid.push(v.id.clone());
            }
        }
    }
    Err(LookupError::UnknownValue {
        value: line(value).into_owned(),
        valid,
    })
}

/// Close matches for a name no system covers: same family first, then
/// names that share words with the input.
fn suggestions(guides: &[&Guide], q: &OsQuery) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let push = |out: &mut Vec<String>, s: String| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    for g in guides {
        for s in &g.systems {
            let same_family = q.family == Some(s.family)
                && (q.distro.is_none() || s.distro.is_none() || s.distro == q.distro);
            if same_family {
                push(&mut out, s.name.clone());
            }
        }
    }
    if out.is_empty() {
        let words: Vec<&str> = q.text.split(' ').filter(|w| w.len() > 1).collect();
        for g in guides {
            for s in &g.systems {
                let name = normalise(&s.name);
                if words.iter().any(|w| {
                    name.split(' ')
                        .any(|n| n.starts_with(w) || w.starts_with(n) && n.len() > 2)
                }) {
                    push(&mut out, s.name.clone());
                }
            }
        }
    }
    out.truncate(8);
    out
}

/// Why a distribution the guides name did not match: its version.
fn version_reason(guides: &[&Guide], q: &OsQuery) -> Option<String> {
    let have = q.version.as_deref()?;
    let system = guides
        .iter()
        .flat_map(|g| g.systems.iter())
        .find(|s| s.distro.is_some() && s.distro == q.distro)?;
    if system.lts_only && !ubuntu_lts(have) {
        return Some(format!("{have} is not a long-term-support (LTS) release"));
    }
    if let Some(min) = system
        .min_version
        .as_deref()
        .filter(|m| !version_at_least(have, m))
    {
        return Some(format!("{have} is older than the {min} the guide lists"));
    }
    if let Some(v) = system.version.as_deref().filter(|v| !version_is(have, v)) {
        return Some(format!("the guide lists version {v} only"));
    }
    None
}

/// Look up the proxy guides for an operating system, optionally for one
/// plan or capability and one guide.
pub fn lookup(
    catalog: &Catalog,
    guide: Option<&str>,
    os: &str,
    value: Option<&str>,
) -> Result<Vec<LookupRow>, LookupError> {
    let value = value.map(|v| table_value(catalog, v)).transpose()?;
    let guides: Vec<&Guide> = match guide {
        Some(id) => vec![catalog.guide(id).ok_or_else(|| {
            LookupError::UnknownGuide {
                id: line(id).into_owned(),
                valid: catalog
                    .guide_ids()
                    .iter()
                    .map(|s| (*s).to_string())
                    .collect(),
            }
        })?],
        None => catalog
            .guides
            .iter()
            .filter(|g| value.as_ref().is_none_or(|v| g.axis_value(v).is_some()))
            .collect(),
    };
    if let (Some(v), [g]) = (&value, guides.as_slice())
        && g.axis_value(v).is_none()
    {
        return Err(LookupError::ValueNotInGuide {
            guide: g.id.clone(),
            value: v.clone(),
            axis: g.proxy_table.axis.name().into(),
            valid: g.proxy_table.values.iter().map(|x| x.id.clone()).collect(),
        });
    }
    let q = parse_os(os);
    let mut rows = Vec::new();
    let mut matched_somewhere = None;
    for g in &guides {
        let systems = match_systems(g, &q);
        if systems.is_empty() {
            continue;
        }
        for row in &g.proxy_table.rows {
            if value.as_ref().is_some_and(|v| v != &row.value) {
                continue;
            }
            for cell in row
                .systems
                .iter()
                .filter(|c| systems.iter().any(|s| s.id == c.system))
            {
                let Some(system) = g.system(&cell.system) else {
                    continue;
                };
                let footnotes = cell
                    .footnote
                    .as_deref()
                    .and_then(|f| g.footnote(f))
                    .map(|f| {
                        let urls: Vec<&str> = f
                            .links
                            .iter()
                            .filter_map(|l| g.link(l))
                            .map(|l| l.url.as_str())
                            .collect();
                        if urls.is_empty() {
                            format!("{} {}", f.marker, f.text)
                        } else {
                            format!("{} {} See {}", f.marker, f.text, urls.join(", "))
                        }
                    })
                    .into_iter()
                    .collect();
                let axis_is_plan = g.proxy_table.axis == crate::catalog::Axis::Plan;
                rows.push(LookupRow {
                    guide: g.id.clone(),
                    plan: axis_is_plan.then(|| row.value.clone()),
                    capability: (!axis_is_plan).then(|| row.value.clone()),
                    os: system.name.clone(),
                    resources: row
                        .resources
                        .iter()
                        .filter_map(|r| g.link(r))
                        .map(|l| Resource {
                            title: l.title.clone(),
                            url: l.url.clone(),
                        })
                        .collect(),
                    footnotes,
                });
            }
        }
        matched_somewhere.get_or_insert((*g, systems));
    }
    if rows.is_empty() {
        return Err(match (matched_somewhere, value) {
            (Some((g, systems)), Some(v)) => {
                let listed: Vec<String> = g
                    .proxy_table
                    .rows
                    .iter()
                    .filter(|r| {
                        r.systems
                            .iter()
                            .any(|c| systems.iter().any(|s| s.id == c.system))
                    })
                    .map(|r| r.value.clone())
                    .collect();
                LookupError::NoResource {
                    guide: g.id.clone(),
                    os: systems
                        .iter()
                        .map(|s| s.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    value: v,
                    listed: if listed.is_empty() {
                        vec!["nothing".into()]
                    } else {
                        listed
                    },
                }
            }
            _ => LookupError::UnknownOs {
                input: line(os).into_owned(),
                reason: version_reason(&guides, &q),
                suggestions: suggestions(&guides, &q),
            },
        });
    }
    Ok(rows)
}
