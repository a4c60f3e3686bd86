//! Plan ids and the file names made from them: a readable slug plus a stable
//! hash of the exact name. Pure; no path built here may leave the directory.

/// Longest slug part of an id, in bytes (all ASCII).
const MAX_SLUG: usize = 40;
/// Longest id accepted from outside (a file stem in the directory).
const MAX_ID: usize = 200;

/// The id of a new plan called `name`: the slug of the name (lower-case
/// ASCII letters and digits, other runs turned into `-`, at most 40 bytes,
/// `plan` if nothing is left) and 8 hex digits of the FNV-1a 64 hash of the
/// exact name. The same on every run and platform; names that differ only in
/// case, emoji or punctuation get different ids, and the hash suffix keeps
/// ids clear of Windows reserved names such as `CON`.
pub fn plan_id(name: &str) -> String {
    format!("{}-{:08x}", slug(name), fnv1a64(name.as_bytes()) >> 32)
}

/// The file id of a new plan called `name` with unique id `uid`: the slug
/// of the name as in [`plan_id`] and 8 hex digits of the hash of the unique
/// id, so the same name on two machines gives two file names.
pub fn plan_file_id(name: &str, uid: &str) -> String {
    format!("{}-{:08x}", slug(name), fnv1a64(uid.as_bytes()) >> 32)
}

fn slug(name: &str) -> String {
    let mut slug = String::new();
    let mut dash = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            if slug.len() >= MAX_SLUG {
                break;
            }
            slug.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "plan".into()
    } else {
        slug.into()
    }
}

/// FNV-1a, 64 bits: tiny, stable, and the same everywhere (unlike std's
/// `DefaultHasher`, which may change between Rust releases).
fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Is `id` safe to turn into a file name in the plans directory? Ids we make
/// always are; ids from the command line or the directory must be one plain
/// name: no separator, not hidden, not `.`/`..`, no NUL.
pub(super) fn is_valid(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID
        && !id.starts_with('.')
        && !id
            .chars()
            .any(|c| matches!(c, '/' | '\\' | ':' | '\0') || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_and_hash() {
        let id = plan_id("Contoso Rollout 2026!");
        assert!(id.starts_with("contoso-rollout-2026-"), "{id}");
        assert_eq!(id.len(), "contoso-rollout-2026-".len() + 8);
        assert_eq!(plan_id("Contoso Rollout 2026!"), id);
    }

    #[test]
    fn known_hash_is_stable() {
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c (reference value).
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(plan_id("a"), "a-af63dc4c");
    }

    #[test]
    fn empty_slug_becomes_plan() {
        assert!(plan_id("🦀🦀").starts_with("plan-"));
        assert!(plan_id("").starts_with("plan-"));
        assert!(plan_id("../..").starts_with("plan-"));
    }

    #[test]
    fn slug_is_capped() {
        let id = plan_id(&"ab ".repeat(100));
        assert!(id.len() <= MAX_SLUG + 9, "{id}");
        assert!(!id.contains("--"), "{id}");
    }

    #[test]
    fn validity() {
        assert!(is_valid("contoso-1a2b3c4d"));
        for bad in [
            "", ".", "..", ".hidden", "a/b", "a\\b", "c:x", "a\0b", "a\nb",
        ] {
            assert!(!is_valid(bad), "{bad:?}");
        }
    }
}
