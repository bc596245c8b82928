//! `kubelite node ssh NODE -- COMMAND`: one command in a real shell on a simulated node,
//! end to end through the binary (namespaces, the node's files, the node programs).

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_kubelite");

/// A cluster home of its own, removed at the end.
struct Home(PathBuf);

impl Home {
    fn new(name: &str) -> Home {
        let dir =
            std::env::temp_dir().join(format!("kubelite-node-shell-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("mkdir home");
        Home(dir)
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct Out {
    stdout: String,
    stderr: String,
    code: Option<i32>,
}

fn kubelite(home: &Path, args: &[&str]) -> Out {
    let out = Command::new(BIN)
        .args(args)
        .env("KUBELITE_HOME", home)
        .env_remove("KUBECONFIG")
        .env_remove("KUBELITE_NODE")
        .output()
        .expect("run kubelite");
    Out {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code(),
    }
}

/// `kubelite ssh NODE -- LINE`.
fn on(home: &Path, node: &str, line: &str) -> Out {
    kubelite(home, &["ssh", node, "--", line])
}

fn has_program(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
}

#[test]
fn ps_aux_shows_the_control_planes_real_flags() {
    let home = Home::new("ps");
    let out = on(&home.0, "master", "ps aux | grep kube-controller-manager");
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stdout
            .contains(" kube-controller-manager --allocate-node-cidrs=true")
            && out.stdout.contains("--node-monitor-grace-period=40s"),
        "{}",
        out.stdout
    );
    let ef = kubelite(&home.0, &["node", "ssh", "master", "--", "ps", "-ef"]);
    assert!(
        ef.stdout
            .starts_with("UID          PID    PPID  C STIME TTY          TIME CMD\n")
    );
    for program in [
        "etcd --",
        "kube-apiserver --",
        "kube-scheduler --",
        "/usr/bin/kubelet --",
        "/usr/bin/containerd",
    ] {
        assert!(
            ef.stdout.contains(program),
            "no {program} in\n{}",
            ef.stdout
        );
    }
    // A worker runs no control plane; its kube-proxy's $(NODE_NAME) is expanded.
    let worker = on(&home.0, "node01", "ps -aux");
    assert!(
        !worker.stdout.contains("kube-apiserver"),
        "{}",
        worker.stdout
    );
    assert!(
        worker.stdout.contains("--hostname-override=node01"),
        "{}",
        worker.stdout
    );
    let pgrep = on(&home.0, "node01", "pgrep -a kubelet");
    assert!(
        pgrep
            .stdout
            .contains(" /usr/bin/kubelet --kubeconfig=/etc/kubernetes/kubelet.conf")
            || pgrep
                .stdout
                .contains("--config=/var/lib/kubelet/config.yaml"),
        "{}",
        pgrep.stdout
    );
    assert_eq!(pgrep.stdout.lines().count(), 1, "{}", pgrep.stdout);
}

#[test]
fn files_the_shell_writes_are_the_nodes_and_stay_off_the_host() {
    let home = Home::new("files");
    let out = on(
        &home.0,
        "master",
        "echo hello > /etc/kubernetes/notes.txt && cat /etc/kubernetes/notes.txt && grep staticPodPath /var/lib/kubelet/config.yaml",
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "hello\nstaticPodPath: /etc/kubernetes/manifests\n"
    );
    let on_host = home.0.join("nodes/master/etc/kubernetes/notes.txt");
    assert_eq!(
        std::fs::read_to_string(on_host).expect("the node's file"),
        "hello\n"
    );
    assert!(!Path::new("/etc/kubernetes/notes.txt").exists());
    // Each node has its own root: a worker has kubelet.conf and no admin.conf.
    let worker = on(
        &home.0,
        "node01",
        "ls /etc/kubernetes | grep conf; hostname",
    );
    assert_eq!(worker.stdout, "kubelet.conf\nnode01\n", "{}", worker.stderr);
}

#[test]
fn certificates_are_real_and_chain_to_the_clusters_ca() {
    if !has_program("openssl") {
        eprintln!("SKIPPED certificates_are_real_and_chain_to_the_clusters_ca: no openssl");
        return;
    }
    let home = Home::new("pki");
    let out = on(
        &home.0,
        "master",
        "openssl x509 -in /etc/kubernetes/pki/apiserver.crt -text -noout",
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stdout.contains("Subject: CN = kube-apiserver"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("DNS:kubernetes.default.svc"),
        "{}",
        out.stdout
    );
    let verify = on(
        &home.0,
        "master",
        "cd /etc/kubernetes/pki && openssl verify -CAfile ca.crt apiserver.crt && openssl verify -CAfile etcd/ca.crt etcd/server.crt",
    );
    assert_eq!(
        verify.stdout, "apiserver.crt: OK\netcd/server.crt: OK\n",
        "{}",
        verify.stderr
    );
}

#[test]
fn systemctl_stops_the_kubelet_and_journalctl_shows_it() {
    let home = Home::new("systemctl");
    let running = on(&home.0, "node01", "systemctl status kubelet");
    assert_eq!(running.code, Some(0), "{}", running.stderr);
    assert!(
        running.stdout.contains("Active: active (running) since"),
        "{}",
        running.stdout
    );
    let stopped = on(
        &home.0,
        "node01",
        "systemctl stop kubelet; systemctl status kubelet",
    );
    assert_eq!(stopped.code, Some(3), "{}", stopped.stderr);
    assert!(
        stopped
            .stdout
            .starts_with("○ kubelet.service - kubelet: The Kubernetes Node Agent\n"),
        "{}",
        stopped.stdout
    );
    assert!(
        stopped.stdout.contains("Active: inactive (dead) since"),
        "{}",
        stopped.stdout
    );
    // The same as `node stop`: the node's annotation says so.
    let annotation = kubelite(
        &home.0,
        &[
            "get",
            "node",
            "node01",
            "-o",
            "jsonpath={.metadata.annotations.kubelite\\.io/kubelet}",
        ],
    );
    assert_eq!(annotation.stdout, "stopped");
    let ps = on(&home.0, "node01", "ps aux | grep -c /usr/bin/kubelet");
    assert_eq!(ps.stdout, "0\n");
    let journal = on(&home.0, "node01", "journalctl -u kubelet --no-pager -n 1");
    assert!(
        journal.stdout.ends_with(
            " node01 systemd[1]: Stopped kubelet.service - kubelet: The Kubernetes Node Agent.\n"
        ),
        "{}",
        journal.stdout
    );
    let started = on(
        &home.0,
        "node01",
        "systemctl start kubelet && systemctl is-active kubelet",
    );
    assert_eq!(started.stdout, "active\n");
    let unknown = on(&home.0, "node01", "systemctl status kubelit");
    assert_eq!(unknown.code, Some(4));
    assert_eq!(unknown.stderr, "Unit kubelit.service could not be found.\n");
}

#[test]
fn crictl_lists_the_nodes_containers() {
    let home = Home::new("crictl");
    let out = on(&home.0, "master", "crictl ps");
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    // crictl's columns widen with what they hold: the header is checked word by word.
    let header: Vec<&str> = out
        .stdout
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    assert_eq!(
        header,
        [
            "CONTAINER",
            "IMAGE",
            "CREATED",
            "STATE",
            "NAME",
            "ATTEMPT",
            "POD",
            "ID",
            "POD",
            "NAMESPACE"
        ],
        "{}",
        out.stdout
    );
    for name in [
        "etcd-master",
        "kube-apiserver-master",
        "kube-scheduler-master",
    ] {
        assert!(out.stdout.contains(name), "no {name} in\n{}", out.stdout);
    }
    let id = out
        .stdout
        .lines()
        .find(|l| l.contains("kube-scheduler-master"))
        .expect("row")
        .split(' ')
        .next()
        .expect("id")
        .to_string();
    let inspect = on(&home.0, "master", &format!("crictl inspect {id}"));
    assert!(
        inspect
            .stdout
            .contains("\"io.kubernetes.pod.name\": \"kube-scheduler-master\""),
        "{}",
        inspect.stdout
    );
    let missing = on(&home.0, "master", "crictl logs 0000000000000");
    assert_eq!(missing.code, Some(1));
}

#[test]
fn the_exams_etcdctl_and_kubectl_reach_the_cluster() {
    let home = Home::new("etcdctl");
    let out = on(
        &home.0,
        "master",
        "ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key get /registry/minions --prefix --keys-only",
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "/registry/minions/master\n\n/registry/minions/node01\n\n/registry/minions/node02\n\n"
    );
    let wrong = on(
        &home.0,
        "master",
        "etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/nope.crt get x",
    );
    assert_eq!(
        wrong.stderr,
        "Error: open /etc/kubernetes/pki/etcd/nope.crt: no such file or directory\n"
    );
    let nodes = on(
        &home.0,
        "master",
        "kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o name",
    );
    assert_eq!(
        nodes.stdout, "node/master\nnode/node01\nnode/node02\n",
        "{}",
        nodes.stderr
    );
}

#[test]
fn an_unknown_command_is_the_shells_own_not_found() {
    let home = Home::new("127");
    let out = on(&home.0, "node02", "kubeadmx version");
    assert_eq!(out.code, Some(127));
    assert!(
        out.stderr.contains("kubeadmx: command not found"),
        "{}",
        out.stderr
    );
}

#[test]
fn unknown_nodes_and_remote_clusters_are_refused() {
    let home = Home::new("refused");
    let out = on(&home.0, "nope", "true");
    assert_eq!(out.code, Some(1));
    assert_eq!(
        out.stderr,
        "Error from server (NotFound): nodes \"nope\" not found\n"
    );
    let config = home.0.join("remote.kubeconfig");
    std::fs::write(
        &config,
        "apiVersion: v1\nkind: Config\nclusters:\n- cluster: {server: \"https://127.0.0.1:9\"}\n  name: r\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- context: {cluster: r, user: u}\n  name: r\ncurrent-context: r\n",
    )
    .expect("kubeconfig");
    let remote = kubelite(
        &home.0,
        &[
            "--kubeconfig",
            config.to_str().expect("utf-8"),
            "ssh",
            "master",
            "--",
            "true",
        ],
    );
    assert_eq!(remote.code, Some(1));
    assert!(
        remote.stderr.starts_with(
            "error: node ssh logs into the simulated nodes of kubelite's embedded cluster;"
        ),
        "{}",
        remote.stderr
    );
}

/// A user other than root gets a user namespace, in which the mounts need no privilege.
#[test]
fn a_non_root_user_gets_a_user_namespace() {
    // SAFETY: getuid has no preconditions.
    if unsafe { libc::getuid() } != 0 || !has_program("setpriv") {
        eprintln!(
            "SKIPPED a_non_root_user_gets_a_user_namespace: needs root and setpriv to become nobody"
        );
        return;
    }
    let home = Home::new("userns");
    Command::new("chown")
        .args(["nobody"])
        .arg(&home.0)
        .status()
        .expect("chown");
    let out = Command::new("setpriv")
        .args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            BIN,
            "ssh",
            "master",
            "--",
        ])
        .arg("hostname; cat /etc/kubernetes/kubelet.conf | grep -c 'server: kubelite:///'")
        .env("KUBELITE_HOME", &home.0)
        .env("HOME", "/")
        .env_remove("KUBECONFIG")
        .output()
        .expect("setpriv");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "master\n1\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `kubelite ssh NODE -- LINE` on a cluster whose clock stands still at `now`.
fn on_at(home: &Path, node: &str, line: &str, now: &str) -> Out {
    let out = Command::new(BIN)
        .args(["ssh", node, "--", line])
        .env("KUBELITE_HOME", home)
        .env("KUBELITE_NOW", now)
        .env_remove("KUBECONFIG")
        .env_remove("KUBELITE_NODE")
        .output()
        .expect("run kubelite");
    Out {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code(),
    }
}

/// `ps` on a settled cluster reads it without writing a byte (nothing is due, nothing
/// changed); a manifest edited since the last settle is a change, which the next `ps`
/// shows.
#[test]
fn ps_reads_a_settled_cluster_without_writing_and_sees_edits_at_once() {
    let home = Home::new("ps-read-only");
    let now = "2026-11-29T01:42:16Z";
    let first = on_at(&home.0, "master", "true", now);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let store = home.0.join("cluster.redb");
    let before = std::fs::read(&store).expect("store");
    let ps = on_at(&home.0, "master", "ps aux", now);
    assert_eq!(ps.code, Some(0), "{}", ps.stderr);
    assert!(
        ps.stdout.contains("--node-monitor-grace-period=40s"),
        "{}",
        ps.stdout
    );
    assert!(
        std::fs::read(&store).expect("store") == before,
        "ps wrote to the store"
    );
    // A line of plain words runs without bash: the same bytes and status as through it.
    for line in [
        "ps aux",
        "pgrep -a etcd",
        "pgrep no-such-process",
        "crictl pods",
    ] {
        let straight = on_at(&home.0, "master", line, now);
        let piped = format!("{line} | cat; exit ${{PIPESTATUS[0]}}");
        let through_bash = on_at(&home.0, "master", &piped, now);
        assert_eq!(
            (straight.stdout, straight.stderr, straight.code),
            (through_bash.stdout, through_bash.stderr, through_bash.code),
            "{line}"
        );
    }
    let edit = on_at(
        &home.0,
        "master",
        "sed -i s/--node-monitor-grace-period=40s/--node-monitor-grace-period=20s/ /etc/kubernetes/manifests/kube-controller-manager.yaml",
        now,
    );
    assert_eq!(edit.code, Some(0), "{}", edit.stderr);
    let ps = on_at(&home.0, "master", "ps -ef", now);
    assert!(
        ps.stdout.contains("--node-monitor-grace-period=20s")
            && !ps.stdout.contains("--node-monitor-grace-period=40s"),
        "{}",
        ps.stdout
    );
}

/// The row of `crictl ps -a` whose NAME column is `name`.
fn container_row<'a>(table: &'a str, name: &str) -> &'a str {
    table
        .lines()
        .find(|l| l.split_whitespace().any(|w| w == name))
        .unwrap_or_else(|| panic!("no {name} in\n{table}"))
}

#[test]
fn with_the_apiserver_manifest_broken_the_node_still_shows_its_processes() {
    let home = Home::new("apiserver-down");
    let manifest = "/etc/kubernetes/manifests/kube-apiserver.yaml";
    let broke = on(
        &home.0,
        "master",
        &format!("sed -i 's/^kind: Pod/kind Pod:/' {manifest}"),
    );
    assert_eq!(broke.code, Some(0), "{}", broke.stderr);
    // kubectl's side goes through the API server, which is down.
    let get = kubelite(&home.0, &["get", "pods", "-A"]);
    assert_eq!(get.code, Some(1));
    assert!(get.stderr.contains("6443 was refused"), "{}", get.stderr);

    // The node's runtime: kube-apiserver stopped, the rest still running.
    let ps = on(&home.0, "master", "ps aux");
    assert_eq!(ps.code, Some(0), "{}", ps.stderr);
    assert!(!ps.stdout.contains(" kube-apiserver --"), "{}", ps.stdout);
    assert!(ps.stdout.contains(" kube-scheduler --"), "{}", ps.stdout);
    assert!(ps.stdout.contains(" etcd --"), "{}", ps.stdout);
    let crictl = on(&home.0, "master", "crictl ps -a");
    assert_eq!(crictl.code, Some(0), "{}", crictl.stderr);
    let row = container_row(&crictl.stdout, "kube-apiserver");
    assert!(row.split_whitespace().any(|w| w == "Exited"), "{row}");
    let row = container_row(&crictl.stdout, "kube-controller-manager");
    assert!(row.split_whitespace().any(|w| w == "Running"), "{row}");
    let running = on(&home.0, "master", "crictl ps");
    assert!(
        !running.stdout.contains("kube-apiserver"),
        "{}",
        running.stdout
    );
    let kubelet = on(&home.0, "master", "systemctl is-active kubelet");
    assert_eq!(kubelet.stdout, "active\n", "{}", kubelet.stderr);

    // The kubelet says why, once for this state of the directory.
    let why = format!(
        "file.go:187] \"Could not process manifest file\" err=\"{manifest}: couldn't parse as pod(Object 'Kind' is missing in "
    );
    let _ = on(&home.0, "master", "journalctl -u kubelet");
    let journal = on(&home.0, "master", "journalctl -u kubelet --no-pager");
    assert_eq!(journal.code, Some(0), "{}", journal.stderr);
    assert_eq!(
        journal.stdout.matches(&why).count(),
        1,
        "{}",
        journal.stdout
    );
    assert!(
        journal.stdout.contains(" master kubelet["),
        "{}",
        journal.stdout
    );

    // Fixed, the cluster answers again.
    let fixed = on(
        &home.0,
        "master",
        &format!("sed -i 's/^kind Pod:/kind: Pod/' {manifest}"),
    );
    assert_eq!(fixed.code, Some(0), "{}", fixed.stderr);
    let get = kubelite(
        &home.0,
        &["get", "pods", "-n", "kube-system", "kube-apiserver-master"],
    );
    assert_eq!(get.code, Some(0), "{}", get.stderr);
}

#[test]
fn the_kubelets_journal_tells_what_it_did_as_its_events_do() {
    let home = Home::new("kubelet-journal");
    let run = kubelite(&home.0, &["run", "web", "--image=nginx"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let node = kubelite(
        &home.0,
        &["get", "pod", "web", "-o", "jsonpath={.spec.nodeName}"],
    )
    .stdout;
    assert!(!node.is_empty());
    let events = kubelite(
        &home.0,
        &[
            "get",
            "events",
            "--field-selector=involvedObject.name=web",
            "-o",
            "jsonpath={range .items[?(@.source.component==\"kubelet\")]}{.reason}{\"\\n\"}{end}",
        ],
    );
    let reasons: Vec<&str> = events.stdout.lines().collect();
    assert!(reasons.contains(&"Started"), "{}", events.stdout);

    let journal = on(&home.0, &node, "journalctl -u kubelet --no-pager");
    assert_eq!(journal.code, Some(0), "{}", journal.stderr);
    let lines: Vec<&str> = journal.stdout.lines().collect();
    assert!(
        lines[0].contains("] \"Attempting to register node\" node="),
        "{}",
        journal.stdout
    );
    // One recorder line per event of the kubelet's about the pod, in the events' order.
    let about_web: Vec<&str> = lines
        .iter()
        .filter(|l| l.contains(" event.go:389] \"Event occurred\" object=\"default/web\" "))
        .map(|l| {
            let reason = l.split(" reason=\"").nth(1).unwrap_or("");
            reason.split('"').next().unwrap_or("")
        })
        .collect();
    assert_eq!(about_web, reasons, "{}", journal.stdout);
    assert!(
        journal.stdout.contains(&format!(" {node} kubelet[")),
        "{}",
        journal.stdout
    );
    assert!(
        journal
            .stdout
            .contains(" message=\"Started container web\"\n"),
        "{}",
        journal.stdout
    );
    // Oldest first, and `-n` keeps the newest.
    let stamps: Vec<&str> = lines.iter().map(|l| &l[..15]).collect();
    let mut sorted = stamps.clone();
    sorted.sort();
    assert_eq!(stamps, sorted);
    let last = on(&home.0, &node, "journalctl -u kubelet -n 1");
    assert_eq!(last.stdout.lines().count(), 1, "{}", last.stdout);
    assert_eq!(last.stdout.lines().next(), lines.last().copied());
}
