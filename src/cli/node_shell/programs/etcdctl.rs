//! etcdctl on a node. On the control-plane node, etcd listens on 127.0.0.1:2379 (and the
//! node's address): there, that endpoint is the embedded cluster's etcd member, so the
//! exam's `ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379 --cacert=... --cert=...
//! --key=... get / --prefix --keys-only` reads kubelite's store. The certificate files
//! must exist, as etcdctl opens them. Any other endpoint is a real etcd, as anywhere.

use super::NodeCtx;
use crate::cli::Io;

pub fn run(ctx: &NodeCtx, args: &[String], io: &mut Io) -> i32 {
    let node_ip = std::env::var(crate::cli::node_shell::NODE_IP_ENV).unwrap_or_default();
    let is_local = |list: &str| {
        !list.is_empty()
            && list.split(',').all(|e| {
                let hostport = e
                    .trim()
                    .trim_start_matches("https://")
                    .trim_start_matches("http://")
                    .trim_end_matches('/');
                matches!(hostport, "127.0.0.1:2379" | "localhost:2379" | "[::1]:2379")
                    || (!node_ip.trim().is_empty()
                        && hostport == format!("{}:2379", node_ip.trim()))
            })
    };
    let mut words = Vec::new();
    let mut local = false;
    let mut files = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if let Some(list) = a.strip_prefix("--endpoints=") {
            if is_local(list) {
                local = true;
                continue;
            }
        } else if a == "--endpoints"
            && let Some(list) = it.clone().next()
            && is_local(list)
        {
            local = true;
            it.next();
            continue;
        }
        for flag in ["--cacert", "--cert", "--key"] {
            if let Some(path) = a.strip_prefix(&format!("{flag}=")) {
                files.push(path.to_string());
            } else if a == flag
                && let Some(path) = it.clone().next()
            {
                files.push(path.clone());
            }
        }
        words.push(a.clone());
    }
    if let Ok(list) = std::env::var("ETCDCTL_ENDPOINTS")
        && is_local(&list)
    {
        local = true;
        // SAFETY: this program is single-threaded here; nothing else reads the environment.
        unsafe { std::env::remove_var("ETCDCTL_ENDPOINTS") };
    }
    for f in &files {
        if let Err(e) = std::fs::File::open(f) {
            let why = match e.kind() {
                std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
                std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                _ => e.to_string(),
            };
            let _ = writeln!(io.err, "Error: open {f}: {why}");
            return 1;
        }
    }
    let etcd_here = ctx.host_path("/etc/kubernetes/pki/etcd").is_dir();
    if local && !etcd_here {
        // No etcd listens on a worker: etcdctl waits for its dial timeout and gives up.
        let _ = writeln!(io.err, "Error: context deadline exceeded");
        return 1;
    }
    crate::cli::etcdctl::run(&words, None, io)
}
