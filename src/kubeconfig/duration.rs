//! `--request-timeout`: a bare integer is seconds, anything else is a Go duration (`5s`,
//! `1m30s`, `1.5h`); zero or less means no timeout.

use std::time::Duration;

const INVALID: &str = "Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)";

pub fn parse_request_timeout(text: &str) -> Result<Option<Duration>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    // A bare integer means seconds.
    let with_unit = if text.bytes().all(|b| b.is_ascii_digit()) {
        format!("{text}s")
    } else {
        text.to_string()
    };
    let seconds = crate::go::duration::seconds(&with_unit).ok_or_else(|| INVALID.to_string())?;
    Ok((seconds > 0.0).then(|| Duration::from_secs_f64(seconds)))
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
        assert!(p("99999999999999999999999").is_err());
        assert!(p("99999999999999999999999h").is_err());
        assert_eq!(p("1.5s").unwrap(), Some(Duration::from_millis(1500)));
        assert_eq!(p("-1s").unwrap(), None);
        assert!(p("1.5").is_err());
        assert!(p("abc").is_err());
        assert!(p("5x").is_err());
    }
}
