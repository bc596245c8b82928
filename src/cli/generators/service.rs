//! `create service clusterip|nodeport|loadbalancer|externalname`: each type has `--tcp` and
//! its own flag, as kubectl's four commands do.

use super::Common;
use super::objects;
use clap::{Args, Subcommand};
use serde_json::Value;

#[derive(Args, Debug)]
pub struct ServiceArgs {
    #[command(subcommand)]
    pub kind: ServiceKind,
}

#[derive(Subcommand, Debug)]
pub enum ServiceKind {
    /// Create a ClusterIP service
    #[command(name = "clusterip")]
    ClusterIp(ClusterIpArgs),
    /// Create a NodePort service
    #[command(name = "nodeport")]
    NodePort(NodePortArgs),
    /// Create a LoadBalancer service
    #[command(name = "loadbalancer")]
    LoadBalancer(Base),
    /// Create an ExternalName service
    #[command(name = "externalname")]
    ExternalName(ExternalNameArgs),
}

/// What every service type takes.
#[derive(Args, Debug)]
pub struct Base {
    /// NAME
    pub names: Vec<String>,
    /// Port pairs can be specified as '<port>:<targetPort>'.
    #[arg(long, value_delimiter = ',')]
    pub tcp: Vec<String>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Args, Debug)]
pub struct ClusterIpArgs {
    #[command(flatten)]
    pub base: Base,
    /// Assign your own ClusterIP or set to 'None' for a 'headless' service (no loadbalancing).
    #[arg(long = "clusterip")]
    pub cluster_ip: Option<String>,
}

#[derive(Args, Debug)]
pub struct NodePortArgs {
    #[command(flatten)]
    pub base: Base,
    /// Port used to expose the service on each node in a cluster.
    #[arg(long, default_value_t = 0)]
    pub node_port: i64,
}

#[derive(Args, Debug)]
pub struct ExternalNameArgs {
    #[command(flatten)]
    pub base: Base,
    /// External name of service
    #[arg(long)]
    pub external_name: Option<String>,
}

impl ServiceKind {
    /// The Service's `spec.type`.
    pub fn type_name(&self) -> &'static str {
        match self {
            ServiceKind::ClusterIp(_) => "ClusterIP",
            ServiceKind::NodePort(_) => "NodePort",
            ServiceKind::LoadBalancer(_) => "LoadBalancer",
            ServiceKind::ExternalName(_) => "ExternalName",
        }
    }

    /// The command's path below `create`.
    pub fn command_name(&self) -> &'static str {
        match self {
            ServiceKind::ClusterIp(_) => "service clusterip",
            ServiceKind::NodePort(_) => "service nodeport",
            ServiceKind::LoadBalancer(_) => "service loadbalancer",
            ServiceKind::ExternalName(_) => "service externalname",
        }
    }

    pub fn base(&self) -> &Base {
        match self {
            ServiceKind::ClusterIp(a) => &a.base,
            ServiceKind::NodePort(a) => &a.base,
            ServiceKind::LoadBalancer(a) => a,
            ServiceKind::ExternalName(a) => &a.base,
        }
    }

    pub fn base_mut(&mut self) -> &mut Base {
        match self {
            ServiceKind::ClusterIp(a) => &mut a.base,
            ServiceKind::NodePort(a) => &mut a.base,
            ServiceKind::LoadBalancer(a) => a,
            ServiceKind::ExternalName(a) => &mut a.base,
        }
    }

    /// kubectl's required flag, checked before the NAME.
    pub fn missing_flag(&self) -> Option<&'static str> {
        match self {
            ServiceKind::ExternalName(a) if a.external_name.is_none() => Some("external-name"),
            _ => None,
        }
    }

    /// kubectl's check of the ports, after the NAME: only ExternalName and headless
    /// services may have none.
    pub fn check_ports(&self) -> Result<(), String> {
        let portless_ok = match self {
            ServiceKind::ExternalName(_) => true,
            ServiceKind::ClusterIp(a) => a.cluster_ip.as_deref() == Some("None"),
            _ => false,
        };
        if self.base().tcp.is_empty() && !portless_ok {
            return Err("at least one tcp port specifier must be provided".into());
        }
        Ok(())
    }

    /// The Service this command describes.
    pub fn build(&self, name: &str, namespace: Option<&str>) -> Result<Value, String> {
        let ports = self
            .base()
            .tcp
            .iter()
            .map(|t| tcp_port(t))
            .collect::<Result<Vec<_>, _>>()?;
        let mut spec = objects::ServiceSpec {
            name,
            namespace,
            kind: self.type_name(),
            ports: &ports,
            cluster_ip: None,
            node_port: 0,
            external_name: None,
        };
        match self {
            ServiceKind::ClusterIp(a) => spec.cluster_ip = a.cluster_ip.as_deref(),
            ServiceKind::NodePort(a) => spec.node_port = a.node_port,
            ServiceKind::ExternalName(a) => spec.external_name = a.external_name.as_deref(),
            ServiceKind::LoadBalancer(_) => {}
        }
        Ok(objects::service(&spec))
    }
}

/// `port[:target]`: the target is a number or a named port.
fn tcp_port(spec: &str) -> Result<objects::TcpPort, String> {
    let (port_text, target_text) = spec.split_once(':').unwrap_or((spec, spec));
    let port: u16 = port_text
        .parse()
        .map_err(|_| format!("strconv.ParseUint: parsing \"{port_text}\": invalid syntax"))?;
    let target = match target_text.parse::<i32>() {
        Ok(n) => Value::from(n),
        Err(_) => Value::from(target_text),
    };
    let name = if port_text == target_text {
        port_text.to_string()
    } else {
        format!("{port_text}-{target_text}")
    };
    Ok(objects::TcpPort { port, target, name })
}
