//! Properties of the estate importer: no bytes make it panic, and whatever
//! it accepts adds up (rows = counted + malformed + repeated + not
//! computers; devices = placed + not in the guide's tables); any valid CSV
//! it is given (comma, semicolon or tab; BOM or none; quoted fields with
//! delimiters, quotes and line breaks; LF, CRLF or CR; UTF-8 or UTF-16 with
//! a byte-order mark) imports to exactly the counts it was made from;
//! input whose rows are mostly malformed is refused; a record longer than
//! the cap is refused with the line it starts on, and one within it is
//! read. Cases: 256 by default, `PROPTEST_CASES` for long runs.

use std::collections::BTreeMap;

use mde_migrate::catalog::{Catalog, Guide};
use mde_migrate::estate::{ImportError, ImportReport, MAX_LINE, import};
use proptest::prelude::*;

fn guide() -> &'static Guide {
    Catalog::embedded()
        .unwrap_or_else(|e| panic!("{e}"))
        .guide("generic-2023")
        .unwrap_or_else(|| panic!("generic-2023"))
}

/// Operating-system names as inventories write them, with the system of
/// the generic guide each one is counted on.
const SYSTEMS: &[(&str, &str)] = &[
    ("Windows 10", "win10"),
    ("Windows Server 2016", "ws2016"),
    ("Windows 7 SP1", "win7sp1"),
    ("macOS", "macos"),
];

/// Whatever the importer accepted must add up, whatever it was fed.
fn check_sums(r: &ImportReport) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        r.rows,
        r.counted_rows + r.malformed_total + r.duplicates + r.left_out,
        "rows add up: {:?}",
        r
    );
    let placed: u64 = r.systems.values().sum();
    prop_assert_eq!(placed, r.placed());
    prop_assert_eq!(r.devices, placed + r.unrecognised_devices, "{:?}", r);
    let named: u64 = r.unrecognised.iter().map(|(_, n)| n).sum();
    prop_assert_eq!(named, r.unrecognised_devices, "{:?}", r);
    let families: u64 = r.families.values().sum();
    prop_assert!(families <= r.devices, "{:?}", r);
    prop_assert!(r.counted_rows > 0, "an accepted import counted a row");
    prop_assert!(r.malformed_total * 2 <= r.rows, "mostly malformed accepted");
    prop_assert!(r.malformed.len() as u64 <= r.malformed_total);
    let _ = r.summary_line();
    Ok(())
}

/// Bytes that steer a CSV reader: delimiters, quotes, line ends, a BOM's
/// bytes, NUL, and pieces of headers and OS names.
fn csvish() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b",".to_vec()),
        Just(b";".to_vec()),
        Just(b"\t".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(vec![0u8]),
        Just(vec![0xEF, 0xBB, 0xBF]),
        Just(vec![0xFF, 0xFE]),
        Just(vec![0xFE, 0xFF]),
        Just(vec![0xC3]),
        Just(b"OS".to_vec()),
        Just(b"Count".to_vec()),
        Just(b"Device Name".to_vec()),
        Just(b"OSPlatform".to_vec()),
        Just(b"Timestamp".to_vec()),
        Just(b"DeviceId".to_vec()),
        Just(b"Device Category".to_vec()),
        Just(b"Windows 10".to_vec()),
        Just(b"Windows11".to_vec()),
        Just(b"macOS".to_vec()),
        Just(b"18446744073709551615".to_vec()),
        Just(b"7".to_vec()),
        any::<u8>().prop_map(|b| vec![b]),
    ];
    prop::collection::vec(piece, 0..200).prop_map(|v| v.concat())
}

/// A header the importer recognises, then arbitrary CSV-ish bytes.
fn headed() -> impl Strategy<Value = Vec<u8>> {
    let header = prop::sample::select(vec![
        "OS,Count\n",
        "Device Name;OS\n",
        "DeviceId,Timestamp,OSPlatform,OSVersion\n",
        "Device Name,OS Platform,First Seen,Device Category,Onboarding Status\n",
        "Operating System Name and Version\tBuild\n",
        "os\n",
    ]);
    (header, csvish()).prop_map(|(h, rest)| [h.as_bytes(), &rest].concat())
}

#[derive(Debug, Clone)]
struct Layout {
    delimiter: char,
    ending: &'static str,
    bom: bool,
    /// 0: UTF-8, 1: UTF-16 little-endian, 2: UTF-16 big-endian (both with
    /// a byte-order mark).
    encoding: u8,
    quote_all: bool,
    /// Counts per row (`OS;Count` columns) rather than one row per device.
    counts: bool,
    /// Where the OS column sits among the three.
    os_at: usize,
    final_newline: bool,
}

fn layout() -> impl Strategy<Value = Layout> {
    (
        prop::sample::select(vec![',', ';', '\t']),
        prop::sample::select(vec!["\n", "\r\n", "\r"]),
        any::<bool>(),
        0u8..3,
        any::<bool>(),
        any::<bool>(),
        0usize..3,
        any::<bool>(),
    )
        .prop_map(
            |(delimiter, ending, bom, encoding, quote_all, counts, os_at, final_newline)| Layout {
                delimiter,
                ending,
                bom,
                encoding,
                quote_all,
                counts,
                os_at,
                final_newline,
            },
        )
}

/// Free text for a comment column: delimiters, quotes, line breaks.
fn comment() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "a", "Z", " ", ",", ";", "\t", "\"", "\n", "\r\n", "é", "名", "1",
        ]),
        0..8,
    )
    .prop_map(|v| v.concat())
}

/// One field as a CSV writer puts it: quoted (quotes doubled) when asked
/// or when it holds a delimiter, a quote or a line break.
fn field(s: &str, l: &Layout) -> String {
    let special = s.contains([l.delimiter, '"', '\n', '\r']) || s.trim() != s;
    if l.quote_all || special {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn row(fields: &[String; 3], l: &Layout) -> String {
    // The OS column is moved to `os_at`; the other two keep their order.
    let mut v: Vec<String> = vec![fields[1].clone(), fields[2].clone()];
    v.insert(l.os_at.min(2), fields[0].clone());
    v.iter()
        .map(|f| field(f, l))
        .collect::<Vec<_>>()
        .join(&l.delimiter.to_string())
}

fn encode(text: &str, l: &Layout) -> Vec<u8> {
    match l.encoding {
        1 => [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect(),
        2 => [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect(),
        _ if l.bom => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        _ => text.as_bytes().to_vec(),
    }
}

/// A generated inventory: its text, and what it holds.
struct Made {
    text: String,
    rows: u64,
    devices: u64,
    systems: BTreeMap<String, u64>,
    malformed: u64,
}

/// Rows: (system index, count, comment, malformed). A malformed row has an
/// empty OS (or, with counts, a count that is not a number).
fn make(rows: &[(usize, u64, String, bool)], blank_every: usize, l: &Layout) -> Made {
    let header: [String; 3] = if l.counts {
        ["OS".into(), "Count".into(), "Comment".into()]
    } else {
        ["OS".into(), "Device Name".into(), "Comment".into()]
    };
    let mut lines = vec![row(&header, l)];
    let mut made = Made {
        text: String::new(),
        rows: 0,
        devices: 0,
        systems: BTreeMap::new(),
        malformed: 0,
    };
    for (i, (sys, count, comment, bad)) in rows.iter().enumerate() {
        let (name, id) = SYSTEMS[sys % SYSTEMS.len()];
        let fields: [String; 3] = match (l.counts, bad) {
            (true, false) => [name.into(), count.to_string(), comment.clone()],
            (true, true) if i % 2 == 0 => [name.into(), format!("{count}x"), comment.clone()],
            (true, true) => [String::new(), count.to_string(), comment.clone()],
            // Device names that need quoting, unique per row.
            (false, false) => [name.into(), format!("PC \"{i}\", {i}"), comment.clone()],
            (false, true) => [String::new(), format!("PC-{i}"), comment.clone()],
        };
        lines.push(row(&fields, l));
        made.rows += 1;
        if *bad {
            made.malformed += 1;
        } else {
            let n = if l.counts { *count } else { 1 };
            made.devices += n;
            *made.systems.entry(id.to_string()).or_default() += n;
        }
        if blank_every > 0 && i % blank_every == 0 {
            lines.push(String::new());
        }
    }
    made.text = lines.join(l.ending);
    if l.final_newline {
        made.text.push_str(l.ending);
    }
    made
}

fn good_rows() -> impl Strategy<Value = Vec<(usize, u64, String, bool)>> {
    prop::collection::vec(
        (0..SYSTEMS.len(), 0u64..5000, comment(), Just(false)),
        1..40,
    )
}

fn mixed_rows() -> impl Strategy<Value = Vec<(usize, u64, String, bool)>> {
    prop::collection::vec(
        (0..SYSTEMS.len(), 0u64..5000, comment(), any::<bool>()),
        1..40,
    )
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic_and_what_is_accepted_adds_up(
        bytes in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..2048),
            csvish(),
            headed(),
        ]
    ) {
        if let Ok(r) = import(guide(), bytes.as_slice()) {
            check_sums(&r)?;
        }
    }

    #[test]
    fn any_valid_inventory_imports_to_exactly_its_counts(
        rows in good_rows(),
        blank_every in 0usize..4,
        l in layout(),
    ) {
        let made = make(&rows, blank_every, &l);
        let bytes = encode(&made.text, &l);
        let r = import(guide(), bytes.as_slice())
            .map_err(|e| TestCaseError::fail(format!("{e}\n{:?}", made.text)))?;
        check_sums(&r)?;
        prop_assert_eq!(r.rows, made.rows, "{:?}", made.text);
        prop_assert_eq!(r.counted_rows, made.rows);
        prop_assert_eq!(r.devices, made.devices);
        prop_assert_eq!(&r.systems, &made.systems);
        prop_assert_eq!(r.malformed_total, 0);
        prop_assert_eq!(r.duplicates, 0, "{:?}", made.text);
        prop_assert!(r.unrecognised.is_empty());
        prop_assert_eq!(&r.os_column, "OS");
    }

    #[test]
    fn mostly_malformed_input_is_refused_and_the_rest_counted_exactly(
        rows in mixed_rows(),
        l in layout(),
    ) {
        let made = make(&rows, 0, &l);
        let bytes = encode(&made.text, &l);
        let result = import(guide(), bytes.as_slice());
        let good = made.rows - made.malformed;
        match result {
            Ok(r) => {
                prop_assert!(good > 0 && made.malformed * 2 <= made.rows, "accepted {:?}", made.text);
                check_sums(&r)?;
                prop_assert_eq!(r.malformed_total, made.malformed);
                prop_assert_eq!(r.devices, made.devices);
                prop_assert_eq!(&r.systems, &made.systems);
            }
            Err(ImportError::NoUsableRow { rows, malformed, .. }) => {
                prop_assert_eq!(good, 0);
                prop_assert_eq!((rows, malformed), (made.rows, made.malformed));
            }
            Err(ImportError::MostlyMalformed { rows, malformed, .. }) => {
                prop_assert!(good > 0 && made.malformed * 2 > made.rows);
                prop_assert_eq!((rows, malformed), (made.rows, made.malformed));
            }
            Err(e) => prop_assert!(false, "{e}: {:?}", made.text),
        }
    }

    #[test]
    fn a_record_past_the_cap_is_refused_with_its_line_and_one_within_it_is_read(
        rows in good_rows(),
        at in 0usize..40,
        len in (MAX_LINE - 64)..(MAX_LINE + 64),
        l in layout(),
    ) {
        let mut l = l;
        l.counts = true;
        let at = at % rows.len();
        let mut made = make(&rows[..at], 0, &l);
        // Line the long record starts on, counted as the reader counts.
        let so_far = made.text.replace("\r\n", "\n").replace('\r', "\n");
        let start = so_far.matches('\n').count() as u64 + 1 + u64::from(!l.final_newline);
        if !l.final_newline {
            made.text.push_str(l.ending);
        }
        let long = row(&["macOS".into(), "3".into(), "x".repeat(len)], &l);
        made.text.push_str(&long);
        made.text.push_str(l.ending);
        let bytes = encode(&made.text, &l);
        let result = import(guide(), bytes.as_slice());
        if long.len() > MAX_LINE {
            match result {
                Err(ImportError::LineTooLong { line }) => prop_assert_eq!(line, start),
                other => prop_assert!(false, "{} bytes accepted: {:?}", long.len(), other.map(|r| r.rows)),
            }
        } else {
            let r = result.map_err(|e| TestCaseError::fail(format!("{} bytes: {e}", long.len())))?;
            check_sums(&r)?;
            prop_assert_eq!(r.rows, made.rows + 1);
            prop_assert_eq!(r.devices, made.devices + 3);
        }
    }
}

/// A `DeviceInfo` row that repeats a device but lacks its timestamp is a
/// repeat, counted once: the rows still add up.
#[test]
fn a_repeated_device_without_a_timestamp_is_counted_once() {
    let csv = "OSPlatform,DeviceId,Timestamp\nWindows10,A,2024-01-01\nWindows10,A\n";
    let r = import(guide(), csv.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (r.rows, r.counted_rows, r.duplicates, r.devices),
        (2, 1, 1, 1)
    );
    check_sums(&r).unwrap_or_else(|e| panic!("{e}"));
}
