//! ValidatingAdmissionPolicy and its bindings through `kubelite serve`, driven by the real
//! kubectl (and kubelite's CLI, through serve and in its own embedded cluster): served and
//! printed as kube-apiserver 1.32 does, compile errors refused, denials, warnings, params
//! from a ConfigMap, namespace selectors, and evaluation errors under both failurePolicies.

use super::support::{
    Run, Server, TempDir, kubectl_available, kubelite, manifest, same_as_kubectl,
};

const MAX_FIVE: &str = r#"apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: max-five
spec:
  matchConstraints:
    resourceRules:
    - apiGroups: ["apps"]
      apiVersions: ["v1"]
      operations: ["CREATE", "UPDATE"]
      resources: ["deployments"]
  validations:
  - expression: "object.spec.replicas <= 5"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: max-five
spec:
  policyName: max-five
  validationActions: [ACTION]
"#;

const DENIED: &str = "ValidatingAdmissionPolicy 'max-five' with binding 'max-five' denied request: failed expression: object.spec.replicas <= 5";

fn deployment(name: &str, namespace: &str, replicas: u32) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}, namespace: {namespace}}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec: {{containers: [{{name: c, image: nginx}}]}}
"
    )
}

/// `create -f` of a deployment through `run` (kubectl or kubelite), with its manifest path.
fn create_deployment(
    dir: &std::path::Path,
    run: impl Fn(&[&str]) -> Run,
    name: &str,
    namespace: &str,
    replicas: u32,
) -> (Run, String) {
    let path = manifest(
        dir,
        &format!("deploy-{name}-{namespace}-{replicas}.yaml"),
        &deployment(name, namespace, replicas),
    );
    let p = path.to_str().unwrap().to_string();
    (run(&["create", "-f", &p]), p)
}

/// Ours (kubelite's CLI through serve) and kubectl print the same for `args`.
fn both(server: &Server, args: &[&str]) -> Run {
    same_as_kubectl(server, args, true)
}

#[test]
fn a_policy_denies_warns_and_prints_as_kube_apiserver_does() {
    require_kubectl!();
    let server = Server::start(false);
    let dir = &server.home.0;
    let policy = manifest(dir, "max-five.yaml", &MAX_FIVE.replace("ACTION", "Deny"));
    server
        .kubectl(&["apply", "-f", policy.to_str().unwrap()])
        .ok("apply policy");

    let kubectl = |args: &[&str]| server.kubectl(args);
    let (run, path) = create_deployment(dir, kubectl, "big", "default", 7);
    assert_eq!(
        (run.stderr.as_str(), run.code),
        (
            format!("The deployments \"big\" is invalid: : {DENIED}\n").as_str(),
            1
        ),
        "{path}"
    );
    let ours = kubelite(dir, false, &["create", "-f", &path]);
    assert_eq!((ours.stderr, ours.code), (run.stderr, run.code));
    let (run, _) = create_deployment(dir, kubectl, "small", "default", 2);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // An update is matched too; the scale subresource is not ("deployments" only).
    let patch = server.kubectl(&[
        "patch",
        "deploy",
        "small",
        "-p",
        r#"{"spec":{"replicas":6}}"#,
    ]);
    assert_eq!(
        patch.stderr,
        format!("The deployments \"small\" is invalid: : {DENIED}\n")
    );
    server
        .kubectl(&["scale", "deploy", "small", "--replicas=6"])
        .ok("scale is a subresource");

    // Tables, YAML and describe as the real kubectl prints them from serve.
    let got = both(&server, &["get", "validatingadmissionpolicies"]);
    assert!(
        got.stdout.starts_with(
            "NAME       VALIDATIONS   PARAMKIND   AGE\nmax-five   1             <unset>     "
        ),
        "{}",
        got.stdout
    );
    let got = both(&server, &["get", "validatingadmissionpolicybindings"]);
    assert!(
        got.stdout.starts_with(
            "NAME       POLICYNAME   PARAMREF   AGE\nmax-five   max-five     <unset>    "
        ),
        "{}",
        got.stdout
    );
    for kind in [
        "validatingadmissionpolicy",
        "validatingadmissionpolicybinding",
    ] {
        let yaml = both(&server, &["get", kind, "max-five", "-o", "yaml"]).stdout;
        assert!(yaml.contains("generation: 1"), "{yaml}");
        both(&server, &["describe", kind, "max-five"]);
    }
    let yaml = server
        .kubectl(&["get", "validatingadmissionpolicy", "max-five", "-o", "yaml"])
        .ok("yaml");
    for defaulted in [
        "failurePolicy: Fail",
        "matchPolicy: Equivalent",
        "namespaceSelector: {}",
        "objectSelector: {}",
        "scope: '*'",
    ] {
        assert!(yaml.contains(defaulted), "{defaulted}: {yaml}");
    }

    // Warn: the request goes through, with kube's warning.
    let warn = manifest(
        dir,
        "max-five-warn.yaml",
        &MAX_FIVE.replace("ACTION", "Warn"),
    );
    server
        .kubectl(&["apply", "-f", warn.to_str().unwrap()])
        .ok("apply warn binding");
    let (run, path) = create_deployment(dir, kubectl, "big", "default", 8);
    assert_eq!(run.stdout, "deployment.apps/big created\n");
    assert_eq!(
        run.stderr,
        "Warning: Validation failed for ValidatingAdmissionPolicy 'max-five' with binding 'max-five': failed expression: object.spec.replicas <= 5\n"
    );
    server.kubectl(&["delete", "deploy", "big"]).ok("delete");
    let ours = kubelite(dir, false, &["create", "-f", &path]);
    assert_eq!((ours.stdout, ours.stderr), (run.stdout, run.stderr));
}

#[test]
fn bad_policies_are_refused_with_kube_apiservers_field_errors() {
    require_kubectl!();
    let server = Server::start(false);
    let dir = &server.home.0;
    let bad = manifest(
        dir,
        "bad.yaml",
        r#"apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: bad}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}
  validations:
  - expression: "object.data.x =="
  - expression: "params.x == 1"
    reason: Weird
"#,
    );
    let run = server.kubectl(&["create", "-f", bad.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "The ValidatingAdmissionPolicy \"bad\" is invalid: \n\
* spec.validations[0].expression: Invalid value: \"object.data.x ==\": compilation failed: ERROR: <input>:1:17: Syntax error: mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}\n \
| object.data.x ==\n \
| ................^\n\
* spec.validations[1].expression: Invalid value: \"params.x == 1\": compilation failed: ERROR: <input>:1:1: undeclared reference to 'params' (in container '')\n \
| params.x == 1\n \
| ^\n\
* spec.validations[1].reason: Unsupported value: \"Weird\": supported values: \"Forbidden\", \"Invalid\", \"RequestEntityTooLarge\", \"Unauthorized\"\n"
    );
    let ours = kubelite(dir, false, &["create", "-f", bad.to_str().unwrap()]);
    assert_eq!((ours.stderr, ours.code), (run.stderr, run.code));
    let binding = manifest(
        dir,
        "bad-binding.yaml",
        r#"apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: bad}
spec:
  policyName: bad
  paramRef: {name: x, selector: {}}
  validationActions: [Deny, Warn]
"#,
    );
    let run = server.kubectl(&["create", "-f", binding.to_str().unwrap()]);
    assert_eq!(
        run.stderr,
        "The ValidatingAdmissionPolicyBinding \"bad\" is invalid: \n\
* spec.paramRef.name: Forbidden: name and selector are mutually exclusive\n\
* spec.paramRef.selector: Forbidden: name and selector are mutually exclusive\n\
* spec.paramRef.parameterNotFoundAction: Required value\n\
* spec.validationActions: Invalid value: []string{\"Deny\", \"Warn\"}: must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)\n"
    );
}

const PARAMS: &str = r#"apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: max-replicas
spec:
  paramKind: {apiVersion: v1, kind: ConfigMap}
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
  variables:
  - name: limit
    expression: "int(params.data.maxReplicas)"
  validations:
  - expression: "object.spec.replicas <= variables.limit"
    messageExpression: "'replicas must be at most ' + string(variables.limit)"
    reason: Forbidden
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: max-replicas-prod
spec:
  policyName: max-replicas
  paramRef: {name: limits, namespace: default, parameterNotFoundAction: NOTFOUND}
  validationActions: [Deny]
  matchResources:
    namespaceSelector:
      matchLabels: {env: prod}
"#;

#[test]
fn params_from_a_config_map_and_a_namespace_selector() {
    require_kubectl!();
    let server = Server::start(false);
    let dir = &server.home.0;
    for args in [
        &["create", "namespace", "prod"][..],
        &["label", "namespace", "prod", "env=prod"],
        &["create", "namespace", "dev"],
        &[
            "create",
            "configmap",
            "limits",
            "--from-literal=maxReplicas=3",
        ],
    ] {
        server.kubectl(args).ok("setup");
    }
    let policy = manifest(dir, "params.yaml", &PARAMS.replace("NOTFOUND", "Deny"));
    server
        .kubectl(&["apply", "-f", policy.to_str().unwrap()])
        .ok("apply");
    let kubectl = |args: &[&str]| server.kubectl(args);
    // Not selected: dev is not labelled env=prod.
    let (run, _) = create_deployment(dir, kubectl, "four", "dev", 4);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Selected: the limit comes from the ConfigMap, the message from messageExpression,
    // and reason Forbidden gives kube's 403.
    let (run, path) = create_deployment(dir, kubectl, "four", "prod", 4);
    assert_eq!(
        run.stderr,
        format!(
            "Error from server (Forbidden): error when creating \"{path}\": deployments.apps \"four\" is forbidden: ValidatingAdmissionPolicy 'max-replicas' with binding 'max-replicas-prod' denied request: replicas must be at most 3\n"
        )
    );
    server
        .kubectl(&[
            "patch",
            "configmap",
            "limits",
            "-p",
            r#"{"data":{"maxReplicas":"5"}}"#,
        ])
        .ok("raise the limit");
    let (run, _) = create_deployment(dir, kubectl, "four", "prod", 4);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Without its param, the binding follows parameterNotFoundAction.
    server
        .kubectl(&["delete", "configmap", "limits"])
        .ok("delete params");
    let (run, _) = create_deployment(dir, kubectl, "five", "prod", 1);
    assert_eq!(
        run.stderr,
        "The deployments \"five\" is invalid: : ValidatingAdmissionPolicy 'max-replicas' with binding 'max-replicas-prod' denied request: failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction\n"
    );
    let allow = manifest(
        dir,
        "params-allow.yaml",
        &PARAMS.replace("NOTFOUND", "Allow"),
    );
    server
        .kubectl(&["apply", "-f", allow.to_str().unwrap()])
        .ok("apply allow");
    let (run, _) = create_deployment(dir, kubectl, "five", "prod", 9);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let got = both(
        &server,
        &[
            "get",
            "validatingadmissionpolicies,validatingadmissionpolicybindings",
        ],
    );
    assert!(got.stdout.contains(" v1/ConfigMap "), "{}", got.stdout);
    assert!(got.stdout.contains(" default/limits "), "{}", got.stdout);

    // A selector picks every labelled ConfigMap of the request's namespace: each is a
    // param the validations run with.
    let by_selector = PARAMS
        .replace(
            "{name: limits, namespace: default, parameterNotFoundAction: NOTFOUND}",
            "{selector: {matchLabels: {role: limit}}, parameterNotFoundAction: Deny}",
        )
        .replace("max-replicas-prod", "max-replicas-labelled");
    let by_selector = manifest(dir, "params-selector.yaml", &by_selector);
    server
        .kubectl(&["apply", "-f", by_selector.to_str().unwrap()])
        .ok("apply selector binding");
    for (name, max) in [("loose", "8"), ("strict", "2")] {
        let literal = format!("--from-literal=maxReplicas={max}");
        server
            .kubectl(&["create", "configmap", name, "-n", "prod", &literal])
            .ok("param");
        server
            .kubectl(&["label", "configmap", name, "-n", "prod", "role=limit"])
            .ok("label");
    }
    let (run, _) = create_deployment(dir, kubectl, "six", "prod", 3);
    assert!(
        run.stderr.ends_with(
            "with binding 'max-replicas-labelled' denied request: replicas must be at most 2\n"
        ),
        "{}",
        run.stderr
    );
    let got = both(
        &server,
        &[
            "get",
            "validatingadmissionpolicybinding",
            "max-replicas-labelled",
        ],
    );
    let selector = " &LabelSelector{MatchLabels:map[string]string{role: limit,},MatchExpressions:[]LabelSelectorRequirement{},} ";
    assert!(got.stdout.contains(selector), "{}", got.stdout);
}

const NEEDS_TEAM: &str = r#"apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: needs-team}
spec:
  failurePolicy: FAILURE
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, DELETE], resources: [configmaps]}
  matchConditions:
  - name: not-kube-root
    expression: "request.name != 'kube-root-ca.crt'"
  validations:
  - expression: "request.operation == 'DELETE' ? oldObject.metadata.labels.team != 'core' : object.metadata.labels.team != ''"
    message: "team core keeps its config maps"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: needs-team}
spec: {policyName: needs-team, validationActions: [Deny]}
"#;

#[test]
fn evaluation_errors_follow_the_failure_policy() {
    require_kubectl!();
    let server = Server::start(false);
    let dir = &server.home.0;
    let fail = manifest(dir, "fail.yaml", &NEEDS_TEAM.replace("FAILURE", "Fail"));
    server
        .kubectl(&["apply", "-f", fail.to_str().unwrap()])
        .ok("apply");
    let run = server.kubectl(&["create", "configmap", "nolabels"]);
    assert_eq!(
        (run.stderr.as_str(), run.code),
        (
            "error: failed to create configmap: configmaps \"nolabels\" is forbidden: ValidatingAdmissionPolicy 'needs-team' with binding 'needs-team' denied request: expression 'request.operation == 'DELETE' ? oldObject.metadata.labels.team != 'core' : object.metadata.labels.team != ''' resulted in error: no such key: labels\n",
            1
        )
    );
    let labelled = manifest(
        dir,
        "core.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: core-cm, labels: {team: core}}\n",
    );
    server
        .kubectl(&["create", "-f", labelled.to_str().unwrap()])
        .ok("labelled");
    // DELETE sees the stored object as oldObject.
    let run = server.kubectl(&["delete", "configmap", "core-cm"]);
    assert_eq!(
        run.stderr,
        "The configmaps \"core-cm\" is invalid: : ValidatingAdmissionPolicy 'needs-team' with binding 'needs-team' denied request: team core keeps its config maps\n"
    );
    let ours = kubelite(dir, false, &["delete", "configmap", "core-cm"]);
    assert_eq!((ours.stderr, ours.code), (run.stderr, run.code));
    let ignore = manifest(dir, "ignore.yaml", &NEEDS_TEAM.replace("FAILURE", "Ignore"));
    server
        .kubectl(&["apply", "-f", ignore.to_str().unwrap()])
        .ok("apply ignore");
    server
        .kubectl(&["create", "configmap", "nolabels"])
        .ok("an evaluation error is ignored");
    // A false validation still denies under Ignore.
    let run = server.kubectl(&["delete", "configmap", "core-cm"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
}

/// The embedded cluster (no server): kubelite's own verbs admit through the same policies.
#[test]
fn the_embedded_cluster_enforces_policies() {
    let home = TempDir::new("vap-embedded");
    let dir = &home.0;
    let run = |args: &[&str]| kubelite(dir, true, args);
    let policy = manifest(dir, "max-five.yaml", &MAX_FIVE.replace("ACTION", "Deny"));
    run(&["apply", "-f", policy.to_str().unwrap()]).ok("apply");
    let (out, _) = create_deployment(dir, run, "big", "default", 7);
    assert_eq!(
        (out.stderr.as_str(), out.code),
        (
            format!("The deployments \"big\" is invalid: : {DENIED}\n").as_str(),
            1
        )
    );
    let warn = manifest(
        dir,
        "max-five-warn.yaml",
        &MAX_FIVE.replace("ACTION", "Warn"),
    );
    run(&["apply", "-f", warn.to_str().unwrap()]).ok("apply warn");
    let (out, _) = create_deployment(dir, run, "big", "default", 7);
    assert_eq!(out.stdout, "deployment.apps/big created\n");
    assert_eq!(
        out.stderr,
        "Warning: Validation failed for ValidatingAdmissionPolicy 'max-five' with binding 'max-five': failed expression: object.spec.replicas <= 5\n"
    );
    let got = run(&["get", "validatingadmissionpolicies"]).ok("get");
    assert!(
        got.starts_with("NAME       VALIDATIONS   PARAMKIND   AGE\n"),
        "{got}"
    );
}
