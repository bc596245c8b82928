//! Golden-file scenarios: `testdata/golden/*.txt` hold commands with the exact stdout,
//! stderr and exit status they must give. Each scenario runs on a new embedded cluster
//! with a fixed clock.
//!
//! Format: `$ kubelite ARGS...` (optionally `< FILE` for stdin) starts a command; then
//! `> text` is a stdout line, `! text` a stderr line (a bare `>` or `!` is an empty line),
//! `? N` the exit status (0 when absent). `# ...` lines and blank lines are comments.
//! `@env NAME=VALUE` sets a variable for the rest of the scenario.
//!
//! Regenerate on purpose with `KUBELITE_UPDATE_GOLDEN=1 cargo test --test golden`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const DEFAULT_NOW: &str = "2026-11-29T01:42:16Z";

struct Step {
    args: Vec<String>,
    stdin: Option<String>,
}

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

/// Splits a command line into words, honouring single and double quotes.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut in_word = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, ' ') => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    out
}

fn parse_step(line: &str) -> Step {
    let mut args = words(line);
    let mut stdin = None;
    if let Some(pos) = args.iter().position(|a| a == "<") {
        stdin = args.get(pos + 1).cloned();
        args.truncate(pos);
    }
    assert_eq!(
        args.first().map(String::as_str),
        Some("kubelite"),
        "scenario commands start with kubelite: {line}"
    );
    args.remove(0);
    Step { args, stdin }
}

/// Runs one scenario and returns its text as the binary produces it now.
fn run_scenario(text: &str) -> String {
    let home = tempdir();
    let mut env: Vec<(String, String)> = vec![("KUBELITE_NOW".into(), DEFAULT_NOW.into())];
    let mut out = String::new();
    for line in text.lines() {
        if let Some(assignment) = line.strip_prefix("@env ") {
            let (k, v) = assignment.split_once('=').expect("@env NAME=VALUE");
            env.retain(|(name, _)| name != k);
            env.push((k.to_string(), v.to_string()));
            out.push_str(line);
            out.push('\n');
        } else if let Some(cmd) = line.strip_prefix("$ ") {
            out.push_str(line);
            out.push('\n');
            let step = parse_step(cmd);
            let mut command = Command::new(env!("CARGO_BIN_EXE_kubelite"));
            command
                .args(&step.args)
                .current_dir(testdata())
                .env_clear()
                .env("PATH", std::env::var("PATH").unwrap_or_default())
                .env("KUBELITE_HOME", home.path())
                .env("HOME", home.path())
                .env("TZ", "UTC")
                .env("NO_COLOR", "1")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            for (k, v) in &env {
                command.env(k, v);
            }
            command.stdin(match &step.stdin {
                Some(f) => {
                    Stdio::from(std::fs::File::open(testdata().join(f)).expect("stdin file"))
                }
                None => Stdio::null(),
            });
            let output = command.output().expect("run kubelite");
            for l in String::from_utf8_lossy(&output.stdout).split_inclusive('\n') {
                let l = l.strip_suffix('\n').unwrap_or(l);
                if l.is_empty() {
                    out.push_str(">\n");
                } else {
                    writeln!(out, "> {l}").unwrap();
                }
            }
            if !output.stdout.is_empty() && !output.stdout.ends_with(b"\n") {
                out.push_str("%no-newline\n");
            }
            for l in String::from_utf8_lossy(&output.stderr).lines() {
                if l.is_empty() {
                    out.push_str("!\n");
                } else {
                    writeln!(out, "! {l}").unwrap();
                }
            }
            let code = output.status.code().unwrap_or(-1);
            if code != 0 {
                writeln!(out, "? {code}").unwrap();
            }
        } else if line.starts_with('#') || line.trim().is_empty() {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// A temporary directory removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn tempdir() -> TempDir {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "kubelite-golden-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    TempDir(dir)
}

#[test]
fn golden_scenarios() {
    let update = std::env::var_os("KUBELITE_UPDATE_GOLDEN").is_some();
    let mut files: Vec<PathBuf> = std::fs::read_dir(testdata().join("golden"))
        .expect("testdata/golden")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no golden scenarios found");
    let mut failures = Vec::new();
    for file in &files {
        let expected = std::fs::read_to_string(file).expect("read scenario");
        let actual = run_scenario(&expected);
        if actual != expected {
            if update {
                std::fs::write(file, &actual).expect("write scenario");
            } else {
                failures.push(format!("{}:\n{}", file.display(), diff(&expected, &actual)));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "golden scenarios differ (regenerate with KUBELITE_UPDATE_GOLDEN=1 if intended):\n{}",
        failures.join("\n")
    );
}

/// The first differing lines, enough to see what changed.
fn diff(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let mut out = String::new();
    let mut shown = 0;
    for i in 0..e.len().max(a.len()) {
        let (x, y) = (e.get(i).copied(), a.get(i).copied());
        if x != y {
            writeln!(
                out,
                "  line {}:\n    expected: {:?}\n    actual:   {:?}",
                i + 1,
                x,
                y
            )
            .unwrap();
            shown += 1;
            if shown == 8 {
                break;
            }
        }
    }
    out
}
