//! User numbers of any size: no arithmetic on them panics or wraps.

use super::*;

fn at(s: &str) -> DateTime<Utc> {
    parse_timestamp(s).expect("timestamp")
}

#[test]
fn instants_beyond_a_timestamp_are_never() {
    let t = at("2026-11-29T01:00:00Z");
    assert_eq!(after(t, 60), Some(at("2026-11-29T01:01:00Z")));
    assert_eq!(after(t, -60), Some(at("2026-11-29T00:59:00Z")));
    for secs in [i64::MAX, i64::MIN, i64::MAX / 1000, 9_000_000_000_000_000] {
        assert_eq!(after(t, secs), None, "{secs}");
    }
}

#[test]
fn availability_with_huge_min_ready_seconds_never_comes() {
    let pod = json!({"status": {"conditions": [{"type": "Ready", "status": "True",
        "lastTransitionTime": "2026-11-29T01:00:00Z"}]}});
    let now = at("2030-01-01T00:00:00Z");
    assert!(pod_is_available(
        &pod,
        i64::from(i32::MAX),
        at("2100-01-01T00:00:00Z")
    ));
    assert!(!pod_is_available(&pod, i64::MAX, now));
    assert_eq!(available_at(&pod, i64::MAX), None);
    assert!(pod_is_available(&pod, i64::MIN, now));
}

#[test]
fn int_or_percent_of_any_size_stays_within_int32() {
    let max = i64::from(i32::MAX);
    let min = i64::from(i32::MIN);
    let cases = [
        (json!("9223372036854775807%"), max),
        (json!("-9223372036854775807%"), min),
        (json!("100000000000%"), max),
        (json!(9_223_372_036_854_775_807_i64), max),
        (json!(18_446_744_073_709_551_615_u64), max),
        (json!("99999999999999999999999"), 0),
        (json!("25%"), 536_870_912),
    ];
    for (v, want) in cases {
        assert_eq!(scaled_value(Some(&v), max, "0", true), want, "{v}");
    }
    assert_eq!(scaled_value(Some(&json!("25%")), 5, "0", true), 2);
    assert_eq!(scaled_value(Some(&json!("25%")), 5, "0", false), 1);
}
