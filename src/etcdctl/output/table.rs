//! `-w table`: bordered ASCII tables as etcdctl draws them (Go tablewriter: `+-` borders,
//! centered headers, right-aligned cells, no lines between rows). Only the cluster views
//! have a table; key-value responses fail with etcdctl's message.

use std::io::{self, Write};

use comfy_table::{
    Cell, CellAlignment, ContentArrangement, ContentLineStyle, LineStyle, Table, TableStyle,
};

use super::{HealthView, MemberView, StatusView, humanize_bytes};

/// `+---+` borders and header line, `|` between cells, no lines between rows.
const ETCDCTL_STYLE: TableStyle = TableStyle::new()
    .top_border(LineStyle::new('+', '-', '+', '+'))
    .header_lines(ContentLineStyle::new('|', '|', '|'))
    .header_separator(LineStyle::new('+', '-', '+', '+'))
    .content_lines(ContentLineStyle::new('|', '|', '|'))
    .bottom_border(LineStyle::new('+', '-', '+', '+'));

/// Centers a header in its column with the extra space on the right, as tablewriter does
/// (comfy-table would put it on the left).
fn centered(text: &str, width: usize) -> String {
    let gap = width.saturating_sub(text.chars().count());
    format!("{}{text}{}", " ".repeat(gap / 2), " ".repeat(gap - gap / 2))
}

/// tablewriter's widest cell before it wraps a cell's words onto more lines.
const MAX_CELL: usize = 30;

/// A cell wider than [`MAX_CELL`] as tablewriter wraps it: words joined greedily into lines
/// of at most that width (a word longer stays whole), the column then that wide, each line
/// right-aligned in it.
fn wrapped(text: &str) -> String {
    if text.chars().count() <= MAX_CELL {
        return text.to_string();
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line: Option<String> = None;
    for word in text.split(' ') {
        line = Some(match line {
            None => word.to_string(),
            Some(l) if l.chars().count() + 1 + word.chars().count() <= MAX_CELL => {
                format!("{l} {word}")
            }
            Some(l) => {
                lines.push(l);
                word.to_string()
            }
        });
    }
    lines.extend(line);
    let width = lines
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
        .max(MAX_CELL);
    lines
        .iter()
        .map(|l| format!("{l:>width$}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn render(w: &mut dyn Write, header: &[&str], rows: Vec<Vec<String>>) -> io::Result<()> {
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .flat_map(|c| c.lines().map(|l| l.chars().count()))
                .chain([header[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut table = Table::new();
    table.load_style(ETCDCTL_STYLE);
    table.set_content_arrangement(ContentArrangement::Disabled);
    table.set_header(
        header
            .iter()
            .zip(&widths)
            .map(|(h, &wd)| Cell::new(centered(h, wd))),
    );
    for row in rows {
        table.add_row(
            row.into_iter()
                .map(|c| Cell::new(c).set_alignment(CellAlignment::Right)),
        );
    }
    writeln!(w, "{table}")
}

pub fn member_list(w: &mut dyn Write, members: &[MemberView]) -> io::Result<()> {
    let rows = members
        .iter()
        .map(|m| {
            vec![
                format!("{:x}", m.id),
                if m.name.is_empty() {
                    "unstarted"
                } else {
                    "started"
                }
                .to_string(),
                m.name.clone(),
                m.peer_urls.join(","),
                m.client_urls.join(","),
                m.is_learner.to_string(),
            ]
        })
        .collect();
    render(
        w,
        &[
            "ID",
            "STATUS",
            "NAME",
            "PEER ADDRS",
            "CLIENT ADDRS",
            "IS LEARNER",
        ],
        rows,
    )
}

pub fn endpoint_status(w: &mut dyn Write, statuses: &[StatusView]) -> io::Result<()> {
    let rows = statuses
        .iter()
        .map(|s| {
            vec![
                s.endpoint.clone(),
                format!("{:x}", s.hdr.member_id),
                s.version.clone(),
                humanize_bytes(s.db_size),
                (s.leader == s.hdr.member_id).to_string(),
                s.is_learner.to_string(),
                s.raft_term.to_string(),
                s.raft_index.to_string(),
                s.raft_applied_index.to_string(),
                wrapped(&s.errors.join(", ")),
            ]
        })
        .collect();
    render(
        w,
        &[
            "ENDPOINT",
            "ID",
            "VERSION",
            "DB SIZE",
            "IS LEADER",
            "IS LEARNER",
            "RAFT TERM",
            "RAFT INDEX",
            "RAFT APPLIED INDEX",
            "ERRORS",
        ],
        rows,
    )
}

pub fn endpoint_health(w: &mut dyn Write, healths: &[HealthView]) -> io::Result<()> {
    let rows = healths
        .iter()
        .map(|h| {
            vec![
                h.endpoint.clone(),
                h.health.to_string(),
                h.took.clone(),
                h.error.clone(),
            ]
        })
        .collect();
    render(w, &["ENDPOINT", "HEALTH", "TOOK", "ERROR"], rows)
}

/// `snapshot status -w table`: one row.
pub fn snapshot_status(w: &mut dyn Write, row: Vec<String>) -> io::Result<()> {
    render(
        w,
        &["HASH", "REVISION", "TOTAL KEYS", "TOTAL SIZE"],
        vec![row],
    )
}
