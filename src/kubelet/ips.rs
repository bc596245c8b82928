//! Pod addresses from the node's podCIDR, as the CNI's host-local IPAM hands them out here:
//! the lowest free address from `.2` upward (`.1` is the node's bridge); an address is not
//! reused while a pod on the node still holds it.

use std::collections::BTreeSet;
use std::net::Ipv4Addr;

/// A podCIDR (`10.244.1.0/24`) as its first address and size.
pub fn parse_cidr(cidr: &str) -> Option<(u32, u32)> {
    let (ip, bits) = cidr.split_once('/')?;
    let ip: Ipv4Addr = ip.parse().ok()?;
    let bits: u32 = bits.parse().ok().filter(|b| (8..=30).contains(b))?;
    let size = 1u32 << (32 - bits);
    Some((u32::from(ip) & !(size - 1), size))
}

/// The lowest address of `cidr` from `.2` up that is not in `used`.
pub fn allocate(cidr: &str, used: &BTreeSet<u32>) -> Option<Ipv4Addr> {
    let (base, size) = parse_cidr(cidr)?;
    (2..size - 1)
        .map(|i| base + i)
        .find(|ip| !used.contains(ip))
        .map(Ipv4Addr::from)
}

pub fn to_u32(ip: &str) -> Option<u32> {
    ip.parse::<Ipv4Addr>().ok().map(u32::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocates_the_lowest_free_address() {
        let mut used = BTreeSet::new();
        assert_eq!(
            allocate("10.244.1.0/24", &used),
            Some(Ipv4Addr::new(10, 244, 1, 2))
        );
        used.extend(
            [to_u32("10.244.1.2"), to_u32("10.244.1.4")]
                .into_iter()
                .flatten(),
        );
        assert_eq!(
            allocate("10.244.1.0/24", &used),
            Some(Ipv4Addr::new(10, 244, 1, 3))
        );
        used.extend((2..255).map(|i| u32::from(Ipv4Addr::new(10, 244, 1, i))));
        assert_eq!(allocate("10.244.1.0/24", &used), None);
        assert_eq!(allocate("junk", &used), None);
    }
}
