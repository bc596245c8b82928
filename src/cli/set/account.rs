//! `set serviceaccount` (`sa`): the service account of pod templates.

use super::objects::{self, Choose, Words, Write};
use crate::cli::errors::CliError;
use crate::cli::{GlobalFlags, Io};
use crate::client::Client;
use clap::Args;
use serde_json::Value;

#[derive(Args, Debug)]
pub struct AccountArgs {
    /// (-f FILENAME | TYPE NAME | TYPE/NAME) SERVICE_ACCOUNT
    pub args: Vec<String>,
    #[command(flatten)]
    pub choose: Choose,
    #[command(flatten)]
    pub write: Write,
}

/// kubectl's checks before anything is requested.
pub fn validate(args: &AccountArgs) -> Result<(), CliError> {
    let Some((resources, _)) = objects::resources_and_last(&args.args) else {
        return Err(CliError::message("serviceaccount is required"));
    };
    crate::cli::arg_rules::Naming {
        args: resources,
        all: args.choose.all,
        from_files: !args.choose.filenames.is_empty(),
        ..Default::default()
    }
    .check_required()?;
    crate::cli::dry_run::DryRun::parse(&args.write.dry_run).map(|_| ())
}

/// Runs a validated `set serviceaccount`.
pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &AccountArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let Some((resources, account)) = objects::resources_and_last(&args.args) else {
        return Err(CliError::message("serviceaccount is required"));
    };
    let words = Words {
        done: "serviceaccount updated",
        always: true,
        failed: Some("failed to patch ServiceAccountName "),
    };
    let selection = objects::selection(&args.choose, None, resources);
    objects::each(
        client,
        global,
        &selection,
        &args.write,
        &words,
        io,
        |item, obj, _| {
            if let Value::Object(spec) = objects::pod_spec(item, obj)? {
                spec.insert(
                    "serviceAccountName".to_string(),
                    Value::String(account.to_string()),
                );
            }
            Ok(())
        },
    )
}
