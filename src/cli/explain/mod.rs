//! `explain RESOURCE[.field.path]`: the documentation of a kind and its fields, rendered
//! from the server's OpenAPI v3 document of its group-version as kubectl 1.32 renders it
//! (`render`). A remote server's document is fetched from `/openapi/v3` as kubectl fetches
//! it; the embedded cluster's API server answers with its own, offline. kubectl's OpenAPI v2
//! renderer (`--output=plaintext-openapiv2`, also its fallback when a server has no v3) is
//! not built: the request is sent, and a document that comes back is refused.

mod render;
mod wrap;

use super::errors::CliError;
use super::targets::Catalog;
use super::{GlobalFlags, Io};
use crate::api::registry::Resource;
use crate::client::Client;
use clap::Args;
use serde_json::Value;

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// RESOURCE[.field.path]
    pub args: Vec<String>,
    /// When true, print the name of all the fields recursively. Otherwise, print the available fields with their description.
    #[arg(long, default_value_t = false, num_args = 0..=1, default_missing_value = "true", action = clap::ArgAction::Set)]
    pub recursive: bool,
    /// Use given api-version (group/version) of the resource.
    #[arg(long = "api-version", default_value = "")]
    pub api_version: String,
    /// Format in which to render the schema. Valid values are: (plaintext, plaintext-openapiv2).
    #[arg(short = 'o', long, default_value = "plaintext")]
    pub output: String,
}

const PLAINTEXT: &str = "plaintext";
const PLAINTEXT_OPENAPIV2: &str = "plaintext-openapiv2";

/// kubectl's argument checks, before any request.
pub fn validate(args: &ExplainArgs) -> Result<(), CliError> {
    match args.args.len() {
        0 => Err(CliError::message(
            "You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.",
        )),
        1 => Ok(()),
        _ => Err(CliError::message(
            "We accept only this format: explain RESOURCE",
        )),
    }
}

pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &ExplainArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let catalog = Catalog { client, global };
    let (resource, fields) = split(&catalog, &args.args[0], args.api_version.is_empty())?;
    let (mut group, mut version) = (resource.group.to_string(), resource.version.to_string());
    if args.output == PLAINTEXT_OPENAPIV2 {
        return openapi_v2(client);
    }
    let index = match fetch_json(client, "/openapi/v3?timeout=32s") {
        Ok(index) => index,
        // kubectl falls back on its OpenAPI v2 renderer.
        Err(_) if args.output == PLAINTEXT => return openapi_v2(client),
        Err(e) => {
            return Err(CliError::message(format!(
                "failed to fetch list of groupVersions: {}",
                super::errors::api_error_text(&e)
            )));
        }
    };
    if !args.api_version.is_empty() {
        (group, version) = parse_group_version(&args.api_version)?;
    }
    let gvr = render::Gvr {
        group: &group,
        version: &version,
        resource: resource.plural,
    };
    let key = if group.is_empty() {
        format!("api/{version}")
    } else {
        format!("apis/{group}/{version}")
    };
    let url = index
        .get("paths")
        .and_then(|p| p.get(&key))
        .and_then(|p| p.get("serverRelativeURL"))
        .and_then(Value::as_str)
        .ok_or_else(|| {
            CliError::message(format!(
                "couldn't find resource for \"{}\"",
                gvr.go_string()
            ))
        })?;
    let sep = if url.contains('?') { '&' } else { '?' };
    let url = format!("{url}{sep}timeout=32s");
    // A server is asked for JSON only, as kubectl asks; the embedded API server answers
    // with its own document.
    let doc = match client.get_path(&url, "application/json") {
        Some(reply) => reply,
        None => fetch_json(client, &url),
    }
    .map_err(|e| {
        CliError::message(format!(
            "failed to fetch openapi schema for {key}: {}",
            super::errors::api_error_text(&e)
        ))
    })?;
    if args.output != PLAINTEXT {
        return Err(CliError::message(format!(
            "unrecognized format: {}",
            args.output
        )));
    }
    match render::render(&doc, &gvr, &fields, args.recursive) {
        Ok(text) => {
            let _ = io.out.write_all(text.as_bytes());
            Ok(0)
        }
        Err(f) => Err(CliError::Partial {
            printed: f.printed,
            message: f.message.trim_start_matches("error: ").to_string(),
        }),
    }
}

/// The resource and the field path an argument names. As kubectl: the first dotted part
/// names the resource; when the argument starts with the resource's `plural.group`, the
/// path is what follows it (`deployments.apps.spec`), else every part after the first.
/// With `--api-version` only the first part names the resource.
fn split(
    catalog: &Catalog,
    arg: &str,
    match_group: bool,
) -> Result<(&'static Resource, Vec<String>), CliError> {
    let arg = arg.strip_suffix('.').unwrap_or(arg);
    let parts: Vec<&str> = arg.split('.').collect();
    let resource = catalog.resource(parts[0]).map_err(|_| {
        CliError::Raw(format!(
            "the server doesn't have a resource type \"{}\"\n",
            parts[0]
        ))
    })?;
    let qualified = resource.qualified_plural();
    let fields = match arg.strip_prefix(qualified.as_str()) {
        Some(rest) if match_group => match rest.get(1..) {
            Some(r) if !rest.is_empty() => r.split('.').map(String::from).collect(),
            _ => Vec::new(),
        },
        _ => parts[1..].iter().map(|s| s.to_string()).collect(),
    };
    Ok((resource, fields))
}

/// Go's `schema.ParseGroupVersion`: `v1`, `apps/v1`, or empty.
fn parse_group_version(gv: &str) -> Result<(String, String), CliError> {
    if gv.is_empty() || gv == "/" {
        return Ok((String::new(), String::new()));
    }
    match gv.split_once('/') {
        None => Ok((String::new(), gv.to_string())),
        Some((g, v)) if !v.contains('/') => Ok((g.to_string(), v.to_string())),
        _ => Err(CliError::message(format!(
            "unexpected GroupVersion string: {gv}"
        ))),
    }
}

fn fetch_json(client: &dyn Client, path: &str) -> Result<Value, crate::api::status::ApiError> {
    let bytes = client.openapi_v3(path).unwrap_or_else(|| {
        Err(crate::api::status::ApiError::new(
            404,
            "NotFound",
            "the server could not find the requested resource",
        ))
    })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        crate::api::status::ApiError::new(
            500,
            "InternalError",
            format!("invalid OpenAPI document: {e}"),
        )
    })
}

/// kubectl's OpenAPI v2 explain: the document is requested as kubectl requests it; the
/// server's refusal is kubectl's error, and a document is refused, not rendered.
fn openapi_v2(client: &dyn Client) -> Result<i32, CliError> {
    match client.get_raw("/openapi/v2?timeout=32s") {
        Some(Ok(_)) => Err(CliError::message(
            "--output=plaintext-openapiv2 is not supported by kubelite; use --output=plaintext",
        )),
        Some(Err(e)) => Err(CliError::Api(e)),
        // The embedded API server publishes OpenAPI v3 only, like a server whose v2 is off.
        None => Err(CliError::Api(crate::api::status::ApiError::new(
            404,
            "NotFound",
            "the server could not find the requested resource",
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_versions_parse_as_go_parses_them() {
        assert_eq!(parse_group_version("v1").unwrap(), ("".into(), "v1".into()));
        assert_eq!(
            parse_group_version("apps/v1").unwrap(),
            ("apps".into(), "v1".into())
        );
        assert!(parse_group_version("a/b/c").is_err());
    }
}
