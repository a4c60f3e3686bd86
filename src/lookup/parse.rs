//! Operating-system names as people and device exports write them, parsed
//! into a query: family, server or not, product (Windows), distribution
//! and version. Pure.

use crate::catalog::Family;

/// What an operating-system name says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OsQuery {
    pub family: Option<Family>,
    pub server: bool,
    /// Windows: "11", "10", "8.1", "7", "2022", "2012 r2", "semi-annual", …
    pub product: Option<String>,
    /// Linux distribution key: "rhel", "centos", "ubuntu", "sles", "debian",
    /// "oracle", or another name.
    pub distro: Option<String>,
    /// Dotted version ("10.14.6", "20.04", "7.9").
    pub version: Option<String>,
    /// The input, normalised.
    pub text: String,
}

/// Lower-case, punctuation to spaces, letters and digits apart
/// ("win10" → "win 10"), "r 2"/"sp 1" kept together.
pub fn normalise(input: &str) -> String {
    let mut out = String::new();
    let mut prev: Option<char> = None;
    for c in input.chars().flat_map(char::to_lowercase) {
        let c = if c.is_alphanumeric() || c == '.' {
            c
        } else {
            ' '
        };
        if let Some(p) = prev
            && ((p.is_ascii_digit() && c.is_alphabetic())
                || (p.is_alphabetic() && c.is_ascii_digit()))
        {
            out.push(' ');
        }
        out.push(c);
        prev = Some(c);
    }
    let words: Vec<&str> = out
        .split_whitespace()
        .map(|w| w.trim_matches('.'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut joined: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let next = words.get(i + 1).copied();
        match (w, next) {
            ("r", Some(n)) if n.chars().all(|c| c.is_ascii_digit()) => {
                joined.push(format!("r{n}"));
                i += 2;
            }
            ("sp", Some(n)) if n.chars().all(|c| c.is_ascii_digit()) => {
                joined.push(format!("sp{n}"));
                i += 2;
            }
            ("windowsserver", _) => {
                joined.push("windows".into());
                joined.push("server".into());
                i += 1;
            }
            _ => {
                joined.push(w.to_string());
                i += 1;
            }
        }
    }
    joined.join(" ")
}

const MAC_NAMES: &[(&str, &str)] = &[
    ("high sierra", "10.13"),
    ("mojave", "10.14"),
    ("catalina", "10.15"),
    ("big sur", "11"),
    ("monterey", "12"),
    ("ventura", "13"),
    ("sonoma", "14"),
    ("sequoia", "15"),
    ("tahoe", "26"),
];

const DISTROS: &[(&[&str], &str)] = &[
    (&["rhel", "red hat", "redhat"], "rhel"),
    (&["centos"], "centos"),
    (&["ubuntu"], "ubuntu"),
    (&["sles", "sle", "suse linux enterprise", "suse"], "sles"),
    (&["debian"], "debian"),
    (&["oracle", "ol"], "oracle"),
    (&["fedora"], "fedora"),
    (&["amazon linux", "amzn"], "amazon"),
    (&["rocky"], "rocky"),
    (&["alma", "almalinux"], "alma"),
    (&["opensuse"], "opensuse"),
];

fn has_word(words: &[&str], phrase: &str) -> bool {
    let p: Vec<&str> = phrase.split(' ').collect();
    words.windows(p.len()).any(|w| w == p.as_slice())
}

fn first_version(words: &[&str]) -> Option<String> {
    words
        .iter()
        .find(|w| {
            w.chars().next().is_some_and(|c| c.is_ascii_digit())
                && w.chars().all(|c| c.is_ascii_digit() || c == '.')
        })
        .map(|w| (*w).to_string())
}

/// Parse a free-form operating-system name.
pub fn parse_os(input: &str) -> OsQuery {
    let text = normalise(input);
    let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
    let mut q = OsQuery {
        text: text.clone(),
        ..OsQuery::default()
    };
    let any = |ws: &[&str]| ws.iter().any(|w| has_word(&words, w));

    if any(&["ios", "ipados", "iphone", "ipad"]) {
        q.family = Some(Family::Ios);
        q.version = first_version(&words);
        return q;
    }
    if any(&["android"]) {
        q.family = Some(Family::Android);
        q.version = first_version(&words);
        return q;
    }
    if any(&["macos", "mac", "osx", "os x", "darwin", "macintosh"])
        || MAC_NAMES.iter().any(|(n, _)| has_word(&words, n))
    {
        q.family = Some(Family::Macos);
        q.version = first_version(&words).or_else(|| {
            MAC_NAMES
                .iter()
                .find(|(n, _)| has_word(&words, n))
                .map(|(_, v)| (*v).to_string())
        });
        return q;
    }
    if let Some((_, key)) = DISTROS
        .iter()
        .find(|(names, _)| names.iter().any(|n| has_word(&words, n)))
    {
        q.family = Some(Family::Linux);
        q.distro = Some((*key).to_string());
        q.version = first_version(&words);
        return q;
    }
    if any(&["linux"]) {
        q.family = Some(Family::Linux);
        q.version = first_version(&words);
        return q;
    }
    let windows = any(&["windows", "win", "w", "ws", "microsoft windows"]);
    let server = any(&["server", "ws", "srv"]);
    if !(windows || server) {
        return q;
    }
    q.family = Some(Family::Windows);
    q.server = server;
    q.product = if server {
        server_product(&words)
    } else {
        client_product(&words)
    };
    q
}

fn client_product(words: &[&str]) -> Option<String> {
    words
        .iter()
        .find_map(|w| match *w {
            "11" => Some("11"),
            "10" => Some("10"),
            "8.1" => Some("8.1"),
            "7" => Some("7"),
            _ => None,
        })
        .map(str::to_string)
}

fn server_product(words: &[&str]) -> Option<String> {
    for (i, w) in words.iter().enumerate() {
        let r2 = words.get(i + 1) == Some(&"r2");
        match *w {
            "2008" | "2012" if r2 => return Some(format!("{w} r2")),
            "2008" | "2012" | "2016" | "2019" | "2022" | "2025" => return Some((*w).to_string()),
            _ => {}
        }
        if is_semi_annual(w, words.get(i + 1).copied()) {
            return Some("semi-annual".into());
        }
    }
    None
}

/// Semi-annual channel builds: 1709, 1803, 1809, 1903, 1909, 2004, 20H2, …
/// (the normaliser has split "20h2" into "20", "h", "2").
fn is_semi_annual(w: &str, next: Option<&str>) -> bool {
    if w.len() == 4 && w.chars().all(|c| c.is_ascii_digit()) {
        let n: u32 = w.parse().unwrap_or(0);
        let (year, month) = (n / 100, n % 100);
        return (17..=20).contains(&year) && (1..=12).contains(&month);
    }
    w.len() == 2 && w.chars().all(|c| c.is_ascii_digit()) && next == Some("h")
}

/// Windows builds as device exports give them ("10.0.19045.3803").
pub fn windows_from_build(version: &str, server: bool) -> Option<&'static str> {
    let parts: Vec<u32> = version.split('.').map_while(|p| p.parse().ok()).collect();
    match parts.as_slice() {
        [10, 0, build, ..] if server => Some(match build {
            b if *b >= 26100 => "2025",
            b if *b >= 20348 => "2022",
            b if *b >= 17763 => "2019",
            b if *b >= 16299 => "semi-annual",
            _ => "2016",
        }),
        [10, 0, build, ..] => Some(if *build >= 22000 { "11" } else { "10" }),
        [6, 3, ..] => Some(if server { "2012 r2" } else { "8.1" }),
        [6, 1, ..] => Some(if server { "2008 r2" } else { "7" }),
        _ => None,
    }
}

/// Parse an OS column with an optional version column (device exports:
/// Defender's `OSPlatform` + `OSVersion`, Intune's `OS` + `OS version`).
pub fn parse_os_parts(os: &str, version: Option<&str>, server_hint: Option<bool>) -> OsQuery {
    let version = version.map(str::trim).filter(|v| !v.is_empty());
    let mut q = parse_os(os);
    if server_hint == Some(true) && q.family == Some(Family::Windows) {
        q.server = true;
    }
    match (q.family, version) {
        (Some(Family::Windows), Some(v)) if q.product.is_none() || v.starts_with("10.0.") => {
            if let Some(p) = windows_from_build(v, q.server) {
                // Windows 10 and 11 share "10.0": the build decides.
                if q.product.is_none()
                    || (!q.server
                        && (q.product.as_deref() == Some("10")
                            || q.product.as_deref() == Some("11")))
                {
                    q.product = Some(p.to_string());
                }
            }
            if q.product.is_none() {
                let more = parse_os(&format!("{os} {v}"));
                q.product = more.product;
            }
        }
        (Some(_), Some(v)) if q.version.is_none() => {
            q.version = first_version(&normalise(v).split(' ').collect::<Vec<_>>());
        }
        (None, Some(v)) => {
            let more = parse_os(&format!("{os} {v}"));
            if more.family.is_some() {
                return more;
            }
        }
        _ => {}
    }
    q
}
