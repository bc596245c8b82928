//! Patches: strategic merge patches (kustomize's flavour, in merge.rs) and
//! JSON 6902 patches, each applied to the objects its target selects, or, for a strategic
//! merge patch without a target, to the object its own kind and name name.

use super::file::{Kustomization, refused};
use super::load::{self, group, id_text, version};
use super::pattern::Pattern;
use super::{Error, Res};
use crate::api::selector::LabelSelector;
use serde_json::{Map, Value};
use std::path::Path;

/// `patchesStrategicMerge`: files (or inline documents) of patches found by their own ids.
pub fn strategic_merge_field(
    k: &Kustomization,
    dir: &Path,
    all: &mut Vec<Res>,
) -> Result<(), Error> {
    for entry in k.strings("patchesStrategicMerge")? {
        let text = file_or_inline(dir, &entry, k.restrict)?;
        for doc in documents(&text)? {
            by_own_id(&doc, all, Allow::default())?;
        }
    }
    Ok(())
}

/// `patches`: a strategic merge or JSON 6902 patch (told apart by its shape), with or
/// without a target selector.
pub fn patches_field(k: &Kustomization, dir: &Path, all: &mut Vec<Res>) -> Result<(), Error> {
    for entry in k.objects("patches")? {
        let option = |o: &str| {
            entry
                .get("options")
                .and_then(|opts| opts.get(o))
                .and_then(Value::as_bool)
                .unwrap_or(false)
        };
        let allow = Allow {
            name: option("allowNameChange"),
            kind: option("allowKindChange"),
        };
        let text = patch_text(dir, &entry, k.restrict)?;
        let target = entry.get("target");
        let docs = documents(&text)?;
        if let [Value::Array(_)] = docs.as_slice() {
            let Some(target) = target else {
                let (field, given) = match entry.get("path").and_then(Value::as_str) {
                    Some(path) => ("path", path),
                    None => ("patch", text.as_str()),
                };
                return Err(Error::Kustomize(format!(
                    "must specify a target for JSON patch [{field}: {}]",
                    crate::go::quote(given)
                )));
            };
            json6902(&docs[0], target, all)?;
            continue;
        }
        for doc in &docs {
            match target {
                Some(t) => {
                    let chosen = selected(t, all)?;
                    if is_delete(doc) {
                        remove(all, &chosen);
                        continue;
                    }
                    for r in chosen {
                        merge(&mut all[r], doc, allow)?;
                    }
                }
                None => by_own_id(doc, all, allow)?,
            }
        }
    }
    Ok(())
}

/// A patch's options: whether it may rename an object or change its kind.
#[derive(Clone, Copy, Default)]
struct Allow {
    name: bool,
    kind: bool,
}

/// `patchesJson6902`: JSON patches, each with its target.
pub fn json6902_field(k: &Kustomization, dir: &Path, all: &mut [Res]) -> Result<(), Error> {
    for entry in k.objects("patchesJson6902")? {
        let text = patch_text(dir, &entry, k.restrict)?;
        let ops = load::parse_yaml(&text)
            .map_err(Error::Kustomize)?
            .unwrap_or(Value::Array(Vec::new()));
        let target = entry.get("target").cloned().unwrap_or(Value::Null);
        json6902(&ops, &target, all)?;
    }
    Ok(())
}

fn json6902(ops: &Value, target: &Value, all: &mut [Res]) -> Result<(), Error> {
    let ops = ops.as_array().cloned().unwrap_or_default();
    for r in selected(target, all)? {
        for op in &ops {
            // kustomize applies JSON patches with the maps an `add` needs made on the way.
            if op["op"] == "add"
                && let Some(path) = op["path"].as_str()
            {
                ensure_parents(&mut all[r].value, path);
            }
            crate::apiserver::patch::json_patch(&mut all[r].value, &Value::Array(vec![op.clone()]))
                .map_err(|e| Error::Kustomize(format!("unable to apply patch: {}", e.message)))?;
        }
        all[r].remember();
    }
    Ok(())
}

/// Makes the missing maps above a JSON pointer's last segment.
fn ensure_parents(value: &mut Value, pointer: &str) {
    let segments: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut here = value;
    for seg in segments.iter().take(segments.len().saturating_sub(1)) {
        here = match here {
            Value::Object(m) => m
                .entry(seg.clone())
                .or_insert_with(|| Value::Object(Map::new())),
            Value::Array(items) => match seg.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                Some(item) => item,
                None => return,
            },
            _ => return,
        };
    }
}

/// A patch entry's text: its `path` file or its inline `patch`.
fn patch_text(dir: &Path, entry: &Map<String, Value>, restrict: bool) -> Result<String, Error> {
    match (entry.get("path"), entry.get("patch")) {
        (Some(Value::String(path)), None) => read(dir, path, restrict),
        (None, Some(Value::String(text))) => Ok(text.clone()),
        (Some(_), Some(_)) => Err(Error::Kustomize(
            "patch and path can't be set at the same time".into(),
        )),
        _ => Err(Error::Kustomize(
            "must specify one of patch and path in patch".into(),
        )),
    }
}

fn read(dir: &Path, path: &str, restrict: bool) -> Result<String, Error> {
    let bytes = load::read_relative(dir, path, restrict)?;
    String::from_utf8(bytes).map_err(|_| Error::Kustomize(format!("{path}: not UTF-8 text")))
}

/// A patchesStrategicMerge entry is a file when one exists by that name, else inline YAML.
fn file_or_inline(dir: &Path, entry: &str, restrict: bool) -> Result<String, Error> {
    if !entry.contains('\n') && (dir.join(entry).is_file() || !entry.contains(':')) {
        return read(dir, entry, restrict);
    }
    Ok(entry.to_string())
}

fn documents(text: &str) -> Result<Vec<Value>, Error> {
    let mut out = Vec::new();
    for doc in load::split(text) {
        if let Some(v) = load::parse_yaml(doc).map_err(Error::Kustomize)? {
            out.push(v);
        }
    }
    Ok(out)
}

/// A strategic merge patch applied to the one object its apiVersion, kind and name name.
fn by_own_id(patch: &Value, all: &mut Vec<Res>, allow: Allow) -> Result<(), Error> {
    let kind = patch["kind"].as_str().unwrap_or("");
    let name = patch["metadata"]["name"].as_str().unwrap_or("");
    let ns = patch["metadata"]["namespace"].as_str();
    let av = patch["apiVersion"].as_str().unwrap_or("");
    let found: Vec<usize> = all
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            r.kind() == kind
                && group(r.api_version()) == group(av)
                && r.was_named(name)
                && ns.is_none_or(|ns| r.history.iter().any(|(n, _)| n == ns))
        })
        .map(|(i, _)| i)
        .collect();
    match found.as_slice() {
        [_] if is_delete(patch) => {
            remove(all, &found);
            Ok(())
        }
        [one] => merge(&mut all[*one], patch, allow),
        _ => {
            let id = id_text(&Res::new(patch.clone()));
            let why = if found.is_empty() {
                format!("no matches for Id {id}")
            } else {
                format!("multiple matches for Id {id}")
            };
            Err(Error::Kustomize(format!(
                "no resource matches strategic merge patch \"{id}\": {why}; failed to find unique target for patch {id}"
            )))
        }
    }
}

/// A patch that removes whole objects (`$patch: delete` at its top).
fn is_delete(patch: &Value) -> bool {
    patch.get("$patch").and_then(Value::as_str) == Some("delete")
}

fn remove(all: &mut Vec<Res>, chosen: &[usize]) {
    let mut i = 0;
    all.retain(|_| {
        i += 1;
        !chosen.contains(&(i - 1))
    });
}

/// Merges a strategic merge patch into one object; the patch's own id fields are not
/// merged (a targeted patch may name another object) unless its options allow it.
fn merge(r: &mut Res, patch: &Value, allow: Allow) -> Result<(), Error> {
    let mut patch = patch.clone();
    if let Some(p) = patch.as_object_mut() {
        if !allow.kind {
            p.remove("apiVersion");
            p.remove("kind");
        }
        if let Some(Value::Object(meta)) = p.get_mut("metadata") {
            if !allow.name {
                meta.remove("name");
            }
            meta.remove("namespace");
        }
    }
    super::merge::merge(&mut r.value, &patch)?;
    r.remember();
    Ok(())
}

/// The objects a patch target selects (group, version, kind, name, namespace,
/// labelSelector, annotationSelector).
fn selected(target: &Value, all: &[Res]) -> Result<Vec<usize>, Error> {
    let field = |f: &str| {
        target
            .get(f)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    // Each given id field is a regular expression matched against the whole value.
    let pattern = |f: &str| -> Result<Option<Pattern>, Error> {
        field(f)
            .map(|text| {
                Pattern::new(text).ok_or_else(|| {
                    refused(&format!("the patch target {f} '{text}' (a regular expression kubelite does not read)"))
                })
            })
            .transpose()
    };
    let (group_p, version_p, kind_p) = (pattern("group")?, pattern("version")?, pattern("kind")?);
    let (name_p, namespace_p) = (pattern("name")?, pattern("namespace")?);
    let selector = |f: &str| -> Result<Option<LabelSelector>, Error> {
        field(f)
            .map(|s| LabelSelector::parse(s).map_err(Error::Kustomize))
            .transpose()
    };
    let labels = selector("labelSelector")?;
    let annotations = selector("annotationSelector")?;
    let meta = |r: &Res, f: &str| r.value["metadata"][f].as_object().cloned();
    Ok(all
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            group_p
                .as_ref()
                .is_none_or(|p| p.matches(group(r.api_version())))
                && version_p
                    .as_ref()
                    .is_none_or(|p| p.matches(version(r.api_version())))
                && kind_p.as_ref().is_none_or(|p| p.matches(r.kind()))
                && name_p
                    .as_ref()
                    .is_none_or(|p| r.history.iter().any(|(_, n)| p.matches(n)))
                && namespace_p
                    .as_ref()
                    .is_none_or(|p| p.matches(r.namespace()))
                && labels
                    .as_ref()
                    .is_none_or(|s| s.matches(meta(r, "labels").as_ref()))
                && annotations
                    .as_ref()
                    .is_none_or(|s| s.matches(meta(r, "annotations").as_ref()))
        })
        .map(|(i, _)| i)
        .collect())
}
