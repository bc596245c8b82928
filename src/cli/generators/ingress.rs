//! `create ingress`: an Ingress from `--rule=host/path=service:port[,tls[=secret]]` (a
//! trailing `*` on the path makes it a prefix), `--class`, `--default-backend` and
//! `--annotation`. Rules of one host share it; TLS entries are grouped by secret.

use super::Common;
use super::objects::metadata;
use clap::Args;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

#[derive(Args, Debug)]
pub struct IngressArgs {
    /// NAME
    pub names: Vec<String>,
    /// Ingress Class to be used
    #[arg(long, default_value = "")]
    pub class: String,
    /// Rule in format host/path=service:port[,tls=secretname]. Paths containing the leading character '*' are considered pathType=Prefix. tls argument is optional.
    #[arg(long = "rule")]
    pub rules: Vec<String>,
    /// Default service for backend, in format of svcname:port
    #[arg(long, default_value = "")]
    pub default_backend: String,
    /// Annotation to insert in the ingress object, in the format annotation=value
    #[arg(long = "annotation")]
    pub annotations: Vec<String>,
    #[command(flatten)]
    pub common: Common,
}

fn word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// `name:port` at the start of `s`, both of letters, digits, `_` or `-`.
fn service_prefix(s: &str) -> bool {
    let name_len = s.chars().take_while(|c| word_char(*c)).count();
    name_len > 0
        && s[name_len..]
            .strip_prefix(':')
            .and_then(|rest| rest.chars().next())
            .is_some_and(word_char)
}

/// kubectl's rule check: a host of name characters, `/`, then somewhere on that line
/// `=service:port` (what follows is not checked).
fn rule_shape(rule: &str) -> bool {
    let Some((host, rest)) = rule.split_once('/') else {
        return false;
    };
    if !host.chars().all(|c| word_char(c) || c == '*' || c == '.') {
        return false;
    }
    let line = rest.split('\n').next().unwrap_or("");
    line.match_indices('=')
        .any(|(i, _)| service_prefix(&line[i + 1..]))
}

fn invalid_rule(rule: &str) -> String {
    format!(
        "rule {rule} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]"
    )
}

impl IngressArgs {
    /// kubectl's checks, in its order.
    pub fn check(&self) -> Result<(), String> {
        if self.default_backend.is_empty() && self.rules.is_empty() {
            return Err("not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)".into());
        }
        if let Some(rule) = self.rules.iter().find(|r| !rule_shape(r)) {
            return Err(invalid_rule(rule));
        }
        if let Some(a) = self.annotations.iter().find(|a| !a.contains('=')) {
            return Err(format!(
                "annotation {a} is invalid and should be in format key=[value]"
            ));
        }
        if !self.default_backend.is_empty() && self.default_backend.split(':').count() != 2 {
            return Err("default-backend should be in format servicename:serviceport".into());
        }
        Ok(())
    }
}

/// A service backend from `name:port`; a port that is a number (in int32) is a number,
/// else a port name. A zero number and an empty name are left out, as Go leaves them.
fn backend(service: &str) -> Option<Value> {
    let mut parts = service.split(':');
    let name = parts.next()?;
    let port = parts.next()?;
    let mut p = Map::new();
    match port.parse::<i32>() {
        Ok(0) => {}
        Ok(n) => {
            p.insert("number".into(), json!(n));
        }
        Err(_) if port.is_empty() => {}
        Err(_) => {
            p.insert("name".into(), json!(port));
        }
    }
    Some(json!({ "service": { "name": name, "port": Value::Object(p) } }))
}

/// One rule's host and path entry; `None` for what kubectl's shape check lets through but
/// cannot build (kubectl itself crashes on it).
fn path_of(rule: &str) -> Option<(String, Value)> {
    let before_tls = rule.split(',').next()?;
    let (host, rest) = before_tls.split_once('/')?;
    let mut parts = rest.split('=');
    let mut path = format!("/{}", parts.next()?);
    let backend = backend(parts.next()?)?;
    let mut path_type = "Exact";
    if let Some(p) = path.strip_suffix('*') {
        path = p.to_string();
        path_type = "Prefix";
    }
    let entry = json!({ "path": path, "pathType": path_type, "backend": backend });
    Some((host.to_string(), entry))
}

/// TLS entries: for each rule with exactly one `,`, its host once, joined to the entry of
/// the same secret if there is one.
fn tls(rules: &[String]) -> Vec<(Vec<String>, String)> {
    let mut out: Vec<(Vec<String>, String)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for rule in rules {
        let parts: Vec<&str> = rule.split(',').collect();
        let [_, tls] = parts[..] else { continue };
        let host = rule.split('/').next().unwrap_or("").to_string();
        let secret = tls.split('=').nth(1).unwrap_or("").to_string();
        if !seen.insert(host.clone()) {
            continue;
        }
        if let Some(entry) = out.iter_mut().find(|(_, s)| *s == secret) {
            entry.0.push(host);
            continue;
        }
        let hosts = if host.is_empty() { vec![] } else { vec![host] };
        if !secret.is_empty() || !hosts.is_empty() {
            out.push((hosts, secret));
        }
    }
    out
}

pub fn build(a: &IngressArgs, name: &str, namespace: Option<&str>) -> Result<Value, String> {
    let mut meta = metadata(name, namespace, None);
    let annotations: BTreeMap<&str, &str> = a
        .annotations
        .iter()
        .filter_map(|x| x.split_once('='))
        .collect();
    if !annotations.is_empty() {
        meta["annotations"] = json!(annotations);
    }
    let mut spec = Map::new();
    if !a.class.is_empty() {
        spec.insert("ingressClassName".into(), json!(a.class));
    }
    if !a.default_backend.is_empty() {
        let b = backend(&a.default_backend)
            .ok_or("default-backend should be in format servicename:serviceport")?;
        spec.insert("defaultBackend".into(), b);
    }
    let tls: Vec<Value> = tls(&a.rules)
        .into_iter()
        .map(|(hosts, secret)| {
            let mut t = Map::new();
            if !hosts.is_empty() {
                t.insert("hosts".into(), json!(hosts));
            }
            if !secret.is_empty() {
                t.insert("secretName".into(), json!(secret));
            }
            Value::Object(t)
        })
        .collect();
    if !tls.is_empty() {
        spec.insert("tls".into(), json!(tls));
    }
    let mut rules: Vec<(String, Vec<Value>)> = Vec::new();
    for rule in &a.rules {
        let (host, path) = path_of(rule).ok_or_else(|| invalid_rule(rule))?;
        match rules.iter_mut().find(|(h, _)| *h == host) {
            Some((_, paths)) => paths.push(path),
            None => rules.push((host, vec![path])),
        }
    }
    if !rules.is_empty() {
        let rules: Vec<Value> = rules
            .into_iter()
            .map(|(host, paths)| {
                let mut r = Map::new();
                if !host.is_empty() {
                    r.insert("host".into(), json!(host));
                }
                r.insert("http".into(), json!({ "paths": paths }));
                Value::Object(r)
            })
            .collect();
        spec.insert("rules".into(), json!(rules));
    }
    Ok(json!({
        "kind": "Ingress",
        "apiVersion": "networking.k8s.io/v1",
        "metadata": meta,
        "spec": Value::Object(spec),
        "status": { "loadBalancer": {} }
    }))
}
