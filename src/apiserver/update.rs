//! PUT: replace an object (or only its status), guarded by resourceVersion.

use super::ApiServer;
use super::admit;
use super::codec::{
    check_types, decode_stored, encode, set_resource_version, strip_resource_version,
};
use super::managed;
use crate::api::options::WriteOptions;
use crate::api::order;
use crate::api::registry::{self, Resource};
use crate::api::status::ApiError;
use crate::clock::timestamp;
use serde_json::{Value, json};

/// Which part of the object a PUT may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The main resource: everything but status.
    Main,
    /// The `status` subresource: status only.
    Status,
    /// Spec and status at once (subresources such as binding).
    All,
    /// A CertificateSigningRequest's `approval` subresource: its approval conditions.
    Approval,
    /// A pod's `ephemeralcontainers` subresource: `spec.ephemeralContainers` only.
    EphemeralContainers,
}

impl ApiServer {
    pub fn update(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        self.replace(r, namespace, name, obj, Part::Main, opts)
    }

    pub fn update_status(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        let part = match opts.subresource {
            Some("approval") if r.kind == super::certificates::KIND => Part::Approval,
            _ => Part::Status,
        };
        self.replace(r, namespace, name, obj, part, opts)
    }

    /// PUT to `pods/NAME/ephemeralcontainers`: only the pod's ephemeral containers change.
    pub fn update_ephemeral_containers(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        if r.kind != "Pod" {
            return Err(no_such_subresource());
        }
        self.replace(r, namespace, name, obj, Part::EphemeralContainers, opts)
    }

    pub(super) fn replace(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
        mut obj: Value,
        part: Part,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        if registry::is_computed(r) {
            return Err(super::computed::write_refused(r));
        }
        if registry::is_create_only(r) {
            return Err(ApiError::method_not_allowed());
        }
        // Only the kinds kube serves `status` for have one: the others have no such path.
        if part == Part::Status && !registry::has_status(r) {
            return Err(no_such_subresource());
        }
        if let Some(stored) = registry::stored_version_of(r) {
            let obj = self.convert_to_stored(r, obj)?;
            let through = WriteOptions {
                requested_as: opts.requested_as.or_else(|| registry::interned(r)),
                ..opts.clone()
            };
            let out = self.replace(stored, namespace, name, obj, part, &through)?;
            return self.convert_from_stored(r, out);
        }
        let key = r.storage_key(namespace, name);
        let kv = self.stored(r, &key, name)?;
        // Both sides without resourceVersion from here: it is the key's, not the value's.
        let old = decode_stored(&kv)?;
        if !obj.is_object() {
            return Err(ApiError::bad_request(
                "the body of the request was not an object",
            ));
        }
        check_types(r, &obj)?;
        let sent_version = obj
            .pointer("/metadata/resourceVersion")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty());
        if sent_version.is_some_and(|v| v != kv.mod_revision.to_string()) {
            return Err(ApiError::conflict(r.group, r.plural, name));
        }
        let sent_name = obj
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        if sent_name != name {
            return Err(ApiError::bad_request(format!(
                "the name of the object ({sent_name}) does not match the name on the URL ({name})"
            )));
        }
        strip_resource_version(&mut obj);
        let custom = crate::api::custom::definition_of(r);
        // Without a status subresource a custom object's status is an ordinary field.
        let sent_status = obj.get("status").cloned();
        // Server-side apply computed the managedFields (a status apply included), and a
        // subresource write otherwise takes the rest of the object from the stored one.
        let computed = opts
            .managed_fields_computed
            .then(|| obj.pointer("/metadata/managedFields").cloned())
            .flatten();
        carry_over(&old, &mut obj, part, r);
        if let Some(fields) = computed
            && let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut)
        {
            order::set_ordered(meta, order::OBJECT_META, "managedFields", fields);
        }
        if let Some(d) = custom {
            if part == Part::Status && !d.status {
                return Err(no_such_subresource());
            }
            if part == Part::Main
                && !d.status
                && let Some(map) = obj.as_object_mut()
            {
                match sent_status {
                    Some(s) => order::set_ordered(map, order::TOP_LEVEL, "status", s),
                    None => {
                        map.shift_remove("status");
                    }
                }
            }
            let generation = old.pointer("/metadata/generation").and_then(Value::as_i64);
            let changed = super::custom_objects::generation_changes(r, &obj, &old);
            if let Some(g) = generation
                && let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut)
            {
                let next = g + i64::from(changed);
                order::set_ordered(meta, order::OBJECT_META, "generation", json!(next));
            }
        } else if r.kind == super::crd::KIND && r.group == crate::api::custom::CRD_GROUP {
            super::crd::default_crd(&mut obj);
        } else {
            admit::default_object_on_update(r, &mut obj, &old);
        }
        let subresource = match part {
            // The scale subresource writes its object whole; admission sees `scale`.
            Part::Main => opts.subresource.filter(|s| *s == "scale"),
            Part::Status => Some("status"),
            Part::Approval => Some("approval"),
            Part::EphemeralContainers => Some("ephemeralcontainers"),
            Part::All => None,
        };
        let attrs = super::webhooks::Attributes {
            resource: r,
            requested: opts.requested_as,
            subresource,
            operation: super::webhooks::Operation::Update,
            namespace,
            name,
            old: Some(&old),
            dry_run: opts.dry_run,
            user: opts.requester.as_ref(),
            field_manager: opts.field_manager.as_deref(),
            equivalents: Default::default(),
        };
        // The server's own whole-object writes (binding, deletion marks) are not admitted.
        if part != Part::All {
            self.restrict_nodes(&attrs, Some(&obj))?;
            self.mutate_through_webhooks(&attrs, &mut obj)?;
        }
        let csr_door = (r.kind == super::certificates::KIND).then_some(match part {
            Part::Approval => super::certificates::Door::Approval,
            Part::Status => super::certificates::Door::Status,
            _ => super::certificates::Door::Main,
        });
        if let Some(door) = csr_door {
            let now = timestamp(self.clock.now());
            super::certificates::prepare_for_update(door, &mut obj, &old, &now);
        }
        if !opts.managed_fields_computed && part != Part::All {
            self.record_update(r, &old, &mut obj, part, opts);
        }
        // Internal writes of whole objects (binding, deletion marks) are the server's own.
        if custom.is_some() && part != Part::All {
            self.admit_custom(r, &mut obj, Some(&old))?;
        } else if r.kind == super::crd::KIND && matches!(part, Part::Main | Part::Status) {
            // kube's naming and establishing controllers act on any write, status too.
            let crds = self.list(r, None, &Default::default())?;
            let crds = crds["items"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default();
            let now = timestamp(self.clock.now());
            if part == Part::Main {
                super::crd::validate(&obj, Some(&old))?;
                super::crd::prepare_for_update(&mut obj, crds, &now);
            } else {
                super::crd::validate_status(&obj)?;
                super::crd::settle(&mut obj, crds, &now);
            }
        }
        if part == Part::Main {
            self.confirm_no_escalation(r, &obj, namespace, opts.requester.as_ref())?;
        }
        match csr_door {
            _ if custom.is_some() || r.kind == super::crd::KIND => {}
            Some(door) => admit::validate_csr(door, &obj, &old)?,
            None if part == Part::EphemeralContainers => admit::validate_ephemeral(&obj, &old)?,
            None if part != Part::All => admit::validate(r, &obj, Some(&old))?,
            None => {}
        }
        if part == Part::Main
            && custom.is_none()
            && let Some(ns) = namespace
        {
            self.admit_quota_update(r, ns, &obj, &old)?;
        }
        if part != Part::All {
            self.validate_through_policies(&attrs, Some(&obj))?;
            self.validate_through_webhooks(&attrs, Some(&obj))?;
        }
        if opts.dry_run || old == obj {
            let mut unchanged = if opts.dry_run { obj } else { old };
            set_resource_version(&mut unchanged, kv.mod_revision);
            return Ok(unchanged);
        }
        // An update that clears the last finalizer of a deleting object removes it.
        let value = if self.finish_if_done(r, &obj) {
            None
        } else {
            Some(encode(&obj)?)
        };
        let removed = value.is_none();
        let revision = self.write_unless_changed(r, name, &key, kv.mod_revision, value)?;
        if removed {
            self.custom_object_removed(r);
        }
        set_resource_version(&mut obj, revision);
        Ok(obj)
    }
}

impl ApiServer {
    /// managedFields after an update: the client's if it sent them, else the old ones, and
    /// the writing manager's entry (when the request names one).
    fn record_update(
        &self,
        r: &Resource,
        old: &Value,
        obj: &mut Value,
        part: Part,
        opts: &WriteOptions,
    ) {
        if obj.pointer("/metadata/managedFields").is_none()
            && let (Some(previous), Some(meta)) = (
                old.pointer("/metadata/managedFields"),
                obj.get_mut("metadata").and_then(Value::as_object_mut),
            )
        {
            order::set_ordered(meta, order::OBJECT_META, "managedFields", previous.clone());
        }
        let Some(manager) = opts.field_manager.as_deref().filter(|m| !m.is_empty()) else {
            return;
        };
        let subresource = match part {
            Part::Status => "status",
            Part::Approval => "approval",
            Part::EphemeralContainers => "ephemeralcontainers",
            _ => opts.subresource.unwrap_or(""),
        };
        let now = timestamp(self.clock.now());
        managed::record_update(r, Some(old), obj, manager, subresource, &now);
    }
}

/// kube-apiserver's 404 for a subresource a resource does not have.
pub(super) fn no_such_subresource() -> ApiError {
    ApiError::new(
        404,
        "NotFound",
        "the server could not find the requested resource",
    )
}

/// Keeps what the request may not change: identity and creation metadata, and the status
/// (for the main resource) or everything but the status (for the status subresource).
fn carry_over(old: &Value, obj: &mut Value, part: Part, r: &Resource) {
    if part == Part::All {
        return;
    }
    if part == Part::EphemeralContainers {
        let added = obj.pointer("/spec/ephemeralContainers").cloned();
        *obj = old.clone();
        if let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) {
            match added {
                Some(list) => {
                    spec.insert("ephemeralContainers".into(), list);
                }
                None => {
                    spec.shift_remove("ephemeralContainers");
                }
            }
        }
        return;
    }
    if matches!(part, Part::Status | Part::Approval) {
        let status = obj.get("status").cloned();
        *obj = old.clone();
        if let (Some(map), Some(status)) = (obj.as_object_mut(), status) {
            order::set_ordered(map, order::TOP_LEVEL, "status", status);
        }
        return;
    }
    let (Some(map), Some(old_map)) = (obj.as_object_mut(), old.as_object()) else {
        return;
    };
    match old_map.get("status") {
        Some(status) => order::set_ordered(map, order::TOP_LEVEL, "status", status.clone()),
        None => {
            map.shift_remove("status");
        }
    }
    for field in ["apiVersion", "kind"] {
        if let Some(v) = old_map.get(field) {
            order::set_ordered(map, order::TOP_LEVEL, field, v.clone());
        }
    }
    let spec_changed = old_map.get("spec") != map.get("spec");
    let Some(meta) = map.get_mut("metadata").and_then(Value::as_object_mut) else {
        return;
    };
    for field in [
        "namespace",
        "uid",
        "creationTimestamp",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
    ] {
        match old.pointer(&format!("/metadata/{field}")) {
            Some(v) => order::set_ordered(meta, order::OBJECT_META, field, v.clone()),
            None => {
                meta.shift_remove(field);
            }
        }
    }
    if let Some(generation) = old.pointer("/metadata/generation").and_then(Value::as_i64) {
        let next = if spec_changed {
            generation + 1
        } else {
            generation
        };
        order::set_ordered(meta, order::OBJECT_META, "generation", json!(next));
    }
    let _ = r;
}
