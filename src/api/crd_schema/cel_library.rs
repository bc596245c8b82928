//! Kubernetes' own CEL libraries that the `cel` crate lacks: here the regex library
//! (`find`, `findAll`), and how the libraries' errors are worded; the others have modules
//! of their own (`cel_lists`, `cel_quantity`, `cel_urls`, `cel_net`, `cel_sets`,
//! `cel_format`, `cel_authz`).

use cel::common::types::{CelInt, CelList, CelString};
use cel::common::value::Val;
use cel::{Env, ExecutionError};

/// The `Val` of a CEL type kube's libraries add (an IP, a URL): a Rust value in a newtype,
/// equal when the values are.
macro_rules! opaque_value {
    ($ty:ty, $cel:expr) => {
        impl Val for $ty {
            fn get_type(&self) -> &Type {
                &$cel
            }
            fn cel_type() -> &'static Type {
                &$cel
            }
            fn equals(&self, other: &dyn Val) -> bool {
                other.downcast_ref::<$ty>().is_some_and(|o| o.0 == self.0)
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
pub(super) use opaque_value;

pub fn install(env: &mut Env) {
    let _ = cel::add_member_overload!(env, fn find: (CelString, CelString) -> Result<CelString>);
    let _ = cel::add_member_overload!(env, fn find_all: (CelString, CelString) -> Result<CelList>);
    let _ = cel::add_member_overload!(env, fn find_all_n: (CelString, CelString, CelInt) -> Result<CelList>,
        name = "findAll");
}

/// The function name that marks an error of kube's libraries, which kube reports bare.
const KUBE: &str = "kubernetes";

/// An evaluation error worded as kube's library words it.
pub(super) fn kube_error(message: impl ToString) -> ExecutionError {
    ExecutionError::function_error(KUBE, message)
}

/// The text kube gives an error of its own libraries (the authorization library's too);
/// None for the crate's own errors.
pub(super) fn kube_text(e: &ExecutionError) -> Option<String> {
    match e {
        ExecutionError::FunctionError { function, message }
            if function == KUBE || super::cel_authz::FUNCTIONS.contains(&function.as_str()) =>
        {
            Some(message.clone())
        }
        _ => None,
    }
}

fn regex(pattern: &str) -> Result<regex::Regex, ExecutionError> {
    regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| ExecutionError::function_error("find", e))
}

/// The first match of the pattern, or "" (kube's `'abc 123'.find('[0-9]+')`).
fn find(
    this: &CelString<'_>,
    pattern: &CelString<'_>,
) -> Result<CelString<'static>, ExecutionError> {
    let re = regex(pattern.inner())?;
    Ok(re
        .find(this.inner())
        .map(|m| m.as_str().to_string())
        .unwrap_or_default()
        .into())
}

fn find_all(
    this: &CelString<'_>,
    pattern: &CelString<'_>,
) -> Result<CelList<'static>, ExecutionError> {
    find_all_n(this, pattern, &CelInt::from(-1))
}

/// Up to n matches (all when n is negative).
fn find_all_n(
    this: &CelString<'_>,
    pattern: &CelString<'_>,
    n: &CelInt,
) -> Result<CelList<'static>, ExecutionError> {
    let re = regex(pattern.inner())?;
    let limit = usize::try_from(*n.inner()).unwrap_or(usize::MAX);
    Ok(re
        .find_iter(this.inner())
        .take(limit)
        .map(|m| Box::new(CelString::from(m.as_str().to_string())) as Box<dyn Val>)
        .collect::<Vec<_>>()
        .into())
}

/// A CEL expression's value in the rules' environment, or its error (for the libraries'
/// tests).
#[cfg(test)]
pub(super) fn eval(src: &str) -> Result<cel::Value, ExecutionError> {
    let p = super::rule::compile_expression(src).unwrap();
    p.execute(&cel::Context::with_env(super::rule::env()))
}

/// `eval` with the error as kube words it.
#[cfg(test)]
pub(super) fn eval_as_kube(src: &str) -> Result<cel::Value, String> {
    eval(src).map_err(|e| kube_text(&e).unwrap_or_else(|| e.to_string()))
}

#[cfg(test)]
mod tests {
    fn eval(src: &str) -> cel::Value {
        super::eval(src).unwrap()
    }

    #[test]
    fn regex_library() {
        assert_eq!(
            eval("'abc 123 45'.find('[0-9]+') == '123'"),
            cel::Value::Bool(true)
        );
        assert_eq!(eval("'abc'.find('[0-9]+') == ''"), cel::Value::Bool(true));
        assert_eq!(
            eval("'a1 b22 c333'.findAll('[0-9]+') == ['1', '22', '333']"),
            cel::Value::Bool(true)
        );
        assert_eq!(
            eval("'a1 b22 c333'.findAll('[0-9]+', 2) == ['1', '22']"),
            cel::Value::Bool(true)
        );
    }
}
