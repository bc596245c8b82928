//! The mock's HTTP/1.1 half: a std `TcpListener` on loopback, one thread per connection,
//! keep-alive, `Content-Length` request bodies, and replies that are either whole or
//! streamed in chunks (watches, `logs -f`). Every request is recorded before it is answered.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request as the mock saw it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// Header names lower-cased, in the order sent.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// A query parameter, percent-decoded.
    pub fn param(&self, name: &str) -> Option<String> {
        let query = self.target.split_once('?')?.1;
        query
            .split('&')
            .filter_map(|kv| kv.split_once('=').or(Some((kv, ""))))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| decode(v))
    }
}

/// Percent-decoding (and `+` as space) of a query value.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => out.push(b),
                    Err(_) => out.extend_from_slice(&bytes[i..i + 3]),
                }
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What the mock answers.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

pub enum Body {
    Whole(Vec<u8>),
    /// Sent chunk by chunk, each flushed; then the stream ends, or (`hold`) stays open
    /// until the client goes away, as a watch that has nothing more to say does.
    Chunks {
        chunks: Vec<Vec<u8>>,
        hold: bool,
    },
    /// A `101 Switching Protocols` then these WebSocket frames; the connection then ends
    /// when the client closes it.
    Upgraded(Vec<Vec<u8>>),
    /// A `101 Switching Protocols`, then this runs the session: it writes to the first
    /// stream and reads the client's frames from the second.
    Session(Box<Session>),
}

pub type Session = dyn FnOnce(&mut dyn Write, &mut dyn Read) + Send;

impl Reply {
    pub fn json(status: u16, v: &serde_json::Value) -> Reply {
        Reply::typed(status, "application/json", serde_json::to_vec(v).unwrap())
    }

    pub fn typed(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: Body::Whole(body),
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// The mock's answering half, given each request.
pub type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

pub struct Listener {
    pub url: String,
    pub recorded: Arc<Mutex<Vec<Request>>>,
}

/// Serves `handler` on a free loopback port until the process ends.
pub fn serve(handler: Arc<Handler>) -> Listener {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let recorded = Arc::new(Mutex::new(Vec::new()));
    let log = recorded.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            let (handler, log) = (handler.clone(), log.clone());
            std::thread::spawn(move || connection(conn, &*handler, &log));
        }
    });
    Listener { url, recorded }
}

fn connection(conn: TcpStream, handler: &Handler, log: &Mutex<Vec<Request>>) {
    // A bound on how long a connection may sit idle, so no thread outlives its test long.
    let _ = conn.set_read_timeout(Some(Duration::from_secs(60)));
    let Ok(write_half) = conn.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(conn);
    let mut out = write_half;
    while let Some(req) = read_request(&mut reader) {
        log.lock().unwrap().push(req.clone());
        let reply = handler(&req);
        if write_reply(&mut out, reply, &mut reader).is_err() {
            return;
        }
    }
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).ok()? == 0 {
            return None;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let body = if chunked {
        read_chunked(reader)?
    } else {
        let len = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .and_then(|(_, v)| v.parse::<usize>().ok())
            .unwrap_or(0);
        let mut body = vec![0; len];
        reader.read_exact(&mut body).ok()?;
        body
    };
    Some(Request {
        method,
        target,
        headers,
        body,
    })
}

/// A chunked request body (kubectl streams a file given to `--raw` that way).
fn read_chunked(reader: &mut BufReader<TcpStream>) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let mut size = String::new();
        reader.read_line(&mut size).ok()?;
        let size = usize::from_str_radix(size.trim().split(';').next()?, 16).ok()?;
        if size == 0 {
            // Trailers (none expected) end with an empty line.
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).ok()? == 0 || line.trim().is_empty() {
                    return Some(body);
                }
            }
        }
        let mut chunk = vec![0; size + 2];
        reader.read_exact(&mut chunk).ok()?;
        chunk.truncate(size);
        body.extend(chunk);
    }
}

fn write_reply(
    out: &mut TcpStream,
    reply: Reply,
    reader: &mut BufReader<TcpStream>,
) -> std::io::Result<()> {
    let reason = match reply.status {
        200 => "OK",
        101 => "Switching Protocols",
        201 => "Created",
        400 => "Bad Request",
        404 => "Not Found",
        _ => "Status",
    };
    let mut head = format!("HTTP/1.1 {} {reason}\r\n", reply.status);
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    match reply.body {
        Body::Whole(body) => {
            head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
            out.write_all(head.as_bytes())?;
            out.write_all(&body)?;
            out.flush()
        }
        Body::Upgraded(frames) => {
            head.push_str("\r\n");
            out.write_all(head.as_bytes())?;
            for f in frames {
                out.write_all(&f)?;
            }
            out.flush()?;
            let mut sink = [0u8; 512];
            while matches!(reader.read(&mut sink), Ok(n) if n > 0) {}
            Err(std::io::Error::other("upgraded connection over"))
        }
        Body::Session(run) => {
            head.push_str("\r\n");
            out.write_all(head.as_bytes())?;
            out.flush()?;
            run(out, reader);
            let mut sink = [0u8; 512];
            while matches!(reader.read(&mut sink), Ok(n) if n > 0) {}
            Err(std::io::Error::other("session over"))
        }
        Body::Chunks { chunks, hold } => {
            head.push_str("Transfer-Encoding: chunked\r\n\r\n");
            out.write_all(head.as_bytes())?;
            out.flush()?;
            for c in chunks {
                out.write_all(format!("{:x}\r\n", c.len()).as_bytes())?;
                out.write_all(&c)?;
                out.write_all(b"\r\n")?;
                out.flush()?;
            }
            if hold {
                // Nothing more will come; wait for the client to hang up (read gives 0),
                // bounded by the connection's read timeout.
                let mut sink = [0u8; 512];
                while matches!(reader.read(&mut sink), Ok(n) if n > 0) {}
                return Err(std::io::Error::other("watch over"));
            }
            out.write_all(b"0\r\n\r\n")?;
            out.flush()
        }
    }
}
