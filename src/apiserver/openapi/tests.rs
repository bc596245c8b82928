use super::*;

#[test]
fn every_kind_advertises_field_validation() {
    let doc = group_version("", "v1").expect("core");
    let pod = &doc["paths"]["/api/v1/namespaces/{namespace}/pods/{name}"]["patch"];
    assert_eq!(pod["x-kubernetes-group-version-kind"]["kind"], "Pod");
    assert!(
        pod["parameters"]
            .as_array()
            .expect("params")
            .iter()
            .any(|p| p["name"] == "fieldValidation")
    );
    assert!(doc["paths"]["/api/v1/nodes/{name}"]["patch"].is_object());
    let root = root();
    let url = root["paths"]["apis/apps/v1"]["serverRelativeURL"]
        .as_str()
        .expect("url");
    assert!(url.starts_with("/openapi/v3/apis/apps/v1?hash="), "{url}");
    assert!(group_version("apps", "v9").is_none());
}

#[test]
fn every_served_kind_has_a_schema_with_its_gvk() {
    for r in RESOURCES {
        let doc = group_version(r.group, r.version).expect("served");
        let name = definition_name(r);
        let s = &doc["components"]["schemas"][&name];
        assert_eq!(s["type"], "object", "{name}");
        assert_eq!(
            s["x-kubernetes-group-version-kind"],
            json!([{"group": r.group, "kind": r.kind, "version": r.version}]),
            "{name}"
        );
        for field in ["apiVersion", "kind", "metadata"] {
            assert!(s["properties"][field].is_object(), "{name}.{field}");
        }
    }
}

#[test]
fn every_reference_resolves() {
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    out.push(r.clone());
                }
                m.values().for_each(|c| refs(c, out));
            }
            Value::Array(a) => a.iter().for_each(|c| refs(c, out)),
            _ => {}
        }
    }
    for (g, v) in [("", "v1"), ("apps", "v1"), ("discovery.k8s.io", "v1")] {
        let doc = group_version(g, v).expect("served");
        let mut found = Vec::new();
        refs(&doc, &mut found);
        assert!(!found.is_empty());
        for r in found {
            let name = r.strip_prefix("#/components/schemas/").expect("local");
            assert!(doc["components"]["schemas"][name].is_object(), "{r}");
        }
    }
}

#[test]
fn lists_carry_kubes_merge_extensions() {
    let doc = group_version("", "v1").expect("core");
    let schemas = &doc["components"]["schemas"];
    let containers = &schemas["io.k8s.api.core.v1.PodSpec"]["properties"]["containers"];
    assert_eq!(containers["x-kubernetes-patch-merge-key"], "name");
    assert_eq!(containers["x-kubernetes-patch-strategy"], "merge");
    assert_eq!(containers["x-kubernetes-list-type"], "map");
    assert_eq!(containers["x-kubernetes-list-map-keys"], json!(["name"]));
    let volumes = &schemas["io.k8s.api.core.v1.PodSpec"]["properties"]["volumes"];
    assert_eq!(volumes["x-kubernetes-patch-strategy"], "merge,retainKeys");
    let ports = &schemas["io.k8s.api.core.v1.Container"]["properties"]["ports"];
    assert_eq!(ports["x-kubernetes-patch-merge-key"], "containerPort");
    assert_eq!(
        ports["x-kubernetes-list-map-keys"],
        json!(["containerPort", "protocol"])
    );
    let svc_ports = &schemas["io.k8s.api.core.v1.ServiceSpec"]["properties"]["ports"];
    assert_eq!(svc_ports["x-kubernetes-patch-merge-key"], "port");
    let finalizers =
        &schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]["properties"]["finalizers"];
    assert_eq!(finalizers["x-kubernetes-list-type"], "set");
    assert_eq!(finalizers["x-kubernetes-patch-strategy"], "merge");
    // An atomic list has no merge key.
    let tolerations = &schemas["io.k8s.api.core.v1.PodSpec"]["properties"]["tolerations"];
    assert!(tolerations.get("x-kubernetes-patch-merge-key").is_none());
    assert_eq!(
        schemas["io.k8s.api.core.v1.Container"]["required"],
        json!(["name"])
    );
    let apps = group_version("apps", "v1").expect("apps");
    let strategy = &apps["components"]["schemas"]["io.k8s.api.apps.v1.DeploymentSpec"]["properties"]
        ["strategy"];
    assert_eq!(strategy["x-kubernetes-patch-strategy"], "retainKeys");
}

#[test]
fn no_patch_operation_declares_a_strategic_merge_body() {
    // kubectl computes apply's patch from these schemas only when the PATCH operation
    // declares a strategic-merge-patch body; ours leave it to kubectl's compiled-in types.
    for (g, v) in [("", "v1"), ("apps", "v1")] {
        let doc = group_version(g, v).expect("served");
        for (_, ops) in doc["paths"].as_object().expect("paths") {
            assert!(ops["patch"].get("requestBody").is_none());
        }
    }
}

#[test]
fn every_description_names_a_published_schema_and_field() {
    let docs: Vec<Value> = [
        ("", "v1"),
        ("apps", "v1"),
        ("batch", "v1"),
        ("coordination.k8s.io", "v1"),
        ("discovery.k8s.io", "v1"),
        ("storage.k8s.io", "v1"),
        ("rbac.authorization.k8s.io", "v1"),
        ("networking.k8s.io", "v1"),
        ("node.k8s.io", "v1"),
        ("policy", "v1"),
        ("scheduling.k8s.io", "v1"),
        ("autoscaling", "v2"),
        ("certificates.k8s.io", "v1"),
        ("flowcontrol.apiserver.k8s.io", "v1"),
    ]
    .iter()
    .map(|(g, v)| group_version(g, v).expect("served"))
    .collect();
    for (schema, field, text) in descriptions::TEXT {
        assert!(!text.is_empty() && text.len() < 400, "{schema}.{field}");
        if *schema == "*" {
            continue;
        }
        let found = docs.iter().any(|d| {
            let s = &d["components"]["schemas"][*schema];
            s.is_object() && (field.is_empty() || s["properties"][*field].is_object())
        });
        assert!(found, "{schema}.{field} is described but not published");
    }
}
