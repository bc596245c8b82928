//! A pod's `ephemeralcontainers` subresource: reads the pod, and writes (PATCH, PUT) only
//! its `spec.ephemeralContainers`, which kube-apiserver lets grow but never change.

use super::State;
use super::message::{Request, Response, json};
use super::writes::{body_value, read_modify_write, write_options};
use crate::api::options::{PatchType, WriteOptions};
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use crate::client::Client;
use hyper::Method;
use serde_json::Value;

pub fn handle(
    state: &State,
    r: &Resource,
    ns: Option<&str>,
    name: &str,
    req: &Request,
) -> Result<Response, ApiError> {
    let opts = WriteOptions {
        subresource: Some("ephemeralcontainers"),
        ..write_options(req)
    };
    let out = match req.method {
        Method::GET => return Ok(json(200, &state.client.get(r, ns, name)?)),
        Method::PUT => {
            let obj = body_value(req, "a Pod")?;
            let sent = obj
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or("");
            if sent != name {
                return Err(ApiError::bad_request(format!(
                    "the name of the object ({sent}) does not match the name on the URL ({name})"
                )));
            }
            state
                .client
                .server()
                .update_ephemeral_containers(r, ns, name, obj, &opts)?
        }
        Method::PATCH => {
            let ct = req.header("content-type");
            let kind = PatchType::from_content_type(ct).ok_or_else(|| {
                super::writes::unsupported_media_type(
                    ct,
                    "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json",
                )
            })?;
            let body = body_value(req, "a patch")?;
            read_modify_write(|| state.client.patch(r, ns, name, kind, &body, &opts))?
        }
        _ => return Err(ApiError::method_not_allowed()),
    };
    state.control.written();
    Ok(json(200, &out))
}
