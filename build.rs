//! Generates the server side of etcd's v3 gRPC API from proto/etcd (needs `protoc`, Debian's
//! protobuf-compiler) for `kubelite etcd`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=proto/etcd");
    tonic_prost_build::configure()
        .build_client(false)
        .compile_protos(&["proto/etcd/rpc.proto"], &["proto/etcd"])?;
    Ok(())
}
