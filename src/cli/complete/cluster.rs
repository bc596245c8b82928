//! The cluster completion reads names from: the embedded one, opened without bootstrapping
//! and with a short lock wait, so a TAB never creates a cluster and never hangs behind a
//! running command.

use super::candidates::Names;
use crate::api::registry::{self, Resource};
use crate::client::{Client, Embedded};
use serde_json::Value;
use std::time::Duration;

/// How long a TAB waits for another kubelite process to release the store.
const LOCK_WAIT: Duration = Duration::from_millis(150);

/// Opens the existing embedded cluster; `None` when there is none yet, it is busy, or the
/// line (or `KUBECONFIG`) names a remote cluster, which this build does not reach.
pub fn open(remote_on_line: bool) -> Option<Embedded> {
    if remote_on_line || std::env::var_os("KUBECONFIG").is_some_and(|v| !v.is_empty()) {
        return None;
    }
    let store = crate::embedded::store_file(&crate::cluster::home()).ok()?;
    crate::embedded::open_existing(&store, LOCK_WAIT)
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

/// Names of the objects of `r` that start with `prefix`, through the client's names-only
/// listing (keys only in the embedded cluster, so a TAB does not decode every object).
fn names_with_prefix(
    client: &Embedded,
    r: &Resource,
    namespace: Option<&str>,
    prefix: &str,
) -> Vec<String> {
    let opts = crate::api::options::ListOptions {
        name_prefix: Some(prefix.to_string()),
        ..Default::default()
    };
    client.list_names(r, namespace, &opts).unwrap_or_default()
}
