//! The membership `snapshot restore` bootstraps from its flags, checked and numbered as etcd
//! does: a member's ID is the first 8 bytes (big-endian) of the SHA-1 of its sorted peer
//! URLs and the cluster token; the cluster's, of the SHA-1 of its sorted member IDs.

use std::collections::BTreeMap;

/// Peer URLs as etcd's `types.NewURLs` accepts them: http(s) or unix(s), `host:port`, no
/// path; sorted.
pub(crate) fn parse_urls(urls: &[String]) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for raw in urls {
        let u = raw.trim();
        let (scheme, rest) = u.split_once("://").unwrap_or(("", u));
        if !matches!(scheme, "http" | "https" | "unix" | "unixs") {
            return Err(format!(
                "URL scheme must be http, https, unix, or unixs: {u}"
            ));
        }
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let has_port = host
            .rsplit_once(':')
            .is_some_and(|(h, p)| !h.is_empty() || !p.is_empty());
        if matches!(scheme, "http" | "https") && !has_port {
            return Err(format!(
                "URL address does not have the form \"host:port\": {u}"
            ));
        }
        if !path.is_empty() {
            return Err(format!("URL must not contain a path: {u}"));
        }
        out.push(u.to_string());
    }
    out.sort();
    Ok(out)
}

/// `name=url,name=url,...` as etcd's `types.NewURLsMap` reads it.
pub(crate) fn parse_cluster(text: &str) -> Result<BTreeMap<String, Vec<String>>, String> {
    let mut raw: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for pair in text.split(',').filter(|p| !p.is_empty()) {
        let (name, url) = pair.split_once('=').unwrap_or((pair, ""));
        raw.entry(name.to_string())
            .or_default()
            .push(url.to_string());
    }
    let mut out = BTreeMap::new();
    for (name, urls) in raw {
        out.insert(name, parse_urls(&urls)?);
    }
    Ok(out)
}

/// etcd's `VerifyBootstrap` for a restore: the member is in the cluster with the peer URLs
/// it advertises, no URL twice.
pub(crate) fn verify_bootstrap(
    name: &str,
    peer_urls: &[String],
    cluster: &BTreeMap<String, Vec<String>>,
) -> Result<(), String> {
    let Some(listed) = cluster.get(name) else {
        return Err(format!(
            "couldn't find local name {} in the initial cluster configuration",
            super::super::encode::go_quote(name.as_bytes())
        ));
    };
    if listed != peer_urls {
        return Err(format!(
            "--initial-cluster has {name}={} but missing from --initial-advertise-peer-urls={} (resolved urls: {} != {})",
            listed.join(","),
            peer_urls.join(","),
            quoted_list(peer_urls),
            quoted_list(listed)
        ));
    }
    let mut seen = std::collections::HashSet::new();
    if cluster.values().flatten().any(|u| !seen.insert(u)) {
        return Err(format!(
            "initial cluster {} has duplicate url",
            cluster_string(cluster)
        ));
    }
    if cluster.is_empty() {
        return Err("initial cluster unset and no discovery URL found".to_string());
    }
    Ok(())
}

fn quoted_list(urls: &[String]) -> String {
    urls.iter()
        .map(|u| format!("\"{u}\""))
        .collect::<Vec<_>>()
        .join(",")
}

fn cluster_string(cluster: &BTreeMap<String, Vec<String>>) -> String {
    cluster
        .iter()
        .flat_map(|(n, urls)| urls.iter().map(move |u| format!("{n}={u}")))
        .collect::<Vec<_>>()
        .join(",")
}

fn sha1_u64(bytes: &[u8]) -> u64 {
    let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, bytes);
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest.as_ref()[..8]);
    u64::from_be_bytes(first)
}

/// The cluster ID and each member's ID with its peer URLs, in ID order.
pub(crate) fn ids(
    cluster: &BTreeMap<String, Vec<String>>,
    token: &str,
) -> (u64, Vec<(u64, Vec<String>)>) {
    let mut members: Vec<(u64, Vec<String>)> = cluster
        .values()
        .map(|urls| {
            let mut b = urls.concat().into_bytes();
            b.extend_from_slice(token.as_bytes());
            (sha1_u64(&b), urls.clone())
        })
        .collect();
    members.sort();
    let id_bytes: Vec<u8> = members
        .iter()
        .flat_map(|(id, _)| id.to_be_bytes())
        .collect();
    (sha1_u64(&id_bytes), members)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_etcds() {
        let cluster = parse_cluster("default=http://localhost:2380").unwrap();
        let (cid, members) = ids(&cluster, "etcd-cluster");
        assert_eq!(format!("{cid:x}"), "cdf818194e3a8c32");
        assert_eq!(format!("{:x}", members[0].0), "8e9e05c52164694d");
        let two = parse_cluster("default=http://localhost:2380,b=http://10.0.0.2:2380").unwrap();
        let (cid, members) = ids(&two, "etcd-cluster");
        assert_eq!(format!("{cid:x}"), "fd3cfa19940eef8a");
        assert_eq!(format!("{:x}", members[1].0), "ee274cacce804b21");
    }
}
