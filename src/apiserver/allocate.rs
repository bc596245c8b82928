//! Service addresses: ClusterIPs from the service CIDR 10.96.0.0/12 and NodePorts from
//! 30000-32767, as kube-apiserver hands them out. The first address (10.96.0.1) belongs to
//! the `kubernetes` Service, and 10.96.0.10 is kept for cluster DNS, as kubeadm sets it up.

use super::ApiServer;
use crate::api::defaults;
use crate::api::ids;
use crate::api::options::ListOptions;
use crate::api::registry;
use crate::api::status::ApiError;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::net::Ipv4Addr;

pub const SERVICE_CIDR: &str = "10.96.0.0/12";
const SERVICE_NET: u32 = 0x0a60_0000; // 10.96.0.0
const SERVICE_NET_SIZE: u32 = 1 << 20;
const NODE_PORT_MIN: u32 = 30000;
const NODE_PORT_COUNT: u32 = 2768;
/// Addresses already in use, with those handed out during this batch.
pub struct Allocator {
    cluster_ips: HashSet<u32>,
    node_ports: HashSet<u32>,
}

impl Allocator {
    pub fn load(server: &ApiServer) -> Result<Allocator, ApiError> {
        let services =
            registry::find("services").ok_or_else(|| ApiError::internal("no services resource"))?;
        let list = server.list(services, None, &ListOptions::default())?;
        let mut a = Allocator {
            cluster_ips: HashSet::new(),
            node_ports: HashSet::new(),
        };
        for svc in list["items"].as_array().into_iter().flatten() {
            if let Some(ip) = svc
                .pointer("/spec/clusterIP")
                .and_then(Value::as_str)
                .and_then(|s| s.parse::<Ipv4Addr>().ok())
            {
                a.cluster_ips.insert(u32::from(ip));
            }
            for port in svc
                .pointer("/spec/ports")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(p) = port.get("nodePort").and_then(Value::as_u64) {
                    a.node_ports.insert(p as u32);
                }
            }
        }
        Ok(a)
    }

    /// Gives a Service its ClusterIP (unless headless or ExternalName) and NodePorts, or
    /// claims the ones it asks for.
    pub fn assign_service_addresses(
        &mut self,
        svc: &mut Value,
        seed: &str,
    ) -> Result<(), ApiError> {
        let name = svc
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if defaults::needs_cluster_ip(svc) {
            let ip = self.next_cluster_ip(seed)?;
            defaults::set_cluster_ip(svc, &ip.to_string());
        } else if let Some(requested) = svc
            .pointer("/spec/clusterIP")
            .and_then(Value::as_str)
            .filter(|ip| *ip != "None")
        {
            let requested = requested.to_string();
            self.claim_cluster_ip(&name, &requested)?;
        }
        for (i, port) in svc
            .pointer("/spec/ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            if let Some(p) = port
                .get("nodePort")
                .and_then(Value::as_u64)
                .filter(|p| *p > 0)
            {
                self.claim_node_port(&name, i, p as u32)?;
            }
        }
        for i in defaults::ports_needing_node_port(svc) {
            let port = self.next_node_port(&format!("{seed}/{i}"))?;
            defaults::set_node_port(svc, i, i64::from(port));
        }
        Ok(())
    }

    fn claim_node_port(&mut self, name: &str, index: usize, port: u32) -> Result<(), ApiError> {
        let field = format!("spec.ports[{index}].nodePort");
        let fail = |detail: String| {
            ApiError::invalid(
                "",
                "Service",
                name,
                format!("Service \"{name}\" is invalid: {field}: Invalid value: {port}: {detail}"),
                vec![
                    json!({"reason": "FieldValueInvalid", "message": format!("Invalid value: {port}: {detail}"), "field": field}),
                ],
            )
        };
        if !(NODE_PORT_MIN..NODE_PORT_MIN + NODE_PORT_COUNT).contains(&port) {
            return Err(fail(format!(
                "provided port is not in the valid range. The range of valid ports is {NODE_PORT_MIN}-{}",
                NODE_PORT_MIN + NODE_PORT_COUNT - 1
            )));
        }
        if !self.node_ports.insert(port) {
            return Err(fail("provided port is already allocated".into()));
        }
        Ok(())
    }

    fn claim_cluster_ip(&mut self, name: &str, requested: &str) -> Result<(), ApiError> {
        let invalid = |detail: &str| {
            ApiError::invalid(
                "",
                "Service",
                name,
                format!(
                    "Service \"{name}\" is invalid: spec.clusterIPs: Invalid value: []string{{\"{requested}\"}}: {detail}"
                ),
                vec![
                    json!({"reason": "FieldValueInvalid", "message": format!("Invalid value: []string{{\"{requested}\"}}: {detail}"), "field": "spec.clusterIPs"}),
                ],
            )
        };
        let ip: Ipv4Addr = requested
            .parse()
            .map_err(|_| invalid("must be a valid IP address"))?;
        let n = u32::from(ip);
        if !(SERVICE_NET..SERVICE_NET + SERVICE_NET_SIZE).contains(&n) {
            return Err(invalid(&format!(
                "failed to allocate IP {requested}: the provided IP ({requested}) is not in the valid range. The range of valid IPs is {SERVICE_CIDR}"
            )));
        }
        if !self.cluster_ips.insert(n) {
            return Err(invalid(&format!(
                "failed to allocate IP {requested}: provided IP is already allocated"
            )));
        }
        Ok(())
    }

    fn next_cluster_ip(&mut self, seed: &str) -> Result<Ipv4Addr, ApiError> {
        // Skip the network address, 10.96.0.1 and the broadcast address, and leave
        // 10.96.0.10 to cluster DNS.
        let usable = SERVICE_NET_SIZE - 3;
        let start = (ids::hash64(seed) % u64::from(usable)) as u32;
        (0..usable)
            .map(|i| SERVICE_NET + 2 + (start + i) % usable)
            .find(|n| *n != SERVICE_NET + 10 && self.cluster_ips.insert(*n))
            .map(Ipv4Addr::from)
            .ok_or_else(|| ApiError::internal("range is full"))
    }

    fn next_node_port(&mut self, seed: &str) -> Result<u32, ApiError> {
        let start = (ids::hash64(seed) % u64::from(NODE_PORT_COUNT)) as u32;
        (0..NODE_PORT_COUNT)
            .map(|i| NODE_PORT_MIN + (start + i) % NODE_PORT_COUNT)
            .find(|p| self.node_ports.insert(*p))
            .ok_or_else(|| ApiError::internal("range of node ports is full"))
    }
}

impl ApiServer {
    /// kube-apiserver keeps its address allocators' state under `/registry/ranges/`; kubelite
    /// allocates from the Services themselves, and writes the ranges at a cluster's first
    /// boot so the keys a kubeadm cluster has are there.
    pub fn write_allocation_ranges(&self) -> Result<(), ApiError> {
        let node_ports = format!("{NODE_PORT_MIN}-{}", NODE_PORT_MIN + NODE_PORT_COUNT - 1);
        let ranges = [
            ("/registry/ranges/serviceips", SERVICE_CIDR),
            ("/registry/ranges/servicenodeports", node_ports.as_str()),
        ];
        for (key, range) in ranges {
            let value = json!({"kind": "RangeAllocation", "apiVersion": "v1", "metadata": {}, "range": range, "data": ""});
            self.store
                .put(key.as_bytes(), value.to_string().as_bytes(), false)
                .map_err(super::codec::store_error)?;
        }
        Ok(())
    }

    /// Whether the ranges were written: a cluster's first boot was completed (it writes
    /// them last), whatever has become of its objects since.
    pub fn has_allocation_ranges(&self) -> Result<bool, ApiError> {
        let found = self
            .store
            .range(&crate::store::RangeRequest {
                key: b"/registry/ranges/serviceips".to_vec(),
                count_only: true,
                ..Default::default()
            })
            .map_err(super::codec::store_error)?;
        Ok(found.count > 0)
    }
}
