//! `wait` and `events`: kubelite's remote client and the real kubectl against the same
//! `kubelite serve` must print the same bytes and exit the same way; and the embedded
//! cluster answers `wait` at once (met, or a clear error), never hanging.

use super::support::{BIN, Run, Server, TempDir, kubectl_available, kubelite, manifest};
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p1\n  labels:\n    app: x\nspec:\n  containers:\n  - name: c\n    image: nginx\n";

/// kubelite's own client against the server (the real clock, as kubectl's ages use).
fn kubelite_remote(s: &Server, cache: &Path, args: &[&str]) -> Run {
    Command::new(BIN)
        .arg("--kubeconfig")
        .arg(s.kubeconfig())
        .arg("--cache-dir")
        .arg(cache)
        .args(args)
        .env_remove("KUBECONFIG")
        .env_remove("KUBELITE_NOW")
        .output()
        .expect("run kubelite")
        .into()
}

/// kubelite and kubectl print the same. Tables show ages ("9s"), which two runs a moment
/// apart can read across a second's boundary (and a column then widens): when the two
/// differ, both run again, up to three times, before the difference counts.
fn same(s: &Server, cache: &Path, args: &[&str]) {
    let kubectl = || {
        let mut run = s.kubectl(args);
        run.stderr = without_client_go_noise(&run.stderr);
        run
    };
    let mut want = kubectl();
    let mut got = kubelite_remote(s, cache, args);
    for _ in 0..2 {
        if (got.code, &got.stdout, &got.stderr) == (want.code, &want.stdout, &want.stderr) {
            break;
        }
        want = kubectl();
        got = kubelite_remote(s, cache, args);
    }
    assert_eq!(
        (got.code, &got.stdout, &got.stderr),
        (want.code, &want.stdout, &want.stderr),
        "kubelite {args:?} differs from kubectl (left kubelite, right kubectl)"
    );
}

#[test]
fn wait_and_events_match_kubectl_against_serve() {
    require_kubectl!();
    let s = Server::start(true);
    let dir = TempDir::new("waitev");
    let cache = TempDir::new("waitev-cache");
    let pod = manifest(&dir.0, "pod.yaml", POD);
    s.kubectl(&["create", "-f", &pod.to_string_lossy()])
        .ok("create");
    s.wait_until_settled();
    let cases: &[&[&str]] = &[
        &["wait", "pod/p1", "--for=condition=Ready"],
        &["wait", "pod", "p1", "--for=condition=ready=TRUE"],
        &[
            "wait",
            "pod/p1",
            "--for=condition=Ready=false",
            "--timeout=2s",
        ],
        &[
            "wait",
            "pod/p1",
            "--for=condition=Ready=false",
            "--timeout=0",
        ],
        &["wait", "pod/nope", "--for=condition=Ready", "--timeout=2s"],
        &["wait", "pod/nope", "--for=delete"],
        &["wait", "pod/p1", "--for=delete", "--timeout=2s"],
        &["wait", "pod/p1", "--for=jsonpath={.status.phase}=Running"],
        &["wait", "pod/p1", "--for=jsonpath=.status.phase=Running"],
        &["wait", "pod/p1", "--for=jsonpath={.status.phase}"],
        &["wait", "pod/p1", "--for=jsonpath={.spec}=x"],
        &["wait", "pod/p1", "--for=jsonpath={.a}=b=c"],
        &["wait", "pod/p1", "--for=jsonpath={.a}="],
        &["wait", "pod/p1", "--for=jsonpath={.a", "--timeout=2s"],
        &["wait", "pod/p1", "--for=create"],
        &["wait", "pod/nope", "--for=create", "--timeout=2s"],
        &[
            "wait",
            "pods",
            "--all",
            "-n",
            "kube-system",
            "--for=condition=Ready",
        ],
        &[
            "wait",
            "pods",
            "-l",
            "app=x",
            "--for=condition=Ready",
            "-o",
            "name",
        ],
        &["wait", "pods", "-l", "app=zzz", "--for=condition=Ready"],
        &[
            "wait",
            "pods",
            "--field-selector=metadata.name=p1",
            "--for=condition=Ready",
        ],
        &[
            "wait",
            "pods",
            "-l",
            "app=x",
            "--field-selector=status.phase=Running",
            "--for=condition=Ready",
            "-o",
            "name",
        ],
        &[
            "wait",
            "pods",
            "--field-selector=status.phase=Nope",
            "--for=condition=Ready",
        ],
        &[
            "wait",
            "pods",
            "--field-selector=foo=bar",
            "--for=condition=Ready",
        ],
        &["wait", "pods", "-l", "a b", "--for=condition=Ready"],
        &[
            "wait",
            "pod",
            "p1",
            "--field-selector=status.phase=Running",
            "--for=condition=Ready",
        ],
        &[
            "wait",
            "pods",
            "--all",
            "--field-selector=metadata.name=p1",
            "--for=create",
        ],
        &["wait", "pods", "--for=condition=Ready"],
        &["wait", "pod/nope", "pod/p1", "--for=condition=Ready"],
        &["wait", "pod/p1"],
        &["wait", "pod/p1", "--for=foo"],
        &["wait", "--for=delete"],
        &["wait", "pod/p1", "--for=condition=Ready", "-A"],
        &["wait", "pod/p1", "--for=condition=Ready", "--timeout=bad"],
        &[
            "wait",
            "deploy/coredns",
            "-n",
            "kube-system",
            "--for=condition=Available",
        ],
        &["events"],
        &["events", "-A"],
        &["events", "-n", "kube-system", "--no-headers"],
        &["events", "--for", "pod/p1"],
        &["events", "--for", "deployment/coredns", "-n", "kube-system"],
        &["events", "--types=warning"],
        &["events", "--types=Normal,Warning", "-A"],
        &["events", "--types=Foo"],
        &["events", "-n", "nope"],
        &["events", "-A", "--for", "pods/nope"],
        &["events", "--for", "p1"],
        &["events", "--for", "foo/x"],
        &["events", "-o", "yaml"],
        &["events", "-o", "json", "-A"],
        &["events", "-o", "wide"],
    ];
    for args in cases {
        same(&s, &cache.0, args);
    }
}

/// kubectl's stderr without client-go's own klog lines about its watch ending at the
/// deadline (`E1206 07:37:43.594391 1868 reflector.go:166] "Unhandled Error" ...`): kubectl
/// prints one or not depending on which of its goroutines sees the deadline first.
fn without_client_go_noise(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|l| !(l.starts_with('E') && l.contains("] \"Unhandled Error\" err=")))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Spawns a command whose stdout is read when it is killed.
fn spawn(mut cmd: Command) -> Child {
    cmd.stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn")
}

/// A long-running command whose stdout is read as it is printed, so a test can wait for a
/// line to appear instead of sleeping.
struct Live {
    child: Child,
    stdout: Arc<Mutex<Vec<u8>>>,
    reader: std::thread::JoinHandle<()>,
}

impl Live {
    fn start(cmd: Command) -> Live {
        let mut child = spawn(cmd);
        let mut pipe = child.stdout.take().expect("stdout piped");
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&stdout);
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .expect("stdout lock")
                    .extend_from_slice(&buf[..n]);
            }
        });
        Live {
            child,
            stdout,
            reader,
        }
    }

    fn printed(&self) -> String {
        String::from_utf8_lossy(&self.stdout.lock().expect("stdout lock")).into_owned()
    }

    /// Kills the command and returns what it printed on stdout and stderr.
    fn finish(self) -> (String, String) {
        let Live {
            mut child,
            stdout,
            reader,
        } = self;
        let _ = child.kill();
        let out = child.wait_with_output().expect("output");
        let _ = reader.join();
        let printed = String::from_utf8_lossy(&stdout.lock().expect("stdout lock")).into_owned();
        (printed, String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn waits_and_watches_follow_changes_as_kubectl_does() {
    require_kubectl!();
    let s = Server::start(true);
    let dir = TempDir::new("waitlive");
    let cache = TempDir::new("waitlive-cache");
    let kcache = TempDir::new("waitlive-kcache");
    let pod = manifest(&dir.0, "pod.yaml", POD);
    let with = |program: &str, cache: &Path, args: &[&str]| {
        let mut c = Command::new(program);
        c.arg("--kubeconfig")
            .arg(s.kubeconfig())
            .arg("--cache-dir")
            .arg(cache)
            .args(args)
            .env_remove("KUBECONFIG")
            .env_remove("KUBELITE_NOW");
        c
    };
    let watch = ["events", "-w", "--request-timeout=0"];
    let k_watch = Live::start(with("kubectl", &kcache.0, &watch));
    let l_watch = Live::start(with(BIN, &cache.0, &watch));
    let create = ["wait", "pod/p1", "--for=create", "--timeout=60s"];
    let k_create = spawn(with("kubectl", &kcache.0, &create));
    let l_create = spawn(with(BIN, &cache.0, &create));
    s.kubectl(&["create", "-f", &pod.to_string_lossy()])
        .ok("create");
    let ready = ["wait", "pod/p1", "--for=condition=Ready", "--timeout=60s"];
    same(&s, &cache.0, &ready);
    let k_create = k_create.wait_with_output().expect("kubectl wait");
    let l_create = l_create.wait_with_output().expect("kubelite wait");
    assert_eq!(l_create.stdout, k_create.stdout);
    assert_eq!(l_create.status.code(), k_create.status.code());

    // A delete the waits see happen: kubectl's wait reads the object first, so when the
    // deletion wins the race with its start it prints nothing; only the bytes must agree.
    let delete = ["wait", "pod/p1", "--for=delete", "--timeout=60s"];
    let k_delete = spawn(with("kubectl", &kcache.0, &delete));
    let l_delete = spawn(with(BIN, &cache.0, &delete));
    s.kubectl(&["delete", "pod", "p1", "--wait=false"])
        .ok("delete");
    let k_delete = k_delete.wait_with_output().expect("kubectl wait");
    let l_delete = l_delete.wait_with_output().expect("kubelite wait");
    assert_eq!(k_delete.status.code(), Some(0));
    assert_eq!(l_delete.status.code(), Some(0));
    for out in [&k_delete.stdout, &l_delete.stdout] {
        let text = String::from_utf8_lossy(out);
        assert!(
            text.is_empty() || text == "pod/p1 condition met\n",
            "{text}"
        );
    }

    // Both watches have seen the pod's whole life once each has printed its last event
    // (the pod's Killing) and as many rows as the list holds.
    let deadline = Instant::now() + Duration::from_secs(30);
    let seen_all = || {
        let rows = s
            .kubectl(&["events", "--no-headers"])
            .stdout
            .lines()
            .count();
        let whole = |out: String| out.contains("Killing") && out.lines().count() > rows;
        rows > 0 && whole(k_watch.printed()) && whole(l_watch.printed())
    };
    while Instant::now() < deadline && !seen_all() {
        std::thread::sleep(Duration::from_millis(100));
    }
    let (k_out, _) = k_watch.finish();
    let (l_out, l_err) = l_watch.finish();
    assert!(k_out.contains("Killing"), "{k_out}");
    // Each row's age is read when it is printed, by two processes a moment apart.
    if l_out != k_out {
        assert_eq!(
            without_ages(&l_out),
            without_ages(&k_out),
            "events -w differs (left kubelite): {l_err}"
        );
    }
}

/// Rows with their ages ("0s", "2m3s") as "AGE" and runs of spaces as one.
fn without_ages(text: &str) -> String {
    let is_age = |w: &str| {
        let w = w.trim_end_matches(|c: char| c.is_ascii_digit() || "smhd".contains(c));
        w.is_empty()
    };
    text.lines()
        .map(|line| {
            line.split_whitespace()
                .map(|w| {
                    if is_age(w) && w.ends_with(['s', 'm', 'h', 'd']) {
                        "AGE"
                    } else {
                        w
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn embedded_wait_answers_at_once() {
    let home = TempDir::new("waitemb");
    let pod = manifest(&home.0, "pod.yaml", POD);
    kubelite(&home.0, true, &["create", "-f", &pod.to_string_lossy()]).ok("create");
    let run = |args: &[&str]| kubelite(&home.0, true, args);
    let met = run(&["wait", "pod/p1", "--for=condition=Ready"]);
    assert_eq!(
        (met.code, met.stdout.as_str()),
        (0, "pod/p1 condition met\n")
    );
    let never = run(&[
        "wait",
        "pod/p1",
        "--for=condition=Ready=false",
        "--timeout=1h",
    ]);
    assert_eq!(never.code, 1);
    assert_eq!(
        never.stderr,
        "error: condition not met for pods/p1: the embedded cluster is quiescent at its current time, so waiting cannot change it\n"
    );
    let gone = run(&["wait", "pod/nope", "--for=delete"]);
    assert_eq!((gone.code, gone.stdout.as_str()), (0, ""));
    let events = run(&["events", "--for", "pod/p1", "--no-headers"]);
    assert_eq!(events.code, 0, "{}", events.stderr);
    assert!(
        events.stdout.contains("Started container c"),
        "{}",
        events.stdout
    );
    let watch = run(&["events", "-w"]);
    assert_eq!(watch.code, 1);
    assert!(watch.stderr.starts_with("error: events -w needs a server"));
}

#[test]
fn wait_by_field_selector_in_the_embedded_cluster() {
    let home = TempDir::new("wait-fields");
    let dir = TempDir::new("wait-fields-files");
    let pod = manifest(&dir.0, "pod.yaml", POD);
    kubelite(&home.0, false, &["create", "-f", &pod.to_string_lossy()]).ok("create");
    let wait = |fields: &str| {
        kubelite(
            &home.0,
            false,
            &[
                "wait",
                "pods",
                "--field-selector",
                fields,
                "--for=condition=Ready",
            ],
        )
    };
    assert_eq!(
        wait("metadata.name=p1").ok("wait"),
        "pod/p1 condition met\n"
    );
    let none = wait("status.phase=Nope");
    assert_eq!(
        (none.code, none.stderr.as_str()),
        (1, "error: no matching resources found\n")
    );
    let bad = wait("foo=bar");
    assert_eq!(
        (bad.code, bad.stderr.as_str()),
        (
            1,
            "Error from server (BadRequest): Unable to find \"/v1, Resource=pods\" that match label selector \"\", field selector \"foo=bar\": field label not supported: foo\n"
        )
    );
}
