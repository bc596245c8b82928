//! Shared pieces of the authentication tests: kubeconfigs for the real kubectl, kubelite
//! `Remote` clients with the same settings, and the text both print for a failure.

use super::support::{Run, Server, TempDir};
use base64::Engine;
use kubelite::api::status::ApiError;
use kubelite::client::{ConnectionConfig, Credentials, Remote};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn read(s: &Server, file: &str) -> Vec<u8> {
    std::fs::read(s.home.0.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// A kubeconfig with one cluster (`cluster` lines go below `cluster:`) and one user.
pub fn kubeconfig(dir: &Path, name: &str, server: &str, cluster: &str, user: &str) -> PathBuf {
    let indent = |text: &str, n: usize| -> String {
        text.lines()
            .map(|l| format!("{}{l}\n", " ".repeat(n)))
            .collect()
    };
    let text = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: {server}\n{}  name: c\ncontexts:\n- context:\n    cluster: c\n    user: u\n  name: x\ncurrent-context: x\nusers:\n- name: u\n  user:\n{}",
        indent(cluster, 4),
        if user.is_empty() {
            "    {}\n".to_string()
        } else {
            indent(user, 4)
        }
    );
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write kubeconfig");
    path
}

/// The `certificate-authority-data` line for the server's CA.
pub fn ca_line(s: &Server) -> String {
    format!("certificate-authority-data: {}", b64(&s.ca()))
}

/// The real kubectl with a kubeconfig and a discovery cache of its own; stdin is empty.
pub fn kubectl(config: &Path, cache: &TempDir, args: &[&str]) -> Run {
    Command::new("kubectl")
        .arg("--kubeconfig")
        .arg(config)
        .arg("--cache-dir")
        .arg(&cache.0)
        .args(args)
        .env_remove("KUBECONFIG")
        .stdin(Stdio::null())
        .output()
        .expect("run kubectl")
        .into()
}

/// What kubectl printed as its error: the lines after its klog entries
/// (`E1129 04:01:06.058406 ...`, whose multi-line values continue with a tab and end
/// with ` >`).
pub fn kubectl_error(run: &Run) -> String {
    let is_klog = |l: &str| {
        let b = l.as_bytes();
        let entry = b.len() > 5
            && matches!(b[0], b'E' | b'I' | b'W')
            && b[1..5].iter().all(u8::is_ascii_digit);
        entry || l.starts_with('\t') || l == " >"
    };
    let lines: Vec<&str> = run.stderr.lines().collect();
    let start = lines.iter().rposition(|l| is_klog(l)).map_or(0, |i| i + 1);
    lines[start..].join("\n")
}

/// kubelite's rendering of an error, as its CLI prints it.
pub fn kubelite_error(e: &ApiError) -> String {
    kubelite::cli::errors::api_error_text(e)
}

pub fn config(s: &Server, credentials: Credentials) -> ConnectionConfig {
    ConnectionConfig {
        server: s.url.clone(),
        ca_pem: Some(s.ca()),
        credentials,
        ..Default::default()
    }
}

pub fn token(t: &str) -> Credentials {
    Credentials {
        token: Some(t.to_string()),
        ..Default::default()
    }
}

pub fn connect(c: &ConnectionConfig) -> Remote {
    Remote::connect(c).unwrap_or_else(|e| panic!("connect: {e}"))
}

/// A CA of its own named `ca_name` and a client certificate it signed (CN
/// kubernetes-admin, O system:masters): a credential serve must not take.
pub fn foreign_client_cert(ca_name: &str) -> (String, String, String) {
    let ca_key = rcgen::KeyPair::generate().expect("key");
    let mut ca = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
    ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(rcgen::DnType::CommonName, ca_name);
    let ca_cert = ca.self_signed(&ca_key).expect("ca");
    let issuer = rcgen::Issuer::new(ca, ca_key);
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
    params
        .distinguished_name
        .push(rcgen::DnType::OrganizationName, "system:masters");
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "kubernetes-admin");
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ClientAuth];
    let key = rcgen::KeyPair::generate().expect("key");
    let cert = params.signed_by(&key, &issuer).expect("cert");
    (ca_cert.pem(), cert.pem(), key.serialize_pem())
}

/// An HTTP CONNECT proxy on loopback that tunnels every connection it accepts and counts
/// them; it lives as long as the test process.
pub fn connect_proxy() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind proxy");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let tunnels = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = tunnels.clone();
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(mut client) = client else { continue };
            let count = count.clone();
            std::thread::spawn(move || {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if client.read(&mut byte).unwrap_or(0) != 1 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let Some(target) = head
                    .strip_prefix("CONNECT ")
                    .and_then(|r| r.split(' ').next())
                else {
                    let _ = client.write_all(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n");
                    return;
                };
                let Ok(upstream) = TcpStream::connect(target) else {
                    let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n");
                    return;
                };
                count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
                let (mut c2, mut u2) = match (client.try_clone(), upstream.try_clone()) {
                    (Ok(c), Ok(u)) => (c, u),
                    _ => return,
                };
                let mut upstream = upstream;
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut c2, &mut upstream);
                    let _ = upstream.shutdown(std::net::Shutdown::Write);
                });
                let _ = std::io::copy(&mut u2, &mut client);
                let _ = client.shutdown(std::net::Shutdown::Write);
            });
        }
    });
    (url, tunnels)
}
