//! The Rust side of proto/etcd: etcd's v3 messages and the server traits of its services,
//! generated at build time (build.rs).

#[allow(clippy::all, clippy::pedantic, unused_qualifications)]
pub mod mvccpb {
    tonic::include_proto!("mvccpb");
}

#[allow(clippy::all, clippy::pedantic, unused_qualifications)]
pub mod etcdserverpb {
    tonic::include_proto!("etcdserverpb");
}
