//! `describe`: details of resources, with their related objects and events.

use super::errors::CliError;
use super::targets;
use super::{GlobalFlags, Io};
use crate::api::options::ListOptions;
use crate::api::registry::{self, Resource};
use crate::client::Client;
use crate::print::describe::{self, DescribeOptions, Lookup};
use clap::Args;
use serde_json::Value;

#[derive(Args, Debug)]
pub struct DescribeArgs {
    /// (TYPE[.VERSION][.GROUP] [NAME_PREFIX | -l label] | TYPE[.VERSION][.GROUP]/NAME)
    pub args: Vec<String>,
    /// Selector (label query) to filter on.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// If present, list the requested object(s) across all namespaces.
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// If true, display events related to the described object.
    #[arg(long, num_args = 0..=1, default_missing_value = "true", default_value = "true")]
    pub show_events: String,
    /// Return large lists in chunks rather than all at once.
    #[arg(long, default_value_t = 500)]
    pub chunk_size: i64,
}

/// Describers fetch related objects through the client.
struct ClientLookup<'a>(&'a dyn Client);

impl Lookup for ClientLookup<'_> {
    fn list(
        &self,
        resource: &str,
        namespace: Option<&str>,
        label_selector: Option<&str>,
        field_selector: Option<&str>,
    ) -> Result<Vec<Value>, String> {
        let r = resource_for(resource)?;
        let opts = ListOptions {
            label_selector: label_selector.map(str::to_string),
            field_selector: field_selector.map(str::to_string),
            ..Default::default()
        };
        let list = self.0.list(r, namespace, &opts).map_err(|e| e.message)?;
        Ok(list["items"].as_array().cloned().unwrap_or_default())
    }

    fn get(
        &self,
        resource: &str,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Option<Value>, String> {
        let r = resource_for(resource)?;
        match self.0.get(r, namespace, name) {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.code == 404 => Ok(None),
            Err(e) => Err(e.message),
        }
    }
}

fn resource_for(name: &str) -> Result<&'static Resource, String> {
    registry::find(name)
        .ok_or_else(|| format!("the server doesn't have a resource type \"{name}\""))
}

pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &DescribeArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    if args.args.is_empty() {
        return Err(CliError::Raw(
            "You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nSee 'kubectl describe -h' for help and examples\n".into(),
        ));
    }
    let opts = DescribeOptions {
        show_events: args.show_events != "false",
        now: now(),
    };
    let targets = targets::resolve(&args.args)?;
    let lookup = ClientLookup(client);
    let mut first = true;
    let mut failed = false;
    for target in &targets {
        let r = target.resource;
        let ns = if r.namespaced && !args.all_namespaces {
            Some(global.namespace())
        } else {
            None
        };
        let objects = if target.names.is_empty() {
            let list = client.list(r, ns, &ListOptions::labels(args.selector.as_deref()))?;
            list["items"].as_array().cloned().unwrap_or_default()
        } else {
            let mut objects = Vec::new();
            for name in &target.names {
                match find_by_name_or_prefix(client, r, ns, name) {
                    Ok(found) => objects.extend(found),
                    Err(e) => {
                        failed = true;
                        let _ = writeln!(io.err, "{}", super::errors::api_error_text(&e));
                    }
                }
            }
            objects
        };
        if objects.is_empty() && target.names.is_empty() {
            match ns {
                Some(n) => {
                    let _ = writeln!(io.err, "No resources found in {n} namespace.");
                }
                None => {
                    let _ = writeln!(io.err, "No resources found");
                }
            }
        }
        for obj in objects {
            let text =
                describe::describe(r.plural, &obj, &lookup, &opts).map_err(CliError::message)?;
            if !first {
                let _ = io.out.write_all(b"\n\n");
            }
            first = false;
            let _ = io.out.write_all(text.as_bytes());
        }
    }
    Ok(i32::from(failed))
}

/// kubectl describe takes a name, or failing that a name prefix.
fn find_by_name_or_prefix(
    client: &dyn Client,
    r: &Resource,
    ns: Option<&str>,
    name: &str,
) -> Result<Vec<Value>, crate::api::status::ApiError> {
    match client.get(r, ns, name) {
        Ok(obj) => Ok(vec![obj]),
        Err(e) if e.code == 404 => {
            let list = client.list(r, ns, &ListOptions::default())?;
            let matching: Vec<Value> = list["items"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|o| {
                    o.pointer("/metadata/name")
                        .and_then(Value::as_str)
                        .is_some_and(|n| n.starts_with(name))
                })
                .cloned()
                .collect();
            if matching.is_empty() {
                Err(e)
            } else {
                Ok(matching)
            }
        }
        Err(e) => Err(e),
    }
}

fn now() -> chrono::DateTime<chrono::Utc> {
    crate::cluster::clock::Clock::from_env()
        .map(|c| c.now())
        .unwrap_or_else(|_| chrono::Utc::now())
}
