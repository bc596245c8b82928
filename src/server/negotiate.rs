//! Content negotiation: which of the representations kubelite produces the client's
//! `Accept` header asks for first.

/// What a response may be rendered as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Representation {
    /// Plain JSON: the object, or a `<Kind>List`.
    Json,
    /// A `meta.k8s.io/v1` Table (server-side printing).
    Table,
    /// Aggregated discovery (`apidiscovery.k8s.io/v2` `APIGroupDiscoveryList`).
    AggregatedDiscovery,
}

pub const TABLE_CONTENT_TYPE: &str = "application/json;as=Table;v=v1;g=meta.k8s.io";
pub const AGGREGATED_CONTENT_TYPE: &str =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

/// Walks the media types of `accept` in order and returns the first one kubelite can
/// produce among `offered`; JSON when nothing matches (protobuf is answered with JSON, as
/// clients fall back to it).
pub fn choose(accept: &str, offered: &[Representation]) -> Representation {
    for media in accept.split(',') {
        let mut parts = media.split(';').map(str::trim);
        let base = parts.next().unwrap_or("");
        let mut params = (None, None, None);
        for p in parts {
            match p.split_once('=') {
                Some(("as", v)) => params.0 = Some(v),
                Some(("v", v)) => params.1 = Some(v),
                Some(("g", v)) => params.2 = Some(v),
                _ => {}
            }
        }
        if !matches!(base, "application/json" | "*/*" | "application/*") {
            continue;
        }
        let candidate = match params {
            (None, _, _) => Representation::Json,
            (Some("Table"), Some("v1" | "v1beta1"), Some("meta.k8s.io")) => Representation::Table,
            (Some("APIGroupDiscoveryList"), Some("v2"), Some("apidiscovery.k8s.io")) => {
                Representation::AggregatedDiscovery
            }
            _ => continue,
        };
        if candidate == Representation::Json || offered.contains(&candidate) {
            return candidate;
        }
    }
    Representation::Json
}

#[cfg(test)]
mod tests {
    use super::*;
    use Representation::*;

    #[test]
    fn kubectl_get_asks_for_a_table() {
        let accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
        assert_eq!(choose(accept, &[Table]), Table);
        assert_eq!(choose(accept, &[]), Json);
        assert_eq!(choose("application/json", &[Table]), Json);
        assert_eq!(
            choose(
                "application/vnd.kubernetes.protobuf,application/json",
                &[Table]
            ),
            Json
        );
    }

    #[test]
    fn aggregated_discovery_only_for_v2() {
        let new = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
        let old = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
        assert_eq!(choose(new, &[AggregatedDiscovery]), AggregatedDiscovery);
        assert_eq!(choose(old, &[AggregatedDiscovery]), Json);
        assert_eq!(choose("", &[AggregatedDiscovery]), Json);
    }
}
