//! The in-process client: calls straight into the embedded API server.

use super::{Client, NewObject};
use crate::api::options::{DeleteOptions, ListOptions, PatchType, WatchEvent, WriteOptions};
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use crate::apiserver::authorizer::{MASTERS, User};
use crate::apiserver::{ApiServer, CreateRequest, project};
use crate::print::columns::{self, IncludeObject};
use serde_json::{Value, json};
use std::sync::Arc;

/// Where the embedded cluster's container logs come from: its kubelets (a layer above
/// this one), plugged in by whoever assembles the cluster.
pub type LogSource = fn(&dyn Client, &str, &str, &super::LogRequest) -> Result<String, ApiError>;

/// How the control plane of a cluster shared with other processes (one in etcd) settles
/// for a one-shot command: only the components whose Leases this process won. Plugged in,
/// like the logs, by whoever assembles the cluster; dropping it gives the Leases up.
pub trait SharedSettle: Send + Sync {
    /// Notes for the user, as a settle of a cluster of its own gives them.
    fn settle(&self, client: &Embedded) -> Result<Vec<String>, String>;
}

pub struct Embedded {
    server: Arc<ApiServer>,
    location: String,
    logs: Option<LogSource>,
    /// Who the embedded cluster's one local user acts as (`--as`): they themselves, an
    /// admin, unless set.
    acting_as: std::sync::RwLock<Option<User>>,
    /// Signs and checks ServiceAccount tokens (the key lives in the cluster's directory).
    sa_keys: crate::apiserver::tokens::KeyHolder,
    /// The cluster's directory, where its CA is kept.
    home: Option<std::path::PathBuf>,
    /// Prints what admission said for the user (`Warning: ...` on stderr, as kubectl prints
    /// a server's warnings): the CLI's client does; serve's, whose HTTP layer sends them as
    /// headers, does not.
    prints_warnings: bool,
    /// Set for a cluster shared with other processes (see [`SharedSettle`]).
    shared_settle: Option<Box<dyn SharedSettle>>,
}

/// The embedded cluster's local user: allowed everything, as serve's admin is.
pub fn local_user() -> User {
    User {
        name: "kubernetes-admin".to_string(),
        groups: vec![MASTERS.to_string(), "system:authenticated".to_string()],
    }
}

impl Embedded {
    /// `location` names the store, for `cluster-info` and messages.
    pub fn new(server: Arc<ApiServer>, location: String) -> Self {
        Embedded {
            server,
            location,
            logs: None,
            acting_as: std::sync::RwLock::new(None),
            sa_keys: Default::default(),
            home: None,
            prints_warnings: false,
            shared_settle: None,
        }
    }

    /// The same client, its control plane settling through `settle` (a shared cluster).
    pub fn with_shared_settle(mut self, settle: Box<dyn SharedSettle>) -> Self {
        self.shared_settle = Some(settle);
        self
    }

    /// How this cluster settles when it is shared with other processes.
    pub fn shared_settle(&self) -> Option<&dyn SharedSettle> {
        self.shared_settle.as_deref()
    }

    /// The same client, printing admission's warnings to its user.
    pub fn printing_warnings(mut self) -> Self {
        self.prints_warnings = true;
        self
    }

    /// `answer`, after printing the warnings admission gave while it was made.
    fn relay_warnings<T>(&self, answer: T) -> T {
        if self.prints_warnings {
            print_once(crate::apiserver::webhooks::warnings::take());
        }
        answer
    }

    /// Acts as `user` (with `groups` and `system:authenticated`) from now on, as the API
    /// server does for an admin's impersonation headers.
    pub fn act_as(&self, user: &str, groups: &[String]) {
        let mut groups = groups.to_vec();
        if !groups.iter().any(|g| g == "system:authenticated") {
            groups.push("system:authenticated".to_string());
        }
        if let Ok(mut a) = self.acting_as.write() {
            *a = Some(User {
                name: user.to_string(),
                groups,
            });
        }
    }

    /// `opts` naming this client's user as the sender, as serve's requests name theirs.
    fn sent_by_user(&self, opts: &WriteOptions) -> WriteOptions {
        let mut opts = opts.clone();
        opts.requester.get_or_insert_with(|| self.requester());
        opts
    }

    /// `opts` of a delete naming this client's user as the sender.
    fn deleted_by_user(&self, opts: &DeleteOptions) -> DeleteOptions {
        let mut opts = opts.clone();
        opts.requester.get_or_insert_with(|| self.requester());
        opts
    }

    /// This client's user as a request's sender.
    fn requester(&self) -> crate::api::options::Requester {
        let user = self.user();
        crate::api::options::Requester {
            name: user.name,
            groups: user.groups,
        }
    }

    fn user(&self) -> User {
        self.acting_as
            .read()
            .ok()
            .and_then(|a| a.clone())
            .unwrap_or_else(local_user)
    }

    /// The same client, answering `pods/log` from `source`.
    pub fn with_logs(mut self, source: LogSource) -> Self {
        self.logs = Some(source);
        self
    }

    pub fn server(&self) -> &Arc<ApiServer> {
        &self.server
    }

    /// The cluster's directory, when it lives in one (not for a cluster in memory).
    pub fn home(&self) -> Option<&std::path::Path> {
        self.home.as_deref()
    }

    /// The same client, signing ServiceAccount tokens with the key kept in `home`.
    pub fn with_home(mut self, home: &std::path::Path) -> Self {
        self.sa_keys = crate::apiserver::tokens::KeyHolder::in_dir(home);
        self.home = Some(home.to_path_buf());
        self
    }

    /// The user and groups a ServiceAccount token of this cluster stands for; `None` for
    /// a forged, expired or orphaned one.
    pub fn service_account_user(&self, token: &str) -> Option<(String, Vec<String>)> {
        let key = self.sa_keys.get().ok()?;
        crate::apiserver::tokens::authenticate(&self.server, &key, token, &[])
            .map(|u| (u.name, u.groups))
    }

    /// Answers a TokenReview with this cluster's signing key.
    pub fn token_review(&self, body: &Value) -> Result<Value, ApiError> {
        let key = self.sa_keys.get()?;
        crate::apiserver::tokens::review(&self.server, &key, body)
    }
}

impl Client for Embedded {
    /// Keys only, through the API server's names-only listing (a TAB over 10,000 pods costs
    /// a few ms this way, ~180 ms through `list`). Selectors need the objects: those go
    /// through `list`, as the trait's default does.
    fn list_names(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
    ) -> Result<Vec<String>, ApiError> {
        if opts.label_selector.is_some() || opts.field_selector.is_some() {
            let list = self.list(r, namespace, opts)?;
            return Ok(list["items"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|o| o.pointer("/metadata/name")?.as_str().map(str::to_string))
                .collect());
        }
        let prefix = opts.name_prefix.as_deref().unwrap_or("");
        self.server.list_names(r, namespace, prefix)
    }

    fn logs(
        &self,
        namespace: &str,
        pod: &str,
        req: &super::LogRequest,
    ) -> Result<Box<dyn std::io::Read + Send>, ApiError> {
        let source = self.logs.ok_or_else(|| {
            ApiError::new(
                404,
                "NotFound",
                "this cluster has no kubelets to read logs from".to_string(),
            )
        })?;
        let text = source(self, namespace, pod, req)?;
        Ok(Box::new(std::io::Cursor::new(text.into_bytes())))
    }

    fn metrics(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: Option<&str>,
        opts: &ListOptions,
    ) -> Result<Value, ApiError> {
        self.server.metrics(r, namespace, name, opts)
    }

    fn review(&self, r: &Resource, body: &Value) -> Result<Value, ApiError> {
        if r.plural == "tokenreviews" {
            return self.token_review(body);
        }
        crate::apiserver::reviews::answer(&self.server, &self.user(), r, body)
    }

    fn signing_ca(&self) -> Option<Result<crate::apiserver::cluster_ca::ClusterCa, ApiError>> {
        let home = self.home.as_deref()?;
        Some(crate::apiserver::cluster_ca::load_or_create(home).map_err(ApiError::internal))
    }

    fn create_token(&self, namespace: &str, name: &str, body: &Value) -> Result<Value, ApiError> {
        let key = self.sa_keys.get()?;
        crate::apiserver::tokens::request(&self.server, &key, namespace, name, body)
    }

    fn get(&self, r: &Resource, namespace: Option<&str>, name: &str) -> Result<Value, ApiError> {
        warn_if_deprecated(r);
        self.server.get(r, namespace, name)
    }

    fn list(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
    ) -> Result<Value, ApiError> {
        warn_if_deprecated(r);
        self.server.list(r, namespace, opts)
    }

    fn list_projected(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
        keep: &'static project::Keep,
    ) -> Result<Value, ApiError> {
        let (items, metadata) = self
            .server
            .list_map(r, namespace, opts, Some(keep), &|o| o)?;
        Ok(json!({"metadata": metadata, "items": items}))
    }

    fn create(
        &self,
        r: &'static Resource,
        namespace: Option<&str>,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        warn_if_deprecated(r);
        let mut obj = obj;
        judge_fields(self, r, &mut obj, opts)?;
        self.relay_warnings(
            self.server
                .create(r, namespace, obj, &self.sent_by_user(opts)),
        )
    }

    fn create_many(
        &self,
        objects: Vec<NewObject>,
        opts: &WriteOptions,
    ) -> Vec<Result<Value, ApiError>> {
        // Objects whose fields are refused are answered without being sent on.
        let mut refused = Vec::new();
        let mut reqs = Vec::new();
        for (i, mut o) in objects.into_iter().enumerate() {
            match judge_fields(self, o.resource, &mut o.object, opts) {
                Ok(()) => reqs.push(CreateRequest {
                    resource: o.resource,
                    namespace: o.namespace,
                    object: o.object,
                }),
                Err(e) => refused.push((i, e)),
            }
        }
        let mut created = self
            .relay_warnings(self.server.create_many(reqs, &self.sent_by_user(opts)))
            .into_iter();
        let total = created.len() + refused.len();
        let mut refused = refused.into_iter().peekable();
        (0..total)
            .map(|i| match refused.next_if(|(at, _)| *at == i) {
                Some((_, e)) => Err(e),
                None => created
                    .next()
                    .unwrap_or_else(|| Err(ApiError::internal("a create was lost"))),
            })
            .collect()
    }

    fn update(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        warn_if_deprecated(r);
        let mut obj = obj;
        judge_fields(self, r, &mut obj, opts)?;
        let opts = &self.sent_by_user(opts);
        self.relay_warnings(self.server.update(r, namespace, name, obj, opts))
    }

    fn update_status(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        let opts = &self.sent_by_user(opts);
        self.relay_warnings(self.server.update_status(r, namespace, name, obj, opts))
    }

    fn patch(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
        patch_type: PatchType,
        patch: &Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        strict_patch_check(self, r, namespace, name, patch_type, patch, opts)?;
        let opts = &self.sent_by_user(opts);
        self.relay_warnings(
            self.server
                .patch(r, namespace, name, patch_type, patch, opts),
        )
    }

    fn apply(
        &self,
        r: &'static Resource,
        namespace: Option<&str>,
        name: &str,
        config: &Value,
        opts: &WriteOptions,
        force: bool,
    ) -> Result<Value, ApiError> {
        self.relay_warnings(
            self.server
                .server_side_apply(r, namespace, name, config, &self.sent_by_user(opts), force)
                .map(|(obj, _)| obj),
        )
    }

    fn delete(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
        opts: &DeleteOptions,
    ) -> Result<Value, ApiError> {
        warn_if_deprecated(r);
        let opts = &self.deleted_by_user(opts);
        self.relay_warnings(self.server.delete(r, namespace, name, opts))
    }

    fn bind(&self, namespace: &str, pod: &str, node: &str) -> Result<(), ApiError> {
        self.server.bind(namespace, pod, node)
    }

    fn evict(&self, namespace: &str, pod: &str, opts: &DeleteOptions) -> Result<(), ApiError> {
        let opts = &self.deleted_by_user(opts);
        self.relay_warnings(self.server.evict(namespace, pod, opts))
    }

    fn watch(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
        since: i64,
    ) -> Result<(Vec<WatchEvent>, i64), ApiError> {
        self.server.watch(r, namespace, opts, since)
    }

    fn watch_until(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
        since: i64,
        until: i64,
    ) -> Result<Vec<WatchEvent>, ApiError> {
        self.server.events_until(r, namespace, opts, since, until)
    }

    fn get_table(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Value, ApiError> {
        warn_if_deprecated(r);
        if let Some(d) = crate::api::custom::definition_of(r) {
            // Each version prints its own columns.
            let obj = self.server.get(r, namespace, name)?;
            let now = self.server.clock().now();
            let row = columns::custom_row(d, obj, now, IncludeObject::Metadata);
            return Ok(columns::custom_table(d, vec![row]));
        }
        // Rows are printed alike at every version, from the stored one.
        let r = crate::api::registry::stored_version_of(r).unwrap_or(r);
        let obj = self.server.get(r, namespace, name)?;
        Ok(columns::table(
            r.plural,
            &[obj],
            self.server.clock().now(),
            true,
        ))
    }

    fn list_table(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
    ) -> Result<Value, ApiError> {
        warn_if_deprecated(r);
        let now = self.server.clock().now();
        let include = IncludeObject::whole_if(opts.include_object);
        if let Some(d) = crate::api::custom::definition_of(r) {
            let (rows, metadata) = self.server.list_map(r, namespace, opts, None, &|obj| {
                columns::custom_row(d, obj, now, include)
            })?;
            let mut table = columns::custom_table(d, rows);
            table["metadata"] = metadata;
            return Ok(table);
        }
        // Each object becomes its row as it is decoded, on every core; the objects are
        // never all in memory. Rows are printed alike at every version, from the stored one.
        let r = crate::api::registry::stored_version_of(r).unwrap_or(r);
        let plural = r.plural;
        // A pod's row needs little of its spec: decode only what it reads.
        let keep = (r.kind == "Pod" && !opts.include_object).then_some(&project::POD_ROW);
        let (rows, metadata) = self.server.list_map(r, namespace, opts, keep, &|obj| {
            columns::row(plural, obj, now, include)
        })?;
        let mut table = columns::table_of_rows(r.plural, rows);
        table["metadata"] = metadata;
        Ok(table)
    }

    fn version(&self) -> Result<Value, ApiError> {
        Ok(json!({
            "major": "1",
            "minor": "32",
            "gitVersion": crate::version::KUBERNETES_VERSION,
            "gitCommit": "kubelite",
            "gitTreeState": "clean",
            "buildDate": "2026-01-01T00:00:00Z",
            "goVersion": "go1.23.6",
            "compiler": "gc",
            "platform": "linux/amd64"
        }))
    }

    fn custom_resources(&self) -> Vec<&'static Resource> {
        self.server
            .custom_resources()
            .map(|c| c.resources().collect())
            .unwrap_or_default()
    }

    fn openapi_v3(&self, path: &str) -> Option<Result<Vec<u8>, ApiError>> {
        let doc = self.server.openapi_by_path(path)?;
        Some(Ok(doc.to_string().into_bytes()))
    }

    fn server_url(&self) -> String {
        self.location.clone()
    }
}

/// `fieldValidation` on a whole object, as the HTTP front judges it for a server: when asked
/// for, the fields its kind does not declare are dropped; Strict refuses them (kube's 400), Warn prints
/// each as kubectl prints a server's warnings.
fn judge_fields(
    client: &Embedded,
    r: &Resource,
    obj: &mut Value,
    opts: &WriteOptions,
) -> Result<(), ApiError> {
    // The control plane's own writes ask for no validation and get none (as kube's
    // components decode into typed structs, which have no unknown fields).
    if opts.field_validation.is_none() {
        return Ok(());
    }
    // Fields are reported in the order a server meets them in what kubectl sends.
    crate::api::sort_keys_deep(obj);
    let unknown = client.server.drop_undeclared(r, obj);
    let problems: Vec<String> = unknown
        .iter()
        .map(|f| format!("unknown field {f:?}"))
        .collect();
    match opts.field_validation {
        Some("Strict") if !problems.is_empty() => Err(
            crate::apiserver::managed::unknown::strict_decoding_error(r, &problems, true),
        ),
        Some("Warn") => {
            for p in &problems {
                eprintln!("Warning: {p}");
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Prints each warning as kubectl prints a server's, each text once a command.
fn print_once(warnings: Vec<String>) {
    static PRINTED: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let mut printed = PRINTED.lock().unwrap_or_else(|p| p.into_inner());
    for w in warnings {
        if !printed.contains(&w) {
            eprintln!("Warning: {w}");
            printed.push(w);
        }
    }
}

/// kube-apiserver's deprecation warning, printed as kubectl prints a server's, once a
/// command.
fn warn_if_deprecated(r: &Resource) {
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if let Some(w) = crate::api::registry::deprecation(r)
        && !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed)
    {
        eprintln!("Warning: {w}");
    }
}

/// `fieldValidation=Strict` on a patch, which the HTTP front checks for a server: the
/// patched object may not carry fields its kind does not declare (400, kube's words).
fn strict_patch_check(
    client: &Embedded,
    r: &Resource,
    namespace: Option<&str>,
    name: &str,
    patch_type: PatchType,
    patch: &Value,
    opts: &WriteOptions,
) -> Result<(), ApiError> {
    if opts.field_validation != Some("Strict") {
        return Ok(());
    }
    use crate::apiserver::managed::unknown::{Style, unknown_fields};
    let unknown = match patch_type {
        PatchType::Merge => unknown_fields(r.kind, patch, Style::Decoder),
        PatchType::Strategic => {
            let mut obj = client.server.get(r, namespace, name)?;
            crate::apiserver::smp::apply(&mut obj, patch)?;
            unknown_fields(r.kind, &obj, Style::Decoder)
        }
        PatchType::Json => Vec::new(),
    };
    if unknown.is_empty() {
        return Ok(());
    }
    let problems: Vec<String> = unknown
        .iter()
        .map(|f| format!("unknown field {f:?}"))
        .collect();
    Err(crate::apiserver::managed::unknown::strict_decoding_error(
        r, &problems, false,
    ))
}
