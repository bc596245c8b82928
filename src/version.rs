//! The versions the embedded cluster reports: its nodes' kubelets, the control-plane images,
//! `/version` and the OpenAPI document all say the same.

/// The Kubernetes version the embedded cluster reports.
pub const KUBERNETES_VERSION: &str = "v1.32.2";
