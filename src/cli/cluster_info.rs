//! `cluster-info`: where the control plane and cluster services are.

use super::errors::CliError;
use super::{GlobalFlags, Io};
use crate::api::options::ListOptions;
use crate::client::Client;
use clap::Args;
use serde_json::Value;

#[derive(Args, Debug)]
pub struct ClusterInfoArgs {}

pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    _args: &ClusterInfoArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let server = client.server_url();
    // kubectl colours these lines on a terminal; the words are the same.
    let mut text = format!("Kubernetes control plane is running at {server}\n");
    // Cluster services: those labelled as such in kube-system (or the -n namespace).
    let namespace = global
        .namespace
        .as_deref()
        .filter(|n| !n.is_empty())
        .unwrap_or("kube-system");
    // kubectl finds the type through discovery, as any other.
    let services = super::targets::Catalog { client, global }.resource("services")?;
    let list = client.list(
        services,
        Some(namespace),
        &ListOptions::labels(Some("kubernetes.io/cluster-service=true")),
    )?;
    for svc in list["items"].as_array().into_iter().flatten() {
        let (name, link) = service_link(&server, svc);
        text.push_str(&format!("{name} is running at {link}\n"));
    }
    text.push_str(
        "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n",
    );
    let _ = io.out.write_all(text.as_bytes());
    Ok(0)
}

/// A cluster service's display name and where to reach it: its load balancer, or the API
/// server's proxy to its first port.
fn service_link(server: &str, svc: &Value) -> (String, String) {
    let text = |v: &Value, path: &str| {
        v.pointer(path)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let name = text(svc, "/metadata/name");
    let namespace = text(svc, "/metadata/namespace");
    let ports: Vec<&Value> = svc
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .map(|p| p.iter().collect())
        .unwrap_or_default();
    let link = match svc.pointer("/status/loadBalancer/ingress/0") {
        Some(ingress) => {
            let mut host = text(ingress, "/ip");
            if host.is_empty() {
                host = text(ingress, "/hostname");
            }
            ports
                .iter()
                .map(|p| format!("http://{host}:{} ", p["port"].as_i64().unwrap_or(0)))
                .collect()
        }
        None => {
            let mut target = name.clone();
            if let Some(port) = ports.first() {
                let port_name = text(port, "/name");
                let https = port_name == "https" || port["port"].as_i64() == Some(443);
                target = match (https, port_name.is_empty()) {
                    (true, _) => format!("https:{name}:{port_name}"),
                    (false, true) => name.clone(),
                    (false, false) => format!("{name}:{port_name}"),
                };
            }
            format!("{server}/api/v1/namespaces/{namespace}/services/{target}/proxy")
        }
    };
    let label = svc
        .pointer("/metadata/labels/kubernetes.io~1name")
        .and_then(Value::as_str)
        .filter(|l| !l.is_empty())
        .map_or(name, str::to_string);
    (label, link)
}
