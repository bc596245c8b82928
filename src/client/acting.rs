//! The embedded cluster used as someone else (`--as`, `--as-group`): each request is
//! authorized by the API server's one authorizer (RBAC) before it reaches the embedded
//! client, as serve does for impersonated requests, with kube-apiserver's 403. The local
//! user, in `system:masters`, may impersonate anyone.

use super::{Client, Embedded, LogRequest, NewObject};
use crate::api::options::{DeleteOptions, ListOptions, PatchType, WatchEvent, WriteOptions};
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use crate::apiserver::authorizer::{self, Attributes, ResourceAttributes, User};
use serde_json::Value;

pub struct Acting<'a> {
    inner: &'a Embedded,
    user: User,
}

impl<'a> Acting<'a> {
    /// Acts as `user` with `groups` (and `system:authenticated`); the embedded client's
    /// reviews answer for them too.
    pub fn new(inner: &'a Embedded, user: &str, groups: &[String]) -> Self {
        inner.act_as(user, groups);
        let mut groups = groups.to_vec();
        if !groups.iter().any(|g| g == "system:authenticated") {
            groups.push("system:authenticated".to_string());
        }
        Acting {
            inner,
            user: User {
                name: user.to_string(),
                groups,
            },
        }
    }

    fn check(
        &self,
        verb: &str,
        r: &Resource,
        subresource: &str,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<(), ApiError> {
        self.check_selected(verb, r, subresource, namespace, name, Vec::new())
    }

    /// A list or watch, judged with its field selector as serve judges it: a node may list
    /// its own pods by `spec.nodeName`, and a `metadata.name` selector names the object.
    fn check_listing(
        &self,
        verb: &str,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
    ) -> Result<(), ApiError> {
        let fields = authorizer::exact_fields(opts.field_selector.as_deref().unwrap_or(""));
        let name = fields
            .iter()
            .find(|(f, _)| f == "metadata.name")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        self.check_selected(verb, r, "", namespace, &name, fields)
    }

    fn check_selected(
        &self,
        verb: &str,
        r: &Resource,
        subresource: &str,
        namespace: Option<&str>,
        name: &str,
        field_selector: Vec<(String, String)>,
    ) -> Result<(), ApiError> {
        let namespace = namespace.filter(|_| r.namespaced);
        let what = Attributes {
            verb: verb.to_string(),
            resource: Some(ResourceAttributes {
                group: r.group.to_string(),
                resource: r.plural.to_string(),
                subresource: subresource.to_string(),
                namespace: namespace.unwrap_or("").to_string(),
                name: name.to_string(),
                field_selector,
            }),
            path: String::new(),
        };
        let decision = self.inner.server().decide(&self.user, &what);
        if decision.allowed {
            return Ok(());
        }
        Err(authorizer::with_reason(
            authorizer::forbidden(&self.user.name, verb, r, subresource, namespace, Some(name)),
            &decision.reason,
        ))
    }

    /// `exec` into a pod, which runs on the embedded cluster itself: the pod is read,
    /// then `pods/exec` created, each judged as serve judges them.
    pub fn check_exec(&self, namespace: &str, pod: &str) -> Result<(), ApiError> {
        let pods = Self::pods()?;
        self.check("get", pods, "", Some(namespace), pod)?;
        self.check("create", pods, "exec", Some(namespace), pod)
    }

    fn pods() -> Result<&'static Resource, ApiError> {
        crate::api::registry::find("pods").ok_or_else(|| ApiError::internal("no pods"))
    }
}

fn object_namespace<'v>(obj: &'v Value, given: Option<&'v str>) -> Option<&'v str> {
    given.or_else(|| obj.pointer("/metadata/namespace").and_then(Value::as_str))
}

impl Client for Acting<'_> {
    fn get(&self, r: &Resource, namespace: Option<&str>, name: &str) -> Result<Value, ApiError> {
        self.check("get", r, "", namespace, name)?;
        self.inner.get(r, namespace, name)
    }

    fn list(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
    ) -> Result<Value, ApiError> {
        self.check_listing("list", r, namespace, opts)?;
        self.inner.list(r, namespace, opts)
    }

    fn list_projected(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
        keep: &'static crate::apiserver::project::Keep,
    ) -> Result<Value, ApiError> {
        self.check_listing("list", r, namespace, opts)?;
        self.inner.list_projected(r, namespace, opts, keep)
    }

    fn create(
        &self,
        r: &'static Resource,
        namespace: Option<&str>,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        self.check("create", r, "", object_namespace(&obj, namespace), "")?;
        self.inner.create(r, namespace, obj, opts)
    }

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
    ) -> Result<Value, ApiError> {
        self.check("update", r, opts.subresource.unwrap_or(""), namespace, name)?;
        self.inner.update(r, namespace, name, obj, opts)
    }

    fn update_status(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
        obj: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        self.check(
            "update",
            r,
            opts.subresource.unwrap_or("status"),
            namespace,
            name,
        )?;
        self.inner.update_status(r, namespace, name, obj, opts)
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
        self.check("patch", r, opts.subresource.unwrap_or(""), namespace, name)?;
        self.inner
            .patch(r, namespace, name, patch_type, patch, opts)
    }

    fn patch_raw(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
        patch_type: PatchType,
        body: &[u8],
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        self.check("patch", r, opts.subresource.unwrap_or(""), namespace, name)?;
        self.inner
            .patch_raw(r, namespace, name, patch_type, body, opts)
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
        self.check("patch", r, opts.subresource.unwrap_or(""), namespace, name)?;
        self.inner.apply(r, namespace, name, config, opts, force)
    }

    fn delete(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
        opts: &DeleteOptions,
    ) -> Result<Value, ApiError> {
        self.check("delete", r, "", namespace, name)?;
        self.inner.delete(r, namespace, name, opts)
    }

    fn bind(&self, namespace: &str, pod: &str, node: &str) -> Result<(), ApiError> {
        self.check("create", Self::pods()?, "binding", Some(namespace), pod)?;
        self.inner.bind(namespace, pod, node)
    }

    fn evict(&self, namespace: &str, pod: &str, opts: &DeleteOptions) -> Result<(), ApiError> {
        self.check("create", Self::pods()?, "eviction", Some(namespace), pod)?;
        self.inner.evict(namespace, pod, opts)
    }

    fn watch(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
        since: i64,
    ) -> Result<(Vec<WatchEvent>, i64), ApiError> {
        self.check_listing("watch", r, namespace, opts)?;
        self.inner.watch(r, namespace, opts, since)
    }

    fn get_table(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Value, ApiError> {
        self.check("get", r, "", namespace, name)?;
        self.inner.get_table(r, namespace, name)
    }

    fn list_table(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
    ) -> Result<Value, ApiError> {
        self.check_listing("list", r, namespace, opts)?;
        self.inner.list_table(r, namespace, opts)
    }

    fn list_table_printed(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
    ) -> Result<Value, ApiError> {
        self.check_listing("list", r, namespace, opts)?;
        self.inner.list_table_printed(r, namespace, opts)
    }

    fn version(&self) -> Result<Value, ApiError> {
        self.inner.version()
    }

    fn server_url(&self) -> String {
        self.inner.server_url()
    }

    fn openapi_v3(&self, path: &str) -> Option<Result<Vec<u8>, ApiError>> {
        self.inner.openapi_v3(path)
    }

    fn watch_until(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
        since: i64,
        until: i64,
    ) -> Result<Vec<WatchEvent>, ApiError> {
        self.check_listing("watch", r, namespace, opts)?;
        self.inner.watch_until(r, namespace, opts, since, until)
    }

    fn logs(
        &self,
        namespace: &str,
        pod: &str,
        req: &LogRequest,
    ) -> Result<Box<dyn std::io::Read + Send>, ApiError> {
        self.check("get", Self::pods()?, "log", Some(namespace), pod)?;
        self.inner.logs(namespace, pod, req)
    }

    fn metrics(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: Option<&str>,
        opts: &ListOptions,
    ) -> Result<Value, ApiError> {
        let verb = if name.is_some() { "get" } else { "list" };
        self.check(verb, r, "", namespace, name.unwrap_or(""))?;
        self.inner.metrics(r, namespace, name, opts)
    }

    fn review(&self, r: &Resource, body: &Value) -> Result<Value, ApiError> {
        self.check("create", r, "", None, "")?;
        self.inner.review(r, body)
    }

    fn create_token(&self, namespace: &str, name: &str, body: &Value) -> Result<Value, ApiError> {
        if let Some(r) = crate::api::registry::find("serviceaccounts") {
            self.check("create", r, "token", Some(namespace), name)?;
        }
        let sender = crate::api::options::Requester {
            name: self.user.name.clone(),
            groups: self.user.groups.clone(),
        };
        self.inner
            .server()
            .restrict_node_token(Some(&sender), namespace, name, body)?;
        self.inner.create_token(namespace, name, body)
    }

    fn list_names(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
    ) -> Result<Vec<String>, ApiError> {
        self.check_listing("list", r, namespace, opts)?;
        self.inner.list_names(r, namespace, opts)
    }
}
