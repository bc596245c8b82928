//! Context names for `--context`, read from the kubeconfig files (`KUBECONFIG`, else
//! `~/.kube/config`).

use serde_json::Value;
use std::path::PathBuf;

/// Context names starting with `prefix`, sorted; unreadable files give none.
pub fn matching(prefix: &str) -> Vec<String> {
    let mut names: Vec<String> = kubeconfig_paths()
        .into_iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .flat_map(|text| context_names(&text))
        .chain(embedded_context())
        .filter(|n| n.starts_with(prefix))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Without `KUBECONFIG`, kubelite's virtual `kubelite` context (the embedded cluster) is
/// one of the choices (see `crate::kubeconfig`).
fn embedded_context() -> Option<String> {
    std::env::var_os("KUBECONFIG")
        .is_none_or(|v| v.is_empty())
        .then(|| crate::kubeconfig::KUBELITE.to_string())
}

fn kubeconfig_paths() -> Vec<PathBuf> {
    match std::env::var_os("KUBECONFIG").filter(|v| !v.is_empty()) {
        Some(list) => std::env::split_paths(&list).collect(),
        None => std::env::var_os("HOME")
            .map(|h| vec![PathBuf::from(h).join(".kube/config")])
            .unwrap_or_default(),
    }
}

/// The `contexts[].name` of one kubeconfig document.
fn context_names(text: &str) -> Vec<String> {
    let Ok(config) = serde_saphyr::from_str::<Value>(text) else {
        return Vec::new();
    };
    config
        .get("contexts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("name").and_then(Value::as_str))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_context_names() {
        let text = "apiVersion: v1\nkind: Config\ncontexts:\n- name: prod\n  context: {cluster: a}\n- name: dev\n  context: {cluster: b}\n";
        assert_eq!(super::context_names(text), ["prod", "dev"]);
        assert!(super::context_names(": not yaml [").is_empty());
    }
}
