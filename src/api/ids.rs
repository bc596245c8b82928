//! Generated values (uids, name suffixes, addresses) drawn deterministically from a seed.
//!
//! The seed is made of cluster state (the store revision and the object's key), so the same
//! sequence of commands on a new cluster gives the same bytes: the generator's state *is* the
//! cluster's state, and no extra key has to be written to keep it.

/// The characters Kubernetes uses for generated name suffixes (no vowels, no look-alikes).
const SUFFIX_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// A 64-bit hash (FNV-1a, then a splitmix64 finish so nearby seeds spread well).
pub fn hash64(seed: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    splitmix(h)
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A version-4 shaped UUID (`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`).
pub fn uid(seed: &str) -> String {
    let a = hash64(seed);
    let b = splitmix(a ^ 0x5555_5555_5555_5555);
    let hex = format!("{a:016x}{b:016x}");
    let variant = ['8', '9', 'a', 'b'][(b & 3) as usize];
    format!(
        "{}-{}-4{}-{}{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        variant,
        &hex[17..20],
        &hex[20..32]
    )
}

/// `n` characters from Kubernetes' suffix alphabet.
pub fn suffix(seed: &str, n: usize) -> String {
    let mut state = hash64(seed);
    (0..n)
        .map(|_| {
            state = splitmix(state);
            SUFFIX_ALPHABET[(state % SUFFIX_ALPHABET.len() as u64) as usize] as char
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uids_are_v4_shaped_and_stable() {
        let u = uid("/registry/pods/default/x@5");
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
        assert_eq!(u, uid("/registry/pods/default/x@5"));
        assert_ne!(u, uid("/registry/pods/default/x@6"));
    }

    #[test]
    fn suffixes_use_the_alphabet() {
        let s = suffix("web-", 5);
        assert_eq!(s.len(), 5);
        assert!(s.bytes().all(|c| SUFFIX_ALPHABET.contains(&c)));
        assert_ne!(suffix("a", 5), suffix("b", 5));
    }
}
