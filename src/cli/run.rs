//! `run`: create a Pod from an image (and with `--expose`, a ClusterIP Service in front of
//! it; with `-i`/`--attach`, attach to it: see run_attach.rs). The Pod is built here,
//! field by field in the order kubectl's Go structs print them,
//! so a client dry run prints kubectl's bytes without reaching any cluster.

use super::dry_run::DryRun;
use super::errors::CliError;
use super::output::{Output, TemplateArgs, render};
use super::pod_running_timeout::{self, Refusal};
use super::run_attach;
use super::run_overrides;
use super::service_object::{self, ServiceSpec};
use super::{GlobalFlags, Io};
use crate::api::options::WriteOptions;
use crate::api::registry;
use crate::client::{Client, Remote};
use clap::Args;
use serde_json::{Map, Value, json};

#[derive(Args, Debug)]
pub struct RunArgs {
    /// NAME [-- COMMAND] [args...]
    pub args: Vec<String>,
    /// The image for the container to run.
    #[arg(long)]
    pub image: Option<String>,
    /// The port that this container exposes.
    #[arg(long)]
    pub port: Option<String>,
    /// Comma separated labels to apply to the pod. Will override previous values.
    #[arg(short = 'l', long)]
    pub labels: Option<String>,
    /// Environment variables to set in the container.
    #[arg(long)]
    pub env: Vec<String>,
    /// Annotations to apply to the pod.
    #[arg(long)]
    pub annotations: Vec<String>,
    /// If true and extra arguments are present, use them as the 'command' field in the container, rather than the 'args' field which is the default.
    #[arg(long)]
    pub command: bool,
    /// The restart policy for this Pod.  Legal values [Always, OnFailure, Never].
    #[arg(long, default_value = "Always")]
    pub restart: String,
    /// The image pull policy for the container.  If left empty, this value will not be specified by the client and defaulted by the server.
    #[arg(long, default_value = "")]
    pub image_pull_policy: String,
    /// If true, create a ClusterIP service associated with the pod.  Requires `--port`.
    #[arg(long)]
    pub expose: bool,
    /// Must be "none", "server", or "client".
    #[arg(long, num_args = 0..=1, default_missing_value = "unchanged", default_value = "none")]
    pub dry_run: String,
    /// Output format: json, yaml, name.
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    #[command(flatten)]
    pub templates: TemplateArgs,
    /// An inline JSON override for the generated object. If this is non-empty, it is used to override the generated object. Requires that the object supply a valid apiVersion field.
    #[arg(long, default_value = "")]
    pub overrides: String,
    /// The method used to override the generated object: json, merge, or strategic.
    #[arg(long, default_value = "merge")]
    pub override_type: String,
    /// If true, delete the pod after it exits.  Only valid when attaching to the container, e.g. with '--attach' or with '-i/--stdin'.
    #[arg(long)]
    pub rm: bool,
    /// Keep stdin open on the container in the pod, even if nothing is attached.
    #[arg(short = 'i', long)]
    pub stdin: bool,
    /// If the pod is started in interactive mode or with stdin, leave stdin open after the first attach completes. By default, stdin will be closed after the first attach completes.
    #[arg(long)]
    pub leave_stdin_open: bool,
    /// Allocate a TTY for the container in the pod.
    #[arg(short = 't', long)]
    pub tty: bool,
    /// If true, wait for the Pod to start running, and then attach to the Pod as if 'kubectl attach ...' were called.  Default false, unless '-i/--stdin' is set, in which case the default is true. With '--restart=Never' the exit code of the container process is returned.
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    pub attach: Option<bool>,
    /// If true, run the container in privileged mode.
    #[arg(long)]
    pub privileged: bool,
    /// If true, suppress prompt messages.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Name of the manager used to track field ownership.
    #[arg(long, default_value = "kubectl-run")]
    pub field_manager: String,
    /// The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running
    #[arg(long = "pod-running-timeout", default_value = "1m0s")]
    pub pod_running_timeout: String,
}

/// The output formats a generating verb accepts: kubectl's printer flags (`-o`, with
/// `--template` and `--allow-missing-template-keys`), tables aside.
pub fn output_format(
    spec: Option<&str>,
    templates: &TemplateArgs,
) -> Result<Option<Output>, CliError> {
    super::selected::object_output(spec, &templates.flags())
}

fn usage_error(message: &str) -> CliError {
    CliError::Raw(format!(
        "error: {message}\nSee 'kubectl run -h' for help and examples\n"
    ))
}

/// kubectl's checks of a `run` command line, in its order, before any cluster is reached.
pub(super) fn validate(args: &RunArgs) -> Result<(), CliError> {
    pod_running_timeout::syntax(&args.pod_running_timeout, "run")?;
    if args.image.is_none() {
        return Err(super::arg_rules::missing_required_flag("image"));
    }
    if args.args.is_empty() {
        return Err(usage_error("NAME is required for run"));
    }
    DryRun::parse(&args.dry_run)?;
    output_format(args.output.as_deref(), &args.templates)?;
    pod_running_timeout::parse(&args.pod_running_timeout, "run", Refusal::Usage)?;
    if args.tty && !args.stdin {
        return Err(usage_error(
            "-i/--stdin is required for containers with -t/--tty=true",
        ));
    }
    if args.expose && args.port.as_deref().unwrap_or("").is_empty() {
        return Err(usage_error("--port must be set when exposing a service"));
    }
    if !matches!(args.restart.as_str(), "Always" | "OnFailure" | "Never") {
        return Err(usage_error(&format!(
            "invalid restart policy: {}",
            args.restart
        )));
    }
    if args.rm && !attaches(args) {
        return Err(usage_error(
            "--rm should only be used for attached containers",
        ));
    }
    if attaches(args) && DryRun::parse(&args.dry_run)? != DryRun::None {
        return Err(usage_error(
            "--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)",
        ));
    }
    if !matches!(
        args.image_pull_policy.as_str(),
        "" | "Always" | "IfNotPresent" | "Never"
    ) {
        return Err(usage_error(&format!(
            "invalid image pull policy: {}",
            args.image_pull_policy
        )));
    }
    if args.expose && attaches(args) {
        return Err(CliError::message(
            "kubelite run does not combine --expose with attaching (-i, -t, --attach): expose the pod with kubelite expose",
        ));
    }
    pod(args, None).map(|_| ())
}

/// Whether `run` attaches: `--attach`, or `-i` unless `--attach=false` (as kubectl).
fn attaches(args: &RunArgs) -> bool {
    args.attach.unwrap_or(args.stdin)
}

/// A client dry run needs no cluster: kubelite answers it without opening or creating one.
pub(super) fn is_offline(args: &RunArgs) -> bool {
    DryRun::is_client(&args.dry_run)
}

/// `key=value,key=value` into a map, in the order given.
fn label_map(spec: &str) -> Result<Map<String, Value>, CliError> {
    let mut map = Map::new();
    for pair in spec.split(',') {
        match pair.split_once('=') {
            Some((k, v)) if !k.is_empty() && !v.contains('=') => {
                map.insert(k.to_string(), Value::String(v.to_string()));
            }
            _ => {
                return Err(CliError::message(format!("unexpected label spec: {pair}")));
            }
        }
    }
    Ok(map)
}

/// kubectl's port strings are parsed with Go's Atoi; its message on failure is kept.
pub fn parse_port(text: &str) -> Result<i64, CliError> {
    text.parse::<i64>()
        .map_err(|_| CliError::message(format!("strconv.Atoi: parsing \"{text}\": invalid syntax")))
}

/// The Pod `run` creates. `namespace` is set only when -n was given, as kubectl does.
pub fn pod(args: &RunArgs, namespace: Option<&str>) -> Result<Value, CliError> {
    let name = args.args.first().cloned().unwrap_or_default();
    let rest = args.args.get(1..).unwrap_or_default();
    let labels = match args.labels.as_deref().filter(|l| !l.is_empty()) {
        Some(spec) => label_map(spec)?,
        None => Map::from_iter([("run".to_string(), Value::String(name.clone()))]),
    };
    let mut annotations = Map::new();
    for a in &args.annotations {
        match a.split_once('=') {
            Some((k, v)) if !k.is_empty() => {
                annotations.insert(k.to_string(), Value::String(v.to_string()));
            }
            _ => {
                return Err(CliError::message(format!(
                    "invalid annotations format: {a}"
                )));
            }
        }
    }
    let mut metadata = Map::new();
    metadata.insert("name".into(), json!(name));
    if let Some(ns) = namespace {
        metadata.insert("namespace".into(), json!(ns));
    }
    metadata.insert("creationTimestamp".into(), Value::Null);
    metadata.insert("labels".into(), Value::Object(labels));
    if !annotations.is_empty() {
        metadata.insert("annotations".into(), Value::Object(annotations));
    }
    let mut container = Map::new();
    container.insert("name".into(), json!(name));
    container.insert(
        "image".into(),
        json!(args.image.clone().unwrap_or_default()),
    );
    if !rest.is_empty() {
        let field = if args.command { "command" } else { "args" };
        container.insert(field.into(), json!(rest));
    }
    if let Some(port) = args.port.as_deref().filter(|p| !p.is_empty()) {
        container.insert(
            "ports".into(),
            json!([{"containerPort": parse_port(port)?}]),
        );
    }
    if !args.env.is_empty() {
        let mut env = Vec::new();
        for e in &args.env {
            match e.split_once('=') {
                Some((k, v)) if !k.is_empty() => env.push(json!({"name": k, "value": v})),
                _ => return Err(CliError::message(format!("invalid env: {e}"))),
            }
        }
        container.insert("env".into(), Value::Array(env));
    }
    container.insert("resources".into(), json!({}));
    if !args.image_pull_policy.is_empty() {
        container.insert("imagePullPolicy".into(), json!(args.image_pull_policy));
    }
    if args.privileged {
        container.insert("securityContext".into(), json!({"privileged": true}));
    }
    // kubectl's stdin closes after the first attach, unless --leave-stdin-open.
    if args.stdin {
        container.insert("stdin".into(), json!(true));
        if !args.leave_stdin_open {
            container.insert("stdinOnce".into(), json!(true));
        }
    }
    if args.tty {
        container.insert("tty".into(), json!(true));
    }
    Ok(json!({
        "kind": "Pod",
        "apiVersion": "v1",
        "metadata": metadata,
        "spec": {
            "containers": [container],
            "restartPolicy": args.restart,
            "dnsPolicy": "ClusterFirst",
        },
        "status": {},
    }))
}

/// The Service `--expose` puts in front of the Pod: its port, selecting the Pod's labels.
/// kubectl names the namespace in the Service only when `-n` did.
fn service_for(
    args: &RunArgs,
    pod: &Value,
    explicit_ns: Option<&str>,
) -> Result<ServiceSpec, CliError> {
    let port = args.port.clone().unwrap_or_default();
    let selector = pod
        .pointer("/metadata/labels")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    Ok(ServiceSpec {
        name: args.args.first().cloned().unwrap_or_default(),
        namespace: explicit_ns.map(str::to_string),
        // kubectl hands only the --labels flag to the Service, not the default `run=NAME`.
        labels: match args.labels.as_deref().filter(|l| !l.is_empty()) {
            Some(spec) => label_map(spec)?,
            None => Map::new(),
        },
        selector,
        ports: vec![service_object::PortSpec {
            port: parse_port(&port)?,
            protocol: "TCP".into(),
            name: None,
        }],
        ..Default::default()
    })
}

/// The Pod with `--overrides` applied (see run_overrides.rs).
fn overridden(args: &RunArgs, pod: Value) -> Result<Value, CliError> {
    run_overrides::apply(
        run_overrides::Kind::Pod,
        pod,
        &args.overrides,
        &args.override_type,
    )
}

/// A client dry run: prints what kubectl would send, touching no cluster.
pub(super) fn run_offline(
    global: &GlobalFlags,
    args: &RunArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    run_with(None, global, args, io)
}

/// Runs a validated `run` against a cluster. `remote` is the server to attach through;
/// without one (the embedded cluster) attaching is refused once the pod is made.
pub fn run(
    client: &dyn Client,
    remote: Option<&Remote>,
    global: &GlobalFlags,
    args: &RunArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    if !attaches(args) {
        return run_with(Some(client), global, args, io);
    }
    let explicit_ns = global.namespace.as_deref().filter(|n| !n.is_empty());
    let pods = registry::find("pods").ok_or_else(|| CliError::message("no pods resource"))?;
    let namespace = explicit_ns.unwrap_or_else(|| global.namespace());
    let opts = WriteOptions {
        field_manager: Some(args.field_manager.clone()),
        ..Default::default()
    };
    let _ = super::discovery::current(client, global);
    let pod = overridden(args, pod(args, explicit_ns)?)?;
    // kubectl prints nothing for the pod it creates to attach to.
    let created = client.create_as_built(pods, Some(namespace), pod, &opts, true)?;
    let name = created["metadata"]["name"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let ns = created["metadata"]["namespace"]
        .as_str()
        .unwrap_or(namespace)
        .to_string();
    let outcome = match remote {
        Some(remote) => {
            let session = super::attach::Session {
                stdin: args.stdin,
                tty: args.tty,
                quiet: args.quiet,
            };
            let wait = run_attach::Wait {
                restart: &args.restart,
                // With stdin left open, kubectl does not wait for the exit code.
                for_exit_code: !args.leave_stdin_open,
                limit: pod_running_timeout::parse(
                    &args.pod_running_timeout,
                    "run",
                    Refusal::Usage,
                )?,
            };
            run_attach::attach(remote, global, (&ns, &name), session, &wait, io)
        }
        None => Err(CliError::message(super::attach::SIMULATED)),
    };
    // kubectl removes the pod however the attach went (a deferred call, its error unheard).
    if args.rm {
        run_attach::remove(client, &ns, &name, args.quiet, io);
    }
    outcome
}

fn run_with(
    client: Option<&dyn Client>,
    global: &GlobalFlags,
    args: &RunArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let dry_run = DryRun::parse_and_warn(&args.dry_run, &mut *io.err)?;
    let output = output_format(args.output.as_deref(), &args.templates)?;
    let explicit_ns = global.namespace.as_deref().filter(|n| !n.is_empty());
    let pod = pod(args, explicit_ns)?;
    let pods = registry::find("pods").ok_or_else(|| CliError::message("no pods resource"))?;
    let namespace = explicit_ns
        .unwrap_or_else(|| global.namespace())
        .to_string();
    let opts = WriteOptions {
        dry_run: dry_run == DryRun::Server,
        field_manager: Some(args.field_manager.clone()),
        ..Default::default()
    };
    let generated = pod.clone();
    let created = match (client, dry_run) {
        (Some(c), DryRun::None | DryRun::Server) => {
            // kubectl maps the Pod's kind through the server's discovery first.
            let _ = super::discovery::current(c, global);
            c.create_as_built(pods, Some(&namespace), overridden(args, pod)?, &opts, true)?
        }
        _ => overridden(args, pod)?,
    };
    let mut printed = String::new();
    if args.expose {
        // The Service selects the labels run chose, whatever an override made of them.
        let spec = service_for(args, &generated, explicit_ns)?;
        let service = service_object::service(&spec);
        let created_service = match (client, dry_run) {
            (Some(c), DryRun::None | DryRun::Server) => {
                let services = registry::find("services")
                    .ok_or_else(|| CliError::message("no services resource"))?;
                c.create_as_built(services, Some(&namespace), service, &opts, true)?
            }
            _ => service,
        };
        printed.push_str(&print_one(
            &created_service,
            output.as_ref(),
            "created",
            dry_run,
        )?);
        // kubectl's YAML printer separates the Service from the Pod twice over.
        if matches!(output, Some(Output::Yaml)) {
            printed.push_str("---\n---\n");
        }
    }
    printed.push_str(&print_one(&created, output.as_ref(), "created", dry_run)?);
    let _ = io.out.write_all(printed.as_bytes());
    Ok(0)
}

/// One object as kubectl prints it after creating it: `-o` format or `kind/name verb`.
pub fn print_one(
    obj: &Value,
    output: Option<&Output>,
    verb: &str,
    dry_run: DryRun,
) -> Result<String, CliError> {
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    let api_version = obj
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("v1");
    let resource = registry::find_by_kind(api_version, kind)
        .ok_or_else(|| CliError::message(format!("no resource for kind {kind}")))?;
    match output {
        Some(Output::Json) if dry_run == DryRun::Client => {
            Ok(crate::print::json::to_json_in_order(obj))
        }
        Some(o) => render(o, vec![(obj.clone(), resource)], true, false, false),
        None => {
            let name = obj
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or("");
            Ok(format!(
                "{} {verb}{}\n",
                crate::print::name::name_line(resource.singular, resource.group, name),
                dry_run.suffix()
            ))
        }
    }
}
