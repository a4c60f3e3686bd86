//! What the plans list shows of a plan, read from the top of its file
//! without reading the rest.
//!
//! A saved plan file begins with the keys the list needs: `schema_version`,
//! `progress` (written by the saver, just after the version), `name`,
//! `organisation`, `replacing`, `guide`, `created`, `updated`; the answers,
//! roles and estate follow. [`read`] parses those first keys from a bounded
//! prefix ([`SUMMARY_BYTES`]) and stops at the first other key. The summary
//! is used for listing only: opening a plan always decodes the whole file,
//! so a hand edit whose `progress` disagrees with the answers only shows a
//! stale percentage in the list. Whenever the top of a file is not what the
//! saver writes (an older schema, keys in another order, no `progress`, a
//! key twice, a syntax error, more than [`SUMMARY_BYTES`] before the
//! answers), the caller reads the whole file instead, so the list says
//! exactly what opening it would say.

use std::collections::HashSet;
use std::io::Read;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::catalog::Catalog;
use crate::plan::{Plan, Progress, SCHEMA_VERSION};

/// Key in a plan file holding the progress as of its last save, for the
/// plans list only.
pub const PROGRESS_KEY: &str = "progress";

/// Most bytes read from the top of a plan file to list it.
pub const SUMMARY_BYTES: u64 = 16 << 10;

/// What the plans list shows of one plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub name: String,
    pub organisation: String,
    pub guide: String,
    pub updated: String,
    /// Required items done, in percent, as of the last save.
    pub percent: u8,
    /// Written by a newer build: read-only here.
    pub newer: bool,
}

impl Summary {
    /// The summary of a plan read whole.
    pub fn of(plan: &Plan, newer: bool) -> Summary {
        Summary {
            name: plan.name.clone(),
            organisation: plan.organisation.clone(),
            guide: plan.guide.clone(),
            updated: plan.updated.clone(),
            percent: progress_of(plan).map_or(0, |p| p.percent),
            newer,
        }
    }
}

/// The plan's progress by the built-in catalog, if its guide is there.
fn progress_of(plan: &Plan) -> Option<Progress> {
    let catalog = Catalog::embedded().ok()?;
    catalog.guide(&plan.guide).map(|g| plan.progress(g))
}

/// Write the `progress` key into `bytes`, the pretty JSON of `plan`, just
/// after its `schema_version` line. Bytes of another shape are left as
/// they are (the file then lists by a full read).
pub(super) fn insert_progress(bytes: &mut Vec<u8>, plan: &Plan) {
    const START: &[u8] = b"{\n  \"schema_version\": ";
    if !bytes.starts_with(START) || plan.extra.contains_key(PROGRESS_KEY) {
        return;
    }
    let Some(newline) = bytes[START.len()..].iter().position(|&b| b == b'\n') else {
        return;
    };
    let end = START.len() + newline + 1;
    // The version line must go on (end with a comma): the plan has more keys.
    if bytes.get(end.wrapping_sub(2)) != Some(&b',') {
        return;
    }
    let value = match progress_of(plan) {
        Some(p) => format!("{{\"done\": {}, \"total\": {}}}", p.done, p.total),
        None => "null".to_string(),
    };
    let line = format!("  \"{PROGRESS_KEY}\": {value},\n");
    bytes.splice(end..end, line.into_bytes());
}

/// The summary at the top of a plan file, reading at most
/// [`SUMMARY_BYTES`] of `reader`; `None` when the top is not what the
/// saver writes, and the file must be read whole to list it.
pub fn read(reader: impl Read) -> Option<Summary> {
    let mut found = Found::default();
    let mut de = serde_json::Deserializer::from_reader(reader.take(SUMMARY_BYTES));
    // The visitor stops at the first key the list does not need, so the
    // parse itself always ends in an error; what was found is in `found`.
    let _ = (&mut found).deserialize(&mut de);
    found.summary()
}

#[derive(Default)]
struct Found {
    version: Option<u64>,
    progress: Option<Option<Counts>>,
    name: Option<String>,
    organisation: Option<String>,
    guide: Option<String>,
    updated: Option<String>,
    /// The top ended where the list stops (the first other key).
    complete: bool,
    /// Something was not as the saver writes it.
    odd: bool,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Counts {
    done: usize,
    total: usize,
}

impl Found {
    fn summary(self) -> Option<Summary> {
        if self.odd || !self.complete {
            return None;
        }
        let version = self.version?;
        let newer = match version.cmp(&u64::from(SCHEMA_VERSION)) {
            std::cmp::Ordering::Less => return None,
            std::cmp::Ordering::Equal => false,
            std::cmp::Ordering::Greater => true,
        };
        let percent = match self.progress? {
            Some(c) if c.total > 0 => Progress::new(c.done.min(c.total), c.total).percent,
            Some(_) => 100,
            None => 0,
        };
        Some(Summary {
            name: self.name?,
            organisation: self.organisation.unwrap_or_default(),
            guide: self.guide?,
            updated: self.updated.unwrap_or_default(),
            percent,
            newer,
        })
    }
}

impl<'de> DeserializeSeed<'de> for &mut Found {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for &mut Found {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a plan object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        let fail = |found: &mut Found| {
            found.odd = true;
            serde::de::Error::custom("not a saved plan's top")
        };
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(fail(self));
            }
            let text = |map: &mut A| map.next_value::<String>();
            match key.as_str() {
                "schema_version" => self.version = Some(map.next_value()?),
                PROGRESS_KEY => self.progress = Some(map.next_value()?),
                "name" => self.name = Some(text(&mut map)?),
                "organisation" => self.organisation = Some(text(&mut map)?),
                "guide" => self.guide = Some(text(&mut map)?),
                "updated" => self.updated = Some(text(&mut map)?),
                "replacing" | "created" => {
                    map.next_value::<IgnoredAny>()?;
                }
                _ => {
                    self.complete = true;
                    return Err(serde::de::Error::custom("the list needs no more"));
                }
            }
        }
        // The whole object was the top: a plan with nothing else, which
        // the full read will judge.
        Err(fail(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that counts what is read from it.
    struct Counting<'a> {
        bytes: &'a [u8],
        read: &'a std::cell::Cell<usize>,
    }

    impl Read for Counting<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.bytes.read(buf)?;
            self.read.set(self.read.get() + n);
            Ok(n)
        }
    }

    fn saved(name: &str, notes: usize) -> Vec<u8> {
        let mut plan = Plan::new(
            name,
            "Contoso",
            "Symantec",
            "generic-2023",
            "2026-12-01T10:00:00Z",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        for i in 0..notes {
            plan.extra.insert(
                format!("filler-{i:06}"),
                serde_json::Value::from("x".repeat(200)),
            );
        }
        super::super::contents::encode(&plan, std::path::Path::new("p.json"))
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_large_plan_is_listed_from_a_bounded_prefix() {
        let bytes = saved("Big plan", 15_000);
        assert!(bytes.len() > 3 << 20, "{}", bytes.len());
        let read = std::cell::Cell::new(0);
        let summary = read_summary(&bytes, &read);
        assert_eq!(summary.name, "Big plan");
        assert_eq!(summary.organisation, "Contoso");
        assert_eq!(summary.guide, "generic-2023");
        assert!(!summary.newer);
        assert!(
            read.get() <= SUMMARY_BYTES as usize,
            "read {} bytes",
            read.get()
        );
    }

    fn read_summary(bytes: &[u8], read: &std::cell::Cell<usize>) -> Summary {
        super::read(Counting { bytes, read }).unwrap_or_else(|| panic!("no summary"))
    }

    #[test]
    fn the_saver_writes_progress_just_after_the_version() {
        let bytes = saved("Plan", 0);
        let text = String::from_utf8_lossy(&bytes);
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("{"));
        assert!(
            lines
                .next()
                .is_some_and(|l| l.starts_with("  \"schema_version\": "))
        );
        assert!(
            lines
                .next()
                .is_some_and(|l| l.starts_with("  \"progress\": {\"done\": 0, \"total\": ")),
            "{text}"
        );
        assert!(serde_json::from_slice::<serde_json::Value>(&bytes).is_ok());
    }

    #[test]
    fn a_top_not_as_saved_asks_for_a_full_read() {
        let cases: &[&str] = &[
            // No progress: written before it existed, or by hand.
            r#"{"schema_version": 2, "name": "A", "guide": "g", "answers": {}}"#,
            // An older schema, which a full read migrates.
            r#"{"schema_version": 1, "progress": null, "name": "A", "guide": "g", "answers": {}}"#,
            // A key twice, which a full read refuses.
            r#"{"schema_version": 2, "progress": null, "name": "A", "name": "B", "guide": "g", "answers": {}}"#,
            // Wrong types.
            r#"{"schema_version": 2, "progress": null, "name": 3, "guide": "g", "answers": {}}"#,
            r#"{"schema_version": 2, "progress": "half", "name": "A", "guide": "g", "answers": {}}"#,
            // Broken at the top.
            r#"{"schema_version": 2, "progress": null, "name": "A"#,
            "not json",
            "",
            // Nothing after the top: the full read judges it.
            r#"{"schema_version": 2, "progress": null, "name": "A", "guide": "g"}"#,
        ];
        for case in cases {
            assert_eq!(super::read(case.as_bytes()), None, "{case}");
        }
        let long = format!(
            r#"{{"schema_version": 2, "progress": null, "name": "{}", "guide": "g", "answers": {{}}}}"#,
            "n".repeat(SUMMARY_BYTES as usize)
        );
        assert_eq!(super::read(long.as_bytes()), None);
    }

    #[test]
    fn a_summary_is_read_from_the_top_whatever_follows() {
        let text = r#"{"schema_version": 2, "progress": {"done": 3, "total": 4}, "name": "A", "guide": "g", "answers": garbage"#;
        let summary = super::read(text.as_bytes()).unwrap_or_else(|| panic!("no summary"));
        assert_eq!(summary.percent, 75);
        assert_eq!(summary.name, "A");
        let newer = r#"{"schema_version": 99, "progress": {"done": 9, "total": 4}, "name": "A", "guide": "g", "x": 1}"#;
        let summary = super::read(newer.as_bytes()).unwrap_or_else(|| panic!("no summary"));
        assert!(summary.newer);
        assert_eq!(summary.percent, 100);
    }
}
