//! The cluster completion reads names from: the embedded one, opened without bootstrapping
//! and with a short lock wait, so a TAB never creates a cluster and never hangs behind a
//! running command.

use super::candidates::Names;
use crate::api::registry::{self, Resource};
use crate::apiserver::ApiServer;
use crate::client::{Client, Embedded};
use crate::clock::Clock;
use crate::store::RangeRequest;
use crate::store::redb::RedbStore;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// How long a TAB waits for another kubelite process to release the store.
const LOCK_WAIT: Duration = Duration::from_millis(150);

/// Opens the existing embedded cluster; `None` when there is none yet, it is busy, or the
/// line (or `KUBECONFIG`) names a remote cluster, which this build does not reach.
pub fn open(remote_on_line: bool) -> Option<Embedded> {
    if remote_on_line || std::env::var_os("KUBECONFIG").is_some_and(|v| !v.is_empty()) {
        return None;
    }
    let path = crate::cluster::store_path();
    if !path.is_file() {
        return None;
    }
    let store = RedbStore::open(&path, LOCK_WAIT).ok()?;
    let clock = Clock::from_env().ok()?;
    let server = Arc::new(ApiServer::new(Arc::new(store), clock));
    Some(Embedded::new(server, String::new()))
}

/// Names read from the embedded cluster; one that cannot be read completes nothing.
pub struct ClusterNames<'a>(pub Option<&'a Embedded>);

impl Names for ClusterNames<'_> {
    fn names(&self, r: &Resource, namespace: Option<&str>, prefix: &str) -> Vec<String> {
        match self.0 {
            Some(client) => names_with_prefix(client, r, namespace, prefix),
            None => Vec::new(),
        }
    }

    fn containers(&self, namespace: &str, pod: &str) -> Vec<String> {
        let (Some(client), Some(pods)) = (self.0, registry::find("pods")) else {
            return Vec::new();
        };
        let Ok(obj) = client.get(pods, Some(namespace), pod) else {
            return Vec::new();
        };
        ["/spec/initContainers", "/spec/containers"]
            .iter()
            .filter_map(|p| obj.pointer(p).and_then(Value::as_array))
            .flatten()
            .filter_map(|c| c.get("name").and_then(Value::as_str))
            .map(str::to_string)
            .collect()
    }
}

/// Names of the objects of `r` that start with `prefix`, read as keys only, so a TAB costs
/// the matching keys and not the decoding of every object (10,000 pods: ~180 ms listed
/// through `Client::list`, a few ms this way).
///
/// This reads the API server's storage directly, which only the API server should do: it is
/// here until the API server offers a names-only list (`ApiServer::list_names`, and a
/// `Client` method with a `list`-based default for remote clusters).
fn names_with_prefix(
    client: &Embedded,
    r: &Resource,
    namespace: Option<&str>,
    prefix: &str,
) -> Vec<String> {
    let collection = r.storage_prefix_for(namespace);
    // Keys go on with the name, except across namespaces (`<namespace>/<name>`).
    let by_name = !r.namespaced || namespace.is_some();
    let start = if by_name { prefix } else { "" };
    let mut request = RangeRequest::prefix(format!("{collection}{start}").as_bytes());
    request.keys_only = true;
    let Ok(response) = client.server().store().range(&request) else {
        return Vec::new();
    };
    response
        .kvs
        .iter()
        .filter_map(|kv| std::str::from_utf8(&kv.key).ok())
        .filter_map(|key| key.strip_prefix(collection.as_str()))
        .map(|rest| rest.rsplit('/').next().unwrap_or(rest).to_string())
        .filter(|name| name.starts_with(prefix))
        .collect()
}
