//! What a verb's arguments name: `TYPE[,TYPE...] [NAME...]` or `TYPE/NAME ...`, with
//! categories such as `all`. Against a remote server the types are those its discovery
//! lists (CRDs too); the embedded cluster's are the static registry.

use super::GlobalFlags;
use super::discovery;
use super::errors::CliError;
use crate::api::registry::{self, Resource};
use crate::client::Client;

/// One resource type and the names asked for (none: the whole collection).
#[derive(Debug, PartialEq)]
pub struct Target {
    pub resource: &'static Resource,
    pub names: Vec<String>,
}

/// Resolves the positional arguments of get, describe, delete and the other verbs.
pub fn resolve(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &[String],
) -> Result<Vec<Target>, CliError> {
    let catalog = Catalog { client, global };
    resolve_with(&catalog, args)
}

/// Where type names are looked up.
pub trait Types {
    /// The resources a type argument names: one resource, or a category's (`all`).
    fn named(&self, type_name: &str, allow_category: bool) -> Option<Vec<&'static Resource>>;
}

/// The server's discovery when the client has a server, else the static registry.
pub struct Catalog<'a> {
    pub client: &'a dyn Client,
    pub global: &'a GlobalFlags,
}

impl Catalog<'_> {
    /// One resource by name (no categories).
    pub fn resource(&self, type_name: &str) -> Result<&'static Resource, CliError> {
        single_resource(self, type_name)
    }
}

impl Types for Catalog<'_> {
    fn named(&self, type_name: &str, allow_category: bool) -> Option<Vec<&'static Resource>> {
        let Some(found) = discovery::current(self.client, self.global) else {
            return embedded_named(self.client, type_name, allow_category);
        };
        // A discovery failure is reported by the request that follows; name resolution
        // falls back to the built-in resources meanwhile.
        let Ok(d) = found else {
            return Static.named(type_name, allow_category);
        };
        let look = |d: &discovery::Discovery| {
            let category = if allow_category {
                d.category(type_name)
            } else {
                Vec::new()
            };
            if !category.is_empty() {
                return Some(category);
            }
            d.find(type_name).map(|r| vec![r])
        };
        // Unknown to a cached discovery: ask the server once more, as kubectl does.
        look(d).or_else(|| discovery::refresh(self.client, self.global).and_then(look))
    }
}

/// The embedded cluster's resources: the static registry, then its CRDs' (read when a name
/// is not a built-in one, or for a category).
fn embedded_named(
    client: &dyn Client,
    type_name: &str,
    allow_category: bool,
) -> Option<Vec<&'static Resource>> {
    if allow_category {
        let mut category = registry::category(type_name);
        let custom = client.custom_resources();
        category.extend(crate::api::custom::category_in(&custom, type_name));
        if !category.is_empty() {
            return Some(category);
        }
    }
    if let Some(r) = registry::find(type_name) {
        return Some(vec![r]);
    }
    crate::api::custom::find_in(&client.custom_resources(), type_name).map(|r| vec![r])
}

/// The static registry's resources.
pub struct Static;

impl Types for Static {
    fn named(&self, type_name: &str, allow_category: bool) -> Option<Vec<&'static Resource>> {
        let category = if allow_category {
            registry::category(type_name)
        } else {
            Vec::new()
        };
        if !category.is_empty() {
            return Some(category);
        }
        registry::find(type_name).map(|r| vec![r])
    }
}

pub fn resolve_with(types: &dyn Types, args: &[String]) -> Result<Vec<Target>, CliError> {
    let Some(first) = args.first() else {
        return Ok(Vec::new());
    };
    // `TYPE/NAME` anywhere makes it the only form allowed.
    if args.iter().any(|a| a.contains('/')) {
        return resolve_slash_form(types, args);
    }
    let mut targets: Vec<Target> = Vec::new();
    for type_name in first.split(',').filter(|t| !t.is_empty()) {
        for resource in resources_named(types, type_name)? {
            if !targets.iter().any(|t| t.resource == resource) {
                targets.push(Target {
                    resource,
                    names: args[1..].to_vec(),
                });
            }
        }
    }
    Ok(targets)
}

fn resolve_slash_form(types: &dyn Types, args: &[String]) -> Result<Vec<Target>, CliError> {
    let mut targets: Vec<Target> = Vec::new();
    for arg in args {
        let Some((type_name, name)) = arg.split_once('/') else {
            return Err(CliError::message(
                "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'",
            ));
        };
        if name.is_empty() {
            return Err(CliError::message(
                "arguments in resource/name form must have a single resource and name",
            ));
        }
        let resource = single_resource(types, type_name)?;
        match targets.iter_mut().find(|t| t.resource == resource) {
            Some(t) => t.names.push(name.to_string()),
            None => targets.push(Target {
                resource,
                names: vec![name.to_string()],
            }),
        }
    }
    Ok(targets)
}

fn resources_named(types: &dyn Types, type_name: &str) -> Result<Vec<&'static Resource>, CliError> {
    types
        .named(type_name, true)
        .ok_or_else(|| unknown_type(type_name))
}

fn single_resource(types: &dyn Types, type_name: &str) -> Result<&'static Resource, CliError> {
    types
        .named(type_name, false)
        .and_then(|r| r.into_iter().next())
        .ok_or_else(|| unknown_type(type_name))
}

fn unknown_type(type_name: &str) -> CliError {
    CliError::message(format!(
        "the server doesn't have a resource type \"{type_name}\""
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn type_and_names() {
        let t = resolve_with(&Static, &args(&["po", "a", "b"])).unwrap();
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].resource.kind, "Pod");
        assert_eq!(t[0].names, ["a", "b"]);
    }

    #[test]
    fn several_types_and_categories() {
        let t = resolve_with(&Static, &args(&["deploy,svc"])).unwrap();
        assert_eq!(
            t.iter().map(|t| t.resource.kind).collect::<Vec<_>>(),
            ["Deployment", "Service"]
        );
        let all = resolve_with(&Static, &args(&["all"])).unwrap();
        assert_eq!(all[0].resource.kind, "Pod");
    }

    #[test]
    fn slash_form_groups_by_type() {
        let t = resolve_with(&Static, &args(&["pod/a", "svc/b", "pods/c"])).unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].names, ["a", "c"]);
        // A type before `TYPE/NAME` arguments is kubectl's error, not a name "pod/a".
        let e = resolve_with(&Static, &args(&["pod", "b", "pod/a"])).unwrap_err();
        assert!(
            matches!(e, CliError::Message(m) if m.starts_with("there is no need to specify a resource type"))
        );
    }

    #[test]
    fn unknown_type_is_kubectls_error() {
        let e = resolve_with(&Static, &args(&["nope"])).unwrap_err();
        assert!(
            matches!(e, CliError::Message(m) if m == "the server doesn't have a resource type \"nope\"")
        );
    }
}
