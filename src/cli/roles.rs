//! `roles` and `review`: the plan's RBAC roles and the proxy guides marked
//! reviewed, changed through the same plan-model functions the wizard and
//! plain mode use (a role from a template is [`Role::from_template`]).

use std::io::Write;

use anyhow::bail;
use serde::Serialize;

use super::commands::{Ctx, edit, find, json};
use super::suggest::did_you_mean;
use crate::catalog::{Common, Guide, RoleTemplate};
use crate::plan::{Plan, Role};
use crate::sanitize::line;

/// What `roles add` was given.
pub struct AddRole<'a> {
    pub template: Option<&'a str>,
    pub name: Option<&'a str>,
    pub group: Option<&'a str>,
    pub permissions: &'a [String],
}

#[derive(Serialize)]
struct RoleRow {
    number: usize,
    name: String,
    group: String,
    permissions: Vec<String>,
}

#[derive(Serialize)]
struct TemplateRow {
    id: String,
    name: String,
    group: String,
    description: String,
    permissions: Vec<String>,
}

#[derive(Serialize)]
struct RolesJson {
    plan: String,
    roles: Vec<RoleRow>,
    templates: Vec<TemplateRow>,
}

/// A plan read for showing only (no lock), with its guide.
fn read(ctx: &Ctx, wanted: &str) -> anyhow::Result<(Plan, &'static Guide)> {
    let store = ctx.store(false)?;
    let id = find(&store, wanted)?;
    let plan = store.load(&id)?.plan;
    let guide = ctx.guide_of(&plan)?;
    Ok((plan, guide))
}

fn permission_labels(common: &Common, role: &Role) -> String {
    if role.permissions.is_empty() {
        return "no permissions".into();
    }
    role.permissions
        .iter()
        .map(|p| match common.permission(p) {
            Some(known) => known.label.clone(),
            None => format!("{} (not a known permission)", line(p)),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn describe(common: &Common, role: &Role) -> String {
    let group = if role.group.is_empty() {
        "no directory group yet".to_string()
    } else {
        format!("directory group {:?}", line(&role.group))
    };
    format!(
        "{:?}, {group}; {}",
        line(&role.name),
        permission_labels(common, role)
    )
}

pub fn list(ctx: &Ctx, wanted: &str, as_json: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    let (plan, _) = read(ctx, wanted)?;
    let common = &ctx.catalog.common;
    if as_json {
        return json(
            out,
            &RolesJson {
                plan: plan.name.clone(),
                roles: plan
                    .roles
                    .iter()
                    .enumerate()
                    .map(|(i, r)| RoleRow {
                        number: i + 1,
                        name: r.name.clone(),
                        group: r.group.clone(),
                        permissions: r.permissions.iter().cloned().collect(),
                    })
                    .collect(),
                templates: common
                    .role_templates
                    .iter()
                    .map(|t| TemplateRow {
                        id: t.id.clone(),
                        name: t.name.clone(),
                        group: t.group.clone(),
                        description: t.description.clone(),
                        permissions: t.permissions.clone(),
                    })
                    .collect(),
            },
        );
    }
    writeln!(out, "Roles of plan {:?}:", line(&plan.name))?;
    if plan.roles.is_empty() {
        writeln!(
            out,
            "  none yet; add one with `mde-migrate roles PLAN add --template ID`"
        )?;
    }
    for (i, r) in plan.roles.iter().enumerate() {
        writeln!(out, "  {}. {}", i + 1, describe(common, r))?;
    }
    writeln!(out, "\nTemplates (--template ID):")?;
    for t in &common.role_templates {
        writeln!(out, "  {:<16} {}: {}", t.id, t.name, t.description)?;
    }
    writeln!(out, "\nPermissions (--permission ID):")?;
    for p in &common.permissions {
        writeln!(out, "  {:<24} {}", p.id, p.label)?;
    }
    Ok(())
}

fn template<'c>(common: &'c Common, wanted: &str) -> anyhow::Result<&'c RoleTemplate> {
    let folded = wanted.trim().to_lowercase();
    if let Some(t) = common
        .role_templates
        .iter()
        .find(|t| t.id.to_lowercase() == folded || t.name.to_lowercase() == folded)
    {
        return Ok(t);
    }
    let ids = template_ids(common);
    bail!(
        "no role template {:?}{}; templates: {}",
        line(wanted),
        did_you_mean(wanted, ids.iter().copied()),
        ids.join(", ")
    )
}

/// The role templates' ids, as the errors list them.
fn template_ids(common: &crate::catalog::Common) -> Vec<&str> {
    common
        .role_templates
        .iter()
        .map(|t| t.id.as_str())
        .collect()
}

pub fn add(ctx: &Ctx, wanted: &str, args: &AddRole<'_>, out: &mut dyn Write) -> anyhow::Result<()> {
    let common = &ctx.catalog.common;
    let mut role = match (args.template, args.name) {
        (Some(t), _) => Role::from_template(template(common, t)?),
        (None, Some(_)) => Role::default(),
        (None, None) => {
            let ids = template_ids(common);
            bail!(
                "say which role: --template ID (one of {}) or --name NAME",
                ids.join(", ")
            )
        }
    };
    if let Some(name) = args.name {
        role.name = name.to_string();
    }
    if let Some(group) = args.group {
        role.group = group.to_string();
    }
    for p in args.permissions {
        let Some(known) = common.permission(p.trim()) else {
            let ids: Vec<&str> = common.permissions.iter().map(|p| p.id.as_str()).collect();
            bail!(
                "no permission {:?}{}; permissions: {}",
                line(p),
                did_you_mean(p, ids.iter().copied()),
                ids.join(", ")
            );
        };
        role.permissions.insert(known.id.clone());
    }
    let mut e = edit(ctx, wanted)?;
    let index = e.plan.add_role(role, &crate::app::now())?;
    e.save()?;
    let stored = &e.plan.roles[index];
    writeln!(
        out,
        "Role {} added: {}.",
        index + 1,
        describe(common, stored)
    )?;
    Ok(())
}

/// The role `wanted` names: its number in `roles list`, or its name.
fn role_index(plan: &Plan, wanted: &str) -> anyhow::Result<usize> {
    let w = wanted.trim();
    if let Ok(n) = w.parse::<usize>() {
        if (1..=plan.roles.len()).contains(&n) {
            return Ok(n - 1);
        }
        bail!(
            "no role number {n}: the plan has {} role(s) (see `mde-migrate roles PLAN list`)",
            plan.roles.len()
        );
    }
    let folded = w.to_lowercase();
    let hits: Vec<usize> = plan
        .roles
        .iter()
        .enumerate()
        .filter(|(_, r)| r.name.trim().to_lowercase() == folded)
        .map(|(i, _)| i)
        .collect();
    match hits.as_slice() {
        [only] => Ok(*only),
        [] => bail!(
            "no role named {:?}{}; give its number or name (see `mde-migrate roles PLAN list`)",
            line(wanted),
            did_you_mean(wanted, plan.roles.iter().map(|r| r.name.as_str()))
        ),
        _ => bail!(
            "{} roles are named {:?}; give the number of the one to remove (see `mde-migrate roles PLAN list`)",
            hits.len(),
            line(wanted)
        ),
    }
}

pub fn remove(ctx: &Ctx, wanted: &str, which: &str, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut e = edit(ctx, wanted)?;
    let index = role_index(&e.plan, which)?;
    let removed = e.plan.remove_role(index, &crate::app::now())?;
    e.save()?;
    writeln!(
        out,
        "Role {} removed: {:?}. {} role(s) left.",
        index + 1,
        line(&removed.name),
        e.plan.roles.len()
    )?;
    Ok(())
}

#[derive(Serialize)]
struct ReviewRow {
    number: usize,
    id: String,
    title: String,
    url: String,
    systems: Vec<String>,
    reviewed: bool,
}

fn review_rows(guide: &Guide, plan: &Plan) -> Vec<ReviewRow> {
    plan.applicable_proxy(guide)
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            let link = guide.link(&a.link);
            ReviewRow {
                number: i + 1,
                title: link.map_or_else(|| a.link.clone(), |l| l.title.clone()),
                url: link.map(|l| l.url.clone()).unwrap_or_default(),
                systems: a
                    .systems
                    .iter()
                    .map(|s| {
                        guide
                            .system(s)
                            .map_or_else(|| s.clone(), |x| x.name.clone())
                    })
                    .collect(),
                reviewed: plan.reviewed.contains(&a.link),
                id: a.link,
            }
        })
        .collect()
}

fn print_review(rows: &[ReviewRow], out: &mut dyn Write) -> std::io::Result<()> {
    if rows.is_empty() {
        return writeln!(
            out,
            "No proxy guide applies yet: pick the estate's systems (`mde-migrate import PLAN FILE`, or s in the wizard) and answer the licence."
        );
    }
    for r in rows {
        writeln!(
            out,
            "  {}. [{}] {} ({})\n       {}\n       for: {}",
            r.number,
            if r.reviewed {
                "reviewed"
            } else {
                "not reviewed"
            },
            r.title,
            r.id,
            r.url,
            r.systems.join(", ")
        )?;
    }
    let done = rows.iter().filter(|r| r.reviewed).count();
    writeln!(out, "{done} of {} reviewed.", rows.len())
}

/// `review PLAN`: the proxy guides the estate needs, reviewed or not;
/// with guides (numbers or ids), mark them reviewed (`--undo`: not).
pub fn review(
    ctx: &Ctx,
    wanted: &str,
    guides: &[String],
    undo: bool,
    as_json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if guides.is_empty() {
        if undo {
            bail!("say which guides --undo unmarks: numbers or ids from `mde-migrate review PLAN`");
        }
        let (plan, guide) = read(ctx, wanted)?;
        let rows = review_rows(guide, &plan);
        if as_json {
            return json(out, &rows);
        }
        writeln!(out, "Proxy guides for plan {:?}:", line(&plan.name))?;
        print_review(&rows, out)?;
        return Ok(());
    }
    let mut e = edit(ctx, wanted)?;
    let rows = review_rows(e.guide, &e.plan);
    let mut links = Vec::new();
    for g in guides {
        let g = g.trim();
        let hit = match g.parse::<usize>() {
            Ok(n) => rows.get(n.wrapping_sub(1)),
            Err(_) => rows.iter().find(|r| r.id.eq_ignore_ascii_case(g)),
        };
        let Some(row) = hit else {
            if rows.is_empty() {
                bail!(
                    "no proxy guide applies to this plan yet, so {:?} can't be marked: pick the estate's systems first",
                    line(g)
                );
            }
            bail!(
                "{:?} is not one of this plan's proxy guides{}; give numbers from 1 to {} or ids: {}",
                line(g),
                did_you_mean(g, rows.iter().map(|r| r.id.as_str())),
                rows.len(),
                rows.iter()
                    .map(|r| r.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        };
        links.push(row.id.clone());
    }
    let now = crate::app::now();
    for link in &links {
        e.plan.set_reviewed(link, !undo, &now);
    }
    e.save()?;
    let rows = review_rows(e.guide, &e.plan);
    if as_json {
        return json(out, &rows);
    }
    writeln!(
        out,
        "Marked {}: {}.",
        if undo { "not reviewed" } else { "reviewed" },
        links.join(", ")
    )?;
    print_review(&rows, out)?;
    Ok(())
}
