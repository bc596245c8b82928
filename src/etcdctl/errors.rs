//! How etcdctl fails: exit statuses and the exact text it writes to stderr.

use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::store::StoreError;

pub const EXIT_ERROR: i32 = 1;
pub const EXIT_BAD_CONNECTION: i32 = 2;
pub const EXIT_INVALID_INPUT: i32 = 3;
pub const EXIT_BAD_FEATURE: i32 = 4;
pub const EXIT_INTERRUPTED: i32 = 5;
pub const EXIT_BAD_ARGS: i32 = 128;

/// Why a command stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// `Error: <msg>` and the given exit status.
    Exit(i32, String),
    /// A server-side error: clientv3's retry warning, then `Error: <msg>`, status 1.
    Server { code: &'static str, message: String },
    /// A server-side error etcdctl reports inside its own words: the retry warning, then
    /// `Error: <what> (<message>)`, status 1.
    ServerIn {
        code: &'static str,
        message: String,
        what: &'static str,
    },
    /// No endpoint answered: clientv3's balancer warning, then `Error: context deadline
    /// exceeded`, status 1.
    Unreachable,
    /// Could not write the output (closed pipe): status 1, nothing more to say.
    Output,
    /// Stop with this status and print nothing (a watch ended by Ctrl-C).
    Quiet(i32),
}

impl Failure {
    pub fn bad_args(msg: impl Into<String>) -> Failure {
        Failure::Exit(EXIT_BAD_ARGS, msg.into())
    }
}

impl From<std::io::Error> for Failure {
    fn from(_: std::io::Error) -> Failure {
        Failure::Output
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        match e {
            StoreError::Compacted { .. } => Failure::Server {
                code: "OutOfRange",
                message: "etcdserver: mvcc: required revision has been compacted".into(),
            },
            StoreError::FutureRevision => Failure::Server {
                code: "OutOfRange",
                message: "etcdserver: mvcc: required revision is a future revision".into(),
            },
            StoreError::EmptyKey => Failure::Server {
                code: "InvalidArgument",
                message: "etcdserver: key is not provided".into(),
            },
            StoreError::LeaseNotFound => Failure::Server {
                code: "NotFound",
                message: "etcdserver: requested lease not found".into(),
            },
            StoreError::DuplicateKey => Failure::Server {
                code: "InvalidArgument",
                message: "etcdserver: duplicate key given in txn request".into(),
            },
            StoreError::NoSpace => Failure::Server {
                code: "ResourceExhausted",
                message: "etcdserver: mvcc: database space exceeded".into(),
            },
            // Transport errors from a real etcd already carry etcdctl's text.
            StoreError::Io(msg) => Failure::Exit(EXIT_ERROR, msg),
            other => Failure::Exit(EXIT_ERROR, other.to_string()),
        }
    }
}

/// Writes the failure as etcdctl does and returns the exit status.
pub fn report(err: &mut dyn Write, failure: &Failure, endpoint: &str) -> i32 {
    // Nothing useful can be done if stderr itself is gone.
    let _ = match failure {
        Failure::Exit(_, msg) => writeln!(err, "Error: {msg}"),
        Failure::Server { code, message } => {
            writeln!(
                err,
                "{}\nError: {message}",
                retry_warning(endpoint, code, message)
            )
        }
        Failure::ServerIn {
            code,
            message,
            what,
        } => {
            writeln!(
                err,
                "{}\nError: {what} ({message})",
                retry_warning(endpoint, code, message)
            )
        }
        Failure::Unreachable => writeln!(
            err,
            "{}\nError: context deadline exceeded",
            retry_warning(
                endpoint,
                "DeadlineExceeded",
                "latest balancer error: all SubConns are in TransientFailure"
            )
        ),
        Failure::Output | Failure::Quiet(_) => Ok(()),
    };
    match failure {
        Failure::Exit(code, _) | Failure::Quiet(code) => *code,
        Failure::Server { .. }
        | Failure::ServerIn { .. }
        | Failure::Unreachable
        | Failure::Output => EXIT_ERROR,
    }
}

/// The JSON log line clientv3 writes when a request fails.
fn retry_warning(endpoint: &str, code: &str, desc: &str) -> String {
    format!(
        "{{\"level\":\"warn\",\"ts\":\"{}\",\"caller\":\"clientv3/retry_interceptor.go:62\",\"msg\":\"retrying of unary invoker failed\",\"target\":\"endpoint://client-{}/{}\",\"attempt\":0,\"error\":\"rpc error: code = {} desc = {}\"}}",
        utc_millis_now(),
        pseudo_uuid(),
        endpoint,
        code,
        desc
    )
}

/// `2006-01-02T15:04:05.000Z` for now.
pub fn utc_millis_now() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let (date, time) = civil(now.as_secs() as i64);
    format!("{date}T{time}.{:03}Z", now.subsec_millis())
}

/// `2006-01-02 15:04:05.000000` for now, as etcd's capnslog stamps its lines.
pub fn log_stamp_now() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let (date, time) = civil(now.as_secs() as i64);
    format!("{date} {time}.{:06}", now.subsec_micros())
}

/// Date and time of day (UTC) of a Unix time, by the days-from-civil algorithm.
fn civil(secs: i64) -> (String, String) {
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        format!("{year:04}-{month:02}-{day:02}"),
        format!("{:02}:{:02}:{:02}", sod / 3600, sod / 60 % 60, sod % 60),
    )
}

/// A random-looking UUID-shaped id (clientv3 names each client so).
fn pseudo_uuid() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    let mut x = (nanos as u64) ^ (u64::from(std::process::id()) << 32) ^ 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let (a, b) = (next(), next());
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | (b >> 48) & 0x3fff,
        b & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), ("1970-01-01".into(), "00:00:00".into()));
        assert_eq!(
            civil(1_798_505_329),
            ("2026-12-29".into(), "00:48:49".into())
        );
    }

    #[test]
    fn server_errors_print_the_retry_warning() {
        let mut err = Vec::new();
        let code = report(
            &mut err,
            &Failure::from(StoreError::FutureRevision),
            "127.0.0.1:2379",
        );
        let text = String::from_utf8(err).unwrap();
        assert_eq!(code, 1);
        assert!(text.starts_with("{\"level\":\"warn\""));
        assert!(text.ends_with(
            "code = OutOfRange desc = etcdserver: mvcc: required revision is a future revision\"}\nError: etcdserver: mvcc: required revision is a future revision\n"
        ));
    }
}
