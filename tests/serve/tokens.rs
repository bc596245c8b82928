//! ServiceAccount tokens: `create token` (the real kubectl and kubelite, remote and
//! embedded) asks serve's `serviceaccounts/token`; serve takes the token back as the
//! service account, refuses it forged, expired or orphaned (401 as kube-apiserver), and
//! answers TokenReviews about it.

use super::support::{Run, Server, TempDir, kubectl_available, kubelite, manifest};

const SA_GROUPS: &str =
    "[system:serviceaccounts system:serviceaccounts:default system:authenticated]";

fn whoami(server: &Server, token: &str) -> Run {
    server.kubectl(&["--token", token, "auth", "whoami"])
}

fn assert_is_account(run: Run, account: &str) {
    let want = format!(
        "ATTRIBUTE   VALUE\nUsername    system:serviceaccount:default:{account}\nGroups      {SA_GROUPS}\n"
    );
    assert_eq!(run.ok("auth whoami with the token"), want);
}

fn assert_unauthorized(run: Run, what: &str) {
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            1,
            "",
            "error: You must be logged in to the server (Unauthorized)\n"
        ),
        "{what}"
    );
}

/// The token with one character of its signature changed.
fn forged(token: &str) -> String {
    let cut = token.rfind('.').expect("a JWT") + 3;
    let mut bytes = token.as_bytes().to_vec();
    bytes[cut] = if bytes[cut] == b'A' { b'B' } else { b'A' };
    String::from_utf8(bytes).expect("ascii")
}

#[test]
fn service_account_tokens_are_their_account_until_it_goes() {
    require_kubectl!();
    let server = Server::start(true);
    server.kubectl(&["create", "sa", "robot"]).ok("create sa");
    let token = server
        .kubectl(&["create", "token", "robot"])
        .ok("create token");
    let token = token.trim_end();
    assert_eq!(token.split('.').count(), 3, "{token}");
    assert_is_account(whoami(&server, token), "robot");
    assert_unauthorized(whoami(&server, &forged(token)), "a forged token");
    // RBAC decides for the account as for anyone.
    let denied = server.kubectl(&["--token", token, "get", "pods"]);
    assert_eq!(
        (denied.code, denied.stderr.as_str()),
        (
            1,
            "Error from server (Forbidden): pods is forbidden: User \"system:serviceaccount:default:robot\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"\n"
        )
    );
    // kubelite's own `create token` against serve gets a token serve takes too.
    let mine = kubelite(&server.home.0, true, &["create", "token", "robot"]).ok("kubelite");
    assert_is_account(whoami(&server, mine.trim_end()), "robot");
    // An audience of its own only: not a token for the API server.
    let other = server
        .kubectl(&["create", "token", "robot", "--audience", "vault"])
        .ok("audience");
    assert_unauthorized(whoami(&server, other.trim_end()), "another audience");
    server.kubectl(&["delete", "sa", "robot"]).ok("delete sa");
    assert_unauthorized(whoami(&server, token), "the account is gone");
}

#[test]
fn create_token_reads_as_kubectls() {
    require_kubectl!();
    let server = Server::start(true);
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx}]\n";
    let dir = TempDir::new("tokens");
    server
        .kubectl(&[
            "create",
            "-f",
            manifest(&dir.0, "p.yaml", pod).to_str().unwrap_or(""),
        ])
        .ok("create pod");
    for args in [
        &["create", "token", "default", "-o", "name"][..],
        &["create", "token", "nope"],
        &["create", "token"],
        &["create", "token", "a", "b"],
        &["create", "token", "default", "--duration=1m"],
        &["create", "token", "default", "--duration=-1s"],
        &["create", "token", "default", "--duration=1500ms"],
        &["create", "token", "default", "--audience="],
        &["create", "token", "default", "--bound-object-name=x"],
        &["create", "token", "default", "--bound-object-uid=x"],
        &["create", "token", "default", "--bound-object-kind=Foo"],
        &["create", "token", "default", "--bound-object-kind=Pod"],
        &[
            "create",
            "token",
            "default",
            "--bound-object-kind=Secret",
            "--bound-object-name=s",
        ],
        &[
            "create",
            "token",
            "default",
            "--bound-object-kind=Pod",
            "--bound-object-name=p",
            "--bound-object-uid=x",
        ],
        &["create", "token", "default", "-o", "wide"],
        &[
            "create",
            "token",
            "default",
            "-o",
            "jsonpath={.spec.expirationSeconds} {.spec.audiences} {.spec.boundObjectRef.name}",
            "--duration=2h",
            "--audience=a",
            "--audience=b",
            "--bound-object-kind=Pod",
            "--bound-object-name=p",
        ],
    ] {
        let want = server.kubectl(args);
        let got = kubelite(&server.home.0, true, args);
        assert_eq!(
            (
                got.code,
                got.stdout.as_str(),
                got.stderr.replace("kubelite", "kubectl")
            ),
            (want.code, want.stdout.as_str(), want.stderr.clone()),
            "{args:?}"
        );
    }
    // A pod-bound token names the pod and ends with it.
    let bound = server
        .kubectl(&[
            "create",
            "token",
            "default",
            "--bound-object-kind=Pod",
            "--bound-object-name=p",
        ])
        .ok("bound token");
    assert_is_account(whoami(&server, bound.trim_end()), "default");
    server
        .kubectl(&["delete", "pod", "p", "--grace-period=0", "--force"])
        .ok("delete pod");
    assert_unauthorized(whoami(&server, bound.trim_end()), "the pod is gone");
}

#[test]
fn embedded_tokens_are_taken_by_serve_and_expired_ones_are_not() {
    require_kubectl!();
    // Issued on the fixed clock (a week before the wall clock's now) for ten minutes.
    let mut server = Server::start(true);
    let old = server
        .kubectl(&["create", "token", "default", "--duration=10m"])
        .ok("create token");
    server.stop();
    let embedded = kubelite(&server.home.0, false, &["create", "token", "default"]).ok("embedded");
    server.kill_and_restart();
    assert_is_account(whoami(&server, embedded.trim_end()), "default");
    assert_unauthorized(whoami(&server, old.trim_end()), "an expired token");
}

#[test]
fn token_reviews_say_who_a_token_is() {
    require_kubectl!();
    let server = Server::start(true);
    let token = server
        .kubectl(&["create", "token", "default", "--audience=vault"])
        .ok("create token");
    let dir = TempDir::new("tokenreview");
    let review = |name: &str, token: &str, audiences: &str| {
        let text = format!(
            "apiVersion: authentication.k8s.io/v1\nkind: TokenReview\nspec:\n  token: {token:?}\n  audiences: {audiences}\n"
        );
        let path = manifest(&dir.0, name, &text);
        server.kubectl(&[
            "create",
            "--validate=false",
            "-f",
            path.to_str().unwrap_or(""),
            "-o",
            "jsonpath={.status.authenticated}|{.status.user.username}|{.status.audiences}|{.status.error}",
        ])
    };
    assert_eq!(
        review("a.yaml", token.trim_end(), "[vault]").ok("review"),
        "true|system:serviceaccount:default:default|[\"vault\"]|"
    );
    assert_eq!(
        review("b.yaml", token.trim_end(), "[]").ok("review"),
        "|||[invalid bearer token, token lookup failed]"
    );
    assert_eq!(
        review("c.yaml", &forged(token.trim_end()), "[vault]").ok("review"),
        "|||[invalid bearer token, token lookup failed]"
    );
    let empty = review("d.yaml", "", "[]");
    assert_eq!(
        (empty.code, empty.stderr.trim_end()),
        (
            1,
            format!(
                "Error from server (BadRequest): error when creating \"{}\": token is required for TokenReview in authentication",
                dir.0.join("d.yaml").display()
            )
            .as_str()
        )
    );
}
