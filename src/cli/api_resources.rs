//! `api-resources`: the resources the cluster serves.

use super::Io;
use super::errors::CliError;
use crate::api::registry::RESOURCES;
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
    /// When using the default or custom-column output format, don't print headers.
    #[arg(long)]
    pub no_headers: bool,
    /// Output format. One of: (wide, name).
    #[arg(short = 'o', long)]
    pub output: Option<String>,
}

pub fn run(args: &ApiResourcesArgs, io: &mut Io) -> Result<i32, CliError> {
    let rows = RESOURCES.iter().filter(|r| {
        args.namespaced.is_none_or(|n| n == r.namespaced)
            && args.api_group.as_deref().is_none_or(|g| g == r.group)
    });
    if args.output.as_deref() == Some("name") {
        for r in rows {
            let _ = writeln!(io.out, "{}", r.qualified_plural());
        }
        return Ok(0);
    }
    if let Some(o) = args.output.as_deref().filter(|o| *o != "wide") {
        return Err(CliError::message(format!("--output {o} is not available")));
    }
    let mut tw = TabWriter::new(6, 4, 3, ' ', 0);
    if !args.no_headers {
        tw.write_str("NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND\n");
    }
    for r in rows {
        tw.write_str(&format!(
            "{}\t{}\t{}\t{}\t{}\n",
            r.plural,
            r.short_names.join(","),
            r.api_version(),
            r.namespaced,
            r.kind
        ));
    }
    let _ = io.out.write_all(tw.finish().as_bytes());
    Ok(0)
}
