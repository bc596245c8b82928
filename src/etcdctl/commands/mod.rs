//! Finding the command, parsing its flags, and the session the commands run in.

mod alarm;
mod compaction;
mod defrag;
mod del;
mod endpoint;
mod get;
mod keyrange;
mod lease;
mod member;
mod member_ids;
mod put;
mod snapshot;
mod txn;
mod txn_parse;
mod version;
mod watch;

use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::errors::{self, EXIT_BAD_FEATURE, EXIT_ERROR, Failure};
use super::flags::{self, FlagSpec, GLOBAL_FLAGS, Parsed};
use super::output::{Format, Hdr};
use super::spec::{self, CommandSpec};
use super::usage;
use super::{Backend, ConnectOptions, EtcdctlContext};

/// A command ready to run: its parsed flags and arguments, and the connection.
pub(crate) struct Session<'c, 'a> {
    pub ctx: &'c mut EtcdctlContext<'a>,
    pub parsed: Parsed,
    pub local: &'static [FlagSpec],
    pub args: Vec<String>,
    pub opts: ConnectOptions,
    backend: Option<Box<dyn Backend>>,
    identity: Option<Hdr>,
}

impl Session<'_, '_> {
    fn specs(&self) -> [&'static [FlagSpec]; 2] {
        [self.local, GLOBAL_FLAGS]
    }

    pub fn flag_bool(&self, name: &str) -> bool {
        self.parsed.bool(&self.specs(), name)
    }

    pub fn flag_int(&self, name: &str) -> i64 {
        self.parsed.int(&self.specs(), name)
    }

    pub fn flag_str(&self, name: &str) -> String {
        self.parsed.string(&self.specs(), name)
    }

    pub fn hex(&self) -> bool {
        self.flag_bool("hex")
    }

    /// The `-w` format; an unknown one fails as etcdctl does.
    pub fn format(&self) -> Result<Format, Failure> {
        Format::parse(&self.flag_str("write-out"))
            .ok_or_else(|| Failure::Exit(EXIT_BAD_FEATURE, "unsupported output format".into()))
    }

    pub fn backend(&mut self) -> Result<&dyn Backend, Failure> {
        if self.backend.is_none() {
            let b = (self.ctx.connect)(&self.opts).map_err(|e| {
                if e == UNREACHABLE {
                    Failure::Unreachable
                } else {
                    Failure::Exit(EXIT_ERROR, e)
                }
            })?;
            b.expire_leases()?;
            self.backend = Some(b);
        }
        match &self.backend {
            Some(b) => Ok(b.as_ref()),
            None => Err(Failure::Exit(EXIT_ERROR, "no backend".into())),
        }
    }

    /// The response header for a store revision (identity asked once per command).
    pub fn hdr(&mut self, revision: i64) -> Result<Hdr, Failure> {
        if self.identity.is_none() {
            let (cluster_id, member_id, raft_term) = self.backend()?.header_identity()?;
            self.identity = Some(Hdr {
                cluster_id,
                member_id,
                revision: 0,
                raft_term,
            });
        }
        let id = self.identity.unwrap_or_default();
        Ok(Hdr { revision, ..id })
    }

    /// Waits `pause` unless the command's limits end it first: `Ok(false)` at the deadline
    /// (counted from `started`), the stop flag's quiet exit when it is set.
    pub fn wait_or_stop(&self, started: Instant, pause: Duration) -> Result<bool, Failure> {
        let limits = &self.ctx.watch;
        let until = Instant::now() + pause;
        loop {
            if limits
                .stop
                .as_ref()
                .is_some_and(|f| f.load(Ordering::SeqCst))
            {
                return Err(Failure::Quiet(EXIT_STOPPED));
            }
            if limits.deadline.is_some_and(|d| started.elapsed() >= d) {
                return Ok(false);
            }
            let now = Instant::now();
            if now >= until {
                return Ok(true);
            }
            std::thread::sleep((until - now).min(STOP_POLL));
        }
    }

    pub fn first_endpoint(&self) -> String {
        self.opts.endpoints.first().cloned().unwrap_or_default()
    }
}

/// How often a long wait looks at the stop flag and the deadline.
const STOP_POLL: Duration = Duration::from_millis(100);

/// Exit status when the stop flag ends a command that runs until interrupted (`watch`,
/// `lease keep-alive`): what a shell shows for a process SIGINT killed, as it kills etcdctl.
pub(crate) const EXIT_STOPPED: i32 = 130;

/// What a connector returns when no endpoint answered (as [`super::connect_etcd`] does).
pub(crate) const UNREACHABLE: &str = "context deadline exceeded";

/// `table` is not a format for key-value responses.
pub(crate) fn table_unsupported() -> Failure {
    Failure::Exit(
        EXIT_BAD_FEATURE,
        "table not supported as output format".into(),
    )
}

type Runner = fn(&mut Session) -> Result<(), Failure>;

/// What a command line resolves to.
#[derive(Clone, Copy)]
enum Action {
    Run(Runner),
    /// A command group: cobra shows its help.
    Help,
    /// An etcdctl command kubelite does not run (it needs a real cluster's internals).
    Unsupported,
}

/// The runnable commands: their words, spec and implementation.
fn lookup(words: &[String]) -> Option<(usize, &'static CommandSpec, Action)> {
    let first = resolve(words.first()?, TOP_COMMANDS)?;
    let second = match first {
        "endpoint" => words
            .get(1)
            .and_then(|w| resolve(w, &["hashkv", "health", "status"])),
        "member" => words
            .get(1)
            .and_then(|w| resolve(w, &["add", "list", "promote", "remove", "update"])),
        "snapshot" => words
            .get(1)
            .and_then(|w| resolve(w, &["restore", "save", "status"])),
        "lease" => words
            .get(1)
            .and_then(|w| resolve(w, &["grant", "keep-alive", "list", "revoke", "timetolive"])),
        "alarm" => words.get(1).and_then(|w| resolve(w, &["disarm", "list"])),
        _ => None,
    };
    Some(match first {
        "get" => (1, &spec::GET, Action::Run(get::run)),
        "put" => (1, &spec::PUT, Action::Run(put::run)),
        "del" => (1, &spec::DEL, Action::Run(del::run)),
        "txn" => (1, &spec::TXN, Action::Run(txn::run)),
        "watch" => (1, &spec::WATCH, Action::Run(watch::run)),
        "compaction" => (1, &spec::COMPACTION, Action::Run(compaction::run)),
        "version" => (1, &spec::VERSION, Action::Run(version::run)),
        "endpoint" => match second {
            Some("health") => (2, &spec::ENDPOINT_HEALTH, Action::Run(endpoint::health)),
            Some("status") => (2, &spec::ENDPOINT_STATUS, Action::Run(endpoint::status)),
            Some("hashkv") => (2, &spec::ENDPOINT_HASHKV, Action::Unsupported),
            _ => (1, &spec::ENDPOINT, Action::Help),
        },
        "member" => match second {
            Some("list") => (2, &spec::MEMBER_LIST, Action::Run(member::list)),
            Some(_) => (2, &spec::MEMBER, Action::Unsupported),
            None => (1, &spec::MEMBER, Action::Help),
        },
        "defrag" => (1, &spec::DEFRAG, Action::Run(defrag::run)),
        "alarm" => match second {
            Some("list") => (2, &spec::ALARM_LIST, Action::Run(alarm::list)),
            Some("disarm") => (2, &spec::ALARM_DISARM, Action::Run(alarm::disarm)),
            _ => (1, &spec::ALARM, Action::Help),
        },
        "lease" => match second {
            Some("grant") => (2, &spec::LEASE_GRANT, Action::Run(lease::grant)),
            Some("revoke") => (2, &spec::LEASE_REVOKE, Action::Run(lease::revoke)),
            Some("timetolive") => (2, &spec::LEASE_TIMETOLIVE, Action::Run(lease::time_to_live)),
            Some("list") => (2, &spec::LEASE_LIST, Action::Run(lease::list)),
            Some("keep-alive") => (2, &spec::LEASE_KEEP_ALIVE, Action::Run(lease::keep_alive)),
            _ => (1, &spec::LEASE, Action::Help),
        },
        "snapshot" => match second {
            Some("save") => (2, &spec::SNAPSHOT_SAVE, Action::Run(snapshot::save)),
            Some("status") => (2, &spec::SNAPSHOT_STATUS, Action::Run(snapshot::status)),
            Some("restore") => (2, &spec::SNAPSHOT_RESTORE, Action::Run(snapshot::restore)),
            _ => (1, &spec::SNAPSHOT, Action::Help),
        },
        _ => return None,
    })
}

/// Every top-level command of etcdctl 3.4.
const TOP_COMMANDS: &[&str] = &[
    "alarm",
    "auth",
    "check",
    "compaction",
    "completion",
    "defrag",
    "del",
    "elect",
    "endpoint",
    "get",
    "help",
    "lease",
    "lock",
    "make-mirror",
    "member",
    "migrate",
    "move-leader",
    "put",
    "role",
    "snapshot",
    "txn",
    "user",
    "version",
    "watch",
];

/// A command word as cobra (with prefix matching on) resolves it: the exact name, or the
/// one name it is an unambiguous prefix of.
fn resolve(word: &str, names: &[&'static str]) -> Option<&'static str> {
    if let Some(n) = names.iter().find(|n| **n == word) {
        return Some(n);
    }
    let mut matches = names
        .iter()
        .filter(|n| !word.is_empty() && n.starts_with(word));
    match (matches.next(), matches.next()) {
        (Some(n), None) => Some(n),
        _ => None,
    }
}

/// Local flags a command path may use, for telling flag values from command words.
fn all_local_flags() -> Vec<&'static [FlagSpec]> {
    vec![
        spec::GET_FLAGS,
        spec::PUT_FLAGS,
        spec::DEL_FLAGS,
        spec::TXN_FLAGS,
        spec::WATCH_FLAGS,
        spec::COMPACTION_FLAGS,
        spec::ENDPOINT_FLAGS,
        spec::SNAPSHOT_RESTORE_FLAGS,
        spec::LEASE_TIMETOLIVE_FLAGS,
        spec::DEFRAG_FLAGS,
        spec::LEASE_KEEP_ALIVE_FLAGS,
        &[FlagSpec {
            name: "help",
            short: Some('h'),
            kind: flags::Kind::Bool,
            default: "false",
            usage: "",
        }],
        GLOBAL_FLAGS,
    ]
}

/// The leading words of the command line that are not flags or flag values.
fn command_words(args: &[String]) -> Vec<String> {
    let specs = all_local_flags();
    let mut words = Vec::new();
    let mut i = 0;
    // Three: `help snapshot restore` names a two-word command after `help`.
    while i < args.len() && words.len() < 3 {
        let a = &args[i];
        if a == "--" {
            break;
        }
        if a.starts_with('-') && a.len() > 1 {
            if flags::takes_separate_value(a, &specs) {
                i += 1;
            }
        } else {
            words.push(a.clone());
        }
        i += 1;
    }
    words
}

/// Removes the first `n` positional words (the command path) from the parsed arguments.
fn drop_words(parsed: &mut Parsed, n: usize) {
    let n = n
        .min(parsed.dash_at.unwrap_or(usize::MAX))
        .min(parsed.positional.len());
    parsed.positional.drain(..n);
    if let Some(d) = parsed.dash_at.as_mut() {
        *d -= n;
    }
}

fn flag_failure(ctx: &mut EtcdctlContext, usage_text: &str, msg: &str) -> i32 {
    let _ = ctx.stdout.write_all(usage_text.as_bytes());
    let _ = write!(ctx.stderr, "Error: {msg}\n\nError: {msg}\n");
    EXIT_ERROR
}

/// Cobra's "did you mean" candidates: within edit distance 2, or the typed word a prefix.
fn suggestions(typed: &str) -> Vec<&'static str> {
    TOP_COMMANDS
        .iter()
        .copied()
        .filter(|c| edit_distance(typed, c) <= 2 || c.starts_with(&typed.to_lowercase()))
        .collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

fn unknown_command(ctx: &mut EtcdctlContext, word: &str) -> i32 {
    let mut msg = format!("unknown command \"{word}\" for \"etcdctl\"");
    let near = suggestions(word);
    if !near.is_empty() {
        msg.push_str("\n\nDid you mean this?\n");
        for s in near {
            msg.push_str(&format!("\t{s}\n"));
        }
    }
    let _ = write!(
        ctx.stderr,
        "Error: {msg}\nRun 'etcdctl --help' for usage.\nError: {msg}\n"
    );
    EXIT_ERROR
}

/// Applies `ETCDCTL_*` variables to global flags not given on the command line.
fn apply_env(ctx: &mut EtcdctlContext, parsed: &mut Parsed) -> Result<(), i32> {
    let known: HashSet<&str> = GLOBAL_FLAGS.iter().map(|f| f.name).collect();
    let env = ctx.env.clone();
    let mut warnings = Vec::new();
    for (key, value) in &env {
        let Some(rest) = key.strip_prefix("ETCDCTL_") else {
            continue;
        };
        if rest == "API" {
            continue;
        }
        let name = rest.to_lowercase().replace('_', "-");
        let Some(spec) = GLOBAL_FLAGS
            .iter()
            .find(|f| f.name == name && known.contains(f.name))
        else {
            warnings.push(format!(
                "{} W | pkg/flags: unrecognized environment variable {key}={value}\n",
                errors::log_stamp_now()
            ));
            continue;
        };
        if parsed.is_set(spec.name) {
            let _ = writeln!(
                ctx.stderr,
                "{} C | pkg/flags: conflicting environment variable \"{key}\" is shadowed by corresponding command-line flag (either unset environment variable or disable flag)",
                errors::log_stamp_now()
            );
            return Err(EXIT_ERROR);
        }
        if let Err(e) = flags::check_env(spec, value) {
            let _ = writeln!(
                ctx.stderr,
                "{} C | pkg/flags: {}",
                errors::log_stamp_now(),
                e.0
            );
            return Err(EXIT_ERROR);
        }
        parsed.set_from_env(spec, value);
    }
    for w in warnings {
        let _ = ctx.stderr.write_all(w.as_bytes());
    }
    Ok(())
}

pub(crate) fn dispatch(args: &[String], ctx: &mut EtcdctlContext) -> i32 {
    let words = command_words(args);
    // `help <cmd...>` shows that command's usage.
    if words.first().and_then(|w| resolve(w, TOP_COMMANDS)) == Some("help") {
        let rest: Vec<String> = words[1..].to_vec();
        let text = match lookup(&rest) {
            Some((depth, cmd, _)) => usage::command_usage(&path_of(&rest, depth), cmd),
            None => usage::root_usage(),
        };
        let _ = ctx.stdout.write_all(text.as_bytes());
        return 0;
    }
    let Some((depth, cmd, runner)) = lookup(&words) else {
        if let Some(w) = words.first() {
            if let Some(name) = resolve(w, TOP_COMMANDS)
                && spec::UNSUPPORTED_TOP.contains(&name)
            {
                let _ = writeln!(
                    ctx.stderr,
                    "Error: \"{name}\" is not supported by kubelite's etcdctl"
                );
                return EXIT_ERROR;
            }
            return unknown_command(ctx, w);
        }
        // No command: flags are still checked, then the root help is shown.
        let root_help: &[FlagSpec] = &[flags::short("help", 'h', flags::Kind::Bool, "false", "")];
        if let Err(e) = flags::parse(args, &[root_help, GLOBAL_FLAGS]) {
            return flag_failure(ctx, &usage::root_usage(), &e.0);
        }
        let _ = ctx.stdout.write_all(usage::root_usage().as_bytes());
        return 0;
    };
    let path = path_of(&words, depth);
    if let Action::Unsupported = runner {
        let name = words
            .iter()
            .take(2)
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ");
        let _ = writeln!(
            ctx.stderr,
            "Error: \"{name}\" is not supported by kubelite's etcdctl"
        );
        return EXIT_ERROR;
    }
    let usage_text = usage::command_usage(&path, cmd);
    let help: &[FlagSpec] = &[flags::short("help", 'h', flags::Kind::Bool, "false", "")];
    let specs: [&[FlagSpec]; 4] = [cmd.flags, help, usage::inherited_flags(&path), GLOBAL_FLAGS];
    let mut parsed = match flags::parse(args, &specs) {
        Ok(p) => p,
        Err(e) => return flag_failure(ctx, &usage_text, &e.0),
    };
    drop_words(&mut parsed, depth);
    let Action::Run(runner) = runner else {
        // A command group (or one kubelite does not run): its help, as cobra shows it.
        let _ = ctx.stdout.write_all(usage_text.as_bytes());
        return 0;
    };
    if parsed.bool(&specs, "help") {
        let _ = ctx.stdout.write_all(usage_text.as_bytes());
        return 0;
    }
    if let Err(code) = apply_env(ctx, &mut parsed) {
        return code;
    }
    let g: [&[FlagSpec]; 1] = [GLOBAL_FLAGS];
    let opts = ConnectOptions {
        endpoints: parsed.slice(&g, "endpoints"),
        endpoints_given: parsed.is_set("endpoints"),
        dial_timeout: parsed.duration(&g, "dial-timeout"),
        command_timeout: parsed.duration(&g, "command-timeout"),
    };
    let args = parsed.positional.clone();
    let mut session = Session {
        ctx,
        parsed,
        local: if path.len() > 1 && cmd.flags.is_empty() {
            usage::inherited_flags(&path)
        } else {
            cmd.flags
        },
        args,
        opts,
        backend: None,
        identity: None,
    };
    match runner(&mut session) {
        Ok(()) => 0,
        Err(f) => {
            let endpoint = session.first_endpoint();
            errors::report(session.ctx.stderr, &f, &endpoint)
        }
    }
}

/// Whether the command line reads or writes files (`snapshot save|status|restore`), which
/// a simulated container, having no filesystem, cannot run.
pub(crate) fn uses_files(args: &[String]) -> bool {
    let words = command_words(args);
    let help = args
        .iter()
        .any(|a| a == "-h" || a == "--help" || a.starts_with("--help="));
    matches!(lookup(&words), Some((2, cmd, Action::Run(_))) if !help
        && path_of(&words, 2).first() == Some(&"snapshot")
        && !cmd.name.is_empty())
}

/// The command's full name (resolved, so a prefix such as `pu` shows as `put`).
fn path_of(words: &[String], depth: usize) -> Vec<&'static str> {
    let Some(first) = words.first().and_then(|w| resolve(w, TOP_COMMANDS)) else {
        return Vec::new();
    };
    let mut path = vec![first];
    if depth > 1
        && let Some((_, cmd, _)) = lookup(words)
    {
        path.push(cmd.name);
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_command_words_between_flags() {
        let args: Vec<String> = [
            "--endpoints",
            "x:1",
            "-w",
            "json",
            "endpoint",
            "--cluster",
            "status",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            command_words(&args),
            vec!["endpoint".to_string(), "status".to_string()]
        );
    }

    #[test]
    fn suggests_near_commands() {
        assert_eq!(suggestions("gett"), vec!["get"]);
        assert!(suggestions("zzzzzz").is_empty());
    }
}
