//! Field specs: the places in an object a transformer touches, as kustomize's built-in
//! configuration lists them. A path's lists are walked element by element.

use serde_json::{Map, Value};

/// A place: which kinds (empty for every kind), the path, and whether missing maps on the
/// way are created.
pub struct Spec {
    pub kinds: &'static [&'static str],
    pub path: &'static str,
    pub create: bool,
}

const fn spec(kinds: &'static [&'static str], path: &'static str, create: bool) -> Spec {
    Spec {
        kinds,
        path,
        create,
    }
}

const WORKLOADS: &[&str] = &[
    "Deployment",
    "ReplicaSet",
    "DaemonSet",
    "StatefulSet",
    "Job",
    "ReplicationController",
];

/// Where commonLabels (and labels with includeSelectors) go besides metadata.labels.
pub const SELECTORS: &[Spec] = &[
    spec(&["Service", "ReplicationController"], "spec/selector", true),
    spec(
        &["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet"],
        "spec/selector/matchLabels",
        true,
    ),
    spec(
        &["Deployment", "StatefulSet"],
        "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
        false,
    ),
    spec(
        &["Deployment", "StatefulSet"],
        "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
        false,
    ),
    spec(
        &["Deployment", "StatefulSet"],
        "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
        false,
    ),
    spec(
        &["Deployment", "StatefulSet"],
        "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
        false,
    ),
    spec(
        &["Deployment", "StatefulSet"],
        "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels",
        false,
    ),
    spec(&["Job"], "spec/selector/matchLabels", false),
    spec(
        &["CronJob"],
        "spec/jobTemplate/spec/selector/matchLabels",
        false,
    ),
    spec(&["PodDisruptionBudget"], "spec/selector/matchLabels", false),
    spec(&["NetworkPolicy"], "spec/podSelector/matchLabels", false),
    spec(
        &["NetworkPolicy"],
        "spec/ingress/from/podSelector/matchLabels",
        false,
    ),
    spec(
        &["NetworkPolicy"],
        "spec/egress/to/podSelector/matchLabels",
        false,
    ),
];

/// Pod templates' labels (commonLabels, and labels with includeTemplates).
pub const LABEL_TEMPLATES: &[Spec] = &[
    spec(WORKLOADS, "spec/template/metadata/labels", true),
    spec(
        &["StatefulSet"],
        "spec/volumeClaimTemplates/metadata/labels",
        true,
    ),
    spec(&["CronJob"], "spec/jobTemplate/metadata/labels", true),
    spec(
        &["CronJob"],
        "spec/jobTemplate/spec/template/metadata/labels",
        true,
    ),
];

/// Pod templates' annotations (commonAnnotations).
pub const ANNOTATION_TEMPLATES: &[Spec] = &[
    spec(WORKLOADS, "spec/template/metadata/annotations", true),
    spec(&["CronJob"], "spec/jobTemplate/metadata/annotations", true),
    spec(
        &["CronJob"],
        "spec/jobTemplate/spec/template/metadata/annotations",
        true,
    ),
];

/// Where container images are.
pub const IMAGES: &[Spec] = &[
    spec(&[], "spec/containers/image", false),
    spec(&[], "spec/initContainers/image", false),
    spec(&[], "spec/template/spec/containers/image", false),
    spec(&[], "spec/template/spec/initContainers/image", false),
    spec(
        &[],
        "spec/jobTemplate/spec/template/spec/containers/image",
        false,
    ),
    spec(
        &[],
        "spec/jobTemplate/spec/template/spec/initContainers/image",
        false,
    ),
];

/// Where the replica count is.
pub const REPLICAS: &[Spec] = &[spec(
    &[
        "Deployment",
        "ReplicaSet",
        "ReplicationController",
        "StatefulSet",
    ],
    "spec/replicas",
    true,
)];

impl Spec {
    pub fn applies_to(&self, kind: &str) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&kind)
    }
}

/// Calls `f` on every value at `path` in `object`; with `create`, missing maps on the way
/// (and the last field, as null) are made.
pub fn visit(object: &mut Value, path: &str, create: bool, f: &mut dyn FnMut(&mut Value)) {
    let segments: Vec<&str> = path.split('/').collect();
    walk(object, &segments, create, f);
}

fn walk(v: &mut Value, path: &[&str], create: bool, f: &mut dyn FnMut(&mut Value)) {
    let Some((first, rest)) = path.split_first() else {
        f(v);
        return;
    };
    match v {
        Value::Array(items) => {
            for item in items {
                walk(item, path, create, f);
            }
        }
        Value::Object(m) => {
            if !m.contains_key(*first) {
                if !create {
                    return;
                }
                let fresh = if rest.is_empty() {
                    Value::Null
                } else {
                    Value::Object(Map::new())
                };
                m.insert((*first).to_string(), fresh);
            }
            if let Some(next) = m.get_mut(*first) {
                if next.is_null() && !rest.is_empty() {
                    if !create {
                        return;
                    }
                    *next = Value::Object(Map::new());
                }
                walk(next, rest, create, f);
            }
        }
        _ => {}
    }
}

/// Adds `pairs` to the map at `v` (made a map if it is null).
pub fn add_pairs(v: &mut Value, pairs: &Map<String, Value>) {
    if v.is_null() {
        *v = Value::Object(Map::new());
    }
    if let Value::Object(m) = v {
        for (k, val) in pairs {
            m.insert(k.clone(), val.clone());
        }
    }
}
