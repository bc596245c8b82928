//! kube-apiserver's bootstrap RBAC policy reconciled at each start (serve's, and a one-shot
//! command's opening of a home): roles gain the rules they lack, bindings the subjects they
//! lack, missing objects come back, a binding pointing at another role is made again, and
//! `autoupdate: "false"` opts an object out. Nothing is written when nothing differs.

use super::support::{Server, kubectl_available, kubelite};

fn rules(server: &Server, role: &str) -> String {
    let out = server.kubectl(&[
        "get",
        "clusterrole",
        role,
        "-o",
        r#"jsonpath={range .rules[*]}{.apiGroups}|{.resources}|{.verbs}{"\n"}{end}"#,
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}

fn ok(server: &Server, args: &[&str]) -> String {
    let out = server.kubectl(args);
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    out.stdout
}

const OLD_NODE_RULES: &str = r#"[{"op":"replace","path":"/rules","value":[{"apiGroups":[""],"resources":["nodes"],"verbs":["get"]}]}]"#;

#[test]
fn serve_start_gives_old_policy_objects_what_they_lack() {
    if !kubectl_available() {
        return;
    }
    let mut server = Server::start(true);
    let fresh_node_rules = rules(&server, "system:node");
    ok(
        &server,
        &[
            "patch",
            "clusterrole",
            "system:node",
            "--type=json",
            "-p",
            OLD_NODE_RULES,
        ],
    );
    // Opted out: stays as the user left it.
    ok(
        &server,
        &[
            "annotate",
            "clusterrole",
            "system:kube-dns",
            "rbac.authorization.kubernetes.io/autoupdate=false",
            "--overwrite",
        ],
    );
    ok(
        &server,
        &[
            "patch",
            "clusterrole",
            "system:kube-dns",
            "--type=json",
            "-p",
            r#"[{"op":"replace","path":"/rules","value":[]}]"#,
        ],
    );
    ok(
        &server,
        &[
            "patch",
            "clusterrolebinding",
            "system:kube-scheduler",
            "--type=json",
            "-p",
            r#"[{"op":"replace","path":"/subjects","value":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"extra"}]}]"#,
        ],
    );
    ok(&server, &["delete", "clusterrole", "system:discovery"]);
    ok(
        &server,
        &["delete", "clusterrolebinding", "system:monitoring"],
    );
    ok(
        &server,
        &[
            "create",
            "clusterrolebinding",
            "system:monitoring",
            "--clusterrole=view",
            "--group=system:monitoring",
        ],
    );
    ok(
        &server,
        &[
            "label",
            "clusterrolebinding",
            "system:monitoring",
            "mine=yes",
        ],
    );

    server.kill_and_restart_on(true);

    let node = rules(&server, "system:node");
    let mut lines = node.lines();
    assert_eq!(lines.next(), Some(r#"[""]|["nodes"]|["get"]"#), "{node}");
    // Every permission of the policy is back, one rule each, after the rule that was there.
    for want in [
        r#"["authentication.k8s.io"]|["tokenreviews"]|["create"]"#,
        r#"[""]|["pods/eviction"]|["create"]"#,
        r#"[""]|["nodes"]|["list"]"#,
        r#"["coordination.k8s.io"]|["leases"]|["delete"]"#,
    ] {
        assert!(
            node.lines().any(|l| l == want),
            "{want} missing from\n{node}"
        );
    }
    assert!(
        !node.contains(r#"|["create","get","list","watch"]"#),
        "{node}"
    );
    assert!(node.lines().count() > fresh_node_rules.lines().count());
    assert_eq!(rules(&server, "system:kube-dns"), "");
    let subjects = ok(
        &server,
        &[
            "get",
            "clusterrolebinding",
            "system:kube-scheduler",
            "-o",
            "jsonpath={.subjects[*].name}",
        ],
    );
    assert_eq!(subjects, "extra system:kube-scheduler");
    assert!(!rules(&server, "system:discovery").is_empty());
    let monitoring = ok(
        &server,
        &[
            "get",
            "clusterrolebinding",
            "system:monitoring",
            "-o",
            "jsonpath={.roleRef.name} {.metadata.labels}",
        ],
    );
    assert_eq!(
        monitoring,
        r#"system:monitoring {"kubernetes.io/bootstrapping":"rbac-defaults"}"#
    );

    // A second start finds nothing to do and writes nothing.
    let rv = |s: &Server| {
        ok(
            s,
            &[
                "get",
                "clusterroles,clusterrolebindings",
                "-o",
                "jsonpath={.items[*].metadata.resourceVersion}",
            ],
        )
    };
    let before = rv(&server);
    server.kill_and_restart_on(true);
    assert_eq!(rv(&server), before);
}

#[test]
fn a_one_shot_command_reconciles_the_home_it_opens() {
    let home = super::support::TempDir::new("home");
    let run = |args: &[&str]| {
        let out = kubelite(&home.0, true, args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        out.stdout
    };
    run(&[
        "patch",
        "clusterrole",
        "system:node",
        "--type=json",
        "-p",
        OLD_NODE_RULES,
    ]);
    run(&[
        "patch",
        "clusterrole",
        "admin",
        "--type=json",
        "-p",
        r#"[{"op":"remove","path":"/aggregationRule"}]"#,
    ]);
    let node = run(&[
        "get",
        "clusterrole",
        "system:node",
        "-o",
        "jsonpath={.rules[*].resources}",
    ]);
    assert!(node.starts_with(r#"["nodes"]"#), "{node}");
    assert!(node.contains(r#"["pods/eviction"]"#), "{node}");
    let admin = run(&[
        "get",
        "clusterrole",
        "admin",
        "-o",
        "jsonpath={.aggregationRule.clusterRoleSelectors[*].matchLabels}",
    ]);
    assert_eq!(
        admin,
        r#"{"rbac.authorization.k8s.io/aggregate-to-admin":"true"}"#
    );
}

/// The system namespaces come back at each start, as kube-apiserver's own controllers make
/// them again: one deleted through the API (kube-node-lease), or whose key was taken out of
/// the store (default, kube-public, kube-system, which the API refuses to delete). serve
/// after a restart and a one-shot command's opening of a home list them as kubectl does.
#[test]
fn system_namespaces_missing_at_start_are_made_again() {
    require_kubectl!();
    let mut server = Server::start(true);
    let embedded = super::support::TempDir::new("system-namespaces");
    let deleted: &[&str] = &["delete", "namespace", "kube-node-lease"];
    let want = server.kubectl(deleted);
    super::support::same(
        "embedded",
        &kubelite(&embedded.0, true, deleted),
        &want,
        deleted,
    );
    // The store's keys, removed as the seed removes them: etcdctl in the etcd pod.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    for ns in ["default", "kube-public", "kube-system"] {
        let key = format!("/registry/namespaces/{ns}");
        let del = [
            "exec",
            "etcd-master",
            "-n",
            "kube-system",
            "--",
            "etcdctl",
            "del",
            &key,
        ];
        // The etcd pod may not run yet on a server that just started.
        loop {
            let out = server.kubectl(&del);
            if out.code == 0 {
                assert_eq!(out.stdout, "1\n");
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "etcdctl del: {}",
                out.stderr
            );
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        assert_eq!(kubelite(&embedded.0, true, &del).stdout, "1\n");
    }
    // Deleted through the API, it is gone once the namespace controller emptied it.
    loop {
        if server
            .kubectl(&["get", "namespace", "kube-node-lease"])
            .code
            == 1
        {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "kube-node-lease stays"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let listed = ["get", "namespaces", "-o", "name"];
    assert!(
        !ok(&server, &listed).contains("namespace/kube-public"),
        "a running server does not make them again"
    );
    server.kill_and_restart_on(true);
    let want = server.kubectl(&listed);
    assert_eq!(
        want.stdout,
        "namespace/default\nnamespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n"
    );
    for args in [
        &listed[..],
        &["get", "namespaces"],
        &["get", "namespace", "kube-public", "--show-labels"],
    ] {
        super::support::same(
            "embedded",
            &kubelite(&embedded.0, true, args),
            &server.kubectl(args),
            args,
        );
    }
}
