//! The Node authorizer and NodeRestriction admission, as kube-apiserver runs them with
//! `--authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction`: a kubelet's
//! certificate (CN=system:node:node01, O=system:nodes, issued through a CSR) reads the
//! secret its pod uses and nothing else, and may not relabel or taint itself; the real
//! kubectl's `auth can-i` as a node (impersonated) answers as kube's, and kubelite's (remote
//! and embedded) answers the same.

use super::certificates::{issued, kubeconfig_user, openssl_available, request};
use super::support::{Run, Server, TempDir, kubectl_available, kubelite, manifest};
use std::path::Path;

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: node01\n  containers:\n  - name: web\n    image: nginx\n    envFrom:\n    - configMapRef:\n        name: settings\n  volumes:\n  - name: s\n    secret:\n      secretName: db\n";

/// Secrets `db` (used by pod `web` on node01) and `other`, config map `settings`.
fn objects(dir: &Path, run: &dyn Fn(&[&str]) -> Run) {
    for args in [
        &["create", "secret", "generic", "db", "--from-literal=a=b"][..],
        &["create", "secret", "generic", "other", "--from-literal=a=b"],
        &["create", "configmap", "settings", "--from-literal=a=b"],
    ] {
        run(args).ok("create");
    }
    let pod = manifest(dir, "pod.yaml", POD);
    run(&["create", "-f", &pod.to_string_lossy()]).ok("pod");
}

fn refused(run: &Run) -> (i32, &str) {
    (run.code, run.stderr.as_str())
}

#[test]
fn a_kubelet_certificate_reads_only_what_its_pods_use() {
    require_kubectl!();
    if !openssl_available() {
        eprintln!("openssl is not on the PATH: SKIPPED");
        return;
    }
    let server = Server::start(false);
    let dir = TempDir::new("nodecert");
    objects(&dir.0, &|a| server.kubectl(a));
    let csr = request(
        &dir.0,
        "node01",
        "/CN=system:node:node01/O=system:nodes",
        "",
    );
    server.kubectl(&["create", "-f", &csr]).ok("csr");
    server
        .kubectl(&["certificate", "approve", "node01"])
        .ok("approve");
    std::fs::write(dir.0.join("node01.crt"), issued(&server, "node01")).expect("crt");
    kubeconfig_user(&server, &dir.0, "node01");
    let as_node = |args: &[&str]| {
        let mut all = vec!["--context", "node01"];
        all.extend_from_slice(args);
        server.kubectl(&all)
    };
    assert_eq!(
        as_node(&["auth", "whoami"]).ok("whoami"),
        "ATTRIBUTE   VALUE\nUsername    system:node:node01\nGroups      [system:nodes system:authenticated]\n"
    );
    assert_eq!(
        as_node(&["get", "secret", "db", "-o", "name"]).ok("its pod's secret"),
        "secret/db\n"
    );
    assert_eq!(
        as_node(&["get", "configmap", "settings", "-o", "name"]).ok("its pod's config map"),
        "configmap/settings\n"
    );
    assert_eq!(
        refused(&as_node(&["get", "secret", "other"])),
        (
            1,
            "Error from server (Forbidden): secrets \"other\" is forbidden: User \"system:node:node01\" cannot get resource \"secrets\" in API group \"\" in the namespace \"default\": no relationship found between node 'node01' and this object\n"
        )
    );
    assert_eq!(
        refused(&as_node(&["get", "secrets"])),
        (
            1,
            "Error from server (Forbidden): secrets is forbidden: User \"system:node:node01\" cannot list resource \"secrets\" in API group \"\" in the namespace \"default\": No Object name found\n"
        )
    );
    assert_eq!(
        refused(&as_node(&["get", "nodes"])),
        (
            1,
            "Error from server (Forbidden): nodes is forbidden: User \"system:node:node01\" cannot list resource \"nodes\" in API group \"\" at the cluster scope: node 'node01' cannot read all nodes, only its own Node object\n"
        )
    );
    assert_eq!(
        as_node(&[
            "get",
            "pods",
            "--field-selector=spec.nodeName=node01",
            "-o",
            "name"
        ])
        .ok("its pods"),
        "pod/web\n"
    );
    assert_eq!(
        as_node(&["label", "node", "node01", "example.com/rack=r1"]).ok("its own label"),
        "node/node01 labeled\n"
    );
    assert_eq!(
        refused(&as_node(&[
            "label",
            "node",
            "node01",
            "node-role.kubernetes.io/worker=",
            "node-restriction.kubernetes.io/pci=true"
        ])),
        (
            1,
            "Error from server (Forbidden): nodes \"node01\" is forbidden: is not allowed to modify labels: node-restriction.kubernetes.io/pci, node-role.kubernetes.io/worker\n"
        )
    );
    assert_eq!(
        refused(&as_node(&["taint", "node", "node01", "k=v:NoSchedule"])),
        (
            1,
            "Error from server (Forbidden): nodes \"node01\" is forbidden: node \"node01\" is not allowed to modify taints\n"
        )
    );
    assert_eq!(
        refused(&as_node(&["run", "x", "--image=nginx"])),
        (
            1,
            "Error from server (Forbidden): pods \"x\" is forbidden: pod does not have \"kubernetes.io/config.mirror\" annotation, node \"node01\" can only create mirror pods\n"
        )
    );
}

/// `auth can-i` as node01 (impersonated): kube's answers and reasons, and kubelite's the
/// same remote and embedded.
#[test]
fn can_i_as_a_node_answers_as_kube() {
    require_kubectl!();
    let server = Server::start(true);
    let dir = TempDir::new("nodecani");
    let embedded = TempDir::new("nodecani-home");
    objects(&dir.0, &|a| server.kubectl(a));
    objects(&dir.0, &|a| kubelite(&embedded.0, true, a));
    let node = ["--as=system:node:node01", "--as-group=system:nodes"];
    let cases: &[(&[&str], &str)] = &[
        (&["get", "secret/db"], "yes\n"),
        (&["get", "configmap/settings"], "yes\n"),
        (
            &["get", "secret/other"],
            "no - no relationship found between node 'node01' and this object\n",
        ),
        (&["list", "secrets"], "no - No Object name found\n"),
        (
            &["delete", "secret/db"],
            "no - can only read resources of this type\n",
        ),
        (&["get", "nodes/node01"], "yes\n"),
        (
            &["get", "nodes/node02"],
            "no - node 'node01' cannot read 'node02', only its own Node object\n",
        ),
        (&["update", "nodes/node02"], "yes\n"),
        (
            &["list", "pods"],
            "no - can only list/watch pods with spec.nodeName field selector\n",
        ),
        (&["get", "pods/web"], "yes\n"),
        (&["create", "events"], "yes\n"),
        (
            &["update", "leases/node02", "-n", "kube-node-lease"],
            "no - can only access node lease with the same name as the requesting node\n",
        ),
        (
            &["update", "leases/node01", "-n", "kube-node-lease"],
            "yes\n",
        ),
        (
            &["create", "serviceaccounts/default", "--subresource=token"],
            "yes\n",
        ),
        (&["delete", "nodes/node01"], "no\n"),
    ];
    for (args, want) in cases {
        let mut all = vec!["auth", "can-i"];
        all.extend_from_slice(args);
        all.extend_from_slice(&node);
        let theirs = server.kubectl(&all);
        let code = if want.starts_with("yes") { 0 } else { 1 };
        assert_eq!(
            (theirs.code, theirs.stdout.as_str()),
            (code, *want),
            "kubectl {all:?}"
        );
        same_in_kubelite(&server, &embedded.0, &all, &theirs);
    }
    // Reads as the node, refused or not, with the same words.
    let reads: &[&[&str]] = &[
        &[
            "get",
            "pods",
            "--field-selector=spec.nodeName=node01",
            "-o",
            "name",
        ],
        &["get", "pods"],
        &["get", "secret", "other"],
        &["get", "secrets", "--field-selector=metadata.name=other"],
        &[
            "get",
            "secrets",
            "--field-selector=metadata.name=db",
            "-o",
            "name",
        ],
        &["get", "node", "node02"],
    ];
    for args in reads {
        let mut all = args.to_vec();
        all.extend_from_slice(&node);
        let theirs = server.kubectl(&all);
        assert!(!theirs.stdout.is_empty() || theirs.code == 1, "{all:?}");
        same_in_kubelite(&server, &embedded.0, &all, &theirs);
    }
}

fn same_in_kubelite(server: &Server, embedded: &Path, args: &[&str], theirs: &Run) {
    for (who, home) in [("remote", server.home.0.as_path()), ("embedded", embedded)] {
        let ours = kubelite(home, true, args);
        assert_eq!(
            (ours.code, ours.stdout.as_str(), ours.stderr.as_str()),
            (theirs.code, theirs.stdout.as_str(), theirs.stderr.as_str()),
            "kubelite {who} {args:?}"
        );
    }
}
