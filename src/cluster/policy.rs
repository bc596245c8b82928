//! The RBAC policy a new kubeadm 1.32 cluster holds: kube-apiserver's bootstrap roles and
//! bindings (labelled `kubernetes.io/bootstrapping=rbac-defaults`, annotated for
//! auto-update), the user-facing admin/edit/view built by aggregation, and the roles and
//! bindings kubeadm adds. Component and controller roles are given for the components
//! kubelite runs; roles for parts it has no counterpart of are left out (see the report in
//! the branch's history).

use serde_json::{Value, json};

const RBAC: &str = "rbac.authorization.k8s.io/v1";
const RW: &[&str] = &["create", "delete", "deletecollection", "patch", "update"];
const READ: &[&str] = &["get", "list", "watch"];
const ALL: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];

fn rule(groups: &[&str], resources: &[&str], verbs: &[&str]) -> Value {
    json!({"verbs": verbs, "apiGroups": groups, "resources": resources})
}

fn named(groups: &[&str], resources: &[&str], names: &[&str], verbs: &[&str]) -> Value {
    json!({"verbs": verbs, "apiGroups": groups, "resources": resources, "resourceNames": names})
}

fn urls(paths: &[&str], verbs: &[&str]) -> Value {
    json!({"verbs": verbs, "nonResourceURLs": paths})
}

/// kube-apiserver's own objects carry these; kubeadm's do not.
fn bootstrap_meta(name: &str, labels: &[(&str, &str)]) -> Value {
    let mut l = serde_json::Map::new();
    l.insert("kubernetes.io/bootstrapping".into(), "rbac-defaults".into());
    for (k, v) in labels {
        l.insert((*k).into(), (*v).into());
    }
    json!({"name": name, "labels": l,
           "annotations": {"rbac.authorization.kubernetes.io/autoupdate": "true"}})
}

/// Whether the object is one of kube-apiserver's own, which it reconciles at each start
/// (kubeadm's are written once).
pub fn is_bootstrap(obj: &Value) -> bool {
    obj.pointer("/metadata/labels/kubernetes.io~1bootstrapping")
        .and_then(Value::as_str)
        == Some("rbac-defaults")
}

fn cluster_role(name: &str, rules: Vec<Value>) -> Value {
    json!({"apiVersion": RBAC, "kind": "ClusterRole", "metadata": bootstrap_meta(name, &[]), "rules": rules})
}

fn labelled_role(name: &str, labels: &[(&str, &str)], rules: Vec<Value>) -> Value {
    json!({"apiVersion": RBAC, "kind": "ClusterRole", "metadata": bootstrap_meta(name, labels), "rules": rules})
}

fn aggregated(name: &str, labels: &[(&str, &str)], from: &str) -> Value {
    json!({"apiVersion": RBAC, "kind": "ClusterRole", "metadata": bootstrap_meta(name, labels),
           "aggregationRule": {"clusterRoleSelectors": [
               {"matchLabels": {format!("rbac.authorization.k8s.io/aggregate-to-{from}"): "true"}}]},
           "rules": []})
}

fn subject(spec: &str) -> Value {
    // "User:name", "Group:name", "ServiceAccount:ns/name".
    let (kind, rest) = spec.split_once(':').unwrap_or(("User", spec));
    match kind {
        "ServiceAccount" => {
            let (ns, name) = rest.split_once('/').unwrap_or(("kube-system", rest));
            json!({"kind": kind, "name": name, "namespace": ns})
        }
        _ => json!({"kind": kind, "apiGroup": "rbac.authorization.k8s.io", "name": rest}),
    }
}

fn binding(meta: Value, kind: &str, role_kind: &str, role: &str, subjects: &[&str]) -> Value {
    let mut b = json!({"apiVersion": RBAC, "kind": kind, "metadata": meta,
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": role}});
    if !subjects.is_empty() {
        b["subjects"] = subjects.iter().map(|s| subject(s)).collect();
    }
    b
}

fn cluster_binding(name: &str, role: &str, subjects: &[&str]) -> Value {
    binding(
        bootstrap_meta(name, &[]),
        "ClusterRoleBinding",
        "ClusterRole",
        role,
        subjects,
    )
}

fn kubeadm_binding(name: &str, role: &str, subjects: &[&str]) -> Value {
    binding(
        json!({"name": name}),
        "ClusterRoleBinding",
        "ClusterRole",
        role,
        subjects,
    )
}

/// The user-facing roles: cluster-admin, and admin/edit/view gathered from their
/// `system:aggregate-to-*` parts.
fn user_roles() -> Vec<Value> {
    let view = vec![
        rule(
            &[""],
            &[
                "configmaps",
                "endpoints",
                "persistentvolumeclaims",
                "persistentvolumeclaims/status",
                "pods",
                "replicationcontrollers",
                "replicationcontrollers/scale",
                "serviceaccounts",
                "services",
                "services/status",
            ],
            READ,
        ),
        rule(
            &[""],
            &[
                "bindings",
                "events",
                "limitranges",
                "namespaces/status",
                "pods/log",
                "pods/status",
                "replicationcontrollers/status",
                "resourcequotas",
                "resourcequotas/status",
            ],
            READ,
        ),
        rule(&[""], &["namespaces"], READ),
        rule(&["discovery.k8s.io"], &["endpointslices"], READ),
        rule(
            &["apps"],
            &[
                "controllerrevisions",
                "daemonsets",
                "daemonsets/status",
                "deployments",
                "deployments/scale",
                "deployments/status",
                "replicasets",
                "replicasets/scale",
                "replicasets/status",
                "statefulsets",
                "statefulsets/scale",
                "statefulsets/status",
            ],
            READ,
        ),
        rule(
            &["autoscaling"],
            &[
                "horizontalpodautoscalers",
                "horizontalpodautoscalers/status",
            ],
            READ,
        ),
        rule(
            &["batch"],
            &["cronjobs", "cronjobs/status", "jobs", "jobs/status"],
            READ,
        ),
        rule(
            &["extensions"],
            &[
                "daemonsets",
                "daemonsets/status",
                "deployments",
                "deployments/scale",
                "deployments/status",
                "ingresses",
                "ingresses/status",
                "networkpolicies",
                "replicasets",
                "replicasets/scale",
                "replicasets/status",
                "replicationcontrollers/scale",
            ],
            READ,
        ),
        rule(
            &["policy"],
            &["poddisruptionbudgets", "poddisruptionbudgets/status"],
            READ,
        ),
        rule(
            &["networking.k8s.io"],
            &["ingresses", "ingresses/status", "networkpolicies"],
            READ,
        ),
    ];
    let edit = vec![
        rule(
            &[""],
            &[
                "pods/attach",
                "pods/exec",
                "pods/portforward",
                "pods/proxy",
                "secrets",
                "services/proxy",
            ],
            READ,
        ),
        rule(&[""], &["serviceaccounts"], &["impersonate"]),
        rule(
            &[""],
            &[
                "pods",
                "pods/attach",
                "pods/exec",
                "pods/portforward",
                "pods/proxy",
            ],
            RW,
        ),
        rule(&[""], &["pods/eviction"], &["create"]),
        rule(
            &[""],
            &[
                "configmaps",
                "events",
                "persistentvolumeclaims",
                "replicationcontrollers",
                "replicationcontrollers/scale",
                "secrets",
                "serviceaccounts",
                "services",
                "services/proxy",
            ],
            RW,
        ),
        rule(&[""], &["serviceaccounts/token"], &["create"]),
        rule(
            &["apps"],
            &[
                "daemonsets",
                "deployments",
                "deployments/rollback",
                "deployments/scale",
                "replicasets",
                "replicasets/scale",
                "statefulsets",
                "statefulsets/scale",
            ],
            RW,
        ),
        rule(&["autoscaling"], &["horizontalpodautoscalers"], RW),
        rule(&["batch"], &["cronjobs", "jobs"], RW),
        rule(
            &["extensions"],
            &[
                "daemonsets",
                "deployments",
                "deployments/rollback",
                "deployments/scale",
                "ingresses",
                "networkpolicies",
                "replicasets",
                "replicasets/scale",
                "replicationcontrollers/scale",
            ],
            RW,
        ),
        rule(&["policy"], &["poddisruptionbudgets"], RW),
        rule(
            &["networking.k8s.io"],
            &["ingresses", "networkpolicies"],
            RW,
        ),
        rule(&["coordination.k8s.io"], &["leases"], ALL),
    ];
    let admin = vec![
        rule(
            &["authorization.k8s.io"],
            &["localsubjectaccessreviews"],
            &["create"],
        ),
        rule(
            &["rbac.authorization.k8s.io"],
            &["rolebindings", "roles"],
            ALL,
        ),
    ];
    vec![
        cluster_role(
            "cluster-admin",
            vec![rule(&["*"], &["*"], &["*"]), urls(&["*"], &["*"])],
        ),
        aggregated("admin", &[], "admin"),
        aggregated(
            "edit",
            &[("rbac.authorization.k8s.io/aggregate-to-admin", "true")],
            "edit",
        ),
        aggregated(
            "view",
            &[("rbac.authorization.k8s.io/aggregate-to-edit", "true")],
            "view",
        ),
        labelled_role(
            "system:aggregate-to-admin",
            &[("rbac.authorization.k8s.io/aggregate-to-admin", "true")],
            admin,
        ),
        labelled_role(
            "system:aggregate-to-edit",
            &[("rbac.authorization.k8s.io/aggregate-to-edit", "true")],
            edit,
        ),
        labelled_role(
            "system:aggregate-to-view",
            &[("rbac.authorization.k8s.io/aggregate-to-view", "true")],
            view,
        ),
    ]
}

/// What every user may see and ask, and the roles of the control plane's components.
fn system_roles() -> Vec<Value> {
    let events = || {
        vec![rule(
            &["", "events.k8s.io"],
            &["events"],
            &["create", "patch", "update"],
        )]
    };
    let mut scheduler = events();
    scheduler.extend([
        rule(&["coordination.k8s.io"], &["leases"], &["create"]),
        named(
            &["coordination.k8s.io"],
            &["leases"],
            &["kube-scheduler"],
            &["get", "update"],
        ),
        rule(&[""], &["nodes"], READ),
        rule(&[""], &["pods"], &["delete", "get", "list", "watch"]),
        rule(&[""], &["bindings", "pods/binding"], &["create"]),
        rule(&[""], &["pods/status"], &["patch", "update"]),
        rule(
            &[""],
            &["replicationcontrollers", "services"],
            &["list", "watch"],
        ),
        rule(
            &["apps"],
            &["replicasets", "statefulsets"],
            &["list", "watch"],
        ),
        rule(&["policy"], &["poddisruptionbudgets"], &["list", "watch"]),
        rule(
            &[""],
            &["persistentvolumeclaims", "persistentvolumes"],
            &["list", "watch"],
        ),
        rule(&["authentication.k8s.io"], &["tokenreviews"], &["create"]),
        rule(
            &["authorization.k8s.io"],
            &["subjectaccessreviews"],
            &["create"],
        ),
        rule(
            &["storage.k8s.io"],
            &["csinodes"],
            &["get", "list", "watch"],
        ),
        rule(&[""], &["namespaces"], &["get", "list", "watch"]),
        rule(
            &["storage.k8s.io"],
            &["csidrivers", "csistoragecapacities"],
            &["get", "list", "watch"],
        ),
    ]);
    let mut controller_manager = events();
    controller_manager.extend([
        rule(&["coordination.k8s.io"], &["leases"], &["create"]),
        named(
            &["coordination.k8s.io"],
            &["leases"],
            &["kube-controller-manager"],
            &["get", "update"],
        ),
        rule(&[""], &["secrets", "serviceaccounts"], &["create"]),
        rule(&[""], &["secrets"], &["delete"]),
        rule(
            &[""],
            &["configmaps", "namespaces", "secrets", "serviceaccounts"],
            &["get"],
        ),
        rule(&[""], &["secrets", "serviceaccounts"], &["update"]),
        rule(&["authentication.k8s.io"], &["tokenreviews"], &["create"]),
        rule(
            &["authorization.k8s.io"],
            &["subjectaccessreviews"],
            &["create"],
        ),
        rule(&["*"], &["*"], &["list", "watch"]),
        rule(&[""], &["serviceaccounts/token"], &["create"]),
    ]);
    let mut proxier = events();
    proxier.extend([
        rule(&[""], &["endpoints", "services"], &["list", "watch"]),
        rule(&[""], &["nodes"], READ),
        rule(
            &["discovery.k8s.io"],
            &["endpointslices"],
            &["list", "watch"],
        ),
    ]);
    // kube's NodeRules, the same list the Node authorizer applies.
    let node = crate::apiserver::node_authorizer::node_rules();
    vec![
        cluster_role(
            "system:basic-user",
            vec![
                rule(
                    &["authorization.k8s.io"],
                    &["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
                    &["create"],
                ),
                rule(
                    &["authentication.k8s.io"],
                    &["selfsubjectreviews"],
                    &["create"],
                ),
            ],
        ),
        cluster_role(
            "system:discovery",
            vec![urls(
                &[
                    "/api",
                    "/api/*",
                    "/apis",
                    "/apis/*",
                    "/healthz",
                    "/livez",
                    "/openapi",
                    "/openapi/*",
                    "/readyz",
                    "/version",
                    "/version/",
                ],
                &["get"],
            )],
        ),
        cluster_role(
            "system:public-info-viewer",
            vec![urls(
                &["/healthz", "/livez", "/readyz", "/version", "/version/"],
                &["get"],
            )],
        ),
        cluster_role(
            "system:monitoring",
            vec![urls(
                &[
                    "/healthz",
                    "/healthz/*",
                    "/livez",
                    "/livez/*",
                    "/metrics",
                    "/metrics/slis",
                    "/readyz",
                    "/readyz/*",
                ],
                &["get"],
            )],
        ),
        cluster_role(
            "system:auth-delegator",
            vec![
                rule(&["authentication.k8s.io"], &["tokenreviews"], &["create"]),
                rule(
                    &["authorization.k8s.io"],
                    &["subjectaccessreviews"],
                    &["create"],
                ),
            ],
        ),
        cluster_role(
            "system:service-account-issuer-discovery",
            vec![urls(
                &["/.well-known/openid-configuration", "/openid/v1/jwks"],
                &["get"],
            )],
        ),
        cluster_role(
            "system:kube-dns",
            vec![rule(&[""], &["endpoints", "services"], &["list", "watch"])],
        ),
        cluster_role("system:kube-scheduler", scheduler),
        cluster_role(
            "system:volume-scheduler",
            vec![
                rule(
                    &[""],
                    &["persistentvolumes"],
                    &["get", "list", "patch", "update", "watch"],
                ),
                rule(&["storage.k8s.io"], &["storageclasses"], READ),
                rule(
                    &[""],
                    &["persistentvolumeclaims"],
                    &["get", "list", "patch", "update", "watch"],
                ),
            ],
        ),
        cluster_role("system:kube-controller-manager", controller_manager),
        cluster_role("system:node-proxier", proxier),
        cluster_role("system:node", node),
        cluster_role(
            "system:node-bootstrapper",
            vec![rule(
                &["certificates.k8s.io"],
                &["certificatesigningrequests"],
                &["create", "get", "list", "watch"],
            )],
        ),
        cluster_role(
            "system:kubelet-api-admin",
            vec![
                rule(&[""], &["nodes"], &["get", "list", "watch"]),
                rule(&[""], &["nodes"], &["proxy"]),
                rule(
                    &[""],
                    &["nodes/log", "nodes/metrics", "nodes/proxy", "nodes/stats"],
                    &["*"],
                ),
            ],
        ),
    ]
}

/// The controllers' roles, for the controllers kube-controller-manager runs that have a
/// counterpart here (each bound to its service account in kube-system).
fn controller_roles() -> Vec<(&'static str, Vec<Value>)> {
    let ev = || {
        rule(
            &["", "events.k8s.io"],
            &["events"],
            &["create", "patch", "update"],
        )
    };
    vec![
        (
            "clusterrole-aggregation-controller",
            vec![rule(
                &["rbac.authorization.k8s.io"],
                &["clusterroles"],
                &["escalate", "get", "list", "patch", "update", "watch"],
            )],
        ),
        (
            "daemon-set-controller",
            vec![
                rule(&["apps", "extensions"], &["daemonsets"], READ),
                rule(&["apps", "extensions"], &["daemonsets/status"], &["update"]),
                rule(
                    &["apps", "extensions"],
                    &["daemonsets/finalizers"],
                    &["update"],
                ),
                rule(&[""], &["nodes"], &["list", "watch"]),
                rule(
                    &[""],
                    &["pods"],
                    &["create", "delete", "list", "patch", "watch"],
                ),
                rule(&[""], &["pods/binding"], &["create"]),
                rule(
                    &["apps"],
                    &["controllerrevisions"],
                    &["create", "delete", "list", "patch", "update", "watch"],
                ),
                ev(),
            ],
        ),
        (
            "deployment-controller",
            vec![
                rule(
                    &["apps", "extensions"],
                    &["deployments"],
                    &["get", "list", "update", "watch"],
                ),
                rule(
                    &["apps", "extensions"],
                    &["deployments/status"],
                    &["update"],
                ),
                rule(
                    &["apps", "extensions"],
                    &["deployments/finalizers"],
                    &["update"],
                ),
                rule(
                    &["apps", "extensions"],
                    &["replicasets"],
                    &[
                        "create", "delete", "get", "list", "patch", "update", "watch",
                    ],
                ),
                rule(&[""], &["pods"], &["get", "list", "update", "watch"]),
                ev(),
            ],
        ),
        (
            "endpoint-controller",
            vec![
                rule(&[""], &["pods", "services"], &["get", "list", "watch"]),
                rule(
                    &[""],
                    &["endpoints"],
                    &["create", "delete", "get", "list", "update"],
                ),
                rule(&[""], &["endpoints/restricted"], &["create"]),
                ev(),
            ],
        ),
        (
            "endpointslice-controller",
            vec![
                rule(
                    &[""],
                    &["nodes", "pods", "services"],
                    &["get", "list", "watch"],
                ),
                rule(&[""], &["services/finalizers"], &["update"]),
                rule(
                    &["discovery.k8s.io"],
                    &["endpointslices"],
                    &["create", "delete", "get", "list", "update"],
                ),
                ev(),
            ],
        ),
        (
            "generic-garbage-collector",
            vec![rule(
                &["*"],
                &["*"],
                &["delete", "get", "list", "patch", "update", "watch"],
            )],
        ),
        (
            "namespace-controller",
            vec![
                rule(&[""], &["namespaces"], &["delete", "get", "list", "watch"]),
                rule(
                    &[""],
                    &["namespaces/finalize", "namespaces/status"],
                    &["update"],
                ),
                rule(
                    &["*"],
                    &["*"],
                    &["delete", "deletecollection", "get", "list"],
                ),
            ],
        ),
        (
            "node-controller",
            vec![
                rule(
                    &[""],
                    &["nodes"],
                    &["delete", "get", "list", "patch", "update"],
                ),
                rule(&[""], &["nodes/status"], &["patch", "update"]),
                rule(&[""], &["pods/status"], &["patch", "update"]),
                rule(&[""], &["pods"], &["delete", "list"]),
                ev(),
            ],
        ),
        (
            "replicaset-controller",
            vec![
                rule(
                    &["apps", "extensions"],
                    &["replicasets"],
                    &["get", "list", "update", "watch"],
                ),
                rule(
                    &["apps", "extensions"],
                    &["replicasets/status"],
                    &["update"],
                ),
                rule(
                    &["apps", "extensions"],
                    &["replicasets/finalizers"],
                    &["update"],
                ),
                rule(
                    &[""],
                    &["pods"],
                    &["create", "delete", "list", "patch", "watch"],
                ),
                ev(),
            ],
        ),
        (
            "service-account-controller",
            vec![rule(&[""], &["serviceaccounts"], &["create"]), ev()],
        ),
    ]
}

/// (plural, namespace, object) of every policy object, in creation order.
pub fn objects() -> Vec<(&'static str, Option<&'static str>, Value)> {
    let mut out: Vec<(&'static str, Option<&'static str>, Value)> = Vec::new();
    for r in user_roles().into_iter().chain(system_roles()) {
        out.push(("clusterroles", None, r));
    }
    out.push((
        "clusterroles",
        None,
        json!({"apiVersion": RBAC, "kind": "ClusterRole", "metadata": {"name": "kubeadm:get-nodes"},
               "rules": [rule(&[""], &["nodes"], &["get"])]}),
    ));
    out.push((
        "clusterroles",
        None,
        json!({"apiVersion": RBAC, "kind": "ClusterRole", "metadata": {"name": "system:coredns"},
               "rules": [rule(&[""], &["endpoints", "services", "pods", "namespaces"], &["list", "watch"]),
                         rule(&["discovery.k8s.io"], &["endpointslices"], &["list", "watch"])]}),
    ));
    let controllers = controller_roles();
    for (name, rules) in &controllers {
        out.push((
            "clusterroles",
            None,
            cluster_role(&format!("system:controller:{name}"), rules.clone()),
        ));
    }
    let bindings = [
        (
            "cluster-admin",
            "cluster-admin",
            vec!["Group:system:masters"],
        ),
        (
            "system:basic-user",
            "system:basic-user",
            vec!["Group:system:authenticated"],
        ),
        (
            "system:discovery",
            "system:discovery",
            vec!["Group:system:authenticated"],
        ),
        (
            "system:public-info-viewer",
            "system:public-info-viewer",
            vec!["Group:system:authenticated", "Group:system:unauthenticated"],
        ),
        (
            "system:monitoring",
            "system:monitoring",
            vec!["Group:system:monitoring"],
        ),
        (
            "system:service-account-issuer-discovery",
            "system:service-account-issuer-discovery",
            vec!["Group:system:serviceaccounts"],
        ),
        (
            "system:kube-controller-manager",
            "system:kube-controller-manager",
            vec!["User:system:kube-controller-manager"],
        ),
        (
            "system:kube-scheduler",
            "system:kube-scheduler",
            vec!["User:system:kube-scheduler"],
        ),
        (
            "system:volume-scheduler",
            "system:volume-scheduler",
            vec!["User:system:kube-scheduler"],
        ),
        (
            "system:node-proxier",
            "system:node-proxier",
            vec!["User:system:kube-proxy"],
        ),
        (
            "system:kube-dns",
            "system:kube-dns",
            vec!["ServiceAccount:kube-system/kube-dns"],
        ),
        ("system:node", "system:node", vec![]),
    ];
    for (name, role, subjects) in &bindings {
        out.push((
            "clusterrolebindings",
            None,
            cluster_binding(name, role, subjects),
        ));
    }
    for (name, _) in &controllers {
        let full = format!("system:controller:{name}");
        let sa = format!("ServiceAccount:kube-system/{name}");
        out.push((
            "clusterrolebindings",
            None,
            cluster_binding(&full, &full, &[sa.as_str()]),
        ));
    }
    let node_token = "Group:system:bootstrappers:kubeadm:default-node-token";
    for (name, role, subject) in [
        (
            "kubeadm:cluster-admins",
            "cluster-admin",
            "Group:kubeadm:cluster-admins",
        ),
        ("kubeadm:get-nodes", "kubeadm:get-nodes", node_token),
        (
            "kubeadm:kubelet-bootstrap",
            "system:node-bootstrapper",
            node_token,
        ),
        (
            "kubeadm:node-proxier",
            "system:node-proxier",
            "ServiceAccount:kube-system/kube-proxy",
        ),
        (
            "system:coredns",
            "system:coredns",
            "ServiceAccount:kube-system/coredns",
        ),
    ] {
        out.push((
            "clusterrolebindings",
            None,
            kubeadm_binding(name, role, &[subject]),
        ));
    }
    // kubelite's own: the user of serve's read-only token reads as kube's `view` allows.
    out.push((
        "clusterrolebindings",
        None,
        kubeadm_binding("kubelite:viewer", "view", &["User:viewer"]),
    ));
    out.extend(namespaced());
    out
}

/// The Roles and RoleBindings of kube-system and kube-public.
fn namespaced() -> Vec<(&'static str, Option<&'static str>, Value)> {
    let role = |ns: &str, name: &str, bootstrap: bool, rules: Vec<Value>| {
        let mut meta = if bootstrap {
            bootstrap_meta(name, &[])
        } else {
            json!({"name": name})
        };
        meta["namespace"] = ns.into();
        json!({"apiVersion": RBAC, "kind": "Role", "metadata": meta, "rules": rules})
    };
    let bind = |ns: &str, name: &str, bootstrap: bool, role: &str, subjects: &[&str]| {
        let mut meta = if bootstrap {
            bootstrap_meta(name, &[])
        } else {
            json!({"name": name})
        };
        meta["namespace"] = ns.into();
        binding(meta, "RoleBinding", "Role", role, subjects)
    };
    let cm = |names: &[&str]| vec![named(&[""], &["configmaps"], names, &["get"])];
    let locking = |holder: &str| {
        vec![
            rule(&[""], &["configmaps"], &["watch"]),
            named(&[""], &["configmaps"], &[holder], &["get", "update"]),
        ]
    };
    let ks = Some("kube-system");
    vec![
        (
            "roles",
            ks,
            role(
                "kube-system",
                "extension-apiserver-authentication-reader",
                true,
                vec![named(
                    &[""],
                    &["configmaps"],
                    &["extension-apiserver-authentication"],
                    &["get", "list", "watch"],
                )],
            ),
        ),
        (
            "roles",
            ks,
            role("kube-system", "kube-proxy", false, cm(&["kube-proxy"])),
        ),
        (
            "roles",
            ks,
            role(
                "kube-system",
                "kubeadm:kubelet-config",
                false,
                cm(&["kubelet-config"]),
            ),
        ),
        (
            "roles",
            ks,
            role(
                "kube-system",
                "kubeadm:nodes-kubeadm-config",
                false,
                cm(&["kubeadm-config"]),
            ),
        ),
        (
            "roles",
            ks,
            role(
                "kube-system",
                "system::leader-locking-kube-controller-manager",
                true,
                locking("kube-controller-manager"),
            ),
        ),
        (
            "roles",
            ks,
            role(
                "kube-system",
                "system::leader-locking-kube-scheduler",
                true,
                locking("kube-scheduler"),
            ),
        ),
        (
            "roles",
            Some("kube-public"),
            role(
                "kube-public",
                "kubeadm:bootstrap-signer-clusterinfo",
                false,
                cm(&["cluster-info"]),
            ),
        ),
        (
            "rolebindings",
            ks,
            bind(
                "kube-system",
                "kube-proxy",
                false,
                "kube-proxy",
                &["Group:system:bootstrappers:kubeadm:default-node-token"],
            ),
        ),
        (
            "rolebindings",
            ks,
            bind(
                "kube-system",
                "kubeadm:kubelet-config",
                false,
                "kubeadm:kubelet-config",
                &[
                    "Group:system:nodes",
                    "Group:system:bootstrappers:kubeadm:default-node-token",
                ],
            ),
        ),
        (
            "rolebindings",
            ks,
            bind(
                "kube-system",
                "kubeadm:nodes-kubeadm-config",
                false,
                "kubeadm:nodes-kubeadm-config",
                &[
                    "Group:system:bootstrappers:kubeadm:default-node-token",
                    "Group:system:nodes",
                ],
            ),
        ),
        (
            "rolebindings",
            ks,
            bind(
                "kube-system",
                "system::extension-apiserver-authentication-reader",
                true,
                "extension-apiserver-authentication-reader",
                &[
                    "User:system:kube-controller-manager",
                    "User:system:kube-scheduler",
                ],
            ),
        ),
        (
            "rolebindings",
            ks,
            bind(
                "kube-system",
                "system::leader-locking-kube-controller-manager",
                true,
                "system::leader-locking-kube-controller-manager",
                &[
                    "User:system:kube-controller-manager",
                    "ServiceAccount:kube-system/kube-controller-manager",
                ],
            ),
        ),
        (
            "rolebindings",
            ks,
            bind(
                "kube-system",
                "system::leader-locking-kube-scheduler",
                true,
                "system::leader-locking-kube-scheduler",
                &[
                    "User:system:kube-scheduler",
                    "ServiceAccount:kube-system/kube-scheduler",
                ],
            ),
        ),
        (
            "rolebindings",
            Some("kube-public"),
            bind(
                "kube-public",
                "kubeadm:bootstrap-signer-clusterinfo",
                false,
                "kubeadm:bootstrap-signer-clusterinfo",
                &["User:system:anonymous"],
            ),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_binding_names_a_role_of_the_policy() {
        let objs = objects();
        let has = |plural: &str, name: &str| {
            objs.iter()
                .any(|(p, _, o)| *p == plural && o["metadata"]["name"] == name)
        };
        for (plural, _, o) in &objs {
            let role = o["roleRef"]["name"].as_str().unwrap_or("");
            match *plural {
                "clusterrolebindings" => assert!(has("clusterroles", role), "{role}"),
                "rolebindings" => assert!(has("roles", role), "{role}"),
                _ => {}
            }
        }
        assert!(has("clusterrolebindings", "cluster-admin"));
        assert!(has("clusterrolebindings", "kubeadm:cluster-admins"));
    }
}
