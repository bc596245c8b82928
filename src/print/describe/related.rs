//! What a describer needs besides the object: the queries of its fetch plan, and the
//! plain value ([`Related`]) their answers are gathered into for the render.
//!
//! Nothing here talks to a cluster; the describe verb runs the queries and hands each
//! answer to [`Related::record`].

use serde_json::Value;

/// One request of a fetch plan, with the selectors exactly as kubectl sends them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Where the answer is kept in [`Related`].
    pub slot: Slot,
    /// Plural resource name: "events", "pods", "replicasets", "leases", ...
    pub resource: &'static str,
    /// The namespace; `None` lists across all namespaces (or gets a cluster-scoped object).
    pub namespace: Option<String>,
    pub select: Select,
    /// kubectl gives up on the whole describe when this request fails; for the other
    /// requests the render decides what a failure shows.
    pub must_succeed: bool,
}

/// Which objects a query asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Select {
    /// A list, filtered by a label and/or a field selector.
    List {
        labels: Option<String>,
        fields: Option<String>,
    },
    /// One object by name; its absence is an answer, not an error.
    Named(String),
}

/// The kinds of related objects describers show, one field of [`Related`] each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Events,
    Pods,
    ReplicaSets,
    EndpointSlices,
    Secrets,
    ResourceQuotas,
    LimitRanges,
    Lease,
    /// An Ingress backend's EndpointSlices, one query per service backend, in order.
    BackendSlices,
    /// An Ingress backend's Service, one query per service backend, in order.
    BackendService,
}

/// A query's answer: the listed objects, or the named object if it exists.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Objects(Vec<Value>),
    Object(Option<Value>),
}

impl Answer {
    fn into_objects(self) -> Vec<Value> {
        match self {
            Answer::Objects(list) => list,
            Answer::Object(one) => one.into_iter().collect(),
        }
    }

    fn into_object(self) -> Option<Value> {
        match self {
            Answer::Objects(list) => list.into_iter().next(),
            Answer::Object(one) => one,
        }
    }
}

/// Everything the fetch plan brought back; the render reads only this and the object.
/// A failed request keeps its error where kubectl prints it (or prints around it).
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    /// `None` when events were not asked for (`--show-events=false`): no Events section.
    /// A failed events query adds no events, as in kubectl.
    pub events: Option<Vec<Value>>,
    /// The pods of a workload's selector, or of a node.
    pub pods: Result<Vec<Value>, String>,
    pub replica_sets: Result<Vec<Value>, String>,
    /// A Service's EndpointSlices.
    pub endpoint_slices: Result<Vec<Value>, String>,
    /// The Secrets of a ServiceAccount's namespace.
    pub secrets: Result<Vec<Value>, String>,
    pub resource_quotas: Result<Vec<Value>, String>,
    pub limit_ranges: Result<Vec<Value>, String>,
    /// A node's heartbeat Lease (`Ok(None)`: it does not exist).
    pub lease: Result<Option<Value>, String>,
    /// An Ingress's service backends, in the order they were asked for.
    pub backend_slices: Vec<Result<Vec<Value>, String>>,
    pub backend_services: Vec<Result<Option<Value>, String>>,
}

impl Default for Related {
    fn default() -> Self {
        Related {
            events: None,
            pods: Ok(Vec::new()),
            replica_sets: Ok(Vec::new()),
            endpoint_slices: Ok(Vec::new()),
            secrets: Ok(Vec::new()),
            resource_quotas: Ok(Vec::new()),
            limit_ranges: Ok(Vec::new()),
            lease: Ok(None),
            backend_slices: Vec::new(),
            backend_services: Vec::new(),
        }
    }
}

impl Related {
    /// Keeps one query's answer under its slot. An `Err` back means the describe fails
    /// here (the query must succeed), so the queries after it are not sent.
    pub fn record(&mut self, query: &Query, answer: Result<Answer, String>) -> Result<(), String> {
        if query.must_succeed
            && let Err(e) = &answer
        {
            return Err(e.clone());
        }
        let objects = |answer: Result<Answer, String>| answer.map(Answer::into_objects);
        match query.slot {
            Slot::Events => {
                let found = objects(answer).unwrap_or_default();
                self.events.get_or_insert_default().extend(found);
            }
            Slot::Pods => self.pods = objects(answer),
            Slot::ReplicaSets => self.replica_sets = objects(answer),
            Slot::EndpointSlices => self.endpoint_slices = objects(answer),
            Slot::Secrets => self.secrets = objects(answer),
            Slot::ResourceQuotas => self.resource_quotas = objects(answer),
            Slot::LimitRanges => self.limit_ranges = objects(answer),
            Slot::Lease => self.lease = answer.map(Answer::into_object),
            Slot::BackendSlices => self.backend_slices.push(objects(answer)),
            Slot::BackendService => self.backend_services.push(answer.map(Answer::into_object)),
        }
        Ok(())
    }
}

/// A list query in one namespace with an optional label selector (empty means none).
pub fn list_in(slot: Slot, resource: &'static str, namespace: &str, labels: &str) -> Query {
    Query {
        slot,
        resource,
        namespace: Some(namespace.to_string()),
        select: Select::List {
            labels: (!labels.is_empty()).then(|| labels.to_string()),
            fields: None,
        },
        must_succeed: false,
    }
}

impl Query {
    /// The same query, failing the describe when it fails.
    pub fn required(self) -> Query {
        Query {
            must_succeed: true,
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn events_query() -> Query {
        list_in(Slot::Events, "events", "ns", "")
    }

    #[test]
    fn events_of_several_queries_add_up_and_failures_add_none() {
        let mut r = Related::default();
        assert_eq!(r.events, None);
        let q = events_query();
        r.record(&q, Ok(Answer::Objects(vec![json!({"reason": "A"})])))
            .expect("kept");
        r.record(&q, Err("forbidden".to_string())).expect("ignored");
        r.record(&q, Ok(Answer::Objects(vec![json!({"reason": "B"})])))
            .expect("kept");
        assert_eq!(
            r.events,
            Some(vec![json!({"reason": "A"}), json!({"reason": "B"})])
        );
    }

    #[test]
    fn a_required_query_fails_the_describe_others_keep_the_error() {
        let mut r = Related::default();
        let pods = list_in(Slot::Pods, "pods", "ns", "app=web");
        r.record(&pods, Err("boom".to_string())).expect("kept");
        assert_eq!(r.pods, Err("boom".to_string()));
        let required = pods.required();
        assert_eq!(
            r.record(&required, Err("boom".to_string())),
            Err("boom".to_string())
        );
    }
}
