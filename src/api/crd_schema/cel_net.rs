//! kube's IP and CIDR libraries for CEL (1.30+): `ip(s)`, `isIP(s)`, `ip.isCanonical(s)`,
//! `string(ip)`, and on an IP `family()`, `isUnspecified()`, `isLoopback()`,
//! `isLinkLocalMulticast()`, `isLinkLocalUnicast()`, `isGlobalUnicast()`; `cidr(s)`,
//! `isCIDR(s)`, `string(cidr)`, and on a CIDR `containsIP(ip or string)`,
//! `containsCIDR(cidr or string)`, `ip()`, `prefixLength()`, `masked()`. Addresses are
//! parsed as Go's `netip` parses them (`crate::go::netip`), without zones or IPv4-mapped
//! IPv6 addresses, as kube refuses them.

use super::cel_library::kube_error;
use crate::go::netip::{self, Prefix};
use crate::go::quote;
use cel::common::types::{CelBool, CelInt, CelString, Type};
use cel::common::value::{StaticVal, Val};
use cel::{Env, ExecutionError};
use std::any::Any;
use std::net::IpAddr;

static IP: Type = Type::new_unspecified_type("net.IP");
static CIDR: Type = Type::new_unspecified_type("net.CIDR");

#[derive(Debug, Clone)]
pub struct CelIp(IpAddr);

#[derive(Debug, Clone)]
pub struct CelCidr(Prefix);

use super::cel_library::opaque_value;

opaque_value!(CelIp, IP);
opaque_value!(CelCidr, CIDR);

pub fn install(env: &mut Env) {
    let _ = env.add_type(IP.to_owned());
    let _ = env.add_type(CIDR.to_owned());
    let _ = cel::add_overload!(env, fn ip: (CelString) -> Result<CelIp>);
    let _ = cel::add_overload!(env, fn is_ip: (CelString) -> CelBool, name = "isIP");
    let _ = cel::add_overload!(env, fn is_canonical: (CelString) -> Result<CelBool>,
        name = "ip.isCanonical");
    let _ = cel::add_overload!(env, fn ip_string: (CelIp) -> CelString, name = "string");
    let _ = cel::add_member_overload!(env, fn family: (CelIp) -> CelInt);
    let _ = cel::add_member_overload!(env, fn is_unspecified: (CelIp) -> CelBool,
        name = "isUnspecified");
    let _ = cel::add_member_overload!(env, fn is_loopback: (CelIp) -> CelBool, name = "isLoopback");
    let _ = cel::add_member_overload!(env, fn is_link_local_multicast: (CelIp) -> CelBool,
        name = "isLinkLocalMulticast");
    let _ = cel::add_member_overload!(env, fn is_link_local_unicast: (CelIp) -> CelBool,
        name = "isLinkLocalUnicast");
    let _ = cel::add_member_overload!(env, fn is_global_unicast: (CelIp) -> CelBool,
        name = "isGlobalUnicast");

    let _ = cel::add_overload!(env, fn cidr: (CelString) -> Result<CelCidr>);
    let _ = cel::add_overload!(env, fn is_cidr: (CelString) -> CelBool, name = "isCIDR");
    let _ = cel::add_overload!(env, fn cidr_string: (CelCidr) -> CelString, name = "string");
    let _ = cel::add_member_overload!(env, fn contains_ip: (CelCidr, CelIp) -> CelBool,
        name = "containsIP");
    let _ = cel::add_member_overload!(env, fn contains_ip_string: (CelCidr, CelString) -> Result<CelBool>,
        name = "containsIP");
    let _ = cel::add_member_overload!(env, fn contains_cidr: (CelCidr, CelCidr) -> CelBool,
        name = "containsCIDR");
    let _ = cel::add_member_overload!(env, fn contains_cidr_string: (CelCidr, CelString) -> Result<CelBool>,
        name = "containsCIDR");
    let _ = cel::add_member_overload!(env, fn cidr_ip: (CelCidr) -> CelIp, name = "ip");
    let _ = cel::add_member_overload!(env, fn prefix_length: (CelCidr) -> CelInt,
        name = "prefixLength");
    let _ = cel::add_member_overload!(env, fn masked: (CelCidr) -> CelCidr);
}

/// kube's `parseIPAddr`: Go's parse, then no zone and no IPv4-mapped IPv6 address.
fn parse_ip(s: &str) -> Result<IpAddr, String> {
    let addr = netip::parse_addr(s).map_err(|e| {
        format!(
            "IP Address {} parse error during conversion from string: {e}",
            quote(s)
        )
    })?;
    if !addr.zone.is_empty() {
        return Err(format!(
            "IP address {} with zone value is not allowed",
            quote(s)
        ));
    }
    if netip::is_4in6(&addr.ip) {
        return Err(format!(
            "IPv4-mapped IPv6 address {} is not allowed",
            quote(s)
        ));
    }
    Ok(addr.ip)
}

/// kube's `parseCIDR`, whose parse error says its prefix twice (once more in `cidr()`).
fn parse_cidr(s: &str) -> Result<Prefix, String> {
    let prefix = netip::parse_prefix(s)
        .map_err(|e| format!("network address parse error during conversion from string: {e}"))?;
    if netip::is_4in6(&prefix.ip) {
        return Err(format!(
            "IPv4-mapped IPv6 address {} is not allowed",
            quote(s)
        ));
    }
    Ok(prefix)
}

fn ip(s: &CelString<'_>) -> Result<CelIp, ExecutionError> {
    parse_ip(s.inner()).map(CelIp).map_err(kube_error)
}

fn is_ip(s: &CelString<'_>) -> CelBool {
    CelBool::from(parse_ip(s.inner()).is_ok())
}

/// Whether the string is the address's one canonical spelling.
fn is_canonical(s: &CelString<'_>) -> Result<CelBool, ExecutionError> {
    let ip = parse_ip(s.inner()).map_err(kube_error)?;
    Ok(CelBool::from(ip.to_string() == s.inner()))
}

fn ip_string(ip: &CelIp) -> CelString<'static> {
    CelString::from(ip.0.to_string())
}

fn family(ip: &CelIp) -> CelInt {
    CelInt::from(if ip.0.is_ipv4() { 4 } else { 6 })
}

fn is_unspecified(ip: &CelIp) -> CelBool {
    CelBool::from(ip.0.is_unspecified())
}

fn is_loopback(ip: &CelIp) -> CelBool {
    CelBool::from(netip::is_loopback(&ip.0))
}

fn is_link_local_multicast(ip: &CelIp) -> CelBool {
    CelBool::from(netip::is_link_local_multicast(&ip.0))
}

fn is_link_local_unicast(ip: &CelIp) -> CelBool {
    CelBool::from(netip::is_link_local_unicast(&ip.0))
}

fn is_global_unicast(ip: &CelIp) -> CelBool {
    CelBool::from(netip::is_global_unicast(&ip.0))
}

fn cidr(s: &CelString<'_>) -> Result<CelCidr, ExecutionError> {
    parse_cidr(s.inner()).map(CelCidr).map_err(|e| {
        kube_error(format!(
            "network address parse error during conversion from string: {e}"
        ))
    })
}

fn is_cidr(s: &CelString<'_>) -> CelBool {
    CelBool::from(parse_cidr(s.inner()).is_ok())
}

fn cidr_string(c: &CelCidr) -> CelString<'static> {
    CelString::from(c.0.to_string())
}

fn contains_ip(c: &CelCidr, ip: &CelIp) -> CelBool {
    CelBool::from(c.0.contains(&ip.0))
}

/// An address that does not parse is kube's bare "no such overload" (its binding checks the
/// converted argument's type, not the conversion's error).
fn contains_ip_string(c: &CelCidr, s: &CelString<'_>) -> Result<CelBool, ExecutionError> {
    let ip = parse_ip(s.inner()).map_err(|_| kube_error("no such overload"))?;
    Ok(contains_ip(c, &CelIp(ip)))
}

/// A network inside this one: same family, no shorter, equal on this one's bits.
fn contains_cidr(c: &CelCidr, other: &CelCidr) -> CelBool {
    CelBool::from(c.0.overlaps(&other.0) && c.0.bits <= other.0.bits)
}

fn contains_cidr_string(c: &CelCidr, s: &CelString<'_>) -> Result<CelBool, ExecutionError> {
    let other = cidr(s)?;
    Ok(contains_cidr(c, &other))
}

fn cidr_ip(c: &CelCidr) -> CelIp {
    CelIp(c.0.ip)
}

fn prefix_length(c: &CelCidr) -> CelInt {
    CelInt::from(i64::from(c.0.bits))
}

fn masked(c: &CelCidr) -> CelCidr {
    CelCidr(c.0.masked())
}

#[cfg(test)]
mod tests {

    use super::super::cel_library::eval_as_kube as eval;

    #[test]
    fn ips_parse_and_classify_as_kubes_do() {
        for src in [
            "isIP('127.0.0.1') && isIP('::1') && !isIP('127.0.0.256') && !isIP(':::1')",
            "!isIP('fe80::1%eth0') && !isIP('::ffff:1.2.3.4') && !isIP('01.2.3.4')",
            "ip.isCanonical('127.0.0.1') && ip.isCanonical('2001:db8::abcd')",
            "!ip.isCanonical('2001:DB8::ABCD') && !ip.isCanonical('2001:db8::0:0:0:abcd')",
            "ip('127.0.0.1').family() == 4 && ip('::1').family() == 6",
            "ip('0.0.0.0').isUnspecified() && ip('::').isUnspecified() && !ip('::1').isUnspecified()",
            "ip('127.0.0.1').isLoopback() && ip('::1').isLoopback() && !ip('192.168.0.1').isLoopback()",
            "ip('224.0.0.1').isLinkLocalMulticast() && !ip('224.0.1.1').isLinkLocalMulticast()",
            "ip('ff02::1').isLinkLocalMulticast() && !ip('fd00::1').isLinkLocalMulticast()",
            "ip('169.254.169.254').isLinkLocalUnicast() && ip('fe80::1').isLinkLocalUnicast() && !ip('fd80::1').isLinkLocalUnicast()",
            "ip('192.168.0.1').isGlobalUnicast() && !ip('255.255.255.255').isGlobalUnicast()",
            "ip('2001:db8::abcd').isGlobalUnicast() && !ip('ff00::1').isGlobalUnicast()",
            "string(ip('2001:DB8::1')) == '2001:db8::1' && ip('::1') == ip('0:0::1') && ip('1.2.3.4') != ip('1.2.3.5')",
        ] {
            assert_eq!(eval(src), Ok(cel::Value::Bool(true)), "{src}");
        }
        for (src, want) in [
            (
                "ip('127.0.0.256')",
                r#"IP Address "127.0.0.256" parse error during conversion from string: ParseAddr("127.0.0.256"): IPv4 field has value >255"#,
            ),
            (
                "ip('fe80::1%eth0')",
                r#"IP address "fe80::1%eth0" with zone value is not allowed"#,
            ),
            (
                "ip('::ffff:1.2.3.4')",
                r#"IPv4-mapped IPv6 address "::ffff:1.2.3.4" is not allowed"#,
            ),
            (
                "ip.isCanonical('x')",
                r#"IP Address "x" parse error during conversion from string: ParseAddr("x"): unable to parse IP"#,
            ),
        ] {
            assert_eq!(eval(src), Err(want.to_string()), "{src}");
        }
    }

    #[test]
    fn cidrs_contain_and_mask_as_kubes_do() {
        for src in [
            "isCIDR('192.168.0.0/16') && isCIDR('::1/128') && !isCIDR('192.168.0.0/33') && !isCIDR('::1/129')",
            "isCIDR('192.168.0.1/16') && !isCIDR('::ffff:1.2.3.4/120')",
            "cidr('192.168.0.0/24').containsIP(ip('192.168.0.1')) && !cidr('192.168.0.0/24').containsIP(ip('192.168.1.1'))",
            "cidr('192.168.0.0/24').containsIP('192.168.0.1') && !cidr('192.168.0.0/24').containsIP('192.168.1.1')",
            "cidr('192.168.0.0/16').containsCIDR(cidr('192.168.10.0/24')) && !cidr('192.168.1.0/24').containsCIDR(cidr('192.168.2.0/24'))",
            "cidr('192.168.0.0/16').containsCIDR('192.168.10.0/24') && !cidr('192.168.10.0/24').containsCIDR('192.168.0.0/16')",
            "!cidr('10.0.0.0/8').containsIP('::1')",
            "cidr('192.168.0.1/24').ip() == ip('192.168.0.1') && cidr('::1/128').ip().family() == 6",
            "cidr('192.168.0.1/24').masked() == cidr('192.168.0.0/24') && cidr('192.168.0.1/24') != cidr('192.168.0.1/24').masked()",
            "cidr('192.168.0.0/16').prefixLength() == 16 && string(cidr('2001:DB8::/32')) == '2001:db8::/32'",
        ] {
            assert_eq!(eval(src), Ok(cel::Value::Bool(true)), "{src}");
        }
        for (src, want) in [
            (
                "cidr('192.168.0.0/33')",
                r#"network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("192.168.0.0/33"): prefix length out of range"#,
            ),
            (
                "cidr('::ffff:1.2.3.4/120')",
                r#"network address parse error during conversion from string: IPv4-mapped IPv6 address "::ffff:1.2.3.4/120" is not allowed"#,
            ),
            ("cidr('10.0.0.0/8').containsIP('x')", "no such overload"),
            (
                "cidr('10.0.0.0/8').containsCIDR('x')",
                r#"network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("x"): no '/'"#,
            ),
        ] {
            assert_eq!(eval(src), Err(want.to_string()), "{src}");
        }
    }
}
