//! API errors as kube-apiserver returns them (a `metav1.Status`) and as kubectl prints them.

use serde_json::{Value, json};
use std::fmt;

/// A failed API request: the `Status` object a real API server would send.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub code: u16,
    /// `NotFound`, `AlreadyExists`, `Conflict`, `Invalid`, `BadRequest`, ...
    pub reason: String,
    pub message: String,
    /// `details` of the Status (name, group, kind, causes), when there are any. Boxed to
    /// keep the error, which every API call returns, small.
    pub details: Option<Box<Value>>,
}

impl ApiError {
    pub fn new(code: u16, reason: &str, message: impl Into<String>) -> Self {
        ApiError {
            code,
            reason: reason.to_string(),
            message: message.into(),
            details: None,
        }
    }

    fn with_details(mut self, group: &str, kind: &str, name: &str) -> Self {
        let mut d = serde_json::Map::new();
        if !name.is_empty() {
            d.insert("name".into(), json!(name));
        }
        if !group.is_empty() {
            d.insert("group".into(), json!(group));
        }
        d.insert("kind".into(), json!(kind));
        self.details = Some(Box::new(Value::Object(d)));
        self
    }

    /// `pods "x" not found`; `resource` is the plural, `group` the API group.
    pub fn not_found(group: &str, resource: &str, name: &str) -> Self {
        let what = qualified(resource, group);
        ApiError::new(404, "NotFound", format!("{what} \"{name}\" not found"))
            .with_details(group, resource, name)
    }

    pub fn already_exists(group: &str, resource: &str, name: &str) -> Self {
        let what = qualified(resource, group);
        ApiError::new(
            409,
            "AlreadyExists",
            format!("{what} \"{name}\" already exists"),
        )
        .with_details(group, resource, name)
    }

    /// A write based on a stale resourceVersion.
    pub fn conflict(group: &str, resource: &str, name: &str) -> Self {
        let what = qualified(resource, group);
        ApiError::new(
            409,
            "Conflict",
            format!(
                "Operation cannot be fulfilled on {what} \"{name}\": the object has been modified; please apply your changes to the latest version and try again"
            ),
        )
        .with_details(group, resource, name)
    }

    /// 422 with the field errors as causes; `message` is the validation summary.
    pub fn invalid(
        group: &str,
        kind: &str,
        name: &str,
        message: String,
        causes: Vec<Value>,
    ) -> Self {
        let mut e = ApiError::new(422, "Invalid", message).with_details(group, kind, name);
        if let Some(Value::Object(d)) = e.details.as_deref_mut() {
            d.insert("causes".into(), Value::Array(causes));
        }
        e
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(400, "BadRequest", message)
    }

    /// kube-apiserver's 405 for a method a resource does not serve.
    pub fn method_not_allowed() -> Self {
        ApiError::new(
            405,
            "MethodNotAllowed",
            "the server does not allow this method on the requested resource",
        )
    }

    pub fn internal(message: impl Into<String>) -> Self {
        ApiError::new(500, "InternalError", message)
    }

    /// The namespace a namespaced object is created in must exist (NamespaceLifecycle).
    pub fn namespace_not_found(namespace: &str) -> Self {
        ApiError::not_found("", "namespaces", namespace)
    }

    /// The `Status` object of this error.
    pub fn to_status(&self) -> Value {
        let mut s = json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
        });
        // `reason` is omitempty: an error that is not a Status (etcd's NOSPACE) has none.
        if self.reason.is_empty()
            && let Some(obj) = s.as_object_mut()
        {
            obj.remove("reason");
        }
        if let Some(d) = &self.details {
            s["details"] = (**d).clone();
        }
        s["code"] = json!(self.code);
        s
    }

    /// Rebuilds an error from a `Status` body a server sent.
    pub fn from_status(code: u16, status: &Value) -> Self {
        ApiError {
            code,
            reason: status["reason"].as_str().unwrap_or("").to_string(),
            message: status["message"].as_str().unwrap_or("").to_string(),
            details: status.get("details").cloned().map(Box::new),
        }
    }
}

/// What kubectl prints for a failed request: `Error from server (NotFound): pods "x" not found`.
impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.reason.is_empty() {
            write!(f, "Error from server: {}", self.message)
        } else {
            write!(f, "Error from server ({}): {}", self.reason, self.message)
        }
    }
}

impl std::error::Error for ApiError {}

fn qualified(resource: &str, group: &str) -> String {
    if group.is_empty() {
        resource.to_string()
    } else {
        format!("{resource}.{group}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_matches_kube_apiserver() {
        let e = ApiError::not_found("", "pods", "nope");
        assert_eq!(
            e.to_string(),
            "Error from server (NotFound): pods \"nope\" not found"
        );
        assert_eq!(
            serde_json::to_string(&e.to_status()).unwrap(),
            r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"nope\" not found","reason":"NotFound","details":{"name":"nope","kind":"pods"},"code":404}"#
        );
        let d = ApiError::not_found("apps", "deployments", "web");
        assert_eq!(d.message, "deployments.apps \"web\" not found");
        assert_eq!(d.details.unwrap()["group"], "apps");
    }

    #[test]
    fn round_trips_through_status() {
        let e = ApiError::already_exists("", "pods", "x");
        assert_eq!(ApiError::from_status(409, &e.to_status()), e);
    }
}
