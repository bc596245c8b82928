//! API Priority and Fairness configuration (flowcontrol.apiserver.k8s.io/v1): the
//! FlowSchemas and PriorityLevelConfigurations kube-apiserver 1.32 keeps, their Dangling
//! condition, validation, and rows and descriptions the real kubectl and kubelite print alike.

use super::support::{FIXED_NOW, Server, TempDir, kubectl_available, manifest};
use std::process::Command;
use std::time::{Duration, Instant};

const MANIFESTS: &str = r#"apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: PriorityLevelConfiguration
metadata:
  name: gold
spec:
  type: Limited
  limited:
    limitResponse:
      type: Queue
      queuing: {}
---
apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: FlowSchema
metadata:
  name: jane
spec:
  priorityLevelConfiguration:
    name: gold
  distinguisherMethod:
    type: ByNamespace
  rules:
  - subjects:
    - kind: User
      user:
        name: jane
    resourceRules:
    - verbs: ["get", "list"]
      apiGroups: [""]
      resources: ["pods"]
      namespaces: ["default"]
---
apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: FlowSchema
metadata:
  name: lost
spec:
  matchingPrecedence: 300
  priorityLevelConfiguration:
    name: nowhere
  rules:
  - subjects:
    - kind: ServiceAccount
      serviceAccount:
        name: robot
        namespace: ci
    nonResourceRules:
    - verbs: ["get"]
      nonResourceURLs: ["/metrics"]
"#;

/// kubelite in embedded mode on the server's home (it reaches the server over HTTP).
fn kubelite(server: &Server, args: &[&str]) -> (String, String, i32) {
    let out = Command::new(super::support::BIN)
        .args(args)
        .env("KUBELITE_HOME", &server.home.0)
        .env("KUBELITE_NOW", FIXED_NOW)
        .env_remove("KUBECONFIG")
        .output()
        .expect("run kubelite");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

/// Polls `kubectl get` until its output contains `want` (the condition is written by the
/// control plane after the create).
fn wait_for(s: &Server, args: &[&str], want: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let out = s.kubectl(args).stdout;
        if out.contains(want) {
            return out;
        }
        assert!(
            Instant::now() < deadline,
            "{args:?} never showed {want:?}:\n{out}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn bootstrap_configuration_is_kube_apiservers() {
    require_kubectl!();
    let s = Server::start(true);
    let schemas = wait_for(&s, &["get", "flowschemas"], "catch-all");
    let rows: Vec<Vec<&str>> = schemas
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    let columns = |i: usize| -> Vec<&str> { rows.iter().map(|r| r[i]).collect() };
    // Matching order: precedence, then name; every level found.
    assert_eq!(
        columns(0),
        [
            "NAME",
            "exempt",
            "probes",
            "system-leader-election",
            "endpoint-controller",
            "workload-leader-election",
            "system-node-high",
            "system-nodes",
            "kube-controller-manager",
            "kube-scheduler",
            "kube-system-service-accounts",
            "service-accounts",
            "global-default",
            "catch-all",
        ]
    );
    assert_eq!(
        columns(2)[1..],
        [
            "1", "2", "100", "150", "200", "400", "500", "800", "800", "900", "9000", "9900",
            "10000"
        ]
    );
    assert!(rows[1..].iter().all(|r| r[5] == "False"), "{schemas}");
    let levels = s
        .kubectl(&["get", "prioritylevelconfigurations", "--no-headers"])
        .ok("get plc");
    let levels: Vec<String> = levels
        .lines()
        .map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            w[..w.len() - 1].join(" ")
        })
        .collect();
    assert_eq!(
        levels,
        [
            "catch-all Limited 5 <none> <none> <none>",
            "exempt Exempt <none> <none> <none> <none>",
            "global-default Limited 20 128 6 50",
            "leader-election Limited 10 16 4 50",
            "node-high Limited 40 64 6 50",
            "system Limited 30 64 6 50",
            "workload-high Limited 40 128 6 50",
            "workload-low Limited 100 128 6 50",
        ]
    );
    let exempt = s
        .kubectl(&[
            "get",
            "prioritylevelconfiguration",
            "exempt",
            "-o",
            "jsonpath={.metadata.annotations}{.spec}{.status}",
        ])
        .ok("get exempt");
    assert_eq!(
        exempt,
        r#"{"apf.kubernetes.io/autoupdate-spec":"true"}{"exempt":{"lendablePercent":0,"nominalConcurrencyShares":0},"type":"Exempt"}{}"#
    );
    // Stored under kube-apiserver's keys.
    for key in [
        "/registry/flowschemas/probes",
        "/registry/prioritylevelconfigurations/workload-low",
    ] {
        let run = s.kubectl(&[
            "exec",
            "etcd-master",
            "-n",
            "kube-system",
            "--",
            "etcdctl",
            "get",
            key,
            "--keys-only",
        ]);
        assert_eq!((run.code, run.stdout.trim()), (0, key), "{}", run.stderr);
    }
}

#[test]
fn kubectl_and_kubelite_print_them_alike() {
    require_kubectl!();
    let s = Server::start(true);
    let dir = TempDir::new("flowcontrol");
    let file = manifest(&dir.0, "apf.yaml", MANIFESTS);
    s.kubectl(&["create", "-f", file.to_str().expect("path")])
        .ok("create");
    wait_for(&s, &["get", "flowschema", "lost"], "True");
    wait_for(&s, &["get", "flowschema", "jane"], "False");
    let mut diffs = Vec::new();
    for args in [
        ["get", "flowschemas"].as_slice(),
        &["get", "flowschemas", "-o", "wide"],
        &["get", "prioritylevelconfigurations", "-o", "wide"],
        &["get", "flowschema", "lost", "jane"],
        &["get", "flowschema,prioritylevelconfiguration", "-o", "name"],
        &["describe", "flowschema", "jane"],
        &["describe", "flowschema", "lost"],
        &["describe", "flowschema", "system-leader-election"],
        &["describe", "prioritylevelconfiguration", "gold"],
        &["describe", "prioritylevelconfiguration", "exempt"],
    ] {
        let want = s.kubectl(args);
        let (out, err, code) = kubelite(&s, args);
        assert_eq!(want.code, 0, "kubectl {args:?}: {}", want.stderr);
        if (want.stdout.as_str(), want.stderr.as_str(), want.code) != (&out, &err, code) {
            diffs.push(format!(
                "{args:?}\n--- kubectl\n{}{}--- kubelite\n{out}{err}",
                want.stdout, want.stderr
            ));
        }
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
    // Defaults as kube's v1 fills them.
    let gold = s
        .kubectl(&[
            "get",
            "prioritylevelconfiguration",
            "gold",
            "-o",
            "jsonpath={.spec.limited}",
        ])
        .ok("get gold");
    assert_eq!(
        gold,
        r#"{"lendablePercent":0,"limitResponse":{"queuing":{"handSize":8,"queueLengthLimit":50,"queues":64},"type":"Queue"},"nominalConcurrencyShares":30}"#
    );
    // The condition follows the level: made, the schema is no longer dangling.
    let level = manifest(
        &dir.0,
        "nowhere.yaml",
        "apiVersion: flowcontrol.apiserver.k8s.io/v1\nkind: PriorityLevelConfiguration\nmetadata:\n  name: nowhere\nspec:\n  type: Limited\n  limited:\n    limitResponse:\n      type: Reject\n",
    );
    s.kubectl(&["create", "-f", level.to_str().expect("path")])
        .ok("create level");
    let message = wait_for(
        &s,
        &[
            "get",
            "flowschema",
            "lost",
            "-o",
            "jsonpath={.status.conditions[0].message}",
        ],
        "and it exists",
    );
    assert_eq!(
        message,
        "This FlowSchema references the PriorityLevelConfiguration object named \"nowhere\" and it exists"
    );
}

#[test]
fn validation_messages_are_kube_apiservers() {
    require_kubectl!();
    let s = Server::start(false);
    let dir = TempDir::new("flowcontrol-invalid");
    for (doc, want) in [
        (
            "apiVersion: flowcontrol.apiserver.k8s.io/v1\nkind: FlowSchema\nmetadata:\n  name: one\nspec:\n  matchingPrecedence: 1\n  priorityLevelConfiguration:\n    name: global-default\n  rules:\n  - subjects:\n    - kind: Group\n    nonResourceRules:\n    - verbs: [\"*\", \"get\"]\n      nonResourceURLs: [\"healthz\"]\n",
            "The FlowSchema \"one\" is invalid: \n* spec.matchingPrecedence: Invalid value: 1: only the schema named 'exempt' may have matchingPrecedence 1\n* spec.rules[0].subjects[0].group: Required value: group is required when subject kind is 'Group'\n* spec.rules[0].nonResourceRules[0].verbs: Invalid value: []string{\"*\", \"get\"}: if '*' is present, must not specify other verbs\n* spec.rules[0].nonResourceRules[0].nonResourceURLs[0]: Invalid value: \"healthz\": must start with slash\n",
        ),
        (
            "apiVersion: flowcontrol.apiserver.k8s.io/v1\nkind: PriorityLevelConfiguration\nmetadata:\n  name: p\nspec:\n  type: Limited\n  limited:\n    limitResponse:\n      type: Reject\n      queuing:\n        queues: 1\n",
            "The PriorityLevelConfiguration \"p\" is invalid: spec.limited.limitResponse.queuing: Forbidden: must be nil if limited.limitResponse.type is not Limited\n",
        ),
        (
            "apiVersion: flowcontrol.apiserver.k8s.io/v1\nkind: PriorityLevelConfiguration\nmetadata:\n  name: exempt2\nspec:\n  type: Exempt\n",
            "The PriorityLevelConfiguration \"exempt2\" is invalid: spec.type: Invalid value: \"Exempt\": type must be 'Exempt' if and only if name is 'exempt'\n",
        ),
    ] {
        let file = manifest(&dir.0, "bad.yaml", doc);
        let run = s.kubectl(&["create", "-f", file.to_str().expect("path")]);
        assert_eq!((run.code, run.stderr.as_str()), (1, want), "{doc}");
    }
    // The mandatory objects keep their spec.
    let run = s.kubectl(&[
        "patch",
        "flowschema",
        "catch-all",
        "--type=merge",
        "-p",
        r#"{"spec":{"matchingPrecedence":9000}}"#,
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with("The FlowSchema \"catch-all\" is invalid: spec: Invalid value: flowcontrol.FlowSchemaSpec{")
            && run.stderr.ends_with(": spec of 'catch-all' must equal the fixed value\n"),
        "{}",
        run.stderr
    );
    // The exempt level's exempt block is the administrator's.
    s.kubectl(&[
        "patch",
        "prioritylevelconfiguration",
        "exempt",
        "--type=merge",
        "-p",
        r#"{"spec":{"exempt":{"nominalConcurrencyShares":5}}}"#,
    ])
    .ok("patch exempt");
}

#[test]
fn status_is_a_subresource() {
    require_kubectl!();
    let s = Server::start(false);
    wait_for(&s, &["get", "flowschema", "probes"], "False");
    // A write to the main resource keeps the status; the status subresource writes it.
    s.kubectl(&[
        "patch",
        "flowschema",
        "probes",
        "--type=merge",
        "-p",
        r#"{"status":{"conditions":[]}}"#,
    ])
    .ok("patch main");
    let cond = s
        .kubectl(&[
            "get",
            "flowschema",
            "probes",
            "-o",
            "jsonpath={.status.conditions[0].reason}",
        ])
        .ok("get");
    assert_eq!(cond, "Found");
    s.kubectl(&[
        "patch", "flowschema", "probes", "--subresource=status", "--type=merge", "-p",
        r#"{"status":{"conditions":[{"type":"Dangling","status":"Unknown","reason":"Mine","message":"m"}]}}"#,
    ])
    .ok("patch status");
    // The API server's configuration controller writes its condition back.
    wait_for(
        &s,
        &[
            "get",
            "flowschema",
            "probes",
            "-o",
            "jsonpath={.status.conditions[0].reason}",
        ],
        "Found",
    );
}

/// kube-apiserver puts its configuration back every minute: a deleted mandatory level comes
/// back, a suggested level's changed spec is reset while it is annotated for auto-update,
/// and one whose annotation says `false` is left as its owner made it.
#[test]
fn the_ensurer_puts_the_configuration_back_every_minute() {
    require_kubectl!();
    let s = Server::start(true);
    wait_for(&s, &["get", "flowschema", "catch-all"], "False");
    s.kubectl(&["delete", "prioritylevelconfiguration", "exempt"])
        .ok("delete exempt");
    s.kubectl(&[
        "patch",
        "prioritylevelconfiguration",
        "workload-low",
        "--type=merge",
        "-p",
        r#"{"spec":{"limited":{"nominalConcurrencyShares":7}}}"#,
    ])
    .ok("patch workload-low");
    s.kubectl(&[
        "patch", "prioritylevelconfiguration", "workload-high", "--type=merge", "-p",
        r#"{"metadata":{"annotations":{"apf.kubernetes.io/autoupdate-spec":"false"}},"spec":{"limited":{"nominalConcurrencyShares":9}}}"#,
    ])
    .ok("patch workload-high");
    // The schemas naming the deleted level say so.
    wait_for(&s, &["get", "flowschema", "exempt"], "True");
    let (code, moved) = super::support::status_and_json(
        s.https()
            .post(format!("{}/kubelite/clock?advance=1m", s.url))
            .header("authorization", format!("Bearer {}", s.token())),
    );
    assert_eq!(code, 200, "{moved}");
    wait_for(
        &s,
        &["get", "prioritylevelconfiguration", "exempt"],
        "Exempt",
    );
    wait_for(&s, &["get", "flowschema", "exempt"], "False");
    let shares = |name: &str| {
        s.kubectl(&[
            "get",
            "prioritylevelconfiguration",
            name,
            "-o",
            "jsonpath={.spec.limited.nominalConcurrencyShares}",
        ])
        .ok("get shares")
    };
    assert_eq!(shares("workload-low"), "100");
    assert_eq!(shares("workload-high"), "9");
}

/// The managedFields kube-apiserver 1.32 leaves on its own objects: the producer
/// (`api-priority-and-fairness-config-producer-v1`) created them (an Update of annotation
/// and spec), and the consumer applied each FlowSchema's Dangling condition through the
/// status subresource (server-side apply, so `operation: Apply`). The real kubectl and
/// kubelite print them alike.
#[test]
fn bootstrap_objects_carry_kube_apiservers_managed_fields() {
    require_kubectl!();
    let s = Server::start(true);
    let schema = [
        "get",
        "flowschema",
        "exempt",
        "-o",
        "yaml",
        "--show-managed-fields",
    ];
    let yaml = wait_for(&s, &schema, "api-priority-and-fairness-config-consumer-v1");
    let managed = |yaml: &str| -> String {
        let from = yaml.find("  managedFields:\n").expect("managedFields");
        let to = yaml[from..].find("  name: ").expect("name") + from;
        yaml[from..to].to_string()
    };
    let time = format!("    time: \"{FIXED_NOW}\"\n");
    let producer = "  - apiVersion: flowcontrol.apiserver.k8s.io/v1
    fieldsType: FieldsV1
    fieldsV1:
      f:metadata:
        f:annotations:
          .: {}
          f:apf.kubernetes.io/autoupdate-spec: {}
";
    let want = format!(
        "  managedFields:
  - apiVersion: flowcontrol.apiserver.k8s.io/v1
    fieldsType: FieldsV1
    fieldsV1:
      f:status:
        f:conditions:
          k:{{\"type\":\"Dangling\"}}:
            .: {{}}
            f:lastTransitionTime: {{}}
            f:message: {{}}
            f:reason: {{}}
            f:status: {{}}
            f:type: {{}}
    manager: api-priority-and-fairness-config-consumer-v1
    operation: Apply
    subresource: status
{time}{producer}      f:spec:
        f:matchingPrecedence: {{}}
        f:priorityLevelConfiguration:
          f:name: {{}}
        f:rules: {{}}
    manager: api-priority-and-fairness-config-producer-v1
    operation: Update
{time}"
    );
    assert_eq!(managed(&yaml), want, "{yaml}");
    let level = s
        .kubectl(&[
            "get",
            "prioritylevelconfiguration",
            "exempt",
            "-o",
            "yaml",
            "--show-managed-fields",
        ])
        .ok("get exempt level");
    let want = format!(
        "  managedFields:
{producer}      f:spec:
        f:exempt:
          .: {{}}
          f:lendablePercent: {{}}
          f:nominalConcurrencyShares: {{}}
        f:type: {{}}
    manager: api-priority-and-fairness-config-producer-v1
    operation: Update
{time}"
    );
    assert_eq!(managed(&level), want, "{level}");
    let (out, err, code) = kubelite(&s, &schema);
    assert_eq!((code, out.as_str()), (0, yaml.as_str()), "{err}");
}
