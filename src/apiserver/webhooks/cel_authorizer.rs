//! The `authorizer` of admission CEL (policies' expressions, webhooks' matchConditions):
//! checks for the request's user, answered by the API server's own authorizer chain, and
//! `authorizer.requestResource`, the request's resource.

use super::super::ApiServer;
use super::super::authorizer::{Attributes as Asked, ResourceAttributes, User, exact_fields};
use super::{Attributes, review};
use crate::api::crd_schema::cel_authz::{Answer, Principal, Query, ResourceQuery};

/// Whom the checks of a request's expressions are for.
pub fn principal(attrs: &Attributes) -> Principal {
    let (user, groups) = review::requester(attrs);
    let r = attrs.requested();
    Principal {
        user,
        groups,
        request_resource: Some(ResourceQuery {
            group: r.group.to_string(),
            resource: r.plural.to_string(),
            subresource: attrs.subresource.unwrap_or("").to_string(),
            namespace: attrs
                .namespace
                .filter(|_| attrs.resource.namespaced)
                .unwrap_or("")
                .to_string(),
            name: attrs.name.to_string(),
            ..ResourceQuery::default()
        }),
    }
}

impl ApiServer {
    /// One check, decided as the request's own authorization is.
    pub(in crate::apiserver) fn answer_check(&self, q: &Query) -> Answer {
        let user = User {
            name: q.user.clone(),
            groups: q.groups.clone(),
        };
        let what = Asked {
            verb: q.verb.clone(),
            resource: q.resource.as_ref().map(|r| ResourceAttributes {
                group: r.group.clone(),
                resource: r.resource.clone(),
                subresource: r.subresource.clone(),
                namespace: r.namespace.clone(),
                name: r.name.clone(),
                field_selector: exact_fields(&r.field_selector),
            }),
            path: q.path.clone(),
        };
        let decision = self.decide(&user, &what);
        Answer {
            allowed: decision.allowed,
            reason: decision.reason,
            error: String::new(),
        }
    }
}
