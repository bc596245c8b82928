//! Times as describe prints them: absolute in the local zone (RFC 1123 with numeric zone),
//! or as an age relative to the describe instant.

use chrono::{DateTime, Local, Utc};
use serde_json::Value;

use super::json::at;
use crate::print::age::human_duration;

/// What Go prints for a zero (missing) time in RFC 1123 form.
pub const ZERO_TIME: &str = "Mon, 01 Jan 0001 00:00:00 +0000";

/// Parses an RFC 3339 timestamp (whole seconds or micro time).
pub fn parse(v: Option<&Value>) -> Option<DateTime<Utc>> {
    let text = v?.as_str()?;
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The time at `path` as `Sun, 29 Nov 2026 01:24:55 +0000` in the local zone.
pub fn rfc1123(obj: &Value, path: &[&str]) -> String {
    match parse(at(obj, path)) {
        Some(t) => format_local(t),
        None => ZERO_TIME.to_string(),
    }
}

pub fn format_local(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local)
        .format("%a, %d %b %Y %H:%M:%S %z")
        .to_string()
}

/// The age of `t` at `now`, or `<unknown>` for a missing time.
pub fn since(t: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    match t {
        Some(t) => human_duration(now - t),
        None => "<unknown>".to_string(),
    }
}
