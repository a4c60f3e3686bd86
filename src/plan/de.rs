//! Reading plans without serde's `flatten`, which buffers a whole object
//! before reading it: known fields are read straight into their types,
//! unknown ones are kept in `extra` (so a newer build's fields survive a
//! round trip). Same behaviour as the derived code, a fraction of the cost
//! on large plans.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::Value;

use super::{Answer, Plan, Role};

/// A struct read field by field from a JSON object.
trait Fields: Default {
    const NAME: &'static str;
    /// Read the value of a known key into the struct; `false` if unknown.
    fn read<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error>;
    fn extra(&mut self) -> &mut BTreeMap<String, Value>;
    /// Required fields that were missing, checked at the end.
    fn check<E: de::Error>(&self, _seen: &[&'static str]) -> Result<(), E> {
        Ok(())
    }
}

struct FieldsVisitor<T>(PhantomData<T>);

impl<'de, T: Fields> Visitor<'de> for FieldsVisitor<T> {
    type Value = (T, Vec<&'static str>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} object", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = T::default();
        let mut seen = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.read(&key, &mut map)? {
                if let Some(k) = REQUIRED.iter().find(|k| **k == key) {
                    seen.push(*k);
                }
            } else {
                let value: Value = map.next_value()?;
                out.extra().insert(key, value);
            }
        }
        out.check::<A::Error>(&seen)?;
        Ok((out, seen))
    }
}

/// Keys whose absence is an error (only Plan has any).
const REQUIRED: &[&str] = &["schema_version", "name", "guide"];

fn read<'de, D: Deserializer<'de>, T: Fields>(d: D) -> Result<T, D::Error> {
    d.deserialize_map(FieldsVisitor::<T>(PhantomData))
        .map(|(t, _)| t)
}

/// `Option<T>` that treats `null` as absent, like `#[serde(default)]`.
fn opt<'de, A: MapAccess<'de>, T: Deserialize<'de>>(map: &mut A) -> Result<Option<T>, A::Error> {
    map.next_value::<Option<T>>()
}

impl Fields for Answer {
    const NAME: &'static str = "answer";

    fn read<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "status" => self.status = opt(map)?,
            "choice" => self.choice = opt(map)?,
            "text" => self.text = opt(map)?,
            "note" => self.note = map.next_value()?,
            "owner" => self.owner = map.next_value()?,
            "due" => self.due = opt(map)?,
            "reason" => self.reason = map.next_value()?,
            "updated" => self.updated = map.next_value()?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn extra(&mut self) -> &mut BTreeMap<String, Value> {
        &mut self.extra
    }
}

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        read(d)
    }
}

impl Fields for Role {
    const NAME: &'static str = "role";

    fn read<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "name" => self.name = map.next_value()?,
            "group" => self.group = map.next_value()?,
            "permissions" => self.permissions = map.next_value()?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn extra(&mut self) -> &mut BTreeMap<String, Value> {
        &mut self.extra
    }
}

impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        read(d)
    }
}

impl Fields for Plan {
    const NAME: &'static str = "plan";

    fn read<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "schema_version" => self.schema_version = map.next_value()?,
            "name" => self.name = map.next_value()?,
            "organisation" => self.organisation = map.next_value()?,
            "replacing" => self.replacing = map.next_value()?,
            "guide" => self.guide = map.next_value()?,
            "created" => self.created = map.next_value()?,
            "updated" => self.updated = map.next_value()?,
            "answers" => self.answers = map.next_value()?,
            "roles" => self.roles = map.next_value()?,
            "estate" => self.estate = map.next_value()?,
            "reviewed" => self.reviewed = map.next_value()?,
            "position" => self.position = map.next_value()?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn extra(&mut self) -> &mut BTreeMap<String, Value> {
        &mut self.extra
    }

    fn check<E: de::Error>(&self, seen: &[&'static str]) -> Result<(), E> {
        match REQUIRED.iter().find(|k| !seen.contains(k)) {
            Some(missing) => Err(E::missing_field(missing)),
            None => Ok(()),
        }
    }
}

impl<'de> Deserialize<'de> for Plan {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        read(d)
    }
}
