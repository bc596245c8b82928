//! `logs` of several containers: kubectl's `[pod/NAME/CONTAINER] ` line prefix, and the
//! streams of `-f` read side by side so a quiet container does not hold back the others.

use super::Io;
use super::errors::CliError;
use std::io::Read;
use std::sync::mpsc;

/// One container's log as it is read, and the prefix its lines take (empty without --prefix).
pub(super) struct Stream {
    pub prefix: String,
    pub reader: Box<dyn Read + Send>,
}

/// Copies bytes to `out`, writing `prefix` before every line, as kubectl's prefixing writer.
struct Prefixer<'a> {
    prefix: &'a [u8],
    at_line_start: bool,
}

impl Prefixer<'_> {
    fn copy(&mut self, chunk: &[u8], out: &mut dyn std::io::Write) {
        if self.prefix.is_empty() {
            let _ = out.write_all(chunk);
            return;
        }
        for piece in chunk.split_inclusive(|b| *b == b'\n') {
            if self.at_line_start {
                let _ = out.write_all(self.prefix);
            }
            let _ = out.write_all(piece);
            self.at_line_start = piece.ends_with(b"\n");
        }
    }
}

/// Copies one stream to the end, as it arrives.
pub(super) fn copy(stream: Stream, io: &mut Io) -> Result<(), CliError> {
    let Stream { prefix, mut reader } = stream;
    let mut prefixer = Prefixer {
        prefix: prefix.as_bytes(),
        at_line_start: true,
    };
    let mut buf = [0u8; 8192];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => {
                prefixer.copy(&buf[..n], &mut *io.out);
                let _ = io.out.flush();
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(CliError::message(e.to_string())),
        }
    }
}

/// Follows every stream at once, whole lines at a time so that two containers' lines never
/// mix, until all have ended; the first failure ends the command, as in kubectl.
pub(super) fn follow_all(streams: Vec<Stream>, io: &mut Io) -> Result<(), CliError> {
    let (tx, rx) = mpsc::channel::<Result<Vec<u8>, String>>();
    for stream in streams {
        let tx = tx.clone();
        std::thread::spawn(move || read_lines(stream, &tx));
    }
    drop(tx);
    for line in rx {
        let _ = io.out.write_all(&line.map_err(CliError::message)?);
        let _ = io.out.flush();
    }
    Ok(())
}

/// One reader thread: sends each prefixed line (and a last unterminated one) to the writer.
fn read_lines(stream: Stream, tx: &mpsc::Sender<Result<Vec<u8>, String>>) {
    let mut lines = std::io::BufReader::new(stream.reader);
    loop {
        let mut line = stream.prefix.as_bytes().to_vec();
        match std::io::BufRead::read_until(&mut lines, b'\n', &mut line) {
            Ok(0) => return,
            Ok(_) => {
                if tx.send(Ok(line)).is_err() {
                    return;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                let _ = tx.send(Err(e.to_string()));
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_takes_the_prefix_even_across_chunks() {
        let mut out = Vec::new();
        let mut p = Prefixer {
            prefix: b"[pod/a/c] ",
            at_line_start: true,
        };
        p.copy(b"one\ntw", &mut out);
        p.copy(b"o\nthree\n", &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "[pod/a/c] one\n[pod/a/c] two\n[pod/a/c] three\n"
        );
    }
}
