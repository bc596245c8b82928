//! `create <generator>` against the real kubectl 1.32: `--dry-run=client` output bytes, errors
//! and exit codes offline (kubectl pointed at an unreachable server, kubelite at a home that
//! must never be created), and real creates through `kubelite serve` compared with kubectl's.

// Shared with the serve suite; this file uses only part of it.
#[allow(dead_code)]
#[path = "serve/support.rs"]
mod support;

use std::path::Path;
use std::process::Command;
use support::{BIN, Run, Server, TempDir, kubectl_available};

/// Command lines (after `create`); each runs with `--dry-run=client` and every `-o`.
const OFFLINE: &[&str] = &[
    "deployment web --image=nginx",
    "deploy web --image=nginx --image=busybox:1.36 --image=reg.io:5000/team/app@sha256:ab --image=nginx --replicas=3 --port=80 -n apps",
    "deployment web --image=nginx --port=8080 -r 0 -- sleep 10",
    "namespace team-a",
    "ns team-a -n ignored",
    "serviceaccount robot",
    "sa robot -n apps",
    "configmap cfg --from-literal=a=b --from-literal=c=d=e",
    "cm cfg --from-file=plain.txt --from-file=renamed=plain.txt --from-file=blob.bin -n apps",
    "cm cfg --from-env-file=vars.env",
    "secret generic creds --from-literal=user=admin --from-file=plain.txt --type=example.com/token",
    "secret generic creds --from-env-file=vars.env --from-env-file=more.env",
    "secret generic creds --from-file=blob.bin",
    "service clusterip front --tcp=80:8080 --tcp=443",
    "svc clusterip headless --clusterip=None",
    "svc nodeport np --tcp=80:8080,81 --node-port=30001",
    "svc loadbalancer lb --tcp=80:http",
    "svc externalname ext --external-name=db.example.com",
    "cm cfg --from-file=dir",
    "secret generic creds --from-file=dir/ --from-literal=z=1",
    "quota q --hard=cpu=1000m,memory=1024Mi,pods=2,requests.storage=1.5Gi,count/deployments.apps=3 --scopes=BestEffort,NotTerminating",
    "quota q -n apps",
    "resourcequota q --hard=cpu=0.1,memory=1e3,x=-1,=1",
    "secret docker-registry reg --docker-username=u --docker-password=p<&>\"x --docker-email=e@x",
    "secret docker-registry reg --docker-username=u --docker-password=p --docker-server=reg.io -n apps",
    "secret docker-registry reg --from-file=cfg.json",
    "secret docker-registry reg --from-file=a=cfg.json --from-file=b=blob.bin --docker-username=ignored",
    "secret tls web --cert=rsa.crt --key=rsa.key",
    "secret tls web --cert=rsa.crt --key=rsa-pkcs1.key -n apps",
    "secret tls web --cert=ec.crt --key=ec-sec1.key",
    "secret tls web --cert=chain.crt --key=ec.key",
    "secret tls web --cert=ed.crt --key=ed.key",
    "cm cfg --from-literal=a=b --from-file=dir --append-hash",
    "cm cfg --append-hash",
    "secret generic creds --from-literal=a=<&> --type=x --append-hash",
    "secret docker-registry reg --docker-username=u --docker-password=p --append-hash",
    "secret tls web --cert=rsa.crt --key=rsa.key --append-hash -n apps",
    // List flags are pflag string slices: split at commas, an empty one gives nothing.
    "deployment web --image=nginx,redis:7 --image= --image=a,,b",
    "deployment web --image=",
    "svc clusterip s --tcp=80:8080,443 --tcp= --tcp=8443:https",
    "svc clusterip s --tcp=80:8080:9 --tcp=81:+5",
    "svc nodeport np --tcp=80 --node-port=-1",
    "svc externalname ext --external-name=a.b-c.example",
    // --save-config records the object built (kubectl's `create service` never does).
    "cm cfg --from-literal=a=b --save-config",
    "deployment web --image=nginx --save-config -n apps",
    "svc nodeport np --tcp=80 --save-config",
    "secret tls web --cert=rsa.crt --key=rsa.key --save-config --append-hash",
    "ns team --save-config",
    "quota q --hard=cpu=1 --save-config",
    // Flags before the generator's name are the generator's, as cobra parses them.
    "-n apps deployment web --image=nginx",
    "--dry-run=client -o json sa robot",
    // Jobs and cron jobs: one container named after the object, the command after `--`.
    "job pi --image=perl",
    "job pi --image=perl -n batch -- perl -Mbignum=bpi -wle print --restart=x",
    "job pi --image=perl --save-config",
    "cronjob tick --image=busybox --schedule=*/5",
    "cj tick --image=busybox --schedule=@hourly --restart=Never -n apps -- date",
    "cronjob tick --image= --schedule= --restart=Always",
    "cronjob tick --image=busybox --schedule=x --save-config",
    // Priority classes: cluster-wide, every field as given.
    "priorityclass high --value=1000 --description=high --global-default --preemption-policy=Never",
    "pc low -n ignored",
    "priorityclass neg --value=-5 --preemption-policy=bogus --global-default=false",
    "priorityclass p --preemption-policy= --description= --global-default=T --save-config",
    // Disruption budgets: a count stays a number, a percentage (or too big a count) text;
    // equality pairs are labels, the other requirements expressions in key order.
    "pdb p --min-available=1 --selector=app=x",
    "poddisruptionbudget p --max-unavailable=50% --selector=app=x -n apps",
    "pdb p --min-available=0 --selector=a",
    "pdb p --min-available=01 --selector=!a,a==b,c",
    "pdb p --min-available=101% --selector=a=b,a=c",
    "pdb p --min-available=99999999999 --selector=b=1",
    "pdb p --max-unavailable=0% --selector=a=b --save-config",
    // Ingresses: paths of one host share its rule, TLS entries are grouped by secret, a
    // host's first TLS entry wins, a trailing `*` makes a prefix.
    "ingress simple --rule=foo.com/bar=svc1:8080,tls=my-cert --rule=foo.com/*=svc2:http --rule=/path=svc3:80 --class=default --default-backend=defsvc:http --annotation=a=b --annotation=c=d=e",
    "ing i --rule=/p=svc:80,tls=c -n apps",
    "ingress i --rule=a.com/p=s:80,tls=c --rule=b.com/p=s:80,tls=d --rule=c.com/p=s:80,tls",
    "ingress i --rule=a.com/p=s:80,tls=c --rule=b.com/p=s:80,tls=c --rule=a.com/q=s:80,tls=e --rule=/x=s:1,tls=c",
    "ingress i --rule=a.com/p=s:80,tlsx --rule=b.com/p=s:80x,tls=c,d",
    "ingress i --rule=a.com/p=s_1:80 --rule=a.com/p=s:8_0 --rule=a.com/p=s:0 --rule=a.com/p=s:99999999999",
    "ingress i --rule=a_b.com/p=s:80 --rule=/=s:1 --rule=/*=s:2",
    "ingress i --default-backend=:80",
    "ingress i --rule=a.com/p=s:80 --annotation==x --annotation=k= --annotation=z=1 --save-config",
    "rolebinding b --role=r --user=u1 --user=u2,u3 --group=g --serviceaccount=ns:sa",
    "rolebinding b --clusterrole=view -n apps --save-config",
    "clusterrolebinding b --clusterrole=c --user=u --serviceaccount=a:b -n x",
    "clusterrolebinding b --clusterrole=c",
];

/// Command lines kubectl refuses offline; stderr and exit code must match.
const OFFLINE_ERRORS: &[&str] = &[
    "rolebinding b",
    "rolebinding b --role=r --clusterrole=c",
    "rolebinding --role=r",
    "rolebinding b --role=r --serviceaccount=bad",
    "rolebinding b --role=r --serviceaccount=a:b:c",
    "clusterrolebinding b --clusterrole=c --serviceaccount=:b",
    "deployment --image=x",
    "deployment a b --image=x",
    "deployment a --image=x --image=y -- sleep",
    "cm cfg --from-literal=novalue",
    "cm cfg --from-literal==v",
    "cm cfg --from-literal=a=1 --from-literal=a=2",
    "cm cfg --from-file=k=plain.txt=1",
    "cm cfg --from-file=missing.txt",
    "cm cfg --from-env-file=vars.env --from-literal=a=b",
    "cm cfg --from-env-file=bad.env",
    "svc clusterip front",
    "svc nodeport np --tcp=x",
    "cm cfg --from-file=k=dir",
    "cm cfg --from-file==plain.txt",
    "cm cfg --from-file=k=",
    "quota --hard=cpu=1",
    "quota q --hard=cpu",
    "quota q --hard=cpu=1,",
    "quota q --hard=cpu=abc",
    "quota q --hard=cpu=1 --scopes=a,,b",
    "secret docker-registry reg",
    "secret docker-registry reg --docker-username=u --docker-password=p --docker-server=",
    "secret docker-registry reg --from-file=cfg.json --from-file=plain.txt",
    "secret docker-registry reg --from-file=dir",
    "secret docker-registry reg --from-file=bad*=plain.txt",
    "secret docker-registry reg --from-file=x=missing",
    "secret tls web --cert=rsa.crt",
    "secret tls --cert=rsa.crt --key=rsa.key",
    "secret tls web --cert=missing --key=rsa.key",
    "secret tls web --cert=rsa.crt --key=missing",
    "secret tls web --cert=dir --key=rsa.key",
    "secret tls web --cert=plain.txt --key=rsa.key",
    "secret tls web --cert=rsa.crt --key=plain.txt",
    "secret tls web --cert=rsa.key --key=rsa.crt",
    "secret tls web --cert=rsa.crt --key=rsa.crt",
    "secret tls web --cert=other.pem --key=rsa.key",
    "secret tls web --cert=other-and-key.pem --key=rsa.key",
    "secret tls web --cert=rsa.crt --key=other.pem",
    "secret tls web --cert=bad-cert.pem --key=rsa.key",
    "secret tls web --cert=rsa.crt --key=bad-key.pem",
    "secret tls web --cert=rsa.crt --key=ec.key",
    "secret tls web --cert=ec.crt --key=ec-other.key",
    "secret tls web --cert=ed.crt --key=ec-sec1.key",
    "svc clusterip s --tcp=65536",
    "svc clusterip s --tcp=80:",
    "svc clusterip s --tcp=80:0",
    "svc clusterip s --tcp=80:65536",
    "svc clusterip s --tcp=80:-1",
    "svc clusterip s --tcp=80:Http",
    "svc clusterip s --tcp=80:a--b",
    "svc clusterip s --tcp=80:-ab",
    "svc clusterip s --tcp=80:thisnameistoolong1",
    "svc clusterip s --tcp=80:99999999999999999999",
    "svc externalname ext --external-name=",
    "svc externalname ext --external-name=Db.example",
    "svc externalname ext --external-name=a..b",
    "deployment web --image=nginx -o jsonpath",
    "deployment web --image=nginx -o jsonpath=",
    "deployment web --image=nginx -o go-template",
    // Real and server dry-run creates against the server nobody listens on: Go's words
    // for the refused POST, wrapped per generator.
    "deployment web --image=nginx --dry-run=none",
    "sa robot --dry-run=server --field-manager=a/b -n apps",
    "ns team --dry-run=none",
    "cm cfg --from-literal=a=b --validate=ignore --dry-run=none",
    "svc nodeport np --tcp=80 --dry-run=none",
    "quota q --hard=cpu=1 --dry-run=server",
    "secret generic creds --from-literal=a=b --dry-run=none",
    "cm cfg --from-literal=a --validate=bogus",
    "deployment web --image=x --validate=bogus",
    "deployment web --image=nginx --dry-run=bogus",
    "deployment web --image=nginx -o wide",
    "job pi",
    "job --image=perl",
    "job a b --image=perl",
    "job pi --image=",
    "job pi --image=perl --from=cronjob/x",
    "job pi --image=perl --dry-run=none",
    "job pi --image=perl -o jsonpath",
    "cronjob --image=b --schedule=x",
    "cronjob tick --image=b --schedule=x --dry-run=server -n apps",
    "priorityclass --value=1",
    "priorityclass p q",
    "priorityclass p --value=1 --dry-run=none",
    "pdb p",
    "pdb p --selector=app=x",
    "pdb p --min-available=1",
    "pdb p --min-available=1 --max-unavailable=1 --selector=a=b",
    "pdb p --min-available=abc --selector=a=b",
    "pdb p --max-unavailable=1.5 --selector=a=b",
    "pdb p --min-available=-1 --selector=a=b",
    "pdb p --min-available=+1 --selector=a=b",
    "pdb p --min-available=1 --selector=app=x,tier!=db",
    "pdb p --min-available=1 --selector=a=b=c",
    "pdb p --min-available=1 --selector=a>1",
    "pdb p --min-available=1 --selector=a<1",
    "pdb p --min-available=1 --selector=A_-=b",
    "pdb --min-available=1 --selector=a=b",
    "pdb p --min-available=1 --selector=a=b --dry-run=none -n apps",
    "ingress i",
    "ingress i --rule=foo",
    "ingress i --rule=foo.com/=svc",
    "ingress i --rule=foo.com=svc:80",
    "ingress i --rule=a,b/p=s:1",
    "ingress i --rule=a.com/p=s:",
    "ingress i --default-backend=svc",
    "ingress i --default-backend=a:b:c",
    "ingress i --rule=foo.com/p=svc:80 --annotation=a",
    "ingress --rule=a.com/p=s:1",
    "ingress i --rule=a.com/p=s:1 --dry-run=none",
];

/// Command lines clap rejects before any generator runs: unknown generators and flags.
const USAGE_ERRORS: &[&str] = &[
    // Unknown verbs, with cobra's suggestions (words whose near verbs both CLIs have).
    "gte pods",
    "crete deployment x",
    "roll status",
    "xyzzyq",
    "create foo",
    "create foo bar -n x",
    "create -n x foo",
    "create service foo",
    "create svc foo bar",
    // A token is asked for, never built: it has no --dry-run.
    "create token default --dry-run=client",
    "create secret foo",
    "create deployment web --image=x --bogus",
    "create deploy web --image=x -Z",
    "create svc clusterip a --tcp=1 --bogus=1",
    // Each service type takes only its own flag.
    "create svc clusterip a --tcp=1 --node-port=30001",
    "create svc nodeport a --tcp=1 --clusterip=None",
    "create svc loadbalancer a --tcp=1 --external-name=x",
    "create secret generic s --nope",
    "create --bogus",
    // Integer flags: pflag's words for strconv.ParseInt.
    "create deployment web --image=x --replicas=99999999999",
    "create deployment web --image=x --port=",
    "create deploy web --image=x -r abc",
    "create svc nodeport a --tcp=1 --node-port=1.5",
    "create deployment web --image",
    "create -f x.yaml deployment web --image=x",
    "create priorityclass p --value=abc",
    "create pc p --value=99999999999",
];

/// klog lines (`E1206 05:58:53.876218    4811 run.go:72] ...`) with the time and process
/// id masked; the header must have klog's shape.
fn klog_masked(stderr: &str) -> String {
    let mut out = String::new();
    for line in stderr.lines() {
        let fields: Vec<&str> = line.splitn(4, ' ').collect();
        let header = match fields[..] {
            [level, _, _, _] => {
                let level = level.chars().next().unwrap_or(' ');
                level.is_ascii_uppercase()
                    && line[1..5].chars().all(|c| c.is_ascii_digit())
                    && line.as_bytes().get(8) == Some(&b':')
            }
            _ => false,
        };
        if header {
            let rest = line[21..].trim_start();
            let site_and_text = rest.split_once(' ').map_or("", |(_, t)| t);
            out.push_str(&format!("{}MMDD TIME PID {site_and_text}\n", &line[..1]));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// kubectl's stderr with kubelite's name where kubelite names itself.
fn as_kubelite(stderr: &str) -> String {
    stderr
        .replace("See 'kubectl ", "See 'kubelite ")
        .replace("for \"kubectl", "for \"kubelite")
}

/// kubelite run in the workspace `ws` against `server` (found through its home).
fn kubelite_on(server: &Server, ws: &Path, args: &[&str]) -> Run {
    Command::new(BIN)
        .current_dir(ws)
        .env("KUBELITE_HOME", &server.home.0)
        .env_remove("KUBECONFIG")
        .args(args)
        .output()
        .expect("run kubelite")
        .into()
}

/// Whether kubectl is there to compare with (a test without it says SKIPPED).
fn oracle_present() -> bool {
    let present = kubectl_available();
    if !present {
        eprintln!("SKIPPED: kubectl is not on PATH; create generators are untested against it");
    }
    present
}

/// A directory of source files and a kubeconfig whose server nobody listens on.
fn workspace() -> TempDir {
    let dir = TempDir::new("generators");
    let d = &dir.0;
    std::fs::write(d.join("plain.txt"), "hello\nworld\n").unwrap();
    std::fs::write(d.join("blob.bin"), [0u8, 159, 146, 150, 255, 10]).unwrap();
    std::fs::write(
        d.join("vars.env"),
        "\u{feff}A=1\n# comment\n  B= spaced value \n\nC=x=y\n",
    )
    .unwrap();
    std::fs::write(d.join("more.env"), "D=4\n").unwrap();
    std::fs::write(d.join("cfg.json"), "{\"auths\":{}}\n").unwrap();
    // A directory: its regular files are keys; links and subdirectories are not.
    std::fs::create_dir_all(d.join("dir/sub")).unwrap();
    std::fs::write(d.join("dir/b.txt"), "bee\n").unwrap();
    std::fs::write(d.join("dir/a.bin"), [0xffu8, 0]).unwrap();
    std::fs::write(d.join("dir/sub/c.txt"), "sea\n").unwrap();
    std::os::unix::fs::symlink("b.txt", d.join("dir/link")).unwrap();
    // Key pairs (testdata/create-tls) and PEM files Go's key-pair check refuses.
    let tls = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/create-tls");
    let pem = |name: &str| std::fs::read_to_string(tls.join(name)).unwrap();
    for name in [
        "rsa.crt",
        "rsa.key",
        "rsa-pkcs1.key",
        "ec.crt",
        "ec.key",
        "ec-sec1.key",
        "ec-other.key",
        "ed.crt",
        "ed.key",
    ] {
        std::fs::write(d.join(name), pem(name)).unwrap();
    }
    std::fs::write(d.join("chain.crt"), pem("ec.crt") + &pem("rsa.crt")).unwrap();
    let block =
        |kind: &str, body: &str| format!("-----BEGIN {kind}-----\n{body}\n-----END {kind}-----\n");
    std::fs::write(d.join("other.pem"), block("OTHER THING", "AAAA")).unwrap();
    std::fs::write(
        d.join("other-and-key.pem"),
        block("OTHER THING", "AAAA") + &pem("rsa.key"),
    )
    .unwrap();
    std::fs::write(d.join("bad-cert.pem"), block("CERTIFICATE", "AAAA")).unwrap();
    std::fs::write(d.join("bad-key.pem"), block("PRIVATE KEY", "AAAA")).unwrap();
    std::fs::write(d.join("bad.env"), "export E=5\n").unwrap();
    std::fs::write(
        d.join("kubeconfig"),
        "apiVersion: v1\nkind: Config\nclusters:\n- cluster: {server: \"https://127.0.0.1:1\"}\n  name: x\ncontexts:\n- context: {cluster: x, user: u}\n  name: x\ncurrent-context: x\nusers:\n- name: u\n  user: {token: t}\n",
    )
    .unwrap();
    dir
}

fn run(program: &str, dir: &Path, args: &[&str]) -> Run {
    Command::new(program)
        .current_dir(dir)
        .env("KUBECONFIG", dir.join("kubeconfig"))
        .env("KUBELITE_HOME", dir.join("never-created"))
        .args(args)
        .output()
        .expect("run")
        .into()
}

fn words(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
}

/// The command line with `--dry-run=client` and `-o` put before any `--`.
fn offline_args<'a>(line: &'a str, output: Option<&'a str>) -> Vec<&'a str> {
    let all = words(line);
    let split = all.iter().position(|w| *w == "--").unwrap_or(all.len());
    let mut args = vec!["create"];
    args.extend_from_slice(&all[..split]);
    if !line.contains("--dry-run") {
        args.push("--dry-run=client");
    }
    if let Some(o) = output {
        args.extend(["-o", o]);
    }
    args.extend_from_slice(&all[split..]);
    args
}

#[test]
fn dry_run_client_output_is_kubectls_bytes_offline() {
    if !oracle_present() {
        return;
    }
    let ws = workspace();
    let mut diffs = Vec::new();
    for line in OFFLINE {
        for output in [Some("yaml"), Some("json"), Some("name"), None] {
            let args = offline_args(line, output);
            let want = run("kubectl", &ws.0, &args);
            let got = run(BIN, &ws.0, &args);
            assert_eq!(want.code, 0, "kubectl {args:?}: {}", want.stderr);
            if (want.stdout.as_str(), want.code) != (got.stdout.as_str(), got.code) {
                diffs.push(format!(
                    "{args:?}\n--- kubectl\n{}--- kubelite (exit {})\n{}{}",
                    want.stdout, got.code, got.stdout, got.stderr
                ));
            }
        }
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
    assert!(
        !ws.0.join("never-created").exists(),
        "--dry-run=client created KUBELITE_HOME"
    );
}

#[test]
fn offline_errors_are_kubectls() {
    if !oracle_present() {
        return;
    }
    let ws = workspace();
    let mut diffs = Vec::new();
    for line in OFFLINE_ERRORS {
        let output = (!line.contains(" -o ")).then_some("yaml");
        let args = offline_args(line, output);
        let want = run("kubectl", &ws.0, &args);
        let got = run(BIN, &ws.0, &args);
        assert_eq!(want.code, 1, "kubectl {args:?} should fail");
        let want_err = as_kubelite(&want.stderr);
        let same = want.code == got.code && want_err == got.stderr && got.stdout.is_empty();
        if !same {
            diffs.push(format!(
                "{args:?}\n--- kubectl (exit {})\n{want_err}--- kubelite (exit {})\n{}",
                want.code, got.code, got.stderr
            ));
        }
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
    // kubectl logs a missing required flag and a bare --dry-run through klog: the same
    // lines once the time and process id of the header are masked.
    for line in [
        "create deployment web",
        "create svc externalname ext",
        "create deployment web --image=nginx --dry-run -o yaml",
        "create --dry-run deployment web --image=nginx -o name",
        "create deployment web --image=nginx --dry-run client",
        "create cronjob tick",
        "create cronjob tick --image=b",
        "create cj tick --schedule=x",
        "create clusterrolebinding b --user=u",
    ] {
        let args = words(line);
        let want = run("kubectl", &ws.0, &args);
        let got = run(BIN, &ws.0, &args);
        assert_eq!(
            (
                want.code,
                want.stdout.as_str(),
                klog_masked(&as_kubelite(&want.stderr))
            ),
            (got.code, got.stdout.as_str(), klog_masked(&got.stderr)),
            "{line}"
        );
    }
    // A container name kubectl had to change gets a random suffix.
    let got = run(
        BIN,
        &ws.0,
        &offline_args("deployment web --image=my_app", Some("yaml")),
    );
    let line = got.stdout.lines().find(|l| l.contains("- image: my_app"));
    assert!(line.is_some(), "{}", got.stdout);
    let name = got
        .stdout
        .lines()
        .find(|l| l.trim().starts_with("name: my-app-"));
    assert_eq!(
        name.map(|l| l.trim().len()),
        Some("name: my-app-xxxxx".len()),
        "{}",
        got.stdout
    );
    assert!(!ws.0.join("never-created").exists());
}

#[test]
fn unknown_generators_and_flags_are_worded_as_kubectl_words_them() {
    if !oracle_present() {
        return;
    }
    let ws = workspace();
    let mut diffs = Vec::new();
    for line in USAGE_ERRORS {
        let args = words(line);
        let want = run("kubectl", &ws.0, &args);
        let got = run(BIN, &ws.0, &args);
        assert_eq!(want.code, 1, "kubectl {line} should fail: {}", want.stderr);
        let want_err = as_kubelite(&want.stderr);
        if (want_err.as_str(), want.code) != (got.stderr.as_str(), got.code)
            || !got.stdout.is_empty()
        {
            diffs.push(format!(
                "{line}\n--- kubectl (exit {})\n{want_err}--- kubelite (exit {})\n{}{}",
                want.code, got.code, got.stdout, got.stderr
            ));
        }
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
    // A group without its subcommand: kubectl prints the group's help as an error.
    for group in ["service", "secret"] {
        let got = run(BIN, &ws.0, &["create", group]);
        assert_eq!(got.code, 1, "create {group}");
        assert!(got.stdout.is_empty(), "create {group}: {}", got.stdout);
        assert!(
            got.stderr.contains("Available Commands:\n"),
            "create {group}: {}",
            got.stderr
        );
    }
    assert!(!ws.0.join("never-created").exists());
}

/// What may differ between two objects created a moment apart.
fn masked(json: &str) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(json).expect("json");
    let meta = v["metadata"].as_object_mut().expect("metadata");
    for key in ["uid", "resourceVersion", "creationTimestamp", "namespace"] {
        meta.remove(key);
    }
    // Controllers race the comparison: keep only what `create` itself wrote.
    if let Some(annotations) = meta.get_mut("annotations").and_then(|a| a.as_object_mut()) {
        annotations.remove("deployment.kubernetes.io/revision");
        if annotations.is_empty() {
            meta.remove("annotations");
        }
    }
    if let Some(fields) = meta.get_mut("managedFields").and_then(|m| m.as_array_mut()) {
        fields.retain(|f| f["manager"] == "kubectl-create");
        for f in fields.iter_mut() {
            f.as_object_mut().unwrap().remove("time");
        }
        assert_eq!(fields.len(), 1, "one entry by kubectl-create");
    }
    if let Some(obj) = v.as_object_mut() {
        obj.remove("status");
    }
    v
}

#[test]
fn real_creates_through_serve_match_kubectls() {
    if !oracle_present() {
        return;
    }
    let ws = workspace();
    let server = Server::start(false);
    let kubelite = |args: &[&str]| kubelite_on(&server, &ws.0, args);
    let kubectl = |args: &[&str]| -> Run { server.kubectl_in(args, Some(&ws.0)) };
    kubectl(&["create", "namespace", "by-kubectl"]).ok("namespace");
    kubectl(&["create", "namespace", "by-kubelite"]).ok("namespace");
    let cases: &[(&str, &str)] = &[
        (
            "deployment web --image=nginx --replicas=2 --port=80",
            "deployment/web",
        ),
        (
            "configmap cfg --from-literal=a=b --from-file=plain.txt --from-file=blob.bin",
            "configmap/cfg",
        ),
        (
            "secret generic creds --from-env-file=vars.env --type=example.com/token",
            "secret/creds",
        ),
        ("serviceaccount robot", "serviceaccount/robot"),
        (
            "quota q --hard=cpu=1500m,pods=3 --scopes=BestEffort",
            "resourcequota/q",
        ),
        (
            "secret docker-registry reg --docker-username=u --docker-password=p --docker-email=e@x",
            "secret/reg",
        ),
        ("secret tls web --cert=ec.crt --key=ec.key", "secret/web"),
        // The hashed name is the one both printed.
        ("configmap hashed --from-literal=a=b --append-hash", ""),
        ("service nodeport np --tcp=80:8080", "service/np"),
        (
            "rolebinding rb --clusterrole=view --user=ann --group=g --serviceaccount=a:b",
            "rolebinding.rbac.authorization.k8s.io/rb",
        ),
        (
            "pdb budget --min-available=1 --selector=app=x",
            "poddisruptionbudget.policy/budget",
        ),
        (
            "ingress web --rule=a.com/=web:80 --class=nginx",
            "ingress.networking.k8s.io/web",
        ),
    ];
    for (line, object) in cases {
        let w = words(line);
        let in_ns = |ns: &'static str| {
            let mut a = vec!["create"];
            a.extend_from_slice(&w);
            a.extend(["-n", ns]);
            a
        };
        let want = kubectl(&in_ns("by-kubectl"));
        let got = kubelite(&in_ns("by-kubelite"));
        assert_eq!(
            (want.stdout.as_str(), want.code),
            (got.stdout.as_str(), got.code),
            "create {line}: {}",
            got.stderr
        );
        let printed = want.stdout.split(' ').next().unwrap_or_default();
        let object = if object.is_empty() { printed } else { object };
        assert!(!object.is_empty(), "create {line}: {}", want.stdout);
        let get = |ns| {
            kubectl(&[
                "get",
                object,
                "-n",
                ns,
                "-o",
                "json",
                "--show-managed-fields",
            ])
            .ok("get")
        };
        let (a, b) = (get("by-kubectl"), get("by-kubelite"));
        let (mut a, mut b) = (masked(&a), masked(&b));
        // Node ports are allocated one per service.
        for v in [&mut a, &mut b] {
            if let Some(p) = v.pointer_mut("/spec/ports/0/nodePort") {
                *p = serde_json::Value::Null;
            }
            if let Some(spec) = v["spec"].as_object_mut() {
                spec.remove("clusterIP");
                spec.remove("clusterIPs");
            }
        }
        assert_eq!(a, b, "create {line}: objects differ");
        // Creating it again: the server's AlreadyExists, wrapped as kubectl wraps it.
        let want = kubectl(&in_ns("by-kubectl"));
        let got = kubelite(&in_ns("by-kubelite"));
        assert_eq!(want.code, 1);
        assert_eq!(
            (want.stderr.replace("by-kubectl", "NS"), want.code),
            (got.stderr.replace("by-kubelite", "NS"), got.code),
            "second create {line}"
        );
    }
    // Cluster-scoped, and a server-side dry run that must not persist.
    let want = kubectl(&["create", "namespace", "made-by-kubectl"]);
    let got = kubelite(&["create", "namespace", "made-by-kubelite"]);
    assert_eq!(
        want.stdout.replace("kubectl", "X"),
        got.stdout.replace("kubelite", "X")
    );
    let got = kubelite(&["create", "sa", "ghost", "--dry-run=server"]);
    assert_eq!(
        got.stdout,
        "serviceaccount/ghost created (server dry run)\n"
    );
    assert_eq!(kubectl(&["get", "sa", "ghost"]).code, 1);
}

/// `-o json` text with what differs between two server answers (ids, times, allocated IPs
/// and ports) replaced by `X`, line by line, keeping the key order.
fn masked_text(json: &str) -> String {
    const VOLATILE: &[&str] = &[
        "uid",
        "resourceVersion",
        "creationTimestamp",
        "time",
        "clusterIP",
        "nodePort",
    ];
    let is_ip = |t: &str| {
        let t = t.trim_end_matches(',').trim_matches('"');
        !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.') && t.contains('.')
    };
    json.lines()
        .map(|line| {
            let t = line.trim_start();
            let indent = &line[..line.len() - t.len()];
            let key = t.strip_prefix('"').and_then(|r| r.split_once("\": "));
            match key {
                Some((k, _)) if VOLATILE.contains(&k) => format!("{indent}\"{k}\": X\n"),
                _ if is_ip(t) => format!("{indent}X\n"),
                _ => format!("{line}\n"),
            }
        })
        .collect()
}

#[test]
fn server_answers_print_in_kubectls_field_order() {
    if !oracle_present() {
        return;
    }
    let ws = workspace();
    let server = Server::start(false);
    let kubelite = |args: &[&str]| kubelite_on(&server, &ws.0, args);
    let lines = [
        "deployment web --image=nginx --port=80 --replicas=2",
        "deployment web --image=nginx --show-managed-fields",
        "service nodeport np --tcp=80:8080",
        "service loadbalancer lb --tcp=443",
        "service clusterip headless --clusterip=None",
        "service externalname ext --external-name=db.example.com",
        "namespace team",
        "quota q --hard=cpu=1,pods=2 --scopes=BestEffort",
        "configmap cfg --from-literal=a=b --from-file=blob.bin",
        "secret generic creds --from-literal=a=b",
        "secret tls web --cert=ed.crt --key=ed.key",
        "serviceaccount robot",
        "configmap saved --from-literal=a=b --save-config",
        "deployment saved --image=nginx --save-config",
        "priorityclass high --value=1000 --description=hi --preemption-policy=Never",
        "pdb budget --min-available=1 --selector=app=x",
        "pdb half --max-unavailable=50% --selector=app=x --save-config",
        "ingress web --rule=a.com/=web:80,tls=cert --class=nginx --annotation=a=b",
    ];
    let mut diffs = Vec::new();
    for line in lines {
        let mut args = vec!["create"];
        args.extend(words(line));
        args.extend(["--dry-run=server", "-o", "json"]);
        let want = server.kubectl_in(&args, Some(&ws.0));
        let got = kubelite(&args);
        assert_eq!(want.code, 0, "kubectl {line}: {}", want.stderr);
        let (want, got_text) = (masked_text(&want.stdout), masked_text(&got.stdout));
        if want != got_text || got.code != 0 {
            diffs.push(format!(
                "{line}\n--- kubectl\n{want}--- kubelite (exit {})\n{got_text}{}",
                got.code, got.stderr
            ));
        }
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

/// Without serve, a generator creates through the embedded cluster: the object is there
/// afterwards, its pods run, and a second create meets the store's AlreadyExists.
#[test]
fn real_creates_through_the_embedded_cluster() {
    let ws = workspace();
    let home = TempDir::new("embedded-home");
    let kl = |args: &[&str]| support::kubelite(&home.0, false, args);
    let file = |name: &str| ws.0.join(name).to_string_lossy().into_owned();
    let cert = format!("--cert={}", file("ec.crt"));
    let key = format!("--key={}", file("ec.key"));
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "create",
                "deployment",
                "web",
                "--image=nginx",
                "--replicas=2",
            ],
            "deployment.apps/web created\n",
        ),
        (&["create", "namespace", "team"], "namespace/team created\n"),
        (
            &["create", "cm", "cfg", "--from-literal=a=b", "-n", "team"],
            "configmap/cfg created\n",
        ),
        (
            &["create", "secret", "tls", "tls", &cert, &key],
            "secret/tls created\n",
        ),
        (
            &["create", "quota", "q", "--hard=pods=10"],
            "resourcequota/q created\n",
        ),
        (
            &["create", "svc", "clusterip", "web", "--tcp=80"],
            "service/web created\n",
        ),
    ];
    for (args, printed) in cases {
        let got = kl(args);
        assert_eq!(
            (got.code, got.stdout.as_str()),
            (0, *printed),
            "{args:?}: {}",
            got.stderr
        );
    }
    let get = |args: &[&str]| kl(args).ok("get");
    assert_eq!(
        get(&[
            "get",
            "deploy",
            "web",
            "-o",
            "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}"
        ]),
        "2 nginx"
    );
    assert_eq!(
        get(&["get", "cm", "cfg", "-n", "team", "-o", "jsonpath={.data.a}"]),
        "b"
    );
    assert_eq!(
        get(&["get", "secret", "tls", "-o", "jsonpath={.type}"]),
        "kubernetes.io/tls"
    );
    assert_eq!(
        get(&["get", "quota", "q", "-o", "jsonpath={.spec.hard.pods}"]),
        "10"
    );
    // The deployment's controller made its pods.
    let pods = get(&["get", "pods", "-l", "app=web", "-o", "name"]);
    assert_eq!(pods.lines().count(), 2, "{pods}");
    let again = kl(&["create", "deployment", "web", "--image=nginx"]);
    assert_eq!(
        (again.code, again.stderr.as_str()),
        (
            1,
            "error: failed to create deployment: deployments.apps \"web\" already exists\n"
        )
    );
}

/// `create role` command lines: kubectl resolves their resources through the server's
/// discovery even for a client dry run, so both run against serve, with every `-o`.
const ROLES: &[&str] = &[
    "role r --verb=get,list --verb=watch --resource=pods,deployments.apps,pods/log,deploy,Pod,rs --resource-name=a --resource-name=b",
    "role r --verb=get --resource=pods,* -n apps",
    "role r --verb=get --resource=*,pods",
    "role r --verb=get --resource=*.apps --save-config",
    "role r --verb=get --resource=deploy/scale,pods/log/x,pods/",
    "role r --verb=GET,get,watch,get,bogus --resource=po,svc,cm,po",
    "role r --verb=list,* --resource=secrets --resource-name=a,b --resource-name= --resource-name=a",
    "role r --verb=bind --resource=roles.rbac.authorization.k8s.io",
    "role r --verb=get, --resource=pods",
    "clusterrole r --verb=get --resource=pods,deploy --non-resource-url=/logs/*,/healthz",
    "clusterrole r --verb=get --non-resource-url=/a --non-resource-url=/a -n ignored",
    "clusterrole r --aggregation-rule=z=1 --aggregation-rule=a=2,z=3",
    "clusterrole r --verb=get --non-resource-url=/a* --resource=pods --resource-name=x",
    "clusterrole r --verb=* --non-resource-url=*,/x --resource=jobs.batch,*",
    "clusterrole r --verb=post,bogus,get --resource=pods",
    // Served since batch/v1 is.
    "role r --verb=get --resource=jobs,cj",
    "clusterrole r --verb=get --resource=jobs",
];

/// `create role` and `create clusterrole` command lines kubectl refuses.
const ROLE_ERRORS: &[&str] = &[
    // kubectl's words, warnings first, and the mapper's for what is not served.
    "role r --verb=get --resource=.apps",
    "role r --verb=use --resource=foo",
    "role r --verb=use --resource=pods",
    "role r --verb=bogus",
    "role r --resource=pods",
    "role --verb=get --resource=pods",
    "role r --verb=get --resource=replicasets.v1.apps",
    "role r --verb=get --resource=foo.apps",
    "role r --verb=get --resource=pods,",
    "clusterrole r --verb=get",
    "clusterrole r --aggregation-rule=a=b --verb=get --resource=pods",
    "clusterrole r --verb=get --non-resource-url=a",
    "clusterrole r --verb=bogus --non-resource-url=/a",
    "clusterrole r --verb=bogus --non-resource-url=/a --resource=pods",
    "clusterrole r --verb=get --non-resource-url=/a/*/b",
    "clusterrole r --verb=list --non-resource-url=/a",
    "clusterrole r --verb=get --non-resource-url=",
    "clusterrole --aggregation-rule=ab",
    "clusterrole r --aggregation-rule=a=1,b",
    "clusterrole r --aggregation-rule=",
];

#[test]
fn roles_resolve_resources_as_kubectl_does() {
    if !oracle_present() {
        return;
    }
    let ws = workspace();
    let server = Server::start(false);
    let mut diffs = Vec::new();
    let lines = ROLES
        .iter()
        .map(|l| (l, 0))
        .chain(ROLE_ERRORS.iter().map(|l| (l, 1)));
    for (line, code) in lines {
        for output in [Some("yaml"), Some("json"), Some("name"), None] {
            let args = offline_args(line, output);
            let want = server.kubectl_in(&args, Some(&ws.0));
            let got = kubelite_on(&server, &ws.0, &args);
            assert_eq!(want.code, code, "kubectl {args:?}: {}", want.stderr);
            let want_err = as_kubelite(&want.stderr);
            if (want.stdout.as_str(), want_err.as_str(), want.code)
                != (got.stdout.as_str(), got.stderr.as_str(), got.code)
            {
                diffs.push(format!(
                    "{args:?}\n--- kubectl (exit {})\n{}{want_err}--- kubelite (exit {})\n{}{}",
                    want.code, want.stdout, got.code, got.stdout, got.stderr
                ));
            }
        }
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

/// `--template` and the template forms of `-o` print the generated object as kubectl's
/// printers do, offline.
#[test]
fn template_outputs_are_kubectls_offline() {
    if !oracle_present() {
        return;
    }
    let ws = workspace();
    for line in [
        "create deployment web --image=nginx --dry-run=client --template={{.kind}}/{{.metadata.name}}",
        "create deployment web --image=nginx --dry-run=client -o jsonpath --template={.spec.replicas}",
        "create configmap c --from-literal=a=b --dry-run=client -o go-template={{.data.a}}",
        "create namespace n --dry-run=client -o jsonpath-as-json={.metadata}",
        "create namespace n --dry-run=client -o go-template",
        "create namespace n --dry-run=client -o jsonpath-file=missing.txt",
    ] {
        let args = words(line);
        let want = run("kubectl", &ws.0, &args);
        let got = run(BIN, &ws.0, &args);
        assert_eq!(
            (got.stdout.as_str(), got.code, got.stderr.as_str()),
            (
                want.stdout.as_str(),
                want.code,
                as_kubelite(&want.stderr).as_str()
            ),
            "{line}"
        );
    }
}
