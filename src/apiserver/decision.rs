//! The authorizer chain kube-apiserver runs with `--authorization-mode=Node,RBAC`: the
//! superuser group, then the Node authorizer, then RBAC; the first that allows decides,
//! and a refusal carries the reasons the others gave.

use super::ApiServer;
use super::authorizer::{Attributes, User};
use super::node_authorizer::Opinion;

/// The chain's answer: allowed, or not with the reasons the authorizers gave (one a line,
/// as kube's union authorizer joins them).
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub allowed: bool,
    pub reason: String,
}

impl ApiServer {
    /// Whether `user` may do `what`: masters always; nodes as the Node authorizer says
    /// when it allows; everyone else as RBAC says. A policy that cannot be read allows
    /// nothing.
    pub fn decide(&self, user: &User, what: &Attributes) -> Decision {
        let allow = Decision {
            allowed: true,
            reason: String::new(),
        };
        if user.is_master() {
            return allow;
        }
        let mut reasons = Vec::new();
        match self.node_opinion(user, what) {
            Some(Opinion::Allow) => return allow,
            Some(Opinion::NoOpinion(why)) if !why.is_empty() => {
                reasons.push(why);
            }
            _ => {}
        }
        let namespace = what.resource.as_ref().map_or("", |r| r.namespace.as_str());
        if let Some(reason) = self
            .rbac_policy(namespace)
            .ok()
            .and_then(|p| p.allowing(user, what))
        {
            return Decision {
                allowed: true,
                reason,
            };
        }
        Decision {
            allowed: false,
            reason: reasons.join("\n"),
        }
    }

    /// Whether `user` may do `what` (`decide` without the reasons).
    pub fn authorize(&self, user: &User, what: &Attributes) -> bool {
        self.decide(user, what).allowed
    }
}
