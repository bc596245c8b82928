//! Go's formatting rules, where kubectl's, kube-apiserver's or etcdctl's bytes depend on them:
//! `%q` quoting and base64 of `[]byte`. One home, below everything that prints or validates.

pub mod base64;
mod quote;

pub use quote::{is_print, quote, quote_bytes};
