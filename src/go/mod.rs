//! Go's formatting rules, where kubectl's, kube-apiserver's or etcdctl's bytes depend on them:
//! `%q` quoting, JSON strings, URL and IP parsing (`net/url`, `net/netip`), base64 of `[]byte`, PEM blocks, x509's verdicts on certificates, and durations (`time.ParseDuration`,
//! `Duration.String`). One home, below everything that prints or validates.

pub mod base64;
pub mod duration;
mod json_string;
pub mod netip;
pub mod pem;
mod quote;
pub mod url;
pub mod x509;

pub use json_string::{JsonEscapes, write_json_string};
pub use quote::{is_print, quote, quote_bytes};
