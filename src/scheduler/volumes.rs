//! VolumeBinding's PreFilter and PreBind halves: what a pod's PersistentVolumeClaims allow
//! before any node is tried, and, once a node is chosen, the claims still to be provisioned
//! there (their `volume.kubernetes.io/selected-node` annotation, which the provisioner
//! answers; the pod is bound once they are).

use crate::api::options::{PatchType, WriteOptions};
use crate::api::status::ApiError;
use crate::runtime::Context;
use serde_json::{Value, json};

pub const SELECTED_NODE: &str = "volume.kubernetes.io/selected-node";

fn text<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

/// The claims a pod mounts: named ones and those of its generic ephemeral volumes.
pub fn claims_of(pod: &Value) -> Vec<String> {
    let pod_name = text(pod, "/metadata/name");
    pod.pointer("/spec/volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| {
            if let Some(claim) = v.pointer("/persistentVolumeClaim/claimName") {
                return claim.as_str().map(str::to_string);
            }
            v.get("ephemeral")
                .filter(|e| e.is_object())
                .map(|_| format!("{pod_name}-{}", text(v, "/name")))
        })
        .collect()
}

/// What the claims of one pod say.
pub enum Claims {
    /// kube-scheduler's PreFilter refusal (`pod has unbound immediate PersistentVolumeClaims`).
    Refused(String),
    /// Schedulable: the nodes bound volumes allow (None: any), the delayed claims still
    /// unbound, and whether one of those already waits for its provisioner.
    Ready {
        nodes: Option<Vec<String>>,
        delayed: Vec<Value>,
        provisioning: bool,
    },
}

fn get(
    ctx: &Context,
    plural: &str,
    ns: Option<&str>,
    name: &str,
) -> Result<Option<Value>, ApiError> {
    let r = ctx.resource(plural)?;
    match ctx.client.get(r, ns, name) {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.code == 404 => Ok(None),
        Err(e) => Err(e),
    }
}

/// The hostnames a volume's required node affinity names (`kubernetes.io/hostname In`).
fn pinned_nodes(pv: &Value) -> Option<Vec<String>> {
    let terms = pv
        .pointer("/spec/nodeAffinity/required/nodeSelectorTerms")?
        .as_array()?;
    let mut nodes = Vec::new();
    for term in terms {
        for e in term
            .get("matchExpressions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if text(e, "/key") == "kubernetes.io/hostname" && text(e, "/operator") == "In" {
                nodes.extend(
                    e.get("values")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(str::to_string),
                );
            }
        }
    }
    Some(nodes)
}

/// Reads the pod's claims, their volumes and classes.
pub fn check(ctx: &Context, namespace: &str, names: &[String]) -> Result<Claims, ApiError> {
    let mut nodes: Option<Vec<String>> = None;
    let mut delayed = Vec::new();
    let mut provisioning = false;
    for name in names {
        let Some(pvc) = get(ctx, "persistentvolumeclaims", Some(namespace), name)? else {
            return Ok(Claims::Refused(format!(
                "persistentvolumeclaim \"{name}\" not found"
            )));
        };
        if pvc.pointer("/metadata/deletionTimestamp").is_some() {
            return Ok(Claims::Refused(format!(
                "persistentvolumeclaim \"{name}\" is being deleted"
            )));
        }
        let volume = text(&pvc, "/spec/volumeName");
        if !volume.is_empty() {
            match get(ctx, "persistentvolumes", None, volume)? {
                Some(pv) => {
                    if let Some(pinned) = pinned_nodes(&pv) {
                        nodes = Some(match nodes {
                            None => pinned,
                            Some(n) => n.into_iter().filter(|x| pinned.contains(x)).collect(),
                        });
                    }
                }
                None => {
                    return Ok(Claims::Refused(
                        "pod has unbound immediate PersistentVolumeClaims".to_string(),
                    ));
                }
            }
            continue;
        }
        let class = pvc
            .pointer("/metadata/annotations/volume.beta.kubernetes.io~1storage-class")
            .or_else(|| pvc.pointer("/spec/storageClassName"))
            .and_then(Value::as_str)
            .unwrap_or("");
        let wait = !class.is_empty()
            && get(ctx, "storageclasses", None, class)?
                .is_some_and(|sc| text(&sc, "/volumeBindingMode") == "WaitForFirstConsumer");
        if !wait {
            return Ok(Claims::Refused(
                "pod has unbound immediate PersistentVolumeClaims".to_string(),
            ));
        }
        if pvc
            .pointer("/metadata/annotations")
            .and_then(|a| a.get(SELECTED_NODE))
            .is_some()
        {
            provisioning = true;
        }
        delayed.push(pvc);
    }
    Ok(Claims::Ready {
        nodes,
        delayed,
        provisioning,
    })
}

/// Writes the chosen node on each delayed claim, for the provisioner.
pub fn select_node(ctx: &Context, delayed: &[Value], node: &str) -> Result<(), ApiError> {
    let r = ctx.resource("persistentvolumeclaims")?;
    for pvc in delayed {
        let patch = json!({"metadata": {"annotations": {SELECTED_NODE: node}}});
        match ctx.client.patch(
            r,
            Some(text(pvc, "/metadata/namespace")),
            text(pvc, "/metadata/name"),
            PatchType::Merge,
            &patch,
            &WriteOptions::default(),
        ) {
            Ok(_) => {}
            Err(e) if e.code == 404 => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
