//! A watch that stays open: the server's newline-delimited `{"type","object"}` events,
//! read one at a time as they arrive (client-go's `watch.Interface`).

use crate::api::options::WatchEvent;
use crate::api::status::ApiError;
use serde_json::Value;
use std::io::BufRead;
use std::time::Duration;

/// How a watch is opened.
#[derive(Debug, Clone, Default)]
pub struct WatchRequest {
    /// Where the watch starts: a list's resourceVersion, or `0` (the server first sends
    /// the current state as ADDED events).
    pub resource_version: String,
    /// `allowWatchBookmarks=true`, as informers ask.
    pub bookmarks: bool,
    /// `timeoutSeconds`: when the server should end the stream.
    pub timeout_seconds: Option<u64>,
    /// Ask for the objects as server-side Tables (`get -w`).
    pub table: bool,
    /// How long this client waits at most, whatever the server does.
    pub timeout: Option<Duration>,
    /// A typed client's watch (kubectl's clientset, as `debug` uses it) also names
    /// `timeoutSeconds` as the request's `timeout`, a Go duration.
    pub typed: bool,
}

/// The events of one open watch. `None` when the server ended the stream; an error when
/// it sent an ERROR event or the connection failed (also when `timeout` passed).
pub struct WatchStream {
    lines: Box<dyn BufRead + Send>,
}

impl WatchStream {
    pub fn new(lines: Box<dyn BufRead + Send>) -> WatchStream {
        WatchStream { lines }
    }
}

impl Iterator for WatchStream {
    type Item = Result<WatchEvent, ApiError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let mut line = Vec::new();
            match self.lines.read_until(b'\n', &mut line) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => return Some(Err(ApiError::internal(e.to_string()))),
            }
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(parse_event(&line));
        }
    }
}

/// The server's Status an ERROR event carries (its code 500 if it names none).
pub(super) fn error_event(ev: &Value) -> ApiError {
    let code = ev
        .pointer("/object/code")
        .and_then(Value::as_u64)
        .unwrap_or(500) as u16;
    ApiError::from_status(code, &ev["object"])
}

/// One event line; BOOKMARK events are passed on (their resourceVersion is where to
/// resume), ERROR events become the server's Status.
pub fn parse_event(line: &[u8]) -> Result<WatchEvent, ApiError> {
    let ev: Value = serde_json::from_slice(line)
        .map_err(|e| ApiError::internal(format!("a watch event is not JSON: {e}")))?;
    let kind = match ev["type"].as_str() {
        Some("ADDED") => "ADDED",
        Some("MODIFIED") => "MODIFIED",
        Some("DELETED") => "DELETED",
        Some("BOOKMARK") => "BOOKMARK",
        Some("ERROR") => return Err(error_event(&ev)),
        other => {
            return Err(ApiError::internal(format!(
                "unknown watch event type {other:?}"
            )));
        }
    };
    let object = match ev {
        Value::Object(mut m) => m.shift_remove("object").unwrap_or(Value::Null),
        _ => Value::Null,
    };
    Ok(WatchEvent { kind, object })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_read_one_by_one_until_the_stream_ends() {
        let text = "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"a\"}}}\n\n{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"9\"}}}\n{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410,\"reason\":\"Expired\",\"message\":\"too old\"}}\n";
        let mut s = WatchStream::new(Box::new(std::io::Cursor::new(text.as_bytes().to_vec())));
        assert_eq!(s.next().unwrap().unwrap().object["metadata"]["name"], "a");
        assert_eq!(s.next().unwrap().unwrap().kind, "BOOKMARK");
        assert_eq!(s.next().unwrap().unwrap_err().code, 410);
        assert!(s.next().is_none());
    }
}
