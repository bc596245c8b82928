//! `--request-timeout`: a bare integer is seconds, anything else is a Go duration (`5s`,
//! `1m30s`, `1.5h`); zero or less means no timeout.

use std::time::Duration;

const INVALID: &str = "Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)";

pub fn parse_request_timeout(text: &str) -> Result<Option<Duration>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let seconds = if text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse::<f64>().map_err(|_| INVALID.to_string())?
    } else {
        go_duration_seconds(text).ok_or_else(|| INVALID.to_string())?
    };
    Ok((seconds > 0.0).then(|| Duration::from_secs_f64(seconds)))
}

/// Go's `time.ParseDuration`, in seconds: an optional sign, then numbers (decimals allowed)
/// each followed by a unit.
fn go_duration_seconds(text: &str) -> Option<f64> {
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
    Some(sign * total)
}

#[cfg(test)]
mod tests {
    use super::parse_request_timeout as p;
    use std::time::Duration;

    #[test]
    fn kubectl_timeout_syntax() {
        assert_eq!(p("0").unwrap(), None);
        assert_eq!(p("5").unwrap(), Some(Duration::from_secs(5)));
        assert_eq!(p("5s").unwrap(), Some(Duration::from_secs(5)));
        assert_eq!(p("1h2m").unwrap(), Some(Duration::from_secs(3720)));
        assert_eq!(p("1.5s").unwrap(), Some(Duration::from_millis(1500)));
        assert_eq!(p("-1s").unwrap(), None);
        assert!(p("1.5").is_err());
        assert!(p("abc").is_err());
        assert!(p("5x").is_err());
    }
}
