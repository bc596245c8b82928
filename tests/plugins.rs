//! Plugins: tiny shell-script plugins in a temporary PATH, run through the real kubectl
//! and through kubelite: the same stdout, stderr and exit status (the plugin's own), and
//! the same `plugin list` with its warnings.

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_kubelite");

/// The real kubectl's path, found on the test's own PATH.
fn kubectl() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("kubectl"))
        .find(|p| p.is_file())
}

fn script(dir: &Path, name: &str, body: &str, executable: bool) {
    use std::os::unix::fs::PermissionsExt;
    let p = dir.join(name);
    std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).expect("write plugin");
    let mode = if executable { 0o755 } else { 0o644 };
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

struct Dir(PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run(program: &Path, path: &str, args: &[&str]) -> (String, String, Option<i32>) {
    run_in(program, path, args, None)
}

fn run_in(
    program: &Path,
    path: &str,
    args: &[&str],
    dir: Option<&Path>,
) -> (String, String, Option<i32>) {
    let mut cmd = Command::new(program);
    if let Some(d) = dir {
        cmd.current_dir(d);
    }
    let out = cmd
        .args(args)
        .env("PATH", path)
        .env("PLUGIN_TEST_VAR", "seen")
        .env_remove("KUBECONFIG")
        .output()
        .expect("run");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

#[test]
fn plugins_run_and_list_as_kubectl_does() {
    let Some(kubectl) = kubectl() else {
        eprintln!("kubectl is not on the PATH: SKIPPED");
        return;
    };
    let root = Dir(std::env::temp_dir().join(format!("kubelite-plugins-{}", std::process::id())));
    let (a, b, empty) = (root.0.join("a"), root.0.join("b"), root.0.join("empty"));
    for d in [&a, &b, &empty] {
        std::fs::create_dir_all(d).expect("dir");
    }
    script(
        &a,
        "kubectl-foo",
        "echo \"foo $# $*\"; echo \"var=$PLUGIN_TEST_VAR\"; echo oops >&2; exit 3",
        true,
    );
    script(&a, "kubectl-foo-bar", "echo \"foo-bar $*\"", true);
    script(&a, "kubectl-my_plug", "echo \"my_plug $*\"", true);
    script(&a, "kubectl-get", "echo never", true);
    script(&a, "kubectl-nx", "echo nx", false);
    script(&b, "kubectl-foo", "echo shadowed", true);
    let path = format!("{}:{}", a.display(), b.display());
    let missing = format!("{}:{}", root.0.join("missing").display(), a.display());
    let none = empty.display().to_string();
    let cases: Vec<(&str, Vec<&str>)> = vec![
        (&path, vec!["foo"]),
        (&path, vec!["foo", "x", "-y", "z"]),
        (&path, vec!["foo", "--help"]),
        (&path, vec!["foo", "bar", "baz"]),
        (&path, vec!["foo", "bar", "--flag", "qux"]),
        (&path, vec!["my-plug", "1"]),
        (&path, vec!["plugin", "list"]),
        (&path, vec!["plugin", "list", "--name-only"]),
        (&missing, vec!["plugin", "list"]),
        (&none, vec!["plugin", "list"]),
    ];
    let mut failures = Vec::new();
    for (p, args) in &cases {
        let want = run(&kubectl, p, args);
        let got = run(Path::new(BIN), p, args);
        if want != got {
            failures.push(format!(
                "{args:?}\n  kubectl: {want:?}\n  kubelite: {got:?}"
            ));
        }
    }
    // A relative PATH entry: plugins found through it run, and are listed without `./`.
    let dotted = format!(".:{}", b.display());
    for args in [&["plugin", "list"][..], &["foo", "1"]] {
        let want = run_in(&kubectl, &dotted, args, Some(&a));
        let got = run_in(Path::new(BIN), &dotted, args, Some(&a));
        if want != got {
            failures.push(format!(
                "PATH=.: {args:?}\n  kubectl: {want:?}\n  kubelite: {got:?}"
            ));
        }
    }
    // A plugin file that is not executable is no plugin: an unknown command either way.
    let (_, _, code) = run(Path::new(BIN), &path, &["nx"]);
    assert_eq!(code, run(&kubectl, &path, &["nx"]).2, "nx: exit code");
    // A kubelite command is never a plugin.
    let (out, _, _) = run(Path::new(BIN), &path, &["get", "--help"]);
    assert!(!out.contains("never"), "kubectl-get ran: {out}");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
