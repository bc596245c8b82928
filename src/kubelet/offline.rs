//! The kubelet while the API server is down: it still watches its `staticPodPath`, stops
//! the static pods whose files are gone or no longer parse (logging why), and keeps the
//! others running; it only cannot tell the API server. kubelite's kubelet runs inside
//! commands that the down API server refuses, so the node's programs ask this module what
//! the kubelet has done by now: the first look at a changed directory logs the files it
//! could not process, as the kubelet's file source would have, once.
//!
//! Kept in the cluster's home (`kubelet/<node>.static-pods-down`): when the directory was
//! last looked at while down (cluster time) and its fingerprint then.

use super::static_files::{self, Manifest};
use super::static_pods;
use chrono::{DateTime, SecondsFormat, Utc};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The static pods the kubelet runs from a node's files while the API server is down.
pub struct FileView {
    /// The mirror-pod names (`kube-scheduler-master`) of the files that parse.
    pub running: BTreeSet<String>,
    /// When the kubelet saw the directory as it is now (it stopped the others then).
    pub since: DateTime<Utc>,
}

fn state_file(home: &Path, node: &str) -> PathBuf {
    home.join("kubelet")
        .join(format!("{node}.static-pods-down"))
}

/// What `node`'s kubelet runs from its files at `now`; `None` for a node without a
/// manifests directory (a worker, an old home). Logs the unreadable files to the node's
/// kubelet journal the first time the directory is seen as it is.
pub fn static_pods_while_down(
    home: &Path,
    node: &str,
    now: DateTime<Utc>,
) -> std::io::Result<Option<FileView>> {
    let dir = static_files::dir(home, node);
    if !dir.is_dir() {
        return Ok(None);
    }
    let fingerprint = static_files::fingerprint(&dir);
    let state = state_file(home, node);
    let seen = std::fs::read_to_string(&state).ok().and_then(|text| {
        let (at, rest) = text.split_once('\n')?;
        let at = DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc);
        (rest == fingerprint).then_some(at)
    });
    let mut running = BTreeSet::new();
    for (path, manifest) in static_files::read_all(&dir) {
        match manifest {
            Manifest::Pod(pod) => {
                let name = pod.pointer("/metadata/name").and_then(|n| n.as_str());
                running.insert(static_pods::pod_name(name.unwrap_or(""), node));
            }
            Manifest::Invalid(err) if seen.is_none() => {
                let line = static_files::could_not_process(now, node, &path, &err);
                crate::nodefs::journal::append(home, node, "kubelet", now, &line)?;
            }
            Manifest::Invalid(_) => {}
        }
    }
    let since = match seen {
        Some(at) => at,
        None => {
            if let Some(parent) = state.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let tmp = state.with_extension("tmp");
            let stamp = now.to_rfc3339_opts(SecondsFormat::Micros, true);
            std::fs::write(&tmp, format!("{stamp}\n{fingerprint}"))?;
            std::fs::rename(tmp, &state)?;
            now
        }
    };
    Ok(Some(FileView { running, since }))
}
