//! `buildMetadata` of the top kustomization: `originAnnotations` notes where each object
//! came from (its file, or the kustomization and generator that made it), relative to the
//! top directory; `managedByLabel` labels everything as kustomize's. The transformations
//! annotation is refused.

use super::file::{Kustomization, refused};
use super::{Error, Res};
use serde_json::{Map, Value};
use std::path::{Component, Path, PathBuf};

/// What kubectl 1.32's kustomize calls itself in the label.
const MANAGED_BY: &str = "kustomize-(devel)";

pub fn add(top: &Kustomization, root: &Path, all: &mut [Res]) -> Result<(), Error> {
    let wanted = top.strings("buildMetadata")?;
    // kustomize passes over names it does not know.
    if wanted.iter().any(|w| w == "transformerAnnotations") {
        return Err(refused("buildMetadata 'transformerAnnotations'"));
    }
    let origins = wanted.iter().any(|w| w == "originAnnotations");
    let managed = wanted.iter().any(|w| w == "managedByLabel");
    for r in all.iter_mut() {
        if origins && let Some((path, generator)) = &r.origin {
            let relative = relative(root, path);
            let text = match generator {
                None => format!("path: {relative}\n"),
                Some(g) => format!(
                    "configuredIn: {relative}\nconfiguredBy:\n  apiVersion: builtin\n  kind: {g}\n"
                ),
            };
            put(r, "annotations", "config.kubernetes.io/origin", text);
        }
        if managed {
            put(
                r,
                "labels",
                "app.kubernetes.io/managed-by",
                MANAGED_BY.to_string(),
            );
        }
    }
    Ok(())
}

fn put(r: &mut Res, map: &str, key: &str, value: String) {
    if let Some(meta) = r.value.get_mut("metadata").and_then(Value::as_object_mut) {
        let slot = meta
            .entry(map.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !slot.is_object() {
            *slot = Value::Object(Map::new());
        }
        if let Some(m) = slot.as_object_mut() {
            m.insert(key.to_string(), Value::String(value));
        }
    }
}

/// `path` relative to the directory `from` (both absolute), with `..` where needed.
fn relative(from: &Path, path: &Path) -> String {
    let a: Vec<Component> = from.components().collect();
    let b: Vec<Component> = path.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..a.len() {
        out.push("..");
    }
    for c in &b[common..] {
        out.push(c);
    }
    out.display().to_string()
}
