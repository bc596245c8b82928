//! `edit`, `diff` and the last-applied subcommands against the recording mock: kubelite
//! must send the requests kubectl sends (the same GETs, the PATCH bodies and content
//! types, `dryRun=All`, `fieldManager`, `fieldValidation`), and print the same. (`apply
//! --prune` is left out: kubectl's dynamic client puts `kind` and `apiVersion` in the
//! DELETE body, which kubelite's client does not.)

use super::run;
use super::world::World;
use serde_json::json;

/// A command line and the environment it runs with.
type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)]);

/// The editor: a sed script given in `$SED` run on the file.
const EDITOR: &str = "#!/bin/sh\nsed -i \"$SED\" \"$1\"\n";

fn setup(w: &World) {
    super::cluster(w);
    w.add(
        "configmaps",
        json!({"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": {"name": "settings", "namespace": "default", "labels": {"app": "x"},
                            "annotations": {"kubectl.kubernetes.io/last-applied-configuration":
                                "{\"apiVersion\":\"v1\",\"data\":{\"a\":\"old\"},\"kind\":\"ConfigMap\",\"metadata\":{\"annotations\":{},\"labels\":{\"app\":\"x\"},\"name\":\"settings\",\"namespace\":\"default\"}}\n"}},
               "data": {"a": "old"}}),
    );
    w.add(
        "configmaps",
        json!({"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": {"name": "stale", "namespace": "default", "labels": {"app": "x"},
                            "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}\n"}},
               "data": {"z": "1"}}),
    );
}

#[test]
fn edit_and_diff_send_what_kubectl_sends() {
    require_kubectl!();
    let dir = run::Scratch::new("edit-diff");
    let editor = dir.0.join("editor.sh");
    std::fs::write(&editor, EDITOR).unwrap();
    let mut perms = std::fs::metadata(&editor).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&editor, perms).unwrap();
    std::fs::write(
        dir.0.join("cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  labels: {app: x}\ndata:\n  a: new\n",
    )
    .unwrap();
    std::fs::write(
        dir.0.join("new.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fresh\ndata:\n  b: c\n",
    )
    .unwrap();
    let editor = editor.to_str().unwrap();
    let cm_edit = [("KUBE_EDITOR", editor), ("SED", "s/a: old/a: edited/")];
    let pod_edit = [
        ("KUBE_EDITOR", editor),
        ("SED", "s/image: nginx:1/image: nginx:2/"),
    ];
    let no_diff = [("KUBECTL_EXTERNAL_DIFF", "true")];
    #[rustfmt::skip]
    let cases: &[Case] = &[
        (&["edit", "cm", "settings"], &cm_edit),
        (&["edit", "cm/settings", "--output-patch", "--save-config"], &cm_edit),
        (&["edit", "pod", "web-1"], &pod_edit),
        (&["diff", "-f", "cm.yaml"], &no_diff),
        (&["diff", "-f", "new.yaml"], &no_diff),
        (&["diff", "-f", "cm.yaml", "--server-side"], &no_diff),
        (&["apply", "set-last-applied", "-f", "cm.yaml"], &[]),
        (&["apply", "edit-last-applied", "cm", "settings"], &[("KUBE_EDITOR", editor), ("SED", "s/a: old/a: other/")]),
    ];
    let failures: Vec<String> = cases
        .iter()
        .map(|(args, env)| run::differences_env(&setup, args, &dir.0, env))
        .filter(|d| !d.is_empty())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
