//! The `Containers:` / `Init Containers:` sections of pods and pod templates.

use serde_json::Value;

use super::json::{arr, at, boolean, int, obj, s, scalar};
use super::time::rfc1123;
use super::writer::Out;
use crate::api::quantity::Quantity;

/// What a container section knows about its pod: the statuses (absent for templates) and
/// the pod itself, used to resolve `fieldRef` environment values.
pub struct ContainerContext<'a> {
    pub statuses: Option<&'a [Value]>,
    pub pod: Option<&'a Value>,
}

/// Writes `{space}{label}:` and every container. `space` is "" for pods and "  " for
/// templates (whose container names get one extra space, as kubectl prints them).
pub fn containers_section(
    w: &mut Out,
    label: &str,
    containers: &[Value],
    ctx: &ContainerContext,
    space: &str,
) {
    w.w(0, &format!("{space}{label}:\n"));
    for c in containers {
        let name = s(c, &["name"]);
        let status = ctx
            .statuses
            .and_then(|st| st.iter().find(|x| s(x, &["name"]) == name));
        basic_info(w, c, status, space);
        command(w, c);
        if let Some(st) = status {
            state_block(w, st);
        }
        resources(w, c);
        probes(w, c);
        let env_from = arr(c, &["envFrom"]);
        if !env_from.is_empty() {
            env_from_block(w, env_from);
        }
        env_block(w, c, ctx.pod);
        mounts(w, c);
    }
}

fn basic_info(w: &mut Out, c: &Value, status: Option<&Value>, space: &str) {
    let indent = if space.is_empty() { "" } else { " " };
    w.w(1, &format!("{indent}{}:\n", s(c, &["name"])));
    if let Some(st) = status {
        w.w(2, &format!("Container ID:\t{}\n", s(st, &["containerID"])));
    }
    w.w(2, &format!("Image:\t{}\n", s(c, &["image"])));
    if let Some(st) = status {
        w.w(2, &format!("Image ID:\t{}\n", s(st, &["imageID"])));
    }
    let ports = arr(c, &["ports"]);
    let port_list: Vec<String> = ports
        .iter()
        .map(|p| format!("{}/{}", int(p, &["containerPort"]), s(p, &["protocol"])))
        .collect();
    let host_list: Vec<String> = ports
        .iter()
        .map(|p| format!("{}/{}", int(p, &["hostPort"]), s(p, &["protocol"])))
        .collect();
    port_line(w, "Port", &port_list.join(", "));
    port_line(w, "Host Port", &host_list.join(", "));
    if let Some(profile) = at(c, &["securityContext", "seccompProfile"]).filter(|v| v.is_object()) {
        w.w(2, &format!("SeccompProfile:\t{}\n", s(profile, &["type"])));
        if s(profile, &["type"]) == "Localhost" {
            w.w(
                3,
                &format!("LocalhostProfile:\t{}\n", s(profile, &["localhostProfile"])),
            );
        }
    }
}

/// `Port:\t80/TCP`, `Ports:\t8080/TCP, 9090/TCP` or `Port:\t<none>`.
fn port_line(w: &mut Out, label: &str, text: &str) {
    if text.contains(',') {
        w.w(2, &format!("{label}s:\t{text}\n"));
    } else {
        let text = if text.is_empty() { "<none>" } else { text };
        w.w(2, &format!("{label}:\t{text}\n"));
    }
}

fn command(w: &mut Out, c: &Value) {
    for (field, label) in [("command", "Command"), ("args", "Args")] {
        let items = arr(c, &[field]);
        if items.is_empty() {
            continue;
        }
        w.w(2, &format!("{label}:\n"));
        for item in items {
            for line in scalar(item).split('\n') {
                w.w(3, &format!("{line}\n"));
            }
        }
    }
}

fn state_block(w: &mut Out, st: &Value) {
    describe_state(w, "State", at(st, &["state"]));
    if at(st, &["lastState", "terminated"]).is_some_and(Value::is_object) {
        describe_state(w, "Last State", at(st, &["lastState"]));
    }
    let ready = if boolean(st, &["ready"]) {
        "True"
    } else {
        "False"
    };
    w.w(2, &format!("Ready:\t{ready}\n"));
    w.w(
        2,
        &format!("Restart Count:\t{}\n", int(st, &["restartCount"])),
    );
}

fn describe_state(w: &mut Out, name: &str, state: Option<&Value>) {
    let empty = Value::Null;
    let state = state.unwrap_or(&empty);
    let present = |k: &str| at(state, &[k]).is_some_and(Value::is_object);
    if present("running") {
        w.w(2, &format!("{name}:\tRunning\n"));
        w.w(
            3,
            &format!("Started:\t{}\n", rfc1123(state, &["running", "startedAt"])),
        );
    } else if present("waiting") {
        w.w(2, &format!("{name}:\tWaiting\n"));
        let reason = s(state, &["waiting", "reason"]);
        if !reason.is_empty() {
            w.w(3, &format!("Reason:\t{reason}\n"));
        }
    } else if present("terminated") {
        let t = &state["terminated"];
        w.w(2, &format!("{name}:\tTerminated\n"));
        let reason = s(t, &["reason"]);
        if !reason.is_empty() {
            w.w(3, &format!("Reason:\t{reason}\n"));
        }
        let message = s(t, &["message"]);
        if !message.is_empty() {
            w.w(3, &format!("Message:\t{message}\n"));
        }
        w.w(3, &format!("Exit Code:\t{}\n", int(t, &["exitCode"])));
        let signal = int(t, &["signal"]);
        if signal > 0 {
            w.w(3, &format!("Signal:\t{signal}\n"));
        }
        w.w(3, &format!("Started:\t{}\n", rfc1123(t, &["startedAt"])));
        w.w(3, &format!("Finished:\t{}\n", rfc1123(t, &["finishedAt"])));
    } else {
        w.w(2, &format!("{name}:\tWaiting\n"));
    }
}

/// Sorted `(name, canonical quantity)` pairs of a resource list.
pub fn resource_list(v: Option<&Value>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = v
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, q)| {
                    (
                        k.clone(),
                        Quantity::from_json(q)
                            .map(|q| q.to_string())
                            .unwrap_or_else(|| scalar(q)),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn resources(w: &mut Out, c: &Value) {
    for (field, label) in [("limits", "Limits"), ("requests", "Requests")] {
        let list = resource_list(at(c, &["resources", field]));
        if list.is_empty() {
            continue;
        }
        w.w(2, &format!("{label}:\n"));
        for (name, q) in list {
            w.w(3, &format!("{name}:\t{q}\n"));
        }
    }
}

fn probes(w: &mut Out, c: &Value) {
    for (field, label) in [
        ("livenessProbe", "Liveness"),
        ("readinessProbe", "Readiness"),
        ("startupProbe", "Startup"),
    ] {
        if let Some(p) = at(c, &[field]).filter(|v| v.is_object()) {
            w.w(2, &format!("{label}:\t{}\n", probe_text(p)));
        }
    }
}

/// `http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3`.
pub fn probe_text(p: &Value) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        int(p, &["initialDelaySeconds"]),
        int(p, &["timeoutSeconds"]),
        int(p, &["periodSeconds"]),
        int(p, &["successThreshold"]),
        int(p, &["failureThreshold"])
    );
    if let Some(exec) = obj(p, &["exec"]) {
        let cmd: Vec<String> = exec
            .get("command")
            .and_then(Value::as_array)
            .map(|a| a.iter().map(scalar).collect())
            .unwrap_or_default();
        return format!("exec [{}] {attrs}", cmd.join(" "));
    }
    if let Some(h) = at(p, &["httpGet"]).filter(|v| v.is_object()) {
        let port = at(h, &["port"]).map(scalar).unwrap_or_default();
        let host = s(h, &["host"]);
        let hostport = if port.is_empty() {
            host.to_string()
        } else if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        let scheme = s(h, &["scheme"]).to_lowercase();
        let path = s(h, &["path"]);
        let path = if !path.is_empty() && !path.starts_with('/') && !hostport.is_empty() {
            format!("/{path}")
        } else {
            path.to_string()
        };
        let url = if scheme.is_empty() {
            format!("//{hostport}{path}")
        } else {
            format!("{scheme}://{hostport}{path}")
        };
        return format!("http-get {url} {attrs}");
    }
    if let Some(t) = at(p, &["tcpSocket"]).filter(|v| v.is_object()) {
        let port = at(t, &["port"]).map(scalar).unwrap_or_default();
        return format!("tcp-socket {}:{port} {attrs}", s(t, &["host"]));
    }
    if let Some(g) = at(p, &["grpc"]).filter(|v| v.is_object()) {
        return format!(
            "grpc <pod>:{} {} {attrs}",
            int(g, &["port"]),
            s(g, &["service"])
        );
    }
    format!("unknown {attrs}")
}

fn env_from_block(w: &mut Out, list: &[Value]) {
    w.w(2, "Environment Variables from:\n");
    for e in list {
        let (from, src) = if let Some(cm) = at(e, &["configMapRef"]).filter(|v| v.is_object()) {
            ("ConfigMap", cm)
        } else if let Some(sec) = at(e, &["secretRef"]).filter(|v| v.is_object()) {
            ("Secret", sec)
        } else {
            ("", &Value::Null)
        };
        let name = s(src, &["name"]);
        let optional = boolean(src, &["optional"]);
        let prefix = s(e, &["prefix"]);
        if prefix.is_empty() {
            w.w(3, &format!("{name}\t{from}\tOptional: {optional}\n"));
        } else {
            w.w(
                3,
                &format!("{name}\t{from} with prefix '{prefix}'\tOptional: {optional}\n"),
            );
        }
    }
}

/// The value kubectl shows for a `fieldRef`: it can only resolve the pod's name and
/// namespace; every other path (and any template) shows an empty value.
fn resolve_field_ref(pod: Option<&Value>, field_ref: &Value) -> String {
    let Some(pod) = pod else {
        return String::new();
    };
    match s(field_ref, &["fieldPath"]) {
        "metadata.name" => s(pod, &["metadata", "name"]).to_string(),
        "metadata.namespace" => s(pod, &["metadata", "namespace"]).to_string(),
        _ => String::new(),
    }
}

/// A `resourceFieldRef` value: the container's resource divided by the divisor, rounded up.
fn resolve_resource_field(c: &Value, rf: &Value) -> String {
    let resource = s(rf, &["resource"]);
    let Some((kind, name)) = resource.split_once('.') else {
        return String::new();
    };
    let list = match kind {
        "limits" => "limits",
        "requests" => "requests",
        _ => return String::new(),
    };
    let known =
        matches!(name, "cpu" | "memory" | "ephemeral-storage") || name.starts_with("hugepages-");
    if !known {
        return String::new();
    }
    let divisor = at(rf, &["divisor"])
        .and_then(Quantity::from_json)
        .filter(|q| !q.is_zero())
        .unwrap_or_else(|| Quantity::parse("1").unwrap_or_default());
    let value = at(c, &["resources", list, name])
        .and_then(Quantity::from_json)
        .unwrap_or_default();
    let (num, den) = if name == "cpu" {
        (value.milli_value(), divisor.milli_value())
    } else {
        (value.value(), divisor.value())
    };
    if den == 0 {
        return String::new();
    }
    let result = (num as f64 / den as f64).ceil() as i64;
    result.to_string()
}

fn env_block(w: &mut Out, c: &Value, pod: Option<&Value>) {
    let env = arr(c, &["env"]);
    if env.is_empty() {
        w.w(2, "Environment:\t<none>\n");
        return;
    }
    w.w(2, "Environment:\n");
    for e in env {
        let name = s(e, &["name"]);
        let Some(from) = at(e, &["valueFrom"]).filter(|v| v.is_object()) else {
            for (i, line) in s(e, &["value"]).split('\n').enumerate() {
                if i == 0 {
                    w.w(3, &format!("{name}:\t{line}\n"));
                } else {
                    w.w(3, &format!("\t{line}\n"));
                }
            }
            continue;
        };
        if let Some(fr) = at(from, &["fieldRef"]).filter(|v| v.is_object()) {
            let value = resolve_field_ref(pod, fr);
            w.w(
                3,
                &format!(
                    "{name}:\t{value} ({}:{})\n",
                    s(fr, &["apiVersion"]),
                    s(fr, &["fieldPath"])
                ),
            );
        } else if let Some(rf) = at(from, &["resourceFieldRef"]).filter(|v| v.is_object()) {
            let resource = s(rf, &["resource"]);
            let mut value = resolve_resource_field(c, rf);
            if value == "0" && (resource == "limits.cpu" || resource == "limits.memory") {
                value = "node allocatable".to_string();
            }
            w.w(3, &format!("{name}:\t{value} ({resource})\n"));
        } else if let Some(sk) = at(from, &["secretKeyRef"]).filter(|v| v.is_object()) {
            w.w(
                3,
                &format!(
                    "{name}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                    s(sk, &["key"]),
                    s(sk, &["name"]),
                    boolean(sk, &["optional"])
                ),
            );
        } else if let Some(ck) = at(from, &["configMapKeyRef"]).filter(|v| v.is_object()) {
            w.w(
                3,
                &format!(
                    "{name}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                    s(ck, &["key"]),
                    s(ck, &["name"]),
                    boolean(ck, &["optional"])
                ),
            );
        }
    }
}

fn mounts(w: &mut Out, c: &Value) {
    let mut list: Vec<&Value> = arr(c, &["volumeMounts"]).iter().collect();
    if list.is_empty() {
        w.w(2, "Mounts:\t<none>\n");
    } else {
        w.w(2, "Mounts:\n");
    }
    list.sort_by(|a, b| s(a, &["mountPath"]).cmp(s(b, &["mountPath"])));
    for m in list {
        let mut flags = vec![if boolean(m, &["readOnly"]) {
            "ro".to_string()
        } else {
            "rw".to_string()
        }];
        let sub = s(m, &["subPath"]);
        if !sub.is_empty() {
            flags.push(format!("path={sub:?}"));
        }
        w.w(
            3,
            &format!(
                "{} from {} ({})\n",
                s(m, &["mountPath"]),
                s(m, &["name"]),
                flags.join(",")
            ),
        );
    }
    let mut devices: Vec<&Value> = arr(c, &["volumeDevices"]).iter().collect();
    if !devices.is_empty() {
        w.w(2, "Devices:\n");
        devices.sort_by(|a, b| s(a, &["devicePath"]).cmp(s(b, &["devicePath"])));
        for d in devices {
            w.w(
                3,
                &format!("{} from {}\n", s(d, &["devicePath"]), s(d, &["name"])),
            );
        }
    }
}
