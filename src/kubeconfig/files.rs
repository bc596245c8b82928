//! Which kubeconfig files a command reads, and reading one: kubectl's precedence
//! (`--kubeconfig`, else `KUBECONFIG`, else `~/.kube/config`), with kubelite's default in the
//! last case: its embedded cluster as a virtual first file.

use super::schema::{self, Unknown};
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};

/// The name of the virtual context, cluster and server that mean the embedded cluster.
pub const KUBELITE: &str = "kubelite";
/// A server URL with this scheme names an embedded cluster (`kubelite://` is
/// `$KUBELITE_HOME`'s, `kubelite:///abs/dir` another one).
pub const EMBEDDED_SCHEME: &str = "kubelite://";

/// What the process environment says about kubeconfig files.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    /// `KUBECONFIG` as set (empty counts as unset).
    pub kubeconfig: Option<String>,
    /// `$HOME`.
    pub home: Option<PathBuf>,
}

impl Environment {
    pub fn from_process() -> Environment {
        Environment {
            kubeconfig: std::env::var("KUBECONFIG").ok().filter(|v| !v.is_empty()),
            home: std::env::var_os("HOME").map(PathBuf::from),
        }
    }
}

/// How the files were chosen.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    /// `--kubeconfig PATH`: only that file.
    Explicit(PathBuf),
    /// `KUBECONFIG`: these files in order (duplicates removed), missing ones skipped.
    EnvList(Vec<PathBuf>),
    /// Neither: the embedded cluster as the current context, `~/.kube/config`'s contexts
    /// selectable by name only.
    KubeliteDefault { home_config: Option<PathBuf> },
}

impl Mode {
    pub fn choose(explicit: Option<&str>, env: &Environment) -> Mode {
        if let Some(p) = explicit.filter(|p| !p.is_empty()) {
            return Mode::Explicit(PathBuf::from(p));
        }
        if let Some(list) = &env.kubeconfig {
            let mut paths: Vec<PathBuf> = Vec::new();
            for p in std::env::split_paths(list) {
                if !p.as_os_str().is_empty() && !paths.contains(&p) {
                    paths.push(p);
                }
            }
            return Mode::EnvList(paths);
        }
        Mode::KubeliteDefault {
            home_config: env.home.as_ref().map(|h| h.join(".kube").join("config")),
        }
    }

    pub fn is_kubelite_default(&self) -> bool {
        matches!(self, Mode::KubeliteDefault { .. })
    }

    /// The file kubectl writes a new entry or a new current-context to
    /// (`GetDefaultFilename`): the named file, else the only or first existing `KUBECONFIG`
    /// file (the last one if none exists). `None` in kubelite's default mode.
    pub fn default_destination(&self) -> Option<PathBuf> {
        match self {
            Mode::Explicit(p) => Some(p.clone()),
            Mode::EnvList(paths) if paths.len() == 1 => Some(paths[0].clone()),
            Mode::EnvList(paths) => paths.iter().find(|p| p.exists()).or(paths.last()).cloned(),
            Mode::KubeliteDefault { .. } => None,
        }
    }
}

/// One loaded document, checked against kubectl's types.
#[derive(Debug, Clone)]
pub struct File {
    /// `None` for the virtual kubelite file.
    pub path: Option<PathBuf>,
    /// The parsed document (a JSON object), as written: unknown fields included.
    pub raw: Value,
}

impl File {
    /// The directory relative paths of this file's entries are resolved against.
    pub fn dir(&self) -> Option<&Path> {
        self.path.as_deref().and_then(Path::parent)
    }
}

/// Reads the files `mode` names, in precedence order. With `strict`, a missing
/// `--kubeconfig` file is an error (as for every verb but `config`).
pub fn load(mode: &Mode, strict: bool) -> Result<Vec<File>, String> {
    let mut files = Vec::new();
    match mode {
        Mode::Explicit(p) => {
            if !p.exists() {
                if strict {
                    return Err(format!("stat {}: no such file or directory", p.display()));
                }
            } else {
                files.push(read(p)?);
            }
        }
        Mode::EnvList(paths) => {
            for p in paths.iter().filter(|p| p.exists()) {
                files.push(read(p)?);
            }
        }
        Mode::KubeliteDefault { home_config } => {
            files.push(virtual_file());
            if let Some(p) = home_config.as_ref().filter(|p| p.exists()) {
                files.push(read(p)?);
            }
        }
    }
    Ok(files)
}

/// The embedded cluster as a kubeconfig document of its own.
pub fn virtual_file() -> File {
    File {
        path: None,
        raw: json!({
            "clusters": [{"name": KUBELITE, "cluster": {"server": EMBEDDED_SCHEME}}],
            "contexts": [{"name": KUBELITE, "context": {"cluster": KUBELITE}}],
            "current-context": KUBELITE,
        }),
    }
}

/// Reads and checks one file; errors read as kubectl's `error loading config file "..."`.
pub fn read(path: &Path) -> Result<File, String> {
    let fail =
        |detail: String| format!("error loading config file \"{}\": {detail}", path.display());
    // Go fails to open an unreadable file, and to read a directory.
    let op = if path.is_dir() { "read" } else { "open" };
    let text = std::fs::read_to_string(path).map_err(|e| fail(super::go_io_error(op, path, &e)))?;
    let raw = parse(&text).map_err(fail)?;
    Ok(File {
        path: Some(path.to_path_buf()),
        raw,
    })
}

/// Parses a kubeconfig document (YAML or JSON) and checks it; an empty document is an empty
/// config.
pub fn parse(text: &str) -> Result<Value, String> {
    let blank = text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
    if blank {
        return Ok(Value::Object(Map::new()));
    }
    let options = serde_saphyr::options! { with_snippet: false };
    // kubectl reads the first document of a stream and ignores the rest.
    let documents: Vec<Value> = serde_saphyr::from_multiple_with_options(text, options)
        .map_err(|e| format!("yaml: {}", first_line(&e.to_string())))?;
    let value = documents.into_iter().next().unwrap_or(Value::Null);
    let value = match value {
        Value::Null => Value::Object(Map::new()),
        Value::Object(_) => value,
        other => {
            let kind = match other {
                Value::Array(_) => "array",
                Value::Bool(_) => "bool",
                Value::Number(_) => "number",
                _ => "string",
            };
            return Err(format!(
                "couldn't get version/kind; json parse error: json: cannot unmarshal {kind} into Go value of type struct {{ APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }}"
            ));
        }
    };
    schema::canonical(&schema::CONFIG, &value, Unknown::Drop)?;
    check_unique_names(&value)?;
    Ok(value)
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

/// kubectl refuses a file that names two clusters (contexts, users) alike.
fn check_unique_names(doc: &Value) -> Result<(), String> {
    for (list, go_name, api_name) in [
        ("clusters", "NamedCluster", "Cluster"),
        ("users", "NamedAuthInfo", "AuthInfo"),
        ("contexts", "NamedContext", "Context"),
    ] {
        let mut seen: Vec<&str> = Vec::new();
        for item in doc
            .get(list)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = item.get("name").and_then(Value::as_str).unwrap_or("");
            if seen.contains(&name) {
                return Err(format!(
                    "error converting *[]{go_name} into *map[string]*api.{api_name}: duplicate name \"{name}\" in list"
                ));
            }
            seen.push(name);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(list: Option<&str>) -> Environment {
        Environment {
            kubeconfig: list.map(str::to_string),
            home: Some(PathBuf::from("/h")),
        }
    }

    #[test]
    fn precedence_of_flag_env_and_home() {
        assert_eq!(
            Mode::choose(Some("x"), &env(Some("a:b"))),
            Mode::Explicit("x".into())
        );
        assert_eq!(
            Mode::choose(None, &env(Some("a::b:a"))),
            Mode::EnvList(vec!["a".into(), "b".into()])
        );
        assert_eq!(
            Mode::choose(None, &env(None)),
            Mode::KubeliteDefault {
                home_config: Some("/h/.kube/config".into())
            }
        );
    }

    #[test]
    fn parse_rejects_what_kubectl_rejects() {
        assert!(parse("").unwrap().as_object().unwrap().is_empty());
        assert!(
            parse("foo\n")
                .unwrap_err()
                .starts_with("couldn't get version/kind")
        );
        assert!(parse("clusters: [\n").unwrap_err().starts_with("yaml: "));
        let dup = "contexts:\n- name: a\n- name: a\n";
        assert!(parse(dup).unwrap_err().contains("duplicate name \"a\""));
    }
}
