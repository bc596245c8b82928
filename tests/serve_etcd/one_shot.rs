//! One-shot commands on a cluster kept in etcd (`kubelite get pods --etcd-servers=...`):
//! no serve in between, the control plane settled in the command only for the components
//! whose Leases it wins.

use super::*;

/// kubelite as a one-shot command on its own home, with `env` set.
fn kubelite(home: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("KUBELITE_HOME", home)
        .env_remove("KUBECONFIG")
        .env_remove("KUBELITE_NOW")
        .env_remove("KUBELITE_ETCD_SERVERS")
        .envs(env.iter().copied())
        .output()
        .expect("run kubelite")
}

/// The holder of `kube-system/<lease>` as the Lease in etcd names it ("" when none).
fn holder_in_etcd(etcd: &Etcd, lease: &str) -> String {
    let out = etcd.etcdctl(&[
        "get",
        "--print-value-only",
        &format!("/registry/leases/kube-system/{lease}"),
    ]);
    let lease: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    lease["spec"]["holderIdentity"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

/// Where the flag goes after the verb's words.
fn with_servers<'a>(args: &[&'a str], flag: &'a str) -> Vec<&'a str> {
    let mut all = args.to_vec();
    all.push(flag);
    all
}

#[test]
fn a_one_shot_command_alone_on_etcd_runs_the_control_plane_and_gives_its_leases_up() {
    require_tools!();
    let etcd = Etcd::start();
    let home = temp_dir("one-shot");
    let flag = format!("--etcd-servers={}", etcd.url());
    let created = kubelite(
        &home,
        &[],
        &with_servers(
            &[
                "create",
                "deployment",
                "web",
                "--image=nginx",
                "--replicas=2",
            ],
            &flag,
        ),
    );
    assert!(created.status.success(), "{}", text(&created));
    assert_eq!(text(&created), "deployment.apps/web created\n");
    // The command settled the controllers, the scheduler and the kubelets before it ended.
    let pods = kubelite(
        &home,
        &[("KUBELITE_ETCD_SERVERS", etcd.url().as_str())],
        &[
            "get",
            "pods",
            "-o",
            "jsonpath={range .items[*]}{.status.phase}{\"\\n\"}{end}",
        ],
    );
    assert_eq!(text(&pods), "Running\nRunning\n");
    let keys = etcd.keys("/registry/");
    assert!(
        keys.iter()
            .any(|k| k == "/registry/deployments/default/web"),
        "{keys:?}"
    );
    // Nothing of it went to the home's own store.
    assert!(!home.join("cluster.redb").exists());
    for lease in ["kube-controller-manager", "kube-scheduler"] {
        assert_eq!(holder_in_etcd(&etcd, lease), "", "{lease} still held");
    }
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn a_one_shot_command_leaves_the_components_to_the_serve_holding_their_leases() {
    require_tools!();
    let etcd = Etcd::start();
    let url = etcd.url();
    let serve = Serve::start(&["--etcd-servers", url.as_str()]);
    let led_by_serve = || {
        ["kube-controller-manager", "kube-scheduler"]
            .iter()
            .map(|l| holder_in_etcd(&etcd, l))
            .collect::<Vec<_>>()
    };
    assert!(
        eventually(Duration::from_secs(60), || led_by_serve()
            .iter()
            .all(|h| !h.is_empty())),
        "serve took no Leases"
    );
    let holders = led_by_serve();
    let home = temp_dir("one-shot-beside-serve");
    let flag = format!("--etcd-servers={url}");
    let created = kubelite(
        &home,
        &[],
        &with_servers(&["create", "deployment", "web", "--image=nginx"], &flag),
    );
    assert!(created.status.success(), "{}", text(&created));
    assert_eq!(led_by_serve(), holders, "the one-shot command took a Lease");
    // serve's components, not the command's, run the Deployment; both see it.
    assert!(
        eventually(Duration::from_secs(120), || running(&serve, "web", 1)),
        "{}",
        text(&serve.kubectl(&["get", "pods"]))
    );
    let pods = kubelite(
        &home,
        &[],
        &with_servers(&["get", "pods", "-l", "app=web", "-o", "name"], &flag),
    );
    assert!(text(&pods).starts_with("pod/web-"), "{}", text(&pods));
    assert_eq!(led_by_serve(), holders);
    let _ = std::fs::remove_dir_all(&home);
}

/// Writes `kube-system/<lease>` straight into etcd as held by `who` for an hour.
fn hold_elsewhere(etcd: &Etcd, lease: &str, who: &str) {
    let key = format!("/registry/leases/kube-system/{lease}");
    let out = etcd.etcdctl(&["get", "--print-value-only", &key]);
    let mut value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a Lease");
    let now = chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string();
    value["spec"] = serde_json::json!({
        "holderIdentity": who,
        "leaseDurationSeconds": 3600,
        "acquireTime": now,
        "renewTime": now,
        "leaseTransitions": 1,
    });
    let put = etcd.etcdctl(&["put", &key, &value.to_string()]);
    assert!(put.status.success(), "{put:?}");
}

#[test]
fn a_one_shot_command_runs_no_component_whose_lease_another_holds() {
    require_tools!();
    let etcd = Etcd::start();
    let home = temp_dir("one-shot-held");
    let flag = format!("--etcd-servers={}", etcd.url());
    let booted = kubelite(
        &home,
        &[],
        &with_servers(&["get", "ns", "-o", "name"], &flag),
    );
    assert!(booted.status.success(), "{}", text(&booted));
    for lease in ["kube-controller-manager", "kube-scheduler"] {
        hold_elsewhere(&etcd, lease, "elsewhere_1");
    }
    let created = kubelite(
        &home,
        &[],
        &with_servers(&["create", "deployment", "web", "--image=nginx"], &flag),
    );
    assert!(created.status.success(), "{}", text(&created));
    // The Deployment is stored, but no controller of this command made its ReplicaSet.
    let made = kubelite(
        &home,
        &[],
        &with_servers(
            &["get", "deployments,replicasets,pods", "-o", "name"],
            &flag,
        ),
    );
    assert_eq!(
        text(&made),
        "deployment.apps/web
"
    );
    for lease in ["kube-controller-manager", "kube-scheduler"] {
        assert_eq!(holder_in_etcd(&etcd, lease), "elsewhere_1");
    }
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn etcd_flags_without_servers_are_refused_and_stay_out_of_kubectl_options() {
    let home = temp_dir("one-shot-flags");
    let out = kubelite(&home, &[], &["get", "pods", "--etcd-prefix=/other"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(
        text(&out),
        "error: --etcd-prefix, --etcd-cafile, --etcd-certfile and --etcd-keyfile need \
         --etcd-servers (or KUBELITE_ETCD_SERVERS)\n"
    );
    let ssh = kubelite(
        &home,
        &[("KUBELITE_ETCD_SERVERS", "http://127.0.0.1:1")],
        &["ssh", "master", "--", "true"],
    );
    assert_eq!(ssh.status.code(), Some(1), "{}", text(&ssh));
    assert!(text(&ssh).contains("not on one in etcd"), "{}", text(&ssh));
    let options = kubelite(&home, &[], &["options"]);
    assert!(options.status.success());
    assert!(!text(&options).contains("etcd"), "{}", text(&options));
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn a_one_shot_command_names_the_endpoints_it_cannot_reach() {
    let home = temp_dir("one-shot-unreachable");
    let port = free_port();
    let out = kubelite(
        &home,
        &[("KUBELITE_ETCD_SERVERS", &format!("http://127.0.0.1:{port}"))],
        &["get", "pods"],
    );
    let _ = std::fs::remove_dir_all(&home);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(
        text(&out),
        format!("error: cannot reach etcd at http://127.0.0.1:{port}: context deadline exceeded\n")
    );
}
