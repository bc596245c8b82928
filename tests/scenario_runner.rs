//! `kubelite test`, the scenario runner, seen from outside: what passes, what fails and how
//! it says so, `--update`, bad files, timeouts, setup steps, checks, reports, `@serve`.
//! (The project's own goldens run through it in tests/golden.rs, the examples in
//! tests/examples.rs.)

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Dir(PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn dir(name: &str) -> Dir {
    let d = std::env::temp_dir().join(format!(
        "kubelite-scenario-runner-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("mkdir");
    Dir(d)
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

fn kubelite_test(args: &[&str], files: &[&Path]) -> (Output, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kubelite"))
        .arg("test")
        .args(args)
        .args(files)
        .output()
        .expect("run kubelite test");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out, text)
}

const PASSING: &str = "# clock steps and env
$ kubelite create ns shop
> namespace/shop created
@advance 5m
$ kubelite get ns shop
> NAME   STATUS   AGE
> shop   Active   5m
@env KUBELITE_NOW=2026-11-29T02:00:00Z
$ kubelite get ns shop -o jsonpath={.metadata.name}
> shop
%no-newline
$ kubelite get ns nope
! Error from server (NotFound): namespaces \"nope\" not found
? 1
";

#[test]
fn a_scenario_that_prints_what_it_says_passes() {
    let d = dir("pass");
    let f = write(&d.0, "pass.txt", PASSING);
    let (out, text) = kubelite_test(&[], &[&f]);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("test result: ok. 1 passed; 0 failed"),
        "{text}"
    );
}

#[test]
fn a_difference_names_file_and_line_with_a_diff_and_update_rewrites_it() {
    let d = dir("diff");
    let wrong = PASSING.replace("> shop   Active   5m", "> shop   Active   6m");
    let f = write(&d.0, "diff.txt", &wrong);
    let (out, text) = kubelite_test(&[], &[&f]);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let name = f.display().to_string();
    assert!(
        text.contains(&format!(
            "{name}:5: `kubelite get ns shop` printed something else"
        )),
        "{text}"
    );
    assert!(
        text.contains("-> shop   Active   6m\n+> shop   Active   5m\n"),
        "{text}"
    );
    assert!(
        text.contains("test result: FAILED. 0 passed; 1 failed"),
        "{text}"
    );
    let (out, text) = kubelite_test(&["--update"], &[&f]);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("1 updated"), "{text}");
    assert_eq!(std::fs::read_to_string(&f).unwrap(), PASSING);
}

#[test]
fn matchers_survive_update() {
    let d = dir("matchers");
    let text = "$ kubelite get ns default -o 'jsonpath={.metadata.uid}{\"\\n\"}{.metadata.creationTimestamp}'\n> <uid>\n> <re/2026-[0-9-]+T.*/>\n%no-newline\n$ kubelite create ns x\n> namespace/y created\n";
    let f = write(&d.0, "m.txt", text);
    let (out, report) = kubelite_test(&["--update"], &[&f]);
    assert!(out.status.success(), "{report}");
    assert_eq!(
        std::fs::read_to_string(&f).unwrap(),
        text.replace("namespace/y", "namespace/x")
    );
}

#[test]
fn a_malformed_file_is_a_diagnostic_and_never_rewritten() {
    let d = dir("malformed");
    let text = "$ kubelite get ns\n> NAME\n? one\n";
    let f = write(&d.0, "bad.txt", text);
    let (out, report) = kubelite_test(&["--update"], &[&f]);
    assert_eq!(out.status.code(), Some(1), "{report}");
    let name = f.display().to_string();
    assert!(
        report.contains(&format!("{name}:3:3: `? N` wants an exit status")),
        "{report}"
    );
    assert!(report.contains(" 3 | ? one"), "{report}");
    assert_eq!(std::fs::read_to_string(&f).unwrap(), text);
    let f = write(&d.0, "unknown.txt", "@bogus\n");
    let (_, report) = kubelite_test(&[], &[&f]);
    assert!(report.contains("unknown directive @bogus"), "{report}");
    let f = write(&d.0, "snap.txt", "$ kubelite get ns\n@snapshot base.snap\n");
    let (_, report) = kubelite_test(&[], &[&f]);
    assert!(
        report.contains("put it before the first command"),
        "{report}"
    );
}

#[test]
fn a_command_that_hangs_is_cut_at_the_timeout() {
    let d = dir("timeout");
    let text = "$ sleep 600\n> never\n$ kubelite create ns late\n> namespace/late created\n";
    let f = write(&d.0, "hang.txt", text);
    let (out, report) = kubelite_test(&["--timeout", "1s", "--update"], &[&f]);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(
        report.contains(":1: `sleep 600` did not finish within 1s: cut"),
        "{report}"
    );
    // The rest is not run, and no difference is made up for it.
    assert!(!report.contains("printed something else"), "{report}");
    assert!(report.contains("1 commands"), "{report}");
    assert_eq!(std::fs::read_to_string(&f).unwrap(), text);
}

/// kubelite's own commands run as children of a zygote: one that hangs is cut all the same,
/// and the scenario's commands before it ran and printed as usual.
#[test]
fn a_kubelite_command_that_hangs_is_cut_at_the_timeout() {
    let d = dir("kubelite-timeout");
    let text = "$ kubelite create ns early\n> namespace/early created\n$ kubelite get ns -w\n> never\n$ kubelite create ns late\n> namespace/late created\n";
    let f = write(&d.0, "hang.txt", text);
    let (out, report) = kubelite_test(&["--timeout", "2s", "--update"], &[&f]);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(
        report.contains(":3: `kubelite get ns -w` did not finish within 2s: cut"),
        "{report}"
    );
    assert!(!report.contains("printed something else"), "{report}");
    assert!(report.contains("2 commands"), "{report}");
    assert_eq!(std::fs::read_to_string(&f).unwrap(), text);
}

#[test]
fn setup_steps_shape_the_cluster_and_checks_say_what_is_wrong() {
    let d = dir("setup");
    write(
        &d.0,
        "web.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n  nodeSelector: {disk: ssd}\n  containers:\n  - name: c\n    image: nginx\n",
    );
    let f = write(
        &d.0,
        "s.txt",
        "@workers 3\n@node-label node03 disk=ssd\n@node-taint node01 only=me:NoSchedule\n@apply web.yaml\n$ kubelite get pod web -o jsonpath={.spec.nodeName}\n> node03\n%no-newline\n@expect node/node01 jsonpath={.spec.taints[0].key}=only\n@expect pod/web jsonpath={.status.phase}=Pending\n@expect-count pods -l app=web 2\n@expect pod/nope jsonpath={.status.phase}=Running\n",
    );
    let (out, report) = kubelite_test(&[], &[&f]);
    assert_eq!(out.status.code(), Some(1), "{report}");
    let name = f.display().to_string();
    assert!(!report.contains(":8:"), "{report}");
    assert!(report.contains(&format!("{name}:9: @expect pod/web jsonpath={{.status.phase}}=Pending: is \"Running\", not \"Pending\"")), "{report}");
    assert!(
        report.contains(&format!(
            "{name}:10: @expect-count pods -l app=web 2: found 1, not 2: pod/web"
        )),
        "{report}"
    );
    assert!(report.contains("pods \"nope\" not found"), "{report}");
    assert!(!report.contains("printed something else"), "{report}");
    // A setup step that fails stops the scenario.
    let f = write(
        &d.0,
        "broken.txt",
        "@apply missing.yaml\n$ kubelite get pods\n",
    );
    let (_, report) = kubelite_test(&[], &[&f]);
    assert!(
        report.contains(":1: setup step `kubelite apply -f missing.yaml` failed"),
        "{report}"
    );
}

#[test]
fn tap_and_junit_for_ci() {
    let d = dir("reports");
    let ok = write(
        &d.0,
        "a.txt",
        "$ kubelite get ns default -o name\n> namespace/default\n",
    );
    let bad = write(
        &d.0,
        "b.txt",
        "$ kubelite get ns default -o name\n> namespace/x\n",
    );
    let junit = d.0.join("report.xml");
    let (out, report) = kubelite_test(
        &["--format=tap", "--junit", junit.to_str().unwrap()],
        &[&d.0],
    );
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(
        report.starts_with(&format!(
            "TAP version 13\n1..2\nok 1 - {}\nnot ok 2 - {}\n",
            ok.display(),
            bad.display()
        )),
        "{report}"
    );
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("tests=\"2\" failures=\"1\""), "{xml}");
    assert!(xml.contains("<failure message="), "{xml}");
}

/// `@serve` puts the real kubectl under test (skipped, loudly, without one on the PATH).
#[test]
fn serve_puts_the_real_kubectl_under_test() {
    if Command::new("kubectl")
        .arg("version")
        .arg("--client")
        .output()
        .is_err()
    {
        eprintln!("SKIPPED serve_puts_the_real_kubectl_under_test: no kubectl on the PATH");
        return;
    }
    let d = dir("serve");
    let f = write(
        &d.0,
        "serve.txt",
        "@serve\n$ kubectl get ns kube-system\n> NAME          STATUS   AGE\n> kube-system   Active   <age>\n$ kubelite create ns shop\n> namespace/shop created\n$ kubectl get ns shop -o name\n> namespace/shop\n",
    );
    let (out, report) = kubelite_test(&[], &[&f]);
    assert!(out.status.success(), "{report}");
    let f = write(&d.0, "step.txt", "@serve\n@advance 5m\n");
    let (_, report) = kubelite_test(&[], &[&f]);
    assert!(report.contains(":2: @advance after @serve"), "{report}");
}

#[test]
fn watch_runs_a_changed_scenario_again() {
    use std::io::{BufRead, BufReader};
    use std::time::Duration;
    let d = dir("watch");
    let f = write(
        &d.0,
        "w.txt",
        "$ kubelite get ns default -o name\n> namespace/default\n",
    );
    // Its clusters' temporary homes go here, to see that Ctrl-C leaves none behind.
    let tmp = d.0.join("tmp");
    std::fs::create_dir(&tmp).expect("tmp");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubelite"))
        .args(["test", "--watch"])
        .arg(&d.0)
        .env("TMPDIR", &tmp)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start kubelite test --watch");
    let stdout = child.stdout.take().expect("piped");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.starts_with("test result:") && tx.send(line).is_err() {
                break;
            }
        }
    });
    let first = rx.recv_timeout(Duration::from_secs(60));
    // A change that makes it fail: the watcher runs it again.
    write(
        &d.0,
        "w.txt",
        "$ kubelite get ns default -o name\n> namespace/other\n",
    );
    let second = rx.recv_timeout(Duration::from_secs(60));
    // SAFETY: the pid is our own child, not yet waited for.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Ok(Some(status)) = child.try_wait() {
            break Some(status);
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let left: Vec<_> = std::fs::read_dir(&tmp)
        .expect("tmp")
        .map_while(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert!(
        status.is_some_and(|s| s.success()),
        "Ctrl-C ends --watch cleanly: {status:?}"
    );
    assert!(left.is_empty(), "homes left behind: {left:?}");
    assert!(
        first
            .as_deref()
            .is_ok_and(|l| l.starts_with("test result: ok. 1 passed")),
        "{first:?}"
    );
    assert!(
        second
            .as_deref()
            .is_ok_and(|l| l.starts_with("test result: FAILED. 0 passed; 1 failed")),
        "{second:?}"
    );
    drop(f);
}

#[test]
fn a_command_that_prints_without_end_is_bounded() {
    let d = dir("flood");
    let f = write(&d.0, "flood.txt", "$ head -c 70000000 /dev/zero\n");
    let (out, report) = kubelite_test(&["--update"], &[&f]);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(
        report.contains(":1: `head -c 70000000 /dev/zero` printed more than 64 MiB"),
        "{report}"
    );
    assert_eq!(
        std::fs::read_to_string(&f).unwrap(),
        "$ head -c 70000000 /dev/zero\n"
    );
}

/// Fresh clusters are booted once per environment and copied: scenarios with different
/// shapes and clocks in one run each get their own.
#[test]
fn each_environment_gets_its_own_fresh_cluster() {
    let d = dir("templates");
    write(
        &d.0,
        "a.txt",
        "@workers 1\n$ kubelite get nodes -o name\n> node/master\n> node/node01\n$ kubelite create ns a\n> namespace/a created\n",
    );
    write(
        &d.0,
        "b.txt",
        "$ kubelite get nodes -o name\n> node/master\n> node/node01\n> node/node02\n$ kubelite get ns a\n! Error from server (NotFound): namespaces \"a\" not found\n? 1\n",
    );
    write(
        &d.0,
        "c.txt",
        "@env KUBELITE_NOW=2027-01-01T00:00:00Z\n$ kubelite get ns default -o jsonpath={.metadata.creationTimestamp}\n> 2027-01-01T00:00:00Z\n%no-newline\n",
    );
    write(
        &d.0,
        "d.txt",
        "$ kubelite get ns default -o jsonpath={.metadata.creationTimestamp}\n> 2026-11-29T01:42:16Z\n%no-newline\n",
    );
    let (out, report) = kubelite_test(&["-j", "2"], &[&d.0]);
    assert!(out.status.success(), "{report}");
    assert!(report.contains("4 passed"), "{report}");
}

#[test]
fn kustomize_setup_applies_a_kustomization() {
    let d = dir("kustomize");
    let k = d.0.join("app");
    std::fs::create_dir_all(&k).unwrap();
    write(
        &k,
        "kustomization.yaml",
        "namespace: default\nnamePrefix: prod-\nresources:\n- cm.yaml\n",
    );
    write(
        &k,
        "cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n",
    );
    let f = write(
        &d.0,
        "k.txt",
        "@kustomize app\n@expect configmap/prod-settings jsonpath={.data.a}=b\n@expect-count configmaps -l nope=1 0\n",
    );
    let (out, report) = kubelite_test(&[], &[&f]);
    assert!(out.status.success(), "{report}");
    assert!(report.contains("1 passed"), "{report}");
}

#[test]
fn a_scenario_starts_from_a_saved_snapshot() {
    let d = dir("snapshot");
    let home = d.0.join("home");
    let kubelite = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_kubelite"))
            .args(args)
            .env("KUBELITE_HOME", &home)
            .env("KUBELITE_NOW", "2026-11-29T01:42:16Z")
            .output()
            .expect("run kubelite");
        assert!(out.status.success(), "{out:?}");
    };
    kubelite(&["create", "ns", "prepared"]);
    kubelite(&["snapshot", "save", d.0.join("base.snap").to_str().unwrap()]);
    let good = write(
        &d.0,
        "from-snapshot.txt",
        "@snapshot base.snap\n$ kubelite get ns prepared -o name\n> namespace/prepared\n",
    );
    let (out, text) = kubelite_test(&[], &[&good]);
    assert!(out.status.success(), "{text}");
    // A missing snapshot fails the scenario at its line, and the file is never rewritten.
    let body = "# from nothing\n@snapshot nope.snap\n$ kubelite get ns\n";
    let bad = write(&d.0, "missing.txt", body);
    let (out, text) = kubelite_test(&["--update"], &[&bad]);
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("missing.txt:2: @snapshot: cannot read the snapshot"),
        "{text}"
    );
    assert_eq!(std::fs::read_to_string(&bad).unwrap(), body);
}
