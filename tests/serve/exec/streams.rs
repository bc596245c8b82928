//! `exec -i` and `exec -t` against `kubelite serve`: the real kubectl's stdin frames, the end
//! of stdin, a terminal on stdin (a pty the test opens), and kubelite's own `exec` doing the
//! same, byte for byte.

use super::super::support::{BIN, Run, Server, TempDir, kubectl_available};
use std::io::Write;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ETCD: [&str; 4] = ["exec", "etcd-master", "-n", "kube-system"];
/// A command that outlives this is stuck: the test fails instead of hanging.
const DEADLINE: Duration = Duration::from_secs(60);

/// `exec etcd-master -n kube-system <flags> -- <command>` as an argument list.
fn etcd_args<'a>(flags: &[&'a str], command: &[&'a str]) -> Vec<&'a str> {
    let mut args: Vec<&str> = ETCD.to_vec();
    args.extend_from_slice(flags);
    args.push("--");
    args.extend_from_slice(command);
    args
}

/// The real kubectl (or one of its versioned binaries) against `s`.
fn kubectl(s: &Server, bin: &str, cache: &TempDir, args: &[&str]) -> Command {
    let mut cmd = Command::new(bin);
    cmd.arg("--kubeconfig")
        .arg(s.kubeconfig())
        .arg("--cache-dir")
        .arg(&cache.0)
        .args(args)
        .env_remove("KUBECONFIG");
    cmd
}

/// kubelite's own CLI on the server's home: it reaches the server over HTTPS.
fn kubelite(s: &Server, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env("KUBELITE_HOME", &s.home.0)
        .env_remove("KUBECONFIG");
    cmd
}

/// Waits for `child` (killed after `DEADLINE`) and collects what it printed.
fn finish(child: Child) -> Run {
    let pid = child.id() as i32;
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = done.clone();
    std::thread::spawn(move || {
        let start = Instant::now();
        while start.elapsed() < DEADLINE {
            if flag.load(std::sync::atomic::Ordering::SeqCst) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        // SAFETY: the pid is our own child, not yet waited for (so not reused).
        unsafe {
            libc::kill(pid, libc::SIGKILL);
        }
    });
    let out = child.wait_with_output().expect("wait");
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    out.into()
}

/// Runs `cmd` with `input` on stdin, closed after it.
fn piped(mut cmd: Command, input: &[u8]) -> Run {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(input).expect("write stdin");
    drop(stdin);
    finish(child)
}

/// Runs `cmd` with a terminal (a pty) on stdin and pipes for stdout and stderr. Once the
/// program has put the terminal in raw mode (as kubectl does for `-t`), `typed` is typed.
fn on_terminal(mut cmd: Command, typed: &[u8]) -> Run {
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty writes the two descriptors through valid pointers; the name,
    // termios and winsize arguments may be null.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(rc, 0, "openpty");
    // SAFETY: openpty succeeded, so both descriptors are open and owned by nobody else.
    let master = unsafe { OwnedFd::from_raw_fd(master) };
    // SAFETY: as above.
    let slave = unsafe { OwnedFd::from_raw_fd(slave) };
    let probe = slave.try_clone().expect("dup pty");
    cmd.stdin(Stdio::from(slave))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = cmd.spawn().expect("spawn");
    if !typed.is_empty() {
        let start = Instant::now();
        loop {
            // SAFETY: termios is plain old data; all zeros is a valid value.
            let mut t: libc::termios = unsafe { std::mem::zeroed() };
            // SAFETY: the descriptor is open and `t` is a valid termios to write into.
            let ok = unsafe { libc::tcgetattr(probe.as_raw_fd(), &mut t) } == 0;
            if ok && t.c_lflag & libc::ICANON == 0 {
                break;
            }
            assert!(start.elapsed() < DEADLINE, "the terminal never went raw");
            std::thread::sleep(Duration::from_millis(20));
        }
        let mut terminal = std::fs::File::from(master.try_clone().expect("dup master"));
        terminal.write_all(typed).expect("type");
    }
    let run = finish(child);
    drop(master);
    run
}

#[test]
fn stdin_feeds_etcdctl_put_and_txn() {
    require_kubectl!();
    let s = Server::start(false);
    let cache = TempDir::new("exec-stdin");
    let run = |flags: &[&str], command: &[&str], input: &[u8]| {
        piped(
            kubectl(&s, "kubectl", &cache, &etcd_args(flags, command)),
            input,
        )
    };
    // The value comes from stdin when the command line has none, every byte of it.
    let put = run(&["-i"], &["etcdctl", "put", "piped"], b"two\nlines");
    assert_eq!(
        (put.code, put.stdout.as_str()),
        (0, "OK\n"),
        "{}",
        put.stderr
    );
    let got = run(&[], &["etcdctl", "get", "piped"], b"");
    assert_eq!(got.stdout, "piped\ntwo\nlines\n", "{}", got.stderr);
    // Without -i kubectl sends no stdin, so put has no value.
    let bare = run(&[], &["etcdctl", "put", "novalue"], b"ignored");
    assert_eq!(bare.code, 128, "{}", bare.stderr);
    assert_eq!(
        bare.stderr,
        "Error: put command needs 1 argument and input from stdin or 2 arguments\ncommand terminated with exit code 128\n"
    );

    // A transaction read from stdin: no compares, two puts on success, no failure ops.
    let txn = run(
        &["-i"],
        &["etcdctl", "txn"],
        b"\nput t1 one\nput t2 two\n\n\n",
    );
    assert_eq!(txn.code, 0, "{}", txn.stderr);
    assert_eq!(txn.stdout, "SUCCESS\n\nOK\n\nOK\n");
    // Interactive: the prompts, then a compare that fails and the failure branch.
    let txn = run(
        &["-i"],
        &["etcdctl", "txn", "--interactive"],
        b"value(\"t1\") = \"other\"\n\nput t3 no\n\nget t2\n\n",
    );
    assert_eq!(txn.code, 0, "{}", txn.stderr);
    assert_eq!(
        txn.stdout,
        "compares:\nsuccess requests (get, put, del):\nfailure requests (get, put, del):\nFAILURE\n\nt2\ntwo\n"
    );
    let keys = run(
        &[],
        &["etcdctl", "get", "t", "--prefix", "--keys-only"],
        b"",
    );
    assert_eq!(keys.stdout, "t1\n\nt2\n\n", "{}", keys.stderr);
    // A truncated transaction: etcdctl's own error at the end of stdin.
    let cut = run(&["-i"], &["etcdctl", "txn"], b"\nput t4 x\n");
    assert_eq!(
        (cut.code, cut.stderr.as_str()),
        (3, "Error: EOF\ncommand terminated with exit code 3\n")
    );
}

#[test]
fn commands_that_read_no_stdin_finish_while_it_stays_open() {
    require_kubectl!();
    let s = Server::start(false);
    let cache = TempDir::new("exec-open");
    for mut cmd in [
        kubectl(
            &s,
            "kubectl",
            &cache,
            &etcd_args(&["-i"], &["etcdctl", "version"]),
        ),
        kubelite(&s, &etcd_args(&["-i"], &["etcdctl", "version"])),
    ] {
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn");
        let stdin = child.stdin.take();
        let run = finish(child);
        drop(stdin);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stdout.starts_with("etcdctl version: "),
            "{}",
            run.stdout
        );
    }
}

#[test]
fn a_terminal_merges_stderr_echoes_and_ends_lines_with_crlf() {
    require_kubectl!();
    let s = Server::start(false);
    let cache = TempDir::new("exec-tty");
    let both = |flags: &[&str], command: &[&str], typed: &[u8]| {
        let args = etcd_args(flags, command);
        let real = on_terminal(kubectl(&s, "kubectl", &cache, &args), typed);
        let mine = on_terminal(kubelite(&s, &args), typed);
        (real, mine)
    };
    let (real, mine) = both(&["-it"], &["etcdctl", "put", "tty-key", "v"], b"");
    assert_eq!(
        (real.code, real.stdout.as_str()),
        (0, "OK\r\n"),
        "{}",
        real.stderr
    );
    assert_eq!(
        (mine.code, mine.stdout, mine.stderr),
        (0, real.stdout, real.stderr)
    );

    // etcdctl's error goes to the terminal, so to stdout; kubectl's own line to stderr.
    let (real, mine) = both(&["-it"], &["etcdctl", "get"], b"");
    assert_eq!(real.code, 128);
    assert!(
        real.stdout.starts_with("Error: get command needs"),
        "{}",
        real.stdout
    );
    assert!(real.stdout.ends_with("\r\n") && !real.stdout.contains("s\n"));
    assert_eq!(real.stderr, "command terminated with exit code 128\n");
    assert_eq!(
        (mine.code, mine.stdout, mine.stderr),
        (real.code, real.stdout, real.stderr)
    );

    // Typing: the remote terminal echoes (the user's is raw), ^D ends the value.
    let (real, mine) = both(&["-it"], &["etcdctl", "put", "typed"], b"hi\x7fey\x04\x04");
    assert_eq!(real.code, 0, "{}", real.stderr);
    assert_eq!(real.stdout, "hi\x08 \x08eyOK\r\n");
    assert_eq!(
        (mine.code, mine.stdout, mine.stderr),
        (real.code, real.stdout, real.stderr)
    );
    let got = piped(
        kubectl(
            &s,
            "kubectl",
            &cache,
            &etcd_args(&[], &["etcdctl", "get", "typed"]),
        ),
        b"",
    );
    assert_eq!(got.stdout, "typed\nhey\n");

    // An interactive transaction typed line by line (Enter sends \r).
    let (real, mine) = both(&["-it"], &["etcdctl", "txn"], b"\rput tty-txn yes\r\r\r");
    assert_eq!(real.code, 0, "{}", real.stderr);
    assert_eq!(
        real.stdout,
        "\r\nput tty-txn yes\r\n\r\n\r\nSUCCESS\r\n\r\nOK\r\n"
    );
    assert_eq!(
        (mine.code, mine.stdout, mine.stderr),
        (real.code, real.stdout, real.stderr)
    );

    // ^C interrupts the program: exit 130, as a shell reports SIGINT.
    let (real, mine) = both(&["-it"], &["etcdctl", "put", "never"], b"abc\x03");
    assert_eq!(real.code, 130, "{}", real.stderr);
    assert_eq!(real.stdout, "abc^C");
    assert_eq!(real.stderr, "command terminated with exit code 130\n");
    assert_eq!(
        (mine.code, mine.stdout, mine.stderr),
        (real.code, real.stdout, real.stderr)
    );

    // A shell is missing from the simulated container: the runtime's error on the terminal.
    let (real, mine) = both(&["-it"], &["sh"], b"");
    assert_eq!(real.code, 126, "{}", real.stderr);
    assert!(
        real.stdout.starts_with(
            "OCI runtime exec failed: exec failed: unable to start container process: exec: \"sh\": executable file not found in $PATH: unknown\r\n"
        ),
        "{}",
        real.stdout
    );
    assert_eq!(real.stderr, "command terminated with exit code 126\n");
    assert_eq!(
        (mine.code, mine.stdout, mine.stderr),
        (real.code, real.stdout, real.stderr)
    );

    // With -t but a pipe on stdin, kubectl warns and runs without a terminal.
    let args = etcd_args(&["-it"], &["etcdctl", "get", "tty-key"]);
    let real = piped(kubectl(&s, "kubectl", &cache, &args), b"");
    let mine = piped(kubelite(&s, &args), b"");
    assert_eq!(real.stdout, "tty-key\nv\n");
    assert_eq!(
        real.stderr,
        "Unable to use a TTY - input is not a terminal or the right kind of file\n"
    );
    assert_eq!(
        (mine.code, mine.stdout, mine.stderr),
        (real.code, real.stdout, real.stderr)
    );
}

#[test]
fn kubelite_exec_with_stdin_matches_kubectl() {
    require_kubectl!();
    let s = Server::start(false);
    let cache = TempDir::new("exec-same");
    let cases: [(&[&str], &[&str], &[u8]); 7] = [
        (&["-i"], &["etcdctl", "put", "same"], b"first"),
        (&["-i"], &["etcdctl", "put", "same"], b"second\n"),
        (
            &["-i"],
            &["etcdctl", "get", "same", "--print-value-only"],
            b"unread",
        ),
        (
            &["-i"],
            &["etcdctl", "txn"],
            b"\nget same\nput other x\n\n\n",
        ),
        (&["-i"], &["etcdctl", "txn"], b"nonsense\n"),
        (&["-i"], &["bash"], b"echo hi\n"),
        (&[], &["etcdctl", "put", "k"], b""),
    ];
    let mut seen = Vec::new();
    for (flags, command, input) in cases {
        let args = etcd_args(flags, command);
        let real = piped(kubectl(&s, "kubectl", &cache, &args), input);
        let mine = piped(kubelite(&s, &args), input);
        assert_eq!(
            (&mine.stdout, &mine.stderr, mine.code),
            (&real.stdout, &real.stderr, real.code),
            "{args:?}"
        );
        seen.push(real);
    }
    // A big value crosses in several frames and comes back whole.
    let big: Vec<u8> = (0..3_000_000u32).map(|i| b'a' + (i % 26) as u8).collect();
    let put = piped(
        kubelite(&s, &etcd_args(&["-i"], &["etcdctl", "put", "big"])),
        &big,
    );
    assert_eq!(put.stdout, "OK\n", "{}", put.stderr);
    let args = etcd_args(&[], &["etcdctl", "get", "big", "--print-value-only"]);
    let got = piped(kubectl(&s, "kubectl", &cache, &args), b"");
    assert_eq!(got.stdout.len(), big.len() + 1);
    assert!(got.stdout.as_bytes().starts_with(&big));

    // The one-shot CLI on the embedded cluster, once serve has stopped, does the same.
    let mut s = s;
    assert_eq!(s.stop(), 0);
    for ((flags, command, input), real) in cases.iter().zip(&seen) {
        let args = etcd_args(flags, command);
        let mine = piped(kubelite(&s, &args), input);
        assert_eq!(
            (&mine.stdout, &mine.stderr, mine.code),
            (&real.stdout, &real.stderr, real.code),
            "embedded {args:?}"
        );
    }
    let tty = on_terminal(
        kubelite(&s, &etcd_args(&["-it"], &["etcdctl", "get", "same"])),
        b"",
    );
    assert_eq!(
        (tty.code, tty.stdout.as_str()),
        (0, "same\r\nsecond\r\n\r\n")
    );
    let tty = on_terminal(kubelite(&s, &etcd_args(&["-it"], &["bash"])), b"");
    assert_eq!(tty.code, 126);
    assert!(tty.stdout.ends_with("pods\r\n"), "{}", tty.stdout);
    assert_eq!(tty.stderr, "command terminated with exit code 126\n");
}

#[test]
fn spdy_kubectls_exec_like_websocket_ones() {
    require_kubectl!();
    let s = Server::start(false);
    let cache = TempDir::new("exec-spdy");
    // What kubectl 1.32 (WebSocket) shows is what every version must show.
    let cases: [(&[&str], &[&str], &[u8]); 5] = [
        (&["-i"], &["etcdctl", "put", "spdy"], b"piped\nvalue"),
        (&[], &["etcdctl", "get", "spdy"], b""),
        (&[], &["etcdctl", "get"], b""),
        (&["-i"], &["etcdctl", "txn"], b"\nget spdy\n\n\n"),
        (&[], &["sh"], b""),
    ];
    let expected: Vec<Run> = cases
        .iter()
        .map(|(flags, command, input)| {
            piped(
                kubectl(&s, "kubectl", &cache, &etcd_args(flags, command)),
                input,
            )
        })
        .collect();
    assert_eq!(expected[0].stdout, "OK\n", "{}", expected[0].stderr);
    assert_eq!(expected[1].stdout, "spdy\npiped\nvalue\n");
    assert_eq!(expected[2].code, 128);
    assert_eq!(expected[4].code, 126);
    let mut spdy_only = 0;
    let mut clients: Vec<(String, Command)> = Vec::new();
    for bin in versioned_kubectls() {
        let name = bin.to_string_lossy().into_owned();
        spdy_only +=
            usize::from(name.ends_with(".27") || name.ends_with(".28") || name.ends_with(".29"));
        clients.push((name.clone(), Command::new(&name)));
    }
    // kubectl 1.32 told to use SPDY.
    let mut forced = Command::new("kubectl");
    forced.env("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false");
    clients.push(("kubectl (SPDY)".to_string(), forced));
    for (name, template) in &clients {
        for ((flags, command, input), want) in cases.iter().zip(&expected) {
            let args = etcd_args(flags, command);
            let mut cmd = kubectl(
                &s,
                template.get_program().to_str().unwrap_or("kubectl"),
                &cache,
                &args,
            );
            for (k, v) in template.get_envs() {
                if let Some(v) = v {
                    cmd.env(k, v);
                }
            }
            let run = piped(cmd, input);
            assert_eq!(
                (&run.stdout, &run.stderr, run.code),
                (&want.stdout, &want.stderr, want.code),
                "{name} {args:?}"
            );
        }
    }
    // A terminal over SPDY: kubectl 1.29 opens a resize stream, and typing works as over
    // WebSocket.
    if let Some(bin) = versioned_kubectls()
        .into_iter()
        .find(|b| b.to_string_lossy().ends_with(".29"))
    {
        let args = etcd_args(&["-it"], &["etcdctl", "txn"]);
        let typed = b"\rput spdy-tty yes\r\r\r";
        let old = on_terminal(kubectl(&s, &bin.to_string_lossy(), &cache, &args), typed);
        let new = on_terminal(kubectl(&s, "kubectl", &cache, &args), typed);
        assert_eq!(old.code, 0, "{}", old.stderr);
        assert_eq!(
            old.stdout,
            "\r\nput spdy-tty yes\r\n\r\n\r\nSUCCESS\r\n\r\nOK\r\n"
        );
        assert_eq!(
            (old.stdout, old.stderr, old.code),
            (new.stdout, new.stderr, new.code)
        );
    }
    eprintln!("{spdy_only} SPDY-only kubectl versions tried");
}

/// The versioned kubectl binaries (`kubectl.1.27` ...) beside the dispatcher on the PATH.
fn versioned_kubectls() -> Vec<std::path::PathBuf> {
    let dispatcher = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("kubectl"))
            .find(|p| p.is_file())
    });
    let dir = dispatcher
        .and_then(|p| std::fs::canonicalize(p).ok())
        .and_then(|p| p.parent().map(|d| d.to_path_buf()));
    let Some(dir) = dir else {
        return Vec::new();
    };
    (27..=33)
        .map(|minor| dir.join(format!("kubectl.1.{minor}")))
        .filter(|p| p.is_file())
        .collect()
}
