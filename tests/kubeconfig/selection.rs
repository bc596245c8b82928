//! Which cluster, credentials and namespace a command gets: kubectl's merge and overrides
//! through `select_with`, and kubelite's default mode through the binary.

use super::sandbox::{BIN, Sandbox};
use super::{FILE_A, FILE_B};
use kubelite::kubeconfig::{
    Environment, InClusterEnv, Overrides, SelectError, Selection, Target, select_with,
};
use std::path::{Path, PathBuf};

fn fixtures() -> Vec<(&'static str, &'static str)> {
    vec![
        ("a/config", FILE_A),
        ("b/config", FILE_B),
        ("a/ca.crt", "CA FILE\n"),
        ("a/certs/cert.pem", "CERT FILE\n"),
    ]
}

const EMBEDDED: &str = "/embedded/home";

fn select(sb: &Sandbox, kubeconfig: Option<&str>, o: Overrides) -> Result<Selection, SelectError> {
    // Paths in KUBECONFIG are made absolute so the test does not depend on its working dir.
    let env = Environment {
        kubeconfig: kubeconfig.map(|list| {
            list.split(':')
                .map(|p| sb.dir.join(p).to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(":")
        }),
        home: Some(sb.dir.join("home")),
    };
    select_with(&o, &env, &InClusterEnv::default(), Path::new(EMBEDDED))
}

fn remote(s: &Selection) -> &kubelite::client::ConnectionConfig {
    match &s.target {
        Target::Remote(c) => c,
        other => panic!("expected a remote cluster, got {other:?}"),
    }
}

fn context(name: &str) -> Overrides {
    Overrides {
        context: Some(name.into()),
        ..Default::default()
    }
}

#[test]
fn current_context_comes_from_the_first_file_that_sets_it() {
    let sb = Sandbox::new(&fixtures());
    let s = select(&sb, Some("a/config:missing:b/config"), Overrides::default()).unwrap();
    assert_eq!(s.context.as_deref(), Some("ctx-b"));
    let c = remote(&s);
    assert_eq!(c.server, "https://bonly:6443");
    assert!(c.insecure_skip_tls_verify);
    assert_eq!(c.credentials.username.as_deref(), Some("bob"));
    assert_eq!(c.credentials.password.as_deref(), Some("hunter2"));
    assert_eq!(s.namespace, "default");
}

#[test]
fn a_clashing_name_comes_whole_from_the_first_file_with_its_paths_resolved_there() {
    let sb = Sandbox::new(&fixtures());
    let s = select(&sb, Some("a/config:b/config"), context("both")).unwrap();
    let c = remote(&s);
    // cluster "shared" and user "ua" are a's; b's context "both" (namespace nsb) is ignored.
    assert_eq!(c.server, "https://a.example:6443");
    assert_eq!(c.ca_pem.as_deref(), Some(&b"CA FILE\n"[..]));
    assert_eq!(c.credentials.token.as_deref(), Some("secret-token"));
    assert_eq!(
        c.credentials.client_cert_pem.as_deref(),
        Some(&b"CERT FILE\n"[..])
    );
    assert_eq!(c.credentials.client_key_pem.as_deref(), Some(&b"key\n"[..]));
    assert_eq!(s.namespace, "default");

    let s = select(&sb, Some("b/config:a/config"), context("both")).unwrap();
    assert_eq!(remote(&s).server, "https://b.example:6443");
    assert_eq!(s.namespace, "nsb");
}

#[test]
fn namespace_and_connection_flags_override_the_context() {
    let sb = Sandbox::new(&fixtures());
    let s = select(&sb, Some("a/config"), context("ctx-a")).unwrap();
    assert_eq!(s.namespace, "nsa");
    let o = Overrides {
        namespace: Some("mine".into()),
        server: Some("https://other:1".into()),
        token: Some("flag-token".into()),
        request_timeout: "5s".into(),
        as_user: Some("jane".into()),
        ..context("ctx-a")
    };
    let s = select(&sb, Some("a/config"), o).unwrap();
    assert_eq!(s.namespace, "mine");
    let c = remote(&s);
    assert_eq!(c.server, "https://other:1");
    assert_eq!(c.credentials.token.as_deref(), Some("flag-token"));
    assert_eq!(c.request_timeout, Some(std::time::Duration::from_secs(5)));
    assert_eq!(c.impersonate_user.as_deref(), Some("jane"));
    // --insecure-skip-tls-verify drops the file's CA instead of conflicting with it.
    let o = Overrides {
        insecure_skip_tls_verify: true,
        ..context("ctx-a")
    };
    let c = select(&sb, Some("a/config"), o).unwrap();
    assert_eq!(remote(&c).ca_pem, None);
    assert!(remote(&c).insecure_skip_tls_verify);
}

#[test]
fn exec_plugin_command_with_a_slash_is_resolved_against_its_file() {
    let sb = Sandbox::new(&fixtures());
    let o = Overrides {
        user: Some("ex".into()),
        ..context("ctx-b")
    };
    let s = select(&sb, Some("b/config"), o).unwrap();
    let exec = remote(&s).credentials.exec.clone().expect("exec plugin");
    assert_eq!(PathBuf::from(&exec.command), sb.dir.join("b/bin/plugin"));
    assert_eq!(exec.args, ["get-token"]);
    assert_eq!(exec.env, [("MODE".to_string(), "test".to_string())]);
    assert_eq!(exec.interactive_mode.as_deref(), Some("IfAvailable"));
}

#[test]
fn missing_names_are_errors_in_kubectl_words() {
    let sb = Sandbox::new(&fixtures());
    assert_eq!(
        select(&sb, Some("a/config"), context("nope")).unwrap_err(),
        SelectError::ContextNotFound("nope".into())
    );
    let o = Overrides {
        user: Some("zz".into()),
        ..context("ctx-a")
    };
    assert_eq!(
        select(&sb, Some("a/config"), o).unwrap_err(),
        SelectError::Message("auth info \"zz\" does not exist".into())
    );
}

#[test]
fn empty_config_means_localhost_or_the_pods_service_account() {
    let sb = Sandbox::new(&[("sa/token", "pod-token\n"), ("sa/namespace", "team\n")]);
    let env = Environment {
        kubeconfig: Some("/dev/null".into()),
        home: Some(sb.dir.join("home")),
    };
    let none = InClusterEnv::default();
    let s = select_with(&Overrides::default(), &env, &none, Path::new(EMBEDDED)).unwrap();
    assert_eq!(remote(&s).server, "http://localhost:8080");
    let bare = Overrides {
        server: Some("10.0.0.1:6443".into()),
        ..Default::default()
    };
    let s = select_with(&bare, &env, &none, Path::new(EMBEDDED)).unwrap();
    assert_eq!(remote(&s).server, "http://10.0.0.1:6443");

    let pod = InClusterEnv {
        host: Some("10.96.0.1".into()),
        port: Some("443".into()),
        pod_namespace: None,
        account_dir: sb.dir.join("sa"),
    };
    let s = select_with(&Overrides::default(), &env, &pod, Path::new(EMBEDDED)).unwrap();
    assert_eq!(remote(&s).server, "https://10.96.0.1:443");
    assert_eq!(remote(&s).credentials.token.as_deref(), Some("pod-token"));
    assert_eq!(s.namespace, "team");
    // Not in kubelite's default mode: there the embedded cluster is the answer.
    let default_env = Environment {
        kubeconfig: None,
        home: Some(sb.dir.join("home")),
    };
    let s = select_with(
        &Overrides::default(),
        &default_env,
        &pod,
        Path::new(EMBEDDED),
    )
    .unwrap();
    assert_eq!(
        s.target,
        Target::Embedded {
            home: EMBEDDED.into()
        }
    );
}

#[test]
fn a_kubelite_server_url_is_an_embedded_cluster() {
    let sb = Sandbox::new(&fixtures());
    let o = Overrides {
        server: Some("kubelite:///srv/cluster2".into()),
        ..context("ctx-a")
    };
    let s = select(&sb, Some("a/config"), o).unwrap();
    assert_eq!(
        s.target,
        Target::Embedded {
            home: "/srv/cluster2".into()
        }
    );
    assert_eq!(s.namespace, "nsa");
}

/// `~/.kube/config` whose current context is a remote cluster (nothing listens there), and a
/// context naming a second embedded cluster in the sandbox.
fn home_config(sb_dir: &Path) -> String {
    format!(
        "apiVersion: v1
kind: Config
clusters:
- name: remote
  cluster: {{server: \"https://127.0.0.1:1\"}}
- name: second
  cluster: {{server: \"kubelite://{}/second-home\"}}
contexts:
- name: remote
  context: {{cluster: remote, namespace: far}}
- name: second
  context: {{cluster: second, namespace: kube-system}}
current-context: remote
",
        sb_dir.display()
    )
}

#[test]
fn default_mode_ignores_home_current_context_and_selects_home_contexts_by_name() {
    let sb = Sandbox::new(&[]);
    let config = home_config(&sb.dir);
    std::fs::create_dir_all(sb.dir.join("home/.kube")).unwrap();
    std::fs::write(sb.dir.join("home/.kube/config"), &config).unwrap();

    let s = select_with(
        &Overrides::default(),
        &Environment {
            kubeconfig: None,
            home: Some(sb.dir.join("home")),
        },
        &InClusterEnv::default(),
        Path::new(EMBEDDED),
    )
    .unwrap();
    assert_eq!(s.context.as_deref(), Some("kubelite"));

    // The embedded cluster answers although ~/.kube/config's current context is remote.
    let out = sb.run(BIN, None, &["get", "namespaces", "-o", "name"]);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(out.stdout.contains("namespace/kube-system"), "{out:?}");
    assert!(sb.dir.join("kubelite-home/cluster.redb").exists());

    // --context picks a context of ~/.kube/config: here a second embedded cluster, whose
    // namespace applies.
    let out = sb.run(
        BIN,
        None,
        &["--context", "second", "get", "pods", "-o", "name"],
    );
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(out.stdout.contains("pod/etcd-master"), "{out:?}");
    assert!(sb.dir.join("second-home/cluster.redb").exists());

    let out = sb.run(BIN, None, &["config", "current-context"]);
    assert_eq!(out.stdout, "kubelite\n");
    let out = sb.run(BIN, None, &["config", "get-contexts", "-o", "name"]);
    assert_eq!(out.stdout, "kubelite\nremote\nsecond\n");

    // Changing ~/.kube/config in this mode is refused and leaves it alone.
    let out = sb.run(BIN, None, &["config", "use-context", "second"]);
    assert_eq!(out.code, Some(1));
    assert!(
        out.stderr.contains("export KUBECONFIG=~/.kube/config"),
        "{out:?}"
    );
    let out = sb.run(
        BIN,
        None,
        &["config", "set-context", "--current", "--namespace=x"],
    );
    assert_eq!(out.code, Some(1));
    assert_eq!(sb.read("home/.kube/config"), config);

    // Named through KUBECONFIG, the same file follows kubectl's rules.
    let out = sb.run(
        BIN,
        Some("home/.kube/config"),
        &["config", "current-context"],
    );
    assert_eq!(out.stdout, "remote\n");
}

#[test]
fn default_view_redacts_secrets_and_raw_shows_them() {
    let sb = Sandbox::new(&fixtures());
    let view = sb.run(BIN, Some("a/config:b/config"), &["config", "view"]);
    assert_eq!(view.code, Some(0));
    for secret in ["secret-token", "hunter2", "a2V5Cg==", "Q0FEQVRBCg=="] {
        assert!(
            !view.stdout.contains(secret),
            "{secret} shown: {}",
            view.stdout
        );
    }
    assert!(view.stdout.contains("client-key-data: DATA+OMITTED\n"));
    assert!(
        view.stdout
            .contains("certificate-authority-data: DATA+OMITTED\n")
    );
    assert!(view.stdout.contains("token: REDACTED\n"));
    assert!(view.stdout.contains("password: REDACTED\n"));
    let raw = sb.run(BIN, Some("a/config:b/config"), &["config", "view", "--raw"]);
    for secret in ["secret-token", "hunter2", "a2V5Cg==", "Q0FEQVRBCg=="] {
        assert!(
            raw.stdout.contains(secret),
            "{secret} missing: {}",
            raw.stdout
        );
    }
    // b's user "ua" (token from-b) loses to a's.
    assert!(!raw.stdout.contains("from-b"));
}

#[test]
fn a_broken_home_config_does_not_stop_the_embedded_cluster_in_default_mode() {
    let sb = Sandbox::new(&[("home/.kube/config", "clusters: [\n")]);
    let env = Environment {
        kubeconfig: None,
        home: Some(sb.dir.join("home")),
    };
    let none = InClusterEnv::default();
    let s = select_with(&Overrides::default(), &env, &none, Path::new(EMBEDDED)).unwrap();
    assert_eq!(
        s.target,
        Target::Embedded {
            home: EMBEDDED.into()
        }
    );
    // Picking a context from it, or naming it, reports the file's error.
    let err = select_with(&context("prod"), &env, &none, Path::new(EMBEDDED)).unwrap_err();
    assert!(
        matches!(&err, SelectError::Message(m) if m.starts_with("error loading config file")),
        "{err:?}"
    );
    let named = Environment {
        kubeconfig: Some(
            sb.dir
                .join("home/.kube/config")
                .to_string_lossy()
                .into_owned(),
        ),
        ..env
    };
    assert!(select_with(&Overrides::default(), &named, &none, Path::new(EMBEDDED)).is_err());
}

/// kubectl drops fields its types do not know when it rewrites a file; kubelite keeps them
/// (and otherwise writes kubectl's bytes).
#[test]
fn a_rewrite_keeps_fields_kubectl_does_not_know() {
    let sb = Sandbox::new(&[(
        "k/config",
        "x-top: keep me\nclusters:\n- name: c\n  x-entry: 1\n  cluster: {server: \"https://c\", x-inner: [a]}\ncontexts:\n- name: dev\n  context: {cluster: c}\n",
    )]);
    let out = sb.run(
        BIN,
        Some("k/config"),
        &["config", "set-context", "dev", "--namespace=z"],
    );
    assert_eq!(out.stdout, "Context \"dev\" modified.\n", "{out:?}");
    assert_eq!(
        sb.read("k/config"),
        "apiVersion: v1
clusters:
- cluster:
    server: https://c
    x-inner:
    - a
  name: c
  x-entry: 1
contexts:
- context:
    cluster: c
    namespace: z
    user: \"\"
  name: dev
current-context: \"\"
kind: Config
preferences: {}
users: null
x-top: keep me
"
    );
}
