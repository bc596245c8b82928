//! Shared test helpers: reference objects, the reference clock, and the real kubectl run
//! against a mock API server that serves our Tables.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use chrono::{DateTime, Utc};
use serde_json::Value;

pub const OBJECTS: &str = "/work/shared/reference/objects";

/// The reference cluster's "now" (see the reference README).
pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-29T01:42:16Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// Reference objects whose file name starts with `prefix-` (e.g. `pod`), optionally only one
/// namespace, sorted by namespace then name as the API server lists them.
pub fn objects(prefix: &str, namespace: Option<&str>) -> Vec<Value> {
    let mut found: Vec<Value> = std::fs::read_dir(OBJECTS)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            name.starts_with(&format!("{prefix}-")) && name.ends_with(".json")
        })
        .map(|e| {
            serde_json::from_str::<Value>(&std::fs::read_to_string(e.path()).unwrap()).unwrap()
        })
        .filter(|o| namespace.is_none_or(|ns| o["metadata"]["namespace"] == ns))
        .collect();
    let key = |o: &Value| {
        (
            o["metadata"]["namespace"]
                .as_str()
                .unwrap_or("")
                .to_string(),
            o["metadata"]["name"].as_str().unwrap_or("").to_string(),
        )
    };
    found.sort_by_key(key);
    found
}

/// One reference object by file stem, e.g. `pod-default-too-big`.
pub fn object(stem: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{OBJECTS}/{stem}.json")).unwrap())
        .unwrap()
}

/// Events of all the reference EventLists, de-duplicated by namespace/name.
pub fn events(namespace: Option<&str>) -> Vec<Value> {
    let mut all: Vec<Value> = Vec::new();
    for list in objects("events", None) {
        for item in list["items"].as_array().unwrap() {
            let dup = all
                .iter()
                .any(|e| e["metadata"]["name"] == item["metadata"]["name"]);
            if !dup && namespace.is_none_or(|ns| item["metadata"]["namespace"] == ns) {
                all.push(item.clone());
            }
        }
    }
    all.sort_by_key(|o| {
        (
            o["metadata"]["namespace"]
                .as_str()
                .unwrap_or("")
                .to_string(),
            o["metadata"]["name"].as_str().unwrap_or("").to_string(),
        )
    });
    all
}

pub fn kubectl_available() -> bool {
    let ok = Command::new("kubectl")
        .arg("version")
        .arg("--client")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!(
            "\n!!!!!! kubectl NOT FOUND ON PATH: SKIPPING THE KUBECTL ORACLE COMPARISON !!!!!!\n"
        );
    }
    ok
}

/// A running tests/support/mock_apiserver.py serving `routes` (URL path -> body).
pub struct MockServer {
    child: Child,
    pub port: u16,
    dir: PathBuf,
}

static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

impl MockServer {
    pub fn start(routes: &Value) -> MockServer {
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("table-oracle-{}-{n}", std::process::id()));
        std::fs::create_dir_all(dir.join("cache")).unwrap();
        std::fs::write(
            dir.join("routes.json"),
            serde_json::to_string(routes).unwrap(),
        )
        .unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/mock_apiserver.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(dir.join("routes.json"))
            .arg(dir.join("requests.log"))
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 is needed for the mock API server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line.trim().parse().expect("mock server port");
        MockServer { child, port, dir }
    }

    /// Runs the real kubectl against this server: (stdout, stderr, exit code).
    pub fn kubectl(&self, args: &[&str]) -> (String, String, i32) {
        let out = Command::new("kubectl")
            .arg(format!("--server=http://127.0.0.1:{}", self.port))
            .arg(format!("--cache-dir={}", self.dir.join("cache").display()))
            .args(args)
            .env("KUBECONFIG", self.dir.join("empty-kubeconfig"))
            .env("TZ", "UTC")
            .output()
            .unwrap();
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            out.status.code().unwrap_or(-1),
        )
    }

    pub fn requests(&self) -> String {
        std::fs::read_to_string(self.dir.join("requests.log")).unwrap_or_default()
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
