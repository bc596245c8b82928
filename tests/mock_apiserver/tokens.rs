//! `create token` sends kubectl's request (a TokenRequest POSTed to the account's `token`
//! subresource) and reads the server's answer, or its refusal, as kubectl does.

use super::run;

#[test]
fn create_token_sends_kubectls_request() {
    require_kubectl!();
    super::check(
        &super::cluster,
        &[
            &["create", "token", "default"],
            &[
                "create",
                "token",
                "builder",
                "-n",
                "ci",
                "--duration=10m",
                "--audience=a",
                "--bound-object-kind=Pod",
                "--bound-object-name=web",
            ],
        ],
    );
}
