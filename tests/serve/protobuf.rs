//! The real kubectl's imperative `create` commands send their objects as
//! `application/vnd.kubernetes.protobuf`. Each command runs against one server (protobuf),
//! and the JSON that `--dry-run=client -o json` prints for the same command is created on a
//! second server (JSON); the stored objects must be the same.

use super::support::{Server, TempDir, kubectl_available};
use serde_json::Value;

/// One imperative command, and the object it makes (`resource/name` for `kubectl get`).
struct Case {
    args: Vec<String>,
    object: &'static str,
    printed: &'static str,
}

fn case(args: &[&str], object: &'static str, printed: &'static str) -> Case {
    Case {
        args: args.iter().map(|a| a.to_string()).collect(),
        object,
        printed,
    }
}

/// What differs between two servers for the same object: identity, times, allocations made
/// by the server and state written by controllers.
fn normalized(mut obj: Value) -> Value {
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        for volatile in ["uid", "resourceVersion", "creationTimestamp"] {
            meta.remove(volatile);
        }
        if let Some(Value::Array(entries)) = meta.get_mut("managedFields") {
            for e in entries.iter_mut().filter_map(Value::as_object_mut) {
                e.remove("time");
            }
        }
    }
    if let Some(obj) = obj.as_object_mut() {
        obj.remove("status");
    }
    // Addresses are allocated from the store's revision at the time (as random as kube's):
    // two servers whose control planes ran differently pick different ones.
    if let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) {
        spec.remove("clusterIP");
        spec.remove("clusterIPs");
        if let Some(Value::Array(ports)) = spec.get_mut("ports") {
            for p in ports.iter_mut().filter_map(Value::as_object_mut) {
                p.remove("nodePort");
            }
        }
    }
    obj
}

fn get_json(s: &Server, object: &str) -> Value {
    let out = s.kubectl(&["get", object, "-o", "json"]).ok(object);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{object}: {e}: {out}"))
}

fn cases(dir: &std::path::Path) -> Vec<Case> {
    let binary = dir.join("blob.bin");
    std::fs::write(&binary, b"a\xff\xfe\x00b").expect("binary file");
    let text = dir.join("settings.txt");
    std::fs::write(&text, "x=1\ny=2\n").expect("text file");
    let env = dir.join("vars.env");
    std::fs::write(&env, "A=1\nB=two\n").expect("env file");
    let certified =
        rcgen::generate_simple_self_signed(vec!["tls.example".to_string()]).expect("cert");
    let cert = dir.join("tls.crt");
    let key = dir.join("tls.key");
    std::fs::write(&cert, certified.cert.pem()).expect("cert file");
    std::fs::write(&key, certified.signing_key.serialize_pem()).expect("key file");
    let p = |p: &std::path::Path| p.display().to_string();
    let from_file = format!("--from-file={}", p(&text));
    let from_binary = format!("--from-file={}", p(&binary));
    let from_env = format!("--from-env-file={}", p(&env));
    let cert_arg = format!("--cert={}", p(&cert));
    let key_arg = format!("--key={}", p(&key));
    vec![
        case(
            &[
                "create",
                "configmap",
                "cm1",
                "--from-literal=a=b",
                "--from-literal=c=d",
            ],
            "configmap/cm1",
            "configmap/cm1 created\n",
        ),
        case(
            &["create", "configmap", "cm2", &from_file, &from_binary],
            "configmap/cm2",
            "configmap/cm2 created\n",
        ),
        case(
            &["create", "configmap", "cm3", &from_env, "--append-hash"],
            "configmap/cm3-mcgm6c4b2g",
            "configmap/cm3-mcgm6c4b2g created\n",
        ),
        case(
            &[
                "create",
                "secret",
                "generic",
                "sg1",
                "--from-literal=user=admin",
                "--type=Opaque",
            ],
            "secret/sg1",
            "secret/sg1 created\n",
        ),
        case(
            &[
                "create",
                "secret",
                "generic",
                "sg2",
                &from_binary,
                "--from-literal=b=c",
            ],
            "secret/sg2",
            "secret/sg2 created\n",
        ),
        case(
            &[
                "create",
                "secret",
                "docker-registry",
                "reg",
                "--docker-username=u",
                "--docker-password=p",
                "--docker-server=registry.example",
                "--docker-email=u@example",
            ],
            "secret/reg",
            "secret/reg created\n",
        ),
        case(
            &["create", "secret", "tls", "tls1", &cert_arg, &key_arg],
            "secret/tls1",
            "secret/tls1 created\n",
        ),
        case(
            &[
                "create",
                "deployment",
                "web",
                "--image=nginx",
                "--port=80",
                "--replicas=2",
            ],
            "deployment.apps/web",
            "deployment.apps/web created\n",
        ),
        case(
            &[
                "create",
                "deployment",
                "pair",
                "--image=nginx",
                "--image=busybox",
                "--replicas=0",
            ],
            "deployment.apps/pair",
            "deployment.apps/pair created\n",
        ),
        case(
            &[
                "create",
                "deployment",
                "cmd",
                "--image=busybox",
                "--",
                "sleep",
                "3600",
            ],
            "deployment.apps/cmd",
            "deployment.apps/cmd created\n",
        ),
        case(
            &["create", "namespace", "team-a"],
            "namespace/team-a",
            "namespace/team-a created\n",
        ),
        case(
            &["create", "serviceaccount", "robot"],
            "serviceaccount/robot",
            "serviceaccount/robot created\n",
        ),
        case(
            &[
                "create",
                "quota",
                "q1",
                "--hard=cpu=1,memory=1G,pods=2,requests.storage=10Gi",
            ],
            "resourcequota/q1",
            "resourcequota/q1 created\n",
        ),
        case(
            &[
                "create",
                "quota",
                "q2",
                "--hard=pods=5",
                "--scopes=BestEffort,NotTerminating",
            ],
            "resourcequota/q2",
            "resourcequota/q2 created\n",
        ),
        case(
            &[
                "create",
                "service",
                "clusterip",
                "c1",
                "--tcp=5678:8080",
                "--tcp=443:https",
            ],
            "service/c1",
            "service/c1 created\n",
        ),
        case(
            &[
                "create",
                "service",
                "clusterip",
                "headless",
                "--clusterip=None",
                "--tcp=80",
            ],
            "service/headless",
            "service/headless created\n",
        ),
        case(
            &[
                "create",
                "service",
                "nodeport",
                "np1",
                "--tcp=5678:8080",
                "--node-port=30080",
            ],
            "service/np1",
            "service/np1 created\n",
        ),
        case(
            &["create", "service", "loadbalancer", "lb1", "--tcp=80:8080"],
            "service/lb1",
            "service/lb1 created\n",
        ),
        case(
            &[
                "create",
                "service",
                "externalname",
                "en1",
                "--external-name=example.com",
            ],
            "service/en1",
            "service/en1 created\n",
        ),
    ]
}

#[test]
fn imperative_creates_store_what_their_json_stores() {
    require_kubectl!();
    let proto = Server::start(false);
    let json = Server::start(false);
    let dir = TempDir::new("protobuf-files");
    for c in cases(&dir.0) {
        let args: Vec<&str> = c.args.iter().map(String::as_str).collect();
        let what = args.join(" ");

        // kubectl's own JSON of the object, created through the JSON path.
        // (Flags go before any `--`, which ends them.)
        let mut dry = args.clone();
        dry.splice(1..1, ["--dry-run=client", "-o", "json"]);
        let printed = proto.kubectl(&dry).ok(&format!("{what} --dry-run"));
        let file = dir.0.join("object.json");
        std::fs::write(&file, &printed).expect("write object");
        json.kubectl(&["create", "-f", &file.display().to_string()])
            .ok(&format!("create -f of {what}"));

        // The same command sends protobuf.
        let run = proto.kubectl(&args);
        assert_eq!(
            (run.code, run.stdout.as_str(), run.stderr.as_str()),
            (0, c.printed, ""),
            "{what}"
        );
        // Each server's control plane reacts on its own time (a Deployment gains its
        // revision annotation, say): compare once both have caught up.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        let (mut from_proto, mut from_json);
        loop {
            from_proto = normalized(get_json(&proto, c.object));
            from_json = normalized(get_json(&json, c.object));
            if from_proto == from_json || std::time::Instant::now() > deadline {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        assert_eq!(
            from_proto, from_json,
            "{what}: the object stored from protobuf differs from the one stored from JSON"
        );
    }

    // The protobuf path reaches the store: a second create of the same name conflicts.
    let again = proto.kubectl(&["create", "configmap", "cm1", "--from-literal=a=b"]);
    assert_eq!(
        (again.code, again.stdout.as_str(), again.stderr.as_str()),
        (
            1,
            "",
            "error: failed to create configmap: configmaps \"cm1\" already exists\n"
        )
    );
    // Into another namespace, by flag.
    let run = proto.kubectl(&[
        "create",
        "configmap",
        "cm9",
        "-n",
        "team-a",
        "--from-literal=k=v",
    ]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "configmap/cm9 created\n")
    );
    let got = proto.kubectl(&[
        "get",
        "configmap",
        "cm9",
        "-n",
        "team-a",
        "-o",
        "jsonpath={.data.k}",
    ]);
    assert_eq!(got.ok("get cm9"), "v");
}

/// The versioned kubectl binaries (`kubectl.1.27` ...) beside the dispatcher on the PATH.
fn versioned_kubectls() -> Vec<std::path::PathBuf> {
    let Some(dispatcher) = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("kubectl"))
            .find(|p| p.is_file())
    }) else {
        return Vec::new();
    };
    let Some(dir) = std::fs::canonicalize(dispatcher)
        .ok()
        .and_then(|p| p.parent().map(|d| d.to_path_buf()))
    else {
        return Vec::new();
    };
    (27..=33)
        .map(|minor| dir.join(format!("kubectl.1.{minor}")))
        .filter(|p| p.is_file())
        .collect()
}

#[test]
fn every_kubectl_version_creates_through_protobuf() {
    require_kubectl!();
    let s = Server::start(false);
    let binaries = versioned_kubectls();
    for bin in &binaries {
        let minor = bin.display().to_string();
        let minor = minor.rsplit('.').next().unwrap_or("x").to_string();
        let cache = TempDir::new("protobuf-cache");
        let run = |args: &[&str]| -> super::support::Run {
            std::process::Command::new(bin)
                .arg("--kubeconfig")
                .arg(s.kubeconfig())
                .arg("--cache-dir")
                .arg(&cache.0)
                .args(args)
                .env_remove("KUBECONFIG")
                .output()
                .expect("run versioned kubectl")
                .into()
        };
        let name = format!("v{minor}");
        for (args, printed) in [
            (
                vec![
                    "create",
                    "deployment",
                    &name,
                    "--image=nginx",
                    "--replicas=3",
                ],
                format!("deployment.apps/{name} created\n"),
            ),
            (
                vec!["create", "configmap", &name, "--from-literal=k=v"],
                format!("configmap/{name} created\n"),
            ),
            (
                vec!["create", "service", "nodeport", &name, "--tcp=80:8080"],
                format!("service/{name} created\n"),
            ),
        ] {
            let r = run(&args);
            assert_eq!(
                (r.code, r.stdout.as_str(), r.stderr.as_str()),
                (0, printed.as_str(), ""),
                "kubectl 1.{minor} {}",
                args.join(" ")
            );
        }
        let got = s
            .kubectl(&[
                "get",
                "deployment",
                &name,
                "-o",
                "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}",
            ])
            .ok("get deployment");
        assert_eq!(got, "3 nginx", "kubectl 1.{minor}");
    }
    eprintln!("{} versioned kubectl binaries", binaries.len());
}

/// Raw protobuf bodies that are not well-formed, or hold kinds kubelite cannot read, get a
/// Status (400 and 415), and the server keeps serving.
#[test]
fn malformed_and_unsupported_protobuf_bodies() {
    let s = Server::start(false);
    let http = s.https();
    let url = format!("{}/api/v1/namespaces/default/configmaps", s.url);
    let post = |body: Vec<u8>| -> (u16, Value) {
        let resp = http
            .post(&url)
            .header("Authorization", format!("Bearer {}", s.token()))
            .header("Content-Type", "application/vnd.kubernetes.protobuf")
            .body(body)
            .send()
            .expect("request");
        let code = resp.status().as_u16();
        let body = resp.bytes().expect("body");
        (code, serde_json::from_slice(&body).unwrap_or(Value::Null))
    };
    // The envelope of a ConfigMap named `ok`, and the same with its raw object cut short.
    let meta = [0x0a, 0x04, 0x0a, 0x02, b'o', b'k'];
    let envelope = |kind: &[u8], raw: &[u8]| -> Vec<u8> {
        let mut type_meta = vec![0x0a, 0x02, b'v', b'1', 0x12, kind.len() as u8];
        type_meta.extend_from_slice(kind);
        let mut out = b"k8s\0".to_vec();
        out.extend_from_slice(&[0x0a, type_meta.len() as u8]);
        out.extend_from_slice(&type_meta);
        out.extend_from_slice(&[0x12, raw.len() as u8]);
        out.extend_from_slice(raw);
        out
    };
    for (body, code, reason) in [
        (b"k8s".to_vec(), 400, "BadRequest"),
        (b"{\"kind\":\"ConfigMap\"}".to_vec(), 400, "BadRequest"),
        (envelope(b"ConfigMap", &meta[..5]), 400, "BadRequest"),
        (envelope(b"ConfigMap", &[0x08, 0x80]), 400, "BadRequest"),
        (
            envelope(b"ConfigMap", &[0xfa, 0x06, 0x00]),
            400,
            "BadRequest",
        ),
        (envelope(b"Binding", &meta), 415, "UnsupportedMediaType"),
        (envelope(b"Pod", &meta), 400, "BadRequest"),
    ] {
        let (got, status) = post(body.clone());
        assert_eq!(
            (got, status["kind"].as_str(), status["reason"].as_str()),
            (code, Some("Status"), Some(reason)),
            "{body:?}: {status}"
        );
    }
    let (code, created) = post(envelope(b"ConfigMap", &meta));
    assert_eq!(
        (
            code,
            created.pointer("/metadata/name").and_then(Value::as_str)
        ),
        (201, Some("ok"))
    );
}
