//! The parameter objects of a binding (kube's CollectParams): the paramRef's object by
//! name, or every object its selector picks, in the paramRef's namespace or the request's
//! for a namespaced paramKind; with kube's errors when none can be found.

use super::super::ApiServer;
use super::super::webhooks::Attributes;
use super::config::{ParamRef, Policy};
use crate::api::options::ListOptions;
use crate::api::registry::Resource;
use serde_json::{Value, json};

/// What evaluating a binding gets: `None` stands for "no params" (`params` is null).
pub type Params = Vec<Option<Value>>;

impl ApiServer {
    pub(super) fn param_resource(
        &self,
        api_version: &str,
        kind: &str,
    ) -> Option<&'static Resource> {
        crate::api::registry::RESOURCES
            .iter()
            .find(|r| r.kind == kind && r.api_version() == api_version)
            .or_else(|| {
                self.custom_resources()
                    .ok()?
                    .find_by_kind(api_version, kind)
            })
    }

    /// The params to evaluate a binding with; `Err` is a configuration error's text.
    pub(super) fn collect_params(
        &self,
        policy: &Policy,
        param_ref: Option<&ParamRef>,
        attrs: &Attributes,
    ) -> Result<Params, String> {
        let (Some((api_version, kind)), Some(pr)) = (policy.param_kind.as_ref(), param_ref) else {
            return Ok(vec![None]);
        };
        let Some(r) = self.param_resource(api_version, kind) else {
            return Err(format!(
                "failed to find resource referenced by paramKind: '{api_version}, Kind={kind}'"
            ));
        };
        let namespace = if r.namespaced {
            let ns = if pr.namespace.is_empty() {
                attrs
                    .namespace
                    .filter(|_| attrs.resource.namespaced)
                    .unwrap_or("")
            } else {
                pr.namespace.as_str()
            };
            if ns.is_empty() {
                return Err("cannot use namespaced paramRef in policy binding that matches cluster-scoped resources".into());
            }
            Some(ns)
        } else {
            if !pr.namespace.is_empty() {
                return Err(
                    "paramRef.namespace must not be provided for a cluster-scoped `paramKind`"
                        .into(),
                );
            }
            None
        };
        let mut found: Vec<Value> = Vec::new();
        if !pr.name.is_empty() {
            match self.get(r, namespace, &pr.name) {
                Ok(o) => found.push(o),
                Err(e) if e.code == 404 => {}
                Err(e) => return Err(e.message),
            }
        } else if let Some(sel) = &pr.selector {
            let list = self
                .list(r, namespace, &ListOptions::default())
                .map_err(|e| e.message)?;
            let items = list.get("items").and_then(Value::as_array);
            found.extend(
                items
                    .into_iter()
                    .flatten()
                    .filter(|o| {
                        sel.matches(o.pointer("/metadata/labels").and_then(Value::as_object))
                    })
                    .cloned(),
            );
        }
        if found.is_empty() && pr.deny_when_missing {
            return Err(
                "no params found for policy binding with `Deny` parameterNotFoundAction".into(),
            );
        }
        // As kube's wrappedParam: a param always shows its apiVersion and kind.
        Ok(found
            .into_iter()
            .map(|mut o| {
                if let Some(m) = o.as_object_mut() {
                    m.entry("apiVersion").or_insert(json!(api_version));
                    m.entry("kind").or_insert(json!(kind));
                }
                Some(o)
            })
            .collect())
    }
}
