//! `kubelite store copy`: a cluster moved from a home's store file into a real etcd and
//! back, at one revision, refusing a target that holds a cluster unless told to replace it.

use super::*;

fn kubelite(home: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("KUBELITE_HOME", home)
        .env_remove("KUBECONFIG")
        .env_remove("KUBELITE_NOW")
        .env_remove("KUBELITE_ETCD_SERVERS")
        .output()
        .expect("run kubelite")
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "{}", text(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What a copied cluster must show the same: its ConfigMaps and Deployments.
const SHOWN: [&str; 5] = ["get", "configmaps,deployments", "-A", "-o", "name"];

#[test]
fn a_cluster_goes_from_a_store_file_into_etcd_and_back() {
    require_tools!();
    let etcd = Etcd::start();
    let a = temp_dir("copy-a");
    let b = temp_dir("copy-b");
    ok(kubelite(
        &a,
        &["create", "configmap", "moved", "--from-literal=k=v"],
    ));
    ok(kubelite(
        &a,
        &["create", "deployment", "web", "--image=nginx"],
    ));
    let before = ok(kubelite(&a, &SHOWN));

    let from_a = format!("kubelite://{}", a.display());
    let to_etcd = format!("etcd://{}", etcd.endpoint());
    let summary = ok(kubelite(
        &a,
        &["store", "copy", "--from", &from_a, "--to", &to_etcd],
    ));
    let words: Vec<&str> = summary.split_whitespace().collect();
    assert_eq!(words[0], "copied", "{summary}");
    assert!(
        summary.ends_with(&format!("from {from_a} to {to_etcd}/registry\n")),
        "{summary}"
    );
    // Under kube-apiserver's keys, the Events on etcd leases as they were on the file's.
    let keys = etcd.keys("/registry/");
    assert!(
        keys.iter()
            .any(|k| k == "/registry/configmaps/default/moved"),
        "{keys:?}"
    );
    assert_eq!(
        words[1].parse::<usize>().ok(),
        Some(keys.len()),
        "{summary}"
    );
    assert!(
        etcd.keys("kubelite").is_empty(),
        "kubelite's own keys were copied"
    );
    let event = keys
        .iter()
        .find(|k| k.starts_with("/registry/events/"))
        .expect("an Event was copied");
    let read = etcd.etcdctl(&["get", event, "-w", "json"]);
    let read: serde_json::Value = serde_json::from_slice(&read.stdout).expect("json");
    let lease = read["kvs"][0]["lease"].as_i64().unwrap_or(0);
    assert_ne!(lease, 0, "the Event lost its lease: {read}");
    let ttl = etcd.etcdctl(&["lease", "timetolive", &format!("{lease:x}")]);
    assert!(text(&ttl).contains("remaining("), "{}", text(&ttl));
    let flag = format!("--etcd-servers={}", etcd.url());
    let in_etcd = ok(kubelite(&b, &[SHOWN.as_slice(), &[flag.as_str()]].concat()));
    assert_eq!(in_etcd, before);

    let to_b = format!("kubelite://{}", b.display());
    ok(kubelite(
        &b,
        &["store", "copy", "--from", &to_etcd, "--to", &to_b],
    ));
    assert_eq!(ok(kubelite(&b, &SHOWN)), before);
    let value = ok(kubelite(
        &b,
        &["get", "configmap", "moved", "-o", "jsonpath={.data.k}"],
    ));
    assert_eq!(value, "v");
    let _ = std::fs::remove_dir_all(&a);
    let _ = std::fs::remove_dir_all(&b);
}

#[test]
fn a_target_holding_a_cluster_is_replaced_only_when_asked() {
    require_tools!();
    let etcd = Etcd::start();
    let a = temp_dir("copy-held");
    let scratch = temp_dir("copy-held-scratch");
    ok(kubelite(
        &a,
        &["create", "configmap", "from-file", "--from-literal=k=v"],
    ));
    let flag = format!("--etcd-servers={}", etcd.url());
    ok(kubelite(
        &scratch,
        &["create", "configmap", "only-in-etcd", &flag],
    ));
    let from_a = format!("kubelite://{}", a.display());
    let to_etcd = format!("etcd://{}", etcd.endpoint());
    let refused = kubelite(&a, &["store", "copy", "--from", &from_a, "--to", &to_etcd]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    let held = etcd.keys("/registry/").len();
    assert_eq!(
        text(&refused),
        format!(
            "error: {to_etcd}/registry already holds a cluster ({held} keys under /registry/): \
             copy into an empty place, or give --overwrite to replace it\n"
        )
    );
    ok(kubelite(
        &a,
        &[
            "store",
            "copy",
            "--from",
            &from_a,
            "--to",
            &to_etcd,
            "--overwrite",
        ],
    ));
    let names = ok(kubelite(
        &scratch,
        &["get", "configmaps", "-o", "name", &flag],
    ));
    assert!(names.contains("configmap/from-file"), "{names}");
    assert!(!names.contains("only-in-etcd"), "{names}");
    let _ = std::fs::remove_dir_all(&a);
    let _ = std::fs::remove_dir_all(&scratch);
}

#[test]
fn a_place_that_is_not_one_is_refused() {
    let home = temp_dir("copy-bad");
    let out = kubelite(
        &home,
        &["store", "copy", "--from", "/tmp/x", "--to", "etcd://h:1"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out),
        "error: --from: \"/tmp/x\" is not a place a cluster lives: give kubelite:///DIR or \
         etcd://HOST:PORT[/PREFIX]\n"
    );
    let same = format!("kubelite://{}", home.display());
    let out = kubelite(&home, &["store", "copy", "--from", &same, "--to", &same]);
    assert_eq!(
        text(&out),
        format!("error: --from and --to both name {same}\n")
    );
    let _ = std::fs::remove_dir_all(&home);
}
