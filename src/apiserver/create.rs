//! POST: create objects, one or many in one durable commit (group commit), each with the
//! outcome a separate request would have had.

use super::ApiServer;
use super::admit;
use super::allocate::Allocator;
use super::codec::{check_types, encode, set_resource_version, store_error};
use super::in_flight::Admitted;
use super::managed;
use super::priority::PriorityClasses;
use crate::api::options::WriteOptions;
use crate::api::order;
use crate::api::registry::{self, Resource};
use crate::api::status::ApiError;
use crate::api::{defaults, ids};
use crate::clock::timestamp;
use crate::store::{Compare, CompareResult, CompareTarget, RangeRequest, RequestOp, TxnRequest};
use serde_json::{Map, Value, json};
use std::collections::HashSet;

/// One object to create: its resource and the namespace of the request.
pub struct CreateRequest {
    pub resource: &'static Resource,
    pub namespace: Option<String>,
    pub object: Value,
}

/// State shared by the creates of one batch: later objects may live in a namespace that an
/// earlier one creates, and addresses handed out must not repeat.
struct Batch {
    base_revision: i64,
    /// The index of the batch's first object in its seeds (batches in flight took those
    /// before it).
    first_index: usize,
    namespaces_created: HashSet<String>,
    allocator: Option<Allocator>,
    /// Read once per batch, when a Pod or PriorityClass is created.
    priority_classes: Option<PriorityClasses>,
    /// Objects admitted so far in this batch, charged against their namespace's quotas.
    quota_charged: Vec<(&'static Resource, String, Value)>,
    /// LimitRanges and ResourceQuotas created earlier in this batch: they already apply, as
    /// when kubectl sends the objects of a file one by one.
    policies: Vec<(&'static str, Value)>,
}

impl ApiServer {
    pub fn create(
        &self,
        r: &'static Resource,
        namespace: Option<&str>,
        object: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        let req = CreateRequest {
            resource: r,
            namespace: namespace.map(str::to_string),
            object,
        };
        self.create_many(vec![req], opts)
            .pop()
            .unwrap_or_else(|| Err(ApiError::internal("create returned nothing")))
    }

    /// Creates every object in order, in one durable commit; each result is what the request
    /// alone would have returned.
    pub fn create_many(
        &self,
        reqs: Vec<CreateRequest>,
        opts: &WriteOptions,
    ) -> Vec<Result<Value, ApiError>> {
        self.create_batch(reqs, opts, false, false)
    }

    /// `create_many` for serve on a store in etcd, where each request writes its own creates:
    /// they may be prepared while earlier ones are still being written, and count what those
    /// admitted (`in_flight`).
    pub fn create_many_overlapping(
        &self,
        reqs: Vec<CreateRequest>,
        opts: &WriteOptions,
    ) -> Vec<Result<Value, ApiError>> {
        self.create_batch(reqs, opts, false, true)
    }

    /// Whether batches of creates gain from overlapping: the store's writes are round trips.
    pub fn overlaps_creates(&self) -> bool {
        self.store.followed_revision().is_some()
    }

    /// Creates every object in one durable commit, or none: the first refusal is returned and
    /// nothing is written (a new cluster's first state is written whole or not at all, with
    /// no dry run before it).
    pub fn create_all(&self, reqs: Vec<CreateRequest>) -> Result<(), ApiError> {
        for result in self.create_batch(reqs, &WriteOptions::default(), true, false) {
            result?;
        }
        Ok(())
    }

    /// `create_many`; with `whole`, nothing is written when any request is refused; with
    /// `overlap`, as `create_many_overlapping`.
    fn create_batch(
        &self,
        reqs: Vec<CreateRequest>,
        opts: &WriteOptions,
        whole: bool,
        overlap: bool,
    ) -> Vec<Result<Value, ApiError>> {
        // Objects written at another version than the stored one: converted in, and their
        // results converted back. Requests answered before the batch (refused, or
        // create-only) keep their answer here.
        let mut asked: Vec<Option<&'static Resource>> = Vec::with_capacity(reqs.len());
        let mut refused: Vec<Option<Result<Value, ApiError>>> = Vec::with_capacity(reqs.len());
        let mut reqs = reqs;
        for req in &mut reqs {
            if registry::is_computed(req.resource) {
                asked.push(None);
                refused.push(Some(Err(super::computed::write_refused(req.resource))));
                continue;
            }
            // Never stored: done at once, its answer kube's Status.
            if registry::is_create_only(req.resource) {
                asked.push(None);
                refused.push(Some(self.create_binding(
                    req.namespace.as_deref(),
                    &req.object,
                    opts,
                )));
                continue;
            }
            let Some(stored) = registry::stored_version_of(req.resource) else {
                asked.push(None);
                refused.push(None);
                continue;
            };
            asked.push(Some(req.resource));
            match self.convert_to_stored(req.resource, std::mem::take(&mut req.object)) {
                Ok(obj) => {
                    req.object = obj;
                    refused.push(None);
                }
                Err(e) => refused.push(Some(Err(e))),
            }
            req.resource = stored;
        }
        if whole && let Some(Err(e)) = refused.iter().flatten().next() {
            return vec![Err(e.clone())];
        }
        if asked.iter().any(Option::is_some) || refused.iter().any(Option::is_some) {
            // A request that could not be converted fails alone; the others go on.
            let (good, bad): (Vec<_>, Vec<_>) = reqs
                .into_iter()
                .zip(refused)
                .enumerate()
                .partition(|(_, (_, e))| e.is_none());
            let mut results: Vec<Option<Result<Value, ApiError>>> =
                (0..asked.len()).map(|_| None).collect();
            for (i, (_, answer)) in bad {
                results[i] = answer;
            }
            let indices: Vec<usize> = good.iter().map(|(i, _)| *i).collect();
            let requested: Vec<_> = indices.iter().map(|&i| asked[i]).collect();
            let made = self.create_many_stored(
                good.into_iter().map(|(_, (r, _))| r).collect(),
                &requested,
                opts,
                whole,
                overlap,
            );
            for (i, res) in indices.into_iter().zip(made) {
                results[i] = Some(match asked[i] {
                    Some(r) => res.and_then(|o| self.convert_from_stored(r, o)),
                    None => res,
                });
            }
            return results
                .into_iter()
                .map(|r| r.unwrap_or_else(|| Err(ApiError::internal("create returned nothing"))))
                .collect();
        }
        self.create_many_stored(reqs, &[], opts, whole, overlap)
    }

    /// `create_many` of objects at their stored versions.
    /// `requested` names, request by request, the version each was written through when
    /// it is not the stored one (admission reports it).
    fn create_many_stored(
        &self,
        reqs: Vec<CreateRequest>,
        requested: &[Option<&'static Resource>],
        opts: &WriteOptions,
        whole: bool,
        overlap: bool,
    ) -> Vec<Result<Value, ApiError>> {
        // Service addresses come from an allocator that reads the store: never overlapped.
        let exclusive = reqs
            .iter()
            .any(|r| r.resource.group.is_empty() && r.resource.kind == "Service");
        let turn = (overlap && !whole && !opts.dry_run)
            .then(|| self.in_flight.turn(exclusive, reqs.len()));
        // A seed for names and uids only: the store's recent revision spares a round trip.
        let base_revision = match turn.as_ref().and_then(|t| t.base_revision) {
            Some(r) => Ok(r),
            None => self.store.recent_revision(),
        };
        let base_revision = match base_revision {
            Ok(r) => r,
            Err(e) => {
                let err = store_error(e);
                return reqs.iter().map(|_| Err(err.clone())).collect();
            }
        };
        let earlier = turn.as_ref().map(|t| t.earlier.clone()).unwrap_or_default();
        let mut batch = Batch {
            base_revision,
            first_index: turn.as_ref().map_or(0, |t| t.first_index),
            namespaces_created: earlier.namespaces_created.clone(),
            allocator: None,
            priority_classes: None,
            quota_charged: earlier.quota_charged.clone(),
            policies: earlier.policies.clone(),
        };
        let prepared: Vec<Result<(String, Value), ApiError>> = reqs
            .into_iter()
            .enumerate()
            .map(|(i, req)| {
                let index = batch.first_index + i;
                match requested.get(i).copied().flatten() {
                    Some(asked) => {
                        let through = WriteOptions {
                            requested_as: Some(asked),
                            ..opts.clone()
                        };
                        self.prepare(req, index, &mut batch, &through)
                    }
                    None => self.prepare(req, index, &mut batch, opts),
                }
            })
            .collect();
        // What this batch admitted counts for the batches prepared while it is written.
        let ticket = turn.map(|t| {
            let admitted = Admitted {
                namespaces_created: batch
                    .namespaces_created
                    .difference(&earlier.namespaces_created)
                    .cloned()
                    .collect(),
                quota_charged: batch.quota_charged[earlier.quota_charged.len()..].to_vec(),
                policies: batch.policies[earlier.policies.len()..].to_vec(),
            };
            t.prepared(base_revision, admitted)
        });
        let results = self.finish(prepared, opts, whole);
        if let Some(t) = ticket {
            self.in_flight.written(t);
        }
        results
    }

    /// Writes what was prepared (or, in a dry run, only checks that the names are free).
    fn finish(
        &self,
        prepared: Vec<Result<(String, Value), ApiError>>,
        opts: &WriteOptions,
        whole: bool,
    ) -> Vec<Result<Value, ApiError>> {
        if whole && let Some(Err(e)) = prepared.iter().find(|p| p.is_err()) {
            return vec![Err(e.clone())];
        }
        if opts.dry_run {
            // Everything a real create checks, except writing: an existing name still fails.
            return prepared
                .into_iter()
                .map(|p| {
                    let (key, obj) = p?;
                    let found = self
                        .store
                        .range(&RangeRequest {
                            key: key.into_bytes(),
                            count_only: true,
                            ..Default::default()
                        })
                        .map_err(store_error)?;
                    if found.count > 0 {
                        let r = resource_of(&obj)?;
                        return Err(ApiError::already_exists(r.group, r.plural, name_of(&obj)));
                    }
                    Ok(obj)
                })
                .collect();
        }
        self.persist(prepared)
    }

    fn persist(
        &self,
        prepared: Vec<Result<(String, Value), ApiError>>,
    ) -> Vec<Result<Value, ApiError>> {
        let mut txns = Vec::new();
        for (key, obj) in prepared.iter().flatten() {
            let written = encode(obj).and_then(|v| Ok((v, self.lease_for(key)?)));
            let (value, lease) = match written {
                Ok(w) => w,
                Err(e) => return prepared.iter().map(|_| Err(e.clone())).collect(),
            };
            txns.push(TxnRequest {
                compare: vec![Compare {
                    key: key.clone().into_bytes(),
                    range_end: vec![],
                    target: CompareTarget::Create(0),
                    result: CompareResult::Equal,
                }],
                success: vec![RequestOp::Put {
                    key: key.clone().into_bytes(),
                    value,
                    prev_kv: false,
                    lease,
                }],
                failure: vec![],
            });
        }
        let responses = match self.store.txn_batch(&txns) {
            Ok(r) => r,
            Err(e) => {
                if e == crate::store::StoreError::LeaseNotFound {
                    self.forget_event_lease();
                }
                let err = store_error(e);
                return prepared.iter().map(|_| Err(err.clone())).collect();
            }
        };
        let mut responses = responses.into_iter();
        prepared
            .into_iter()
            .map(|p| {
                let (_, mut obj) = p?;
                let resp = responses
                    .next()
                    .ok_or_else(|| ApiError::internal("missing txn response"))?;
                if !resp.succeeded {
                    let r = resource_of(&obj)?;
                    return Err(ApiError::already_exists(r.group, r.plural, name_of(&obj)));
                }
                set_resource_version(&mut obj, resp.header.revision);
                Ok(obj)
            })
            .collect()
    }

    /// Decode, default, validate and admit one object; returns its key and final form.
    fn prepare(
        &self,
        req: CreateRequest,
        index: usize,
        batch: &mut Batch,
        opts: &WriteOptions,
    ) -> Result<(String, Value), ApiError> {
        let r = req.resource;
        // A resource the cluster does not serve (a generator's batch or rbac kind): what
        // kube-apiserver answers a POST to a path it has no handler for.
        if !self.serves(r) {
            return Err(ApiError::new(
                404,
                "NotFound",
                "the server could not find the requested resource",
            ));
        }
        let mut obj = req.object;
        check_types(r, &obj)?;
        let Some(map) = obj.as_object_mut() else {
            return Err(ApiError::bad_request(
                "the body of the request was not an object",
            ));
        };
        check_type(r, map)?;
        if !map.get("metadata").is_some_and(Value::is_object) {
            order::set_ordered(map, order::TOP_LEVEL, "metadata", json!({}));
        }
        let namespace = self.resolve_namespace(r, req.namespace.as_deref(), map, batch)?;
        let seed = format!("{}@{}#{}", r.plural, batch.base_revision, index);
        let meta = map
            .get_mut("metadata")
            .and_then(Value::as_object_mut)
            .ok_or_else(|| ApiError::internal("no metadata"))?;
        let computed = if opts.managed_fields_computed {
            meta.get("managedFields").cloned()
        } else {
            None
        };
        clear_system_fields(meta);
        defaults::generate_name(&mut obj, &mut admit::suffixes(&seed));
        if crate::api::custom::is_custom(r) {
            return self.prepare_custom(r, obj, namespace, &seed, computed, opts);
        }
        let name = name_of(&obj).to_string();
        let key = r.storage_key(namespace.as_deref(), &name);
        let now = timestamp(self.clock.now());
        // Ownership is of the object as sent and defaulted, before admission and allocation.
        let managed = match (computed, opts.field_manager.as_deref()) {
            (Some(m), _) => Some(m),
            (None, Some(manager)) if !manager.is_empty() => {
                let mut owned = obj.clone();
                defaults::apply_defaults(r.kind, &mut owned);
                managed::record_update(r, None, &mut owned, manager, "", &now);
                owned.pointer("/metadata/managedFields").cloned()
            }
            _ => None,
        };
        // A Job's generated selector names its uid, so the uid comes before the create reset
        // (kube-apiserver fills it before the strategy's PrepareForCreate too).
        if r.kind == "Job" {
            stamp_system_fields(&mut obj, &format!("{key}@{seed}"), &now);
        }
        let classes = match (r.kind, &mut batch.priority_classes) {
            ("Pod" | "PriorityClass", Some(c)) => Some(&*c),
            ("Pod" | "PriorityClass", slot) => Some(&*slot.insert(PriorityClasses::load(self)?)),
            _ => None,
        };
        if let Some(classes) = classes {
            if r.kind == "Pod" {
                classes.name_default_class(&mut obj);
            } else {
                classes.admit_class(&obj).map_err(|m| {
                    ApiError::new(
                        403,
                        "Forbidden",
                        format!("{} \"{name}\" is forbidden: {m}", r.qualified_plural()),
                    )
                })?;
            }
        }
        if r.kind == "Ingress" {
            self.default_ingress_class(&mut obj)?;
        }
        if r.kind == super::certificates::KIND {
            super::certificates::prepare_for_create(&mut obj, opts.requester.as_ref());
        }
        self.confirm_no_escalation(r, &obj, namespace.as_deref(), opts.requester.as_ref())?;
        let lookup = |class: &str| classes.and_then(|c| c.lookup(class));
        admit::default_object(r, &mut obj, &seed, &lookup)?;
        if let Some(ns) = namespace.as_deref() {
            self.default_limits(r, ns, &mut obj, &batch.policies)?;
        }
        match r.kind {
            "PersistentVolumeClaim" => self.default_storage_class(&mut obj)?,
            "PersistentVolume" => defaults::prepare_pv_for_create(&mut obj, &now),
            _ => {}
        }
        super::storage_class::protect(r.kind, &mut obj);
        // Webhooks come last among the mutating admission steps, as in kube-apiserver.
        let attrs = super::webhooks::Attributes::create(r, namespace.as_deref(), &name, opts);
        self.restrict_nodes(&attrs, Some(&obj))?;
        self.mutate_through_webhooks(&attrs, &mut obj)?;
        let crd = r.kind == super::crd::KIND && r.group == crate::api::custom::CRD_GROUP;
        if crd {
            super::crd::default_crd(&mut obj);
        }
        if let Some(m) = managed
            && let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut)
        {
            order::set_ordered(meta, order::OBJECT_META, "managedFields", m);
        }
        if r.kind == "Service" {
            let allocator = match &mut batch.allocator {
                Some(a) => a,
                None => batch.allocator.insert(Allocator::load(self)?),
            };
            allocator.assign_service_addresses(&mut obj, &seed)?;
        }
        if crd {
            super::crd::validate(&obj, None)?;
            let others: Vec<Value> = self.list(r, None, &Default::default())?["items"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            super::crd::prepare_for_create(&mut obj, &others, &now);
        } else {
            admit::validate(r, &obj, None)?;
        }
        if let Some(ns) = namespace.as_deref() {
            self.check_limits(r, ns, &obj, &batch.policies)?;
            self.admit_pod_security(r, ns, &obj, &batch.policies)?;
            if self.admit_quota(r, ns, &obj, &batch.quota_charged, &batch.policies)? {
                batch.quota_charged.push((r, ns.to_string(), obj.clone()));
            }
            if matches!(r.kind, "LimitRange" | "ResourceQuota") && r.group.is_empty() {
                batch.policies.push((r.kind, obj.clone()));
            }
        }
        stamp_system_fields(&mut obj, &format!("{key}@{seed}"), &now);
        let attrs = super::webhooks::Attributes::create(r, namespace.as_deref(), &name, opts);
        self.validate_through_policies(&attrs, Some(&obj))?;
        self.validate_through_webhooks(&attrs, Some(&obj))?;
        if r.kind == "Namespace" {
            batch.policies.push((r.kind, obj.clone()));
            batch.namespaces_created.insert(name);
        }
        Ok((key, obj))
    }

    /// The rest of a custom object's create: the CRD's strategy and schema instead of the
    /// built-in kinds' defaults, admission and validation.
    fn prepare_custom(
        &self,
        r: &'static Resource,
        mut obj: Value,
        namespace: Option<String>,
        seed: &str,
        computed: Option<Value>,
        opts: &WriteOptions,
    ) -> Result<(String, Value), ApiError> {
        self.check_not_terminating(r)?;
        let name = name_of(&obj).to_string();
        let key = r.storage_key(namespace.as_deref(), &name);
        let now = timestamp(self.clock.now());
        super::custom_objects::prepare_for_create(r, &mut obj);
        let attrs = super::webhooks::Attributes::create(r, namespace.as_deref(), &name, opts);
        self.mutate_through_webhooks(&attrs, &mut obj)?;
        self.admit_custom(r, &mut obj, None)?;
        let managed = match (computed, opts.field_manager.as_deref()) {
            (Some(m), _) => Some(m),
            (None, Some(manager)) if !manager.is_empty() => {
                let mut owned = obj.clone();
                managed::record_update(r, None, &mut owned, manager, "", &now);
                owned.pointer("/metadata/managedFields").cloned()
            }
            _ => None,
        };
        if let Some(m) = managed
            && let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut)
        {
            order::set_ordered(meta, order::OBJECT_META, "managedFields", m);
        }
        stamp_system_fields(&mut obj, &format!("{key}@{seed}"), &now);
        self.validate_through_policies(&attrs, Some(&obj))?;
        self.validate_through_webhooks(&attrs, Some(&obj))?;
        Ok((key, obj))
    }

    /// The namespace of a namespaced object: the request's, which the object may repeat but
    /// not contradict. The namespace must exist (NamespaceLifecycle admission).
    fn resolve_namespace(
        &self,
        r: &Resource,
        request_ns: Option<&str>,
        map: &mut Map<String, Value>,
        batch: &Batch,
    ) -> Result<Option<String>, ApiError> {
        let meta = map
            .get_mut("metadata")
            .and_then(Value::as_object_mut)
            .ok_or_else(|| ApiError::internal("no metadata"))?;
        if !r.namespaced {
            meta.shift_remove("namespace");
            return Ok(None);
        }
        let in_object = meta
            .get("namespace")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty());
        let ns = match (request_ns, in_object) {
            (Some(req), Some(obj)) if req != obj => {
                return Err(ApiError::bad_request(
                    "the namespace of the provided object does not match the namespace sent on the request",
                ));
            }
            (Some(req), _) => req.to_string(),
            (None, Some(obj)) => obj.to_string(),
            (None, None) => "default".to_string(),
        };
        order::set_ordered(meta, order::OBJECT_META, "namespace", json!(ns));
        if !batch.namespaces_created.contains(&ns) {
            match self.lookup_namespace(&ns) {
                Ok(found)
                    if found.pointer("/status/phase").and_then(Value::as_str)
                        == Some("Terminating") =>
                {
                    let name = meta.get("name").and_then(Value::as_str).unwrap_or("");
                    return Err(ApiError::new(
                        403,
                        "Forbidden",
                        format!(
                            "{} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated",
                            r.qualified_plural()
                        ),
                    ));
                }
                Ok(_) => {}
                Err(e) if e.code == 404 => return Err(ApiError::namespace_not_found(&ns)),
                Err(e) => return Err(e),
            }
        }
        Ok(Some(ns))
    }
}

/// The object's apiVersion and kind must be the resource's (or absent).
fn check_type(r: &Resource, map: &mut Map<String, Value>) -> Result<(), ApiError> {
    let want = r.api_version();
    match map.get("apiVersion").and_then(Value::as_str) {
        Some(v) if v != want => {
            return Err(ApiError::bad_request(format!(
                "the API version in the data ({v}) does not match the expected API version ({want})"
            )));
        }
        Some(_) => {}
        None => order::set_ordered(map, order::TOP_LEVEL, "apiVersion", json!(want)),
    }
    match map.get("kind").and_then(Value::as_str) {
        Some(k) if k != r.kind => Err(ApiError::bad_request(format!(
            "the kind in the data ({k}) does not match the expected kind ({})",
            r.kind
        ))),
        Some(_) => Ok(()),
        None => {
            order::set_ordered(map, order::TOP_LEVEL, "kind", json!(r.kind));
            Ok(())
        }
    }
}

/// Fields only the server sets; a client's values are dropped on create.
fn clear_system_fields(meta: &mut Map<String, Value>) {
    for f in [
        "uid",
        "resourceVersion",
        "creationTimestamp",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "generation",
        "selfLink",
        "managedFields",
    ] {
        meta.shift_remove(f);
    }
}

/// The identity and birth time the server gives every new object.
fn stamp_system_fields(obj: &mut Value, uid_seed: &str, now: &str) {
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        order::set_ordered(meta, order::OBJECT_META, "uid", json!(ids::uid(uid_seed)));
        order::set_ordered(meta, order::OBJECT_META, "creationTimestamp", json!(now));
    }
}

pub(super) fn name_of(obj: &Value) -> &str {
    obj.pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn resource_of(obj: &Value) -> Result<&'static Resource, ApiError> {
    let api_version = obj.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    registry::find_by_kind(api_version, kind).ok_or_else(|| ApiError::internal("unknown kind"))
}
