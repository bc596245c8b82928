//! `--watch`: run every scenario, then again each one whose file changed (polled).

use super::{TestArgs, run_files, runner};
use crate::cli::Io;
use crate::cli::errors::CliError;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

/// How often files are looked at.
const POLL: Duration = Duration::from_millis(500);

pub fn run(
    args: &TestArgs,
    settings: &runner::Settings,
    files: &[PathBuf],
    io: &mut Io,
) -> Result<i32, CliError> {
    let mut seen = stamps(files);
    run_files(args, settings, files, io);
    let _ = writeln!(
        io.err,
        "watching {} scenario files (Ctrl-C stops)",
        files.len()
    );
    let stop = interrupted();
    loop {
        std::thread::sleep(POLL);
        if stop.load(Ordering::SeqCst) {
            // Returning drops the scenarios' template clusters: their homes go with them.
            return Ok(0);
        }
        // Files added to a watched directory join in.
        let now_files = super::scenario_files(&args.paths).unwrap_or_else(|_| files.to_vec());
        let now = stamps(&now_files);
        let changed: Vec<PathBuf> = now
            .iter()
            .filter(|(f, t)| seen.iter().find(|(g, _)| g == f).map(|(_, u)| u) != Some(t))
            .map(|(f, _)| f.clone())
            .collect();
        seen = now;
        if changed.is_empty() {
            continue;
        }
        let _ = writeln!(io.out);
        run_files(args, settings, &changed, io);
        // An --update rewrote the files: take their new times so they do not run again.
        if args.update {
            seen = stamps(&now_files);
        }
    }
}

fn stamps(files: &[PathBuf]) -> Vec<(PathBuf, Option<SystemTime>)> {
    files
        .iter()
        .map(|f| {
            let t = std::fs::metadata(f).and_then(|m| m.modified()).ok();
            (f.clone(), t)
        })
        .collect()
}

/// Set by Ctrl-C (SIGINT) or SIGTERM, which would otherwise end the process where it stands
/// and leave the template clusters' temporary homes behind.
fn interrupted() -> &'static AtomicBool {
    static STOP: AtomicBool = AtomicBool::new(false);
    extern "C" fn on_signal(_: libc::c_int) {
        STOP.store(true, Ordering::SeqCst);
    }
    for signal in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
        unsafe {
            libc::signal(signal, on_signal as *const () as libc::sighandler_t);
        }
    }
    &STOP
}
