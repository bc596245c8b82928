//! The client-side half: the real kubectl prints our server-side Tables (served by a mock API
//! server), and `print_table` / `print_tables` must print the same bytes.

mod support;

use kubelite::print::columns::table;
use kubelite::print::table_printer::{
    TablePrintOptions, no_resources_found, print_table, print_tables,
};
use kubelite::print::table_sort::{simple_path, sort_rows_by};
use serde_json::{Map, Value, json};
use support::{MockServer, kubectl_available, now, objects};

fn opts() -> TablePrintOptions {
    TablePrintOptions::default()
}

/// Synthetic objects for kinds the reference cluster has none of, plus awkward cells.
fn synthetic_configmaps() -> Vec<Value> {
    vec![
        json!({"metadata": {"name": "app-config", "namespace": "default", "creationTimestamp": "2026-11-29T01:40:00Z",
               "labels": {"app": "web", "tier": "frontend"}}, "data": {"a": "1", "b": "2"}, "binaryData": {"c": "AA=="}}),
        json!({"metadata": {"name": "kube-root-ca.crt", "namespace": "default", "creationTimestamp": "2026-11-25T23:43:14Z"},
               "data": {"ca.crt": "x"}}),
        json!({"metadata": {"name": "ünïcode-名前", "namespace": "default", "creationTimestamp": "2026-11-29T01:42:15Z"}}),
    ]
}

fn synthetic_secrets() -> Vec<Value> {
    vec![
        json!({"metadata": {"name": "db", "namespace": "default", "creationTimestamp": "2026-11-28T01:42:16Z"},
               "type": "Opaque", "data": {"user": "YQ==", "password": "Yg=="}}),
        json!({"metadata": {"name": "registry", "namespace": "default", "creationTimestamp": "2026-10-01T00:00:00Z"},
               "type": "kubernetes.io/dockerconfigjson", "data": {".dockerconfigjson": "e30="}}),
    ]
}

fn synthetic_serviceaccounts() -> Vec<Value> {
    vec![
        json!({"metadata": {"name": "default", "namespace": "default", "creationTimestamp": "2026-11-25T23:43:14Z"}}),
        json!({"metadata": {"name": "builder", "namespace": "default", "creationTimestamp": "2026-11-29T00:00:00Z"},
               "secrets": [{"name": "builder-token"}]}),
    ]
}

/// Events with a multi-line message, a terminal escape and no timestamps at all.
fn synthetic_events() -> Vec<Value> {
    vec![
        json!({"metadata": {"name": "odd.1", "namespace": "default", "creationTimestamp": "2026-11-29T01:40:00Z"},
               "involvedObject": {"kind": "Pod", "name": "x", "namespace": "default"},
               "reason": "Multi", "message": "first line\nsecond line", "type": "Warning",
               "firstTimestamp": "2026-11-29T01:40:00Z", "lastTimestamp": "2026-11-29T01:41:00Z", "count": 2}),
        json!({"metadata": {"name": "odd.2", "namespace": "default", "creationTimestamp": "2026-11-29T01:40:00Z"},
               "involvedObject": {"kind": "Node", "name": ""}, "reason": "Escape",
               "message": "  bell \u{1b}[31mred\u{1b}[0m  ", "type": "Normal"}),
    ]
}

/// Enough rows with few distinct keys to drive Go's unstable sort through all its paths.
fn bulk_configmaps() -> Vec<Value> {
    (0..240)
        .map(|i: u64| {
            let spread = (i * 7919) % 240;
            let data: Map<String, Value> = (0..(spread % 4)).map(|k| (format!("k{k}"), json!("v"))).collect();
            json!({"metadata": {"name": format!("cm-{i}"), "namespace": "bulk",
                   "creationTimestamp": format!("2026-11-2{}T01:00:00Z", spread % 9),
                   "labels": {"group": format!("g{}", spread % 5), "size": format!("{}", spread % 3),
                   "mem": if spread.is_multiple_of(7) { "1Gi".to_string() } else { format!("{}Mi", (spread % 20) * 50) }}},
                   "data": data})
        })
        .collect()
}

struct Routes(Map<String, Value>);

impl Routes {
    fn add(&mut self, path: &str, resource: &str, objects: &[Value]) -> &mut Self {
        self.0
            .insert(path.to_string(), table(resource, objects, now(), false));
        self.0.insert(
            format!("{path}#object"),
            table(resource, objects, now(), true),
        );
        self
    }
    fn get(&self, path: &str) -> &Value {
        &self.0[path]
    }
}

fn routes() -> Routes {
    let mut r = Routes(Map::new());
    let default = Some("default");
    r.add(
        "/api/v1/namespaces/default/pods",
        "pods",
        &objects("pod", default),
    )
    .add("/api/v1/pods", "pods", &objects("pod", None))
    .add(
        "/api/v1/namespaces/kube-system/pods",
        "pods",
        &objects("pod", Some("kube-system")),
    )
    .add("/api/v1/nodes", "nodes", &objects("node", None))
    .add(
        "/api/v1/namespaces",
        "namespaces",
        &objects("namespace", None),
    )
    .add(
        "/api/v1/namespaces/default/services",
        "services",
        &objects("service", default),
    )
    .add("/api/v1/services", "services", &objects("service", None))
    .add(
        "/api/v1/namespaces/default/endpoints",
        "endpoints",
        &objects("endpoints", default),
    )
    .add(
        "/api/v1/endpoints",
        "endpoints",
        &objects("endpoints", None),
    )
    .add(
        "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices",
        "endpointslices",
        &objects("endpointslice", default),
    )
    .add(
        "/apis/discovery.k8s.io/v1/endpointslices",
        "endpointslices",
        &objects("endpointslice", None),
    )
    .add(
        "/apis/apps/v1/namespaces/default/deployments",
        "deployments",
        &objects("deployment", default),
    )
    .add(
        "/apis/apps/v1/deployments",
        "deployments",
        &objects("deployment", None),
    )
    .add(
        "/apis/apps/v1/namespaces/default/replicasets",
        "replicasets",
        &objects("replicaset", default),
    )
    .add(
        "/apis/apps/v1/replicasets",
        "replicasets",
        &objects("replicaset", None),
    )
    .add(
        "/apis/apps/v1/namespaces/default/daemonsets",
        "daemonsets",
        &objects("daemonset", default),
    )
    .add(
        "/apis/apps/v1/daemonsets",
        "daemonsets",
        &objects("daemonset", None),
    )
    .add(
        "/apis/apps/v1/namespaces/kube-system/daemonsets",
        "daemonsets",
        &objects("daemonset", Some("kube-system")),
    )
    .add(
        "/api/v1/namespaces/default/events",
        "events",
        &support::events(default),
    )
    .add("/api/v1/events", "events", &support::events(None))
    .add(
        "/api/v1/namespaces/team-a/events",
        "events",
        &synthetic_events(),
    )
    .add(
        "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases",
        "leases",
        &objects("lease", None),
    )
    .add(
        "/api/v1/namespaces/default/configmaps",
        "configmaps",
        &synthetic_configmaps(),
    )
    .add(
        "/api/v1/namespaces/default/secrets",
        "secrets",
        &synthetic_secrets(),
    )
    .add(
        "/api/v1/namespaces/default/serviceaccounts",
        "serviceaccounts",
        &synthetic_serviceaccounts(),
    )
    .add("/api/v1/namespaces/team-a/configmaps", "configmaps", &[])
    .add(
        "/api/v1/namespaces/default/pods/myapp-pod",
        "pods",
        &[support::object("pod-default-myapp-pod")],
    )
    .add(
        "/api/v1/namespaces/default/pods/too-big",
        "pods",
        &[support::object("pod-default-too-big")],
    )
    .add(
        "/api/v1/namespaces/default/pods/web-5d8f7c9b6-9bxlj",
        "pods",
        &[support::object("pod-default-web-5d8f7c9b6-9bxlj")],
    )
    .add(
        "/api/v1/namespaces/default/services/web",
        "services",
        &[support::object("service-default-web")],
    )
    .add(
        "/api/v1/namespaces/bulk/configmaps",
        "configmaps",
        &bulk_configmaps(),
    )
    .add("/api/v1/configmaps", "configmaps", &[]);
    r
}

struct Oracle {
    server: MockServer,
    routes: Routes,
    failures: Vec<String>,
    passed: usize,
}

impl Oracle {
    fn new() -> Oracle {
        let routes = routes();
        let server = MockServer::start(&Value::Object(routes.0.clone()));
        Oracle {
            server,
            routes,
            failures: Vec::new(),
            passed: 0,
        }
    }

    fn check(&mut self, args: &[&str], want_out: &str, want_err: &str) {
        let (out, err, _) = self.server.kubectl(args);
        if out == want_out && err == want_err {
            self.passed += 1;
        } else {
            self.failures.push(format!(
                "kubectl {}\n--- kubectl stdout ---\n{out}--- ours ---\n{want_out}--- kubectl stderr ---\n{err}--- ours ---\n{want_err}",
                args.join(" ")
            ));
        }
    }

    fn one(&mut self, args: &[&str], path: &str, o: TablePrintOptions) {
        let want = print_table(self.routes.get(path), &o);
        self.check(args, &want, "");
    }

    fn finish(self) {
        eprintln!("kubectl oracle: {} cases identical", self.passed);
        assert!(
            self.failures.is_empty(),
            "{} mismatches:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}

#[test]
fn kubectl_prints_our_tables_identically() {
    if !kubectl_available() {
        return;
    }
    let mut k = Oracle::new();
    let pods = "/api/v1/namespaces/default/pods";
    let wide = TablePrintOptions {
        wide: true,
        ..opts()
    };
    let all_ns = TablePrintOptions {
        with_namespace: true,
        ..opts()
    };

    k.one(&["get", "pods"], pods, opts());
    k.one(&["get", "pods", "-o", "wide"], pods, wide.clone());
    k.one(
        &["get", "pods", "--show-labels"],
        pods,
        TablePrintOptions {
            show_labels: true,
            ..opts()
        },
    );
    k.one(
        &["get", "pods", "--no-headers"],
        pods,
        TablePrintOptions {
            no_headers: true,
            ..opts()
        },
    );
    k.one(
        &[
            "get",
            "pods",
            "-L",
            "app",
            "-L",
            "pod-template-hash",
            "--show-labels",
            "-o",
            "wide",
        ],
        pods,
        TablePrintOptions {
            label_columns: vec!["app".into(), "pod-template-hash".into()],
            show_labels: true,
            wide: true,
            ..opts()
        },
    );
    k.one(
        &["get", "pods", "-L", "app.kubernetes.io/name", "-L", "run"],
        pods,
        TablePrintOptions {
            label_columns: vec!["app.kubernetes.io/name".into(), "run".into()],
            ..opts()
        },
    );
    k.one(&["get", "pods", "-A"], "/api/v1/pods", all_ns.clone());
    k.one(
        &["get", "pods", "-A", "-o", "wide", "--show-labels"],
        "/api/v1/pods",
        TablePrintOptions {
            with_namespace: true,
            wide: true,
            show_labels: true,
            ..opts()
        },
    );
    k.one(
        &["get", "pods", "-n", "kube-system", "-o", "wide"],
        "/api/v1/namespaces/kube-system/pods",
        wide.clone(),
    );
    k.one(&["get", "nodes"], "/api/v1/nodes", opts());
    k.one(
        &["get", "nodes", "-o", "wide"],
        "/api/v1/nodes",
        wide.clone(),
    );
    k.one(
        &["get", "nodes", "-A", "--show-labels"],
        "/api/v1/nodes",
        TablePrintOptions {
            show_labels: true,
            ..opts()
        },
    );
    k.one(&["get", "namespaces"], "/api/v1/namespaces", opts());
    k.one(
        &["get", "svc", "-o", "wide"],
        "/api/v1/namespaces/default/services",
        wide.clone(),
    );
    k.one(
        &["get", "services", "-A"],
        "/api/v1/services",
        all_ns.clone(),
    );
    k.one(
        &["get", "endpoints"],
        "/api/v1/namespaces/default/endpoints",
        opts(),
    );
    k.one(
        &["get", "ep", "-A", "-o", "wide"],
        "/api/v1/endpoints",
        TablePrintOptions {
            wide: true,
            with_namespace: true,
            ..opts()
        },
    );
    k.one(
        &["get", "endpointslices", "-A"],
        "/apis/discovery.k8s.io/v1/endpointslices",
        all_ns.clone(),
    );
    k.one(
        &["get", "deploy", "-o", "wide"],
        "/apis/apps/v1/namespaces/default/deployments",
        wide.clone(),
    );
    k.one(
        &["get", "rs", "-o", "wide"],
        "/apis/apps/v1/namespaces/default/replicasets",
        wide.clone(),
    );
    k.one(
        &["get", "ds", "-A", "-o", "wide"],
        "/apis/apps/v1/daemonsets",
        TablePrintOptions {
            wide: true,
            with_namespace: true,
            ..opts()
        },
    );
    k.one(
        &["get", "ds", "-n", "kube-system"],
        "/apis/apps/v1/namespaces/kube-system/daemonsets",
        opts(),
    );
    k.one(
        &["get", "events"],
        "/api/v1/namespaces/default/events",
        opts(),
    );
    k.one(
        &["get", "events", "-o", "wide"],
        "/api/v1/namespaces/default/events",
        wide.clone(),
    );
    k.one(&["get", "events", "-A"], "/api/v1/events", all_ns);
    k.one(
        &["get", "events", "-n", "team-a", "-o", "wide"],
        "/api/v1/namespaces/team-a/events",
        wide,
    );
    k.one(
        &["get", "leases", "-n", "kube-node-lease"],
        "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases",
        opts(),
    );
    k.one(
        &["get", "cm", "--show-labels"],
        "/api/v1/namespaces/default/configmaps",
        TablePrintOptions {
            show_labels: true,
            ..opts()
        },
    );
    k.one(
        &["get", "secrets"],
        "/api/v1/namespaces/default/secrets",
        opts(),
    );
    k.one(
        &["get", "sa"],
        "/api/v1/namespaces/default/serviceaccounts",
        opts(),
    );

    // --sort-by: kubectl asks for whole objects and sorts the rows itself.
    for (path, key) in [
        (pods, ".status.podIP"),
        (pods, "{.metadata.creationTimestamp}"),
        ("/api/v1/pods", ".spec.nodeName"),
        ("/api/v1/nodes", ".metadata.name"),
        ("/api/v1/pods", ".status.phase"),
        ("/api/v1/pods", ".metadata.namespace"),
        ("/api/v1/pods", ".status.containerStatuses[0].restartCount"),
        (
            "/api/v1/namespaces/bulk/configmaps",
            ".metadata.labels.group",
        ),
        (
            "/api/v1/namespaces/bulk/configmaps",
            ".metadata.labels.size",
        ),
        (
            "/api/v1/namespaces/bulk/configmaps",
            "{.metadata.creationTimestamp}",
        ),
        ("/api/v1/namespaces/bulk/configmaps", ".metadata.name"),
        ("/api/v1/namespaces/bulk/configmaps", ".metadata.labels.mem"),
    ] {
        let mut sorted = k.routes.get(&format!("{path}#object")).clone();
        sort_rows_by(&mut sorted, &|o| simple_path(o, key));
        let all = path == "/api/v1/pods";
        let o = TablePrintOptions {
            with_namespace: all,
            ..opts()
        };
        let resource = path.rsplit('/').next().unwrap_or("pods");
        let mut args = vec!["get", resource, "--sort-by", key];
        if path.contains("/bulk/") {
            args.extend(["-n", "bulk"]);
        }
        if all {
            args.push("-A");
        }
        k.check(&args, &print_table(&sorted, &o), "");
    }

    // Several types in one command: kind-prefixed names, a blank line between tables.
    let deploy = k
        .routes
        .get("/apis/apps/v1/namespaces/default/deployments")
        .clone();
    let svc = k.routes.get("/api/v1/namespaces/default/services").clone();
    let with_kind = |kind: &str, base: &TablePrintOptions| TablePrintOptions {
        with_kind_prefix: Some(kind.to_string()),
        ..base.clone()
    };
    let want = print_tables(&[
        (&deploy, &with_kind("deployment.apps", &opts())),
        (&svc, &with_kind("service", &opts())),
    ]);
    k.check(&["get", "deploy,svc"], &want, "");
    let nh = TablePrintOptions {
        no_headers: true,
        ..opts()
    };
    let want = print_tables(&[
        (&deploy, &with_kind("deployment.apps", &nh)),
        (&svc, &with_kind("service", &nh)),
    ]);
    k.check(&["get", "deploy,svc", "--no-headers"], &want, "");
    let routes_copy = Routes(k.routes.0.clone());
    let r = |p: &str| routes_copy.get(p).clone();
    let (p, s, d, dep, rs) = (
        r(pods),
        svc,
        r("/apis/apps/v1/namespaces/default/daemonsets"),
        deploy,
        r("/apis/apps/v1/namespaces/default/replicasets"),
    );
    let (po, so, dso, deo, rso) = (
        with_kind("pod", &opts()),
        with_kind("service", &opts()),
        with_kind("daemonset.apps", &opts()),
        with_kind("deployment.apps", &opts()),
        with_kind("replicaset.apps", &opts()),
    );
    let want = print_tables(&[(&p, &po), (&s, &so), (&d, &dso), (&dep, &deo), (&rs, &rso)]);
    k.check(&["get", "all"], &want, "");
    let (pa, sa, da, dea, rsa) = (
        r("/api/v1/pods"),
        r("/api/v1/services"),
        r("/apis/apps/v1/daemonsets"),
        r("/apis/apps/v1/deployments"),
        r("/apis/apps/v1/replicasets"),
    );
    let w = |kind: &str| TablePrintOptions {
        with_namespace: true,
        wide: true,
        ..with_kind(kind, &opts())
    };
    let (po, so, dso, deo, rso) = (
        w("pod"),
        w("service"),
        w("daemonset.apps"),
        w("deployment.apps"),
        w("replicaset.apps"),
    );
    let want = print_tables(&[
        (&pa, &po),
        (&sa, &so),
        (&da, &dso),
        (&dea, &deo),
        (&rsa, &rso),
    ]);
    k.check(&["get", "all", "-A", "-o", "wide"], &want, "");

    // Named objects: one Table each, one header and one alignment per type.
    let one = |k: &Oracle, name: &str| {
        k.routes
            .get(&format!("/api/v1/namespaces/default/pods/{name}"))
            .clone()
    };
    let (a, b, c) = (
        one(&k, "myapp-pod"),
        one(&k, "too-big"),
        one(&k, "web-5d8f7c9b6-9bxlj"),
    );
    let w = TablePrintOptions {
        wide: true,
        ..opts()
    };
    let want = print_tables(&[(&a, &w), (&b, &w), (&c, &w)]);
    k.check(
        &[
            "get",
            "pods",
            "myapp-pod",
            "too-big",
            "web-5d8f7c9b6-9bxlj",
            "-o",
            "wide",
        ],
        &want,
        "",
    );
    let web = k
        .routes
        .get("/api/v1/namespaces/default/services/web")
        .clone();
    let (pk, sk) = (with_kind("pod", &opts()), with_kind("service", &opts()));
    let want = print_tables(&[(&a, &pk), (&b, &pk), (&web, &sk)]);
    k.check(
        &["get", "pod/myapp-pod", "pod/too-big", "svc/web"],
        &want,
        "",
    );

    // Nothing to print: the message goes to stderr.
    k.check(
        &["get", "configmaps", "-n", "team-a"],
        "",
        &no_resources_found(Some("team-a")),
    );
    k.check(&["get", "configmaps", "-A"], "", &no_resources_found(None));
    k.check(&["get", "ds"], "", &no_resources_found(Some("default")));
    k.finish();
}
