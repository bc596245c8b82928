//! `cordon` and `uncordon`: mark nodes (un)schedulable through `spec.unschedulable`, with
//! kubectl's strategic merge patch and its `node/NAME cordoned` lines.

use super::dry_run::DryRun;
use super::errors::CliError;
use super::nodes::{self, NodeSelection};
use super::{GlobalFlags, Io};
use crate::api::options::{PatchType, WriteOptions};
use crate::client::Client;
use clap::Args;
use serde_json::{Value, json};

#[derive(Args, Debug)]
pub struct CordonArgs {
    /// NODE...
    pub nodes: Vec<String>,
    /// Selector (label query) to filter on
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// Must be "none", "server", or "client".
    #[arg(long, num_args = 0..=1, default_missing_value = "unchanged", default_value = "none")]
    pub dry_run: String,
}

/// Which way a run goes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Cordon,
    Uncordon,
}

impl Direction {
    fn verb(self) -> &'static str {
        match self {
            Direction::Cordon => "cordon",
            Direction::Uncordon => "uncordon",
        }
    }

    fn done(self) -> &'static str {
        match self {
            Direction::Cordon => "cordoned",
            Direction::Uncordon => "uncordoned",
        }
    }
}

pub(super) fn validate(args: &CordonArgs, direction: Direction) -> Result<(), CliError> {
    DryRun::parse(&args.dry_run)?;
    nodes::check_named(&args.nodes, args.selector.as_deref(), direction.verb())
}

pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &CordonArgs,
    direction: Direction,
    io: &mut Io,
) -> Result<i32, CliError> {
    let dry_run = DryRun::parse_and_warn(&args.dry_run, &mut *io.err)?;
    let selection = NodeSelection {
        names: &args.nodes,
        selector: args.selector.as_deref(),
    };
    let found = nodes::read(client, global, &selection)?;
    let mut errors = Vec::new();
    for node in found {
        let name = nodes::name(&node);
        match set_unschedulable(client, &node, direction, dry_run) {
            Ok(changed) => {
                let word = if changed { "" } else { "already " };
                let _ = writeln!(
                    io.out,
                    "node/{name} {word}{}{}",
                    direction.done(),
                    dry_run.suffix()
                );
            }
            Err(e) => errors.push(format!(
                "unable to {} node {name:?}: {}",
                direction.verb(),
                super::errors::api_error_text(&e)
            )),
        }
    }
    nodes::aggregate(errors)
}

/// Patches `spec.unschedulable` when it differs from the wanted value; `Ok(false)` when
/// nothing had to change. kubectl drops the field (`null`) to uncordon.
pub fn set_unschedulable(
    client: &dyn Client,
    node: &Value,
    direction: Direction,
    dry_run: DryRun,
) -> Result<bool, crate::api::status::ApiError> {
    let now = node
        .pointer("/spec/unschedulable")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let want = direction == Direction::Cordon;
    if now == want {
        return Ok(false);
    }
    if dry_run != DryRun::Client {
        let patch =
            json!({"spec": {"unschedulable": if want { json!(true) } else { Value::Null }}});
        let opts = WriteOptions {
            dry_run: dry_run == DryRun::Server,
            ..Default::default()
        };
        let r = nodes::resource();
        client.patch(
            r,
            None,
            nodes::name(node),
            PatchType::Strategic,
            &patch,
            &opts,
        )?;
    }
    Ok(true)
}
