//! `logs`: a container's log, through `GET pods/{name}/log` (`-f` streams it).

use super::builder_read::{self, Reader};
use super::errors::CliError;
use super::logs_streams::{self, Stream};
use super::pod_running_timeout::{self, Refusal};
use super::{GlobalFlags, Io};
use crate::client::{Client, LogRequest, WatchRequest};
use clap::Args;
use serde_json::Value;
use std::time::{Duration, Instant};

#[derive(Args, Debug)]
pub struct LogsArgs {
    /// POD | TYPE/NAME, then optionally the container's name (as in kubectl).
    #[arg(value_name = "POD | TYPE/NAME")]
    pub args: Vec<String>,
    /// Print the logs of this container
    #[arg(short = 'c', long)]
    pub container: Option<String>,
    /// Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines otherwise 10, if a selector is provided.
    #[arg(long, default_value_t = -1, allow_negative_numbers = true)]
    pub tail: i64,
    /// Include timestamps on each line in the log output
    #[arg(long)]
    pub timestamps: bool,
    /// If true, print the logs for the previous instance of the container in a pod if it exists.
    #[arg(short = 'p', long)]
    pub previous: bool,
    /// Specify if the logs should be streamed.
    #[arg(short = 'f', long)]
    pub follow: bool,
    /// Only return logs newer than a relative duration like 5s, 2m, or 3h. Defaults to all logs.
    #[arg(long)]
    pub since: Option<String>,
    /// Only return logs after a specific date (RFC3339). Defaults to all logs.
    #[arg(long)]
    pub since_time: Option<String>,
    /// Maximum bytes of logs to return. Defaults to no limit.
    #[arg(long, default_value_t = 0)]
    pub limit_bytes: i64,
    /// The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running
    #[arg(long = "pod-running-timeout", default_value = "20s")]
    pub pod_running_timeout: String,
    /// Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// Specify maximum number of concurrent logs to follow when using by a selector. Defaults to 5.
    #[arg(long, default_value_t = 5, allow_negative_numbers = true)]
    pub max_log_requests: i64,
    /// Get all containers' logs in the pod(s).
    #[arg(long)]
    pub all_containers: bool,
    /// Prefix each log line with the log source (pod name and container name)
    #[arg(long)]
    pub prefix: bool,
}

/// kubectl's checks of a `logs` command line before anything is requested: a pod (or
/// `TYPE/NAME`) and at most a container after it. kubectl checks the other flags only
/// once it has read the pod.
pub(super) fn validate(args: &LogsArgs) -> Result<(), CliError> {
    pod_running_timeout::syntax(&args.pod_running_timeout, "logs")?;
    if args.selector.is_some() {
        return match args.args.len() {
            0 => Ok(()),
            1 => Err(CliError::Raw(
                "error: only a selector (-l) or a POD name is allowed\nSee 'kubectl logs -h' for help and examples\n".into(),
            )),
            // kubectl reads two words as a resource and a name, which a selector excludes.
            _ => Err(CliError::message(
                "selectors and the all flag cannot be used when passing resource/name arguments",
            )),
        };
    }
    if args.args.is_empty() || args.args.len() > 2 {
        return Err(CliError::Raw(
            "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n".into(),
        ));
    }
    Ok(())
}

/// Runs a validated `logs`.
pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &LogsArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let ns = global.namespace();
    let limit = pod_running_timeout::parse(&args.pod_running_timeout, "logs", Refusal::Plain)?;
    let pods = match &args.selector {
        Some(selector) => {
            let pods = selected_pods(client, global, ns, selector)?;
            if pods.is_empty() {
                let _ = writeln!(io.err, "No resources found in {ns} namespace.");
                return Ok(0);
            }
            pods
        }
        None => {
            let target = args.args.first().map_or("", String::as_str);
            let pod =
                resolve_pod(client, global, (ns, target), limit, io).map_err(|e| match e {
                    // kubectl words a missing pod or workload its own way here.
                    CliError::Api(e) if e.code == 404 => CliError::message(format!(
                        "error from server (NotFound): {} in namespace \"{ns}\"",
                        e.message
                    )),
                    e => e,
                })?;
            vec![pod]
        }
    };
    let since_seconds = match &args.since {
        Some(d) => Some(super::watch::parse_timeout(d)?.map_or(0, |d| d.as_secs().max(1) as i64)),
        None => None,
    };
    if since_seconds.is_some() && args.since_time.is_some() {
        return Err(CliError::message(
            "at most one of `sinceTime` or `sinceSeconds` may be specified",
        ));
    }
    // A selector shows the last 10 lines of each container unless --tail says otherwise.
    let tail = match (&args.selector, args.tail) {
        (Some(_), -1) => 10,
        (_, tail) => tail,
    };
    let named = args.container.clone().or_else(|| args.args.get(1).cloned());
    let mut sources = Vec::new();
    for pod in &pods {
        for container in containers_to_show(pod, named.as_deref(), args.all_containers, io)? {
            sources.push((pod_name(pod).to_string(), container));
        }
    }
    // kubectl counts the streams before it opens any.
    if args.follow && sources.len() as i64 > args.max_log_requests {
        return Err(CliError::message(format!(
            "you are attempting to follow {} log streams, but maximum allowed concurrency is {}, use --max-log-requests to increase the limit",
            sources.len(),
            args.max_log_requests
        )));
    }
    let request = |container: &str| LogRequest {
        container: Some(container.to_string()),
        follow: args.follow,
        limit_bytes: (args.limit_bytes > 0).then_some(args.limit_bytes),
        previous: args.previous,
        since_seconds,
        since_time: args.since_time.clone(),
        tail_lines: (tail >= 0).then_some(tail),
        timestamps: args.timestamps,
    };
    let open = |(pod, container): &(String, String)| -> Result<Stream, CliError> {
        // kubectl prints a failed log request's message as its own error.
        let reader = client
            .logs(ns, pod, &request(container))
            .map_err(|e| CliError::message(e.message))?;
        let prefix = if args.prefix {
            format!("[pod/{pod}/{container}] ")
        } else {
            String::new()
        };
        Ok(Stream { prefix, reader })
    };
    if args.follow && sources.len() > 1 {
        let streams = sources.iter().map(open).collect::<Result<Vec<_>, _>>()?;
        logs_streams::follow_all(streams, io)?;
    } else {
        // One after another, each copied as it arrives.
        for source in &sources {
            logs_streams::copy(open(source)?, io)?;
        }
    }
    Ok(0)
}

fn pod_name(pod: &Value) -> &str {
    pod.pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// The pods a `-l` selector picks, in the list's order (kubectl's own order is a Go map's,
/// which is to say none).
fn selected_pods(
    client: &dyn Client,
    global: &GlobalFlags,
    ns: &str,
    selector: &str,
) -> Result<Vec<Value>, CliError> {
    let catalog = super::targets::Catalog { client, global };
    let pods = catalog.resource("pods")?;
    let opts = crate::api::options::ListOptions::labels(Some(selector));
    let list = client.list_typed(pods, Some(ns), &opts).map_err(|e| {
        if e.code != 400 {
            return CliError::Api(e);
        }
        // kubectl's resource builder restates a refused selector in its own words.
        let mut e = e;
        e.message = format!(
            "Unable to find \"/v1, Resource=pods\" that match label selector \"{selector}\", field selector \"\": {}",
            e.message
        );
        CliError::Api(e)
    })?;
    Ok(crate::runtime::items(list))
}

/// The containers whose logs are shown for `pod`: every one (init, regular, ephemeral, as
/// kubectl lists them) with --all-containers, else the named one, else the default one
/// (said on stderr when the pod has several).
fn containers_to_show(
    pod: &Value,
    named: Option<&str>,
    all: bool,
    io: &mut Io,
) -> Result<Vec<String>, CliError> {
    let every = |field: &str| -> Vec<String> {
        pod.pointer(&format!("/spec/{field}"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|c| c.get("name").and_then(Value::as_str))
            .map(str::to_string)
            .collect()
    };
    let (init, regular, ephemeral) = (
        every("initContainers"),
        every("containers"),
        every("ephemeralContainers"),
    );
    if all {
        if let Some(name) = named {
            return Err(CliError::message(format!(
                "--all-containers=true should not be specified with container name {name}"
            )));
        }
        return Ok([init, regular, ephemeral].concat());
    }
    if let Some(name) = named {
        let known = [&init, &regular, &ephemeral]
            .iter()
            .any(|names| names.iter().any(|n| n == name));
        if !known {
            return Err(CliError::message(format!(
                "container {name} is not valid for pod {}",
                pod_name(pod)
            )));
        }
        return Ok(vec![name.to_string()]);
    }
    let known = |name: &str| {
        [&regular, &init, &ephemeral]
            .iter()
            .any(|n| n.iter().any(|c| c == name))
    };
    let annotated = pod
        .pointer("/metadata/annotations/kubectl.kubernetes.io~1default-container")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty());
    if let Some(name) = annotated {
        if known(name) {
            return Ok(vec![name.to_string()]);
        }
        let _ = writeln!(
            io.err,
            "Default container name \"{name}\" not found in pod {}",
            pod_name(pod)
        );
    }
    let Some(first) = regular.first() else {
        return Ok(Vec::new());
    };
    if regular.len() > 1 || !init.is_empty() || !ephemeral.is_empty() {
        // kubectl picks the first and says so, naming the others by kind.
        let others = ephemeral
            .iter()
            .map(|n| format!("{n} (ephem)"))
            .chain(init.iter().map(|n| format!("{n} (init)")));
        let all: Vec<String> = regular.iter().cloned().chain(others).collect();
        let _ = writeln!(
            io.err,
            "Defaulted container \"{first}\" out of: {}",
            all.join(", ")
        );
    }
    Ok(vec![first.clone()])
}

/// A pod by name, or the first pod of a workload named `TYPE/NAME` (as kubectl picks one).
fn resolve_pod(
    client: &dyn Client,
    global: &GlobalFlags,
    (ns, target): (&str, &str),
    limit: Duration,
    io: &mut Io,
) -> Result<Value, CliError> {
    let catalog = super::targets::Catalog { client, global };
    // kubectl resolves the type through discovery even for a bare pod name.
    let pods = catalog.resource("pods")?;
    let Some((type_name, name)) = target.split_once('/') else {
        return Ok(builder_read::get(
            client,
            Reader::Typed,
            pods,
            Some(ns),
            target,
        )?);
    };
    let r = catalog.resource(type_name)?;
    if r.kind == "Pod" {
        return Ok(builder_read::get(
            client,
            Reader::Typed,
            pods,
            Some(ns),
            name,
        )?);
    }
    let owner = builder_read::get(client, Reader::Typed, r, Some(ns), name)?;
    let selector = owner
        .pointer("/spec/selector")
        .map(crate::api::selector::LabelSelector::from_object)
        .transpose()
        .map_err(CliError::message)?
        .ok_or_else(|| {
            CliError::message(format!(
                "cannot get the logs from {}",
                r.qualified_singular()
            ))
        })?;
    // One request for every pod (a limit of 0), as kubectl's typed client lists them.
    let opts = crate::api::options::ListOptions {
        limit: Some(0),
        ..crate::api::options::ListOptions::labels(Some(&selector.to_string()))
    };
    let list = client.list(pods, Some(ns), &opts)?;
    let rv = list
        .pointer("/metadata/resourceVersion")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let mut found = crate::runtime::items(list);
    let count = found.len();
    found.sort_by(by_logging);
    let Some(pod) = found.into_iter().next() else {
        // A server's workload may yet make a pod: kubectl watches for the first one, for
        // as long as --pod-running-timeout allows. The embedded cluster has settled.
        if client.live() {
            return first_pod(client, pods, (ns, &opts), rv, limit);
        }
        return Err(CliError::message(format!(
            "no pods found for {}/{name}",
            r.qualified_singular()
        )));
    };
    if count > 1 {
        let chosen = pod
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        let _ = writeln!(io.err, "Found {count} pods, using pod/{chosen}");
    }
    Ok(pod)
}

/// client-go's wait for a workload's first pod: a watch of its selector from the list's
/// resourceVersion, until a pod is added or changed, or `limit` passes.
fn first_pod(
    client: &dyn Client,
    pods: &crate::api::registry::Resource,
    (ns, opts): (&str, &crate::api::options::ListOptions),
    resource_version: String,
    limit: Duration,
) -> Result<Value, CliError> {
    let timed_out = || CliError::message("timed out waiting for the condition");
    let deadline = Instant::now() + limit;
    let req = WatchRequest {
        resource_version,
        timeout: Some(limit),
        ..Default::default()
    };
    let opts = crate::api::options::ListOptions {
        limit: None,
        ..opts.clone()
    };
    for event in client.watch_stream(pods, Some(ns), &opts, &req)? {
        match event {
            Ok(e) if matches!(e.kind, "ADDED" | "MODIFIED") => return Ok(e.object),
            Ok(_) => {}
            Err(_) if Instant::now() >= deadline => return Err(timed_out()),
            Err(e) => return Err(e.into()),
        }
    }
    // The server ended the watch early: client-go reports it as the same timeout.
    Err(timed_out())
}

/// kubectl's choice of the pod to show logs of, best first: scheduled, then Running before
/// Unknown before Pending, ready, ready for longer, more restarts, older. Ties keep the
/// list's order (a stable sort, as Go's is for the few pods this sees).
fn by_logging(a: &Value, b: &Value) -> std::cmp::Ordering {
    let text = |p: &Value, path: &str| {
        p.pointer(path)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let scheduled = |p: &Value| !text(p, "/spec/nodeName").is_empty();
    let phase = |p: &Value| match text(p, "/status/phase").as_str() {
        "Running" => 0,
        "Unknown" => 1,
        "Pending" => 2,
        _ => 3,
    };
    let ready_since = |p: &Value| {
        p.pointer("/status/conditions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|c| c["type"] == "Ready" && c["status"] == "True")
            .map(|c| text(c, "/lastTransitionTime"))
    };
    let restarts = |p: &Value| {
        p.pointer("/status/containerStatuses")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|c| c["restartCount"].as_i64())
            .max()
            .unwrap_or(0)
    };
    // Empty times sort last; RFC 3339 UTC stamps compare as text.
    let earlier_first = |x: String, y: String| match (x.is_empty(), y.is_empty()) {
        (true, false) => std::cmp::Ordering::Greater,
        (false, true) => std::cmp::Ordering::Less,
        _ => x.cmp(&y),
    };
    scheduled(b)
        .cmp(&scheduled(a))
        .then_with(|| phase(a).cmp(&phase(b)))
        .then_with(|| ready_since(b).is_some().cmp(&ready_since(a).is_some()))
        .then_with(|| match (ready_since(a), ready_since(b)) {
            (Some(x), Some(y)) => earlier_first(x, y),
            _ => std::cmp::Ordering::Equal,
        })
        .then_with(|| restarts(b).cmp(&restarts(a)))
        .then_with(|| {
            earlier_first(
                text(a, "/metadata/creationTimestamp"),
                text(b, "/metadata/creationTimestamp"),
            )
        })
}
