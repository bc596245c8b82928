//! Where a webhook call goes. A `url` is dialled as it is. A `service` reference is what
//! kube-apiserver does with endpoint routing: the Service's port is looked up, then a ready
//! address of its EndpointSlices (or its Endpoints) and the matching endpoint port are
//! dialled, while messages name `https://<name>.<namespace>.svc:<port><path>` and the
//! certificate must be valid for `<name>.<namespace>.svc`. A selector-less Service with an
//! EndpointSlice pointing at 127.0.0.1:PORT so reaches a webhook server on the host.

use super::super::ApiServer;
use super::call::{CallError, Target};
use super::config::Client;
use crate::api::options::ListOptions;
use crate::api::registry;
use serde_json::Value;

impl ApiServer {
    /// Where a webhook of `client` is called, its timeout named in messages.
    pub(in crate::apiserver) fn target(
        &self,
        client: &Client,
        timeout_seconds: u64,
    ) -> Result<Target, CallError> {
        match client {
            Client::Url { url, ca_bundle } => Ok(Target {
                url: url.clone(),
                dial: url.clone(),
                ca_bundle: ca_bundle.clone(),
                server_name: None,
            }),
            Client::Service {
                namespace,
                name,
                path,
                port,
                ca_bundle,
            } => {
                let host = format!("{name}.{namespace}.svc");
                let url = format!("https://{host}:{port}{path}");
                let fail = |detail: String| {
                    CallError(format!(
                        "failed to call webhook: Post \"{url}?timeout={timeout_seconds}s\": {detail}"
                    ))
                };
                let (ip, endpoint_port) = self.endpoint_of(namespace, name, *port).map_err(fail)?;
                let ip = if ip.contains(':') {
                    format!("[{ip}]")
                } else {
                    ip
                };
                Ok(Target {
                    url: url.clone(),
                    dial: format!("https://{ip}:{endpoint_port}{path}"),
                    ca_bundle: ca_bundle.clone(),
                    server_name: Some(host),
                })
            }
        }
    }

    /// A ready address of the Service behind `port`, and the port to dial there.
    fn endpoint_of(&self, namespace: &str, name: &str, port: i64) -> Result<(String, i64), String> {
        let services = registry::find("services").ok_or("no services resource")?;
        let svc = self
            .get(services, Some(namespace), name)
            .map_err(|e| e.message)?;
        let svc_port = svc
            .pointer("/spec/ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|p| p.get("port").and_then(Value::as_i64) == Some(port))
            .ok_or_else(|| format!("no service port {port} found for service {name:?}"))?;
        let port_name = svc_port.get("name").and_then(Value::as_str).unwrap_or("");
        if let Some(found) = self.slice_endpoint(namespace, name, port_name)? {
            return Ok(found);
        }
        if let Some(found) = self.endpoints_endpoint(namespace, name, port_name)? {
            return Ok(found);
        }
        Err(format!("no endpoints available for service {name:?}"))
    }

    fn slice_endpoint(
        &self,
        namespace: &str,
        name: &str,
        port_name: &str,
    ) -> Result<Option<(String, i64)>, String> {
        let Some(slices) = registry::find("endpointslices.discovery.k8s.io") else {
            return Ok(None);
        };
        let opts = ListOptions::labels(Some(&format!("kubernetes.io/service-name={name}")));
        let list = self
            .list(slices, Some(namespace), &opts)
            .map_err(|e| e.message)?;
        for slice in list["items"].as_array().into_iter().flatten() {
            let port = slice
                .get("ports")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .find(|p| p.get("name").and_then(Value::as_str).unwrap_or("") == port_name)
                .and_then(|p| p.get("port").and_then(Value::as_i64));
            let Some(port) = port else { continue };
            let ready = slice
                .get("endpoints")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .find(|e| e.pointer("/conditions/ready").and_then(Value::as_bool) != Some(false));
            if let Some(ip) = ready
                .and_then(|e| e.pointer("/addresses/0"))
                .and_then(Value::as_str)
            {
                return Ok(Some((ip.to_string(), port)));
            }
        }
        Ok(None)
    }

    fn endpoints_endpoint(
        &self,
        namespace: &str,
        name: &str,
        port_name: &str,
    ) -> Result<Option<(String, i64)>, String> {
        let Some(endpoints) = registry::find("endpoints") else {
            return Ok(None);
        };
        let ep = match self.get(endpoints, Some(namespace), name) {
            Ok(ep) => ep,
            Err(e) if e.code == 404 => return Ok(None),
            Err(e) => return Err(e.message),
        };
        for subset in ep
            .get("subsets")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let port = subset
                .get("ports")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .find(|p| p.get("name").and_then(Value::as_str).unwrap_or("") == port_name)
                .and_then(|p| p.get("port").and_then(Value::as_i64));
            let ip = subset.pointer("/addresses/0/ip").and_then(Value::as_str);
            if let (Some(ip), Some(port)) = (ip, port) {
                return Ok(Some((ip.to_string(), port)));
            }
        }
        Ok(None)
    }
}
