//! Help and usage text, laid out as etcdctl's template lays it out: sections, then flag and
//! command lists aligned with tabs the way Go's text/tabwriter (tab padding, width 8) does.

use super::flags::{FlagSpec, GLOBAL_FLAGS, usage_left};
use super::spec::{CommandSpec, ROOT_LISTING};

/// Joins rows of cells with tabs so that every cell but the last of each row ends at the
/// same tab stop: the widest cell plus one, rounded up to a multiple of 8.
fn tab_align(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(|r| r.len()).max().unwrap_or(0);
    let mut widths = vec![0usize; columns];
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(row.len().saturating_sub(1)) {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            out.push_str(cell);
            if i + 1 < row.len() {
                let stop = (widths[i] + 1).div_ceil(8) * 8;
                let tabs = stop / 8 - cell.chars().count() / 8;
                out.push_str(&"\t".repeat(tabs));
            }
        }
        out.push('\n');
    }
    out
}

fn flag_rows(flags: &[FlagSpec]) -> Vec<Vec<String>> {
    let mut sorted: Vec<&FlagSpec> = flags.iter().collect();
    sorted.sort_by_key(|f| f.name);
    sorted
        .into_iter()
        .map(|f| vec![usage_left(f), f.usage.to_string()])
        .collect()
}

/// The usage text of a command (what `etcdctl <cmd> --help` prints), `path` being its
/// words, e.g. `["endpoint", "status"]`.
pub fn command_usage(path: &[&str], cmd: &CommandSpec) -> String {
    let mut out = String::new();
    let full = path.join(" ");
    out.push_str(&format!("NAME:\n\t{full} - {}\n\n", cmd.short));
    let use_line = match cmd.use_args {
        "" => format!("etcdctl {full} [flags]"),
        args => format!("etcdctl {full} {args} [flags]"),
    };
    out.push_str(&format!("USAGE:\n\t{use_line}\n\n"));
    if !cmd.subcommands.is_empty() {
        out.push_str("API VERSION:\n\t3.4\n\n\n");
        let rows: Vec<Vec<String>> = cmd
            .subcommands
            .iter()
            .map(|s| vec![String::new(), s.name.to_string(), s.short.to_string()])
            .collect();
        out.push_str("COMMANDS:\n");
        out.push_str(&tab_align(&rows));
        out.push('\n');
    }
    if !cmd.long.is_empty() {
        out.push_str("DESCRIPTION:\n");
        for line in cmd.long.split('\n') {
            out.push('\t');
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
    }
    let mut local: Vec<FlagSpec> = cmd.flags.to_vec();
    local.push(help_flag(path.last().copied().unwrap_or("etcdctl")));
    out.push_str("OPTIONS:\n");
    out.push_str(&tab_align(&flag_rows(&local)));
    out.push_str("\nGLOBAL OPTIONS:\n");
    let mut global = GLOBAL_FLAGS.to_vec();
    global.extend_from_slice(inherited_flags(path));
    out.push_str(&tab_align(&flag_rows(&global)));
    out.push('\n');
    out
}

/// Flags a subcommand inherits from its parent group (`endpoint --cluster`).
pub fn inherited_flags(path: &[&str]) -> &'static [FlagSpec] {
    match path {
        ["endpoint", _] => super::spec::ENDPOINT_FLAGS,
        _ => &[],
    }
}

fn help_flag(name: &str) -> FlagSpec {
    // The help text names the command; leak-free since the set of names is tiny and static.
    let usage: &'static str = match name {
        "get" => "help for get",
        "put" => "help for put",
        "del" => "help for del",
        "txn" => "help for txn",
        "watch" => "help for watch",
        "compaction" => "help for compaction",
        "endpoint" => "help for endpoint",
        "health" => "help for health",
        "status" => "help for status",
        "hashkv" => "help for hashkv",
        "member" => "help for member",
        "snapshot" => "help for snapshot",
        "save" => "help for save",
        "restore" => "help for restore",
        "list" => "help for list",
        "version" => "help for version",
        "lease" => "help for lease",
        "alarm" => "help for alarm",
        "disarm" => "help for disarm",
        "defrag" => "help for defrag",
        "grant" => "help for grant",
        "revoke" => "help for revoke",
        "timetolive" => "help for timetolive",
        "keep-alive" => "help for keep-alive",
        "help" => "help for help",
        _ => "help for etcdctl",
    };
    super::flags::short("help", 'h', super::flags::Kind::Bool, "false", usage)
}

/// What `etcdctl` alone (or `etcdctl --help`) prints.
pub fn root_usage() -> String {
    let mut out = String::from(
        "NAME:\n\tetcdctl - A simple command line client for etcd3.\n\nUSAGE:\n\tetcdctl [flags]\n\n",
    );
    out.push_str("VERSION:\n\t3.4.23\n\nAPI VERSION:\n\t3.4\n\n\nCOMMANDS:\n");
    let rows: Vec<Vec<String>> = ROOT_LISTING
        .iter()
        .map(|(name, short)| vec![String::new(), name.to_string(), short.to_string()])
        .collect();
    out.push_str(&tab_align(&rows));
    out.push_str("\nOPTIONS:\n");
    let mut flags = GLOBAL_FLAGS.to_vec();
    flags.push(help_flag("etcdctl"));
    out.push_str(&tab_align(&flag_rows(&flags)));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_to_tab_stops_after_the_widest_cell() {
        let rows = vec![
            vec![
                "      --print-value-only[=false]".to_string(),
                "x".to_string(),
            ],
            vec!["      --rev=0".to_string(), "y".to_string()],
        ];
        assert_eq!(
            tab_align(&rows),
            "      --print-value-only[=false]\tx\n      --rev=0\t\t\t\ty\n"
        );
    }
}
