//! The loop every in-process surface runs: seeds from `testdata/fuzz/<surface>/`, mutated by
//! a seeded RNG (`fastrand`) or generated from random bytes through `arbitrary`, each case
//! run under `catch_unwind` with its time measured. A panic, a broken oracle or a case over
//! the time bound is a failure, saved under `target/fuzz-crashes/<surface>/`; a case that
//! never returns is caught by a watchdog, saved, and ends the process.

use arbitrary::Unstructured;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};

/// Runs one input; `Err` is an oracle that did not hold.
pub type Check = fn(&[u8]) -> Result<(), String>;
/// Builds one input from random bytes.
pub type Generate = fn(&mut Unstructured<'_>) -> arbitrary::Result<Vec<u8>>;

pub struct Surface {
    pub name: &'static str,
    /// Tokens the mutator inserts (keywords, operators, directives of the grammar).
    pub dict: &'static [&'static str],
    pub generate: Generate,
    pub check: Check,
    /// Inputs are cut to this many bytes.
    pub max_len: usize,
}

/// What went wrong with one input.
#[derive(Debug, Clone)]
pub struct Failure {
    pub kind: &'static str,
    pub message: String,
    pub saved: PathBuf,
}

#[derive(Debug, Default)]
pub struct Report {
    pub cases: u64,
    pub seeds: usize,
    pub panics: u64,
    pub oracle: u64,
    pub slow: u64,
    pub slowest: Duration,
    pub elapsed: Duration,
    /// The first failure of each distinct message (panic location or oracle text).
    pub failures: Vec<Failure>,
}

impl Report {
    pub fn failed(&self) -> u64 {
        self.panics + self.oracle + self.slow
    }

    fn absorb(&mut self, other: Report) {
        self.cases += other.cases;
        self.panics += other.panics;
        self.oracle += other.oracle;
        self.slow += other.slow;
        self.slowest = self.slowest.max(other.slowest);
        for f in other.failures {
            if !self.failures.iter().any(|g| g.message == f.message) {
                self.failures.push(f);
            }
        }
    }
}

/// How a run is bounded.
#[derive(Debug, Clone)]
pub struct Limits {
    pub cases: u64,
    pub seed: u64,
    pub jobs: usize,
    /// A case slower than this is a failure (saved, reported).
    pub case_time: Duration,
    /// A case still running after this ends the process (a hang).
    pub hang_time: Duration,
}

thread_local! {
    static IN_CASE: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Panics inside a case are recorded, not printed; any other panic prints as usual.
pub fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if IN_CASE.with(Cell::get) {
                let payload = info.payload();
                let text = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(non-string panic payload)".to_string());
                let at = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("panicked at {at}: {text}")));
            } else {
                default(info);
            }
        }));
    });
}

/// Runs `check` on `input` as one case: its outcome and how long it took.
pub fn run_case(check: Check, input: &[u8]) -> (Result<(), (&'static str, String)>, Duration) {
    install_panic_hook();
    IN_CASE.with(|c| c.set(true));
    let start = Instant::now();
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| check(input)));
    let took = start.elapsed();
    IN_CASE.with(|c| c.set(false));
    let result = match outcome {
        Ok(Ok(())) => Ok(()),
        Ok(Err(msg)) => Err(("oracle", msg)),
        Err(_) => Err((
            "panic",
            LAST_PANIC
                .with(|p| p.borrow_mut().take())
                .unwrap_or_else(|| "panicked".to_string()),
        )),
    };
    (result, took)
}

/// Where failing inputs go: `<target>/fuzz-crashes/<surface>/`.
pub fn crash_dir(surface: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("fuzz-crashes").join(surface)
}

fn digest(data: &[u8]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    data.hash(&mut h);
    h.finish()
}

/// Saves a failing input and what happened; returns the input's path.
pub fn save(surface: &str, kind: &str, input: &[u8], message: &str) -> PathBuf {
    let dir = crash_dir(surface);
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("{kind}-{:016x}.bin", digest(input)));
    let _ = std::fs::write(&path, input);
    let _ = std::fs::write(path.with_extension("txt"), format!("{message}\n"));
    path
}

/// The seed corpus of a surface, in name order (files of `testdata/fuzz/<surface>/`).
pub fn seeds(surface: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/fuzz")
        .join(surface);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.retain(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"));
    paths.sort();
    paths.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

const INTERESTING: &[u8] = b"\0\xff\x7f\x80\"'{}[]:,\n\r\t -\\$.=!()|@#&*?%~`<>/";

fn span(rng: &mut fastrand::Rng, len: usize) -> (usize, usize) {
    let a = rng.usize(..=len);
    let b = (a + 1 + rng.usize(..16.min(len + 1))).min(len);
    (a, b)
}

/// One to a few stacked edits of `data`.
pub fn mutate(
    rng: &mut fastrand::Rng,
    data: &mut Vec<u8>,
    corpus: &[Vec<u8>],
    dict: &[&str],
    max_len: usize,
) {
    let rounds = 1 + rng.usize(..6).min(rng.usize(..6));
    for _ in 0..rounds {
        let len = data.len();
        match rng.u8(..11) {
            0 if len > 0 => {
                let i = rng.usize(..len);
                data[i] ^= 1 << rng.u8(..8);
            }
            1 if len > 0 => {
                let i = rng.usize(..len);
                data[i] = INTERESTING[rng.usize(..INTERESTING.len())];
            }
            2 => {
                let (a, b) = span(rng, len);
                data.drain(a..b);
            }
            3 => {
                let (a, b) = span(rng, len);
                let chunk = data[a..b].to_vec();
                let at = rng.usize(..=len);
                data.splice(at..at, chunk);
            }
            4 | 5 if !dict.is_empty() => {
                let token = dict[rng.usize(..dict.len())].as_bytes();
                let (a, b) = span(rng, len);
                let b = if rng.bool() { a } else { b };
                data.splice(a..b, token.iter().copied());
            }
            6 if !corpus.is_empty() => {
                let other = &corpus[rng.usize(..corpus.len())];
                let (a, b) = span(rng, other.len());
                let at = rng.usize(..=len);
                let end = if rng.bool() {
                    at
                } else {
                    (at + b - a).min(len)
                };
                data.splice(at..end, other[a..b].iter().copied());
            }
            7 => {
                let at = rng.usize(..=len);
                let n = 1 + rng.usize(..8);
                let bytes: Vec<u8> = (0..n).map(|_| rng.u8(..)).collect();
                data.splice(at..at, bytes);
            }
            8 if len > 0 => data.truncate(rng.usize(..len)),
            9 => {
                // A number somewhere becomes an extreme one.
                if let Some(i) = data.iter().position(|b| b.is_ascii_digit()) {
                    let n = [
                        "0",
                        "-1",
                        "18446744073709551616",
                        "9223372036854775807",
                        "1e400",
                    ][rng.usize(..5)];
                    data.splice(i..i + 1, n.bytes());
                }
            }
            _ => {
                if len > 1 {
                    let (a, b) = (rng.usize(..len), rng.usize(..len));
                    data.swap(a, b);
                }
            }
        }
    }
    data.truncate(max_len);
}

/// Inputs of case `i` of a run: the seeds as they are first, then mutations and generations.
/// Seeds slower than this as they are get mutated an eighth as often (a run's time goes to
/// many cheap cases rather than a few expensive ones).
const SLOW_SEED_MICROS: u64 = 50_000;

fn input_for(
    i: u64,
    rng: &mut fastrand::Rng,
    surface: &Surface,
    corpus: &[Vec<u8>],
    seed_cost: &[AtomicU64],
) -> Vec<u8> {
    if (i as usize) < corpus.len() {
        return corpus[i as usize].clone();
    }
    let from_seed = |rng: &mut fastrand::Rng| -> Vec<u8> {
        if corpus.is_empty() {
            return Vec::new();
        }
        let mut k = rng.usize(..corpus.len());
        if seed_cost[k].load(Ordering::Relaxed) > SLOW_SEED_MICROS && rng.u8(..8) != 0 {
            k = rng.usize(..corpus.len());
        }
        corpus[k].clone()
    };
    let mut data = match rng.u8(..4) {
        0 | 1 => {
            let raw: Vec<u8> = (0..rng.usize(16..1024)).map(|_| rng.u8(..)).collect();
            let mut u = Unstructured::new(&raw);
            match (surface.generate)(&mut u) {
                Ok(d) => d,
                Err(_) => from_seed(rng),
            }
        }
        _ => from_seed(rng),
    };
    if rng.u8(..4) != 0 {
        mutate(rng, &mut data, corpus, surface.dict, surface.max_len);
    }
    data.truncate(surface.max_len);
    data
}

/// What each worker is running now, for the watchdog.
type Slot = Arc<Mutex<Option<(Instant, Vec<u8>)>>>;

/// Runs `limits.cases` cases of `surface` on `limits.jobs` threads.
pub fn run(surface: &Surface, limits: &Limits) -> Report {
    install_panic_hook();
    let corpus = seeds(surface.name);
    let seed_cost: Vec<AtomicU64> = corpus.iter().map(|_| AtomicU64::new(0)).collect();
    let started = Instant::now();
    let jobs = limits.jobs.max(1) as u64;
    let slots: Vec<Slot> = (0..jobs).map(|_| Arc::new(Mutex::new(None))).collect();
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut total = Report {
        seeds: corpus.len(),
        ..Report::default()
    };
    std::thread::scope(|scope| {
        let watch_slots = slots.clone();
        let watch_done = done.clone();
        let name = surface.name;
        let hang = limits.hang_time;
        scope.spawn(move || watchdog(name, hang, &watch_slots, &watch_done));
        let workers: Vec<_> = (0..jobs)
            .map(|j| {
                let slot = slots[j as usize].clone();
                let corpus = &corpus;
                let seed_cost = &seed_cost;
                scope.spawn(move || {
                    // Cases j, j+jobs, ...: the union over workers is 0..cases.
                    let mut rng = fastrand::Rng::with_seed(
                        limits.seed ^ digest(surface.name.as_bytes()) ^ j.wrapping_mul(0x9e37),
                    );
                    let mut report = Report::default();
                    let mut i = j;
                    while i < limits.cases {
                        let input = input_for(i, &mut rng, surface, corpus, seed_cost);
                        *slot.lock().unwrap() = Some((Instant::now(), input.clone()));
                        let (outcome, took) = run_case(surface.check, &input);
                        *slot.lock().unwrap() = None;
                        report.cases += 1;
                        if let Some(cost) = seed_cost.get(i as usize) {
                            cost.store(took.as_micros() as u64, Ordering::Relaxed);
                        }
                        report.slowest = report.slowest.max(took);
                        let failure = match outcome {
                            Err((kind, msg)) => Some((kind, msg)),
                            Ok(()) if took > limits.case_time => Some((
                                "slow",
                                format!("took {took:?}, over the bound of {:?}", limits.case_time),
                            )),
                            Ok(()) => None,
                        };
                        if let Some((kind, message)) = failure {
                            match kind {
                                "panic" => report.panics += 1,
                                "oracle" => report.oracle += 1,
                                _ => report.slow += 1,
                            }
                            let key = dedupe_key(&message);
                            if !report
                                .failures
                                .iter()
                                .any(|f| dedupe_key(&f.message) == key)
                            {
                                let saved = save(surface.name, kind, &input, &message);
                                report.failures.push(Failure {
                                    kind,
                                    message,
                                    saved,
                                });
                            }
                        }
                        i += jobs;
                    }
                    report
                })
            })
            .collect();
        for w in workers {
            total.absorb(w.join().expect("fuzz worker"));
        }
        done.store(true, Ordering::SeqCst);
    });
    total.elapsed = started.elapsed();
    total
}

/// Failures with the same panic location (or the same oracle text up to its first colon)
/// are one bug.
fn dedupe_key(message: &str) -> String {
    match message.strip_prefix("panicked at ") {
        Some(rest) => rest.split(": ").next().unwrap_or(rest).to_string(),
        None if message.starts_with("took ") => "slow".to_string(),
        None => message.split(':').next().unwrap_or(message).to_string(),
    }
}

/// Polls the workers' slots; a case older than `hang` is saved and ends the process.
fn watchdog(surface: &str, hang: Duration, slots: &[Slot], done: &std::sync::atomic::AtomicBool) {
    let tick = Duration::from_millis(200).min(hang / 4);
    let (lock, cvar) = (Mutex::new(()), std::sync::Condvar::new());
    while !done.load(Ordering::SeqCst) {
        for slot in slots {
            let stuck = slot
                .lock()
                .unwrap()
                .as_ref()
                .filter(|(since, _)| since.elapsed() > hang)
                .map(|(_, input)| input.clone());
            if let Some(input) = stuck {
                let msg = format!("a case ran longer than {hang:?} (a hang)");
                let saved = save(surface, "hang", &input, &msg);
                eprintln!("fuzz {surface}: {msg}; input saved to {}", saved.display());
                std::process::exit(2);
            }
        }
        // Wakes every tick; the condition variable is never notified.
        let guard = lock.lock().unwrap();
        let _ = cvar.wait_timeout(guard, tick).unwrap();
    }
}

/// One line per failure kind and location, for the run's summary.
pub fn summary(report: &Report) -> BTreeMap<String, String> {
    report
        .failures
        .iter()
        .map(|f| {
            (
                format!("{}: {}", f.kind, f.message),
                f.saved.display().to_string(),
            )
        })
        .collect()
}
