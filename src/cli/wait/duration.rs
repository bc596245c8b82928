//! Go's `time.ParseDuration`, which kubectl's `--timeout` flags use (`30s`, `1m30s`, `-1s`).

use std::time::Duration;

/// The duration in nanoseconds (negative allowed), or Go's message for bad text.
pub fn parse_go(s: &str) -> Result<i128, String> {
    let bad = || format!("time: invalid duration {s:?}");
    let (negative, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(bad());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(|| format!("time: missing unit in duration {s:?}"))?;
        let number: f64 = rest[..digits].parse().map_err(|_| bad())?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let nanos = match &rest[..unit_len] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            unit => return Err(format!("time: unknown unit {unit:?} in duration {s:?}")),
        };
        total += number * nanos;
        rest = &rest[unit_len..];
    }
    let n = total as i128;
    Ok(if negative { -n } else { n })
}

/// `wait --timeout`: zero checks once, a negative value waits a week.
pub fn wait_timeout(nanos: i128) -> Duration {
    if nanos < 0 {
        Duration::from_secs(7 * 24 * 3600)
    } else {
        Duration::from_nanos(nanos as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(parse_go("30s"), Ok(30_000_000_000));
        assert_eq!(parse_go("1m30s"), Ok(90_000_000_000));
        assert_eq!(parse_go("-1s"), Ok(-1_000_000_000));
        assert_eq!(parse_go("0"), Ok(0));
        assert_eq!(
            parse_go("bad"),
            Err("time: invalid duration \"bad\"".into())
        );
        assert!(parse_go("5").is_err());
    }
}
