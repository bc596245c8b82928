//! The `pods/eviction` subresource: how `kubectl drain` removes pods. kubelite has no
//! PodDisruptionBudgets, so nothing ever refuses (429): an eviction is the pod's deletion
//! with the Eviction's DeleteOptions, as kube-apiserver does when no budget covers the pod.

use super::ApiServer;
use crate::api::options::DeleteOptions;
use crate::api::registry;
use crate::api::status::ApiError;

impl ApiServer {
    pub fn evict(&self, namespace: &str, pod: &str, opts: &DeleteOptions) -> Result<(), ApiError> {
        let pods = registry::find("pods").ok_or_else(|| ApiError::internal("no pods resource"))?;
        self.delete(pods, Some(namespace), pod, opts)?;
        Ok(())
    }
}
