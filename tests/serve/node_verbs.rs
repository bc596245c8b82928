//! `cordon`, `uncordon` and `taint`: the real kubectl against one `kubelite serve`, kubelite
//! against a second one (remote mode) and against an embedded cluster, step by step. Each
//! step must print the same bytes, exit the same way and leave the nodes the same.

use super::support::{Run, Server, TempDir, kubectl_available, kubelite};
use std::time::{Duration, Instant};

/// The steps, each a command line without the program name (one a line, so unformatted).
#[rustfmt::skip]
const STEPS: &[&[&str]] = &[
    &["cordon"],
    &["cordon", "node01", "-l", "a=b"],
    &["cordon", "node01"],
    &["cordon", "node01"],
    &["cordon", "node01", "node02", "--dry-run"],
    &["cordon", "node02", "--dry-run=server"],
    &["cordon", "nope", "node02"],
    &["cordon", "--dry-run=bogus", "node01"],
    &["uncordon", "node/node01"],
    &["uncordon", "node01"],
    &["cordon", "-l", "kubernetes.io/hostname=node02"],
    &["cordon", "-l", "nomatch=x"],
    &["uncordon", "-l", "kubernetes.io/hostname=node02"],
    &["taint", "nodes", "node01", "a=b:NoSchedule"],
    &["taint", "nodes", "node01", "a=b:NoSchedule"],
    &["taint", "nodes", "node01", "a=c:NoSchedule", "--overwrite"],
    &["taint", "node", "node01", "x:NoExecute", "y=1:PreferNoSchedule"],
    &["taint", "nodes", "node01", "a-"],
    &["taint", "nodes", "node01", "a-"],
    &["taint", "node", "node01", "zz:NoSchedule-", "yy-"],
    &["taint", "nodes", "node01", "x:NoExecute-", "y-"],
    &["taint", "nodes", "--all", "q=1:PreferNoSchedule", "--dry-run=client"],
    // Whole nodes carry each cluster's own times and versions: their taints are compared.
    &["taint", "nodes", "--all", "q=1:PreferNoSchedule", "--dry-run=client", "-o", "jsonpath={.kind} {.spec.taints}"],
    &["taint", "nodes", "node01", "o=1:NoSchedule", "-o", "name"],
    &["taint", "nodes", "node01", "o-", "-o", "jsonpath={.spec.taints}"],
    // kubectl makes its printer after the patch: the taint is set, then -o refused.
    &["taint", "nodes", "node01", "o=1:NoSchedule", "-o", "wide"],
    &["taint", "nodes", "node01", "o-", "--dry-run=client", "-o", "jsonpath-as-json={.spec}"],
    &["taint", "nodes", "node01", "o-", "--template={{.metadata.name}}"],
    &["taint", "nodes", "--all", "q=1:PreferNoSchedule"],
    &["taint", "no", "-l", "kubernetes.io/hostname=node02", "q:PreferNoSchedule-", "--dry-run=server"],
    &["taint", "nodes", "-l", "kubernetes.io/os=linux", "q-"],
    &["taint", "nodes", "node01"],
    &["taint", "nodes", "node01", "a=b"],
    &["taint", "nodes", "node01", "a=b:Bad"],
    &["taint", "nodes", "node01", "a=b c:NoSchedule"],
    &["taint", "pods", "node01", "a=b:NoSchedule"],
    &["taint", "node01", "a=b:NoSchedule"],
    &["taint", "nodes", "node01", "a=b:NoSchedule", "a-"],
    &["taint", "nodes", "node01", "a=b:NoSchedule", "b"],
    &["taint", "nodes", "node01", "--all", "a=b:NoSchedule", "-l", "x=y"],
    &["taint", "nodes", "a=b:NoSchedule"],
    &["taint", "nodes", "node01", "a=b:NoSchedule", "a=c:NoSchedule"],
    &["taint", "nodes", "nope", "a=b:NoSchedule"],
];

/// klog's header (`W1206 05:35:01.119420    5246 `) carries the time and process id.
pub(super) fn normalized(stderr: &str) -> String {
    stderr
        .lines()
        .map(|l| match l.split_once("] ") {
            Some((head, rest)) if head.starts_with(['W', 'E', 'I']) && head.contains(".go:") => {
                format!("{}] {rest}", &head[..1])
            }
            _ => l.to_string(),
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Every node's name, `unschedulable` and taints, one line each; the times taints were
/// added (by the node lifecycle controller) are left out.
fn node_state(get: impl Fn(&[&str]) -> Run) -> String {
    let text = get(&[
        "get",
        "nodes",
        "-o",
        "jsonpath={range .items[*]}{.metadata.name} {.spec.unschedulable} {.spec.taints}{\"\\n\"}{end}",
    ])
    .ok("read the nodes");
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find(",\"timeAdded\":\"") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 14..];
        rest = &after[after.find('"').map_or(after.len(), |i| i + 1)..];
    }
    out.push_str(rest);
    out
}

/// The nodes' states (`node_state`) of the oracle's serve and of kubelite on `home`, read
/// until they agree or 30 s passed: each serve's node lifecycle controller acts in its own
/// time (a taint follows `unschedulable` a settle later), so the states must meet, within
/// a bound.
pub(super) fn nodes_met(oracle: &Server, home: &std::path::Path) -> (String, String) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let want = node_state(|a| oracle.kubectl(a));
        let got = node_state(|a| kubelite(home, false, a));
        if want == got || Instant::now() > deadline {
            return (want, got);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn same(step: &str, what: &str, want: &str, got: &str) {
    assert_eq!(
        want, got,
        "{step}: {what} differs (left kubectl, right kubelite)"
    );
}

#[test]
fn cordon_uncordon_taint_match_kubectl() {
    require_kubectl!();
    let oracle = Server::start(false);
    let served = Server::start(false);
    let embedded = TempDir::new("embedded");
    oracle.wait_until_settled();
    served.wait_until_settled();
    for step in STEPS {
        let line = step.join(" ");
        let want = oracle.kubectl(step);
        oracle.wait_until_settled();
        for (mode, home) in [("serve", &served.home.0), ("embedded", &embedded.0)] {
            let got = kubelite(home, false, step);
            if mode == "serve" {
                served.wait_until_settled();
            }
            let step = format!("{mode}: {line}");
            same(&step, "stdout", &want.stdout, &got.stdout);
            same(
                &step,
                "stderr",
                &normalized(&want.stderr),
                &normalized(&got.stderr),
            );
            same(
                &step,
                "exit code",
                &want.code.to_string(),
                &got.code.to_string(),
            );
            let (want_nodes, got_nodes) = nodes_met(&oracle, home);
            same(&step, "nodes", &want_nodes, &got_nodes);
        }
    }
}

/// A deployment of four and one pod that tolerates `k` (NoExecute), pinned to node02.
const WORKLOAD: &str = "apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: patient}
spec:
  nodeName: node02
  tolerations: [{key: k, operator: Exists, effect: NoExecute}]
  containers: [{name: c, image: nginx}]
";

/// Every pod in `default` as (name, node), the node empty while unbound.
fn placements(home: &std::path::Path) -> Vec<(String, String)> {
    let text = kubelite(
        home,
        false,
        &[
            "get",
            "pods",
            "-o",
            "jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName}{\"\\n\"}{end}",
        ],
    )
    .ok("list the pods");
    text.lines()
        .map(|l| {
            let (name, node) = l.split_once(' ').unwrap_or((l, ""));
            (name.to_string(), node.to_string())
        })
        .collect()
}

fn web(pods: &[(String, String)]) -> Vec<(String, String)> {
    pods.iter()
        .filter(|(name, _)| name.starts_with("web-"))
        .cloned()
        .collect()
}

/// The embedded cluster's scheduler and taint eviction honour what the verbs write: a
/// cordoned node gets no new pods, a NoExecute taint removes the pods that do not tolerate
/// it (their replacements then have nowhere to go), and uncordoning lets them in again.
#[test]
fn embedded_scheduler_honours_cordon_and_taints() {
    let home = TempDir::new("embedded-nodes");
    let dir = TempDir::new("workload");
    let file = super::support::manifest(&dir.0, "web.yaml", WORKLOAD);
    let run = |args: &[&str]| kubelite(&home.0, false, args).ok(&args.join(" "));
    assert_eq!(run(&["cordon", "node01"]), "node/node01 cordoned\n");
    run(&["create", "-f", file.to_str().expect("utf-8 path")]);

    let before = placements(&home.0);
    let first = web(&before);
    assert_eq!(first.len(), 4, "{before:?}");
    assert!(
        first.iter().all(|(_, node)| node == "node02"),
        "a pod went elsewhere than node02 (node01 is cordoned, master tainted): {before:?}"
    );

    assert_eq!(
        run(&["taint", "nodes", "node02", "k=v:NoExecute"]),
        "node/node02 tainted\n"
    );
    let after = placements(&home.0);
    assert!(
        after.contains(&("patient".to_string(), "node02".to_string())),
        "the tolerating pod was evicted: {after:?}"
    );
    let second = web(&after);
    assert_eq!(second.len(), 4, "{after:?}");
    for (name, node) in &second {
        assert!(
            !first.iter().any(|(n, _)| n == name),
            "{name} does not tolerate k:NoExecute yet was not evicted: {after:?}"
        );
        assert_eq!(
            node, "",
            "{name} was placed on a cordoned or tainted node: {after:?}"
        );
    }
    let events = run(&[
        "get",
        "events",
        "--field-selector",
        "reason=TaintManagerEviction",
    ]);
    assert_eq!(events.lines().count(), 1 + 4, "{events}");

    assert_eq!(run(&["uncordon", "node01"]), "node/node01 uncordoned\n");
    let last = placements(&home.0);
    let third = web(&last);
    assert_eq!(third.len(), 4, "{last:?}");
    assert!(
        third.iter().all(|(_, node)| node == "node01"),
        "the pending pods did not move to the uncordoned node01: {last:?}"
    );
}
