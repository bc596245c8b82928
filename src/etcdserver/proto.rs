//! etcd's v3 messages and service traits, generated once (build.rs) beside the store's etcd
//! client, which speaks the same protocol.

pub use crate::store::etcd::proto::*;
