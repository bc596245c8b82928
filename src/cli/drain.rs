//! `drain NODE`: cordon the nodes, then evict (or, with --disable-eviction, delete) their
//! pods and wait until they are gone, with kubectl's refusals, warnings and lines.

use super::cordon::{self, Direction};
use super::drain_pods::{self, Rules};
use super::dry_run::DryRun;
use super::errors::{CliError, api_error_text};
use super::nodes::{self, NodeSelection};
use super::{GlobalFlags, Io};
use crate::api::options::DeleteOptions;
use crate::api::registry;
use crate::client::Client;
use clap::Args;
use serde_json::Value;
use std::time::{Duration, Instant};

#[derive(Args, Debug)]
pub struct DrainArgs {
    /// NODE...
    pub nodes: Vec<String>,
    /// Selector (label query) to filter on
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// Label selector to filter pods on the node
    #[arg(long)]
    pub pod_selector: Option<String>,
    /// Continue even if there are pods that do not declare a controller.
    #[arg(long)]
    pub force: bool,
    /// Ignore DaemonSet-managed pods.
    #[arg(long)]
    pub ignore_daemonsets: bool,
    /// Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained).
    #[arg(long)]
    pub delete_emptydir_data: bool,
    /// Force drain to use delete, even if eviction is supported.
    #[arg(long)]
    pub disable_eviction: bool,
    /// Period of time in seconds given to each pod to terminate gracefully. If negative, the default value specified in the pod will be used.
    #[arg(long, default_value_t = -1, allow_negative_numbers = true)]
    pub grace_period: i64,
    /// If pod DeletionTimestamp older than N seconds, skip waiting for the pod.  Seconds must be greater than 0 to skip.
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    pub skip_wait_for_delete_timeout: i64,
    /// The length of time to wait before giving up, zero means infinite
    #[arg(long, default_value = "0s")]
    pub timeout: String,
    /// Return large lists in chunks rather than all at once. Pass 0 to disable.
    #[arg(long, default_value_t = 500)]
    pub chunk_size: i64,
    /// Must be "none", "server", or "client".
    #[arg(long, num_args = 0..=1, default_missing_value = "unchanged", default_value = "none")]
    pub dry_run: String,
}

/// Why one node was not drained: kubectl returns some of its errors as aggregates (printed
/// one a line at the end) and others as single errors (printed with `error: `).
enum Failure {
    Many(Vec<String>),
    One(String),
}

impl Failure {
    /// The error's text as Go's `Error()` gives it: an aggregate of several in brackets.
    fn text(&self) -> String {
        match self {
            Failure::One(m) => m.clone(),
            Failure::Many(v) if v.len() == 1 => v[0].clone(),
            Failure::Many(v) => format!("[{}]", v.join(", ")),
        }
    }
}

pub(super) fn validate(args: &DrainArgs) -> Result<(), CliError> {
    timeout(&args.timeout)?;
    DryRun::parse(&args.dry_run)?;
    nodes::check_named(&args.nodes, args.selector.as_deref(), "drain")
}

/// `--timeout`, a Go duration (kubectl's flag parser rejects anything else); zero means
/// no limit. A negative one has passed already.
fn timeout(text: &str) -> Result<Option<Duration>, CliError> {
    let q = crate::go::quote;
    match crate::go::duration::seconds(text) {
        Some(0.0) => Ok(None),
        Some(s) => Ok(Some(Duration::from_secs_f64(s.max(0.0)))),
        None => Err(CliError::Raw(format!(
            "Error: invalid argument {} for \"--timeout\" flag: time: invalid duration {}\nSee 'kubectl drain --help' for usage.\n",
            q(text),
            q(text)
        ))),
    }
}

pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &DrainArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let dry_run = DryRun::parse_and_warn(&args.dry_run, &mut *io.err)?;
    let timeout = timeout(&args.timeout)?;
    let selection = NodeSelection {
        names: &args.nodes,
        selector: args.selector.as_deref(),
    };
    let found = nodes::read(client, global, &selection)?;
    // First every node is cordoned, as `cordon` would; a failure there ends the command.
    let mut errors = Vec::new();
    for node in &found {
        let name = nodes::name(node);
        match cordon::set_unschedulable(client, node, Direction::Cordon, dry_run) {
            Ok(changed) => {
                let word = if changed { "" } else { "already " };
                let _ = writeln!(io.out, "node/{name} {word}cordoned{}", dry_run.suffix());
            }
            Err(e) => errors.push(format!(
                "unable to cordon node {name:?}: {}",
                api_error_text(&e)
            )),
        }
    }
    nodes::aggregate(errors)?;

    let rules = Rules {
        force: args.force,
        ignore_daemonsets: args.ignore_daemonsets,
        delete_emptydir_data: args.delete_emptydir_data,
        skip_wait_seconds: args.skip_wait_for_delete_timeout,
        pod_selector: args.pod_selector.as_deref().filter(|s| !s.is_empty()),
    };
    let mut pending = Vec::new();
    let mut fatal = Vec::new();
    for node in &found {
        let name = nodes::name(node);
        match drain_node(client, name, args, &rules, dry_run, timeout, io) {
            Ok(()) => {
                let _ = writeln!(io.out, "node/{name} drained{}", dry_run.suffix());
            }
            Err(failure) => {
                let _ = writeln!(
                    io.err,
                    "error: unable to drain node {name:?} due to error: {}, continuing command...",
                    failure.text()
                );
                pending.push(name.to_string());
                fatal.push(failure);
            }
        }
    }
    if pending.is_empty() {
        return Ok(0);
    }
    let mut text = String::from("There are pending nodes to be drained:\n");
    for name in &pending {
        text.push_str(&format!(" {name}\n"));
    }
    match fatal.as_slice() {
        [Failure::One(m)] => text.push_str(&format!("error: {m}\n")),
        [Failure::Many(v)] => v.iter().for_each(|e| text.push_str(&format!("{e}\n"))),
        many => many
            .iter()
            .for_each(|f| text.push_str(&format!("{}\n", f.text()))),
    }
    Err(CliError::Raw(text))
}

/// kubectl's deleteOrEvictPodsSimple for one (already cordoned) node.
fn drain_node(
    client: &dyn Client,
    node: &str,
    args: &DrainArgs,
    rules: &Rules,
    dry_run: DryRun,
    timeout: Option<Duration>,
    io: &mut Io,
) -> Result<(), Failure> {
    let plan = drain_pods::plan(client, node, rules).map_err(|e| Failure::Many(vec![e.message]))?;
    let refusals = plan.refusals();
    if !refusals.is_empty() {
        return Err(Failure::Many(refusals));
    }
    let warnings = plan.warnings();
    if !warnings.is_empty() {
        let _ = writeln!(io.err, "Warning: {warnings}");
    }
    let pods = plan.removed();
    if dry_run == DryRun::Client {
        for pod in pods {
            let (ns, name) = drain_pods::ns_name(pod);
            let _ = writeln!(io.out, "evicting pod {ns}/{name} (dry run)");
        }
        return Ok(());
    }
    // Before evicting, kubectl checks that the server serves `pods/eviction`: it reads
    // the core group's resources (a server without it gets deletes instead; kubelite
    // evicts, so only the request and its failure are kubectl's).
    if !args.disable_eviction
        && !pods.is_empty()
        && let Some(Err(e)) = client.get_path("/api/v1", "application/json, */*")
    {
        return Err(Failure::One(e.message));
    }
    // --timeout bounds the evictions and the wait together; 0 waits as long as it takes.
    let deadline = timeout.map(|t| Instant::now() + t);
    let mut gone = Vec::new();
    let result = if args.disable_eviction {
        delete_and_wait(client, &pods, args, dry_run, deadline, &mut gone, io)
    } else {
        evict_and_wait(client, &pods, args, dry_run, deadline, &mut gone, io)
    };
    if let Err(failure) = &result {
        // What is still there to remove, as kubectl lists it again. The embedded cluster
        // still holds the pods reported gone (they go after the command): left out.
        if let Ok(again) = drain_pods::plan(client, node, rules) {
            let mut left = again.removed();
            if !client.live() {
                left.retain(|p| !gone.contains(&p.pointer("/metadata/uid")));
            }
            if !left.is_empty() {
                let _ = writeln!(
                    io.err,
                    "There are pending pods in node {node:?} when an error occurred: {}",
                    failure.text()
                );
                for pod in left {
                    let _ = writeln!(io.err, "pod/{}", drain_pods::ns_name(pod).1);
                }
            }
        }
    }
    result
}

/// The `--timeout` given (already checked by `validate`).
fn args_timeout(args: &DrainArgs) -> Duration {
    timeout(&args.timeout).ok().flatten().unwrap_or_default()
}

fn delete_options(args: &DrainArgs, dry_run: DryRun) -> DeleteOptions {
    DeleteOptions {
        dry_run: dry_run == DryRun::Server,
        grace_period_seconds: (args.grace_period >= 0).then_some(args.grace_period),
        propagation_policy: None,
        requester: None,
        requested_as: None,
    }
}

/// Evicts each pod through `pods/eviction`, then waits for each to go. kubectl does both
/// for all pods at once, so the order of its lines varies; here they come in list order.
fn evict_and_wait<'a>(
    client: &dyn Client,
    pods: &[&'a Value],
    args: &DrainArgs,
    dry_run: DryRun,
    deadline: Option<Instant>,
    gone: &mut Vec<Option<&'a Value>>,
    io: &mut Io,
) -> Result<(), Failure> {
    let opts = delete_options(args, dry_run);
    let suffix = if dry_run == DryRun::Server {
        " (server dry run)"
    } else {
        ""
    };
    let mut errors = Vec::new();
    let mut waiting = Vec::new();
    // kubectl evicts every pod at once, each retrying on its own every 5 s while a
    // disruption budget refuses it (429): here, rounds over the pods still refused.
    let mut pending: Vec<&'a Value> = pods.to_vec();
    while !pending.is_empty() {
        // kubectl says it is evicting before it looks at its deadline.
        let expired = deadline.is_some_and(|d| Instant::now() >= d);
        let mut refused = Vec::new();
        for pod in pending {
            let (ns, name) = drain_pods::ns_name(pod);
            let _ = writeln!(io.out, "evicting pod {ns}/{name}{suffix}");
            if expired {
                let limit = crate::go::duration::format(args_timeout(args));
                errors.push(format!(
                    "error when evicting pods/{name:?} -n {ns:?}: global timeout reached: {limit}"
                ));
                continue;
            }
            match client.evict(ns, name, &opts) {
                Ok(()) => waiting.push(pod),
                // Gone already: nothing to wait for, and kubectl prints nothing more.
                Err(e) if e.code == 404 => {}
                Err(e) if e.code == 429 => {
                    let _ = writeln!(
                        io.err,
                        "error when evicting pods/{name:?} -n {ns:?} (will retry after 5s): {}",
                        e.message
                    );
                    // The embedded cluster does not move while this command runs, so a
                    // retry would be refused forever: the refusal ends the eviction.
                    if client.live() {
                        refused.push(pod);
                    } else {
                        errors.push(format!(
                            "error when evicting pods/{name:?} -n {ns:?}: {}",
                            e.message
                        ));
                    }
                }
                Err(e) => errors.push(format!(
                    "error when evicting pods/{name:?} -n {ns:?}: {}",
                    e.message
                )),
            }
        }
        if !refused.is_empty() {
            std::thread::sleep(Duration::from_secs(5));
        }
        pending = refused;
    }
    if dry_run != DryRun::Server {
        let left = wait_until_gone(client, &waiting, args, deadline, "evicted", gone, io);
        for pod in left {
            let (ns, name) = drain_pods::ns_name(pod);
            errors.push(format!(
                "error when waiting for pod {name:?} in namespace {ns:?} to terminate: context deadline exceeded"
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Failure::Many(errors))
    }
}

/// --disable-eviction: deletes every pod, then waits for them all.
fn delete_and_wait<'a>(
    client: &dyn Client,
    pods: &[&'a Value],
    args: &DrainArgs,
    dry_run: DryRun,
    deadline: Option<Instant>,
    gone: &mut Vec<Option<&'a Value>>,
    io: &mut Io,
) -> Result<(), Failure> {
    let r = registry::find("pods").ok_or_else(|| Failure::One("no pods resource".into()))?;
    let opts = delete_options(args, dry_run);
    for pod in pods {
        let (ns, name) = drain_pods::ns_name(pod);
        match client.delete(r, Some(ns), name, &opts) {
            Ok(_) => {}
            Err(e) if e.code == 404 => {}
            Err(e) => return Err(Failure::One(e.message)),
        }
    }
    // A server-side dry run keeps the pods: kubectl waits for them until its deadline. The
    // embedded cluster cannot wait; it ends as kubectl would there.
    if dry_run == DryRun::Server && !client.live() && !pods.is_empty() {
        return Err(Failure::One("context deadline exceeded".into()));
    }
    let left = wait_until_gone(client, pods, args, deadline, "deleted", gone, io);
    if left.is_empty() {
        Ok(())
    } else {
        Err(Failure::One("context deadline exceeded".into()))
    }
}

/// Polls (once a second, as kubectl) until each pod is gone or replaced by another of the
/// same name, printing `pod/NAME <done>` for each; returns those still there at the
/// deadline. A cluster that moves only when this process runs its control plane (the
/// embedded one) finishes the removals right after the command: its pods count as gone,
/// but for those a finalizer holds, which stay (as at kubectl's deadline).
fn wait_until_gone<'a>(
    client: &dyn Client,
    pods: &[&'a Value],
    args: &DrainArgs,
    deadline: Option<Instant>,
    done: &str,
    gone: &mut Vec<Option<&'a Value>>,
    io: &mut Io,
) -> Vec<&'a Value> {
    let r = registry::find("pods").expect("the registry serves pods");
    let mut left: Vec<&Value> = pods.to_vec();
    loop {
        let mut still = Vec::new();
        for pod in left {
            let (ns, name) = drain_pods::ns_name(pod);
            let uid = pod.pointer("/metadata/uid");
            let finished = match client.get(r, Some(ns), name) {
                Err(e) if e.code == 404 => true,
                Ok(now) if now.pointer("/metadata/uid") != uid => true,
                // Only a finalizer keeps an evicted pod of the embedded cluster.
                Ok(now) if !client.live() => now
                    .pointer("/metadata/finalizers")
                    .and_then(Value::as_array)
                    .is_none_or(Vec::is_empty),
                Ok(now) => {
                    let seconds = args.skip_wait_for_delete_timeout;
                    if drain_pods::deleted_before(&now, seconds, chrono::Utc::now()) {
                        let _ = writeln!(
                            io.out,
                            "pod {name:?} has DeletionTimestamp older than {seconds} seconds, skipping"
                        );
                        continue;
                    }
                    false
                }
                Err(_) => false,
            };
            if finished {
                gone.push(uid);
                let _ = writeln!(io.out, "pod/{name} {done}");
            } else {
                still.push(pod);
            }
        }
        left = still;
        // The embedded cluster does not move while this command waits: no use waiting.
        if left.is_empty() || !client.live() {
            return left;
        }
        let pause = Duration::from_secs(1);
        match deadline {
            Some(d) if Instant::now() + pause > d => {
                std::thread::sleep(d.saturating_duration_since(Instant::now()));
                return left;
            }
            _ => std::thread::sleep(pause),
        }
    }
}
