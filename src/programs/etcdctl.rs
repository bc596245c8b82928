//! etcdctl as a program: on the store of a cluster this process holds (the etcd pod's
//! etcdctl, `kubelite etcdctl`), or on a real etcd its `--endpoints` name.

use super::Io;
use crate::clock::Clock;
use crate::etcdctl::{self, Backend, ConnectOptions, EmbeddedBackend, EtcdctlContext, WatchLimits};
use crate::store::Store;
use std::path::PathBuf;
use std::sync::Arc;

/// The simulated etcd member of an embedded cluster: its store, and the file that store
/// lives in (whose size `endpoint status` reports). Only whoever opened the store makes one.
#[derive(Clone)]
pub struct EtcdMember {
    store: Arc<dyn Store>,
    file: PathBuf,
    /// The cluster's clock, which its leases run on.
    clock: Clock,
}

impl EtcdMember {
    pub fn new(store: Arc<dyn Store>, file: PathBuf, clock: Clock) -> Self {
        EtcdMember { store, file, clock }
    }
}

/// Runs one etcdctl command line reading its standard input (`put`'s value, `txn`) from
/// `input`; returns the exit status. Without `--endpoints` it works on the member `local`
/// gives, asked for only then.
pub fn run(
    args: &[String],
    local: &mut dyn FnMut() -> Result<EtcdMember, String>,
    input: &mut dyn std::io::BufRead,
    io: &mut Io,
) -> i32 {
    let mut connect = |opts: &ConnectOptions| -> Result<Box<dyn Backend>, String> {
        if opts.endpoints_given {
            return etcdctl::connect_etcd(opts);
        }
        let EtcdMember { store, file, clock } = local()?;
        let mut backend = EmbeddedBackend::new(store);
        backend.now = Box::new(move || clock.now().timestamp());
        backend.db_size = Box::new(move || {
            std::fs::metadata(&file)
                .map(|m| m.len() as i64)
                .unwrap_or(0)
        });
        Ok(Box::new(backend))
    };
    let mut ctx = EtcdctlContext {
        connect: &mut connect,
        env: etcdctl::etcdctl_env(),
        stdin: input,
        stdout: io.out,
        stderr: io.err,
        watch: WatchLimits::default(),
    };
    etcdctl::run(args, &mut ctx)
}
