//! The official Python client (`pip install kubernetes`) against `kubelite serve`: its
//! `Watch.stream` (which yielded None for a watch that began with a blank line) and its
//! exec stream writing stdin as text, and custom objects through `CustomObjectsApi` (create,
//! list, status through /status, watch, delete). Skipped, with a note, where the package is
//! missing.

use super::support::{Server, TempDir};
use std::process::Command;

const SCRIPT: &str = r#"
import sys
from kubernetes import client, config, watch
from kubernetes.stream import stream

config.load_kube_config(config_file=sys.argv[1])
v1 = client.CoreV1Api()

events = list(watch.Watch().stream(v1.list_namespaced_pod, "kube-system", timeout_seconds=2))
assert events, "no events"
assert all(e is not None for e in events), "Watch.stream yielded None"
assert events[0]["type"] == "ADDED", events[0]["type"]
print("watch:", events[0]["type"], events[0]["object"].metadata.namespace)

out = stream(v1.connect_get_namespaced_pod_exec, "etcd-master", "kube-system",
             command=["etcdctl", "version"], stdout=True, stderr=True, stdin=False, tty=False)
assert out.startswith("etcdctl version:"), repr(out)

ws = stream(v1.connect_get_namespaced_pod_exec, "etcd-master", "kube-system",
            command=["etcdctl", "put", "from-python"], stdout=True, stderr=True, stdin=True,
            tty=False, _preload_content=False)
ws.write_stdin("written as text")
ws.close_channel(0)
ws.run_forever(timeout=20)
assert ws.returncode == 0, ws.returncode
got = stream(v1.connect_get_namespaced_pod_exec, "etcd-master", "kube-system",
             command=["etcdctl", "get", "from-python", "--print-value-only"],
             stdout=True, stderr=True, stdin=False, tty=False)
assert got == "written as text\n", repr(got)
print("exec: ok")
"#;

fn python_client_installed() -> bool {
    Command::new("python3")
        .args(["-c", "import kubernetes"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs a Python script against a fresh serve (its kubeconfig as the one argument) and
/// gives its stdout, failing the test when the script fails.
fn run_script(name: &str, script: &str) -> String {
    let s = Server::start(false);
    let dir = TempDir::new("python");
    let path = dir.0.join(name);
    std::fs::write(&path, script).expect("script");
    let out = Command::new("python3")
        .arg(&path)
        .arg(s.kubeconfig())
        .output()
        .expect("python3");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "stdout:\n{stdout}\nstderr:\n{stderr}");
    stdout
}

#[test]
fn the_official_python_client_watches_and_execs() {
    if !python_client_installed() {
        eprintln!("the Python package `kubernetes` is not installed: SKIPPED");
        return;
    }
    let stdout = run_script("client.py", SCRIPT);
    assert!(stdout.contains("watch: ADDED kube-system"), "{stdout}");
    assert!(stdout.contains("exec: ok"), "{stdout}");
}

const CUSTOM_OBJECTS: &str = r#"
import sys, time
from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

config.load_kube_config(config_file=sys.argv[1])
G, V, NS, P = "clients.kubelite.dev", "v1", "default", "doohickeys"
client.ApiextensionsV1Api().create_custom_resource_definition({
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
    "metadata": {"name": P + "." + G},
    "spec": {"group": G, "scope": "Namespaced",
             "names": {"plural": P, "singular": "doohickey", "kind": "Doohickey"},
             "versions": [{"name": V, "served": True, "storage": True,
                           "subresources": {"status": {}},
                           "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                               "spec": {"type": "object", "properties": {"size": {"type": "integer"}}},
                               "status": {"type": "object", "properties": {"phase": {"type": "string"}}}}}}}]}})
deadline = time.monotonic() + 60
while True:
    crd = client.ApiextensionsV1Api().read_custom_resource_definition(P + "." + G)
    if any(c.type == "Established" and c.status == "True" for c in crd.status.conditions or []):
        break
    assert time.monotonic() < deadline, crd.status
    time.sleep(0.05)

co = client.CustomObjectsApi()
made = co.create_namespaced_custom_object(G, V, NS, P, {
    "apiVersion": G + "/" + V, "kind": "Doohickey", "metadata": {"name": "d"}, "spec": {"size": 1}})
assert made["metadata"]["uid"] and made["spec"] == {"size": 1}, made
listed = co.list_namespaced_custom_object(G, V, NS, P)
assert [i["metadata"]["name"] for i in listed["items"]] == ["d"], listed

# Status only through /status; the main resource keeps the status it had.
st = co.patch_namespaced_custom_object_status(G, V, NS, P, "d", {"status": {"phase": "Ready"}})
assert st["status"] == {"phase": "Ready"}, st
p = co.patch_namespaced_custom_object(G, V, NS, P, "d", {"spec": {"size": 4}, "status": {"phase": "Lost"}})
assert p["spec"] == {"size": 4} and p["status"] == {"phase": "Ready"}, p

events = list(watch.Watch().stream(co.list_namespaced_custom_object, G, V, NS, P,
                                   resource_version=listed["metadata"]["resourceVersion"],
                                   timeout_seconds=2))
assert [(e["type"], e["object"]["metadata"]["name"]) for e in events] == [("MODIFIED", "d")] * 2, events
assert events[-1]["object"]["spec"] == {"size": 4}, events

co.delete_namespaced_custom_object(G, V, NS, P, "d")
try:
    co.get_namespaced_custom_object(G, V, NS, P, "d")
    raise AssertionError("d is still there")
except ApiException as e:
    assert e.status == 404, e
print("custom objects: ok")
"#;

#[test]
fn the_official_python_client_handles_custom_objects() {
    if !python_client_installed() {
        eprintln!("the Python package `kubernetes` is not installed: SKIPPED");
        return;
    }
    let stdout = run_script("custom_objects.py", CUSTOM_OBJECTS);
    assert!(stdout.contains("custom objects: ok"), "{stdout}");
}
