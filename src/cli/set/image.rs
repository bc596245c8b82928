//! `set image`: change the images of a workload's containers.

use crate::api::options::{PatchType, WriteOptions};
use crate::cli::errors::CliError;
use crate::cli::targets;
use crate::cli::{GlobalFlags, Io};
use crate::client::Client;
use clap::Args;
use serde_json::{Map, Value, json};

#[derive(Args, Debug)]
pub struct ImageArgs {
    /// (TYPE NAME | TYPE/NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ...
    pub args: Vec<String>,
}

/// kubectl's checks of a `set image` command line before anything is requested: how the
/// objects are named (kubectl checks the image updates only once it has read them).
pub fn validate(image: &ImageArgs) -> Result<(), CliError> {
    let resources: Vec<String> = image
        .args
        .iter()
        .filter(|a| !a.contains('='))
        .cloned()
        .collect();
    crate::cli::arg_rules::Naming {
        args: &resources,
        ..Default::default()
    }
    .check_required()
}

/// Runs a validated `set image`.
pub fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    image: &ImageArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let (resources, pairs): (Vec<String>, Vec<String>) =
        image.args.iter().cloned().partition(|a| !a.contains('='));
    if pairs.is_empty() {
        return Err(CliError::message("at least one image update is required"));
    }
    let updates: Vec<(String, String)> = pairs
        .iter()
        .map(|p| {
            let (c, i) = p.split_once('=').unwrap_or((p, ""));
            (c.to_string(), i.to_string())
        })
        .collect();
    let ns = global.namespace();
    for target in targets::resolve(client, global, &resources)? {
        for name in &target.names {
            let original = crate::cli::builder_read::get(
                client,
                crate::cli::builder_read::Reader::Typed,
                target.resource,
                Some(ns),
                name,
            )?;
            let spec_path = if target.resource.kind == "Pod" {
                "/spec"
            } else {
                "/spec/template/spec"
            };
            let mut obj = original.clone();
            let changed = set_images(&mut obj, spec_path, &updates)?;
            // kubectl sends (and reports) nothing when the images are already these.
            if changed {
                // A strategic merge patch of the changed containers, as kubectl sends it:
                // it carries no resourceVersion, so a controller's concurrent write to the
                // object is no conflict.
                let patch = image_patch(&original, &obj, spec_path);
                let opts = WriteOptions {
                    field_manager: Some("kubectl-set".to_string()),
                    ..WriteOptions::default()
                };
                client.patch_typed(
                    target.resource,
                    Some(ns),
                    name,
                    PatchType::Strategic,
                    &patch,
                    &opts,
                )?;
                let _ = writeln!(
                    io.out,
                    "{}/{name} image updated",
                    target.resource.qualified_singular()
                );
            }
        }
    }
    Ok(0)
}

/// The containers (by name, the lists' merge key) whose image differs between `original`
/// and `changed`, nested at `spec_path`.
fn image_patch(original: &Value, changed: &Value, spec_path: &str) -> Value {
    let mut spec = Map::new();
    for list in ["initContainers", "containers"] {
        let before = original.pointer(&format!("{spec_path}/{list}"));
        let after = changed
            .pointer(&format!("{spec_path}/{list}"))
            .and_then(Value::as_array);
        let items: Vec<Value> = after
            .into_iter()
            .flatten()
            .enumerate()
            .filter(|(i, c)| {
                before.and_then(|b| b.get(*i)).map(|b| &b["image"]) != Some(&c["image"])
            })
            .map(|(_, c)| json!({"name": c["name"], "image": c["image"]}))
            .collect();
        if !items.is_empty() {
            // The strategic merge patch keeps the list's order with this directive.
            let order: Vec<Value> = after
                .into_iter()
                .flatten()
                .map(|c| json!({"name": c["name"]}))
                .collect();
            spec.insert(format!("$setElementOrder/{list}"), Value::Array(order));
            spec.insert(list.to_string(), Value::Array(items));
        }
    }
    let mut patch = Value::Object(spec);
    for key in spec_path.trim_start_matches('/').split('/').rev() {
        patch = json!({ key: patch });
    }
    patch
}

/// Applies `container=image` pairs (`*` for every container); whether anything changed.
fn set_images(
    obj: &mut Value,
    spec_path: &str,
    updates: &[(String, String)],
) -> Result<bool, CliError> {
    let spec = obj
        .pointer_mut(spec_path)
        .ok_or_else(|| CliError::message("the object has no pod template"))?;
    let mut changed = false;
    for (container, image) in updates {
        let mut found = false;
        for list in ["initContainers", "containers"] {
            for c in spec
                .get_mut(list)
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                if container == "*" || c["name"] == container.as_str() {
                    found = true;
                    if c["image"] != image.as_str() {
                        c["image"] = Value::String(image.clone());
                        changed = true;
                    }
                }
            }
        }
        if !found {
            return Err(CliError::message(format!(
                "unable to find container named \"{container}\""
            )));
        }
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_patch_names_only_the_changed_containers() {
        let original = json!({"spec": {"template": {"spec": {
            "initContainers": [{"name": "init", "image": "busybox"}],
            "containers": [{"name": "a", "image": "nginx:1.25"}, {"name": "b", "image": "redis"}]
        }}}});
        let mut changed = original.clone();
        let updates = [("a".to_string(), "nginx:1.26".to_string())];
        assert!(set_images(&mut changed, "/spec/template/spec", &updates).expect("found"));
        assert_eq!(
            image_patch(&original, &changed, "/spec/template/spec"),
            json!({"spec": {"template": {"spec": {
                "$setElementOrder/containers": [{"name": "a"}, {"name": "b"}],
                "containers": [{"name": "a", "image": "nginx:1.26"}]
            }}}})
        );
        let pod = json!({"spec": {"containers": [{"name": "c", "image": "x"}]}});
        let mut changed = pod.clone();
        let every = [("*".to_string(), "y".to_string())];
        assert!(set_images(&mut changed, "/spec", &every).expect("found"));
        assert_eq!(
            image_patch(&pod, &changed, "/spec"),
            json!({"spec": {"$setElementOrder/containers": [{"name": "c"}], "containers": [{"name": "c", "image": "y"}]}})
        );
    }
}
