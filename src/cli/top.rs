//! `top node|pod`: CPU and memory usage from the Metrics API (`metrics.k8s.io/v1beta1`),
//! printed as kubectl prints it. As kubectl does, the server's groups are read first (no
//! Metrics API: `error: Metrics API not available`), then the metrics, then the nodes'
//! allocatable (for the percentages) or, when no pod has metrics, the pods (to say why).
//! The embedded cluster serves the simulated metrics of `api::metrics`.

use super::discovery::DISCOVERY_ACCEPT;
use super::errors::CliError;
use super::{GlobalFlags, Io};
use crate::api::metrics;
use crate::api::options::ListOptions;
use crate::api::quantity::Quantity;
use crate::api::registry;
use crate::api::selector::{FieldSelector, LabelSelector};
use crate::client::Client;
use crate::print::tabwriter::TabWriter;
use clap::{Args, Subcommand};
use serde_json::Value;

#[derive(Args, Debug)]
pub struct TopArgs {
    #[command(subcommand)]
    pub command: TopCommand,
}

#[derive(Subcommand, Debug)]
pub enum TopCommand {
    /// Display resource (CPU/memory) usage of nodes
    #[command(aliases = ["nodes", "no"])]
    Node(TopNodeArgs),
    /// Display resource (CPU/memory) usage of pods
    #[command(aliases = ["pods", "po"])]
    Pod(TopPodArgs),
}

#[derive(Args, Debug)]
pub struct TopNodeArgs {
    /// NAME
    pub names: Vec<String>,
    /// Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints.
    #[arg(short = 'l', long, default_value = "")]
    pub selector: String,
    /// If non-empty, sort nodes list using specified field. The field can be either 'cpu' or 'memory'.
    #[arg(long, default_value = "")]
    pub sort_by: String,
    /// If present, print output without headers
    #[arg(long)]
    pub no_headers: bool,
    /// Print node resources based on Capacity instead of Allocatable(default) of the nodes.
    #[arg(long)]
    pub show_capacity: bool,
    /// Accepted as kubectl has it; kubelite always reads the Metrics API as JSON.
    #[arg(long, default_value = "true", num_args = 0..=1, default_missing_value = "true")]
    pub use_protocol_buffers: String,
}

#[derive(Args, Debug)]
pub struct TopPodArgs {
    /// NAME
    pub names: Vec<String>,
    /// If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// If present, print usage of containers within a pod.
    #[arg(long)]
    pub containers: bool,
    /// Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type.
    #[arg(long, default_value = "")]
    pub field_selector: String,
    /// If present, print output without headers.
    #[arg(long)]
    pub no_headers: bool,
    /// Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints.
    #[arg(short = 'l', long, default_value = "")]
    pub selector: String,
    /// If non-empty, sort pods list using specified field. The field can be either 'cpu' or 'memory'.
    #[arg(long, default_value = "")]
    pub sort_by: String,
    /// Print the sum of the resource usage
    #[arg(long)]
    pub sum: bool,
    /// Accepted as kubectl has it; kubelite always reads the Metrics API as JSON.
    #[arg(long, default_value = "true", num_args = 0..=1, default_missing_value = "true")]
    pub use_protocol_buffers: String,
}

/// kubectl's pod metrics stay unreported this long after a pod is created.
const METRICS_CREATION_DELAY_SECS: i64 = 120;

/// kubectl's checks before any request (its Complete, then Validate).
pub fn validate(args: &TopArgs) -> Result<(), CliError> {
    let (verb, names, sort_by, by_selector, both) = match &args.command {
        TopCommand::Node(a) => (
            "node",
            &a.names,
            &a.sort_by,
            !a.selector.is_empty(),
            "only one of NAME or --selector can be provided",
        ),
        TopCommand::Pod(a) => (
            "pod",
            &a.names,
            &a.sort_by,
            !a.selector.is_empty() || !a.field_selector.is_empty(),
            "only one of NAME or selector can be provided",
        ),
    };
    if names.len() > 1 {
        return Err(CliError::Raw(format!(
            "error: {verb} [NAME | -l label]\nSee 'kubectl top {verb} -h' for help and examples\n"
        )));
    }
    if !sort_by.is_empty() && sort_by != "cpu" && sort_by != "memory" {
        return Err(CliError::message("--sort-by accepts only cpu or memory"));
    }
    if !names.is_empty() && by_selector {
        return Err(CliError::message(both));
    }
    Ok(())
}

pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &TopArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    match &args.command {
        TopCommand::Node(a) => top_node(client, a, io),
        TopCommand::Pod(a) => top_pod(client, global, a, io),
    }
}

/// The canonical form of a label selector, as kubectl sends it.
fn label_selector(text: &str) -> Result<Option<String>, CliError> {
    if text.is_empty() {
        return Ok(None);
    }
    let s = LabelSelector::parse(text).map_err(CliError::message)?;
    Ok(Some(s.to_string()).filter(|s| !s.is_empty()))
}

fn field_selector(text: &str) -> Result<Option<String>, CliError> {
    if text.is_empty() {
        return Ok(None);
    }
    let s = FieldSelector::parse(text).map_err(CliError::message)?;
    Ok(Some(s.to_string()).filter(|s| !s.is_empty()))
}

/// Whether the server serves `metrics.k8s.io/v1beta1`, read as kubectl reads it: the
/// server's groups, asked afresh (`/api`, then `/apis`, without the cached discovery's
/// timeout). The embedded cluster always does.
fn metrics_available(client: &dyn Client) -> Result<bool, CliError> {
    let Some(core) = client.get_path("/api", DISCOVERY_ACCEPT) else {
        return Ok(true);
    };
    core?;
    let groups = match client.get_path("/apis", DISCOVERY_ACCEPT) {
        Some(g) => g?,
        None => return Ok(true),
    };
    // Aggregated (`items[].metadata.name`, `versions[].version`) or legacy
    // (`groups[].name`, `versions[].version`).
    let list = groups
        .get("items")
        .or_else(|| groups.get("groups"))
        .and_then(Value::as_array);
    Ok(list.into_iter().flatten().any(|g| {
        let name = g
            .pointer("/metadata/name")
            .or_else(|| g.get("name"))
            .and_then(Value::as_str);
        name == Some(metrics::GROUP)
            && g["versions"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|v| v["version"] == metrics::VERSION)
    }))
}

fn items(list: Value) -> Vec<Value> {
    match list {
        Value::Object(mut m) => match m.remove("items") {
            Some(Value::Array(a)) => a,
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

fn core(plural: &str) -> &'static registry::Resource {
    registry::RESOURCES
        .iter()
        .find(|r| r.group.is_empty() && r.plural == plural)
        .expect("core resources are registered")
}

/// A usage quantity of `usage` (a ResourceList), zero when missing.
fn quantity(usage: &Value, resource: &str) -> Quantity {
    usage
        .get(resource)
        .and_then(Quantity::from_json)
        .unwrap_or_default()
}

fn cpu_text(q: &Quantity) -> String {
    format!("{}m", q.milli_value())
}

fn memory_text(q: &Quantity) -> String {
    format!("{}Mi", q.value() / (1024 * 1024))
}

/// kubectl's sorts are Go's `sort.Sort`, which is an insertion sort (stable) for the
/// short lists seen here; larger descending by usage, else by name.
fn by_usage(a: &(Quantity, Quantity), b: &(Quantity, Quantity), sort_by: &str) -> bool {
    match sort_by {
        "cpu" => a.0.milli_value() > b.0.milli_value(),
        _ => a.1.value() > b.1.value(),
    }
}

fn sort_items<T>(items: &mut [T], less: impl Fn(&T, &T) -> bool) {
    // Insertion sort: the order Go's sort.Sort gives lists of up to 12 items.
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && less(&items[j], &items[j - 1]) {
            items.swap(j, j - 1);
            j -= 1;
        }
    }
}

fn top_node(client: &dyn Client, args: &TopNodeArgs, io: &mut Io) -> Result<i32, CliError> {
    let selector = label_selector(&args.selector)?;
    if !metrics_available(client)? {
        return Err(CliError::message("Metrics API not available"));
    }
    let opts = ListOptions {
        label_selector: selector.clone(),
        ..ListOptions::default()
    };
    let name = args.names.first().map(String::as_str);
    let found = client.metrics(metrics::nodes(), None, name, &opts)?;
    let mut found = match name {
        Some(_) => vec![found],
        None => items(found),
    };
    if found.is_empty() {
        return Err(CliError::message("metrics not available yet"));
    }
    let nodes = match name {
        Some(n) => vec![client.get_typed(core("nodes"), None, n)?],
        None => items(client.list(
            core("nodes"),
            None,
            &ListOptions {
                label_selector: selector,
                limit: Some(0),
                ..ListOptions::default()
            },
        )?),
    };
    let field = if args.show_capacity {
        "capacity"
    } else {
        "allocatable"
    };
    let mut available: Vec<(String, Value)> = nodes
        .iter()
        .filter_map(|n| {
            let name = n.pointer("/metadata/name")?.as_str()?.to_string();
            let list = n.pointer(&format!("/status/{field}")).cloned();
            Some((name, list.unwrap_or(Value::Null)))
        })
        .collect();
    let usage = |m: &Value| {
        (
            quantity(&m["usage"], "cpu"),
            quantity(&m["usage"], "memory"),
        )
    };
    let name_of = |m: &Value| {
        m.pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    sort_items(&mut found, |a, b| match args.sort_by.as_str() {
        "" => name_of(a) < name_of(b),
        s => by_usage(&usage(a), &usage(b), s),
    });
    let mut tw = TabWriter::new(6, 4, 3, ' ', 0);
    if !args.no_headers {
        tw.write_str("NAME\tCPU(cores)\tCPU(%)\tMEMORY(bytes)\tMEMORY(%)\t\n");
    }
    for m in &found {
        let name = name_of(m);
        let (cpu, memory) = usage(m);
        let avail = available
            .iter()
            .position(|(n, _)| *n == name)
            .map(|i| available.remove(i).1);
        let mut line = format!("{name}\t");
        for (q, text, resource) in [
            (cpu, cpu_text(&cpu), "cpu"),
            (memory, memory_text(&memory), "memory"),
        ] {
            line.push_str(&text);
            line.push('\t');
            if let Some(a) = avail.as_ref().and_then(|a| a.get(resource)) {
                let a = Quantity::from_json(a).unwrap_or_default();
                let fraction = q.milli_value() as f64 / a.milli_value() as f64 * 100.0;
                line.push_str(&format!("{}%\t", fraction as i64));
            }
        }
        line.push('\n');
        tw.write_str(&line);
    }
    // Nodes that have no metrics (kubectl prints them in its map's order; one is exact).
    for (name, _) in available {
        tw.write_str(&format!(
            "{name}\t<unknown>\t<unknown>\t<unknown>\t<unknown>\t\n"
        ));
    }
    let _ = io.out.write_all(tw.finish().as_bytes());
    Ok(0)
}

/// One pod's metrics: its namespace, name, containers (name and usage) and their sum.
struct PodUsage {
    namespace: String,
    name: String,
    containers: Vec<(String, (Quantity, Quantity))>,
    total: (Quantity, Quantity),
}

fn pod_usage(m: &Value) -> PodUsage {
    let text = |p: &str| {
        m.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let containers: Vec<(String, (Quantity, Quantity))> = m["containers"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            (
                c["name"].as_str().unwrap_or("").to_string(),
                (
                    quantity(&c["usage"], "cpu"),
                    quantity(&c["usage"], "memory"),
                ),
            )
        })
        .collect();
    let mut total = (Quantity::default(), Quantity::default());
    for (_, (cpu, memory)) in &containers {
        total.0.add(cpu);
        total.1.add(memory);
    }
    PodUsage {
        namespace: text("/metadata/namespace"),
        name: text("/metadata/name"),
        containers,
        total,
    }
}

fn top_pod(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &TopPodArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let labels = label_selector(&args.selector)?;
    let fields = field_selector(&args.field_selector)?;
    if !metrics_available(client)? {
        return Err(CliError::message("Metrics API not available"));
    }
    let namespace = global.namespace();
    let ns = (!args.all_namespaces).then_some(namespace);
    let opts = ListOptions {
        label_selector: labels.clone(),
        field_selector: fields.clone(),
        ..ListOptions::default()
    };
    let name = args.names.first().map(String::as_str);
    let found = client.metrics(metrics::pods(), ns, name, &opts)?;
    let found = match name {
        Some(_) => vec![found],
        None => items(found),
    };
    if found.is_empty() {
        why_no_metrics(client, namespace, name, labels, fields)?;
        if args.all_namespaces {
            let _ = writeln!(io.err, "No resources found");
        } else {
            let _ = writeln!(io.err, "No resources found in {namespace} namespace.");
        }
        return Ok(0);
    }
    let mut pods: Vec<PodUsage> = found.iter().map(pod_usage).collect();
    let with_ns = args.all_namespaces;
    sort_items(&mut pods, |a, b| match args.sort_by.as_str() {
        "" if with_ns && a.namespace != b.namespace => a.namespace < b.namespace,
        "" => a.name < b.name,
        s => by_usage(&a.total, &b.total, s),
    });
    let mut tw = TabWriter::new(6, 4, 3, ' ', 0);
    // kubectl widens the sum's columns only when it printed the headers.
    let mut width = 3;
    if !args.no_headers {
        if with_ns {
            tw.write_str("NAMESPACE\t");
            width += 1;
        }
        if args.containers {
            tw.write_str("POD\t");
            width += 1;
        }
        tw.write_str("NAME\tCPU(cores)\tMEMORY(bytes)\t\n");
    }
    let usage_cells = |(cpu, memory): &(Quantity, Quantity)| {
        format!("{}\t{}\t", cpu_text(cpu), memory_text(memory))
    };
    let mut total = (Quantity::default(), Quantity::default());
    for p in &mut pods {
        total.0.add(&p.total.0);
        total.1.add(&p.total.1);
        let prefix = if with_ns {
            format!("{}\t", p.namespace)
        } else {
            String::new()
        };
        if args.containers {
            sort_items(&mut p.containers, |a, b| match args.sort_by.as_str() {
                "" => a.0 < b.0,
                s => by_usage(&a.1, &b.1, s),
            });
            for (c, usage) in &p.containers {
                tw.write_str(&format!(
                    "{prefix}{}\t{c}\t{}\n",
                    p.name,
                    usage_cells(usage)
                ));
            }
        } else {
            tw.write_str(&format!("{prefix}{}\t{}\n", p.name, usage_cells(&p.total)));
        }
    }
    if args.sum {
        tw.write_str(&"\t".repeat(width - 2));
        tw.write_str("________\t________\t\n");
        tw.write_str(&"\t".repeat(width - 3));
        tw.write_str(&format!("\t{}\n", usage_cells(&total)));
    }
    let _ = io.out.write_all(tw.finish().as_bytes());
    Ok(0)
}

/// kubectl's reason for an empty answer: the pods asked for (in the namespace, even with
/// `-A`) are read; none is fine, one older than the metrics delay is an error naming it,
/// and otherwise metrics are not there yet.
fn why_no_metrics(
    client: &dyn Client,
    namespace: &str,
    name: Option<&str>,
    labels: Option<String>,
    fields: Option<String>,
) -> Result<(), CliError> {
    let pods = match name {
        Some(n) => vec![client.get_typed(core("pods"), Some(namespace), n)?],
        None => items(client.list(
            core("pods"),
            Some(namespace),
            &ListOptions {
                label_selector: labels,
                field_selector: fields,
                limit: Some(0),
                ..ListOptions::default()
            },
        )?),
    };
    if name.is_none() && pods.is_empty() {
        return Ok(());
    }
    let now = std::time::SystemTime::now();
    for pod in &pods {
        let created = pod
            .pointer("/metadata/creationTimestamp")
            .and_then(Value::as_str)
            .and_then(crate::clock::parse_timestamp);
        let Some(created) = created else { continue };
        let created: std::time::SystemTime = created.into();
        let age = now.duration_since(created).unwrap_or_default();
        if age.as_secs() as i64 > METRICS_CREATION_DELAY_SECS {
            let text = |p: &str| pod.pointer(p).and_then(Value::as_str).unwrap_or("");
            return Err(CliError::message(format!(
                "Metrics not available for pod {}/{}, age: {}",
                text("/metadata/namespace"),
                text("/metadata/name"),
                crate::go::duration::format(age)
            )));
        }
    }
    Err(CliError::message("metrics not available yet"))
}
