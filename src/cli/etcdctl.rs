//! `kubelite etcdctl ...` and the `etcdctl` multicall name: kubelite's etcdctl on the
//! embedded cluster's etcd member, or on a real etcd with `--endpoints`. (`exec etcd-master
//! -- etcdctl` runs the same program in the etcd pod.)

use super::Io;
use crate::programs::etcdctl::EtcdMember;
use clap::Args;
use std::io::BufReader;

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

/// Runs etcdctl, reading standard input, on `member` if given; without one, the embedded
/// cluster is opened only if no `--endpoints` names a real etcd.
pub fn run(args: &[String], member: Option<EtcdMember>, io: &mut Io) -> i32 {
    let stdin = std::io::stdin();
    let mut input = BufReader::new(stdin.lock());
    run_with_input(args, member, &mut input, io)
}

/// [`run`] reading its standard input (`put`'s value, `txn`) from `input`.
pub fn run_with_input(
    args: &[String],
    member: Option<EtcdMember>,
    input: &mut dyn std::io::BufRead,
    io: &mut Io,
) -> i32 {
    let mut local = || match &member {
        Some(m) => Ok(m.clone()),
        None => embedded_member(),
    };
    crate::programs::etcdctl::run(args, &mut local, input, io)
}

/// The embedded cluster's etcd member, unless `kubelite serve` holds it.
fn embedded_member() -> Result<EtcdMember, String> {
    if crate::server::running(&crate::cluster::home()).is_some() {
        return Err(
            "kubelite serve holds the embedded cluster's store: reach its etcd with `kubelite exec etcd-master -n kube-system -- etcdctl ...`".to_string(),
        );
    }
    crate::embedded::etcd_member()
}
