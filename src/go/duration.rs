//! Go's durations: the syntax (`5s`, `1m30s`, `1.5h`) kubectl's `--request-timeout` and
//! etcdctl's duration flags take, and `time.Duration`'s printing (`1m0s`, `1.846s`,
//! `991.961µs`), which kubelet events, etcdctl and kubectl's messages show.

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

/// Go's `time.Duration.String()`: `0s`; below a second in the largest unit under it
/// (`500ms`, `991.961µs`, `12ns`); else hours, minutes and seconds (`1h2m3.5s`, `1m0s`).
pub fn format(d: std::time::Duration) -> String {
    let ns = d.as_nanos();
    match ns {
        0 => "0s".to_string(),
        1..=999 => format!("{ns}ns"),
        1_000..=999_999 => format!("{}µs", decimal(ns, 1_000)),
        1_000_000..=999_999_999 => format!("{}ms", decimal(ns, 1_000_000)),
        _ => {
            let secs = ns / 1_000_000_000;
            let (h, m) = (secs / 3600, secs / 60 % 60);
            let s = decimal(ns % 60_000_000_000, 1_000_000_000);
            match (h, m) {
                (0, 0) => format!("{s}s"),
                (0, m) => format!("{m}m{s}s"),
                (h, m) => format!("{h}h{m}m{s}s"),
            }
        }
    }
}

/// `value / unit` in decimal, trailing zeros of the fraction dropped.
fn decimal(value: u128, unit: u128) -> String {
    let (whole, frac) = (value / unit, value % unit);
    if frac == 0 {
        return whole.to_string();
    }
    let width = unit.ilog10() as usize;
    let digits = format!("{frac:0width$}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    #[test]
    fn durations_past_gos_range_are_refused() {
        assert_eq!(super::seconds("99999999999999999999999h"), None);
        assert_eq!(super::seconds("2562048h"), None);
        assert_eq!(super::seconds("2562047h"), Some(2562047.0 * 3600.0));
        assert_eq!(super::seconds("1m30s"), Some(90.0));
    }

    #[test]
    fn prints_as_go_does() {
        use std::time::Duration;
        for (d, text) in [
            (Duration::ZERO, "0s"),
            (Duration::from_nanos(12), "12ns"),
            (Duration::from_nanos(991_961), "991.961µs"),
            (Duration::from_millis(684), "684ms"),
            (Duration::from_micros(1_500), "1.5ms"),
            (Duration::from_millis(1_846), "1.846s"),
            (Duration::from_secs(2), "2s"),
            (Duration::from_secs(60), "1m0s"),
            (Duration::from_millis(90_500), "1m30.5s"),
            (Duration::from_secs(3600), "1h0m0s"),
            (Duration::from_nanos(3_723_000_000_001), "1h2m3.000000001s"),
        ] {
            assert_eq!(super::format(d), text);
        }
    }
}
