//! Go's duration syntax (`5s`, `1m30s`, `1.5h`), which both kubectl's `--request-timeout`
//! and etcdctl's duration flags take.

/// Go's `time.ParseDuration`, in seconds: an optional sign, then numbers (decimals allowed)
/// each followed by a unit.
pub fn seconds(text: &str) -> Option<f64> {
    let (sign, mut rest) = match text.as_bytes().first()? {
        b'-' => (-1.0, &text[1..]),
        b'+' => (1.0, &text[1..]),
        _ => (1.0, text),
    };
    if rest == "0" {
        return Some(0.0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total = 0.0;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = &rest[..number_len];
        if number.is_empty() || number == "." {
            return None;
        }
        let value: f64 = number.parse().ok()?;
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ns" => 1e-9,
            "us" | "µs" | "μs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total += value * scale;
    }
    // Go keeps durations in int64 nanoseconds (about 292 years) and refuses larger ones;
    // that bound also keeps every caller's `Duration::from_secs_f64` from panicking.
    (total <= MAX_SECONDS).then_some(sign * total)
}

/// The longest duration Go represents, in seconds.
const MAX_SECONDS: f64 = i64::MAX as f64 / 1e9;

#[cfg(test)]
mod tests {
    #[test]
    fn durations_past_gos_range_are_refused() {
        assert_eq!(super::seconds("99999999999999999999999h"), None);
        assert_eq!(super::seconds("2562048h"), None);
        assert_eq!(super::seconds("2562047h"), Some(2562047.0 * 3600.0));
        assert_eq!(super::seconds("1m30s"), Some(90.0));
    }
}
