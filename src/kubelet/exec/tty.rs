//! The terminal a container's process gets under `exec -t`. A real kubelet gives it a pty,
//! whose line discipline (cooked mode, as a fresh pty starts) does three things the user
//! sees: it echoes what is typed (kubectl puts the user's own terminal in raw mode, so
//! nothing else would), it hands the program whole lines with `\r` read as `\n` and the
//! erase, kill, end-of-file and interrupt keys applied, and it writes `\n` as `\r\n`.
//! kubelite's simulated programs read and write plain streams, so this does the pty's part.

/// What the program reads after the line discipline.
#[derive(Debug, PartialEq)]
pub enum Input {
    /// A finished line (or what was typed before ^D).
    Data(Vec<u8>),
    /// ^D on an empty line: the program reads end of file.
    Eof,
    /// ^C: the foreground program gets SIGINT.
    Interrupt,
}

const INTR: u8 = 0x03; // ^C
const EOF: u8 = 0x04; // ^D
const KILL: u8 = 0x15; // ^U
const BACKSPACE: u8 = 0x08;
const ERASE: u8 = 0x7f;

/// The cooked-mode line being typed.
#[derive(Default)]
pub struct LineDiscipline {
    line: Vec<u8>,
}

impl LineDiscipline {
    /// Takes typed bytes; returns what the terminal echoes and what the program reads.
    pub fn feed(&mut self, typed: &[u8]) -> (Vec<u8>, Vec<Input>) {
        let mut echo = Vec::new();
        let mut input = Vec::new();
        for &b in typed {
            match b {
                b'\r' | b'\n' => {
                    self.line.push(b'\n');
                    echo.extend_from_slice(b"\r\n");
                    input.push(Input::Data(std::mem::take(&mut self.line)));
                }
                EOF if self.line.is_empty() => input.push(Input::Eof),
                EOF => input.push(Input::Data(std::mem::take(&mut self.line))),
                INTR => {
                    echo.extend_from_slice(b"^C");
                    self.line.clear();
                    input.push(Input::Interrupt);
                }
                ERASE | BACKSPACE => {
                    if let Some(width) = self.erase_last() {
                        for _ in 0..width {
                            echo.extend_from_slice(b"\x08 \x08");
                        }
                    }
                }
                KILL => {
                    while let Some(width) = self.erase_last() {
                        for _ in 0..width {
                            echo.extend_from_slice(b"\x08 \x08");
                        }
                    }
                }
                c if c < 0x20 && c != b'\t' => {
                    // Other control characters are kept and echoed as ^X (ECHOCTL).
                    self.line.push(c);
                    echo.extend_from_slice(&[b'^', c + 0x40]);
                }
                c => {
                    self.line.push(c);
                    echo.push(c);
                }
            }
        }
        (echo, input)
    }

    /// Removes the last character (all bytes of a UTF-8 one); returns how many columns
    /// its echo took.
    fn erase_last(&mut self) -> Option<usize> {
        let last = self.line.pop()?;
        if last < 0x20 && last != b'\t' {
            return Some(2);
        }
        if last >= 0x80 {
            while self.line.last().is_some_and(|b| b & 0xc0 == 0x80) {
                self.line.pop();
            }
            // The lead byte of a multi-byte character (a continuation byte was popped).
            if last & 0xc0 == 0x80 {
                self.line.pop();
            }
        }
        Some(1)
    }
}

/// Output as the pty writes it (ONLCR): every `\n` becomes `\r\n`.
pub fn onlcr(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 16);
    for &b in data {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_echoed_and_handed_over_whole() {
        let mut t = LineDiscipline::default();
        let (echo, input) = t.feed(b"put k");
        assert_eq!((echo.as_slice(), input), (&b"put k"[..], vec![]));
        let (echo, input) = t.feed(b" v\r\r");
        assert_eq!(echo, b" v\r\n\r\n");
        assert_eq!(
            input,
            vec![
                Input::Data(b"put k v\n".to_vec()),
                Input::Data(b"\n".to_vec())
            ]
        );
    }

    #[test]
    fn erase_kill_eof_and_interrupt_act_as_a_pty_does() {
        let mut t = LineDiscipline::default();
        let (echo, input) = t.feed("xé\x7f\x7fab\x15ok\x04\x04".as_bytes());
        assert_eq!(
            echo,
            "xé\x08 \x08\x08 \x08ab\x08 \x08\x08 \x08ok".as_bytes()
        );
        assert_eq!(input, vec![Input::Data(b"ok".to_vec()), Input::Eof]);
        let (echo, input) = t.feed(b"half\x03");
        assert_eq!(
            (echo.as_slice(), input),
            (&b"half^C"[..], vec![Input::Interrupt])
        );
        let (echo, input) = t.feed(b"\x1b\x7f\n");
        assert_eq!(echo, b"^[\x08 \x08\x08 \x08\r\n");
        assert_eq!(input, vec![Input::Data(b"\n".to_vec())]);
    }

    #[test]
    fn output_newlines_become_crlf() {
        assert_eq!(onlcr(b"a\nb\n\n"), b"a\r\nb\r\n\r\n");
        assert_eq!(onlcr(b""), b"");
    }
}
