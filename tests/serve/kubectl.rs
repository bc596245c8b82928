//! The real kubectl against `kubelite serve`: what it prints and how it exits.

use super::support::{MULTI, POD_JSON, Server, TempDir, kubectl_available, kubelite, manifest};
use serde_json::Value;
use std::time::Duration;

#[test]
fn version_api_resources_and_health() {
    require_kubectl!();
    let s = Server::start(false);
    let out = s.kubectl(&["version"]).ok("version");
    assert!(out.contains("Server Version: v1.32.2\n"), "{out}");
    let out = s.kubectl(&["version", "-o", "json"]).ok("version -o json");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["serverVersion"]["minor"], "32");
    let out = s.kubectl(&["api-resources"]).ok("api-resources");
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("NAME ") && lines[0].ends_with("KIND"),
        "{out}"
    );
    for (name, short, version, kind) in [
        ("pods", "po", "v1", "Pod"),
        ("nodes", "no", "v1", "Node"),
        ("deployments", "deploy", "apps/v1", "Deployment"),
        ("services", "svc", "v1", "Service"),
    ] {
        assert!(
            lines.iter().any(|l| {
                let w: Vec<&str> = l.split_whitespace().collect();
                w.first() == Some(&name)
                    && w.get(1) == Some(&short)
                    && w.get(2) == Some(&version)
                    && w.last() == Some(&kind)
            }),
            "{name} missing:\n{out}"
        );
    }
    let out = s.kubectl(&["get", "--raw", "/healthz"]).ok("healthz");
    assert_eq!(out, "ok");
    let out = s.kubectl(&["get", "--raw", "/readyz"]).ok("readyz");
    assert_eq!(out, "ok");
}

#[test]
fn create_get_describe_delete() {
    require_kubectl!();
    let s = Server::start(false);
    let dir = TempDir::new("manifests");
    let multi = manifest(&dir.0, "multi.yaml", MULTI);
    let multi = multi.to_str().expect("path");
    let run = s.kubectl(&["create", "-f", multi]);
    assert_eq!(
        run.stdout,
        "deployment.apps/web created\nservice/web created\npod/db created\n"
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));

    // Duplicates: each document fails on its own, errors after the successes, exit 1.
    let run = s.kubectl(&["create", "-f", multi]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        format!(
            "Error from server (AlreadyExists): error when creating \"{multi}\": deployments.apps \"web\" already exists\n\
             Error from server (AlreadyExists): error when creating \"{multi}\": services \"web\" already exists\n\
             Error from server (AlreadyExists): error when creating \"{multi}\": pods \"db\" already exists\n"
        )
    );

    // JSON into another namespace.
    let json = manifest(&dir.0, "pod.json", POD_JSON);
    let out = s
        .kubectl(&[
            "create",
            "-f",
            json.to_str().expect("path"),
            "-n",
            "kube-public",
        ])
        .ok("create json");
    assert_eq!(out, "pod/cache created\n");

    // Table output, from the server's Tables. The control plane runs beside the API at a
    // lower priority, so on a busy machine the pods may need a moment to start.
    let started = |out: &str| {
        out.lines()
            .any(|l| l.starts_with("db ") && l.contains("Running"))
            && out
                .lines()
                .any(|l| l.starts_with("web-") && l.contains("Running"))
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let mut out = s.kubectl(&["get", "pods"]).ok("get pods");
    while !started(&out) && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
        out = s.kubectl(&["get", "pods"]).ok("get pods");
    }
    let lines: Vec<&str> = out.lines().collect();
    // db, and the web Deployment's pods, which the control plane has started.
    assert!(lines[0].starts_with("NAME "), "{out}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("db ") && l.contains("Running")),
        "{out}"
    );
    assert!(
        lines
            .iter()
            .filter(|l| l.starts_with("web-") && l.contains("Running"))
            .count()
            >= 1,
        "{out}"
    );
    let out = s
        .kubectl(&["get", "pods", "-o", "wide"])
        .ok("get pods -o wide");
    assert!(
        out.lines()
            .next()
            .is_some_and(|l| l.contains("NOMINATED NODE") && l.ends_with("READINESS GATES")),
        "{out}"
    );
    let out = s.kubectl(&["get", "pods", "-A"]).ok("get pods -A");
    assert!(out.starts_with("NAMESPACE     NAME"), "{out}");
    assert!(
        out.lines().any(|l| l.starts_with("kube-public   cache ")),
        "{out}"
    );
    assert!(
        out.lines().any(|l| l.starts_with("default       db ")),
        "{out}"
    );

    let out = s
        .kubectl(&["get", "pods", "-A", "-l", "tier=backend", "-o", "name"])
        .ok("-l");
    assert_eq!(out, "pod/cache\n");
    let out = s
        .kubectl(&[
            "get",
            "pods",
            "-A",
            "--field-selector",
            "metadata.namespace=default",
            "-o",
            "name",
        ])
        .ok("--field-selector");
    // db, then the web Deployment's pods.
    assert!(
        out.starts_with("pod/db\n") && out.lines().skip(1).all(|l| l.starts_with("pod/web-")),
        "{out}"
    );
    let out = s
        .kubectl(&["get", "all", "-o", "name"])
        .ok("get all -o name");
    for name in [
        "pod/db",
        "service/kubernetes",
        "service/web",
        "deployment.apps/web",
    ] {
        assert!(
            out.lines().any(|l| l == name),
            "{name} missing from:\n{out}"
        );
    }
    let out = s.kubectl(&["get", "pod", "db", "-o", "yaml"]).ok("-o yaml");
    assert!(
        out.starts_with("apiVersion: v1\nkind: Pod\nmetadata:\n"),
        "{out}"
    );
    assert!(
        out.contains("\n  name: db\n  namespace: default\n"),
        "{out}"
    );
    let out = s
        .kubectl(&["get", "deploy", "web", "-o", "json"])
        .ok("-o json");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["kind"], "Deployment");
    assert_eq!(v["spec"]["replicas"], 2);
    let out = s
        .kubectl(&["get", "svc", "-o", "jsonpath={.items[*].metadata.name}"])
        .ok("jsonpath");
    assert_eq!(out, "kubernetes web");

    // describe: the object, its events, and what each describer fetches besides.
    let out = s.kubectl(&["describe", "pod", "db"]).ok("describe pod");
    assert!(
        out.starts_with("Name:             db\nNamespace:        default\n"),
        "{out}"
    );
    assert!(out.contains("\nContainers:\n  postgres:\n"), "{out}");
    let out = s
        .kubectl(&["describe", "node", "master"])
        .ok("describe node");
    assert!(out.starts_with("Name:               master\n"), "{out}");
    assert!(out.contains("Non-terminated Pods:"), "{out}");
    let out = s
        .kubectl(&["describe", "deployment", "web"])
        .ok("describe deployment");
    assert!(
        out.starts_with("Name:                   web\nNamespace:              default\n"),
        "{out}"
    );
    assert!(out.contains("Replicas:               2 desired"), "{out}");
    let out = s
        .kubectl(&["describe", "service", "web"])
        .ok("describe service");
    assert!(
        out.starts_with("Name:                     web\nNamespace:                default\n"),
        "{out}"
    );
    let run = s.kubectl(&["describe", "pod", "nope"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (1, "Error from server (NotFound): pods \"nope\" not found\n")
    );

    // Missing objects.
    let run = s.kubectl(&["get", "pod", "nope"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (1, "Error from server (NotFound): pods \"nope\" not found\n")
    );
    let run = s.kubectl(&["get", "pods", "-n", "kube-node-lease"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""));
    assert_eq!(
        run.stderr,
        "No resources found in kube-node-lease namespace.\n"
    );

    // Writes kubectl makes with PATCH: merge (label, scale) and strategic merge (patch).
    let out = s.kubectl(&["label", "pod", "db", "tier=data"]).ok("label");
    assert_eq!(out, "pod/db labeled\n");
    let out = s
        .kubectl(&["scale", "deployment", "web", "--replicas=3"])
        .ok("scale");
    assert_eq!(out, "deployment.apps/web scaled\n");
    let patch =
        r#"{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.26"}]}}}}"#;
    let out = s
        .kubectl(&["patch", "deployment", "web", "-p", patch])
        .ok("patch");
    assert_eq!(out, "deployment.apps/web patched\n");
    let out = s
        .kubectl(&["get", "deploy", "web", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort}"])
        .ok("after patch");
    assert_eq!(out, "3 nginx:1.26 80");

    // delete waits until the object is gone.
    let out = s
        .kubectl(&["delete", "pod", "cache", "-n", "kube-public"])
        .ok("delete");
    assert_eq!(out, "pod \"cache\" deleted\n");
    let run = s.kubectl(&["get", "pod", "cache", "-n", "kube-public"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let out = s.kubectl(&["delete", "-f", multi]).ok("delete -f");
    assert_eq!(
        out,
        "deployment.apps \"web\" deleted\nservice \"web\" deleted\npod \"db\" deleted\n"
    );
    let run = s.kubectl(&["delete", "pod", "nope"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (1, "Error from server (NotFound): pods \"nope\" not found\n")
    );

    let run = s.kubectl(&["get", "events", "-A"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn watch_prints_changes_as_they_happen() {
    require_kubectl!();
    let s = Server::start(false);
    let dir = TempDir::new("watch");
    let pod = manifest(&dir.0, "pod.json", POD_JSON);
    let mut watcher = std::process::Command::new("kubectl")
        .arg("--kubeconfig")
        .arg(s.kubeconfig())
        .args([
            "--cache-dir",
            &TempDir::new("wcache").0.to_string_lossy(),
            "get",
            "pods",
            "-w",
            "-o",
            "name",
            "--request-timeout=0",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("kubectl get -w");
    std::thread::sleep(Duration::from_millis(1500));
    s.kubectl(&["create", "-f", pod.to_str().expect("path")])
        .ok("create");
    s.kubectl(&["label", "pod", "cache", "x=1"]).ok("label");
    s.kubectl(&["delete", "pod", "cache", "--wait=false"])
        .ok("delete");
    std::thread::sleep(Duration::from_millis(1500));
    // Still running: the server keeps watches open.
    assert!(
        watcher.try_wait().expect("wait").is_none(),
        "kubectl get -w ended early"
    );
    let _ = watcher.kill();
    let out = watcher.wait_with_output().expect("output");
    let out = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.len() >= 3, "{out}");
    assert!(lines.iter().all(|l| *l == "pod/cache"), "{out}");
}

/// The same cluster state printed by the real kubectl (through serve) and by kubelite's own
/// one-shot CLI (after serve stopped) must be the same bytes. The clock is fixed so that
/// ages agree too.
#[test]
fn kubectl_and_kubelite_print_the_same_bytes() {
    require_kubectl!();
    let mut s = Server::start(true);
    let dir = TempDir::new("same");
    let multi = manifest(&dir.0, "multi.yaml", MULTI);
    s.kubectl(&["create", "-f", multi.to_str().expect("path")])
        .ok("create");
    let json = manifest(&dir.0, "pod.json", POD_JSON);
    s.kubectl(&[
        "create",
        "-f",
        json.to_str().expect("path"),
        "-n",
        "kube-system",
    ])
    .ok("create json");
    // Let the control plane settle (it runs every second).
    s.wait_until_settled();
    let commands: Vec<Vec<&str>> = vec![
        vec!["get", "pods"],
        vec!["get", "pods", "-A"],
        vec!["get", "pods", "-A", "-o", "wide"],
        vec!["get", "pods", "-A", "--show-labels"],
        vec!["get", "nodes"],
        vec!["get", "nodes", "-o", "wide"],
        vec!["get", "deployments"],
        vec!["get", "services", "-A"],
        vec!["get", "namespaces"],
        vec!["get", "pods", "-A", "-o", "name"],
        vec!["get", "pod", "db", "-o", "yaml"],
        vec!["get", "pod", "db", "-o", "json"],
        vec!["get", "all"],
    ];
    let from_kubectl: Vec<String> = commands
        .iter()
        .map(|c| s.kubectl(c).ok(&c.join(" ")))
        .collect();
    assert_eq!(s.stop(), 0, "serve did not exit cleanly");
    assert!(
        !s.home.0.join("serve.json").exists(),
        "serve.json left behind"
    );
    for (c, expected) in commands.iter().zip(&from_kubectl) {
        let ours = kubelite(&s.home.0, true, c).ok(&c.join(" "));
        assert_eq!(
            &ours,
            expected,
            "kubelite {} differs from kubectl",
            c.join(" ")
        );
    }
}

/// While serve holds the store, kubelite's one-shot commands on the same home go to it over
/// HTTPS, and print what kubectl prints for the same state.
#[test]
fn kubelite_reaches_a_running_serve() {
    require_kubectl!();
    let s = Server::start(true);
    let dir = TempDir::new("remote");
    let multi = manifest(&dir.0, "multi.yaml", MULTI);
    let out = kubelite(
        &s.home.0,
        true,
        &["create", "-f", multi.to_str().expect("path")],
    )
    .ok("kubelite create");
    assert_eq!(
        out,
        "deployment.apps/web created\nservice/web created\npod/db created\n"
    );
    let run = kubelite(
        &s.home.0,
        true,
        &["create", "-f", multi.to_str().expect("path")],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("Error from server (AlreadyExists)"),
        "{}",
        run.stderr
    );
    std::thread::sleep(Duration::from_millis(1500));
    for c in [
        vec!["get", "pods", "-A"],
        vec!["get", "pods", "-A", "-o", "wide"],
        vec!["get", "deploy,svc", "-o", "wide"],
        vec!["get", "nodes", "--show-labels"],
        vec!["get", "pods", "-l", "app=db", "-o", "yaml"],
        vec!["describe", "pod", "db"],
        vec!["describe", "service", "web"],
        vec!["describe", "deployment", "web"],
    ] {
        // The control plane keeps running in serve: compare again (up to 10 s) if it moved
        // between the two reads. describe computes event ages on the client, from the wall
        // clock as kubectl does; get's ages come from the server's Tables.
        let mut attempt = 0;
        let (ours, theirs) = loop {
            let theirs = s.kubectl(&c).ok(&c.join(" "));
            let ours = kubelite(&s.home.0, c[0] != "describe", &c).ok(&c.join(" "));
            attempt += 1;
            if ours == theirs || attempt == 10 {
                break (ours, theirs);
            }
            std::thread::sleep(Duration::from_secs(1));
        };
        assert_eq!(
            ours,
            theirs,
            "kubelite {} differs from kubectl",
            c.join(" ")
        );
    }
    let out = kubelite(&s.home.0, true, &["delete", "pod", "db"]).ok("kubelite delete");
    assert_eq!(out, "pod \"db\" deleted\n");
    let run = s.kubectl(&["get", "pod", "db"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    // exec goes through serve too (pods/exec), and sees the deletion.
    let run = kubelite(&s.home.0, true, &["exec", "db", "--", "true"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "Error from server (NotFound): pods \"db\" not found\n"
    );
}

/// Client-side apply (create, unchanged, configured through a strategic merge patch) and
/// server-side apply.
#[test]
fn apply_client_and_server_side() {
    require_kubectl!();
    let s = Server::start(false);
    let dir = TempDir::new("apply");
    let first = manifest(&dir.0, "first.yaml", MULTI);
    let first = first.to_str().expect("path");
    let changed = MULTI
        .replace("replicas: 2", "replicas: 3")
        .replace("nginx:1.25", "nginx:1.26");
    let changed = manifest(&dir.0, "changed.yaml", &changed);
    let changed = changed.to_str().expect("path");
    let out = s.kubectl(&["apply", "-f", first]).ok("apply");
    assert_eq!(
        out,
        "deployment.apps/web created\nservice/web created\npod/db created\n"
    );
    let out = s.kubectl(&["apply", "-f", first]).ok("apply again");
    assert_eq!(
        out,
        "deployment.apps/web unchanged\nservice/web unchanged\npod/db unchanged\n"
    );
    let out = s.kubectl(&["apply", "-f", changed]).ok("apply changed");
    assert_eq!(
        out,
        "deployment.apps/web configured\nservice/web unchanged\npod/db unchanged\n"
    );
    let image = "jsonpath={.spec.replicas} {.spec.template.spec.containers[*].image} {.spec.template.spec.containers[*].ports[*].containerPort}";
    assert_eq!(
        s.kubectl(&["get", "deploy", "web", "-o", image]).ok("get"),
        "3 nginx:1.26 80"
    );
    // The client-side applier owns what it set: taking it over needs force.
    let out = s
        .kubectl(&["apply", "--server-side", "--force-conflicts", "-f", first])
        .ok("apply --server-side");
    assert_eq!(
        out,
        "deployment.apps/web serverside-applied\nservice/web serverside-applied\npod/db serverside-applied\n"
    );
    assert_eq!(
        s.kubectl(&["get", "deploy", "web", "-o", image]).ok("get"),
        "2 nginx:1.25 80"
    );
    s.kubectl(&["delete", "deploy", "web"]).ok("delete");
    let out = s
        .kubectl(&["apply", "--server-side", "-f", changed])
        .ok("server-side create");
    assert!(
        out.starts_with("deployment.apps/web serverside-applied\n"),
        "{out}"
    );
    assert_eq!(
        s.kubectl(&["get", "deploy", "web", "-o", image]).ok("get"),
        "3 nginx:1.26 80"
    );
}
