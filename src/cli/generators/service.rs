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
    /// A port, as port or port:targetPort (a number or a container port's name).
    #[arg(long)]
    pub tcp: Vec<String>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Args, Debug)]
pub struct ClusterIpArgs {
    #[command(flatten)]
    pub base: Base,
    /// The cluster IP to ask for, or None for a headless service.
    #[arg(long = "clusterip")]
    pub cluster_ip: Option<String>,
}

#[derive(Args, Debug)]
pub struct NodePortArgs {
    #[command(flatten)]
    pub base: Base,
    /// The port on every node the service is reached at (allocated when 0).
    #[arg(long, default_value_t = 0)]
    pub node_port: i64,
}

#[derive(Args, Debug)]
pub struct ExternalNameArgs {
    #[command(flatten)]
    pub base: Base,
    /// The DNS name the service stands for.
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
        if super::string_slice(&self.base().tcp).is_empty() && !portless_ok {
            return Err("at least one tcp port specifier must be provided".into());
        }
        Ok(())
    }

    /// The Service this command describes.
    pub fn build(&self, name: &str, namespace: Option<&str>) -> Result<Value, String> {
        let ports = super::string_slice(&self.base().tcp)
            .iter()
            .map(|t| tcp_port(t))
            .collect::<Result<Vec<_>, _>>()?;
        if let ServiceKind::ExternalName(a) = self {
            let external = a.external_name.as_deref().unwrap_or_default();
            if !is_dns1123_subdomain(external) {
                return Err(format!("invalid service external name {external}"));
            }
        }
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

/// `port[:target]`: the target is a number or a named port, checked as kubectl checks it.
/// The port's name is the whole spec with `:` turned into `-`.
fn tcp_port(spec: &str) -> Result<objects::TcpPort, String> {
    let mut parts = spec.split(':');
    let port_text = parts.next().unwrap_or_default();
    let target_text = parts.next().unwrap_or(port_text);
    let port: u16 = match port_text.parse::<u64>() {
        Ok(_) => port_text.parse().map_err(|_| {
            format!("strconv.ParseUint: parsing \"{port_text}\": value out of range")
        })?,
        Err(_) => {
            return Err(format!(
                "strconv.ParseUint: parsing \"{port_text}\": invalid syntax"
            ));
        }
    };
    // Go's Atoi: an optional sign, digits, within 64 bits.
    let target = match target_text.parse::<i64>() {
        Ok(n) if (1..=65535).contains(&n) => Value::from(n),
        Ok(_) => return Err("must be between 1 and 65535, inclusive".into()),
        Err(_) => {
            let problems = port_name_problems(target_text);
            if !problems.is_empty() {
                return Err(problems.join(","));
            }
            Value::from(target_text)
        }
    };
    Ok(objects::TcpPort {
        port,
        target,
        name: spec.replace(':', "-"),
    })
}

/// What is wrong with a named port (IANA service name rules), in kubectl's words.
fn port_name_problems(name: &str) -> Vec<&'static str> {
    let mut problems = Vec::new();
    if name.len() > 15 {
        problems.push("must be no more than 15 characters");
    }
    let charset_ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !charset_ok {
        problems.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if !name.chars().any(|c| c.is_ascii_lowercase()) {
        problems.push("must contain at least one letter (a-z)");
    }
    if name.contains("--") {
        problems.push("must not contain consecutive hyphens");
    }
    if name.starts_with('-') || name.ends_with('-') {
        problems.push("must not begin or end with a hyphen");
    }
    problems
}

/// A DNS-1123 subdomain: dot-separated labels of lowercase letters, digits and inner
/// hyphens, 253 characters at most.
fn is_dns1123_subdomain(name: &str) -> bool {
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    !name.is_empty() && name.len() <= 253 && name.split('.').all(label_ok)
}
