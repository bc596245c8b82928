//! One exec session after the WebSocket upgrade: client frames feed the command's stdin
//! (channel 0, then `\xff\x00` when the client's stdin ends) or resize its terminal
//! (channel 4); the command's output streams back on channels 1 and 2 as it is written;
//! the Status on channel 3 and a close frame 1000 end it. The command itself runs on a
//! blocking thread and reads stdin only if it wants to, so a command that reads none
//! finishes while the client's stdin stays open.

use crate::kubelet::exec::tty::{Input, LineDiscipline, onlcr};
use futures_util::{SinkExt, Stream, StreamExt};
use serde_json::Value;
use std::io::{BufRead, Read, Write};
use std::time::Duration;
use tokio::sync::mpsc::{self, UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::protocol::frame::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

pub const STDIN: u8 = 0;
pub const STDOUT: u8 = 1;
pub const STDERR: u8 = 2;
pub const STATUS: u8 = 3;
pub const RESIZE: u8 = 4;
/// v5.channel.k8s.io: `\xff<channel>` says the client closed that channel.
pub const CLOSE_CHANNEL: u8 = 255;
/// kubectl registers its streams only after the upgrade; a frame sent at once can be
/// dropped ("Unknown stream id"), so output waits this long.
const FIRST_OUTPUT_DELAY: Duration = Duration::from_millis(50);
/// How long the client gets to answer the close frame.
const CLOSE_WAIT: Duration = Duration::from_secs(5);
const CHUNK: usize = 32 * 1024;
/// Client messages (and frames) larger than this end the connection: exec reads only
/// small stdin and resize messages.
const MAX_CLIENT_MESSAGE: usize = 1024 * 1024;
/// Stdin messages held for a command that has not read them yet; beyond that the client's
/// frames wait in the socket (a flood from a client holds no more memory than this).
const STDIN_BACKLOG: usize = 16;
/// The status of a program ended by ^C (128 + SIGINT), as a shell reports it.
pub const INTERRUPTED: i32 = 130;

/// The channel protocol a WebSocket session speaks (`Sec-WebSocket-Protocol`), which
/// decides how the Status goes out and whether channels can be closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// `v5.channel.k8s.io`: v4, plus `\xff<channel>` closing a channel.
    V5,
    /// `v4.channel.k8s.io`: the Status as JSON on channel 3, success included.
    V4,
    /// `channel.k8s.io` (or none), `v2.`, `v3.`: on failure only, the Status's message as
    /// text on channel 3; nothing on success.
    Pre4,
}

impl Protocol {
    /// The channel-3 message for a Status, if this protocol sends one.
    pub fn status_message(self, status: &Value) -> Option<Vec<u8>> {
        match self {
            Protocol::V5 | Protocol::V4 => Some(serde_json::to_vec(status).unwrap_or_default()),
            Protocol::Pre4 if status["status"] == "Success" => None,
            Protocol::Pre4 => Some(
                status["message"]
                    .as_str()
                    .unwrap_or_default()
                    .as_bytes()
                    .to_vec(),
            ),
        }
    }
}

/// Which streams the request asked for (`stdin`, `stdout`, `stderr`, `tty`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Streams {
    pub stdin: bool,
    pub stdout: bool,
    pub stderr: bool,
    pub tty: bool,
}

/// What the session's writer sends.
pub enum Out {
    Data(u8, Vec<u8>),
    /// The channel-3 Status: the session ends after it.
    Done(Value),
    /// The client's side ended (its close frame, EOF or a protocol error).
    ClientGone,
    /// Bytes the reader has framed itself (SPDY's replies and pings).
    Raw(Vec<u8>),
    /// SPDY: the client's stream that carries this channel.
    Route(u8, u32),
}

/// What the command reads from stdin.
pub enum Stdin {
    Data(Vec<u8>),
    Eof,
}

/// The command's stdin: what the client sent, blocking until more comes or it ends.
pub struct StdinReader {
    rx: mpsc::Receiver<Stdin>,
    buf: Vec<u8>,
    pos: usize,
    closed: bool,
}

impl Read for StdinReader {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let data = self.fill_buf()?;
        let n = data.len().min(out.len());
        out[..n].copy_from_slice(&data[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for StdinReader {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        while self.pos >= self.buf.len() && !self.closed {
            match self.rx.blocking_recv() {
                Some(Stdin::Data(d)) => {
                    self.buf = d;
                    self.pos = 0;
                }
                // One end of file (a terminal's ^D); reading on may get more.
                Some(Stdin::Eof) => return Ok(&[]),
                None => self.closed = true,
            }
        }
        Ok(self.buf.get(self.pos..).unwrap_or(&[]))
    }

    fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.buf.len());
    }
}

/// One output stream of the command, sent as frames on `channel` (none: discarded).
pub struct ChannelWriter {
    channel: Option<u8>,
    tty: bool,
    tx: UnboundedSender<Out>,
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if let Some(channel) = self.channel
            && !data.is_empty()
        {
            let bytes = if self.tty { onlcr(data) } else { data.to_vec() };
            // The client may be gone; the command still runs to its end.
            let _ = self.tx.send(Out::Data(channel, bytes));
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The command's ends of a session: its stdin, stdout and stderr.
pub struct CommandIo {
    pub stdin: StdinReader,
    pub stdout: ChannelWriter,
    pub stderr: ChannelWriter,
}

/// The session's ends: what the client half feeds and what the writer drains.
pub struct Wiring {
    stdin_tx: Option<mpsc::Sender<Stdin>>,
    out_tx: UnboundedSender<Out>,
    out_rx: UnboundedReceiver<Out>,
}

/// Wires a session for `streams`: under a tty, stderr joins stdout as on a pty.
pub fn wire(streams: Streams) -> (Wiring, CommandIo) {
    let (stdin_tx, stdin_rx) = mpsc::channel(STDIN_BACKLOG);
    let (out_tx, out_rx) = unbounded_channel();
    let stdout = streams.stdout.then_some(STDOUT);
    let stderr = if streams.tty {
        stdout
    } else {
        streams.stderr.then_some(STDERR)
    };
    let writer = |channel| ChannelWriter {
        channel,
        tty: streams.tty,
        tx: out_tx.clone(),
    };
    let command = CommandIo {
        stdin: StdinReader {
            rx: stdin_rx,
            buf: Vec::new(),
            pos: 0,
            closed: false,
        },
        stdout: writer(stdout),
        stderr: writer(stderr),
    };
    let wiring = Wiring {
        stdin_tx: streams.stdin.then_some(stdin_tx),
        out_tx,
        out_rx,
    };
    (wiring, command)
}

impl Wiring {
    /// The client's half (stdin) and the writer's queue, for a protocol's own session.
    pub fn split(
        self,
        streams: Streams,
        on_interrupt: Value,
    ) -> (StdinFeed, UnboundedReceiver<Out>) {
        let feed = StdinFeed::new(self.stdin_tx, self.out_tx, streams, on_interrupt);
        (feed, self.out_rx)
    }

    /// A sender for the command's final Status.
    pub fn done_sender(&self) -> UnboundedSender<Out> {
        self.out_tx.clone()
    }

    /// Runs the session as the server of a WebSocket (tungstenite) on the upgraded
    /// connection until the Status is sent and the client has closed (or `CLOSE_WAIT`
    /// passed). Pings are answered and the client's close is returned by tungstenite.
    /// `on_interrupt` is the Status sent when ^C interrupts the command.
    pub async fn run<S>(self, io: S, streams: Streams, on_interrupt: Value, protocol: Protocol)
    where
        S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    {
        let config = WebSocketConfig::default()
            .max_message_size(Some(MAX_CLIENT_MESSAGE))
            .max_frame_size(Some(MAX_CLIENT_MESSAGE));
        let socket = WebSocketStream::from_raw_socket(io, Role::Server, Some(config)).await;
        let (mut sink, stream) = socket.split();
        let Wiring {
            stdin_tx,
            out_tx,
            mut out_rx,
        } = self;
        let feed = StdinFeed::new(stdin_tx, out_tx, streams, on_interrupt);
        let client = tokio::spawn(read_client(stream, feed, protocol));
        tokio::time::sleep(FIRST_OUTPUT_DELAY).await;
        // Output until the Status, then the close frame 1000.
        while let Some(event) = out_rx.recv().await {
            let (messages, last) = match event {
                Out::Data(channel, data) => (data_messages(channel, &data), false),
                Out::Done(status) => {
                    let mut m: Vec<Message> = protocol
                        .status_message(&status)
                        .map(|body| Message::Binary(channel_message(STATUS, &body).into()))
                        .into_iter()
                        .collect();
                    m.push(Message::Close(Some(CloseFrame {
                        code: CloseCode::Normal,
                        reason: "".into(),
                    })));
                    (m, true)
                }
                Out::ClientGone | Out::Raw(_) | Out::Route(..) => continue,
            };
            let mut all = futures_util::stream::iter(messages.into_iter().map(Ok));
            if sink.send_all(&mut all).await.is_err() {
                client.abort();
                return;
            }
            if last {
                break;
            }
        }
        // Then the client's close (which the reader sees, answering pings meanwhile).
        let deadline = tokio::time::Instant::now() + CLOSE_WAIT;
        while let Ok(Some(event)) = tokio::time::timeout_at(deadline, out_rx.recv()).await {
            if let Out::ClientGone = event {
                break;
            }
        }
        client.abort();
        let _ = sink.close().await;
    }
}

/// Hands what the client sends as stdin to the command: through the line discipline under
/// a tty (echo to stdout, ^D, ^C), as it is otherwise. Shared by WebSocket and SPDY.
pub struct StdinFeed {
    stdin: Option<mpsc::Sender<Stdin>>,
    terminal: LineDiscipline,
    out: UnboundedSender<Out>,
    streams: Streams,
    on_interrupt: Value,
}

impl StdinFeed {
    pub fn new(
        stdin: Option<mpsc::Sender<Stdin>>,
        out: UnboundedSender<Out>,
        streams: Streams,
        on_interrupt: Value,
    ) -> StdinFeed {
        StdinFeed {
            stdin,
            terminal: LineDiscipline::default(),
            out,
            streams,
            on_interrupt,
        }
    }

    /// Bytes the client sent on stdin.
    pub async fn data(&mut self, data: &[u8]) {
        if !self.streams.tty {
            if let Some(tx) = &self.stdin {
                let _ = tx.send(Stdin::Data(data.to_vec())).await;
            }
            return;
        }
        let (echo, typed) = self.terminal.feed(data);
        if self.streams.stdout && !echo.is_empty() {
            let _ = self.out.send(Out::Data(STDOUT, echo));
        }
        for input in typed {
            let message = match input {
                Input::Data(d) => Stdin::Data(d),
                Input::Eof => Stdin::Eof,
                Input::Interrupt => {
                    let _ = self.out.send(Out::Done(self.on_interrupt.clone()));
                    self.stdin = None;
                    continue;
                }
            };
            if let Some(tx) = &self.stdin {
                let _ = tx.send(message).await;
            }
        }
    }

    /// The client's stdin ended: the command reads end of file from now on.
    pub fn close(&mut self) {
        self.stdin = None;
    }

    /// The client is gone: stdin ends and the writer learns it.
    pub fn client_gone(mut self) {
        self.close();
        let _ = self.out.send(Out::ClientGone);
    }

    /// A message for the writer (a pong).
    pub fn send(&self, message: Out) {
        let _ = self.out.send(message);
    }
}

/// Reads the client's messages: stdin, the end of stdin and resizes (a simulated terminal
/// has no size to change), until its close (answered by tungstenite), the connection's end
/// or a protocol error.
/// Text messages are read as binary ones, as kube-apiserver reads them (the Python client
/// writes stdin strings as text); `\xff<channel>` closes a channel in v5 only. While the
/// command's stdin queue is full, nothing more is read from the connection.
async fn read_client<R>(mut messages: R, mut feed: StdinFeed, protocol: Protocol)
where
    R: Stream<Item = Result<Message, WsError>> + Unpin,
{
    while let Some(Ok(message)) = messages.next().await {
        let payload = match message {
            Message::Binary(b) => b,
            Message::Text(t) => t.into(),
            // Pings (answered by tungstenite), pongs, and the close: the stream ends after it.
            _ => continue,
        };
        match payload.split_first() {
            Some((&STDIN, data)) => feed.data(data).await,
            Some((&CLOSE_CHANNEL, [STDIN, ..])) if protocol == Protocol::V5 => feed.close(),
            // A simulated program draws nothing, so a terminal's size is not kept.
            Some((&RESIZE, _)) => {}
            _ => {}
        }
    }
    feed.client_gone();
}

/// `data` as binary messages on `channel`, at most `CHUNK` bytes each.
fn data_messages(channel: u8, data: &[u8]) -> Vec<Message> {
    data.chunks(CHUNK)
        .map(|chunk| Message::Binary(channel_message(channel, chunk).into()))
        .collect()
}

pub fn channel_message(channel: u8, data: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(data.len() + 1);
    m.push(channel);
    m.extend_from_slice(data);
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// `exec -it`'s streams: stdin and a terminal, whose stderr is its stdout.
    const TERMINAL: Streams = Streams {
        stdin: true,
        stdout: true,
        stderr: false,
        tty: true,
    };

    fn runtime() -> tokio::runtime::Runtime {
        match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(r) => r,
            Err(e) => panic!("no test runtime: {e}"),
        }
    }

    type Client = WebSocketStream<tokio::io::DuplexStream>;

    async fn send(client: &mut Client, message: Message) {
        assert!(client.send(message).await.is_ok());
    }

    fn binary(payload: &[u8]) -> Message {
        Message::Binary(payload.to_vec().into())
    }

    /// Reads the server's messages until its close, which must be 1000; returns the binary
    /// payloads and the pongs'.
    async fn read_until_close(client: &mut Client) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
        let (mut got, mut pongs) = (Vec::new(), Vec::new());
        while let Some(Ok(message)) = client.next().await {
            match message {
                Message::Binary(b) => got.push(b.to_vec()),
                Message::Pong(p) => pongs.push(p.to_vec()),
                Message::Close(close) => {
                    assert_eq!(close.map(|c| c.code), Some(CloseCode::Normal));
                    return (got, pongs);
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        panic!("no close after {got:?}");
    }

    /// Runs the session over an in-memory connection; returns the client's end (a
    /// tungstenite client) and the session's task.
    async fn connect(wiring: Wiring, streams: Streams) -> (Client, tokio::task::JoinHandle<()>) {
        let (client, server) = tokio::io::duplex(64 * 1024);
        let interrupted = json!({"status": "Failure", "code": 130});
        let session = tokio::spawn(wiring.run(server, streams, interrupted, Protocol::V5));
        let client = WebSocketStream::from_raw_socket(client, Role::Client, None).await;
        (client, session)
    }

    /// A command that echoes its stdin in upper case to stdout and says "done" on stderr.
    fn upper(mut cmd: CommandIo, done: UnboundedSender<Out>) {
        let mut all = Vec::new();
        let _ = cmd.stdin.read_to_end(&mut all);
        let _ = cmd.stdout.write_all(&all.to_ascii_uppercase());
        let _ = cmd.stderr.write_all(b"done\n");
        let _ = done.send(Out::Done(json!({"status": "Success"})));
    }

    #[test]
    fn stdin_frames_reach_the_command_until_the_close_channel_message() {
        runtime().block_on(async {
            let streams = Streams {
                stdin: true,
                stdout: true,
                stderr: true,
                tty: false,
            };
            let (wiring, cmd) = wire(streams);
            let done = wiring.done_sender();
            let command = std::thread::spawn(move || upper(cmd, done));
            let (mut client, session) = connect(wiring, streams).await;
            // Text is stdin too, as the Python client writes it.
            send(&mut client, Message::Text("\x00hello ".into())).await;
            send(&mut client, Message::Ping(b"there?".to_vec().into())).await;
            send(&mut client, binary(b"\x04{\"Width\":80,\"Height\":24}\n")).await;
            send(&mut client, binary(b"\x00world\n")).await;
            send(&mut client, binary(b"\xff\x00")).await;
            let (got, pongs) = read_until_close(&mut client).await;
            assert_eq!(pongs, vec![b"there?".to_vec()]);
            assert_eq!(
                got,
                vec![
                    b"\x01HELLO WORLD\n".to_vec(),
                    b"\x02done\n".to_vec(),
                    b"\x03{\"status\":\"Success\"}".to_vec()
                ]
            );
            // Reading on sends tungstenite's answer to the close, which ends the session (well
            // before CLOSE_WAIT) and then the connection.
            let answered = tokio::time::Instant::now();
            while let Some(Ok(_)) = client.next().await {}
            assert!(session.await.is_ok());
            assert!(answered.elapsed() < CLOSE_WAIT);
            assert!(command.join().is_ok());
        });
    }

    #[test]
    fn a_tty_echoes_merges_stderr_and_ends_lines_with_crlf() {
        runtime().block_on(async {
            let streams = TERMINAL;
            let (wiring, cmd) = wire(streams);
            let done = wiring.done_sender();
            let command = std::thread::spawn(move || upper(cmd, done));
            let (mut client, session) = connect(wiring, streams).await;
            send(&mut client, binary(b"\x00ab\r")).await;
            // ^D on an empty line is the end of file; the client's stdin stays open.
            send(&mut client, binary(b"\x00\x04")).await;
            let (got, _) = read_until_close(&mut client).await;
            let stdout: Vec<u8> = got
                .iter()
                .filter(|p| p.first() == Some(&STDOUT))
                .flat_map(|p| p[1..].to_vec())
                .collect();
            assert_eq!(stdout, b"ab\r\nAB\r\ndone\r\n");
            assert_eq!(
                got.last().map(Vec::as_slice),
                Some(&b"\x03{\"status\":\"Success\"}"[..])
            );
            drop(client);
            assert!(session.await.is_ok());
            assert!(command.join().is_ok());
        });
    }

    #[test]
    fn interrupt_ends_the_session_with_exit_130() {
        runtime().block_on(async {
            let streams = TERMINAL;
            let (wiring, cmd) = wire(streams);
            // This command never finishes on its own; ^C ends the session.
            let _stuck = cmd;
            let (mut client, session) = connect(wiring, streams).await;
            send(&mut client, binary(b"\x00x\x03")).await;
            let (got, _) = read_until_close(&mut client).await;
            assert_eq!(got[0], b"\x01x^C");
            let status: Value = serde_json::from_slice(&got[1][1..]).unwrap_or_default();
            assert_eq!(status["code"], 130);
            drop(client);
            assert!(session.await.is_ok());
        });
    }
}
