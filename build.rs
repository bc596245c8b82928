//! Generates etcd's v3 gRPC API from proto/etcd (needs `protoc`, Debian's protobuf-compiler):
//! the server side for `kubelite etcd`, the client side for the cluster kept in etcd.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=proto/etcd");
    tonic_prost_build::configure().compile_protos(&["proto/etcd/rpc.proto"], &["proto/etcd"])?;
    Ok(())
}
