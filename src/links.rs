//! Links leave the program only from here: which URLs may be opened (https
//! links of the embedded catalog, nothing from a state file), whether a
//! browser can open at all (SSH, no display), and the terminal sequences to
//! copy (OSC 52) or hyperlink (OSC 8) an address.

use crate::catalog::Catalog;

/// Why a URL may not be opened, or `None` when it may.
pub fn refuse(catalog: &Catalog, url: &str) -> Option<&'static str> {
    if !url.starts_with("https://") {
        return Some("only https addresses are opened");
    }
    if !catalog.knows_url(url) {
        return Some("only addresses from the built-in guides are opened");
    }
    None
}

/// The environment facts that decide whether a browser can open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Env {
    pub ssh: bool,
    pub display: bool,
    pub macos_or_windows: bool,
}

impl Env {
    pub fn current() -> Env {
        let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
        Env {
            ssh: set("SSH_CONNECTION") || set("SSH_TTY") || set("SSH_CLIENT"),
            display: set("DISPLAY") || set("WAYLAND_DISPLAY"),
            macos_or_windows: cfg!(any(target_os = "macos", windows)),
        }
    }

    /// Why no browser can open here, or `None` when one may.
    pub fn no_browser(&self) -> Option<&'static str> {
        if self.display {
            return None;
        }
        if self.ssh {
            return Some("this is an SSH session without a display");
        }
        if self.macos_or_windows {
            return None;
        }
        Some("no graphical display (DISPLAY or WAYLAND_DISPLAY) is set")
    }
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(BASE64[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// OSC 52: ask the terminal to put `text` on the clipboard. Works over SSH
/// in terminals that allow it.
pub fn osc52(text: &str) -> String {
    let clean = crate::sanitize::line(text);
    format!("\x1b]52;c;{}\x07", base64(clean.as_bytes()))
}

/// Does this terminal show OSC 8 hyperlinks? `MDE_MIGRATE_HYPERLINKS=0/1`
/// decides; otherwise known terminals say so through their variables.
pub fn hyperlinks_supported() -> bool {
    if let Some(v) = std::env::var_os("MDE_MIGRATE_HYPERLINKS") {
        return v != "0";
    }
    let get = |k: &str| std::env::var(k).unwrap_or_default();
    let program = get("TERM_PROGRAM");
    let vte = get("VTE_VERSION").parse::<u32>().unwrap_or(0);
    ["iTerm.app", "WezTerm", "vscode", "ghostty", "Hyper", "rio"].contains(&program.as_str())
        || vte >= 5000
        || !get("KITTY_WINDOW_ID").is_empty()
        || !get("WT_SESSION").is_empty()
        || !get("KONSOLE_VERSION").is_empty()
        || get("TERM").contains("kitty")
        || get("TERM") == "xterm-ghostty"
}

/// OSC 8: the text `url` as a hyperlink to `url`. Only for catalog URLs
/// (which hold no control characters; the catalog checks).
pub fn osc8(url: &str) -> String {
    let clean = crate::sanitize::line(url);
    format!("\x1b]8;;{clean}\x1b\\{clean}\x1b]8;;\x1b\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(
            base64(b"https://aka.ms/mdatp"),
            "aHR0cHM6Ly9ha2EubXMvbWRhdHA="
        );
    }

    #[test]
    fn osc52_wraps_the_text() {
        assert_eq!(osc52("foo"), "\x1b]52;c;Zm9v\x07");
        assert!(!osc52("a\x1b]52;c;x\x07").contains("\x1b]52;c;x"));
    }

    #[test]
    fn browsers_need_a_display() {
        let ssh = Env {
            ssh: true,
            display: false,
            macos_or_windows: false,
        };
        assert!(ssh.no_browser().is_some_and(|r| r.contains("SSH")));
        let x = Env {
            ssh: true,
            display: true,
            macos_or_windows: false,
        };
        assert_eq!(x.no_browser(), None);
        let bare = Env::default();
        assert!(bare.no_browser().is_some());
    }

    #[test]
    fn only_catalog_https_links_open() {
        let Ok(c) = Catalog::embedded() else {
            panic!("catalog");
        };
        assert_eq!(refuse(c, "https://aka.ms/mdatp"), None);
        assert!(refuse(c, "http://aka.ms/mdatp").is_some());
        assert!(refuse(c, "https://evil.example/").is_some());
        assert!(refuse(c, "file:///etc/passwd").is_some());
    }
}
