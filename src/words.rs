//! Counted nouns in the sentences the program says: "1 system",
//! "2 systems". One place, so no screen says "1 systems".

/// `n` and the noun, singular for one and plural otherwise. The plural is
/// the noun with an "s" unless given ("1 entry" / "2 entries" is
/// [`count_as`]).
pub fn count(n: impl TryInto<u64>, noun: &str) -> String {
    let n = n.try_into().unwrap_or(u64::MAX);
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `n` and the noun with an irregular plural.
pub fn count_as(n: impl TryInto<u64>, one: &str, many: &str) -> String {
    match n.try_into().unwrap_or(u64::MAX) {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(count(1usize, "system"), "1 system");
        assert_eq!(count(0u64, "system"), "0 systems");
        assert_eq!(count(2u32, "device"), "2 devices");
        assert_eq!(count_as(1u64, "entry", "entries"), "1 entry");
        assert_eq!(count_as(3u64, "entry", "entries"), "3 entries");
    }
}
