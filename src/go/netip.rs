//! Go's `net/netip` parsing (`ParseAddr`, `ParsePrefix`) with its error texts, which
//! kube-apiserver's CEL IP and CIDR libraries put in their messages. std's parsers accept
//! and refuse other strings (leading zeros, zones) and say nothing of where they stopped.

use super::quote;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A parsed address and its IPv6 zone ("" when none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addr {
    pub ip: IpAddr,
    pub zone: String,
}

fn addr_error(input: &str, msg: &str, at: &str) -> String {
    if at.is_empty() {
        format!("ParseAddr({}): {msg}", quote(input))
    } else {
        format!("ParseAddr({}): {msg} (at {})", quote(input), quote(at))
    }
}

/// `netip.ParseAddr`: dotted IPv4 without leading zeros, or IPv6 with an optional zone.
pub fn parse_addr(s: &str) -> Result<Addr, String> {
    for b in s.bytes() {
        match b {
            b'.' => {
                let octets = parse_v4_fields(s, s)?;
                return Ok(Addr {
                    ip: IpAddr::V4(Ipv4Addr::from(octets)),
                    zone: String::new(),
                });
            }
            b':' => return parse_v6(s),
            b'%' => return Err(addr_error(s, "missing IPv6 address", "")),
            _ => {}
        }
    }
    Err(addr_error(s, "unable to parse IP", ""))
}

/// The four octets of `field` (a suffix of `input`, which errors name).
fn parse_v4_fields(input: &str, field: &str) -> Result<[u8; 4], String> {
    let b = field.as_bytes();
    let mut octets = [0u8; 4];
    let (mut val, mut pos, mut digits) = (0u32, 0usize, 0usize);
    for (i, &c) in b.iter().enumerate() {
        if c.is_ascii_digit() {
            if digits == 1 && val == 0 {
                return Err(addr_error(
                    input,
                    "IPv4 field has octet with leading zero",
                    "",
                ));
            }
            val = val * 10 + u32::from(c - b'0');
            digits += 1;
            if val > 255 {
                return Err(addr_error(input, "IPv4 field has value >255", ""));
            }
        } else if c == b'.' {
            if i == 0 || i == b.len() - 1 || b[i - 1] == b'.' {
                return Err(addr_error(
                    input,
                    "IPv4 field must have at least one digit",
                    &field[i..],
                ));
            }
            if pos == 3 {
                return Err(addr_error(input, "IPv4 address too long", ""));
            }
            octets[pos] = val as u8;
            pos += 1;
            val = 0;
            digits = 0;
        } else {
            return Err(addr_error(input, "unexpected character", &field[i..]));
        }
    }
    if pos < 3 {
        return Err(addr_error(input, "IPv4 address too short", ""));
    }
    octets[3] = val as u8;
    Ok(octets)
}

fn parse_v6(input: &str) -> Result<Addr, String> {
    let (mut s, zone) = match input.split_once('%') {
        Some((_, "")) => return Err(addr_error(input, "zone must be a non-empty string", "")),
        Some((a, z)) => (a, z),
        None => (input, ""),
    };
    let mut ip = [0u8; 16];
    let mut ellipsis: Option<usize> = None;
    if s.starts_with("::") {
        ellipsis = Some(0);
        s = &s[2..];
        if s.is_empty() {
            return Ok(Addr {
                ip: IpAddr::V6(Ipv6Addr::UNSPECIFIED),
                zone: zone.to_string(),
            });
        }
    }
    let mut i = 0usize;
    while i < 16 {
        let b = s.as_bytes();
        let mut off = 0usize;
        let mut acc = 0u32;
        while off < b.len() {
            let Some(d) = (b[off] as char).to_digit(16) else {
                break;
            };
            acc = (acc << 4) + d;
            if off > 3 {
                return Err(addr_error(
                    input,
                    "each group must have 4 or less digits",
                    s,
                ));
            }
            if acc > 0xffff {
                return Err(addr_error(input, "IPv6 field has value >=2^16", s));
            }
            off += 1;
        }
        if off == 0 {
            return Err(addr_error(
                input,
                "each colon-separated field must have at least one digit",
                s,
            ));
        }
        if off < b.len() && b[off] == b'.' {
            if ellipsis.is_none() && i != 12 {
                return Err(addr_error(
                    input,
                    "embedded IPv4 address must replace the final 2 fields of the address",
                    s,
                ));
            }
            if i + 4 > 16 {
                return Err(addr_error(
                    input,
                    "too many hex fields to fit an embedded IPv4 at the end of the address",
                    s,
                ));
            }
            let octets = parse_v4_fields(input, s)?;
            ip[i..i + 4].copy_from_slice(&octets);
            s = "";
            i += 4;
            break;
        }
        ip[i] = (acc >> 8) as u8;
        ip[i + 1] = acc as u8;
        i += 2;
        s = &s[off..];
        if s.is_empty() {
            break;
        }
        if !s.starts_with(':') {
            return Err(addr_error(input, "unexpected character, want colon", s));
        }
        if s.len() == 1 {
            return Err(addr_error(
                input,
                "colon must be followed by more characters",
                s,
            ));
        }
        s = &s[1..];
        if s.starts_with(':') {
            if ellipsis.is_some() {
                return Err(addr_error(input, "multiple :: in address", s));
            }
            ellipsis = Some(i);
            s = &s[1..];
            if s.is_empty() {
                break;
            }
        }
    }
    if !s.is_empty() {
        return Err(addr_error(input, "trailing garbage after address", s));
    }
    if i < 16 {
        let Some(at) = ellipsis else {
            return Err(addr_error(input, "address string too short", ""));
        };
        let n = 16 - i;
        ip.copy_within(at..i, at + n);
        ip[at..at + n].fill(0);
    } else if ellipsis.is_some() {
        return Err(addr_error(
            input,
            "the :: must expand to at least one field of zeros",
            "",
        ));
    }
    Ok(Addr {
        ip: IpAddr::V6(Ipv6Addr::from(ip)),
        zone: zone.to_string(),
    })
}

/// Whether `ip` is an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`).
pub fn is_4in6(ip: &IpAddr) -> bool {
    matches!(ip, IpAddr::V6(v6) if v6.to_ipv4_mapped().is_some())
}

/// `Addr.Unmap`: the IPv4 address inside a mapped IPv6 one, else `ip`.
fn unmap(ip: &IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(*ip, IpAddr::V4),
        IpAddr::V4(_) => *ip,
    }
}

pub fn is_loopback(ip: &IpAddr) -> bool {
    match unmap(ip) {
        IpAddr::V4(v4) => v4.octets()[0] == 127,
        IpAddr::V6(v6) => v6 == Ipv6Addr::LOCALHOST,
    }
}

pub fn is_multicast(ip: &IpAddr) -> bool {
    match unmap(ip) {
        IpAddr::V4(v4) => v4.octets()[0] & 0xf0 == 0xe0,
        IpAddr::V6(v6) => v6.octets()[0] == 0xff,
    }
}

pub fn is_link_local_unicast(ip: &IpAddr) -> bool {
    match unmap(ip) {
        IpAddr::V4(v4) => v4.octets()[..2] == [169, 254],
        IpAddr::V6(v6) => v6.segments()[0] & 0xffc0 == 0xfe80,
    }
}

pub fn is_link_local_multicast(ip: &IpAddr) -> bool {
    match unmap(ip) {
        IpAddr::V4(v4) => v4.octets()[..3] == [224, 0, 0],
        IpAddr::V6(v6) => v6.segments()[0] & 0xff0f == 0xff02,
    }
}

/// Go's definition: anything but unspecified, broadcast, loopback, multicast and
/// link-local unicast (private and unique-local addresses included).
pub fn is_global_unicast(ip: &IpAddr) -> bool {
    let ip = unmap(ip);
    if let IpAddr::V4(v4) = ip
        && (v4.is_unspecified() || v4.is_broadcast())
    {
        return false;
    }
    !ip.is_unspecified() && !is_loopback(&ip) && !is_multicast(&ip) && !is_link_local_unicast(&ip)
}

/// An address and a prefix length (the address's other bits not cleared).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefix {
    pub ip: IpAddr,
    pub bits: u8,
}

fn prefix_error(input: &str, msg: &str) -> String {
    format!("netip.ParsePrefix({}): {msg}", quote(input))
}

/// `netip.ParsePrefix`: `addr/bits`, bits in decimal without sign or leading zeros.
pub fn parse_prefix(s: &str) -> Result<Prefix, String> {
    let Some(slash) = s.rfind('/') else {
        return Err(prefix_error(s, "no '/'"));
    };
    let addr = parse_addr(&s[..slash]).map_err(|e| prefix_error(s, &e))?;
    if !addr.zone.is_empty() {
        return Err(prefix_error(s, "IPv6 zones cannot be present in a prefix"));
    }
    let bits_text = &s[slash + 1..];
    let bad_bits = || prefix_error(s, &format!("bad bits after slash: {}", quote(bits_text)));
    if bits_text.len() > 1 && !bits_text.starts_with(|c: char| ('1'..='9').contains(&c)) {
        return Err(bad_bits());
    }
    if bits_text.is_empty() || !bits_text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad_bits());
    }
    let bits: u64 = bits_text.parse().map_err(|_| bad_bits())?;
    let max = if addr.ip.is_ipv4() { 32 } else { 128 };
    if bits > max {
        return Err(prefix_error(s, "prefix length out of range"));
    }
    Ok(Prefix {
        ip: addr.ip,
        bits: bits as u8,
    })
}

fn to_bits(ip: &IpAddr) -> (u128, u32) {
    match ip {
        IpAddr::V4(v4) => (u128::from(u32::from(*v4)), 32),
        IpAddr::V6(v6) => (u128::from(*v6), 128),
    }
}

/// The network bits of `value` (of `width` bits) kept, the others cleared.
fn mask(value: u128, width: u32, bits: u8) -> u128 {
    let host = width - u32::from(bits);
    if host >= 128 {
        0
    } else {
        value >> host << host
    }
}

impl Prefix {
    /// `Prefix.Masked`: the host bits cleared.
    pub fn masked(&self) -> Prefix {
        let (value, width) = to_bits(&self.ip);
        let kept = mask(value, width, self.bits);
        let ip = match self.ip {
            IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::from(kept as u32)),
            IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::from(kept)),
        };
        Prefix {
            ip,
            bits: self.bits,
        }
    }

    /// `Prefix.Contains`: same family, same network bits.
    pub fn contains(&self, ip: &IpAddr) -> bool {
        let (a, wa) = to_bits(&self.ip);
        let (b, wb) = to_bits(ip);
        wa == wb && mask(a ^ b, wa, self.bits) == 0
    }

    /// `Prefix.Overlaps`: same family, equal on the shorter prefix's bits.
    pub fn overlaps(&self, other: &Prefix) -> bool {
        let (a, wa) = to_bits(&self.ip);
        let (b, wb) = to_bits(&other.ip);
        wa == wb && mask(a ^ b, wa, self.bits.min(other.bits)) == 0
    }
}

impl std::fmt::Display for Prefix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.ip, self.bits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_parse_and_fail_as_go_says() {
        let ok = |s: &str| parse_addr(s).map(|a| a.ip.to_string()).unwrap();
        assert_eq!(ok("127.0.0.1"), "127.0.0.1");
        assert_eq!(ok("2001:DB8::0:0:0:ABCD"), "2001:db8::abcd");
        assert_eq!(ok("::"), "::");
        assert_eq!(ok("::ffff:1.2.3.4"), "::ffff:1.2.3.4");
        assert_eq!(ok("1:2:3:4:5:6:7:8"), "1:2:3:4:5:6:7:8");
        assert_eq!(parse_addr("fe80::1%eth0").unwrap().zone, "eth0");
        for (input, want) in [
            (
                "127.0.0.256",
                r#"ParseAddr("127.0.0.256"): IPv4 field has value >255"#,
            ),
            (
                "01.2.3.4",
                r#"ParseAddr("01.2.3.4"): IPv4 field has octet with leading zero"#,
            ),
            ("1.2.3", r#"ParseAddr("1.2.3"): IPv4 address too short"#),
            (
                "1..2.3",
                r#"ParseAddr("1..2.3"): IPv4 field must have at least one digit (at ".2.3")"#,
            ),
            (
                ":::1",
                r#"ParseAddr(":::1"): each colon-separated field must have at least one digit (at ":1")"#,
            ),
            ("abc", r#"ParseAddr("abc"): unable to parse IP"#),
            ("%x", r#"ParseAddr("%x"): missing IPv6 address"#),
            (
                "1::2::3",
                r#"ParseAddr("1::2::3"): multiple :: in address (at ":3")"#,
            ),
            ("1:2", r#"ParseAddr("1:2"): address string too short"#),
            (
                "12345::",
                r#"ParseAddr("12345::"): each group must have 4 or less digits (at "12345::")"#,
            ),
            (
                "::1.2.3.04",
                r#"ParseAddr("::1.2.3.04"): IPv4 field has octet with leading zero"#,
            ),
        ] {
            assert_eq!(parse_addr(input), Err(want.to_string()), "{input}");
        }
    }

    #[test]
    fn prefixes_parse_mask_and_contain() {
        let p = parse_prefix("192.168.0.1/24").unwrap();
        assert_eq!(p.masked().to_string(), "192.168.0.0/24");
        assert!(p.contains(&"192.168.0.200".parse().unwrap()));
        assert!(!p.contains(&"192.168.1.1".parse().unwrap()));
        assert!(!p.contains(&"::1".parse().unwrap()));
        let wide = parse_prefix("10.0.0.0/8").unwrap();
        assert!(wide.overlaps(&parse_prefix("10.1.0.0/16").unwrap()));
        assert!(
            parse_prefix("0.0.0.0/0")
                .unwrap()
                .contains(&"8.8.8.8".parse().unwrap())
        );
        for (input, want) in [
            ("10.0.0.0", r#"netip.ParsePrefix("10.0.0.0"): no '/'"#),
            (
                "10.0.0.0/33",
                r#"netip.ParsePrefix("10.0.0.0/33"): prefix length out of range"#,
            ),
            (
                "10.0.0.0/08",
                r#"netip.ParsePrefix("10.0.0.0/08"): bad bits after slash: "08""#,
            ),
            (
                "10.0.0/8",
                r#"netip.ParsePrefix("10.0.0/8"): ParseAddr("10.0.0"): IPv4 address too short"#,
            ),
            (
                "fe80::1%a/64",
                r#"netip.ParsePrefix("fe80::1%a/64"): IPv6 zones cannot be present in a prefix"#,
            ),
        ] {
            assert_eq!(parse_prefix(input), Err(want.to_string()), "{input}");
        }
    }
}
