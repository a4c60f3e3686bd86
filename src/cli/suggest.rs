//! "Did you mean": the known names closest to a mistyped one, ranked by
//! edit distance (case and spaces ignored).

/// Edit distance between two strings (Levenshtein, over characters).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}

fn fold(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
        .collect()
}

/// Up to three of `known` close enough to `wanted` to be what was meant,
/// closest first.
pub fn closest<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let w = fold(wanted);
    let limit = (w.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = known
        .into_iter()
        .map(|k| {
            let f = fold(k);
            let d = if !w.is_empty() && (f.starts_with(&w) || w.starts_with(&f)) {
                f.chars().count().abs_diff(w.chars().count()).min(1)
            } else {
                distance(&w, &f)
            };
            (d, k)
        })
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, k)| k).collect()
}

/// All of `known`, closest to `wanted` first (ties keep their order).
pub fn ranked(wanted: &str, known: &[String]) -> Vec<String> {
    let w = fold(wanted);
    let mut all: Vec<(usize, usize, &String)> = known
        .iter()
        .enumerate()
        .map(|(i, k)| (distance(&w, &fold(k)), i, k))
        .collect();
    all.sort();
    all.into_iter().map(|(_, _, k)| k.clone()).collect()
}

/// ` (did you mean "a" or "b"?)`, or nothing when nothing is close.
pub fn did_you_mean<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    let close: Vec<String> = closest(wanted, known)
        .into_iter()
        .map(|k| format!("{:?}", crate::sanitize::line(k)))
        .collect();
    if close.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", close.join(" or "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_names_come_first() {
        let known = ["licence-route", "licence-state", "tenant", "proxy-in-use"];
        assert_eq!(closest("licence-rout", known), vec!["licence-route"]);
        assert_eq!(closest("licence-stat", known)[0], "licence-state");
        assert!(closest("zzzzzz", known).is_empty());
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
