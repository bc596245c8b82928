//! Changing kubeconfig files the way kubectl does: the same file chosen for each change, the
//! whole document written back in kubectl's canonical form (lists ordered by name, YAML as
//! go-yaml writes it), atomically. Unlike kubectl, fields its types do not know are kept.

use super::files::{self, File, Mode};
use super::merge::Merged;
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
    let path = match (mode, merged.contexts.get(name)) {
        (Mode::Explicit(p), _) => Some(p.clone()),
        (_, Some(entry)) => files.get(entry.origin).and_then(|f| f.path.clone()),
        (_, None) => mode.default_destination(),
    }
    .ok_or("no kubeconfig file to write the context to")?;
    let _lock = Lock::take(&path)?;
    let mut doc = read_for_write(&path)?;
    let mut contexts = doc["contexts"].as_array().cloned().unwrap_or_default();
    let index = match contexts
        .iter()
        .position(|c| c["name"].as_str() == Some(name))
    {
        Some(i) => i,
        None => {
            let new = serde_json::json!({"name": name, "context": {}});
            contexts.push(new);
            contexts.len() - 1
        }
    };
    let context = &mut contexts[index]["context"];
    if !context.is_object() {
        *context = Value::Object(Map::new());
    }
    for (field, value) in changes {
        context[*field] = Value::String(value.clone());
    }
    doc["contexts"] = Value::Array(contexts);
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
