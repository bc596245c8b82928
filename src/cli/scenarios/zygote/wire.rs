//! What the runner and its zygote say to each other over their socket: a request is one
//! frame of byte strings (the timeout, the working directory, the arguments, the
//! environment) sent with the command's stdin, stdout and stderr as passed descriptors; a
//! reply is two numbers.

use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::time::Duration;

/// The descriptors a request carries: the command's stdin, stdout and stderr.
pub const FDS: usize = 3;
/// A bound on one request (arguments and environment), so a broken peer cannot make the
/// other allocate without end.
const MAX_FRAME: usize = 64 << 20;

/// One command to run.
pub struct Request {
    pub timeout: Duration,
    pub cwd: PathBuf,
    pub args: Vec<OsString>,
    pub env: Vec<(OsString, OsString)>,
}

/// What the zygote says about a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    /// The command's process was made (its pid): a second reply follows.
    Started(i32),
    /// It could not be made (an errno): nothing ran.
    NotStarted(i32),
    Exited(i32),
    Signaled(i32),
    /// It ran past its timeout and was killed.
    TimedOut,
}

impl Request {
    fn encode(&self) -> Vec<u8> {
        let mut items: Vec<Vec<u8>> = vec![
            self.timeout.as_millis().to_string().into_bytes(),
            self.cwd.as_os_str().as_bytes().to_vec(),
            self.args.len().to_string().into_bytes(),
        ];
        items.extend(self.args.iter().map(|a| a.as_bytes().to_vec()));
        for (k, v) in &self.env {
            let mut kv = k.as_bytes().to_vec();
            kv.push(b'=');
            kv.extend_from_slice(v.as_bytes());
            items.push(kv);
        }
        let mut body = Vec::new();
        for item in items {
            body.extend_from_slice(&(item.len() as u32).to_le_bytes());
            body.extend_from_slice(&item);
        }
        let mut frame = (body.len() as u32).to_le_bytes().to_vec();
        frame.extend_from_slice(&body);
        frame
    }

    fn decode(body: &[u8]) -> io::Result<Request> {
        let bad = || io::Error::new(io::ErrorKind::InvalidData, "a malformed request");
        let mut items = Vec::new();
        let mut rest = body;
        while !rest.is_empty() {
            let (len, tail) = rest.split_first_chunk::<4>().ok_or_else(bad)?;
            let len = u32::from_le_bytes(*len) as usize;
            let item = tail.get(..len).ok_or_else(bad)?;
            items.push(item.to_vec());
            rest = &tail[len..];
        }
        let number = |b: &[u8]| -> io::Result<u64> {
            std::str::from_utf8(b)
                .ok()
                .and_then(|s| s.parse().ok())
                .ok_or_else(bad)
        };
        let mut items = items.into_iter();
        let timeout = Duration::from_millis(number(&items.next().ok_or_else(bad)?)?);
        let cwd = PathBuf::from(OsString::from_vec(items.next().ok_or_else(bad)?));
        let argc = number(&items.next().ok_or_else(bad)?)? as usize;
        let args: Vec<OsString> = items.by_ref().take(argc).map(OsString::from_vec).collect();
        if args.len() != argc {
            return Err(bad());
        }
        let env = items
            .map(|kv| {
                let eq = kv.iter().position(|b| *b == b'=').unwrap_or(kv.len());
                let v = kv.get(eq + 1..).unwrap_or_default().to_vec();
                let mut k = kv;
                k.truncate(eq);
                (OsString::from_vec(k), OsString::from_vec(v))
            })
            .collect();
        Ok(Request {
            timeout,
            cwd,
            args,
            env,
        })
    }
}

impl Reply {
    pub fn write(self, sock: &mut UnixStream) -> io::Result<()> {
        let (kind, value) = match self {
            Reply::Started(pid) => (0, pid),
            Reply::NotStarted(errno) => (1, errno),
            Reply::Exited(code) => (2, code),
            Reply::Signaled(signal) => (3, signal),
            Reply::TimedOut => (4, 0),
        };
        let mut bytes = [0u8; 8];
        bytes[..4].copy_from_slice(&(kind as u32).to_le_bytes());
        bytes[4..].copy_from_slice(&value.to_le_bytes());
        sock.write_all(&bytes)
    }

    pub fn read(sock: &mut UnixStream) -> io::Result<Reply> {
        let mut bytes = [0u8; 8];
        sock.read_exact(&mut bytes)?;
        let kind = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        let value = i32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
        Ok(match kind {
            0 => Reply::Started(value),
            1 => Reply::NotStarted(value),
            2 => Reply::Exited(value),
            3 => Reply::Signaled(value),
            4 => Reply::TimedOut,
            _ => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "a malformed reply",
                ));
            }
        })
    }
}

/// Sends `request` with `fds` (stdin, stdout, stderr) attached to its first byte.
pub fn send(sock: &UnixStream, request: &Request, fds: [RawFd; FDS]) -> io::Result<()> {
    let frame = request.encode();
    let mut control = vec![0u8; control_len()];
    let mut iov = libc::iovec {
        iov_base: frame.as_ptr() as *mut libc::c_void,
        iov_len: frame.len(),
    };
    // SAFETY: a zeroed msghdr is valid; the pointers set below point at `iov` and
    // `control`, which outlive the sendmsg call, and the control buffer is as long as
    // CMSG_SPACE of three descriptors, so CMSG_FIRSTHDR is non-null and CMSG_DATA has room
    // for them.
    let sent = unsafe {
        let mut msg: libc::msghdr = std::mem::zeroed();
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.as_mut_ptr().cast();
        msg.msg_controllen = control.len() as _;
        let cmsg = libc::CMSG_FIRSTHDR(&msg);
        (*cmsg).cmsg_level = libc::SOL_SOCKET;
        (*cmsg).cmsg_type = libc::SCM_RIGHTS;
        (*cmsg).cmsg_len = libc::CMSG_LEN(size_of_val(&fds) as u32) as _;
        std::ptr::copy_nonoverlapping(
            fds.as_ptr().cast::<u8>(),
            libc::CMSG_DATA(cmsg),
            size_of_val(&fds),
        );
        libc::sendmsg(sock.as_raw_fd(), &msg, libc::MSG_NOSIGNAL)
    };
    if sent < 0 {
        return Err(io::Error::last_os_error());
    }
    // The descriptors went with the first bytes; the rest of a long frame follows.
    let mut sock = sock;
    sock.write_all(&frame[sent as usize..])
}

/// The next request and its descriptors; `None` when the runner closed the socket.
pub fn receive(sock: &mut UnixStream) -> io::Result<Option<(Request, Vec<OwnedFd>)>> {
    let mut head = [0u8; 4];
    let mut control = vec![0u8; control_len()];
    let mut iov = libc::iovec {
        iov_base: head.as_mut_ptr().cast(),
        iov_len: head.len(),
    };
    // SAFETY: a zeroed msghdr is valid; it points at `iov` and `control`, which outlive the
    // call. The descriptors the kernel put in the control buffer are read only within the
    // lengths it reports (CMSG_NXTHDR walks within msg_controllen), and each is taken into
    // an OwnedFd exactly once.
    let (got, fds) = unsafe {
        let mut msg: libc::msghdr = std::mem::zeroed();
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.as_mut_ptr().cast();
        msg.msg_controllen = control.len() as _;
        let got = libc::recvmsg(sock.as_raw_fd(), &mut msg, libc::MSG_CMSG_CLOEXEC);
        let mut fds = Vec::new();
        if got > 0 {
            let mut cmsg = libc::CMSG_FIRSTHDR(&msg);
            while !cmsg.is_null() {
                if (*cmsg).cmsg_level == libc::SOL_SOCKET && (*cmsg).cmsg_type == libc::SCM_RIGHTS {
                    let data = libc::CMSG_DATA(cmsg);
                    let len = (*cmsg).cmsg_len as usize - libc::CMSG_LEN(0) as usize;
                    for i in 0..len / size_of::<RawFd>() {
                        let fd = std::ptr::read_unaligned(data.cast::<RawFd>().add(i));
                        fds.push(OwnedFd::from_raw_fd(fd));
                    }
                }
                cmsg = libc::CMSG_NXTHDR(&msg, cmsg);
            }
        }
        (got, fds)
    };
    if got < 0 {
        return Err(io::Error::last_os_error());
    }
    if got == 0 {
        return Ok(None);
    }
    sock.read_exact(&mut head[got as usize..])?;
    let len = u32::from_le_bytes(head) as usize;
    if len > MAX_FRAME || fds.len() != FDS {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "a malformed request",
        ));
    }
    let mut body = vec![0u8; len];
    sock.read_exact(&mut body)?;
    Ok(Some((Request::decode(&body)?, fds)))
}

fn control_len() -> usize {
    // SAFETY: CMSG_SPACE only computes a size.
    unsafe { libc::CMSG_SPACE((FDS * size_of::<RawFd>()) as u32) as usize }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_reads_back_as_sent() {
        let request = Request {
            timeout: Duration::from_millis(1500),
            cwd: PathBuf::from("/some where"),
            args: vec!["kubelite".into(), "get".into(), "".into(), "a=b".into()],
            env: vec![("K".into(), "v=w".into()), ("EMPTY".into(), "".into())],
        };
        let frame = request.encode();
        let back = Request::decode(&frame[4..]).expect("decode");
        assert_eq!(back.timeout, request.timeout);
        assert_eq!(back.cwd, request.cwd);
        assert_eq!(back.args, request.args);
        assert_eq!(back.env, request.env);
        assert!(Request::decode(&frame[4..frame.len() - 1]).is_err());
    }
}
