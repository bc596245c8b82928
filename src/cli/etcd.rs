//! `kubelite etcd` and the `etcd` multicall name: an etcd v3 member on a kubelite store
//! (see `crate::etcdserver`), with etcd's own flags. One member, plain http: the flags of
//! peers and TLS are refused with one line saying so.

use super::Io;
use crate::etcdserver::Options;
use clap::Args;
use std::net::{SocketAddr, ToSocketAddrs};

/// What a flag of peers or TLS is answered.
const ONE_MEMBER: &str =
    "kubelite etcd is one member only, over plain http: it has no peers and no TLS";

#[derive(Args, Debug)]
pub struct EtcdArgs {
    /// Path to the data directory (a kubelite store: a directory holding kubelite.redb, or member/snap/db as `etcdctl snapshot restore` writes it; or a store file)
    #[arg(long, default_value = "default.etcd")]
    pub data_dir: std::path::PathBuf,
    /// Human-readable name for this member
    #[arg(long, default_value = "default")]
    pub name: String,
    /// List of URLs to listen on for client traffic (http only)
    #[arg(long, default_value = "http://localhost:2379")]
    pub listen_client_urls: String,
    /// List of this member's client URLs to advertise to the public
    #[arg(long, default_value = "http://localhost:2379")]
    pub advertise_client_urls: String,
    /// etcd's flags for peers and TLS, accepted only to be refused clearly.
    #[arg(long, hide = true)]
    pub initial_cluster: Option<String>,
    #[arg(long, hide = true)]
    pub initial_cluster_state: Option<String>,
    #[arg(long, hide = true)]
    pub initial_cluster_token: Option<String>,
    #[arg(long, hide = true)]
    pub initial_advertise_peer_urls: Option<String>,
    #[arg(long, hide = true)]
    pub listen_peer_urls: Option<String>,
    #[arg(long, hide = true)]
    pub discovery: Option<String>,
    #[arg(long, hide = true)]
    pub cert_file: Option<String>,
    #[arg(long, hide = true)]
    pub key_file: Option<String>,
    #[arg(long, hide = true)]
    pub trusted_ca_file: Option<String>,
    #[arg(long, hide = true, num_args = 0..=1, default_missing_value = "true")]
    pub client_cert_auth: Option<String>,
    #[arg(long, hide = true)]
    pub peer_cert_file: Option<String>,
    #[arg(long, hide = true)]
    pub peer_key_file: Option<String>,
    #[arg(long, hide = true)]
    pub peer_trusted_ca_file: Option<String>,
}

impl EtcdArgs {
    /// The flags given that a single plain-http member cannot honour.
    fn refused(&self) -> Option<&'static str> {
        let given = [
            ("--initial-cluster", &self.initial_cluster),
            ("--initial-cluster-state", &self.initial_cluster_state),
            ("--initial-cluster-token", &self.initial_cluster_token),
            (
                "--initial-advertise-peer-urls",
                &self.initial_advertise_peer_urls,
            ),
            ("--listen-peer-urls", &self.listen_peer_urls),
            ("--discovery", &self.discovery),
            ("--cert-file", &self.cert_file),
            ("--key-file", &self.key_file),
            ("--trusted-ca-file", &self.trusted_ca_file),
            ("--client-cert-auth", &self.client_cert_auth),
            ("--peer-cert-file", &self.peer_cert_file),
            ("--peer-key-file", &self.peer_key_file),
            ("--peer-trusted-ca-file", &self.peer_trusted_ca_file),
        ];
        given
            .iter()
            .find(|(_, v)| v.is_some())
            .map(|(name, _)| *name)
    }

    fn options(&self) -> Result<Options, String> {
        if let Some(flag) = self.refused() {
            return Err(format!("{flag} is not supported: {ONE_MEMBER}"));
        }
        let mut listen = Vec::new();
        for url in split(&self.listen_client_urls) {
            listen.push(listen_address(url)?);
        }
        let advertise: Vec<String> = split(&self.advertise_client_urls)
            .map(str::to_string)
            .collect();
        for url in &advertise {
            http_host(url)?;
        }
        if listen.is_empty() {
            return Err("--listen-client-urls names no URL".to_string());
        }
        Ok(Options {
            data_dir: self.data_dir.clone(),
            name: self.name.clone(),
            listen,
            advertise,
        })
    }
}

fn split(list: &str) -> impl Iterator<Item = &str> {
    list.split(',').map(str::trim).filter(|s| !s.is_empty())
}

/// `host:port` of an `http://` URL (a path is allowed and ignored, as etcd does).
fn http_host(url: &str) -> Result<&str, String> {
    if url.starts_with("https://") || url.starts_with("unixs://") {
        return Err(format!("{url}: {ONE_MEMBER}"));
    }
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("URL scheme must be http, https, unix, or unixs: {url}"))?;
    let host = rest.split('/').next().unwrap_or_default();
    if !host.contains(':') {
        return Err(format!(
            "{url}: a client URL needs a port (e.g. http://127.0.0.1:2379)"
        ));
    }
    Ok(host)
}

/// The address to bind for a listen URL; `localhost` is the IPv4 loopback.
fn listen_address(url: &str) -> Result<SocketAddr, String> {
    let host = http_host(url)?;
    let addrs: Vec<SocketAddr> = host
        .to_socket_addrs()
        .map_err(|e| format!("{url}: {e}"))?
        .collect();
    addrs
        .iter()
        .find(|a| a.is_ipv4())
        .or(addrs.first())
        .copied()
        .ok_or_else(|| format!("{url}: no address"))
}

pub fn run(args: &EtcdArgs, io: &mut Io) -> i32 {
    let result = args
        .options()
        .and_then(|opts| crate::etcdserver::run(&opts, io.err));
    match result {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(io.err, "kubelite etcd: {e}");
            1
        }
    }
}
