//! configMapGenerator and secretGenerator: ConfigMaps and Secrets made from literals, files
//! and env files. Unless told otherwise their names get a content hash at the end of the build.

use super::file::{Kustomization, string_map};
use super::{Error, Res, load};
use base64::Engine;
use serde_json::{Map, Value, json};
use std::path::Path;

/// Runs one kustomization's generators: new objects are added to `out`; `behavior: merge`
/// and `replace` change one already there (from a base).
pub fn run(k: &Kustomization, dir: &Path, out: &mut Vec<Res>) -> Result<(), Error> {
    let global = k
        .fields
        .get("generatorOptions")
        .cloned()
        .unwrap_or(json!({}));
    for (field, kind) in [
        ("configMapGenerator", "ConfigMap"),
        ("secretGenerator", "Secret"),
    ] {
        for args in k.objects(field)? {
            let generator = if kind == "Secret" {
                "SecretGenerator"
            } else {
                "ConfigMapGenerator"
            };
            let made = generate(kind, &args, &global, dir, k.restrict, (&k.path, generator))?;
            let behavior = args.get("behavior").and_then(Value::as_str).unwrap_or("");
            let existing = out.iter().position(|r| {
                r.kind() == kind
                    && r.was_named(made.name())
                    && (made.namespace().is_empty()
                        || r.history.iter().any(|(ns, _)| ns == made.namespace()))
            });
            let id = load::id_text(&made);
            match (behavior, existing) {
                ("" | "create", None) => out.push(made),
                ("" | "create", Some(_)) => {
                    return Err(Error::Kustomize(format!(
                        "merging from generator: id {id} exists; behavior must be merge or replace"
                    )));
                }
                ("merge" | "replace", Some(i)) => {
                    let disable = args
                        .get("options")
                        .and_then(|o| o.get("disableNameSuffixHash"))
                        .or(global.get("disableNameSuffixHash"))
                        .and_then(Value::as_bool);
                    absorb(&mut out[i], made, behavior == "replace", disable);
                }
                ("merge" | "replace", None) => {
                    return Err(Error::Kustomize(format!(
                        "merging from generator: id {id} does not exist; cannot merge or replace"
                    )));
                }
                (other, _) => {
                    return Err(Error::Kustomize(format!(
                        "unknown generation behavior '{other}'"
                    )));
                }
            }
        }
    }
    Ok(())
}

/// `behavior: merge` (data added to the old object's) or `replace` (data instead of it);
/// labels and annotations merge either way, the old name stays.
fn absorb(old: &mut Res, new: Res, replace: bool, disable_hash: Option<bool>) {
    for field in ["data", "binaryData"] {
        let mut merged = if replace {
            Map::new()
        } else {
            old.value[field].as_object().cloned().unwrap_or_default()
        };
        if let Some(m) = new.value[field].as_object() {
            merged.extend(m.clone());
        }
        if let Some(o) = old.value.as_object_mut() {
            if merged.is_empty() {
                o.remove(field);
            } else {
                o.insert(field.into(), Value::Object(merged));
            }
        }
    }
    for field in ["labels", "annotations"] {
        if let Some(m) = new.value["metadata"][field].as_object() {
            let slot = &mut old.value["metadata"][field];
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            if let Some(o) = slot.as_object_mut() {
                o.extend(m.clone());
            }
        }
    }
    if let Some(d) = disable_hash {
        old.needs_hash = !d;
    }
}

fn generate(
    kind: &str,
    args: &Map<String, Value>,
    global: &Value,
    dir: &Path,
    restrict: bool,
    (origin, generator): (&Path, &'static str),
) -> Result<Res, Error> {
    let name = args.get("name").and_then(Value::as_str).unwrap_or("");
    let mut data: Map<String, Value> = Map::new();
    let mut binary: Map<String, Value> = Map::new();
    let list = |f: &str| -> Vec<String> {
        args.get(f)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut pairs: Vec<(String, Vec<u8>)> = Vec::new();
    let mut envs = list("envs");
    if let Some(env) = args.get("env").and_then(Value::as_str) {
        envs.push(env.to_string());
    }
    // kustomize names the whole list of a kind of source in its errors, as Go prints a slice.
    let sources = |kind: &'static str, items: &[String]| {
        let items = items.join(" ");
        move |e: Error| {
            Error::Kustomize(format!("loading KV pairs: {kind}: [{items}]: {}", e.text()))
        }
    };
    for file in &envs {
        let text =
            load::read_relative(dir, file, restrict).map_err(sources("env source files", &envs))?;
        pairs.extend(env_pairs(&String::from_utf8_lossy(&text)));
    }
    let literals = list("literals");
    for literal in &literals {
        let Some((key, value)) = literal.split_once('=') else {
            return Err(Error::Kustomize(format!(
                "loading KV pairs: literal sources [{}]: invalid literal source {literal}, expected key=value",
                literals.join(" ")
            )));
        };
        pairs.push((key.to_string(), unquote(value).as_bytes().to_vec()));
    }
    let files = list("files");
    for file in &files {
        let (key, path) = match file.split_once('=') {
            Some((k, p)) => (k.to_string(), p.to_string()),
            None => (
                Path::new(file)
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or(file)
                    .to_string(),
                file.clone(),
            ),
        };
        let bytes =
            load::read_relative(dir, &path, restrict).map_err(sources("file sources", &files))?;
        pairs.push((key, bytes));
    }
    for (key, bytes) in pairs {
        if data.contains_key(&key) || binary.contains_key(&key) {
            return Err(Error::Kustomize(format!(
                "configmap {name} illegally repeats the key `{key}`"
            )));
        }
        if kind == "Secret" {
            data.insert(
                key,
                json!(base64::engine::general_purpose::STANDARD.encode(&bytes)),
            );
        } else {
            match String::from_utf8(bytes) {
                Ok(text) => {
                    data.insert(key, json!(text));
                }
                Err(e) => {
                    let b64 = base64::engine::general_purpose::STANDARD.encode(e.as_bytes());
                    binary.insert(key, json!(b64));
                }
            }
        }
    }
    let mut metadata = Map::new();
    metadata.insert("name".into(), json!(name));
    if let Some(ns) = args.get("namespace").and_then(Value::as_str)
        && !ns.is_empty()
    {
        metadata.insert("namespace".into(), json!(ns));
    }
    let options = args.get("options").cloned().unwrap_or(json!({}));
    for field in ["labels", "annotations"] {
        let mut merged = string_map(global.get(field), field)?;
        merged.extend(string_map(options.get(field), field)?);
        if !merged.is_empty() {
            metadata.insert(field.into(), Value::Object(merged));
        }
    }
    let mut object = Map::new();
    object.insert("apiVersion".into(), json!("v1"));
    object.insert("kind".into(), json!(kind));
    object.insert("metadata".into(), Value::Object(metadata));
    if !data.is_empty() {
        object.insert("data".into(), Value::Object(data));
    }
    if !binary.is_empty() {
        object.insert("binaryData".into(), Value::Object(binary));
    }
    if kind == "Secret" {
        let t = args.get("type").and_then(Value::as_str).unwrap_or("Opaque");
        object.insert("type".into(), json!(t));
    }
    let flag = |o: &Value, f: &str| o.get(f).and_then(Value::as_bool);
    let immutable = flag(&options, "immutable").or(flag(global, "immutable"));
    if immutable == Some(true) {
        object.insert("immutable".into(), json!(true));
    }
    let no_hash = flag(&options, "disableNameSuffixHash")
        .or(flag(global, "disableNameSuffixHash"))
        .unwrap_or(false);
    let mut res = Res::new(Value::Object(object));
    res.needs_hash = !no_hash;
    res.origin = Some((origin.to_path_buf(), Some(generator)));
    Ok(res)
}

/// A literal's value without one pair of surrounding quotes.
fn unquote(value: &str) -> &str {
    for q in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(q) && value.ends_with(q) {
            return &value[1..value.len() - 1];
        }
    }
    value
}

/// The `KEY=VALUE` lines of an env file (blank lines and `#` comments skipped).
fn env_pairs(text: &str) -> Vec<(String, Vec<u8>)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = match line.split_once('=') {
            Some((k, v)) => (k, v.to_string()),
            None => (line, std::env::var(line).unwrap_or_default()),
        };
        if !key.is_empty() {
            out.push((key.to_string(), value.into_bytes()));
        }
    }
    out
}
