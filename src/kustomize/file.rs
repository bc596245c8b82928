//! The kustomization file: found by its three names, parsed, checked field by field.
//! Fields kustomize knows but kubelite does not build are refused by name; fields nobody
//! knows are kustomize's `unknown field` error.

use super::{Ctx, Error};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// The names kustomize looks for, in its order.
pub const NAMES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Fields kustomize v5.5.0 accepts that kubelite refuses.
const REFUSED: &[&str] = &[
    "helmCharts",
    "helmGlobals",
    "helmChartInflationGenerator",
    "transformers",
    "generators",
    "validators",
    "openapi",
    "crds",
    "configurations",
];

/// Fields kubelite builds.
const BUILT: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "resources",
    "bases",
    "components",
    "replacements",
    "vars",
    "namespace",
    "namePrefix",
    "nameSuffix",
    "commonLabels",
    "labels",
    "commonAnnotations",
    "images",
    "replicas",
    "patches",
    "patchesStrategicMerge",
    "patchesJson6902",
    "configMapGenerator",
    "secretGenerator",
    "generatorOptions",
    "imageTags",
    "sortOptions",
    "buildMetadata",
];

/// Deprecated fields and kustomize's advice, in the order kustomize warns about them.
const DEPRECATED: &[(&str, &str)] = &[
    (
        "bases",
        "'bases' is deprecated. Please use 'resources' instead.",
    ),
    (
        "commonLabels",
        "'commonLabels' is deprecated. Please use 'labels' instead.",
    ),
    (
        "imageTags",
        "'imageTags' is deprecated. Please use 'images' instead.",
    ),
    (
        "patchesJson6902",
        "'patchesJson6902' is deprecated. Please use 'patches' instead.",
    ),
    (
        "patchesStrategicMerge",
        "'patchesStrategicMerge' is deprecated. Please use 'patches' instead.",
    ),
    (
        "vars",
        "'vars' is deprecated. Please use 'replacements' instead. [EXPERIMENTAL]",
    ),
];

/// The kustomization file of `dir`, if it has one.
pub fn find(dir: &Path) -> Option<PathBuf> {
    NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file())
}

/// A parsed kustomization: its fields as an object.
pub struct Kustomization {
    pub fields: Map<String, Value>,
    /// The kustomization file.
    pub path: PathBuf,
    /// Files must be in or below the kustomization's directory.
    pub restrict: bool,
}

impl Kustomization {
    /// Reads the kustomization of `dir`; deprecation warnings are added to the context's.
    pub fn read(dir: &Path, ctx: &mut Ctx) -> Result<Kustomization, Error> {
        let Some(path) = find(dir) else {
            return Err(Error::Kustomize(format!(
                "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '{}'",
                dir.display()
            )));
        };
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Error::Kustomize(format!("{}: {e}", path.display())))?;
        let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let value = super::load::parse_kustomization(&text)
            .map_err(|e| Error::Kustomize(format!("invalid Kustomization: {e}")))?;
        let mut fields = match value {
            Some(Value::Object(m)) if !m.is_empty() => m,
            _ => return Err(Error::Kustomize(format!("{file_name} is empty"))),
        };
        let known: Vec<&str> = BUILT.iter().chain(REFUSED).copied().collect();
        canonical_keys(&mut fields, &known)?;
        check_entries(&mut fields)?;
        if let Some(kind) = fields.get("kind").and_then(Value::as_str)
            && !matches!(kind, "Kustomization" | "Component")
        {
            return Err(Error::Kustomize(format!("{file_name} is empty")));
        }
        let k = Kustomization {
            fields,
            path,
            restrict: ctx.restrict,
        };
        // Go decodes the whole file before kustomize warns about anything in it.
        k.check_types()?;
        let Kustomization { fields, path, .. } = k;
        for (field, advice) in DEPRECATED {
            if fields.contains_key(*field) {
                ctx.warnings.push(format!(
                    "# Warning: {advice} Run 'kustomize edit fix' to update your Kustomization automatically."
                ));
            }
        }
        for key in fields.keys() {
            let empty = match &fields[key] {
                Value::Null => true,
                Value::Array(a) => a.is_empty(),
                Value::Object(m) => m.is_empty(),
                _ => false,
            };
            if REFUSED.contains(&key.as_str()) && !empty {
                return Err(refused(&format!("the kustomization field '{key}'")));
            }
        }
        Ok(Kustomization {
            fields,
            path,
            restrict: ctx.restrict,
        })
    }

    /// The types of the plain fields, checked up front as Go's decoder checks them.
    fn check_types(&self) -> Result<(), Error> {
        for f in ["namespace", "namePrefix", "nameSuffix"] {
            self.string(f)?;
        }
        for f in [
            "resources",
            "bases",
            "components",
            "patchesStrategicMerge",
            "buildMetadata",
        ] {
            self.strings(f)?;
        }
        for f in ["commonLabels", "commonAnnotations"] {
            self.string_map(f)?;
        }
        for set in self.objects("labels")? {
            string_map(set.get("pairs"), "Label.labels.pairs")?;
        }
        Ok(())
    }

    /// `Kustomization` or `Component`.
    pub fn kind(&self) -> &str {
        self.fields
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("Kustomization")
    }

    /// A list of strings (`resources`, `patchesStrategicMerge`), checked as kustomize's
    /// Go struct would check it.
    pub fn strings(&self, field: &str) -> Result<Vec<String>, Error> {
        match self.fields.get(field) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| match i {
                    Value::String(s) => Ok(s.clone()),
                    other => Err(type_error(field, "[]string", other)),
                })
                .collect(),
            Some(other) => Err(type_error(field, "[]string", other)),
        }
    }

    /// A string field ("" when absent).
    pub fn string(&self, field: &str) -> Result<String, Error> {
        match self.fields.get(field) {
            None | Some(Value::Null) => Ok(String::new()),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(other) => Err(type_error(field, "string", other)),
        }
    }

    /// A map of strings (`commonLabels`, `commonAnnotations`).
    pub fn string_map(&self, field: &str) -> Result<Map<String, Value>, Error> {
        string_map(self.fields.get(field), field)
    }

    /// A list of objects (`images`, `patches`, generators).
    pub fn objects(&self, field: &str) -> Result<Vec<Map<String, Value>>, Error> {
        match self.fields.get(field) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| match i {
                    Value::Object(m) => Ok(m.clone()),
                    other => Err(type_error(field, "object", other)),
                })
                .collect(),
            Some(other) => Err(type_error(field, "[]object", other)),
        }
    }
}

/// The fields the entries of a kustomization's lists may have: Go's decoder refuses
/// others with the same `unknown field` error as at the top.
const ENTRY_FIELDS: &[(&str, &[&str])] = &[
    (
        "images",
        &["name", "newName", "newTag", "digest", "tagSuffix"],
    ),
    (
        "imageTags",
        &["name", "newName", "newTag", "digest", "tagSuffix"],
    ),
    ("replicas", &["name", "count"]),
    ("patches", &["path", "patch", "target", "options"]),
    ("patchesJson6902", &["path", "patch", "target"]),
    (
        "labels",
        &["pairs", "includeSelectors", "includeTemplates", "fields"],
    ),
    (
        "configMapGenerator",
        &[
            "name",
            "namespace",
            "behavior",
            "literals",
            "files",
            "envs",
            "env",
            "options",
        ],
    ),
    (
        "secretGenerator",
        &[
            "name",
            "namespace",
            "behavior",
            "literals",
            "files",
            "envs",
            "env",
            "options",
            "type",
        ],
    ),
    ("replacements", &["path", "source", "targets"]),
];

fn check_entries(fields: &mut Map<String, Value>) -> Result<(), Error> {
    for (field, allowed) in ENTRY_FIELDS {
        let entries = fields.get_mut(*field).and_then(Value::as_array_mut);
        for entry in entries.into_iter().flatten() {
            if let Some(m) = entry.as_object_mut() {
                canonical_keys(m, allowed)?;
            }
        }
    }
    Ok(())
}

/// Go's decoder matches field names without regard to case: keys are given their canonical
/// spelling, and one that names no field is its `unknown field` error.
fn canonical_keys(m: &mut Map<String, Value>, allowed: &[&str]) -> Result<(), Error> {
    let keys: Vec<String> = m.keys().cloned().collect();
    for key in keys {
        let Some(canonical) = allowed.iter().find(|a| a.eq_ignore_ascii_case(&key)) else {
            return Err(Error::Kustomize(format!(
                "invalid Kustomization: json: unknown field \"{key}\""
            )));
        };
        if *canonical != key
            && let Some(v) = m.shift_remove(&key)
        {
            m.insert((*canonical).to_string(), v);
        }
    }
    Ok(())
}

/// A map whose values must be strings.
pub fn string_map(value: Option<&Value>, field: &str) -> Result<Map<String, Value>, Error> {
    match value {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(m)) => {
            for v in m.values() {
                if !v.is_string() {
                    return Err(type_error(field, "string", v));
                }
            }
            Ok(m.clone())
        }
        Some(other) => Err(type_error(field, "map[string]string", other)),
    }
}

/// encoding/json's message for a value of the wrong type.
fn type_error(field: &str, want: &str, got: &Value) -> Error {
    let got = match got {
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Null => "null",
    };
    // A bare field is the Kustomization's; a nested one comes with its Go struct's path.
    let path = if field.contains('.') {
        field.to_string()
    } else {
        format!("Kustomization.{field}")
    };
    Error::Kustomize(format!(
        "invalid Kustomization: json: cannot unmarshal {got} into Go struct field {path} of type {want}"
    ))
}

/// kubelite's refusal of something kustomize builds and kubelite does not.
pub fn refused(what: &str) -> Error {
    Error::Refused(format!(
        "kubelite does not support {what} in kustomize builds"
    ))
}
