//! `vars` (deprecated, still built by kustomize v5.5.0): after names are final, `$(NAME)` in
//! the fields kustomize lists is replaced by a field of the object the var names. Vars of
//! bases count too; vars nothing referred to are reported as kustomize logs them.

use super::file::Kustomization;
use super::load::{group, version};
use super::{Error, Res, replace};
use serde_json::Value;

/// The kinds and paths where `$(VAR)` is expanded (kustomize's varReference configuration).
fn places(kind: &str) -> Vec<String> {
    let mut out = vec![
        "metadata/labels".to_string(),
        "metadata/annotations".to_string(),
    ];
    let pod = match kind {
        "CronJob" => Some("spec/jobTemplate/spec/template/spec"),
        "DaemonSet" | "Deployment" | "Job" | "ReplicaSet" | "StatefulSet" => {
            Some("spec/template/spec")
        }
        "Pod" => Some("spec"),
        _ => None,
    };
    if let Some(spec) = pod {
        for c in ["containers", "initContainers"] {
            for f in ["args", "command", "env/value", "volumeMounts/mountPath"] {
                out.push(format!("{spec}/{c}/{f}"));
            }
        }
    }
    let extra: &[&str] = match kind {
        // kustomize's list has this path for CronJob, without the pod spec's `spec`.
        "CronJob" => &["spec/jobTemplate/spec/template/volumes/nfs/server"],
        "DaemonSet" | "Job" | "ReplicaSet" => &["spec/template/spec/volumes/nfs/server"],
        "Deployment" => &[
            "spec/template/spec/volumes/nfs/server",
            "spec/template/metadata/annotations",
        ],
        "Pod" => &["spec/volumes/nfs/server"],
        "StatefulSet" => &["spec/volumeClaimTemplates/spec/nfs/server"],
        "Ingress" => &["spec/rules/host", "spec/tls/hosts", "spec/tls/secretName"],
        "Service" => &["spec/ports/port", "spec/ports/targetPort"],
        "PersistentVolume" => &["spec/nfs/server"],
        _ => &[],
    };
    out.extend(extra.iter().map(|s| (*s).to_string()));
    out
}

/// The vars a kustomization declares.
pub fn declared(k: &Kustomization) -> Result<Vec<Value>, Error> {
    Ok(k.objects("vars")?.into_iter().map(Value::Object).collect())
}

/// Adds a kustomization's vars to those declared so far; a name may be declared once.
pub fn merge(all: &mut Vec<Value>, new: Vec<Value>) -> Result<(), Error> {
    for (i, var) in new.iter().enumerate() {
        let name = &var["name"];
        if all.iter().chain(&new[..i]).any(|v| v["name"] == *name) {
            let listed: Vec<String> = new.iter().map(|v| go_text(v, false)).collect();
            return Err(Error::Kustomize(format!(
                "merging vars [{}]: var '{}' already encountered",
                listed.join(" "),
                name.as_str().unwrap_or("")
            )));
        }
    }
    all.extend(new);
    Ok(())
}

/// Go's `%v` of a var as kustomize prints it: name, the kind, version and group of its
/// object (the version and group only once `resolved`), its field path.
fn go_text(var: &Value, resolved: bool) -> String {
    let objref = &var["objref"];
    let text = |v: &Value| v.as_str().filter(|s| !s.is_empty()).map(String::from);
    let api_version = objref["apiVersion"].as_str().unwrap_or("");
    let (ver, grp) = if resolved {
        (
            text(&Value::from(version(api_version))),
            text(&Value::from(group(api_version))),
        )
    } else {
        (None, None)
    };
    let path =
        text(&var["fieldref"]["fieldpath"]).or_else(|| resolved.then(|| "metadata.name".into()));
    format!(
        "{{{} {}.{}.{} {{{}}}}}",
        var["name"].as_str().unwrap_or(""),
        text(&objref["kind"]).unwrap_or_else(|| "[noKind]".into()),
        ver.unwrap_or_else(|| "[noVer]".into()),
        grp.unwrap_or_else(|| "[noGrp]".into()),
        path.unwrap_or_default()
    )
}

/// Expands every var in `all`; returns the names of vars nothing referred to.
pub fn expand(vars: &[Value], all: &mut [Res]) -> Result<Vec<String>, Error> {
    let mut values: Vec<(String, Value)> = Vec::new();
    for var in vars {
        let name = var["name"].as_str().unwrap_or("").to_string();
        let objref = &var["objref"];
        let field = |f: &str| objref[f].as_str().filter(|s| !s.is_empty());
        let target = all.iter().find(|r| {
            field("kind").is_none_or(|k| k == r.kind())
                && field("name").is_none_or(|n| r.was_named(n))
                && field("namespace").is_none_or(|n| r.namespace() == n)
                && field("apiVersion").is_none_or(|av| {
                    group(av) == group(r.api_version()) && version(av) == version(r.api_version())
                })
        });
        let Some(target) = target else {
            return Err(Error::Kustomize(format!(
                "var '{}' cannot be mapped to a field in the set of known resources",
                go_text(var, true)
            )));
        };
        let path = var["fieldref"]["fieldpath"]
            .as_str()
            .or(var["fieldref"]["fieldPath"].as_str())
            .unwrap_or("metadata.name");
        let Some(value) = replace::field(&target.value, path) else {
            return Err(Error::Kustomize(format!(
                "field specified in var '{name}' not found in corresponding resource"
            )));
        };
        values.push((name, value));
    }
    let mut used = vec![false; values.len()];
    for r in all.iter_mut() {
        for place in places(r.kind()) {
            super::fields::visit(&mut r.value, &place, false, &mut |v| {
                substitute(v, &values, &mut used);
            });
        }
    }
    Ok(values
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|((n, _), _)| n.clone())
        .collect())
}

/// Expands the strings of `v` (a string, or the strings of a list or map).
fn substitute(v: &mut Value, values: &[(String, Value)], used: &mut [bool]) {
    match v {
        Value::String(s) => {
            // A string that is one var takes the var's value as it is.
            for (i, (name, value)) in values.iter().enumerate() {
                if *s == format!("$({name})") {
                    used[i] = true;
                    *v = value.clone();
                    return;
                }
            }
            *s = expand_text(s, values, used);
        }
        Value::Array(items) => items.iter_mut().for_each(|i| substitute(i, values, used)),
        Value::Object(m) => m.values_mut().for_each(|i| substitute(i, values, used)),
        _ => {}
    }
}

/// `$(NAME)` replaced by the var's text, `$$` kept as one `$`; unknown names stay.
fn expand_text(s: &str, values: &[(String, Value)], used: &mut [bool]) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        if let Some(after) = tail.strip_prefix('$') {
            out.push('$');
            rest = after;
            continue;
        }
        if let Some(inner) = tail.strip_prefix('(')
            && let Some(close) = inner.find(')')
            && let Some(i) = values.iter().position(|(n, _)| *n == inner[..close])
        {
            used[i] = true;
            out.push_str(&match &values[i].1 {
                Value::String(t) => t.clone(),
                other => other.to_string(),
            });
            rest = &inner[close + 1..];
            continue;
        }
        out.push('$');
        rest = tail;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn vars_expand_inside_strings_and_whole() {
        let values = vec![
            ("A".to_string(), json!("svc")),
            ("P".to_string(), json!(80)),
        ];
        let mut used = vec![false; 2];
        assert_eq!(
            expand_text("http://$(A):$(P)/ $$(A) $(B) $", &values, &mut used),
            "http://svc:80/ $(A) $(B) $"
        );
        assert_eq!(used, [true, true]);
        let mut whole = json!({"v": "$(P)", "list": ["$(A)-x"]});
        let mut used = vec![false; 2];
        substitute(&mut whole, &values, &mut used);
        assert_eq!(whole, json!({"v": 80, "list": ["svc-x"]}));
    }
}
