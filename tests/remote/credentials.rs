//! The verbs again, with the two other credentials a kubeconfig can carry: a client
//! certificate signed by serve's CA, and an exec credential plugin (a shell script that
//! prints an ExecCredential with serve's token). kubelite and the real kubectl read the
//! same kubeconfig; their stdout, stderr and exit status must match, ages aside.

use super::compare::{Both, Comparison, bounded};
use super::get_describe::{ETCDCTL_NAMESPACE_KEYS, populated_server, web_pod};
use super::support::{BIN, Run, Server, TempDir};
use std::path::{Path, PathBuf};
use std::process::Command;

/// One kubeconfig for `server`, and a discovery cache per tool.
struct WithCredential<'a> {
    server: &'a Server,
    dir: TempDir,
}

impl WithCredential<'_> {
    fn kubeconfig(&self) -> PathBuf {
        self.dir.0.join("config")
    }
}

impl Both for WithCredential<'_> {
    fn kubelite(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new(BIN);
        cmd.arg("--kubeconfig")
            .arg(self.kubeconfig())
            .args(args)
            .env("KUBELITE_HOME", self.dir.0.join("kubelite-home"))
            .env("KUBECACHEDIR", self.dir.0.join("kubelite-cache"))
            .env_remove("KUBECONFIG")
            .env_remove("KUBELITE_NOW");
        bounded(cmd)
    }

    fn kubectl(&self, args: &[&str]) -> Run {
        super::compare::kubectl_on(&self.kubeconfig(), &self.dir.0.join("kubectl-cache"), args)
    }
}

/// A kubeconfig for `server` whose user entry is `user` (YAML lines, indented by 4).
fn with_user<'a>(server: &'a Server, name: &str, user: &str) -> WithCredential<'a> {
    let dir = TempDir::new(name);
    let ca = server.home.0.join("ca.crt");
    let config = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: serve\n  cluster:\n    server: {}\n    certificate-authority: {}\ncontexts:\n- name: ctx\n  context:\n    cluster: serve\n    user: {name}\ncurrent-context: ctx\nusers:\n- name: {name}\n  user:\n{user}",
        server.url,
        ca.display()
    );
    std::fs::write(dir.0.join("config"), config).expect("kubeconfig");
    WithCredential { server, dir }
}

fn client_certificate(server: &Server) -> WithCredential<'_> {
    let home = &server.home.0;
    with_user(
        server,
        "by-cert",
        &format!(
            "    client-certificate: {}\n    client-key: {}\n",
            home.join("admin.crt").display(),
            home.join("admin.key").display()
        ),
    )
}

fn exec_plugin(server: &Server) -> WithCredential<'_> {
    let dir = TempDir::new("plugin-script");
    let script = dir.0.join("plugin.sh");
    write_plugin(&script, &server.token());
    let w = with_user(
        server,
        "by-plugin",
        &format!(
            "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: {}\n      interactiveMode: Never\n",
            script.display()
        ),
    );
    // The script lives as long as the kubeconfig that names it.
    std::fs::rename(&script, w.dir.0.join("plugin.sh")).expect("move plugin");
    let moved = w.kubeconfig();
    let text = std::fs::read_to_string(&moved).expect("read kubeconfig");
    std::fs::write(
        &moved,
        text.replace(
            &script.display().to_string(),
            &w.dir.0.join("plugin.sh").display().to_string(),
        ),
    )
    .expect("rewrite kubeconfig");
    w
}

fn write_plugin(path: &Path, token: &str) {
    let body = format!(
        "#!/bin/sh\necho '{{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{{\"token\":\"{token}\"}}}}'\n"
    );
    std::fs::write(path, body).expect("plugin");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// One command line per verb kubelite has, read-only or put back afterwards.
fn every_verb(c: &mut Comparison, who: &WithCredential, web_pod: &str) {
    // Reads first, on a cluster at rest; the writes (put back afterwards) last.
    who.server.wait_until_settled();
    for args in [
        &["get", "pods"][..],
        &["get", "deploy,rs,svc", "-o", "wide"],
        &["get", "nodes", "-o", "name"],
        &["get", "configmap", "settings", "-o", "yaml"],
        &["get", "pods", "-A", "-l", "app=web", "-o", "name"],
        &[
            "get",
            "pods",
            "--field-selector",
            "status.phase=Running",
            "-o",
            "name",
        ],
        &["get", "configmap", "nope"],
        &["describe", "deploy", "web"],
        &["describe", "node", "node01"],
        &["describe", "pod", web_pod],
        &["logs", web_pod],
        &["logs", "deploy/web", "--tail=1"],
        &["rollout", "status", "deploy/web"],
        &["rollout", "history", "deploy/web"],
        ETCDCTL_NAMESPACE_KEYS,
        &["cluster-info"],
        &["api-resources"],
        &[
            "get",
            "pods",
            "-w",
            "--request-timeout=1s",
            "-l",
            "app=none",
        ],
    ] {
        c.same(who, args);
    }
    let back_to_two: &[&[&str]] = &[&["scale", "deploy", "web", "--replicas=2"]];
    c.same_after(
        who,
        back_to_two,
        &["scale", "deploy", "web", "--replicas=3"],
    );
    let image_back: &[&[&str]] = &[&["set", "image", "deploy/web", "nginx=nginx:1.25"]];
    c.same_after(
        who,
        image_back,
        &["set", "image", "deploy/web", "nginx=nginx:1.26"],
    );
    // Create, then delete, with the credential.
    let created: &[&[&str]] = &[&[
        "delete",
        "configmap",
        "made-by-credential",
        "--ignore-not-found",
    ]];
    c.same_after(
        who,
        created,
        &[
            "create",
            "-f",
            who.server.home.0.join("made.yaml").to_str().expect("path"),
        ],
    );
}

#[test]
fn every_verb_works_with_a_client_certificate_and_an_exec_plugin() {
    require_kubectl!();
    let s = populated_server();
    std::fs::write(
        s.home.0.join("made.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: made-by-credential\ndata:\n  a: b\n",
    )
    .expect("manifest");
    let web_pod = web_pod(&s);
    let mut c = Comparison::default();
    for who in [client_certificate(&s), exec_plugin(&s)] {
        every_verb(&mut c, &who, &web_pod);
    }
    c.assert_none();
}
