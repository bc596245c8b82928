//! Pod Security Standards as PodSecurity admission checks them: the baseline and restricted
//! checks on a pod spec, each a reason and details, in kube's order and wording.

use serde_json::Value;

/// The level and version a namespace label pair names (`enforce`, `warn`, `audit`).
pub fn level(ns: &Value, mode: &str) -> Option<(String, String)> {
    let labels = ns.pointer("/metadata/labels")?;
    let level = labels[format!("pod-security.kubernetes.io/{mode}")].as_str()?;
    if !matches!(level, "baseline" | "restricted") {
        return None;
    }
    let version = labels[format!("pod-security.kubernetes.io/{mode}-version")]
        .as_str()
        .unwrap_or("latest");
    Some((level.to_string(), version.to_string()))
}

/// Capabilities a baseline container may add.
const BASELINE_CAPS: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// Volume sources a restricted pod may use.
const RESTRICTED_VOLUMES: &[&str] = &[
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

fn quote(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn plural<'a>(one: &'a str, many: &'a str, n: usize) -> &'a str {
    if n == 1 { one } else { many }
}

/// `container "a"` or `containers "a", "b"`.
fn containers(names: &[String]) -> String {
    format!(
        "{} {}",
        plural("container", "containers", names.len()),
        quote(names)
    )
}

/// Init, regular and ephemeral containers, in the order kube visits them.
fn all_containers(spec: &Value) -> Vec<&Value> {
    ["initContainers", "containers", "ephemeralContainers"]
        .iter()
        .filter_map(|k| spec[*k].as_array())
        .flatten()
        .collect()
}

fn name(c: &Value) -> String {
    c["name"].as_str().unwrap_or("").to_string()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

/// One failed check: its reason and details.
type Failure = (String, String);

fn host_namespaces(spec: &Value) -> Option<Failure> {
    let set: Vec<String> = ["hostNetwork", "hostPID", "hostIPC"]
        .iter()
        .filter(|k| spec[**k] == true)
        .map(|k| format!("{k}=true"))
        .collect();
    (!set.is_empty()).then(|| ("host namespaces".into(), set.join(", ")))
}

fn host_path_volumes(spec: &Value) -> Option<Failure> {
    let names: Vec<String> = spec["volumes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|v| v.get("hostPath").is_some())
        .map(name)
        .collect();
    (!names.is_empty()).then(|| {
        (
            "hostPath volumes".into(),
            format!(
                "{} {}",
                plural("volume", "volumes", names.len()),
                quote(&names)
            ),
        )
    })
}

fn host_ports(spec: &Value) -> Option<Failure> {
    let (mut names, mut ports) = (Vec::new(), Vec::new());
    for c in all_containers(spec) {
        let mut used = false;
        for p in c["ports"].as_array().into_iter().flatten() {
            if let Some(h) = p["hostPort"].as_i64().filter(|h| *h != 0) {
                used = true;
                ports.push(h.to_string());
            }
        }
        if used {
            names.push(name(c));
        }
    }
    (!names.is_empty()).then(|| {
        (
            "hostPort".into(),
            format!(
                "{} {} {} {}",
                containers(&names),
                plural("uses", "use", names.len()),
                plural("hostPort", "hostPorts", ports.len()),
                ports.join(", ")
            ),
        )
    })
}

fn privileged(spec: &Value) -> Option<Failure> {
    let names: Vec<String> = all_containers(spec)
        .into_iter()
        .filter(|c| c.pointer("/securityContext/privileged") == Some(&Value::Bool(true)))
        .map(name)
        .collect();
    (!names.is_empty()).then(|| {
        (
            "privileged".into(),
            format!(
                "{} must not set securityContext.privileged=true",
                containers(&names)
            ),
        )
    })
}

/// Containers adding capabilities outside `allowed`, and the capabilities, as kube words it.
fn added_caps(spec: &Value, allowed: &[&str]) -> Option<String> {
    let (mut names, mut caps) = (Vec::new(), Vec::<String>::new());
    for c in all_containers(spec) {
        let mut bad = false;
        for cap in strings(
            c.pointer("/securityContext/capabilities/add")
                .unwrap_or(&Value::Null),
        ) {
            if !allowed.contains(&cap.as_str()) {
                bad = true;
                if !caps.contains(&cap) {
                    caps.push(cap);
                }
            }
        }
        if bad {
            names.push(name(c));
        }
    }
    (!names.is_empty()).then(|| {
        format!(
            "{} must not include {} in securityContext.capabilities.add",
            containers(&names),
            quote(&caps)
        )
    })
}

fn seccomp_baseline(spec: &Value) -> Option<Failure> {
    let mut details = Vec::new();
    if spec.pointer("/securityContext/seccompProfile/type") == Some(&Value::from("Unconfined")) {
        details.push(
            "pod must not set securityContext.seccompProfile.type to \"Unconfined\"".to_string(),
        );
    }
    let names: Vec<String> = all_containers(spec)
        .into_iter()
        .filter(|c| {
            c.pointer("/securityContext/seccompProfile/type") == Some(&Value::from("Unconfined"))
        })
        .map(name)
        .collect();
    if !names.is_empty() {
        details.push(format!(
            "{} must not set securityContext.seccompProfile.type to \"Unconfined\"",
            containers(&names)
        ));
    }
    (!details.is_empty()).then(|| ("seccompProfile".into(), details.join("; ")))
}

fn allow_privilege_escalation(spec: &Value) -> Option<Failure> {
    let names: Vec<String> = all_containers(spec)
        .into_iter()
        .filter(|c| {
            c.pointer("/securityContext/allowPrivilegeEscalation") != Some(&Value::Bool(false))
        })
        .map(name)
        .collect();
    (!names.is_empty()).then(|| {
        (
            "allowPrivilegeEscalation != false".into(),
            format!(
                "{} must set securityContext.allowPrivilegeEscalation=false",
                containers(&names)
            ),
        )
    })
}

fn capabilities_restricted(spec: &Value) -> Option<Failure> {
    let mut details = Vec::new();
    let no_drop: Vec<String> = all_containers(spec)
        .into_iter()
        .filter(|c| {
            !strings(
                c.pointer("/securityContext/capabilities/drop")
                    .unwrap_or(&Value::Null),
            )
            .iter()
            .any(|d| d == "ALL")
        })
        .map(name)
        .collect();
    if !no_drop.is_empty() {
        details.push(format!(
            "{} must set securityContext.capabilities.drop=[\"ALL\"]",
            containers(&no_drop)
        ));
    }
    details.extend(added_caps(spec, &["NET_BIND_SERVICE"]));
    (!details.is_empty()).then(|| ("unrestricted capabilities".into(), details.join("; ")))
}

fn restricted_volumes(spec: &Value) -> Option<Failure> {
    let (mut names, mut kinds) = (Vec::new(), Vec::<String>::new());
    for v in spec["volumes"].as_array().into_iter().flatten() {
        let Some(obj) = v.as_object() else { continue };
        let bad: Vec<&String> = obj
            .keys()
            .filter(|k| *k != "name" && !RESTRICTED_VOLUMES.contains(&k.as_str()))
            .collect();
        if bad.is_empty() {
            continue;
        }
        names.push(name(v));
        for k in bad {
            if !kinds.contains(k) {
                kinds.push(k.clone());
            }
        }
    }
    (!names.is_empty()).then(|| {
        (
            "restricted volume types".into(),
            format!(
                "{} {} {} {}",
                plural("volume", "volumes", names.len()),
                quote(&names),
                plural(
                    "uses restricted volume type",
                    "use restricted volume types",
                    kinds.len()
                ),
                quote(&kinds)
            ),
        )
    })
}

fn run_as_non_root(spec: &Value) -> Option<Failure> {
    let pod = spec
        .pointer("/securityContext/runAsNonRoot")
        .and_then(Value::as_bool);
    let mut details = Vec::new();
    if pod == Some(false) {
        details.push("pod must not set securityContext.runAsNonRoot=false".to_string());
    }
    let (mut explicit_false, mut unset) = (Vec::new(), Vec::new());
    for c in all_containers(spec) {
        match c
            .pointer("/securityContext/runAsNonRoot")
            .and_then(Value::as_bool)
        {
            Some(false) => explicit_false.push(name(c)),
            None if pod != Some(true) => unset.push(name(c)),
            _ => {}
        }
    }
    if !explicit_false.is_empty() {
        details.push(format!(
            "{} must not set securityContext.runAsNonRoot=false",
            containers(&explicit_false)
        ));
    }
    if !unset.is_empty() && pod.is_none() {
        details.push(format!(
            "pod or {} must set securityContext.runAsNonRoot=true",
            containers(&unset)
        ));
    }
    (!details.is_empty()).then(|| ("runAsNonRoot != true".into(), details.join("; ")))
}

fn run_as_user(spec: &Value) -> Option<Failure> {
    let mut details = Vec::new();
    if spec
        .pointer("/securityContext/runAsUser")
        .and_then(Value::as_i64)
        == Some(0)
    {
        details.push("pod must not set runAsUser=0".to_string());
    }
    let names: Vec<String> = all_containers(spec)
        .into_iter()
        .filter(|c| {
            c.pointer("/securityContext/runAsUser")
                .and_then(Value::as_i64)
                == Some(0)
        })
        .map(name)
        .collect();
    if !names.is_empty() {
        details.push(format!("{} must not set runAsUser=0", containers(&names)));
    }
    (!details.is_empty()).then(|| ("runAsUser=0".into(), details.join("; ")))
}

fn seccomp_restricted(spec: &Value) -> Option<Failure> {
    let ok = |t: Option<&str>| matches!(t, Some("RuntimeDefault" | "Localhost"));
    let pod = spec
        .pointer("/securityContext/seccompProfile/type")
        .and_then(Value::as_str);
    let mut details = Vec::new();
    if let Some(t) = pod.filter(|t| !ok(Some(t))) {
        details.push(format!(
            "pod must not set securityContext.seccompProfile.type to \"{t}\""
        ));
    }
    let (mut bad, mut bad_types, mut unset) = (Vec::new(), Vec::<String>::new(), Vec::new());
    for c in all_containers(spec) {
        match c
            .pointer("/securityContext/seccompProfile/type")
            .and_then(Value::as_str)
        {
            Some(t) if !ok(Some(t)) => {
                bad.push(name(c));
                if !bad_types.iter().any(|b| b == t) {
                    bad_types.push(t.to_string());
                }
            }
            None if pod.is_none() => unset.push(name(c)),
            _ => {}
        }
    }
    if !bad.is_empty() {
        details.push(format!(
            "{} must not set securityContext.seccompProfile.type to {}",
            containers(&bad),
            quote(&bad_types)
        ));
    }
    if !unset.is_empty() {
        details.push(format!(
            "pod or {} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"",
            containers(&unset)
        ));
    }
    (!details.is_empty()).then(|| ("seccompProfile".into(), details.join("; ")))
}

/// The failed checks of a pod spec at `level`: baseline's, then restricted's (whose
/// capability, volume and seccomp checks replace baseline's).
pub fn violations(spec: &Value, level: &str) -> Vec<Failure> {
    let restricted = level == "restricted";
    let mut out = Vec::new();
    if !restricted {
        out.extend(
            added_caps(spec, BASELINE_CAPS).map(|d| ("non-default capabilities".to_string(), d)),
        );
    }
    out.extend(host_namespaces(spec));
    if !restricted {
        out.extend(host_path_volumes(spec));
    }
    out.extend(host_ports(spec));
    out.extend(privileged(spec));
    if !restricted {
        out.extend(seccomp_baseline(spec));
    }
    if restricted {
        out.extend(allow_privilege_escalation(spec));
        out.extend(capabilities_restricted(spec));
        out.extend(restricted_volumes(spec));
        out.extend(run_as_non_root(spec));
        out.extend(run_as_user(spec));
        out.extend(seccomp_restricted(spec));
    }
    out
}

/// `violates PodSecurity "restricted:latest": reason (details), ...`, or None when the spec
/// meets the level.
pub fn message(spec: &Value, level: &str, version: &str) -> Option<String> {
    let v = violations(spec, level);
    if v.is_empty() {
        return None;
    }
    let parts: Vec<String> = v
        .into_iter()
        .map(|(reason, details)| format!("{reason} ({details})"))
        .collect();
    Some(format!(
        "PodSecurity \"{level}:{version}\": {}",
        parts.join(", ")
    ))
}

/// Where a kind keeps its pod template's spec (the workloads PodSecurity warns about).
fn template_spec<'a>(kind: &str, obj: &'a Value) -> Option<&'a Value> {
    match kind {
        "Deployment"
        | "ReplicaSet"
        | "StatefulSet"
        | "DaemonSet"
        | "Job"
        | "ReplicationController" => obj.pointer("/spec/template/spec"),
        "CronJob" => obj.pointer("/spec/jobTemplate/spec/template/spec"),
        "PodTemplate" => obj.pointer("/template/spec"),
        _ => None,
    }
}

/// The warnings PodSecurity admission sends for a new object of `kind` in namespace `ns`:
/// a pod breaking the `warn` level; a workload's template breaking the `enforce` or `warn`
/// level (each distinct level once).
pub fn create_warnings(ns: &Value, kind: &str, obj: &Value) -> Vec<String> {
    let enforce = level(ns, "enforce");
    let warn = level(ns, "warn");
    let (spec, levels) = match kind {
        "Pod" => (obj.get("spec"), vec![warn]),
        _ => (template_spec(kind, obj), vec![enforce, warn]),
    };
    let Some(spec) = spec else {
        return Vec::new();
    };
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for (lvl, version) in levels.into_iter().flatten() {
        if seen.contains(&(lvl.clone(), version.clone())) {
            continue;
        }
        seen.push((lvl.clone(), version.clone()));
        if let Some(m) = message(spec, &lvl, &version) {
            out.push(format!("would violate {m}"));
        }
    }
    out
}

/// The warnings PodSecurity admission sends when a namespace's enforce level changes: the
/// existing `pods` breaking the new level, grouped by their reasons (the alphabetically first
/// pod named, with how many others), in sorted order.
pub fn relabel_warnings(old_ns: &Value, new_ns: &Value, pods: &[Value]) -> Vec<String> {
    let Some((lvl, version)) = level(new_ns, "enforce") else {
        return Vec::new();
    };
    if level(old_ns, "enforce") == Some((lvl.clone(), version.clone())) {
        return Vec::new();
    }
    let mut groups: Vec<(String, String, usize)> = Vec::new();
    for pod in pods {
        let reasons: Vec<String> = violations(pod.get("spec").unwrap_or(&Value::Null), &lvl)
            .into_iter()
            .map(|(r, _)| r)
            .collect();
        if reasons.is_empty() {
            continue;
        }
        let reason = reasons.join(", ");
        let pod_name = name(&pod["metadata"]);
        match groups.iter_mut().find(|(r, _, _)| *r == reason) {
            Some(g) => {
                if pod_name < g.1 {
                    g.1 = pod_name;
                }
                g.2 += 1;
            }
            None => groups.push((reason, pod_name, 1)),
        }
    }
    if groups.is_empty() {
        return Vec::new();
    }
    let ns = new_ns
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let mut pods: Vec<String> = groups
        .into_iter()
        .map(|(reason, first, n)| match n {
            1 => format!("{first}: {reason}"),
            2 => format!("{first} (and 1 other pod): {reason}"),
            _ => format!("{first} (and {} other pods): {reason}", n - 1),
        })
        .collect();
    pods.sort();
    let mut out = vec![format!(
        "existing pods in namespace \"{ns}\" violate the new PodSecurity enforce level \"{lvl}:{version}\""
    )];
    out.extend(pods);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_plain_pod_violates_restricted_four_ways_and_meets_baseline() {
        let spec = json!({"containers": [{"name": "c", "image": "nginx"}]});
        assert_eq!(message(&spec, "baseline", "latest"), None);
        assert_eq!(
            message(&spec, "restricted", "latest").as_deref(),
            Some(
                "PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false (container \"c\" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container \"c\" must set securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or container \"c\" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container \"c\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")"
            )
        );
    }

    #[test]
    fn baseline_refuses_host_access() {
        let spec = json!({"hostNetwork": true, "volumes": [{"name": "h", "hostPath": {"path": "/"}}],
            "containers": [{"name": "a", "ports": [{"containerPort": 80, "hostPort": 80}],
                            "securityContext": {"privileged": true}}]});
        assert_eq!(
            message(&spec, "baseline", "v1.32").as_deref(),
            Some(
                "PodSecurity \"baseline:v1.32\": host namespaces (hostNetwork=true), hostPath volumes (volume \"h\"), hostPort (container \"a\" uses hostPort 80), privileged (container \"a\" must not set securityContext.privileged=true)"
            )
        );
    }

    #[test]
    fn relabelling_warns_about_existing_pods_grouped_by_reasons() {
        let ns = |labels: Value| json!({"metadata": {"name": "team", "labels": labels}});
        let pod =
            |n: &str| json!({"metadata": {"name": n}, "spec": {"containers": [{"name": "c"}]}});
        let pods = [pod("b"), pod("a"), pod("c")];
        let new = ns(json!({"pod-security.kubernetes.io/enforce": "baseline"}));
        assert!(relabel_warnings(&ns(json!({})), &new, &pods).is_empty());
        let strict = ns(json!({"pod-security.kubernetes.io/enforce": "restricted"}));
        assert_eq!(
            relabel_warnings(&new, &strict, &pods),
            vec![
                "existing pods in namespace \"team\" violate the new PodSecurity enforce level \"restricted:latest\"".to_string(),
                "a (and 2 other pods): allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile".to_string(),
            ]
        );
        assert!(relabel_warnings(&strict, &strict, &pods).is_empty());
    }
}
