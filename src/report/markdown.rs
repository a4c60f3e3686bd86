//! The report as Markdown that renders cleanly on common Git hosts: every
//! string from the operator is escaped, table cells stay on one line.

use std::fmt::Write as _;

use super::{Report, due_words, state_words};

/// Escape Markdown syntax in inline text.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '-' | '+' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
    // "1. text" at the start would become a list.
    if let Some(dot) = out.find('.')
        && dot > 0
        && out[..dot].chars().all(|c| c.is_ascii_digit())
    {
        out.insert(dot, '\\');
    }
    out
}

fn link(title: &str, url: &str) -> String {
    format!(
        "[{}](<{}>)",
        escape(title),
        url.replace(['<', '>', ' '], "")
    )
}

/// A command as inline code, verbatim: the fence is one backtick longer
/// than any run of backticks in it; a command of several lines becomes a
/// fenced block.
fn code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if text.contains('\n') {
        let block = "`".repeat((longest + 1).max(3));
        format!("\n\n  {block}\n  {}\n  {block}", text.replace('\n', "\n  "))
    } else {
        format!("{fence} {text} {fence}")
    }
}

pub fn render(r: &Report) -> String {
    let mut o = String::new();
    let p = &r.plan;
    let _ = writeln!(o, "# Migration plan: {}\n", escape(&p.name));
    let _ = writeln!(o, "| | |\n|---|---|");
    let _ = writeln!(o, "| Organisation | {} |", escape(&p.organisation));
    let _ = writeln!(o, "| Product replaced | {} |", escape(&p.replacing));
    let _ = writeln!(
        o,
        "| Guide | {} ({}, published {}) |",
        escape(&p.guide_title),
        p.guide,
        p.guide_published
    );
    let _ = writeln!(o, "| Created | {} |", escape(&p.created));
    let _ = writeln!(o, "| Last change | {} |", escape(&p.updated));
    let _ = writeln!(
        o,
        "| Progress | {} of {} items closed ({}%) |",
        r.progress.done, r.progress.total, r.progress.percent
    );
    if let Some(plan) = &r.defender_plan {
        let _ = writeln!(o, "| Defender for Endpoint plan | {plan} |");
    }
    let _ = writeln!(
        o,
        "\nAll three phases. Generated {} by mde-migrate.\n",
        escape(&r.generated_at)
    );

    let _ = writeln!(o, "| Phase | Progress | Page |\n|---|---|---|");
    for ph in &r.phases {
        let _ = writeln!(
            o,
            "| {} | {} of {} ({}%) | {} ({}) |",
            escape(&ph.title),
            ph.done,
            ph.total,
            ph.percent,
            link(&ph.source_url, &ph.source_url),
            escape(&ph.published)
        );
    }
    let _ = writeln!(o);

    if !r.attention.is_empty() {
        let _ = writeln!(
            o,
            "## First: overdue and blocked\n\n| State | Item | Step | Owner | Due | Reason |\n|---|---|---|---|---|---|"
        );
        for a in &r.attention {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} |",
                state_words(&a.state),
                escape(&a.label),
                escape(&a.step),
                escape(&a.owner),
                escape(&due_words(a.due.as_deref(), a.overdue)),
                escape(&a.reason)
            );
        }
        let _ = writeln!(o);
    }
    let task_fields = r.has_task_fields();
    let _ = writeln!(o, "## Steps\n");
    for (heading, i, s) in r.numbered_steps() {
        if let Some(ph) = heading {
            let _ = writeln!(
                o,
                "### {} ({} of {} closed)\n",
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
            "#### {}\\. {} ({} of {}{required})\n",
            i,
            escape(&s.title),
            s.done,
            s.total
        );
        if task_fields {
            let _ = writeln!(
                o,
                "| State | Item | Answer | Owner | Due | Reason | Note |\n|---|---|---|---|---|---|---|"
            );
        } else {
            let _ = writeln!(o, "| State | Item | Answer | Note |\n|---|---|---|---|");
        }
        for it in &s.items {
            let extra = if task_fields {
                format!(
                    " {} | {} | {} |",
                    escape(&it.owner),
                    escape(&due_words(it.due.as_deref(), it.overdue)),
                    escape(&it.reason)
                )
            } else {
                String::new()
            };
            let _ = writeln!(
                o,
                "| {} | {} | {} |{extra} {} |",
                state_words(&it.state),
                escape(&it.label),
                escape(it.answer.as_deref().unwrap_or("")),
                escape(&it.note)
            );
        }
        let links: Vec<String> = s
            .items
            .iter()
            .flat_map(|it| it.links.iter())
            .map(|l| link(&l.title, &l.url))
            .collect();
        let mut seen = Vec::new();
        for l in links {
            if !seen.contains(&l) {
                seen.push(l);
            }
        }
        if !seen.is_empty() {
            let _ = writeln!(o, "\nGuidance: {}", seen.join(" · "));
        }
        for it in &s.items {
            if let Some(d) = &it.depends {
                let rows = if it.for_estate.is_empty() {
                    String::new()
                } else {
                    format!(
                        " For this estate: {}.",
                        it.for_estate
                            .iter()
                            .map(|c| escape(c))
                            .collect::<Vec<_>>()
                            .join("; ")
                    )
                };
                let _ = writeln!(
                    o,
                    "\n*{}* depends on {}.{rows}",
                    escape(&it.label),
                    escape(d)
                );
            }
            if !it.commands.is_empty() {
                let _ = writeln!(o, "\n*{}*: commands (shown, not run):\n", escape(&it.label));
                for c in &it.commands {
                    let _ = writeln!(o, "- {}: {}", escape(&c.label), code(&c.text));
                }
            }
            for n in &it.changed_since {
                let links: Vec<String> = n.links.iter().map(|l| link(&l.title, &l.url)).collect();
                let _ = writeln!(
                    o,
                    "\n*{}*: changed since the guide (as of {}): {} {}",
                    escape(&it.label),
                    n.as_of.as_deref().unwrap_or(""),
                    escape(&n.text),
                    links.join(" · ")
                );
            }
        }
        let _ = writeln!(o);
    }

    if !r.roles.is_empty() {
        let _ = writeln!(
            o,
            "## RBAC roles\n\n| Role | Directory group | Permissions |\n|---|---|---|"
        );
        for role in &r.roles {
            let perms: Vec<String> = role.permissions.iter().map(|p| escape(p)).collect();
            let _ = writeln!(
                o,
                "| {} | {} | {} |",
                escape(&role.name),
                escape(&role.group),
                perms.join("; ")
            );
        }
        let _ = writeln!(o);
    }

    let _ = writeln!(o, "## Estate\n");
    if r.estate.systems.is_empty() && r.estate.unmatched.is_empty() {
        let _ = writeln!(o, "No operating systems recorded yet.\n");
    } else {
        let _ = writeln!(o, "| Operating system | Devices |\n|---|---|");
        for s in &r.estate.systems {
            let n = s
                .devices
                .map_or_else(|| "not counted".to_string(), |n| n.to_string());
            let _ = writeln!(o, "| {} | {n} |", escape(&s.name));
        }
        for u in &r.estate.unmatched {
            let _ = writeln!(
                o,
                "| {} (not in this guide's tables) | {} |",
                escape(&u.name),
                u.devices
            );
        }
        if !r.estate.unmatched.is_empty() {
            let _ = writeln!(
                o,
                "\nDevices on systems this guide's tables do not cover (kept, not planned for):\n"
            );
            for u in &r.estate.unmatched {
                let links: Vec<String> = u
                    .covered_by
                    .iter()
                    .map(|l| link(&l.title, &l.url))
                    .collect();
                let _ = writeln!(o, "- {} {}", escape(&u.text), links.join(" · "));
            }
        }
        let _ = writeln!(o, "\n- Devices counted: {}", r.estate.devices);
        if let Some(n) = r.estate.servers {
            let _ = writeln!(o, "- Server devices: {n}");
        }
        if let Some(n) = r.estate.downlevel {
            let _ = writeln!(
                o,
                "- Down-level devices ({}; the guide lists them under {} only): {n}",
                escape(&r.estate.downlevel_systems),
                escape(&r.estate.downlevel_under.join("/"))
            );
        }
        if let Some(n) = r.estate.unified_solution {
            let _ = writeln!(
                o,
                "- Devices that need the modern unified solution ({}): {n}",
                escape(&r.estate.unified_systems)
            );
        }
        let _ = writeln!(o);
    }
    for w in &r.warnings {
        let links: Vec<String> = w.links.iter().map(|l| link(&l.title, &l.url)).collect();
        let _ = writeln!(
            o,
            "> **Important:** {} {}\n",
            escape(&w.text),
            links.join(" · ")
        );
    }

    for c in &r.conflicts {
        let _ = writeln!(o, "> **Conflict:** {}\n", escape(&c.text));
    }
    let _ = writeln!(o, "## Proxy guides for this estate\n");
    if r.proxy_guides.is_empty() {
        let _ = writeln!(
            o,
            "None yet: record the estate's operating systems first.\n"
        );
    } else {
        let _ = writeln!(o, "| Reviewed | Guide | For | Systems |\n|---|---|---|---|");
        for g in &r.proxy_guides {
            let systems: Vec<String> = g.systems.iter().map(|s| escape(s)).collect();
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} |",
                if g.reviewed { "✓ done" } else { "○ to do" },
                link(&g.title, &g.url),
                g.values.join(", "),
                systems.join(", ")
            );
        }
        let mut notes: Vec<&String> = r
            .proxy_guides
            .iter()
            .flat_map(|g| g.footnotes.iter())
            .collect();
        notes.dedup();
        for n in notes {
            let _ = writeln!(o, "\n{}", escape(n));
        }
        let _ = writeln!(o);
    }

    if !r.gaps.is_empty() {
        let _ = writeln!(
            o,
            "Systems of the estate with no row in the guide's table:\n"
        );
        for g in &r.gaps {
            let _ = writeln!(o, "- {}", escape(&g.text));
        }
        let _ = writeln!(o);
    }

    let _ = writeln!(o, "## Still open\n");
    if r.open_items.is_empty() {
        let _ = writeln!(o, "Nothing: Phase 1 is prepared.\n");
    } else {
        for it in &r.open_items {
            let _ = writeln!(o, "- {}: {}", escape(&it.step), escape(&it.label));
        }
        let _ = writeln!(o);
    }

    if !r.changed_since.is_empty() {
        let _ = writeln!(o, "## Changed since the guide was written\n");
        for n in &r.changed_since {
            let links: Vec<String> = n.links.iter().map(|l| link(&l.title, &l.url)).collect();
            let _ = writeln!(
                o,
                "- As of {}: {} {}",
                n.as_of.as_deref().unwrap_or(""),
                escape(&n.text),
                links.join(" · ")
            );
        }
        let _ = writeln!(o);
    }

    let _ = writeln!(o, "## Next\n");
    for l in &r.next {
        let _ = writeln!(o, "- {}: {}", link(&l.title, &l.url), l.url);
    }
    if !r.footnotes.is_empty() {
        let _ = writeln!(o, "\n## Footnotes of the guide\n");
        for n in &r.footnotes {
            let links: Vec<String> = n.links.iter().map(|l| link(&l.title, &l.url)).collect();
            let _ = writeln!(o, "- {} {}", escape(&n.text), links.join(" · "));
        }
    }
    if !r.pages.is_empty() {
        let _ = writeln!(o, "\n## Every page the guide links to\n");
        for l in &r.pages {
            let _ = writeln!(o, "- {}", link(&l.title, &l.url));
        }
    }
    o
}
