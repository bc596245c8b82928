//! How a `Remote` proves who it is and whom it trusts: TLS settings, credentials that
//! change during a run (token files, exec plugins), and kubectl's words for failures that
//! happen before a server answers.

pub mod credentials;
pub mod der;
pub mod exec_plugin;
pub mod failure;
pub mod tls;
