//! `kubelite serve` driven by the real kubectl (1.32, on the PATH), by raw HTTPS requests
//! and by kubelite's own `Remote` client.

/// Skips (with a note) where the real kubectl is missing; the oracle cannot run there.
macro_rules! require_kubectl {
    () => {
        if !kubectl_available() {
            eprintln!("kubectl is not on the PATH: SKIPPED");
            return;
        }
    };
}

mod admission;
mod admission_authorizer;
mod admission_policies;
mod admission_versions;
mod admission_webhooks;
mod api_versions;
mod apply_verb;
mod attach;
mod auth;
mod auth_plugins;
mod auth_support;
mod auth_verbs;
mod autoscaling;
mod batch;
mod bindings;
mod bombs;
mod bootstrap_policy;
mod certificates;
mod clock;
mod compat;
mod conversion_webhooks;
mod cp;
mod crd_cel_libraries;
mod create_save_config;
mod custom_resources;
mod debug;
mod diff;
mod drain;
mod edit;
mod event_ttl;
mod exec;
mod explain;
mod flowcontrol;
mod get_files;
mod kopf;
mod kube_rs;
mod kubeadm_kinds;
mod kubectl;
mod last_applied;
mod limits;
mod logs_selector;
mod node_authorizer;
mod node_verbs;
mod policy_kinds;
mod protobuf;
mod proxy;
mod prune;
mod python;
mod raw;
mod rbac;
mod reliability;
mod replace;
mod run_attach;
mod run_expose;
mod scheduling;
mod set_verbs;
mod status_apply;
mod status_subresource;
mod storage;
mod store_quota;
mod support;
mod templates;
mod tokens;
mod top;
mod verbs;
mod wait_events;
mod webhook_server;
mod webhook_trust;
mod wire;
mod writes;
