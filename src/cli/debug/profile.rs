//! `--profile`: what each debugging profile changes in the debug container and its pod,
//! per kind of session (an ephemeral container, a copy of the pod, a pod on a node), as
//! kubectl 1.32's profiles do.

use super::super::errors::CliError;
use serde_json::{Map, Value, json};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    Legacy,
    General,
    Baseline,
    Restricted,
    Netadmin,
    Sysadmin,
}

/// The kind of debugging session a profile is applied to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Ephemeral,
    Copy,
    Node,
}

/// What `--keep-*` keep of the original pod in a copy.
#[derive(Clone, Copy, Debug)]
pub struct Keep {
    pub labels: bool,
    pub annotations: bool,
    pub liveness: bool,
    pub readiness: bool,
    pub startup: bool,
    pub init_containers: bool,
}

pub const LEGACY_DEPRECATED: &str = "--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example \"--profile=general\".";

impl Profile {
    pub fn parse(name: &str) -> Result<Profile, CliError> {
        Ok(match name {
            "legacy" => Profile::Legacy,
            "general" => Profile::General,
            "baseline" => Profile::Baseline,
            "restricted" => Profile::Restricted,
            "netadmin" => Profile::Netadmin,
            "sysadmin" => Profile::Sysadmin,
            other => return Err(CliError::message(format!("unknown profile: {other}"))),
        })
    }

    /// Applies the profile to `pod` (a full pod, or one holding the new ephemeral
    /// container), whose debug container is `container`.
    pub fn apply(self, pod: &mut Value, container: &str, style: Style, keep: Keep) {
        use Profile::*;
        match self {
            Baseline | Restricted => clear_security_context(pod, container),
            _ => {}
        }
        match self {
            Restricted => restrict(pod, container),
            Netadmin => {
                add_capability(pod, container, "NET_ADMIN");
                add_capability(pod, container, "NET_RAW");
            }
            Sysadmin => set_security(pod, container, "privileged", json!(true)),
            _ => {}
        }
        match (self, style) {
            (Legacy, Style::Node) => {
                mount_root(pod, container);
                host_namespaces(pod);
            }
            (Legacy, Style::Copy) => {
                // The legacy profile drops the labels of a copy, whatever --keep-labels.
                if let Some(meta) = pod.get_mut("metadata").and_then(Value::as_object_mut) {
                    meta.shift_remove("labels");
                }
            }
            (General, Style::Node) => {
                mount_root(pod, container);
                clear_security_context(pod, container);
                host_namespaces(pod);
            }
            (General, Style::Copy) => {
                trim_copy(pod, keep);
                add_capability(pod, container, "SYS_PTRACE");
                share_processes(pod);
            }
            (General, Style::Ephemeral) => add_capability(pod, container, "SYS_PTRACE"),
            (Netadmin, Style::Node) => host_namespaces(pod),
            (Sysadmin, Style::Node) => {
                host_namespaces(pod);
                mount_root(pod, container);
            }
            (Baseline | Restricted | Netadmin | Sysadmin, Style::Copy) => {
                trim_copy(pod, keep);
                share_processes(pod);
            }
            _ => {}
        }
    }
}

/// The debug container, wherever it is in the pod (regular, init or ephemeral).
fn container_mut<'a>(pod: &'a mut Value, name: &str) -> Option<&'a mut Map<String, Value>> {
    pod.get_mut("spec")?
        .as_object_mut()?
        .iter_mut()
        .filter(|(k, _)| {
            matches!(
                k.as_str(),
                "initContainers" | "containers" | "ephemeralContainers"
            )
        })
        .filter_map(|(_, l)| l.as_array_mut())
        .flat_map(|l| l.iter_mut())
        .find(|c| c["name"] == name)?
        .as_object_mut()
}

fn security_context<'a>(pod: &'a mut Value, name: &str) -> Option<&'a mut Map<String, Value>> {
    let c = container_mut(pod, name)?;
    c.entry("securityContext")
        .or_insert_with(|| json!({}))
        .as_object_mut()
}

fn set_security(pod: &mut Value, name: &str, field: &str, value: Value) {
    if let Some(sc) = security_context(pod, name) {
        sc.insert(field.to_string(), value);
    }
}

fn clear_security_context(pod: &mut Value, name: &str) {
    if let Some(c) = container_mut(pod, name) {
        c.shift_remove("securityContext");
    }
}

fn add_capability(pod: &mut Value, name: &str, capability: &str) {
    let Some(sc) = security_context(pod, name) else {
        return;
    };
    let caps = sc.entry("capabilities").or_insert_with(|| json!({}));
    if let Some(add) = caps
        .as_object_mut()
        .map(|m| m.entry("add").or_insert_with(|| json!([])))
        .and_then(Value::as_array_mut)
    {
        add.push(json!(capability));
    }
}

/// The restricted profile: not root, no capabilities, no escalation, the runtime's
/// seccomp profile.
fn restrict(pod: &mut Value, name: &str) {
    let Some(sc) = security_context(pod, name) else {
        return;
    };
    sc.insert("runAsNonRoot".into(), json!(true));
    sc.insert("capabilities".into(), json!({"drop": ["ALL"]}));
    sc.insert("allowPrivilegeEscalation".into(), json!(false));
    sc.insert("seccompProfile".into(), json!({"type": "RuntimeDefault"}));
}

/// The node's root filesystem at `/host` in the debug container.
fn mount_root(pod: &mut Value, name: &str) {
    if let Some(spec) = pod.get_mut("spec").and_then(Value::as_object_mut) {
        let volumes = spec.entry("volumes").or_insert_with(|| json!([]));
        if let Some(v) = volumes.as_array_mut() {
            v.push(json!({"name": "host-root", "hostPath": {"path": "/"}}));
        }
    }
    if let Some(c) = container_mut(pod, name) {
        let mounts = c.entry("volumeMounts").or_insert_with(|| json!([]));
        if let Some(m) = mounts.as_array_mut() {
            m.push(json!({"name": "host-root", "mountPath": "/host"}));
        }
    }
}

fn host_namespaces(pod: &mut Value) {
    for field in ["hostNetwork", "hostPID", "hostIPC"] {
        pod["spec"][field] = json!(true);
    }
}

fn share_processes(pod: &mut Value) {
    if pod.pointer("/spec/shareProcessNamespace").is_none() {
        pod["spec"]["shareProcessNamespace"] = json!(true);
    }
}

/// What a copy drops of the original unless kept: labels, annotations, probes and init
/// containers.
fn trim_copy(pod: &mut Value, keep: Keep) {
    if let Some(meta) = pod.get_mut("metadata").and_then(Value::as_object_mut) {
        if !keep.labels {
            meta.shift_remove("labels");
        }
        if !keep.annotations {
            meta.shift_remove("annotations");
        }
    }
    let Some(spec) = pod.get_mut("spec").and_then(Value::as_object_mut) else {
        return;
    };
    if let Some(containers) = spec.get_mut("containers").and_then(Value::as_array_mut) {
        for c in containers.iter_mut().filter_map(Value::as_object_mut) {
            for (kept, probe) in [
                (keep.liveness, "livenessProbe"),
                (keep.readiness, "readinessProbe"),
                (keep.startup, "startupProbe"),
            ] {
                if !kept {
                    c.shift_remove(probe);
                }
            }
        }
    }
    if !keep.init_containers {
        spec.shift_remove("initContainers");
    }
}
