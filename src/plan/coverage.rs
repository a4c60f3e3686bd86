//! Devices the plan's guide has no system for (kept by the import as
//! `unmatched`), and which built-in guide's table does cover them. Found
//! from catalog data alone: every loaded guide's systems and proxy table
//! are searched for the name the inventory gave. Pure.

use serde::Serialize;

use super::Plan;
use crate::catalog::{Catalog, Family, Guide, System};
use crate::lookup::{OsQuery, match_systems, parse_os};

/// Devices of one system the plan's guide does not list, and where current
/// guidance for them is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unmatched {
    /// The system as the inventory named it (cleaned).
    pub name: String,
    pub devices: u64,
    /// True when the plan's guide lists this family only at older releases
    /// and is older than a guide that covers it: its table predates it.
    pub predates: bool,
    /// Built-in guides whose table has a row for it, newest first.
    pub covered_by: Vec<Cover>,
}

/// A built-in guide whose proxy table covers an unmatched system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cover {
    pub guide: String,
    pub name: String,
    pub published: String,
    pub url: String,
    /// Its systems the name falls under, as that guide names them.
    pub systems: Vec<String>,
}

impl Unmatched {
    /// One sentence: the count, the name, and where it is covered.
    pub fn text(&self, guide: &Guide) -> String {
        let devices = crate::words::count(self.devices, "device");
        let head = format!("{} ({devices})", self.name);
        if self.name == crate::estate::OTHER_NAMES {
            return format!(
                "{devices} on further systems the inventory named, counted together: the import keeps the first {} names apart; look them up with mde-migrate lookup.",
                crate::estate::MAX_UNRECOGNISED
            );
        }
        if self.covered_by.is_empty() {
            return format!(
                "{head}: not in this guide's tables, and no built-in guide's table has a row for it."
            );
        }
        let covers = self
            .covered_by
            .iter()
            .map(|c| {
                format!(
                    "the {} (published {}) lists it as {}",
                    c.name,
                    c.published,
                    c.systems.join(", ")
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        if self.predates {
            format!(
                "{head}: the {} table (published {}) predates this system; for current guidance, {covers}.",
                guide.short_name, guide.published
            )
        } else {
            format!("{head}: not in this guide's tables; {covers}.")
        }
    }
}

/// Leading number of a Windows product ("2012 r2" → 2012.5, "11" → 11).
fn product_number(p: &str) -> Option<f64> {
    let mut words = p.split(' ');
    let n: f64 = words.next()?.parse().ok()?;
    Some(if words.any(|w| w == "r2") { n + 0.5 } else { n })
}

fn version_parts(v: &str) -> Vec<u64> {
    v.split('.').map_while(|p| p.parse().ok()).collect()
}

/// Is what `q` names newer than every release of its kind the guide lists?
fn newer_than_listed(guide: &Guide, q: &OsQuery) -> bool {
    let same: Vec<&System> = guide
        .systems
        .iter()
        .filter(|s| Some(s.family) == q.family)
        .collect();
    match q.family {
        Some(Family::Windows) => {
            let Some(have) = q.product.as_deref().and_then(product_number) else {
                return false;
            };
            let listed: Vec<f64> = same
                .iter()
                .filter(|s| s.server == q.server)
                .filter_map(|s| s.product.as_deref().and_then(product_number))
                .collect();
            !listed.is_empty() && listed.iter().all(|l| *l < have)
        }
        Some(Family::Macos) => {
            let Some(have) = q.version.as_deref().map(version_parts) else {
                return false;
            };
            let listed: Vec<Vec<u64>> = same
                .iter()
                .filter_map(|s| s.version.as_deref().map(version_parts))
                .collect();
            !have.is_empty() && !listed.is_empty() && listed.iter().all(|l| *l < have)
        }
        _ => false,
    }
}

/// Systems of `guide` the query falls under that its proxy table has a row for.
fn table_systems<'g>(guide: &'g Guide, q: &OsQuery) -> Vec<&'g System> {
    match_systems(guide, q)
        .into_iter()
        .filter(|s| {
            guide
                .proxy_table
                .rows
                .iter()
                .any(|r| r.systems.iter().any(|c| c.system == s.id))
        })
        .collect()
}

/// Where one system name the plan's guide does not list is covered.
pub fn locate(catalog: &Catalog, guide: &Guide, name: &str, devices: u64) -> Unmatched {
    let q = parse_os(name);
    let mut covered_by: Vec<Cover> = catalog
        .guides
        .iter()
        .filter(|g| g.id != guide.id)
        .filter_map(|g| {
            let systems = table_systems(g, &q);
            (!systems.is_empty()).then(|| Cover {
                guide: g.id.clone(),
                name: g.short_name.clone(),
                published: g.published.clone(),
                url: g.source_url.clone(),
                systems: systems.iter().map(|s| s.name.clone()).collect(),
            })
        })
        .collect();
    covered_by.sort_by(|a, b| b.published.cmp(&a.published));
    let predates = covered_by
        .first()
        .is_some_and(|c| c.published > guide.published)
        && newer_than_listed(guide, &q);
    Unmatched {
        name: name.to_string(),
        devices,
        predates,
        covered_by,
    }
}

/// A page to open for the unmatched devices: a built-in guide that
/// covers some of them, titled with what it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoveringPage {
    /// The guide's short name.
    pub guide: String,
    pub title: String,
    pub url: String,
}

/// The built-in guides covering any of `list`, once each, in the order met.
pub fn covering_pages(list: &[Unmatched]) -> Vec<CoveringPage> {
    let mut found: Vec<(&Cover, Vec<&str>)> = Vec::new();
    for u in list {
        for c in &u.covered_by {
            match found.iter_mut().find(|(x, _)| x.guide == c.guide) {
                Some((_, names)) => names.push(&u.name),
                None => found.push((c, vec![&u.name])),
            }
        }
    }
    found
        .into_iter()
        .map(|(c, names)| CoveringPage {
            guide: c.name.clone(),
            title: format!("{}: current guidance for {}", c.name, names.join(", ")),
            url: c.url.clone(),
        })
        .collect()
}

impl Plan {
    /// Every device the import kept that no system of the plan's guide
    /// covers, per name, with the built-in guides whose tables cover it.
    pub fn unmatched(&self, catalog: &Catalog, guide: &Guide) -> Vec<Unmatched> {
        crate::estate::unmatched(&self.estate)
            .into_iter()
            .map(|(name, n)| locate(catalog, guide, &name, n))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> &'static Catalog {
        Catalog::embedded().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn newer_systems_in_a_symantec_plan_point_to_the_generic_guide() {
        let c = catalog();
        let sym = c.guide("symantec-2021").unwrap_or_else(|| panic!("guide"));
        for name in [
            "Windows 11",
            "Windows11",
            "Windows Server 2022",
            "WindowsServer2022",
            "macOS 13.4",
            "macOS 14",
        ] {
            let u = locate(c, sym, name, 800);
            assert!(u.predates, "{name}: {u:?}");
            let first = u.covered_by.first().unwrap_or_else(|| panic!("{name}"));
            assert_eq!(first.guide, "generic-2023", "{name}");
            let text = u.text(sym);
            assert!(text.contains("predates"), "{text}");
            assert!(text.contains("800 devices"), "{text}");
        }
    }

    #[test]
    fn what_no_table_covers_is_said_and_nothing_is_claimed_to_predate() {
        let c = catalog();
        let sym = c.guide("symantec-2021").unwrap_or_else(|| panic!("guide"));
        let u = locate(c, sym, "FreeBSD 13", 4);
        assert!(u.covered_by.is_empty());
        assert!(!u.predates);
        assert!(u.text(sym).contains("no built-in guide"), "{}", u.text(sym));
        // An older release the table simply omits is not "predated".
        assert!(!locate(c, sym, "Windows 2000", 1).predates);
        // The import's catch-all is not a system: it is said as such.
        let rest = locate(c, sym, crate::estate::OTHER_NAMES, 12);
        assert!(rest.covered_by.is_empty());
        let text = rest.text(sym);
        assert!(text.starts_with("12 devices on further systems"), "{text}");
        assert!(!text.contains("no built-in guide"), "{text}");
    }
}
