//! What admission reads of a namespace on every create: the Namespace itself
//! (NamespaceLifecycle, PodSecurity) and its ResourceQuotas and LimitRanges. On a store in
//! etcd each is a round trip per create; kube-apiserver serves them from informers, and so
//! does this, per namespace, with `memo`'s validity: read again once the store's change log
//! (or this server's own write, see `Store::changed_after`) shows a key of it changed.
//! A namespace that is not found is never remembered: it is read again each time, as
//! kube's NamespaceLifecycle looks up a namespace its informer has not seen yet.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use super::ApiServer;
use super::memo::Memo;
use crate::api::options::ListOptions;
use crate::api::registry::{self, Resource};
use crate::api::status::ApiError;

/// Most namespaces remembered per kind of read; past it every memo is let go of at once
/// (a cluster with more namespaces reads more, but memory stays bounded).
const MOST: usize = 1024;

/// The plural of what is read and the namespace it is read in.
type Scope = (&'static str, String);

/// Memos keyed by namespace (and the plural of what is listed there).
struct PerNamespace<T>(Mutex<HashMap<Scope, Arc<Memo<T>>>>);

impl<T> Default for PerNamespace<T> {
    fn default() -> Self {
        PerNamespace(Mutex::new(HashMap::new()))
    }
}

impl<T> PerNamespace<T> {
    fn memo(&self, plural: &'static str, ns: &str) -> Arc<Memo<T>> {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let key = (plural, ns.to_string());
        if map.len() >= MOST && !map.contains_key(&key) {
            map.clear();
        }
        map.entry(key).or_default().clone()
    }
}

#[derive(Default)]
pub struct Cache {
    namespaces: PerNamespace<Value>,
    items: PerNamespace<Arc<Vec<Value>>>,
}

impl ApiServer {
    /// The Namespace `ns` (404 when there is none).
    pub(super) fn lookup_namespace(&self, ns: &str) -> Result<Value, ApiError> {
        let r = registry::find("namespaces")
            .ok_or_else(|| ApiError::internal("no namespaces resource"))?;
        let read = || self.get(r, None, ns);
        if self.store.followed_revision().is_none() {
            return read();
        }
        let key = r.storage_key(None, ns);
        self.namespace_memo.namespaces.memo(r.plural, ns).get(
            self.store.as_ref(),
            &[key.as_bytes()],
            read,
        )
    }

    /// The objects of `r` (ResourceQuotas, LimitRanges) in `ns`, in name order.
    pub(super) fn namespace_items(
        &self,
        r: &'static Resource,
        ns: &str,
    ) -> Result<Arc<Vec<Value>>, ApiError> {
        let read = || {
            let mut list = self.list(r, Some(ns), &ListOptions::default())?;
            Ok(Arc::new(match list["items"].take() {
                Value::Array(items) => items,
                _ => Vec::new(),
            }))
        };
        if self.store.followed_revision().is_none() {
            return read();
        }
        let prefix = r.storage_prefix_for(Some(ns));
        self.namespace_memo.items.memo(r.plural, ns).get(
            self.store.as_ref(),
            &[prefix.as_bytes()],
            read,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memos_stay_bounded() {
        let per: PerNamespace<u32> = PerNamespace::default();
        for i in 0..MOST * 3 {
            let _ = per.memo("pods", &format!("ns-{i}"));
        }
        let len = per.0.lock().map(|m| m.len()).unwrap_or(usize::MAX);
        assert!(len <= MOST, "{len} memos kept");
    }
}
