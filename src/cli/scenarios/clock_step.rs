//! Clock steps: `@advance 5m` moves the scenario's `KUBELITE_NOW` forward.

use chrono::{DateTime, Utc};
use std::time::Duration;

/// The instant a scenario starts at, unless it sets `KUBELITE_NOW` itself.
pub const DEFAULT_NOW: &str = "2026-11-29T01:42:16Z";

/// Parses a step such as `90s`, `5m`, `1h30m`, `2d`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    crate::clock::parse_step(text)
}

/// `now` moved forward by `step`, as `KUBELITE_NOW` writes it.
pub fn advance(now: &str, step: Duration) -> Result<String, String> {
    let start = DateTime::parse_from_rfc3339(now)
        .map_err(|e| format!("KUBELITE_NOW={now:?} is not an RFC 3339 time: {e}"))?
        .with_timezone(&Utc);
    let step = chrono::Duration::from_std(step).map_err(|e| e.to_string())?;
    let next = start
        .checked_add_signed(step)
        .ok_or_else(|| format!("{now} plus the step is past the end of time"))?;
    Ok(crate::clock::timestamp(next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("2d"), Ok(Duration::from_secs(172_800)));
        assert!(parse_duration("5").is_err());
        assert!(parse_duration("m").is_err());
        assert!(parse_duration("5x").is_err());
        assert!(parse_duration("99999999999999999999s").is_err());
    }

    #[test]
    fn advancing() {
        assert_eq!(
            advance(DEFAULT_NOW, Duration::from_secs(300)).unwrap(),
            "2026-11-29T01:47:16Z"
        );
        assert!(advance("yesterday", Duration::ZERO).is_err());
    }
}
