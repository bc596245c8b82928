//! kubelite: a kubectl-compatible CLI with a whole Kubernetes control plane embedded.
//! The modules mirror the cluster they implement (see DESIGN in README.md).

pub mod api;
pub mod apiserver;
pub mod cli;
pub mod client;
pub mod clock;
pub mod cluster;
pub mod controllers;
pub mod embedded;
pub mod etcdctl;
pub mod etcdserver;
pub mod go;
pub mod kubeconfig;
pub mod kubelet;
pub mod kustomize;
pub mod nodefs;
pub mod print;
pub mod private_file;
pub mod programs;
pub mod proxy;
pub mod runtime;
pub mod scheduler;
pub mod server;
pub mod store;
pub mod tls;
pub mod version;
pub(crate) mod ws;
