//! `/healthz`, `/livez` and `/readyz`, answered as kube-apiserver answers them: `ok` when
//! every check passes, else 500 with one `[+]`/`[-]` line per check (reasons withheld, as
//! kube does; the server's log has them). `?verbose` lists the checks on success too, and
//! `/readyz/<check>` asks for one check.

use super::control::Control;

/// The checks every endpoint runs; the control plane's failing components come after them.
const CHECKS: [&str; 3] = ["ping", "etcd", "control-plane"];

/// The status and body for `path` (`/readyz`, `/livez/etcd`, ...).
pub fn answer(control: &Control, path: &str, verbose: bool) -> (u16, String) {
    let mut parts = path.trim_matches('/').splitn(2, '/');
    let endpoint = parts.next().unwrap_or("healthz");
    let only = parts.next().filter(|c| !c.is_empty());
    let failed = control.failed_checks(endpoint == "readyz");
    let mut checks: Vec<(String, bool)> = CHECKS
        .iter()
        .map(|c| (c.to_string(), !failed.iter().any(|(f, _)| f == c)))
        .collect();
    for (name, _) in &failed {
        if !CHECKS.contains(&name.as_str()) {
            checks.push((name.clone(), false));
        }
    }
    if let Some(one) = only {
        return match checks.iter().find(|(name, _)| name == one) {
            Some((_, true)) => (200, "ok".to_string()),
            Some((_, false)) => (500, "internal server error: reason withheld\n".to_string()),
            None => (404, "404 page not found\n".to_string()),
        };
    }
    let all_ok = checks.iter().all(|(_, ok)| *ok);
    if all_ok && !verbose {
        return (200, "ok".to_string());
    }
    let mut body = String::new();
    for (name, ok) in &checks {
        if *ok {
            body.push_str(&format!("[+]{name} ok\n"));
        } else {
            body.push_str(&format!("[-]{name} failed: reason withheld\n"));
        }
    }
    let verdict = if all_ok { "passed" } else { "failed" };
    body.push_str(&format!("{endpoint} check {verdict}\n"));
    (if all_ok { 200 } else { 500 }, body)
}
