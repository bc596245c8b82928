//! The cluster's clock: the wall clock, or a fixed instant from `KUBELITE_NOW` so that golden
//! tests give the same bytes every run.

use chrono::{DateTime, SecondsFormat, Utc};

/// Environment variable that fixes "now" (RFC 3339, e.g. `2026-11-29T01:42:16Z`).
pub const NOW_ENV: &str = "KUBELITE_NOW";

#[derive(Debug, Clone, Copy)]
pub enum Clock {
    Wall,
    Fixed(DateTime<Utc>),
}

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
        }
    }
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
