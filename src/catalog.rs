//! The guides as data: serde types for `assets/`, and the validated
//! [`Catalog`] the rest of the program trusts. No I/O here beyond reading the
//! strings embedded at build time.

use std::collections::HashSet;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

mod validate;

include!(concat!(env!("OUT_DIR"), "/guides.rs"));

/// The shared facts file (permissions, role templates, dated notes, help).
pub const COMMON_FILE: &str = include_str!("../assets/common.json");

/// A problem found in the catalog data, naming the file and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("catalog file {file}: {what}")]
pub struct CatalogError {
    pub file: String,
    pub what: String,
}

/// An operating-system family, as the guides group them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    Windows,
    Macos,
    Ios,
    Android,
    Linux,
}

impl Family {
    pub const ALL: [Family; 5] = [
        Family::Windows,
        Family::Macos,
        Family::Ios,
        Family::Android,
        Family::Linux,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Family::Windows => "Windows",
            Family::Macos => "macOS",
            Family::Ios => "iOS",
            Family::Android => "Android",
            Family::Linux => "Linux",
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One guidance page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub id: String,
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Portal {
    pub name: String,
    pub link: String,
    pub former: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    pub id: String,
    pub title: String,
    /// The phase's page, for a phase this guide file is not (Phase 1's
    /// guide names the pages of Phases 2 and 3).
    #[serde(default)]
    pub link: Option<String>,
    /// The page the phase's steps come from, for a phase with steps of its
    /// own (Phase 1's page is the guide's `source_url`).
    #[serde(default)]
    pub source_url: Option<String>,
    /// That page's date.
    #[serde(default)]
    pub published: Option<String>,
    /// The phase's steps. Phase 1's are the guide's `steps`; on loading,
    /// every phase's steps are moved there, in phase order, each marked
    /// with its phase, and this list is left empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
}

/// A table as the page has it: a header row and rows of cells. A row with a
/// `when` flag concerns some plans only (an operating-system family in
/// the estate); screens mark the rows that concern this plan.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    pub id: String,
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<TableRow>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableRow {
    pub cells: Vec<String>,
    /// The row concerns plans with any of these flags (none: every plan).
    #[serde(default)]
    pub when: Vec<String>,
}

/// A command or registry path a page gives, shown verbatim and copied with
/// `y`, never run.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Command {
    pub label: String,
    pub text: String,
}

/// The family an estate flag speaks of ("os-downlevel" and "os-unified"
/// are Windows systems), if it is one.
pub fn flag_family(flag: &str) -> Option<Family> {
    match flag {
        "os-downlevel" | "os-unified" => Some(Family::Windows),
        _ => Family::ALL.into_iter().find(|f| {
            flag.strip_prefix("os-")
                .is_some_and(|rest| rest.starts_with(&f.name().to_lowercase()))
        }),
    }
}

/// Flags derived from the estate and the answers rather than set by an
/// option: an item or table row with one of these `when` flags concerns a
/// plan whose estate has such devices, or whose licence gives that plan.
/// While the estate is empty every estate flag counts as set (nothing is
/// hidden before the operator says what the devices are), and while no
/// licence is chosen both plan flags do.
pub const DERIVED_FLAGS: &[&str] = &[
    "os-windows",
    "os-windows-client",
    "os-windows-server",
    "os-downlevel",
    "os-unified",
    "os-macos",
    "os-ios",
    "os-android",
    "os-linux",
    "plan-p1",
    "plan-p2",
];

/// An operating system as one guide names it, with what it takes to match it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct System {
    pub id: String,
    pub name: String,
    pub family: Family,
    /// Windows: "11", "10", "8.1", "7", "2022", "2012 r2", "semi-annual".
    #[serde(default)]
    pub product: Option<String>,
    #[serde(default)]
    pub server: bool,
    /// Windows 7 SP1, 8.1, Server 2008 R2 SP1: the down-level onboarding path.
    #[serde(default)]
    pub downlevel: bool,
    /// Windows Server 2016 / 2012 R2 in the generic guide's footnote.
    #[serde(default)]
    pub unified_solution: bool,
    /// Linux distribution key ("rhel", "ubuntu", …).
    #[serde(default)]
    pub distro: Option<String>,
    /// Exactly this version (prefix match: "10.14" matches "10.14.6").
    #[serde(default)]
    pub version: Option<String>,
    /// This version or later.
    #[serde(default)]
    pub min_version: Option<String>,
    /// Only long-term-support releases (Ubuntu).
    #[serde(default)]
    pub lts_only: bool,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Flags the system sets when it is in the estate, beyond those every
    /// system derives ([`DERIVED_FLAGS`]): "Windows Server 2016" for the
    /// steps a page gives for that version alone.
    #[serde(default)]
    pub flags: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateRow {
    pub family: Family,
    pub os: String,
    pub link: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Axis {
    Plan,
    Capability,
}

impl Axis {
    pub fn name(self) -> &'static str {
        match self {
            Axis::Plan => "plan",
            Axis::Capability => "capability",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AxisValue {
    /// "P1", "P2", "EDR", "Antivirus".
    pub id: String,
    pub name: String,
    pub link: String,
    /// Other spellings `lookup --plan` / `--capability` accept ("plan 2",
    /// "av"); the id and the name are always accepted.
    #[serde(default)]
    pub aliases: Vec<String>,
}

impl AxisValue {
    /// Does this spelling name the value? Case, spaces and punctuation are
    /// ignored, and so is a leading "Microsoft", "Defender for Endpoint" or
    /// "MDE" ("Defender for Endpoint Plan 2" is "plan 2").
    pub fn is_named(&self, text: &str) -> bool {
        let wanted = fold_value(text);
        !wanted.is_empty()
            && std::iter::once(self.id.as_str())
                .chain(std::iter::once(self.name.as_str()))
                .chain(self.aliases.iter().map(String::as_str))
                .any(|k| fold_value(k) == wanted)
    }
}

/// Lower-case letters and digits only, without the product-name prefixes.
fn fold_value(s: &str) -> String {
    let folded: String = s
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    let rest = folded.strip_prefix("microsoft").unwrap_or(&folded);
    let rest = rest.strip_prefix("defenderforendpoint").unwrap_or(rest);
    rest.strip_prefix("mde").unwrap_or(rest).to_string()
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowSystem {
    pub system: String,
    #[serde(default)]
    pub link: Option<String>,
    #[serde(default)]
    pub footnote: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProxyRow {
    pub value: String,
    pub systems: Vec<RowSystem>,
    pub resources: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProxyTable {
    pub axis: Axis,
    pub values: Vec<AxisValue>,
    pub rows: Vec<ProxyRow>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Footnote {
    pub id: String,
    pub marker: String,
    pub text: String,
    #[serde(default)]
    pub links: Vec<String>,
}

/// A warning shown when a flag is set (e.g. servers in the estate).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Warning {
    pub id: String,
    pub when: String,
    pub text: String,
    #[serde(default)]
    pub links: Vec<String>,
}

/// Which screen shows a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScreenKind {
    Updates,
    Licence,
    Access,
    Proxy,
    /// A step of Phase 2 or 3: its items with their tables and commands.
    Checklist,
}

impl ScreenKind {
    pub const ALL: [ScreenKind; 5] = [
        ScreenKind::Updates,
        ScreenKind::Licence,
        ScreenKind::Access,
        ScreenKind::Proxy,
        ScreenKind::Checklist,
    ];

    /// The screen's name, as dated notes and reports name it.
    pub fn name(self) -> &'static str {
        match self {
            ScreenKind::Updates => "updates",
            ScreenKind::Licence => "licence",
            ScreenKind::Access => "access",
            ScreenKind::Proxy => "proxy",
            ScreenKind::Checklist => "checklist",
        }
    }
}

/// What kind of answer an item takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemKind {
    /// To do / done / not applicable.
    Task,
    /// One of the item's options.
    Choice,
    /// Free text.
    Text,
    /// The operating systems of the estate.
    Systems,
    /// The RBAC role planner.
    Roles,
    /// Every proxy guide that applies to the estate, each marked reviewed.
    ProxyReview,
}

impl ItemKind {
    pub fn name(self) -> &'static str {
        match self {
            ItemKind::Task => "task",
            ItemKind::Choice => "choice",
            ItemKind::Text => "text",
            ItemKind::Systems => "systems",
            ItemKind::Roles => "roles",
            ItemKind::ProxyReview => "proxy-review",
        }
    }
}

/// What the program needs to know about an item, declared in the guide.
/// Each role is held by at most one item of a guide; the checks in
/// `validate` say which kinds may hold it and which screens need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Text: the product being replaced, filled in from "replacing" when a
    /// plan is created.
    Product,
    /// Choice: how licences are obtained. On a plan-axis guide every option
    /// names the Defender for Endpoint plan it gives.
    LicenceRoute,
    /// Choice: whether devices use a proxy. Its flagged answer makes the
    /// step that is `required_when` that flag required.
    ProxyInUse,
    /// Choice: whether servers are in the estate. Servers in the estate set
    /// the flags of its flagged answer, and contradict its other answers.
    Servers,
    /// Choice: the permission model. The answer whose flag asks the role
    /// planner is the RBAC one.
    AccessModel,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Product,
        Role::LicenceRoute,
        Role::ProxyInUse,
        Role::Servers,
        Role::AccessModel,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Role::Product => "product",
            Role::LicenceRoute => "licence-route",
            Role::ProxyInUse => "proxy-in-use",
            Role::Servers => "servers",
            Role::AccessModel => "access-model",
        }
    }

    /// The kind of item that may hold the role.
    pub fn kind(self) -> ItemKind {
        match self {
            Role::Product => ItemKind::Text,
            _ => ItemKind::Choice,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    pub id: String,
    pub label: String,
    /// The Defender for Endpoint plan this answer gives ("P1"/"P2").
    #[serde(default)]
    pub plan: Option<String>,
    /// Flags this answer sets (e.g. "proxy", "servers", "rbac").
    #[serde(default)]
    pub flags: Vec<String>,
    #[serde(default)]
    pub link: Option<String>,
    /// The answer in a few words, for banners ("RBAC", "basic permissions").
    #[serde(default)]
    pub short: Option<String>,
}

impl ChoiceOption {
    /// The answer in a few words: its `short`, else its label.
    pub fn short_label(&self) -> &str {
        self.short.as_deref().unwrap_or(&self.label)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub kind: ItemKind,
    /// What the program needs to know about this item, if anything.
    #[serde(default)]
    pub role: Option<Role>,
    pub label: String,
    pub help: String,
    #[serde(default)]
    pub links: Vec<String>,
    #[serde(default)]
    pub options: Vec<ChoiceOption>,
    /// Only asked when this flag is set.
    #[serde(default)]
    pub when: Option<String>,
    /// For update tasks: the family whose devices it concerns.
    #[serde(default)]
    pub family: Option<Family>,
    /// What an earlier phase's answer decides about this item, in words
    /// ("Windows Server in the estate (Phase 1)"), shown with it.
    #[serde(default)]
    pub depends: Option<String>,
    /// The page's tables this item works from.
    #[serde(default)]
    pub tables: Vec<Table>,
    /// Commands and registry paths the page gives for it.
    #[serde(default)]
    pub commands: Vec<Command>,
}

impl Item {
    pub fn option(&self, id: &str) -> Option<&ChoiceOption> {
        self.options.iter().find(|o| o.id == id)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: String,
    pub screen: ScreenKind,
    pub short: String,
    pub title: String,
    pub intro: String,
    /// The step is optional unless this flag is set.
    #[serde(default)]
    pub required_when: Option<String>,
    /// The phase it belongs to (set on loading).
    #[serde(default)]
    pub phase: String,
    pub items: Vec<Item>,
}

/// One migration guide.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guide {
    pub id: String,
    pub title: String,
    pub short_name: String,
    pub published: String,
    pub source_url: String,
    /// Lower-case words in "the product being replaced" that propose this guide.
    #[serde(default)]
    pub proposed_for: Vec<String>,
    /// The guide proposed when no guide's words match (exactly one has it).
    #[serde(default)]
    pub default: bool,
    pub applies_to: Vec<String>,
    pub portal: Portal,
    pub migration_process: String,
    pub phases: Vec<Phase>,
    pub links: Vec<Link>,
    pub systems: Vec<System>,
    #[serde(default)]
    pub update_table: Vec<UpdateRow>,
    pub proxy_table: ProxyTable,
    #[serde(default)]
    pub footnotes: Vec<Footnote>,
    #[serde(default)]
    pub warnings: Vec<Warning>,
    pub steps: Vec<Step>,
}

impl Guide {
    pub fn link(&self, id: &str) -> Option<&Link> {
        self.links.iter().find(|l| l.id == id)
    }

    pub fn system(&self, id: &str) -> Option<&System> {
        self.systems.iter().find(|s| s.id == id)
    }

    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }

    pub fn step_index(&self, id: &str) -> Option<usize> {
        self.steps.iter().position(|s| s.id == id)
    }

    /// Every item with the step it belongs to, in guide order.
    pub fn items(&self) -> impl Iterator<Item = (&Step, &Item)> {
        self.steps
            .iter()
            .flat_map(|s| s.items.iter().map(move |i| (s, i)))
    }

    pub fn item(&self, id: &str) -> Option<(&Step, &Item)> {
        self.items().find(|(_, i)| i.id == id)
    }

    pub fn footnote(&self, id: &str) -> Option<&Footnote> {
        self.footnotes.iter().find(|f| f.id == id)
    }

    pub fn axis_value(&self, id: &str) -> Option<&AxisValue> {
        self.proxy_table.values.iter().find(|v| v.id == id)
    }

    /// The item holding a role, with its step.
    pub fn role(&self, role: Role) -> Option<(&Step, &Item)> {
        self.items().find(|(_, i)| i.role == Some(role))
    }

    /// The first item of a kind (the estate, the role planner), with its step.
    pub fn of_kind(&self, kind: ItemKind) -> Option<(&Step, &Item)> {
        self.items().find(|(_, i)| i.kind == kind)
    }

    /// Is this the phase the guide itself is (the one without a page of
    /// its own)?
    pub fn is_current_phase(&self, phase: &Phase) -> bool {
        phase.link.is_none()
    }

    pub fn phase(&self, id: &str) -> Option<&Phase> {
        self.phases.iter().find(|p| p.id == id)
    }

    /// The steps of a phase, in order, with their indexes in `steps`.
    pub fn phase_steps<'a>(
        &'a self,
        phase: &'a str,
    ) -> impl Iterator<Item = (usize, &'a Step)> + 'a {
        self.steps
            .iter()
            .enumerate()
            .filter(move |(_, s)| s.phase == phase)
    }

    /// The phase a step belongs to.
    pub fn phase_of(&self, step: &Step) -> Option<&Phase> {
        self.phase(&step.phase)
    }

    /// The page a phase's steps come from, and its date.
    pub fn phase_source<'a>(&'a self, phase: &'a Phase) -> (&'a str, &'a str) {
        match (&phase.source_url, &phase.published) {
            (Some(u), Some(d)) => (u, d),
            _ => (&self.source_url, &self.published),
        }
    }

    /// Move every phase's steps into `steps` in phase order, each marked
    /// with its phase; Phase 1's steps (the guide's own) keep their place.
    fn gather_phases(&mut self) {
        let current = self
            .phases
            .iter()
            .find(|p| p.link.is_none())
            .map(|p| p.id.clone())
            .unwrap_or_default();
        let own = std::mem::take(&mut self.steps);
        let mut all = Vec::new();
        for p in &mut self.phases {
            if p.id == current {
                all.extend(own.iter().cloned().map(|mut s| {
                    s.phase.clone_from(&p.id);
                    s
                }));
            }
            let id = p.id.clone();
            all.extend(std::mem::take(&mut p.steps).into_iter().map(|mut s| {
                s.phase.clone_from(&id);
                s
            }));
        }
        if current.is_empty() {
            all = own;
        }
        self.steps = all;
    }

    /// The page of the phase after this guide's own, if the guide has one.
    pub fn next_phase(&self) -> Option<&Link> {
        self.phases
            .iter()
            .skip_while(|p| !self.is_current_phase(p))
            .skip(1)
            .find_map(|p| p.link.as_deref())
            .and_then(|l| self.link(l))
    }

    /// The table value (plan or capability) a spelling names.
    pub fn table_value(&self, text: &str) -> Option<&AxisValue> {
        self.proxy_table.values.iter().find(|v| v.is_named(text))
    }

    /// True when a product name proposes this guide ("Symantec Endpoint Protection").
    pub fn proposed_by(&self, product: &str) -> bool {
        let p = product.to_lowercase();
        p.split(|c: char| !c.is_alphanumeric())
            .any(|w| !w.is_empty() && self.proposed_for.iter().any(|k| k == w))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Permission {
    pub id: String,
    pub group: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleTemplate {
    pub id: String,
    pub name: String,
    pub group: String,
    pub description: String,
    pub permissions: Vec<String>,
}

/// A short dated note on what changed since a guide was written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub id: String,
    pub as_of: String,
    /// Screens whose report section lists it ("summary" for the summary only).
    pub screens: Vec<String>,
    /// The items it concerns: it is shown on these and nowhere else.
    #[serde(default)]
    pub items: Vec<String>,
    /// The guides it is true of (every guide when empty): the proxy step
    /// is optional in one guide only, though its items are in all three.
    #[serde(default)]
    pub guides: Vec<String>,
    /// The public page it comes from.
    pub source: String,
    pub text: String,
}

impl Note {
    /// The web addresses its text names ("See https://…"), trailing
    /// punctuation left off.
    pub fn urls(&self) -> impl Iterator<Item = &str> + '_ {
        self.text.split_whitespace().filter_map(|word| {
            let url = word
                .trim_start_matches('(')
                .trim_end_matches(['.', ',', ')', ';', ':']);
            url.starts_with("https://").then_some(url)
        })
    }

    /// Is the note true of this guide?
    pub fn is_for(&self, guide: &Guide) -> bool {
        self.guides.is_empty() || self.guides.contains(&guide.id)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProxyHelp {
    pub family: Family,
    /// Not in the guides: dated, with the page it comes from.
    pub as_of: String,
    pub source: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CurrentPortal {
    pub name: String,
    pub url: String,
}

/// Facts shared by every guide.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Common {
    /// Hosts a catalog link may point at: Microsoft Learn (where the
    /// guides' relative links resolve), the short-link services the guides
    /// use, the vendor pages they link to and today's portal. Any other
    /// host in a guide is refused.
    pub link_hosts: Vec<String>,
    pub current_portal: CurrentPortal,
    pub permissions: Vec<Permission>,
    pub role_templates: Vec<RoleTemplate>,
    pub notes: Vec<Note>,
    pub proxy_help: Vec<ProxyHelp>,
}

impl Common {
    pub fn permission(&self, id: &str) -> Option<&Permission> {
        self.permissions.iter().find(|p| p.id == id)
    }

    /// Dated notes meant for a screen ("licence", "access", "proxy", …).
    pub fn notes_for<'a>(&'a self, screen: &'a str) -> impl Iterator<Item = &'a Note> + 'a {
        self.notes
            .iter()
            .filter(move |n| n.screens.iter().any(|s| s == screen))
    }

    /// Dated notes that concern a guide: those for other guides, or on
    /// none of its items, are left out (a note on a McAfee item is not for
    /// the generic guide).
    pub fn notes_in<'a>(&'a self, guide: &'a Guide) -> impl Iterator<Item = &'a Note> + 'a {
        self.notes.iter().filter(move |n| {
            n.is_for(guide)
                && (n.items.is_empty() || n.items.iter().any(|i| guide.item(i).is_some()))
        })
    }

    /// Dated notes that concern an item of a guide.
    pub fn notes_about<'a>(
        &'a self,
        guide: &'a Guide,
        item: &'a str,
    ) -> impl Iterator<Item = &'a Note> + 'a {
        self.notes_on(item).filter(move |n| n.is_for(guide))
    }

    /// Dated notes that concern an item, in whichever guide.
    pub fn notes_on<'a>(&'a self, item: &'a str) -> impl Iterator<Item = &'a Note> + 'a {
        self.notes
            .iter()
            .filter(move |n| n.items.iter().any(|i| i == item))
    }

    pub fn proxy_help(&self, family: Family) -> Option<&ProxyHelp> {
        self.proxy_help.iter().find(|h| h.family == family)
    }
}

/// Every guide and the shared facts, validated.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub guides: Vec<Guide>,
    pub common: Common,
}

impl Catalog {
    /// The catalog built into this binary, parsed and validated once.
    pub fn embedded() -> Result<&'static Catalog, CatalogError> {
        static CATALOG: OnceLock<Result<Catalog, CatalogError>> = OnceLock::new();
        CATALOG
            .get_or_init(|| Catalog::from_sources(GUIDE_FILES, COMMON_FILE))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parse and validate guide files (name, JSON) and the common file.
    pub fn from_sources(guides: &[(&str, &str)], common: &str) -> Result<Catalog, CatalogError> {
        let common: Common = parse("common.json", common)?;
        let mut parsed = Vec::with_capacity(guides.len());
        for (name, text) in guides {
            let mut guide: Guide = parse(name, text)?;
            guide.gather_phases();
            parsed.push(guide);
        }
        let catalog = Catalog {
            guides: parsed,
            common,
        };
        validate::catalog(&catalog, guides)?;
        Ok(catalog)
    }

    pub fn guide(&self, id: &str) -> Option<&Guide> {
        self.guides.iter().find(|g| g.id == id)
    }

    pub fn guide_ids(&self) -> Vec<&str> {
        self.guides.iter().map(|g| g.id.as_str()).collect()
    }

    /// The guide marked `default`, proposed when nothing points elsewhere
    /// (validation makes sure there is exactly one).
    pub fn default_guide(&self) -> &Guide {
        self.guides
            .iter()
            .find(|g| g.default)
            .unwrap_or(&self.guides[0])
    }

    /// The guide proposed for a product being replaced.
    pub fn propose_guide(&self, replacing: &str) -> &str {
        self.guides
            .iter()
            .find(|g| g.proposed_by(replacing))
            .unwrap_or_else(|| self.default_guide())
            .id
            .as_str()
    }

    /// Every value of the guides' proxy tables along one axis, each once
    /// (by id), in guide order.
    pub fn axis_values(&self, axis: Axis) -> Vec<&AxisValue> {
        let mut out: Vec<&AxisValue> = Vec::new();
        for v in self
            .guides
            .iter()
            .filter(|g| g.proxy_table.axis == axis)
            .flat_map(|g| g.proxy_table.values.iter())
        {
            if !out.iter().any(|x| x.id == v.id) {
                out.push(v);
            }
        }
        out
    }

    /// The table value a spelling names on one axis, in any guide.
    pub fn axis_value_named(&self, axis: Axis, text: &str) -> Option<&AxisValue> {
        self.axis_values(axis)
            .into_iter()
            .find(|v| v.is_named(text))
    }

    /// Is this URL one the catalog holds (a guide's own page, a link of a
    /// guide, the current portal)? Only such URLs are ever opened.
    pub fn knows_url(&self, url: &str) -> bool {
        self.urls().any(|u| u == url)
    }

    /// Every address the catalog holds, in the places [`Self::knows_url`]
    /// looks (repeats included).
    pub fn urls(&self) -> impl Iterator<Item = &str> {
        self.guides
            .iter()
            .flat_map(|g| {
                std::iter::once(g.source_url.as_str())
                    .chain(g.links.iter().map(|l| l.url.as_str()))
                    .chain(g.phases.iter().filter_map(|p| p.source_url.as_deref()))
            })
            .chain(std::iter::once(self.common.current_portal.url.as_str()))
            .chain(self.common.notes.iter().map(|n| n.source.as_str()))
            .chain(self.common.notes.iter().flat_map(Note::urls))
            .chain(self.common.proxy_help.iter().map(|h| h.source.as_str()))
    }

    /// Every distinct flag any option can set.
    pub fn flags(&self) -> HashSet<&str> {
        self.guides
            .iter()
            .flat_map(|g| g.items())
            .flat_map(|(_, i)| i.options.iter())
            .flat_map(|o| o.flags.iter().map(String::as_str))
            .chain(DERIVED_FLAGS.iter().copied())
            .chain(
                self.guides
                    .iter()
                    .flat_map(|g| g.systems.iter())
                    .flat_map(|s| s.flags.iter().map(String::as_str)),
            )
            .collect()
    }
}

fn parse<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, CatalogError> {
    serde_json::from_str(text).map_err(|e| CatalogError {
        file: file.to_string(),
        what: e.to_string(),
    })
}

#[cfg(test)]
mod note_tests {
    use super::*;

    fn catalog() -> &'static Catalog {
        match Catalog::embedded() {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        }
    }

    /// Each dated note sits on the items it concerns, and only there.
    #[test]
    fn every_note_sits_on_the_item_it_concerns() {
        let expected: &[(&str, &[&str])] = &[
            ("portal-name", &["access-model", "tenant"]),
            ("unified-rbac", &["roles", "access-granted"]),
            ("rbac-one-way", &["access-model"]),
            ("basic-levels", &["access-model"]),
            ("entra", &["rbac-tool", "roles"]),
            ("licence-check", &["licence-state"]),
            ("trial-length", &["licence-route"]),
            ("tenant-today", &["tenant"]),
            ("old-systems", &["estate", "proxy-guides"]),
            ("servers-licence", &["estate", "licence-route"]),
            ("proxy-step-optional", &["proxy-in-use", "proxy-guides"]),
            ("mcafee-trellix", &["mcafee-product", "mcafee-updated"]),
            ("microsoft-update", &["mcafee-update-windows"]),
            ("docs-site", &[]),
        ];
        let c = catalog();
        assert_eq!(
            c.common.notes.len(),
            expected.len(),
            "a note without a test"
        );
        for (id, items) in expected {
            let Some(n) = c.common.notes.iter().find(|n| n.id == *id) else {
                panic!("no note {id}");
            };
            assert_eq!(&n.items, items, "note {id}");
            let vendor = *id == "mcafee-trellix" && n.source == "https://www.trellix.com/";
            assert!(
                vendor || n.source.starts_with("https://learn.microsoft.com/"),
                "{id}"
            );
        }
        // The note on the oldest systems belongs to the estate, not to the product task.
        assert_eq!(c.common.notes_on("existing-updated").count(), 0);
        // The statements the guides do not make are notes on their items.
        let on = |item: &str, words: &str| c.common.notes_on(item).any(|n| n.text.contains(words));
        assert!(on("licence-route", "90 days"));
        assert!(on("tenant", "(US, EU or UK)"));
        assert!(on("roles", "16 February 2025"));
        assert!(on("proxy-in-use", "optional"));
        for h in &c.common.proxy_help {
            assert!(!h.as_of.is_empty() && h.source.starts_with("https://"));
        }
        assert!(
            c.common
                .proxy_help(Family::Linux)
                .is_some_and(|h| h.text.contains("mdatp config proxy"))
        );
    }

    #[test]
    fn note_sources_may_be_opened() {
        let c = catalog();
        for n in &c.common.notes {
            assert!(c.knows_url(&n.source), "{}", n.id);
        }
    }
}
