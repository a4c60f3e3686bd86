//! The catalog's validation: the built-in guides pass, and each kind of
//! broken guide data is refused with a message naming the file and what is
//! wrong.

#![cfg(test)]

use mde_migrate::catalog::{COMMON_FILE, Catalog, GUIDE_FILES};
use serde_json::{Value, json};

const GENERIC: &str = "generic-2023.json";

fn guide(name: &str) -> Value {
    let (_, text) = GUIDE_FILES.iter().find(|(n, _)| *n == name).unwrap();
    serde_json::from_str(text).unwrap()
}

/// Validate the built-in catalog with the generic guide changed by `edit`
/// (and the common file by `common`); the error's text, or "ok".
fn check(edit: impl FnOnce(&mut Value), common: impl FnOnce(&mut Value)) -> String {
    let mut g = guide(GENERIC);
    edit(&mut g);
    let mut c: Value = serde_json::from_str(COMMON_FILE).unwrap();
    common(&mut c);
    let texts: Vec<(String, String)> = GUIDE_FILES
        .iter()
        .map(|(n, t)| {
            if *n == GENERIC {
                (n.to_string(), g.to_string())
            } else {
                (n.to_string(), t.to_string())
            }
        })
        .collect();
    let files: Vec<(&str, &str)> = texts
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    match Catalog::from_sources(&files, &c.to_string()) {
        Ok(_) => "ok".into(),
        Err(e) => e.to_string(),
    }
}

fn guide_error(edit: impl FnOnce(&mut Value)) -> String {
    check(edit, |_| {})
}

#[test]
fn the_built_in_catalog_is_valid() {
    assert_eq!(check(|_| {}, |_| {}), "ok");
    assert!(Catalog::embedded().is_ok());
}

#[test]
fn links_must_follow_the_link_rules() {
    for (url, expected) in [
        ("http://learn.microsoft.com/x", "is not https://"),
        ("https://evil.example.com/x", "not one the guides use"),
        (
            "https://learn.microsoft.com/defender-endpoint/x.md",
            "still ends in .md",
        ),
        (
            "https://learn.microsoft.com/a b",
            "white space or control characters",
        ),
        (
            "https://learn.microsoft.com/a\u{1b}]8;;x",
            "white space or control characters",
        ),
    ] {
        let e = guide_error(|g| g["links"][0]["url"] = json!(url));
        assert!(
            e.starts_with("catalog file generic-2023.json:") && e.contains(expected),
            "{url}: {e}"
        );
    }
}

#[test]
fn ids_are_unique_and_every_reference_resolves() {
    let e = guide_error(|g| {
        let first = g["steps"][0]["items"][0]["id"].clone();
        g["steps"][0]["items"][1]["id"] = first;
    });
    assert!(e.contains("\"existing-product\" is used twice"), "{e}");

    let e = guide_error(|g| g["phases"][1]["link"] = json!("no-such-link"));
    assert!(e.contains("refers to unknown link \"no-such-link\""), "{e}");

    let e = check(|_| {}, |c| c["notes"][0]["items"] = json!(["no-such-item"]));
    assert!(
        e.contains("note \"portal-name\" is on unknown item \"no-such-item\""),
        "{e}"
    );
}

#[test]
fn text_shown_to_the_user_is_never_empty() {
    let e = guide_error(|g| g["steps"][0]["items"][0]["label"] = json!(""));
    assert!(
        e.contains("label of item \"existing-product\" is empty"),
        "{e}"
    );
    let e = check(|_| {}, |c| c["notes"][0]["text"] = json!(""));
    assert!(e.contains("note \"portal-name\" is empty"), "{e}");
}

#[test]
fn steps_choices_and_the_proxy_table_have_what_they_need() {
    let e = guide_error(|g| g["steps"][0]["items"] = json!([]));
    assert!(e.contains("step \"updates\" has no items"), "{e}");

    let e = guide_error(|g| {
        let step = g["steps"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|s| s["id"] == "licence")
            .unwrap();
        let item = step["items"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|i| i["id"] == "licence-route")
            .unwrap();
        item["options"].as_array_mut().unwrap().truncate(1);
    });
    assert!(
        e.contains("item \"licence-route\" is a choice with fewer than two options"),
        "{e}"
    );

    let e = guide_error(|g| g["proxy_table"]["rows"] = json!([]));
    assert!(e.contains("the proxy table has no rows"), "{e}");

    let e = guide_error(|g| {
        g["steps"] = json!([]);
        for p in g["phases"].as_array_mut().unwrap() {
            p.as_object_mut().map(|o| o.remove("steps"));
        }
    });
    assert!(e.contains("the guide has no steps"), "{e}");
}

#[test]
fn a_file_that_is_not_a_guide_names_the_file() {
    let files = [(GENERIC, "{\"id\": \"x\"")];
    match Catalog::from_sources(&files, COMMON_FILE) {
        Ok(_) => panic!("a truncated guide was accepted"),
        Err(e) => assert!(
            e.to_string().starts_with("catalog file generic-2023.json:"),
            "{e}"
        ),
    }
}
