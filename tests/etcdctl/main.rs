//! kubelite's etcdctl: byte-compatibility with the real etcdctl 3.4, and its output on the
//! embedded store.

mod binary_keys;
mod compat;
mod embedded;
mod snapshot;
mod support;
