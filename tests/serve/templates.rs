//! kubectl's template printers (`-o go-template`, `--template`, `go-template-file`,
//! `jsonpath-file`, `jsonpath-as-json`, `custom-columns-file`) through `get`, `label` and a
//! `annotate`, `patch` and a client-side generator: kubelite's bytes against the real
//! kubectl's, on the same server.

use super::support::{Server, TempDir, kubectl_available, kubelite, manifest};

#[test]
fn template_printers_match_kubectl() {
    require_kubectl!();
    let s = Server::start(false);
    let kc = s.kubeconfig();
    let kc = kc.to_str().unwrap();
    s.kubectl(&[
        "create",
        "configmap",
        "tm",
        "--from-literal=b=2",
        "--from-literal=a=x y",
    ])
    .ok("create configmap");
    let dir = TempDir::new("templates");
    let go_file = manifest(
        &dir.0,
        "t.tmpl",
        "{{range .items}}{{.metadata.name}} {{len .data}}\n{{end}}",
    );
    let jp_file = manifest(&dir.0, "j.txt", "{.items[*].metadata.name}");
    let cols_file = manifest(&dir.0, "cols.txt", "NAME   DATA\nmetadata.name {.data.a}\n");
    let bad_cols = manifest(&dir.0, "bad.txt", "NAME\n");
    let path = |p: &std::path::Path| p.to_str().unwrap().to_string();
    let cases: Vec<Vec<String>> = [
        vec![
            "get",
            "cm",
            "tm",
            "-o",
            "go-template={{.data}} {{.data.a}} {{.metadata.name}}",
        ],
        vec![
            "get",
            "ns",
            "-o",
            "go-template={{range .items}}{{.metadata.name}},{{end}} {{.kind}}",
        ],
        vec!["get", "ns", "--template={{len .items}}"],
        vec!["get", "ns", "default", "-o", "template={{.status}}"],
        vec![
            "get",
            "ns",
            "default",
            "-o",
            "go-template",
            "--template={{.metadata.name}}",
        ],
        vec![
            "get",
            "ns",
            "default",
            "-o",
            "jsonpath",
            "--template={.kind}",
        ],
        vec!["get", "ns", "default", "-o", "go-template={{.nope}}"],
        vec![
            "get",
            "ns",
            "default",
            "-o",
            "go-template={{.nope}}",
            "--allow-missing-template-keys=false",
        ],
        vec![
            "get",
            "ns",
            "default",
            "-o",
            "go-template={{.metadata.name}} {{index .spec 3}}",
        ],
        vec!["get", "ns", "-o", "go-template={{range .items}}"],
        vec!["get", "ns", "-o", "go-template="],
        vec![
            "get",
            "ns",
            "-o",
            "go-template={{.kind}}",
            "--template={{.kind}}",
        ],
        vec![
            "get",
            "ns",
            "-o",
            "jsonpath-as-json={.items[*].metadata.name}{.kind}",
        ],
        vec!["get", "cm", "tm", "-o", "jsonpath-as-json={.data}"],
        vec!["get", "ns", "-o", "jsonpath-as-json"],
        vec!["get", "cm", "-o", "custom-columns-file=CF"],
        vec!["get", "cm", "-o", "custom-columns-file=BADCF"],
        vec!["get", "cm", "-o", "custom-columns-file=/nonexistent/x"],
        vec!["get", "cm", "-o", "go-template-file=GF"],
        vec!["get", "cm", "-o", "templatefile=/nonexistent/x"],
        vec!["get", "ns", "-o", "jsonpath-file=JF"],
        vec![
            "label",
            "cm",
            "tm",
            "c=d",
            "-o",
            "go-template={{.metadata.labels}}",
        ],
        // Template printers see managedFields; json and yaml hide them.
        vec![
            "get",
            "cm",
            "tm",
            "-o",
            "jsonpath={.metadata.managedFields[*].manager}",
        ],
        vec![
            "get",
            "cm",
            "-o",
            "go-template={{range .items}}{{len .metadata.managedFields}}{{end}}",
        ],
        vec![
            "label",
            "cm",
            "tm",
            "e=f",
            "--template={{.metadata.labels.e}}",
        ],
        vec![
            "annotate",
            "cm",
            "tm",
            "g=h",
            "-o",
            "jsonpath",
            "--template={.metadata.annotations.g}",
        ],
        vec![
            "patch",
            "cm",
            "tm",
            "-p",
            "{\"data\":{\"z\":\"1\"}}",
            "--template={{.data.z}}",
        ],
        vec![
            "create",
            "configmap",
            "x",
            "--from-literal=k=v",
            "--dry-run=client",
            "-o",
            "go-template={{.data.k}}",
        ],
    ]
    .iter()
    .map(|c| {
        c.iter()
            .map(|a| {
                a.replace("BADCF", &path(&bad_cols))
                    .replace("CF", &path(&cols_file))
                    .replace("GF", &path(&go_file))
                    .replace("JF", &path(&jp_file))
            })
            .collect()
    })
    .collect();
    let mut failures = Vec::new();
    let mut printed = 0;
    for case in &cases {
        let args: Vec<&str> = case.iter().map(String::as_str).collect();
        let theirs = s.kubectl(&args);
        let mut ours_args = vec!["--kubeconfig", kc];
        ours_args.extend(&args);
        let ours = kubelite(&s.home.0, false, &ours_args);
        let want = (theirs.stdout.as_str(), theirs.stderr.as_str(), theirs.code);
        printed += usize::from(theirs.code == 0 && !theirs.stdout.is_empty());
        let got = (ours.stdout.as_str(), ours.stderr.as_str(), ours.code);
        if got != want {
            failures.push(format!("{args:?}\n  ours:    {got:?}\n  kubectl: {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The oracle really printed: most cases succeed with output.
    assert!(printed >= 14, "only {printed} cases printed");
}
