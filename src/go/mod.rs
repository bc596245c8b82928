//! Go's formatting rules, where kubectl's, kube-apiserver's or etcdctl's bytes depend on them:
//! `%q` quoting. One home, below everything that prints or validates.

mod quote;

pub use quote::{is_print, quote, quote_bytes};
