//! What kube-apiserver's JSON decoder refuses before anything else looks at an object: a
//! value of the wrong JSON type for its Go field (`labels: 5`, `data: {k: [1]}`) or a
//! number its integer field cannot hold (`replicas: 1.5`, `progressDeadlineSeconds:
//! 9223372036854775807`). kube answers 400 with the decoder's words, e.g.
//! `json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of
//! type int32`: the innermost struct's Go name, the field's JSON path from the object's root
//! (list indexes and map keys are not part of it) and the field's Go type.

use super::schema::{self, Ty};
use serde_json::Value;

/// The Go type of a `[]byte` field.
const BYTES: &str = "[]uint8";

/// The decoder's complaint about the first mistyped value of `obj` (an object of `kind`),
/// in document order, as the decoder keeps only its first.
pub fn type_error(kind: &str, obj: &Value) -> Option<String> {
    if kind == "CustomResourceDefinition" {
        return crd_type_error(obj);
    }
    let (ty, _) = schema::of_kind(kind);
    let Value::Object(m) = obj else { return None };
    m.iter().find_map(|(k, v)| {
        let field = ty.field(k)?;
        check(field.ty, v, kind, k)
    })
}

/// CRDs are not described to server-side apply (their fields merge as undescribed ones), so
/// only their one `[]byte`, the conversion webhook's `caBundle`, is checked.
fn crd_type_error(obj: &Value) -> Option<String> {
    let bundle = obj.pointer("/spec/conversion/webhook/clientConfig/caBundle")?;
    check(
        &Ty::Str(BYTES),
        bundle,
        "WebhookClientConfig",
        "spec.conversion.webhook.clientConfig.caBundle",
    )
}

/// `v` against `ty`; `within` is the Go name of the struct whose field holds it, `path` its
/// JSON path.
fn check(ty: &Ty, v: &Value, within: &str, path: &str) -> Option<String> {
    if v.is_null() {
        // null is every type's zero value.
        return None;
    }
    let refuse = |what: String| {
        let go = ty.go_name()?;
        Some(format!(
            "json: cannot unmarshal {what} into Go struct field {within}.{path} of type {go}"
        ))
    };
    match (ty, v) {
        (Ty::Int32, Value::Number(n)) => {
            let fits = n.as_i64().is_some_and(|i| i32::try_from(i).is_ok());
            (!fits).then(|| refuse(format!("number {n}"))).flatten()
        }
        (Ty::Int64, Value::Number(n)) => (n.as_i64().is_none())
            .then(|| refuse(format!("number {n}")))
            .flatten(),
        // A `[]byte` is base64, and the decoder's complaint is base64's own.
        (Ty::Str(BYTES), Value::String(text)) => crate::go::base64::decode_std(text.as_bytes())
            .err()
            .map(crate::go::base64::corrupt_input),
        (Ty::Bool, Value::Bool(_)) | (Ty::Str(_), Value::String(_)) => None,
        (Ty::Int32 | Ty::Int64 | Ty::Bool | Ty::Str(_), other) => refuse(json_kind(other)),
        (Ty::Struct(go, _), Value::Object(m)) => {
            let name = go.rsplit('.').next().unwrap_or(go);
            m.iter().find_map(|(k, child)| {
                let field = ty.field(k)?;
                check(field.ty, child, name, &format!("{path}.{k}"))
            })
        }
        (Ty::Map(t), Value::Object(m)) => m.values().find_map(|c| check(t, c, within, path)),
        (Ty::List(t) | Ty::Keyed(_, t), Value::Array(items)) => {
            items.iter().find_map(|c| check(t, c, within, path))
        }
        (Ty::Set, Value::Array(items)) => items
            .iter()
            .find_map(|c| check(&Ty::Str("string"), c, within, path)),
        (Ty::Atomic(t), v) => check(t, v, within, path),
        (Ty::Struct(..) | Ty::Map(_) | Ty::List(_) | Ty::Keyed(..) | Ty::Set, other) => {
            refuse(json_kind(other))
        }
        (Ty::Scalar(_) | Ty::Any, _) => None,
    }
}

/// How the decoder names a JSON value it cannot store.
fn json_kind(v: &Value) -> String {
    match v {
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Null => "null",
    }
    .to_string()
}

impl Ty {
    /// The Go type's name as the decoder prints it (`int32`, `[]v1.Container`,
    /// `map[string]string`); None where this schema does not know it.
    pub fn go_name(&self) -> Option<String> {
        match self {
            Ty::Int32 => Some("int32".into()),
            Ty::Int64 => Some("int64".into()),
            Ty::Bool => Some("bool".into()),
            Ty::Str(go) => Some(go.to_string()),
            // `io.k8s.api.core.v1.Container` is Go's `v1.Container`.
            Ty::Struct(name, _) => {
                let mut parts = name.rsplitn(3, '.');
                let (ty, pkg) = (parts.next()?, parts.next()?);
                Some(format!("{pkg}.{ty}"))
            }
            Ty::Map(t) => t.go_name().map(|e| format!("map[string]{e}")),
            Ty::Atomic(t) => t.go_name(),
            Ty::List(t) | Ty::Keyed(_, t) => t.go_name().map(|e| format!("[]{e}")),
            Ty::Set => Some("[]string".into()),
            Ty::Scalar(_) | Ty::Any => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn deployment(spec: Value) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
               "spec": spec})
    }

    #[test]
    fn bytes_fields_must_be_base64_as_go_decodes_them() {
        let secret = json!({"kind": "Secret", "data": {"a": "Zm9v", "b": "Zm9v!"}});
        assert_eq!(
            type_error("Secret", &secret).as_deref(),
            Some("illegal base64 data at input byte 4")
        );
        let hooks = json!({"webhooks": [{"name": "a", "clientConfig": {"caBundle": "Cg==\nx"}}]});
        assert_eq!(
            type_error("ValidatingWebhookConfiguration", &hooks).as_deref(),
            Some("illegal base64 data at input byte 5")
        );
        let crd = |bundle: Value| {
            json!({"spec": {"conversion": {"strategy": "Webhook",
                "webhook": {"clientConfig": {"url": "https://h/c", "caBundle": bundle}}}}})
        };
        assert_eq!(
            type_error("CustomResourceDefinition", &crd(json!("not base64"))).as_deref(),
            Some("illegal base64 data at input byte 3")
        );
        assert_eq!(
            type_error("CustomResourceDefinition", &crd(json!(5))).as_deref(),
            Some(
                "json: cannot unmarshal number into Go struct field WebhookClientConfig.spec.conversion.webhook.clientConfig.caBundle of type []uint8"
            )
        );
        assert_eq!(
            type_error("CustomResourceDefinition", &crd(json!("Cg=="))),
            None
        );
        assert_eq!(
            type_error("CustomResourceDefinition", &json!({"spec": {}})),
            None
        );
    }

    #[test]
    fn numbers_an_int32_field_cannot_hold() {
        let err = |spec| type_error("Deployment", &deployment(spec));
        assert_eq!(
            err(json!({"progressDeadlineSeconds": 9_223_372_036_854_775_807_i64})).as_deref(),
            Some(
                "json: cannot unmarshal number 9223372036854775807 into Go struct field DeploymentSpec.spec.progressDeadlineSeconds of type int32"
            )
        );
        assert_eq!(
            err(json!({"replicas": 1.5})).as_deref(),
            Some(
                "json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32"
            )
        );
        assert_eq!(
            err(json!({"replicas": 2_147_483_648_i64})).as_deref(),
            Some(
                "json: cannot unmarshal number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32"
            )
        );
        assert_eq!(err(json!({"replicas": 2_147_483_647})), None);
        assert_eq!(err(json!({"replicas": -2_147_483_648_i64})), None);
        assert_eq!(err(json!({"replicas": null, "paused": true})), None);
        assert_eq!(
            err(json!({"replicas": "3"})).as_deref(),
            Some(
                "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"
            )
        );
    }

    #[test]
    fn values_of_the_wrong_json_type() {
        let cm = json!({"metadata": {"name": "c"}, "data": {"ok": "v", "k": [1]}});
        assert_eq!(
            type_error("ConfigMap", &cm).as_deref(),
            Some("json: cannot unmarshal array into Go struct field ConfigMap.data of type string")
        );
        let labels = json!({"metadata": {"name": "c", "labels": 5}});
        assert_eq!(
            type_error("ConfigMap", &labels).as_deref(),
            Some(
                "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type map[string]string"
            )
        );
        let pod = json!({"metadata": {"name": "p"}, "spec": {"containers": [
            {"name": "a", "image": "i"},
            {"name": "b", "image": "i", "ports": [{"containerPort": 80.5}]}]}});
        assert_eq!(
            type_error("Pod", &pod).as_deref(),
            Some(
                "json: cannot unmarshal number 80.5 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32"
            )
        );
        let pod = json!({"spec": {"containers": {"name": "a"}}});
        assert_eq!(
            type_error("Pod", &pod).as_deref(),
            Some(
                "json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container"
            )
        );
        let pod = json!({"spec": {"terminationGracePeriodSeconds": 9_223_372_036_854_775_807_i64,
            "tolerations": [{"tolerationSeconds": 18_446_744_073_709_551_615_u64}]}});
        assert_eq!(
            type_error("Pod", &pod).as_deref(),
            Some(
                "json: cannot unmarshal number 18446744073709551615 into Go struct field Toleration.spec.tolerations.tolerationSeconds of type int64"
            )
        );
        let svc = json!({"spec": {"ports": [{"port": 80, "targetPort": "http"}], "selector": {"a": true}}});
        assert_eq!(
            type_error("Service", &svc).as_deref(),
            Some(
                "json: cannot unmarshal bool into Go struct field ServiceSpec.spec.selector of type string"
            )
        );
        let rs = json!({"spec": "x"});
        assert_eq!(
            type_error("ReplicaSet", &rs).as_deref(),
            Some(
                "json: cannot unmarshal string into Go struct field ReplicaSet.spec of type v1.ReplicaSetSpec"
            )
        );
    }

    #[test]
    fn values_the_schema_does_not_type_are_left_alone() {
        let pod = json!({"spec": {"containers": [{"name": "a", "resources": {"limits": {"cpu": 1}}}],
            "affinity": {"anything": [1, 2]}}, "metadata": {"creationTimestamp": null}});
        assert_eq!(type_error("Pod", &pod), None);
        assert_eq!(
            type_error("Node", &json!({"spec": {"unschedulable": 5}})),
            None
        );
    }

    #[test]
    fn int32_fields_of_the_kinds_described_for_types_only() {
        let err = |kind, obj| type_error(kind, &obj);
        assert_eq!(
            err(
                "Lease",
                json!({"spec": {"holderIdentity": "n", "leaseDurationSeconds": 4_294_967_296_i64}})
            )
            .as_deref(),
            Some(
                "json: cannot unmarshal number 4294967296 into Go struct field LeaseSpec.spec.leaseDurationSeconds of type int32"
            )
        );
        assert_eq!(
            err("EndpointSlice", json!({"ports": [{"port": 1.5}]})).as_deref(),
            Some(
                "json: cannot unmarshal number 1.5 into Go struct field EndpointPort.ports.port of type int32"
            )
        );
        assert_eq!(
            err(
                "Endpoints",
                json!({"subsets": [{"ports": [{"port": "80"}]}]})
            )
            .as_deref(),
            Some(
                "json: cannot unmarshal string into Go struct field EndpointPort.subsets.ports.port of type int32"
            )
        );
        assert_eq!(
            err("Event", json!({"count": -2_147_483_649_i64})).as_deref(),
            Some(
                "json: cannot unmarshal number -2147483649 into Go struct field Event.count of type int32"
            )
        );
        assert_eq!(
            err(
                "Lease",
                json!({"spec": {"renewTime": "2026-11-29T01:00:00.000000Z", "other": [1]}})
            ),
            None
        );
    }
}

/// Every object of the real cluster in testdata/reference decodes: the schema's types
/// refuse nothing kube itself wrote.
#[cfg(test)]
mod reference {
    use super::*;

    #[test]
    fn real_objects_have_no_type_errors() {
        let mut checked = 0;
        for (path, kind, obj) in super::super::reference_objects() {
            assert_eq!(type_error(&kind, &obj), None, "{}", path.display());
            checked += 1;
        }
        assert!(checked > 40, "{checked}");
    }
}
