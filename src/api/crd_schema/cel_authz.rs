//! kube's authorization library for CEL: the `authorizer` variable of admission
//! expressions (`authorizer.group('apps').resource('deployments').namespace('x')
//! .check('create').allowed()`, `authorizer.path('/healthz').check('get')`,
//! `authorizer.serviceAccount(ns, name)`, `authorizer.requestResource`), with kube 1.32's
//! types, functions and errors.
//!
//! The checks are answered by the API server's authorizer, which lives above this layer and
//! on another thread: expressions run on the CEL thread, so each check is sent to the thread
//! that waits for the evaluation (`Asker`), which decides it and sends the answer back.

use cel::common::traits::Indexer;
use cel::common::types::{CelBool, CelString, Type};
use cel::common::value::{CowVal, StaticVal, Val};
use cel::{Env, ExecutionError};
use std::any::Any;
use std::sync::Arc;
use std::sync::mpsc::{Sender, SyncSender};

/// What one check asks about.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    pub user: String,
    pub groups: Vec<String>,
    pub verb: String,
    /// `None`: a non-resource request for `path`.
    pub resource: Option<ResourceQuery>,
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResourceQuery {
    pub group: String,
    pub resource: String,
    pub subresource: String,
    pub namespace: String,
    pub name: String,
    pub field_selector: String,
    pub label_selector: String,
}

/// The authorizer's decision.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Answer {
    pub allowed: bool,
    pub reason: String,
    /// Why the authorizer could not decide ("" when it did).
    pub error: String,
}

/// One check on its way to the thread that answers it.
pub type Question = (Query, SyncSender<Answer>);

/// Sends checks to the thread waiting for the evaluation.
#[derive(Clone)]
pub struct Asker(pub Sender<Question>);

impl std::fmt::Debug for Asker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Asker")
    }
}

impl Asker {
    fn ask(&self, query: Query) -> Answer {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let unanswered = || Answer {
            error: "the authorizer did not answer".into(),
            ..Answer::default()
        };
        if self.0.send((query, tx)).is_err() {
            return unanswered();
        }
        rx.recv().unwrap_or_else(|_| unanswered())
    }
}

/// The `authorizer` variable's content: whom checks are for, and the request's own
/// resource (`authorizer.requestResource`).
#[derive(Debug, Clone)]
pub struct Principal {
    pub user: String,
    pub groups: Vec<String>,
    pub request_resource: Option<ResourceQuery>,
}

static AUTHORIZER: Type = Type::new_unspecified_type("kubernetes.authorization.Authorizer");
static PATH_CHECK: Type = Type::new_unspecified_type("kubernetes.authorization.PathCheck");
static GROUP_CHECK: Type = Type::new_unspecified_type("kubernetes.authorization.GroupCheck");
static RESOURCE_CHECK: Type = Type::new_unspecified_type("kubernetes.authorization.ResourceCheck");
static DECISION: Type = Type::new_unspecified_type("kubernetes.authorization.Decision");

#[derive(Debug, Clone)]
pub struct Authorizer {
    principal: Arc<Principal>,
    asker: Asker,
}

impl Authorizer {
    pub fn new(principal: Principal, asker: Asker) -> Self {
        Authorizer {
            principal: Arc::new(principal),
            asker,
        }
    }
}

#[derive(Debug, Clone)]
struct PathCheck {
    authorizer: Authorizer,
    path: String,
}

#[derive(Debug, Clone)]
struct GroupCheck {
    authorizer: Authorizer,
    group: String,
}

#[derive(Debug, Clone)]
struct ResourceCheck {
    authorizer: Authorizer,
    query: ResourceQuery,
}

#[derive(Debug, Clone)]
struct Decision(Answer);

/// The `Val` plumbing of a receiver-only type: its CEL type, copying, downcasting.
macro_rules! receiver_only {
    ($ty:ty, $cel:expr) => {
        impl Val for $ty {
            fn get_type(&self) -> &Type {
                &$cel
            }
            fn cel_type() -> &'static Type {
                &$cel
            }
            fn clone_as_boxed<'v>(&self) -> Box<dyn Val + 'v> {
                Box::new(self.clone())
            }
            fn as_any(&self) -> Option<&dyn Any> {
                Some(self)
            }
        }
        impl StaticVal for $ty {}
    };
}

receiver_only!(PathCheck, PATH_CHECK);
receiver_only!(GroupCheck, GROUP_CHECK);
receiver_only!(ResourceCheck, RESOURCE_CHECK);
receiver_only!(Decision, DECISION);

impl Val for Authorizer {
    fn get_type(&self) -> &Type {
        &AUTHORIZER
    }
    fn cel_type() -> &'static Type {
        &AUTHORIZER
    }
    fn clone_as_boxed<'v>(&self) -> Box<dyn Val + 'v> {
        Box::new(self.clone())
    }
    fn as_any(&self) -> Option<&dyn Any> {
        Some(self)
    }
    fn as_indexer<'b, 'v>(&'b self) -> Option<&'b (dyn Indexer + 'v)>
    where
        Self: 'v,
    {
        Some(self)
    }
}
impl StaticVal for Authorizer {}

/// `authorizer.requestResource`: a ResourceCheck of the request's own resource (kube
/// declares it as a variable of its own; here it is a field of the root authorizer).
impl Indexer for Authorizer {
    fn get<'b, 'v>(&'b self, idx: &dyn Val) -> Result<CowVal<'b, 'v>, ExecutionError>
    where
        Self: 'v,
    {
        let field = idx
            .downcast_ref::<CelString>()
            .map(|s| s.inner().to_string());
        match (field.as_deref(), &self.principal.request_resource) {
            (Some("requestResource"), Some(query)) => Ok(CowVal::owned(ResourceCheck {
                authorizer: self.clone(),
                query: query.clone(),
            })),
            _ => Err(ExecutionError::NoSuchKey(Arc::new(
                field.unwrap_or_default(),
            ))),
        }
    }

    fn steal<'v>(self: Box<Self>, idx: &dyn Val) -> Result<Box<dyn Val + 'v>, ExecutionError>
    where
        Self: 'v,
    {
        self.get(idx).map(|v| v.clone_as_boxed())
    }
}

/// The library's functions, added to the one CEL environment (they apply only to these
/// types, so expressions without `authorizer` are unaffected).
pub fn install(env: &mut Env) {
    let _ = cel::add_member_overload!(env, fn path: (Authorizer, CelString) -> Result<PathCheck>);
    let _ = cel::add_member_overload!(env, fn group: (Authorizer, CelString) -> GroupCheck);
    let _ = cel::add_member_overload!(env,
        fn service_account: (Authorizer, CelString, CelString) -> Result<Authorizer>);
    let _ = cel::add_member_overload!(env, fn resource: (GroupCheck, CelString) -> Result<ResourceCheck>);
    let _ =
        cel::add_member_overload!(env, fn subresource: (ResourceCheck, CelString) -> ResourceCheck);
    let _ =
        cel::add_member_overload!(env, fn namespace: (ResourceCheck, CelString) -> ResourceCheck);
    let _ = cel::add_member_overload!(env, fn name: (ResourceCheck, CelString) -> ResourceCheck);
    let _ = cel::add_member_overload!(env, fn field_selector: (ResourceCheck, CelString) -> ResourceCheck);
    let _ = cel::add_member_overload!(env, fn label_selector: (ResourceCheck, CelString) -> ResourceCheck);
    let _ = cel::add_member_overload!(env, fn check_resource: (ResourceCheck, CelString) -> Decision,
        name = "check");
    let _ = cel::add_member_overload!(env, fn check_path: (PathCheck, CelString) -> Decision,
        name = "check");
    let _ = cel::add_member_overload!(env, fn allowed: (Decision) -> CelBool);
    let _ = cel::add_member_overload!(env, fn reason: (Decision) -> CelString);
    let _ = cel::add_member_overload!(env, fn errored: (Decision) -> CelBool);
    let _ = cel::add_member_overload!(env, fn error: (Decision) -> CelString);
}

/// The functions whose errors kube reports bare (without the crate's "Error executing
/// function" prefix).
pub const FUNCTIONS: &[&str] = &["path", "serviceAccount", "resource"];

fn path(this: &Authorizer, p: &CelString<'_>) -> Result<PathCheck, ExecutionError> {
    if p.inner().trim().is_empty() {
        return Err(ExecutionError::function_error(
            "path",
            "path must not be empty",
        ));
    }
    Ok(PathCheck {
        authorizer: this.clone(),
        path: p.inner().to_string(),
    })
}

fn group(this: &Authorizer, g: &CelString<'_>) -> GroupCheck {
    GroupCheck {
        authorizer: this.clone(),
        group: g.inner().to_string(),
    }
}

/// An authorizer for a service account: kube's user name and groups for it.
fn service_account(
    this: &Authorizer,
    namespace: &CelString<'_>,
    name: &CelString<'_>,
) -> Result<Authorizer, ExecutionError> {
    let (namespace, name) = (namespace.inner(), name.inner());
    let invalid = |what: &str| ExecutionError::function_error("serviceAccount", what);
    if !crate::api::names::is_dns1123_subdomain(name).is_empty() {
        return Err(invalid("Invalid service account name"));
    }
    if !crate::api::names::is_dns1123_label(namespace).is_empty() {
        return Err(invalid("Invalid service account namespace"));
    }
    Ok(Authorizer {
        principal: Arc::new(Principal {
            user: format!("system:serviceaccount:{namespace}:{name}"),
            groups: vec![
                "system:serviceaccounts".into(),
                format!("system:serviceaccounts:{namespace}"),
            ],
            request_resource: None,
        }),
        asker: this.asker.clone(),
    })
}

fn resource(this: &GroupCheck, r: &CelString<'_>) -> Result<ResourceCheck, ExecutionError> {
    if r.inner().trim().is_empty() {
        return Err(ExecutionError::function_error(
            "resource",
            "resource must not be empty",
        ));
    }
    Ok(ResourceCheck {
        authorizer: this.authorizer.clone(),
        query: ResourceQuery {
            group: this.group.clone(),
            resource: r.inner().to_string(),
            ..ResourceQuery::default()
        },
    })
}

fn with(this: &ResourceCheck, set: impl FnOnce(&mut ResourceQuery)) -> ResourceCheck {
    let mut out = this.clone();
    set(&mut out.query);
    out
}

fn subresource(this: &ResourceCheck, s: &CelString<'_>) -> ResourceCheck {
    with(this, |q| q.subresource = s.inner().to_string())
}

fn namespace(this: &ResourceCheck, s: &CelString<'_>) -> ResourceCheck {
    with(this, |q| q.namespace = s.inner().to_string())
}

fn name(this: &ResourceCheck, s: &CelString<'_>) -> ResourceCheck {
    with(this, |q| q.name = s.inner().to_string())
}

fn field_selector(this: &ResourceCheck, s: &CelString<'_>) -> ResourceCheck {
    with(this, |q| q.field_selector = s.inner().to_string())
}

fn label_selector(this: &ResourceCheck, s: &CelString<'_>) -> ResourceCheck {
    with(this, |q| q.label_selector = s.inner().to_string())
}

fn ask(
    authorizer: &Authorizer,
    verb: &str,
    resource: Option<ResourceQuery>,
    path: &str,
) -> Decision {
    let p = &authorizer.principal;
    Decision(authorizer.asker.ask(Query {
        user: p.user.clone(),
        groups: p.groups.clone(),
        verb: verb.to_string(),
        resource,
        path: path.to_string(),
    }))
}

fn check_resource(this: &ResourceCheck, verb: &CelString<'_>) -> Decision {
    ask(&this.authorizer, verb.inner(), Some(this.query.clone()), "")
}

fn check_path(this: &PathCheck, verb: &CelString<'_>) -> Decision {
    ask(&this.authorizer, verb.inner(), None, &this.path)
}

fn allowed(this: &Decision) -> CelBool {
    CelBool::from(this.0.allowed)
}

fn reason(this: &Decision) -> CelString<'static> {
    CelString::from(this.0.reason.clone())
}

fn errored(this: &Decision) -> CelBool {
    CelBool::from(!this.0.error.is_empty())
}

fn error(this: &Decision) -> CelString<'static> {
    CelString::from(this.0.error.clone())
}

#[cfg(test)]
mod tests {
    use super::super::expression::{Outcome, evaluate};
    use super::super::rule::compile_expression;
    use super::*;
    use std::sync::Mutex;

    /// Evaluates `src` for user `jane` on a request for `pods/status` "p" in "ns"; checks
    /// are answered by `allow` and recorded.
    fn eval(src: &str, asked: &Mutex<Vec<Query>>) -> Result<Outcome, String> {
        let principal = Principal {
            user: "jane".into(),
            groups: vec!["devs".into()],
            request_resource: Some(ResourceQuery {
                resource: "pods".into(),
                subresource: "status".into(),
                namespace: "ns".into(),
                name: "p".into(),
                ..ResourceQuery::default()
            }),
        };
        let program = Arc::new(compile_expression(src).expect("compiles"));
        evaluate(program, Vec::new(), Some(principal), |q: &Query| {
            asked.lock().unwrap().push(q.clone());
            let allowed = q.user == "jane" && q.verb == "get";
            Answer {
                allowed,
                reason: if allowed {
                    "granted".into()
                } else {
                    String::new()
                },
                error: String::new(),
            }
        })
    }

    #[test]
    fn checks_reach_the_authorizer_with_what_the_chain_built() {
        let asked = Mutex::new(Vec::new());
        let yes = "authorizer.group('apps').resource('deployments').subresource('scale').namespace('ns').name('web').check('get')";
        assert_eq!(
            eval(&format!("{yes}.allowed()"), &asked),
            Ok(Outcome::Bool(true))
        );
        assert_eq!(
            eval(&format!("{yes}.reason()"), &asked),
            Ok(Outcome::Text("granted".into()))
        );
        assert_eq!(
            eval(&format!("{yes}.errored()"), &asked),
            Ok(Outcome::Bool(false))
        );
        assert_eq!(
            eval(&format!("{yes}.error()"), &asked),
            Ok(Outcome::Text(String::new()))
        );
        let q = asked.lock().unwrap()[0].clone();
        assert_eq!(
            q,
            Query {
                user: "jane".into(),
                groups: vec!["devs".into()],
                verb: "get".into(),
                resource: Some(ResourceQuery {
                    group: "apps".into(),
                    resource: "deployments".into(),
                    subresource: "scale".into(),
                    namespace: "ns".into(),
                    name: "web".into(),
                    ..ResourceQuery::default()
                }),
                path: String::new(),
            }
        );
        asked.lock().unwrap().clear();
        assert_eq!(
            eval(
                "authorizer.path('/healthz').check('post').allowed()",
                &asked
            ),
            Ok(Outcome::Bool(false))
        );
        assert_eq!(
            eval("authorizer.requestResource.check('get').allowed()", &asked),
            Ok(Outcome::Bool(true))
        );
        assert_eq!(
            eval(
                "authorizer.serviceAccount('kube-system', 'ctl').group('').resource('pods').check('get').allowed()",
                &asked
            ),
            Ok(Outcome::Bool(false))
        );
        let asked = asked.lock().unwrap();
        assert_eq!(
            (asked[0].path.as_str(), asked[0].resource.is_none()),
            ("/healthz", true)
        );
        assert_eq!(
            asked[1].resource.as_ref().map(|r| (
                r.resource.as_str(),
                r.subresource.as_str(),
                r.name.as_str()
            )),
            Some(("pods", "status", "p"))
        );
        assert_eq!(asked[2].user, "system:serviceaccount:kube-system:ctl");
        assert_eq!(
            asked[2].groups,
            [
                "system:serviceaccounts",
                "system:serviceaccounts:kube-system"
            ]
        );
    }

    #[test]
    fn bad_arguments_fail_in_kubes_words() {
        let asked = Mutex::new(Vec::new());
        assert_eq!(
            eval("authorizer.path(' ').check('get').allowed()", &asked),
            Err("path must not be empty".into())
        );
        assert_eq!(
            eval(
                "authorizer.group('').resource('').check('get').allowed()",
                &asked
            ),
            Err("resource must not be empty".into())
        );
        assert_eq!(
            eval(
                "authorizer.serviceAccount('ns', 'Bad!').path('/x').check('get').allowed()",
                &asked
            ),
            Err("Invalid service account name".into())
        );
        assert_eq!(
            eval(
                "authorizer.serviceAccount('Bad.ns', 'ok').path('/x').check('get').allowed()",
                &asked
            ),
            Err("Invalid service account namespace".into())
        );
        assert!(asked.lock().unwrap().is_empty());
    }
}
