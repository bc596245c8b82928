//! rbac.authorization.k8s.io served: the real kubectl against `kubelite serve` and kubelite
//! (remote and embedded) print the same bytes for Roles, ClusterRoles and their bindings,
//! and kube-apiserver's validation messages come back through both.

use super::support::{Run, Server, TempDir, kubectl_available, kubelite, manifest};

const BINDINGS: &str = "\
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb1, namespace: default, labels: {team: a}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r1}
subjects:
- {kind: User, name: jane}
- {kind: Group, name: devs}
- {kind: ServiceAccount, name: default, namespace: kube-system}
- {kind: ServiceAccount, name: builder}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb1, annotations: {note: x}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: c1}
subjects:
- {kind: User, name: jane}
- {kind: User, name: joe}
";

const INVALID: &str = "\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: bad}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r1}
subjects:
- {kind: ServiceAccount, name: default}
- {kind: Robot, name: x}
";

const INVALID_ROLE: &str = "\
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: bad, namespace: default}
rules:
- {verbs: [], apiGroups: ['']}
- {verbs: [get], nonResourceURLs: [/healthz]}
";

fn same(want: &Run, got: &Run, what: &str) {
    assert_eq!(
        (want.code, want.stdout.as_str(), want.stderr.as_str()),
        (got.code, got.stdout.as_str(), got.stderr.as_str()),
        "{what}"
    );
}

#[test]
fn roles_and_bindings_print_as_kubectl_prints_them() {
    require_kubectl!();
    let server = Server::start(true);
    let dir = TempDir::new("rbac");
    for args in [
        &[
            "create",
            "role",
            "r1",
            "--verb=get,list",
            "--verb=watch",
            "--resource=pods,deployments.apps,pods/log",
            "--resource-name=a",
        ][..],
        &[
            "create",
            "clusterrole",
            "c1",
            "--verb=get",
            "--resource=nodes",
            "--non-resource-url=/healthz,/logs/*",
        ],
        &["create", "clusterrole", "agg", "--aggregation-rule=x=y"],
    ] {
        let created = server.kubectl(args);
        assert_eq!(created.code, 0, "{args:?}: {}", created.stderr);
    }
    let applied = server.kubectl(&[
        "apply",
        "-f",
        manifest(&dir.0, "b.yaml", BINDINGS).to_str().unwrap(),
    ]);
    assert_eq!(applied.code, 0, "{}", applied.stderr);
    for args in [
        &["get", "roles"][..],
        &["get", "role", "r1", "-o", "wide"],
        &["get", "clusterrole", "c1", "agg"],
        &["get", "rolebindings", "-o", "wide"],
        &["get", "rolebinding", "rb1"],
        &["get", "clusterrolebinding", "crb1", "-o", "wide"],
        &["get", "role", "r1", "-o", "yaml"],
        &["get", "clusterrole", "agg", "-o", "yaml"],
        &["get", "rolebinding", "rb1", "-o", "json"],
        &["describe", "role", "r1"],
        &["describe", "clusterrole", "c1"],
        &["describe", "clusterrole", "agg"],
        &["describe", "rolebinding", "rb1"],
        &["describe", "clusterrolebinding", "crb1"],
        &["api-resources", "--api-group=rbac.authorization.k8s.io"],
    ] {
        let want = server.kubectl(args);
        assert_eq!(want.code, 0, "kubectl {args:?}: {}", want.stderr);
        let got = kubelite(&server.home.0, true, args);
        same(&want, &got, &format!("{args:?}"));
    }
    let want = server.kubectl(&["describe", "role", "r1"]);
    assert!(
        want.stdout
            .contains("  pods/log          []                 [a]             [get list watch]\n"),
        "{}",
        want.stdout
    );
    let wide = server.kubectl(&["get", "rolebinding", "rb1", "-o", "wide"]);
    assert!(
        wide.stdout
            .contains("Role/r1   0s    jane    devs     kube-system/default, /builder"),
        "{}",
        wide.stdout
    );
}

#[test]
fn rbac_validation_speaks_kube_apiservers_words() {
    require_kubectl!();
    let server = Server::start(true);
    let dir = TempDir::new("rbac-invalid");
    // One object per file: kubectl words an error among several differently.
    for (file, text, line) in [
        (
            "bad.yaml",
            INVALID,
            "The ClusterRoleBinding \"bad\" is invalid: \n* roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"\n* subjects[0].namespace: Required value\n",
        ),
        (
            "role.yaml",
            INVALID_ROLE,
            "* rules[1].nonResourceURLs: Invalid value: []string{\"/healthz\"}: namespaced rules cannot apply to non-resource URLs\n",
        ),
    ] {
        let file = manifest(&dir.0, file, text);
        let args = ["create", "-f", file.to_str().unwrap()];
        let want = server.kubectl(&args);
        assert_eq!(want.code, 1);
        assert!(want.stderr.contains(line), "{}", want.stderr);
        same(&want, &kubelite(&server.home.0, true, &args), "create -f");
    }
    let made = server.kubectl(&["create", "rolebinding", "rb", "--role=r", "--user=u"]);
    assert_eq!(made.code, 0, "{}", made.stderr);
    let patch = [
        "patch",
        "rolebinding",
        "rb",
        "--type=merge",
        "-p",
        r#"{"roleRef":{"name":"other"}}"#,
    ];
    let want = server.kubectl(&patch);
    assert_eq!(
        want.stderr,
        "The RoleBinding \"rb\" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"Role\", Name:\"other\"}: cannot change roleRef\n"
    );
    same(
        &want,
        &kubelite(&server.home.0, true, &patch),
        "patch roleRef",
    );
}

#[test]
fn embedded_create_role_creates() {
    let home = TempDir::new("rbac-embedded");
    let made = kubelite(
        &home.0,
        true,
        &["create", "role", "reader", "--verb=get", "--resource=pods"],
    );
    assert_eq!(
        (made.code, made.stdout.as_str(), made.stderr.as_str()),
        (0, "role.rbac.authorization.k8s.io/reader created\n", "")
    );
    let cluster = kubelite(
        &home.0,
        true,
        &["create", "clusterrole", "agg", "--aggregation-rule=a=b"],
    );
    assert_eq!(cluster.code, 0, "{}", cluster.stderr);
    let got = kubelite(&home.0, true, &["get", "role", "reader", "-o", "name"]);
    assert_eq!(got.stdout, "role.rbac.authorization.k8s.io/reader\n");
    let keys = kubelite(
        &home.0,
        true,
        &[
            "etcdctl",
            "get",
            "/registry/roles/default/reader",
            "--keys-only",
        ],
    );
    assert_eq!(
        keys.stdout.trim(),
        "/registry/roles/default/reader",
        "{}",
        keys.stderr
    );
}

/// Every request of a user outside system:masters is RBAC's to judge: nothing before a
/// binding, what the bound role allows after; the reviews say the same; a refusal reads
/// alike whether the object exists or not.
#[test]
fn rbac_decides_what_users_may_do() {
    require_kubectl!();
    let server = Server::start(true);
    let as_jane = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--as", "jane"]);
        server.kubectl(&all)
    };
    let made = server.kubectl(&["run", "web", "--image=nginx"]);
    assert_eq!(made.code, 0, "{}", made.stderr);
    for (args, message) in [
        (
            &["get", "pods"][..],
            "Error from server (Forbidden): pods is forbidden: User \"jane\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"\n",
        ),
        (
            &["get", "pod", "web"],
            "Error from server (Forbidden): pods \"web\" is forbidden: User \"jane\" cannot get resource \"pods\" in API group \"\" in the namespace \"default\"\n",
        ),
        (
            &["get", "pod", "nosuch"],
            "Error from server (Forbidden): pods \"nosuch\" is forbidden: User \"jane\" cannot get resource \"pods\" in API group \"\" in the namespace \"default\"\n",
        ),
        (
            &["get", "--raw", "/metrics"],
            "Error from server (Forbidden): forbidden: User \"jane\" cannot get path \"/metrics\"\n",
        ),
    ] {
        let got = as_jane(args);
        assert_eq!((got.code, got.stderr.as_str()), (1, message), "{args:?}");
        let mine = {
            let mut all = args.to_vec();
            all.extend(["--as", "jane"]);
            kubelite(&server.home.0, true, &all)
        };
        same(&got, &mine, &format!("{args:?}"));
    }
    let ask = |args: &[&str]| as_jane(&[&["auth", "can-i"][..], args].concat()).stdout;
    assert_eq!(ask(&["list", "pods"]), "no\n");
    assert_eq!(ask(&["get", "/version"]), "yes\n");
    let bound = server.kubectl(&[
        "create",
        "rolebinding",
        "jane-edit",
        "--clusterrole=edit",
        "--user=jane",
    ]);
    assert_eq!(bound.code, 0, "{}", bound.stderr);
    assert_eq!(ask(&["list", "pods"]), "yes\n");
    assert_eq!(ask(&["list", "pods", "-n", "kube-system"]), "no\n");
    assert_eq!(ask(&["create", "roles"]), "no\n");
    assert_eq!(as_jane(&["get", "pods", "-o", "name"]).stdout, "pod/web\n");
    let created = as_jane(&["create", "configmap", "c", "--from-literal=a=b"]);
    assert_eq!(created.code, 0, "{}", created.stderr);
    let refused = as_jane(&["get", "pods", "-n", "kube-system"]);
    assert_eq!(refused.code, 1);
    // Rules with several verbs on URLs and names, as kubectl breaks them down.
    let dir = TempDir::new("rbac-rules");
    let rules = manifest(
        &dir.0,
        "mv.yaml",
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: mv}\nrules:\n- {verbs: [get, post], nonResourceURLs: [/x, /y]}\n- {verbs: [list, get, list], apiGroups: ['', apps], resources: [pods, deployments/scale], resourceNames: [a, b]}\n",
    );
    assert_eq!(
        server
            .kubectl(&["apply", "-f", rules.to_str().unwrap()])
            .code,
        0
    );
    let bound = server.kubectl(&[
        "create",
        "clusterrolebinding",
        "jane-mv",
        "--clusterrole=mv",
        "--user=jane",
    ]);
    assert_eq!(bound.code, 0, "{}", bound.stderr);
    let describe = ["describe", "clusterrole", "mv"];
    same(
        &server.kubectl(&describe),
        &kubelite(&server.home.0, true, &describe),
        "describe mv",
    );
    // The rules review lists what the bindings grant; kubelite prints it as kubectl does.
    let list = ["auth", "can-i", "--list", "--as", "jane"];
    let want = server.kubectl(&list);
    assert!(want.stdout.contains("\npods      "), "{}", want.stdout);
    same(
        &want,
        &kubelite(&server.home.0, true, &list),
        "can-i --list",
    );
    // Impersonating is itself authorized: jane may not act as someone else.
    let imp = server.kubectl(&["get", "pods", "--as", "joe", "--as-group", "devs"]);
    assert_eq!(imp.code, 1);
    let nested = kubelite(
        &server.home.0,
        true,
        &["auth", "can-i", "impersonate", "users", "--as", "jane"],
    );
    assert_eq!(nested.stdout, "no\n");
}

/// SubjectAccessReview: an admin asks about another user.
#[test]
fn subject_access_reviews_answer_for_the_named_user() {
    require_kubectl!();
    let server = Server::start(true);
    let dir = TempDir::new("rbac-sar");
    let review = |user: &str| {
        format!(
            "apiVersion: authorization.k8s.io/v1\nkind: SubjectAccessReview\nspec:\n  user: {user}\n  resourceAttributes: {{verb: list, resource: pods, namespace: default}}\n"
        )
    };
    let bound = server.kubectl(&[
        "create",
        "clusterrolebinding",
        "v",
        "--clusterrole=view",
        "--user=ann",
    ]);
    assert_eq!(bound.code, 0, "{}", bound.stderr);
    for (user, allowed) in [("ann", "true"), ("bob", "false")] {
        let file = manifest(&dir.0, &format!("{user}.yaml"), &review(user));
        let out = server.kubectl(&[
            "create",
            "--validate=false",
            "-f",
            file.to_str().unwrap(),
            "-o",
            "jsonpath={.status.allowed}",
        ]);
        assert_eq!(
            (out.code, out.stdout.as_str()),
            (0, allowed),
            "{user}: {}",
            out.stderr
        );
    }
    let names = server.kubectl(&[
        "api-resources",
        "--api-group=authorization.k8s.io",
        "-o",
        "name",
    ]);
    assert!(
        names
            .stdout
            .contains("subjectaccessreviews.authorization.k8s.io\n"),
        "{}",
        names.stdout
    );
}

/// The embedded one-shot CLI acts as cluster-admin, and as the user `--as` names when one
/// is given: then RBAC decides, offline, with the answers serve gives the real kubectl.
#[test]
fn embedded_as_user_is_judged_by_rbac_as_serve_judges() {
    require_kubectl!();
    let server = Server::start(true);
    let home = TempDir::new("rbac-as-embedded");
    let dir = TempDir::new("rbac-as-files");
    let binding = manifest(
        &dir.0,
        "jane.yaml",
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: jane-view, namespace: default}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\nsubjects: [{kind: User, name: jane}]\n",
    );
    let cases: &[&[&str]] = &[
        &["get", "pods", "--as", "jane"],
        &["auth", "can-i", "list", "pods", "--as", "jane"],
        &[
            "create",
            "configmap",
            "c",
            "--from-literal=a=b",
            "--as",
            "jane",
        ],
        &["get", "nodes", "--as", "jane"],
        &["get", "secrets", "-n", "kube-system", "--as", "jane"],
        &["delete", "pod", "nosuch", "--as", "jane"],
        &[
            "exec",
            "etcd-master",
            "-n",
            "kube-system",
            "--as",
            "jane",
            "--",
            "etcdctl",
            "version",
        ],
        &[
            "auth",
            "can-i",
            "get",
            "pods",
            "--as",
            "joe",
            "--as-group",
            "system:masters",
        ],
        &[
            "get",
            "deployments",
            "-n",
            "kube-system",
            "--as",
            "joe",
            "--as-group",
            "system:masters",
        ],
    ];
    let run_all = |stage: &str| {
        for args in cases {
            let want = server.kubectl(args);
            let got = kubelite(&home.0, true, args);
            same(&want, &got, &format!("{stage} {args:?}"));
        }
    };
    run_all("unbound");
    let apply = ["apply", "-f", binding.to_str().unwrap()];
    assert_eq!(server.kubectl(&apply).code, 0);
    assert_eq!(kubelite(&home.0, true, &apply).code, 0);
    run_all("bound to view");
    let can = kubelite(
        &home.0,
        true,
        &["auth", "can-i", "list", "pods", "--as", "jane"],
    );
    assert_eq!(can.stdout, "yes\n");
    // Without --as the local user is the cluster's admin.
    let admin = kubelite(&home.0, true, &["auth", "can-i", "delete", "nodes"]);
    assert_eq!(admin.stdout, "yes\n");
}

/// Escalation prevention: a user may write a Role only with permissions they hold, and bind
/// a role only when they hold its permissions, unless RBAC lets them `escalate` or `bind`.
/// kubelite's embedded verbs acting `--as` the user print what the real kubectl prints.
#[test]
fn roles_grant_and_bindings_bind_only_what_their_writer_holds() {
    require_kubectl!();
    let server = Server::start(true);
    // The same cluster embedded, in a home of its own (serve holds the server's).
    let home = TempDir::new("escalation-home");
    let admin = |args: &[&str]| {
        let made = server.kubectl(args);
        assert_eq!(made.code, 0, "{args:?}: {}", made.stderr);
        let mine = kubelite(&home.0, true, args);
        assert_eq!(mine.code, 0, "{args:?}: {}", mine.stderr);
    };
    for args in [
        &[
            "create",
            "role",
            "pod-reader",
            "--verb=get,list",
            "--resource=pods",
        ][..],
        &[
            "create",
            "role",
            "role-writer",
            "--verb=create",
            "--resource=roles,rolebindings",
        ],
        &[
            "create",
            "role",
            "pod-admin",
            "--verb=get,delete,deletecollection",
            "--resource=pods,pods/log",
        ],
        &[
            "create",
            "rolebinding",
            "jane-reads",
            "--role=pod-reader",
            "--user=jane",
        ],
        &[
            "create",
            "rolebinding",
            "jane-writes",
            "--role=role-writer",
            "--user=jane",
        ],
    ] {
        admin(args);
    }
    let both = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--as", "jane"]);
        let theirs = server.kubectl(&all);
        let ours = kubelite(&home.0, true, &all);
        same(&theirs, &ours, &format!("{args:?}"));
        theirs
    };
    // What she holds she may grant.
    let held = both(&[
        "create",
        "role",
        "reader-too",
        "--verb=get",
        "--resource=pods",
    ]);
    assert_eq!(held.code, 0, "{}", held.stderr);
    // What she does not hold is listed, compacted as kube compacts it.
    let refused = both(&[
        "create",
        "role",
        "deleter",
        "--verb=get,delete,deletecollection",
        "--resource=pods,secrets",
    ]);
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains(
            "roles.rbac.authorization.k8s.io \"deleter\" is forbidden: user \"jane\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\" \"deletecollection\"]}\n{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\" \"delete\" \"deletecollection\"]}\n"
        ),
        "{}",
        refused.stderr
    );
    // Binding a role whose permissions she lacks: refused, until she may `bind` it.
    let bind = [
        "create",
        "rolebinding",
        "joe-admin",
        "--role=pod-admin",
        "--user=joe",
    ];
    let refused = both(&bind);
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("{APIGroups:[\"\"], Resources:[\"pods/log\"], Verbs:[\"get\" \"delete\" \"deletecollection\"]}"),
        "{}",
        refused.stderr
    );
    for args in [
        &[
            "create",
            "role",
            "binder",
            "--verb=bind",
            "--resource=roles",
            "--resource-name=pod-admin",
        ][..],
        &[
            "create",
            "rolebinding",
            "jane-binds",
            "--role=binder",
            "--user=jane",
        ],
        &[
            "create",
            "role",
            "escalator",
            "--verb=escalate",
            "--resource=roles",
        ],
        &[
            "create",
            "rolebinding",
            "jane-escalates",
            "--role=escalator",
            "--user=jane",
        ],
    ] {
        admin(args);
    }
    assert_eq!(both(&bind).code, 0);
    let escalated = both(&[
        "create",
        "role",
        "deleter",
        "--verb=delete",
        "--resource=secrets",
    ]);
    assert_eq!(escalated.code, 0, "{}", escalated.stderr);
}

/// The bootstrap `system:node` ClusterRole holds kube 1.32's NodeRules whole and in its
/// order (DynamicResourceAllocation and ClusterTrustBundle off, as in 1.32), as a kubeadm
/// 1.32 cluster stores it; kubectl and kubelite print it alike.
#[test]
fn system_node_holds_kubes_node_rules() {
    require_kubectl!();
    let server = Server::start(true);
    let rules = server.kubectl(&[
        "get",
        "clusterrole",
        "system:node",
        "-o",
        r#"jsonpath={range .rules[*]}{.apiGroups}|{.resources}|{.verbs}{"\n"}{end}"#,
    ]);
    assert_eq!(rules.code, 0, "{}", rules.stderr);
    let want = r#"["authentication.k8s.io"]|["tokenreviews"]|["create"]
["authorization.k8s.io"]|["localsubjectaccessreviews","subjectaccessreviews"]|["create"]
[""]|["services"]|["get","list","watch"]
[""]|["nodes"]|["create","get","list","watch"]
[""]|["nodes/status"]|["patch","update"]
[""]|["nodes"]|["patch","update"]
[""]|["events"]|["create","patch","update"]
[""]|["pods"]|["get","list","watch"]
[""]|["pods"]|["create","delete"]
[""]|["pods/status"]|["patch","update"]
[""]|["pods/eviction"]|["create"]
[""]|["configmaps","secrets"]|["get","list","watch"]
[""]|["persistentvolumeclaims","persistentvolumes"]|["get"]
[""]|["endpoints"]|["get"]
["certificates.k8s.io"]|["certificatesigningrequests"]|["create","get","list","watch"]
["coordination.k8s.io"]|["leases"]|["create","delete","get","patch","update"]
["storage.k8s.io"]|["volumeattachments"]|["get"]
[""]|["serviceaccounts/token"]|["create"]
[""]|["persistentvolumeclaims/status"]|["get","patch","update"]
["storage.k8s.io"]|["csidrivers"]|["get","list","watch"]
["storage.k8s.io"]|["csinodes"]|["create","delete","get","patch","update"]
["node.k8s.io"]|["runtimeclasses"]|["get","list","watch"]
"#;
    assert_eq!(rules.stdout, want);
    for args in [
        &["get", "clusterrole", "system:node", "-o", "yaml"][..],
        &["describe", "clusterrole", "system:node"],
    ] {
        let want = server.kubectl(args);
        assert_eq!(want.code, 0, "kubectl {args:?}: {}", want.stderr);
        same(
            &want,
            &kubelite(&server.home.0, true, args),
            &format!("{args:?}"),
        );
    }
}
