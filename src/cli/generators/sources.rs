//! The data sources of `create configmap` and `create secret generic`: `--from-file`,
//! `--from-literal` and `--from-env-file`, read in kubectl's order with kubectl's errors.

use super::objects::Data;
use std::path::Path;

pub struct Sources<'a> {
    pub files: &'a [String],
    pub literals: &'a [String],
    pub env_files: &'a [String],
}

/// The kind the keys go into, as kubectl names it in its errors.
#[derive(Clone, Copy, PartialEq)]
pub enum Target {
    ConfigMap,
    Secret,
}

impl Target {
    fn kind(self) -> &'static str {
        match self {
            Target::ConfigMap => "ConfigMap",
            Target::Secret => "Secret",
        }
    }
}

/// The flag combinations kubectl refuses before reading anything.
pub fn validate(s: &Sources) -> Result<(), String> {
    if !s.env_files.is_empty() && (!s.files.is_empty() || !s.literals.is_empty()) {
        return Err("from-env-file cannot be combined with from-file or from-literal".into());
    }
    Ok(())
}

/// Reads every source into the object's keys.
pub fn read(s: &Sources, target: Target, name: &str) -> Result<Data, String> {
    let mut data = Data::default();
    let mut add = |key: &str, value: Vec<u8>| -> Result<(), String> {
        check_key(key, target)?;
        if data.text.contains_key(key) || data.binary.contains_key(key) {
            return Err(format!(
                "cannot add key \"{key}\", another key by that name already exists in Data for {} \"{name}\"",
                target.kind()
            ));
        }
        match String::from_utf8(value) {
            Ok(text) => {
                data.text.insert(key.to_string(), text);
            }
            Err(e) => {
                data.binary.insert(key.to_string(), e.into_bytes());
            }
        }
        Ok(())
    };
    for source in s.files {
        let (key, path) = file_source(source)?;
        if Path::new(path).is_dir() {
            if key.is_some() {
                return Err("cannot give a key name for a directory path".into());
            }
            // A directory gives one key per regular file in it, by name.
            for (name, file) in regular_files(path)? {
                let bytes = std::fs::read(&file).map_err(|e| read_error(&file, &e))?;
                add(&name, bytes)?;
            }
            continue;
        }
        let key = key.unwrap_or_else(|| base_name(path));
        let bytes = std::fs::read(path).map_err(|e| read_error(path, &e))?;
        add(&key, bytes)?;
    }
    for literal in s.literals {
        match literal.split_once('=') {
            Some((k, v)) if !k.is_empty() => add(k, v.as_bytes().to_vec())?,
            _ => {
                return Err(format!(
                    "invalid literal source {literal}, expected key=value"
                ));
            }
        }
    }
    for path in s.env_files {
        let text = std::fs::read_to_string(path).map_err(|e| read_error(path, &e))?;
        for (key, value) in env_lines(&text)? {
            add(&key, value.into_bytes())?;
        }
    }
    Ok(data)
}

/// `[key=]path`: the key when one is given, and the path.
fn file_source(source: &str) -> Result<(Option<String>, &str), String> {
    let parts: Vec<&str> = source.split('=').collect();
    match parts.as_slice() {
        [path] => Ok((None, path)),
        [key, path] if !key.is_empty() && !path.is_empty() => Ok((Some(key.to_string()), path)),
        ["", path] => Err(format!("key name for file path {path} missing")),
        [key, _] => Err(format!("file path for key name {key} missing")),
        _ => Err("key names or file paths cannot contain '='".into()),
    }
}

fn base_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The regular files of a directory (not links, not subdirectories), sorted by name.
fn regular_files(dir: &str) -> Result<Vec<(String, String)>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| read_error(dir, &e))?;
    let mut files = Vec::new();
    for entry in entries.flatten() {
        if entry.file_type().is_ok_and(|t| t.is_file()) {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path().to_string_lossy().into_owned();
            files.push((name, path));
        }
    }
    files.sort();
    Ok(files)
}

/// `create secret docker-registry --from-file`: a source without a key is the
/// `.dockerconfigjson` key, so a directory can never be one.
pub fn read_docker_files(files: &[String]) -> Result<Data, String> {
    let mut data = Data::default();
    for source in files {
        let (key, path) = file_source(source)?;
        if Path::new(path).is_dir() {
            return Err("cannot give a key name for a directory path".into());
        }
        let key = key.unwrap_or_else(|| ".dockerconfigjson".to_string());
        check_key(&key, Target::Secret)
            .map_err(|_| format!("\"{key}\" is not valid key name for a Secret {}", KEY_RULE))?;
        let bytes = std::fs::read(path).map_err(|e| read_error(path, &e))?;
        if data.binary.insert(key.clone(), bytes).is_some() {
            return Err(format!(
                "cannot add key {key}, another key by that name already exists"
            ));
        }
    }
    Ok(data)
}

fn read_error(path: &str, e: &std::io::Error) -> String {
    let why = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    };
    format!("error reading {path}: {why}")
}

/// An env file's `KEY=value` lines; blank lines and `#` comments are skipped, the value is
/// kept as written, and a bare `KEY` takes its value from the environment.
fn env_lines(text: &str) -> Result<Vec<(String, String)>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = match line.split_once('=') {
            Some((k, v)) => (k, Some(v.to_string())),
            None => (line, None),
        };
        if !is_env_var_name(key) {
            return Err(format!(
                "\"{key}\" is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"
            ));
        }
        let value = match value {
            Some(v) => v,
            None => match std::env::var(key) {
                Ok(v) => v,
                Err(_) => continue,
            },
        };
        out.push((key.to_string(), value));
    }
    Ok(out)
}

fn is_env_var_name(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || "-._".contains(c))
        && chars.all(|c| c.is_ascii_alphanumeric() || "-._".contains(c))
}

/// What a valid key is, in kubectl's words.
const KEY_RULE: &str = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

fn check_key(key: &str, target: Target) -> Result<(), String> {
    let valid = !key.is_empty()
        && key.len() <= 253
        && key != "."
        && key != ".."
        && !key.starts_with("..")
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._".contains(c));
    if valid {
        return Ok(());
    }
    Err(format!(
        "\"{key}\" is not a valid key name for a {}: {KEY_RULE}",
        target.kind()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_lines_keep_values_and_skip_comments() {
        let lines = env_lines("\u{feff}A=1\n# c\n  B= two \n\n").unwrap();
        assert_eq!(
            lines,
            [("A".into(), "1".into()), ("B".into(), " two ".into())]
        );
        assert!(
            env_lines("export C=3\n")
                .unwrap_err()
                .contains("\"export C\"")
        );
    }

    #[test]
    fn literals_need_a_key_and_keys_are_unique() {
        let none: [String; 0] = [];
        let bad = ["=v".to_string()];
        let s = Sources {
            files: &none,
            literals: &bad,
            env_files: &none,
        };
        assert_eq!(
            read(&s, Target::ConfigMap, "c").err().unwrap(),
            "invalid literal source =v, expected key=value"
        );
        let dup = ["a=1".to_string(), "a=2".to_string()];
        let s = Sources {
            files: &none,
            literals: &dup,
            env_files: &none,
        };
        assert!(
            read(&s, Target::ConfigMap, "c")
                .err()
                .unwrap()
                .starts_with("cannot add key \"a\"")
        );
    }
}
