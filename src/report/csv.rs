//! Spreadsheet round trips: the task list (one row per item) and the estate
//! with its gaps, as CSV that Excel, Planner and Azure Boards import (UTF-8
//! with a byte-order mark, CRLF, every cell quoted); and the task list read
//! back. Cells that a spreadsheet would run as a formula (starting with
//! `=`, `+`, `-`, `@`, a tab or a carriage return) are written with a `'`
//! in front, which the import removes again. Pure: bytes in, bytes or
//! changes out.

use std::collections::BTreeMap;

use crate::catalog::{Guide, Item};
use crate::plan::{Plan, PlanError, Status};
use crate::sanitize::{line, text};

/// The task list's columns, in order.
pub const TASK_COLUMNS: [&str; 10] = [
    "Step",
    "Item ID",
    "Title",
    "State",
    "Owner",
    "Due date",
    "Reason",
    "Note",
    "Link",
    "Work Item Type",
];

/// The estate list's columns, in order.
pub const ESTATE_COLUMNS: [&str; 5] = ["System ID", "System", "Devices", "Proxy gaps", "Note"];

/// Largest task CSV read back.
pub const MAX_TASK_CSV: usize = 4 * 1024 * 1024;

const BOM: &str = "\u{FEFF}";

/// A cell a spreadsheet would treat as a formula gets a `'` in front.
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// The reverse of [`neutralise`]: a `'` before a formula character goes.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

fn write_rows(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to memory cannot fail; a failure would only lose the row.
    let _ = w.write_record(header);
    for r in rows {
        let _ = w.write_record(r.iter().map(|c| neutralise(c)));
    }
    let bytes = w.into_inner().unwrap_or_default();
    format!("{BOM}{}", String::from_utf8_lossy(&bytes))
}

/// The state word a task list uses: "done", "to do", "not applicable",
/// "blocked", "waiting", "not answered".
fn state_cell(plan: &Plan, guide: &Guide, item: &Item) -> &'static str {
    plan.item_state(guide, item).word()
}

/// What the task list shows for an item: owner, due, reason, note (cleaned,
/// as exported; line breaks of a note kept).
fn cells(plan: &Plan, item: &Item) -> (String, String, String, String) {
    let a = plan.answer(&item.id);
    (
        a.map(|a| line(&a.owner).into_owned()).unwrap_or_default(),
        a.and_then(|a| a.due.as_deref())
            .map(|d| line(d).into_owned())
            .unwrap_or_default(),
        a.map(|a| line(&a.reason).into_owned()).unwrap_or_default(),
        a.map(|a| text(&a.note).into_owned()).unwrap_or_default(),
    )
}

/// The task list of a plan: every item that counts for it, in guide order.
pub fn tasks(plan: &Plan, guide: &Guide) -> String {
    let flags = plan.flags(guide);
    let mut rows = Vec::new();
    for step in &guide.steps {
        for item in plan.relevant_items(step, &flags) {
            let (owner, due, reason, note) = cells(plan, item);
            let link = plan
                .item_links(guide, item)
                .first()
                .map(|l| l.url.clone())
                .unwrap_or_default();
            rows.push(vec![
                step.title.clone(),
                item.id.clone(),
                item.label.clone(),
                state_cell(plan, guide, item).to_string(),
                owner,
                due,
                reason,
                note,
                link,
                "Task".to_string(),
            ]);
        }
    }
    write_rows(&TASK_COLUMNS, &rows)
}

/// The estate: one row per system with its devices and the proxy tables it
/// has no row in, then the devices no system of the guide covers.
pub fn estate(plan: &Plan, catalog: &crate::catalog::Catalog, guide: &Guide) -> String {
    let gaps = plan.gaps(guide);
    let mut rows = Vec::new();
    for (id, n) in &plan.estate.systems {
        let name = guide
            .system(id)
            .map_or_else(|| line(id).into_owned(), |s| s.name.clone());
        let missing: Vec<String> = gaps
            .iter()
            .filter(|g| g.systems.iter().any(|s| &s.id == id))
            .map(|g| format!("no {} row", g.value))
            .collect();
        let note = if guide.system(id).is_none() {
            "not a system of this guide".to_string()
        } else {
            String::new()
        };
        rows.push(vec![
            line(id).into_owned(),
            name,
            n.map(|n| n.to_string()).unwrap_or_default(),
            missing.join("; "),
            note,
        ]);
    }
    for u in plan.unmatched(catalog, guide) {
        rows.push(vec![
            String::new(),
            line(&u.name).into_owned(),
            u.devices.to_string(),
            "not in the guide's tables".to_string(),
            line(&u.text(guide)).into_owned(),
        ]);
    }
    write_rows(&ESTATE_COLUMNS, &rows)
}

/// Why a task CSV is refused: the row and column of the first bad value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaskCsvError {
    #[error("the file is larger than {} MB; a task list is far smaller", MAX_TASK_CSV / 1024 / 1024)]
    TooLarge,
    #[error("the file is not UTF-8 text; save it as \"CSV UTF-8\"")]
    NotText,
    #[error("the file is empty: export the task list with `export PLAN --format csv` first")]
    Empty,
    #[error("row {row}: {detail}")]
    Syntax { row: usize, detail: String },
    #[error(
        "the header (row 1) has no \"Item ID\" column; keep the header of the exported task list"
    )]
    NoItemColumn,
    #[error("row {row}, column \"{column}\": {detail}")]
    Value {
        row: usize,
        column: &'static str,
        detail: String,
    },
}

/// What an import would change, and the rows it could not match.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct TaskImport {
    /// "item: what changed", one per changed field.
    pub changes: Vec<TaskChange>,
    /// Rows whose item id is not an item of the guide.
    pub unmatched: Vec<UnmatchedRow>,
    /// Rows read (the header not counted).
    pub rows: usize,
}

/// A row of the task list that names no item of the guide (left out).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnmatchedRow {
    pub row: usize,
    /// The item id as the row gave it, cleaned.
    pub item: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TaskChange {
    pub row: usize,
    pub item: String,
    /// "state", "owner", "due", "reason" or "note".
    pub field: &'static str,
    /// Cleaned.
    pub from: String,
    /// Cleaned.
    pub to: String,
}

/// The state a task-list cell names; "not answered" is a state of its own.
fn parse_state(cell: &str) -> Option<Option<Status>> {
    let folded = cell.trim().to_lowercase().replace(['_', '-'], " ");
    if matches!(folded.as_str(), "not answered" | "unanswered" | "") {
        return Some(None);
    }
    Status::parse(cell).map(Some)
}

/// Read a task list back into `plan`: all or nothing. On success the plan
/// holds every change and the result lists them; on an error the plan is as
/// it was.
pub fn import_tasks(
    plan: &mut Plan,
    guide: &Guide,
    bytes: &[u8],
    now: &str,
) -> Result<TaskImport, TaskCsvError> {
    if bytes.len() > MAX_TASK_CSV {
        return Err(TaskCsvError::TooLarge);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| TaskCsvError::NotText)?;
    let text = text.strip_prefix(BOM).unwrap_or(text);
    if text.contains('\0') {
        return Err(TaskCsvError::NotText);
    }
    let first = text.lines().next().unwrap_or("");
    if first.trim().is_empty() {
        return Err(TaskCsvError::Empty);
    }
    // Spreadsheets in some locales save with semicolons.
    let delimiter = if !first.contains(',') && first.contains(';') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        None => return Err(TaskCsvError::Empty),
        Some(Err(e)) => {
            return Err(TaskCsvError::Syntax {
                row: 1,
                detail: e.to_string(),
            });
        }
        Some(Ok(h)) => h,
    };
    let col = |name: &str| {
        header
            .iter()
            .position(|h| restore(h).trim().eq_ignore_ascii_case(name))
    };
    let Some(id_col) = col("Item ID") else {
        return Err(TaskCsvError::NoItemColumn);
    };
    let state_col = col("State");
    let owner_col = col("Owner");
    let due_col = col("Due date");
    let reason_col = col("Reason");
    let note_col = col("Note");

    let mut work = plan.clone();
    let mut out = TaskImport::default();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, record) in records.enumerate() {
        let row = i + 2;
        let record = record.map_err(|e| TaskCsvError::Syntax {
            row,
            detail: e.to_string(),
        })?;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        out.rows += 1;
        let cell = |c: Option<usize>| {
            c.and_then(|c| record.get(c))
                .map(|v| restore(v).replace("\r\n", "\n").replace('\r', "\n"))
        };
        let id = cell(Some(id_col)).unwrap_or_default().trim().to_string();
        let Some((_, item)) = guide.item(&id) else {
            out.unmatched.push(UnmatchedRow {
                row,
                item: line(&id).into_owned(),
            });
            continue;
        };
        if let Some(first) = seen.insert(id.clone(), row) {
            return Err(TaskCsvError::Value {
                row,
                column: "Item ID",
                detail: format!("item {id:?} is on row {first} already; keep one row per item"),
            });
        }
        let bad = |column: &'static str, e: PlanError| TaskCsvError::Value {
            row,
            column,
            detail: e.to_string(),
        };
        let (owner0, due0, reason0, note0) = cells(&work, item);
        let state0 = state_cell(&work, guide, item);
        let mut change = |field: &'static str, from: &str, to: &str| {
            out.changes.push(TaskChange {
                row,
                item: id.clone(),
                field,
                from: line(from).into_owned(),
                to: line(to).into_owned(),
            });
        };
        let new_reason = cell(reason_col).map(|r| r.trim().to_string());
        let reason_changed = new_reason.as_deref().is_some_and(|r| r != reason0);
        if let Some(s) = cell(state_col)
            && s.trim() != state0
        {
            let Some(wanted) = parse_state(&s) else {
                return Err(TaskCsvError::Value {
                    row,
                    column: "State",
                    detail: format!(
                        "{:?} is not a state; use one of: done, to do, not applicable, blocked, waiting",
                        line(s.trim())
                    ),
                });
            };
            let reason = new_reason.clone().unwrap_or_else(|| reason0.clone());
            match wanted {
                Some(st) => work
                    .set_state(
                        guide,
                        &id,
                        st,
                        if st.takes_reason() { &reason } else { "" },
                        now,
                    )
                    .map_err(|e| match e {
                        PlanError::ReasonRequired { .. } => bad("Reason", e),
                        e => bad("State", e),
                    })?,
                None => work.set_status(&id, None, now),
            }
            let state1 = state_cell(&work, guide, item);
            // An answered choice or text is done by its answer: "to do"
            // cannot reopen it from a spreadsheet.
            if state1 == "done" && matches!(wanted, None | Some(Status::Todo)) {
                return Err(TaskCsvError::Value {
                    row,
                    column: "State",
                    detail: format!(
                        "{id:?} is {state1} by its answer; change the answer in the wizard or with `set`"
                    ),
                });
            }
            if state1 != state0 {
                change("state", state0, state1);
            }
        } else if reason_changed {
            let current = work.answer(&id).and_then(|a| a.status);
            match current {
                Some(st) if st.takes_reason() => {
                    let r = new_reason.clone().unwrap_or_default();
                    work.set_state(guide, &id, st, &r, now)
                        .map_err(|e| bad("Reason", e))?;
                }
                _ => {
                    return Err(TaskCsvError::Value {
                        row,
                        column: "Reason",
                        detail: format!(
                            "a reason goes with not applicable, blocked or waiting, and {id:?} is {state0}"
                        ),
                    });
                }
            }
        }
        let reason1 = cells(&work, item).2;
        if reason1 != reason0 {
            change("reason", &reason0, &reason1);
        }
        if let Some(o) = cell(owner_col)
            && o.trim() != owner0
        {
            work.set_owner(&id, &o, now).map_err(|e| bad("Owner", e))?;
            change("owner", &owner0, o.trim());
        }
        if let Some(d) = cell(due_col)
            && d.trim() != due0
        {
            work.set_due(&id, &d, now).map_err(|e| bad("Due date", e))?;
            change("due", &due0, d.trim());
        }
        if let Some(n) = cell(note_col)
            && n.trim_end() != note0
        {
            work.set_note(&id, &n, now).map_err(|e| bad("Note", e))?;
            change("note", &note0, n.trim_end());
        }
    }
    *plan = work;
    Ok(out)
}
