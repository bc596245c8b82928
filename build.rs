//! Generates etcd's v3 gRPC API from proto/etcd (needs `protoc`, Debian's protobuf-compiler):
//! the server side for `kubelite etcd`, the client side for the cluster kept in etcd.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=proto/etcd");
    // The binaries are linked at a fixed address (as Go links kubectl): a position-independent
    // kubelite has some 90,000 relocations for the dynamic loader to apply at every start,
    // a sixth of a one-shot command's CPU.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    tonic_prost_build::configure().compile_protos(&["proto/etcd/rpc.proto"], &["proto/etcd"])?;
    Ok(())
}
