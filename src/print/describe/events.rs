//! The `Events:` section: how kubectl queries an object's events and prints them.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::json::{at, int, s};
use super::related::{Query, Select, Slot};
use super::time::{parse, since};
use super::writer::Out;

/// Which object the events are about, as the `involvedObject.*` field selector names it.
pub struct EventTarget<'a> {
    /// `None` for pods (kubectl leaves the kind out of a pod's event query).
    pub kind: Option<&'a str>,
    pub name: &'a str,
    /// "" for cluster-scoped objects.
    pub namespace: &'a str,
    pub uid: &'a str,
}

/// Escapes a field selector value (`\`, `,` and `=` are special).
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace(',', "\\,")
        .replace('=', "\\=")
}

/// The field selector kubectl sends (terms in sorted order; kubectl's order is random).
pub fn field_selector(t: &EventTarget) -> String {
    let mut terms = Vec::new();
    if let Some(kind) = t.kind {
        terms.push(format!("involvedObject.kind={}", escape(kind)));
    }
    terms.push(format!("involvedObject.name={}", escape(t.name)));
    terms.push(format!("involvedObject.namespace={}", escape(t.namespace)));
    if !t.uid.is_empty() {
        terms.push(format!("involvedObject.uid={}", escape(t.uid)));
    }
    terms.join(",")
}

/// The query for the target's events; cluster-scoped targets are searched in all
/// namespaces.
pub fn query(t: &EventTarget) -> Query {
    Query {
        slot: Slot::Events,
        resource: "events",
        namespace: (!t.namespace.is_empty()).then(|| t.namespace.to_string()),
        select: Select::List {
            labels: None,
            fields: Some(field_selector(t)),
        },
        must_succeed: false,
    }
}

/// The query for the events of a namespaced object of `kind`, named by its metadata.
pub fn query_for(o: &Value, kind: &str) -> Query {
    query(&EventTarget {
        kind: Some(kind),
        name: s(o, &["metadata", "name"]),
        namespace: s(o, &["metadata", "namespace"]),
        uid: s(o, &["metadata", "uid"]),
    })
}

/// The plan of a describer that fetches nothing but the object's events.
pub fn events_only(o: &Value, kind: &str, show_events: bool) -> Vec<Query> {
    show_events
        .then(|| query_for(o, kind))
        .into_iter()
        .collect()
}

/// The Age cell: `15m`, `41m (x2 over 42m)` (count), `10m (x4 over 25m)` (series).
fn interval(e: &Value, now: DateTime<Utc>) -> String {
    let first = match parse(at(e, &["eventTime"])) {
        Some(t) => since(Some(t), now),
        None => since(parse(at(e, &["firstTimestamp"])), now),
    };
    if let Some(series) = at(e, &["series"]).filter(|v| v.is_object()) {
        let last = since(parse(at(series, &["lastObservedTime"])), now);
        return format!("{last} (x{} over {first})", int(series, &["count"]));
    }
    let count = int(e, &["count"]);
    if count > 1 {
        let last = since(parse(at(e, &["lastTimestamp"])), now);
        return format!("{last} (x{count} over {first})");
    }
    first
}

/// Writes `Events:` with the table, or `Events:\t<none>`. Events are ordered by
/// lastTimestamp only (missing ones first), ties broken as Go's sort does (listed order
/// for up to 12 events).
pub fn events_block(w: &mut Out, events: &[Value], now: DateTime<Utc>) {
    if events.is_empty() {
        w.w(0, "Events:\t<none>\n");
        return;
    }
    // kubectl aligns the events table on its own.
    w.flush();
    let mut sorted: Vec<(Option<DateTime<Utc>>, &Value)> = events
        .iter()
        .map(|e| (parse(at(e, &["lastTimestamp"])), e))
        .collect();
    crate::print::go_sort::sort_unstable_like_go(&mut sorted, &|a, b| a.0 < b.0);
    w.w(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.w(1, "----\t------\t----\t----\t-------\n");
    for (_, e) in sorted {
        let mut from = s(e, &["source", "component"]);
        if from.is_empty() {
            from = s(e, &["reportingComponent"]);
        }
        w.w(
            1,
            &format!(
                "{}\t{}\t{}\t{}\t{}\n",
                s(e, &["type"]),
                s(e, &["reason"]),
                interval(e, now),
                from,
                s(e, &["message"]).trim()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn now() -> DateTime<Utc> {
        "2026-11-29T01:42:16Z".parse().expect("instant")
    }

    #[test]
    fn age_cell_forms() {
        let single = json!({"firstTimestamp": "2026-11-29T01:27:10Z", "lastTimestamp": "2026-11-29T01:27:10Z", "count": 1});
        assert_eq!(interval(&single, now()), "15m");
        let counted = json!({"firstTimestamp": "2026-11-29T01:00:10Z", "lastTimestamp": "2026-11-29T01:01:14Z", "count": 2});
        assert_eq!(interval(&counted, now()), "41m (x2 over 42m)");
        let series = json!({"eventTime": "2026-11-29T01:17:13.512846Z", "series": {"count": 4, "lastObservedTime": "2026-11-29T01:32:14.733921Z"}});
        assert_eq!(interval(&series, now()), "10m (x4 over 25m)");
        assert_eq!(interval(&json!({}), now()), "<unknown>");
    }

    #[test]
    fn selector_names_kind_only_when_given() {
        let pod = EventTarget {
            kind: None,
            name: "api",
            namespace: "team-a",
            uid: "u1",
        };
        assert_eq!(
            field_selector(&pod),
            "involvedObject.name=api,involvedObject.namespace=team-a,involvedObject.uid=u1"
        );
        let node = EventTarget {
            kind: Some("Node"),
            name: "a,b",
            namespace: "",
            uid: "",
        };
        assert_eq!(
            field_selector(&node),
            "involvedObject.kind=Node,involvedObject.name=a\\,b,involvedObject.namespace="
        );
    }

    #[test]
    fn table_sorted_by_last_timestamp_missing_first() {
        let events = vec![
            json!({"type": "Normal", "reason": "Late", "message": " m1 ", "source": {"component": "kubelet"},
                   "firstTimestamp": "2026-11-29T01:40:00Z", "lastTimestamp": "2026-11-29T01:40:00Z", "count": 1}),
            json!({"type": "Warning", "reason": "NoLast", "message": "m2", "source": {}, "reportingComponent": "sched",
                   "eventTime": "2026-11-29T01:41:00.000001Z"}),
        ];
        let mut w = Out::new();
        events_block(&mut w, &events, now());
        // 75.999999 s truncates to 75s.
        let want = "Events:\n  Type     Reason  Age    From     Message\n  ----     ------  ----   ----     -------\n  \
                    Warning  NoLast  75s    sched    m2\n  Normal   Late    2m16s  kubelet  m1\n";
        assert_eq!(w.finish(), want);
    }
}
