//! The nodes `cordon`, `uncordon` and `taint` work on: names (`NAME`, `node/NAME`), a label
//! selector, or all of them; each read before anything changes, as kubectl's builder does.

use super::GlobalFlags;
use super::errors::CliError;
use crate::api::options::ListOptions;
use crate::api::registry::Resource;
use crate::client::Client;
use serde_json::Value;

/// How the nodes were named.
pub struct NodeSelection<'a> {
    pub names: &'a [String],
    pub selector: Option<&'a str>,
}

pub fn resource() -> &'static Resource {
    crate::api::registry::find("nodes").expect("the registry serves nodes")
}

pub fn name(node: &Value) -> &str {
    node.pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// kubectl's usage errors of `cordon`/`uncordon`/`drain`: a node or a selector, not both.
pub fn check_named(names: &[String], selector: Option<&str>, verb: &str) -> Result<(), CliError> {
    let usage = |what: &str| {
        CliError::Raw(format!(
            "error: {what}\nSee 'kubectl {verb} -h' for help and examples\n"
        ))
    };
    if names.is_empty() && selector.is_none() {
        return Err(usage(&format!("USAGE: {verb} NODE [flags]")));
    }
    if !names.is_empty() && selector.is_some() {
        return Err(usage(
            "cannot specify both a node name and a --selector option",
        ));
    }
    Ok(())
}

/// A node argument without its optional `node/` or `nodes/` type.
fn plain_name(arg: &str) -> Result<&str, CliError> {
    match arg.split_once('/') {
        None => Ok(arg),
        Some((kind, name)) if crate::api::registry::find(kind) == Some(resource()) => Ok(name),
        // kubectl would read the other object and fail on its kind; kubelite says so first.
        Some((kind, _)) => Err(CliError::message(format!(
            "kubelite works on nodes here, not {kind:?}"
        ))),
    }
}

/// The selected nodes, in the order named (by name) or listed (by selector or `all`). The
/// first read that fails ends the command, as kubectl's visitor does.
pub fn read(
    client: &dyn Client,
    global: &GlobalFlags,
    sel: &NodeSelection,
) -> Result<Vec<Value>, CliError> {
    // kubectl's builder maps `node` through the server's discovery first (a failure
    // there is reported by the read that follows).
    let _ = super::discovery::current(client, global);
    let r = resource();
    if sel.names.is_empty() {
        let opts = ListOptions {
            label_selector: sel.selector.map(str::to_string),
            ..Default::default()
        };
        let list = client.list(r, None, &opts)?;
        return Ok(list["items"].as_array().cloned().unwrap_or_default());
    }
    let mut nodes = Vec::new();
    for arg in sel.names {
        // Read with kubectl's typed client, as its node verbs do.
        nodes.push(client.get_typed(r, None, plain_name(arg)?)?);
    }
    Ok(nodes)
}

/// kubectl's report of per-node errors: one as `error: ...`, several one a line, bare.
pub fn aggregate(errors: Vec<String>) -> Result<i32, CliError> {
    match errors.len() {
        0 => Ok(0),
        1 => Err(CliError::message(errors.concat())),
        _ => Err(CliError::Raw(
            errors.iter().map(|e| format!("{e}\n")).collect(),
        )),
    }
}
