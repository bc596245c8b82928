//! kube-apiserver's etcd flags on every cluster verb: `kubelite get pods
//! --etcd-servers=http://127.0.0.1:2379` works on the cluster kept in that etcd, as
//! `serve --etcd-servers` does. They are kubelite's, not kubectl's, so they stay out of
//! `kubelite options` (hidden, as serve's own tuning flags are); `kubelite serve --help`
//! shows them and README says they apply to one-shot commands too. `KUBELITE_ETCD_SERVERS`
//! gives the servers when the flag does not, as the other `KUBELITE_*` settings do.

use clap::Args;
use std::path::PathBuf;

/// The environment variable naming the etcd servers of one-shot commands.
pub const ETCD_SERVERS_ENV: &str = "KUBELITE_ETCD_SERVERS";

#[derive(Args, Debug, Default, Clone)]
pub struct EtcdFlags {
    /// Keep the cluster in these etcd servers (comma-separated URLs).
    #[arg(
        long,
        global = true,
        hide = true,
        value_delimiter = ',',
        value_name = "URLS"
    )]
    pub etcd_servers: Vec<String>,
    /// The key prefix the cluster is kept under in etcd.
    #[arg(long, global = true, hide = true, value_name = "PREFIX")]
    pub etcd_prefix: Option<String>,
    /// CA certificate that signs the etcd servers' certificates.
    #[arg(long, global = true, hide = true, value_name = "FILE")]
    pub etcd_cafile: Option<PathBuf>,
    /// Client certificate presented to etcd.
    #[arg(long, global = true, hide = true, value_name = "FILE")]
    pub etcd_certfile: Option<PathBuf>,
    /// Key of the client certificate presented to etcd.
    #[arg(long, global = true, hide = true, value_name = "FILE")]
    pub etcd_keyfile: Option<PathBuf>,
}

impl EtcdFlags {
    /// Where the cluster is kept in etcd, when the flags or `KUBELITE_ETCD_SERVERS` say so;
    /// `None` for the home's own store. The other flags alone name no cluster: an error.
    pub fn options(&self) -> Result<Option<crate::embedded::EtcdOptions>, String> {
        let servers: Vec<String> = if self.etcd_servers.is_empty() {
            std::env::var(ETCD_SERVERS_ENV)
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        } else {
            self.etcd_servers.clone()
        };
        let others = self.etcd_prefix.is_some()
            || self.etcd_cafile.is_some()
            || self.etcd_certfile.is_some()
            || self.etcd_keyfile.is_some();
        if servers.is_empty() {
            if others {
                return Err(format!(
                    "--etcd-prefix, --etcd-cafile, --etcd-certfile and --etcd-keyfile need \
                     --etcd-servers (or {ETCD_SERVERS_ENV})"
                ));
            }
            return Ok(None);
        }
        Ok(Some(crate::embedded::EtcdOptions {
            servers,
            prefix: self
                .etcd_prefix
                .clone()
                .unwrap_or_else(|| crate::embedded::DEFAULT_ETCD_PREFIX.to_string()),
            ca_file: self.etcd_cafile.clone(),
            cert_file: self.etcd_certfile.clone(),
            key_file: self.etcd_keyfile.clone(),
        }))
    }
}
