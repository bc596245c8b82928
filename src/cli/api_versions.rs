//! `api-versions`: every group/version the server serves, sorted, one a line. A remote
//! server's come from its discovery, fetched afresh (kubectl invalidates its cache for
//! this verb); the embedded cluster's from the static registry.

use super::errors::CliError;
use super::{GlobalFlags, Io};
use crate::api::registry::RESOURCES;
use crate::client::Client;
use clap::Args;

#[derive(Args, Debug)]
pub struct ApiVersionsArgs {
    /// kubectl takes no arguments here; kept to refuse them in its words.
    #[arg(hide = true)]
    pub args: Vec<String>,
}

/// kubectl's usage error for arguments, before any request.
pub fn validate(args: &ApiVersionsArgs) -> Result<(), CliError> {
    if args.args.is_empty() {
        return Ok(());
    }
    Err(CliError::Raw(format!(
        "error: unexpected arguments: [{}]\nSee 'kubectl api-versions -h' for help and examples\n",
        args.args.join(" ")
    )))
}

pub fn run(client: &dyn Client, global: &GlobalFlags, io: &mut Io) -> Result<i32, CliError> {
    let mut versions: Vec<String> = match super::discovery::fresh(client, global) {
        Some(found) => found?.group_versions.clone(),
        None => RESOURCES
            .iter()
            .chain(crate::api::registry::OTHER_VERSIONS)
            .chain(crate::api::metrics::RESOURCES)
            .chain(crate::api::reviews::RESOURCES)
            .map(|r| r.api_version())
            .collect(),
    };
    versions.sort();
    versions.dedup();
    for v in versions {
        let _ = writeln!(io.out, "{v}");
    }
    Ok(0)
}
