//! Estate import: a device inventory CSV (an `os,count` list, Defender's
//! `DeviceInfo` export, Intune's device export, or any CSV with an OS
//! column) → device counts per system of the plan's guide. Streams the
//! file: memory stays flat whatever its size. Reads only the reader it is
//! given.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, Read};

use serde::Serialize;

use crate::catalog::{Family, Guide};
use crate::lookup::{match_systems, parse_os_parts};
use crate::plan::Plan;
use crate::sanitize::{line, truncate};
use crate::words::count;

mod limit;
mod shape;

pub use limit::open;
pub use shape::Shape;

/// Longest line accepted, in bytes.
pub const MAX_LINE: usize = 64 * 1024;
/// Distinct unrecognised names kept (the rest are counted together).
pub const MAX_UNRECOGNISED: usize = 200;
/// The name the rest are counted under.
pub const OTHER_NAMES: &str = "(other names)";
/// An OS name as a row gives it: name, version, server hint.
type NameKey = (String, String, Option<bool>);
/// Its family and the index of the guide system covering it.
type Classified = (Option<Family>, Option<usize>);

/// Distinct OS names remembered with their system (memory stays bounded).
const MAX_CACHED: usize = 10_000;
/// Device ids remembered to count each device once (memory stays bounded).
const MAX_DEVICES_SEEN: usize = 250_000;
/// Malformed line numbers kept (the rest are counted).
const MAX_MALFORMED: usize = 20;

/// Why a file can't be imported at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file is empty")]
    Empty,
    #[error("this is not a CSV text file: {0}")]
    NotCsv(String),
    #[error(
        "no operating-system column in the header ({header}); name one OS, \"Operating system\" or OSPlatform"
    )]
    NoOsColumn { header: String },
    #[error("the row starting at line {line} is longer than {} KiB (a quoted field that never ends?): not a device inventory", MAX_LINE / 1024)]
    LineTooLong { line: u64 },
    #[error("{path} is {what}, not a regular file: give the path of a CSV file")]
    NotAFile { path: String, what: &'static str },
    #[error("can't read {path}: {reason}")]
    Open { path: String, reason: String },
    #[error(
        "the device count on line {line} takes the total past {}: not a device inventory",
        u64::MAX
    )]
    CountOverflow { line: u64 },
    #[error(
        "no usable row: {} read, {counted} counted, {malformed} malformed, {repeated} repeated devices, {left_out} not computers; the estate was not changed",
        count(*rows, "row")
    )]
    NoUsableRow {
        rows: u64,
        counted: u64,
        malformed: u64,
        repeated: u64,
        left_out: u64,
    },
    #[error(
        "most rows are malformed: {malformed} of {} (lines {lines}); the estate was not changed",
        count(*rows, "row")
    )]
    MostlyMalformed {
        rows: u64,
        malformed: u64,
        lines: String,
    },
    #[error("reading the file failed at line {line}: {reason}")]
    Read { line: u64, reason: String },
}

/// What an import found.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportReport {
    pub shape: Shape,
    /// The header of the column the operating systems were read from.
    pub os_column: String,
    /// Data rows read (blank lines not counted).
    pub rows: u64,
    /// Devices counted (rows, or the sum of the count column).
    pub devices: u64,
    /// Devices per guide system id.
    pub systems: BTreeMap<String, u64>,
    /// Devices per family, recognised by the guide or not.
    pub families: BTreeMap<Family, u64>,
    /// Names no system of the guide covers, with their device counts.
    pub unrecognised: Vec<(String, u64)>,
    pub unrecognised_devices: u64,
    /// Line numbers of rows skipped as malformed (the first few).
    pub malformed: Vec<u64>,
    pub malformed_total: u64,
    /// Rows skipped because their device was already counted.
    pub duplicates: u64,
    /// Rows whose devices were counted: `rows` = `counted_rows` +
    /// `malformed_total` + `duplicates` + `left_out`.
    pub counted_rows: u64,
    /// Rows that are not computers (printers, network and IoT devices a
    /// portal export lists), left out of the estate.
    pub left_out: u64,
    /// Devices per onboarding status, where the export gives one.
    pub onboarding: BTreeMap<String, u64>,
}

/// How an import meets the estate already in the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The import becomes the estate.
    Replace,
    /// The import's counts are added to the estate's.
    Merge,
}

/// One system's device count before and after an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The guide system id, or the unmatched name.
    pub system: String,
    /// What the operator reads: the system's name in the guide.
    pub name: String,
    pub before: Option<u64>,
    pub after: Option<u64>,
}

/// The key under the plan's unknown fields that holds the estate before
/// the last import (one step of undo).
pub const PREVIOUS: &str = "previous_estate";

/// Devices kept in the estate that no system of the guide covers.
pub fn unmatched(estate: &crate::plan::Estate) -> Vec<(String, u64)> {
    estate
        .extra
        .get("unmatched")
        .and_then(serde_json::Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|v| {
                    Some((
                        truncate(&line(v.get("name")?.as_str()?), 80).into_owned(),
                        v.get("devices")?.as_u64()?,
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Whether the plan's estate holds any device or system.
pub fn is_empty(estate: &crate::plan::Estate) -> bool {
    estate.systems.is_empty() && unmatched(estate).is_empty()
}

/// Restore the estate from before the last import; the current one becomes
/// the previous, so a second undo redoes.
pub fn undo(plan: &mut Plan, now: &str) -> Result<(), String> {
    let Some(previous) = plan.extra.get(PREVIOUS).cloned() else {
        return Err("there is no previous estate to go back to".into());
    };
    let restored: crate::plan::Estate = serde_json::from_value(previous)
        .map_err(|e| format!("the previous estate kept in the plan can't be read: {e}"))?;
    let current = serde_json::to_value(&plan.estate).map_err(|e| e.to_string())?;
    plan.estate = restored;
    plan.extra.insert(PREVIOUS.into(), current);
    plan.updated = now.to_string();
    Ok(())
}

/// One row of the replace-or-merge question: a system (or an unmatched
/// name), its devices now, after a replace and after a merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChoiceRow {
    pub name: String,
    pub now: Option<u64>,
    pub replace: Option<u64>,
    pub merge: Option<u64>,
}

/// Every system an import touches or the estate holds, with its devices
/// now, after a replace and after a merge.
pub fn choice_rows(guide: &Guide, plan: &Plan, report: &ImportReport) -> Vec<ChoiceRow> {
    let now = &plan.estate;
    let rep = report.estate_after(plan, Mode::Replace);
    let mer = report.estate_after(plan, Mode::Merge);
    let mut ids: Vec<&String> = now.systems.keys().chain(mer.systems.keys()).collect();
    ids.sort();
    ids.dedup();
    let get = |e: &crate::plan::Estate, id: &str| e.systems.get(id).copied().flatten();
    let mut rows: Vec<ChoiceRow> = ids
        .into_iter()
        .map(|id| ChoiceRow {
            name: guide
                .system(id)
                .map_or_else(|| truncate(&line(id), 60).into_owned(), |s| s.name.clone()),
            now: get(now, id),
            replace: get(&rep, id),
            merge: get(&mer, id),
        })
        .collect();
    let (un, ur, um) = (unmatched(now), unmatched(&rep), unmatched(&mer));
    for (name, m) in &um {
        let find = |l: &[(String, u64)]| l.iter().find(|(x, _)| x == name).map(|(_, c)| *c);
        rows.push(ChoiceRow {
            name: format!("{name} (not in the guide's tables)"),
            now: find(&un),
            replace: find(&ur),
            merge: Some(*m),
        });
    }
    rows
}

/// Before → after per system, for every system whose count changes.
pub fn changes(
    guide: &Guide,
    before: &crate::plan::Estate,
    after: &crate::plan::Estate,
) -> Vec<Change> {
    let name = |id: &str| {
        guide
            .system(id)
            .map_or_else(|| truncate(&line(id), 60).into_owned(), |s| s.name.clone())
    };
    let mut ids: Vec<&String> = before.systems.keys().chain(after.systems.keys()).collect();
    ids.sort();
    ids.dedup();
    let mut out: Vec<Change> = ids
        .into_iter()
        .map(|id| Change {
            system: id.clone(),
            name: name(id),
            before: before.systems.get(id).copied().flatten(),
            after: after.systems.get(id).copied().flatten(),
        })
        .filter(|c| {
            c.before != c.after
                || before.systems.contains_key(&c.system) != after.systems.contains_key(&c.system)
        })
        .collect();
    let (ub, ua) = (unmatched(before), unmatched(after));
    let mut names: Vec<&String> = ub.iter().chain(ua.iter()).map(|(n, _)| n).collect();
    names.sort();
    names.dedup();
    for n in names {
        let get = |l: &[(String, u64)]| l.iter().find(|(x, _)| x == n).map(|(_, c)| *c);
        let (b, a) = (get(&ub), get(&ua));
        if b != a {
            out.push(Change {
                system: n.clone(),
                name: format!("{n} (not in the guide's tables)"),
                before: b,
                after: a,
            });
        }
    }
    out
}

/// The byte stream after the byte-order mark: UTF-8 as is, UTF-16 decoded.
enum Source<R> {
    Plain(BufReader<R>),
    Utf16(limit::Utf16<BufReader<R>>),
}

impl<R: Read> Read for Source<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Source::Plain(r) => r.read(buf),
            Source::Utf16(r) => r.read(buf),
        }
    }
}

/// What a file that holds NUL bytes is, as far as its first bytes tell.
fn binary_kind(head: &[u8]) -> String {
    if head.starts_with(b"PK\x03\x04") {
        return "it is a ZIP file (an Excel workbook?); save the sheet as CSV".into();
    }
    if head.starts_with(b"\xD0\xCF\x11\xE0") {
        return "it is an old Excel (.xls) workbook; save the sheet as CSV".into();
    }
    let sample = &head[..head.len().min(1024)];
    let zeros = |odd: usize| {
        sample
            .iter()
            .skip(odd)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    let half = sample.len() / 2;
    if half >= 2 && (odd * 10 >= half * 4 && even * 10 < half) {
        return "it looks like UTF-16 (little-endian) text without a byte-order mark; save it as UTF-8 or as UTF-16 with a byte-order mark".into();
    }
    if half >= 2 && (even * 10 >= half * 4 && odd * 10 < half) {
        return "it looks like UTF-16 (big-endian) text without a byte-order mark; save it as UTF-8 or as UTF-16 with a byte-order mark".into();
    }
    "it holds NUL bytes (a binary file?)".into()
}

/// A device's latest row in a `DeviceInfo` export, counted at the end.
struct Pending {
    ts: String,
    os: String,
    version: String,
    hint: Option<bool>,
    count: u64,
    line: u64,
}

impl Pending {
    fn new(ts: &str, os: &str, version: &str, hint: Option<bool>, count: u64, line: u64) -> Self {
        Pending {
            ts: truncate(ts, 64).into_owned(),
            os: truncate(os, 120).into_owned(),
            version: truncate(version, 64).into_owned(),
            hint,
            count,
            line,
        }
    }
}

/// Classifies OS names (each distinct name once) and adds devices up.
struct Tally<'g> {
    guide: &'g Guide,
    seen: HashMap<NameKey, Classified>,
    unrecognised: BTreeMap<String, u64>,
}

impl Tally<'_> {
    fn add(
        &mut self,
        report: &mut ImportReport,
        os: &str,
        version: Option<&str>,
        server_hint: Option<bool>,
        count: u64,
        line_no: u64,
    ) -> Result<(), ImportError> {
        let guide = self.guide;
        let seen = &mut self.seen;
        let unrecognised = &mut self.unrecognised;
        let key = (
            os.to_string(),
            version.unwrap_or("").trim().to_string(),
            server_hint,
        );
        let (family, system) = match seen.get(&key) {
            Some(hit) => *hit,
            None => {
                let q = parse_os_parts(os, version, server_hint);
                // One system, or none: a name that fits several (a Mac with
                // no version, where the guide lists three) is not guessed.
                let system = match match_systems(guide, &q).as_slice() {
                    [only] => guide.systems.iter().position(|x| x.id == only.id),
                    _ => None,
                };
                if seen.len() < MAX_CACHED {
                    seen.insert(key, (q.family, system));
                }
                (q.family, system)
            }
        };
        // Every per-system and per-family figure is a part of this total:
        // once it cannot overflow, neither can they.
        report.devices = report
            .devices
            .checked_add(count)
            .ok_or(ImportError::CountOverflow { line: line_no })?;
        report.counted_rows += 1;
        if let Some(f) = family {
            let n = report.families.entry(f).or_default();
            *n = n.saturating_add(count);
        }
        match system.and_then(|i| guide.systems.get(i)) {
            Some(system) => {
                let n = report.systems.entry(system.id.clone()).or_default();
                *n = n.saturating_add(count);
            }
            None => {
                report.unrecognised_devices = report.unrecognised_devices.saturating_add(count);
                let shown = match version.map(str::trim).filter(|v| !v.is_empty()) {
                    Some(v) => format!("{os} {v}"),
                    None => os.to_string(),
                };
                let key = truncate(&line(&shown), 80).into_owned();
                let key =
                    if unrecognised.len() < MAX_UNRECOGNISED || unrecognised.contains_key(&key) {
                        key
                    } else {
                        OTHER_NAMES.into()
                    };
                let n = unrecognised.entry(key).or_default();
                *n = n.saturating_add(count);
            }
        }
        Ok(())
    }
}

/// Configuration Manager names Windows by its NT version
/// ("Microsoft Windows NT Workstation 10.0"): only the build tells Windows
/// 11 (10.0.22000 and later) from Windows 10, and the server releases apart.
fn windows_nt_name(os: &str, version: &str) -> Option<&'static str> {
    let rest = os
        .strip_prefix("Microsoft Windows NT ")
        .or_else(|| os.strip_prefix("Windows NT "))?;
    let mut words = rest.split_whitespace();
    let role = words.next()?;
    let nt = words.next().unwrap_or("");
    let server = role.eq_ignore_ascii_case("server")
        || role.eq_ignore_ascii_case("advancedserver")
        || role.eq_ignore_ascii_case("datacenter");
    let build: u32 = version
        .trim()
        .split('.')
        .nth(2)
        .and_then(|b| b.parse().ok())
        .unwrap_or(0);
    Some(match (server, nt) {
        (false, "10.0") if build >= 22000 => "Windows 11",
        (false, "10.0") => "Windows 10",
        (false, "6.3") => "Windows 8.1",
        (false, "6.1") => "Windows 7",
        (true, "10.0") if build >= 20348 => "Windows Server 2022",
        (true, "10.0") if build >= 17763 => "Windows Server 2019",
        (true, "10.0") => "Windows Server 2016",
        (true, "6.3") => "Windows Server 2012 R2",
        (true, "6.1") => "Windows Server 2008 R2",
        _ => return None,
    })
}

/// Import a device inventory for `guide`.
pub fn import<R: Read>(guide: &Guide, reader: R) -> Result<ImportReport, ImportError> {
    let mut raw = BufReader::with_capacity(MAX_LINE, reader);
    let head = raw.fill_buf().map_err(|e| limit::error(&e, 1))?;
    if head.is_empty() {
        return Err(ImportError::Empty);
    }
    let source = if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        let little = head[0] == 0xFF;
        raw.consume(2);
        Source::Utf16(limit::Utf16::new(raw, little))
    } else {
        if head.starts_with(b"\xEF\xBB\xBF") {
            raw.consume(3);
        } else if head[..head.iter().position(|b| *b == b'\n').unwrap_or(head.len())].contains(&0) {
            return Err(ImportError::NotCsv(binary_kind(head)));
        }
        Source::Plain(raw)
    };
    let mut decoded = BufReader::with_capacity(MAX_LINE + 4, source);
    let head = decoded.fill_buf().map_err(|e| limit::error(&e, 1))?;
    if head.is_empty() {
        return Err(ImportError::Empty);
    }
    let first_line_end = match head.iter().position(|b| *b == b'\n' || *b == b'\r') {
        Some(n) => n,
        None if head.len() >= MAX_LINE => return Err(ImportError::LineTooLong { line: 1 }),
        None => head.len(),
    };
    let first = &head[..first_line_end];
    if first.contains(&0) {
        return Err(ImportError::NotCsv(binary_kind(first)));
    }
    let header_text = std::str::from_utf8(first)
        .map_err(|_| ImportError::NotCsv("the header is not UTF-8 text".into()))?
        .to_string();
    let delimiter = shape::sniff_delimiter(&header_text);
    let records = limit::Records::new(decoded, delimiter, MAX_LINE);
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(records);
    let headers = csv.headers().map_err(|e| csv_error(&e, 1))?.clone();
    let columns = shape::detect(&headers).ok_or_else(|| ImportError::NoOsColumn {
        header: truncate(&line(&header_text), 120).into_owned(),
    })?;
    let mut report = ImportReport {
        shape: columns.shape,
        os_column: headers.get(columns.os).unwrap_or_default().to_string(),
        ..ImportReport::default()
    };
    // Inventories repeat a handful of OS names: classify each name once.
    let mut tally = Tally {
        guide,
        seen: HashMap::new(),
        unrecognised: BTreeMap::new(),
    };
    // DeviceInfo keeps a row per device per report: the latest one counts.
    let ts_col = if columns.shape == Shape::DefenderDeviceInfo {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case("timestamp"))
    } else {
        None
    };
    let mut latest: HashMap<u64, Pending> = HashMap::new();
    // Devices already counted, by a hash of their id or name (bounded).
    let mut devices_seen: HashSet<u64> = HashSet::new();
    let mut record = csv::StringRecord::new();
    loop {
        match csv.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line_no = e.position().map_or(0, csv::Position::line);
                match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => {
                        report.rows += 1;
                        report.malformed_row(line_no);
                        continue;
                    }
                    _ => return Err(csv_error(&e, line_no)),
                }
            }
        }
        let line_no = record.position().map_or(0, csv::Position::line);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        report.rows += 1;
        if let Some(cat) = columns
            .category
            .and_then(|c| record.get(c))
            .map(str::trim)
            .filter(|c| !c.is_empty())
            && !cat.eq_ignore_ascii_case("Computers and Mobile")
        {
            report.left_out += 1;
            continue;
        }
        let os = record.get(columns.os).map(str::trim).unwrap_or("");
        if os.is_empty() {
            report.malformed_row(line_no);
            continue;
        }
        let count = match columns.count {
            Some(c) => match record
                .get(c)
                .map(str::trim)
                .and_then(|v| v.replace(['_', ' '], "").parse::<u64>().ok())
            {
                Some(n) => n,
                None => {
                    report.malformed_row(line_no);
                    continue;
                }
            },
            None => 1,
        };
        let device_key = columns
            .device
            .and_then(|d| record.get(d))
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(|name| {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                std::hash::Hash::hash(&name.to_lowercase(), &mut h);
                std::hash::Hasher::finish(&h)
            });
        let mut repeat = false;
        if let Some(key) = device_key {
            if devices_seen.contains(&key) {
                report.duplicates += 1;
                repeat = true;
                if ts_col.is_none() {
                    continue;
                }
            } else if devices_seen.len() < MAX_DEVICES_SEEN {
                devices_seen.insert(key);
            }
        }
        let version = columns.version.and_then(|v| record.get(v));
        let nt_name = windows_nt_name(os, version.unwrap_or(""));
        let os = nt_name.unwrap_or(os);
        if let Some(status) = columns
            .onboarding
            .and_then(|c| record.get(c))
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let key = truncate(&line(status), 40).into_owned();
            if report.onboarding.len() < 20 || report.onboarding.contains_key(&key) {
                let n = report.onboarding.entry(key).or_default();
                *n = n.saturating_add(count);
            }
        }
        let server_hint = columns
            .device_type
            .and_then(|d| record.get(d))
            .map(|t| t.trim().eq_ignore_ascii_case("server"));
        if let (Some(key), Some(ts)) = (device_key, ts_col.and_then(|c| record.get(c))) {
            let ts = ts.trim();
            if let Some(p) = latest.get_mut(&key) {
                if ts > p.ts.as_str() {
                    *p = Pending::new(ts, os, version.unwrap_or(""), server_hint, count, line_no);
                }
                continue;
            }
            if repeat {
                // Counted already, past the bound on remembered devices.
                continue;
            }
            if latest.len() < MAX_DEVICES_SEEN {
                latest.insert(
                    key,
                    Pending::new(ts, os, version.unwrap_or(""), server_hint, count, line_no),
                );
                continue;
            }
        }
        if repeat {
            // A repeated device whose row gives no time: counted already.
            continue;
        }
        tally.add(&mut report, os, version, server_hint, count, line_no)?;
    }
    // DeviceInfo: each device as its latest row says.
    let mut pending: Vec<Pending> = latest.into_values().collect();
    pending.sort_by_key(|p| p.line);
    for p in pending {
        tally.add(
            &mut report,
            &p.os,
            Some(&p.version),
            p.hint,
            p.count,
            p.line,
        )?;
    }
    let unrecognised = tally.unrecognised;
    let mut list: Vec<(String, u64)> = unrecognised.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    report.unrecognised = list;
    report.usable()?;
    Ok(report)
}

fn csv_error(e: &csv::Error, line_no: u64) -> ImportError {
    if let csv::ErrorKind::Io(io) = e.kind() {
        return limit::error(io, line_no);
    }
    ImportError::Read {
        line: line_no,
        reason: e.to_string(),
    }
}

impl ImportReport {
    fn malformed_row(&mut self, line_no: u64) {
        self.malformed_total += 1;
        if self.malformed.len() < MAX_MALFORMED {
            self.malformed.push(line_no);
        }
    }

    /// Refuse an import that would leave the estate with nothing usable.
    fn usable(&self) -> Result<(), ImportError> {
        if self.counted_rows == 0 {
            return Err(ImportError::NoUsableRow {
                rows: self.rows,
                counted: self.counted_rows,
                malformed: self.malformed_total,
                repeated: self.duplicates,
                left_out: self.left_out,
            });
        }
        if self.malformed_total.saturating_mul(2) > self.rows {
            let mut lines: Vec<String> = self.malformed.iter().map(u64::to_string).collect();
            if self.malformed_total > self.malformed.len() as u64 {
                lines.push("…".into());
            }
            return Err(ImportError::MostlyMalformed {
                rows: self.rows,
                malformed: self.malformed_total,
                lines: lines.join(", "),
            });
        }
        Ok(())
    }

    /// The estate the plan would have after this import.
    pub fn estate_after(&self, plan: &Plan, mode: Mode) -> crate::plan::Estate {
        let mut p = plan.clone();
        self.apply(&mut p, mode, "");
        p.estate
    }

    /// Put the import into the plan's estate (replacing it or adding to
    /// it), keep the estate it had as the previous one (one undo), and
    /// remember what the import saw.
    pub fn apply(&self, plan: &mut Plan, mode: Mode, now: &str) {
        if let Ok(previous) = serde_json::to_value(&plan.estate) {
            plan.extra.insert(PREVIOUS.into(), previous);
        }
        let mut unmatched: BTreeMap<String, u64> = match mode {
            Mode::Replace => BTreeMap::new(),
            Mode::Merge => unmatched(&plan.estate).into_iter().collect(),
        };
        if mode == Mode::Replace {
            plan.estate.systems.clear();
        }
        for (k, v) in &self.systems {
            let n = plan.estate.systems.entry(k.clone()).or_insert(None);
            *n = Some(n.unwrap_or(0).saturating_add(*v));
        }
        for (k, v) in &self.unrecognised {
            let n = unmatched.entry(k.clone()).or_default();
            *n = n.saturating_add(*v);
        }
        let mut list: Vec<(String, u64)> = unmatched.into_iter().collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        if list.is_empty() {
            plan.estate.extra.remove("unmatched");
        } else {
            plan.estate.extra.insert(
                "unmatched".into(),
                serde_json::Value::Array(
                    list.into_iter()
                        .map(
                            |(name, devices)| serde_json::json!({"name": name, "devices": devices}),
                        )
                        .collect(),
                ),
            );
        }
        plan.estate.extra.insert(
            "import".into(),
            serde_json::json!({
                "at": now,
                "shape": self.shape,
                "rows": self.rows,
                "devices": self.devices,
                "unrecognised_devices": self.unrecognised_devices,
                "malformed_rows": self.malformed_total,
                "duplicate_rows": self.duplicates,
                "counted_rows": self.counted_rows,
                "left_out_rows": self.left_out,
                "mode": match mode { Mode::Replace => "replace", Mode::Merge => "merge" },
            }),
        );
        plan.updated = now.to_string();
    }

    /// Devices placed on a system of the guide.
    pub fn placed(&self) -> u64 {
        self.systems
            .values()
            .fold(0u64, |t, n| t.saturating_add(*n))
    }

    /// One line for the status bar: the counts add up (devices = placed +
    /// not in the guide's tables; rows = counted + skipped) and every name
    /// the guide does not cover is given with its count.
    pub fn summary_line(&self) -> String {
        let mut s = format!(
            "Imported {} from {} ({}): {} on {} of the guide",
            count(self.devices, "device"),
            count(self.rows, "row"),
            self.shape.describe(),
            self.placed(),
            count(self.systems.len(), "system"),
        );
        if self.unrecognised_devices > 0 {
            let names: Vec<String> = self
                .unrecognised
                .iter()
                .map(|(n, c)| format!("{c} {n}"))
                .collect();
            s.push_str(&format!(
                ", {} not in its tables, kept apart ({})",
                self.unrecognised_devices,
                names.join(", ")
            ));
        }
        s.push('.');
        let mut skipped = Vec::new();
        if self.malformed_total > 0 {
            skipped.push(format!("{} malformed", self.malformed_total));
        }
        if self.duplicates > 0 {
            skipped.push(format!("{} repeating a device", self.duplicates));
        }
        if self.left_out > 0 {
            skipped.push(format!("{} not computers", self.left_out));
        }
        if !skipped.is_empty() {
            s.push_str(&format!(" Rows skipped: {}.", skipped.join(", ")));
        }
        s
    }
}

/// The import report as text, for the command line.
pub fn print_report(
    guide: &Guide,
    r: &ImportReport,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "Read {} ({} column {:?}): {}, {}, {} on the guide's systems:",
        r.shape.describe(),
        r.shape.column_word(),
        line(&r.os_column),
        count(r.rows, "row"),
        count(r.devices, "device"),
        r.placed()
    )?;
    for (id, n) in &r.systems {
        let name = guide.system(id).map_or(id.as_str(), |s| s.name.as_str());
        writeln!(out, "  {n:>8}  {name}")?;
    }
    if !r.unrecognised.is_empty() {
        writeln!(
            out,
            "Not in the guide's tables, kept in the plan apart ({}):",
            count(r.unrecognised_devices, "device")
        )?;
        for (name, n) in &r.unrecognised {
            writeln!(out, "  {n:>8}  {}", line(name))?;
        }
    }
    if r.left_out > 0 {
        writeln!(
            out,
            "Left out {} that {} not computers.",
            count(r.left_out, "row"),
            if r.left_out == 1 { "is" } else { "are" }
        )?;
    }
    if r.duplicates > 0 {
        writeln!(out, "Counted {} repeated device rows once.", r.duplicates)?;
    }
    if r.malformed_total > 0 {
        let lines: Vec<String> = r.malformed.iter().map(u64::to_string).collect();
        let more = if r.malformed_total > r.malformed.len() as u64 {
            ", …"
        } else {
            ""
        };
        writeln!(
            out,
            "Skipped {} malformed rows (lines {}{more}).",
            r.malformed_total,
            lines.join(", ")
        )?;
    }
    Ok(())
}

/// A device inventory in Defender's `DeviceInfo` shape, for benchmarks and
/// tests: `rows` devices over a realistic mix, deterministic for a seed.
#[doc(hidden)]
pub fn generate_devices_csv(rows: usize, seed: u64) -> String {
    const MIX: &[(&str, &str, &str)] = &[
        ("Windows11", "10.0.22631", "Workstation"),
        ("Windows10", "10.0.19045", "Workstation"),
        ("Windows10", "10.0.19044", "Workstation"),
        ("WindowsServer2019", "10.0.17763", "Server"),
        ("WindowsServer2016", "10.0.14393", "Server"),
        ("WindowsServer2022", "10.0.20348", "Server"),
        ("WindowsServer2012R2", "6.3.9600", "Server"),
        ("Windows7", "6.1.7601", "Workstation"),
        ("macOS", "14.2.1", "Workstation"),
        ("Linux", "Ubuntu 22.04", "Server"),
        ("iOS", "17.2", "Mobile"),
        ("Android", "14", "Mobile"),
    ];
    let mut out = String::with_capacity(rows * 64);
    out.push_str("DeviceName,OSPlatform,OSVersion,DeviceType\n");
    let mut x = seed | 1;
    for i in 0..rows {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let (p, v, t) = MIX[(x % MIX.len() as u64) as usize];
        out.push_str(&format!("host-{i:06}.contoso.local,{p},{v},{t}\n"));
    }
    out
}
