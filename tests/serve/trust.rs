//! HTTPS clients that trust exactly one CA, a test server's: shared by the serve tests
//! (through `support`) and the serve benchmark, which includes this file by path.

use std::sync::Arc;

/// A reqwest client builder whose TLS trusts only `ca_pem`; callers add their timeout.
pub fn https_builder(ca_pem: &str) -> reqwest::blocking::ClientBuilder {
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(kubelite::server::pem_der(ca_pem).expect("der"))
        .expect("root");
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("tls")
    .with_root_certificates(roots)
    .with_no_client_auth();
    reqwest::blocking::Client::builder().use_preconfigured_tls(tls)
}
