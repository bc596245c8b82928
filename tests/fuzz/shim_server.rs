//! The frame and body parsers of `serve` that the library keeps private (`ws`,
//! `server::protobuf`, `server::exec::spdy`), compiled here from their own files.

#[allow(dead_code, unused_imports)]
#[path = "../../src/server/protobuf/mod.rs"]
pub mod protobuf;

#[allow(dead_code, unused_imports)]
#[path = "../../src/ws/mod.rs"]
pub mod ws;

#[allow(dead_code, unused_imports)]
#[path = "shim_server_exec.rs"]
pub mod exec;
