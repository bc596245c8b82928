//! Options of API requests, shared by the API server and its clients.

/// Request header kubelite's `Remote` client sends on a watch: deliver what is there, then a
/// BOOKMARK with the revision to resume at, then end the stream.
pub const WATCH_DRAIN_HEADER: &str = "x-kubelite-watch";

/// Query of a list or watch (`labelSelector`, `fieldSelector`, `limit`, `continue`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListOptions {
    pub label_selector: Option<String>,
    pub field_selector: Option<String>,
    /// Page size; 0 or unset means everything.
    pub limit: Option<i64>,
    pub continue_token: Option<String>,
    /// Only objects whose name starts with this (kubelite's own; not part of the HTTP API,
    /// where a client filters the list itself). Lets the event recorder read one object's
    /// events without scanning the namespace's.
    pub name_prefix: Option<String>,
    /// For Tables: carry each whole object in its row (`includeObject=Object`), as
    /// `--sort-by` needs, instead of only its metadata.
    pub include_object: bool,
}

impl ListOptions {
    pub fn labels(selector: Option<&str>) -> Self {
        ListOptions {
            label_selector: selector.map(str::to_string),
            ..Default::default()
        }
    }
}

/// Options of create, update and patch.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WriteOptions {
    /// `dryRun=All`: run the whole pipeline, persist nothing.
    pub dry_run: bool,
    pub field_manager: Option<String>,
    /// The subresource written through (`status`, `scale`), as managedFields record it.
    pub subresource: Option<&'static str>,
    /// The object's managedFields were computed already (server-side apply): keep them
    /// instead of recording an update.
    pub managed_fields_computed: bool,
    /// `fieldValidation` sent to a server (`Strict`, `Warn`, `Ignore`); unset sends none.
    pub field_validation: Option<&'static str>,
    /// Who sends the request, for what the API server records of its sender (a
    /// CertificateSigningRequest's spec.username and groups); never sent over the wire.
    pub requester: Option<Requester>,
    /// The version the client wrote through when the API server stores the object at
    /// another (admission reports it as `requestKind` and matches rules against it first).
    pub requested_as: Option<&'static crate::api::registry::Resource>,
}

/// The authenticated user behind a write, as the API server's request context knows it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Requester {
    pub name: String,
    pub groups: Vec<String>,
}

/// `DeleteOptions`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeleteOptions {
    pub dry_run: bool,
    /// `Background`, `Foreground` or `Orphan`.
    pub propagation_policy: Option<String>,
    pub grace_period_seconds: Option<i64>,
    /// Who sends the request, for admission (as `WriteOptions::requester`).
    pub requester: Option<Requester>,
    /// As `WriteOptions::requested_as`.
    pub requested_as: Option<&'static crate::api::registry::Resource>,
}

/// The patch formats kube-apiserver accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchType {
    /// RFC 7386 (`application/merge-patch+json`).
    Merge,
    /// RFC 6902 (`application/json-patch+json`).
    Json,
    /// Kubernetes' strategic merge patch.
    Strategic,
}

impl PatchType {
    /// The Content-Type a PATCH of this type is sent with.
    pub fn content_type(self) -> &'static str {
        match self {
            PatchType::Merge => "application/merge-patch+json",
            PatchType::Json => "application/json-patch+json",
            PatchType::Strategic => "application/strategic-merge-patch+json",
        }
    }

    /// The type a Content-Type names (parameters such as `; charset=utf-8` ignored).
    pub fn from_content_type(content_type: &str) -> Option<PatchType> {
        let base = content_type.split(';').next().unwrap_or("").trim();
        [PatchType::Merge, PatchType::Json, PatchType::Strategic]
            .into_iter()
            .find(|t| t.content_type() == base)
    }
}

/// One change seen by a watch.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchEvent {
    /// `ADDED`, `MODIFIED` or `DELETED`.
    pub kind: &'static str,
    pub object: serde_json::Value,
}

/// The `fieldValidation` kubectl sends for `--validate`: the server judges unknown and
/// duplicate fields.
pub fn field_validation(validate: &str) -> Option<&'static str> {
    match validate {
        "strict" | "true" => Some("Strict"),
        "warn" => Some("Warn"),
        "ignore" | "false" => Some("Ignore"),
        _ => None,
    }
}

/// kubectl's refusal of a `--validate` value it does not know.
pub fn check_validate_flag(validate: &str) -> Result<(), String> {
    match field_validation(validate) {
        Some(_) => Ok(()),
        None => Err(format!(
            "invalid - validate option \"{validate}\"; must be one of: strict (or true), warn, ignore (or false)"
        )),
    }
}
