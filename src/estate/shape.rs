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
    /// Defender portal device inventory (Assets → Devices → Export).
    DefenderPortal,
    /// Intune device export, or a Graph script's (one row per device).
    Intune,
    /// Configuration Manager query export (Windows NT name + build).
    ConfigMgr,
    /// Any CSV with a recognisable OS column (one row per device).
    OsColumn,
}

impl Shape {
    pub fn describe(self) -> &'static str {
        match self {
            Shape::Counts => "an OS and count list",
            Shape::DefenderDeviceInfo => "a Defender DeviceInfo export",
            Shape::DefenderPortal => "a Defender portal device inventory export",
            Shape::Intune => "an Intune device export",
            Shape::ConfigMgr => "a Configuration Manager query export",
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
    /// `Device Category` of a portal export: rows other than computers
    /// (printers, network and IoT devices) are left out.
    pub category: Option<usize>,
    /// `Onboarding Status` of a portal export.
    pub onboarding: Option<usize>,
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
const VERSION_NAMES: &[&str] = &[
    "osversion",
    "operatingsystemversion",
    "version",
    "build",
    "osbuild",
    "buildnumber",
];
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
    let category = keys.iter().position(|k| k == "devicecategory");
    let onboarding = keys.iter().position(|k| k == "onboardingstatus");
    // Every shape reads the same optional columns; only these differ.
    let columns = |shape, os, count, device| Columns {
        shape,
        os,
        version,
        count,
        device_type,
        device,
        category,
        onboarding,
    };
    if has("osplatform") && (category.is_some() || onboarding.is_some() || has("firstseen")) {
        return Some(columns(
            Shape::DefenderPortal,
            find(&["osplatform"])?,
            None,
            device,
        ));
    }
    if let Some(os) = find(&["operatingsystemnameandversion"]) {
        return Some(columns(Shape::ConfigMgr, os, None, device));
    }
    if has("osplatform") {
        return Some(columns(
            Shape::DefenderDeviceInfo,
            find(&["osplatform"])?,
            None,
            device,
        ));
    }
    if has("devicename") && (has("os") || has("operatingsystem")) {
        return Some(columns(
            Shape::Intune,
            find(&["os", "operatingsystem"])?,
            None,
            device,
        ));
    }
    let os = find(OS_NAMES)?;
    Some(match count {
        Some(c) => columns(Shape::Counts, os, Some(c), None),
        None => columns(Shape::OsColumn, os, None, device),
    })
}
