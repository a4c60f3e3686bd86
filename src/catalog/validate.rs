//! Checks that the catalog is whole: unique ids, every reference resolves,
//! every link is an `https` address that follows the guides' link rules, no
//! empty text. Pure: works on parsed data only.

use std::collections::HashSet;

use super::{Axis, Catalog, CatalogError, Guide, ItemKind, Role, ScreenKind};

/// Why a URL breaks the link rules, or `None` when it follows them. `hosts`
/// are the hosts a catalog link may point at (`link_hosts` of
/// `assets/common.json`).
pub fn url_problem(url: &str, hosts: &[String]) -> Option<String> {
    let Some(rest) = url.strip_prefix("https://") else {
        return Some(format!("link {url:?} is not https://"));
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if !hosts.iter().any(|h| h == host) {
        return Some(format!(
            "link {url:?} points at host {host:?}, which is not one the guides use"
        ));
    }
    let path = rest.split(['?', '#']).next().unwrap_or("");
    if path.ends_with(".md") {
        return Some(format!(
            "link {url:?} still ends in .md: resolve it to its learn.microsoft.com address"
        ));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some(format!(
            "link {url:?} contains white space or control characters"
        ));
    }
    None
}

struct Checker<'a> {
    file: &'a str,
}

impl Checker<'_> {
    fn fail(&self, what: impl Into<String>) -> CatalogError {
        CatalogError {
            file: self.file.to_string(),
            what: what.into(),
        }
    }

    fn unique<'b>(
        &self,
        kind: &str,
        ids: impl IntoIterator<Item = &'b str>,
    ) -> Result<HashSet<&'b str>, CatalogError> {
        let mut seen = HashSet::new();
        for id in ids {
            if id.trim().is_empty() {
                return Err(self.fail(format!("a {kind} has an empty id")));
            }
            if !seen.insert(id) {
                return Err(self.fail(format!("{kind} id {id:?} is used twice")));
            }
        }
        Ok(seen)
    }

    fn text(&self, what: &str, value: &str) -> Result<(), CatalogError> {
        if value.trim().is_empty() {
            return Err(self.fail(format!("{what} is empty")));
        }
        Ok(())
    }

    fn known(
        &self,
        set: &HashSet<&str>,
        kind: &str,
        id: &str,
        from: &str,
    ) -> Result<(), CatalogError> {
        if set.contains(id) {
            Ok(())
        } else {
            Err(self.fail(format!("{from} refers to unknown {kind} {id:?}")))
        }
    }
}

pub(super) fn catalog(catalog: &Catalog, files: &[(&str, &str)]) -> Result<(), CatalogError> {
    let top = Checker {
        file: "assets/guides",
    };
    if catalog.guides.is_empty() {
        return Err(top.fail("no guide files found"));
    }
    top.unique("guide", catalog.guides.iter().map(|g| g.id.as_str()))?;
    match catalog.guides.iter().filter(|g| g.default).count() {
        1 => {}
        0 => return Err(top.fail("no guide is marked \"default\": true")),
        _ => return Err(top.fail("more than one guide is marked \"default\": true")),
    }
    let flags: HashSet<&str> = catalog.flags();
    let hosts = &catalog.common.link_hosts;
    for (guide, (name, _)) in catalog.guides.iter().zip(files) {
        guide_ok(guide, &Checker { file: name }, &flags, hosts)?;
    }
    common_ok(catalog)
}

fn guide_ok(
    g: &Guide,
    c: &Checker<'_>,
    flags: &HashSet<&str>,
    hosts: &[String],
) -> Result<(), CatalogError> {
    for (what, value) in [
        ("title", &g.title),
        ("short_name", &g.short_name),
        ("published", &g.published),
        ("portal name", &g.portal.name),
    ] {
        c.text(what, value)?;
    }
    if let Some(p) = url_problem(&g.source_url, hosts) {
        return Err(c.fail(p));
    }
    let links = c.unique("link", g.links.iter().map(|l| l.id.as_str()))?;
    for l in &g.links {
        c.text(&format!("title of link {:?}", l.id), &l.title)?;
        if let Some(p) = url_problem(&l.url, hosts) {
            return Err(c.fail(p));
        }
    }
    let systems = c.unique("system", g.systems.iter().map(|s| s.id.as_str()))?;
    for s in &g.systems {
        c.text(&format!("name of system {:?}", s.id), &s.name)?;
    }
    let steps = c.unique("step", g.steps.iter().map(|s| s.id.as_str()))?;
    if steps.is_empty() {
        return Err(c.fail("the guide has no steps"));
    }
    for step in &g.steps {
        let own = g.phase_of(step).is_none_or(|p| g.is_current_phase(p));
        if own == (step.screen == ScreenKind::Checklist) {
            return Err(c.fail(format!(
                "step {:?}: the checklist screen is for the steps of later phases, and only for them",
                step.id
            )));
        }
    }
    c.unique("item", g.items().map(|(_, i)| i.id.as_str()))?;
    let footnotes = c.unique("footnote", g.footnotes.iter().map(|f| f.id.as_str()))?;
    c.unique("warning", g.warnings.iter().map(|w| w.id.as_str()))?;
    let values = c.unique(
        "proxy table value",
        g.proxy_table.values.iter().map(|v| v.id.as_str()),
    )?;

    for id in &g.applies_to {
        c.known(&links, "link", id, "applies_to")?;
    }
    c.known(&links, "link", &g.portal.link, "portal")?;
    c.known(&links, "link", &g.migration_process, "migration_process")?;
    c.unique("phase", g.phases.iter().map(|p| p.id.as_str()))?;
    for p in &g.phases {
        c.text("phase title", &p.title)?;
        if let Some(l) = &p.link {
            c.known(&links, "link", l, &format!("phase {:?}", p.id))?;
        }
        let has_steps = g.phase_steps(&p.id).next().is_some();
        match (&p.source_url, &p.published) {
            (Some(u), Some(d)) => {
                c.text(&format!("published of phase {:?}", p.id), d)?;
                if let Some(problem) = url_problem(u, hosts) {
                    return Err(c.fail(problem));
                }
            }
            (None, None) if !has_steps || g.is_current_phase(p) => {}
            _ => {
                return Err(c.fail(format!(
                    "phase {:?} has steps of its own but not both source_url and published",
                    p.id
                )));
            }
        }
    }
    for step in &g.steps {
        for (what, value) in [
            ("short", &step.short),
            ("title", &step.title),
            ("intro", &step.intro),
        ] {
            c.text(&format!("{what} of step {:?}", step.id), value)?;
        }
        if let Some(f) = &step.required_when {
            c.known(flags, "flag", f, &format!("step {:?}", step.id))?;
        }
        if step.items.is_empty() {
            return Err(c.fail(format!("step {:?} has no items", step.id)));
        }
        for item in &step.items {
            let from = format!("item {:?}", item.id);
            c.text(&format!("label of {from}"), &item.label)?;
            c.text(&format!("help of {from}"), &item.help)?;
            for l in &item.links {
                c.known(&links, "link", l, &from)?;
            }
            if let Some(f) = &item.when {
                c.known(flags, "flag", f, &from)?;
            }
            for t in &item.tables {
                c.text(&format!("title of table {:?} of {from}", t.id), &t.title)?;
                if t.header.is_empty() || t.rows.is_empty() {
                    return Err(c.fail(format!("table {:?} of {from} is empty", t.id)));
                }
                for (n, r) in t.rows.iter().enumerate() {
                    if r.cells.len() != t.header.len() {
                        return Err(c.fail(format!(
                            "row {} of table {:?} of {from} has {} cells, the header {}",
                            n + 1,
                            t.id,
                            r.cells.len(),
                            t.header.len()
                        )));
                    }
                    for f in &r.when {
                        c.known(flags, "flag", f, &format!("table {:?} of {from}", t.id))?;
                    }
                }
            }
            for cmd in &item.commands {
                c.text(&format!("label of a command of {from}"), &cmd.label)?;
                c.text(&format!("command {:?} of {from}", cmd.label), &cmd.text)?;
            }
            match item.kind {
                ItemKind::Choice if item.options.len() < 2 => {
                    return Err(c.fail(format!("{from} is a choice with fewer than two options")));
                }
                ItemKind::Choice => {}
                _ if !item.options.is_empty() => {
                    return Err(c.fail(format!("{from} is not a choice but has options")));
                }
                _ => {}
            }
            c.unique("option", item.options.iter().map(|o| o.id.as_str()))?;
            for o in &item.options {
                c.text(&format!("label of option {:?} of {from}", o.id), &o.label)?;
                if let Some(l) = &o.link {
                    c.known(&links, "link", l, &from)?;
                }
                if let Some(p) = &o.plan {
                    if item.role != Some(Role::LicenceRoute) {
                        return Err(c.fail(format!(
                            "{from} names plan {p:?}, but only the \"licence-route\" item's options may"
                        )));
                    }
                    if g.proxy_table.axis != Axis::Plan {
                        return Err(c.fail(format!(
                            "{from} names plan {p:?}, but the proxy table is by {}",
                            g.proxy_table.axis.name()
                        )));
                    }
                    c.known(&values, "plan (proxy table value)", p, &from)?;
                }
            }
        }
    }
    for row in &g.update_table {
        c.text("update table OS", &row.os)?;
        c.known(&links, "link", &row.link, "update table")?;
    }
    roles_ok(g, c)?;
    for v in &g.proxy_table.values {
        c.text("proxy table value name", &v.name)?;
        c.known(
            &links,
            "link",
            &v.link,
            &format!("proxy table value {:?}", v.id),
        )?;
    }
    if g.proxy_table.rows.is_empty() {
        return Err(c.fail("the proxy table has no rows"));
    }
    for (n, row) in g.proxy_table.rows.iter().enumerate() {
        let from = format!("proxy table row {}", n + 1);
        c.known(&values, "proxy table value", &row.value, &from)?;
        if row.systems.is_empty() || row.resources.is_empty() {
            return Err(c.fail(format!("{from} needs systems and resources")));
        }
        for s in &row.systems {
            c.known(&systems, "system", &s.system, &from)?;
            if let Some(l) = &s.link {
                c.known(&links, "link", l, &from)?;
            }
            if let Some(f) = &s.footnote {
                c.known(&footnotes, "footnote", f, &from)?;
            }
        }
        for r in &row.resources {
            c.known(&links, "link", r, &from)?;
        }
    }
    for f in &g.footnotes {
        c.text(&format!("footnote {:?}", f.id), &f.text)?;
        for l in &f.links {
            c.known(&links, "link", l, &format!("footnote {:?}", f.id))?;
        }
    }
    for w in &g.warnings {
        c.text(&format!("warning {:?}", w.id), &w.text)?;
        c.known(flags, "flag", &w.when, &format!("warning {:?}", w.id))?;
        for l in &w.links {
            c.known(&links, "link", l, &format!("warning {:?}", w.id))?;
        }
    }
    Ok(())
}

/// What the screens and the derivations need to find in a guide: each
/// role on one item of the right kind, the items a screen works with, the
/// update task of every family of the update table, one phase that is this
/// guide's own. A guide that lacks one would lose a feature without a word.
fn roles_ok(g: &Guide, c: &Checker<'_>) -> Result<(), CatalogError> {
    for role in Role::ALL {
        let holders: Vec<_> = g.items().filter(|(_, i)| i.role == Some(role)).collect();
        if holders.len() > 1 {
            return Err(c.fail(format!(
                "role {:?} is held by more than one item",
                role.name()
            )));
        }
        if let Some((_, i)) = holders.first()
            && i.kind != role.kind()
        {
            return Err(c.fail(format!(
                "item {:?} holds role {:?}, which needs a {} item, not a {}",
                i.id,
                role.name(),
                role.kind().name(),
                i.kind.name()
            )));
        }
    }
    let has = |kind: ScreenKind| g.steps.iter().any(|s| s.screen == kind);
    let need = |role: Role, why: &str| -> Result<(), CatalogError> {
        if g.role(role).is_none() {
            return Err(c.fail(format!(
                "no item holds role {:?}, which {why} needs",
                role.name()
            )));
        }
        Ok(())
    };
    let need_kind = |kind: ItemKind, why: &str| -> Result<(), CatalogError> {
        if g.of_kind(kind).is_none() {
            return Err(c.fail(format!("no {} item, which {why} needs", kind.name())));
        }
        Ok(())
    };
    for kind in [ItemKind::Systems, ItemKind::Roles, ItemKind::ProxyReview] {
        if g.items().filter(|(_, i)| i.kind == kind).count() > 1 {
            return Err(c.fail(format!("more than one {} item", kind.name())));
        }
    }
    if has(ScreenKind::Licence) {
        need(Role::LicenceRoute, "the licence screen")?;
        need(Role::ProxyInUse, "the licence screen")?;
    }
    if has(ScreenKind::Access) {
        need(Role::AccessModel, "the access screen")?;
        need_kind(ItemKind::Roles, "the access screen")?;
    }
    if has(ScreenKind::Proxy) {
        need_kind(ItemKind::Systems, "the proxy step (the estate)")?;
        need_kind(ItemKind::ProxyReview, "the proxy step")?;
    }
    if g.proxy_table.axis == Axis::Plan {
        let Some((_, route)) = g.role(Role::LicenceRoute) else {
            return Err(c.fail(
                "the proxy table is by plan, so the Defender plan needs a \"licence-route\" item",
            ));
        };
        if let Some(o) = route.options.iter().find(|o| o.plan.is_none()) {
            return Err(c.fail(format!(
                "option {:?} of item {:?} names no plan, which a proxy table by plan needs",
                o.id, route.id
            )));
        }
    }
    // A role whose meaning rests on a flagged answer needs one.
    for role in [Role::ProxyInUse, Role::Servers, Role::AccessModel] {
        if let Some((_, i)) = g.role(role)
            && !i.options.iter().any(|o| !o.flags.is_empty())
        {
            return Err(c.fail(format!(
                "item {:?} holds role {:?} but no answer of it sets a flag",
                i.id,
                role.name()
            )));
        }
    }
    if let (Some((_, model)), Some((_, roles))) =
        (g.role(Role::AccessModel), g.of_kind(ItemKind::Roles))
        && let Some(flag) = &roles.when
        && !model.options.iter().any(|o| o.flags.contains(flag))
    {
        return Err(c.fail(format!(
            "the roles item {:?} is asked when {flag:?} is set, but no answer of {:?} sets it",
            roles.id, model.id
        )));
    }
    for row in &g.update_table {
        let tasks = g
            .items()
            .filter(|(_, i)| i.kind == ItemKind::Task && i.family == Some(row.family))
            .count();
        if tasks != 1 {
            return Err(c.fail(format!(
                "the update table lists {}, so one update task item needs \"family\": {:?} (found {tasks})",
                row.family,
                row.family.name().to_lowercase()
            )));
        }
    }
    if !g.update_table.is_empty() && !has(ScreenKind::Updates) {
        return Err(c.fail("the guide has an update table but no updates step"));
    }
    match g.phases.iter().filter(|p| g.is_current_phase(p)).count() {
        1 => Ok(()),
        n => Err(c.fail(format!(
            "exactly one phase must have no link (the phase this guide is); {n} have none"
        ))),
    }
}

/// The screens a dated note may name: the fixed screens and the step screens.
fn screen_known(name: &str) -> bool {
    ["plans", "overview", "summary"].contains(&name)
        || ScreenKind::ALL.iter().any(|k| k.name() == name)
}

fn common_ok(catalog: &Catalog) -> Result<(), CatalogError> {
    let c = Checker {
        file: "common.json",
    };
    let common = &catalog.common;
    for h in &common.link_hosts {
        if h.is_empty()
            || !h
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '.' || ch == '-')
        {
            return Err(c.fail(format!("link host {h:?} is not a plain host name")));
        }
    }
    if let Some(p) = url_problem(&common.current_portal.url, &common.link_hosts) {
        return Err(c.fail(p));
    }
    let perms = c.unique(
        "permission",
        common.permissions.iter().map(|p| p.id.as_str()),
    )?;
    for p in &common.permissions {
        c.text(&format!("permission {:?}", p.id), &p.label)?;
    }
    c.unique(
        "role template",
        common.role_templates.iter().map(|t| t.id.as_str()),
    )?;
    for t in &common.role_templates {
        c.text(&format!("role template {:?}", t.id), &t.name)?;
        for p in &t.permissions {
            c.known(
                &perms,
                "permission",
                p,
                &format!("role template {:?}", t.id),
            )?;
        }
    }
    c.unique("note", common.notes.iter().map(|n| n.id.as_str()))?;
    for n in &common.notes {
        c.text(&format!("note {:?}", n.id), &n.text)?;
        c.text(&format!("date of note {:?}", n.id), &n.as_of)?;
        for s in &n.screens {
            if !screen_known(s) {
                return Err(c.fail(format!("note {:?} names unknown screen {s:?}", n.id)));
            }
        }
        if !n.source.starts_with("https://") {
            return Err(c.fail(format!(
                "note {:?}: its source must be an https address",
                n.id
            )));
        }
        for g in &n.guides {
            if catalog.guide(g).is_none() {
                return Err(c.fail(format!("note {:?} is for unknown guide {g:?}", n.id)));
            }
        }
        for i in &n.items {
            if !catalog.guides.iter().any(|g| g.item(i).is_some()) {
                return Err(c.fail(format!("note {:?} is on unknown item {i:?}", n.id)));
            }
        }
    }
    for h in &common.proxy_help {
        c.text(&format!("date of proxy help for {}", h.family), &h.as_of)?;
        if !h.source.starts_with("https://") {
            return Err(c.fail(format!(
                "proxy help for {}: its source must be an https address",
                h.family
            )));
        }
    }
    Ok(())
}
