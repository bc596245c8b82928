//! Numeric query parameters, read as kube-apiserver's parameter codec reads them: a 64-bit
//! signed integer in base 10 or a 400 carrying Go's `strconv` message, never a value
//! that overflows later (a `timeoutSeconds` of 2^64-1 is refused here, not multiplied).

use super::message::Request;
use crate::api::status::ApiError;

/// `name` as an int64: `None` when absent; present but not an int64 (empty included, as
/// Go's `strconv.ParseInt("")` fails) is kube-apiserver's 400.
pub fn int64(req: &Request, name: &str) -> Result<Option<i64>, ApiError> {
    req.param(name).map(parse_int64).transpose()
}

/// Go's `strconv.ParseInt(s, 10, 64)`, with its error text.
pub fn parse_int64(s: &str) -> Result<i64, ApiError> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(strconv("ParseInt", s, "invalid syntax"));
    }
    s.parse::<i64>()
        .map_err(|_| strconv("ParseInt", s, "value out of range"))
}

/// Go's `strconv.ParseUint(s, 10, 64)`, with its error text (a sign is a syntax error).
pub fn parse_uint64(s: &str) -> Result<u64, ApiError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(strconv("ParseUint", s, "invalid syntax"));
    }
    s.parse::<u64>()
        .map_err(|_| strconv("ParseUint", s, "value out of range"))
}

/// The message of Go's `*strconv.NumError`.
fn strconv(func: &str, s: &str, what: &str) -> ApiError {
    ApiError::bad_request(format!("strconv.{func}: parsing {}: {what}", go_quote(s)))
}

pub use crate::go::quote as go_quote;

/// A number of seconds from a request, clamped to what a timer can hold (kube-apiserver
/// turns it into a Go Duration; kubelite into a deadline that must not overflow). Zero
/// or less is "now".
pub fn seconds(n: i64) -> std::time::Duration {
    /// About 31 years: later than any connection lives, early enough for `Instant + d`.
    const MAX: u64 = 1 << 30;
    std::time::Duration::from_secs(n.clamp(0, MAX as i64) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(r: Result<impl std::fmt::Debug, ApiError>) -> String {
        match r {
            Ok(v) => panic!("accepted: {v:?}"),
            Err(e) => {
                assert_eq!((e.code, e.reason.as_str()), (400, "BadRequest"));
                e.message
            }
        }
    }

    #[test]
    fn int64_errors_are_gos_strconv_messages() {
        assert_eq!(parse_int64("42").ok(), Some(42));
        assert_eq!(parse_int64("-7").ok(), Some(-7));
        assert_eq!(parse_int64("+7").ok(), Some(7));
        assert_eq!(
            message(parse_int64("18446744073709551615")),
            "strconv.ParseInt: parsing \"18446744073709551615\": value out of range"
        );
        assert_eq!(
            message(parse_int64("abc")),
            "strconv.ParseInt: parsing \"abc\": invalid syntax"
        );
        assert_eq!(
            message(parse_int64("")),
            "strconv.ParseInt: parsing \"\": invalid syntax"
        );
        assert_eq!(
            message(parse_int64("1e3")),
            "strconv.ParseInt: parsing \"1e3\": invalid syntax"
        );
        assert_eq!(
            message(parse_uint64("-1")),
            "strconv.ParseUint: parsing \"-1\": invalid syntax"
        );
        assert_eq!(parse_uint64("18446744073709551615").ok(), Some(u64::MAX));
    }

    #[test]
    fn seconds_never_overflow_a_deadline() {
        let far = std::time::Instant::now() + seconds(i64::MAX);
        assert!(far > std::time::Instant::now());
        assert_eq!(seconds(-5), std::time::Duration::ZERO);
    }
}
