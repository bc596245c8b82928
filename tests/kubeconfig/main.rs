//! Kubeconfig loading and `kubelite config`: the same command lines run through the real
//! kubectl and through kubelite on copies of the same files (stdout, stderr, exit status and
//! every file afterwards compared byte for byte), the selection rule of kubelite's default
//! mode, and the resolution of contexts, overrides and paths.

mod oracle;
mod remote;
mod sandbox;
mod selection;
#[allow(dead_code)]
#[path = "../serve/support.rs"]
mod serve_support;

/// Two kubeconfig files that clash on names, with relative paths and every kind of secret.
pub const FILE_A: &str = "apiVersion: v1
kind: Config
clusters:
- cluster:
    server: https://a.example:6443
    certificate-authority: ca.crt
  name: shared
- cluster:
    server: https://aonly:6443
    certificate-authority-data: Q0FEQVRBCg==
  name: aonly
contexts:
- context:
    cluster: shared
    user: ua
    namespace: nsa
  name: ctx-a
- context:
    cluster: shared
    user: ua
  name: both
current-context: \"\"
users:
- name: ua
  user:
    token: secret-token
    client-certificate: certs/cert.pem
    client-key-data: a2V5Cg==
preferences: {}
";

pub const FILE_B: &str = "apiVersion: v1
kind: Config
clusters:
- cluster:
    server: https://b.example:6443
  name: shared
- cluster:
    server: https://bonly:6443
    insecure-skip-tls-verify: true
  name: bonly
contexts:
- context:
    cluster: shared
    user: ub
    namespace: nsb
  name: both
- context:
    cluster: bonly
    user: ub
  name: ctx-b
current-context: ctx-b
users:
- name: ub
  user:
    username: bob
    password: hunter2
- name: ua
  user:
    token: from-b
- name: ex
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: ./bin/plugin
      args: [get-token]
      env:
      - name: MODE
        value: test
";
