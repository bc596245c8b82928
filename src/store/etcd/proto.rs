//! The Rust side of proto/etcd: etcd's v3 messages, the server traits of its services
//! (`kubelite etcd`) and their clients (the store kept in etcd), generated at build time.

#[allow(clippy::all, clippy::pedantic, unused_qualifications)]
pub mod mvccpb {
    tonic::include_proto!("mvccpb");
}

#[allow(clippy::all, clippy::pedantic, unused_qualifications)]
pub mod etcdserverpb {
    tonic::include_proto!("etcdserverpb");
}
