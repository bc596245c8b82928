//! Command line and report of a fuzz run: `--cases N` (per surface), `--surface NAME`
//! (repeatable or comma-separated), `--seed N`, `--jobs N`; other words select surfaces by
//! name (`fuzz` selects all), as `cargo test FILTER` passes them.

use crate::engine::{self, Limits, Report, Surface};
use std::process::ExitCode;
use std::time::Duration;

pub struct Defaults {
    pub cases: u64,
    pub serve_cases: u64,
    pub jobs: usize,
    /// Run the harness's own check that it catches a panic.
    pub self_test: bool,
}

struct Options {
    cases: Option<u64>,
    surfaces: Vec<String>,
    filters: Vec<String>,
    seed: u64,
    jobs: usize,
}

fn parse_args(d: &Defaults) -> Result<Options, String> {
    let mut o = Options {
        cases: None,
        surfaces: Vec::new(),
        filters: Vec::new(),
        seed: 0x6b75_6265,
        jobs: d.jobs,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (a.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "--cases" => {
                o.cases = Some(
                    value("--cases")?
                        .replace('_', "")
                        .parse()
                        .map_err(|e| format!("--cases: {e}"))?,
                );
            }
            "--seed" => {
                o.seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?;
            }
            "--jobs" => {
                o.jobs = value("--jobs")?
                    .parse()
                    .map_err(|e| format!("--jobs: {e}"))?;
            }
            "--surface" => o
                .surfaces
                .extend(value("--surface")?.split(',').map(str::to_string)),
            // What cargo and libtest pass along; nothing to do with them here.
            "--bench" | "--nocapture" | "--test-threads" | "--quiet" | "-q" | "--exact" => {}
            f if f.starts_with('-') => {}
            _ => o.filters.push(a),
        }
    }
    Ok(o)
}

fn print_report(name: &str, r: &Report, extra: &str) {
    println!(
        "surface {name}: {} cases ({} seeds), {} panics, {} oracle failures, {} over the time bound; slowest case {:.1} ms; {:.1} s{extra}",
        r.cases,
        r.seeds,
        r.panics,
        r.oracle,
        r.slow,
        r.slowest.as_secs_f64() * 1000.0,
        r.elapsed.as_secs_f64()
    );
    for (what, saved) in engine::summary(r) {
        println!("    {what}\n      input: {saved}");
    }
}

/// The harness must see a panic: a check that panics on `boom` is run on inputs that
/// contain it, and the panic must be counted and its input saved.
fn self_test() -> Result<(), String> {
    fn check(input: &[u8]) -> Result<(), String> {
        if input.windows(4).any(|w| w == b"boom") {
            panic!("self-test panic");
        }
        if input.windows(4).any(|w| w == b"lies") {
            return Err("self-test oracle".into());
        }
        Ok(())
    }
    fn generate(u: &mut arbitrary::Unstructured<'_>) -> arbitrary::Result<Vec<u8>> {
        Ok(u.choose(&["boom", "lies", "fine"])?.as_bytes().to_vec())
    }
    let s = Surface {
        name: "self-test",
        dict: &["boom"],
        generate,
        check,
        max_len: 64,
    };
    let r = engine::run(&s, &limits(200, 1, 1, false));
    let saved = r.failures.iter().all(|f| f.saved.is_file());
    if r.panics == 0 || r.oracle == 0 || !saved {
        return Err(format!(
            "the harness missed planted failures: {} panics, {} oracle failures, saved: {saved}",
            r.panics, r.oracle
        ));
    }
    let _ = std::fs::remove_dir_all(engine::crash_dir("self-test"));
    Ok(())
}

/// stdin becomes /dev/null: code under test that prompts (kubeconfig's basic-auth prompt)
/// reads EOF instead of waiting on a terminal.
fn stdin_from_null() {
    if let Ok(null) = std::fs::File::open("/dev/null") {
        use std::os::fd::AsRawFd;
        // SAFETY: both descriptors are open; dup2 reports failure by value.
        unsafe {
            libc::dup2(null.as_raw_fd(), 0);
        }
    }
}

/// While alive, the process's stdout goes to /dev/null (what the code under test prints
/// there is noise in the report); dropped, stdout is back.
struct QuietStdout(Option<std::os::fd::RawFd>);

impl QuietStdout {
    fn new() -> QuietStdout {
        use std::io::Write;
        use std::os::fd::AsRawFd;
        let _ = std::io::stdout().flush();
        let Ok(null) = std::fs::OpenOptions::new().write(true).open("/dev/null") else {
            return QuietStdout(None);
        };
        // SAFETY: descriptor 1 and `null` are open; dup and dup2 report failure by value.
        unsafe {
            let saved = libc::dup(1);
            if saved < 0 {
                return QuietStdout(None);
            }
            libc::dup2(null.as_raw_fd(), 1);
            QuietStdout(Some(saved))
        }
    }
}

impl Drop for QuietStdout {
    fn drop(&mut self) {
        use std::io::Write;
        let _ = std::io::stdout().flush();
        if let Some(saved) = self.0 {
            // SAFETY: `saved` is the descriptor dup made of stdout and nothing closed it.
            unsafe {
                libc::dup2(saved, 1);
                libc::close(saved);
            }
        }
    }
}

fn limits(cases: u64, seed: u64, jobs: usize, serve: bool) -> Limits {
    let debug = cfg!(debug_assertions);
    Limits {
        cases,
        seed,
        jobs,
        case_time: match (serve, debug) {
            (true, _) => Duration::from_secs(20),
            // A YAML alias bomb stops at serde-saphyr's node budget after ~0.5 s in release
            // (several seconds in debug on a busy machine; 3.2 s in release at nice 19 beside
            // two builds): the bound is well above that.
            (false, true) => Duration::from_secs(15),
            (false, false) => Duration::from_secs(10),
        },
        hang_time: Duration::from_secs(if serve { 60 } else { 30 }),
    }
}

pub fn main(d: Defaults) -> ExitCode {
    let o = match parse_args(&d) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("fuzz: {e}");
            return ExitCode::from(2);
        }
    };
    stdin_from_null();
    let mut surfaces = crate::surfaces::all();
    surfaces.push(crate::serve::surface());
    let known: Vec<&str> = surfaces.iter().map(|s| s.name).collect();
    if let Some(bad) = o.surfaces.iter().find(|s| !known.contains(&s.as_str())) {
        eprintln!("fuzz: no surface {bad:?}; surfaces: {}", known.join(", "));
        return ExitCode::from(2);
    }
    let wanted = |name: &str| {
        if !o.surfaces.is_empty() {
            return o.surfaces.iter().any(|s| s == name);
        }
        o.filters.is_empty()
            || o.filters
                .iter()
                .any(|f| name.contains(f.as_str()) || "fuzz".contains(f.as_str()))
    };
    let (mut passed, mut failed) = (0, 0);
    if d.self_test && o.surfaces.is_empty() {
        match self_test() {
            Ok(()) => {
                println!(
                    "self-test: the harness catches a planted panic and a planted oracle failure"
                );
                passed += 1;
            }
            Err(e) => {
                println!("self-test FAILED: {e}");
                failed += 1;
            }
        }
    }
    for s in surfaces.iter().filter(|s| wanted(s.name)) {
        let serve = s.name == "serve-http";
        let cases = o
            .cases
            .unwrap_or(if serve { d.serve_cases } else { d.cases });
        let mut extra = String::new();
        let report = if serve {
            match crate::serve::Server::start() {
                Ok(server) => {
                    let r = engine::run(s, &limits(cases, o.seed, o.jobs, true));
                    let ready = server.ready();
                    let status = server.stop();
                    let oc: Vec<u64> = crate::serve::OUTCOMES
                        .iter()
                        .map(|a| a.load(std::sync::atomic::Ordering::Relaxed))
                        .collect();
                    extra = format!(
                        "; answers 1xx {} 2xx {} 3xx {} 4xx {} 5xx {}, closed unanswered (malformed) {}; /readyz at the end: {}; exit status on SIGTERM: {status:?}",
                        oc[1],
                        oc[2],
                        oc[3],
                        oc[4],
                        oc[5],
                        oc[0],
                        match &ready {
                            Ok(()) => "200".to_string(),
                            Err(e) => e.clone(),
                        }
                    );
                    let mut r = r;
                    if ready.is_err() || status != Some(0) {
                        r.oracle += 1;
                    }
                    r
                }
                Err(e) => {
                    println!("surface serve-http: could not start the server: {e}");
                    failed += 1;
                    continue;
                }
            }
        } else {
            let _quiet = QuietStdout::new();
            engine::run(s, &limits(cases, o.seed, o.jobs, false))
        };
        print_report(s.name, &report, &extra);
        if report.failed() == 0 {
            passed += 1;
        } else {
            failed += 1;
        }
    }
    println!("fuzz: {passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
