//! Runs one command line through kubelite and through the real kubectl against the same
//! server, and says how their outputs differ.

use super::support::{BIN, Run, Server};
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// kubelite against `server`.
pub fn kubelite(server: &Server, args: &[&str]) -> Run {
    kubelite_on(&server.home.0, args)
}

/// kubelite against the server whose `KUBELITE_HOME` is `home`. While `kubelite serve`
/// holds the store of a home, kubelite commands on that home reach it over HTTPS: this is
/// the one place that chooses how kubelite is pointed at a server (later: `--kubeconfig`,
/// as kubectl is). Its discovery cache is its own (`KUBECACHEDIR`), fresh per server.
pub fn kubelite_on(home: &Path, args: &[&str]) -> Run {
    let mut cmd = kubelite_command(home);
    cmd.args(args);
    bounded(cmd)
}

/// The kubelite command, before its arguments, pointed at the server of `home` through
/// `home/kubeconfig`, as a user reaches a remote cluster. Its own KUBELITE_HOME is a
/// separate empty directory, so the kubeconfig is the only way to that server.
pub fn kubelite_command(home: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.arg("--kubeconfig")
        .arg(home.join("kubeconfig"))
        .env("KUBELITE_HOME", home.join("kubelite-client-home"))
        .env("KUBECACHEDIR", home.join("kubelite-cache"))
        .env_remove("KUBECONFIG")
        .env_remove("KUBELITE_NOW");
    cmd
}

/// The real kubectl with a kubeconfig and its own discovery cache.
pub fn kubectl_on(kubeconfig: &Path, cache: &Path, args: &[&str]) -> Run {
    let mut cmd = Command::new("kubectl");
    cmd.arg("--kubeconfig")
        .arg(kubeconfig)
        .arg("--cache-dir")
        .arg(cache)
        .args(args)
        .env_remove("KUBECONFIG");
    bounded(cmd)
}

/// How long one command may take: a command that hangs (waiting for a deletion that
/// never comes, say) fails its comparison instead of hanging the test run.
const COMMAND_LIMIT: Duration = Duration::from_secs(60);

/// Runs `cmd`, killing it after [`COMMAND_LIMIT`] (exit status -9 and a note on stderr).
pub fn bounded(mut cmd: Command) -> Run {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start command");
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = out.read_to_end(&mut b);
        b
    });
    let err = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = err.read_to_end(&mut b);
        b
    });
    let deadline = Instant::now() + COMMAND_LIMIT;
    let code = loop {
        if let Ok(Some(status)) = child.try_wait() {
            break status.code().unwrap_or(-1);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break -9;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let mut stderr = String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned();
    if code == -9 {
        stderr.push_str("<killed: took longer than the test's limit>\n");
    }
    Run {
        stdout: String::from_utf8_lossy(&out.join().unwrap_or_default()).into_owned(),
        stderr,
        code,
    }
}

/// A server both tools can be run against.
pub trait Both {
    fn kubelite(&self, args: &[&str]) -> Run;
    fn kubectl(&self, args: &[&str]) -> Run;
}

impl Both for Server {
    fn kubelite(&self, args: &[&str]) -> Run {
        kubelite(self, args)
    }

    fn kubectl(&self, args: &[&str]) -> Run {
        kubectl_on(&self.kubeconfig(), &self.home.0.join("kubectl-cache"), args)
    }
}

/// Ages differ with the moment each tool ran: age-like words become `AGE`, and on a line
/// that had one, runs of spaces become one (alignment there depends on the ages' widths).
pub fn mask_ages(text: &str) -> String {
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        let mut changed = false;
        let masked: String = split_keeping_spaces(line)
            .into_iter()
            .map(|word| {
                if is_age(word.trim_end_matches(['\n', ',', ')'])) {
                    changed = true;
                    let tail = &word[word.trim_end_matches(['\n', ',', ')']).len()..];
                    format!("AGE{tail}")
                } else {
                    word.to_string()
                }
            })
            .collect();
        if changed {
            let mut squeezed = String::new();
            for c in masked.chars() {
                if !(c == ' ' && squeezed.ends_with(' ')) {
                    squeezed.push(c);
                }
            }
            out.push_str(&squeezed);
        } else {
            out.push_str(&masked);
        }
    }
    out
}

/// Words and the runs of spaces between them, in order.
fn split_keeping_spaces(line: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let bytes = line.as_bytes();
    for i in 1..=bytes.len() {
        let boundary = i == bytes.len() || (bytes[i] == b' ') != (bytes[i - 1] == b' ');
        if boundary {
            parts.push(&line[start..i]);
            start = i;
        }
    }
    parts
}

/// `5s`, `42m`, `3d1h`, `10m`, `<invalid>`: what kubectl's age printer writes.
fn is_age(word: &str) -> bool {
    if word == "<invalid>" {
        return true;
    }
    let mut rest = word;
    let mut parts = 0;
    while !rest.is_empty() {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 {
            return false;
        }
        rest = &rest[digits..];
        match rest.chars().next() {
            Some('s' | 'm' | 'h' | 'd' | 'y') => rest = &rest[1..],
            _ => return false,
        }
        parts += 1;
    }
    parts > 0 && parts <= 2
}

/// What differs between kubelite's and kubectl's run of one command, if anything.
pub fn difference(args: &[&str], ours: &Run, theirs: &Run) -> Option<String> {
    let ours_out = mask_ages(&ours.stdout);
    let theirs_out = mask_ages(&theirs.stdout);
    let ours_err = mask_ages(&ours.stderr);
    let theirs_err = mask_ages(&theirs.stderr);
    if ours_out == theirs_out && ours_err == theirs_err && ours.code == theirs.code {
        return None;
    }
    Some(format!(
        "`{}`:\n{}{}{}",
        args.join(" "),
        first_difference("stdout", &ours_out, &theirs_out),
        first_difference("stderr", &ours_err, &theirs_err),
        if ours.code == theirs.code {
            String::new()
        } else {
            format!("  exit: kubelite {} kubectl {}\n", ours.code, theirs.code)
        }
    ))
}

/// The first differing line of two texts, with the line number.
fn first_difference(what: &str, ours: &str, theirs: &str) -> String {
    if ours == theirs {
        return String::new();
    }
    let (a, b): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), theirs.lines().collect());
    let n = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    format!(
        "  {what} line {}:\n    kubelite: {:?}\n    kubectl:  {:?}\n",
        n + 1,
        a.get(n).copied().unwrap_or("<end>"),
        b.get(n).copied().unwrap_or("<end>")
    )
}

/// Collects the differences of many command lines, to report them all at once.
#[derive(Default)]
pub struct Comparison {
    pub checked: usize,
    pub differences: Vec<String>,
}

impl Comparison {
    /// Runs `args` through both tools (kubelite first) and records any difference.
    pub fn same(&mut self, server: &dyn Both, args: &[&str]) {
        let ours = server.kubelite(args);
        let theirs = Both::kubectl(server, args);
        self.record(args, &ours, &theirs);
    }

    /// For commands that change the cluster: `reset` (kubectl command lines) runs before
    /// each tool's turn, so both start from the same state.
    pub fn same_after(&mut self, server: &dyn Both, reset: &[&[&str]], args: &[&str]) {
        for r in reset {
            Both::kubectl(server, r);
        }
        let ours = server.kubelite(args);
        for r in reset {
            Both::kubectl(server, r);
        }
        let theirs = Both::kubectl(server, args);
        self.record(args, &ours, &theirs);
    }

    pub fn record(&mut self, args: &[&str], ours: &Run, theirs: &Run) {
        self.checked += 1;
        if let Some(d) = difference(args, ours, theirs) {
            self.differences.push(d);
        }
    }

    /// Fails listing every difference.
    pub fn assert_none(&self) {
        assert!(
            self.differences.is_empty(),
            "{} of {} command lines differ from kubectl:\n{}",
            self.differences.len(),
            self.checked,
            self.differences.join("\n")
        );
        assert!(self.checked > 0, "nothing was compared");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_are_masked_and_nothing_else() {
        assert_eq!(
            mask_ages("web   1/1   Running   0     5m\nx     0/1   Pending   12   3d1h\n"),
            "web 1/1 Running 0 AGE\nx 0/1 Pending 12 AGE\n"
        );
        assert_eq!(
            mask_ages("Name:  web\nPort:  80/TCP\n"),
            "Name:  web\nPort:  80/TCP\n"
        );
        assert_eq!(
            mask_ages("  Normal  Pulled  10m (x4 over 25m)  kubelet\n"),
            " Normal Pulled AGE (x4 over AGE) kubelet\n"
        );
        assert!(!is_age("5") && !is_age("m") && !is_age("1/1") && !is_age("web"));
    }
}
