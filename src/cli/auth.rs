//! `auth can-i` and `auth whoami`: questions the API server answers for the user asking,
//! through `authorization.k8s.io/v1` SelfSubjectAccessReview / SelfSubjectRulesReview and
//! `authentication.k8s.io/v1` SelfSubjectReview, printed as kubectl prints them (its
//! warnings, `yes`/`no` and exit codes, and the `--list` table, whose rules kubectl splits,
//! merges and sorts itself). `auth reconcile` is refused.

use super::errors::CliError;
use super::output::{Output, render};
use super::{GlobalFlags, Io};
use crate::api::json::strings;
use crate::api::policy_rule::{PolicyRule, compact, go_list};
use crate::api::registry::{self, Resource};
use crate::api::{metrics, reviews};
use crate::client::Client;
use crate::print::json::to_json_in_order;
use crate::print::tabwriter::TabWriter;
use clap::{Args, Subcommand};
use serde_json::{Value, json};

#[derive(Args, Debug)]
pub struct AuthArgs {
    #[command(subcommand)]
    pub command: AuthCommand,
}

#[derive(Subcommand, Debug)]
pub enum AuthCommand {
    /// Check whether an action is allowed
    #[command(name = "can-i")]
    CanI(CanIArgs),
    /// Experimental: Check self subject attributes
    Whoami(WhoamiArgs),
    /// Reconciles rules for RBAC role, role binding, cluster role, and cluster role binding objects (not supported by kubelite)
    #[command(disable_help_flag = true)]
    Reconcile {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        args: Vec<String>,
    },
}

#[derive(Args, Debug)]
pub struct CanIArgs {
    /// VERB [TYPE | TYPE/NAME | NONRESOURCEURL]
    pub args: Vec<String>,
    /// If true, check the specified action in all namespaces.
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// If true, suppress output and just return the exit code.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// SubResource such as pod/log or deployment/scale
    #[arg(long, default_value = "")]
    pub subresource: String,
    /// If true, prints all allowed actions.
    #[arg(long)]
    pub list: bool,
    /// If true, prints allowed actions without headers
    #[arg(long)]
    pub no_headers: bool,
}

#[derive(Args, Debug)]
pub struct WhoamiArgs {
    /// Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).
    #[arg(short = 'o', long)]
    pub output: Option<String>,
}

/// The verbs kubectl knows for resources and for non-resource URLs (others are warned of).
const RESOURCE_VERBS: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
    "use",
    "bind",
    "impersonate",
    "*",
];
const NON_RESOURCE_VERBS: &[&str] = &[
    "get", "put", "post", "head", "options", "delete", "patch", "*",
];

/// kubectl's checks of the command line that need no cluster.
pub fn validate(args: &AuthArgs) -> Result<(), CliError> {
    match &args.command {
        AuthCommand::Reconcile { .. } => Err(CliError::message(
            "auth reconcile is not supported by kubelite (it serves no RBAC objects)",
        )),
        AuthCommand::CanI(a) if a.list => {
            if !a.args.is_empty() {
                return Err(CliError::message(
                    "list option must be specified with no arguments",
                ));
            }
            if a.quiet || a.all_namespaces || !a.subresource.is_empty() {
                return Err(CliError::message(
                    "list option can't be specified with neither quiet, all-namespaces nor subresource options",
                ));
            }
            Ok(())
        }
        AuthCommand::CanI(a) if a.args.len() != 2 => Err(CliError::message(
            "you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.",
        )),
        _ => Ok(()),
    }
}

pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &AuthArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    match &args.command {
        AuthCommand::CanI(a) if a.list => can_i_list(client, global, a, io),
        AuthCommand::CanI(a) => can_i(client, global, a, io),
        AuthCommand::Whoami(a) => whoami(client, a, io),
        AuthCommand::Reconcile { .. } => validate(args).map(|()| 1),
    }
}

/// kubectl's warning printer: `Warning: ` and the message (which ends in a newline), then
/// a newline.
fn warn(io: &mut Io, message: &str) {
    let _ = writeln!(io.err, "Warning: {message}");
}

/// The resource a can-i argument names, as kubectl's REST mapper resolves it; unknown
/// ones are warned of and asked about as written.
fn resource_for(
    client: &dyn Client,
    global: &GlobalFlags,
    arg: &str,
    io: &mut Io,
) -> Result<(String, String, Option<&'static Resource>), CliError> {
    if arg == "*" {
        return Ok((String::new(), arg.to_string(), None));
    }
    let lower = arg.to_ascii_lowercase();
    let found = match super::discovery::current(client, global) {
        Some(d) => d?.find(&lower),
        None => embedded_find(&lower),
    };
    if let Some(r) = found {
        return Ok((r.group.to_string(), r.plural.to_string(), Some(r)));
    }
    let (resource, group) = lower.split_once('.').unwrap_or((&lower, ""));
    // kubectl's two names that are not resources but may be authorized (impersonation).
    if !(group.is_empty() && matches!(resource, "users" | "groups")) {
        if group.is_empty() {
            warn(
                io,
                &format!("the server doesn't have a resource type '{resource}'\n"),
            );
        } else {
            warn(
                io,
                &format!(
                    "the server doesn't have a resource type '{resource}' in group '{group}'\n"
                ),
            );
        }
    }
    Ok((String::new(), arg.to_string(), None))
}

/// The embedded cluster's resources: the registry's, then the Metrics API's and the
/// reviews', as its discovery lists them.
fn embedded_find(name: &str) -> Option<&'static Resource> {
    registry::find(name).or_else(|| {
        let (base, group) = name.split_once('.').unwrap_or((name, ""));
        metrics::RESOURCES
            .iter()
            .chain(reviews::RESOURCES)
            .filter(|r| r.plural == base || r.singular == base || r.kind.eq_ignore_ascii_case(base))
            .find(|r| {
                group.is_empty()
                    || group == r.group
                    || group == format!("{}.{}", r.version, r.group)
            })
    })
}

fn can_i(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &CanIArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let verb = args.args[0].as_str();
    let target = args.args[1].as_str();
    let namespace = if args.all_namespaces {
        String::new()
    } else {
        global.namespace().to_string()
    };
    let attributes = if target.starts_with('/') {
        if !args.subresource.is_empty() {
            return Err(CliError::message(
                "--subresource can not be used with NonResourceURL",
            ));
        }
        if !NON_RESOURCE_VERBS.contains(&verb) {
            warn(io, &format!("verb '{verb}' is not a known verb\n"));
        }
        json!({"nonResourceAttributes": {"path": target, "verb": verb}})
    } else {
        let (arg, name) = target.split_once('/').unwrap_or((target, ""));
        let (group, resource, known) = resource_for(client, global, arg, io)?;
        if !args.all_namespaces
            && let Some(r) = known
            && !r.namespaced
        {
            if group.is_empty() {
                warn(
                    io,
                    &format!("resource '{resource}' is not namespace scoped\n"),
                );
            } else {
                warn(
                    io,
                    &format!("resource '{resource}' is not namespace scoped in group '{group}'\n"),
                );
            }
        }
        if !resource.is_empty() && !RESOURCE_VERBS.contains(&verb) {
            warn(io, &format!("verb '{verb}' is not a known verb\n"));
        }
        let mut a = serde_json::Map::new();
        for (key, value) in [
            ("namespace", namespace.as_str()),
            ("verb", verb),
            ("group", group.as_str()),
            ("resource", resource.as_str()),
            ("subresource", args.subresource.as_str()),
            ("name", name),
        ] {
            if !value.is_empty() {
                a.insert(key.into(), json!(value));
            }
        }
        json!({"resourceAttributes": a})
    };
    if args.no_headers {
        return Err(CliError::message(
            "--no-headers cannot be set without --list specified",
        ));
    }
    let review = json!({
        "kind": "SelfSubjectAccessReview",
        "apiVersion": "authorization.k8s.io/v1",
        "metadata": {"creationTimestamp": null},
        "spec": attributes,
        "status": {"allowed": false},
    });
    let answer = client.review(reviews::find("selfsubjectaccessreviews"), &review)?;
    let status = &answer["status"];
    let allowed = status["allowed"].as_bool().unwrap_or(false);
    if !args.quiet {
        let mut line = if allowed {
            "yes".to_string()
        } else {
            "no".to_string()
        };
        if !allowed {
            for key in ["reason", "evaluationError"] {
                if let Some(s) = status[key].as_str().filter(|s| !s.is_empty()) {
                    line.push_str(&format!(" - {s}"));
                }
            }
        }
        let _ = writeln!(io.out, "{line}");
    }
    Ok(if allowed { 0 } else { 1 })
}

/// The rules of a SubjectRulesReviewStatus, broken down, merged and sorted as kubectl does.
fn compact_rules(status: &Value) -> Vec<PolicyRule> {
    let rules: Vec<PolicyRule> = ["resourceRules", "nonResourceRules"]
        .iter()
        .flat_map(|key| status[*key].as_array().into_iter().flatten())
        .map(PolicyRule::of)
        .collect();
    compact(&rules)
}

fn can_i_list(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &CanIArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let review = json!({
        "kind": "SelfSubjectRulesReview",
        "apiVersion": "authorization.k8s.io/v1",
        "metadata": {"creationTimestamp": null},
        "spec": {"namespace": global.namespace()},
        "status": {"resourceRules": null, "nonResourceRules": null, "incomplete": false},
    });
    let answer = client.review(reviews::find("selfsubjectrulesreviews"), &review)?;
    let status = &answer["status"];
    if status["incomplete"].as_bool() == Some(true) {
        let why = status["evaluationError"].as_str().unwrap_or("");
        let _ = writeln!(io.err, "Warning: the list may be incomplete: {why}");
    }
    let mut tw = TabWriter::new(6, 4, 3, ' ', 0);
    if !args.no_headers {
        tw.write_str("Resources\tNon-Resource URLs\tResource Names\tVerbs\n");
    }
    for r in compact_rules(status) {
        tw.write_str(&format!(
            "{}\t{}\t{}\t{}\n",
            r.resource_cell(),
            go_list(&r.urls),
            go_list(&r.names),
            go_list(&r.verbs)
        ));
    }
    let _ = io.out.write_all(tw.finish().as_bytes());
    Ok(0)
}

/// A SelfSubjectReview with its keys in the Go struct's order.
fn in_struct_order(v: &Value) -> Value {
    let mut out = serde_json::Map::new();
    for key in ["kind", "apiVersion", "metadata"] {
        if let Some(x) = v.get(key) {
            out.insert(key.into(), x.clone());
        }
    }
    let user = &v["status"]["userInfo"];
    let mut info = serde_json::Map::new();
    for key in ["username", "uid", "groups", "extra"] {
        if let Some(x) = user.get(key) {
            info.insert(key.into(), x.clone());
        }
    }
    out.insert("status".into(), json!({"userInfo": Value::Object(info)}));
    Value::Object(out)
}

fn whoami(client: &dyn Client, args: &WhoamiArgs, io: &mut Io) -> Result<i32, CliError> {
    let output = Output::parse(args.output.as_deref())?;
    let r = reviews::find("selfsubjectreviews");
    let review = json!({
        "kind": "SelfSubjectReview",
        "apiVersion": "authentication.k8s.io/v1",
        "metadata": {"creationTimestamp": null},
        "status": {"userInfo": {}},
    });
    let answer = in_struct_order(&client.review(r, &review)?);
    match output {
        Output::Table { .. } => {}
        // A typed object: its fields in Go's order.
        Output::Json => {
            let _ = io.out.write_all(to_json_in_order(&answer).as_bytes());
            return Ok(0);
        }
        // The review has no name.
        Output::Name => {
            let _ = writeln!(io.out, "{}.{}/<unknown>", r.singular, r.group);
            return Ok(0);
        }
        _ => {
            let text = render(&output, vec![(answer, r)], true, false, false)?;
            let _ = io.out.write_all(text.as_bytes());
            return Ok(0);
        }
    }
    let user = &answer["status"]["userInfo"];
    let mut tw = TabWriter::new(6, 4, 3, ' ', 0);
    tw.write_str("ATTRIBUTE\tVALUE\n");
    tw.write_str(&format!(
        "Username\t{}\n",
        user["username"].as_str().unwrap_or("")
    ));
    if let Some(uid) = user["uid"].as_str().filter(|u| !u.is_empty()) {
        tw.write_str(&format!("UID\t{uid}\n"));
    }
    let groups = strings(user.get("groups"));
    if !groups.is_empty() {
        tw.write_str(&format!("Groups\t{}\n", go_list(&groups)));
    }
    if let Some(extra) = user["extra"].as_object() {
        let mut keys: Vec<&String> = extra.keys().collect();
        keys.sort();
        for k in keys {
            tw.write_str(&format!(
                "Extra: {k}\t{}\n",
                go_list(&strings(extra.get(k)))
            ));
        }
    }
    let _ = io.out.write_all(tw.finish().as_bytes());
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_split_merged_and_sorted_as_kubectl_does() {
        let status = json!({
            "resourceRules": [
                {"verbs": ["get"], "apiGroups": ["", "apps"], "resources": ["pods", "deployments/scale"]},
                {"verbs": ["list"], "apiGroups": [""], "resources": ["pods"]},
                {"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}
            ],
            "nonResourceRules": [{"verbs": ["get"], "nonResourceURLs": ["/healthz", "/api/*"]}]
        });
        let rows: Vec<(String, String)> = compact_rules(&status)
            .iter()
            .map(|r| (r.resource_cell(), go_list(&r.verbs)))
            .collect();
        // Sorted by Go's String() of each rule: verbs first, then groups, resources,
        // names and URLs (so core non-resource rules come before core resources).
        let want = [
            ("*.*", "[*]"),
            ("pods", "[get list]"),
            ("", "[get]"),
            ("", "[get]"),
            ("deployments/scale", "[get]"),
            ("deployments.apps/scale", "[get]"),
            ("pods.apps", "[get]"),
        ];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(rows, want);
    }
}
