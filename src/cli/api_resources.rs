//! `api-resources`: the resources the cluster serves. Against a remote server they come
//! from its discovery (cached as kubectl caches it); the embedded cluster's are the static
//! registry.

use super::errors::CliError;
use super::{GlobalFlags, Io};
use crate::api::registry::{RESOURCES, Resource, verbs_of};
use crate::client::Client;
use crate::print::tabwriter::TabWriter;
use clap::Args;

#[derive(Args, Debug)]
pub struct ApiResourcesArgs {
    /// If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default.
    #[arg(long)]
    pub namespaced: Option<bool>,
    /// Limit to resources in the specified API group.
    #[arg(long)]
    pub api_group: Option<String>,
    /// Limit to resources that support the specified verbs.
    #[arg(long, value_delimiter = ',')]
    pub verbs: Vec<String>,
    /// If non-empty, sort list of resources using specified field. One of (name, kind).
    #[arg(long)]
    pub sort_by: Option<String>,
    /// Use the cached list of resources if available.
    #[arg(long)]
    pub cached: bool,
    /// When using the default or custom-column output format, don't print headers.
    #[arg(long)]
    pub no_headers: bool,
    /// Output format. One of: (wide, name).
    #[arg(short = 'o', long)]
    pub output: Option<String>,
}

pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &ApiResourcesArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let wide = match args.output.as_deref() {
        None | Some("") => false,
        Some("wide") => true,
        Some("name") => false,
        Some(o) => {
            return Err(CliError::message(format!("--output {o} is not available")));
        }
    };
    if let Some(s) = args
        .sort_by
        .as_deref()
        .filter(|s| !matches!(*s, "name" | "kind"))
    {
        return Err(CliError::message(format!(
            "--sort-by accepts only name or kind, got {s}"
        )));
    }
    // As kubectl: the cache is read only when `--cached` asks for it; otherwise the
    // server's discovery is fetched afresh (and cached for the next command).
    let discovery = if args.cached {
        super::discovery::current(client, global)
    } else {
        super::discovery::fresh(client, global)
    };
    let mut rows: Vec<(&'static Resource, Vec<String>)> = match discovery {
        Some(found) => found?
            .entries
            .iter()
            .map(|e| (e.resource, e.verbs.clone()))
            .collect(),
        None => RESOURCES
            .iter()
            .map(|r| (r, verbs_of(r).iter().map(|v| v.to_string()).collect()))
            .chain(crate::api::metrics::RESOURCES.iter().map(|r| {
                let verbs = crate::api::metrics::VERBS;
                (r, verbs.iter().map(|v| v.to_string()).collect())
            }))
            .chain(crate::api::reviews::RESOURCES.iter().map(|r| {
                let verbs = crate::api::reviews::VERBS;
                (r, verbs.iter().map(|v| v.to_string()).collect())
            }))
            .collect(),
    };
    rows.retain(|(r, verbs)| {
        !verbs.is_empty()
            && args.namespaced.is_none_or(|n| n == r.namespaced)
            && args.api_group.as_deref().is_none_or(|g| g == r.group)
            && args.verbs.iter().all(|v| verbs.contains(v))
    });
    // kubectl: by group, then name, unless sorted by name or kind.
    match args.sort_by.as_deref() {
        Some("name") => rows.sort_by(|a, b| a.0.plural.cmp(b.0.plural)),
        Some("kind") => rows.sort_by(|a, b| a.0.kind.cmp(b.0.kind)),
        _ => rows.sort_by(|a, b| (a.0.group, a.0.plural).cmp(&(b.0.group, b.0.plural))),
    }
    if args.output.as_deref() == Some("name") {
        for (r, _) in &rows {
            let _ = writeln!(io.out, "{}", r.qualified_plural());
        }
        return Ok(0);
    }
    let mut tw = TabWriter::new(6, 4, 3, ' ', 0);
    if !args.no_headers {
        tw.write_str("NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND");
        tw.write_str(if wide { "\tVERBS\tCATEGORIES\n" } else { "\n" });
    }
    for (r, verbs) in &rows {
        tw.write_str(&format!(
            "{}\t{}\t{}\t{}\t{}",
            r.plural,
            r.short_names.join(","),
            r.api_version(),
            r.namespaced,
            r.kind
        ));
        if wide {
            tw.write_str(&format!(
                "\t{}\t{}",
                verbs.join(","),
                r.categories.join(",")
            ));
        }
        tw.write_str("\n");
    }
    let _ = io.out.write_all(tw.finish().as_bytes());
    Ok(0)
}
