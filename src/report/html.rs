//! The report as one self-contained HTML page: inline CSS, no scripts, no
//! external resources; prints well; every string HTML-escaped.

use std::fmt::Write as _;

use super::{Report, due_words, state_words};

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn link(title: &str, url: &str) -> String {
    // Catalog URLs only (https, checked at start-up); escaped all the same.
    format!("<a href=\"{}\">{}</a>", escape(url), escape(title))
}

const STYLE: &str = "body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}\
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #ccc}h3{font-size:1.05rem}\
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}\
th{background:#f3f3f3}.done{color:#0a6b2e}.todo{color:#8a5300}.na{color:#555}.blocked{color:#a4262c;font-weight:bold}.warn{border-left:4px solid #c77700;padding:.4rem .8rem;background:#fff7e6}\
.muted{color:#555}nav a{margin-right:1rem}@media print{nav{display:none}a{color:inherit}a[href]::after{content:\" (\" attr(href) \")\";font-size:.8em;color:#555}h2{break-after:avoid}tr{break-inside:avoid}}";

fn class(state: &str) -> &'static str {
    match state {
        "done" => "done",
        "not-applicable" => "na",
        "blocked" => "blocked",
        _ => "todo",
    }
}

pub fn render(r: &Report) -> String {
    let mut o = String::new();
    let p = &r.plan;
    let _ = write!(
        o,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Migration plan: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&p.name)
    );
    let _ = writeln!(o, "<h1>Migration plan: {}</h1>", escape(&p.name));
    let _ = writeln!(
        o,
        "<nav><a href=\"#steps\">Steps</a><a href=\"#roles\">Roles</a><a href=\"#estate\">Estate</a><a href=\"#proxy\">Proxy guides</a><a href=\"#open\">Still open</a><a href=\"#next\">Next</a></nav>"
    );
    let _ = writeln!(o, "<table>");
    let rows = [
        ("Organisation", escape(&p.organisation)),
        ("Product replaced", escape(&p.replacing)),
        (
            "Guide",
            format!(
                "{} ({}, published {})",
                escape(&p.guide_title),
                escape(&p.guide),
                escape(&p.guide_published)
            ),
        ),
        ("Created", escape(&p.created)),
        ("Last change", escape(&p.updated)),
        (
            "Progress",
            format!(
                "{} of {} items closed ({}%)",
                r.progress.done, r.progress.total, r.progress.percent
            ),
        ),
    ];
    for (k, v) in rows {
        let _ = writeln!(o, "<tr><th>{k}</th><td>{v}</td></tr>");
    }
    if let Some(plan) = &r.defender_plan {
        let _ = writeln!(
            o,
            "<tr><th>Defender for Endpoint plan</th><td>{}</td></tr>",
            escape(plan)
        );
    }
    let _ = writeln!(
        o,
        "</table>\n<p class=\"muted\">All three phases. Generated {} by mde-migrate.</p>",
        escape(&r.generated_at)
    );
    let _ = writeln!(
        o,
        "<table><tr><th>Phase</th><th>Progress</th><th>Page</th></tr>"
    );
    for ph in &r.phases {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td><progress max=\"100\" value=\"{}\"></progress> {} of {} ({}%)</td><td>{} ({})</td></tr>",
            escape(&ph.title),
            ph.percent,
            ph.done,
            ph.total,
            ph.percent,
            link(&ph.source_url, &ph.source_url),
            escape(&ph.published)
        );
    }
    let _ = writeln!(o, "</table>");

    if !r.attention.is_empty() {
        let _ = writeln!(
            o,
            "<h2 id=\"first\">First: overdue and blocked</h2>\n<table><tr><th>State</th><th>Item</th><th>Step</th><th>Owner</th><th>Due</th><th>Reason</th></tr>"
        );
        for a in &r.attention {
            let _ = writeln!(
                o,
                "<tr><td class=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                class(&a.state),
                state_words(&a.state),
                escape(&a.label),
                escape(&a.step),
                escape(&a.owner),
                escape(&due_words(a.due.as_deref(), a.overdue)),
                escape(&a.reason)
            );
        }
        let _ = writeln!(o, "</table>");
    }
    let task_fields = r.has_task_fields();
    let _ = writeln!(o, "<h2 id=\"steps\">Steps</h2>");
    for (heading, i, s) in r.numbered_steps() {
        if let Some(ph) = heading {
            let _ = writeln!(
                o,
                "<h3>{} ({} of {} closed)</h3>",
                escape(&ph.title),
                ph.done,
                ph.total
            );
        }
        let required = if s.required {
            ""
        } else {
            ", optional for this plan"
        };
        let _ = writeln!(
            o,
            "<h4>{}. {} ({} of {}{required})</h4>",
            i,
            escape(&s.title),
            s.done,
            s.total
        );
        let task_heads = if task_fields {
            "<th>Owner</th><th>Due</th><th>Reason</th>"
        } else {
            ""
        };
        let _ = writeln!(
            o,
            "<table><tr><th>State</th><th>Item</th><th>Answer</th>{task_heads}<th>Note</th><th>Guidance</th></tr>"
        );
        for it in &s.items {
            let links: Vec<String> = it.links.iter().map(|l| link(&l.title, &l.url)).collect();
            let note = escape(&it.note).replace('\n', "<br>");
            let mut note = note;
            if let Some(d) = &it.depends {
                note.push_str(&format!("<p class=\"muted\">Depends on {}.", escape(d)));
                if !it.for_estate.is_empty() {
                    let rows: Vec<String> = it.for_estate.iter().map(|c| escape(c)).collect();
                    note.push_str(&format!(" For this estate: {}.", rows.join("; ")));
                }
                note.push_str("</p>");
            }
            for c in &it.commands {
                note.push_str(&format!(
                    "<p class=\"muted\">{}: <code>{}</code></p>",
                    escape(&c.label),
                    escape(&c.text)
                ));
            }
            for n in &it.changed_since {
                let src: Vec<String> = n.links.iter().map(|l| link(&l.title, &l.url)).collect();
                note.push_str(&format!(
                    "<p class=\"muted\">Changed since the guide (as of {}): {} {}</p>",
                    escape(n.as_of.as_deref().unwrap_or("")),
                    escape(&n.text),
                    src.join(" ")
                ));
            }
            let task_cells = if task_fields {
                format!(
                    "<td>{}</td><td>{}</td><td>{}</td>",
                    escape(&it.owner),
                    escape(&due_words(it.due.as_deref(), it.overdue)),
                    escape(&it.reason)
                )
            } else {
                String::new()
            };
            let _ = writeln!(
                o,
                "<tr><td class=\"{}\">{}</td><td>{}</td><td>{}</td>{task_cells}<td>{note}</td><td>{}</td></tr>",
                class(&it.state),
                state_words(&it.state),
                escape(&it.label),
                escape(it.answer.as_deref().unwrap_or("")),
                links.join("<br>")
            );
        }
        let _ = writeln!(o, "</table>");
    }

    let _ = writeln!(o, "<h2 id=\"roles\">RBAC roles</h2>");
    if r.roles.is_empty() {
        let _ = writeln!(o, "<p>No roles planned.</p>");
    } else {
        let _ = writeln!(
            o,
            "<table><tr><th>Role</th><th>Directory group</th><th>Permissions</th></tr>"
        );
        for role in &r.roles {
            let perms: Vec<String> = role.permissions.iter().map(|p| escape(p)).collect();
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&role.name),
                escape(&role.group),
                perms.join("<br>")
            );
        }
        let _ = writeln!(o, "</table>");
    }

    let _ = writeln!(o, "<h2 id=\"estate\">Estate</h2>");
    if r.estate.systems.is_empty() && r.estate.unmatched.is_empty() {
        let _ = writeln!(o, "<p>No operating systems recorded yet.</p>");
    } else {
        let _ = writeln!(
            o,
            "<table><tr><th>Operating system</th><th>Devices</th></tr>"
        );
        for s in &r.estate.systems {
            let n = s
                .devices
                .map_or_else(|| "not counted".to_string(), |n| n.to_string());
            let _ = writeln!(o, "<tr><td>{}</td><td>{n}</td></tr>", escape(&s.name));
        }
        for u in &r.estate.unmatched {
            let _ = writeln!(
                o,
                "<tr><td>{} (not in this guide's tables)</td><td>{}</td></tr>",
                escape(&u.name),
                u.devices
            );
        }
        let _ = writeln!(
            o,
            "</table><ul><li>Devices counted: {}</li>",
            r.estate.devices
        );
        if let Some(n) = r.estate.servers {
            let _ = writeln!(o, "<li>Server devices: {n}</li>");
        }
        if let Some(n) = r.estate.downlevel {
            let _ = writeln!(
                o,
                "<li>Down-level devices ({}; the guide lists them under {} only): {n}</li>",
                escape(&r.estate.downlevel_systems),
                escape(&r.estate.downlevel_under.join("/"))
            );
        }
        if let Some(n) = r.estate.unified_solution {
            let _ = writeln!(
                o,
                "<li>Devices that need the modern unified solution ({}): {n}</li>",
                escape(&r.estate.unified_systems)
            );
        }
        let _ = writeln!(o, "</ul>");
        if !r.estate.unmatched.is_empty() {
            let _ = writeln!(
                o,
                "<p>Devices on systems this guide's tables do not cover (kept, not planned for):</p><ul>"
            );
            for u in &r.estate.unmatched {
                let links: Vec<String> = u
                    .covered_by
                    .iter()
                    .map(|l| link(&l.title, &l.url))
                    .collect();
                let _ = writeln!(
                    o,
                    "<li class=\"todo\">{} {}</li>",
                    escape(&u.text),
                    links.join(" · ")
                );
            }
            let _ = writeln!(o, "</ul>");
        }
    }
    for w in &r.warnings {
        let links: Vec<String> = w.links.iter().map(|l| link(&l.title, &l.url)).collect();
        let _ = writeln!(
            o,
            "<p class=\"warn\"><strong>⚠ Important:</strong> {} {}</p>",
            escape(&w.text),
            links.join(" · ")
        );
    }

    for c in &r.conflicts {
        let _ = writeln!(
            o,
            "<p class=\"warn\"><strong>Conflict:</strong> {}</p>",
            escape(&c.text)
        );
    }
    let _ = writeln!(o, "<h2 id=\"proxy\">Proxy guides for this estate</h2>");
    if r.proxy_guides.is_empty() {
        let _ = writeln!(
            o,
            "<p>None yet: record the estate's operating systems first.</p>"
        );
    } else {
        let _ = writeln!(
            o,
            "<table><tr><th>Reviewed</th><th>Guide</th><th>For</th><th>Systems</th></tr>"
        );
        for g in &r.proxy_guides {
            let systems: Vec<String> = g.systems.iter().map(|s| escape(s)).collect();
            let reviewed = if g.reviewed {
                "<span class=\"done\">✓ done</span>"
            } else {
                "<span class=\"todo\">○ to do</span>"
            };
            let _ = writeln!(
                o,
                "<tr><td>{reviewed}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                link(&g.title, &g.url),
                escape(&g.values.join(", ")),
                systems.join(", ")
            );
        }
        let _ = writeln!(o, "</table>");
        let mut notes: Vec<&String> = r
            .proxy_guides
            .iter()
            .flat_map(|g| g.footnotes.iter())
            .collect();
        notes.dedup();
        for n in notes {
            let _ = writeln!(o, "<p class=\"muted\">{}</p>", escape(n));
        }
    }

    if !r.gaps.is_empty() {
        let _ = writeln!(
            o,
            "<p>Systems of the estate with no row in the guide's table:</p><ul>"
        );
        for g in &r.gaps {
            let _ = writeln!(o, "<li class=\"todo\">{}</li>", escape(&g.text));
        }
        let _ = writeln!(o, "</ul>");
    }
    let _ = writeln!(o, "<h2 id=\"open\">Still open</h2>");
    if r.open_items.is_empty() {
        let _ = writeln!(o, "<p class=\"done\">✓ Nothing: Phase 1 is prepared.</p>");
    } else {
        let _ = writeln!(o, "<ul>");
        for it in &r.open_items {
            let _ = writeln!(o, "<li>○ {}: {}</li>", escape(&it.step), escape(&it.label));
        }
        let _ = writeln!(o, "</ul>");
    }
    if !r.changed_since.is_empty() {
        let _ = writeln!(o, "<h2>Changed since the guide was written</h2><ul>");
        for n in &r.changed_since {
            let links: Vec<String> = n.links.iter().map(|l| link(&l.title, &l.url)).collect();
            let _ = writeln!(
                o,
                "<li>As of {}: {} {}</li>",
                escape(n.as_of.as_deref().unwrap_or("")),
                escape(&n.text),
                links.join(" · ")
            );
        }
        let _ = writeln!(o, "</ul>");
    }
    let _ = writeln!(o, "<h2 id=\"next\">Next</h2><ul>");
    for l in &r.next {
        let _ = writeln!(o, "<li>{}</li>", link(&l.title, &l.url));
    }
    let _ = writeln!(o, "</ul>");
    if !r.footnotes.is_empty() {
        let _ = writeln!(o, "<h2>Footnotes of the guide</h2><ul>");
        for n in &r.footnotes {
            let links: Vec<String> = n.links.iter().map(|l| link(&l.title, &l.url)).collect();
            let _ = writeln!(o, "<li>{} {}</li>", escape(&n.text), links.join(" · "));
        }
        let _ = writeln!(o, "</ul>");
    }
    if !r.pages.is_empty() {
        let _ = writeln!(o, "<h2 id=\"pages\">Every page the guide links to</h2><ul>");
        for l in &r.pages {
            let _ = writeln!(o, "<li>{}</li>", link(&l.title, &l.url));
        }
        let _ = writeln!(o, "</ul>");
    }
    let _ = writeln!(o, "</body>\n</html>");
    o
}
