//! The resources a remote API server serves, from its discovery documents, cached on disk
//! the way kubectl caches them so both share one cache: `<cache>/discovery/<host_port>/`
//! holds `servergroups.json` (an APIGroupList) and `<group>/<version>/serverresources.json`
//! (APIResourceLists; the core group as `v1/`), fresh for six hours after they were written.
//! `<cache>` is `--cache-dir`, else `$KUBECACHEDIR`, else `~/.kube/cache`. The embedded
//! cluster needs none of this: its resources are the static registry.

use super::GlobalFlags;
use super::errors::CliError;
use crate::api::registry::Resource;
use crate::client::Client;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// What kubectl 1.32 asks `/api` and `/apis` for: aggregated discovery, else legacy.
pub const DISCOVERY_ACCEPT: &str = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
/// The query client-go's discovery client adds: the server should answer within 32s.
const DISCOVERY_TIMEOUT: &str = "?timeout=32s";

/// How long a cached discovery document is trusted (client-go's TTL).
const TTL: Duration = Duration::from_secs(6 * 3600);

/// One served resource (of its group's preferred version) and its verbs.
#[derive(Debug)]
pub struct Entry {
    pub resource: &'static Resource,
    pub verbs: Vec<String>,
}

/// Everything one server serves, in kubectl's priority order: the core group, then the
/// groups as `/apis` lists them.
#[derive(Debug)]
pub struct Discovery {
    pub entries: Vec<Entry>,
    /// Resources of the versions that are not their group's preferred one
    /// (`autoscaling/v1`): found only by a name or manifest that spells the version out.
    pub other_versions: Vec<Entry>,
    /// Read from the cache rather than the server (so worth refreshing once when a type
    /// is not found, as kubectl does).
    pub from_cache: bool,
    /// Every group-version the server lists (all versions of each group, not only the
    /// preferred one), in its order: what `api-versions` prints, sorted.
    pub group_versions: Vec<String>,
}

/// This process's discovery, once fetched (a process talks to one server).
static CURRENT: Mutex<Option<&'static Discovery>> = Mutex::new(None);

/// The server's resources, or `None` for a client without a server (embedded).
pub fn current(
    client: &dyn Client,
    global: &GlobalFlags,
) -> Option<Result<&'static Discovery, CliError>> {
    if let Some(d) = *CURRENT.lock().ok()? {
        return Some(Ok(d));
    }
    let server = client.server_url();
    if !(server.starts_with("https://") || server.starts_with("http://")) {
        return None;
    }
    let dir = cache_dir(global, &server);
    let loaded = match read_cache(&dir) {
        Some(d) => Ok(d),
        None => fetch(client, &dir)?,
    };
    Some(loaded.map(remember))
}

/// The server's discovery fetched afresh whatever the cache holds (kubectl's
/// `api-versions` invalidates its cache first), or `None` for a client without a server.
pub fn fresh(
    client: &dyn Client,
    global: &GlobalFlags,
) -> Option<Result<&'static Discovery, CliError>> {
    let server = client.server_url();
    if !(server.starts_with("https://") || server.starts_with("http://")) {
        return None;
    }
    let dir = cache_dir(global, &server);
    Some(fetch(client, &dir)?.map(remember))
}

/// Fetches again from the server when what we have came from the cache; `None` when it
/// did not (nothing newer to learn).
pub fn refresh(client: &dyn Client, global: &GlobalFlags) -> Option<&'static Discovery> {
    let cached = (*CURRENT.lock().ok()?)?;
    if !cached.from_cache {
        return None;
    }
    let dir = cache_dir(global, &client.server_url());
    let fresh = fetch(client, &dir)?.ok()?;
    Some(remember(fresh))
}

fn remember(d: Discovery) -> &'static Discovery {
    // A handful per process, kept for its lifetime: `Resource` values are `&'static`.
    let d: &'static Discovery = Box::leak(Box::new(d));
    if let Ok(mut slot) = CURRENT.lock() {
        *slot = Some(d);
    }
    d
}

impl Discovery {
    /// The resource a name means: plural, singular, short name or kind (any case),
    /// optionally `.group` or `.version.group` qualified; the first in priority order.
    pub fn find(&self, name: &str) -> Option<&'static Resource> {
        let name = name.to_ascii_lowercase();
        self.entries
            .iter()
            .map(|e| e.resource)
            .find(|r| names_match(r, &name))
            .or_else(|| {
                let (base, group) = name.split_once('.')?;
                self.entries.iter().map(|e| e.resource).find(|r| {
                    names_match(r, base)
                        && (group == r.group || group == format!("{}.{}", r.version, r.group))
                })
            })
            .or_else(|| {
                // As kubectl's short-name expansion: `hpa.v1.autoscaling` loses its version.
                let (base, group) = name.split_once('.')?;
                self.other_versions
                    .iter()
                    .map(|e| e.resource)
                    .find(|r| {
                        names_match(r, base)
                            && !r.short_names.contains(&base)
                            && group == format!("{}.{}", r.version, r.group)
                    })
                    .or_else(|| {
                        self.entries.iter().map(|e| e.resource).find(|r| {
                            r.short_names.contains(&base)
                                && group.split_once('.').is_some_and(|(_, g)| g == r.group)
                        })
                    })
            })
    }

    /// The resource serving `kind` at `apiVersion` (`group/version`, or `v1` for core).
    pub fn find_kind(&self, api_version: &str, kind: &str) -> Option<&'static Resource> {
        let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
        self.entries
            .iter()
            .chain(&self.other_versions)
            .map(|e| e.resource)
            .find(|r| r.kind == kind && r.group == group && r.version == version)
    }

    /// The resources of a category (`all`), in priority order.
    pub fn category(&self, name: &str) -> Vec<&'static Resource> {
        self.entries
            .iter()
            .map(|e| e.resource)
            .filter(|r| r.categories.contains(&name))
            .collect()
    }
}

fn names_match(r: &Resource, name: &str) -> bool {
    r.plural == name
        || r.singular == name
        || r.short_names.contains(&name)
        || r.kind.eq_ignore_ascii_case(name)
}

/// `<cache>/discovery/<host_port>`: the server URL without its scheme, every character
/// but letters, digits, `_`, `/`, `.`, `(` and `)` replaced by `_` (client-go's rule).
pub fn cache_dir(global: &GlobalFlags, server: &str) -> PathBuf {
    let root = global
        .cache_dir
        .clone()
        .filter(|d| !d.is_empty())
        .or_else(|| std::env::var("KUBECACHEDIR").ok().filter(|d| !d.is_empty()))
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let home = std::env::var_os("HOME")
                .map(PathBuf::from)
                .unwrap_or_default();
            home.join(".kube").join("cache")
        });
    let host = server
        .strip_prefix("https://")
        .or_else(|| server.strip_prefix("http://"))
        .unwrap_or(server);
    let safe: String = host
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '/' | '.' | '(' | ')') {
                c
            } else {
                '_'
            }
        })
        .collect();
    root.join("discovery").join(safe)
}

/// The cached discovery, if every file of it is there and fresh.
fn read_cache(dir: &Path) -> Option<Discovery> {
    let groups: Value = read_fresh(&dir.join("servergroups.json"))?;
    let mut lists = Vec::new();
    let mut others = Vec::new();
    for group in groups["groups"].as_array()? {
        let gv = group.pointer("/preferredVersion/groupVersion")?.as_str()?;
        lists.push(read_fresh(&dir.join(gv).join("serverresources.json"))?);
        // Other versions are cached only when the server's discovery gave them at once.
        for other in group["versions"].as_array().into_iter().flatten() {
            let Some(ogv) = other["groupVersion"].as_str().filter(|o| *o != gv) else {
                continue;
            };
            others.extend(read_fresh(&dir.join(ogv).join("serverresources.json")));
        }
    }
    Some(Discovery {
        entries: entries_of_lists(&lists),
        other_versions: entries_of_lists(&others),
        from_cache: true,
        group_versions: group_versions_of(&groups),
    })
}

fn read_fresh(path: &Path) -> Option<Value> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    let age = SystemTime::now()
        .duration_since(modified)
        .unwrap_or_default();
    if age > TTL {
        return None;
    }
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// Asks the server (`None`: the client has none) and writes the cache. A cache that
/// cannot be written is no error: kubectl carries on without it too.
fn fetch(client: &dyn Client, dir: &Path) -> Option<Result<Discovery, CliError>> {
    let core = match client.get_path(&format!("/api{DISCOVERY_TIMEOUT}"), DISCOVERY_ACCEPT)? {
        Ok(v) => v,
        Err(e) => return Some(Err(e.into())),
    };
    let groups = match client.get_path(&format!("/apis{DISCOVERY_TIMEOUT}"), DISCOVERY_ACCEPT)? {
        Ok(v) => v,
        Err(e) => return Some(Err(e.into())),
    };
    let documents = if core["kind"] == "APIGroupDiscoveryList" {
        let mut items: Vec<Value> = core["items"].as_array().cloned().unwrap_or_default();
        items.extend(groups["items"].as_array().cloned().unwrap_or_default());
        Ok(from_aggregated(&items))
    } else {
        from_legacy(client, &core, &groups)
    };
    let (group_list, lists) = match documents {
        Ok(d) => d,
        Err(e) => return Some(Err(e)),
    };
    let _ = write_cache(dir, &group_list, &lists);
    let (preferred, others): (Vec<Value>, Vec<Value>) = lists
        .into_iter()
        .partition(|l| is_preferred(&group_list, l["groupVersion"].as_str().unwrap_or("")));
    Some(Ok(Discovery {
        entries: entries_of_lists(&preferred),
        other_versions: entries_of_lists(&others),
        from_cache: false,
        group_versions: group_versions_of(&group_list),
    }))
}

/// Whether a group-version is its group's preferred one in an APIGroupList.
fn is_preferred(groups: &Value, group_version: &str) -> bool {
    let group = group_version.rsplit_once('/').map_or("", |(g, _)| g);
    groups["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|g| g["name"].as_str() == Some(group))
        .and_then(|g| g.pointer("/preferredVersion/groupVersion"))
        .is_none_or(|p| p.as_str() == Some(group_version))
}

/// Legacy discovery (servers without the aggregated form): `/api` names the core
/// versions, `/apis` the groups; one APIResourceList per preferred group-version.
fn from_legacy(
    client: &dyn Client,
    core: &Value,
    groups: &Value,
) -> Result<(Value, Vec<Value>), CliError> {
    let mut group_entries = Vec::new();
    let mut paths = Vec::new();
    if let Some(v) = core["versions"].as_array().and_then(|v| v.first()) {
        let v = v.as_str().unwrap_or("v1");
        group_entries.push(group_entry("", &[v.to_string()]));
        paths.push(format!("/api/{v}"));
    }
    for g in groups["groups"].as_array().into_iter().flatten() {
        let name = g["name"].as_str().unwrap_or("");
        let versions: Vec<String> = g["versions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v["version"].as_str().map(str::to_string))
            .collect();
        let preferred = g
            .pointer("/preferredVersion/version")
            .and_then(Value::as_str)
            .or(versions.first().map(String::as_str))
            .unwrap_or("v1")
            .to_string();
        let mut ordered = vec![preferred.clone()];
        ordered.extend(versions.into_iter().filter(|v| *v != preferred));
        group_entries.push(group_entry(name, &ordered));
        paths.push(format!("/apis/{name}/{preferred}"));
    }
    let mut lists = Vec::new();
    for path in paths {
        let list = client
            .get_path(
                &format!("{path}{DISCOVERY_TIMEOUT}"),
                "application/json, */*",
            )
            .unwrap_or_else(|| Ok(json!({})))?;
        lists.push(list);
    }
    Ok((group_list(group_entries), lists))
}

/// Aggregated discovery (`APIGroupDiscoveryList` items, core first) as kubectl caches
/// it: the APIGroupList and one APIResourceList per group's preferred (first) version.
fn from_aggregated(items: &[Value]) -> (Value, Vec<Value>) {
    let mut group_entries = Vec::new();
    let mut lists = Vec::new();
    for item in items {
        let group = item
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        let versions: Vec<&Value> = item["versions"].as_array().into_iter().flatten().collect();
        let names: Vec<String> = versions
            .iter()
            .filter_map(|v| v["version"].as_str().map(str::to_string))
            .collect();
        if versions.is_empty() {
            continue;
        }
        group_entries.push(group_entry(group, &names));
        for served in versions {
            let version = served["version"].as_str().unwrap_or("v1");
            let mut resources = Vec::new();
            for r in served["resources"].as_array().into_iter().flatten() {
                let namespaced = r["scope"] == "Namespaced";
                let singular = r["singularResource"].as_str().unwrap_or("");
                let plural = r["resource"].as_str().unwrap_or("");
                resources.push(api_resource(
                    plural,
                    singular,
                    namespaced,
                    &r["responseKind"],
                    r,
                ));
                for sub in r["subresources"].as_array().into_iter().flatten() {
                    let name = format!("{plural}/{}", sub["subresource"].as_str().unwrap_or(""));
                    resources.push(api_resource(
                        &name,
                        singular,
                        namespaced,
                        &sub["responseKind"],
                        sub,
                    ));
                }
            }
            lists.push(json!({
            "kind": "APIResourceList",
            "apiVersion": "v1",
            "groupVersion": if group.is_empty() { version.to_string() } else { format!("{group}/{version}") },
            "resources": resources,
        }));
        }
    }
    (group_list(group_entries), lists)
}

/// One APIResource, its fields in the order (and with the omissions) Go writes them.
fn api_resource(name: &str, singular: &str, namespaced: bool, kind: &Value, r: &Value) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("name".into(), json!(name));
    m.insert("singularName".into(), json!(singular));
    m.insert("namespaced".into(), json!(namespaced));
    if let Some(g) = kind["group"].as_str().filter(|g| !g.is_empty()) {
        m.insert("group".into(), json!(g));
    }
    if let Some(v) = kind["version"].as_str().filter(|v| !v.is_empty()) {
        m.insert("version".into(), json!(v));
    }
    m.insert("kind".into(), kind["kind"].clone());
    m.insert("verbs".into(), r["verbs"].clone());
    for key in ["shortNames", "categories"] {
        if r[key].as_array().is_some_and(|a| !a.is_empty()) {
            m.insert(key.into(), r[key].clone());
        }
    }
    Value::Object(m)
}

fn group_entry(name: &str, versions: &[String]) -> Value {
    let gv = |v: &str| {
        if name.is_empty() {
            v.to_string()
        } else {
            format!("{name}/{v}")
        }
    };
    let preferred = versions.first().map(String::as_str).unwrap_or("v1");
    json!({
        "name": name,
        "versions": versions.iter().map(|v| json!({"groupVersion": gv(v), "version": v})).collect::<Vec<_>>(),
        "preferredVersion": {"groupVersion": gv(preferred), "version": preferred},
    })
}

/// The `groupVersion` of every version of every group of an APIGroupList.
fn group_versions_of(groups: &Value) -> Vec<String> {
    groups["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|g| g["versions"].as_array().into_iter().flatten())
        .filter_map(|v| v["groupVersion"].as_str().map(str::to_string))
        .collect()
}

fn group_list(groups: Vec<Value>) -> Value {
    json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
}

fn write_cache(dir: &Path, groups: &Value, lists: &[Value]) -> std::io::Result<()> {
    for list in lists {
        let gv = list["groupVersion"].as_str().unwrap_or("v1");
        let sub = dir.join(gv);
        create_private_dir(&sub)?;
        write_private(&sub.join("serverresources.json"), list)?;
    }
    create_private_dir(dir)?;
    // Written last: its presence says the rest is complete.
    write_private(&dir.join("servergroups.json"), groups)
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o750)
        .create(dir)
}

/// Writes through a temporary file and a rename, so a reader (kubectl, another kubelite)
/// never sees half a document. Mode 0660, as kubectl's.
fn write_private(path: &Path, v: &Value) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o660)
            .open(&tmp)?;
        // Go's encoder ends the document with a newline: the files stay byte-identical.
        let mut bytes = serde_json::to_vec(v).unwrap_or_default();
        bytes.push(b'\n');
        f.write_all(&bytes)?;
    }
    std::fs::rename(&tmp, path)
}

/// Resources (not subresources) of the lists, as `Resource` values.
fn entries_of_lists(lists: &[Value]) -> Vec<Entry> {
    let mut entries = Vec::new();
    for list in lists {
        let gv = list["groupVersion"].as_str().unwrap_or("v1");
        let (group, version) = gv.rsplit_once('/').unwrap_or(("", gv));
        for r in list["resources"].as_array().into_iter().flatten() {
            let plural = r["name"].as_str().unwrap_or("");
            if plural.is_empty() || plural.contains('/') {
                continue;
            }
            let kind = r["kind"].as_str().unwrap_or("");
            let singular = r["singularName"]
                .as_str()
                .filter(|s| !s.is_empty())
                .map_or_else(|| kind.to_ascii_lowercase(), str::to_string);
            let strings = |key: &str| -> Vec<String> {
                r[key]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            };
            let resource = Resource {
                kind: leak(kind),
                group: leak(group),
                version: leak(version),
                plural: leak(plural),
                singular: leak(&singular),
                short_names: leak_list(strings("shortNames")),
                namespaced: r["namespaced"].as_bool().unwrap_or(false),
                categories: leak_list(strings("categories")),
                storage_prefix: leak(plural),
            };
            entries.push(Entry {
                resource: Box::leak(Box::new(resource)),
                verbs: strings("verbs"),
            });
        }
    }
    entries
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

fn leak_list(v: Vec<String>) -> &'static [&'static str] {
    let v: Vec<&'static str> = v.iter().map(|s| leak(s)).collect();
    Box::leak(v.into_boxed_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aggregated() -> Vec<Value> {
        serde_json::from_str(r#"[
          {"metadata":{"name":""},"versions":[{"version":"v1","resources":[
            {"resource":"pods","responseKind":{"group":"","version":"v1","kind":"Pod"},"scope":"Namespaced",
             "singularResource":"pod","verbs":["get","list"],"shortNames":["po"],"categories":["all"],
             "subresources":[{"subresource":"log","responseKind":{"group":"","version":"v1","kind":"Pod"},"verbs":["get"]}]},
            {"resource":"events","responseKind":{"group":"","version":"v1","kind":"Event"},"scope":"Namespaced","singularResource":"event","verbs":["get"]}]}]},
          {"metadata":{"name":"example.com"},"versions":[
            {"version":"v2","resources":[{"resource":"widgets","responseKind":{"group":"example.com","version":"v2","kind":"Widget"},
              "scope":"Cluster","singularResource":"widget","verbs":["get","list","delete"],"shortNames":["wd"]}]},
            {"version":"v1","resources":[]}]},
          {"metadata":{"name":"events.k8s.io"},"versions":[{"version":"v1","resources":[
            {"resource":"events","responseKind":{"group":"events.k8s.io","version":"v1","kind":"Event"},"scope":"Namespaced","singularResource":"event","verbs":["get"]}]}]}
        ]"#).expect("json")
    }

    #[test]
    fn aggregated_discovery_becomes_kubectls_cache_documents() {
        let (groups, lists) = from_aggregated(&aggregated());
        assert_eq!(
            groups["groups"][1],
            json!({"name": "example.com",
                   "versions": [{"groupVersion": "example.com/v2", "version": "v2"},
                                {"groupVersion": "example.com/v1", "version": "v1"}],
                   "preferredVersion": {"groupVersion": "example.com/v2", "version": "v2"}})
        );
        assert_eq!(lists[0]["groupVersion"], "v1");
        assert_eq!(
            serde_json::to_string(&lists[0]["resources"][1]).expect("json"),
            r#"{"name":"pods/log","singularName":"pod","namespaced":true,"version":"v1","kind":"Pod","verbs":["get"]}"#
        );
        assert_eq!(lists[1]["resources"][0]["group"], "example.com");
    }

    #[test]
    fn names_resolve_in_priority_order() {
        let (groups, lists) = from_aggregated(&aggregated());
        let d = Discovery {
            entries: entries_of_lists(&lists),
            other_versions: Vec::new(),
            from_cache: false,
            group_versions: group_versions_of(&groups),
        };
        assert_eq!(
            d.group_versions,
            ["v1", "example.com/v2", "example.com/v1", "events.k8s.io/v1"],
            "every version of every group"
        );
        assert_eq!(d.entries.len(), 4, "subresources are not resources");
        let w = d.find("wd").expect("short name");
        assert_eq!(
            (w.kind, w.group, w.version, w.namespaced),
            ("Widget", "example.com", "v2", false)
        );
        assert_eq!(
            d.find("Widgets.example.com").map(|r| r.kind),
            Some("Widget")
        );
        assert_eq!(
            d.find("widget.v2.example.com").map(|r| r.plural),
            Some("widgets")
        );
        assert_eq!(d.find("events").map(|r| r.group), Some(""), "core wins");
        assert_eq!(
            d.find("events.events.k8s.io").map(|r| r.group),
            Some("events.k8s.io")
        );
        assert_eq!(d.find("gadgets"), None);
        assert_eq!(d.category("all").len(), 1);
    }

    #[test]
    fn cache_round_trip_and_directory_name() {
        let g = GlobalFlags {
            cache_dir: Some(
                std::env::temp_dir()
                    .join(format!("kubelite-disc-{}", std::process::id()))
                    .display()
                    .to_string(),
            ),
            ..Default::default()
        };
        let dir = cache_dir(&g, "https://127.0.0.1:6443/prefix");
        assert!(
            dir.ends_with("discovery/127.0.0.1_6443/prefix"),
            "{}",
            dir.display()
        );
        let (groups, lists) = from_aggregated(&aggregated());
        write_cache(&dir, &groups, &lists).expect("write");
        assert!(dir.join("v1/serverresources.json").is_file());
        assert!(dir.join("example.com/v2/serverresources.json").is_file());
        let read = read_cache(&dir).expect("fresh cache");
        assert!(read.from_cache);
        assert_eq!(read.entries.len(), 4);
        // Stale after the TTL: the group list's age decides.
        let old = SystemTime::now() - TTL - Duration::from_secs(60);
        let f = std::fs::File::options()
            .write(true)
            .open(dir.join("servergroups.json"))
            .expect("open");
        f.set_modified(old).expect("mtime");
        assert!(read_cache(&dir).is_none());
        let _ = std::fs::remove_dir_all(g.cache_dir.unwrap_or_default());
    }
}
