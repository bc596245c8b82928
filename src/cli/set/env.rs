//! `set env`: set, remove or list the environment variables of pod templates' containers,
//! from `KEY=VALUE` arguments or from the keys of a ConfigMap or Secret.

use super::objects::{self, Choose, Words, Write};
use crate::api::quantity::Quantity;
use crate::api::registry;
use crate::cli::errors::CliError;
use crate::cli::selected::Item;
use crate::cli::{GlobalFlags, Io, targets};
use crate::client::Client;
use clap::Args;
use serde_json::{Value, json};

#[derive(Args, Debug)]
pub struct EnvArgs {
    /// (-f FILENAME | TYPE NAME | TYPE/NAME) KEY_1=VAL_1 ... KEY_N=VAL_N
    pub args: Vec<String>,
    /// The names of containers to change, a glob pattern.
    #[arg(short = 'c', long = "containers", default_value = "*")]
    pub containers: String,
    /// A variable to set, KEY=VALUE (repeatable).
    #[arg(short = 'e', long = "env")]
    pub env: Vec<String>,
    /// A ConfigMap or Secret whose keys become variables: configmap/NAME or secret/NAME.
    #[arg(long)]
    pub from: Option<String>,
    /// What to put before the names of the variables taken from --from.
    #[arg(long, default_value = "")]
    pub prefix: String,
    /// Only these keys of --from (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub keys: Vec<String>,
    /// Print the variables of each container instead of changing them.
    #[arg(long)]
    pub list: bool,
    /// With --list, print the values taken from ConfigMaps and Secrets.
    #[arg(long)]
    pub resolve: bool,
    /// Replace variables that already have another value (false refuses to).
    #[arg(long, default_value = "true", action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub overwrite: bool,
    /// Selector (label query) to filter on.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    #[command(flatten)]
    pub choose: Choose,
    #[command(flatten)]
    pub write: Write,
}

/// The requested change: variables to set, in order, and names to remove.
struct Change {
    set: Vec<Value>,
    remove: Vec<String>,
}

/// Splits resources from `KEY=VALUE` / `KEY-` arguments.
fn split(args: &[String]) -> (Vec<String>, Vec<String>) {
    args.iter().cloned().partition(|a| {
        let pair = (a.contains('=') && !a.starts_with('=')) || (a.ends_with('-') && a != "-");
        !pair
    })
}

/// Whether `name` may be an environment variable's name.
fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '-' | '.' | '_'))
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
}

fn parse_literals(pairs: &[String]) -> Result<Change, CliError> {
    let mut change = Change {
        set: Vec::new(),
        remove: Vec::new(),
    };
    for p in pairs {
        if let Some((k, v)) = p.split_once('=') {
            if !valid_name(k) {
                return Err(CliError::message(format!(
                    "{k:?} is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"
                )));
            }
            change.set.retain(|e| e["name"] != k);
            change.set.push(json!({"name": k, "value": v}));
        } else if let Some(k) = p.strip_suffix('-') {
            change.remove.push(k.to_string());
        }
    }
    if change
        .remove
        .iter()
        .any(|r| change.set.iter().any(|e| e["name"] == r.as_str()))
    {
        return Err(CliError::message(
            "can not both modify and remove the same environment variable in the same command",
        ));
    }
    Ok(change)
}

/// kubectl's checks before anything is requested.
pub fn validate(args: &EnvArgs) -> Result<(), CliError> {
    crate::cli::dry_run::DryRun::parse(&args.write.dry_run)?;
    if args.list && args.write.output.is_some() {
        return Err(CliError::message(
            "--list and --output may not be specified together",
        ));
    }
    if !args.keys.is_empty() && args.from.is_none() {
        return Err(CliError::message(
            "when specifying --keys, a configmap or secret must be provided with --from",
        ));
    }
    let (_, pairs) = split(&args.args);
    let mut all = pairs;
    all.extend(args.env.iter().cloned());
    parse_literals(&all).map(|_| ())
}

/// A key of a ConfigMap or Secret as a variable name: upper case, other characters `_`.
fn key_to_name(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// The variables that reference the keys of `--from`.
fn from_source(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &EnvArgs,
    from: &str,
    io: &mut Io,
) -> Result<Vec<Value>, CliError> {
    let found = targets::resolve(client, global, &[from.to_string()])?;
    let mut vars = Vec::new();
    for t in found {
        let (field, reference) = match t.resource.kind {
            "ConfigMap" => ("data", "configMapKeyRef"),
            "Secret" => ("data", "secretKeyRef"),
            _ => {
                return Err(CliError::message(
                    "unsupported resource specified in --from",
                ));
            }
        };
        for name in &t.names {
            let obj = client.get(t.resource, Some(global.namespace()), name)?;
            // kubectl walks a Go map here, so its order is random; key order is ours.
            let keys = obj.get(field).and_then(Value::as_object);
            for key in keys.into_iter().flat_map(|m| m.keys()) {
                if !args.keys.is_empty() && !args.keys.contains(key) {
                    continue;
                }
                let var = key_to_name(key);
                if var != *key {
                    let _ = writeln!(io.err, "Warning: key {key} transferred to {var}");
                }
                vars.push(json!({
                    "name": format!("{}{var}", args.prefix),
                    "valueFrom": {reference: {"key": key, "name": name}}
                }));
            }
        }
    }
    Ok(vars)
}

/// Runs a validated `set env`.
pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &EnvArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let (resources, mut pairs) = split(&args.args);
    pairs.extend(args.env.iter().cloned());
    let mut change = parse_literals(&pairs)?;
    if let Some(from) = &args.from {
        let mut vars = from_source(client, global, args, from, io)?;
        vars.append(&mut change.set);
        change.set = vars;
    }
    let selection = objects::selection(&args.choose, args.selector.as_deref(), &resources);
    if args.list {
        return list(client, global, args, &selection, io);
    }
    let words = Words {
        done: "env updated",
        always: false,
        failed: Some("failed to patch env update to pod template: "),
    };
    objects::each(
        client,
        global,
        &selection,
        &args.write,
        &words,
        io,
        |item, obj, io| edit(item, obj, args, &change, io),
    )
}

fn edit(
    item: &Item,
    obj: &mut Value,
    args: &EnvArgs,
    change: &Change,
    io: &mut Io,
) -> Result<(), CliError> {
    let spec = objects::pod_spec(item, obj)?;
    let containers = objects::picked(spec, &args.containers);
    if containers.is_empty() {
        let _ = writeln!(
            io.err,
            "Warning: {}/{} does not have any containers matching {:?}",
            item.resource.kind, item.name, args.containers
        );
        return Ok(());
    }
    for c in containers {
        let existing: Vec<Value> = c["env"].as_array().cloned().unwrap_or_default();
        if !args.overwrite {
            for e in &change.set {
                let old = existing.iter().find(|x| x["name"] == e["name"]);
                let value = |v: &Value| v["value"].as_str().unwrap_or("").to_string();
                if let Some(old) = old.filter(|o| value(o) != value(e)) {
                    return Err(objects::named(
                        item,
                        &format!(
                            "'{}' already has a value ({}), and --overwrite is false",
                            old["name"].as_str().unwrap_or(""),
                            value(old)
                        ),
                    ));
                }
            }
        }
        let env = updated(&existing, change);
        if let Value::Object(m) = c {
            if env.is_empty() {
                m.shift_remove("env");
            } else {
                m.insert("env".to_string(), Value::Array(env));
            }
        }
    }
    Ok(())
}

/// The variables after the change: existing ones in place (replaced or removed), new ones
/// at the end.
fn updated(existing: &[Value], change: &Change) -> Vec<Value> {
    let named = |v: &Value, n: &str| v["name"].as_str() == Some(n);
    let mut covered: Vec<String> = change.remove.clone();
    let mut out = Vec::new();
    for e in existing {
        let name = e["name"].as_str().unwrap_or("").to_string();
        if covered.contains(&name) {
            continue;
        }
        match change.set.iter().find(|n| named(n, &name)) {
            Some(newer) => {
                covered.push(name);
                out.push(newer.clone());
            }
            None => out.push(e.clone()),
        }
    }
    for n in &change.set {
        let name = n["name"].as_str().unwrap_or("").to_string();
        if !covered.contains(&name) {
            covered.push(name);
            out.push(n.clone());
        }
    }
    out
}

/// `--list`: each picked container's variables, references as comments (or, with
/// `--resolve`, their values).
fn list(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &EnvArgs,
    selection: &crate::cli::selected::Selection,
    io: &mut Io,
) -> Result<i32, CliError> {
    let mut errors = Vec::new();
    for item in objects::read_all(client, global, selection)? {
        let mut step = || -> Result<(), CliError> {
            let mut obj = item.object.clone();
            let spec = objects::pod_spec(&item, &mut obj)?;
            for c in objects::picked(spec, &args.containers) {
                let _ = writeln!(
                    io.out,
                    "# {} {}, container {}",
                    item.resource.kind,
                    item.name,
                    c["name"].as_str().unwrap_or("")
                );
                for e in c["env"].as_array().into_iter().flatten() {
                    let line = env_line(client, &item, c, e, args.resolve)?;
                    let _ = writeln!(io.out, "{line}");
                }
            }
            Ok(())
        };
        if let Err(e) = step() {
            errors.push(e);
        }
    }
    objects::finish(errors)
}

/// One variable as `--list` prints it.
fn env_line(
    client: &dyn Client,
    item: &Item,
    container: &Value,
    e: &Value,
    resolve: bool,
) -> Result<String, CliError> {
    let namespace = item.namespace.as_deref();
    let name = e["name"].as_str().unwrap_or("");
    let Some(from) = e.get("valueFrom") else {
        return Ok(format!("{name}={}", e["value"].as_str().unwrap_or("")));
    };
    for (field, kind, plural) in [
        ("configMapKeyRef", "configmap", "configmaps"),
        ("secretKeyRef", "secret", "secrets"),
    ] {
        let Some(r) = from.get(field) else { continue };
        let (source, key) = (
            r["name"].as_str().unwrap_or(""),
            r["key"].as_str().unwrap_or(""),
        );
        if !resolve {
            return Ok(format!("# {name} from {kind} {source}, key {key}"));
        }
        let resource = registry::find(plural)
            .ok_or_else(|| CliError::message(format!("unknown resource {plural}")))?;
        let obj = client.get(resource, namespace, source)?;
        let value = if kind == "secret" {
            let raw = obj["data"][key].as_str().unwrap_or("");
            decode(raw)
        } else {
            obj["data"][key].as_str().unwrap_or("").to_string()
        };
        return Ok(format!("{name}={value}"));
    }
    if let Some(path) = from.pointer("/fieldRef/fieldPath").and_then(Value::as_str) {
        if resolve && let Some(value) = field_value(&item.object, path) {
            return Ok(format!("{name}={value}"));
        }
        return Ok(format!("# {name} from field path {path}"));
    }
    if let Some(r) = from.get("resourceFieldRef") {
        let res = r["resource"].as_str().unwrap_or("");
        if resolve {
            return Ok(format!("{name}={}", resource_value(container, r)));
        }
        return Ok(
            match r["containerName"].as_str().filter(|c| !c.is_empty()) {
                Some(c) => format!("# {name} from resource field {c}/{res}"),
                None => format!("# {name} from resource field {res}"),
            },
        );
    }
    Ok(format!("# {name} from unknown source"))
}

/// The object's field a `fieldRef` names (`metadata.name`, `metadata.labels['k']`, ...).
fn field_value(obj: &Value, path: &str) -> Option<String> {
    let meta = &obj["metadata"];
    let value = match path {
        "metadata.name" | "metadata.namespace" | "metadata.uid" => {
            meta[&path["metadata.".len()..]].clone()
        }
        _ => {
            let (map, key) = path
                .strip_prefix("metadata.labels['")
                .map(|k| ("labels", k))
                .or_else(|| {
                    path.strip_prefix("metadata.annotations['")
                        .map(|k| ("annotations", k))
                })?;
            meta[map][key.strip_suffix("']")?].clone()
        }
    };
    Some(value.as_str().unwrap_or("").to_string())
}

/// A container's request or limit a `resourceFieldRef` names, in units of its divisor
/// (rounded up; a zero divisor is 1), as the kubelet works it out.
fn resource_value(container: &Value, r: &Value) -> String {
    let res = r["resource"].as_str().unwrap_or("");
    let Some((kind, name)) = res.split_once('.') else {
        return String::new();
    };
    let q = |v: &Value| v.as_str().and_then(|t| Quantity::parse(t).ok());
    let have = q(&container["resources"][kind][name]).unwrap_or_default();
    let divisor = q(&r["divisor"]).filter(|d| !d.is_zero());
    let value = if name == "cpu" {
        let d = divisor.map_or(1000, |d| d.milli_value()).max(1);
        (have.milli_value() + d - 1).div_euclid(d)
    } else {
        let d = divisor.map_or(1, |d| d.value()).max(1);
        (have.value() + d - 1).div_euclid(d)
    };
    value.to_string()
}

/// A Secret's base64 value as text.
fn decode(raw: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(raw)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_variables_go_last_and_replaced_ones_stay_in_place() {
        let existing = vec![
            json!({"name": "A", "value": "1"}),
            json!({"name": "B", "value": "2"}),
        ];
        let change = Change {
            set: vec![
                json!({"name": "C", "value": "3"}),
                json!({"name": "A", "value": "9"}),
            ],
            remove: vec!["B".to_string()],
        };
        assert_eq!(
            updated(&existing, &change),
            vec![
                json!({"name": "A", "value": "9"}),
                json!({"name": "C", "value": "3"})
            ]
        );
        assert_eq!(key_to_name("y.z-1"), "Y_Z_1");
        assert!(valid_name("my.env-name") && !valid_name("1X") && !valid_name(""));
    }
}
