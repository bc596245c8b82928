//! `explain`: the real kubectl renders `kubelite serve`'s OpenAPI v3 documents; kubelite
//! renders the same documents fetched from the same server (remote) and its embedded API
//! server's own (offline): the same bytes and exit codes, errors included.

use super::support::{Run, Server, TempDir, kubectl_available, kubelite};

fn kubelite_remote(server: &Server, cache: &TempDir, args: &[&str]) -> Run {
    let mut all = vec!["--cache-dir", cache.0.to_str().expect("utf-8")];
    all.extend_from_slice(args);
    kubelite(&server.home.0, false, &all)
}

/// Each case's arguments, and a line kubectl's stdout (exit 0) or stderr (else) must
/// hold, so that two empty outputs never pass for a match.
const CASES: &[(&[&str], &str)] = &[
    (
        &["explain", "pod.spec.containers.image"],
        "FIELD: image <string>",
    ),
    (
        &["explain", "deployment", "--recursive"],
        "        maxSurge\t<string>",
    ),
    (
        &["explain", "pods.spec"],
        "  containers\t<[]Container> -required-",
    ),
    (
        &["explain", "svc.spec.ports"],
        "  port\t<integer> -required-",
    ),
    (&["explain", "pods"], "  spec\t<PodSpec>"),
    (
        &["explain", "pods", "--recursive"],
        "      ports\t<[]ContainerPort>",
    ),
    (
        &["explain", "deployments.apps.spec.strategy"],
        "FIELD: strategy <DeploymentStrategy>",
    ),
    (&["explain", "pods.spec.containers.ports.protocol"], "ENUM:"),
    (
        &["explain", "pod.spec.containers.resources.limits"],
        "FIELD: limits <map[string]string>",
    ),
    (
        &["explain", "svc.spec", "--api-version=v1"],
        "  type\t<string>",
    ),
    (&["explain", "node", "--recursive"], "KIND:       Node"),
    (&["explain", "cm"], "  data\t<map[string]string>"),
    (
        &["explain", "endpointslices", "--recursive"],
        "GROUP:      discovery.k8s.io",
    ),
    (
        &["explain", "lease.spec"],
        "GROUP:      coordination.k8s.io",
    ),
    (
        &["explain", "ds.spec.updateStrategy.type"],
        "    RollingUpdate",
    ),
    (&["explain", "pods."], "DESCRIPTION:"),
    (&["explain", "pods.status.phase"], "    Succeeded"),
    (
        &["explain", "pod.spec.containers.livenessProbe"],
        "FIELD: livenessProbe <Probe>",
    ),
    (
        &["explain", "deploy.status"],
        "  availableReplicas\t<integer>",
    ),
    // Errors.
    (
        &["explain", "pod.spec.foo"],
        "error: field \"foo\" does not exist",
    ),
    (
        &["explain", "pod.spec.foo.bar"],
        "error: field \"bar\" does not exist",
    ),
    (
        &["explain", "deployments.v1.apps"],
        "error: field \"apps\" does not exist",
    ),
    (
        &["explain", "foo"],
        "the server doesn't have a resource type \"foo\"",
    ),
    (
        &["explain"],
        "error: You must specify the type of resource to explain.",
    ),
    (
        &["explain", "a", "b"],
        "error: We accept only this format: explain RESOURCE",
    ),
    (
        &["explain", "pods", "--output=yaml"],
        "error: unrecognized format: yaml",
    ),
    (
        &["explain", "pods", "--api-version=apps/v1"],
        "error: GVR (apps/v1, Resource=pods) not found in OpenAPI schema",
    ),
    (
        &["explain", "pods", "--api-version=v2"],
        "error: couldn't find resource for \"/v2, Resource=pods\"",
    ),
    (
        &["explain", "pods", "--api-version=a/b/c"],
        "error: unexpected GroupVersion string: a/b/c",
    ),
    (
        &["explain", "pods", "--output=plaintext-openapiv2"],
        "Error from server (NotFound)",
    ),
];

#[test]
fn explain_matches_kubectl_remote_and_embedded() {
    require_kubectl!();
    let server = Server::start(false);
    let cache = TempDir::new("explain-cache");
    let embedded = TempDir::new("explain-home");
    for (args, expect) in CASES {
        let want = server.kubectl(args);
        let shown = if want.code == 0 {
            &want.stdout
        } else {
            &want.stderr
        };
        assert!(
            shown.contains(expect),
            "kubectl {args:?} (exit {}) shows {expect:?}:\n{}{}",
            want.code,
            want.stdout,
            want.stderr
        );
        for (what, got) in [
            ("remote", kubelite_remote(&server, &cache, args)),
            ("embedded", kubelite(&embedded.0, false, args)),
        ] {
            assert_eq!(got.stdout, want.stdout, "{what} {args:?}: stdout");
            assert_eq!(got.stderr, want.stderr, "{what} {args:?}: stderr");
            assert_eq!(got.code, want.code, "{what} {args:?}: exit code");
        }
    }
}

#[test]
fn the_descriptions_are_kubelites_own() {
    require_kubectl!();
    let server = Server::start(false);
    let out = server.kubectl(&["explain", "pods"]).ok("explain pods");
    assert!(
        out.contains("A group of one or more containers that share a network namespace"),
        "{out}"
    );
    // A field without a description of ours has none, as kubectl shows it.
    let spec = server
        .kubectl(&["explain", "svc.spec"])
        .ok("explain svc.spec");
    assert!(
        spec.contains("  allocateLoadBalancerNodePorts\t<boolean>\n    <no description>\n"),
        "{spec}"
    );
}
