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

mod limit;
mod shape;

pub use shape::Shape;

/// Longest line accepted, in bytes.
pub const MAX_LINE: usize = 64 * 1024;
/// Distinct unrecognised names kept (the rest are counted together).
const MAX_UNRECOGNISED: usize = 200;
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
    #[error("line {line} is longer than {} KiB: not a device inventory", MAX_LINE / 1024)]
    LineTooLong { line: u64 },
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
}

/// Import a device inventory for `guide`.
pub fn import<R: Read>(guide: &Guide, reader: R) -> Result<ImportReport, ImportError> {
    let mut buffered =
        BufReader::with_capacity(MAX_LINE + 4, limit::LineLimit::new(reader, MAX_LINE));
    let head = buffered.fill_buf().map_err(|e| limit::error(&e, 1))?;
    if head.is_empty() {
        return Err(ImportError::Empty);
    }
    let bom = head.starts_with(b"\xEF\xBB\xBF");
    let first_line_end = head.iter().position(|b| *b == b'\n').unwrap_or(head.len());
    let first = &head[usize::from(bom) * 3..first_line_end];
    if first.contains(&0) {
        return Err(ImportError::NotCsv(
            "it holds NUL bytes (a binary file?)".into(),
        ));
    }
    let header_text = std::str::from_utf8(first)
        .map_err(|_| ImportError::NotCsv("the header is not UTF-8 text".into()))?
        .to_string();
    let delimiter = shape::sniff_delimiter(&header_text);
    if bom {
        buffered.consume(3);
    }
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(buffered);
    let headers = csv.headers().map_err(|e| csv_error(&e, 1))?.clone();
    let columns = shape::detect(&headers).ok_or_else(|| ImportError::NoOsColumn {
        header: truncate(&line(&header_text), 120).into_owned(),
    })?;
    let mut report = ImportReport {
        shape: columns.shape,
        os_column: headers.get(columns.os).unwrap_or_default().to_string(),
        ..ImportReport::default()
    };
    let mut unrecognised: BTreeMap<String, u64> = BTreeMap::new();
    // Inventories repeat a handful of OS names: classify each name once.
    let mut seen: HashMap<NameKey, Classified> = HashMap::new();
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
        if let Some(name) = columns
            .device
            .and_then(|d| record.get(d))
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            std::hash::Hash::hash(&name.to_lowercase(), &mut h);
            let key = std::hash::Hasher::finish(&h);
            if devices_seen.contains(&key) {
                report.duplicates += 1;
                continue;
            }
            if devices_seen.len() < MAX_DEVICES_SEEN {
                devices_seen.insert(key);
            }
        }
        let version = columns.version.and_then(|v| record.get(v));
        let server_hint = columns
            .device_type
            .and_then(|d| record.get(d))
            .map(|t| t.trim().eq_ignore_ascii_case("server"));
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
        report.devices = report.devices.saturating_add(count);
        if let Some(f) = family {
            *report.families.entry(f).or_default() += count;
        }
        match system.and_then(|i| guide.systems.get(i)) {
            Some(system) => *report.systems.entry(system.id.clone()).or_default() += count,
            None => {
                report.unrecognised_devices = report.unrecognised_devices.saturating_add(count);
                let shown = match version.map(str::trim).filter(|v| !v.is_empty()) {
                    Some(v) => format!("{os} {v}"),
                    None => os.to_string(),
                };
                let key = truncate(&line(&shown), 80).into_owned();
                if unrecognised.len() < MAX_UNRECOGNISED || unrecognised.contains_key(&key) {
                    *unrecognised.entry(key).or_default() += count;
                } else {
                    *unrecognised.entry("(other names)".into()).or_default() += count;
                }
            }
        }
    }
    let mut list: Vec<(String, u64)> = unrecognised.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    report.unrecognised = list;
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

    /// Replace the plan's estate with the systems and counts imported, and
    /// remember what the import saw.
    pub fn apply(&self, plan: &mut Plan, now: &str) {
        plan.estate.systems = self
            .systems
            .iter()
            .map(|(k, v)| (k.clone(), Some(*v)))
            .collect();
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
            }),
        );
        plan.updated = now.to_string();
    }

    /// One line for the status bar.
    pub fn summary_line(&self) -> String {
        let mut s = format!(
            "Imported {} devices on {} systems from {} rows ({}).",
            self.devices,
            self.systems.len(),
            self.rows,
            self.shape.describe()
        );
        if self.unrecognised_devices > 0 {
            s.push_str(&format!(
                " {} not matched to one of the guide's systems.",
                self.unrecognised_devices
            ));
        }
        if self.malformed_total > 0 {
            s.push_str(&format!(
                " {} malformed rows skipped.",
                self.malformed_total
            ));
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
        "Read {} ({} column {:?}): {} rows, {} devices.",
        r.shape.describe(),
        r.shape.column_word(),
        line(&r.os_column),
        r.rows,
        r.devices
    )?;
    for (id, n) in &r.systems {
        let name = guide.system(id).map_or(id.as_str(), |s| s.name.as_str());
        writeln!(out, "  {n:>8}  {name}")?;
    }
    if !r.unrecognised.is_empty() {
        writeln!(
            out,
            "Not matched to one of the guide's systems ({} devices), e.g.:",
            r.unrecognised_devices
        )?;
        for (name, n) in r.unrecognised.iter().take(5) {
            writeln!(out, "  {n:>8}  {name}")?;
        }
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
