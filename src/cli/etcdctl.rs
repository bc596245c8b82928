//! `kubelite etcdctl ...`, the `etcdctl` multicall name, and `exec etcd-master -- etcdctl`:
//! kubelite's etcdctl on the embedded cluster's store, or on a real etcd with `--endpoints`.

use super::Io;
use crate::etcdctl::{self, Backend, ConnectOptions, EmbeddedBackend, EtcdctlContext, WatchLimits};
use crate::store::Store;
use clap::Args;
use std::io::BufReader;
use std::sync::Arc;

#[derive(Args, Debug)]
#[command(disable_help_flag = true)]
pub struct EtcdctlArgs {
    /// etcdctl's own command line (`get / --prefix --keys-only`, `put k v`, ...)
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_parser = clap::value_parser!(std::ffi::OsString)
    )]
    pub args: Vec<std::ffi::OsString>,
}

impl EtcdctlArgs {
    /// The words as etcdctl takes them (bytes that are not UTF-8 kept, see `etcdctl::args`).
    pub fn words(&self) -> Vec<String> {
        self.args
            .iter()
            .map(|a| crate::etcdctl::args::word(a))
            .collect()
    }
}

/// Runs etcdctl. `store` is an already open store (exec inside the cluster); without one,
/// the embedded cluster's store is opened only if no `--endpoints` names a real etcd.
pub fn run(args: &[String], store: Option<Arc<dyn Store>>, io: &mut Io) -> i32 {
    let stdin = std::io::stdin();
    let mut input = BufReader::new(stdin.lock());
    run_with_input(args, store, &mut input, io)
}

/// [`run`] reading its standard input (`put`'s value, `txn`) from `input`.
pub fn run_with_input(
    args: &[String],
    store: Option<Arc<dyn Store>>,
    input: &mut dyn std::io::BufRead,
    io: &mut Io,
) -> i32 {
    let mut connect = |opts: &ConnectOptions| -> Result<Box<dyn Backend>, String> {
        if opts.endpoints_given {
            return etcdctl::connect_etcd(opts);
        }
        let store = match &store {
            Some(s) => s.clone(),
            None if crate::server::running(&crate::cluster::home()).is_some() => {
                return Err(
                    "kubelite serve holds the embedded cluster's store: reach its etcd with `kubelite exec etcd-master -n kube-system -- etcdctl ...`".to_string(),
                );
            }
            None => crate::cluster::open()?.server().store().clone(),
        };
        let mut backend = EmbeddedBackend::new(store);
        let path = crate::cluster::store_path();
        backend.db_size = Box::new(move || {
            std::fs::metadata(&path)
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
