//! kube 1.32's CEL libraries in CRD rules, through the real kubectl against serve: URLs,
//! IPs and CIDRs, quantities, sets and named formats, with kube's messages for failed rules
//! and for rules whose library function fails.

use super::support::{Server, TempDir, kubectl_available, manifest};

const CRD: &str = r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: links.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: links, singular: link, kind: Link}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              url: {type: string}
              network: {type: string}
              address: {type: string}
              memory: {type: string}
              host: {type: string}
              tags: {type: array, maxItems: 5, items: {type: string, maxLength: 10}}
            x-kubernetes-validations:
            - rule: "isURL(self.url) && url(self.url).getScheme() == 'https' && url(self.url).getHostname() != ''"
              message: "url must be https"
            - rule: "!isIP(self.address) || cidr(self.network).containsIP(ip(self.address))"
              message: "address must be inside network"
            - rule: "ip(self.address).family() == 4"
              message: "IPv4 only"
            - rule: "quantity(self.memory).isLessThan(quantity('1Gi'))"
              message: "memory must be below 1Gi"
            - rule: "sets.contains(['a', 'b', 'c'], self.tags)"
              message: "unknown tag"
            - rule: "!format.dns1123Label().validate(self.host).hasValue()"
              messageExpression: "'host: ' + format.dns1123Label().validate(self.host).value().join('; ')"
"#;

fn link(name: &str, change: (&str, &str)) -> String {
    let mut fields = vec![
        ("url", "https://example.com/x"),
        ("network", "10.0.0.0/8"),
        ("address", "10.1.2.3"),
        ("memory", "512Mi"),
        ("host", "web"),
        ("tags", "[a, b]"),
    ];
    for f in &mut fields {
        if f.0 == change.0 {
            f.1 = change.1;
        }
    }
    let spec: Vec<String> = fields.iter().map(|(k, v)| format!("{k}: {v:?}")).collect();
    let spec = spec
        .join(", ")
        .replace("\"[a, b]\"", "[a, b]")
        .replace("\"[a, z]\"", "[a, z]");
    format!(
        "apiVersion: example.com/v1\nkind: Link\nmetadata: {{name: {name}}}\nspec: {{{spec}}}\n"
    )
}

#[test]
fn crd_rules_use_kubes_url_ip_quantity_set_and_format_libraries() {
    require_kubectl!();
    let s = Server::start(true);
    let dir = TempDir::new("crd-cel-libraries");
    let crd = manifest(&dir.0, "crd.yaml", CRD);
    s.kubectl(&["create", "-f", crd.to_str().expect("path")])
        .ok("create crd");
    let invalid = |name: &str, detail: &str| {
        format!("The Link \"{name}\" is invalid: spec: Invalid value: \"object\": {detail}\n")
    };
    let cases = [
        ("fine", ("", ""), String::new()),
        ("plain", ("url", "http://example.com/x"), invalid("plain", "url must be https")),
        ("relative", ("url", "../x"), invalid("relative", "url must be https")),
        (
            "outside",
            ("address", "192.168.0.1"),
            invalid("outside", "address must be inside network"),
        ),
        (
            "badip",
            ("address", "10.0.0.300"),
            invalid(
                "badip",
                "IP Address \"10.0.0.300\" parse error during conversion from string: ParseAddr(\"10.0.0.300\"): IPv4 field has value >255 evaluating rule: IPv4 only",
            ),
        ),
        (
            "six",
            ("address", "::1"),
            "The Link \"six\" is invalid: \n* spec: Invalid value: \"object\": address must be inside network\n* spec: Invalid value: \"object\": IPv4 only\n".to_string(),
        ),
        ("big", ("memory", "2Gi"), invalid("big", "memory must be below 1Gi")),
        (
            "badmem",
            ("memory", "2Gb"),
            invalid(
                "badmem",
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' evaluating rule: memory must be below 1Gi",
            ),
        ),
        ("tag", ("tags", "[a, z]"), invalid("tag", "unknown tag")),
        (
            "host",
            ("host", "Web_1"),
            invalid(
                "host",
                "host: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
            ),
        ),
    ];
    for (name, change, want) in cases {
        let file = manifest(&dir.0, &format!("{name}.yaml"), &link(name, change));
        let out = s.kubectl(&["create", "-f", file.to_str().expect("path")]);
        assert_eq!(
            (out.code, out.stderr.as_str()),
            (i32::from(!want.is_empty()), want.as_str()),
            "{name}"
        );
    }
}

/// Rules that read a field the schema does not declare, or compare an int with a string,
/// refuse their CRD when it is written, with cel-go's type errors.
#[test]
fn crd_rules_with_type_errors_are_refused_at_write() {
    require_kubectl!();
    let s = Server::start(true);
    let dir = TempDir::new("crd-cel-types");
    let rules_at = CRD.find("            - rule:").expect("rules");
    let crd = format!(
        "{}{}",
        &CRD[..rules_at],
        "            - rule: \"self.adress == ''\"\n            - rule: \"self.tags.size() > 'a'\"\n            - rule: \"self.tags.size() > 1 && self.memory != ''\"\n"
    );
    let file = manifest(&dir.0, "crd.yaml", &crd);
    let out = s.kubectl(&["create", "-f", file.to_str().expect("path")]);
    let site = "spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations";
    let repr = |rule: &str| {
        format!(
            "apiextensions.ValidationRule{{Rule:{rule:?}, Message:\"\", MessageExpression:\"\", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:\"\", OptionalOldSelf:(*bool)(nil)}}"
        )
    };
    let want = format!(
        "The CustomResourceDefinition \"links.example.com\" is invalid: \n* {site}[0].rule: Invalid value: {}: compilation failed: ERROR: <input>:1:5: undefined field 'adress'\n | self.adress == ''\n | ....^\n* {site}[1].rule: Invalid value: {}: compilation failed: ERROR: <input>:1:18: found no matching overload for '_>_' applied to '(int, string)'\n | self.tags.size() > 'a'\n | .................^\n",
        repr("self.adress == ''"),
        repr("self.tags.size() > 'a'"),
    );
    assert_eq!((out.code, out.stderr), (1, want));
}
