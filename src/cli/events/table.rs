//! kubectl's event table: sorted by when each event was last seen, columns LAST SEEN,
//! TYPE, REASON, OBJECT, MESSAGE (NAMESPACE first across namespaces).

use crate::print::age::human_duration;
use crate::print::tabwriter::TabWriter;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// kubectl's printers.GetNewTabWriter: columns keep their widths from one flush to the
/// next, so the rows `-w` prints one at a time line up with the list before them.
pub fn writer() -> TabWriter {
    TabWriter::new(6, 4, 3, ' ', crate::print::tabwriter::REMEMBER_WIDTHS)
}

pub fn header(all_namespaces: bool) -> &'static str {
    if all_namespaces {
        "NAMESPACE\tLAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n"
    } else {
        "LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n"
    }
}

fn time_at(e: &Value, pointer: &str) -> Option<DateTime<Utc>> {
    e.pointer(pointer)
        .and_then(Value::as_str)
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// When the event was last seen: its series' last observation, its lastTimestamp, or its
/// eventTime; `None` is Go's zero time, earlier than any other.
pub fn last_seen(e: &Value) -> Option<DateTime<Utc>> {
    if e.get("series").is_some_and(Value::is_object) {
        return time_at(e, "/series/lastObservedTime");
    }
    time_at(e, "/lastTimestamp").or_else(|| time_at(e, "/eventTime"))
}

/// Go's sort.Sort by last seen (not stable: the same comparisons as Go's, so equal times
/// come out in kubectl's order).
pub fn sort(events: &mut [Value]) {
    crate::print::go_sort::sort_unstable_like_go(events, &|a, b| last_seen(a) < last_seen(b));
}

fn since(t: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    match t {
        Some(t) => human_duration(now - t),
        None => "<unknown>".to_string(),
    }
}

/// The LAST SEEN cell: `5m`, or `5m (x3 over 10m)` for a repeated event.
fn interval(e: &Value, now: DateTime<Utc>) -> String {
    let first = if e.get("eventTime").is_some_and(|t| !t.is_null()) {
        since(time_at(e, "/eventTime"), now)
    } else {
        since(time_at(e, "/firstTimestamp"), now)
    };
    if e.get("series").is_some_and(Value::is_object) {
        let count = e
            .pointer("/series/count")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        let last = since(time_at(e, "/series/lastObservedTime"), now);
        return format!("{last} (x{count} over {first})");
    }
    let count = e.get("count").and_then(Value::as_i64).unwrap_or(0);
    if count > 1 {
        let last = since(time_at(e, "/lastTimestamp"), now);
        return format!("{last} (x{count} over {first})");
    }
    first
}

/// One row, tab-separated and ending in a newline.
pub fn row(e: &Value, all_namespaces: bool, now: DateTime<Utc>) -> String {
    let s = |p: &str| e.pointer(p).and_then(Value::as_str).unwrap_or("");
    let mut line = String::new();
    if all_namespaces {
        line.push_str(s("/metadata/namespace"));
        line.push('\t');
    }
    line.push_str(&format!(
        "{}\t{}\t{}\t{}/{}\t{}\n",
        interval(e, now),
        s("/type"),
        s("/reason"),
        s("/involvedObject/kind"),
        s("/involvedObject/name"),
        s("/message").trim()
    ));
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn repeated_events_show_their_count() {
        let now = DateTime::parse_from_rfc3339("2026-01-01T00:10:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let e = json!({"type": "Warning", "reason": "BackOff", "message": " m ",
            "involvedObject": {"kind": "Pod", "name": "p"}, "count": 3,
            "firstTimestamp": "2026-01-01T00:00:00Z", "lastTimestamp": "2026-01-01T00:09:00Z"});
        assert_eq!(
            row(&e, false, now),
            "60s (x3 over 10m)\tWarning\tBackOff\tPod/p\tm\n"
        );
    }

    #[test]
    fn sorted_by_last_seen() {
        let mut v = vec![
            json!({"lastTimestamp": "2026-01-01T00:02:00Z", "n": 1}),
            json!({"eventTime": "2026-01-01T00:01:00.000000Z", "n": 2}),
        ];
        sort(&mut v);
        assert_eq!(v[0]["n"], 2);
    }
}
