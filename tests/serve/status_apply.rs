//! Server-side apply through the status subresource (`kubectl apply --server-side
//! --subresource=status`): the real kubectl against `kubelite serve`. Only the status is
//! taken, the applier's managedFields entry names the subresource, and kubectl's follow-up
//! requests on the subresource (a JSON patch migrating client-side-apply ownership) are
//! answered as kube-apiserver answers them.

use super::support::{Server, kubectl_available, kubelite, manifest, same};

const STATUS: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec: {replicas: 7}
status:
  conditions:
  - {type: Custom, status: \"True\", reason: Mine, message: set by apply, lastTransitionTime: \"2026-01-01T00:00:00Z\"}
";

const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: csa, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: csa}}
  template:
    metadata: {labels: {app: csa}}
    spec: {containers: [{name: c, image: nginx}]}
";

#[test]
fn apply_to_the_status_subresource_takes_only_the_status() {
    if !kubectl_available() {
        return;
    }
    let server = Server::start(true);
    let dir = super::support::TempDir::new("status-apply");
    let created = server.kubectl(&["create", "deployment", "web", "--image=nginx"]);
    assert_eq!(created.code, 0, "{}", created.stderr);
    let file = manifest(&dir.0, "status.yaml", STATUS);
    let file = file.to_str().unwrap();
    let applied = server.kubectl(&["apply", "--server-side", "--subresource=status", "-f", file]);
    assert_eq!(
        (
            applied.stdout.as_str(),
            applied.stderr.as_str(),
            applied.code
        ),
        ("deployment.apps/web serverside-applied\n", "", 0)
    );
    let got = server.kubectl(&[
        "get",
        "deployment",
        "web",
        "-o",
        r#"jsonpath={.spec.replicas} {.status.conditions[?(@.type=="Custom")].message}"#,
    ]);
    assert_eq!(got.stdout, "1 set by apply");
    let entry = server.kubectl(&[
        "get",
        "deployment",
        "web",
        "--show-managed-fields",
        "-o",
        r#"jsonpath={range .metadata.managedFields[?(@.operation=="Apply")]}{.manager} {.subresource} {.fieldsV1}{end}"#,
    ]);
    assert_eq!(
        entry.stdout,
        r#"kubectl status {"f:status":{"f:conditions":{"k:{\"type\":\"Custom\"}":{".":{},"f:lastTransitionTime":{},"f:message":{},"f:reason":{},"f:status":{},"f:type":{}}}}}"#
    );

    // No object: nothing to take the status of.
    let gone = manifest(
        &dir.0,
        "gone.yaml",
        &STATUS.replace("name: web", "name: gone"),
    );
    let missing = server.kubectl(&[
        "apply",
        "--server-side",
        "--subresource=status",
        "-f",
        gone.to_str().unwrap(),
    ]);
    assert_eq!(missing.code, 1);
    assert_eq!(
        missing.stderr,
        "Error from server (NotFound): deployments.apps \"gone\" not found\n"
    );

    // An object made by client-side apply: kubectl's JSON patch of the subresource that
    // migrates ownership is accepted (no warning).
    let csa = manifest(&dir.0, "csa.yaml", DEPLOYMENT);
    let made = server.kubectl(&["apply", "-f", csa.to_str().unwrap()]);
    assert_eq!(made.code, 0, "{}", made.stderr);
    let status = manifest(
        &dir.0,
        "csa-status.yaml",
        &STATUS.replace("name: web", "name: csa"),
    );
    let applied = server.kubectl(&[
        "apply",
        "--server-side",
        "--subresource=status",
        "-f",
        status.to_str().unwrap(),
    ]);
    assert_eq!(
        (
            applied.stdout.as_str(),
            applied.stderr.as_str(),
            applied.code
        ),
        ("deployment.apps/csa serverside-applied\n", "", 0)
    );
}

/// `apply --subresource` through kubelite's own CLI, through serve and on an embedded
/// cluster, prints what the real kubectl prints against serve, step by step (taken, refused
/// without --server-side, refused where the kind has no such subresource).
#[test]
fn apply_subresource_prints_as_kubectl() {
    if !kubectl_available() {
        return;
    }
    let theirs = Server::start(true);
    let ours = Server::start(true);
    let embedded = super::support::TempDir::new("status-apply-embedded");
    let dir = super::support::TempDir::new("status-apply-files");
    let file = |name: &str, text: &str| {
        manifest(&dir.0, name, text)
            .to_str()
            .expect("utf-8")
            .to_string()
    };
    let status = file("status.yaml", STATUS);
    let gone = file("gone.yaml", &STATUS.replace("name: web", "name: gone"));
    let cm = file(
        "cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {a: b}\n",
    );
    let conditions =
        r#"jsonpath={.spec.replicas} {.status.conditions[?(@.type=="Custom")].message}"#;
    let steps: &[&[&str]] = &[
        &["create", "deployment", "web", "--image=nginx"],
        &["create", "-f", &cm],
        &["apply", "--subresource=status", "-f", &status],
        &[
            "apply",
            "--server-side",
            "--subresource=status",
            "-f",
            &status,
            "--dry-run=server",
        ],
        &["get", "deployment", "web", "-o", conditions],
        &[
            "apply",
            "--server-side",
            "--subresource=status",
            "-f",
            &status,
        ],
        &["get", "deployment", "web", "-o", conditions],
        &[
            "apply",
            "--server-side",
            "--subresource=status",
            "-f",
            &gone,
        ],
        &["apply", "--server-side", "--subresource=status", "-f", &cm],
        &[
            "apply",
            "--server-side",
            "--subresource=nothing",
            "-f",
            &status,
        ],
        &[
            "apply",
            "--server-side",
            "--subresource=scale",
            "-f",
            &status,
        ],
        &["apply", "--server-side", "--subresource=", "-f", &cm],
    ];
    for args in steps {
        let want = theirs.kubectl(args);
        let through = kubelite(&ours.home.0, true, args);
        same("through serve", &through, &want, args);
        let offline = kubelite(&embedded.0, true, args);
        same("embedded", &offline, &want, args);
    }
    let refused = theirs.kubectl(steps[2]);
    assert_eq!(
        (refused.stderr.as_str(), refused.code),
        (
            "error: --subresource can only be specified for --server-side\n",
            1
        )
    );
    assert_eq!(
        theirs
            .kubectl(&["get", "deployment", "web", "-o", conditions])
            .stdout,
        "1 set by apply"
    );
}
