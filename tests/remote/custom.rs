//! Resources kubelite's static registry does not know (custom resources) on a server that
//! serves them: kubelite learns them from discovery, caches discovery as kubectl does, and
//! gets, describes and deletes them as kubectl does; `create -f`, `delete -f`, `label -f`
//! and `annotate -f` map a manifest's custom kind through discovery as kubectl does.

use super::compare::{Both, Comparison, kubectl_on, kubelite_on};
use super::support::{Run, TempDir, manifest};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// `crd_server.py` on a free port, and a kubelite home and a kubeconfig pointing at it.
struct Mock {
    child: Child,
    dir: TempDir,
    url: String,
}

impl Mock {
    fn start() -> Mock {
        let dir = TempDir::new("crd");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/remote/crd_server.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(dir.0.join("requests.log"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start crd_server.py");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("port");
        let url = format!("http://127.0.0.1:{}", line.trim());
        let home = dir.0.join("home");
        std::fs::create_dir_all(&home).expect("home");
        let kubeconfig = format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: mock\n  cluster:\n    server: {url}\ncontexts:\n- name: mock\n  context:\n    cluster: mock\n    user: nobody\ncurrent-context: mock\nusers:\n- name: nobody\n  user: {{}}\n"
        );
        // Both tools read the same file; kubelite finds it as `home/kubeconfig`.
        std::fs::write(home.join("kubeconfig"), &kubeconfig).expect("kubeconfig");
        std::fs::write(dir.0.join("kubeconfig"), kubeconfig).expect("kubeconfig");
        Mock { child, dir, url }
    }

    fn home(&self) -> PathBuf {
        self.dir.0.join("home")
    }

    fn kubectl_cache(&self) -> PathBuf {
        self.dir.0.join("kubectl-cache")
    }
}

impl Both for Mock {
    fn kubelite(&self, args: &[&str]) -> Run {
        kubelite_on(&self.home(), args)
    }

    fn kubectl(&self, args: &[&str]) -> Run {
        kubectl_on(&self.dir.0.join("kubeconfig"), &self.kubectl_cache(), args)
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn custom_resources_get_describe_delete_like_kubectl() {
    require_kubectl!();
    let m = Mock::start();
    let mut c = Comparison::default();
    for args in [
        &["api-resources"][..],
        &["api-resources", "-o", "wide"],
        &["api-resources", "--api-group", "example.com", "-o", "name"],
        &["get", "widgets"],
        &["get", "wd", "-o", "wide"],
        &["get", "widget.example.com", "w1"],
        &["get", "widgets.v1.example.com", "-o", "yaml"],
        &["get", "Widget", "w2", "-o", "json"],
        &["get", "wd", "-o", "name"],
        &["get", "wd", "-o", "jsonpath={.items[*].spec.color}"],
        &[
            "get",
            "wd",
            "-o",
            "custom-columns=N:.metadata.name,SIZE:.spec.size",
        ],
        &["get", "wd", "--show-labels", "-A"],
        &["get", "gadgets"],
        &["get", "gadget/g1", "-o", "yaml"],
        &["get", "shop"],
        &["get", "wd,gadgets", "-o", "name"],
        &["get", "wd", "nope"],
        &["get", "sprockets"],
        &["describe", "wd", "w1"],
        &["describe", "gadgets"],
        &["describe", "widget", "nope"],
        &["delete", "widget", "nope"],
    ] {
        c.same(&m, args);
    }
    // Each tool deletes one widget: the same words, with the other name.
    let ours = m.kubelite(&["delete", "widget", "w1"]);
    let mut theirs = m.kubectl(&["delete", "widget", "w2"]);
    theirs.stdout = theirs.stdout.replace("\"w2\"", "\"w1\"");
    c.record(&["delete", "widget", "w1|w2"], &ours, &theirs);
    c.same(&m, &["get", "widgets"]);
    c.assert_none();
}

const W3: &str = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w3\nspec:\n  color: green\n  size: 1\n";
const G2: &str = "apiVersion: toys.example.org/v1alpha1\nkind: Gadget\nmetadata:\n  name: g2\nspec:\n  batteries: false\n";
const SPROCKET: &str = "apiVersion: example.com/v1\nkind: Sprocket\nmetadata:\n  name: s1\n";

#[test]
fn custom_resource_manifests_map_through_discovery_like_kubectl() {
    require_kubectl!();
    let m = Mock::start();
    let dir = TempDir::new("crd-manifests");
    let path = |name: &str, text: &str| {
        manifest(&dir.0, name, text)
            .to_str()
            .expect("path")
            .to_string()
    };
    let (w3, g2, sprocket) = (
        path("w3.yaml", W3),
        path("g2.yaml", G2),
        path("sprocket.yaml", SPROCKET),
    );
    // The mock has no OpenAPI document: both tools are told not to validate.
    let gone: &[&[&str]] = &[
        &["delete", "widget", "w3", "--ignore-not-found"],
        &["delete", "gadget", "g2", "--ignore-not-found"],
    ];
    let present: &[&[&str]] = &[
        &["delete", "widget", "w3", "--ignore-not-found"],
        &["delete", "gadget", "g2", "--ignore-not-found"],
        &["create", "--validate=false", "-f", &w3],
        &["create", "--validate=false", "-f", &g2],
    ];
    let mut c = Comparison::default();
    c.same_after(&m, gone, &["create", "--validate=false", "-f", &w3]);
    c.same_after(&m, gone, &["create", "--validate=false", "-f", &g2]);
    c.same_after(&m, present, &["create", "--validate=false", "-f", &w3]);
    c.same_after(&m, present, &["delete", "-f", &w3]);
    c.same_after(&m, present, &["delete", "-f", &g2]);
    c.same_after(&m, gone, &["delete", "-f", &w3]);
    c.same_after(&m, present, &["label", "-f", &w3, "tier=a"]);
    c.same_after(&m, present, &["annotate", "-f", &g2, "note=x"]);
    c.same_after(
        &m,
        present,
        &["label", "widget", "w3", "tier=a", "-o", "name"],
    );
    c.assert_none();
    // A kind the server does not serve either: kubectl's error line, then kubelite's
    // pointer into the file.
    let args = ["create", "--validate=false", "-f", sprocket.as_str()];
    let (ours, theirs) = (m.kubelite(&args), m.kubectl(&args));
    assert_eq!(
        (ours.code, ours.stdout.as_str()),
        (theirs.code, theirs.stdout.as_str())
    );
    assert!(
        ours.stderr.starts_with(&theirs.stderr),
        "kubelite:\n{}\nkubectl:\n{}",
        ours.stderr,
        theirs.stderr
    );
}

#[test]
fn discovery_is_cached_as_kubectl_caches_it() {
    require_kubectl!();
    let m = Mock::start();
    m.kubelite(&["get", "widgets"]).ok("kubelite get widgets");
    m.kubectl(&["get", "widgets"]).ok("kubectl get widgets");
    let host = m.url.trim_start_matches("http://").replace(':', "_");
    let ours = m.home().join("kubelite-cache/discovery").join(&host);
    let theirs = m.kubectl_cache().join("discovery").join(&host);
    for file in [
        "servergroups.json",
        "v1/serverresources.json",
        "example.com/v1/serverresources.json",
        "toys.example.org/v1alpha1/serverresources.json",
    ] {
        let a = std::fs::read_to_string(ours.join(file)).expect("kubelite's cache file");
        let b = std::fs::read_to_string(theirs.join(file)).expect("kubectl's cache file");
        assert_eq!(a, b, "{file} differs");
    }
    // A fresh cache is used: the next command asks for no discovery.
    let log = m.dir.0.join("requests.log");
    let before = std::fs::read_to_string(&log).expect("log");
    m.kubelite(&["get", "gadgets"]).ok("cached get");
    let after = std::fs::read_to_string(&log).expect("log");
    let new: Vec<&str> = after[before.len()..].lines().collect();
    assert!(
        new.iter()
            .all(|l| !l.starts_with("GET /api?") && !l.starts_with("GET /apis?")),
        "{new:?}"
    );
    // kubectl's cache serves kubelite too.
    std::fs::remove_dir_all(&ours).expect("clear kubelite's cache");
    std::fs::create_dir_all(ours.parent().expect("parent")).expect("dir");
    copy_dir(&theirs, &ours);
    let before = std::fs::read_to_string(&log).expect("log");
    m.kubelite(&["get", "wd", "-o", "name"])
        .ok("get from kubectl's cache");
    let after = std::fs::read_to_string(&log).expect("log");
    assert!(!after[before.len()..].contains("GET /apis?"), "{after}");
    // An unknown type refreshes a cached discovery once, then fails as kubectl does.
    let before = std::fs::read_to_string(&log).expect("log");
    let run = m.kubelite(&["get", "sprockets"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "error: the server doesn't have a resource type \"sprockets\"\n"
        )
    );
    let after = std::fs::read_to_string(&log).expect("log");
    assert_eq!(
        after[before.len()..].matches("GET /apis?").count(),
        1,
        "{after}"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}
