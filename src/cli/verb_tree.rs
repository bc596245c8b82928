//! The command tree of one common verb: the root's flags and that verb's command alone.
//! Building every command's flags was about a tenth of a one-shot command's CPU; a command
//! line starting with one of these verbs is parsed with this tree first, and anything it
//! does not parse (help, an error) is parsed again with the whole tree, so help and error
//! output are the whole tree's.

use super::{
    apply, cordon, create, delete, describe, drain, events, exec, expose, get, label, logs, patch,
    replace, rollout, run, scale, set, taint, top, version, wait,
};
use clap::{ArgGroup, Args, Command};

/// What adds a verb's flags to its command.
type Augment = fn(Command) -> Command;

/// The verbs with a tree of their own, each with what adds its flags (as `Cli`'s
/// subcommand enum adds them; a test compares the two).
const VERBS: &[(&str, Augment)] = &[
    ("get", get::GetArgs::augment_args),
    ("create", create::CreateArgs::augment_args),
    ("apply", apply::ApplyArgs::augment_args),
    ("delete", delete::DeleteArgs::augment_args),
    ("describe", describe::DescribeArgs::augment_args),
    ("logs", logs::LogsArgs::augment_args),
    ("label", label::LabelArgs::augment_args),
    ("annotate", label::LabelArgs::augment_args),
    ("patch", patch::PatchArgs::augment_args),
    ("replace", replace::ReplaceArgs::augment_args),
    ("scale", scale::ScaleArgs::augment_args),
    ("rollout", rollout::RolloutArgs::augment_args),
    ("wait", wait::WaitArgs::augment_args),
    ("exec", exec::ExecArgs::augment_args),
    ("run", run::RunArgs::augment_args),
    ("expose", expose::ExposeArgs::augment_args),
    ("events", events::EventsArgs::augment_args),
    ("top", top::TopArgs::augment_args),
    ("cordon", cordon::CordonArgs::augment_args),
    ("uncordon", cordon::CordonArgs::augment_args),
    ("drain", drain::DrainArgs::augment_args),
    ("taint", taint::TaintArgs::augment_args),
    ("set", set::SetArgs::augment_args),
    ("version", version::VersionArgs::augment_args),
];

/// The tree for a command line whose first word is one of [`VERBS`]; `None` otherwise
/// (a flag first, another command, a plugin).
pub fn command_for(args: &[std::ffi::OsString]) -> Option<Command> {
    let first = args.get(1)?.to_str()?;
    let (name, augment) = VERBS.iter().find(|(name, _)| *name == first)?;
    Some(root().subcommand(augment(Command::new(*name))))
}

/// `Cli`'s root without its subcommands: its settings, its (empty) group of own flags, and
/// the global flags.
fn root() -> Command {
    let root = Command::new("kubelite")
        .disable_help_subcommand(true)
        .disable_version_flag(true)
        .group(ArgGroup::new("Cli").multiple(true).args([] as [&str; 0]));
    let root = super::GlobalFlags::augment_args(root);
    let root = super::etcd_flags::EtcdFlags::augment_args(root);
    root.subcommand_required(true).arg_required_else_help(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// What parsing reads of a command: its description and display order (read only
    /// by help, which the whole tree gives) left out.
    fn parsed_part(cmd: &Command) -> String {
        let text = format!("{:?}", cmd.clone().about(None).long_about(None));
        let mut out = String::new();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("disp_ord: ") {
            let from = at + "disp_ord: ".len();
            out.push_str(&rest[..from]);
            out.push('_');
            let tail = &rest[from..];
            let end = tail.find([',', ' ', '}']).unwrap_or(tail.len());
            let end = if tail.starts_with("Some(") {
                tail.find(')').map_or(tail.len(), |i| i + 1)
            } else {
                end
            };
            rest = &tail[end..];
        }
        out.push_str(rest);
        out
    }

    /// A command's own part: its Debug text with its subcommands' text cut out.
    fn without_subcommands(cmd: &Command) -> String {
        let text = parsed_part(cmd);
        let Some(start) = text.find("subcommands: [") else {
            return text;
        };
        let mut depth = 0;
        let mut end = text.len();
        for (i, c) in text[start..].char_indices() {
            match c {
                '[' => depth += 1,
                ']' => {
                    depth -= 1;
                    if depth == 0 {
                        end = start + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        format!("{}{}", &text[..start], &text[end..])
    }

    #[test]
    fn each_verbs_tree_is_the_whole_trees_root_and_verb() {
        let whole = crate::cli::Cli::command();
        for (name, _) in VERBS {
            let args = ["kubelite", name].map(std::ffi::OsString::from);
            let tree = command_for(&args).expect("a verb's tree");
            assert_eq!(
                without_subcommands(&tree),
                without_subcommands(&whole),
                "the root, for {name}"
            );
            let mine: Vec<&Command> = tree.get_subcommands().collect();
            assert_eq!(mine.len(), 1, "{name}");
            let theirs = whole.find_subcommand(name).expect("a command of the tree");
            assert_eq!(parsed_part(mine[0]), parsed_part(theirs), "{name}");
        }
    }

    #[test]
    fn other_first_words_get_no_tree_of_their_own() {
        for line in [
            &["kubelite"][..],
            &["kubelite", "-n", "x", "get", "pods"],
            &["kubelite", "config", "view"],
            &["kubelite", "gte", "pods"],
            &["kubelite", "po"],
        ] {
            let args: Vec<std::ffi::OsString> = line.iter().map(Into::into).collect();
            assert!(command_for(&args).is_none(), "{line:?}");
        }
    }
}
