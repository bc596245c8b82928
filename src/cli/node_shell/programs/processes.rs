//! The node's process table, as a kubeadm node's would be: init, containerd and the
//! kubelet (with the flags kubeadm's systemd drop-in gives it, unless `systemctl stop`ped),
//! and for each pod bound to the node its shim, its pause process and one process per
//! running container, whose command line is the container's `command` and `args` from the
//! pod's spec, so the static pods' flags are what their manifests say.
//!
//! PIDs and container ids are derived from the objects (node name, pod uid, container
//! name, restart count), so they stay the same from one command to the next.

use super::NodeCtx;
use crate::api::status::ApiError;
use crate::client::Client;
use chrono::{DateTime, Utc};
use serde_json::Value;

pub struct Process {
    pub user: String,
    pub pid: u32,
    pub ppid: u32,
    /// The executable's name as the kernel keeps it (at most 15 bytes): what pgrep matches.
    pub comm: String,
    pub cmdline: String,
    pub started: DateTime<Utc>,
    /// Kernel state letters (`Ssl`).
    pub stat: &'static str,
    pub vsz_kib: u64,
    pub rss_kib: u64,
}

/// A pod on the node as the runtime sees it.
pub struct PodOnNode {
    pub pod: Value,
}

/// The kubelet's command line: kubeadm's drop-in `ExecStart` with its variables filled
/// from `/var/lib/kubelet/kubeadm-flags.env` (and `/etc/default/kubelet`) on the node.
pub fn kubelet_cmdline(ctx: &NodeCtx) -> String {
    let mut line = String::from(
        "/usr/bin/kubelet --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf --config=/var/lib/kubelet/config.yaml",
    );
    for (file, var) in [
        ("/var/lib/kubelet/kubeadm-flags.env", "KUBELET_KUBEADM_ARGS"),
        ("/etc/default/kubelet", "KUBELET_EXTRA_ARGS"),
    ] {
        let text = std::fs::read_to_string(ctx.host_path(file)).unwrap_or_default();
        for l in text.lines() {
            if let Some(v) = l.trim().strip_prefix(var).and_then(|r| r.strip_prefix('=')) {
                let v = v.trim().trim_matches('"');
                if !v.is_empty() {
                    line.push(' ');
                    line.push_str(v);
                }
            }
        }
    }
    line
}

/// A stable number in [1000, 4_000_000) for `key`.
pub fn pid_of(key: &str) -> u32 {
    1000 + (fnv(key) % 3_999_000) as u32
}

fn fnv(key: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// A 64-hex-digit id for `key` (container and sandbox ids, image ids).
pub fn hex_id(key: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, key.as_bytes());
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// The pods bound to the node, as its runtime has them: with the API server down, the
/// static pods the kubelet stopped since (their file gone or unreadable) are exited.
pub fn pods(ctx: &NodeCtx, client: &dyn Client) -> Result<Vec<PodOnNode>, ApiError> {
    let mut pods = pods_bound(client, &ctx.node)?;
    if let Some(files) = &ctx.files_while_down {
        for p in &mut pods {
            let from_file = p
                .pod
                .pointer("/metadata/annotations/kubernetes.io~1config.source")
                == Some(&Value::from("file"));
            if from_file && !files.running.contains(p.name()) {
                stop(&mut p.pod, files.since);
            }
        }
    }
    Ok(pods)
}

/// `pod` as the runtime has it once the kubelet killed it at `at`: its containers exited
/// (kube-apiserver and the others end cleanly on the kubelet's SIGTERM), its sandbox not
/// ready.
fn stop(pod: &mut Value, at: DateTime<Utc>) {
    let finished = Value::from(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    let status = &mut pod["status"];
    if let Some(statuses) = status["containerStatuses"].as_array_mut() {
        for s in statuses {
            let Some(started) = s.pointer("/state/running/startedAt").cloned() else {
                continue;
            };
            s["state"] = serde_json::json!({"terminated": {
                "exitCode": 0, "reason": "Completed", "startedAt": started, "finishedAt": finished,
            }});
            s["ready"] = Value::Bool(false);
            s["started"] = Value::Bool(false);
        }
    }
    if let Some(conditions) = status["conditions"].as_array_mut() {
        for c in conditions {
            if c["type"] == "Ready" || c["type"] == "ContainersReady" {
                c["status"] = Value::from("False");
            }
        }
    }
}

/// The pods the API has bound to `node`.
fn pods_bound(client: &dyn Client, node: &str) -> Result<Vec<PodOnNode>, ApiError> {
    let opts = crate::api::options::ListOptions {
        field_selector: Some(format!("spec.nodeName={node}")),
        ..Default::default()
    };
    let list = client.list(super::super::resource("pods")?, None, &opts)?;
    let mut pods: Vec<PodOnNode> = list["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p.pointer("/spec/nodeName").and_then(Value::as_str) == Some(node))
        .map(|p| PodOnNode { pod: p.clone() })
        .collect();
    pods.sort_by_key(|p| time(&p.pod["metadata"]["creationTimestamp"]));
    Ok(pods)
}

pub fn time(v: &Value) -> DateTime<Utc> {
    v.as_str()
        .and_then(crate::clock::parse_timestamp)
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

impl PodOnNode {
    pub fn uid(&self) -> &str {
        self.pod["metadata"]["uid"].as_str().unwrap_or("")
    }
    pub fn name(&self) -> &str {
        self.pod["metadata"]["name"].as_str().unwrap_or("")
    }
    pub fn namespace(&self) -> &str {
        self.pod["metadata"]["namespace"].as_str().unwrap_or("")
    }
    pub fn sandbox_id(&self) -> String {
        hex_id(&format!("sandbox/{}", self.uid()))
    }
    /// The spec of container `name`.
    pub fn spec_of(&self, name: &str) -> Option<&Value> {
        self.pod["spec"]["containers"]
            .as_array()?
            .iter()
            .find(|c| c["name"] == name)
    }
    /// The container statuses (regular containers).
    pub fn statuses(&self) -> Vec<&Value> {
        self.pod["status"]["containerStatuses"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default()
    }
    pub fn container_id(&self, status: &Value) -> String {
        let name = status["name"].as_str().unwrap_or("");
        let attempt = status["restartCount"].as_i64().unwrap_or(0);
        hex_id(&format!("container/{}/{name}/{attempt}", self.uid()))
    }
}

/// The command line a container of `pod` runs: its `command` and `args` with `$(VAR)`
/// references to its environment expanded, or the image's own entrypoint for the images
/// kubelite knows.
pub fn container_cmdline(pod: &Value, spec: &Value) -> String {
    let words = |key: &str| -> Vec<String> {
        spec[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|w| w.as_str().map(|w| expand(w, pod, spec)))
            .collect()
    };
    let mut line = words("command");
    if line.is_empty() {
        let image = spec["image"].as_str().unwrap_or("");
        let base = image.rsplit('/').next().unwrap_or(image);
        let base = base.split([':', '@']).next().unwrap_or(base);
        line.push(match base {
            "coredns" => "/coredns".to_string(),
            "nginx" => "nginx: master process nginx -g daemon off;".to_string(),
            "busybox" | "alpine" => "sh".to_string(),
            "pause" => "/pause".to_string(),
            other => format!("/{other}"),
        });
    }
    line.extend(words("args"));
    line.join(" ")
}

/// `$(NAME)` replaced by the container's variable NAME (a literal value, or the pod field
/// it refers to), as the kubelet expands commands; unknown references stay as written.
fn expand(word: &str, pod: &Value, spec: &Value) -> String {
    let value_of = |name: &str| -> Option<String> {
        let var = spec["env"].as_array()?.iter().find(|e| e["name"] == name)?;
        if let Some(v) = var["value"].as_str() {
            return Some(v.to_string());
        }
        let path = var.pointer("/valueFrom/fieldRef/fieldPath")?.as_str()?;
        let pointer = format!("/{}", path.replace('.', "/"));
        pod.pointer(&pointer)?.as_str().map(str::to_string)
    };
    let mut out = String::new();
    let mut rest = word;
    while let Some(at) = rest.find("$(") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        match after.find(')') {
            Some(end) => {
                let name = &after[..end];
                match value_of(name) {
                    Some(v) => out.push_str(&v),
                    None => out.push_str(&rest[at..at + 2 + end + 1]),
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[at..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The name the kernel gives a process running `cmdline`.
fn comm(cmdline: &str) -> String {
    let exe = cmdline.split(' ').next().unwrap_or("");
    let base = exe.rsplit('/').next().unwrap_or(exe).trim_end_matches(':');
    base.chars().take(15).collect()
}

/// Rough sizes in KiB (virtual, resident) by program, so the table looks like a node's.
fn sizes(comm: &str) -> (u64, u64) {
    match comm {
        "kube-apiserver" => (1_543_212, 312_448),
        "etcd" => (11_214_600, 98_220),
        "kube-controller" => (1_322_508, 112_904),
        "kube-scheduler" => (1_291_644, 61_332),
        "kubelet" => (2_192_384, 96_548),
        "kube-proxy" => (1_281_228, 52_312),
        "containerd" => (2_113_060, 61_448),
        "containerd-shim" => (1_238_340, 14_632),
        "pause" => (1_024, 512),
        "init" => (167_744, 11_648),
        _ => (1_249_332, 45_216),
    }
}

/// The node's processes, ordered by PID as ps shows them.
pub fn table(ctx: &NodeCtx, client: &dyn Client) -> Result<Vec<Process>, ApiError> {
    let node = client.get(super::super::nodes()?, None, &ctx.node)?;
    let booted = time(&node["metadata"]["creationTimestamp"]);
    let kubelet_stopped = node
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(crate::kubelet::STATE_ANNOTATION))
        .and_then(Value::as_str)
        == Some("stopped");
    let mut procs = Vec::new();
    let mut add = |user: &str, pid: u32, ppid: u32, cmdline: String, started, stat| {
        let comm = if pid == 1 {
            "systemd".to_string()
        } else {
            comm(&cmdline)
        };
        let (vsz_kib, rss_kib) = sizes(if pid == 1 { "init" } else { &comm });
        procs.push(Process {
            user: user.to_string(),
            pid,
            ppid,
            comm,
            cmdline,
            started,
            stat,
            vsz_kib,
            rss_kib,
        });
    };
    add("root", 1, 0, "/sbin/init".to_string(), booted, "Ss");
    add(
        "root",
        pid_of(&format!("{}/containerd", ctx.node)),
        1,
        "/usr/bin/containerd".to_string(),
        booted,
        "Ssl",
    );
    if !kubelet_stopped {
        add(
            "root",
            ctx.kubelet_pid(),
            1,
            kubelet_cmdline(ctx),
            booted,
            "Ssl",
        );
    }
    for pod in pods(ctx, client)? {
        let running: Vec<&Value> = pod
            .statuses()
            .into_iter()
            .filter(|s| s.pointer("/state/running").is_some())
            .collect();
        if running.is_empty() {
            continue;
        }
        let started = time(&pod.pod["status"]["startTime"]);
        let sandbox = pod.sandbox_id();
        let shim = pid_of(&format!("shim/{sandbox}"));
        add(
            "root",
            shim,
            1,
            format!(
                "/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id {sandbox} -address /run/containerd/containerd.sock"
            ),
            started,
            "Sl",
        );
        add(
            "65535",
            pid_of(&format!("pause/{sandbox}")),
            shim,
            "/pause".to_string(),
            started,
            "Ss",
        );
        for status in running {
            let name = status["name"].as_str().unwrap_or("");
            let Some(spec) = pod.spec_of(name) else {
                continue;
            };
            let at = time(&status["state"]["running"]["startedAt"]);
            add(
                "root",
                pid_of(&pod.container_id(status)),
                shim,
                container_cmdline(&pod.pod, spec),
                at,
                "Ssl",
            );
        }
    }
    procs.sort_by_key(|p| p.pid);
    Ok(procs)
}
