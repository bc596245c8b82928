//! `apply --prune`: after every object was applied, delete the objects that were applied
//! before (they carry the last-applied annotation), match the selector (or `--all`), are of
//! an allow-listed kind, live in a namespace this apply visited (cluster-scoped kinds:
//! anywhere), and were not in this apply. kubectl's default allow-list and its lines
//! (`configmap/x pruned`).

use super::super::dry_run::DryRun;
use super::super::errors::CliError;
use super::super::{GlobalFlags, Io};
use crate::api::options::{DeleteOptions, ListOptions};
use crate::api::registry::Resource;
use crate::cli::merge::last_applied;
use crate::client::Client;
use serde_json::Value;

/// kubectl's default allow-list: (group, version, kind, namespaced), in its order.
const DEFAULT: &[(&str, &str, &str, bool)] = &[
    ("", "v1", "ConfigMap", true),
    ("", "v1", "Endpoints", true),
    ("", "v1", "PersistentVolumeClaim", true),
    ("", "v1", "Pod", true),
    ("", "v1", "ReplicationController", true),
    ("", "v1", "Secret", true),
    ("", "v1", "Service", true),
    ("batch", "v1", "Job", true),
    ("batch", "v1", "CronJob", true),
    ("networking.k8s.io", "v1", "Ingress", true),
    ("apps", "v1", "DaemonSet", true),
    ("apps", "v1", "Deployment", true),
    ("apps", "v1", "ReplicaSet", true),
    ("apps", "v1", "StatefulSet", true),
    ("", "v1", "Namespace", false),
    ("", "v1", "PersistentVolume", false),
];

/// One `--prune-allowlist` entry, `group/version/kind` (`core` for the core group).
fn parse_entry(s: &str) -> Result<(String, String, String), CliError> {
    let parts: Vec<&str> = s.split('/').collect();
    match parts[..] {
        [g, v, k] => {
            let g = if g == "core" { "" } else { g };
            Ok((g.to_string(), v.to_string(), k.to_string()))
        }
        _ => Err(CliError::message(format!(
            "invalid GroupVersionKind format: {s}, please follow <group/version/kind>"
        ))),
    }
}

fn api_version(group: &str, version: &str) -> String {
    if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    }
}

/// The resource the cluster serves for a kind: the built-in registry, else discovery.
fn resolve(
    client: &dyn Client,
    global: &GlobalFlags,
    group: &str,
    version: &str,
    kind: &str,
) -> Option<&'static Resource> {
    let av = api_version(group, version);
    if client.live() {
        let found = super::super::discovery::current(client, global)?.ok()?;
        return found.find_kind(&av, kind);
    }
    crate::api::registry::find_by_kind(&av, kind)
}

/// The checks kubectl makes of the prune flags before anything is applied.
pub(in crate::cli) fn validate(
    prune: bool,
    all: bool,
    selector: Option<&str>,
    allowlist: &[String],
) -> Result<(), CliError> {
    let selector = selector.filter(|s| !s.is_empty());
    if all && selector.is_some() {
        return Err(CliError::message(
            "cannot set --all and --selector at the same time",
        ));
    }
    if !prune {
        return Ok(());
    }
    if !all && selector.is_none() {
        return Err(CliError::message(
            "all resources selected for prune without explicitly passing --all. To prune all resources, pass the --all flag. If you did not mean to prune all resources, specify a label selector",
        ));
    }
    for e in allowlist {
        parse_entry(e)?;
    }
    Ok(())
}

/// The kinds to prune: the given allow-list resolved now (before anything is applied, as
/// kubectl does), or `None` for the default one, resolved when pruning.
pub(in crate::cli) fn explicit_kinds(
    client: &dyn Client,
    global: &GlobalFlags,
    allowlist: &[String],
) -> Result<Option<Vec<&'static Resource>>, CliError> {
    if allowlist.is_empty() {
        return Ok(None);
    }
    let mut out = Vec::new();
    for e in allowlist {
        let (g, v, k) = parse_entry(e)?;
        let r = resolve(client, global, &g, &v, &k).ok_or_else(|| {
            CliError::message(format!(
                "no matches for kind {k:?} in version {:?}",
                api_version(&g, &v)
            ))
        })?;
        out.push(r);
    }
    Ok(Some(out))
}

/// The default allow-list, each kind looked up on the cluster; kubectl fails on the first
/// kind the cluster does not serve.
fn default_kinds(
    client: &dyn Client,
    global: &GlobalFlags,
    io: &mut Io,
) -> Result<Vec<&'static Resource>, CliError> {
    let now = chrono::Utc::now();
    let _ = writeln!(
        io.err,
        "W{} {:>7} prune.go:71] Deprecated: kubectl apply will no longer prune non-namespaced resources by default when used with the --namespace flag in a future release. To preserve the current behaviour, list the resources you want to target explicitly in the --prune-allowlist flag.",
        now.format("%m%d %H:%M:%S%.6f"),
        std::process::id()
    );
    let mut out = Vec::new();
    for (g, v, k, namespaced) in DEFAULT {
        let av = api_version(g, v);
        let r = resolve(client, global, g, v, k).ok_or_else(|| {
            CliError::message(format!(
                "error retrieving RESTMappings to prune: invalid resource {g}/{v}, Kind={k}, Namespaced={namespaced}: no matches for kind {k:?} in version {av:?}"
            ))
        })?;
        out.push(r);
    }
    Ok(out)
}

/// What the apply visited: namespaces in first-visit order, and the objects it applied.
#[derive(Default)]
pub(in crate::cli) struct Visited {
    pub namespaces: Vec<String>,
    /// (uid, resource kind, namespace, name)
    pub objects: Vec<(String, String, String, String)>,
}

impl Visited {
    pub fn add(&mut self, r: &Resource, obj: &Value) {
        let s = |p: &str| {
            obj.pointer(p)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let ns = s("/metadata/namespace");
        if r.namespaced && !ns.is_empty() && !self.namespaces.contains(&ns) {
            self.namespaces.push(ns.clone());
        }
        self.objects.push((
            s("/metadata/uid"),
            r.qualified_plural(),
            ns,
            s("/metadata/name"),
        ));
    }

    fn has(&self, r: &Resource, obj: &Value) -> bool {
        let s = |p: &str| obj.pointer(p).and_then(Value::as_str).unwrap_or("");
        let uid = s("/metadata/uid");
        let plural = r.qualified_plural();
        self.objects.iter().any(|(u, p, ns, n)| {
            (!uid.is_empty() && u == uid)
                || (p == &plural && ns == s("/metadata/namespace") && n == s("/metadata/name"))
        })
    }
}

/// What the pruning shares.
pub(in crate::cli) struct Pruner<'a> {
    pub client: &'a dyn Client,
    pub global: &'a GlobalFlags,
    pub selector: Option<&'a str>,
    pub dry_run: DryRun,
    pub kinds: Option<Vec<&'static Resource>>,
}

impl Pruner<'_> {
    /// One unpaged LIST, as kubectl's pruner sends it (a server is asked directly; the
    /// embedded cluster through its client).
    fn list(&self, r: &Resource, ns: Option<&str>, opts: &ListOptions) -> Result<Value, CliError> {
        let mut path = r.collection_path(ns);
        if let Some(sel) = &opts.label_selector {
            path.push_str("?labelSelector=");
            path.push_str(&query_escape(sel));
        }
        match self.client.get_path(&path, "application/json") {
            Some(result) => Ok(result?),
            None => Ok(self.client.list(r, ns, opts)?),
        }
    }

    /// Deletes what is to be pruned; each one pruned is handed to `report`.
    pub fn prune(
        self,
        visited: &Visited,
        io: &mut Io,
        report: &mut dyn FnMut(Value, &'static Resource, &mut Io),
    ) -> Result<(), CliError> {
        let kinds = match self.kinds.clone() {
            Some(k) => k,
            None => default_kinds(self.client, self.global, io)?,
        };
        let opts = ListOptions {
            label_selector: self.selector.filter(|s| !s.is_empty()).map(str::to_string),
            ..Default::default()
        };
        let mut scopes: Vec<(&'static Resource, Option<&str>)> = Vec::new();
        for ns in &visited.namespaces {
            for r in kinds.iter().filter(|r| r.namespaced) {
                scopes.push((r, Some(ns.as_str())));
            }
        }
        for r in kinds.iter().filter(|r| !r.namespaced) {
            scopes.push((r, None));
        }
        for (r, ns) in scopes {
            let list = self.list(r, ns, &opts)?;
            for obj in list["items"].as_array().into_iter().flatten() {
                if visited.has(r, obj) || last_applied::text_of(obj).is_none() {
                    continue;
                }
                let name = obj
                    .pointer("/metadata/name")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let obj_ns = obj.pointer("/metadata/namespace").and_then(Value::as_str);
                if self.dry_run != DryRun::Client {
                    let del = DeleteOptions {
                        dry_run: self.dry_run == DryRun::Server,
                        propagation_policy: Some("Background".into()),
                        ..Default::default()
                    };
                    self.client.delete(r, obj_ns, name, &del)?;
                }
                // A list's items come without their kind; the object reported has it.
                let mut whole = obj.clone();
                if let Some(m) = whole.as_object_mut() {
                    m.insert("apiVersion".into(), Value::String(r.api_version()));
                    m.insert("kind".into(), Value::String(r.kind.to_string()));
                }
                report(whole, r, io);
            }
        }
        Ok(())
    }
}

/// A query value as Go's url.Values encodes it.
fn query_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char);
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowlist_entries_are_group_version_kind() {
        assert!(parse_entry("core/v1/ConfigMap").is_ok_and(|(g, _, _)| g.is_empty()));
        assert!(parse_entry("apps/v1/Deployment").is_ok());
        assert!(parse_entry("v1/ConfigMap").is_err());
        assert!(validate(true, false, None, &[]).is_err());
        assert!(validate(true, true, Some("a=b"), &[]).is_err());
        assert!(validate(true, false, Some("a=b"), &["x".into()]).is_err());
        assert!(validate(false, false, None, &[]).is_ok());
    }
}
