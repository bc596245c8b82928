//! The DefaultIngressClass admission plugin: a new Ingress that names no class (neither
//! `spec.ingressClassName` nor the old `kubernetes.io/ingress.class` annotation) gets the
//! default IngressClass, the one annotated `ingressclass.kubernetes.io/is-default-class:
//! "true"` (of several, the newest, as kube-apiserver 1.32 picks).

use super::ApiServer;
use crate::api::options::ListOptions;
use crate::api::registry;
use crate::api::status::ApiError;
use serde_json::{Value, json};

const DEFAULT_ANNOTATION: &str = "ingressclass.kubernetes.io/is-default-class";
const LEGACY_ANNOTATION: &str = "kubernetes.io/ingress.class";

impl ApiServer {
    pub(super) fn default_ingress_class(&self, ingress: &mut Value) -> Result<(), ApiError> {
        let named = ingress
            .pointer("/spec/ingressClassName")
            .is_some_and(|c| !c.is_null())
            || ingress
                .pointer("/metadata/annotations")
                .and_then(|a| a.get(LEGACY_ANNOTATION))
                .and_then(Value::as_str)
                .is_some_and(|c| !c.is_empty());
        if named {
            return Ok(());
        }
        let r = registry::find("ingressclasses")
            .ok_or_else(|| ApiError::internal("no ingressclasses resource"))?;
        let list = self.list(r, None, &ListOptions::default())?;
        let mut defaults: Vec<&Value> = list["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| {
                c.pointer("/metadata/annotations")
                    .and_then(|a| a.get(DEFAULT_ANNOTATION))
                    .and_then(Value::as_str)
                    == Some("true")
            })
            .collect();
        // Newest first; ties by name, the greater first.
        let key = |c: &Value| {
            (
                c.pointer("/metadata/creationTimestamp")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                c.pointer("/metadata/name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            )
        };
        defaults.sort_by_key(|c| std::cmp::Reverse(key(c)));
        let Some(class) = defaults.first() else {
            return Ok(());
        };
        let name = class
            .pointer("/metadata/name")
            .cloned()
            .unwrap_or(json!(""));
        if let Some(spec) = ingress.get_mut("spec").and_then(Value::as_object_mut) {
            spec.shift_insert(0, "ingressClassName".to_string(), name);
        } else if let Some(o) = ingress.as_object_mut() {
            o.insert("spec".into(), json!({"ingressClassName": name}));
        }
        Ok(())
    }
}
