//! Blocks shared by every describer: labels, annotations, taints, tolerations, owner and
//! label selectors.

use serde_json::Value;

use super::json::{arr, at, s, scalar, string_map};
use super::writer::Out;

/// Annotations kubectl never shows.
const HIDDEN_ANNOTATIONS: [&str; 1] = ["kubectl.kubernetes.io/last-applied-configuration"];
/// Longer `key: value` annotations are printed on their own lines, each cut to this length.
const MAX_ANNOTATION_LEN: usize = 140;

/// `Title:\tk=v` with further pairs on following lines under the value column.
/// `title` may carry its own leading spaces (`"  Labels"` inside a pod template).
pub fn labels_block(w: &mut Out, title: &str, map: Option<&Value>) {
    let pairs = map.map(|m| string_map(m, &[])).unwrap_or_default();
    w.w(0, &format!("{title}:\t"));
    if pairs.is_empty() {
        w.w(0, "<none>\n");
        return;
    }
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            w.w(0, "\t");
        }
        w.w(0, &format!("{k}={v}\n"));
    }
}

/// `Annotations:\tk: v`, long or multi-line values broken out under their key.
pub fn annotations_block(w: &mut Out, title: &str, map: Option<&Value>) {
    let pairs: Vec<(String, String)> = map
        .map(|m| string_map(m, &[]))
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| !HIDDEN_ANNOTATIONS.contains(&k.as_str()))
        .collect();
    w.w(0, &format!("{title}:\t"));
    if pairs.is_empty() {
        w.w(0, "<none>\n");
        return;
    }
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            w.w(0, "\t");
        }
        let value = v.strip_suffix('\n').unwrap_or(v);
        if value.len() + k.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            w.w(0, &format!("{k}:\n"));
            for part in value.split('\n') {
                w.w(
                    0,
                    &format!("\t  {}\n", shorten(part, MAX_ANNOTATION_LEN - 2)),
                );
            }
        } else {
            w.w(0, &format!("{k}: {value}\n"));
        }
    }
}

/// Cuts `s` to `max` bytes (on a character boundary) and marks the cut with `...`.
fn shorten(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &s[..end])
}

/// One toleration as kubectl prints it: `key=value:Effect op=Exists for 300s`.
pub fn toleration_text(t: &Value) -> String {
    let key = s(t, &["key"]);
    let value = s(t, &["value"]);
    let effect = s(t, &["effect"]);
    let mut out = key.to_string();
    if !value.is_empty() {
        out.push('=');
        out.push_str(value);
    }
    if !effect.is_empty() {
        out.push(':');
        out.push_str(effect);
    }
    if s(t, &["operator"]) == "Exists" && value.is_empty() {
        out.push_str(if key.is_empty() && effect.is_empty() {
            "op=Exists"
        } else {
            " op=Exists"
        });
    }
    if let Some(secs) = at(t, &["tolerationSeconds"]).and_then(Value::as_i64) {
        out.push_str(&format!(" for {secs}s"));
    }
    out
}

/// `Tolerations:\t...` sorted by key (stable, as kubectl's small-slice sort is).
pub fn tolerations_block(w: &mut Out, title: &str, list: &[Value]) {
    let mut items: Vec<&Value> = list.iter().collect();
    items.sort_by(|a, b| s(a, &["key"]).cmp(s(b, &["key"])));
    multiline(w, title, items.into_iter().map(toleration_text).collect());
}

/// A taint as `key=value:Effect`.
pub fn taint_text(t: &Value) -> String {
    let mut out = s(t, &["key"]).to_string();
    let value = s(t, &["value"]);
    if !value.is_empty() {
        out.push('=');
        out.push_str(value);
    }
    let effect = s(t, &["effect"]);
    if !effect.is_empty() {
        out.push(':');
        out.push_str(effect);
    }
    out
}

/// `Taints:\t...` sorted by effect, then key.
pub fn taints_block(w: &mut Out, title: &str, list: &[Value]) {
    let mut items: Vec<&Value> = list.iter().collect();
    items.sort_by(|a, b| {
        let ka = format!("{},{}", s(a, &["effect"]), s(a, &["key"]));
        let kb = format!("{},{}", s(b, &["effect"]), s(b, &["key"]));
        ka.cmp(&kb)
    });
    multiline(w, title, items.into_iter().map(taint_text).collect());
}

/// `Title:\tfirst` then `\tnext` lines, or `<none>`.
fn multiline(w: &mut Out, title: &str, lines: Vec<String>) {
    w.w(0, &format!("{title}:\t"));
    if lines.is_empty() {
        w.w(0, "<none>\n");
        return;
    }
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            w.w(0, "\t");
        }
        w.w(0, &format!("{line}\n"));
    }
}

/// `Kind/name` of the object's controller owner reference, if any.
pub fn controlled_by(o: &Value) -> Option<String> {
    arr(o, &["metadata", "ownerReferences"])
        .iter()
        .find(|r| at(r, &["controller"]).and_then(Value::as_bool) == Some(true))
        .map(|r| format!("{}/{}", s(r, &["kind"]), s(r, &["name"])))
}

/// The UID of the object's controller owner reference, if any.
pub fn controller_uid(o: &Value) -> Option<&str> {
    arr(o, &["metadata", "ownerReferences"])
        .iter()
        .find(|r| at(r, &["controller"]).and_then(Value::as_bool) == Some(true))
        .map(|r| s(r, &["uid"]))
}

/// A label map as a selector string `a=b,c=d` (sorted by key), "" when empty.
pub fn format_labels(map: Option<&Value>) -> String {
    map.map(|m| string_map(m, &[]))
        .unwrap_or_default()
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// A metav1.LabelSelector as its selector string (requirements sorted by key):
/// `a=b`, `k in (x,y)`, `k notin (x)`, `k`, `!k`. "" for an empty selector.
pub fn format_label_selector(sel: Option<&Value>) -> String {
    let Some(sel) = sel else {
        return String::new();
    };
    let mut reqs: Vec<(String, String)> = Vec::new();
    for (k, v) in string_map(sel, &["matchLabels"]) {
        reqs.push((k.clone(), format!("{k}={v}")));
    }
    for e in arr(sel, &["matchExpressions"]) {
        let key = s(e, &["key"]).to_string();
        let mut values: Vec<String> = arr(e, &["values"]).iter().map(scalar).collect();
        values.sort();
        values.dedup();
        let text = match s(e, &["operator"]) {
            "In" => format!("{key} in ({})", values.join(",")),
            "NotIn" => format!("{key} notin ({})", values.join(",")),
            "Exists" => key.clone(),
            "DoesNotExist" => format!("!{key}"),
            other => format!("{key} {other} ({})", values.join(",")),
        };
        reqs.push((key, text));
    }
    reqs.sort_by(|a, b| a.0.cmp(&b.0));
    reqs.into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join(",")
}

/// `FormatLabelSelector`: like `format_label_selector` but `<none>` when empty.
pub fn selector_or_none(sel: Option<&Value>) -> String {
    let text = format_label_selector(sel);
    if text.is_empty() {
        "<none>".to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tolerations_read_like_kubectl() {
        let t = json!({"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300});
        assert_eq!(
            toleration_text(&t),
            "node.kubernetes.io/not-ready:NoExecute op=Exists for 300s"
        );
        assert_eq!(
            toleration_text(&json!({"operator": "Exists", "effect": "NoSchedule"})),
            ":NoSchedule op=Exists"
        );
        assert_eq!(toleration_text(&json!({"operator": "Exists"})), "op=Exists");
        assert_eq!(
            toleration_text(
                &json!({"key": "k", "operator": "Equal", "value": "v", "effect": "NoSchedule"})
            ),
            "k=v:NoSchedule"
        );
    }

    #[test]
    fn label_selectors_sort_requirements_by_key() {
        let sel = json!({"matchLabels": {"b": "2", "a": "1"}, "matchExpressions": [
            {"key": "t", "operator": "NotIn", "values": ["y", "x"]}, {"key": "e", "operator": "Exists"},
            {"key": "z", "operator": "DoesNotExist"}, {"key": "c", "operator": "In", "values": ["q"]}]});
        assert_eq!(
            format_label_selector(Some(&sel)),
            "a=1,b=2,c in (q),e,t notin (x,y),!z"
        );
        assert_eq!(selector_or_none(Some(&json!({}))), "<none>");
        assert_eq!(format_labels(Some(&json!({"y": "1", "x": "2"}))), "x=2,y=1");
    }

    #[test]
    fn long_and_multiline_annotations_break_out() {
        let mut w = Out::new();
        let long = "v".repeat(150);
        annotations_block(
            &mut w,
            "Annotations",
            Some(&json!({"a": "x\ny\n", "b": long, "c": "short"})),
        );
        let text = w.finish();
        let expected = format!(
            "Annotations:  a:\n                x\n                y\n              b:\n                {}...\n              c: short\n",
            "v".repeat(138)
        );
        assert_eq!(text, expected);
    }

    #[test]
    fn controller_is_the_owner_marked_controller() {
        let o = json!({"metadata": {"ownerReferences": [
            {"kind": "Node", "name": "n", "uid": "1"},
            {"kind": "ReplicaSet", "name": "rs", "uid": "2", "controller": true}]}});
        assert_eq!(controlled_by(&o).as_deref(), Some("ReplicaSet/rs"));
        assert_eq!(controller_uid(&o), Some("2"));
    }
}
