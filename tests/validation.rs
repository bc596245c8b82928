//! No object can brick the embedded cluster: values kube-apiserver's decoder refuses are
//! refused with its 400 before they are stored, and the largest replica count kube accepts
//! is worked through in bounded steps, so every later command still answers.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Home(PathBuf);

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn home(tag: &str) -> Home {
    let dir =
        std::env::temp_dir().join(format!("kubelite-validation-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    Home(dir)
}

fn kubelite(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubelite"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("KUBELITE_HOME", home.join("cluster"))
        .env("KUBELITE_NOW", "2026-11-29T01:42:16Z")
        .args(args)
        .output()
        .expect("run kubelite")
}

fn create(home: &Path, name: &str, manifest: &str) -> Output {
    let file = home.join(name);
    std::fs::write(&file, manifest).expect("manifest");
    kubelite(home, &["create", "-f", file.to_str().expect("utf-8 path")])
}

fn deployment(spec_extra: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n{spec_extra}  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n"
    )
}

#[test]
fn mistyped_values_are_refused_with_the_decoders_400_and_nothing_is_stored() {
    let h = home("types");
    let cases = [
        (
            deployment("  progressDeadlineSeconds: 9223372036854775807\n"),
            "Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal number 9223372036854775807 into Go struct field DeploymentSpec.spec.progressDeadlineSeconds of type int32",
        ),
        (
            deployment("  replicas: 1.5\n"),
            "Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32",
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: 5\n".to_string(),
            "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type map[string]string",
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  k: [1]\n".to_string(),
            "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot unmarshal array into Go struct field ConfigMap.data of type string",
        ),
    ];
    for (i, (manifest, message)) in cases.iter().enumerate() {
        let name = format!("case{i}.yaml");
        let out = create(&h.0, &name, manifest);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        let path = h.0.join(&name);
        assert_eq!(
            stderr,
            format!(
                "Error from server (BadRequest): error when creating {:?}: {message}\n",
                path.display().to_string()
            )
        );
    }
    let out = kubelite(&h.0, &["get", "deploy,cm", "-o", "name"]);
    assert!(out.status.success());
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        !listed.contains("deployment.apps/web") && !listed.contains("configmap/c\n"),
        "{listed}"
    );
}

#[test]
fn an_owner_reference_without_uid_is_invalid() {
    let h = home("owner");
    let out = create(
        &h.0,
        "cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  ownerReferences:\n  - {apiVersion: v1, kind: Pod, name: p}\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("metadata.ownerReferences.uid: Invalid value: \"\": uid must not be empty"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_grace_period_past_any_timestamp_deletes_without_panicking() {
    let h = home("grace");
    let out = create(
        &h.0,
        "pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  terminationGracePeriodSeconds: 9223372036854775807\n  containers:\n  - {name: c, image: nginx}\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = kubelite(&h.0, &["delete", "pod", "p"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "pod \"p\" deleted\n");
    let out = kubelite(&h.0, &["get", "pods"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
