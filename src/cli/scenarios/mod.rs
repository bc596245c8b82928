//! `kubelite test`: runs scenario files (commands with the output they must print, setup
//! steps, clock steps and checks), each on a fresh deterministic cluster in a temporary
//! home, several at once. The format's reference is `docs/scenarios.md`.

mod checks;
mod clock_step;
mod format;
mod matchers;
mod process;
mod report;
mod runner;
mod serve;
mod temp_home;
mod templates;
mod watch;
pub mod zygote;

use super::Io;
use super::errors::CliError;
use report::Status;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug)]
pub struct TestArgs {
    /// Scenario files, or directories searched for `*.txt` scenarios (default: the current
    /// directory)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Write what the commands printed as the new expected output (never into a file that
    /// does not parse, nor one whose setup failed)
    #[arg(long)]
    pub update: bool,
    /// How long one command may run before it is cut and its scenario fails (30s, 2m, ...)
    #[arg(long, default_value = "30s", value_parser = parse_timeout)]
    pub timeout: Duration,
    /// How many scenarios run at once (default: the number of cores)
    #[arg(short = 'j', long, value_name = "N")]
    pub jobs: Option<usize>,
    /// The directory commands run in and relative paths start from (default: each
    /// scenario's own directory)
    #[arg(long, value_name = "DIR")]
    pub workdir: Option<PathBuf>,
    /// Also write the results as JUnit XML to FILE
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// How results are printed: human, or tap (Test Anything Protocol, version 13)
    #[arg(long, default_value = "human", value_parser = ["human", "tap"])]
    pub format: String,
    /// Run the scenarios, then run again each one whose file changes, until interrupted
    #[arg(long)]
    pub watch: bool,
}

fn parse_timeout(s: &str) -> Result<Duration, String> {
    clock_step::parse_duration(s).and_then(|d| {
        if d.is_zero() {
            Err("the timeout must be longer than 0s".into())
        } else {
            Ok(d)
        }
    })
}

pub fn run(args: &TestArgs, io: &mut Io) -> Result<i32, CliError> {
    let kubelite = std::env::current_exe()
        .map_err(|e| CliError::message(format!("cannot find the kubelite binary: {e}")))?;
    let settings = runner::Settings {
        kubelite,
        workdir: args.workdir.clone(),
        timeout: args.timeout,
        templates: templates::Templates::default(),
    };
    let files = scenario_files(&args.paths).map_err(CliError::message)?;
    if files.is_empty() {
        return Err(CliError::message(
            "no scenario files found (a directory is searched for *.txt files)",
        ));
    }
    if args.watch {
        return watch::run(args, &settings, &files, io);
    }
    Ok(run_files(args, &settings, &files, io))
}

/// Runs the files and reports; the exit status: 0 when every scenario passed.
fn run_files(args: &TestArgs, settings: &runner::Settings, files: &[PathBuf], io: &mut Io) -> i32 {
    let started = Instant::now();
    let results = run_all(args, settings, files);
    let elapsed = started.elapsed();
    let printed = if args.format == "tap" {
        report::tap(&results)
    } else {
        report::human(&results, elapsed)
    };
    let _ = io.out.write_all(printed.as_bytes());
    let _ = io.out.flush();
    if let Some(path) = &args.junit
        && let Err(e) = std::fs::write(path, report::junit(&results, elapsed))
    {
        let _ = writeln!(io.err, "error: cannot write {}: {e}", path.display());
        return 1;
    }
    i32::from(results.iter().any(|r| r.status == Status::Failed))
}

/// Runs every file, `--jobs` at a time, and gives the results in the files' order.
fn run_all(args: &TestArgs, settings: &runner::Settings, files: &[PathBuf]) -> Vec<report::Result> {
    let jobs = args
        .jobs
        .or_else(|| std::thread::available_parallelism().ok().map(Into::into))
        .unwrap_or(1)
        .clamp(1, 64)
        .min(files.len().max(1));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<report::Result>>> =
        Mutex::new(files.iter().map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                // Each worker's kubelite commands are forked from its own zygote.
                let mut forks = zygote::Forks::new(&settings.kubelite);
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(file) = files.get(i) else { break };
                    let result = run_file(args.update, settings, &mut forks, file);
                    if let Ok(mut all) = results.lock() {
                        all[i] = Some(result);
                    }
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect()
}

/// Runs one scenario file: parse, run, compare (or rewrite with `--update`).
fn run_file(
    update: bool,
    settings: &runner::Settings,
    forks: &mut zygote::Forks,
    file: &Path,
) -> report::Result {
    let started = Instant::now();
    let name = file.display().to_string();
    let result = |status, detail, commands| report::Result {
        file: name.clone(),
        status,
        detail,
        commands,
        elapsed: started.elapsed(),
    };
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => return result(Status::Failed, format!("{name}: cannot read: {e}"), 0),
    };
    let scenario = match format::parse(&name, &text) {
        Ok(s) => s,
        Err(e) => return result(Status::Failed, e.render(), 0),
    };
    let outcome = match runner::run(settings, forks, file, &scenario) {
        Ok(o) => o,
        Err(e) => return result(Status::Failed, format!("{name}: {e}"), 0),
    };
    let differs = outcome.actual != text;
    let mut detail = outcome.problems.join("\n");
    let mut status = if outcome.problems.is_empty() {
        Status::Passed
    } else {
        Status::Failed
    };
    if differs {
        if update && !outcome.broken {
            if let Err(e) = std::fs::write(file, &outcome.actual) {
                status = Status::Failed;
                detail.push_str(&format!("\n{name}: cannot write: {e}"));
            } else if status == Status::Passed {
                status = Status::Updated;
            }
        } else {
            status = Status::Failed;
            if !detail.is_empty() {
                detail.push('\n');
            }
            detail.push_str(&difference(&name, &scenario, &text, &outcome.actual));
        }
    }
    result(status, detail, outcome.commands)
}

/// Where the printed output first differs from the file (the command's line), then a
/// unified diff of the file against what was printed.
fn difference(name: &str, scenario: &format::Scenario, expected: &str, actual: &str) -> String {
    let first = expected
        .lines()
        .zip(actual.lines())
        .position(|(e, a)| e != a)
        .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
    // The command whose output this is: the last command line at or before it.
    let command = scenario
        .lines
        .iter()
        .take(first + 1)
        .rev()
        .find(|l| matches!(l.kind, format::Kind::Command(_)));
    let header = match command {
        Some(c) => format!(
            "{name}:{}: `{}` printed something else",
            c.number,
            &c.text[2..]
        ),
        None => format!("{name}:{}: the scenario differs", first + 1),
    };
    let diff = similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(3)
        .header(&format!("{name} (expected)"), &format!("{name} (printed)"))
        .to_string();
    format!("{header}\n{diff}")
}

/// The scenario files the paths name: files as given, directories searched (recursively)
/// for `*.txt`, each list sorted.
fn scenario_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut files = Vec::new();
    for path in paths {
        let meta =
            std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found, 0)?;
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>, depth: usize) -> Result<(), String> {
    // Deep enough for any test tree; a symlink loop ends here.
    if depth > 16 {
        return Ok(());
    }
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, found, depth + 1)?;
        } else if path.extension().is_some_and(|e| e == "txt") {
            found.push(path);
        }
    }
    Ok(())
}
