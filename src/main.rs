//! Entry point: dispatches on the name the binary was invoked by (`kubectl`, `etcdctl`,
//! `etcd`, or `kubelite`) and turns errors into kubectl's messages and exit statuses.

use clap::FromArgMatches;
use clap::error::ErrorKind;
use kubelite::cli::{self, Cli, Io};
use std::io::Write;

fn main() {
    // A `kubelite test` worker's zygote forks a child per command, which runs `run` with
    // the command's words. Asked first, while this process has no thread but its own.
    if let Some(code) = cli::serve_zygote_if_asked(run) {
        std::process::exit(code);
    }
    // Arguments need not be UTF-8: clap reports such an argument as an error, never a panic.
    std::process::exit(run(std::env::args_os().collect()));
}

/// The program, on its command line's words; its exit status.
fn run(args: Vec<std::ffi::OsString>) -> i32 {
    // `KUBELITE_COMPLETE=<shell> kubelite -- <words>` is a TAB from a completion script.
    cli::complete::hook();
    let invoked_as = args
        .first()
        .and_then(|a| std::path::Path::new(a).file_name())
        .and_then(|n| n.to_str())
        .unwrap_or("kubelite")
        .to_string();
    // In a node shell, the node's programs (`ps`, `systemctl`, its `etcdctl`, ...).
    if let Some(code) = cli::node_shell::programs::main(&invoked_as, &args) {
        return code;
    }
    // A link named `etcd` is `kubelite etcd` (the seed's `./etcd`).
    if invoked_as == "etcd" {
        let mut args = args;
        args[0] = "kubelite".into();
        args.insert(1, "etcd".into());
        run_kubectl("kubelite", args)
    } else if invoked_as == "etcdctl" {
        let words: Vec<String> = args[1..]
            .iter()
            .map(|a| kubelite::etcdctl::args::word(a))
            .collect();
        cli::etcdctl_main(&words)
    } else {
        run_kubectl(&invoked_as, args)
    }
}

fn run_kubectl(invoked_as: &str, args: Vec<std::ffi::OsString>) -> i32 {
    // Unlocked handles: each write takes the lock for itself, so a thread of the command
    // (serve's control plane) can always log. Holding stderr's lock for the whole command
    // once deadlocked serve's control-plane thread in its first message.
    let mut out = std::io::stdout();
    let mut err = std::io::stderr();
    // A common verb first: the root and that verb's tree parse it; help and errors come
    // from the whole tree below, as for every other command line.
    let quick = cli::verb_tree::command_for(&args).and_then(|tree| {
        tree.try_get_matches_from(&args)
            .and_then(|m| Cli::from_arg_matches(&m))
            .ok()
    });
    let cli = match quick {
        Some(cli) => cli,
        None => {
            // One command tree for the plugin check and the parse: building it is a good
            // part of a one-shot command's start.
            let command = cli::help::command_for(&args);
            if let Some((path, rest)) = plugin(&command, &args) {
                return cli::plugin::exec(&path, &rest);
            }
            let parsed = command
                .try_get_matches_from(&args)
                .and_then(|m| Cli::from_arg_matches(&m));
            match parsed {
                Ok(cli) => cli,
                Err(e) => return report_usage_error(invoked_as, &args, e, &mut out, &mut err),
            }
        }
    };
    let mut io = Io {
        out: &mut out,
        err: &mut err,
    };
    let code = cli::run(cli, &mut io);
    let _ = io.out.flush();
    code
}

/// The plugin a command line runs: its first word is no kubelite command nor a flag, and
/// a `kubelite-`/`kubectl-` executable on the PATH is named by its leading words.
fn plugin(
    root: &clap::Command,
    args: &[std::ffi::OsString],
) -> Option<(std::path::PathBuf, Vec<String>)> {
    let words: Vec<String> = args
        .iter()
        .skip(1)
        .map(|a| a.to_str().map(str::to_string))
        .collect::<Option<_>>()?;
    let first = words.first()?;
    if first.starts_with('-') || cli::plugin::is_builtin(root, first) {
        return None;
    }
    cli::plugin::find(&words)
}

/// The words of a command line, as far as they are UTF-8.
fn words(args: &[std::ffi::OsString]) -> Vec<&str> {
    args.iter().skip(1).filter_map(|a| a.to_str()).collect()
}

/// The command a command line names, by canonical names (`create service clusterip` for
/// `create svc clusterip`): each level is the first later word naming one of its
/// subcommands. Words from `stop` (the word clap rejected) on are not looked at.
fn command_path<'a>(
    root: &'a clap::Command,
    words: &[&str],
    stop: Option<&str>,
) -> Vec<&'a clap::Command> {
    let mut path = Vec::new();
    let mut cmd = root;
    for w in words {
        if Some(*w) == stop || *w == "--" {
            break;
        }
        if let Some(sub) = cmd.find_subcommand(w) {
            path.push(sub);
            cmd = sub;
        }
    }
    path
}

/// The positional words from `first` on: flags and the values they take are left out.
fn positionals_from<'a>(cmd: &clap::Command, words: &[&'a str], first: &str) -> Vec<&'a str> {
    let takes_value = |flag: &str| {
        let found = match flag.strip_prefix("--") {
            Some(long) => cmd.get_arguments().find(|a| a.get_long() == Some(long)),
            None => {
                let short = flag.trim_start_matches('-').chars().next();
                cmd.get_arguments().find(|a| a.get_short() == short)
            }
        };
        found.is_some_and(|a| {
            a.get_action().takes_values() && a.get_num_args().is_none_or(|r| r.min_values() > 0)
        })
    };
    let start = words
        .iter()
        .position(|w| *w == first)
        .unwrap_or(words.len());
    let mut out = Vec::new();
    let mut skip_value = false;
    for w in &words[start..] {
        if std::mem::take(&mut skip_value) {
            continue;
        }
        if *w == "--" {
            break;
        }
        if w.starts_with('-') && w.len() > 1 {
            skip_value = !w.contains('=') && takes_value(w);
        } else {
            out.push(*w);
        }
    }
    out
}

/// The flag a value error is about, as pflag names it (`-r, --replicas`), when it takes
/// an integer.
fn integer_flag(path: &[&clap::Command], root: &clap::Command, e: &clap::Error) -> Option<String> {
    let shown = e.get(clap::error::ContextKind::InvalidArg)?.to_string();
    let long = shown.strip_prefix("--")?.split([' ', '=']).next()?;
    let cmd = path.last().copied().unwrap_or(root);
    let arg = cmd.get_arguments().find(|a| a.get_long() == Some(long))?;
    let id = arg.get_value_parser().type_id();
    let integer = [std::any::TypeId::of::<i32>(), std::any::TypeId::of::<i64>()]
        .iter()
        .any(|t| id == *t);
    integer.then(|| match arg.get_short() {
        Some(c) => format!("-{c}, --{long}"),
        None => format!("--{long}"),
    })
}

/// Help goes to stdout with status 0; usage errors read as kubectl's (cobra's `Error:` for
/// flags and commands, kubectl's own `error:` where kubectl checks arguments itself).
fn report_usage_error(
    invoked_as: &str,
    args: &[std::ffi::OsString],
    e: clap::Error,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let words = words(args);
    let invalid_subcommand = e
        .get(clap::error::ContextKind::InvalidSubcommand)
        .map(|a| a.to_string());
    let mut root = cli::help::command();
    root.build();
    let path = command_path(&root, &words, invalid_subcommand.as_deref());
    let names: Vec<&str> = path.iter().map(|c| c.get_name()).collect();
    let command = std::iter::once(invoked_as)
        .chain(names.iter().copied())
        .collect::<Vec<_>>()
        .join(" ");
    match e.kind() {
        // kubectl's `create service` and `create secret` alone print their help as an error.
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            if matches!(names[..], ["create", "service" | "secret"]) =>
        {
            let _ = write!(err, "{}", e.render());
            1
        }
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = write!(out, "{}", e.render());
            0
        }
        ErrorKind::UnknownArgument => {
            let arg = e
                .get(clap::error::ContextKind::InvalidArg)
                .map(|a| a.to_string())
                .unwrap_or_default();
            let flag = arg.split('=').next().unwrap_or("").to_string();
            let what = if flag.starts_with("--") {
                format!("unknown flag: {flag}")
            } else {
                format!(
                    "unknown shorthand flag: '{}' in {arg}",
                    flag.trim_start_matches('-').chars().next().unwrap_or(' ')
                )
            };
            let _ = writeln!(err, "Error: {what}\nSee '{command} --help' for usage.");
            1
        }
        ErrorKind::InvalidSubcommand => {
            let word = invalid_subcommand.unwrap_or_default();
            let parent = path.last().copied().unwrap_or(&root);
            let rest = positionals_from(parent, &words, &word).join(" ");
            let _ = match names[..] {
                // `create` takes no arguments of its own: kubectl lists what it was given.
                ["create"] => writeln!(
                    err,
                    "error: Unexpected args: [{rest}]\nSee '{command} -h' for help and examples"
                ),
                [] => {
                    let near = cli::help::suggestions(&root, &word);
                    let mut hint = String::new();
                    if !near.is_empty() {
                        hint.push_str("\n\nDid you mean this?\n");
                        for n in near {
                            hint.push_str(&format!("\t{n}\n"));
                        }
                    }
                    writeln!(
                        err,
                        "Error: unknown command \"{word}\" for \"{command}\"{hint}"
                    )
                }
                // A group (`create service`, `rollout`): kubectl's own check of its words.
                _ => writeln!(
                    err,
                    "error: unknown command \"{rest}\"\nSee '{command} -h' for help and examples"
                ),
            };
            1
        }
        // A flag given last with no value.
        ErrorKind::InvalidValue
            if e.get(clap::error::ContextKind::InvalidValue)
                .is_some_and(|v| v.to_string().is_empty()) =>
        {
            let arg = e
                .get(clap::error::ContextKind::InvalidArg)
                .map(|a| a.to_string())
                .unwrap_or_default();
            let flag = arg.split(' ').next().unwrap_or("");
            let _ = writeln!(
                err,
                "Error: flag needs an argument: {flag}\nSee '{command} --help' for usage."
            );
            1
        }
        // An integer flag given something else: pflag's words for Go's `strconv.ParseInt`.
        ErrorKind::ValueValidation if integer_flag(&path, &root, &e).is_some() => {
            let shown = integer_flag(&path, &root, &e).unwrap_or_default();
            let value = e
                .get(clap::error::ContextKind::InvalidValue)
                .map(|v| v.to_string())
                .unwrap_or_default();
            let why = if value.parse::<i128>().is_ok() {
                "value out of range"
            } else {
                "invalid syntax"
            };
            let _ = writeln!(
                err,
                "Error: invalid argument \"{value}\" for \"{shown}\" flag: strconv.ParseInt: parsing \"{value}\": {why}\nSee '{command} --help' for usage."
            );
            1
        }
        _ => {
            let rendered = e.render().to_string();
            let first = rendered
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ");
            let _ = writeln!(err, "error: {first}\nSee '{command} --help' for usage.");
            1
        }
    }
}

// The CLI's work is mostly building and dropping JSON trees; mimalloc halves its cost.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
