//! `server::exec`'s SPDY framing and the session it needs.

#[allow(dead_code, unused_imports)]
#[path = "../../src/server/exec/spdy.rs"]
pub mod spdy;

#[allow(dead_code, unused_imports)]
#[path = "../../src/server/exec/session.rs"]
pub mod session;
