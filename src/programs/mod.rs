//! The programs a simulated container can run, and the streams they write to. kubelite's
//! containers run nothing else: `etcdctl` in the etcd pod (a store tool, on the store the
//! cluster was assembled with, as the real one talks to its etcd) and `iptables-save` in
//! kube-proxy pods (the rules kube-proxy would have written). The kubelet decides which
//! container runs what; the CLI's `kubelite etcdctl` runs the same etcdctl.
//!
//! This sits below the kubelet, the server and the CLI, which all reach these programs.

pub mod etcdctl;
pub mod io;
pub mod iptables_save;

pub use io::Io;
