//! Manifest diagnostics as `kubelite create` prints them: plain text when stderr is not a
//! terminal or `NO_COLOR` is set, colour and box drawing on a terminal. The expected text is
//! the golden under `testdata/diagnostics/` (written by the library's golden test).

use std::path::Path;
use std::process::{Command, Output};

fn dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/diagnostics"))
}

fn golden(name: &str, kind: &str) -> String {
    std::fs::read_to_string(dir().join(format!("{name}.{kind}"))).expect("golden exists")
}

fn home() -> std::path::PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("diagnostics-home")
}

fn create(name: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubelite"))
        .args(["create", "-f", &format!("{name}.yaml")])
        .current_dir(dir())
        .env("KUBELITE_HOME", home())
        .env_remove("KUBECONFIG")
        .env_remove("NO_COLOR")
        .output()
        .expect("run kubelite")
}

/// Runs `kubelite create` with stderr on a terminal (util-linux `script` gives it a pty);
/// `None` when `script` is missing.
fn create_on_terminal(name: &str, no_color: bool) -> Option<String> {
    let exe = env!("CARGO_BIN_EXE_kubelite");
    let mut cmd = Command::new("script");
    cmd.args([
        "-qec",
        &format!("{exe} create -f {name}.yaml >/dev/null"),
        "/dev/null",
    ])
    .current_dir(dir())
    .env("KUBELITE_HOME", home())
    .env_remove("KUBECONFIG")
    .env_remove("NO_COLOR");
    if no_color {
        cmd.env("NO_COLOR", "1");
    }
    let out = cmd.output().ok()?;
    Some(String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n"))
}

const CASES: &[&str] = &[
    "misspelt-kind",
    "wrong-api-version",
    "missing-kind",
    "syntax-error",
];

#[test]
fn without_a_terminal_diagnostics_are_plain() {
    for name in CASES {
        let out = create(name);
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            golden(name, "plain"),
            "{name}"
        );
        assert!(out.stdout.is_empty(), "{name}: nothing is created");
    }
}

#[test]
fn on_a_terminal_diagnostics_are_fancy_unless_no_color() {
    for name in CASES {
        let Some(fancy) = create_on_terminal(name, false) else {
            eprintln!("SKIPPED: util-linux `script` is missing; terminal output is untested");
            return;
        };
        assert_eq!(fancy, golden(name, "fancy"), "{name} on a terminal");
        let plain = create_on_terminal(name, true).expect("script ran before");
        assert_eq!(plain, golden(name, "plain"), "{name} with NO_COLOR");
    }
}
