//! Binding a pod to a node: the `pods/binding` subresource (how kube-scheduler assigns a
//! pod) and the v1 `bindings` collection kube-apiserver keeps for older schedulers, which
//! does the same for the pod its Binding names.

use super::ApiServer;
use super::update::Part;
use crate::api::options::WriteOptions;
use crate::api::order;
use crate::api::registry;
use crate::api::status::ApiError;
use crate::clock::timestamp;
use serde_json::{Value, json};

/// What a Binding asks: the pod (by name, with optional preconditions) and the node.
pub struct BindingRequest<'a> {
    pub pod: &'a str,
    pub node: &'a str,
    /// The pod's uid and resourceVersion, when the Binding names them: it must still be
    /// that pod, unchanged.
    pub uid: Option<&'a str>,
    pub resource_version: Option<&'a str>,
    /// Copied onto the pod.
    pub annotations: Option<&'a serde_json::Map<String, Value>>,
}

impl<'a> BindingRequest<'a> {
    /// Reads a Binding object, with kube's refusals of one that names no node or another
    /// kind than a Node (a 500 without a reason: kube's binding storage returns the field
    /// errors as a plain error).
    pub fn of(binding: &'a Value) -> Result<BindingRequest<'a>, ApiError> {
        let str_at = |p: &str| binding.pointer(p).and_then(Value::as_str);
        let mut errors = Vec::new();
        if let Some(kind) = str_at("/target/kind").filter(|k| !k.is_empty() && *k != "Node") {
            errors.push(format!(
                "target.kind: Unsupported value: {kind:?}: supported values: \"Node\", \"<empty>\""
            ));
        }
        let node = str_at("/target/name").unwrap_or("");
        if node.is_empty() {
            errors.push("target.name: Required value".to_string());
        }
        match errors.len() {
            0 => {}
            1 => return Err(ApiError::new(500, "", errors.remove(0))),
            _ => return Err(ApiError::new(500, "", format!("[{}]", errors.join(", ")))),
        }
        Ok(BindingRequest {
            pod: str_at("/metadata/name").unwrap_or(""),
            node,
            uid: str_at("/metadata/uid").filter(|u| !u.is_empty()),
            resource_version: str_at("/metadata/resourceVersion").filter(|v| !v.is_empty()),
            annotations: binding
                .pointer("/metadata/annotations")
                .and_then(Value::as_object),
        })
    }
}

/// kube's refusal of a binding the pod cannot take: a Conflict on `pods/binding`.
fn refused(pod: &str, why: String) -> ApiError {
    let mut e = ApiError::new(
        409,
        "Conflict",
        format!("Operation cannot be fulfilled on pods/binding \"{pod}\": {why}"),
    );
    e.details = Some(Box::new(json!({"name": pod, "kind": "pods/binding"})));
    e
}

/// kube's refusal when a Binding's uid or resourceVersion no longer match the pod: the
/// storage's failed precondition, as a Conflict on the pod.
fn precondition_failed(key: &str, pod: &str, what: &str, asked: &str, found: &str) -> ApiError {
    let mut e = ApiError::new(
        409,
        "Conflict",
        format!(
            "Operation cannot be fulfilled on pods \"{pod}\": StorageError: invalid object, Code: 4, Key: {key}, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: {what} in precondition: {asked}, {what} in object meta: {found}"
        ),
    );
    e.details = Some(Box::new(json!({"name": pod, "kind": "pods"})));
    e
}

/// The answer to a binding that was done.
pub fn bound() -> Value {
    json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201})
}

impl ApiServer {
    /// Sets `spec.nodeName` of a pod that has none, and records PodScheduled=True.
    pub fn bind(&self, namespace: &str, pod: &str, node: &str) -> Result<(), ApiError> {
        let req = BindingRequest {
            pod,
            node,
            uid: None,
            resource_version: None,
            annotations: None,
        };
        self.bind_pod(namespace, &req, &WriteOptions::default())
    }

    /// POST of a Binding to the v1 `bindings` collection: the pod it names is bound as
    /// `pods/binding` binds it; kube's Status of success.
    pub fn create_binding(
        &self,
        namespace: Option<&str>,
        binding: &Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        let namespace = namespace.ok_or_else(|| {
            ApiError::new(
                405,
                "MethodNotAllowed",
                "bindings must be created in a namespace",
            )
        })?;
        if binding
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .is_some_and(|ns| !ns.is_empty() && ns != namespace)
        {
            return Err(ApiError::bad_request(
                "the namespace of the provided object does not match the namespace sent on the request",
            ));
        }
        let req = BindingRequest::of(binding)?;
        if req.pod.is_empty() {
            return Err(ApiError::bad_request("Name parameter required."));
        }
        self.bind_pod(namespace, &req, opts)?;
        Ok(bound())
    }

    /// Binds one pod (the storage half of both doors), as kube's binding storage does.
    pub fn bind_pod(
        &self,
        namespace: &str,
        req: &BindingRequest,
        opts: &WriteOptions,
    ) -> Result<(), ApiError> {
        let pods = registry::find("pods").ok_or_else(|| ApiError::internal("no pods resource"))?;
        let pod = req.pod;
        let mut obj = self.get(pods, Some(namespace), pod)?;
        let key = pods.storage_key(Some(namespace), pod);
        let meta = |p: &str| obj.pointer(p).and_then(Value::as_str).unwrap_or("");
        if let Some(uid) = req.uid
            && uid != meta("/metadata/uid")
        {
            return Err(precondition_failed(
                &key,
                pod,
                "UID",
                uid,
                meta("/metadata/uid"),
            ));
        }
        if let Some(rv) = req.resource_version
            && rv != meta("/metadata/resourceVersion")
        {
            return Err(precondition_failed(
                &key,
                pod,
                "ResourceVersion",
                rv,
                meta("/metadata/resourceVersion"),
            ));
        }
        if obj.pointer("/metadata/deletionTimestamp").is_some() {
            return Err(refused(
                pod,
                format!("pod {pod} is being deleted, cannot be assigned to a host"),
            ));
        }
        if let Some(current) = obj
            .pointer("/spec/nodeName")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
        {
            return Err(refused(
                pod,
                format!("pod {pod} is already assigned to node \"{current}\""),
            ));
        }
        if obj
            .pointer("/spec/schedulingGates")
            .and_then(Value::as_array)
            .is_some_and(|g| !g.is_empty())
        {
            return Err(refused(
                pod,
                format!("pod {pod} has non-empty .spec.schedulingGates"),
            ));
        }
        if let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) {
            order::set_ordered(
                spec,
                crate::api::defaults::pod_spec_order(),
                "nodeName",
                json!(req.node),
            );
        }
        if let Some(extra) = req.annotations.filter(|a| !a.is_empty())
            && let Some(metadata) = obj.get_mut("metadata").and_then(Value::as_object_mut)
        {
            let annotations = metadata.entry("annotations").or_insert_with(|| json!({}));
            if let Some(map) = annotations.as_object_mut() {
                for (k, v) in extra {
                    map.insert(k.clone(), v.clone());
                }
            }
        }
        set_scheduled_condition(&mut obj, &timestamp(self.clock.now()));
        // Spec and status change together, as the binding storage does.
        let write = WriteOptions {
            dry_run: opts.dry_run,
            ..WriteOptions::default()
        };
        self.replace(pods, Some(namespace), pod, obj, Part::All, &write)?;
        Ok(())
    }
}

fn set_scheduled_condition(pod: &mut Value, now: &str) {
    let condition = json!({"type": "PodScheduled", "status": "True", "lastProbeTime": null, "lastTransitionTime": now});
    let Some(status) = pod.get_mut("status").and_then(Value::as_object_mut) else {
        return;
    };
    let conditions = status.entry("conditions").or_insert_with(|| json!([]));
    if let Some(list) = conditions.as_array_mut() {
        list.retain(|c| c.get("type").and_then(Value::as_str) != Some("PodScheduled"));
        list.push(condition);
    }
}
