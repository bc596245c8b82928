//! Static pods are driven by their files: one-shot kubelite commands on a temporary home,
//! with the control-plane node's manifests edited directly on the host, as `sed -i` in the
//! node shell would.

use std::path::PathBuf;
use std::process::Command;

const NOW: &str = "2026-11-29T01:42:16Z";

struct Home(PathBuf);

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Home {
    fn new(name: &str) -> Home {
        let dir = std::env::temp_dir().join(format!("kubelite-spf-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Home(dir)
    }

    fn run_at(&self, now: &str, args: &[&str]) -> (String, String, i32) {
        let out = Command::new(env!("CARGO_BIN_EXE_kubelite"))
            .args(args)
            .env("KUBELITE_HOME", &self.0)
            .env("KUBELITE_NOW", now)
            .env_remove("KUBECONFIG")
            .output()
            .expect("kubelite runs");
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            out.status.code().unwrap_or(-1),
        )
    }

    fn run(&self, args: &[&str]) -> (String, String, i32) {
        self.run_at(NOW, args)
    }

    fn ok(&self, args: &[&str]) -> String {
        let (out, err, code) = self.run(args);
        assert_eq!(code, 0, "{args:?}: {err}");
        out
    }

    fn manifests(&self) -> PathBuf {
        self.0.join("nodes/master/etc/kubernetes/manifests")
    }

    fn manifest(&self, component: &str) -> PathBuf {
        self.manifests().join(format!("{component}.yaml"))
    }

    /// `sed -i s/from/to/ file`.
    fn sed(&self, component: &str, from: &str, to: &str) {
        let file = self.manifest(component);
        let text = std::fs::read_to_string(&file).expect("manifest");
        assert!(text.contains(from), "{from:?} in {}", file.display());
        let tmp = file.with_extension("sedtmp");
        std::fs::write(&tmp, text.replacen(from, to, 1)).expect("write");
        std::fs::rename(tmp, file).expect("rename");
    }

    fn journal(&self) -> String {
        std::fs::read_to_string(self.0.join("nodes/master/var/log/journal/kubelet.log"))
            .unwrap_or_default()
    }

    fn pod_exists(&self, name: &str) -> bool {
        let (_, _, code) = self.run(&["get", "pod", "-n", "kube-system", name]);
        code == 0
    }
}

fn boot(name: &str) -> Home {
    let home = Home::new(name);
    home.ok(&["get", "nodes"]);
    home
}

#[test]
fn new_clusters_have_kubeadms_manifests() {
    let home = boot("written");
    for c in [
        "etcd",
        "kube-apiserver",
        "kube-controller-manager",
        "kube-scheduler",
    ] {
        let text = std::fs::read_to_string(home.manifest(c)).expect("manifest written");
        assert!(
            text.starts_with("apiVersion: v1\nkind: Pod\nmetadata:\n"),
            "{text}"
        );
        assert!(text.ends_with("status: {}\n"), "{text}");
    }
}

#[test]
fn a_flag_edit_is_in_the_mirror_pod_spec_and_takes_effect() {
    let home = boot("flag");
    home.sed(
        "kube-controller-manager",
        "--node-monitor-grace-period=40s",
        "--node-monitor-grace-period=20s",
    );
    let cmd = home.ok(&[
        "get",
        "pod",
        "-n",
        "kube-system",
        "kube-controller-manager-master",
        "-o",
        "jsonpath={.spec.containers[0].command}",
    ]);
    assert!(cmd.contains("--node-monitor-grace-period=20s"), "{cmd}");
    // A stopped kubelet is noticed after 20s now, not 40s.
    home.ok(&["node", "stop", "node01"]);
    let (out, err, code) = home.run_at(
        "2026-11-29T01:42:46Z",
        &["get", "node", "node01", "--no-headers"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("NotReady"), "{out}");
}

#[test]
fn a_manifest_that_does_not_parse_removes_the_pod_and_is_logged() {
    let home = boot("badyaml");
    home.sed("kube-scheduler", "metadata:", "metadata;");
    assert!(!home.pod_exists("kube-scheduler-master"));
    let journal = home.journal();
    assert!(
        journal.contains(
            "file.go:187] \"Could not process manifest file\" err=\"/etc/kubernetes/manifests/kube-scheduler.yaml: couldn't parse as pod(yaml: line "
        ),
        "{journal}"
    );
    // Nothing else broke; with no scheduler a new pod stays Pending.
    home.ok(&["run", "web", "--image=nginx"]);
    let phase = home.ok(&["get", "pod", "web", "-o", "jsonpath={.status.phase}"]);
    assert_eq!(phase, "Pending");
    home.sed("kube-scheduler", "metadata;", "metadata:");
    assert!(home.pod_exists("kube-scheduler-master"));
    let node = home.ok(&["get", "pod", "web", "-o", "jsonpath={.spec.nodeName}"]);
    assert!(node.starts_with("node0"), "{node:?}");
}

#[test]
fn a_file_moved_out_and_back_removes_and_restores_the_pod() {
    let home = boot("moved");
    let out = home.0.join("kube-scheduler.yaml");
    std::fs::rename(home.manifest("kube-scheduler"), &out).expect("move out");
    assert!(!home.pod_exists("kube-scheduler-master"));
    home.ok(&["run", "web", "--image=nginx"]);
    let phase = home.ok(&["get", "pod", "web", "-o", "jsonpath={.status.phase}"]);
    assert_eq!(phase, "Pending");
    // Not written again: the directory is the user's.
    assert!(!home.manifest("kube-scheduler").exists());
    std::fs::rename(&out, home.manifest("kube-scheduler")).expect("move back");
    assert!(home.pod_exists("kube-scheduler-master"));
    let phase = home.ok(&["get", "pod", "web", "-o", "jsonpath={.status.phase}"]);
    assert_eq!(phase, "Running");
}

#[test]
fn component_statuses_follow_the_static_pods() {
    let home = boot("cs");
    let healthy = home.ok(&["get", "cs", "--no-headers"]);
    assert_eq!(healthy.matches("Healthy   ok").count(), 3, "{healthy}");
    let out = home.0.join("kube-scheduler.yaml");
    std::fs::rename(home.manifest("kube-scheduler"), &out).expect("move out");
    home.sed(
        "kube-controller-manager",
        "image: registry.k8s.io/kube-controller-manager:",
        "image: registry.k8s.io/kube-controller-managr:",
    );
    let message = |name: &str| {
        home.ok(&[
            "get",
            "cs",
            name,
            "-o",
            "jsonpath={.conditions[0].status} {.conditions[0].message}",
        ])
    };
    assert_eq!(
        message("scheduler"),
        "False Get \"https://127.0.0.1:10259/healthz\": dial tcp 127.0.0.1:10259: connect: connection refused"
    );
    assert_eq!(
        message("controller-manager"),
        "False Get \"https://127.0.0.1:10257/healthz\": dial tcp 127.0.0.1:10257: connect: connection refused"
    );
    assert_eq!(message("etcd-0"), "True ok");
    std::fs::rename(&out, home.manifest("kube-scheduler")).expect("move back");
    assert_eq!(message("scheduler"), "True ok");
}

#[test]
fn no_controller_manager_no_replicasets() {
    let home = boot("nocm");
    home.sed(
        "kube-controller-manager",
        "image: registry.k8s.io/kube-controller-manager:",
        "image: registry.k8s.io/kube-controller-managr:",
    );
    let reason = home.ok(&[
        "get",
        "pod",
        "-n",
        "kube-system",
        "kube-controller-manager-master",
        "-o",
        "jsonpath={.status.containerStatuses[0].state.waiting.reason}",
    ]);
    assert!(
        reason.contains("Err") || reason.contains("BackOff"),
        "{reason:?}"
    );
    home.ok(&["create", "deployment", "web", "--image=nginx"]);
    let rs = home.ok(&["get", "replicasets", "-o", "name"]);
    assert_eq!(rs, "");
}

#[test]
fn a_flag_the_process_refuses_crash_loops_it() {
    let home = boot("badflag");
    home.sed(
        "kube-controller-manager",
        "--node-monitor-grace-period=40s",
        "--node-monitor-grace-period=4O",
    );
    let code = home.ok(&[
        "get",
        "pod",
        "-n",
        "kube-system",
        "kube-controller-manager-master",
        "-o",
        "jsonpath={.status.containerStatuses[0].lastState.terminated.exitCode}",
    ]);
    assert_eq!(code, "1");
    home.ok(&["create", "deployment", "web", "--image=nginx"]);
    assert_eq!(home.ok(&["get", "replicasets", "-o", "name"]), "");
    home.sed(
        "kube-controller-manager",
        "--node-monitor-grace-period=4O",
        "--node-monitor-grace-period=40s",
    );
    let rs = home.ok(&["get", "replicasets", "-o", "name"]);
    assert!(rs.starts_with("replicaset.apps/web-"), "{rs:?}");
}

#[test]
fn a_running_server_follows_the_files() {
    let home = boot("serve");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_kubelite"))
        .args(["serve", &format!("--listen=127.0.0.1:{port}")])
        .env("KUBELITE_HOME", &home.0)
        .env("KUBELITE_NOW", NOW)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("serve starts");
    home.sed(
        "kube-controller-manager",
        "--node-monitor-grace-period=40s",
        "--node-monitor-grace-period=25s",
    );
    let jsonpath = "jsonpath={.spec.containers[0].command}";
    let args = [
        "get",
        "pod",
        "-n",
        "kube-system",
        "kube-controller-manager-master",
        "-o",
        jsonpath,
    ];
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut last = String::new();
    while std::time::Instant::now() < deadline {
        let (out, _, code) = home.run(&args);
        last = out;
        if code == 0 && last.contains("--node-monitor-grace-period=25s") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let _ = server.kill();
    let _ = server.wait();
    assert!(last.contains("--node-monitor-grace-period=25s"), "{last}");
}

#[test]
fn a_broken_api_server_manifest_refuses_until_fixed() {
    let home = boot("apiserver");
    home.sed("kube-apiserver", "kind: Pod", "kind: Pd");
    let (_, err, code) = home.run(&["get", "pods"]);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "The connection to the server 192.168.56.10:6443 was refused - did you specify the right host or port?\n"
    );
    home.sed("kube-apiserver", "kind: Pd", "kind: Pod");
    home.ok(&["get", "pods"]);
}

#[test]
fn etcd_follows_its_data_dir() {
    let home = boot("datadir");
    home.ok(&["create", "configmap", "before", "--from-literal=a=1"]);
    // A backup of the store as it is now, where a restore into /var/lib/etcd-from-backup
    // puts it.
    let db = home
        .0
        .join("nodes/master/var/lib/etcd-from-backup/member/snap/db");
    std::fs::create_dir_all(db.parent().unwrap()).unwrap();
    std::fs::copy(home.0.join("cluster.redb"), &db).unwrap();
    home.ok(&["create", "configmap", "after", "--from-literal=a=1"]);
    home.sed(
        "etcd",
        "      path: /var/lib/etcd\n",
        "      path: /var/lib/etcd-from-backup\n",
    );
    let names = home.ok(&["get", "configmaps", "-o", "name"]);
    assert!(names.contains("configmap/before"), "{names}");
    assert!(!names.contains("configmap/after"), "{names}");
    // A data dir with nothing restored into it is a clear error.
    home.sed(
        "etcd",
        "      path: /var/lib/etcd-from-backup\n",
        "      path: /var/lib/etcd-empty\n",
    );
    let (_, err, code) = home.run(&["get", "configmaps"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("/var/lib/etcd-empty") && err.contains("member/snap/db"),
        "{err}"
    );
    home.sed(
        "etcd",
        "      path: /var/lib/etcd-empty\n",
        "      path: /var/lib/etcd\n",
    );
    let names = home.ok(&["get", "configmaps", "-o", "name"]);
    assert!(names.contains("configmap/after"), "{names}");
}
