//! The user's terminal under `exec -t`, handled as kubectl handles it: raw mode while the
//! remote terminal does the echoing and line editing (restored when done, whatever
//! happens), its size for resize messages, and output that merges stderr into stdout with
//! `\n` written as `\r\n`, as a container's pty writes it. `stty` on the inherited stdin
//! does the terminal settings, so no platform bindings are needed.

use crate::kubelet::exec::tty::onlcr;
use std::cell::RefCell;
use std::io::{IsTerminal, Write};
use std::process::{Command, Stdio};
use std::rc::Rc;

/// Whether stdin is a terminal (kubectl's condition for `-t`).
pub fn stdin_is_terminal() -> bool {
    std::io::stdin().is_terminal()
}

/// The terminal in raw mode until dropped.
pub struct RawMode {
    saved: String,
}

impl RawMode {
    /// Puts the terminal on stdin in raw mode; `None` if `stty` cannot.
    pub fn enter() -> Option<RawMode> {
        let saved = stty(&["-g"])?;
        stty(&["raw", "-echo"])?;
        Some(RawMode {
            saved: saved.trim().to_string(),
        })
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = stty(&[self.saved.as_str()]);
    }
}

/// The terminal's size as (width, height), from `stty size` ("rows cols").
pub fn size() -> Option<(u16, u16)> {
    let text = stty(&["size"])?;
    let mut parts = text.split_whitespace().map(|p| p.parse::<u16>().ok());
    let (rows, cols) = (parts.next()??, parts.next()??);
    Some((cols, rows))
}

fn stty(args: &[&str]) -> Option<String> {
    let out = Command::new("stty")
        .args(args)
        .stdin(Stdio::inherit())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// One output stream shared by a pty's stdout and stderr, with `\n` written as `\r\n`.
#[derive(Clone)]
pub struct PtyOutput<'a> {
    inner: Rc<RefCell<&'a mut dyn Write>>,
}

impl<'a> PtyOutput<'a> {
    pub fn new(out: &'a mut dyn Write) -> PtyOutput<'a> {
        PtyOutput {
            inner: Rc::new(RefCell::new(out)),
        }
    }
}

impl Write for PtyOutput<'_> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.inner.borrow_mut().write_all(&onlcr(data))?;
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.borrow_mut().flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stdout_and_stderr_share_one_crlf_stream() {
        let mut sink = Vec::new();
        {
            let mut out = PtyOutput::new(&mut sink);
            let mut err = out.clone();
            assert!(out.write_all(b"a\n").is_ok());
            assert!(err.write_all(b"oops\n").is_ok());
            assert!(out.write_all(b"b").is_ok());
        }
        assert_eq!(sink, b"a\r\noops\r\nb");
    }
}
