//! `set subject`: add users, groups and service accounts to RoleBindings and
//! ClusterRoleBindings. Subjects already bound are left as they are; a binding that gains
//! nothing is neither patched nor reported, as kubectl's. The subcommand owns `--user` (the
//! subjects), which shadows the global kubeconfig `--user`, as in `create rolebinding`.

use super::objects::{self, Choose, Words, Write};
use crate::api::defaults::RBAC_GROUP;
use crate::cli::errors::CliError;
use crate::cli::selected::Item;
use crate::cli::{GlobalFlags, Io};
use crate::client::Client;
use clap::Args;
use serde_json::{Value, json};
use std::collections::BTreeSet;

#[derive(Args, Debug)]
pub struct SubjectArgs {
    /// (-f FILENAME | TYPE NAME)
    pub args: Vec<String>,
    #[command(flatten)]
    pub choose: Choose,
    /// Selector (label query) to filter on, supports '=', '==', and '!='.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// Usernames to bind to the role
    #[arg(long = "user", id = "user")]
    pub users: Vec<String>,
    /// Groups to bind to the role
    #[arg(long = "group")]
    pub groups: Vec<String>,
    /// Service accounts to bind to the role
    #[arg(long = "serviceaccount")]
    pub service_accounts: Vec<String>,
    #[command(flatten)]
    pub write: Write,
}

/// kubectl's checks before anything is requested.
pub fn validate(args: &SubjectArgs) -> Result<(), CliError> {
    crate::cli::arg_rules::Naming {
        args: &args.args,
        all: args.choose.all,
        from_files: !args.choose.filenames.is_empty(),
        ..Default::default()
    }
    .check_required()?;
    crate::cli::dry_run::DryRun::parse(&args.write.dry_run).map(|_| ())
}

/// kubectl's checks once the bindings are read (it reads them first).
fn check(args: &SubjectArgs, items: &[Item]) -> Result<(), CliError> {
    if args.choose.all && args.selector.is_some() {
        return Err(CliError::message(
            "cannot set --all and --selector at the same time",
        ));
    }
    if args.users.is_empty() && args.groups.is_empty() && args.service_accounts.is_empty() {
        return Err(CliError::message(
            "you must specify at least one value of user, group or serviceaccount",
        ));
    }
    for sa in &args.service_accounts {
        let parts: Vec<&str> = sa.split(':').collect();
        if parts.len() != 2 || parts[1].is_empty() {
            return Err(CliError::message(
                "serviceaccount must be <namespace>:<name>",
            ));
        }
        let cluster_wide = items
            .iter()
            .any(|i| i.resource.kind == "ClusterRoleBinding");
        if cluster_wide && parts[0].is_empty() {
            return Err(CliError::message(
                "serviceaccount must be <namespace>:<name>, namespace must be specified",
            ));
        }
    }
    Ok(())
}

/// The subjects asked for: users, groups, then service accounts, each kind sorted and
/// without repeats (kubectl goes through string sets). A service account without a
/// namespace is in the command's namespace.
fn wanted(args: &SubjectArgs, namespace: &str) -> Vec<Value> {
    let sorted = |v: &[String]| v.iter().cloned().collect::<BTreeSet<_>>();
    let mut out = Vec::new();
    for u in sorted(&args.users) {
        out.push(json!({"kind": "User", "apiGroup": RBAC_GROUP, "name": u}));
    }
    for g in sorted(&args.groups) {
        out.push(json!({"kind": "Group", "apiGroup": RBAC_GROUP, "name": g}));
    }
    for sa in sorted(&args.service_accounts) {
        let (ns, name) = sa.split_once(':').unwrap_or(("", &sa));
        let ns = if ns.is_empty() { namespace } else { ns };
        out.push(json!({"kind": "ServiceAccount", "name": name, "namespace": ns}));
    }
    out
}

/// Two subjects are the same when kind, group, name and namespace are (absent = empty).
fn same_subject(a: &Value, b: &Value) -> bool {
    ["kind", "apiGroup", "name", "namespace"].iter().all(|k| {
        a.get(*k).and_then(Value::as_str).unwrap_or("")
            == b.get(*k).and_then(Value::as_str).unwrap_or("")
    })
}

/// Runs a validated `set subject`.
pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &SubjectArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let words = Words {
        done: "subjects updated",
        always: false,
        failed: Some("failed to patch subjects to rolebinding: "),
    };
    let subjects = wanted(args, global.namespace());
    let selection = objects::selection(&args.choose, args.selector.as_deref(), &args.args);
    objects::each_checked(
        client,
        global,
        &selection,
        &args.write,
        &words,
        io,
        |items| check(args, items),
        |item, obj, _| {
            if !matches!(item.resource.kind, "RoleBinding" | "ClusterRoleBinding") {
                return Err(objects::named(
                    item,
                    "setting subjects is only supported for RoleBinding/ClusterRoleBinding",
                ));
            }
            let Value::Object(binding) = obj else {
                return Ok(());
            };
            let list = binding
                .entry("subjects")
                .or_insert_with(|| Value::Array(Vec::new()));
            if !list.is_array() {
                *list = Value::Array(Vec::new());
            }
            let Value::Array(present) = list else {
                return Ok(());
            };
            for s in &subjects {
                if !present.iter().any(|p| same_subject(p, s)) {
                    present.push(s.clone());
                }
            }
            if present.is_empty() {
                binding.remove("subjects");
            }
            Ok(())
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct T {
        #[command(flatten)]
        a: SubjectArgs,
    }

    fn args(line: &[&str]) -> SubjectArgs {
        T::parse_from(std::iter::once("t").chain(line.iter().copied())).a
    }

    #[test]
    fn subjects_are_sorted_deduplicated_and_namespaced() {
        let a = args(&[
            "rb/x",
            "--user=b",
            "--user=a",
            "--user=b",
            "--serviceaccount=:sa",
            "--group=g",
        ]);
        let got = wanted(&a, "team");
        let names: Vec<_> = got.iter().map(|s| s["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["a", "b", "g", "sa"]);
        assert_eq!(got[3]["namespace"], "team");
        assert_eq!(got[0]["apiGroup"], RBAC_GROUP);
    }

    #[test]
    fn a_subject_without_a_group_equals_one_with_an_empty_group() {
        let a = json!({"kind": "ServiceAccount", "name": "s", "namespace": "n"});
        let b = json!({"kind": "ServiceAccount", "apiGroup": "", "name": "s", "namespace": "n"});
        assert!(same_subject(&a, &b));
        assert!(!same_subject(
            &a,
            &json!({"kind": "ServiceAccount", "name": "s"})
        ));
    }

    #[test]
    fn checks_speak_kubectls_words() {
        let err = |line: &[&str]| match check(&args(line), &[]) {
            Err(CliError::Message(m)) => m,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            err(&["rb/x"]),
            "you must specify at least one value of user, group or serviceaccount"
        );
        assert_eq!(
            err(&["rb/x", "--serviceaccount=sa"]),
            "serviceaccount must be <namespace>:<name>"
        );
        assert_eq!(
            err(&["rb", "--all", "-l", "a=b", "--user=u"]),
            "cannot set --all and --selector at the same time"
        );
    }
}
