//! The cluster's clock: the wall clock, or a fixed instant from `KUBELITE_NOW` so that golden
//! tests give the same bytes every run; in `serve`, either of them moved forward on request
//! (virtual time: TTLs, CronJobs and node timeouts tested without waiting for them).

use chrono::{DateTime, SecondsFormat, Utc};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

/// Environment variable that fixes "now" (RFC 3339, e.g. `2026-11-29T01:42:16Z`).
pub const NOW_ENV: &str = "KUBELITE_NOW";

#[derive(Debug, Clone, Copy)]
pub enum Clock {
    Wall,
    Fixed(DateTime<Utc>),
    /// A wall or fixed clock that can be moved forward. One per serving process, made
    /// once and never freed, so the clock stays a plain copyable value everywhere.
    Movable(&'static Movable),
}

/// The state of a movable clock: where it starts from and how far it was moved.
#[derive(Debug)]
pub struct Movable {
    base: Base,
    ahead_ms: AtomicI64,
    /// Where each step is saved before it takes effect (a cluster's [`STEP_FILE`]), so the
    /// cluster's time never goes back when serve restarts; held while a step is saved.
    saved_in: Mutex<Option<PathBuf>>,
}

/// The file in a cluster's home that keeps how far its clock was moved, in milliseconds.
pub const STEP_FILE: &str = "clock-step";

#[derive(Debug, Clone, Copy)]
enum Base {
    Wall,
    Fixed(DateTime<Utc>),
}

/// The most a clock is moved by one step: a year (a CronJob's schedule, a certificate's
/// life), far from chrono's limits.
pub const MAX_STEP: Duration = Duration::from_secs(366 * 86_400);

impl Clock {
    /// The clock the environment asks for; a malformed `KUBELITE_NOW` is an error, not a
    /// silent fallback to the wall clock.
    pub fn from_env() -> Result<Clock, String> {
        match std::env::var(NOW_ENV) {
            Ok(s) if !s.is_empty() => DateTime::parse_from_rfc3339(&s)
                .map(|t| Clock::Fixed(t.with_timezone(&Utc)))
                .map_err(|e| format!("{NOW_ENV}={s:?} is not an RFC 3339 time: {e}")),
            _ => Ok(Clock::Wall),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::Wall => Utc::now(),
            Clock::Fixed(t) => *t,
            Clock::Movable(m) => {
                let base = match m.base {
                    Base::Wall => Utc::now(),
                    Base::Fixed(t) => t,
                };
                base + chrono::Duration::milliseconds(m.ahead_ms.load(Ordering::SeqCst))
            }
        }
    }

    /// This clock, movable from now on (a movable clock stays itself).
    pub fn movable(self) -> Clock {
        let base = match self {
            Clock::Wall => Base::Wall,
            Clock::Fixed(t) => Base::Fixed(t),
            movable @ Clock::Movable(_) => return movable,
        };
        Clock::Movable(Box::leak(Box::new(Movable {
            base,
            ahead_ms: AtomicI64::new(0),
            saved_in: Mutex::new(None),
        })))
    }

    /// This clock moved by the step saved in `file` (if any); a movable clock also saves every
    /// later step there. What a cluster kept in a home runs on, so objects made at a moved time
    /// do not turn up from the future after serve restarts or in a one-shot command.
    pub fn with_saved_step(self, file: &Path) -> Result<Clock, String> {
        let saved = match std::fs::read_to_string(file) {
            Ok(text) => text
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|ms| *ms >= 0)
                .ok_or_else(|| {
                    format!(
                        "{} does not hold a clock step (milliseconds ahead): {:?}",
                        file.display(),
                        text.trim()
                    )
                })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
            Err(e) => return Err(format!("cannot read {}: {e}", file.display())),
        };
        if saved == 0 && !matches!(self, Clock::Movable(_)) {
            return Ok(self);
        }
        let clock = self.movable();
        if let Clock::Movable(m) = clock {
            m.ahead_ms.fetch_add(saved, Ordering::SeqCst);
            *m.saved_in.lock().unwrap_or_else(|p| p.into_inner()) = Some(file.to_path_buf());
        }
        Ok(clock)
    }

    /// Moves the clock forward by `step` (at most [`MAX_STEP`]); the new now. Only a
    /// movable clock moves.
    pub fn advance(&self, step: Duration) -> Result<DateTime<Utc>, String> {
        let Clock::Movable(m) = self else {
            return Err("this cluster's clock cannot be moved".to_string());
        };
        if step > MAX_STEP {
            return Err(format!(
                "a clock step is at most {} days",
                MAX_STEP.as_secs() / 86_400
            ));
        }
        let saved_in = m.saved_in.lock().unwrap_or_else(|p| p.into_inner());
        let ahead = m
            .ahead_ms
            .load(Ordering::SeqCst)
            .saturating_add(step.as_millis() as i64);
        // Saved before it takes effect: a step that was answered survives a crash.
        if let Some(file) = saved_in.as_deref() {
            crate::private_file::write_private(file, format!("{ahead}\n").as_bytes())?;
        }
        m.ahead_ms.store(ahead, Ordering::SeqCst);
        Ok(self.now())
    }
}

/// Parses a duration of whole units: `90s`, `5m`, `1h30m`, `2d` (days too, since a CronJob
/// or a certificate is stepped in days).
pub fn parse_step(text: &str) -> Result<Duration, String> {
    let bad = || format!("{text:?} is not a duration (like 30s, 5m, 1h30m, 2d)");
    let mut total: u64 = 0;
    let mut digits = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let n: u64 = digits.parse().map_err(|_| bad())?;
        digits.clear();
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return Err(bad()),
        };
        total = n
            .checked_mul(unit)
            .and_then(|s| total.checked_add(s))
            .ok_or_else(bad)?;
    }
    if !digits.is_empty() || text.is_empty() {
        return Err(bad());
    }
    Ok(Duration::from_secs(total))
}

/// A timestamp as the API server writes it: whole seconds, `Z`.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Parses an API timestamp.
pub fn parse_timestamp(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_movable_clock_moves_only_forward_and_only_when_asked() {
        let start = parse_timestamp("2026-12-06T10:00:00Z").unwrap();
        let fixed = Clock::Fixed(start);
        assert!(fixed.advance(Duration::from_secs(1)).is_err());
        let clock = fixed.movable();
        assert_eq!(clock.now(), start);
        let copy = clock;
        let moved = copy.advance(parse_step("1h30m").unwrap()).unwrap();
        assert_eq!(timestamp(moved), "2026-12-06T11:30:00Z");
        assert_eq!(clock.now(), moved, "copies share one clock");
        assert!(clock.advance(MAX_STEP + Duration::from_secs(1)).is_err());
        assert!(parse_step("5x").is_err() && parse_step("").is_err() && parse_step("5").is_err());
        assert_eq!(parse_step("2d").unwrap(), Duration::from_secs(172_800));
    }

    #[test]
    fn a_saved_step_outlives_the_clock_that_made_it() {
        let dir = std::env::temp_dir().join(format!("kubelite-clock-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(STEP_FILE);
        let _ = std::fs::remove_file(&file);
        let start = parse_timestamp("2026-12-06T10:00:00Z").unwrap();
        let fixed = Clock::Fixed(start);
        // Nothing saved: a fixed clock stays fixed, a movable one starts saving.
        assert!(matches!(
            fixed.with_saved_step(&file).unwrap(),
            Clock::Fixed(_)
        ));
        let serving = fixed.movable().with_saved_step(&file).unwrap();
        serving.advance(parse_step("2h").unwrap()).unwrap();
        serving.advance(parse_step("30m").unwrap()).unwrap();
        // A restarted serve and a one-shot command both go on from the moved time.
        let restarted = fixed.movable().with_saved_step(&file).unwrap();
        assert_eq!(timestamp(restarted.now()), "2026-12-06T12:30:00Z");
        let one_shot = fixed.with_saved_step(&file).unwrap();
        assert_eq!(timestamp(one_shot.now()), "2026-12-06T12:30:00Z");
        std::fs::write(&file, "soon").unwrap();
        let err = fixed.with_saved_step(&file).unwrap_err();
        assert!(err.contains("does not hold a clock step"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
