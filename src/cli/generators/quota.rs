//! `create quota`: a ResourceQuota from `--hard=resource=quantity,...` and `--scopes=...`.

use super::Common;
use crate::api::quantity::Quantity;
use clap::Args;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

#[derive(Args, Debug)]
pub struct QuotaArgs {
    /// NAME
    pub names: Vec<String>,
    /// Hard limits, as resource=quantity pairs separated by commas.
    #[arg(long, default_value = "")]
    pub hard: String,
    /// Scopes, separated by commas, that an object must all match to count against the quota.
    #[arg(long, default_value = "")]
    pub scopes: String,
    #[command(flatten)]
    pub common: Common,
}

/// kubectl's words for a quantity Go's parser refuses.
const BAD_QUANTITY: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/// `--hard`: each pair split at its only `=`; a later pair for a resource replaces an earlier.
/// Quantities are printed in canonical form, as kubectl's typed object holds them.
fn hard(text: &str) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    if text.is_empty() {
        return Ok(out);
    }
    for pair in text.split(',') {
        let parts: Vec<&str> = pair.split('=').collect();
        let [key, value] = parts[..] else {
            return Err(format!(
                "Invalid argument syntax {pair}, expected <resource>=<value>"
            ));
        };
        // Go's parser takes no surrounding space; kubelite's own trims it.
        if value.trim() != value {
            return Err(BAD_QUANTITY.into());
        }
        let q = Quantity::parse(value).map_err(|_| BAD_QUANTITY.to_string())?;
        out.insert(key.to_string(), q.to_string());
    }
    Ok(out)
}

/// `--scopes`: any non-empty names, kept as written; the server judges them.
fn scopes(text: &str) -> Result<Vec<String>, String> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    text.split(',')
        .map(|s| {
            if s.is_empty() {
                Err("invalid resource quota scope \"\"".to_string())
            } else {
                Ok(s.to_string())
            }
        })
        .collect()
}

/// The ResourceQuota, in the field order of kubectl's typed object.
pub fn build(a: &QuotaArgs, name: &str, namespace: Option<&str>) -> Result<Value, String> {
    let hard = hard(&a.hard)?;
    let scopes = scopes(&a.scopes)?;
    let mut spec = Map::new();
    if !hard.is_empty() {
        spec.insert("hard".into(), json!(hard));
    }
    if !scopes.is_empty() {
        spec.insert("scopes".into(), json!(scopes));
    }
    Ok(json!({
        "kind": "ResourceQuota",
        "apiVersion": "v1",
        "metadata": super::objects::metadata(name, namespace, None),
        "spec": Value::Object(spec),
        "status": {}
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hard_limits_are_canonical_and_the_last_pair_wins() {
        let h = hard("memory=1024Mi,cpu=1000m,cpu=0.5").unwrap();
        assert_eq!(
            h.into_iter().collect::<Vec<_>>(),
            [
                ("cpu".to_string(), "500m".to_string()),
                ("memory".to_string(), "1Gi".to_string())
            ]
        );
        assert!(
            hard("cpu")
                .unwrap_err()
                .starts_with("Invalid argument syntax cpu,")
        );
        assert_eq!(hard("cpu= 1").unwrap_err(), BAD_QUANTITY);
        assert_eq!(
            scopes("a,,b").unwrap_err(),
            "invalid resource quota scope \"\""
        );
    }
}
