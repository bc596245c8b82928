//! Completion through real shells: the checked-in scripts under `completions/` are loaded into
//! bash, zsh and fish, which call back into the built kubelite for candidates from a cluster in
//! a temporary KUBELITE_HOME (myapp-pod with two containers and deployment web, from
//! `testdata/completion/cluster.yaml`). A missing shell skips its test, loudly.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A cluster home and a bin directory holding `kubelite` and a `kubectl` link to it.
struct Env {
    home: PathBuf,
    bin: PathBuf,
}

fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("completion");
        let _ = std::fs::remove_dir_all(&root);
        let (home, bin) = (root.join("home"), root.join("bin"));
        std::fs::create_dir_all(&bin).expect("mkdir bin");
        let exe = Path::new(env!("CARGO_BIN_EXE_kubelite"));
        std::os::unix::fs::symlink(exe, bin.join("kubelite")).expect("link kubelite");
        std::os::unix::fs::symlink(exe, bin.join("kubectl")).expect("link kubectl");
        let out = Command::new(exe)
            .args(["create", "-f"])
            .arg(repo().join("testdata/completion/cluster.yaml"))
            .env("KUBELITE_HOME", &home)
            .env_remove("KUBECONFIG")
            .output()
            .expect("run kubelite create");
        assert!(
            out.status.success(),
            "create failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Env { home, bin }
    })
}

fn path_var() -> String {
    format!(
        "{}:{}",
        env().bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

fn has(shell: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {shell}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!(
            "SKIPPED: {shell} is not installed (Debian package `{shell}`); its completion is untested"
        );
    }
    found
}

/// Single-quotes a word for a shell script.
fn quote(w: &str) -> String {
    format!("'{}'", w.replace('\'', r"'\''"))
}

/// What bash's completion function puts in COMPREPLY for the last word of `line`.
fn bash(line: &str) -> Vec<String> {
    bash_with(line, &[])
}

/// `bash`, with extra environment variables.
fn bash_with(line: &str, vars: &[(&str, &Path)]) -> Vec<String> {
    let mut words: Vec<&str> = line.split(' ').collect();
    if line.ends_with(' ') {
        words.pop();
        words.push("");
    }
    let program = words[0];
    let script = format!(
        "source {}\nCOMP_WORDS=({})\nCOMP_CWORD={}\nCOMP_LINE={}\nCOMP_POINT=${{#COMP_LINE}}\n_clap_complete_{program} {program} \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\ncomplete -p {program} >&2\n",
        repo().join("completions/kubelite.bash").display(),
        words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" "),
        words.len() - 1,
        quote(line),
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &script])
        .env("PATH", path_var())
        .env("KUBELITE_HOME", &env().home)
        .env_remove("KUBECONFIG")
        .envs(vars.iter().copied())
        .output()
        .expect("run bash");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("-F _clap_complete_{program} {program}")),
        "{program} not registered: {stderr}"
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_what_the_cluster_holds() {
    if !has("bash") {
        return;
    }
    let types = bash("kubelite get po");
    assert!(
        types.contains(&"pods".to_string()) && types.contains(&"po".to_string()),
        "{types:?}"
    );
    assert!(types.iter().all(|t| t.starts_with("po")), "{types:?}");
    assert_eq!(bash("kubelite get pods my"), ["myapp-pod"]);
    assert_eq!(
        bash("kubelite -n kube-"),
        ["kube-node-lease", "kube-public", "kube-system"]
    );
    assert_eq!(bash("kubelite describe deploy/"), ["deploy/web"]);
    // On an empty word clap_complete offers the flags too, after the names.
    let names = |line: &str| -> Vec<String> {
        bash(line)
            .into_iter()
            .filter(|c| !c.starts_with('-'))
            .collect()
    };
    assert_eq!(names("kubelite get deployments "), ["web"]);
    assert!(bash("kubelite get deployments ").contains(&"--output".to_string()));
    assert_eq!(names("kubelite exec myapp-pod -c "), ["app", "sidecar"]);
    assert_eq!(bash("kubelite get pods -o js"), ["json", "jsonpath="]);
    assert_eq!(bash("kubelite roll"), ["rollout"]);
    assert_eq!(bash("kubelite completion z"), ["zsh"]);
    assert_eq!(bash("kubelite rollout status deploy/w"), ["deploy/web"]);
    // Names come from the namespace on the line.
    assert_eq!(bash("kubelite get pods -n team etcd"), ["etcd-backup"]);
    assert_eq!(
        bash("kubelite get pods --namespace=team e"),
        ["etcd-backup"]
    );
    assert!(bash("kubelite get pods -n team my").is_empty());
    // -A reaches kube-system too, where the static etcd-master pod runs.
    assert_eq!(
        bash("kubelite get pods -A e"),
        ["etcd-backup", "etcd-master"]
    );
    // Cluster-scoped types ignore the namespace.
    assert_eq!(
        bash("kubelite get nodes -n team node"),
        ["node01", "node02"]
    );
    // cordon, uncordon and drain name nodes without a type.
    assert_eq!(bash("kubelite cordon node"), ["node01", "node02"]);
    assert_eq!(bash("kubelite uncordon m"), ["master"]);
    assert_eq!(bash("kubelite drain node0"), ["node01", "node02"]);
    // top node names nodes, top pod the namespace's pods.
    assert_eq!(bash("kubelite top node node0"), ["node01", "node02"]);
    assert_eq!(
        bash("kubelite top pod -n kube-system etcd"),
        ["etcd-master"]
    );
}

#[test]
fn bash_completes_explains_types_and_formats() {
    if !has("bash") {
        return;
    }
    let types = bash("kubelite explain deplo");
    assert!(types.contains(&"deployments".to_string()), "{types:?}");
    assert!(types.iter().all(|t| t.starts_with("deplo")), "{types:?}");
    assert_eq!(
        bash("kubelite explain pods -o plain"),
        ["plaintext", "plaintext-openapiv2"]
    );
    assert_eq!(
        bash("kubelite explain pods --output=plaintext-"),
        ["--output=plaintext-openapiv2"]
    );
}

#[test]
fn bash_completes_the_test_verb() {
    if !has("bash") {
        return;
    }
    assert_eq!(bash("kubelite test --fo"), ["--format"]);
    assert_eq!(bash("kubelite test --format "), ["human", "tap"]);
    assert!(bash("kubelite tes").contains(&"test".to_string()));
}

#[test]
fn bash_completes_contexts_from_the_kubeconfig() {
    if !has("bash") {
        return;
    }
    let kubeconfig = repo().join("testdata/completion/kubeconfig.yaml");
    let vars = [("KUBECONFIG", kubeconfig.as_path())];
    assert_eq!(
        bash_with("kubelite --context lab-", &vars),
        ["lab-admin", "lab-viewer"]
    );
    assert_eq!(
        bash_with("kubelite get pods --context lab-v", &vars),
        ["lab-viewer"]
    );
    // A remote cluster is not reached: no names rather than the embedded cluster's.
    assert!(bash_with("kubelite get pods my", &vars).is_empty());
}

#[test]
fn bash_completes_the_kubectl_link() {
    if !has("bash") {
        return;
    }
    assert_eq!(bash("kubectl get pods my"), ["myapp-pod"]);
    assert_eq!(bash("kubectl describe deploy/"), ["deploy/web"]);
}

#[test]
fn completion_prints_the_checked_in_scripts() {
    for (shell, file) in [
        ("bash", "kubelite.bash"),
        ("zsh", "_kubelite"),
        ("fish", "kubelite.fish"),
        ("powershell", "kubelite.ps1"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_kubelite"))
            .args(["completion", shell])
            .output()
            .expect("run completion");
        assert!(out.status.success());
        let file = std::fs::read(repo().join("completions").join(file)).expect("checked-in script");
        assert_eq!(
            out.stdout, file,
            "kubelite completion {shell} differs from completions/"
        );
    }
    let bad = Command::new(env!("CARGO_BIN_EXE_kubelite"))
        .args(["completion", "tcsh"])
        .output()
        .expect("run completion");
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&bad.stderr),
        "error: Unsupported shell type \"tcsh\".\nSee 'kubelite completion -h' for help and examples\n"
    );
}

/// fish's own completion engine (`complete -C`), with the checked-in script loaded.
fn fish(line: &str) -> Vec<String> {
    let script = format!(
        "source {}; complete -C {}",
        repo().join("completions/kubelite.fish").display(),
        quote(line)
    );
    let out = Command::new("fish")
        .args(["--no-config", "-c", &script])
        .env("PATH", path_var())
        .env("KUBELITE_HOME", &env().home)
        .env_remove("KUBECONFIG")
        .output()
        .expect("run fish");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split('\t').next().unwrap_or("").to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn fish_completes_what_the_cluster_holds() {
    if !has("fish") {
        return;
    }
    assert!(fish("kubelite get po").contains(&"pods".to_string()));
    assert_eq!(fish("kubelite get pods my"), ["myapp-pod"]);
    assert_eq!(
        fish("kubelite -n kube-"),
        ["kube-node-lease", "kube-public", "kube-system"]
    );
    assert_eq!(fish("kubelite describe deploy/"), ["deploy/web"]);
    assert_eq!(fish("kubectl get pods my"), ["myapp-pod"]);
}

/// zsh through a real terminal (tmux, on its own socket): loads the script, then for each
/// case types the line, presses TAB and waits for the completed line on the screen.
fn zsh_tabs(setup: &str, cases: &[(&str, &str)]) -> Result<(), String> {
    static SESSIONS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = SESSIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let socket = format!("kubelite-zsh-{}-{n}", std::process::id());
    let tmux = |args: &[&str]| {
        Command::new("tmux")
            .args(["-L", &socket])
            .args(args)
            .output()
            .map_err(|e| e.to_string())
    };
    let path = format!("PATH={}", path_var());
    let home = format!("KUBELITE_HOME={}", env().home.display());
    let start = tmux(&[
        "new-session",
        "-d",
        "-s",
        "t",
        "-x",
        "200",
        "-y",
        "40",
        "env",
        "-u",
        "KUBECONFIG",
        &path,
        &home,
        "zsh",
        "-f",
    ])?;
    if !start.status.success() {
        return Err(String::from_utf8_lossy(&start.stderr).to_string());
    }
    let rc = format!("PS1='> '; {setup}");
    let result = (|| {
        tmux(&["send-keys", "-t", "t", &rc, "Enter"])?;
        for (line, want) in cases {
            tmux(&["send-keys", "-t", "t", "C-u", "clear", "Enter"])?;
            std::thread::sleep(Duration::from_millis(200));
            tmux(&["send-keys", "-t", "t", "-l", line])?;
            std::thread::sleep(Duration::from_millis(200));
            tmux(&["send-keys", "-t", "t", "Tab"])?;
            let deadline = Instant::now() + Duration::from_secs(15);
            let mut screen = String::new();
            while !screen.contains(want) {
                if Instant::now() > deadline {
                    return Err(format!(
                        "{want:?} never appeared after `{line}<TAB>`:\n{screen}"
                    ));
                }
                std::thread::sleep(Duration::from_millis(200));
                screen = String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-t", "t"])?.stdout)
                    .to_string();
            }
            tmux(&["send-keys", "-t", "t", "C-u"])?;
        }
        Ok(())
    })();
    let _ = tmux(&["kill-server"]);
    result
}

#[test]
fn zsh_completes_what_the_cluster_holds() {
    if !has("zsh") || !has("tmux") {
        return;
    }
    let sourced = format!(
        "autoload -Uz compinit; compinit -u; source {}",
        repo().join("completions/_kubelite").display()
    );
    zsh_tabs(
        &sourced,
        &[
            ("kubelite get pods my", "> kubelite get pods myapp-pod"),
            (
                "kubelite describe deploy/",
                "> kubelite describe deploy/web",
            ),
            ("kubelite -n kube-s", "> kubelite -n kube-system"),
            ("kubectl get pods my", "> kubectl get pods myapp-pod"),
        ],
    )
    .unwrap();
}

/// Installed in `$fpath` (as packages install `_kubelite`), the first TAB completes too.
#[test]
fn zsh_completes_from_fpath() {
    if !has("zsh") || !has("tmux") {
        return;
    }
    let fpath = format!(
        "fpath=({} $fpath); autoload -Uz compinit; compinit -u -d {}",
        repo().join("completions").display(),
        Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("zcompdump")
            .display()
    );
    zsh_tabs(
        &fpath,
        &[
            ("kubectl get pods my", "> kubectl get pods myapp-pod"),
            (
                "kubelite describe deploy/",
                "> kubelite describe deploy/web",
            ),
        ],
    )
    .unwrap();
}

/// A TAB while another kubelite holds the store completes no names, quickly, instead of
/// waiting for the lock.
#[test]
fn a_busy_store_completes_nothing_at_once() {
    if !has("bash") {
        return;
    }
    let home = Path::new(env!("CARGO_TARGET_TMPDIR")).join("completion-busy");
    let _ = std::fs::remove_dir_all(&home);
    let exe = env!("CARGO_BIN_EXE_kubelite");
    let created = Command::new(exe)
        .args(["create", "-f"])
        .arg(repo().join("testdata/completion/cluster.yaml"))
        .env("KUBELITE_HOME", &home)
        .env_remove("KUBECONFIG")
        .output()
        .expect("create");
    assert!(created.status.success());
    let mut watcher = Command::new(exe)
        .args(["get", "pods", "-w"])
        .env("KUBELITE_HOME", &home)
        .env_remove("KUBECONFIG")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("start get -w");
    // The watcher prints its table once it holds the store.
    let mut first = [0u8; 4];
    let _ = std::io::Read::read(watcher.stdout.as_mut().expect("piped"), &mut first);
    let started = Instant::now();
    let out = Command::new(exe)
        .args(["--", "kubelite", "get", "pods", "my"])
        .env("KUBELITE_COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", "3")
        .env("KUBELITE_HOME", &home)
        .env_remove("KUBECONFIG")
        .output()
        .expect("complete");
    let took = started.elapsed();
    let _ = watcher.kill();
    let _ = watcher.wait();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "",
        "names from a locked store?"
    );
    assert!(
        took < Duration::from_secs(2),
        "completion waited {took:?} for the lock"
    );
}
