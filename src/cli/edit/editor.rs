//! The user's editor, as kubectl finds and runs it: `KUBE_EDITOR`, then `EDITOR`, then `vi`.
//! A value with spaces is split on them; one that also has quotes or backslashes is handed
//! to `$SHELL -c` (default `/bin/bash`) with the file's path quoted.

use std::hash::BuildHasher;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The editor command, before the file's path is added.
pub struct Editor {
    args: Vec<String>,
    shell: bool,
}

impl Editor {
    /// The editor the environment names.
    pub fn from_env() -> Editor {
        let named = ["KUBE_EDITOR", "EDITOR"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty())
            .unwrap_or_else(|| "vi".to_string());
        Editor::parse(&named)
    }

    fn parse(named: &str) -> Editor {
        if !named.contains(' ') {
            return Editor {
                args: vec![named.to_string()],
                shell: false,
            };
        }
        if !named.contains(['"', '\'', '\\']) {
            return Editor {
                args: named.split(' ').map(str::to_string).collect(),
                shell: false,
            };
        }
        let shell = std::env::var("SHELL")
            .ok()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "/bin/bash".to_string());
        Editor {
            args: vec![shell, "-c".to_string(), named.to_string()],
            shell: true,
        }
    }

    /// The command line that opens `path`.
    fn argv(&self, path: &Path) -> Vec<String> {
        let mut argv = self.args.clone();
        let file = path.to_string_lossy().into_owned();
        if self.shell {
            if let Some(last) = argv.last_mut() {
                *last = format!("{last} {}", crate::go::quote(&file));
            }
        } else {
            argv.push(file);
        }
        argv
    }

    /// Writes `text` to a new temporary file (`<prefix><random><suffix>`), opens the editor
    /// on it and returns what the file holds after, and its path. The file is kept: the
    /// caller removes it or tells the user where it is.
    pub fn edit_temp(
        &self,
        prefix: &str,
        suffix: &str,
        text: &[u8],
    ) -> Result<(Vec<u8>, PathBuf), String> {
        let path = create_temp(prefix, suffix, text).map_err(|e| e.to_string())?;
        let argv = self.argv(&path);
        let problem = || {
            format!(
                "there was a problem with the editor {}",
                crate::go::quote(&self.args.join(" "))
            )
        };
        let status = Command::new(&argv[0])
            .args(&argv[1..])
            .status()
            .map_err(|_| problem())?;
        if !status.success() {
            return Err(problem());
        }
        let edited = std::fs::read(&path).map_err(|e| e.to_string())?;
        Ok((edited, path))
    }
}

/// A new file in the temp directory, named as Go's `os.CreateTemp` names them.
fn create_temp(prefix: &str, suffix: &str, text: &[u8]) -> std::io::Result<PathBuf> {
    let dir = std::env::temp_dir();
    let seed = std::collections::hash_map::RandomState::new();
    for attempt in 0u32.. {
        // A random number, as Go's os.CreateTemp puts in the name.
        let n = seed.hash_one((attempt, std::process::id())) as u32;
        let path = dir.join(format!("{prefix}{n}{suffix}"));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                f.write_all(text)?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("no free temporary file name"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_spaces_and_uses_the_shell_for_quotes() {
        let p = Path::new("/tmp/x.yaml");
        assert_eq!(Editor::parse("vi").argv(p), ["vi", "/tmp/x.yaml"]);
        assert_eq!(
            Editor::parse("code --wait").argv(p),
            ["code", "--wait", "/tmp/x.yaml"]
        );
        let e = Editor::parse("emacs -nw 'a b'");
        assert!(e.shell);
        assert_eq!(e.argv(p)[1..], ["-c", "emacs -nw 'a b' \"/tmp/x.yaml\""]);
    }
}
