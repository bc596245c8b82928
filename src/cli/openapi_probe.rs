//! What kubectl asks before a validated write (`create`): the OpenAPI v3 index, then the
//! document of each group-version the manifests name (where the server says whether it
//! validates fields itself, so that `fieldValidation=Strict` can be sent).

use super::manifest::Source;
use crate::client::Client;
use serde_json::Value;

/// Fetches `/openapi/v3` and each named group-version's document, as kubectl does before
/// discovery. Failures are left to the write that follows, which the server judges.
pub fn fetch(client: &dyn Client, sources: &[std::sync::Arc<Source>]) {
    let versions: Vec<String> = sources.iter().flat_map(|s| api_versions(&s.text)).collect();
    fetch_versions(client, &versions);
}

/// The schemas this command read already: kubectl's OpenAPI getters read each once.
static READ: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// Notes `what` as read; false if it was already.
fn first_time(what: &str) -> bool {
    let Ok(mut read) = READ.lock() else {
        return true;
    };
    if read.iter().any(|r| r == what) {
        return false;
    }
    read.push(what.to_string());
    true
}

/// What kubectl's apply patcher reads before it computes a patch: the v3 index and the
/// kind's group-version document (unless read already), then the v2 document (once).
pub fn fetch_for_patch(client: &dyn Client, api_version: &str) {
    if !client.live() {
        return;
    }
    let read_before = READ
        .lock()
        .is_ok_and(|r| r.iter().any(|x| x == api_version));
    if !read_before {
        fetch_versions(client, &[api_version.to_string()]);
    }
    if first_time("v2") {
        let _ = client.get_path(
            "/openapi/v2?timeout=32s",
            "application/com.github.proto-openapi.spec.v2@v1.0+protobuf",
        );
    }
}

/// `fetch` for the group-versions named (`v1`, `apps/v1`), each once, in order.
pub fn fetch_versions(client: &dyn Client, versions: &[String]) {
    for v in versions {
        first_time(v);
    }
    let Some(Ok(index)) = client.get_raw("/openapi/v3?timeout=32s") else {
        return;
    };
    let Ok(index) = serde_json::from_slice::<Value>(&index) else {
        return;
    };
    let mut seen = Vec::new();
    for gv in versions.iter().cloned() {
        if seen.contains(&gv) {
            continue;
        }
        let key = if gv.contains('/') {
            format!("apis/{gv}")
        } else {
            format!("api/{gv}")
        };
        if let Some(url) = index
            .pointer(&format!(
                "/paths/{}/serverRelativeURL",
                key.replace('/', "~1")
            ))
            .and_then(Value::as_str)
        {
            let sep = if url.contains('?') { '&' } else { '?' };
            let _ = client.get_path(&format!("{url}{sep}timeout=32s"), "application/json");
        }
        seen.push(gv);
    }
}

/// The `apiVersion`s a manifest's documents name, in order (YAML or JSON).
fn api_versions(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let mut rest = line;
        while let Some(at) = rest.find("apiVersion") {
            rest = &rest[at + "apiVersion".len()..];
            let after = rest.trim_start_matches('"').trim_start();
            let Some(value) = after.strip_prefix(':') else {
                continue;
            };
            let value = value.trim_start();
            let end = value.find([',', '}', '\n']).unwrap_or(value.len());
            let v = value[..end].trim().trim_matches(|c| c == '"' || c == '\'');
            if !v.is_empty() {
                found.push(v.to_string());
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    #[test]
    fn api_versions_are_found_in_yaml_and_json() {
        let text = "apiVersion: v1\nkind: A\n---\n{\"apiVersion\": \"apps/v1\", \"kind\": \"B\"}\n";
        assert_eq!(super::api_versions(text), ["v1", "apps/v1"]);
    }
}
