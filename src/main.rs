//! Entry point: dispatches on the name the binary was invoked by (`kubectl`, `etcdctl`, or
//! `kubelite`) and turns errors into kubectl's messages and exit statuses.

use clap::FromArgMatches;
use clap::error::ErrorKind;
use kubelite::cli::{self, Cli, Io};
use std::io::Write;

fn main() {
    // `KUBELITE_COMPLETE=<shell> kubelite -- <words>` is a TAB from a completion script.
    cli::complete::hook();
    // Arguments need not be UTF-8: clap reports such an argument as an error, never a panic.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let invoked_as = args
        .first()
        .and_then(|a| std::path::Path::new(a).file_name())
        .and_then(|n| n.to_str())
        .unwrap_or("kubelite")
        .to_string();
    let code = if invoked_as == "etcdctl" {
        let words: Vec<String> = args[1..]
            .iter()
            .map(|a| kubelite::etcdctl::args::word(a))
            .collect();
        cli::etcdctl_main(&words)
    } else {
        run_kubectl(&invoked_as, args)
    };
    std::process::exit(code);
}

fn run_kubectl(invoked_as: &str, args: Vec<std::ffi::OsString>) -> i32 {
    // Unlocked handles: each write takes the lock for itself, so a thread of the command
    // (serve's control plane) can always log. Holding stderr's lock for the whole command
    // once deadlocked serve's control-plane thread in its first message.
    let mut out = std::io::stdout();
    let mut err = std::io::stderr();
    let parsed = cli::help::command()
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let command = match args_subcommand(&args) {
                Some(sub) => format!("{invoked_as} {sub}"),
                None => invoked_as.to_string(),
            };
            return report_usage_error(&command, e, &mut out, &mut err);
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

/// The verb of a command line (the first word that is not a flag), for usage hints.
fn args_subcommand(args: &[std::ffi::OsString]) -> Option<&str> {
    use clap::CommandFactory;
    let cmd = Cli::command();
    args.iter()
        .skip(1)
        .filter_map(|a| a.to_str())
        .find(|a| cmd.get_subcommands().any(|s| s.get_name() == *a))
}

/// Help goes to stdout with status 0; usage errors read as kubectl's.
fn report_usage_error(
    command: &str,
    e: clap::Error,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    match e.kind() {
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
            let _ = writeln!(err, "error: {what}\nSee '{command} --help' for usage.");
            1
        }
        ErrorKind::InvalidSubcommand => {
            let cmd = e
                .get(clap::error::ContextKind::InvalidSubcommand)
                .map(|a| a.to_string())
                .unwrap_or_default();
            let _ = writeln!(err, "error: unknown command \"{cmd}\" for \"{command}\"");
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
