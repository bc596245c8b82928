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
