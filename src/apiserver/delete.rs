//! DELETE. Objects go at once; a Namespace takes everything in it along in the same commit.
//! (Graceful pod deletion and garbage collection by ownerReferences belong to the kubelet and
//! the controller manager.)

use super::ApiServer;
use super::codec::{decode, set_resource_version, store_error};
use crate::api::options::DeleteOptions;
use crate::api::registry::{RESOURCES, Resource};
use crate::api::status::ApiError;
use crate::store::{
    Compare, CompareResult, CompareTarget, RangeRequest, RequestOp, TxnRequest, prefix_range_end,
};
use serde_json::Value;

/// Namespaces kube-apiserver refuses to delete.
const IMMORTAL_NAMESPACES: &[&str] = &["default", "kube-system", "kube-public"];

impl ApiServer {
    /// Deletes one object and returns it as it was.
    pub fn delete(
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
        let key = r.storage_key(namespace, name);
        let current = self
            .store
            .range(&RangeRequest {
                key: key.clone().into_bytes(),
                ..Default::default()
            })
            .map_err(store_error)?;
        let kv = current
            .kvs
            .first()
            .ok_or_else(|| ApiError::not_found(r.group, r.plural, name))?;
        let mut obj = decode(kv)?;
        if opts.dry_run {
            return Ok(obj);
        }
        let mut ops = vec![RequestOp::Delete {
            key: key.clone().into_bytes(),
            range_end: vec![],
            prev_kv: false,
        }];
        if r.kind == "Namespace" {
            ops.extend(namespace_contents(name));
        }
        let resp = self
            .store
            .txn(&TxnRequest {
                compare: vec![Compare {
                    key: key.into_bytes(),
                    range_end: vec![],
                    target: CompareTarget::Mod(kv.mod_revision),
                    result: CompareResult::Equal,
                }],
                success: ops,
                failure: vec![],
            })
            .map_err(store_error)?;
        if !resp.succeeded {
            return Err(ApiError::conflict(r.group, r.plural, name));
        }
        set_resource_version(&mut obj, resp.header.revision);
        Ok(obj)
    }
}

/// Deletes of every namespaced collection's keys in one namespace.
fn namespace_contents(namespace: &str) -> Vec<RequestOp> {
    RESOURCES
        .iter()
        .filter(|r| r.namespaced)
        .map(|r| {
            let prefix = r.storage_prefix_for(Some(namespace));
            RequestOp::Delete {
                range_end: prefix_range_end(prefix.as_bytes()),
                key: prefix.into_bytes(),
                prev_kv: false,
            }
        })
        .collect()
}
