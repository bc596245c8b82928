//! CertificateSigningRequests, the CKA way: a key and request from openssl, the request
//! created with the real kubectl, approved (kubelite and kubectl), the certificate the
//! controller manager signs read back and put in a kubeconfig, and the real kubectl as that
//! user refused by RBAC until a RoleBinding lets it in. Beside it, kubelite's `get`,
//! `describe`, `certificate` and validation errors against kubectl's, remote and embedded.

use super::support::{Run, Server, TempDir, kubectl_available, kubelite, manifest};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

pub(super) fn openssl_available() -> bool {
    Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run openssl");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A key `NAME.key` and a CSR manifest `NAME.yaml` for subject `subj`.
pub(super) fn request(dir: &Path, name: &str, subj: &str, extra_spec: &str) -> String {
    use base64::Engine;
    let key = format!("{name}.key");
    let csr = format!("{name}.csr");
    openssl(dir, &["genrsa", "-out", &key, "2048"]);
    openssl(
        dir,
        &["req", "-new", "-key", &key, "-subj", subj, "-out", &csr],
    );
    let pem = std::fs::read(dir.join(&csr)).expect("read csr");
    let b64 = base64::engine::general_purpose::STANDARD.encode(pem);
    let text = format!(
        "apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: {name}\nspec:\n  request: {b64}\n  signerName: kubernetes.io/kube-apiserver-client\n{extra_spec}  usages:\n  - client auth\n"
    );
    manifest(dir, &format!("{name}.yaml"), &text)
        .to_string_lossy()
        .into_owned()
}

/// Polls (bounded) until the request has a certificate; returns it (PEM).
pub(super) fn issued(server: &Server, name: &str) -> Vec<u8> {
    use base64::Engine;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let out = server
            .kubectl(&["get", "csr", name, "-o", "jsonpath={.status.certificate}"])
            .ok("read the certificate");
        if !out.is_empty() {
            return base64::engine::general_purpose::STANDARD
                .decode(out.trim())
                .expect("base64 certificate");
        }
        assert!(Instant::now() < deadline, "{name} was never issued");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Makes `user` a user and context of the server's kubeconfig, with the key and certificate
/// `DIR/<user>.key` and `DIR/<user>.crt` embedded: `--context <user>` then acts as them.
pub(super) fn kubeconfig_user(server: &Server, dir: &Path, user: &str) {
    let cluster = server
        .kubectl(&[
            "config",
            "view",
            "-o",
            "jsonpath={.contexts[0].context.cluster}",
        ])
        .ok("cluster name");
    let key = dir.join(format!("{user}.key"));
    let crt = dir.join(format!("{user}.crt"));
    server
        .kubectl(&[
            "config",
            "set-credentials",
            user,
            &format!("--client-key={}", key.display()),
            &format!("--client-certificate={}", crt.display()),
            "--embed-certs=true",
        ])
        .ok("set-credentials");
    server
        .kubectl(&[
            "config",
            "set-context",
            user,
            &format!("--cluster={cluster}"),
            &format!("--user={user}"),
        ])
        .ok("set-context");
}

#[test]
fn a_user_from_openssl_to_rbac() {
    require_kubectl!();
    if !openssl_available() {
        eprintln!("openssl is not on the PATH: SKIPPED");
        return;
    }
    // The wall clock: the certificate must be valid now for TLS to take it.
    let server = Server::start(false);
    let dir = TempDir::new("csr");
    let jane = request(
        &dir.0,
        "jane",
        "/CN=jane/O=dev",
        "  expirationSeconds: 86400\n",
    );
    assert_eq!(
        server.kubectl(&["create", "-f", &jane]).ok("create csr"),
        "certificatesigningrequest.certificates.k8s.io/jane created\n"
    );
    let approved = kubelite(&server.home.0, false, &["certificate", "approve", "jane"]);
    assert_eq!(
        approved.ok("kubelite approves"),
        "certificatesigningrequest.certificates.k8s.io/jane approved\n"
    );
    let cert = issued(&server, "jane");
    std::fs::write(dir.0.join("jane.crt"), &cert).expect("write crt");
    let condition = server
        .kubectl(&[
            "get",
            "csr",
            "jane",
            "-o",
            "custom-columns=C:.status.conditions[*].type",
        ])
        .ok("conditions");
    assert_eq!(condition, "C\nApproved\n");
    // The real kubectl approves too (a second user's request).
    let bob = request(&dir.0, "bob", "/CN=bob", "");
    server.kubectl(&["create", "-f", &bob]).ok("create bob");
    assert_eq!(
        server
            .kubectl(&["certificate", "approve", "bob"])
            .ok("kubectl approves"),
        "certificatesigningrequest.certificates.k8s.io/bob approved\n"
    );
    assert!(!issued(&server, "bob").is_empty());

    kubeconfig_user(&server, &dir.0, "jane");
    let as_jane = |args: &[&str]| -> Run {
        let mut all = vec!["--context", "jane"];
        all.extend_from_slice(args);
        server.kubectl(&all)
    };
    assert_eq!(
        as_jane(&["auth", "whoami"]).ok("whoami"),
        "ATTRIBUTE   VALUE\nUsername    jane\nGroups      [dev system:authenticated]\n"
    );
    let refused = as_jane(&["get", "pods"]);
    assert_eq!(
        (refused.code, refused.stderr.as_str()),
        (
            1,
            "Error from server (Forbidden): pods is forbidden: User \"jane\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"\n"
        )
    );
    server
        .kubectl(&[
            "create",
            "role",
            "pod-reader",
            "--verb=get,list,watch",
            "--resource=pods",
        ])
        .ok("role");
    server
        .kubectl(&[
            "create",
            "rolebinding",
            "jane-reads-pods",
            "--role=pod-reader",
            "--user=jane",
        ])
        .ok("rolebinding");
    let allowed = as_jane(&["get", "pods"]);
    assert_eq!(
        (allowed.code, allowed.stderr.as_str()),
        (0, "No resources found in default namespace.\n")
    );
}

/// kubectl's output and kubelite's (remote through serve, and embedded on its own home with
/// the same clock and objects) for the same command.
fn same_everywhere(server: &Server, embedded: &Path, args: &[&str]) {
    let theirs = server.kubectl(args);
    let remote = kubelite(&server.home.0, true, args);
    let local = kubelite(embedded, true, args);
    for (who, ours) in [("remote", &remote), ("embedded", &local)] {
        assert_eq!(
            (ours.code, ours.stdout.as_str(), ours.stderr.as_str()),
            (theirs.code, theirs.stdout.as_str(), theirs.stderr.as_str()),
            "kubelite {who} {args:?}"
        );
    }
}

#[test]
fn get_describe_approve_and_errors_read_as_kubectls() {
    require_kubectl!();
    if !openssl_available() {
        eprintln!("openssl is not on the PATH: SKIPPED");
        return;
    }
    let server = Server::start(true);
    let embedded = TempDir::new("csr-embedded");
    let dir = TempDir::new("csr-files");
    let pending = request(&dir.0, "pending", "/CN=ann/O=dev/O=ops/OU=team/C=NL", "");
    let decided = request(&dir.0, "decided", "/CN=ops", "  expirationSeconds: 7200\n");
    let server_side = request(&dir.0, "server-side", "/CN=s", "");
    for file in [&pending, &decided, &server_side] {
        server
            .kubectl(&["create", "-f", file])
            .ok("create on serve");
        kubelite(&embedded.0, true, &["create", "-f", file]).ok("create embedded");
    }
    // The real kubectl decides on serve, kubelite on its own cluster.
    server
        .kubectl(&["certificate", "approve", "decided"])
        .ok("kubectl approve");
    kubelite(&embedded.0, true, &["certificate", "approve", "decided"]).ok("kubelite approve");
    let bad_usage = std::fs::read_to_string(&server_side)
        .expect("read")
        .replace("  - client auth\n", "  - client auth\n  - server auth\n");
    let bad_usage = manifest(
        &dir.0,
        "bad-usage.yaml",
        &bad_usage.replace("server-side", "bad-usage"),
    );
    let bad_usage = bad_usage.to_str().unwrap_or("");
    server.kubectl(&["create", "-f", bad_usage]).ok("create");
    kubelite(&embedded.0, true, &["create", "-f", bad_usage]).ok("create");
    server
        .kubectl(&["certificate", "deny", "server-side"])
        .ok("kubectl deny");
    kubelite(&embedded.0, true, &["certificate", "deny", "server-side"]).ok("kubelite deny");
    server
        .kubectl(&["certificate", "approve", "bad-usage"])
        .ok("approve");
    kubelite(&embedded.0, true, &["certificate", "approve", "bad-usage"]).ok("approve");
    // Signed, denied and failed are reached: wait for the signer on serve.
    issued(&server, "decided");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !server
        .kubectl(&["get", "csr", "bad-usage"])
        .stdout
        .contains("Failed")
    {
        assert!(Instant::now() < deadline, "bad-usage never failed");
        std::thread::sleep(Duration::from_millis(200));
    }
    for args in [
        &["get", "csr"][..],
        &["get", "csr", "-o", "wide"],
        &[
            "get",
            "certificatesigningrequests.certificates.k8s.io",
            "pending",
        ],
        &["describe", "csr", "pending"],
        &["describe", "csr", "decided"],
        &["describe", "csr", "server-side"],
        &["describe", "csr", "bad-usage"],
        &[
            "get",
            "csr",
            "bad-usage",
            "-o",
            "jsonpath={.status.conditions[1].reason}: {.status.conditions[1].message}",
        ],
        &["certificate", "approve", "decided"],
        &["certificate", "approve", "decided", "-o", "name"],
        &["certificate", "deny", "decided"],
        &["certificate", "approve", "server-side"],
        &["certificate", "approve", "nope"],
        &["certificate", "approve"],
        &[
            "certificate",
            "deny",
            "-f",
            &pending,
            "-o",
            "jsonpath={.spec.username}",
        ],
    ] {
        same_everywhere(&server, &embedded.0, args);
    }
}

#[test]
fn invalid_requests_are_refused_in_kube_apiservers_words() {
    require_kubectl!();
    let server = Server::start(true);
    let embedded = TempDir::new("csr-invalid");
    let dir = TempDir::new("csr-invalid-files");
    let bodies = [
        (
            "not-pem",
            "  request: bm90IGEgcmVxdWVzdA==\n  signerName: kubernetes.io/kube-apiserver-client\n  usages: [client auth]\n",
        ),
        (
            "no-usages",
            "  request: bm9wZQ==\n  signerName: example.com/x\n",
        ),
        (
            "bad-signer",
            "  request: bm9wZQ==\n  signerName: nodomain\n  usages: [client auth, bogus, client auth]\n",
        ),
        (
            "short",
            "  request: bm9wZQ==\n  signerName: Bad_Domain/x\n  expirationSeconds: 60\n  usages: [client auth]\n",
        ),
        (
            "legacy",
            "  request: bm9wZQ==\n  signerName: kubernetes.io/legacy-unknown\n  usages: [client auth]\n",
        ),
    ];
    for (name, spec) in bodies {
        let text = format!(
            "apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: {name}\nspec:\n{spec}"
        );
        let file = manifest(&dir.0, &format!("{name}.yaml"), &text);
        same_everywhere(
            &server,
            &embedded.0,
            &["create", "-f", file.to_str().unwrap_or("")],
        );
    }
    // kubectl asks for strict decoding: serve refuses an unknown field as kube-apiserver
    // does. (The embedded create does not check unknown fields, of any kind, yet.)
    let text = "apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: unknown-field\nspec:\n  request: bm9wZQ==\n  signerName: example.com/x\n  usages: [client auth]\n  bogusField: 1\n";
    let file = manifest(&dir.0, "unknown-field.yaml", text);
    let args = ["create", "-f", file.to_str().unwrap_or("")];
    let theirs = server.kubectl(&args);
    let ours = kubelite(&server.home.0, true, &args);
    assert_eq!(
        (ours.code, ours.stdout, ours.stderr),
        (theirs.code, theirs.stdout, theirs.stderr.clone())
    );
    assert!(
        theirs
            .stderr
            .contains("strict decoding error: unknown field \"spec.bogusField\"")
    );
    // Nothing was written.
    same_everywhere(&server, &embedded.0, &["get", "csr"]);
}

#[test]
fn kubelet_signers_follow_kubes_rules() {
    require_kubectl!();
    if !openssl_available() {
        eprintln!("openssl is not on the PATH: SKIPPED");
        return;
    }
    use base64::Engine;
    let server = Server::start(false);
    let dir = TempDir::new("csr-kubelet");
    openssl(
        &dir.0,
        &["ecparam", "-genkey", "-name", "prime256v1", "-out", "n.key"],
    );
    openssl(
        &dir.0,
        &[
            "req",
            "-new",
            "-key",
            "n.key",
            "-subj",
            "/O=system:nodes/CN=system:node:node01",
            "-addext",
            "subjectAltName=DNS:node01,IP:10.0.0.5",
            "-out",
            "n.csr",
        ],
    );
    let b64 = base64::engine::general_purpose::STANDARD
        .encode(std::fs::read(dir.0.join("n.csr")).expect("read csr"));
    for (name, signer, usage) in [
        ("serving", "kubernetes.io/kubelet-serving", "server auth"),
        (
            "client",
            "kubernetes.io/kube-apiserver-client-kubelet",
            "client auth",
        ),
    ] {
        let text = format!(
            "apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: {name}\nspec:\n  request: {b64}\n  signerName: {signer}\n  usages: [digital signature, {usage}]\n"
        );
        let file = manifest(&dir.0, &format!("{name}.yaml"), &text);
        server
            .kubectl(&["create", "-f", file.to_str().unwrap_or("")])
            .ok("create");
    }
    server
        .kubectl(&["certificate", "approve", "serving", "client"])
        .ok("approve");
    // A serving certificate for the node's names; a client one may carry none.
    let pem = issued(&server, "serving");
    assert!(String::from_utf8_lossy(&pem).starts_with("-----BEGIN CERTIFICATE-----"));
    let deadline = Instant::now() + Duration::from_secs(30);
    // Until the signer has run there is one condition, and the second's jsonpath fails.
    loop {
        let types = server
            .kubectl(&[
                "get",
                "csr",
                "client",
                "-o",
                "jsonpath={.status.conditions[*].type}",
            ])
            .ok("conditions");
        if types.contains("Failed") {
            break;
        }
        assert!(Instant::now() < deadline, "client never failed: {types}");
        std::thread::sleep(Duration::from_millis(200));
    }
    let failed = server
        .kubectl(&[
            "get",
            "csr",
            "client",
            "-o",
            "jsonpath={.status.conditions[*].type} {.status.conditions[1].reason}: {.status.conditions[1].message}",
        ])
        .ok("conditions");
    assert_eq!(
        failed,
        "Approved Failed SignerValidationFailure: DNS subjectAltNames are not allowed"
    );
}
