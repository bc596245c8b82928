//! Keys and values that are not UTF-8, given on the command line, as the real etcdctl takes
//! them: stored as the bytes given and printed back as those bytes.

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::process::{Command, Stdio};

use crate::support::{Etcd, temp_dir, tool};

/// A command line whose words are byte strings.
fn words(args: &[&[u8]]) -> Vec<OsString> {
    args.iter()
        .map(|a| OsString::from_vec(a.to_vec()))
        .collect()
}

fn run(mut cmd: Command, args: &[&[u8]]) -> (Vec<u8>, Vec<u8>, i32) {
    let out = cmd
        .args(words(args))
        .stdin(Stdio::null())
        .output()
        .expect("run etcdctl");
    (out.stdout, out.stderr, out.status.code().unwrap_or(-1))
}

#[test]
fn binary_keys_and_values_match_real_etcdctl() {
    let (Some(etcd), Some(_)) = (tool("etcd"), tool("etcdctl")) else {
        eprintln!("etcd or etcdctl is not on the PATH: SKIPPED");
        return;
    };
    let server = Etcd::start(&etcd, "binary-keys");
    let home = temp_dir("binary-keys-home");
    let steps: [&[&[u8]]; 5] = [
        &[b"put", b"/k\xff", b"v\xfe1"],
        &[b"put", b"/k\xc3\x28x", b"plain"],
        &[b"get", b"/k\xff"],
        &[b"get", b"/k", b"--prefix"],
        &[b"del", b"/k\xff", b"--prev-kv"],
    ];
    for args in steps {
        let mut real = Command::new("etcdctl");
        real.env_clear().env("ETCDCTL_ENDPOINTS", &server.endpoint);
        let mut ours = Command::new(env!("CARGO_BIN_EXE_kubelite"));
        ours.arg("etcdctl")
            .env("KUBELITE_HOME", &home)
            .env_remove("KUBECONFIG")
            .env_remove("ETCDCTL_ENDPOINTS");
        let (theirs, mine) = (run(real, args), run(ours, args));
        assert_eq!(mine, theirs, "etcdctl {:?}", words(args));
    }
    let _ = std::fs::remove_dir_all(&home);
}
