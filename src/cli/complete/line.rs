//! The command line being completed. clap_complete hands a completer only the current word,
//! so the verb, the positionals before it and the namespace flags are read here from the
//! words the shell passed (`kubelite -- <words...>`).

use clap::Command;

/// What the words before the cursor say.
#[derive(Debug, Default, PartialEq)]
pub struct Line {
    /// The subcommand path: `["rollout", "status"]`.
    pub verb: Vec<String>,
    /// Positional words after the verb, before the current word.
    pub positionals: Vec<String>,
    /// `-n`/`--namespace`, if given.
    pub namespace: Option<String>,
    /// `-A`/`--all-namespaces`.
    pub all_namespaces: bool,
    /// A flag that names a remote cluster (`--server`, `--kubeconfig`, `--context`).
    pub remote: bool,
}

impl Line {
    /// The namespace names are listed in.
    pub fn namespace(&self) -> &str {
        self.namespace
            .as_deref()
            .filter(|n| !n.is_empty())
            .unwrap_or("default")
    }
}

/// The words of the line being completed, from this process's arguments: everything after
/// `--`, up to (not including) the word under the cursor.
pub fn words_before_cursor() -> Vec<String> {
    let args: Vec<String> = crate::cli::command_line::args_os()
        .into_iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let words: Vec<String> = match args.iter().position(|a| a == "--") {
        Some(i) => args[i + 1..].to_vec(),
        None => return Vec::new(),
    };
    // bash and zsh say which word the cursor is on; fish and PowerShell cut the line there.
    let cursor = std::env::var("_CLAP_COMPLETE_INDEX")
        .ok()
        .and_then(|i| i.parse::<usize>().ok())
        .unwrap_or(words.len().saturating_sub(1));
    words.into_iter().take(cursor).collect()
}

/// Reads `words` (the program name first) against the command tree `root`, which must be
/// built, so that global flags are known to every subcommand.
pub fn parse(root: &Command, words: &[String]) -> Line {
    let mut line = Line::default();
    let mut cmd = root;
    let mut rest = words.iter().skip(1).peekable();
    let mut escaped = false;
    while let Some(word) = rest.next() {
        if escaped || word == "-" || !word.starts_with('-') {
            if let Some(sub) = (line.positionals.is_empty() && !escaped)
                .then(|| cmd.find_subcommand(word))
                .flatten()
            {
                line.verb.push(sub.get_name().to_string());
                cmd = sub;
                continue;
            }
            line.positionals.push(word.clone());
            continue;
        }
        if word == "--" {
            escaped = true;
            continue;
        }
        let (arg, attached) = match word.strip_prefix("--") {
            Some(long) => {
                let (name, value) = match long.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (long, None),
                };
                (
                    cmd.get_arguments().find(|a| a.get_long() == Some(name)),
                    value,
                )
            }
            None => short_flag(cmd, &word[1..], &mut line),
        };
        let Some(arg) = arg else { continue };
        let value = if attached.is_some() || !needs_value(arg) {
            attached
        } else {
            rest.next().cloned()
        };
        note(arg.get_id().as_str(), value, &mut line);
    }
    line
}

/// A cluster of short flags (`-An`, `-nkube-system`): notes the switches and returns the one
/// that takes a value, with its attached value if any.
fn short_flag<'a>(
    cmd: &'a Command,
    cluster: &str,
    line: &mut Line,
) -> (Option<&'a clap::Arg>, Option<String>) {
    for (i, c) in cluster.char_indices() {
        let Some(arg) = cmd.get_arguments().find(|a| a.get_short() == Some(c)) else {
            return (None, None);
        };
        if needs_value(arg) {
            let attached = cluster[i + c.len_utf8()..].trim_start_matches('=');
            let value = (!attached.is_empty()).then(|| attached.to_string());
            return (Some(arg), value);
        }
        note(arg.get_id().as_str(), None, line);
    }
    (None, None)
}

/// Whether a flag consumes the next word when no value is attached.
fn needs_value(arg: &clap::Arg) -> bool {
    arg.get_action().takes_values() && arg.get_num_args().is_none_or(|n| n.min_values() > 0)
}

/// Records the flags completion cares about.
fn note(id: &str, value: Option<String>, line: &mut Line) {
    match id {
        "namespace" => line.namespace = value,
        "all_namespaces" => line.all_namespaces = value.as_deref() != Some("false"),
        "server" | "kubeconfig" | "context" => line.remote = true,
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    fn parsed(line: &str) -> Line {
        let mut cmd = crate::cli::Cli::command();
        cmd.build();
        parse(&cmd, &words(line))
    }

    #[test]
    fn finds_verb_positionals_and_namespace() {
        let l = parsed("kubelite -n kube-system get pods");
        assert_eq!(l.verb, ["get"]);
        assert_eq!(l.positionals, ["pods"]);
        assert_eq!(l.namespace(), "kube-system");
        let l = parsed("kubectl rollout status --namespace=team deploy");
        assert_eq!(l.verb, ["rollout", "status"]);
        assert_eq!(l.positionals, ["deploy"]);
        assert_eq!(l.namespace(), "team");
    }

    #[test]
    fn value_flags_do_not_count_as_positionals() {
        let l = parsed("kubelite get -o wide -l app=x pods -A");
        assert_eq!(l.positionals, ["pods"]);
        assert!(l.all_namespaces);
        let l = parsed("kubelite get -nkube-system -Ao yaml svc");
        assert_eq!(l.namespace(), "kube-system");
        assert!(l.all_namespaces);
        assert_eq!(l.positionals, ["svc"]);
    }

    #[test]
    fn names_that_look_like_verbs_after_the_type_are_positionals() {
        let l = parsed("kubelite get pods get");
        assert_eq!(l.verb, ["get"]);
        assert_eq!(l.positionals, ["pods", "get"]);
        assert_eq!(l.namespace(), "default");
    }
}
