//! Bytes of a plan file → a plan, or the precise reason it is not one;
//! and the chain that migrates older schema versions. Pure: no I/O, and
//! never a panic, whatever the bytes.

use serde_json::Value;
use serde_json::error::Category;

use super::MAX_FILE_BYTES;
use super::error::Broken;
use crate::plan::{Plan, SCHEMA_VERSION};

/// A plan read from bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub plan: Plan,
    /// `Some(version)` when the file comes from a newer build: read
    /// leniently, and never to be written back.
    pub newer: Option<u32>,
}

/// Just the version of a file.
#[derive(serde::Deserialize)]
struct Probe {
    #[serde(default)]
    schema_version: Option<Value>,
}

/// Any JSON value, refused if an object in it has a key twice (serde_json
/// would keep the last silently, so a hand edit could hide an answer).
struct NoDuplicates;

impl<'de> serde::Deserialize<'de> for NoDuplicates {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NoDuplicates)
    }
}

impl<'de> serde::de::Visitor<'de> for NoDuplicates {
    type Value = NoDuplicates;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self, E> {
        Ok(NoDuplicates)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self, E> {
        Ok(NoDuplicates)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self, E> {
        Ok(NoDuplicates)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self, E> {
        Ok(NoDuplicates)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self, E> {
        Ok(NoDuplicates)
    }
    fn visit_unit<E>(self) -> Result<Self, E> {
        Ok(NoDuplicates)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self, A::Error> {
        while seq.next_element::<NoDuplicates>()?.is_some() {}
        Ok(NoDuplicates)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self, A::Error> {
        let mut keys = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !keys.insert(key.clone()) {
                return Err(serde::de::Error::custom(format!(
                    "{DUPLICATE} {:?}",
                    crate::sanitize::line(&key)
                )));
            }
            map.next_value::<NoDuplicates>()?;
        }
        Ok(NoDuplicates)
    }
}

const DUPLICATE: &str = "the key appears twice:";

/// Refuse text whose objects repeat a key; other problems are left to the
/// parse that reports them.
fn no_duplicates(text: &str) -> Result<(), Broken> {
    match serde_json::from_str::<NoDuplicates>(text) {
        Err(e) if e.to_string().starts_with(DUPLICATE) => Err(Broken::Shape {
            detail: format!(
                "{} (line {}, column {}); keep one of them",
                e.to_string().split(" at line ").next().unwrap_or(DUPLICATE),
                e.line(),
                e.column()
            ),
        }),
        _ => Ok(()),
    }
}

/// One migration step: the JSON of version `n` → the JSON of version `n + 1`.
type Step = fn(Value) -> Result<Value, String>;

/// `STEPS[i]` migrates version `i + 1` to `i + 2`. Raising
/// [`SCHEMA_VERSION`] means adding one line here (`v1_to_v2,`) and the
/// function; the assertion below fails the build until you do.
const STEPS: &[Step] = &[v1_to_v2];

/// Schema 2 gives every item answer an owner, a due date and a reason, and
/// two more states (`blocked`, `waiting`); older answers need no change.
/// A schema-1 file written by hand or by another tool may already hold keys
/// of those names as unknown fields: a value schema 2 can read stays where
/// it is and is adopted; any other is kept under `schema1_<key>`, so the
/// file still reads and nothing is lost.
fn v1_to_v2(mut value: Value) -> Result<Value, String> {
    // Schema 2 files carry the progress for the plans list under this key.
    if let Value::Object(top) = &mut value
        && let Some(v) = top.remove(super::summary::PROGRESS_KEY)
    {
        let mut aside = format!("schema1_{}", super::summary::PROGRESS_KEY);
        while top.contains_key(&aside) {
            aside.insert(0, '_');
        }
        top.insert(aside, v);
    }
    let Some(answers) = value.get_mut("answers") else {
        return Ok(value);
    };
    let Value::Object(answers) = answers else {
        return Ok(value);
    };
    for answer in answers.values_mut() {
        let Value::Object(answer) = answer else {
            continue;
        };
        for key in ["owner", "due", "reason"] {
            let fits = match answer.get(key) {
                None => continue,
                Some(Value::String(s)) if key == "due" => crate::plan::valid_date(s).is_some(),
                Some(Value::Null) => key == "due",
                Some(Value::String(_)) => true,
                Some(_) => false,
            };
            if !fits && let Some(v) = answer.remove(key) {
                let mut aside = format!("schema1_{key}");
                while answer.contains_key(&aside) {
                    aside.insert(0, '_');
                }
                answer.insert(aside, v);
            }
        }
    }
    Ok(value)
}

const _: () = assert!(STEPS.len() + 1 == SCHEMA_VERSION as usize);

/// Read a plan from the bytes of a file.
pub fn decode(bytes: &[u8]) -> Result<Decoded, Broken> {
    if bytes.is_empty() {
        return Err(Broken::Empty);
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Broken::TooLarge {
            len: bytes.len() as u64,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|_| Broken::NotText)?;
    if text.contains('\0') {
        return Err(Broken::NotText);
    }
    // Editors on Windows may add a byte-order mark; it is not content.
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    no_duplicates(text)?;
    // The common case, a file of this version: one typed parse. The probe
    // skips every other field without building it.
    if let Ok(Probe {
        schema_version: Some(v),
    }) = serde_json::from_str::<Probe>(text)
        && v.as_u64() == Some(u64::from(SCHEMA_VERSION))
    {
        let plan = serde_json::from_str(text).map_err(|e| shape(&e))?;
        return Ok(Decoded {
            plan: without_summary(plan),
            newer: None,
        });
    }
    let value: Value = serde_json::from_str(text).map_err(|e| syntax(&e))?;
    let Value::Object(map) = &value else {
        return Err(Broken::Shape {
            detail: format!("the file holds {}, not an object", kind_of(&value)),
        });
    };
    let version = match map.get("schema_version") {
        None | Some(Value::Null) => return Err(Broken::NoVersion),
        Some(v) => match v.as_u64().map(u32::try_from) {
            Some(Ok(0)) => return Err(Broken::NoVersion),
            Some(Ok(n)) => n,
            _ => {
                return Err(Broken::BadVersion {
                    found: v.to_string().chars().take(40).collect(),
                });
            }
        },
    };
    if version > SCHEMA_VERSION {
        let plan = serde_json::from_value(value).map_err(|e| Broken::NewerUnreadable {
            found: version,
            detail: e.to_string(),
        })?;
        return Ok(Decoded {
            plan: without_summary(plan),
            newer: Some(version),
        });
    }
    let plan = if version == SCHEMA_VERSION {
        // From the text, so a wrong shape is reported with its line.
        serde_json::from_str(text).map_err(|e| shape(&e))?
    } else {
        serde_json::from_value(migrate(value, version)?).map_err(|e| shape(&e))?
    };
    Ok(Decoded {
        plan: without_summary(plan),
        newer: None,
    })
}

/// The plan without the progress its file carries for the plans list: the
/// saver writes it afresh, and nothing else reads it.
fn without_summary(mut plan: Plan) -> Plan {
    plan.extra.remove(super::summary::PROGRESS_KEY);
    plan
}

/// Bring the JSON of an older version up to [`SCHEMA_VERSION`], one step at
/// a time.
fn migrate(value: Value, from: u32) -> Result<Value, Broken> {
    migrate_with(value, from, STEPS)
}

/// [`migrate`] over a given chain, `steps[i]` taking version `i + 1` to
/// `i + 2`, ending at version `steps.len() + 1`.
fn migrate_with(mut value: Value, from: u32, steps: &[Step]) -> Result<Value, Broken> {
    let first = (from as usize).saturating_sub(1);
    for (i, step) in steps.iter().enumerate().skip(first) {
        value = step(value).map_err(|detail| Broken::Shape {
            detail: format!("cannot migrate it from schema {}: {detail}", i + 1),
        })?;
    }
    if let Value::Object(map) = &mut value {
        let last = u32::try_from(steps.len() + 1).unwrap_or(u32::MAX);
        map.insert("schema_version".into(), Value::from(last));
    }
    Ok(value)
}

fn syntax(e: &serde_json::Error) -> Broken {
    match e.classify() {
        Category::Eof => Broken::Truncated,
        _ if e.to_string().starts_with("recursion limit exceeded") => Broken::TooDeep,
        Category::Data => shape(e),
        Category::Syntax | Category::Io => Broken::Syntax {
            line: e.line(),
            column: e.column(),
        },
    }
}

fn shape(e: &serde_json::Error) -> Broken {
    if e.to_string().starts_with("recursion limit exceeded") {
        return Broken::TooDeep;
    }
    Broken::Shape {
        detail: e.to_string(),
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_json(version: &str) -> String {
        format!(r#"{{"schema_version": {version}, "name": "x", "guide": "generic"}}"#)
    }

    #[test]
    fn current_version_reads() {
        for v in ["1", "2"] {
            let d = decode(plan_json(v).as_bytes());
            assert!(matches!(d, Ok(Decoded { newer: None, .. })), "{d:?}");
            assert_eq!(d.map(|d| d.plan.schema_version), Ok(SCHEMA_VERSION));
        }
    }

    #[test]
    fn v1_answers_with_owner_like_keys_keep_them() {
        let v1 = br#"{"schema_version": 1, "name": "x", "guide": "g", "answers": {
            "tenant": {"status": "done", "owner": "Ana", "due": "2027-01-15", "reason": "r"},
            "servers": {"choice": "yes", "owner": 5, "due": "next week", "reason": ["a"]}
        }}"#;
        let plan = match decode(v1) {
            Ok(d) => d.plan,
            Err(e) => panic!("{e:?}"),
        };
        let t = &plan.answers["tenant"];
        assert_eq!(
            (t.owner.as_str(), t.due.as_deref(), t.reason.as_str()),
            ("Ana", Some("2027-01-15"), "r")
        );
        assert!(t.extra.is_empty(), "{:?}", t.extra);
        let s = &plan.answers["servers"];
        assert_eq!((s.owner.as_str(), s.due.as_deref()), ("", None));
        assert_eq!(s.extra["schema1_owner"], serde_json::json!(5));
        assert_eq!(s.extra["schema1_due"], serde_json::json!("next week"));
        assert_eq!(s.extra["schema1_reason"], serde_json::json!(["a"]));
        assert_eq!(s.choice.as_deref(), Some("yes"));
    }

    #[test]
    fn versions() {
        assert_eq!(decode(plan_json("0").as_bytes()), Err(Broken::NoVersion));
        assert_eq!(decode(plan_json("null").as_bytes()), Err(Broken::NoVersion));
        for bad in ["-1", "1.5", "\"1\"", "4294967296", "[1]"] {
            assert!(
                matches!(
                    decode(plan_json(bad).as_bytes()),
                    Err(Broken::BadVersion { .. })
                ),
                "{bad}"
            );
        }
        let newer = decode(plan_json("7").as_bytes());
        const { assert!(SCHEMA_VERSION < 7) };
        assert!(
            matches!(newer, Ok(Decoded { newer: Some(7), .. })),
            "{newer:?}"
        );
    }

    #[test]
    fn migrate_at_current_version_only_stamps() {
        let v = serde_json::json!({"schema_version": SCHEMA_VERSION, "name": "x"});
        assert_eq!(migrate(v.clone(), SCHEMA_VERSION), Ok(v));
    }

    // A chain of three versions, as the store will have once the schema
    // changes: v1 called the plan "title", v2 kept notes as one string.
    fn v1_to_v2(mut v: Value) -> Result<Value, String> {
        let map = v.as_object_mut().ok_or("not an object")?;
        let title = map.remove("title").ok_or("no title")?;
        map.insert("name".into(), title);
        Ok(v)
    }

    fn v2_to_v3(mut v: Value) -> Result<Value, String> {
        let map = v.as_object_mut().ok_or("not an object")?;
        let notes = map.remove("notes").unwrap_or(Value::Null);
        let list = match notes {
            Value::Null => Vec::new(),
            Value::String(s) => vec![Value::String(s)],
            other => return Err(format!("notes is {}", kind_of(&other))),
        };
        map.insert("notes".into(), Value::Array(list));
        Ok(v)
    }

    const CHAIN: &[Step] = &[v1_to_v2, v2_to_v3];

    #[test]
    fn migration_runs_every_step_from_the_file_version_in_order() {
        let v1 = serde_json::json!({"schema_version": 1, "title": "x", "notes": "n"});
        assert_eq!(
            migrate_with(v1, 1, CHAIN),
            Ok(serde_json::json!({"schema_version": 3, "name": "x", "notes": ["n"]}))
        );
        // A version-2 file skips the first step (it has no "title").
        let v2 = serde_json::json!({"schema_version": 2, "name": "y"});
        assert_eq!(
            migrate_with(v2, 2, CHAIN),
            Ok(serde_json::json!({"schema_version": 3, "name": "y", "notes": []}))
        );
    }

    #[test]
    fn a_failed_step_names_the_version_it_started_from() {
        let bad = serde_json::json!({"schema_version": 2, "name": "y", "notes": 5});
        match migrate_with(bad, 2, CHAIN) {
            Err(Broken::Shape { detail }) => {
                assert_eq!(detail, "cannot migrate it from schema 2: notes is a number")
            }
            other => panic!("{other:?}"),
        }
        let bad = serde_json::json!({"schema_version": 1, "name": "no title"});
        assert!(matches!(
            migrate_with(bad, 1, CHAIN),
            Err(Broken::Shape { detail }) if detail.contains("schema 1: no title")
        ));
    }

    #[test]
    fn shapes() {
        assert!(matches!(decode(b"[]"), Err(Broken::Shape { .. })));
        let missing = decode(br#"{"schema_version": 1, "guide": "g"}"#);
        match missing {
            Err(Broken::Shape { detail }) => assert!(detail.contains("name"), "{detail}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(decode(b"{\"schema_version\": 1,"), Err(Broken::Truncated));
        assert!(matches!(decode(b"{]"), Err(Broken::Syntax { line: 1, .. })));
        assert_eq!(decode(b"{\"a\":\0}"), Err(Broken::NotText));
        assert_eq!(decode(&[0xff, 0xfe, 0x00]), Err(Broken::NotText));
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let top = br#"{"schema_version": 1, "name": "x", "name": "y", "guide": "g"}"#;
        match decode(top) {
            Err(Broken::Shape { detail }) => {
                assert!(
                    detail.contains("twice") && detail.contains("\"name\""),
                    "{detail}"
                )
            }
            other => panic!("{other:?}"),
        }
        let nested = br#"{"schema_version": 1, "name": "x", "guide": "g",
            "answers": {"tenant": {"status": "done", "status": "todo"}}}"#;
        assert!(matches!(decode(nested), Err(Broken::Shape { .. })));
        // The same key in two objects is fine.
        let fine =
            br#"{"schema_version": 1, "name": "x", "guide": "g", "extra": [{"a": 1}, {"a": 2}]}"#;
        assert!(decode(fine).is_ok());
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        let with_bom = format!("\u{FEFF}{}", plan_json("1"));
        assert!(decode(with_bom.as_bytes()).is_ok());
    }
}
