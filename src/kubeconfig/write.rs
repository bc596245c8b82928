//! Changing kubeconfig files the way kubectl does: the same file chosen for each change, the
//! whole document written back in kubectl's canonical form (lists ordered by name, YAML as
//! go-yaml writes it), atomically. Unlike kubectl, fields its types do not know are kept.

use super::files::{self, File, Mode};
use super::merge::{Entry, Merged};
use super::schema::{self, Unknown};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// `use-context NAME`: the current-context goes to the named file, else to kubectl's
/// default destination; clearing it clears it in the first file that sets one.
pub fn set_current_context(mode: &Mode, files: &[File], name: &str) -> Result<(), String> {
    let destination = if let Mode::Explicit(p) = mode {
        Some(p.clone())
    } else if !name.is_empty() {
        mode.default_destination()
    } else {
        files
            .iter()
            .find(|f| {
                f.raw["current-context"]
                    .as_str()
                    .is_some_and(|c| !c.is_empty())
            })
            .and_then(|f| f.path.clone())
    };
    let path = destination.ok_or("no config found to write context")?;
    let _lock = Lock::take(&path)?;
    let mut doc = read_for_write(&path)?;
    doc["current-context"] = Value::String(name.to_string());
    write(&path, &doc)
}

/// `set-context`: an existing context is changed in the file that defined it, a new one
/// added to kubectl's default destination. `changes` are fields of the context set to
/// these values.
pub fn put_context(
    mode: &Mode,
    files: &[File],
    merged: &Merged,
    name: &str,
    changes: &[(&str, String)],
) -> Result<(), String> {
    let entry = Named::Context.entries(merged).get(name);
    put_entry(mode, files, entry, Named::Context, name, |body, _| {
        for (field, value) in changes {
            body.insert(field.to_string(), Value::String(value.clone()));
        }
        Ok(())
    })
}

/// The named lists of a kubeconfig.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Named {
    Cluster,
    User,
    Context,
}

impl Named {
    /// The list's key and its items' inner key.
    fn keys(self) -> (&'static str, &'static str) {
        match self {
            Named::Cluster => ("clusters", "cluster"),
            Named::User => ("users", "user"),
            Named::Context => ("contexts", "context"),
        }
    }

    pub fn entries(self, merged: &Merged) -> &std::collections::BTreeMap<String, Entry> {
        match self {
            Named::Cluster => &merged.clusters,
            Named::User => &merged.users,
            Named::Context => &merged.contexts,
        }
    }
}

/// `set-cluster`, `set-credentials`, `set-context`: the entry (`existing`, if the merged
/// config has it) is changed in the file that defined it, a new one added to kubectl's
/// default destination. `edit` changes the inner map; it is given the file's path, for
/// paths kubectl writes relative to it.
pub fn put_entry(
    mode: &Mode,
    files: &[File],
    existing: Option<&Entry>,
    what: Named,
    name: &str,
    edit: impl FnOnce(&mut Map<String, Value>, &Path) -> Result<(), String>,
) -> Result<(), String> {
    let (list, inner) = what.keys();
    let path = match (mode, existing) {
        (Mode::Explicit(p), _) => Some(p.clone()),
        (_, Some(entry)) => files.get(entry.origin).and_then(|f| f.path.clone()),
        (_, None) => mode.default_destination(),
    }
    .ok_or_else(|| format!("no kubeconfig file to write the {inner} to"))?;
    let _lock = Lock::take(&path)?;
    let mut doc = read_for_write(&path)?;
    let mut items = doc[list].as_array().cloned().unwrap_or_default();
    let index = match items.iter().position(|c| c["name"].as_str() == Some(name)) {
        Some(i) => i,
        None => {
            let mut new = Map::new();
            new.insert("name".into(), Value::from(name));
            new.insert(inner.into(), Value::Object(Map::new()));
            items.push(Value::Object(new));
            items.len() - 1
        }
    };
    let body = &mut items[index][inner];
    if !body.is_object() {
        *body = Value::Object(Map::new());
    }
    let before = body.clone();
    if let Value::Object(m) = body {
        edit(m, path.parent().unwrap_or(Path::new("")))?;
    }
    // kubectl writes a file only when an entry in it changed.
    if existing.is_some() && items[index][inner] == before {
        return Ok(());
    }
    doc[list] = Value::Array(items);
    write(&path, &doc)
}

/// `delete-cluster`, `delete-user`, `delete-context`: the entry leaves the file that
/// defined it.
pub fn delete_entry(files: &[File], entry: &Entry, what: Named, name: &str) -> Result<(), String> {
    let (list, _) = what.keys();
    let path = files
        .get(entry.origin)
        .and_then(|f| f.path.clone())
        .ok_or("no kubeconfig file holds the entry")?;
    let _lock = Lock::take(&path)?;
    let mut doc = read_for_write(&path)?;
    if let Some(items) = doc[list].as_array_mut() {
        items.retain(|c| c["name"].as_str() != Some(name));
    }
    write(&path, &doc)
}

/// `rename-context`: the context keeps its file and takes its new name there.
pub fn rename_context(files: &[File], entry: &Entry, from: &str, to: &str) -> Result<(), String> {
    let path = files
        .get(entry.origin)
        .and_then(|f| f.path.clone())
        .ok_or("no kubeconfig file holds the context")?;
    let _lock = Lock::take(&path)?;
    let mut doc = read_for_write(&path)?;
    for item in doc["contexts"].as_array_mut().into_iter().flatten() {
        if item["name"].as_str() == Some(from) {
            item["name"] = Value::from(to);
        }
    }
    write(&path, &doc)
}

/// `unset preferences[.colors|.extensions]`, in kubectl's default destination.
pub fn unset_preference(mode: &Mode, field: Option<&str>) -> Result<(), String> {
    let path = mode
        .default_destination()
        .ok_or("no kubeconfig file to write the preferences to")?;
    let _lock = Lock::take(&path)?;
    let mut doc = read_for_write(&path)?;
    match (
        field,
        doc.get_mut("preferences").and_then(Value::as_object_mut),
    ) {
        (None, _) => doc["preferences"] = Value::Object(Map::new()),
        (Some(f), Some(prefs)) => {
            prefs.remove(f);
        }
        (Some(_), None) => {}
    }
    write(&path, &doc)
}

/// kubectl's `<file>.lock` beside a file being changed, so that kubectl and kubelite never
/// change one file at the same time; removed when dropped.
struct Lock(PathBuf);

impl Lock {
    fn take(path: &Path) -> Result<Lock, String> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| super::go_io_error("mkdir", dir, &e))?;
        }
        let mut name = path.as_os_str().to_owned();
        name.push(".lock");
        let lock = PathBuf::from(name);
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&lock)
            .map_err(|e| super::go_io_error("open", &lock, &e))?;
        Ok(Lock(lock))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The file's document as kubectl holds it before a change (an empty one if the file does
/// not exist yet).
fn read_for_write(path: &Path) -> Result<Value, String> {
    let raw = if path.exists() {
        files::read(path)?.raw
    } else {
        Value::Object(Map::new())
    };
    schema::canonical(&schema::CONFIG, &raw, Unknown::Keep)
}

/// The bytes kubectl writes for `doc`.
pub fn render(doc: &Value) -> Result<String, String> {
    let mut doc = schema::canonical(&schema::CONFIG, doc, Unknown::Keep)?;
    doc["kind"] = Value::from("Config");
    doc["apiVersion"] = Value::from("v1");
    for list in ["clusters", "users", "contexts"] {
        if let Some(items) = doc[list].as_array_mut() {
            sort_by_name(items);
            for item in items.iter_mut() {
                for inner in ["cluster", "user", "context"] {
                    if let Some(exts) = item
                        .get_mut(inner)
                        .and_then(|b| b.get_mut("extensions"))
                        .and_then(Value::as_array_mut)
                    {
                        sort_by_name(exts);
                    }
                }
            }
            if items.is_empty() {
                doc[list] = Value::Null;
            }
        }
    }
    if let Some(exts) = doc.get_mut("extensions").and_then(Value::as_array_mut) {
        sort_by_name(exts);
    }
    if let Some(exts) = doc
        .get_mut("preferences")
        .and_then(|p| p.get_mut("extensions"))
        .and_then(Value::as_array_mut)
    {
        sort_by_name(exts);
    }
    crate::print::yaml::try_to_yaml(&doc)
}

fn sort_by_name(items: &mut [Value]) {
    items.sort_by(|a, b| {
        let name = |v: &Value| v["name"].as_str().unwrap_or("").to_string();
        name(a).cmp(&name(b))
    });
}

/// Writes the whole file at once: a temporary file beside it, renamed over it. A new file
/// is private to its owner (0600, as kubectl creates it); an existing one keeps its mode,
/// and a symbolic link keeps pointing where it did.
pub fn write(path: &Path, doc: &Value) -> Result<(), String> {
    use std::io::Write;
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let text = render(doc)?;
    let target: PathBuf = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| super::go_io_error("mkdir", dir, &e))?;
    let mode = std::fs::metadata(&target)
        .map(|m| m.permissions().mode() & 0o7777)
        .unwrap_or(0o600);
    let file_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "config".into());
    let temp = dir.join(format!(".{file_name}.kubelite-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&temp)?;
        f.write_all(text.as_bytes())?;
        f.set_permissions(std::fs::Permissions::from_mode(mode))?;
        f.sync_all()?;
        std::fs::rename(&temp, &target)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(super::go_io_error("write", &target, &e));
    }
    Ok(())
}
