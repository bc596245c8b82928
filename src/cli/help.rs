//! Help in kubectl's shape: short description, `Examples:`, `Options:` (kubectl's
//! `--flag=default:` layout) or `Available Commands:`, `Usage:`. Applied by walking the clap
//! tree, so a verb added later gets the layout with no change here; its examples and usage
//! line go in [`PAGES`] (a test fails for a verb that has none).

use clap::{Arg, ArgAction, Command, CommandFactory};
use std::fmt::Write as _;

/// Usage line and examples of one command, by its path below `kubelite`.
pub struct Page {
    pub path: &'static str,
    pub usage: &'static str,
    /// (what it does, the command line)
    pub examples: &'static [(&'static str, &'static str)],
}

const GLOBAL_HINT: &str =
    "Use \"kubelite options\" for a list of global command-line options (applies to all commands).";

/// The examples and usage lines of every verb.
pub const PAGES: &[Page] = &[
    Page {
        path: "create",
        usage: "kubelite create -f FILENAME [options]",
        examples: &[
            (
                "Create the objects of a manifest",
                "kubelite create -f deploy.yaml",
            ),
            (
                "Create everything in a directory tree",
                "kubelite create -R -f manifests/",
            ),
            (
                "Create from standard input",
                "cat pod.json | kubelite create -f -",
            ),
            (
                "Show what would be created, as YAML, without creating it",
                "kubelite create -f pod.yaml --dry-run=client -o yaml",
            ),
        ],
    },
    Page {
        path: "get",
        usage: "kubelite get [(-o|--output=)json|yaml|name|wide|jsonpath=...|custom-columns=...] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]",
        examples: &[
            (
                "Pods of the current namespace, as a table",
                "kubelite get pods",
            ),
            (
                "The same with node and IP columns",
                "kubelite get pods -o wide",
            ),
            ("Every pod of the cluster", "kubelite get pods -A"),
            (
                "One deployment as YAML",
                "kubelite get deployment/web -o yaml",
            ),
            (
                "Several types at once",
                "kubelite get deploy,rs,svc -n kube-system",
            ),
            (
                "Pods with a label, and the label as a column",
                "kubelite get pods -l app=web -L app",
            ),
            (
                "Only the image of each pod",
                "kubelite get pods -o jsonpath='{.items[*].spec.containers[*].image}'",
            ),
            ("Follow changes to pods", "kubelite get pods -w"),
        ],
    },
    Page {
        path: "describe",
        usage: "kubelite describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]",
        examples: &[
            (
                "Details and recent events of one node",
                "kubelite describe node node01",
            ),
            (
                "Every pod whose name starts with web",
                "kubelite describe pods web",
            ),
            ("A deployment by TYPE/NAME", "kubelite describe deploy/web"),
            (
                "The control-plane pods",
                "kubelite describe pods -n kube-system -l tier=control-plane",
            ),
        ],
    },
    Page {
        path: "delete",
        usage: "kubelite delete ([-f FILENAME] | TYPE [(NAME | -l label | --all)]) [options]",
        examples: &[
            (
                "Delete the objects a manifest describes",
                "kubelite delete -f deploy.yaml",
            ),
            ("Delete one pod", "kubelite delete pod myapp-pod"),
            (
                "Delete a pod at once, skipping the grace period",
                "kubelite delete pod myapp-pod --now",
            ),
            (
                "Delete every pod with a label",
                "kubelite delete pods -l app=web",
            ),
            (
                "Delete every deployment of a namespace",
                "kubelite delete deployments --all -n team",
            ),
        ],
    },
    Page {
        path: "scale",
        usage: "kubelite scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]",
        examples: &[
            (
                "Run five replicas of a deployment",
                "kubelite scale deployment/web --replicas=5",
            ),
            (
                "Scale only if there are three now",
                "kubelite scale --current-replicas=3 --replicas=1 deploy web",
            ),
        ],
    },
    Page {
        path: "rollout",
        usage: "kubelite rollout SUBCOMMAND [options]",
        examples: &[
            (
                "Wait until a deployment's rollout finishes",
                "kubelite rollout status deployment/web",
            ),
            (
                "List the revisions of a deployment",
                "kubelite rollout history deploy/web",
            ),
            (
                "Go back to the previous revision",
                "kubelite rollout undo deploy/web",
            ),
            (
                "Replace every pod of a deployment",
                "kubelite rollout restart deploy/web",
            ),
        ],
    },
    Page {
        path: "rollout status",
        usage: "kubelite rollout status (TYPE NAME | TYPE/NAME) [flags] [options]",
        examples: &[
            (
                "Wait for the rollout of a deployment",
                "kubelite rollout status deployment/web",
            ),
            (
                "Print the state once and return",
                "kubelite rollout status deploy/web --watch=false",
            ),
        ],
    },
    Page {
        path: "rollout history",
        usage: "kubelite rollout history (TYPE NAME | TYPE/NAME) [flags] [options]",
        examples: &[
            (
                "Every revision of a deployment",
                "kubelite rollout history deployment/web",
            ),
            (
                "The pod template of revision 2",
                "kubelite rollout history deployment/web --revision=2",
            ),
        ],
    },
    Page {
        path: "rollout undo",
        usage: "kubelite rollout undo (TYPE NAME | TYPE/NAME) [flags] [options]",
        examples: &[
            (
                "Back to the revision before this one",
                "kubelite rollout undo deployment/web",
            ),
            (
                "Back to revision 1",
                "kubelite rollout undo deployment/web --to-revision=1",
            ),
        ],
    },
    Page {
        path: "rollout restart",
        usage: "kubelite rollout restart RESOURCE [options]",
        examples: &[(
            "New pods for a deployment, same spec",
            "kubelite rollout restart deployment/web",
        )],
    },
    Page {
        path: "set",
        usage: "kubelite set SUBCOMMAND [options]",
        examples: &[(
            "Change the image of a container",
            "kubelite set image deployment/web nginx=nginx:1.27",
        )],
    },
    Page {
        path: "set image",
        usage: "kubelite set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N [options]",
        examples: &[
            (
                "Change one container's image, which starts a rollout",
                "kubelite set image deployment/web nginx=nginx:1.27",
            ),
            (
                "Change the image of every container",
                "kubelite set image deploy/web '*=busybox:1.36'",
            ),
        ],
    },
    Page {
        path: "exec",
        usage: "kubelite exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]",
        examples: &[
            (
                "Read the cluster's store through the etcd pod",
                "kubelite exec etcd-master -n kube-system -- etcdctl get / --prefix --keys-only",
            ),
            (
                "Pick the container by name",
                "kubelite exec etcd-master -n kube-system -c etcd -- etcdctl endpoint status",
            ),
        ],
    },
    Page {
        path: "etcdctl",
        usage: "kubelite etcdctl [etcdctl flags] COMMAND [args...]",
        examples: &[
            (
                "Keys the API server wrote for pods",
                "kubelite etcdctl get /registry/pods --prefix --keys-only",
            ),
            (
                "The store's revision and size",
                "kubelite etcdctl endpoint status -w table",
            ),
        ],
    },
    Page {
        path: "version",
        usage: "kubelite version [flags] [options]",
        examples: &[
            ("Client and server versions", "kubelite version"),
            (
                "The client's version only, as YAML",
                "kubelite version --client -o yaml",
            ),
        ],
    },
    Page {
        path: "api-resources",
        usage: "kubelite api-resources [flags] [options]",
        examples: &[
            (
                "Every resource type the server has",
                "kubelite api-resources",
            ),
            (
                "Only namespaced types, by name",
                "kubelite api-resources --namespaced=true -o name",
            ),
        ],
    },
    Page {
        path: "cluster-info",
        usage: "kubelite cluster-info [flags] [options]",
        examples: &[("Where the control plane is", "kubelite cluster-info")],
    },
    Page {
        path: "completion",
        usage: "kubelite completion SHELL [options]",
        examples: &[
            (
                "Complete kubelite in this bash session",
                "source <(kubelite completion bash)",
            ),
            (
                "Complete kubelite in every new zsh",
                "echo 'source <(kubelite completion zsh)' >> ~/.zshrc",
            ),
            (
                "Complete kubelite in fish",
                "kubelite completion fish | source",
            ),
            (
                "Complete kubelite in PowerShell",
                "kubelite completion powershell | Out-String | Invoke-Expression",
            ),
        ],
    },
    Page {
        path: "options",
        usage: "kubelite options [flags]",
        examples: &[("The flags every command takes", "kubelite options")],
    },
    Page {
        path: "logs",
        usage: "kubelite logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]",
        examples: &[
            (
                "What a pod's only container printed",
                "kubelite logs myapp-pod",
            ),
            (
                "One container, followed as it prints",
                "kubelite logs -f myapp-pod -c app",
            ),
        ],
    },
    Page {
        path: "serve",
        usage: "kubelite serve [flags] [options]",
        examples: &[(
            "Serve the embedded cluster's API to any Kubernetes client",
            "kubelite serve",
        )],
    },
];

/// The page of a command path (`"rollout status"`).
pub fn page(path: &str) -> Option<&'static Page> {
    PAGES.iter().find(|p| p.path == path)
}

/// The command tree the binary parses with: [`crate::cli::Cli`] with kubectl-shaped help on
/// every command.
pub fn command() -> Command {
    let root = crate::cli::Cli::command().help_template(format!(
        "{{about-with-newline}}\nAvailable Commands:\n{{subcommands}}\n\nUsage:\n  kubelite [flags] [options]\n\nUse \"kubelite <command> --help\" for more information about a given command.\n{GLOBAL_HINT}\n"
    ));
    let subs: Vec<String> = root
        .get_subcommands()
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
    let listing = if has_subcommands {
        "Available Commands:\n{subcommands}\n\n".to_string()
    } else {
        after.push_str(&options_block(cmd.get_arguments(), "Options:\n"));
        String::new()
    };
    let usage = match page {
        Some(p) => p.usage.to_string(),
        None => "{usage}".to_string(),
    };
    let mut cmd = cmd.after_help(after).help_template(format!(
        "{{about}}{{after-help}}{listing}Usage:\n  {usage}\n\n{GLOBAL_HINT}\n"
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
        let cmd = command();
        let mut missing = Vec::new();
        for sub in cmd.get_subcommands() {
            let path = sub.get_name().to_string();
            if page(&path).is_none() {
                missing.push(path.clone());
            }
            for leaf in sub.get_subcommands() {
                let path = format!("{path} {}", leaf.get_name());
                if page(&path).is_none() {
                    missing.push(path);
                }
            }
        }
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
