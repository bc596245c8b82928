//! `kustomize DIR` against the real `kubectl kustomize` (kustomize v5.5.0): the fixtures of
//! testdata/kustomize must build to the same bytes, warnings and exit codes; kustomize's
//! errors keep its words; what kubelite does not build is refused. `-k` on apply, create,
//! get and delete goes through the embedded cluster, and through `kubelite serve` next to
//! the real kubectl.

// Shared with the serve suite; this file uses only part of it.
#[allow(dead_code)]
#[path = "serve/support.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use support::{BIN, Run, Server, TempDir, kubectl_available};

/// Fixtures that build (paths below testdata/kustomize).
const BUILDS: &[&str] = &[
    "app/base",
    "app/overlays/prod",
    "app/overlays/dev",
    "app/overlays/staging",
    "components/overlay",
    "generators",
    "patches",
    "rbac",
    "multidoc",
    "legacy/overlay",
    "scalars",
    "sorted",
    "replacements",
    "metadata",
    "vars",
    "storage",
    "selectors",
    "cluster-kinds",
];

/// Fixtures kustomize refuses, with its error.
const ERRORS: &[&str] = &[
    "errors/no-kustomization",
    "errors/missing-resource",
    "errors/missing-base",
    "errors/unknown-field",
    "errors/wrong-type",
    "errors/nameless",
    "errors/duplicate",
    "errors/outside-root",
    "errors/patch-no-target",
    "errors/json-patch-no-target",
    "errors/not-there",
    "errors/component-as-resource",
    "errors/kustomization-as-component",
    "errors/replacement-missing-field",
    "errors/replacement-no-source",
    "errors/unknown-entry-field",
    "errors/dir-without-kustomization",
    "errors/missing-generator-file",
    "errors/literal-without-value",
    "errors/missing-env-file",
    "errors/var-without-object",
    "errors/var-twice",
    "errors/label-not-string",
];

/// Fixtures kustomize builds and kubelite refuses, and the refusal.
const REFUSED: &[(&str, &str)] = &[
    (
        "refused/helm",
        "error: kubelite does not support the kustomization field 'helmCharts' in kustomize builds\n",
    ),
    (
        "refused/transformers",
        "error: kubelite does not support the kustomization field 'transformers' in kustomize builds\n",
    ),
    (
        "refused/transformer-annotations",
        "error: kubelite does not support buildMetadata 'transformerAnnotations' in kustomize builds\n",
    ),
    (
        "refused/remote",
        "error: kubelite does not support remote resources (git and http URLs) in kustomize builds\n",
    ),
];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether kubectl is there to compare with (a test without it says SKIPPED).
fn oracle_present() -> bool {
    let present = kubectl_available();
    if !present {
        eprintln!("SKIPPED: kubectl is not on PATH; kustomize builds are untested against it");
    }
    present
}

/// A program run in `dir` with a kubeconfig whose server nobody listens on and a kubelite
/// home that must never be made.
fn run(program: &str, dir: &Path, env: &Path, args: &[&str]) -> Run {
    Command::new(program)
        .current_dir(dir)
        .env("KUBECONFIG", env.join("kubeconfig"))
        .env("KUBELITE_HOME", env.join("never-created"))
        .args(args)
        .output()
        .expect("run")
        .into()
}

fn offline_env() -> TempDir {
    let dir = TempDir::new("kustomize");
    std::fs::write(
        dir.0.join("kubeconfig"),
        "apiVersion: v1\nkind: Config\nclusters:\n- cluster: {server: \"https://127.0.0.1:1\"}\n  name: x\ncontexts:\n- context: {cluster: x, user: u}\n  name: x\ncurrent-context: x\nusers:\n- name: u\n  user: {token: t}\n",
    )
    .unwrap();
    dir
}

/// stderr with klog headers' time and process id masked, and kubectl's discovery
/// complaints about the unreachable server dropped.
fn masked(stderr: &str) -> String {
    let mut out = String::new();
    for line in stderr.lines() {
        if line.contains("memcache.go") {
            continue;
        }
        let klog = line.len() > 30
            && (line.starts_with('E') || line.starts_with('I'))
            && line[1..5].chars().all(|c| c.is_ascii_digit())
            && line.as_bytes().get(8) == Some(&b':');
        if klog {
            let rest = line[21..].trim_start();
            let text = rest.split_once(' ').map_or("", |(_, t)| t);
            out.push_str(&format!("{} MMDD TIME PID {text}\n", &line[..1]));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn same(kubectl: &Run, kubelite: &Run) -> bool {
    kubectl.code == kubelite.code
        && kubectl.stdout == kubelite.stdout
        && masked(&kubectl.stderr) == masked(&kubelite.stderr)
}

fn describe(what: &str, kubectl: &Run, kubelite: &Run) -> String {
    format!(
        "{what}\n--- kubectl (exit {}):\n{}{}\n--- kubelite (exit {}):\n{}{}",
        kubectl.code,
        kubectl.stdout,
        kubectl.stderr,
        kubelite.code,
        kubelite.stdout,
        kubelite.stderr
    )
}

#[test]
fn builds_are_kubectl_kustomizes_bytes() {
    if !oracle_present() {
        return;
    }
    let env = offline_env();
    let root = repo();
    let mut diffs = Vec::new();
    for fixture in BUILDS {
        let path = format!("testdata/kustomize/{fixture}");
        let absolute = root.join(&path).to_string_lossy().into_owned();
        for args in [
            vec!["kustomize", path.as_str()],
            vec!["kustomize", &absolute],
        ] {
            let kubectl = run("kubectl", &root, &env.0, &args);
            let kubelite = run(BIN, &root, &env.0, &args);
            assert_eq!(kubectl.code, 0, "{}", kubectl.stderr);
            if !same(&kubectl, &kubelite) {
                diffs.push(describe(&args.join(" "), &kubectl, &kubelite));
            }
        }
        // No DIR: the current directory; files outside it allowed.
        let here = root.join(&path);
        let kubectl = run("kubectl", &here, &env.0, &["kustomize"]);
        let kubelite = run(BIN, &here, &env.0, &["kustomize"]);
        if !same(&kubectl, &kubelite) {
            diffs.push(describe(
                &format!("kustomize in {path}"),
                &kubectl,
                &kubelite,
            ));
        }
    }
    // A kustomization reading a file beside its directory, allowed by the flag.
    let args = [
        "kustomize",
        "testdata/kustomize/fifo",
        "--load-restrictor=LoadRestrictionsNone",
    ];
    let kubectl = run("kubectl", &root, &env.0, &args);
    let kubelite = run(BIN, &root, &env.0, &args);
    assert_eq!(kubectl.code, 0, "{}", kubectl.stderr);
    if !same(&kubectl, &kubelite) {
        diffs.push(describe(&args.join(" "), &kubectl, &kubelite));
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

#[test]
fn output_flag_writes_the_build_to_a_file() {
    let env = offline_env();
    let root = repo();
    let target = env.0.join("built.yaml");
    let target_arg = target.to_string_lossy().into_owned();
    let kubelite = run(
        BIN,
        &root,
        &env.0,
        &[
            "kustomize",
            "testdata/kustomize/app/base",
            "-o",
            &target_arg,
        ],
    );
    assert_eq!(
        (kubelite.code, kubelite.stdout.as_str()),
        (0, ""),
        "{}",
        kubelite.stderr
    );
    let printed = run(
        BIN,
        &root,
        &env.0,
        &["kustomize", "testdata/kustomize/app/base"],
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), printed.stdout);
    assert!(
        printed.stdout.contains("kind: Deployment"),
        "{}",
        printed.stdout
    );
}

#[test]
fn kustomize_errors_keep_kustomizes_words() {
    if !oracle_present() {
        return;
    }
    let env = offline_env();
    let root = repo();
    let mut diffs = Vec::new();
    let mut cases: Vec<Vec<String>> = ERRORS
        .iter()
        .map(|f| vec!["kustomize".into(), format!("testdata/kustomize/{f}")])
        .collect();
    cases.push(vec![
        "kustomize".into(),
        "testdata/kustomize/app/base".into(),
        "testdata/kustomize/app/base".into(),
    ]);
    cases.push(vec![
        "kustomize".into(),
        "testdata/kustomize/app/base/deployment.yaml".into(),
    ]);
    // Without the flag the file beside is outside the root; a wrong flag value.
    cases.push(vec!["kustomize".into(), "testdata/kustomize/fifo".into()]);
    cases.push(vec![
        "kustomize".into(),
        "testdata/kustomize/app/base".into(),
        "--load-restrictor=Everything".into(),
    ]);
    for case in &cases {
        let args: Vec<&str> = case.iter().map(String::as_str).collect();
        let kubectl = run("kubectl", &root, &env.0, &args);
        let kubelite = run(BIN, &root, &env.0, &args);
        assert_eq!(kubectl.code, 1, "{args:?} builds for kubectl");
        if !same(&kubectl, &kubelite) {
            diffs.push(describe(&args.join(" "), &kubectl, &kubelite));
        }
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

#[test]
fn what_kubelite_does_not_build_is_refused() {
    let env = offline_env();
    let root = repo();
    for (fixture, refusal) in REFUSED {
        let path = format!("testdata/kustomize/{fixture}");
        for args in [
            vec!["kustomize", path.as_str()],
            vec!["apply", "-k", path.as_str()],
        ] {
            let got = run(BIN, &root, &env.0, &args);
            assert_eq!(
                (got.code, got.stdout.as_str(), got.stderr.as_str()),
                (1, "", *refusal),
                "{args:?}"
            );
        }
    }
    assert!(!env.0.join("never-created").exists());
}

#[test]
fn k_flag_errors_are_kubectls() {
    if !oracle_present() {
        return;
    }
    let env = offline_env();
    let root = repo();
    let base = "testdata/kustomize/app/base";
    let mut diffs = Vec::new();
    for verb in ["apply", "create", "delete", "get", "diff"] {
        let cases: Vec<Vec<&str>> = vec![
            vec![verb, "-k", "testdata/kustomize/nowhere"],
            vec![verb, "-k", "testdata/kustomize/errors/unknown-field"],
            vec![verb, "-k", "testdata/kustomize/errors/missing-resource"],
            vec![verb, "-k", base, "-f", "x.yaml"],
            vec![verb, "-k", base, "-R"],
            vec![verb, "-k", base, "-f", "x.yaml", "-R"],
        ];
        for args in cases {
            let kubectl = run("kubectl", &root, &env.0, &args);
            let kubelite = run(BIN, &root, &env.0, &args);
            // kubectl fails each (diff with its own exit code for errors, 2).
            assert_eq!(kubectl.code, if verb == "diff" { 2 } else { 1 }, "{args:?}");
            if !same(&kubectl, &kubelite) {
                diffs.push(describe(&args.join(" "), &kubectl, &kubelite));
            }
        }
    }
    for args in [vec!["apply"], vec!["create"]] {
        let kubectl = run("kubectl", &root, &env.0, &args);
        let kubelite = run(BIN, &root, &env.0, &args);
        if !same(&kubectl, &kubelite) {
            diffs.push(describe(&args.join(" "), &kubectl, &kubelite));
        }
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
    assert!(!env.0.join("never-created").exists());
}

/// The hashed name kubelite gives the base's generated ConfigMap.
fn generated_name(env: &Path) -> String {
    let built = run(
        BIN,
        &repo(),
        env,
        &["kustomize", "testdata/kustomize/app/base"],
    )
    .ok("build");
    let name = built
        .lines()
        .find_map(|l| l.trim().strip_prefix("name: web-config-"))
        .expect("a generated name");
    format!("web-config-{name}")
}

#[test]
fn apply_k_then_get_on_the_embedded_cluster() {
    let env = offline_env();
    let home = TempDir::new("kustomize-home");
    let base = repo().join("testdata/kustomize/app/base");
    let base = base.to_string_lossy().into_owned();
    let kl = |args: &[&str]| support::kubelite(&home.0, false, args);
    let cm = generated_name(&env.0);
    assert_eq!(
        kl(&["apply", "-k", &base]).ok("apply -k"),
        format!("configmap/{cm} created\nservice/web created\ndeployment.apps/web created\n")
    );
    assert_eq!(
        kl(&["get", "-k", &base, "-o", "name"]).ok("get -k"),
        format!("configmap/{cm}\nservice/web\ndeployment.apps/web\n")
    );
    // The Deployment reads the ConfigMap by its hashed name, and its pod runs.
    assert_eq!(
        kl(&[
            "get",
            "deploy",
            "web",
            "-o",
            "jsonpath={.spec.template.spec.containers[0].envFrom[0].configMapRef.name}"
        ])
        .ok("get deploy"),
        cm
    );
    assert_eq!(
        kl(&["get", "cm", &cm, "-o", "jsonpath={.data.GREETING}"]).ok("get cm"),
        "hello there"
    );
    let pods = kl(&["get", "pods", "-l", "app=web", "-o", "name"]).ok("pods");
    assert_eq!(pods.lines().count(), 1, "{pods}");
    assert_eq!(
        kl(&["apply", "-k", &base]).ok("apply -k again"),
        format!("configmap/{cm} unchanged\nservice/web unchanged\ndeployment.apps/web unchanged\n")
    );
    let again = kl(&["create", "-k", &base]);
    assert_eq!(again.code, 1);
    assert!(
        again.stderr.contains("AlreadyExists") && again.stderr.contains(&cm),
        "{}",
        again.stderr
    );
    assert_eq!(
        kl(&["delete", "-k", &base]).ok("delete -k"),
        format!(
            "configmap \"{cm}\" deleted\nservice \"web\" deleted\ndeployment.apps \"web\" deleted\n"
        )
    );
    let gone = kl(&["get", "-k", &base]);
    assert_eq!(gone.code, 1);
    assert_eq!(
        gone.stderr,
        format!(
            "Error from server (NotFound): configmaps \"{cm}\" not found\nError from server (NotFound): services \"web\" not found\nError from server (NotFound): deployments.apps \"web\" not found\n"
        )
    );
    assert_eq!(
        kl(&["create", "-k", &base]).ok("create -k"),
        format!("configmap/{cm} created\nservice/web created\ndeployment.apps/web created\n")
    );
}

/// The real kubectl's `-k` against `kubelite serve`, and kubelite's `-k` on its embedded
/// cluster: the same lines, the same objects.
#[test]
fn k_verbs_print_what_kubectls_print() {
    if !oracle_present() {
        return;
    }
    let server = Server::start(false);
    let home = TempDir::new("kustomize-embedded");
    let root = repo();
    let kl = |args: &[&str]| {
        Command::new(BIN)
            .current_dir(&root)
            .args(args)
            .env("KUBELITE_HOME", &home.0)
            .env_remove("KUBECONFIG")
            .output()
            .expect("run kubelite")
            .into()
    };
    let kc = |args: &[&str]| server.kubectl_in(args, Some(&root));
    let base = "testdata/kustomize/app/base";
    let steps: &[&[&str]] = &[
        &["apply", "-k", base],
        &["get", "-k", base, "-o", "name"],
        &["apply", "-k", base],
        &["create", "-k", base],
        &[
            "get",
            "-k",
            base,
            "-o",
            "jsonpath={.items[*].metadata.name}",
        ],
        &["delete", "-k", base],
        &["get", "-k", base],
        &["create", "-k", base, "-o", "name"],
        // Deprecation warnings on stderr, the objects as usual.
        &[
            "apply",
            "-k",
            "testdata/kustomize/legacy/overlay",
            "--dry-run=server",
        ],
        &[
            "create",
            "-k",
            "testdata/kustomize/legacy/overlay",
            "--dry-run=server",
            "-o",
            "name",
        ],
        // kubectl's builder gives namespaced objects without one the default namespace.
        &["create", "-k", base, "--dry-run=client", "-o", "yaml"],
    ];
    let mut diffs = Vec::new();
    for args in steps {
        let kubectl: Run = kc(args);
        let kubelite: Run = kl(args);
        if !same(&kubectl, &kubelite) {
            diffs.push(describe(&args.join(" "), &kubectl, &kubelite));
        }
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}
