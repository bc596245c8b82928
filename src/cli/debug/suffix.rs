//! The five-character suffixes of generated names (`debugger-xxxxx`,
//! `node-debugger-NODE-xxxxx`), from kubectl's alphabet. kubectl draws them at random; these
//! are drawn from what the target is now (uid and resourceVersion), so the embedded cluster
//! stays reproducible while a new debug session of a changed object gets a new name.

const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// The `attempt`-th suffix for `seed` (attempts go on while a name is taken).
pub fn suffix(seed: &str, attempt: u32) -> String {
    // FNV-1a over the seed and the attempt, then a small LCG for the characters.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.bytes().chain(attempt.to_le_bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (0..5)
        .map(|_| {
            h = h
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            char::from(ALPHABET[((h >> 33) % ALPHABET.len() as u64) as usize])
        })
        .collect()
}

/// The seed of an object: its uid and resourceVersion.
pub fn seed_of(obj: &serde_json::Value) -> String {
    let at = |p: &str| obj.pointer(p).and_then(|v| v.as_str()).unwrap_or("");
    format!(
        "{}/{}",
        at("/metadata/uid"),
        at("/metadata/resourceVersion")
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn suffixes_are_five_letters_of_the_alphabet_and_vary() {
        let a = super::suffix("uid/1", 0);
        assert_eq!(a.len(), 5);
        assert!(a.bytes().all(|b| super::ALPHABET.contains(&b)));
        assert_ne!(a, super::suffix("uid/1", 1));
        assert_eq!(a, super::suffix("uid/1", 0));
    }
}
