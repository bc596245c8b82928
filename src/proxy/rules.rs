//! The NAT rules kube-proxy's iptables mode writes, rendered as `iptables-save` prints the
//! nat table: chains declared in the kernel's order (built-ins, then user chains sorted),
//! then each chain's rules.

use std::collections::BTreeMap;

/// The pod network (kube-proxy's `--cluster-cidr`): traffic from outside it is masqueraded.
pub const CLUSTER_CIDR: &str = "10.244.0.0/16";
const MARK: &str = "0x4000/0x4000";

/// One port of a Service with its ready endpoints.
#[derive(Debug, Clone, PartialEq)]
pub struct ServicePort {
    pub namespace: String,
    pub name: String,
    /// The port's name, `""` for an unnamed port.
    pub port_name: String,
    /// `TCP`, `UDP` or `SCTP`.
    pub protocol: String,
    pub cluster_ip: String,
    pub port: i64,
    pub node_port: Option<i64>,
    /// `ip:port` of each ready endpoint.
    pub endpoints: Vec<String>,
}

impl ServicePort {
    /// `namespace/name:port` (no `:port` for an unnamed port), as kube-proxy names it.
    pub fn id(&self) -> String {
        if self.port_name.is_empty() {
            format!("{}/{}", self.namespace, self.name)
        } else {
            format!("{}/{}:{}", self.namespace, self.name, self.port_name)
        }
    }

    fn proto(&self) -> String {
        self.protocol.to_ascii_lowercase()
    }
}

/// kube-proxy's chain names: a prefix and the first 16 base32 characters of the SHA-256
/// of the service port (and endpoint) they serve.
pub fn chain_name(prefix: &str, seed: &str) -> String {
    let hash = ring::digest::digest(&ring::digest::SHA256, seed.as_bytes());
    format!("{prefix}{}", &base32(hash.as_ref())[..16])
}

/// RFC 4648 base32 (standard alphabet, with padding).
fn base32(data: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    for chunk in data.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let bits = buf.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < chars {
                out.push(ALPHABET[((bits >> (35 - i * 5)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub fn service_chain(sp: &ServicePort) -> String {
    chain_name("KUBE-SVC-", &format!("{}{}", sp.id(), sp.proto()))
}

pub fn external_chain(sp: &ServicePort) -> String {
    chain_name("KUBE-EXT-", &format!("{}{}", sp.id(), sp.proto()))
}

pub fn endpoint_chain(sp: &ServicePort, endpoint: &str) -> String {
    chain_name("KUBE-SEP-", &format!("{}{}{endpoint}", sp.id(), sp.proto()))
}

/// The probability that picks endpoint `i` of `n` evenly, as iptables stores it (a 31-bit
/// fraction) and prints it back (11 decimals): 1/3 shows as 0.33333333349.
pub fn probability(i: usize, n: usize) -> String {
    let p = 1.0 / (n - i) as f64;
    let stored = (p * 2_147_483_648.0).round();
    format!("{:.11}", stored / 2_147_483_648.0)
}

/// The nat table for these service ports.
pub fn nat_table(ports: &[ServicePort]) -> String {
    let mut chains: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in [
        "KUBE-MARK-MASQ",
        "KUBE-NODEPORTS",
        "KUBE-POSTROUTING",
        "KUBE-PROXY-CANARY",
        "KUBE-SERVICES",
    ] {
        chains.insert(c.to_string(), Vec::new());
    }
    let mut add = |chain: &str, rule: String| {
        chains
            .entry(chain.to_string())
            .or_default()
            .push(format!("-A {chain} {rule}"));
    };
    add("KUBE-MARK-MASQ", format!("-j MARK --set-xmark {MARK}"));
    add(
        "KUBE-POSTROUTING",
        format!("-m mark ! --mark {MARK} -j RETURN"),
    );
    add("KUBE-POSTROUTING", "-j MARK --set-xmark 0x4000/0x0".into());
    add(
        "KUBE-POSTROUTING",
        "-m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully".into(),
    );
    let mut sorted: Vec<&ServicePort> = ports.iter().filter(|p| !p.endpoints.is_empty()).collect();
    sorted.sort_by_key(|p| p.id());
    for sp in sorted {
        let proto = sp.proto();
        let id = sp.id();
        let svc = service_chain(sp);
        let dest = format!(
            "-d {}/32 -p {proto} -m comment --comment \"{id} cluster IP\" -m {proto} --dport {}",
            sp.cluster_ip, sp.port
        );
        add("KUBE-SERVICES", format!("{dest} -j {svc}"));
        add(
            &svc,
            format!("! -s {CLUSTER_CIDR} {dest} -j KUBE-MARK-MASQ"),
        );
        if let Some(np) = sp.node_port {
            let ext = external_chain(sp);
            add(
                "KUBE-NODEPORTS",
                format!(
                    "-p {proto} -m comment --comment \"{id}\" -m {proto} --dport {np} -j {ext}"
                ),
            );
            add(
                &ext,
                format!(
                    "-m comment --comment \"masquerade traffic for {id} external destinations\" -j KUBE-MARK-MASQ"
                ),
            );
            add(&ext, format!("-j {svc}"));
        }
        let mut endpoints = sp.endpoints.clone();
        endpoints.sort();
        endpoints.dedup();
        let n = endpoints.len();
        for (i, ep) in endpoints.iter().enumerate() {
            let sep = endpoint_chain(sp, ep);
            let spread = if i + 1 < n {
                format!(
                    " -m statistic --mode random --probability {}",
                    probability(i, n)
                )
            } else {
                String::new()
            };
            add(
                &svc,
                format!("-m comment --comment \"{id} -> {ep}\"{spread} -j {sep}"),
            );
            let ip = ep.rsplit_once(':').map_or(ep.as_str(), |(ip, _)| ip);
            add(
                &sep,
                format!("-s {ip}/32 -m comment --comment \"{id}\" -j KUBE-MARK-MASQ"),
            );
            add(
                &sep,
                format!(
                    "-p {proto} -m comment --comment \"{id}\" -m {proto} -j DNAT --to-destination {ep}"
                ),
            );
        }
    }
    add(
        "KUBE-SERVICES",
        "-m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS".into(),
    );

    let mut out = String::from("*nat\n");
    for builtin in ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"] {
        out.push_str(&format!(":{builtin} ACCEPT [0:0]\n"));
    }
    for name in chains.keys() {
        out.push_str(&format!(":{name} - [0:0]\n"));
    }
    out.push_str(
        "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n",
    );
    out.push_str(
        "-A OUTPUT -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n",
    );
    out.push_str("-A POSTROUTING -m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING\n");
    for rules in chains.values() {
        for r in rules {
            out.push_str(r);
            out.push('\n');
        }
    }
    out.push_str("COMMIT\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn web(endpoints: &[&str]) -> ServicePort {
        ServicePort {
            namespace: "default".into(),
            name: "web".into(),
            port_name: String::new(),
            protocol: "TCP".into(),
            cluster_ip: "10.96.100.20".into(),
            port: 80,
            node_port: None,
            endpoints: endpoints.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn base32_matches_rfc4648() {
        assert_eq!(base32(b"f"), "MY======");
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI======");
        assert_eq!(base32(b"fooba"), "MZXW6YTB");
    }

    #[test]
    fn chain_names_follow_kube_proxy() {
        // Names a real cluster shows for the kubernetes and kube-dns services.
        let mut k = web(&[]);
        k.name = "kubernetes".into();
        k.port_name = "https".into();
        assert_eq!(service_chain(&k), "KUBE-SVC-NPX46M4PTMTKRN6Y");
        let mut dns = web(&[]);
        dns.namespace = "kube-system".into();
        dns.name = "kube-dns".into();
        dns.port_name = "dns".into();
        dns.protocol = "UDP".into();
        assert_eq!(service_chain(&dns), "KUBE-SVC-TCOU7JCQXEZGVUNU");
    }

    #[test]
    fn probabilities_print_as_iptables_save_does() {
        assert_eq!(probability(0, 3), "0.33333333349");
        assert_eq!(probability(1, 3), "0.50000000000");
        assert_eq!(probability(0, 5), "0.20000000019");
        assert_eq!(probability(0, 4), "0.25000000000");
    }

    #[test]
    fn three_endpoints_spread_evenly() {
        let sp = web(&["10.244.2.3:80", "10.244.1.2:80", "10.244.1.3:80"]);
        let table = nat_table(std::slice::from_ref(&sp));
        let svc = service_chain(&sp);
        let rules: Vec<&str> = table
            .lines()
            .filter(|l| l.starts_with(&format!("-A {svc} ")))
            .collect();
        assert_eq!(rules.len(), 4, "{table}");
        assert_eq!(
            rules[0],
            format!(
                "-A {svc} ! -s 10.244.0.0/16 -d 10.96.100.20/32 -p tcp -m comment --comment \"default/web cluster IP\" -m tcp --dport 80 -j KUBE-MARK-MASQ"
            )
        );
        let first = endpoint_chain(&sp, "10.244.1.2:80");
        assert_eq!(
            rules[1],
            format!(
                "-A {svc} -m comment --comment \"default/web -> 10.244.1.2:80\" -m statistic --mode random --probability 0.33333333349 -j {first}"
            )
        );
        assert!(rules[2].contains("--probability 0.50000000000"));
        assert!(!rules[3].contains("statistic"));
        assert!(rules[3].ends_with(&endpoint_chain(&sp, "10.244.2.3:80")));
        assert!(table.contains(&format!(
            "-A {first} -p tcp -m comment --comment \"default/web\" -m tcp -j DNAT --to-destination 10.244.1.2:80\n"
        )));
        assert!(table.contains(&format!(":{first} - [0:0]\n")));
        assert!(table.starts_with("*nat\n:PREROUTING ACCEPT [0:0]\n"));
        assert!(table.ends_with("COMMIT\n"));
        // The nodeports jump is the last rule of KUBE-SERVICES.
        let services: Vec<&str> = table
            .lines()
            .filter(|l| l.starts_with("-A KUBE-SERVICES "))
            .collect();
        assert!(
            services
                .last()
                .is_some_and(|l| l.contains("KUBE-NODEPORTS"))
        );
        assert_eq!(
            services[0],
            format!(
                "-A KUBE-SERVICES -d 10.96.100.20/32 -p tcp -m comment --comment \"default/web cluster IP\" -m tcp --dport 80 -j {svc}"
            )
        );
    }

    #[test]
    fn a_service_without_endpoints_gets_no_chain() {
        let table = nat_table(&[web(&[])]);
        assert!(!table.contains("KUBE-SVC-"));
    }
}
