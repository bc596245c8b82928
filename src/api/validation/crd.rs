//! CustomResourceDefinition (apiextensions.k8s.io/v1), with kube-apiserver's messages. The
//! schemas themselves are checked by `crd_schema` when the API server compiles them.

use super::field_error::{FieldError, child, index};
use super::{meta, names};
use serde_json::{Value, json};

fn str_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

pub fn validate_crd(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("CustomResourceDefinition", obj, old);
    let name = str_at(obj, "/metadata/name");
    let required = format!(
        "{}.{}",
        str_at(obj, "/spec/names/plural"),
        str_at(obj, "/spec/group")
    );
    if name != required {
        errs.push(FieldError::invalid(
            "metadata.name",
            json!(name),
            "must be spec.names.plural+\".\"+spec.group",
        ));
    }
    let spec = obj.get("spec").cloned().unwrap_or(json!({}));
    errs.extend(validate_spec(&spec, old));
    if let Some(old) = old {
        let established = condition_true(old, "Established");
        let mut immutable = vec![
            ("spec.group", "/spec/group"),
            ("spec.names.plural", "/spec/names/plural"),
        ];
        if established {
            immutable.insert(0, ("spec.names.kind", "/spec/names/kind"));
            immutable.insert(0, ("spec.scope", "/spec/scope"));
        }
        for (field, pointer) in immutable {
            let now = obj.pointer(pointer).cloned().unwrap_or(json!(""));
            if Some(&now) != old.pointer(pointer) {
                errs.push(FieldError::invalid(field, now, "field is immutable"));
            }
        }
    }
    errs
}

fn validate_spec(spec: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let group = str_at(spec, "/group");
    if group.is_empty() {
        errs.push(FieldError::required("spec.group", ""));
    } else {
        let bad = names::is_dns1123_subdomain(group);
        if !bad.is_empty() {
            errs.push(FieldError::invalid(
                "spec.group",
                json!(group),
                &bad.join(","),
            ));
        } else if !group.contains('.') {
            errs.push(FieldError::invalid(
                "spec.group",
                json!(group),
                "should be a domain with at least one dot",
            ));
        }
    }
    match str_at(spec, "/scope") {
        "" => errs.push(FieldError::required("spec.scope", "")),
        "Cluster" | "Namespaced" => {}
        other => errs.push(FieldError::not_supported(
            "spec.scope",
            json!(other),
            &["Cluster", "Namespaced"],
        )),
    }
    let versions = spec
        .get("versions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if versions.is_empty() {
        errs.push(FieldError::invalid_repr(
            "spec.versions",
            "[]apiextensions.CustomResourceDefinitionVersion(nil)".to_string(),
            "must have exactly one version marked as storage version",
        ));
        errs.push(FieldError::required(
            "spec.versions",
            "must have at least one version",
        ));
    }
    let mut seen: Vec<&str> = Vec::new();
    let mut storage = 0;
    let mut unique = true;
    let columns_shared = shared_by_versions(spec, "additionalPrinterColumns");
    for (i, v) in versions.iter().enumerate() {
        let path = index("spec.versions", i);
        let name = str_at(v, "/name");
        if seen.contains(&name) {
            unique = false;
        }
        seen.push(name);
        if v.get("storage").and_then(Value::as_bool) == Some(true) {
            storage += 1;
        }
        let bad = names::is_dns1035_label(name);
        if !bad.is_empty() {
            errs.push(FieldError::invalid(
                &child(&path, "name"),
                json!(name),
                &bad.join(","),
            ));
        }
        if v.pointer("/schema/openAPIV3Schema").is_none() {
            errs.push(FieldError::required(
                &child(&child(&path, "schema"), "openAPIV3Schema"),
                "schemas are required",
            ));
        }
        if !columns_shared
            && let Some(cols) = v.get("additionalPrinterColumns").and_then(Value::as_array)
        {
            errs.extend(validate_columns(
                cols,
                &child(&path, "additionalPrinterColumns"),
            ));
        }
    }
    if columns_shared
        && let Some(cols) = versions
            .first()
            .and_then(|v| v.get("additionalPrinterColumns"))
            .and_then(Value::as_array)
    {
        errs.extend(validate_columns(cols, "spec.additionalPrinterColumns"));
    }
    if !versions.is_empty() && storage != 1 {
        errs.push(FieldError::invalid_repr(
            "spec.versions",
            versions_repr(&versions),
            "must have exactly one version marked as storage version",
        ));
    }
    if !unique {
        errs.push(FieldError::invalid_repr(
            "spec.versions",
            versions_repr(&versions),
            "must contain unique version names",
        ));
    }
    let names = spec.get("names").cloned().unwrap_or(json!({}));
    for (field, label) in [
        ("plural", "spec.names.plural"),
        ("singular", "spec.names.singular"),
        ("kind", "spec.names.kind"),
        ("listKind", "spec.names.listKind"),
    ] {
        if str_at(&names, &format!("/{field}")).is_empty() {
            errs.push(FieldError::required(label, ""));
        }
    }
    errs.extend(validate_names(&names, "spec.names"));
    errs.extend(validate_conversion(spec.get("conversion"), old));
    errs
}

/// Whether every version of the CRD has the same `field` (`schema`,
/// `additionalPrinterColumns`): kube then validates it once, at the top of the spec
/// (`spec.validation.openAPIV3Schema`, `spec.additionalPrinterColumns`), as its internal
/// form holds it.
pub fn shared_by_versions(spec: &Value, field: &str) -> bool {
    let versions = spec
        .get("versions")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let Some(first) = versions.first() else {
        return false;
    };
    versions
        .iter()
        .all(|v| v.get(field).filter(|f| !f.is_null()) == first.get(field).filter(|f| !f.is_null()))
}

/// kube's check of `status.storedVersions` against the spec's versions: at least one, the
/// storage version among them, and each still in `spec.versions` (objects may be stored
/// at it). `stored` is None when the field is absent (Go's nil).
pub fn stored_versions_errors(spec: &Value, stored: Option<&[Value]>) -> Vec<FieldError> {
    const PATH: &str = "status.storedVersions";
    let names: Vec<&str> = stored
        .unwrap_or_default()
        .iter()
        .map(|v| v.as_str().unwrap_or(""))
        .collect();
    let repr = match stored {
        None => "[]string(nil)".to_string(),
        Some(_) => {
            let items: Vec<String> = names.iter().map(|n| crate::go::quote(n)).collect();
            format!("[]string{{{}}}", items.join(", "))
        }
    };
    if names.is_empty() {
        return vec![FieldError::invalid_repr(
            PATH,
            repr,
            "must have at least one stored version",
        )];
    }
    let mut errs = Vec::new();
    let versions = spec
        .get("versions")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for v in versions {
        let name = str_at(v, "/name");
        if v.get("storage").and_then(Value::as_bool) == Some(true) && !names.contains(&name) {
            errs.push(FieldError::invalid_repr(
                PATH,
                repr.clone(),
                &format!("must have the storage version {name}"),
            ));
        }
    }
    // Go keeps the last index of a repeated name.
    let in_spec = |n: &str| versions.iter().any(|v| str_at(v, "/name") == n);
    for (i, &name) in names.iter().enumerate() {
        if names[i + 1..].contains(&name) || in_spec(name) {
            continue;
        }
        errs.push(FieldError::invalid(
            &index(PATH, i),
            json!(name),
            &format!(
                "missing from spec.versions; {name} was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in {name} and removes {name} from status.storedVersions"
            ),
        ));
    }
    errs
}

/// The CRD's conversion webhook `caBundle`, decoded (empty when it has none).
pub fn conversion_ca_bundle(crd: &Value) -> Vec<u8> {
    ca_bundle_of(crd.pointer("/spec/conversion/webhook/clientConfig"))
}

/// A webhook `clientConfig`'s `caBundle`, decoded as Go decodes `[]byte` (empty when it has
/// none or it is not base64).
pub fn ca_bundle_of(client_config: Option<&Value>) -> Vec<u8> {
    client_config
        .and_then(|cc| cc.get("caBundle"))
        .and_then(Value::as_str)
        .and_then(|b| crate::go::base64::decode_std(b.as_bytes()).ok())
        .unwrap_or_default()
}

/// Whether the CRD's condition of type `kind` (Established, NamesAccepted) is True.
pub fn condition_true(crd: &Value, kind: &str) -> bool {
    crd.pointer("/status/conditions")
        .and_then(Value::as_array)
        .is_some_and(|c| {
            c.iter().any(|c| {
                c.get("type").and_then(Value::as_str) == Some(kind)
                    && c.get("status").and_then(Value::as_str) == Some("True")
            })
        })
}

/// Go's `%#v` of a `[]byte`, as kube names a bad `caBundle`.
fn go_bytes(bytes: &[u8]) -> String {
    let items: Vec<String> = bytes.iter().map(|b| format!("{b:#x}")).collect();
    format!("[]byte{{{}}}", items.join(", "))
}

/// kube's conversion checks. Paths name the internal type's fields
/// (`webhookClientConfig`, `conversionReviewVersions`), as kube-apiserver reports them.
/// On update, what the stored CRD already had is kept (kube's ratcheting): review versions
/// none of which kube speaks, if the stored list had none either; an invalid `caBundle`,
/// if the CRD is not Established or its stored bundle was invalid too. A new CRD may carry
/// an invalid bundle: it is then not Established (see `apiserver::crd`).
fn validate_conversion(conversion: Option<&Value>, old: Option<&Value>) -> Vec<FieldError> {
    const PATH: &str = "spec.conversion";
    let Some(conversion) = conversion.filter(|c| c.is_object()) else {
        return Vec::new();
    };
    let mut errs = Vec::new();
    let strategy = str_at(conversion, "/strategy");
    match strategy {
        "" => errs.push(FieldError::required(&child(PATH, "strategy"), "")),
        "None" | "Webhook" => {}
        other => errs.push(FieldError::not_supported(
            &child(PATH, "strategy"),
            json!(other),
            &["None", "Webhook"],
        )),
    }
    let client_config = conversion
        .pointer("/webhook/clientConfig")
        .filter(|c| !c.is_null());
    let review_versions = conversion.pointer("/webhook/conversionReviewVersions");
    let config_path = child(PATH, "webhookClientConfig");
    let versions_path = child(PATH, "conversionReviewVersions");
    if strategy == "Webhook" {
        match client_config {
            None => errs.push(FieldError::required(
                &config_path,
                "required when strategy is set to Webhook",
            )),
            Some(cc) => {
                errs.extend(super::webhooks::client_config(Some(cc), &config_path));
                let bundle = ca_bundle_of(Some(cc));
                let allow_invalid = old.is_none_or(|old| {
                    let stored = conversion_ca_bundle(old);
                    !condition_true(old, "Established")
                        || (!stored.is_empty() && crate::tls::ca_data_error(&stored).is_some())
                });
                if !bundle.is_empty()
                    && !allow_invalid
                    && let Some(e) = crate::tls::ca_data_error(&bundle)
                {
                    errs.push(FieldError::invalid_repr(
                        &child(&config_path, "caBundle"),
                        go_bytes(&bundle),
                        &e,
                    ));
                }
            }
        }
        let require_recognized = old.is_none_or(|old| {
            old.pointer("/spec/conversion").is_none_or(|c| {
                super::webhooks::recognized_or_empty(c.pointer("/webhook/conversionReviewVersions"))
            })
        });
        errs.extend(super::webhooks::review_versions(
            review_versions,
            &versions_path,
            "",
            require_recognized,
        ));
    } else {
        const NOT_WEBHOOK: &str = "should not be set when strategy is not set to Webhook";
        if client_config.is_some() {
            errs.push(FieldError::forbidden(&config_path, NOT_WEBHOOK));
        }
        if review_versions
            .and_then(Value::as_array)
            .is_some_and(|v| !v.is_empty())
        {
            errs.push(FieldError::forbidden(&versions_path, NOT_WEBHOOK));
        }
    }
    errs
}

/// kube prints the whole versions list as a Go value; kubelite names only the versions.
fn versions_repr(versions: &[Value]) -> String {
    let names: Vec<String> = versions
        .iter()
        .map(|v| format!("{:?}", str_at(v, "/name")))
        .collect();
    format!("[{}]", names.join(", "))
}

fn validate_columns(cols: &[Value], path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, c) in cols.iter().enumerate() {
        let p = index(path, i);
        if str_at(c, "/name").is_empty() {
            errs.push(FieldError::required(&child(&p, "name"), ""));
        }
        match str_at(c, "/type") {
            "" => errs.push(FieldError::required(&child(&p, "type"), "")),
            "integer" | "number" | "string" | "boolean" | "date" => {}
            other => errs.push(FieldError::not_supported(
                &child(&p, "type"),
                json!(other),
                &["boolean", "date", "integer", "number", "string"],
            )),
        }
        match str_at(c, "/format") {
            "" | "int32" | "int64" | "float" | "double" | "byte" | "date" | "date-time"
            | "password" => {}
            other => errs.push(FieldError::not_supported(
                &child(&p, "format"),
                json!(other),
                &[
                    "int32",
                    "int64",
                    "float",
                    "double",
                    "byte",
                    "date",
                    "date-time",
                    "password",
                ],
            )),
        }
        if c.get("priority")
            .and_then(Value::as_i64)
            .is_some_and(|n| n < 0)
        {
            errs.push(FieldError::invalid(
                &child(&p, "priority"),
                c["priority"].clone(),
                "must be greater than or equal to 0",
            ));
        }
        if str_at(c, "/jsonPath").is_empty() {
            errs.push(FieldError::required(&child(&p, "JSONPath"), ""));
        }
    }
    errs
}

fn validate_names(names_obj: &Value, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for field in ["plural", "singular"] {
        let v = str_at(names_obj, &format!("/{field}"));
        let bad = names::is_dns1035_label(v);
        if !v.is_empty() && !bad.is_empty() {
            errs.push(FieldError::invalid(
                &child(path, field),
                json!(v),
                &bad.join(","),
            ));
        }
    }
    for field in ["kind", "listKind"] {
        let v = str_at(names_obj, &format!("/{field}"));
        let bad = names::is_dns1035_label(&v.to_ascii_lowercase());
        if !v.is_empty() && !bad.is_empty() {
            errs.push(FieldError::invalid(
                &child(path, field),
                json!(v),
                &format!(
                    "may have mixed case, but should otherwise match: {}",
                    bad.join(",")
                ),
            ));
        }
    }
    for (list, _) in [("shortNames", ()), ("categories", ())] {
        let items = names_obj.get(list).and_then(Value::as_array);
        for (i, s) in items.into_iter().flatten().enumerate() {
            let s = s.as_str().unwrap_or("");
            let bad = names::is_dns1035_label(s);
            if !bad.is_empty() {
                errs.push(FieldError::invalid(
                    &index(&child(path, list), i),
                    json!(s),
                    &bad.join(","),
                ));
            }
        }
    }
    let kind = str_at(names_obj, "/kind");
    if !kind.is_empty() && kind == str_at(names_obj, "/listKind") {
        errs.push(FieldError::invalid(
            &child(path, "listKind"),
            json!(kind),
            "kind and listKind may not be the same",
        ));
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crd() -> Value {
        json!({"metadata": {"name": "widgets.example.com"},
               "spec": {"group": "example.com", "scope": "Namespaced",
                        "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"},
                        "versions": [{"name": "v1", "served": true, "storage": true,
                                      "schema": {"openAPIV3Schema": {"type": "object"}}}]}})
    }

    fn messages(obj: &Value) -> Vec<String> {
        validate_crd(obj, None)
            .iter()
            .map(|e| e.to_string())
            .collect()
    }

    #[test]
    fn stored_versions_stay_in_the_spec() {
        let spec = json!({"versions": [{"name": "v2", "storage": true}, {"name": "v3"}]});
        let errs = |stored: Option<Value>| -> Vec<String> {
            let list = stored.as_ref().and_then(Value::as_array).map(Vec::as_slice);
            stored_versions_errors(&spec, list)
                .iter()
                .map(ToString::to_string)
                .collect()
        };
        assert!(errs(Some(json!(["v2", "v3"]))).is_empty());
        assert_eq!(
            errs(None),
            [
                "status.storedVersions: Invalid value: []string(nil): must have at least one stored version"
            ]
        );
        assert_eq!(
            errs(Some(json!([]))),
            [
                "status.storedVersions: Invalid value: []string{}: must have at least one stored version"
            ]
        );
        assert_eq!(
            errs(Some(json!(["v1", "v3"]))),
            [
                "status.storedVersions: Invalid value: []string{\"v1\", \"v3\"}: must have the storage version v2",
                "status.storedVersions[0]: Invalid value: \"v1\": missing from spec.versions; v1 was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in v1 and removes v1 from status.storedVersions"
            ]
        );
    }

    #[test]
    fn columns_every_version_shares_are_checked_once_at_the_top() {
        let mut c = crd();
        c["spec"]["versions"][0]["additionalPrinterColumns"] =
            json!([{"name": "A", "jsonPath": ".a"}]);
        assert_eq!(
            messages(&c),
            ["spec.additionalPrinterColumns[0].type: Required value"]
        );
        let mut second = c["spec"]["versions"][0].clone();
        second["name"] = json!("v2");
        second["storage"] = json!(false);
        c["spec"]["versions"]
            .as_array_mut()
            .unwrap()
            .push(second.clone());
        assert_eq!(
            messages(&c),
            ["spec.additionalPrinterColumns[0].type: Required value"]
        );
        c["spec"]["versions"][1]["additionalPrinterColumns"] = json!([]);
        assert_eq!(
            messages(&c),
            ["spec.versions[0].additionalPrinterColumns[0].type: Required value"]
        );
        assert!(shared_by_versions(&c["spec"], "schema"));
        assert!(!shared_by_versions(&c["spec"], "additionalPrinterColumns"));
    }

    #[test]
    fn a_good_crd_passes() {
        assert_eq!(messages(&crd()), Vec::<String>::new());
    }

    #[test]
    fn name_group_scope_and_storage_are_kubes() {
        let mut c = crd();
        c["metadata"]["name"] = json!("widgets.other.com");
        c["spec"]["scope"] = json!("Global");
        c["spec"]["versions"][0]["storage"] = json!(false);
        let m = messages(&c);
        assert!(m.contains(&"metadata.name: Invalid value: \"widgets.other.com\": must be spec.names.plural+\".\"+spec.group".to_string()), "{m:?}");
        assert!(m.contains(&"spec.scope: Unsupported value: \"Global\": supported values: \"Cluster\", \"Namespaced\"".to_string()), "{m:?}");
        assert!(
            m.iter()
                .any(|e| e.ends_with("must have exactly one version marked as storage version")),
            "{m:?}"
        );
        let mut c = crd();
        c["spec"]["group"] = json!("example");
        c["metadata"]["name"] = json!("widgets.example");
        assert_eq!(
            messages(&c),
            ["spec.group: Invalid value: \"example\": should be a domain with at least one dot"]
        );
    }

    #[test]
    fn group_and_plural_are_immutable() {
        let old = crd();
        let mut new = crd();
        new["spec"]["names"]["plural"] = json!("gadgets");
        new["metadata"]["name"] = json!("gadgets.example.com");
        let m: Vec<String> = validate_crd(&new, Some(&old))
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert!(
            m.iter().any(|e| e
                .starts_with("spec.names.plural: Invalid value: \"gadgets\": field is immutable")),
            "{m:?}"
        );
    }

    fn with_webhook(versions: Value, ca_bundle: &str, established: bool) -> Value {
        let mut c = crd();
        c["spec"]["conversion"] = json!({"strategy": "Webhook", "webhook": {
            "conversionReviewVersions": versions,
            "clientConfig": {"url": "https://127.0.0.1:1/convert", "caBundle": ca_bundle}}});
        let status = if established { "True" } else { "False" };
        c["status"] = json!({"conditions": [{"type": "Established", "status": status}]});
        c
    }

    fn update(new: &Value, old: &Value) -> Vec<String> {
        validate_crd(new, Some(old))
            .iter()
            .map(|e| e.to_string())
            .collect()
    }

    #[test]
    fn an_invalid_ca_bundle_is_refused_only_where_kube_refuses_it() {
        // "Cg==" is a lone newline: no PEM block at all.
        let bad = with_webhook(json!(["v1"]), "Cg==", true);
        let good = with_webhook(json!(["v1"]), "", true);
        let refused = "spec.conversion.webhookClientConfig.caBundle: Invalid value: []byte{0xa}: unable to load root certificates: unable to parse bytes as PEM block";
        // A new CRD may carry it (it is not Established), so may one not yet Established
        // or one whose stored bundle was already invalid.
        assert_eq!(messages(&bad), Vec::<String>::new());
        assert_eq!(update(&bad, &good), [refused]);
        let not_established = with_webhook(json!(["v1"]), "", false);
        assert_eq!(update(&bad, &not_established), Vec::<String>::new());
        assert_eq!(update(&bad, &bad), Vec::<String>::new());
        assert_eq!(go_bytes(b"he"), "[]byte{0x68, 0x65}");
    }

    #[test]
    fn unknown_review_versions_are_refused_unless_already_stored() {
        let unknown = with_webhook(json!(["v9"]), "", true);
        let known = with_webhook(json!(["v1"]), "", true);
        let refused = "spec.conversion.conversionReviewVersions: Invalid value: []string{\"v9\"}: must include at least one of v1, v1beta1";
        assert_eq!(messages(&unknown), [refused]);
        assert_eq!(update(&unknown, &known), [refused]);
        assert_eq!(update(&unknown, &unknown), Vec::<String>::new());
        // Still checked when kept: names must be DNS labels, lists not empty.
        let empty = with_webhook(json!([]), "", true);
        assert_eq!(
            update(&empty, &unknown),
            ["spec.conversion.conversionReviewVersions: Required value"]
        );
    }
}
