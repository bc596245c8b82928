//! How every part of kubelite reaches a cluster: the `Client` trait, with the in-process
//! `Embedded` implementation (and, later, `Remote` over HTTP).

pub mod auth;
pub mod connection;
mod embedded;
mod remote;
mod remote_exec;

pub use connection::{ConnectionConfig, Credentials, ExecConfig};
pub use embedded::Embedded;
pub use remote::{Remote, install_tls_provider};
pub use remote_exec::ExecStreams;

use crate::api::options::{DeleteOptions, ListOptions, PatchType, WatchEvent, WriteOptions};
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use serde_json::Value;

/// One object to create, for `create_many`.
pub struct NewObject {
    pub resource: &'static Resource,
    pub namespace: Option<String>,
    pub object: Value,
}

/// The Kubernetes API as kubelite's verbs and components use it.
pub trait Client {
    fn get(&self, r: &Resource, namespace: Option<&str>, name: &str) -> Result<Value, ApiError>;

    /// A `<Kind>List`; items carry no apiVersion/kind, as the API server sends them.
    fn list(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
    ) -> Result<Value, ApiError>;

    fn create(
        &self,
        r: &'static Resource,
        namespace: Option<&str>,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError>;

    /// Creates several objects; a client may send them in one round trip and one commit.
    fn create_many(
        &self,
        objects: Vec<NewObject>,
        opts: &WriteOptions,
    ) -> Vec<Result<Value, ApiError>> {
        objects
            .into_iter()
            .map(|o| self.create(o.resource, o.namespace.as_deref(), o.object, opts))
            .collect()
    }

    fn update(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError>;

    fn update_status(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError>;

    fn patch(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
        patch_type: PatchType,
        patch: &Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError>;

    /// A PATCH whose body is the user's text, sent as written (kubectl sends JSON-looking
    /// text verbatim, so the server judges it), to the object or to `opts.subresource`.
    /// A client without a server parses it here, with the server's words for bad JSON.
    fn patch_raw(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
        patch_type: PatchType,
        body: &[u8],
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        let patch: Value = serde_json::from_slice(body).map_err(|e| {
            ApiError::bad_request(format!(
                "the body of the request is not valid JSON (a patch): {e}"
            ))
        })?;
        self.patch(r, namespace, name, patch_type, &patch, opts)
    }

    fn delete(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
        opts: &DeleteOptions,
    ) -> Result<Value, ApiError>;

    /// `pods/binding`: assigns a pod that has no node to `node` (sets `spec.nodeName` and
    /// PodScheduled=True), as kube-scheduler does.
    fn bind(&self, namespace: &str, pod: &str, node: &str) -> Result<(), ApiError>;

    /// Changes after `since`, and the resourceVersion to continue from.
    fn watch(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
        since: i64,
    ) -> Result<(Vec<WatchEvent>, i64), ApiError>;

    /// `watch` up to revision `until` only (the control plane reads the change log in
    /// bounded pieces). The default reads everything and drops what is later.
    fn watch_until(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
        since: i64,
        until: i64,
    ) -> Result<Vec<WatchEvent>, ApiError> {
        let (mut events, _) = self.watch(r, namespace, opts, since)?;
        events.retain(|e| {
            e.object
                .pointer("/metadata/resourceVersion")
                .and_then(Value::as_str)
                .and_then(|v| v.parse::<i64>().ok())
                .is_none_or(|v| v <= until)
        });
        Ok(events)
    }

    /// One object rendered as a server-side `Table` (meta.k8s.io/v1).
    fn get_table(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Value, ApiError>;

    /// A collection rendered as a server-side `Table`.
    fn list_table(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
    ) -> Result<Value, ApiError>;

    /// The server's `/version`.
    fn version(&self) -> Result<Value, ApiError>;

    /// Where the server is, for `cluster-info` and error messages.
    fn server_url(&self) -> String;

    /// A GET of a path outside the resource collections (`/api`, `/apis`: discovery),
    /// sent with `accept`, decoded as JSON. `None` from a client with no HTTP server
    /// behind it (the embedded cluster, whose resources are the static registry).
    fn get_path(&self, _path: &str, _accept: &str) -> Option<Result<Value, ApiError>> {
        None
    }
}
