//! Runs one scenario on a fresh cluster in a temporary home, and writes the scenario back
//! with what the commands printed: the file passes when that text is the file itself.

use super::checks;
use super::clock_step::{self, DEFAULT_NOW};
use super::format::{CommandLine, Directive, Kind, Line, Scenario};
use super::matchers;
use super::process::{self, Finished};
use super::serve::Server;
use super::temp_home::TempHome;
use super::templates::Templates;
use super::zygote::{Forks, Invocation};
use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// How scenarios run: shared by every scenario of one `kubelite test`.
pub struct Settings {
    /// The kubelite binary (the running one).
    pub kubelite: PathBuf,
    /// Where commands run (and relative paths resolve); `None`: the scenario's own folder.
    pub workdir: Option<PathBuf>,
    pub timeout: Duration,
    /// Fresh clusters booted once per environment.
    pub templates: Templates,
}

/// What running a scenario gave.
pub struct Outcome {
    /// The scenario as it would be written with what was printed.
    pub actual: String,
    /// Failures that are not output differences (checks, setup, timeouts), each with its
    /// line.
    pub problems: Vec<String>,
    /// Something went wrong that makes `actual` unfit to replace the file (a setup step or
    /// a command that could not run to its end).
    pub broken: bool,
    pub commands: usize,
}

/// The state of one scenario's run.
struct Run<'a> {
    settings: &'a Settings,
    /// Where this worker's kubelite commands run.
    forks: &'a mut Forks,
    file: &'a str,
    workdir: PathBuf,
    home: TempHome,
    env: Vec<(String, String)>,
    server: Option<Server>,
    out: String,
    problems: Vec<String>,
    broken: bool,
    commands: usize,
    /// Whether a kubelite command has run (the cluster exists from then on).
    cluster_made: bool,
}

pub fn run(
    settings: &Settings,
    forks: &mut Forks,
    file: &Path,
    scenario: &Scenario,
) -> Result<Outcome, String> {
    let workdir = match &settings.workdir {
        Some(dir) => dir.clone(),
        None => file
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
    };
    let name = file.display().to_string();
    let mut run = Run {
        settings,
        forks,
        file: &name,
        workdir,
        home: TempHome::new()?,
        env: vec![("KUBELITE_NOW".into(), DEFAULT_NOW.into())],
        server: None,
        out: String::new(),
        problems: Vec::new(),
        broken: false,
        commands: 0,
        cluster_made: false,
    };
    let lines = &scenario.lines;
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        match &line.kind {
            Kind::Command(cmd) => {
                // The expected output: the lines after the command, up to the next step.
                let end = lines[i + 1..]
                    .iter()
                    .position(|l| !is_output(&l.kind))
                    .map_or(lines.len(), |p| i + 1 + p);
                run.out.push_str(&line.text);
                run.out.push('\n');
                run.command(line, cmd, &lines[i + 1..end]);
                // A command that could not run to its end printed nothing into the text:
                // its expected lines stay as written.
                i = if run.broken { i + 1 } else { end };
            }
            Kind::Directive(d) => {
                run.out.push_str(&line.text);
                run.out.push('\n');
                run.directive(line, d);
            }
            Kind::Comment => {
                run.out.push_str(&line.text);
                run.out.push('\n');
            }
            // Output lines are written by their command.
            _ => {}
        }
        if !matches!(line.kind, Kind::Command(_)) {
            i += 1;
        }
        if run.broken {
            // The rest would run on a cluster that is not what the scenario says.
            for rest in &lines[i..] {
                run.out.push_str(&rest.text);
                run.out.push('\n');
            }
            break;
        }
    }
    if let Some(server) = run.server.take() {
        server.stop();
    }
    Ok(Outcome {
        actual: run.out,
        problems: run.problems,
        broken: run.broken,
        commands: run.commands,
    })
}

fn is_output(kind: &Kind) -> bool {
    matches!(
        kind,
        Kind::Stdout(_) | Kind::Stderr(_) | Kind::Exit(_) | Kind::NoNewline
    )
}

impl Run<'_> {
    fn problem(&mut self, line: &Line, message: impl std::fmt::Display) {
        self.problems
            .push(format!("{}:{}: {message}", self.file, line.number));
    }

    /// Before the first kubelite command (or setup step, check, serve): the home gets the
    /// fresh cluster the command would have booted, from a template.
    fn make_cluster(&mut self) {
        if self.cluster_made {
            return;
        }
        self.cluster_made = true;
        let mut key = self.env.clone();
        key.sort();
        self.settings
            .templates
            .install(&self.settings.kubelite, &key, self.home.path());
    }

    /// A command as the scenario's commands run: a clean environment, the scenario's home.
    fn command_for(&self, program: &str, args: &[String]) -> Command {
        let program: &Path = if program == "kubelite" {
            &self.settings.kubelite
        } else {
            Path::new(program)
        };
        let mut command = Command::new(program);
        command
            .args(args)
            .current_dir(&self.workdir)
            .env_clear()
            .envs(self.environment())
            .stdin(Stdio::null());
        command
    }

    /// The environment a scenario's command gets, and nothing else (the later of two
    /// settings of a name holds).
    fn environment(&self) -> Vec<(OsString, OsString)> {
        let mut env: Vec<(OsString, OsString)> = vec![
            ("PATH".into(), std::env::var_os("PATH").unwrap_or_default()),
            ("KUBELITE_HOME".into(), self.home.path().into()),
            ("HOME".into(), self.home.path().into()),
            ("TZ".into(), "UTC".into()),
            ("NO_COLOR".into(), "1".into()),
            (
                crate::embedded::throwaway::TOKEN_ENV.into(),
                super::temp_home::run_token().into(),
            ),
        ];
        for (k, v) in &self.env {
            env.retain(|(name, _)| name != k.as_str());
            env.push((k.into(), v.into()));
        }
        env
    }

    /// A kubelite command as the scenario's commands run (`command_for`), reading `stdin`.
    fn kubelite(&self, args: &[String], stdin: Option<std::fs::File>) -> Invocation {
        let mut words: Vec<OsString> = vec![self.settings.kubelite.clone().into_os_string()];
        words.extend(args.iter().map(OsString::from));
        Invocation {
            args: words,
            env: self.environment(),
            cwd: self.workdir.clone(),
            stdin,
        }
    }

    /// Runs a kubelite command, on this worker's zygote when it has one.
    fn execute_kubelite(&mut self, line: &Line, invocation: Invocation) -> Option<Finished> {
        let ran = self.forks.run(invocation, self.settings.timeout);
        self.finish(line, ran)
    }

    fn execute(&mut self, line: &Line, command: Command) -> Option<Finished> {
        let ran = process::run(command, self.settings.timeout);
        self.finish(line, ran)
    }

    /// A command's end: what it printed, or its failure to run to its end as a problem.
    fn finish(&mut self, line: &Line, ran: std::io::Result<Finished>) -> Option<Finished> {
        self.commands += 1;
        match ran {
            Ok(f) if f.timed_out => {
                let t = self.settings.timeout;
                self.problem(
                    line,
                    format!(
                        "`{}` did not finish within {}s: cut (change the limit with --timeout)",
                        line.text.trim_start_matches(['$', '@', ' ']),
                        t.as_secs_f64()
                    ),
                );
                self.broken = true;
                None
            }
            Ok(f) if f.overflowed => {
                self.problem(
                    line,
                    format!(
                        "`{}` printed more than {} MiB on a stream: not a scenario's output",
                        line.text.trim_start_matches(['$', '@', ' ']),
                        process::MAX_OUTPUT >> 20
                    ),
                );
                self.broken = true;
                None
            }
            Ok(f) => Some(f),
            Err(e) => {
                self.problem(line, format!("cannot run: {e}"));
                self.broken = true;
                None
            }
        }
    }

    fn command(&mut self, line: &Line, cmd: &CommandLine, expected: &[Line]) {
        let stdin = match &cmd.stdin {
            None => None,
            Some(file) => match std::fs::File::open(self.workdir.join(file)) {
                Ok(f) => Some(f),
                Err(e) => {
                    self.problem(line, format!("cannot open {file} for stdin: {e}"));
                    self.broken = true;
                    return;
                }
            },
        };
        let done = if cmd.program == "kubelite" {
            self.make_cluster();
            let invocation = self.kubelite(&cmd.args, stdin);
            self.execute_kubelite(line, invocation)
        } else {
            let mut command = self.command_for(&cmd.program, &cmd.args);
            if let Some(f) = stdin {
                command.stdin(f);
            }
            self.execute(line, command)
        };
        let Some(done) = done else {
            return;
        };
        let want_out: Vec<&str> = expected
            .iter()
            .filter_map(|l| match &l.kind {
                Kind::Stdout(s) => Some(s.as_str()),
                _ => None,
            })
            .collect();
        let want_err: Vec<&str> = expected
            .iter()
            .filter_map(|l| match &l.kind {
                Kind::Stderr(s) => Some(s.as_str()),
                _ => None,
            })
            .collect();
        let stdout = String::from_utf8_lossy(&done.stdout);
        for (n, l) in stdout.split_inclusive('\n').enumerate() {
            let l = l.strip_suffix('\n').unwrap_or(l);
            write_output(&mut self.out, '>', l, want_out.get(n).copied());
        }
        if !done.stdout.is_empty() && !done.stdout.ends_with(b"\n") {
            self.out.push_str("%no-newline\n");
        }
        let stderr = String::from_utf8_lossy(&done.stderr);
        for (n, l) in stderr.lines().enumerate() {
            write_output(&mut self.out, '!', l, want_err.get(n).copied());
        }
        match done.code {
            Some(0) => {}
            Some(code) => writeln!(self.out, "? {code}").unwrap_or_default(),
            None => writeln!(self.out, "? -1").unwrap_or_default(),
        }
    }

    fn directive(&mut self, line: &Line, directive: &Directive) {
        if !matches!(
            directive,
            Directive::Env(..)
                | Directive::Advance(_)
                | Directive::Workers(_)
                | Directive::Snapshot(_)
        ) {
            self.make_cluster();
        }
        match directive {
            Directive::Env(k, v) => self.set_env(k, v),
            Directive::Advance(_) if self.server.is_some() => {
                self.problem(
                    line,
                    "@advance after @serve: the server keeps its own clock, which a step \
                     cannot move (step the clock before @serve)",
                );
                self.broken = true;
            }
            Directive::Advance(step) => {
                let now = self.env_value("KUBELITE_NOW").unwrap_or(DEFAULT_NOW);
                match clock_step::advance(now, *step) {
                    Ok(next) => self.set_env("KUBELITE_NOW", &next),
                    Err(e) => {
                        self.problem(line, e);
                        self.broken = true;
                    }
                }
            }
            Directive::Workers(n) => self.set_env("KUBELITE_WORKERS", &n.to_string()),
            Directive::Apply(path) => {
                let mut args = vec!["apply".to_string(), "-f".into(), path.clone()];
                if self.workdir.join(path).is_dir() {
                    args.push("-R".into());
                }
                self.setup(line, &args);
            }
            Directive::Kustomize(dir) => {
                self.setup(line, &["apply".into(), "-k".into(), dir.clone()]);
            }
            Directive::NodeLabel(node, labels) => {
                let mut args = vec!["label".into(), "node".into(), node.clone()];
                args.extend(labels.iter().cloned());
                args.push("--overwrite".into());
                self.setup(line, &args);
            }
            Directive::NodeTaint(node, taints) => {
                let mut args = vec!["taint".into(), "node".into(), node.clone()];
                args.extend(taints.iter().cloned());
                args.push("--overwrite".into());
                self.setup(line, &args);
            }
            Directive::Expect {
                get,
                jsonpath,
                value,
            } => {
                let mut args = vec!["get".to_string()];
                args.extend(get.iter().cloned());
                args.push(format!("-o=jsonpath={jsonpath}"));
                let invocation = self.kubelite(&args, None);
                if let Some(done) = self.execute_kubelite(line, invocation)
                    && let Some(wrong) = checks::expect(&done, value)
                {
                    self.problem(line, format!("{}: {wrong}", line.text));
                }
            }
            Directive::ExpectCount { get, count } => {
                let mut args = vec!["get".to_string()];
                args.extend(get.iter().cloned());
                args.push("-o=name".into());
                let invocation = self.kubelite(&args, None);
                if let Some(done) = self.execute_kubelite(line, invocation)
                    && let Some(wrong) = checks::expect_count(&done, *count)
                {
                    self.problem(line, format!("{}: {wrong}", line.text));
                }
            }
            Directive::Serve => self.serve(line),
            Directive::Snapshot(path) => self.restore(line, path),
        }
    }

    /// A setup step: a kubelite command that must succeed; its output is not part of the
    /// scenario.
    fn setup(&mut self, line: &Line, args: &[String]) {
        let invocation = self.kubelite(args, None);
        let Some(done) = self.execute_kubelite(line, invocation) else {
            return;
        };
        if done.code != Some(0) {
            let said = String::from_utf8_lossy(&done.stderr);
            self.problem(
                line,
                format!(
                    "setup step `kubelite {}` failed:\n{}",
                    args.join(" "),
                    said.trim_end()
                ),
            );
            self.broken = true;
        }
    }

    /// `@snapshot FILE`: the scenario's cluster is the saved one (the parser let it come
    /// before anything that makes a cluster).
    fn restore(&mut self, line: &Line, path: &str) {
        self.cluster_made = true;
        let file = self.workdir.join(path);
        if let Err(e) = crate::embedded::snapshot::restore(&file, self.home.path()) {
            self.problem(line, format!("@snapshot: {e}"));
            self.broken = true;
        }
    }

    fn serve(&mut self, line: &Line) {
        if self.server.is_some() {
            self.problem(line, "@serve: the scenario's server is already running");
            self.broken = true;
            return;
        }
        let command =
            self.command_for("kubelite", &["serve".into(), "--listen=127.0.0.1:0".into()]);
        match Server::start(command, self.settings.timeout) {
            Ok(server) => {
                let kubeconfig = server.kubeconfig.display().to_string();
                self.set_env("KUBECONFIG", &kubeconfig);
                self.server = Some(server);
            }
            Err(e) => {
                self.problem(line, format!("@serve: {e}"));
                self.broken = true;
            }
        }
    }

    fn set_env(&mut self, k: &str, v: &str) {
        self.env.retain(|(name, _)| name != k);
        self.env.push((k.to_string(), v.to_string()));
    }

    fn env_value(&self, k: &str) -> Option<&str> {
        self.env
            .iter()
            .find(|(name, _)| name == k)
            .map(|(_, v)| v.as_str())
    }
}

/// One output line: the expected line when it matches through its matchers (so matchers
/// survive `--update`), else what was printed.
fn write_output(out: &mut String, mark: char, actual: &str, expected: Option<&str>) {
    let line = match expected {
        Some(e) if e != actual && matchers::matches(e, actual) => e,
        _ => actual,
    };
    if line.is_empty() {
        out.push(mark);
    } else {
        out.push(mark);
        out.push(' ');
        out.push_str(line);
    }
    out.push('\n');
}
