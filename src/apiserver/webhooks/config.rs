//! The webhooks of all configurations of one kind, parsed once per change: each request
//! reads only the keys and revisions of the configurations to know whether its copy is
//! current.

use super::super::ApiServer;
use super::super::codec::{decode_stored, store_error};
use super::super::memo::Memo;
use crate::api::crd_schema::compile_condition;
use crate::api::json::strings;
use crate::api::registry::Resource;
use crate::api::selector::LabelSelector;
use crate::api::status::ApiError;
use crate::store::RangeRequest;
use serde_json::Value;
use std::sync::{Arc, Mutex};

/// One webhook of a configuration, as admission uses it.
pub struct Webhook {
    pub name: String,
    pub rules: Vec<Rule>,
    pub exact: bool,
    pub namespace_selector: LabelSelector,
    pub object_selector: LabelSelector,
    pub side_effects: String,
    pub timeout_seconds: u64,
    /// The first of its `admissionReviewVersions` kube speaks (None: none is, and every
    /// call fails as kube's do; an update may keep such a list).
    pub review_version: Option<&'static str>,
    pub ignore_failures: bool,
    pub reinvoke_if_needed: bool,
    pub client: Client,
    pub conditions: Vec<(String, Arc<cel::Program>)>,
}

pub struct Rule {
    pub operations: Vec<String>,
    pub groups: Vec<String>,
    pub versions: Vec<String>,
    pub resources: Vec<String>,
    pub scope: String,
}

/// Where the webhook is: a URL, or a Service reached through its endpoints.
#[derive(Debug)]
pub enum Client {
    Url {
        url: String,
        ca_bundle: Vec<u8>,
    },
    Service {
        namespace: String,
        name: String,
        path: String,
        port: i64,
        ca_bundle: Vec<u8>,
    },
}

/// The keys and revisions of the configurations webhooks were parsed from.
type Stamp = Vec<(Vec<u8>, i64)>;
type Parsed = Mutex<Option<(Stamp, Arc<Vec<Webhook>>)>>;

/// Parsed webhooks per kind; whether any configuration exists.
#[derive(Default)]
pub struct Cache {
    mutating: Parsed,
    validating: Parsed,
    mutating_memo: Memo<Arc<Vec<Webhook>>>,
    validating_memo: Memo<Arc<Vec<Webhook>>>,
    pub(super) any: Memo<bool>,
}

pub fn load(
    server: &ApiServer,
    r: &Resource,
    mutating: bool,
) -> Result<Arc<Vec<Webhook>>, ApiError> {
    let prefix = r.storage_prefix_for(None);
    let memo = if mutating {
        &server.webhooks.mutating_memo
    } else {
        &server.webhooks.validating_memo
    };
    memo.get(server.store.as_ref(), &[prefix.as_bytes()], || {
        read(server, &prefix, mutating)
    })
}

/// The webhooks of the configurations under `prefix`, parsed again only when one changed.
fn read(server: &ApiServer, prefix: &str, mutating: bool) -> Result<Arc<Vec<Webhook>>, ApiError> {
    let keys = server
        .store
        .range(&RangeRequest {
            keys_only: true,
            ..RangeRequest::prefix(prefix.as_bytes())
        })
        .map_err(store_error)?;
    let stamp: Stamp = keys
        .kvs
        .iter()
        .map(|kv| (kv.key.clone(), kv.mod_revision))
        .collect();
    let slot = if mutating {
        &server.webhooks.mutating
    } else {
        &server.webhooks.validating
    };
    if let Ok(cached) = slot.lock()
        && let Some((s, hooks)) = cached.as_ref()
        && *s == stamp
    {
        return Ok(hooks.clone());
    }
    let mut hooks = Vec::new();
    if !stamp.is_empty() {
        let read = server
            .store
            .range(&RangeRequest::prefix(prefix.as_bytes()))
            .map_err(store_error)?;
        // Keys sort by name: kube sorts configurations by name too.
        for kv in &read.kvs {
            let obj = decode_stored(kv)?;
            for h in obj
                .get("webhooks")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                hooks.push(parse(h, mutating));
            }
        }
    }
    let hooks = Arc::new(hooks);
    if let Ok(mut cached) = slot.lock() {
        *cached = Some((stamp, hooks.clone()));
    }
    Ok(hooks)
}

fn text(v: &Value, k: &str, default: &str) -> String {
    v.get(k)
        .and_then(Value::as_str)
        .unwrap_or(default)
        .to_string()
}

/// A selector the configuration's validation already accepted; an unreadable one matches
/// nothing rather than everything.
fn selector(v: Option<&Value>) -> LabelSelector {
    match v.filter(|v| v.is_object()) {
        None => LabelSelector::default(),
        Some(s) => LabelSelector::from_object(s).unwrap_or(LabelSelector {
            requirements: Vec::new(),
            nothing: true,
        }),
    }
}

/// A `clientConfig` as validation accepted it (admission webhooks and CRD conversion
/// webhooks share its form).
pub fn client_of(cc: &Value) -> Client {
    let ca_bundle = crate::api::validation::ca_bundle_of(Some(cc));
    match cc.get("service").filter(|s| s.is_object()) {
        Some(s) => Client::Service {
            namespace: text(s, "namespace", ""),
            name: text(s, "name", ""),
            path: text(s, "path", ""),
            port: s.get("port").and_then(Value::as_i64).unwrap_or(443),
            ca_bundle,
        },
        None => Client::Url {
            url: text(cc, "url", ""),
            ca_bundle,
        },
    }
}

fn parse(h: &Value, mutating: bool) -> Webhook {
    let client = client_of(h.get("clientConfig").unwrap_or(&Value::Null));
    let versions = strings(h.get("admissionReviewVersions"));
    Webhook {
        name: text(h, "name", ""),
        rules: h
            .get("rules")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|r| Rule {
                operations: strings(r.get("operations")),
                groups: strings(r.get("apiGroups")),
                versions: strings(r.get("apiVersions")),
                resources: strings(r.get("resources")),
                scope: text(r, "scope", "*"),
            })
            .collect(),
        exact: h.get("matchPolicy").and_then(Value::as_str) == Some("Exact"),
        namespace_selector: selector(h.get("namespaceSelector")),
        object_selector: selector(h.get("objectSelector")),
        side_effects: text(h, "sideEffects", "Unknown"),
        timeout_seconds: h
            .get("timeoutSeconds")
            .and_then(Value::as_u64)
            .unwrap_or(10)
            .clamp(1, 30),
        review_version: versions.iter().find_map(|v| match v.as_str() {
            "v1" => Some("v1"),
            "v1beta1" => Some("v1beta1"),
            _ => None,
        }),
        ignore_failures: h.get("failurePolicy").and_then(Value::as_str) == Some("Ignore"),
        reinvoke_if_needed: mutating
            && h.get("reinvocationPolicy").and_then(Value::as_str) == Some("IfNeeded"),
        client,
        conditions: h
            .get("matchConditions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|c| {
                let name = text(c, "name", "");
                let program = compile_condition(c.get("expression")?.as_str()?).ok()?;
                Some((name, program))
            })
            .collect(),
    }
}
