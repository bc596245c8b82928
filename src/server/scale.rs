//! The `scale` subresource of Deployments and ReplicaSets: an `autoscaling/v1` Scale view
//! of `spec.replicas`, read and written through the owning object.

use super::State;
use super::message::{Request, Response, json};
use super::writes::{apply_patch, body_value, read_modify_write, write_options};
use crate::api::options::PatchType;
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use crate::apiserver::scale::{custom_scale_of, scale_of, set_at_path};
use crate::client::Client;
use hyper::Method;
use serde_json::{Value, json};

/// From the current Scale: the resourceVersion the client saw, if any, and the replicas it wants.
type Desired<'a> = dyn Fn(&Value) -> Result<(Option<String>, i64), ApiError> + 'a;

pub fn handle(
    state: &State,
    r: &Resource,
    ns: Option<&str>,
    name: &str,
    req: &Request,
) -> Result<Response, ApiError> {
    let opts = crate::api::options::WriteOptions {
        subresource: Some("scale"),
        ..write_options(req)
    };
    // A custom resource keeps its replicas where its CRD says.
    let paths = crate::api::custom::definition_of(r).and_then(|d| d.scale.as_ref());
    let scale_of = |obj: &Value| match paths {
        Some(p) => custom_scale_of(obj, p),
        None => scale_of(obj),
    };
    let set_replicas = |desired: &Desired| {
        read_modify_write(|| {
            let mut obj = state.client.get(r, ns, name)?;
            let (sent_rv, replicas) = desired(&scale_of(&obj))?;
            let current_rv = obj
                .pointer("/metadata/resourceVersion")
                .and_then(Value::as_str)
                .map(str::to_string);
            if sent_rv.is_some_and(|rv| Some(rv) != current_rv) {
                return Err(ApiError::conflict(r.group, r.plural, name));
            }
            match paths {
                Some(p) => set_at_path(&mut obj, &p.spec_replicas, json!(replicas)),
                None => obj["spec"]["replicas"] = json!(replicas),
            }
            state.client.update(r, ns, name, obj, &opts)
        })
    };
    let replicas_of = |scale: &Value| {
        scale
            .pointer("/spec/replicas")
            .and_then(Value::as_i64)
            .filter(|n| *n >= 0)
            .ok_or_else(|| ApiError::bad_request("the Scale has no valid spec.replicas"))
    };
    let updated = match req.method {
        Method::GET => return Ok(json(200, &scale_of(&state.client.get(r, ns, name)?))),
        Method::PUT => {
            let body = body_value(req, "a Scale")?;
            set_replicas(&|_| {
                let rv = body
                    .pointer("/metadata/resourceVersion")
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty());
                Ok((rv.map(str::to_string), replicas_of(&body)?))
            })?
        }
        Method::PATCH
            if req
                .header("content-type")
                .starts_with("application/apply-patch+yaml") =>
        {
            return Err(crate::apiserver::apply::scale_apply_refused());
        }
        Method::PATCH => {
            // kubectl scale sends a merge patch; so does anything that names none.
            let kind = PatchType::from_content_type(req.header("content-type"))
                .unwrap_or(PatchType::Merge);
            let patch = body_value(req, "a patch")?;
            set_replicas(&|current| {
                let mut scale = current.clone();
                apply_patch(&mut scale, kind, &patch)?;
                Ok((None, replicas_of(&scale)?))
            })?
        }
        _ => return Err(ApiError::method_not_allowed()),
    };
    state.control.written();
    Ok(json(200, &scale_of(&updated)))
}
