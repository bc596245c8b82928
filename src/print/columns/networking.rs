//! networking.k8s.io/v1: Ingresses, IngressClasses and NetworkPolicies.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::common::*;

/// How many hosts the Hosts cell names before `+ N more...`.
const MAX_HOSTS: usize = 3;
pub fn ingress_columns() -> Vec<Value> {
    vec![
        name_col(),
        string_col(
            "Class",
            "The name of the IngressClass resource that should be used for additional configuration",
        ),
        string_col(
            "Hosts",
            "Hosts that incoming requests are matched against before the ingress rule",
        ),
        string_col(
            "Address",
            "Address is a list containing ingress points for the load-balancer",
        ),
        string_col("Ports", "Ports of TLS configurations that open"),
        age_col(),
    ]
}

pub fn ingress_cells(ing: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let class = field(ing, &["spec", "ingressClassName"])
        .and_then(Value::as_str)
        .unwrap_or("<none>");
    let ports = if array_at(ing, &["spec", "tls"]).is_empty() {
        "80"
    } else {
        "80, 443"
    };
    vec![
        json!(name_of(ing)),
        json!(class),
        json!(hosts(ing)),
        json!(load_balancer(ing)),
        json!(ports),
        json!(creation_age(ing, now)),
    ]
}

/// The rules' hosts, `*` when no rule names one.
fn hosts(ing: &Value) -> String {
    let rules = array_at(ing, &["spec", "rules"]);
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    for rule in rules {
        if list.len() == MAX_HOSTS {
            more = true;
        }
        let host = str_at(rule, &["host"]);
        if !more && !host.is_empty() {
            list.push(host.to_string());
        }
    }
    if list.is_empty() {
        return "*".to_string();
    }
    let shown = list.join(",");
    if more {
        format!("{shown} + {} more...", rules.len() - MAX_HOSTS)
    } else {
        shown
    }
}

/// The load balancer's IPs (or hostnames), sorted and deduplicated as a Go string set.
fn load_balancer(ing: &Value) -> String {
    let mut out: Vec<&str> = array_at(ing, &["status", "loadBalancer", "ingress"])
        .iter()
        .filter_map(|i| {
            let ip = str_at(i, &["ip"]);
            let host = str_at(i, &["hostname"]);
            if !ip.is_empty() {
                Some(ip)
            } else if !host.is_empty() {
                Some(host)
            } else {
                None
            }
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out.join(",")
}

pub fn ingressclass_columns() -> Vec<Value> {
    vec![
        name_col(),
        string_col(
            "Controller",
            "Controller that is responsible for handling this class",
        ),
        string_col(
            "Parameters",
            "A reference to a resource with additional parameters",
        ),
        age_col(),
    ]
}

pub fn ingressclass_cells(ic: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let parameters = match field(ic, &["spec", "parameters"]).filter(|p| p.is_object()) {
        None => "<none>".to_string(),
        Some(p) => {
            let mut text = str_at(p, &["kind"]).to_string();
            if let Some(group) = field(p, &["apiGroup"]).and_then(Value::as_str) {
                text = format!("{text}.{group}");
            }
            format!("{text}/{}", str_at(p, &["name"]))
        }
    };
    vec![
        json!(name_of(ic)),
        json!(str_at(ic, &["spec", "controller"])),
        json!(parameters),
        json!(creation_age(ic, now)),
    ]
}

pub fn networkpolicy_columns() -> Vec<Value> {
    vec![
        name_col(),
        string_col(
            "Pod-Selector",
            "podSelector selects the pods to which this NetworkPolicy object applies. The array of ingress rules is applied to any pods selected by this field. Multiple network policies can select the same set of pods. In this case, the ingress rules for each are combined additively. This field is NOT optional and follows standard label selector semantics. An empty podSelector matches all pods in this namespace.",
        ),
        age_col(),
    ]
}

pub fn networkpolicy_cells(np: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        json!(name_of(np)),
        json!(format_label_selector(field(np, &["spec", "podSelector"]))),
        json!(creation_age(np, now)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ingress_cells_as_kube_prints_them() {
        let ing = json!({"metadata": {"name": "i"}, "spec": {
            "rules": [{"host": "a"}, {}, {"host": "b"}, {"host": "c"}, {"host": "d"}],
            "tls": [{"hosts": ["a"]}]}});
        let cells = ingress_cells(&ing, Utc::now());
        assert_eq!(cells[1], "<none>");
        assert_eq!(cells[2], "a,b,c + 2 more...");
        assert_eq!(cells[4], "80, 443");
        let bare = json!({"metadata": {"name": "i"}, "spec": {"ingressClassName": "nginx"}});
        let cells = ingress_cells(&bare, Utc::now());
        assert_eq!(
            (cells[1].as_str(), cells[2].as_str()),
            (Some("nginx"), Some("*"))
        );
    }

    #[test]
    fn ingressclass_parameters() {
        let ic = json!({"metadata": {"name": "c"}, "spec": {"controller": "x/y",
            "parameters": {"apiGroup": "k8s.example.com", "kind": "P", "name": "p"}}});
        assert_eq!(
            ingressclass_cells(&ic, Utc::now())[2],
            "P.k8s.example.com/p"
        );
    }
}
