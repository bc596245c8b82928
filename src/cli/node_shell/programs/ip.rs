//! `ip addr` (`ip a`, `ip -4 addr`, `ip addr show`) and `ip route`: the node's loopback
//! and its one interface with the node's InternalIP, as iproute2 prints them.

use super::NodeCtx;
use crate::cli::Io;

pub fn run(ctx: &NodeCtx, args: &[String], io: &mut Io) -> i32 {
    let words: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let ip: std::net::Ipv4Addr = std::env::var(crate::cli::node_shell::NODE_IP_ENV)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(std::net::Ipv4Addr::new(127, 0, 0, 1));
    let o = ip.octets();
    let _ = &ctx.node;
    match words.first().copied() {
        Some(w) if "address".starts_with(w) && !w.is_empty() => {
            let lo = "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n".to_string();
            let eth0 = format!(
                "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000\n    link/ether 02:42:{:02x}:{:02x}:{:02x}:{:02x} brd ff:ff:ff:ff:ff:ff\n    inet {ip}/24 brd {}.{}.{}.255 scope global eth0\n       valid_lft forever preferred_lft forever\n",
                o[0], o[1], o[2], o[3], o[0], o[1], o[2]
            );
            // `ip addr [show|list] [dev] DEVICE`: that device's block only.
            let device = words[1..]
                .iter()
                .find(|w| !matches!(**w, "show" | "list" | "ls" | "dev"));
            let text = match device.copied() {
                None => lo + &eth0,
                Some("lo") => lo,
                Some("eth0") => eth0,
                Some(other) => {
                    let _ = writeln!(io.err, "Device \"{other}\" does not exist.");
                    return 1;
                }
            };
            let _ = io.out.write_all(text.as_bytes());
            0
        }
        Some(w) if "route".starts_with(w) && !w.is_empty() => {
            let _ = writeln!(
                io.out,
                "default via {}.{}.{}.1 dev eth0 proto static\n{}.{}.{}.0/24 dev eth0 proto kernel scope link src {ip}",
                o[0], o[1], o[2], o[0], o[1], o[2]
            );
            0
        }
        _ => {
            let _ = writeln!(io.err, "kubelite's ip on a node knows addr and route");
            1
        }
    }
}
