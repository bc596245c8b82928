//! `config` command lines through the real kubectl and through kubelite, each in its own
//! copy of the same files: stdout, stderr, exit status and every file afterwards must be
//! identical (paths inside the sandbox read `<SANDBOX>` on both sides).

use super::sandbox::{BIN, Sandbox};
use super::{FILE_A, FILE_B};

/// Every field kubectl's types have, some empty, some odd.
const FILE_C: &str = "clusters:
- name: c1
  cluster:
    server: https://c1
    insecure-skip-tls-verify: false
    proxy-url: http://proxy:3128
    tls-server-name: foo
    disable-compression: true
    extensions:
    - name: z
      extension: {b: [x], a: 1}
    - name: ext1
      extension: str
- name: c2
  cluster:
    insecure-skip-tls-verify: true
users:
- name: u1
  user:
    exec:
      command: foo
      apiVersion: client.authentication.k8s.io/v1beta1
      installHint: install it
      provideClusterInfo: true
      env:
      - name: A
        value: b
- name: u2
  user:
    as: someone
    as-groups: [g1, g2]
    as-uid: \"12\"
    as-user-extra: {k: [v], a: []}
    tokenFile: /tmp/tok
    auth-provider:
      name: oidc
      config: {id-token: abc, client-secret: s}
- name: u3
  user: {}
- name: u4
contexts:
- name: x2
- name: x1
  context:
    cluster: c1
    namespace: \"\"
preferences:
  colors: true
  extensions: []
extensions:
- name: top
  extension: {}
";

fn fixtures() -> Vec<(&'static str, &'static str)> {
    vec![
        ("a/config", FILE_A),
        ("b/config", FILE_B),
        ("c/config", FILE_C),
        ("a/ca.crt", "CA FILE\n"),
        ("a/certs/cert.pem", "CERT FILE\n"),
    ]
}

const AB: Option<&str> = Some("a/config:missing:b/config");
const BA: Option<&str> = Some("b/config:a/config");

/// (KUBECONFIG, arguments)
fn cases() -> Vec<(Option<&'static str>, Vec<&'static str>)> {
    let mut cases: Vec<(Option<&str>, Vec<&str>)> = Vec::new();
    for env in [AB, BA] {
        for args in [
            vec!["config", "view"],
            vec!["config", "view", "--raw"],
            vec!["config", "view", "-o", "json"],
            vec!["config", "view", "--minify"],
            vec!["config", "view", "--minify", "--raw", "--context", "both"],
            vec!["config", "view", "--flatten"],
            vec!["config", "view", "--minify", "--flatten"],
            vec!["config", "view", "--minify", "--flatten", "-o", "json"],
            vec!["config", "view", "-o", "jsonpath={.contexts[*].name}"],
            vec!["config", "view", "--merge=false"],
            vec!["config", "get-contexts"],
            vec!["config", "get-contexts", "--no-headers"],
            vec!["config", "get-contexts", "-o", "name"],
            vec!["config", "get-contexts", "nope1", "ctx-a", "nope2", "both"],
            vec!["config", "get-contexts", "ctx-b", "nope"],
            vec!["config", "current-context"],
            vec!["config", "use-context", "ctx-a"],
            vec!["config", "use-context", "both"],
            vec!["config", "use-context", "ctx-b"],
            vec!["config", "use-context", "nope"],
            vec!["config", "set-context", "--current", "--namespace=team"],
            vec!["config", "set-context", "both", "--namespace=x", "--user="],
            vec!["config", "set-context", "ctx-b", "--cluster=shared"],
            vec!["config", "set-context", "new", "--cluster=zz", "--user=uu"],
            vec!["config", "set-context"],
            vec!["config", "set-context", "--current", "other"],
            vec!["config", "get-users"],
            vec!["config", "delete-context", "both"],
            vec!["config", "delete-context", "ctx-b"],
            vec!["config", "delete-context", "nope"],
            vec!["config", "delete-cluster", "shared"],
            vec!["config", "delete-cluster", "nope"],
            vec!["config", "delete-user", "ub"],
            vec!["config", "delete-user", "nope"],
            vec!["config", "delete-user"],
            vec!["config", "rename-context", "ctx-a", "renamed"],
            vec!["config", "rename-context", "ctx-b", "renamed"],
            vec!["config", "rename-context", "ctx-a", "both"],
            vec!["config", "rename-context", "nope", "x"],
            vec!["config", "set-cluster", "shared", "--server=https://new:1"],
            vec!["config", "set-cluster", "fresh", "--server=https://f"],
            vec![
                "config",
                "set-cluster",
                "bonly",
                "--certificate-authority=a/ca.crt",
                "--embed-certs",
            ],
            vec![
                "config",
                "set-cluster",
                "aonly",
                "--insecure-skip-tls-verify",
                "--tls-server-name=t",
                "--proxy-url=http://p:1",
            ],
            vec!["config", "set-cluster", "aonly", "--embed-certs"],
            vec![
                "config",
                "set-cluster",
                "x",
                "--embed-certs",
                "--certificate-authority=nope",
            ],
            vec![
                "config",
                "set-cluster",
                "x",
                "--insecure-skip-tls-verify",
                "--certificate-authority=a/ca.crt",
            ],
            vec!["config", "set-cluster", ""],
            vec![
                "config",
                "set-credentials",
                "ua",
                "--username=u",
                "--password=p",
            ],
            vec!["config", "set-credentials", "ub", "--token="],
            vec![
                "config",
                "set-credentials",
                "new",
                "--client-certificate=a/certs/cert.pem",
                "--embed-certs",
            ],
            vec![
                "config",
                "set-credentials",
                "ua",
                "--client-certificate=a/certs/cert.pem",
                "--embed-certs",
            ],
            vec![
                "config",
                "set-credentials",
                "x",
                "--token=t",
                "--password=p",
            ],
            vec!["config", "set-credentials", "x", "--embed-certs"],
            vec![
                "config",
                "set-credentials",
                "x",
                "--embed-certs",
                "--client-key=nope",
            ],
            vec!["config", "unset", "current-context"],
            vec!["config", "unset", "contexts.ctx-a.namespace"],
            vec!["config", "unset", "contexts.nope.namespace"],
            vec!["config", "unset", "contexts.nope.bogus"],
            vec!["config", "unset", "users.ua.token"],
            vec!["config", "unset", "users.ua"],
            vec!["config", "unset", "clusters"],
            vec!["config", "unset", "clusters.shared.server"],
            vec!["config", "unset", "users.ua.exec.command"],
            vec!["config", "unset", "preferences"],
            vec!["config", "unset", "bogus"],
            vec!["config", "unset", ""],
        ] {
            cases.push((env, args));
        }
    }
    for args in [
        vec!["--kubeconfig", "a/config", "config", "view"],
        vec!["--kubeconfig", "a/config", "config", "view", "--minify"],
        vec![
            "--kubeconfig",
            "a/config",
            "config",
            "view",
            "--merge=false",
        ],
        vec![
            "--kubeconfig",
            "a/config",
            "--context",
            "ctx-a",
            "config",
            "view",
            "--minify",
            "--flatten",
        ],
        vec!["--kubeconfig", "a/config", "config", "current-context"],
        vec!["--kubeconfig", "a/config", "config", "use-context", "both"],
        vec![
            "--kubeconfig",
            "a/config",
            "config",
            "set-context",
            "--current",
        ],
        vec!["--kubeconfig", "new/config", "config", "view"],
        vec!["--kubeconfig", "new/config", "config", "get-contexts"],
        vec![
            "--kubeconfig",
            "new/config",
            "config",
            "set-context",
            "n",
            "--namespace=x",
        ],
        vec!["--kubeconfig", "c/config", "config", "view"],
        vec!["--kubeconfig", "c/config", "config", "view", "-o", "json"],
        vec!["--kubeconfig", "c/config", "config", "use-context", "x1"],
        vec!["--kubeconfig", "c/config", "config", "get-users"],
        vec![
            "--kubeconfig",
            "a/config",
            "config",
            "set-cluster",
            "f",
            "--certificate-authority=a/certs/cert.pem",
        ],
        vec![
            "--kubeconfig",
            "a/config",
            "config",
            "set-credentials",
            "ua",
            "--client-key=a/ca.crt",
        ],
        vec!["--kubeconfig", "c/config", "config", "delete-cluster", "c2"],
        vec![
            "--kubeconfig",
            "c/config",
            "config",
            "unset",
            "users.u2.as-groups",
        ],
        vec![
            "--kubeconfig",
            "c/config",
            "config",
            "unset",
            "clusters.c1.extensions",
        ],
        vec!["--kubeconfig", "c/config", "config", "unset", "extensions"],
        vec![
            "--kubeconfig",
            "c/config",
            "config",
            "unset",
            "preferences.extensions",
        ],
        vec![
            "--kubeconfig",
            "c/config",
            "config",
            "unset",
            "preferences.colors",
        ],
        vec![
            "--kubeconfig",
            "c/config",
            "config",
            "set-cluster",
            "c1",
            "--server=https://x",
        ],
        vec![
            "--kubeconfig",
            "c/config",
            "config",
            "set-credentials",
            "u1",
            "--token=abc",
        ],
        vec![
            "--kubeconfig",
            "c/config",
            "config",
            "rename-context",
            "x1",
            "x3",
        ],
        vec![
            "--kubeconfig",
            "new/config",
            "config",
            "set-cluster",
            "c",
            "--server=https://s",
        ],
        vec![
            "--kubeconfig",
            "new/config",
            "config",
            "set-credentials",
            "u",
            "--token=t",
        ],
        vec![
            "--kubeconfig",
            "new/config",
            "config",
            "delete-context",
            "c",
        ],
        vec![
            "--kubeconfig",
            "c/config",
            "config",
            "set-context",
            "x2",
            "--namespace=n",
        ],
    ] {
        cases.push((None, args));
    }
    // Only missing files, then a new file created where kubectl creates it.
    cases.push((
        Some("m1:m2"),
        vec!["config", "set-context", "x", "--namespace=y"],
    ));
    cases.push((
        Some("m1"),
        vec!["config", "set-context", "x", "--namespace=y"],
    ));
    cases.push((Some("/dev/null"), vec!["config", "view"]));
    cases
}

#[test]
fn config_commands_match_kubectl_byte_for_byte() {
    if !kubectl_available() {
        return;
    }
    let mut failures = Vec::new();
    let cases = cases();
    for (env, args) in &cases {
        let theirs = Sandbox::new(&fixtures());
        let ours = Sandbox::new(&fixtures());
        let expected = theirs.run("kubectl", *env, args);
        let got = ours.run(BIN, *env, args);
        let line = format!("KUBECONFIG={env:?} {}", args.join(" "));
        if expected != got {
            failures.push(format!(
                "{line}\n  kubectl: {expected:?}\n  kubelite: {got:?}"
            ));
        }
        let (want, have) = (theirs.files(), ours.files());
        if want != have {
            for (path, (bytes, mode)) in &want {
                match have.get(path) {
                    Some((b, m)) if b == bytes && m == mode => {}
                    other => failures.push(format!(
                        "{line}: file {path} differs\n--- kubectl (mode {mode:o}):\n{}\n--- kubelite: {:?}",
                        String::from_utf8_lossy(bytes),
                        other.map(|(b, m)| (String::from_utf8_lossy(b).into_owned(), format!("{m:o}")))
                    )),
                }
            }
            for path in have.keys().filter(|p| !want.contains_key(*p)) {
                failures.push(format!("{line}: kubelite wrote {path}, kubectl did not"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} command lines differ from kubectl:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// Command lines where kubectl prints its own help on stdout (kubelite prints its own):
/// stderr, exit status and the files must still match. `get-clusters` walks a Go map, so
/// its lines are compared as a set.
#[test]
fn config_help_cases_and_unordered_lists_match_kubectl() {
    if !kubectl_available() {
        return;
    }
    let mut failures = Vec::new();
    let help_cases: Vec<Vec<&str>> = vec![
        vec!["config", "delete-context"],
        vec!["config", "delete-cluster", "a", "b"],
        vec!["config", "rename-context", "ctx-a"],
        vec!["config", "set-cluster"],
        vec!["config", "set-credentials", "a", "b"],
        vec!["config", "unset"],
        vec!["config", "get-clusters"],
    ];
    for args in &help_cases {
        let theirs = Sandbox::new(&fixtures());
        let ours = Sandbox::new(&fixtures());
        let mut expected = theirs.run("kubectl", AB, args);
        let mut got = ours.run(BIN, AB, args);
        if args[1] == "get-clusters" {
            let sorted = |s: &str| {
                let mut l: Vec<&str> = s.lines().collect();
                l.sort();
                l.join("\n")
            };
            expected.stdout = sorted(&expected.stdout);
            got.stdout = sorted(&got.stdout);
            assert!(expected.stdout.contains("bonly"), "{}", expected.stdout);
        } else {
            assert!(!got.stdout.is_empty(), "{args:?}: kubelite printed no help");
            expected.stdout.clear();
            got.stdout.clear();
        }
        if expected != got || theirs.files() != ours.files() {
            failures.push(format!(
                "{}\n  kubectl: {expected:?}\n  kubelite: {got:?}",
                args.join(" ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

const AUTH: &str = "clusters:
- name: tls
  cluster: {server: \"https://127.0.0.1:1\"}
users:
- name: imp
  user: {as: bob}
- name: ponly
  user: {password: pw}
- name: tf
  user: {tokenFile: nope.tok}
- name: oidc
  user: {auth-provider: {name: oidc}}
- name: gcp
  user: {auth-provider: {name: gcp}}
- name: azure
  user: {auth-provider: {name: azure}}
- name: weird
  user: {auth-provider: {name: weird}}
- name: v1nomode
  user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: foo}}
- name: badmode
  user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: foo, interactiveMode: Sometimes}}
- name: noapi
  user: {exec: {command: foo}}
- name: emptyenv
  user: {exec: {command: foo, apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never, env: [{name: \"\", value: x}]}}
- name: both
  user: {exec: {command: foo, apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never}, auth-provider: {name: oidc}}
- name: combo
  user: {token: t, username: u, client-certificate: nope.pem, exec: {command: \"\", apiVersion: x}}
contexts:
- {name: nouser, context: {cluster: tls}}
- {name: impersonate-only, context: {cluster: tls, user: imp}}
- {name: password-only, context: {cluster: tls, user: ponly}}
- {name: tokenfile, context: {cluster: tls, user: tf}}
- {name: oidc, context: {cluster: tls, user: oidc}}
- {name: gcp, context: {cluster: tls, user: gcp}}
- {name: azure, context: {cluster: tls, user: azure}}
- {name: unknown-provider, context: {cluster: tls, user: weird}}
- {name: v1nomode, context: {cluster: tls, user: v1nomode}}
- {name: badmode, context: {cluster: tls, user: badmode}}
- {name: noapi, context: {cluster: tls, user: noapi}}
- {name: emptyenv, context: {cluster: tls, user: emptyenv}}
- {name: both, context: {cluster: tls, user: both}}
- {name: combo, context: {cluster: tls, user: combo}}
";

/// Resolution errors of ordinary verbs, before any connection is made.
#[test]
fn resolution_errors_match_kubectl() {
    if !kubectl_available() {
        return;
    }
    let res = "clusters:
- name: ok
  cluster: {server: \"https://127.0.0.1:1\"}
- name: badca
  cluster: {server: \"https://127.0.0.1:1\", certificate-authority: nope.crt}
users:
- name: u
  user: {token: t}
- name: badcert
  user: {client-certificate: nope.pem, client-key: nope.key}
contexts:
- name: good
  context: {cluster: ok, user: u}
- name: badca
  context: {cluster: badca, user: u}
- name: badcert
  context: {cluster: ok, user: badcert}
current-context: dangling
";
    let files = [
        ("res", res),
        ("badtype", "clusters:\n- name: a\n  cluster: {server: 5}\n"),
        (
            "badb64",
            "users:\n- name: a\n  user: {client-key-data: \"!!x\"}\n",
        ),
        ("scalar", "foo\n"),
        ("auth", AUTH),
        ("dir/x", ""),
    ];
    let mut failures = Vec::new();
    let lines: Vec<Vec<&str>> = vec![
        vec!["--kubeconfig", "res"],
        vec!["--kubeconfig", "res", "--context", "missing"],
        vec![
            "--kubeconfig",
            "res",
            "--context",
            "good",
            "--cluster",
            "zz",
        ],
        vec!["--kubeconfig", "res", "--context", "good", "--user", "zz"],
        vec!["--kubeconfig", "res", "--context", "badca"],
        vec!["--kubeconfig", "res", "--context", "badcert"],
        vec![
            "--kubeconfig",
            "res",
            "--context",
            "good",
            "--client-certificate=/nonexist",
        ],
        vec![
            "--kubeconfig",
            "res",
            "--context",
            "good",
            "--certificate-authority=/nonexist",
        ],
        vec![
            "--kubeconfig",
            "res",
            "--context",
            "good",
            "--request-timeout=1.5",
        ],
        vec![
            "--kubeconfig",
            "res",
            "--context",
            "good",
            "--insecure-skip-tls-verify",
            "--certificate-authority=res",
        ],
        vec![
            "--kubeconfig",
            "res",
            "--context",
            "good",
            "--username=a",
            "--password=b",
        ],
        vec!["--kubeconfig", "nope"],
        vec!["--kubeconfig", "badtype"],
        vec!["--kubeconfig", "badb64"],
        vec!["--kubeconfig", "scalar"],
        vec!["--kubeconfig", "dir"],
        // The username prompt with stdin closed, the token file, the legacy auth providers.
        vec!["--kubeconfig", "auth", "--context", "nouser"],
        vec!["--kubeconfig", "auth", "--context", "impersonate-only"],
        vec!["--kubeconfig", "auth", "--context", "password-only"],
        vec!["--kubeconfig", "auth", "--context", "tokenfile"],
        vec!["--kubeconfig", "auth", "--context", "oidc"],
        vec!["--kubeconfig", "auth", "--context", "gcp"],
        vec!["--kubeconfig", "auth", "--context", "azure"],
        vec!["--kubeconfig", "auth", "--context", "unknown-provider"],
        // Exec plugin entries kubectl refuses, and every check failing at once.
        vec!["--kubeconfig", "auth", "--context", "v1nomode"],
        vec!["--kubeconfig", "auth", "--context", "badmode"],
        vec!["--kubeconfig", "auth", "--context", "noapi"],
        vec!["--kubeconfig", "auth", "--context", "emptyenv"],
        vec!["--kubeconfig", "auth", "--context", "both"],
        vec!["--kubeconfig", "auth", "--context", "combo"],
    ];
    for prefix in &lines {
        let mut args = prefix.clone();
        args.extend(["get", "pods"]);
        let theirs = Sandbox::new(&files);
        let ours = Sandbox::new(&files);
        let expected = theirs.run("kubectl", None, &args);
        let got = ours.run(BIN, None, &args);
        if expected != got {
            failures.push(format!(
                "{}\n  kubectl: {expected:?}\n  kubelite: {got:?}",
                args.join(" ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn kubectl_available() -> bool {
    let ok = std::process::Command::new("kubectl")
        .args(["version", "--client"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!(
            "\n!!!!!! kubectl NOT FOUND ON PATH: SKIPPING THE KUBECTL ORACLE COMPARISON !!!!!!\n"
        );
    }
    ok
}

/// YAML 1.1 booleans, JSON, CRLF, several documents, comments only, a number as a name: read
/// (or refused) as kubectl reads them.
#[test]
fn odd_files_read_as_kubectl_reads_them() {
    if !kubectl_available() {
        return;
    }
    let files = [
        (
            "yes.yaml",
            "clusters:\n- name: a\n  cluster: {server: \"https://x\", insecure-skip-tls-verify: yes}\n",
        ),
        (
            "j.json",
            "{\"clusters\":[{\"name\":\"j\",\"cluster\":{\"server\":\"https://j\"}}],\"contexts\":[{\"name\":\"j\",\"context\":{\"cluster\":\"j\",\"namespace\":\"n\"}}],\"current-context\":\"j\"}",
        ),
        (
            "crlf.yaml",
            "clusters:\r\n- name: crlf\r\n  cluster:\r\n    server: https://crlf\r\n",
        ),
        (
            "numname.yaml",
            "contexts:\n- name: 123\n  context: {cluster: a}\n",
        ),
        (
            "on.yaml",
            "contexts:\n- name: \"x\"\n  context: {cluster: a, namespace: \"on\"}\n- name: y\n  context: {cluster: a, namespace: on}\n",
        ),
        (
            "multi.yaml",
            "---\nclusters:\n- name: a\n  cluster: {server: \"https://x\"}\n---\nclusters:\n- name: b\n  cluster: {server: \"https://y\"}\n",
        ),
        ("comment.yaml", "# only a comment\n"),
        ("empty.yaml", ""),
    ];
    let mut failures = Vec::new();
    for (name, _) in &files {
        for verb in [
            vec!["config", "view"],
            vec!["config", "set-context", "n", "--namespace=z"],
        ] {
            let mut args = vec!["--kubeconfig", name];
            args.extend(verb);
            let theirs = Sandbox::new(&files);
            let ours = Sandbox::new(&files);
            let expected = theirs.run("kubectl", None, &args);
            let got = ours.run(BIN, None, &args);
            if expected != got || theirs.files() != ours.files() {
                failures.push(format!(
                    "{}\n  kubectl: {expected:?} {}\n  kubelite: {got:?} {}",
                    args.join(" "),
                    theirs.read(name),
                    ours.read(name)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A `<file>.lock` left by another writer stops a change, as in kubectl.
#[test]
fn a_held_lock_stops_a_change_as_in_kubectl() {
    if !kubectl_available() {
        return;
    }
    let files = [("a/config", FILE_A), ("a/config.lock", "")];
    for args in [
        vec!["--kubeconfig", "a/config", "config", "use-context", "both"],
        vec![
            "--kubeconfig",
            "a/config",
            "config",
            "set-context",
            "both",
            "--namespace=x",
        ],
    ] {
        let theirs = Sandbox::new(&files);
        let ours = Sandbox::new(&files);
        assert_eq!(
            theirs.run("kubectl", None, &args),
            ours.run(BIN, None, &args)
        );
        assert_eq!(theirs.files(), ours.files());
    }
}
