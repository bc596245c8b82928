//! `expose`: put a Service in front of a pod, deployment, replica set or service. The
//! selector, labels, ports and protocols come from the exposed object unless flags give
//! them; the Service is built in the field order kubectl prints.

use super::dry_run::DryRun;
use super::errors::CliError;
use super::manifest;
use super::output::Output;
use super::run::{output_format, parse_port, print_one};
use super::service_object::{PortSpec, ServiceSpec, service};
use super::{GlobalFlags, Io};
use crate::api::options::WriteOptions;
use crate::api::registry::{self, Resource};
use crate::client::Client;
use clap::Args;
use serde_json::{Map, Value, json};

#[derive(Args, Debug)]
pub struct ExposeArgs {
    /// (-f FILENAME | TYPE NAME | TYPE/NAME)
    pub args: Vec<String>,
    /// Filename, directory, or URL to files identifying the resource to expose a service
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    /// The port that the service should serve on. Copied from the resource being exposed, if unspecified
    #[arg(long)]
    pub port: Option<String>,
    /// Name or number for the port on the container that the service should direct traffic to. Optional.
    #[arg(long)]
    pub target_port: Option<String>,
    /// The network protocol for the service to be created. Default is 'TCP'.
    #[arg(long)]
    pub protocol: Option<String>,
    /// The name for the newly created object.
    #[arg(long)]
    pub name: Option<String>,
    /// Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is 'ClusterIP'.
    #[arg(long = "type")]
    pub service_type: Option<String>,
    /// A label selector to use for this service. Only equality-based selector requirements are supported.
    #[arg(long)]
    pub selector: Option<String>,
    /// Labels to apply to the service created by this call.
    #[arg(short = 'l', long)]
    pub labels: Option<String>,
    /// Additional external IP address (not managed by Kubernetes) to accept for the service.
    #[arg(long)]
    pub external_ip: Option<String>,
    /// IP to assign to the LoadBalancer. If empty, an ephemeral IP will be created and used (cloud-provider specific).
    #[arg(long)]
    pub load_balancer_ip: Option<String>,
    /// If non-empty, set the session affinity for the service to this; legal values: 'None', 'ClientIP'
    #[arg(long)]
    pub session_affinity: Option<String>,
    /// ClusterIP to be assigned to the service. Leave empty to auto-allocate, or set to 'None' to create a headless service.
    #[arg(long)]
    pub cluster_ip: Option<String>,
    /// Must be "none", "server", or "client".
    #[arg(long, num_args = 0..=1, default_missing_value = "unchanged", default_value = "none")]
    pub dry_run: String,
    /// Output format: json, yaml, name.
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    #[command(flatten)]
    pub templates: super::output::TemplateArgs,
    /// An inline JSON override for the generated object. If this is non-empty, it is used to override the generated object. Requires that the object supply a valid apiVersion field.
    #[arg(long, default_value = "")]
    pub overrides: String,
    /// The method used to override the generated object: json, merge, or strategic.
    #[arg(long, default_value = "merge")]
    pub override_type: String,
    /// Name of the manager used to track field ownership.
    #[arg(long, default_value = "kubectl-expose")]
    pub field_manager: String,
}

/// kubectl's checks of an `expose` command line before anything is requested.
pub(super) fn validate(args: &ExposeArgs) -> Result<(), CliError> {
    if args.args.is_empty() && args.filenames.is_empty() {
        return Err(CliError::message(super::arg_rules::NO_RESOURCES));
    }
    DryRun::parse(&args.dry_run)?;
    output_format(args.output.as_deref(), &args.templates)?;
    if let Some(p) = args.port.as_deref().filter(|p| !p.is_empty()) {
        for one in p.split(',') {
            parse_port(one)?;
        }
    }
    if let Some(l) = args.labels.as_deref().filter(|l| !l.is_empty()) {
        equality_map(l)?;
    }
    if let Some(s) = args.selector.as_deref().filter(|s| !s.is_empty()) {
        equality_map(s)?;
    }
    Ok(())
}

/// `k=v,k=v` (kubectl's label and selector flags for expose).
fn equality_map(spec: &str) -> Result<Map<String, Value>, CliError> {
    let mut map = Map::new();
    for pair in spec.split(',') {
        match pair.split_once('=') {
            Some((k, v)) if !k.is_empty() => {
                map.insert(k.to_string(), json!(v));
            }
            _ => return Err(CliError::message(format!("unexpected label spec: {pair}"))),
        }
    }
    Ok(map)
}

/// An object to expose: its resource, namespace and name, and its body when a file gave it.
type Named = (&'static Resource, String, String, Option<Value>);

/// The objects named on the command line: `TYPE NAME`, `TYPE/NAME` or the files' documents.
fn named_objects(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &ExposeArgs,
) -> Result<Vec<Named>, CliError> {
    let mut found = Vec::new();
    if !args.filenames.is_empty() {
        let sources = manifest::read_sources(&args.filenames, false, &mut std::io::stdin())
            .map_err(CliError::message)?;
        for doc in manifest::documents_for(&sources, client, global) {
            let doc = doc.map_err(|e| CliError::Raw(e.render(false)))?;
            let ns = doc
                .namespace_in(global.namespace())
                .unwrap_or("")
                .to_string();
            // kubectl exposes the file's object as written, without reading the server's.
            found.push((doc.resource, ns, doc.name().to_string(), Some(doc.value)));
        }
        return Ok(found);
    }
    let targets = super::targets::resolve(client, global, &args.args)?;
    if !targets.is_empty() && targets.iter().all(|t| t.names.is_empty()) {
        return Err(CliError::message(
            "resource(s) were provided, but no name was specified",
        ));
    }
    for target in targets {
        for name in target.names {
            found.push((target.resource, global.namespace().to_string(), name, None));
        }
    }
    if found.is_empty() {
        return Err(CliError::message(super::arg_rules::NO_RESOURCES));
    }
    Ok(found)
}

/// Runs a validated `expose`. As in kubectl, the selector, ports and labels found on the
/// first object are kept for the objects after it; one object's failure does not stop the
/// others, and the failures are reported together at the end.
pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &ExposeArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let dry_run = DryRun::parse_and_warn(&args.dry_run, &mut *io.err)?;
    let output = output_format(args.output.as_deref(), &args.templates)?;
    let services =
        registry::find("services").ok_or_else(|| CliError::message("no services resource"))?;
    let mut sticky = Sticky::from_flags(args);
    let mut errors: Vec<CliError> = Vec::new();
    let mut printed_any = false;
    for (resource, namespace, name, given) in named_objects(client, global, args)? {
        let outcome = given
            .map_or_else(
                || {
                    super::builder_read::get(
                        client,
                        super::builder_read::Reader::Typed,
                        resource,
                        Some(&namespace),
                        &name,
                    )
                },
                Ok,
            )
            .map_err(CliError::from)
            .and_then(|obj| spec_for(resource, &obj, args, &mut sticky))
            .and_then(|spec| {
                let service = super::run_overrides::apply(
                    super::run_overrides::Kind::Service,
                    service(&spec),
                    &args.overrides,
                    &args.override_type,
                )?;
                if dry_run == DryRun::Client {
                    return Ok(service);
                }
                let opts = WriteOptions {
                    dry_run: dry_run == DryRun::Server,
                    field_manager: Some(args.field_manager.clone()),
                    ..Default::default()
                };
                Ok(client.create_as_built(services, Some(&namespace), service, &opts, true)?)
            })
            .and_then(|made| print_one(&made, output.as_ref(), "exposed", dry_run));
        match outcome {
            Ok(text) => {
                // kubectl's YAML printer opens every document after the first with `---`.
                if printed_any && matches!(output, Some(Output::Yaml)) {
                    let _ = io.out.write_all(b"---\n");
                }
                printed_any = true;
                let _ = io.out.write_all(text.as_bytes());
            }
            Err(e) => errors.push(e),
        }
    }
    CliError::from_many(errors)
}

/// What kubectl learns from the first exposed object and keeps for the rest.
struct Sticky {
    selector: Option<String>,
    /// `--port`, or the one port an object declared; once set, no object is asked again.
    port: Option<String>,
    /// The ports of an object that declared several; they win over `port`.
    ports: Option<String>,
    labels: Option<String>,
}

impl Sticky {
    fn from_flags(args: &ExposeArgs) -> Sticky {
        let given = |o: &Option<String>| o.clone().filter(|s| !s.is_empty());
        Sticky {
            selector: given(&args.selector),
            port: given(&args.port),
            ports: None,
            labels: given(&args.labels),
        }
    }
}

/// `k=v,k=v` from a map, in its order.
fn map_text(map: &Map<String, Value>) -> String {
    map.iter()
        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
        .collect::<Vec<_>>()
        .join(",")
}

/// The exposed object's pod selector, in kubectl's words when it has none usable.
fn selector_of(resource: &Resource, obj: &Value) -> Result<Map<String, Value>, CliError> {
    let introspect = |what: String| {
        CliError::message(format!(
            "couldn't retrieve selectors via --selector flag or introspection: {what}"
        ))
    };
    let map = |p: &str| obj.pointer(p).and_then(Value::as_object).cloned();
    match resource.kind {
        "Pod" => match map("/metadata/labels").filter(|m| !m.is_empty()) {
            Some(m) => Ok(m),
            None => Err(introspect(
                "the pod has no labels and cannot be exposed".into(),
            )),
        },
        "Service" => match map("/spec/selector").filter(|m| !m.is_empty()) {
            Some(m) => Ok(m),
            None => Err(introspect("the service has no pod selector set".into())),
        },
        "Deployment" | "ReplicaSet" | "ReplicationController" => {
            let path = if resource.kind == "ReplicationController" {
                "/spec/selector"
            } else {
                "/spec/selector/matchLabels"
            };
            let labels = map(path).filter(|m| !m.is_empty()).ok_or_else(|| {
                introspect(format!(
                    "invalid {}: no selectors, therefore cannot be exposed",
                    resource.singular
                ))
            })?;
            match obj
                .pointer("/spec/selector/matchExpressions")
                .and_then(Value::as_array)
                .filter(|a| !a.is_empty())
            {
                Some(expressions) => Err(introspect(format!(
                    "couldn't convert expressions - \"{}\" to map-based selector format",
                    go_requirements(expressions)
                ))),
                None => Ok(labels),
            }
        }
        _ => Err(CliError::message(format!(
            "cannot expose a {}",
            resource.kind
        ))),
    }
}

/// The ports (and each one's protocol) the exposed object declares.
fn ports_of(resource: &Resource, obj: &Value) -> Vec<PortSpec> {
    let from = |ports: Option<&Value>, key: &str| -> Vec<PortSpec> {
        ports
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|p| {
                Some(PortSpec {
                    port: p.get(key)?.as_i64()?,
                    protocol: p
                        .get("protocol")
                        .and_then(Value::as_str)
                        .unwrap_or("TCP")
                        .to_string(),
                    name: None,
                })
            })
            .collect()
    };
    let containers = |p: &str| -> Vec<PortSpec> {
        obj.pointer(p)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .flat_map(|c| from(c.get("ports"), "containerPort"))
            .collect()
    };
    match resource.kind {
        "Pod" => containers("/spec/containers"),
        "Service" => from(obj.pointer("/spec/ports"), "port"),
        _ => containers("/spec/template/spec/containers"),
    }
}

/// Settles the Service: flags (or what an earlier object settled) first, this object for
/// the rest.
fn spec_for(
    resource: &Resource,
    obj: &Value,
    args: &ExposeArgs,
    sticky: &mut Sticky,
) -> Result<ServiceSpec, CliError> {
    let given = |o: &Option<String>| o.as_deref().filter(|s| !s.is_empty()).map(str::to_string);
    if !matches!(
        resource.kind,
        "Pod" | "Service" | "Deployment" | "ReplicaSet" | "ReplicationController"
    ) {
        return Err(CliError::message(format!(
            "cannot expose a {}",
            resource.kind
        )));
    }
    let selector = match &sticky.selector {
        Some(s) => equality_map(s)?,
        None => {
            let found = selector_of(resource, obj)?;
            sticky.selector = Some(map_text(&found));
            found
        }
    };
    let declared = ports_of(resource, obj);
    let headless = args.cluster_ip.as_deref() == Some("None");
    if sticky.port.is_none() {
        let mut unique: Vec<String> = Vec::new();
        for p in &declared {
            if !unique.contains(&p.port.to_string()) {
                unique.push(p.port.to_string());
            }
        }
        match unique.len() {
            0 if !headless => {
                return Err(CliError::message(
                    "couldn't find port via --port flag or introspection",
                ));
            }
            0 => {}
            1 => sticky.port = unique.pop(),
            _ => sticky.ports = Some(unique.join(",")),
        }
    }
    let port_list: Vec<i64> = match sticky.ports.as_ref().or(sticky.port.as_ref()) {
        Some(list) => list.split(',').map(parse_port).collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    let forced = given(&args.protocol);
    let many = port_list.len() > 1;
    let mut ports = Vec::new();
    for (i, port) in port_list.iter().enumerate() {
        let protocols: Vec<String> = match &forced {
            Some(p) => vec![p.clone()],
            None => {
                let mut found: Vec<String> = Vec::new();
                for d in declared.iter().filter(|d| d.port == *port) {
                    if !found.contains(&d.protocol) {
                        found.push(d.protocol.clone());
                    }
                }
                if found.is_empty() {
                    found.push("TCP".into());
                }
                found
            }
        };
        let several = protocols.len() > 1;
        for protocol in protocols {
            let name = if several {
                Some(format!("port-{}-{}", i + 1, protocol.to_ascii_lowercase()))
            } else if many {
                Some(format!("port-{}", i + 1))
            } else {
                None
            };
            ports.push(PortSpec {
                port: *port,
                protocol,
                name,
            });
        }
    }
    let labels = match &sticky.labels {
        Some(l) => equality_map(l)?,
        None => {
            let found = obj
                .pointer("/metadata/labels")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            if !found.is_empty() {
                sticky.labels = Some(map_text(&found));
            }
            found
        }
    };
    let name = given(&args.name).unwrap_or_else(|| {
        obj.pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    });
    Ok(ServiceSpec {
        name,
        namespace: None,
        labels,
        selector,
        ports,
        target_port: given(&args.target_port),
        cluster_ip: given(&args.cluster_ip),
        service_type: given(&args.service_type),
        external_ip: given(&args.external_ip),
        session_affinity: given(&args.session_affinity),
        load_balancer_ip: given(&args.load_balancer_ip),
    })
}

/// Go's `%v` of `[]LabelSelectorRequirement`: `[{Key:k Operator:In Values:[a b]}]`.
fn go_requirements(expressions: &[Value]) -> String {
    let one = |e: &Value| {
        let text = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let values: Vec<&str> = e
            .get("values")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        format!(
            "{{Key:{} Operator:{} Values:[{}]}}",
            text("key"),
            text("operator"),
            values.join(" ")
        )
    };
    format!(
        "[{}]",
        expressions.iter().map(one).collect::<Vec<_>>().join(" ")
    )
}
