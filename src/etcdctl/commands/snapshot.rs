//! `etcdctl snapshot save|status|restore`, with etcdctl 3.4's log lines, output and errors.
//!
//! `save` asks the backend for the file: a real etcd streams its own snapshot (a bbolt file
//! and its SHA-256, which the real etcdctl reads); the embedded store writes kubelite's
//! (a redb store file and its SHA-256, see `store::redb::snapshot`). `status` and `restore`
//! read kubelite's snapshots only, and say so for a real etcd's. Unlike etcd 3.4, which
//! leaves a `.part` file or a half-restored data dir behind on an error, nothing is left
//! behind: a save is renamed into place once synced, a restore once complete.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use super::super::errors::{self, EXIT_BAD_FEATURE, EXIT_ERROR, EXIT_INTERRUPTED, Failure};
use super::super::output::{Format, humanize_bytes, table};
use super::Session;
use super::member_ids;
use crate::store::redb::snapshot::{self as snap, SnapshotStatus, go_io_text};

/// zap's `ts` of the snapshot package's lines: seconds since the epoch as a float.
fn epoch_ts() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    format!("{}", now.as_secs_f64())
}

fn q(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// One info line of the snapshot package (`ts` a float), with extra `"k":v` fields.
fn log_line(err: &mut dyn Write, caller: &str, msg: &str, fields: &[(&str, String)]) {
    let mut line = format!(
        "{{\"level\":\"info\",\"ts\":{},\"caller\":\"{caller}\",\"msg\":{}",
        epoch_ts(),
        q(msg)
    );
    for (k, v) in fields {
        line.push_str(&format!(",\"{k}\":{v}"));
    }
    line.push('}');
    let _ = writeln!(err, "{line}");
}

/// One info line of clientv3's maintenance client (`ts` an ISO time).
fn client_line(err: &mut dyn Write, caller: &str, msg: &str) {
    let _ = writeln!(
        err,
        "{{\"level\":\"info\",\"ts\":\"{}\",\"caller\":\"{caller}\",\"msg\":{}}}",
        errors::utc_millis_now(),
        q(msg)
    );
}

fn interrupted(msg: impl Into<String>) -> Failure {
    Failure::Exit(EXIT_INTERRUPTED, msg.into())
}

/// Syncs a directory, so that a rename or a new entry in it survives a crash.
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    std::fs::File::open(dir)?.sync_all()
}

pub(crate) fn save(s: &mut Session) -> Result<(), Failure> {
    if s.args.len() != 1 {
        return Err(Failure::bad_args("snapshot save expects one argument"));
    }
    let path = s.args[0].clone();
    if s.opts.endpoints.len() != 1 {
        return Err(interrupted(format!(
            "snapshot must be requested to one selected node, not multiple [{}]",
            s.opts.endpoints.join(" ")
        )));
    }
    let endpoint = s.first_endpoint();
    let part = format!("{path}.part");
    if let Err(e) = open_part(Path::new(&part)) {
        return Err(interrupted(format!(
            "could not open {part} (open {part}: {})",
            go_io_text(&e)
        )));
    }
    let outcome = save_into(s, &part, &path, &endpoint);
    if outcome.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    outcome?;
    writeln!(s.ctx.stdout, "Snapshot saved at {path}")?;
    Ok(())
}

/// etcd's `.part` file: created (or truncated) with mode 0600.
fn open_part(part: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(part)
        .map(drop)
}

fn save_into(s: &mut Session, part: &str, path: &str, endpoint: &str) -> Result<(), Failure> {
    log_line(
        s.ctx.stderr,
        "snapshot/v3_snapshot.go:119",
        "created temporary db file",
        &[("path", q(part))],
    );
    let started = Instant::now();
    match s.backend() {
        Ok(_) => {}
        Err(Failure::Exit(_, msg)) => return Err(interrupted(msg)),
        Err(Failure::Unreachable) => return Err(interrupted("context deadline exceeded")),
        Err(other) => return Err(other),
    }
    client_line(
        s.ctx.stderr,
        "clientv3/maintenance.go:200",
        "opened snapshot stream; downloading",
    );
    log_line(
        s.ctx.stderr,
        "snapshot/v3_snapshot.go:127",
        "fetching snapshot",
        &[("endpoint", q(endpoint))],
    );
    let written = s.backend()?.store().save_snapshot(Path::new(part));
    if let Err(e) = written {
        return Err(interrupted(match e {
            crate::store::StoreError::Io(msg) => msg,
            other => other.to_string(),
        }));
    }
    client_line(
        s.ctx.stderr,
        "clientv3/maintenance.go:208",
        "completed snapshot read; closing",
    );
    let size = std::fs::metadata(part).map(|m| m.len()).unwrap_or(0);
    log_line(
        s.ctx.stderr,
        "snapshot/v3_snapshot.go:142",
        "fetched snapshot",
        &[
            ("endpoint", q(endpoint)),
            ("size", q(&humanize_bytes(size as i64))),
            ("took", format!("{}", started.elapsed().as_secs_f64())),
        ],
    );
    std::fs::rename(part, path).map_err(|e| interrupted(format!("rename {part} {path}: {e}")))?;
    let parent = Path::new(path).parent().unwrap_or(Path::new("."));
    sync_dir(parent).map_err(|e| interrupted(format!("sync {}: {e}", parent.display())))?;
    log_line(
        s.ctx.stderr,
        "snapshot/v3_snapshot.go:152",
        "saved",
        &[("path", q(path))],
    );
    Ok(())
}

/// etcd's `snapshot status` errors: a missing file as `stat`'s, then what reading it found.
fn read_status(path: &str) -> Result<SnapshotStatus, Failure> {
    std::fs::metadata(path)
        .map_err(|e| Failure::Exit(EXIT_ERROR, format!("stat {path}: {}", go_io_text(&e))))?;
    // A hash, when the file has one, is checked before the store file is read at all; a
    // store file without one (copied from a data dir) is read as it is.
    let file = Path::new(path);
    let checked = match snap::check(file, false) {
        Err(snap::SnapshotError::MissingHash) => snap::check(file, true),
        other => other,
    }
    .map_err(|e| Failure::Exit(EXIT_ERROR, e.to_string()))?;
    checked
        .status()
        .map_err(|e| Failure::Exit(EXIT_ERROR, e.to_string()))
}

pub(crate) fn status(s: &mut Session) -> Result<(), Failure> {
    if s.args.len() != 1 {
        return Err(Failure::bad_args(
            "snapshot status requires exactly one argument",
        ));
    }
    let format = s.format()?;
    let st = read_status(&s.args[0])?;
    let out = &mut *s.ctx.stdout;
    let hash = format!("{:x}", st.hash);
    match format {
        Format::Simple => writeln!(
            out,
            "{hash}, {}, {}, {}",
            st.revision,
            st.total_keys,
            humanize_bytes(st.total_size)
        )?,
        Format::Json => writeln!(
            out,
            "{{\"hash\":{},\"revision\":{},\"totalKey\":{},\"totalSize\":{}}}",
            st.hash, st.revision, st.total_keys, st.total_size
        )?,
        Format::Fields => write!(
            out,
            "\"Hash\" : {}\n\"Revision\" : {}\n\"Keys\" : {}\n\"Size\" : {}\n",
            st.hash, st.revision, st.total_keys, st.total_size
        )?,
        Format::Table => table::snapshot_status(
            out,
            vec![
                hash,
                st.revision.to_string(),
                st.total_keys.to_string(),
                humanize_bytes(st.total_size),
            ],
        )?,
        Format::Protobuf => {
            return Err(Failure::Exit(
                EXIT_BAD_FEATURE,
                "protobuf not supported as output format".into(),
            ));
        }
    }
    Ok(())
}

/// Go's `%q` of a string (quoted, escapes as Go writes them).
fn go_q(s: &str) -> String {
    super::super::encode::go_quote(s.as_bytes())
}

pub(crate) fn restore(s: &mut Session) -> Result<(), Failure> {
    if s.args.len() != 1 {
        return Err(Failure::bad_args(
            "snapshot restore requires exactly one argument",
        ));
    }
    let file = s.args[0].clone();
    let name = s.flag_str("name");
    let data_dir = match s.flag_str("data-dir") {
        d if d.is_empty() => format!("{name}.etcd"),
        d => d,
    };
    let wal_flag = s.flag_str("wal-dir");
    let wal_dir = if wal_flag.is_empty() {
        Path::new(&data_dir)
            .join("member")
            .join("wal")
            .display()
            .to_string()
    } else {
        wal_flag.clone()
    };
    let fail = |msg: String| Failure::Exit(EXIT_ERROR, msg);
    let peers = s.flag_str("initial-advertise-peer-urls");
    let peer_urls: Vec<String> = peers.split(',').map(str::to_string).collect();
    let peer_urls = member_ids::parse_urls(&peer_urls).map_err(fail)?;
    let cluster = member_ids::parse_cluster(&s.flag_str("initial-cluster")).map_err(fail)?;
    member_ids::verify_bootstrap(&name, &peer_urls, &cluster).map_err(fail)?;
    if Path::new(&data_dir).exists() {
        return Err(fail(format!("data-dir {} exists", go_q(&data_dir))));
    }
    if !wal_flag.is_empty() && Path::new(&wal_dir).exists() {
        return Err(fail(format!("wal-dir {} exists", go_q(&wal_dir))));
    }
    let snap_dir = Path::new(&data_dir)
        .join("member")
        .join("snap")
        .display()
        .to_string();
    let where_fields = [
        ("path", q(&file)),
        ("wal-dir", q(&wal_dir)),
        ("data-dir", q(&data_dir)),
        ("snap-dir", q(&snap_dir)),
    ];
    log_line(
        s.ctx.stderr,
        "snapshot/v3_snapshot.go:296",
        "restoring snapshot",
        &where_fields,
    );
    let skip = s.flag_bool("skip-hash-check");
    let checked = snap::check(Path::new(&file), skip).map_err(|e| fail(e.to_string()))?;
    // Every table read once before anything is written: a damaged file restores nothing.
    checked.status().map_err(|e| fail(e.to_string()))?;
    write_data_dir(&checked, Path::new(&data_dir), &wal_flag)
        .map_err(|e| fail(format!("restore into {data_dir}: {e}")))?;
    let token = s.flag_str("initial-cluster-token");
    let (cluster_id, members) = member_ids::ids(&cluster, &token);
    for (id, urls) in members {
        let urls: Vec<String> = urls.iter().map(|u| q(u)).collect();
        log_line(
            s.ctx.stderr,
            "membership/cluster.go:392",
            "added member",
            &[
                ("cluster-id", q(&format!("{cluster_id:x}"))),
                ("local-member-id", q("0")),
                ("added-peer-id", q(&format!("{id:x}"))),
                ("added-peer-peer-urls", format!("[{}]", urls.join(","))),
            ],
        );
    }
    log_line(
        s.ctx.stderr,
        "snapshot/v3_snapshot.go:309",
        "restored snapshot",
        &where_fields,
    );
    Ok(())
}

/// Lays out `DIR/member/snap/db` (the store file) and `DIR/member/wal/` in a sibling
/// directory, syncs them, then renames it to `DIR`: a data dir appears whole or not at all.
/// kubelite's store commits durably into its file and keeps no WAL, so the wal dir is empty.
fn write_data_dir(
    checked: &snap::CheckedSnapshot,
    data_dir: &Path,
    wal_flag: &str,
) -> std::io::Result<()> {
    let parent = match data_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)?;
    let leaf = data_dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "data".into());
    let staging = parent.join(format!(".{leaf}.restoring-{}", std::process::id()));
    let built = (|| {
        let snap_dir = staging.join("member").join("snap");
        std::fs::create_dir_all(&snap_dir)?;
        if wal_flag.is_empty() {
            std::fs::create_dir_all(staging.join("member").join("wal"))?;
        }
        checked.copy_db_to(&snap_dir.join("db"))?;
        sync_dir(&snap_dir)?;
        sync_dir(&staging.join("member"))?;
        sync_dir(&staging)?;
        std::fs::rename(&staging, data_dir)?;
        sync_dir(&parent)
    })();
    if built.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
        return built;
    }
    if !wal_flag.is_empty() {
        std::fs::create_dir_all(wal_flag)?;
    }
    Ok(())
}
