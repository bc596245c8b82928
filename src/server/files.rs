//! What serve keeps in KUBELITE_HOME besides the store: its bearer tokens (`serve-token`
//! for the admin, `viewer-token` for a user RBAC lets read as `view`), the
//! kubeconfig that points kubectl at it, and `serve.json`, which tells one-shot kubelite
//! commands that a server holds the store and where to reach it. Every file is readable by
//! its owner only.

use crate::client::Remote;
pub use crate::private_file::write_private;
use base64::Engine;
use serde_json::{Value, json};
use std::io::Write;
use std::net::SocketAddr;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

pub const KUBECONFIG: &str = "kubeconfig";
pub const STATE: &str = "serve.json";
pub const TOKEN: &str = "serve-token";
pub const VIEWER_TOKEN: &str = "viewer-token";
pub const CA_CERT: &str = "ca.crt";

/// The token kept from an earlier run in `home/file`, or a new random one.
pub fn load_or_create_token(home: &Path, file: &str) -> Result<String, String> {
    let path = home.join(file);
    if let Ok(t) = std::fs::read_to_string(&path) {
        let t = t.trim();
        if t.len() >= 32 && t.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Ok(t.to_string());
        }
    }
    let token = random_token()?;
    write_private(&path, token.as_bytes())?;
    Ok(token)
}

/// 256 bits from the kernel, as hex.
fn random_token() -> Result<String, String> {
    use std::io::Read;
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| format!("cannot read /dev/urandom: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The URL clients use: a wildcard listen address is reached on loopback.
pub fn server_url(addr: SocketAddr) -> String {
    let ip = addr.ip();
    let host = if ip.is_unspecified() {
        if ip.is_ipv4() {
            "127.0.0.1".to_string()
        } else {
            "[::1]".to_string()
        }
    } else if ip.is_ipv6() {
        format!("[{ip}]")
    } else {
        ip.to_string()
    };
    format!("https://{host}:{}", addr.port())
}

/// `$KUBELITE_HOME/kubeconfig`: context `kubelite`, the CA inline and the bearer token.
pub fn write_kubeconfig(home: &Path, url: &str, ca_pem: &str, token: &str) -> Result<(), String> {
    let ca = base64::engine::general_purpose::STANDARD.encode(ca_pem);
    let text = format!(
        "apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: {ca}
    server: {url}
  name: kubelite
contexts:
- context:
    cluster: kubelite
    namespace: default
    user: kubelite
  name: kubelite
current-context: kubelite
preferences: {{}}
users:
- name: kubelite
  user:
    token: {token}
"
    );
    write_private(&home.join(KUBECONFIG), text.as_bytes())
}

/// Announces the running server to one-shot commands on the same home. The file is locked
/// from its first byte for as long as the returned handle lives: the kernel drops the lock
/// when the server exits however it exits, so a leftover file is known for what it is.
pub fn write_state(home: &Path, url: &str) -> Result<std::fs::File, String> {
    let state = json!({"url": url, "pid": std::process::id()});
    let path = home.join(STATE);
    let tmp = path.with_extension("tmp");
    let _ = std::fs::remove_file(&tmp);
    let cannot = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(cannot)?;
    f.lock().map_err(cannot)?;
    f.write_all(state.to_string().as_bytes())
        .and_then(|_| f.sync_all())
        .map_err(cannot)?;
    std::fs::rename(&tmp, &path).map_err(cannot)?;
    Ok(f)
}

/// Whether a live server holds `serve.json` (its lock), whatever pid the file names.
fn held(path: &Path) -> bool {
    match std::fs::File::open(path).map(|f| f.try_lock_shared()) {
        Ok(Ok(())) => false,
        Ok(Err(std::fs::TryLockError::WouldBlock)) => true,
        // Locks unsupported here: trust the file.
        Ok(Err(std::fs::TryLockError::Error(_))) => true,
        Err(_) => false,
    }
}

/// Whether a live `kubelite serve` holds the cluster kept in `home`.
pub fn serving(home: &Path) -> bool {
    held(&home.join(STATE))
}

pub fn remove_state(home: &Path) {
    let _ = std::fs::remove_file(home.join(STATE));
}

/// A client for the `kubelite serve` holding the store in `home`, if one is running.
pub fn running(home: &Path) -> Option<Remote> {
    running_as(home, None, &[])
}

/// `running`, with the admin acting as `user` (and `groups`), as `--as` asks.
pub fn running_as(home: &Path, user: Option<&str>, groups: &[String]) -> Option<Remote> {
    let path = home.join(STATE);
    // A server killed without cleanup leaves its file behind, unlocked.
    if !held(&path) {
        return None;
    }
    let text = std::fs::read_to_string(&path).ok()?;
    let state: Value = serde_json::from_str(&text).ok()?;
    let url = state["url"].as_str()?;
    let ca = std::fs::read_to_string(home.join(CA_CERT)).ok()?;
    Remote::connect(&crate::client::ConnectionConfig {
        server: url.to_string(),
        ca_pem: Some(ca.into_bytes()),
        credentials: crate::client::Credentials {
            token_file: Some(home.join(TOKEN)),
            ..Default::default()
        },
        impersonate_user: user.map(str::to_string),
        impersonate_groups: groups.to_vec(),
        ..Default::default()
    })
    .ok()
}
