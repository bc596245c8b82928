//! A private directory holding kubeconfig files, a HOME and a KUBELITE_HOME, where a command
//! runs with exactly that environment.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

pub const BIN: &str = env!("CARGO_BIN_EXE_kubelite");

static NEXT: AtomicUsize = AtomicUsize::new(0);

pub struct Sandbox {
    pub dir: PathBuf,
}

/// What a command printed and returned.
#[derive(Debug, PartialEq)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub code: Option<i32>,
}

impl Sandbox {
    /// A new sandbox with `files` (path relative to the sandbox, contents).
    pub fn new(files: &[(&str, &str)]) -> Sandbox {
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!(
            "kubelite-kubeconfig-test-{}-{n}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("home")).expect("sandbox");
        for (path, text) in files {
            let p = dir.join(path);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("dirs");
            std::fs::write(&p, text).expect("write fixture");
        }
        Sandbox { dir }
    }

    /// Runs `program args` in the sandbox with HOME and KUBELITE_HOME inside it, `KUBECONFIG`
    /// set only if given, and nothing of the caller's kubeconfig environment.
    pub fn run(&self, program: &str, kubeconfig_env: Option<&str>, args: &[&str]) -> Outcome {
        let env: Vec<(&str, &str)> = kubeconfig_env
            .map(|v| ("KUBECONFIG", v))
            .into_iter()
            .collect();
        self.run_with(program, &env, args)
    }

    /// `run` with these variables set on top.
    pub fn run_with(&self, program: &str, vars: &[(&str, &str)], args: &[&str]) -> Outcome {
        let mut cmd = Command::new(program);
        cmd.args(args)
            .current_dir(&self.dir)
            .env("HOME", self.dir.join("home"))
            .env("KUBELITE_HOME", self.dir.join("kubelite-home"))
            .env_remove("KUBECONFIG")
            .env_remove("KUBERNETES_SERVICE_HOST")
            .env_remove("KUBERNETES_SERVICE_PORT")
            .env_remove("XDG_DATA_HOME")
            .envs(vars.iter().copied());
        let out = cmd.output().expect("run command");
        let placeholder = |s: &[u8]| {
            String::from_utf8_lossy(s).replace(&*self.dir.to_string_lossy(), "<SANDBOX>")
        };
        Outcome {
            stdout: placeholder(&out.stdout),
            stderr: placeholder(&out.stderr),
            code: out.status.code(),
        }
    }

    /// Every file below the sandbox but the embedded cluster's home, with its mode.
    pub fn files(&self) -> BTreeMap<String, (Vec<u8>, u32)> {
        let mut all = BTreeMap::new();
        collect(&self.dir, &self.dir, &mut all);
        all
    }

    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.dir.join(path)).unwrap_or_default()
    }
}

fn collect(root: &Path, dir: &Path, into: &mut BTreeMap<String, (Vec<u8>, u32)>) {
    use std::os::unix::fs::PermissionsExt;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.file_name().is_some_and(|n| n == "kubelite-home") {
            continue;
        }
        if p.is_dir() {
            collect(root, &p, into);
        } else {
            let rel = p
                .strip_prefix(root)
                .unwrap_or(&p)
                .to_string_lossy()
                .into_owned();
            let mode = std::fs::metadata(&p)
                .map(|m| m.permissions().mode() & 0o777)
                .unwrap_or(0);
            into.insert(rel, (std::fs::read(&p).unwrap_or_default(), mode));
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
