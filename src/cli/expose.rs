//! `expose`: put a Service in front of a pod, deployment, replica set or service. The
//! selector, labels, ports and protocols come from the exposed object unless flags give
//! them; the Service is built in the field order kubectl prints.

use super::errors::CliError;
use super::manifest;
use super::run::{DryRun, output_format, parse_port, print_one};
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
    /// If non-empty, set the session affinity for the service to this; legal values: 'None', 'ClientIP'
    #[arg(long)]
    pub session_affinity: Option<String>,
    /// ClusterIP to be assigned to the service. Leave empty to auto-allocate, or set to 'None' to create a headless service.
    #[arg(long)]
    pub cluster_ip: Option<String>,
    /// Must be "none", "server", or "client".
    #[arg(long, num_args = 0..=1, default_missing_value = "client", default_value = "none")]
    pub dry_run: String,
    /// Output format: json, yaml, name.
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    /// Name of the manager used to track field ownership.
    #[arg(long, default_value = "kubectl-expose")]
    pub field_manager: String,
}

/// One port of the Service before names and target ports are settled.
#[derive(Clone, Debug, Default)]
pub struct PortSpec {
    pub port: i64,
    pub protocol: String,
}

/// Everything the generated Service is made of.
#[derive(Debug, Default)]
pub struct ServiceSpec {
    pub name: String,
    pub namespace: Option<String>,
    pub labels: Map<String, Value>,
    pub selector: Map<String, Value>,
    pub ports: Vec<PortSpec>,
    pub target_port: Option<String>,
    pub cluster_ip: Option<String>,
    pub service_type: Option<String>,
    pub external_ip: Option<String>,
    pub session_affinity: Option<String>,
}

/// The Service object, in kubectl's field order.
pub fn service(spec: &ServiceSpec) -> Value {
    let many = spec.ports.len() > 1;
    let ports: Vec<Value> = spec
        .ports
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut port = Map::new();
            if many {
                port.insert("name".into(), json!(format!("port-{}", i + 1)));
            }
            port.insert("protocol".into(), json!(p.protocol));
            port.insert("port".into(), json!(p.port));
            let target = match spec.target_port.as_deref() {
                Some(t) => t.parse::<i64>().map_or_else(|_| json!(t), |n| json!(n)),
                None => json!(p.port),
            };
            port.insert("targetPort".into(), target);
            Value::Object(port)
        })
        .collect();
    let mut metadata = Map::new();
    metadata.insert("name".into(), json!(spec.name));
    if let Some(ns) = &spec.namespace {
        metadata.insert("namespace".into(), json!(ns));
    }
    metadata.insert("creationTimestamp".into(), Value::Null);
    if !spec.labels.is_empty() {
        metadata.insert("labels".into(), Value::Object(spec.labels.clone()));
    }
    let mut body = Map::new();
    body.insert("ports".into(), Value::Array(ports));
    body.insert("selector".into(), Value::Object(spec.selector.clone()));
    let some = |v: &Option<String>| v.as_deref().filter(|v| !v.is_empty()).map(|v| json!(v));
    let ips = some(&spec.external_ip)
        .and_then(|v| v.as_str().map(|s| json!(s.split(',').collect::<Vec<_>>())));
    for (key, value) in [
        ("clusterIP", some(&spec.cluster_ip)),
        ("type", some(&spec.service_type)),
        ("externalIPs", ips),
        ("sessionAffinity", some(&spec.session_affinity)),
    ] {
        if let Some(v) = value {
            body.insert(key.into(), v);
        }
    }
    json!({
        "kind": "Service",
        "apiVersion": "v1",
        "metadata": metadata,
        "spec": body,
        "status": {"loadBalancer": {}},
    })
}

const NO_RESOURCE: &str = "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n";

/// kubectl's checks of an `expose` command line before anything is requested.
pub(super) fn validate(args: &ExposeArgs) -> Result<(), CliError> {
    if args.args.is_empty() && args.filenames.is_empty() {
        return Err(CliError::Raw(NO_RESOURCE.into()));
    }
    DryRun::parse(&args.dry_run)?;
    output_format(args.output.as_deref())?;
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

/// The objects named on the command line: `TYPE NAME`, `TYPE/NAME` or the files' documents.
fn named_objects(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &ExposeArgs,
) -> Result<Vec<(&'static Resource, String, String)>, CliError> {
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
            found.push((doc.resource, ns, doc.name().to_string()));
        }
        return Ok(found);
    }
    for target in super::targets::resolve(client, global, &args.args)? {
        for name in target.names {
            found.push((target.resource, global.namespace().to_string(), name));
        }
    }
    if found.is_empty() {
        return Err(CliError::Raw(NO_RESOURCE.into()));
    }
    Ok(found)
}

/// Runs a validated `expose`.
pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &ExposeArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let dry_run = DryRun::parse(&args.dry_run)?;
    let output = output_format(args.output.as_deref())?;
    let services =
        registry::find("services").ok_or_else(|| CliError::message("no services resource"))?;
    for (resource, namespace, name) in named_objects(client, global, args)? {
        let obj = client.get(resource, Some(&namespace), &name)?;
        let spec = spec_for(resource, &obj, args)?;
        let service = service(&spec);
        let result = match dry_run {
            DryRun::Client => service,
            _ => {
                let opts = WriteOptions {
                    dry_run: dry_run == DryRun::Server,
                    field_manager: Some(args.field_manager.clone()),
                    ..Default::default()
                };
                client.create(services, Some(&namespace), service, &opts)?
            }
        };
        let text = print_one(&result, output.as_ref(), "exposed", dry_run)?;
        let _ = io.out.write_all(text.as_bytes());
    }
    Ok(0)
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
            let labels = if resource.kind == "ReplicationController" {
                map("/spec/selector")
            } else {
                if obj
                    .pointer("/spec/selector/matchExpressions")
                    .and_then(Value::as_array)
                    .is_some_and(|a| !a.is_empty())
                {
                    return Err(introspect(format!(
                        "invalid {}: no selectors, therefore cannot be exposed",
                        resource.singular
                    )));
                }
                map("/spec/selector/matchLabels")
            };
            labels.filter(|m| !m.is_empty()).ok_or_else(|| {
                introspect(format!(
                    "invalid {}: no selectors, therefore cannot be exposed",
                    resource.singular
                ))
            })
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

/// Settles the Service: flags first, the exposed object for the rest.
fn spec_for(resource: &Resource, obj: &Value, args: &ExposeArgs) -> Result<ServiceSpec, CliError> {
    let given = |o: &Option<String>| o.as_deref().filter(|s| !s.is_empty()).map(str::to_string);
    let selector = match given(&args.selector) {
        Some(s) => {
            // kubectl checks the object can be exposed at all even with --selector.
            if !matches!(
                resource.kind,
                "Pod" | "Service" | "Deployment" | "ReplicaSet" | "ReplicationController"
            ) {
                selector_of(resource, obj)?;
            }
            equality_map(&s)?
        }
        None => selector_of(resource, obj)?,
    };
    let declared = ports_of(resource, obj);
    let protocol_of = |port: i64| {
        declared
            .iter()
            .find(|p| p.port == port)
            .map_or("TCP".to_string(), |p| p.protocol.clone())
    };
    let mut ports: Vec<PortSpec> = match given(&args.port) {
        Some(list) => list
            .split(',')
            .map(|p| {
                parse_port(p).map(|port| PortSpec {
                    port,
                    protocol: protocol_of(port),
                })
            })
            .collect::<Result<_, _>>()?,
        None => declared.clone(),
    };
    if ports.is_empty() {
        return Err(CliError::message(
            "couldn't find port via --port flag or introspection",
        ));
    }
    if let Some(p) = given(&args.protocol) {
        for port in &mut ports {
            port.protocol.clone_from(&p);
        }
    }
    let labels = match given(&args.labels) {
        Some(l) => equality_map(&l)?,
        None => obj
            .pointer("/metadata/labels")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default(),
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
    })
}
