//! Everything but watch: health, version, discovery, OpenAPI, and the REST verbs on
//! collections, objects and the subresources `status`, `binding`, `scale` and
//! `ephemeralcontainers`.

use super::State;
use super::discovery;
use super::fields;
use super::health;
use super::message::{Request, Response, bytes_response, error, json, json_as};
use super::negotiate::{AGGREGATED_CONTENT_TYPE, Representation, TABLE_CONTENT_TYPE, choose};
use super::openapi;
use super::options::{
    check_list_version, check_version_match, log_options, options_invalid, truncate,
};
use super::query;
use super::route::{Route, Target};
use super::writes::{
    apply_patch, body_value, read_modify_write, unsupported_media_type, write_options,
};
use crate::api::options::{DeleteOptions, ListOptions, PatchType};
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use crate::apiserver::smp;
use crate::client::Client;
use hyper::Method;
use serde_json::{Value, json};

pub fn handle(state: &State, route: Route, req: &Request) -> Response {
    let accept = req.header("accept");
    // Version, discovery and OpenAPI documents are read-only: kube-apiserver routes only GET.
    let read_only = !matches!(
        route,
        Route::Health(_)
            | Route::Clock
            | Route::Resource(_)
            | Route::NotFound
            | Route::Unconvertible
    );
    if read_only && req.method != Method::GET {
        return error(&ApiError::method_not_allowed());
    }
    match route {
        Route::Health(path) => {
            let verbose = req.param("verbose").is_some();
            let (status, body) = health::answer(&state.control, &path, verbose);
            bytes_response(status, "text/plain; charset=utf-8", body)
        }
        Route::Version => match state.client.version() {
            Ok(v) => json(200, &v),
            Err(e) => error(&e),
        },
        Route::Clock => match super::clock::answer(state, req) {
            Ok(v) => json(200, &v),
            Err(e) => error(&e),
        },
        Route::CoreRoot | Route::GroupsRoot => {
            let core = route == Route::CoreRoot;
            let custom = super::custom_resources(state);
            if choose(accept, &[Representation::AggregatedDiscovery])
                == Representation::AggregatedDiscovery
            {
                json_as(
                    200,
                    AGGREGATED_CONTENT_TYPE,
                    &discovery::aggregated(core, &custom),
                )
            } else if core {
                json(200, &discovery::core_versions())
            } else {
                json(200, &discovery::group_list(&custom))
            }
        }
        Route::Group(g) => match discovery::group(&g, &super::custom_resources(state)) {
            Some(v) => json(200, &v),
            None => not_found(),
        },
        Route::GroupVersion { group, version } => json(
            200,
            &discovery::resource_list(&group, &version, &super::custom_resources(state)),
        ),
        Route::OpenApiRoot => json(200, &state.client.server().openapi_root()),
        Route::OpenApiGroupVersion { group, version } => {
            let custom = || state.client.server().custom_openapi(&group, &version);
            match openapi::group_version(&group, &version).or_else(custom) {
                Some(doc) => openapi_doc(req, &doc),
                None => not_found(),
            }
        }
        Route::Resource(t) => {
            // Admission webhooks' warnings of this request (it runs on this thread).
            let _ = crate::apiserver::webhooks::warnings::take();
            let resp = match resource(state, &t, req) {
                Ok(r) => r,
                Err(e) => error(&e),
            };
            let resp = fields::with_warnings(resp, &crate::apiserver::webhooks::warnings::take());
            // kube-apiserver warns on every request of a deprecated resource.
            match crate::api::registry::deprecation(t.resource) {
                Some(w) => fields::with_warnings(resp, &[w.to_string()]),
                None => resp,
            }
        }
        Route::Unconvertible => error(&ApiError::internal(
            "Internal error occurred: error resolving resource",
        )),
        Route::NotFound => not_found(),
    }
}

/// A path of a custom resource whose CRD cannot be served for want of a converter (see
/// `ApiServer::cannot_convert`).
pub fn cannot_convert(state: &State, path: &str, method: &Method) -> bool {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    let (group, version, rest) = match segments.as_slice() {
        ["apis", group, version, rest @ ..] if !rest.is_empty() => (*group, *version, rest),
        _ => return false,
    };
    let (namespaced, rest) = match rest {
        ["namespaces", _, rest @ ..] if !rest.is_empty() => (true, rest),
        _ => (false, rest),
    };
    let list = rest.len() == 1 && method == Method::GET;
    state
        .client
        .server()
        .cannot_convert(group, version, rest[0], namespaced, list)
}

fn not_found() -> Response {
    error(&ApiError::new(
        404,
        "NotFound",
        "the server could not find the requested resource",
    ))
}

/// A per-group-version OpenAPI document, with an ETag that `If-None-Match` may match.
fn openapi_doc(req: &Request, doc: &Value) -> Response {
    let etag = format!("\"{}\"", openapi::hash(doc));
    let mut resp = if req.header("if-none-match") == etag {
        bytes_response(304, "application/json", Vec::new())
    } else {
        json(200, doc)
    };
    if let Ok(v) = hyper::header::HeaderValue::from_str(&etag) {
        resp.headers_mut().insert(hyper::header::ETAG, v);
    }
    resp
}

fn resource(state: &State, t: &Target, req: &Request) -> Result<Response, ApiError> {
    let r = t.resource;
    let ns = t.namespace.as_deref();
    // Reviews are answered for their sender before this (`reviews::handle`).
    if super::reviews::is_review(r) {
        return Err(ApiError::method_not_allowed());
    }
    if super::metrics::is_metrics(r) {
        let (name, sub) = (t.name.as_deref(), t.subresource.as_deref());
        return super::metrics::handle(state, r, ns, name, sub, req);
    }
    let wants_table =
        || choose(req.header("accept"), &[Representation::Table]) == Representation::Table;
    match (&req.method, t.name.as_deref(), t.subresource.as_deref()) {
        (&Method::GET, None, None) => {
            let opts = list_options(req)?;
            check_list_version(state, req)?;
            if wants_table() {
                let table = super::list::list_table(&state.client, r, ns, &opts)?;
                Ok(bytes_response(200, TABLE_CONTENT_TYPE, table))
            } else {
                let list = super::list::list_json(&state.client, r, ns, &opts)?;
                Ok(bytes_response(200, "application/json", list))
            }
        }
        (&Method::POST, None, None) => create(state, r, ns, req),
        (&Method::DELETE, None, None) => delete_collection(state, r, ns, req),
        (&Method::GET, Some(name), None) => {
            if wants_table() {
                let mut table = state.client.get_table(r, ns, name)?;
                if let Some(rv) = table
                    .pointer("/rows/0/object/metadata/resourceVersion")
                    .cloned()
                {
                    table["metadata"] = json!({"resourceVersion": rv});
                }
                Ok(json_as(200, TABLE_CONTENT_TYPE, &table))
            } else {
                Ok(json(200, &state.client.get(r, ns, name)?))
            }
        }
        (&Method::PUT, Some(name), None) => {
            let mut obj = body_object(req, r)?;
            check_name(&obj, name)?;
            let mut warnings = fields::check(state, req, r, &mut obj, fields::Request::Write)?;
            let before = super::podsecurity::before(state.client.as_ref(), r, name);
            let out = state.client.update(r, ns, name, obj, &write_options(req))?;
            state.control.written();
            warnings.extend(super::podsecurity::relabel_warnings(
                state.client.as_ref(),
                before.as_ref(),
                &out,
            ));
            Ok(fields::with_warnings(json(200, &out), &warnings))
        }
        (&Method::PATCH, Some(name), None) => patch(state, r, ns, name, req),
        (&Method::DELETE, Some(name), None) => {
            let opts = delete_options(req)?;
            let out = state.client.delete(r, ns, name, &opts)?;
            state.control.written();
            Ok(json(200, &out))
        }
        (_, Some(name), Some("status")) if crate::api::registry::has_status(r) => {
            status(state, r, ns, name, req, None)
        }
        (_, Some(name), Some("approval")) if r.plural == "certificatesigningrequests" => {
            status(state, r, ns, name, req, Some("approval"))
        }
        (_, Some(name), Some("ephemeralcontainers")) if r.plural == "pods" => {
            super::ephemeral::handle(state, r, ns, name, req)
        }
        (&Method::POST, Some(name), Some("binding")) if r.plural == "pods" => {
            bind(state, ns.unwrap_or("default"), name, req)
        }
        (&Method::POST, Some(name), Some("eviction")) if r.plural == "pods" => {
            evict(state, ns.unwrap_or("default"), name, req)
        }
        (&Method::POST, Some(name), Some("token")) if r.plural == "serviceaccounts" => {
            // kubectl sends it in protobuf; curl and client libraries in JSON.
            let body: Value = if super::protobuf::is_protobuf(req.header("content-type")) {
                super::protobuf::body_to_json(&req.body)?
            } else {
                serde_json::from_slice(&req.body).map_err(|e| {
                    ApiError::bad_request(format!("the TokenRequest is not valid JSON: {e}"))
                })?
            };
            let ns = ns.unwrap_or("default");
            state
                .client
                .server()
                .restrict_node_token(req.requester.as_ref(), ns, name, &body)?;
            let out = state.client.create_token(ns, name, &body)?;
            Ok(json(201, &out))
        }
        (_, Some(name), Some("scale")) if crate::api::registry::has_scale(r) => {
            super::scale::handle(state, r, ns, name, req)
        }
        (&Method::GET, Some(name), Some("log")) if r.plural == "pods" => {
            // The simulated container's log; `follow` ends at once (nothing more is written).
            let log = log_options(req, name)?;
            let opts = crate::kubelet::LogOptions {
                tail: log.tail_lines,
                timestamps: req.param("timestamps") == Some("true"),
                previous: req.param("previous") == Some("true"),
            };
            let text = crate::kubelet::logs(
                state.client.as_ref(),
                ns.unwrap_or("default"),
                name,
                req.param("container"),
                &opts,
            )?;
            let text = match log.limit_bytes {
                Some(n) => truncate(text, n),
                None => text,
            };
            Ok(bytes_response(200, "text/plain", text))
        }
        (_, _, Some(_)) => Err(ApiError::new(
            404,
            "NotFound",
            "the server could not find the requested resource",
        )),
        _ => Err(ApiError::method_not_allowed()),
    }
}

/// A list's or watch's options; numbers are read as kube-apiserver's parameter codec
/// reads them (`timeoutSeconds` is checked here and read by `watch`).
pub fn list_options(req: &Request) -> Result<ListOptions, ApiError> {
    let limit = query::int64(req, "limit")?;
    query::int64(req, "timeoutSeconds")?;
    check_version_match(req)?;
    Ok(ListOptions {
        label_selector: req.param("labelSelector").map(str::to_string),
        field_selector: req.param("fieldSelector").map(str::to_string),
        limit,
        continue_token: req.param("continue").map(str::to_string),
        include_object: req.param("includeObject") == Some("Object"),
        name_prefix: None,
    })
}

/// A YAML request body (`application/yaml`) as JSON; one document only, as kube-apiserver's
/// YAML serializer reads it.
fn yaml_body(req: &Request, what: &str) -> Result<Value, ApiError> {
    let text = std::str::from_utf8(&req.body)
        .map_err(|_| ApiError::bad_request(format!("the YAML body ({what}) is not UTF-8 text")))?;
    if text.trim().is_empty() {
        return Err(ApiError::bad_request(format!(
            "the request body is empty; expected {what}"
        )));
    }
    serde_saphyr::from_str(text).map_err(|e| {
        ApiError::bad_request(format!(
            "the body of the request is not valid YAML ({what}): {e}"
        ))
    })
}

fn body_object(req: &Request, r: &Resource) -> Result<Value, ApiError> {
    let content_type = req.header("content-type");
    let obj = if super::protobuf::is_protobuf(content_type) {
        super::protobuf::body_to_json(&req.body)?
    } else if content_type.is_empty()
        || content_type.starts_with("application/json")
        || content_type.starts_with("*/*")
    {
        body_value(req, r.kind)?
    } else if content_type.starts_with("application/yaml") {
        yaml_body(req, r.kind)?
    } else {
        return Err(unsupported_media_type(
            content_type,
            "application/json, application/yaml, application/vnd.kubernetes.protobuf",
        ));
    };
    if !obj.is_object() {
        return Err(ApiError::bad_request(format!(
            "the object provided is unrecognized (must be of type {}): the body is not a JSON object",
            r.kind
        )));
    }
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or(r.kind);
    let version = obj
        .get("apiVersion")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| r.api_version());
    if kind != r.kind || version != r.api_version() {
        return Err(ApiError::bad_request(format!(
            "the API version in the data ({version}) does not match the expected API version ({})",
            r.api_version()
        )));
    }
    Ok(obj)
}

fn check_name(obj: &Value, name: &str) -> Result<(), ApiError> {
    match obj.pointer("/metadata/name").and_then(Value::as_str) {
        Some(n) if n != name => Err(ApiError::bad_request(format!(
            "the name of the object ({n}) does not match the name on the URL ({name})"
        ))),
        _ => Ok(()),
    }
}

fn create(
    state: &State,
    r: &'static Resource,
    ns: Option<&str>,
    req: &Request,
) -> Result<Response, ApiError> {
    if r.namespaced && ns.is_none() {
        return Err(ApiError::new(
            405,
            "MethodNotAllowed",
            format!("{} must be created in a namespace", r.plural),
        ));
    }
    let obj = body_object(req, r)?;
    if let (Some(url_ns), Some(obj_ns)) = (
        ns,
        obj.pointer("/metadata/namespace").and_then(Value::as_str),
    ) && !obj_ns.is_empty()
        && obj_ns != url_ns
    {
        return Err(ApiError::bad_request(
            "the namespace of the provided object does not match the namespace sent on the request",
        ));
    }
    let mut obj = obj;
    let mut warnings = fields::check(state, req, r, &mut obj, fields::Request::Write)?;
    let opts = write_options(req);
    let server = state.client.server();
    // A webhook may take seconds: with webhooks configured, each create is admitted on its
    // own request thread, not in a group commit that other clients' creates wait on.
    let out = if server.has_admission_webhooks() {
        server.create(r, ns, obj, &opts)?
    } else {
        state
            .control
            .create(r, ns.map(str::to_string), obj, &opts)?
    };
    if super::podsecurity::concerns(r) {
        warnings.extend(super::podsecurity::warnings(
            state.client.as_ref(),
            r,
            ns,
            &out,
        ));
    }
    Ok(fields::with_warnings(json(201, &out), &warnings))
}

fn patch_type(req: &Request) -> Result<PatchType, ApiError> {
    let ct = req.header("content-type");
    PatchType::from_content_type(ct).ok_or_else(|| {
        unsupported_media_type(
            ct,
            "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json",
        )
    })
}

fn patch(
    state: &State,
    r: &'static Resource,
    ns: Option<&str>,
    name: &str,
    req: &Request,
) -> Result<Response, ApiError> {
    if req
        .header("content-type")
        .starts_with("application/apply-patch+yaml")
    {
        return apply(state, r, ns, name, req, None);
    }
    let kind = patch_type(req)?;
    // Custom objects have no strategic merge keys: kube refuses the format for them.
    if kind == PatchType::Strategic && crate::api::custom::is_custom(r) {
        return Err(ApiError::new(
            415,
            "UnsupportedMediaType",
            "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
        ));
    }
    if req.param("force").is_some() {
        return Err(ApiError::invalid(
            "meta.k8s.io",
            "PatchOptions",
            "",
            "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch".into(),
            vec![json!({"reason": "FieldValueForbidden", "message": "Forbidden: may not be specified for non-apply patch", "field": "force"})],
        ));
    }
    let body = body_value(req, "a patch")?;
    let opts = write_options(req);
    let mut warnings = Vec::new();
    let before = super::podsecurity::before(state.client.as_ref(), r, name);
    let out = match kind {
        PatchType::Strategic => read_modify_write(|| {
            let mut obj = state.client.get(r, ns, name)?;
            smp::apply(&mut obj, &body)?;
            warnings = fields::check(state, req, r, &mut obj, fields::Request::Patch)?;
            state.client.update(r, ns, name, obj, &opts)
        })?,
        PatchType::Merge => {
            let mut body = body;
            warnings = fields::check(state, req, r, &mut body, fields::Request::Patch)?;
            state.client.patch(r, ns, name, kind, &body, &opts)?
        }
        PatchType::Json => state.client.patch(r, ns, name, kind, &body, &opts)?,
    };
    state.control.written();
    warnings.extend(super::podsecurity::relabel_warnings(
        state.client.as_ref(),
        before.as_ref(),
        &out,
    ));
    Ok(fields::with_warnings(json(200, &out), &warnings))
}

/// Server-side apply: the configuration (YAML or JSON) applied as the request's field
/// manager, to the object or to its `subresource` (`status`); 201 when it created the object.
fn apply(
    state: &State,
    r: &'static Resource,
    ns: Option<&str>,
    name: &str,
    req: &Request,
    subresource: Option<&'static str>,
) -> Result<Response, ApiError> {
    // kubectl always names one ("kubectl"); controllers must, so kube-apiserver requires it.
    if req.param("fieldManager").is_none_or(str::is_empty) {
        return Err(options_invalid(
            "PatchOptions",
            "fieldManager",
            "FieldValueRequired",
            "Required value: is required for apply patch",
        ));
    }
    let text = std::str::from_utf8(&req.body)
        .map_err(|_| ApiError::bad_request("the apply configuration is not UTF-8 text"))?;
    // JSON is YAML; kubectl sends JSON.
    let config: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(_) => serde_saphyr::from_str(text).map_err(|e| {
            ApiError::bad_request(format!("the apply configuration is not valid YAML: {e}"))
        })?,
    };
    if !config.is_object() {
        return Err(ApiError::bad_request(
            "the apply configuration is not an object",
        ));
    }
    check_name(&config, name)?;
    if config
        .pointer("/metadata/managedFields")
        .is_some_and(|m| !m.is_null())
    {
        return Err(ApiError::bad_request("metadata.managedFields must be nil"));
    }
    fields::check_apply(req, r, ns, name, &config)?;
    let force = match req.param("force") {
        None | Some("" | "false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "force: Invalid value: {other:?}: must be true or false"
            )));
        }
    };
    let opts = crate::api::options::WriteOptions {
        subresource,
        ..write_options(req)
    };
    let (out, created) = state
        .client
        .server()
        .server_side_apply(r, ns, name, &config, &opts, force)?;
    state.control.written();
    let code = if created { 201 } else { 200 };
    Ok(json(code, &out))
}

fn status(
    state: &State,
    r: &'static Resource,
    ns: Option<&str>,
    name: &str,
    req: &Request,
    subresource: Option<&'static str>,
) -> Result<Response, ApiError> {
    let opts = crate::api::options::WriteOptions {
        subresource,
        ..write_options(req)
    };
    let out = match req.method {
        Method::GET => return Ok(json(200, &state.client.get(r, ns, name)?)),
        Method::PUT => {
            let obj = body_object(req, r)?;
            check_name(&obj, name)?;
            state.client.update_status(r, ns, name, obj, &opts)?
        }
        Method::PATCH
            if req
                .header("content-type")
                .starts_with("application/apply-patch+yaml") =>
        {
            return apply(state, r, ns, name, req, subresource.or(Some("status")));
        }
        Method::PATCH => {
            let kind = patch_type(req)?;
            let body = body_value(req, "a patch")?;
            read_modify_write(|| {
                let mut obj = state.client.get(r, ns, name)?;
                apply_patch(&mut obj, kind, &body)?;
                state.client.update_status(r, ns, name, obj, &opts)
            })?
        }
        _ => return Err(ApiError::method_not_allowed()),
    };
    state.control.written();
    Ok(json(200, &out))
}

/// `pods/binding`: the body is a v1 Binding naming the pod of the URL.
fn bind(state: &State, ns: &str, name: &str, req: &Request) -> Result<Response, ApiError> {
    let body = if super::protobuf::is_protobuf(req.header("content-type")) {
        super::protobuf::body_to_json(&req.body)?
    } else {
        body_value(req, "a Binding")?
    };
    if body
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        != name
    {
        return Err(ApiError::bad_request(
            "name in URL does not match name in Binding object",
        ));
    }
    let binding = crate::apiserver::binding::BindingRequest::of(&body)?;
    state
        .client
        .server()
        .bind_pod(ns, &binding, &write_options(req))?;
    state.control.written();
    Ok(json(201, &crate::apiserver::binding::bound()))
}

/// `pods/eviction`: the body is a policy/v1 Eviction naming the pod, with DeleteOptions.
fn evict(state: &State, ns: &str, name: &str, req: &Request) -> Result<Response, ApiError> {
    let body = if super::protobuf::is_protobuf(req.header("content-type")) {
        super::protobuf::body_to_json(&req.body)?
    } else {
        body_value(req, "an Eviction")?
    };
    if body.pointer("/metadata/name").and_then(Value::as_str) != Some(name) {
        return Err(ApiError::bad_request(
            "name in URL does not match name in Eviction object".to_string(),
        ));
    }
    let options = &body["deleteOptions"];
    let opts = DeleteOptions {
        dry_run: req.param("dryRun") == Some("All")
            || options["dryRun"]
                .as_array()
                .is_some_and(|d| d.iter().any(|x| x == "All")),
        grace_period_seconds: options["gracePeriodSeconds"]
            .as_i64()
            .map(|g| g.min(MAX_GRACE_SECONDS)),
        propagation_policy: options["propagationPolicy"].as_str().map(str::to_string),
        requester: req.requester.clone(),
        requested_as: None,
    };
    state.client.server().evict(ns, name, &opts)?;
    state.control.written();
    Ok(json(
        201,
        &json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201}),
    ))
}

/// A hundred years: the longest grace period kept as asked.
const MAX_GRACE_SECONDS: i64 = 100 * 365 * 24 * 3600;

/// DeleteOptions from the body (as kubectl sends them) and the query.
fn delete_options(req: &Request) -> Result<DeleteOptions, ApiError> {
    let body = if req.body.iter().all(u8::is_ascii_whitespace) {
        Value::Null
    } else if super::protobuf::is_protobuf(req.header("content-type")) {
        // What kubectl sends for `drain --dry-run=server` (and `delete` in some versions).
        super::protobuf::body_to_json(&req.body)?
    } else {
        body_value(req, "DeleteOptions")?
    };
    let dry_run = req.param("dryRun") == Some("All")
        || body["dryRun"]
            .as_array()
            .is_some_and(|d| d.iter().any(|x| x == "All"));
    let grace = match query::int64(req, "gracePeriodSeconds")? {
        Some(g) => Some(g),
        None => body["gracePeriodSeconds"].as_i64(),
    }
    // Longer than any pod lives, short enough that `now + grace` is a time.
    .map(|g| g.min(MAX_GRACE_SECONDS));
    let policy = req
        .param("propagationPolicy")
        .map(str::to_string)
        .or_else(|| body["propagationPolicy"].as_str().map(str::to_string));
    if let Some(p) = &policy
        && !matches!(p.as_str(), "Background" | "Foreground" | "Orphan")
    {
        let detail = format!(
            "Unsupported value: {}: supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"",
            query::go_quote(p)
        );
        return Err(options_invalid(
            "DeleteOptions",
            "propagationPolicy",
            "FieldValueNotSupported",
            &detail,
        ));
    }
    Ok(DeleteOptions {
        dry_run,
        propagation_policy: policy,
        grace_period_seconds: grace,
        requester: req.requester.clone(),
        requested_as: None,
    })
}

fn delete_collection(
    state: &State,
    r: &Resource,
    ns: Option<&str>,
    req: &Request,
) -> Result<Response, ApiError> {
    let opts = delete_options(req)?;
    let mut list = state.client.list(r, ns, &list_options(req)?)?;
    let mut deleted = Vec::new();
    if let Some(items) = list["items"].as_array() {
        for item in items {
            let name = item
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or("");
            let item_ns = item.pointer("/metadata/namespace").and_then(Value::as_str);
            match state.client.delete(r, item_ns, name, &opts) {
                Ok(obj) => deleted.push(without_type(obj)),
                Err(e) if e.code == 404 => {}
                Err(e) => return Err(e),
            }
        }
    }
    list["items"] = Value::Array(deleted);
    state.control.written();
    Ok(json(200, &list))
}

/// A list item: the object without `kind` and `apiVersion`.
fn without_type(mut obj: Value) -> Value {
    if let Value::Object(m) = &mut obj {
        m.shift_remove("kind");
        m.shift_remove("apiVersion");
    }
    obj
}
