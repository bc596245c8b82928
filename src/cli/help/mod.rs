//! Help in kubectl's shape: short description, `Examples:`, `Options:` (kubectl's
//! `--flag=default:` layout) or `Available Commands:`, `Usage:`. Applied by walking the clap
//! tree, so a verb added later gets the layout with no change here; its examples and usage
//! line go in [`PAGES`] (a test fails for a verb that has none).

use clap::{Arg, ArgAction, Command, CommandFactory};
use std::fmt::Write as _;

mod pages;

pub use pages::{PAGES, Page};

const GLOBAL_HINT: &str =
    "Use \"kubelite options\" for a list of global command-line options (applies to all commands).";

/// The page of a command path (`"rollout status"`).
pub fn page(path: &str) -> Option<&'static Page> {
    PAGES.iter().find(|p| p.path == path)
}

/// The command tree the binary parses with: [`crate::cli::Cli`] with kubectl-shaped help on
/// every command.
pub fn command() -> Command {
    shaped(|_| true)
}

/// `command()` for one command line: only the top-level commands its words name (with
/// their subcommands) get their help laid out. A command line shows no other command's
/// help, and laying out every page cost each one-shot command a good part of its start.
pub fn command_for(args: &[std::ffi::OsString]) -> Command {
    let words: Vec<&str> = args.iter().skip(1).filter_map(|a| a.to_str()).collect();
    shaped(|cmd| {
        let mut names = std::iter::once(cmd.get_name()).chain(cmd.get_all_aliases());
        names.any(|n| words.contains(&n))
    })
}

/// The command tree with the top-level commands `wanted` picks laid out.
fn shaped(wanted: impl Fn(&Command) -> bool) -> Command {
    let root = crate::cli::Cli::command().help_template(format!(
        "{{about-with-newline}}\nAvailable Commands:\n{{subcommands}}\n\nUsage:\n  kubelite [flags] [options]\n\nUse \"kubelite <command> --help\" for more information about a given command.\n{GLOBAL_HINT}\n"
    ));
    let subs: Vec<String> = root
        .get_subcommands()
        .filter(|s| wanted(s))
        .map(|s| s.get_name().to_string())
        .collect();
    subs.into_iter().fold(root, |root, name| {
        let path = name.clone();
        root.mut_subcommand(&name, |s| shape(s, &path))
    })
}

/// Lays out one command's help, then its subcommands'.
fn shape(cmd: Command, path: &str) -> Command {
    let page = page(path);
    let mut after = String::new();
    // kubectl names a command's aliases above its examples, not in its parent's listing.
    let aliases: Vec<&str> = cmd.get_all_aliases().collect();
    if !aliases.is_empty() {
        let _ = writeln!(
            after,
            "Aliases:\n{}, {}\n",
            cmd.get_name(),
            aliases.join(", ")
        );
    }
    if let Some(page) = page {
        after.push_str("Examples:\n");
        for (i, (what, line)) in page.examples.iter().enumerate() {
            if i > 0 {
                after.push('\n');
            }
            let _ = writeln!(after, "  # {what}\n  {line}");
        }
        after.push('\n');
    }
    let has_subcommands = cmd.get_subcommands().next().is_some();
    let options = options_block(cmd.get_arguments(), "Options:\n");
    // A group lists its commands, then its own flags (`create`'s), as kubectl does.
    let (listing, more) = if has_subcommands {
        (
            format!("Available Commands:\n{{subcommands}}\n\n{options}"),
            format!(
                "Use \"kubelite {path} <command> --help\" for more information about a given command.\n"
            ),
        )
    } else {
        after.push_str(&options);
        (String::new(), String::new())
    };
    let usage = match page {
        Some(p) => p.usage.to_string(),
        None => "{usage}".to_string(),
    };
    let mut cmd = cmd.after_help(after).help_template(format!(
        "{{about}}{{after-help}}{listing}Usage:\n  {usage}\n\n{more}{GLOBAL_HINT}\n"
    ));
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        let sub_path = format!("{path} {name}");
        cmd = cmd.mut_subcommand(&name, |s| shape(s, &sub_path));
    }
    cmd
}

/// kubectl's flag list: `    -o, --output='':` then the description on a tab-indented line.
/// Empty when there are no flags.
fn options_block<'a>(args: impl Iterator<Item = &'a Arg>, heading: &str) -> String {
    let mut flags: Vec<&Arg> = args
        .filter(|a| !a.is_positional() && !a.is_hide_set() && a.get_long().is_some())
        .filter(|a| a.get_id() != "help")
        .collect();
    if flags.is_empty() {
        return String::new();
    }
    flags.sort_by_key(|a| a.get_long());
    let mut out = heading.to_string();
    for a in flags {
        let name = match a.get_short() {
            Some(s) => format!("-{s}, --{}", a.get_long().unwrap_or_default()),
            None => format!("--{}", a.get_long().unwrap_or_default()),
        };
        let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
        let _ = writeln!(out, "    {name}={}:\n\t{help}\n", default_shown(a));
    }
    out
}

/// A flag's default as kubectl shows it: `false`, `[]`, `0`, or a quoted string.
fn default_shown(a: &Arg) -> String {
    match a.get_action() {
        ArgAction::SetTrue => return "false".into(),
        ArgAction::SetFalse => return "true".into(),
        ArgAction::Append => return "[]".into(),
        ArgAction::Count => return "0".into(),
        _ => {}
    }
    let value = a
        .get_default_values()
        .first()
        .map(|v| v.to_string_lossy().into_owned())
        .unwrap_or_default();
    if value == "true" || value == "false" || value.parse::<f64>().is_ok() {
        value
    } else {
        format!("'{value}'")
    }
}

/// Cobra's "Did you mean this?" for an unknown command: the visible subcommands within
/// edit distance 2 of the typed word, or that it begins, in their listing order.
pub fn suggestions(cmd: &Command, typed: &str) -> Vec<String> {
    let typed = typed.to_lowercase();
    cmd.get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| s.get_name())
        .filter(|n| super::manifest::edit_distance(&typed, n) <= 2 || n.starts_with(&typed))
        .map(str::to_string)
        .collect()
}

/// `kubelite options`: the global flags, as kubectl lists them.
pub fn global_options() -> String {
    let root = crate::cli::Cli::command();
    let globals = root.get_arguments().filter(|a| a.is_global_set());
    let block = options_block(
        globals,
        "The following options can be passed to any command:\n\n",
    );
    block.strip_suffix('\n').unwrap_or(&block).to_string()
}

/// Arguments of `kubelite options`: none.
#[derive(clap::Args, Debug)]
pub struct OptionsArgs {}

#[cfg(test)]
mod tests {
    use super::*;

    fn help_of(path: &[&str]) -> String {
        let mut cmd = command();
        cmd.build();
        let mut c = &mut cmd;
        for p in path {
            c = c.find_subcommand_mut(p).expect("subcommand exists");
        }
        c.render_help().to_string()
    }

    #[test]
    fn every_command_has_examples_and_usage() {
        // Every depth: `create service clusterip` needs its page as much as `get`.
        fn walk(cmd: &Command, prefix: &str, missing: &mut Vec<String>) {
            for sub in cmd.get_subcommands() {
                let path = format!("{prefix}{}", sub.get_name());
                if page(&path).is_none() {
                    missing.push(path.clone());
                }
                walk(sub, &format!("{path} "), missing);
            }
        }
        let mut missing = Vec::new();
        walk(&command(), "", &mut missing);
        assert!(
            missing.is_empty(),
            "add a help::PAGES entry for: {missing:?}"
        );
    }

    #[test]
    fn verb_help_has_kubectls_sections_in_order() {
        let help = help_of(&["get"]);
        let at = |s: &str| {
            help.find(s)
                .unwrap_or_else(|| panic!("no {s:?} in:\n{help}"))
        };
        assert!(help.starts_with("Display one or many resources\n\nExamples:\n  # "));
        assert!(at("Examples:") < at("\nOptions:\n") && at("\nOptions:\n") < at("\nUsage:\n"));
        assert!(
            help.contains("    -A, --all-namespaces=false:\n\tList the requested"),
            "{help}"
        );
        assert!(help.contains("    --chunk-size=500:\n"));
        assert!(help.contains("    -o, --output='':\n"));
        assert!(help.ends_with(&format!("{GLOBAL_HINT}\n")));
        // Global flags live in `kubelite options`, not in every verb's list.
        assert!(!help.contains("--kubeconfig"));
    }

    #[test]
    fn group_help_lists_subcommands() {
        let help = help_of(&["rollout"]);
        assert!(help.contains("Available Commands:\n  status"), "{help}");
        assert!(help.contains("Usage:\n  kubelite rollout SUBCOMMAND [options]\n"));
    }

    #[test]
    fn generator_help_names_aliases_and_create_lists_commands_and_flags() {
        let help = help_of(&["create", "deployment"]);
        assert!(
            help.starts_with("Create a deployment with the specified name\n\nAliases:\ndeployment, deploy\n\nExamples:\n"),
            "{help}"
        );
        assert!(help.contains("    --image=[]:\n"), "{help}");
        assert!(help.contains("Usage:\n  kubelite create deployment NAME --image=image"));
        let help = help_of(&["create"]);
        let at = |s: &str| {
            help.find(s)
                .unwrap_or_else(|| panic!("no {s:?} in:\n{help}"))
        };
        assert!(at("Examples:") < at("Available Commands:\n  clusterrole "));
        assert!(
            at("Available Commands:") < at("\nOptions:\n") && at("\nOptions:\n") < at("\nUsage:\n")
        );
        assert!(help.contains("    -f, --filename=[]:\n"), "{help}");
        // Aliases are named on the command's own page, not in its parent's list.
        assert!(!help.contains("[alias"), "{help}");
        assert!(help.contains(
            "Use \"kubelite create <command> --help\" for more information about a given command.\n"
        ));
    }

    #[test]
    fn options_lists_the_global_flags() {
        let text = global_options();
        assert!(
            text.starts_with(
                "The following options can be passed to any command:\n\n    --as='':\n\tUsername"
            ),
            "{text}"
        );
        assert!(text.contains("    -n, --namespace='':\n\tIf present, the namespace scope"));
        assert!(text.contains("    --insecure-skip-tls-verify=false:\n"));
        assert!(!text.contains("--replicas"));
    }
}
