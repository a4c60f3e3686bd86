//! The command line: arguments (clap), then one function per subcommand.
//! No terminal work here; the wizard is started through [`crate::app`] and
//! plain mode through [`crate::plain`]. Errors come back as values and are
//! printed once, on one line, by [`main`].

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::catalog::{Axis, Catalog, Guide};
use crate::store::Store;

mod commands;
mod roles;
mod status;
mod suggest;

/// Plan a migration to Microsoft Defender for Endpoint: Prepare, Set up, Onboard.
///
/// With no command, starts the wizard. Plans are saved as you go and can be
/// resumed at any time.
#[derive(Debug, Parser)]
#[command(name = "mde-migrate", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    /// Folder that holds the plans (default: $MDE_MIGRATE_HOME, else your
    /// local data folder).
    #[arg(long, global = true, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,

    /// Line-by-line prompts instead of the full-screen wizard (screen
    /// readers, dumb terminals). Also chosen when ACCESSIBLE is set.
    #[arg(long)]
    pub plain: bool,

    /// Start with mouse capture off (the terminal keeps its own text
    /// selection; `m` switches it in the wizard).
    #[arg(long)]
    pub no_mouse: bool,

    /// How long the writers (`set`, `note`, `import`, `import-tasks`, `roles`, `review`) wait for another command-line
    /// writer of the same plan before giving up (seconds; 0 = don't wait).
    /// A plan open in the wizard is refused at once.
    #[arg(long, global = true, value_name = "SECONDS", default_value = "2", value_parser = parse_wait)]
    pub wait: std::time::Duration,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// `--wait`: seconds, 0 to 3600, fractions allowed.
fn parse_wait(s: &str) -> Result<std::time::Duration, String> {
    let secs: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{:?} is not a number of seconds", crate::sanitize::line(s)))?;
    if !(0.0..=3600.0).contains(&secs) {
        return Err(format!("{secs} is not between 0 and 3600 seconds"));
    }
    Ok(std::time::Duration::from_secs_f64(secs))
}

#[derive(Debug, Subcommand)]
pub enum PlansAction {
    /// Copy a plan file in from elsewhere (another machine, a backup). It
    /// must read as a plan; a different plan with the same file name is
    /// never overwritten.
    Import {
        /// The plan's .json file.
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum RolesAction {
    /// List the plan's roles, the templates and the permissions.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Add a role: from a template (its name, directory group and
    /// permissions, as the wizard starts one), or empty with --name; the
    /// other options change what the template gives.
    Add {
        /// Start from this template (id or name; see `roles PLAN list`).
        #[arg(long, value_name = "ID")]
        template: Option<String>,
        /// The role's name.
        #[arg(long)]
        name: Option<String>,
        /// The directory (Entra ID) group it maps to.
        #[arg(long)]
        group: Option<String>,
        /// Grant a permission (repeat for more; ids from `roles PLAN list`).
        #[arg(long = "permission", value_name = "ID")]
        permissions: Vec<String>,
    },
    /// Remove a role, by its number in `roles PLAN list` or its name.
    Remove { role: String },
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the plans (or `plans import FILE` to bring one in).
    Plans {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        #[command(subcommand)]
        action: Option<PlansAction>,
    },
    /// Create a plan.
    New(NewArgs),
    /// Show a plan's progress, answers and item ids.
    Status {
        /// Plan name or file id.
        plan: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Look up the proxy guides for an operating system.
    Lookup(LookupArgs),
    /// List every guidance link of the guides.
    Links {
        /// Only this guide.
        #[arg(long, value_name = "ID")]
        guide: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Record an answer: `todo`, `done`, `n/a`, `blocked` or `waiting` for
    /// tasks, an option id for choices, text for text items; and the item's
    /// owner, due date, state and reason.
    Set {
        plan: String,
        item: String,
        /// The answer (may be left out when only options are given).
        value: Option<String>,
        /// Who does it (`--owner ""` clears it).
        #[arg(long, allow_hyphen_values = true)]
        owner: Option<String>,
        /// Due date, YYYY-MM-DD (`--due ""` clears it).
        #[arg(long)]
        due: Option<String>,
        /// State: todo, done, n/a, blocked or waiting (any spelling
        /// `status` prints: "not applicable", "to do", …).
        #[arg(long)]
        state: Option<String>,
        /// Why: required with n/a and blocked, optional with waiting.
        #[arg(long, allow_hyphen_values = true)]
        reason: Option<String>,
    },
    /// Record a note on an item (an empty text removes it).
    Note {
        plan: String,
        item: String,
        text: String,
    },
    /// Fill the plan's estate from a device inventory CSV.
    Import {
        plan: String,
        /// The device inventory CSV (UTF-8 or UTF-16 with a byte-order mark).
        #[arg(required_unless_present = "undo")]
        file: Option<PathBuf>,
        /// Replace a non-empty estate with this import.
        #[arg(long, conflicts_with_all = ["merge", "undo"])]
        replace: bool,
        /// Add this import's counts to a non-empty estate.
        #[arg(long, conflicts_with = "undo")]
        merge: bool,
        /// Go back to the estate from before the last import (again: redo).
        #[arg(long)]
        undo: bool,
        /// Print the import report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Read an edited task list (`export --format csv`) back into a plan:
    /// changed states, owners, due dates, reasons and notes. All or nothing.
    ImportTasks {
        plan: String,
        /// The task list CSV.
        file: PathBuf,
        /// Show what would change, change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print what changed as JSON.
        #[arg(long)]
        json: bool,
    },
    /// The plan's RBAC roles: `roles PLAN list`, `add`, `remove`.
    Roles {
        plan: String,
        #[command(subcommand)]
        action: RolesAction,
    },
    /// The proxy guides the plan's estate needs; with guides (numbers or
    /// ids from the list), mark them reviewed.
    Review {
        plan: String,
        /// Guides to mark: numbers from the list, or ids.
        guides: Vec<String>,
        /// Mark the guides not reviewed instead.
        #[arg(long)]
        undo: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write a report of a plan (Markdown, HTML or JSON), its task list
    /// (csv) or its estate with the gaps per system (estate-csv).
    Export {
        plan: String,
        #[arg(long, short, value_enum, default_value = "md")]
        format: ReportFormat,
        /// Write to this file instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff).
    Manpage,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The plan's name.
    #[arg(long)]
    pub name: String,
    /// The organisation.
    #[arg(long, default_value = "")]
    pub org: String,
    /// The product being replaced ("McAfee ENS" proposes the McAfee guide).
    #[arg(long, default_value = "")]
    pub replacing: String,
    /// The guide to follow (default: proposed from --replacing).
    #[arg(long, value_name = "ID")]
    pub guide: Option<String>,
}

#[derive(Debug, Args)]
pub struct LookupArgs {
    /// The operating system, e.g. "Windows 10", "server 2016", "macOS 10.14".
    #[arg(long)]
    pub os: String,
    /// Defender for Endpoint plan, for guides whose proxy table is by plan
    /// (e.g. p2; "P2", "Plan 2" and "Defender for Endpoint Plan 2" are read
    /// the same). The values are the guides' own.
    #[arg(
        long,
        value_name = "PLAN",
        conflicts_with = "capability",
        value_parser = AxisParser(Axis::Plan)
    )]
    pub plan: Option<String>,
    /// Capability, for guides whose proxy table is by capability (e.g. edr,
    /// antivirus). The values are the guides' own.
    #[arg(long, value_name = "CAPABILITY", value_parser = AxisParser(Axis::Capability))]
    pub capability: Option<String>,
    /// Only this guide.
    #[arg(long, value_name = "ID")]
    pub guide: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `--plan` / `--capability` as typed: any spelling is taken here (the
/// table value it names is found by [`table_value`], with a clear error),
/// while help and shell completions offer the values the built-in guides'
/// tables list along the axis, with the guides that use each.
#[derive(Clone)]
struct AxisParser(Axis);

impl clap::builder::TypedValueParser for AxisParser {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        value
            .to_str()
            .map(str::to_string)
            .ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidUtf8).with_cmd(cmd))
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        let catalog = Catalog::embedded().ok()?;
        let axis = self.0;
        let values = catalog.axis_values(axis).into_iter().map(move |v| {
            let guides: Vec<&str> = catalog
                .guides
                .iter()
                .filter(|g| g.proxy_table.axis == axis && g.axis_value(&v.id).is_some())
                .map(|g| g.id.as_str())
                .collect();
            clap::builder::PossibleValue::new(v.id.as_str()).help(format!(
                "{} (guides: {})",
                v.name,
                guides.join(", ")
            ))
        });
        Some(Box::new(values))
    }
}

/// `--plan` / `--capability`: the table value a spelling names, among the
/// values the guides' tables list along that axis.
pub(crate) fn table_value<'c>(
    catalog: &'c Catalog,
    axis: Axis,
    text: &str,
) -> anyhow::Result<&'c str> {
    if let Some(v) = catalog.axis_value_named(axis, text) {
        return Ok(v.id.as_str());
    }
    let valid: Vec<String> = catalog
        .axis_values(axis)
        .iter()
        .map(|v| format!("{} ({})", v.id, v.name))
        .collect();
    let what = match axis {
        Axis::Plan => "a Defender for Endpoint plan",
        Axis::Capability => "a capability",
    };
    bail!(
        "{:?} is not {what} any guide's proxy table lists; use one of: {}",
        crate::sanitize::line(text),
        valid.join(", ")
    )
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    Md,
    Html,
    Json,
    /// The task list: one row per item (Excel, Planner, Azure Boards).
    Csv,
    /// The estate: one row per system, with its proxy gaps.
    EstateCsv,
}

/// Parse the arguments, run, and turn the outcome into an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        // The reader went away (`| head`): nothing more to say to anyone.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let msg = crate::sanitize::line(&format!("{e:#}")).into_owned();
            let _ = writeln!(std::io::stderr(), "mde-migrate: {msg}");
            ExitCode::from(1)
        }
    }
}

/// Did the error come from writing to a closed pipe?
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Should the plain, line-by-line mode be used?
fn wants_plain(cli: &Cli) -> bool {
    let accessible = std::env::var_os("ACCESSIBLE").is_some_and(|v| !v.is_empty());
    let term = std::env::var("TERM").unwrap_or_default();
    cli.plain || accessible || term.is_empty() || term == "dumb"
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let catalog = Catalog::embedded().context("the built-in guides are damaged")?;
    let state_dir = cli.state_dir.clone();
    let Some(command) = cli.command else {
        let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
        if !interactive && !wants_plain(&cli) {
            let mut err = std::io::stderr();
            let _ = writeln!(
                err,
                "mde-migrate: the wizard needs a terminal; use --plain for line prompts, or a command: plans, new, status, set, note, roles, review, lookup, links, import, import-tasks, export (see --help)"
            );
            return Ok(ExitCode::from(2));
        }
        let dir = Store::resolve_dir(state_dir.as_deref())?;
        let store = Store::open(dir, true)?;
        if wants_plain(&cli) {
            crate::plain::run(
                catalog,
                &store,
                std::io::stdin().lock(),
                &mut std::io::stdout().lock(),
            )?;
            return Ok(ExitCode::SUCCESS);
        }
        crate::app::run(
            catalog,
            store,
            crate::app::Options {
                mouse: !cli.no_mouse,
                theme: crate::ui::theme::Theme::from_env(),
            },
        )?;
        return Ok(ExitCode::SUCCESS);
    };
    let mut out = std::io::stdout().lock();
    run_command(catalog, state_dir, cli.wait, command, &mut out)
}

/// Run a command line (`mde-migrate status …`) against a catalog, writing
/// to `out`: what `main` does for a command, with any catalog (tests use
/// one with a guide of their own).
pub fn run_args<I, T>(
    catalog: &'static Catalog,
    args: I,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = Cli::try_parse_from(args)?;
    let Some(command) = cli.command else {
        bail!("run_args needs a command");
    };
    run_command(catalog, cli.state_dir, cli.wait, command, out)
}

fn run_command(
    catalog: &'static Catalog,
    state_dir: Option<PathBuf>,
    wait: std::time::Duration,
    command: Command,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let ctx = commands::Ctx {
        catalog,
        state_dir,
        wait,
    };
    let mut out = out;
    match command {
        Command::Plans {
            action: Some(PlansAction::Import { file }),
            ..
        } => commands::import_plan(&ctx, &file, &mut out)?,
        Command::Plans { json, action: None } => commands::plans(&ctx, json, &mut out)?,
        Command::New(args) => commands::new(&ctx, &args, &mut out)?,
        Command::Status { plan, json } => commands::status(&ctx, &plan, json, &mut out)?,
        Command::Lookup(args) => commands::lookup(&ctx, &args, &mut out)?,
        Command::Links { guide, json } => commands::links(&ctx, guide.as_deref(), json, &mut out)?,
        Command::Set {
            plan,
            item,
            value,
            owner,
            due,
            state,
            reason,
        } => {
            let args = commands::SetArgs {
                value: value.as_deref(),
                owner: owner.as_deref(),
                due: due.as_deref(),
                state: state.as_deref(),
                reason: reason.as_deref(),
            };
            commands::set(&ctx, &plan, &item, &args, &mut out)?
        }
        Command::Note { plan, item, text } => commands::note(&ctx, &plan, &item, &text, &mut out)?,
        Command::Import {
            plan,
            file,
            replace,
            merge,
            undo,
            json,
        } => {
            let mode = match (replace, merge) {
                (true, _) => Some(crate::estate::Mode::Replace),
                (_, true) => Some(crate::estate::Mode::Merge),
                _ => None,
            };
            let args = commands::ImportArgs {
                file: file.as_deref(),
                mode,
                undo,
                json,
            };
            commands::import(&ctx, &plan, &args, &mut out)?
        }
        Command::ImportTasks {
            plan,
            file,
            dry_run,
            json,
        } => commands::import_tasks(&ctx, &plan, &file, dry_run, json, &mut out)?,
        Command::Roles { plan, action } => match action {
            RolesAction::List { json } => roles::list(&ctx, &plan, json, &mut out)?,
            RolesAction::Add {
                template,
                name,
                group,
                permissions,
            } => {
                let args = roles::AddRole {
                    template: template.as_deref(),
                    name: name.as_deref(),
                    group: group.as_deref(),
                    permissions: &permissions,
                };
                roles::add(&ctx, &plan, &args, &mut out)?
            }
            RolesAction::Remove { role } => roles::remove(&ctx, &plan, &role, &mut out)?,
        },
        Command::Review {
            plan,
            guides,
            undo,
            json,
        } => roles::review(&ctx, &plan, &guides, undo, json, &mut out)?,
        Command::Export {
            plan,
            format,
            output,
        } => commands::export(&ctx, &plan, format, output.as_deref(), &mut out)?,
        Command::Completions { shell } => {
            // Into memory first: generate() panics on a failed write.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "mde-migrate", &mut script);
            out.write_all(&script)?;
        }
        Command::Manpage => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut page)
                .context("writing the manual page")?;
            out.write_all(&page)?;
        }
    }
    out.flush().context("writing to standard output")?;
    Ok(ExitCode::SUCCESS)
}

/// Fail with the valid guide ids when `id` is not one.
pub(crate) fn check_guide<'c>(catalog: &'c Catalog, id: &str) -> anyhow::Result<&'c Guide> {
    match catalog.guide(id) {
        Some(g) => Ok(g),
        None => bail!(
            "unknown guide {:?}; use one of: {}",
            crate::sanitize::line(id),
            catalog.guide_ids().join(", ")
        ),
    }
}
