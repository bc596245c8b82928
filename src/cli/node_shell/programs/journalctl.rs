//! `journalctl [-u UNIT] [-n N] [--no-pager] [-f]`: the node's journal in journalctl's
//! short format (`Dec 06 19:00:00 master kubelet[1234]: ...`), oldest first.

use super::NodeCtx;
use crate::cli::Io;
use crate::cli::errors::CliError;
use crate::nodefs::journal;
use chrono::{DateTime, Utc};

const UNITS: &[&str] = &["kubelet", "containerd"];

pub fn run(ctx: &NodeCtx, args: &[String], io: &mut Io) -> i32 {
    let mut units: Vec<String> = Vec::new();
    let mut lines: Option<usize> = None;
    let mut follow = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let value = |flag: &str, it: &mut std::slice::Iter<String>| -> Option<String> {
            if a == flag {
                it.next().cloned()
            } else {
                a.strip_prefix(flag)
                    .map(|v| v.trim_start_matches('=').to_string())
            }
        };
        if let Some(u) = value("--unit", &mut it).or_else(|| value("-u", &mut it)) {
            units.push(u.strip_suffix(".service").unwrap_or(&u).to_string());
        } else if let Some(n) = value("--lines", &mut it).or_else(|| value("-n", &mut it)) {
            match n.parse() {
                Ok(n) => lines = Some(n),
                Err(_) => {
                    let _ = writeln!(io.err, "Failed to parse lines '{n}'.");
                    return 1;
                }
            }
        } else if a == "-f" || a == "--follow" {
            follow = true;
        } else if matches!(
            a.as_str(),
            "--no-pager" | "-x" | "-e" | "-l" | "--full" | "-b" | "--no-hostname"
        ) {
        } else {
            let _ = writeln!(
                io.err,
                "journalctl: kubelite's journalctl knows -u UNIT, -n N, -f and --no-pager, not {a}"
            );
            return 1;
        }
    }
    let shown: Vec<String> = if units.is_empty() {
        UNITS.iter().map(|u| u.to_string()).collect()
    } else {
        units
    };
    let mut entries: Vec<(DateTime<Utc>, Tie, String, String)> = Vec::new();
    for unit in &shown {
        for (at, line) in journal::read(&ctx.home, &ctx.node, unit).unwrap_or_default() {
            entries.push((at, Tie::of_written(&line), unit.clone(), line));
        }
    }
    if shown.iter().any(|u| u == "kubelet") {
        match kubelet_did(ctx, io) {
            Ok(lines) => entries.extend(
                lines
                    .into_iter()
                    .map(|(at, line)| (at, Tie::Acting, "kubelet".to_string(), line)),
            ),
            Err(e) => {
                e.report(io.err);
                return 1;
            }
        }
    }
    // Stable: lines of the same time and kind keep the order they were written in.
    entries.sort_by_key(|e| (e.0, e.1));
    if let Some(n) = lines {
        entries.drain(..entries.len().saturating_sub(n));
    }
    if entries.is_empty() && !follow {
        let _ = writeln!(io.out, "-- No entries --");
        return 0;
    }
    for (at, _, unit, line) in &entries {
        let _ = io
            .out
            .write_all(entry(ctx, unit, pid(ctx, unit), *at, line).as_bytes());
    }
    if follow {
        let _ = io.out.flush();
        return follow_units(ctx, &shown, io);
    }
    0
}

/// Where a line goes among lines of the same second: the cluster's clock counts whole
/// seconds, and within one a unit that starts, acts and stops does so in that order (the
/// kubelet's doings, derived from its events, cannot follow its stop).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tie {
    Starting,
    Acting,
    Stopping,
}

impl Tie {
    /// A line of the node's journal file: systemd's stop lines come last.
    fn of_written(line: &str) -> Tie {
        let stopping = ["Stopping ", "Stopped ", ": Deactivated successfully."];
        if line.starts_with(journal::SYSTEMD) && stopping.iter().any(|s| line.contains(s)) {
            Tie::Stopping
        } else {
            Tie::Starting
        }
    }
}

/// The most lines the kubelet's own doings add (its newest), so a long-lived cluster's
/// events do not flood the journal: journald's rotation drops old lines too.
const MAX_KUBELET_LINES: usize = 2000;

/// The kubelet's lines for what it did on the node: its registration and the events it
/// recorded (read from the cluster, or from the node's own view while the API server is
/// down), newest `MAX_KUBELET_LINES`.
fn kubelet_did(ctx: &NodeCtx, io: &mut Io) -> Result<Vec<(DateTime<Utc>, String)>, CliError> {
    use crate::kubelet::journal_lines;
    let mut lines = ctx.read(io, |client, _| {
        let mut lines = Vec::new();
        let nodes = crate::cli::node_shell::nodes()?;
        match client.get(nodes, None, &ctx.node) {
            Ok(node) => lines.extend(journal_lines::registration(&node)),
            Err(e) if e.code == 404 => {}
            Err(e) => return Err(e.into()),
        }
        let events = crate::cli::node_shell::resource("events")?;
        // The API server keeps the kubelets' events apart (`source` is the component);
        // which node's kubelet is told below.
        let kubelets = crate::api::options::ListOptions {
            field_selector: Some("source=kubelet".to_string()),
            ..Default::default()
        };
        let list = client.list(events, None, &kubelets)?;
        for event in list["items"].as_array().into_iter().flatten() {
            if journal_lines::is_kubelets(event, &ctx.node) {
                lines.extend(journal_lines::event_occurred(event, &ctx.node));
            }
        }
        Ok(lines)
    })?;
    lines.sort_by_key(|l| l.0);
    lines.drain(..lines.len().saturating_sub(MAX_KUBELET_LINES));
    Ok(lines)
}

fn pid(ctx: &NodeCtx, unit: &str) -> u32 {
    if unit == "kubelet" {
        ctx.kubelet_pid()
    } else {
        super::processes::pid_of(&format!("{}/{unit}", ctx.node))
    }
}

/// One entry as journalctl prints it.
pub fn entry(ctx: &NodeCtx, unit: &str, pid: u32, at: DateTime<Utc>, line: &str) -> String {
    let stamp = at.format("%b %d %H:%M:%S");
    match line.strip_prefix(journal::SYSTEMD) {
        Some(rest) => format!("{stamp} {} systemd[1]: {rest}\n", ctx.node),
        None => format!("{stamp} {} {unit}[{pid}]: {line}\n", ctx.node),
    }
}

/// `-f`: prints entries as they are appended, until interrupted.
fn follow_units(ctx: &NodeCtx, units: &[String], io: &mut Io) -> i32 {
    let mut seen: Vec<usize> = units
        .iter()
        .map(|u| {
            journal::read(&ctx.home, &ctx.node, u)
                .unwrap_or_default()
                .len()
        })
        .collect();
    loop {
        std::thread::sleep(std::time::Duration::from_millis(250));
        for (i, unit) in units.iter().enumerate() {
            let all = journal::read(&ctx.home, &ctx.node, unit).unwrap_or_default();
            // A rotated journal is shorter than what was seen: start over from its end.
            if all.len() < seen[i] {
                seen[i] = all.len();
            }
            for (at, line) in &all[seen[i]..] {
                if io
                    .out
                    .write_all(entry(ctx, unit, pid(ctx, unit), *at, line).as_bytes())
                    .is_err()
                {
                    return 0;
                }
            }
            seen[i] = all.len();
        }
        if io.out.flush().is_err() {
            return 0;
        }
    }
}
