//! Go's formatting rules, where kubectl's, kube-apiserver's or etcdctl's bytes depend on them:
//! `%q` quoting, base64 of `[]byte`, and durations (`time.ParseDuration`,
//! `Duration.String`). One home, below everything that prints or validates.

pub mod base64;
pub mod duration;
mod quote;

pub use quote::{is_print, quote, quote_bytes};
