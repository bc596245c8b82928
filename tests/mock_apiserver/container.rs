//! A container with files, for `cp`: the mock's exec plays the parts of `tar cf -`,
//! `test -d` and `tar -xmf - -C DIR` (the commands kubectl cp runs) on an in-memory file
//! tree, over the WebSocket (v5.channel.k8s.io) session, reading the client's stdin.

use super::http::Request;
use super::websocket::{channel_frame, close_frame, exit_status, read_client_frame};
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

/// Absolute path → contents; a directory is any prefix of a path (or an entry ending in
/// `/`, for an empty one).
pub type Files = Arc<Mutex<BTreeMap<String, Vec<u8>>>>;

/// Every `command` parameter of the exec request, in order.
pub fn commands(req: &Request) -> Vec<String> {
    let query = req.target.split_once('?').map(|(_, q)| q).unwrap_or("");
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .filter(|(k, _)| *k == "command")
        .map(|(_, v)| super::http::decode(v))
        .collect()
}

fn absolute(p: &str) -> String {
    let p = if p.starts_with('/') {
        p.to_string()
    } else {
        format!("/{p}")
    };
    let trimmed = p.trim_end_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        trimmed.to_string()
    }
}

fn is_dir(files: &BTreeMap<String, Vec<u8>>, p: &str) -> bool {
    let p = absolute(p);
    let under = if p == "/" { p } else { format!("{p}/") };
    files.keys().any(|k| k.starts_with(&under))
}

/// Runs the session of one exec on the upgraded connection.
pub fn session(
    files: &Files,
    command: &[String],
    out: &mut dyn Write,
    input: &mut dyn std::io::Read,
) {
    let send = |out: &mut dyn Write, ch: u8, data: &[u8]| {
        let _ = out.write_all(&channel_frame(ch, data));
        let _ = out.flush();
    };
    // As a real server does (and serve): kubectl sets its streams up only after the
    // upgrade, and drops frames that come before (kubectl-wire.md 5.4).
    std::thread::sleep(std::time::Duration::from_millis(50));
    let words: Vec<&str> = command.iter().map(String::as_str).collect();
    let code = match words.as_slice() {
        ["test", "-d", p] => i32::from(!is_dir(&files.lock().unwrap(), p)),
        ["tar", "cf", "-", p] => {
            let files = files.lock().unwrap().clone();
            let path = absolute(p);
            if p.starts_with('/') {
                send(out, 2, b"tar: Removing leading `/' from member names\n");
            }
            let name = path.trim_start_matches('/').to_string();
            let mut b = tar::Builder::new(Vec::new());
            let mut found = false;
            for (k, v) in &files {
                let rel = if *k == path {
                    name.clone()
                } else if let Some(rest) = k.strip_prefix(&format!("{path}/")) {
                    format!("{name}/{rest}")
                } else {
                    continue;
                };
                found = true;
                let mut h = tar::Header::new_gnu();
                if rel.ends_with('/') {
                    h.set_entry_type(tar::EntryType::Directory);
                    h.set_size(0);
                    h.set_mode(0o755);
                } else {
                    h.set_size(v.len() as u64);
                    h.set_mode(0o644);
                }
                h.set_mtime(1_764_374_400);
                h.set_cksum();
                b.append_data(&mut h, &rel, v.as_slice()).unwrap();
            }
            // GNU tar's order: a missing name is reported before the archive ends, the
            // failure after.
            if !found {
                let message = format!("tar: {p}: Cannot stat: No such file or directory\n");
                send(out, 2, message.as_bytes());
            }
            let data = b.into_inner().unwrap();
            for chunk in data.chunks(16 * 1024) {
                send(out, 1, chunk);
            }
            if found {
                0
            } else {
                send(
                    out,
                    2,
                    b"tar: Exiting with failure status due to previous errors\n",
                );
                2
            }
        }
        ["tar", rest @ ..] if rest.contains(&"-xmf") => {
            let dir = rest
                .iter()
                .position(|w| *w == "-C")
                .and_then(|i| rest.get(i + 1))
                .map_or("/".to_string(), |d| absolute(d));
            let mut stdin = Vec::new();
            while let Some((opcode, payload)) = read_client_frame(input) {
                match (opcode, payload.split_first()) {
                    (0x8, _) => break,
                    (_, Some((0, data))) => stdin.extend_from_slice(data),
                    (_, Some((255, [0]))) => break,
                    _ => {}
                }
            }
            let mut archive = tar::Archive::new(stdin.as_slice());
            let mut files = files.lock().unwrap();
            for entry in archive.entries().unwrap() {
                let mut entry = entry.unwrap();
                let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
                let mut body = Vec::new();
                std::io::Read::read_to_end(&mut entry, &mut body).unwrap();
                let key = if dir == "/" {
                    format!("/{name}")
                } else {
                    format!("{dir}/{name}")
                };
                files.insert(key, body);
            }
            0
        }
        _ => {
            send(
                out,
                2,
                format!("sh: {}: not found\n", words.first().unwrap_or(&"")).as_bytes(),
            );
            127
        }
    };
    send(out, 3, &exit_status(code, command));
    let _ = out.write_all(&close_frame());
    let _ = out.flush();
}

/// An attach to a process that prints `output` and then exits 0.
pub fn attached(out: &mut dyn Write, output: &[u8]) {
    std::thread::sleep(std::time::Duration::from_millis(50));
    let _ = out.write_all(&channel_frame(1, output));
    let _ = out.write_all(&channel_frame(3, &exit_status(0, &[])));
    let _ = out.write_all(&close_frame());
    let _ = out.flush();
}
