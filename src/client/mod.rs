//! How every part of kubelite reaches a cluster: the `Client` trait, with the in-process
//! `Embedded` implementation (and, later, `Remote` over HTTP).

mod acting;
pub mod auth;
pub mod connection;
mod embedded;
mod logs;
mod remote;
mod remote_exec;
mod remote_portforward;
mod remote_tunnel;
mod spdy_frames;
mod watch_stream;

pub use acting::Acting;
pub use connection::{ConnectionConfig, Credentials, ExecConfig};
pub use embedded::{Embedded, LogSource, SharedSettle};
pub use logs::LogRequest;
pub use remote::{Remote, install_tls_provider};
pub use remote_exec::ExecStreams;
pub use remote_portforward::{Forward, PortForward};
pub use remote_tunnel::Upstream;
pub use watch_stream::{WatchRequest, WatchStream};

use crate::api::options::{DeleteOptions, ListOptions, PatchType, WatchEvent, WriteOptions};
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use crate::apiserver::project::Keep;
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

    /// `list`, of whose items only what `keep` names need be there: an API server in this
    /// process decodes nothing else of them (on every core); a remote one sends them whole.
    fn list_projected(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
        _keep: &'static Keep,
    ) -> Result<Value, ApiError> {
        self.list(r, namespace, opts)
    }

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

    /// Server-side apply (`application/apply-patch+yaml`) of `config` as
    /// `opts.field_manager`; `force` takes conflicting fields from their managers.
    fn apply(
        &self,
        r: &'static Resource,
        namespace: Option<&str>,
        name: &str,
        config: &Value,
        opts: &WriteOptions,
        force: bool,
    ) -> Result<Value, ApiError>;

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

    /// `pods/eviction`: a policy/v1 Eviction of one pod, as `kubectl drain` sends it (the
    /// pod is deleted with `opts` unless a disruption budget forbids it).
    fn evict(&self, namespace: &str, pod: &str, opts: &DeleteOptions) -> Result<(), ApiError>;

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

    /// `list_table` for a printer that reads of each row only its cells and its object's
    /// namespace and labels (`kubectl get`'s, without `--sort-by`): a client may leave the
    /// rest of the rows out, so a big list costs it its printed text, not its objects.
    fn list_table_printed(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
    ) -> Result<Value, ApiError> {
        self.list_table(r, namespace, opts)
    }

    /// The server's `/version`.
    fn version(&self) -> Result<Value, ApiError>;

    /// Where the server is, for `cluster-info` and error messages.
    fn server_url(&self) -> String;

    /// The custom resources an in-process cluster serves now (its CRDs'), for the names
    /// the CLI resolves; empty for a client with a server, whose discovery lists them.
    fn custom_resources(&self) -> Vec<&'static Resource> {
        Vec::new()
    }

    /// A GET of a path outside the resource collections (`/api`, `/apis`: discovery),
    /// sent with `accept`, decoded as JSON. `None` from a client with no HTTP server
    /// behind it (the embedded cluster, whose resources are the static registry).
    fn get_path(&self, _path: &str, _accept: &str) -> Option<Result<Value, ApiError>> {
        None
    }

    /// The bytes of a GET of any path (`get --raw`). `None` from a client with no HTTP
    /// server behind it.
    fn get_raw(&self, _path: &str) -> Option<Result<Vec<u8>, ApiError>> {
        None
    }

    /// `get --raw`'s GET, its reply's bytes written to `out` as they arrive (a watch
    /// never ends: it is printed as it goes, never held whole). Clients that cannot stream
    /// hand over `get_raw`'s bytes.
    fn get_raw_to(&self, path: &str, out: &mut dyn std::io::Write) -> Option<Result<(), ApiError>> {
        Some(self.get_raw(path)?.and_then(|b| {
            out.write_all(&b)
                .map_err(|e| ApiError::internal(e.to_string()))
        }))
    }

    /// An OpenAPI v3 document by its path (`/openapi/v3`, `/openapi/v3/api/v1?hash=..`), as
    /// `explain` reads it: a server's reply to that GET, or the embedded API server's own.
    fn openapi_v3(&self, path: &str) -> Option<Result<Vec<u8>, ApiError>> {
        self.get_raw(path)
    }

    /// The bytes of a POST, PUT or DELETE of any path with `body` sent as given (no
    /// Content-Type), as `create|replace|delete --raw` send them. `None` from a client
    /// with no HTTP server behind it.
    fn send_raw(
        &self,
        _method: &str,
        _path: &str,
        _body: Option<Vec<u8>>,
    ) -> Option<Result<Vec<u8>, ApiError>> {
        None
    }

    /// The one rule that decides how a verb that waits (`rollout status`, `delete`,
    /// `get -w`, `logs -f`) waits. `true`: the cluster moves on its own (an API server),
    /// so the verb watches as kubectl does, until done or its timeout. `false`: the
    /// cluster moves only when this process runs its control plane (the embedded cluster
    /// in one-shot mode, already settled), so the verb answers from what it reads now.
    fn live(&self) -> bool {
        false
    }

    /// A watch that stays open, as kubectl's: events as the server sends them, until it
    /// ends the stream or `req.timeout` passes. Only a live client has one.
    fn watch_stream(
        &self,
        _r: &Resource,
        _namespace: Option<&str>,
        _opts: &ListOptions,
        _req: &WatchRequest,
    ) -> Result<WatchStream, ApiError> {
        Err(ApiError::internal(
            "this cluster does not move on its own: nothing to watch",
        ))
    }

    /// client-go's ListWatch, as informers run it: a list served from the watch cache
    /// (`resourceVersion=0`), then a watch from that list's resourceVersion. Only a live
    /// client has one.
    fn list_then_watch(
        &self,
        _r: &Resource,
        _namespace: Option<&str>,
        _opts: &ListOptions,
        _req: &WatchRequest,
    ) -> Result<(Value, WatchStream), ApiError> {
        Err(ApiError::internal(
            "this cluster does not move on its own: nothing to watch",
        ))
    }

    /// `GET pods/{name}/log`: the container's log, read as it arrives (`follow`).
    fn logs(
        &self,
        namespace: &str,
        pod: &str,
        req: &LogRequest,
    ) -> Result<Box<dyn std::io::Read + Send>, ApiError>;

    /// A GET as a typed client sends it (`Accept: application/json, */*`), which is how
    /// kubectl reads the object behind `logs`, `exec`, `rollout` and `set`.
    fn get_typed(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Value, ApiError> {
        self.get(r, namespace, name)
    }

    /// A LIST as a typed client sends it (`Accept: application/json, */*`), in one request:
    /// how kubectl's resource builder reads the pods of `logs -l`.
    fn list_typed(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
    ) -> Result<Value, ApiError> {
        self.list(r, namespace, opts)
    }

    /// A PATCH as a typed client sends it (`Accept: application/json, */*`), as kubectl's
    /// `set` does.
    fn patch_typed(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
        patch_type: PatchType,
        patch: &Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        self.patch(r, namespace, name, patch_type, patch, opts)
    }

    /// The cluster CA the controller manager signs approved certificate requests with (as
    /// kube-controller-manager's `--cluster-signing-*-file`); `None` for a cluster whose CA
    /// this process does not hold.
    fn signing_ca(&self) -> Option<Result<crate::apiserver::cluster_ca::ClusterCa, ApiError>> {
        None
    }

    /// metrics-server's API (`metrics.k8s.io/v1beta1`, see `api::metrics`): the
    /// NodeMetrics or PodMetrics `name`, or a list. A cluster without it answers 404.
    fn metrics(
        &self,
        _r: &Resource,
        _namespace: Option<&str>,
        _name: Option<&str>,
        _opts: &ListOptions,
    ) -> Result<Value, ApiError> {
        Err(ApiError::new(
            404,
            "NotFound",
            "the server could not find the requested resource",
        ))
    }

    /// Creates a self-subject review (`api::reviews`): the server answers it for the
    /// user the request comes from.
    fn review(&self, _r: &Resource, _body: &Value) -> Result<Value, ApiError> {
        Err(ApiError::new(
            404,
            "NotFound",
            "the server could not find the requested resource",
        ))
    }

    /// POSTs a TokenRequest to ServiceAccount `namespace/name`'s `token` subresource.
    fn create_token(
        &self,
        _namespace: &str,
        _name: &str,
        _body: &Value,
    ) -> Result<Value, ApiError> {
        Err(ApiError::new(
            404,
            "NotFound",
            "the server could not find the requested resource",
        ))
    }

    /// A POST as kubectl's typed clients send it (generators, `run`, `expose`): the object
    /// exactly as built (kubectl names the namespace in the body only when `-n` did),
    /// with `Accept: application/json, */*` when `typed` (else plain JSON, which is what
    /// kubectl's protobuf-speaking clientset asks for when protobuf is set aside).
    fn create_as_built(
        &self,
        r: &'static Resource,
        namespace: Option<&str>,
        obj: Value,
        opts: &WriteOptions,
        _typed: bool,
    ) -> Result<Value, ApiError> {
        self.create(r, namespace, obj, opts)
    }

    /// A DELETE as kubectl's resource builder sends it (`run --rm`): a typed client's
    /// Accept, and DeleteOptions with its kind and version.
    fn delete_typed(
        &self,
        r: &'static Resource,
        namespace: Option<&str>,
        name: &str,
        opts: &DeleteOptions,
    ) -> Result<Value, ApiError> {
        self.delete(r, namespace, name, opts)
    }

    /// The names of a collection's objects (`<namespace>/<name>` when listing across
    /// namespaces), for completion and prompts.
    fn list_names(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
    ) -> Result<Vec<String>, ApiError> {
        let list = self.list(r, namespace, opts)?;
        Ok(list["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|o| {
                let name = o.pointer("/metadata/name")?.as_str()?;
                Some(
                    match (
                        namespace,
                        o.pointer("/metadata/namespace").and_then(Value::as_str),
                    ) {
                        (None, Some(ns)) => format!("{ns}/{name}"),
                        _ => name.to_string(),
                    },
                )
            })
            .collect())
    }
}

/// client-go's informers ask the server to end each watch after a random 5 to 10
/// minutes, so that watches spread out.
pub fn informer_watch_seconds() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    300 + u64::from(nanos % 300)
}
