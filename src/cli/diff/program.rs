//! The two trees `diff` compares and the program that compares them: kubectl's
//! `LIVE-*` and `MERGED-*` temp dirs, one file per object named
//! `[group.]version.Kind.namespace.name`, and `KUBECTL_EXTERNAL_DIFF` or `diff -u -N`.

use std::hash::BuildHasher;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A temp dir (`<prefix><random>`, as Go's `os.MkdirTemp` names them), removed on drop.
pub struct TreeDir(pub PathBuf);

impl TreeDir {
    pub fn new(prefix: &str) -> std::io::Result<TreeDir> {
        let seed = std::collections::hash_map::RandomState::new();
        let dir = std::env::temp_dir();
        for attempt in 0u32..1000 {
            let n = seed.hash_one((attempt, std::process::id())) as u32;
            let path = dir.join(format!("{prefix}{n}"));
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(TreeDir(path)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(std::io::Error::other("no free temporary directory name"))
    }

    pub fn write(&self, name: &str, text: &str) -> std::io::Result<()> {
        std::fs::write(self.0.join(name), text)
    }
}

impl Drop for TreeDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The diff command line: `KUBECTL_EXTERNAL_DIFF` split on spaces (its arguments kept only
/// when made of letters, digits, `-` and `=`, as kubectl filters them), else `diff -u -N`.
fn command_line(external: Option<&str>) -> (String, Vec<String>) {
    match external.filter(|e| !e.is_empty()) {
        Some(e) => {
            let mut words = e.split(' ');
            let program = words.next().unwrap_or("").to_string();
            let args = words
                .filter(|a| {
                    !a.is_empty()
                        && a.chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '=')
                })
                .map(str::to_string)
                .collect();
            (program, args)
        }
        None => ("diff".into(), vec!["-u".into(), "-N".into()]),
    }
}

/// Runs the diff program on the two trees with the terminal's stdout and stderr; its exit
/// status, or kubectl's words when it cannot run.
pub fn run(from: &Path, to: &Path) -> Result<i32, String> {
    let external = std::env::var("KUBECTL_EXTERNAL_DIFF").ok();
    let (program, args) = command_line(external.as_deref());
    let status = Command::new(&program)
        .args(&args)
        .arg(from)
        .arg(to)
        .status()
        .map_err(|e| {
            let why = if e.kind() == std::io::ErrorKind::NotFound {
                "executable file not found in $PATH".to_string()
            } else {
                e.to_string()
            };
            format!("failed to run {}: {why}", crate::go::quote(&program))
        })?;
    Ok(status.code().unwrap_or(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_diff_arguments_are_filtered_as_kubectl_does() {
        assert_eq!(
            command_line(None),
            ("diff".to_string(), vec!["-u".to_string(), "-N".to_string()])
        );
        assert_eq!(
            command_line(Some("colordiff -N --bad;x --color=always")),
            (
                "colordiff".to_string(),
                vec!["-N".to_string(), "--color=always".to_string()]
            )
        );
    }
}
