//! No guide's ids in the code: every guide id, step id, item id, option id,
//! flag, proxy-table value, phase, system, link, footnote and warning id of
//! `assets/guides/*.json` is looked for as a string literal in `src/`,
//! outside the catalog module (which reads the data) and outside
//! `#[cfg(test)]` modules. What the code needs to know about an item is
//! declared in the guide, by a role or a kind.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Words that are guide ids too, used in code for something else. Each
/// entry: (file, literal, what it is there).
const ELSEWHERE: &[(&str, &str, &str)] = &[
    (
        "src/wizard/keys.rs",
        "yes",
        "the name of the y key in the footer",
    ),
    (
        "src/wizard/keys.rs",
        "no",
        "the name of the other keys in a yes/no question",
    ),
    ("src/plan.rs", "yes", "a status word `set` accepts for done"),
    ("src/plan/de.rs", "roles", "a field of the plan file"),
    ("src/plan/de.rs", "estate", "a field of the plan file"),
    (
        "src/wizard/proxy.rs",
        "estate",
        "the name of a pane in a resume position",
    ),
    ("src/wizard/keys.rs", "use", "a word of a key hint"),
    ("src/estate/limit.rs", "linux", "a cfg(target_os)"),
    ("src/links.rs", "macos", "a cfg(target_os)"),
    // The parser's words for operating systems and its distribution keys,
    // which guides match through a system's `family` and `distro`.
    ("src/lookup/parse.rs", "rhel", "a distribution key"),
    ("src/lookup/parse.rs", "centos", "a distribution key"),
    ("src/lookup/parse.rs", "ubuntu", "a distribution key"),
    ("src/lookup/parse.rs", "sles", "a distribution key"),
    ("src/lookup/parse.rs", "debian", "a distribution key"),
    ("src/lookup/parse.rs", "oracle", "a distribution key"),
    ("src/lookup/parse.rs", "ios", "a word for iOS in OS names"),
    (
        "src/lookup/parse.rs",
        "android",
        "a word for Android in OS names",
    ),
    (
        "src/lookup/parse.rs",
        "macos",
        "a word for macOS in OS names",
    ),
    (
        "src/lookup/parse.rs",
        "linux",
        "a word for Linux in OS names",
    ),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every id a guide declares, with where it comes from.
fn guide_ids() -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let dir = root().join("assets/guides");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "{files:?}");
    let text = |v: &serde_json::Value| v.as_str().map(str::to_string);
    let each = |v: &serde_json::Value, key: &str| -> Vec<serde_json::Value> {
        v.get(key)
            .and_then(|x| x.as_array())
            .cloned()
            .unwrap_or_default()
    };
    for f in files {
        let raw = std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{e}"));
        let g: serde_json::Value = serde_json::from_str(&raw).unwrap_or_else(|e| panic!("{e}"));
        ids.extend(text(&g["id"]));
        for key in ["phases", "systems", "links", "footnotes", "warnings"] {
            for x in each(&g, key) {
                ids.extend(text(&x["id"]));
            }
        }
        for p in each(&g, "phases") {
            ids.extend(text(&p["id"]));
        }
        for v in each(&g["proxy_table"], "values") {
            ids.extend(text(&v["id"]));
        }
        let phase_steps: Vec<serde_json::Value> = each(&g, "phases")
            .iter()
            .flat_map(|p| each(p, "steps"))
            .collect();
        for s in each(&g, "steps").iter().chain(&phase_steps) {
            ids.extend(text(&s["id"]));
            for i in each(s, "items") {
                ids.extend(text(&i["id"]));
                for o in each(&i, "options") {
                    ids.extend(text(&o["id"]));
                    ids.extend(each(&o, "flags").iter().filter_map(text));
                    ids.extend(text(&o["plan"]));
                }
            }
        }
    }
    ids
}

/// The string literals of Rust source, with their line numbers: comments,
/// char literals and everything from the first `#[cfg(test)]` on skipped.
fn literals(src: &str) -> Vec<(usize, String)> {
    let src = src.split("#[cfg(test)]").next().unwrap_or("");
    let b: Vec<char> = src.chars().collect();
    let (mut i, mut line, mut out) = (0, 1, Vec::new());
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == '*' && b[i + 1] == '/') {
                line += usize::from(b[i] == '\n');
                i += 1;
            }
            i += 2;
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !ident(b.get(i.wrapping_sub(1)))
        {
            // Raw string r"…" or r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                i += 1;
                continue;
            }
            let start = j + 1;
            let mut k = start;
            loop {
                if k >= b.len() {
                    break;
                }
                if b[k] == '"' && (0..hashes).all(|h| b.get(k + 1 + h) == Some(&'#')) {
                    break;
                }
                k += 1;
            }
            let s: String = b[start..k.min(b.len())].iter().collect();
            out.push((line, s.clone()));
            line += s.matches('\n').count();
            i = k + 1 + hashes;
        } else if c == '"' {
            let mut s = String::new();
            let mut k = i + 1;
            while k < b.len() && b[k] != '"' {
                if b[k] == '\\' {
                    k += 1;
                }
                if let Some(ch) = b.get(k) {
                    s.push(*ch);
                }
                k += 1;
            }
            out.push((line, s.clone()));
            line += s.matches('\n').count();
            i = k + 1;
        } else if c == '\'' {
            // A char literal ('x', '\n', '"') or a lifetime ('a).
            if next == Some('\\') {
                let mut k = i + 2;
                while k < b.len() && b[k] != '\'' {
                    k += 1;
                }
                i = k + 1;
            } else if b.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    out
}

fn ident(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || *c == '_')
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Hits of guide ids among the literals of the program's source.
fn hits(ids: &BTreeSet<String>) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let mut found = Vec::new();
    for f in files {
        let rel = f
            .strip_prefix(root())
            .unwrap_or(&f)
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "src/catalog.rs" || rel.starts_with("src/catalog/") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{e}"));
        for (line, lit) in literals(&text) {
            if ids.contains(&lit)
                && !ELSEWHERE
                    .iter()
                    .any(|(file, l, _)| *file == rel && *l == lit)
            {
                found.push(format!("{rel}:{line}: {lit:?}"));
            }
        }
    }
    found
}

#[test]
fn no_guide_id_is_written_in_the_code() {
    let ids = guide_ids();
    for id in [
        "generic-2023",
        "mcafee-2021",
        "licence-route",
        "proxy-in-use",
        "P1",
        "EDR",
        "servers",
        "rbac",
    ] {
        assert!(ids.contains(id), "{id} is not read from the guides");
    }
    let found = hits(&ids);
    assert!(
        found.is_empty(),
        "guide ids written in code (declare a role or kind in the guide instead):\n{}",
        found.join("\n")
    );
}

#[test]
fn every_exception_is_still_needed() {
    // An entry that no longer matches anything is dead weight: remove it.
    let ids = guide_ids();
    for (file, lit, why) in ELSEWHERE {
        assert!(ids.contains(*lit), "{lit} ({why}) is no guide id any more");
        let text = std::fs::read_to_string(root().join(file)).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            literals(&text).iter().any(|(_, l)| l == lit),
            "{file} no longer writes {lit:?} ({why})"
        );
    }
}

#[test]
fn the_scanner_finds_literals_and_skips_comments() {
    let src = "// \"P1\" in a comment\nlet a = \"P2\"; let c = '\"'; let r = r#\"EDR\"#;\n/* \"x\" */ let s = \"a\\\"b\";\n#[cfg(test)]\nmod t { const X: &str = \"P1\"; }";
    let got: Vec<(usize, String)> = literals(src);
    assert_eq!(
        got,
        vec![
            (2, "P2".to_string()),
            (2, "EDR".to_string()),
            (3, "a\"b".to_string())
        ]
    );
    // And on a copy of today's code with an id put back, it would fail.
    let ids: BTreeSet<String> = ["licence-route".to_string()].into();
    let bad = "fn f(g: &Guide) { g.item(\"licence-route\"); }";
    assert!(literals(bad).iter().any(|(_, l)| ids.contains(l)));
}
