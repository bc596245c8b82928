//! kube's format library for CEL (1.31+): named string formats (`format.dns1123Label()`,
//! ..., or `format.named('dns1123Label')`, an optional), and `<format>.validate(s)`, which
//! is `optional.none()` for a valid string and otherwise the optional list of kube's
//! messages.

use super::cel_library::kube_error;
use cel::common::types::{CelList, CelOptional, CelString, STRING_TYPE, Type};
use cel::common::value::{CowVal, StaticVal, Val};
use cel::{Env, ExecutionError};
use std::any::Any;

static FORMAT: Type = Type::new_unspecified_type("kubernetes.NamedFormat");

/// A named format: the name `format.named` takes, kube's own name for it, its check.
#[derive(Debug)]
pub struct FormatDef {
    key: &'static str,
    name: &'static str,
    check: fn(&str) -> Vec<String>,
}

use crate::api::names;

fn prefix(check: fn(&str) -> Vec<String>, s: &str) -> Vec<String> {
    check(&names::mask_trailing_dash(s, true))
}

/// The string formats of `x-kubernetes` schemas, with kube's one message each.
fn strfmt(format: &str, message: &str, s: &str) -> Vec<String> {
    if super::formats::check(format, s) == Some(true) {
        Vec::new()
    } else {
        vec![message.to_string()]
    }
}

static FORMATS: [FormatDef; 13] = [
    FormatDef {
        key: "dns1123Label",
        name: "DNS1123Label",
        check: names::is_dns1123_label,
    },
    FormatDef {
        key: "dns1123Subdomain",
        name: "DNS1123Subdomain",
        check: names::is_dns1123_subdomain,
    },
    FormatDef {
        key: "dns1035Label",
        name: "DNS1035Label",
        check: names::is_dns1035_label,
    },
    FormatDef {
        key: "qualifiedName",
        name: "QualifiedName",
        check: names::is_qualified_name,
    },
    FormatDef {
        key: "dns1123LabelPrefix",
        name: "DNS1123LabelPrefix",
        check: |s| prefix(names::is_dns1123_label, s),
    },
    FormatDef {
        key: "dns1123SubdomainPrefix",
        name: "DNS1123SubdomainPrefix",
        check: |s| prefix(names::is_dns1123_subdomain, s),
    },
    FormatDef {
        key: "dns1035LabelPrefix",
        name: "DNS1035LabelPrefix",
        check: |s| prefix(names::is_dns1035_label, s),
    },
    FormatDef {
        key: "labelValue",
        name: "LabelValue",
        check: names::is_valid_label_value,
    },
    FormatDef {
        key: "uri",
        name: "URI",
        check: |s| match crate::go::url::parse_request_uri(s) {
            Ok(_) => Vec::new(),
            Err(e) => vec![e],
        },
    },
    FormatDef {
        key: "uuid",
        name: "uuid",
        check: |s| strfmt("uuid", "does not match the UUID format", s),
    },
    FormatDef {
        key: "byte",
        name: "byte",
        check: |s| strfmt("byte", "invalid base64", s),
    },
    FormatDef {
        key: "date",
        name: "date",
        check: |s| strfmt("date", "invalid date", s),
    },
    FormatDef {
        key: "datetime",
        name: "datetime",
        check: |s| strfmt("datetime", "invalid datetime", s),
    },
];

#[derive(Debug, Clone)]
pub struct CelFormat(&'static FormatDef);

impl Val for CelFormat {
    fn get_type(&self) -> &Type {
        &FORMAT
    }
    fn cel_type() -> &'static Type {
        &FORMAT
    }
    fn equals(&self, other: &dyn Val) -> bool {
        other
            .downcast_ref::<CelFormat>()
            .is_some_and(|o| o.0.name == self.0.name)
    }
    fn clone_as_boxed<'v>(&self) -> Box<dyn Val + 'v> {
        Box::new(self.clone())
    }
    fn as_any(&self) -> Option<&dyn Any> {
        Some(self)
    }
}
impl StaticVal for CelFormat {}

type Args<'b, 'v> = Vec<CowVal<'b, 'v>>;
type Answer<'b, 'v> = Result<CowVal<'b, 'v>, ExecutionError>;

/// `format.<key>()` for each format, by its index in `FORMATS`.
macro_rules! constant_formats {
    ($($f:ident = $i:expr),* $(,)?) => {
        $(fn $f<'b, 'v>(_args: Args<'b, 'v>) -> Answer<'b, 'v> {
            Ok(CowVal::owned(CelFormat(&FORMATS[$i])))
        })*
        const CONSTANTS: &[cel::common::functions::Function] = &[$($f),*];
    };
}

constant_formats!(
    f0 = 0,
    f1 = 1,
    f2 = 2,
    f3 = 3,
    f4 = 4,
    f5 = 5,
    f6 = 6,
    f7 = 7,
    f8 = 8,
    f9 = 9,
    f10 = 10,
    f11 = 11,
    f12 = 12,
);

pub fn install(env: &mut Env) {
    let _ = env.add_type(FORMAT.to_owned());
    for (def, f) in FORMATS.iter().zip(CONSTANTS) {
        let name = format!("format.{}", def.key);
        let _ = env.add_overload(&name, &name, vec![], *f);
    }
    let _ = env.add_overload("format.named", "format-named", vec![STRING_TYPE], named);
    let _ = env.add_member_overload(
        "validate",
        "format-validate",
        FORMAT.to_owned(),
        vec![STRING_TYPE],
        validate,
    );
}

fn string_arg<'a>(arg: Option<&'a CowVal<'_, '_>>) -> Result<&'a str, ExecutionError> {
    arg.and_then(|a| a.downcast_ref::<CelString>())
        .map(|s| s.inner())
        .ok_or_else(|| kube_error("no such overload"))
}

fn named<'b, 'v>(args: Args<'b, 'v>) -> Answer<'b, 'v> {
    let key = string_arg(args.first())?;
    Ok(CowVal::owned(match FORMATS.iter().find(|f| f.key == key) {
        Some(def) => CelOptional::of(Box::new(CelFormat(def))),
        None => CelOptional::none(),
    }))
}

fn validate<'b, 'v>(args: Args<'b, 'v>) -> Answer<'b, 'v> {
    let format = args
        .first()
        .and_then(|a| a.downcast_ref::<CelFormat>())
        .ok_or_else(|| kube_error("no such overload"))?;
    let errors = (format.0.check)(string_arg(args.get(1))?);
    Ok(CowVal::owned(if errors.is_empty() {
        CelOptional::none()
    } else {
        let list: Vec<Box<dyn Val>> = errors
            .into_iter()
            .map(|e| Box::new(CelString::from(e)) as Box<dyn Val>)
            .collect();
        CelOptional::of(Box::new(CelList::from(list)))
    }))
}

#[cfg(test)]
mod tests {
    fn eval(src: &str) -> Result<cel::Value, String> {
        super::super::cel_library::eval(src).map_err(|e| e.to_string())
    }

    #[test]
    fn named_formats_validate_with_kubes_messages() {
        for src in [
            "!format.dns1123Label().validate('my-label-name').hasValue()",
            "!format.dns1123Subdomain().validate('apiextensions.k8s.io').hasValue()",
            "!format.dns1035Label().validate('my-label-name').hasValue()",
            "!format.qualifiedName().validate('apiextensions.k8s.io/v1beta1').hasValue()",
            "!format.dns1123LabelPrefix().validate('my-label-prefix-').hasValue()",
            "!format.dns1123SubdomainPrefix().validate('mysubdomain.prefix.-').hasValue()",
            "!format.dns1035LabelPrefix().validate('my-label-prefix-').hasValue()",
            "!format.labelValue().validate('my_value').hasValue()",
            "!format.uri().validate('http://example.com').hasValue()",
            "!format.uuid().validate('123e4567-e89b-12d3-a456-426614174000').hasValue()",
            "!format.byte().validate('aGVsbG8=').hasValue()",
            "!format.date().validate('2021-01-01').hasValue()",
            "!format.datetime().validate('2021-01-01T00:00:00Z').hasValue()",
            "format.named('dns1123Label').hasValue() && !format.named('nope').hasValue()",
            "format.named('dns1123Label').value() == format.dns1123Label() && format.uri() != format.uuid()",
            "format.dns1035Label().validate('1a').value().size() == 1",
            "format.uuid().validate('x').value() == ['does not match the UUID format']",
            "format.byte().validate('!').value() == ['invalid base64']",
            "format.date().validate('2021-13-01').value() == ['invalid date']",
            "format.datetime().validate('x').value() == ['invalid datetime']",
            "format.uri().validate('x').value() == ['parse \"x\": invalid URI for request']",
        ] {
            assert_eq!(eval(src), Ok(cel::Value::Bool(true)), "{src}");
        }
        assert_eq!(
            eval("format.dns1123Label().validate('Bad_Name').value()"),
            Ok(cel::Value::List(std::sync::Arc::new(vec![cel::Value::String(
                std::sync::Arc::new(
                    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')".to_string()
                )
            )])))
        );
    }
}
