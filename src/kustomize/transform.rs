//! A kustomization's transformers, run on what its directory gathered, in kustomize's
//! order: strategic merge patches, patches, namespace, name prefix and suffix, labels,
//! annotations, JSON 6902 patches, replica counts, images.

use super::fields::{self, ANNOTATION_TEMPLATES, IMAGES, LABEL_TEMPLATES, REPLICAS, SELECTORS};
use super::file::{Kustomization, string_map};
use super::{Error, Res, patch};
use serde_json::{Map, Value, json};
use std::path::Path;

pub fn run(k: &Kustomization, dir: &Path, all: &mut Vec<Res>) -> Result<(), Error> {
    patch::strategic_merge_field(k, dir, all)?;
    patch::patches_field(k, dir, all)?;
    let namespace = k.string("namespace")?;
    if !namespace.is_empty() {
        set_namespace(all, &namespace);
    }
    let prefix = k.string("namePrefix")?;
    let suffix = k.string("nameSuffix")?;
    if !prefix.is_empty() || !suffix.is_empty() {
        for r in all.iter_mut() {
            // kustomize leaves these kinds' names alone.
            let skipped = matches!(r.kind(), "Namespace" | "CustomResourceDefinition")
                || (r.kind() == "APIService"
                    && super::load::group(r.api_version()) == "apiregistration.k8s.io");
            if !skipped {
                let name = format!("{prefix}{}{suffix}", r.name());
                r.set_name(name);
            }
        }
    }
    labels(k, all)?;
    let annotations = k.string_map("commonAnnotations")?;
    if !annotations.is_empty() {
        for r in all.iter_mut() {
            add_to(r, "metadata/annotations", &annotations);
            for s in ANNOTATION_TEMPLATES {
                if s.applies_to(r.kind()) {
                    add_to(r, s.path, &annotations);
                }
            }
        }
    }
    patch::json6902_field(k, dir, all)?;
    replicas(k, all)?;
    images(k, all)?;
    super::replace::run(k, dir, all)?;
    Ok(())
}

fn add_to(r: &mut Res, path: &str, pairs: &Map<String, Value>) {
    fields::visit(&mut r.value, path, true, &mut |v| {
        fields::add_pairs(v, pairs);
    });
}

/// Namespaced objects move to `namespace`; role binding subjects named `default` follow; a Namespace object takes the namespace's name,
/// and the services of APIServices and CRD conversion webhooks move with the rest.
fn set_namespace(all: &mut [Res], namespace: &str) {
    for r in all.iter_mut() {
        let group = super::load::group(r.api_version()).to_string();
        let place = match (r.kind(), group.as_str()) {
            ("Namespace", _) if r.api_version() == "v1" => Some("metadata/name"),
            ("APIService", "apiregistration.k8s.io") => Some("spec/service/namespace"),
            ("CustomResourceDefinition", "apiextensions.k8s.io") => {
                Some("spec/conversion/webhook/clientConfig/service/namespace")
            }
            _ => None,
        };
        if let Some(path) = place {
            let create = r.kind() != "CustomResourceDefinition";
            fields::visit(&mut r.value, path, create, &mut |v| {
                *v = json!(namespace);
            });
            r.remember();
        }
        if namespaced(r) {
            if let Some(meta) = r.value.get_mut("metadata").and_then(Value::as_object_mut) {
                meta.insert("namespace".into(), json!(namespace));
            }
            r.remember();
        }
        if matches!(r.kind(), "RoleBinding" | "ClusterRoleBinding")
            && let Some(subjects) = r.value.get_mut("subjects").and_then(Value::as_array_mut)
        {
            for s in subjects {
                // kustomize's default: subjects named `default`, whatever their kind.
                if s["name"] == "default" {
                    s["namespace"] = json!(namespace);
                }
            }
        }
    }
}

/// Kinds (with their group) kustomize's built-in schema knows to be cluster-scoped.
const CLUSTER_SCOPED: &[(&str, &str)] = &[
    ("", "Namespace"),
    ("", "Node"),
    ("", "PersistentVolume"),
    ("", "ComponentStatus"),
    ("rbac.authorization.k8s.io", "ClusterRole"),
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
    ("apiextensions.k8s.io", "CustomResourceDefinition"),
    ("apiregistration.k8s.io", "APIService"),
    ("storage.k8s.io", "StorageClass"),
    ("storage.k8s.io", "CSIDriver"),
    ("storage.k8s.io", "CSINode"),
    ("storage.k8s.io", "VolumeAttachment"),
    ("scheduling.k8s.io", "PriorityClass"),
    ("node.k8s.io", "RuntimeClass"),
    ("networking.k8s.io", "IngressClass"),
    ("policy", "PodSecurityPolicy"),
    ("certificates.k8s.io", "CertificateSigningRequest"),
    (
        "admissionregistration.k8s.io",
        "MutatingWebhookConfiguration",
    ),
    (
        "admissionregistration.k8s.io",
        "ValidatingWebhookConfiguration",
    ),
    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"),
    (
        "admissionregistration.k8s.io",
        "ValidatingAdmissionPolicyBinding",
    ),
    ("flowcontrol.apiserver.k8s.io", "FlowSchema"),
    ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"),
];

/// Whether the kind is namespaced (kinds not known to be cluster-scoped are taken to be).
pub fn namespaced(r: &Res) -> bool {
    kind_is_namespaced(r.api_version(), r.kind())
}

pub fn kind_is_namespaced(api_version: &str, kind: &str) -> bool {
    let group = super::load::group(api_version);
    !CLUSTER_SCOPED.contains(&(group, kind))
}

/// One set of labels and where it goes besides metadata.labels.
struct LabelSet {
    pairs: Map<String, Value>,
    selectors: bool,
    templates: bool,
    extra: Vec<Value>,
}

/// commonLabels (metadata, selectors and templates) and `labels` (metadata, plus
/// selectors and templates when asked).
fn labels(k: &Kustomization, all: &mut [Res]) -> Result<(), Error> {
    let mut sets: Vec<LabelSet> = Vec::new();
    for set in k.objects("labels")? {
        let pairs = string_map(set.get("pairs"), "Label.labels.pairs")?;
        let flag = |f: &str| set.get(f).and_then(Value::as_bool).unwrap_or(false);
        let selectors = flag("includeSelectors");
        // More places for these labels: {path, kind, group, version, create}.
        let extra = set
            .get("fields")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        sets.push(LabelSet {
            pairs,
            selectors,
            templates: selectors || flag("includeTemplates"),
            extra,
        });
    }
    let common = k.string_map("commonLabels")?;
    if !common.is_empty() {
        sets.push(LabelSet {
            pairs: common,
            selectors: true,
            templates: true,
            extra: Vec::new(),
        });
    }
    for LabelSet {
        pairs,
        selectors,
        templates,
        extra,
    } in &sets
    {
        for r in all.iter_mut() {
            add_to(r, "metadata/labels", pairs);
            for spec in extra {
                let given = |f: &str| spec[f].as_str().filter(|s| !s.is_empty());
                let applies = given("kind").is_none_or(|k| k == r.kind())
                    && given("group").is_none_or(|g| g == super::load::group(r.api_version()))
                    && given("version").is_none_or(|v| v == super::load::version(r.api_version()));
                if let Some(path) = given("path")
                    && applies
                {
                    let create = spec["create"].as_bool().unwrap_or(false);
                    fields::visit(&mut r.value, path, create, &mut |v| {
                        fields::add_pairs(v, pairs);
                    });
                }
            }
            if *selectors {
                for s in SELECTORS {
                    if s.applies_to(r.kind()) {
                        fields::visit(&mut r.value, s.path, s.create, &mut |v| {
                            fields::add_pairs(v, pairs);
                        });
                    }
                }
            }
            if *templates {
                for s in LABEL_TEMPLATES {
                    if s.applies_to(r.kind()) {
                        add_to(r, s.path, pairs);
                    }
                }
            }
        }
    }
    Ok(())
}

fn replicas(k: &Kustomization, all: &mut [Res]) -> Result<(), Error> {
    for entry in k.objects("replicas")? {
        let name = entry.get("name").and_then(Value::as_str).unwrap_or("");
        let count = entry.get("count").cloned().unwrap_or(json!(0));
        for r in all.iter_mut().filter(|r| r.was_named(name)) {
            for s in REPLICAS {
                if s.applies_to(r.kind()) {
                    fields::visit(&mut r.value, s.path, s.create, &mut |v| *v = count.clone());
                }
            }
        }
    }
    Ok(())
}

fn images(k: &Kustomization, all: &mut [Res]) -> Result<(), Error> {
    let mut rules = k.objects("images")?;
    // The deprecated name of the same list.
    rules.extend(k.objects("imageTags")?);
    if rules.is_empty() {
        return Ok(());
    }
    for r in all.iter_mut() {
        for s in IMAGES {
            fields::visit(&mut r.value, s.path, false, &mut |v| {
                if let Value::String(image) = v
                    && let Some(rule) = rules.iter().find(|rule| {
                        rule.get("name").and_then(Value::as_str) == Some(split_image(image).0)
                    })
                {
                    *image = new_image(image, rule);
                }
            });
        }
    }
    Ok(())
}

/// An image's name, and its tag-or-digest suffix (with its `:` or `@`).
fn split_image(image: &str) -> (&str, &str) {
    let without_digest = image.find('@').map_or(image, |at| &image[..at]);
    let slash = without_digest.rfind('/').map_or(0, |i| i + 1);
    let end = without_digest[slash..]
        .find(':')
        .map_or(without_digest.len(), |colon| slash + colon);
    image.split_at(end)
}

fn new_image(image: &str, rule: &Map<String, Value>) -> String {
    let (name, rest) = split_image(image);
    let get = |f: &str| {
        rule.get(f).and_then(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    };
    let name = get("newName").unwrap_or_else(|| name.to_string());
    if let Some(digest) = get("digest") {
        format!("{name}@{digest}")
    } else if let Some(tag) = get("newTag") {
        format!("{name}:{tag}")
    } else {
        format!("{name}{rest}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_split_at_their_tag_or_digest() {
        assert_eq!(split_image("nginx"), ("nginx", ""));
        assert_eq!(split_image("nginx:1.25"), ("nginx", ":1.25"));
        assert_eq!(split_image("reg:5000/a/b"), ("reg:5000/a/b", ""));
        assert_eq!(split_image("reg:5000/a/b:v1"), ("reg:5000/a/b", ":v1"));
        assert_eq!(split_image("a/b:v1@sha256:00"), ("a/b", ":v1@sha256:00"));
        assert_eq!(split_image("a/b@sha256:00"), ("a/b", "@sha256:00"));
    }

    #[test]
    fn a_digest_wins_over_a_tag_and_a_tag_drops_the_digest() {
        let rule = |v: Value| v.as_object().cloned().unwrap();
        let both = rule(json!({"name": "a", "newTag": "2", "digest": "sha256:ff"}));
        assert_eq!(new_image("a:1", &both), "a@sha256:ff");
        let tag = rule(json!({"name": "a", "newTag": 3}));
        assert_eq!(new_image("a@sha256:00", &tag), "a:3");
        let rename = rule(json!({"name": "a", "newName": "b/c"}));
        assert_eq!(new_image("a:1", &rename), "b/c:1");
    }
}
