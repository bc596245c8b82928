//! The taint arguments of `taint`: `KEY[=VALUE]:EFFECT` to add, `KEY[:EFFECT]-` to remove,
//! checked with kubectl's words.

use crate::api::names::{is_qualified_name, is_valid_label_value};

#[derive(Debug, Clone, PartialEq)]
pub struct Taint {
    pub key: String,
    pub value: String,
    /// Empty only in a removal that names the key alone.
    pub effect: String,
}

impl Taint {
    /// kubectl's short form: `key=value:effect`, leaving out what is empty.
    pub fn short(&self) -> String {
        let mut s = self.key.clone();
        if !self.value.is_empty() {
            s = format!("{s}={}", self.value);
        }
        if !self.effect.is_empty() {
            s = format!("{s}:{}", self.effect);
        }
        s
    }
}

/// Whether a word of the command line is a taint change rather than a resource.
pub fn is_taint_arg(s: &str) -> bool {
    s.contains('=') || s.contains(':') || s.ends_with('-')
}

/// The taints to add and the ones to remove, in order.
pub fn parse_all(specs: &[String]) -> Result<(Vec<Taint>, Vec<Taint>), String> {
    let (mut add, mut remove) = (Vec::<Taint>::new(), Vec::new());
    for spec in specs {
        if let Some(removed) = spec.strip_suffix('-') {
            let t = parse_one(removed)?;
            remove.push(Taint {
                value: String::new(),
                ..t
            });
            continue;
        }
        let t = parse_one(spec)?;
        if t.effect.is_empty() {
            return Err(format!("invalid taint spec: {spec}"));
        }
        if add.iter().any(|a| a.key == t.key && a.effect == t.effect) {
            // Go's `%v` of the Taint struct, with its nil timeAdded.
            return Err(format!(
                "duplicated taints with the same key and effect: {{{} {} {} <nil>}}",
                t.key, t.value, t.effect
            ));
        }
        add.push(t);
    }
    Ok((add, remove))
}

fn parse_one(spec: &str) -> Result<Taint, String> {
    let parts: Vec<&str> = spec.split(':').collect();
    let (key, value, effect) = match parts.as_slice() {
        [key] => (*key, "", ""),
        [kv, effect] => {
            if !matches!(*effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
                return Err(format!(
                    "invalid taint effect: {effect}, unsupported taint effect"
                ));
            }
            let kv: Vec<&str> = kv.split('=').collect();
            match kv.as_slice() {
                [key] => (*key, "", *effect),
                [key, value] => {
                    let problems = is_valid_label_value(value);
                    if !problems.is_empty() {
                        return Err(format!(
                            "invalid taint spec: {spec}, {}",
                            problems.join("; ")
                        ));
                    }
                    (*key, *value, *effect)
                }
                _ => return Err(format!("invalid taint spec: {spec}")),
            }
        }
        _ => return Err(format!("invalid taint spec: {spec}")),
    };
    let problems = is_qualified_name(key);
    if !problems.is_empty() {
        return Err(format!(
            "invalid taint spec: {spec}, {}",
            problems.join("; ")
        ));
    }
    Ok(Taint {
        key: key.to_string(),
        value: value.to_string(),
        effect: effect.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn adds_and_removals() {
        let (add, remove) = parse_all(&words(&[
            "a=b:NoSchedule",
            "c:NoExecute",
            "d-",
            "e:NoSchedule-",
        ]))
        .unwrap();
        assert_eq!(
            add.iter().map(Taint::short).collect::<Vec<_>>(),
            ["a=b:NoSchedule", "c:NoExecute"]
        );
        assert_eq!(
            remove.iter().map(Taint::short).collect::<Vec<_>>(),
            ["d", "e:NoSchedule"]
        );
    }

    #[test]
    fn kubectl_errors() {
        let err = |s: &[&str]| parse_all(&words(s)).unwrap_err();
        assert_eq!(
            err(&["a=b:Sometimes"]),
            "invalid taint effect: Sometimes, unsupported taint effect"
        );
        assert_eq!(
            err(&["a=b=c:NoSchedule"]),
            "invalid taint spec: a=b=c:NoSchedule"
        );
        assert_eq!(err(&["a:b:c"]), "invalid taint spec: a:b:c");
        assert!(err(&["a=b"]).starts_with("invalid taint spec: a=b, "));
        assert_eq!(
            err(&["a=b:NoSchedule", "a=c:NoSchedule"]),
            "duplicated taints with the same key and effect: {a c NoSchedule <nil>}"
        );
    }
}
