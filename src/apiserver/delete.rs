//! DELETE, as kube-apiserver's registry does it. An object goes at once unless something
//! must happen first: a pod bound to a node is deleted gracefully (it gets a
//! deletionTimestamp and its kubelet finishes the deletion), an object with finalizers (or
//! deleted with propagationPolicy Foreground or Orphan, which add one) waits for them to be
//! removed, and a Namespace turns Terminating until the namespace controller has emptied it.

use super::ApiServer;
use super::codec::{decode, set_resource_version};
use super::guarded::retry_while;
use super::update::Part;
use crate::api::options::{DeleteOptions, WriteOptions};
use crate::api::order;
use crate::api::registry::{self, Resource};
use crate::api::status::ApiError;
use crate::clock::timestamp;
use serde_json::{Value, json};

/// Namespaces kube-apiserver refuses to delete.
const IMMORTAL_NAMESPACES: &[&str] = &["default", "kube-system", "kube-public"];

impl ApiServer {
    /// Deletes one object; returns it as it was removed, or as it now waits to be. A delete
    /// has no preconditions, so losing a race with another writer (the control plane
    /// updating the object's status) is retried on the newer object, as kube-apiserver
    /// does, instead of failing with a conflict.
    pub fn delete(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
        opts: &DeleteOptions,
    ) -> Result<Value, ApiError> {
        if registry::is_computed(r) {
            return Err(super::computed::write_refused(r));
        }
        if registry::is_create_only(r) {
            return Err(ApiError::method_not_allowed());
        }
        if let Some(stored) = registry::stored_version_of(r) {
            let through = DeleteOptions {
                requested_as: opts.requested_as.or_else(|| registry::interned(r)),
                ..opts.clone()
            };
            let out = self.delete(stored, namespace, name, &through)?;
            return self.convert_from_stored(r, out);
        }
        retry_while(
            5,
            |e| e.code == 409,
            || self.delete_once(r, namespace, name, opts),
        )
    }

    fn delete_once(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
        opts: &DeleteOptions,
    ) -> Result<Value, ApiError> {
        if r.kind == "Namespace" && IMMORTAL_NAMESPACES.contains(&name) {
            return Err(ApiError::new(
                403,
                "Forbidden",
                format!("namespaces \"{name}\" is forbidden: this namespace may not be deleted"),
            ));
        }
        super::priority::refuse_system_delete(r.plural, name)?;
        let key = r.storage_key(namespace, name);
        let kv = self.stored(r, &key, name)?;
        let mut obj = decode(&kv)?;
        let attrs = super::webhooks::Attributes {
            resource: r,
            requested: opts.requested_as,
            subresource: None,
            operation: super::webhooks::Operation::Delete,
            namespace,
            name,
            old: Some(&obj),
            dry_run: opts.dry_run,
            user: opts.requester.as_ref(),
            field_manager: None,
            equivalents: Default::default(),
        };
        self.restrict_nodes(&attrs, None)?;
        self.mutate_through_webhooks(&attrs, &mut Value::Null)?;
        self.validate_through_policies(&attrs, None)?;
        self.validate_through_webhooks(&attrs, None)?;
        if r.kind == super::crd::KIND
            && r.group == crate::api::custom::CRD_GROUP
            && !opts.dry_run
            && self.delete_custom_objects(&obj)? > 0
        {
            // Objects held by finalizers keep the CRD, Terminating, until they are gone.
            let now = timestamp(self.clock.now());
            super::crd::mark_terminating(&mut obj, &now);
        } else if r.kind == super::crd::KIND && r.group == crate::api::custom::CRD_GROUP {
            remove_finalizer(&mut obj, super::crd::CLEANUP_FINALIZER);
        }
        if let Some(pending) = self.mark_for_deletion(r, &obj, opts)? {
            if opts.dry_run {
                return Ok(pending);
            }
            return self.replace(
                r,
                namespace,
                name,
                pending,
                Part::All,
                &WriteOptions::default(),
            );
        }
        if opts.dry_run {
            return Ok(obj);
        }
        let revision = self.write_unless_changed(r, name, &key, kv.mod_revision, None)?;
        set_resource_version(&mut obj, revision);
        Ok(obj)
    }

    /// The object as it must wait before removal, or `None` if it can go now.
    fn mark_for_deletion(
        &self,
        r: &Resource,
        obj: &Value,
        opts: &DeleteOptions,
    ) -> Result<Option<Value>, ApiError> {
        let now = self.clock.now();
        let already_deleting = obj.pointer("/metadata/deletionTimestamp").is_some();
        let grace = graceful_period(r, obj, opts);
        if already_deleting {
            // A second delete can only shorten a pod's grace period; force (0) removes it.
            let force = opts.grace_period_seconds == Some(0);
            return Ok(if force && r.kind == "Pod" && finalizers(obj).is_empty() {
                None
            } else {
                Some(obj.clone())
            });
        }
        let policy_finalizer = match opts.propagation_policy.as_deref() {
            Some("Foreground") => Some("foregroundDeletion"),
            Some("Orphan") => Some("orphan"),
            _ => None,
        };
        let mut pending = obj.clone();
        if let Some(f) = policy_finalizer.filter(|_| r.kind != "Pod" || grace.is_none()) {
            add_finalizer(&mut pending, f);
        }
        let namespace_waits = r.kind == "Namespace";
        if finalizers(&pending).is_empty() && grace.is_none() && !namespace_waits {
            return Ok(None);
        }
        let seconds = grace.unwrap_or(0);
        if let Some(meta) = pending.get_mut("metadata").and_then(Value::as_object_mut) {
            // A grace period past any timestamp (terminationGracePeriodSeconds is an int64)
            // ends at the last instant RFC 3339 can write, rather than panicking.
            let last = chrono::DateTime::parse_from_rfc3339("9999-12-31T23:59:59Z")
                .map_or(now, |t| t.with_timezone(&chrono::Utc));
            let at = chrono::Duration::try_seconds(seconds)
                .and_then(|d| now.checked_add_signed(d))
                .map_or(last, |t| t.min(last));
            order::set_ordered(
                meta,
                order::OBJECT_META,
                "deletionTimestamp",
                json!(timestamp(at)),
            );
            order::set_ordered(
                meta,
                order::OBJECT_META,
                "deletionGracePeriodSeconds",
                json!(seconds),
            );
        }
        if namespace_waits
            && let Some(status) = pending.get_mut("status").and_then(Value::as_object_mut)
        {
            status.insert("phase".into(), json!("Terminating"));
        }
        Ok(Some(pending))
    }

    /// Removes an object whose deletion was pending and whose finalizers are all gone.
    /// Called by updates: clearing the last finalizer of a deleting object deletes it.
    pub(super) fn finish_if_done(&self, r: &Resource, obj: &Value) -> bool {
        if obj.pointer("/metadata/deletionTimestamp").is_none() || !finalizers(obj).is_empty() {
            return false;
        }
        match r.kind {
            // A pod waits for its kubelet's delete with grace period 0.
            "Pod" => false,
            "Namespace" => obj
                .pointer("/spec/finalizers")
                .and_then(Value::as_array)
                .is_none_or(Vec::is_empty),
            _ => true,
        }
    }
}

/// Pods bound to a node are deleted gracefully: the request's grace period, else the pod's
/// terminationGracePeriodSeconds. Unbound or finished pods, and grace 0, go at once.
fn graceful_period(r: &Resource, obj: &Value, opts: &DeleteOptions) -> Option<i64> {
    if r.kind != "Pod" {
        return None;
    }
    let bound = obj
        .pointer("/spec/nodeName")
        .and_then(Value::as_str)
        .is_some_and(|n| !n.is_empty());
    let phase = obj
        .pointer("/status/phase")
        .and_then(Value::as_str)
        .unwrap_or("");
    if !bound || phase == "Succeeded" || phase == "Failed" {
        return None;
    }
    let grace = opts
        .grace_period_seconds
        .or_else(|| {
            obj.pointer("/spec/terminationGracePeriodSeconds")
                .and_then(Value::as_i64)
        })
        .unwrap_or(30);
    (grace > 0).then_some(grace)
}

fn finalizers(obj: &Value) -> Vec<String> {
    obj.pointer("/metadata/finalizers")
        .and_then(Value::as_array)
        .map(|f| {
            f.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn add_finalizer(obj: &mut Value, finalizer: &str) {
    let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) else {
        return;
    };
    let mut list = meta
        .get("finalizers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if !list.iter().any(|f| f == finalizer) {
        list.push(json!(finalizer));
    }
    order::set_ordered(meta, order::OBJECT_META, "finalizers", Value::Array(list));
}

fn remove_finalizer(obj: &mut Value, name: &str) {
    if let Some(list) = obj
        .pointer_mut("/metadata/finalizers")
        .and_then(Value::as_array_mut)
    {
        list.retain(|f| f != name);
    }
}

impl ApiServer {
    /// After a custom object held by finalizers is removed: its CRD, Terminating and held
    /// only by such objects, goes too (kube's CRD finalizer notices through its informer;
    /// this is the same moment). Objects without finalizers go with the CRD's own delete.
    pub(super) fn custom_object_removed(&self, r: &Resource) {
        let Some(d) = crate::api::custom::definition_of(r) else {
            return;
        };
        let terminating = self
            .custom_resources()
            .is_ok_and(|c| c.entry(r).is_some_and(|s| s.terminating));
        if !terminating {
            return;
        }
        let Some(crds) = registry::find("customresourcedefinitions.apiextensions.k8s.io") else {
            return;
        };
        // Another delete of the CRD deletes what is left and, with nothing left, removes it.
        let _ = self.delete(crds, None, d.crd, &DeleteOptions::default());
    }

    /// Deletes every object of a CRD's resource (as kube's CRD finalizer does); returns how
    /// many remain, held by their own finalizers.
    fn delete_custom_objects(&self, crd: &Value) -> Result<usize, ApiError> {
        let Some(stored) = crate::api::custom::definitions_of(crd)
            .into_iter()
            .find(|d| d.storage.is_none())
        else {
            return Ok(0);
        };
        let r = &stored.resource;
        let prefix = r.storage_prefix_for(None);
        let keys = self
            .store
            .range(&crate::store::RangeRequest {
                keys_only: true,
                ..crate::store::RangeRequest::prefix(prefix.as_bytes())
            })
            .map_err(super::codec::store_error)?;
        let mut remaining = 0;
        for kv in &keys.kvs {
            let key = String::from_utf8_lossy(&kv.key);
            let rest = key.strip_prefix(&prefix).unwrap_or("");
            let (ns, name) = match rest.split_once('/') {
                Some((ns, name)) if r.namespaced => (Some(ns), name),
                _ => (None, rest),
            };
            match self.delete(r, ns, name, &DeleteOptions::default()) {
                Ok(left) if left.pointer("/metadata/deletionTimestamp").is_some() => {
                    remaining += 1;
                }
                Ok(_) => {}
                Err(e) if e.code == 404 => {}
                Err(e) => return Err(e),
            }
        }
        Ok(remaining)
    }
}
