//! Which kind of inventory a header announces, and where its columns are.

use serde::Serialize;

/// The inventory shapes the importer knows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    /// `os,count`: one row per operating system with a device count.
    #[default]
    Counts,
    /// Microsoft Defender advanced hunting `DeviceInfo` (one row per device).
    DefenderDeviceInfo,
    /// Intune device export (one row per device).
    Intune,
    /// Any CSV with a recognisable OS column (one row per device).
    OsColumn,
}

impl Shape {
    pub fn describe(self) -> &'static str {
        match self {
            Shape::Counts => "an OS and count list",
            Shape::DefenderDeviceInfo => "a Defender DeviceInfo export",
            Shape::Intune => "an Intune device export",
            Shape::OsColumn => "a device list",
        }
    }

    pub fn column_word(self) -> &'static str {
        match self {
            Shape::Counts => "counts by",
            _ => "one device per row, OS from",
        }
    }
}

/// Column positions in a header.
pub struct Columns {
    pub shape: Shape,
    pub os: usize,
    pub version: Option<usize>,
    pub count: Option<usize>,
    pub device_type: Option<usize>,
    /// The device's id or name, where rows are devices: a device that
    /// appears again (DeviceInfo keeps one row per device per report) is
    /// counted once.
    pub device: Option<usize>,
}

fn key(h: &str) -> String {
    h.trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The delimiter the header uses: comma, semicolon or tab.
pub fn sniff_delimiter(header: &str) -> u8 {
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| header.bytes().filter(|b| b == d).count())
        .unwrap_or(b',')
}

const OS_NAMES: &[&str] = &[
    "os",
    "operatingsystem",
    "osname",
    "osplatform",
    "platform",
    "ostype",
    "osfamily",
    "system",
];
const VERSION_NAMES: &[&str] = &["osversion", "operatingsystemversion", "version"];
const DEVICE_NAMES: &[&str] = &[
    "deviceid",
    "devicename",
    "hostname",
    "computername",
    "device",
    "name",
];
const COUNT_NAMES: &[&str] = &[
    "count",
    "devices",
    "devicecount",
    "number",
    "total",
    "quantity",
];

pub fn detect(headers: &csv::StringRecord) -> Option<Columns> {
    let keys: Vec<String> = headers.iter().map(key).collect();
    let find = |names: &[&str]| names.iter().find_map(|n| keys.iter().position(|k| k == n));
    let has = |n: &str| keys.iter().any(|k| k == n);
    let count = find(COUNT_NAMES);
    let version = find(VERSION_NAMES);
    let device_type = keys.iter().position(|k| k == "devicetype");
    let device = find(DEVICE_NAMES);
    if has("osplatform") {
        return Some(Columns {
            shape: Shape::DefenderDeviceInfo,
            os: find(&["osplatform"])?,
            version,
            count: None,
            device_type,
            device,
        });
    }
    if has("devicename") && has("os") {
        return Some(Columns {
            shape: Shape::Intune,
            os: find(&["os"])?,
            version,
            count: None,
            device_type,
            device,
        });
    }
    let os = find(OS_NAMES)?;
    Some(match count {
        Some(c) => Columns {
            shape: Shape::Counts,
            os,
            version,
            count: Some(c),
            device_type,
            device: None,
        },
        None => Columns {
            shape: Shape::OsColumn,
            os,
            version,
            count: None,
            device_type,
            device,
        },
    })
}
