//! cel-go's sets library, which kube offers from 1.29: `sets.contains(a, b)` (every element
//! of b is in a), `sets.equivalent(a, b)` (each contains the other) and `sets.intersects(a,
//! b)` (some element in both), on lists, elements compared by CEL equality (`1 == 1.0`).

use cel::common::types::{CelBool, LIST_TYPE};
use cel::common::value::{CowVal, Val};
use cel::{Env, ExecutionError};

pub fn install(env: &mut Env) {
    let _ = env.add_overload(
        "sets.contains",
        "list_sets_contains_list",
        vec![LIST_TYPE, LIST_TYPE],
        contains,
    );
    let _ = env.add_overload(
        "sets.equivalent",
        "list_sets_equivalent_list",
        vec![LIST_TYPE, LIST_TYPE],
        equivalent,
    );
    let _ = env.add_overload(
        "sets.intersects",
        "list_sets_intersects_list",
        vec![LIST_TYPE, LIST_TYPE],
        intersects,
    );
}

type Args<'b, 'v> = Vec<CowVal<'b, 'v>>;
type Answer<'b, 'v> = Result<CowVal<'b, 'v>, ExecutionError>;
/// A list's elements, borrowed.
type Items<'a, 'v> = Vec<&'a (dyn Val + 'v)>;

fn elements<'b, 'v>(list: &'b (dyn Val + 'v)) -> Result<Items<'b, 'v>, ExecutionError> {
    let iterable = list
        .as_iterable()
        .ok_or_else(|| ExecutionError::function_error("sets", "no such overload"))?;
    let mut items = iterable.iter();
    let mut out = Vec::new();
    while let Some(item) = items.next() {
        out.push(item);
    }
    Ok(out)
}

/// Both lists of a two-list call.
fn pair<'a, 'b, 'v>(
    args: &'a Args<'b, 'v>,
) -> Result<(Items<'a, 'v>, Items<'a, 'v>), ExecutionError> {
    let [a, b] = args.as_slice() else {
        return Err(ExecutionError::invalid_argument_count(2, args.len()));
    };
    Ok((elements(a.as_ref())?, elements(b.as_ref())?))
}

fn all_in<'a, 'v>(items: &[&'a (dyn Val + 'v)], set: &[&'a (dyn Val + 'v)]) -> bool {
    items.iter().all(|x| set.iter().any(|y| y.equals(*x)))
}

fn answer<'b, 'v>(b: bool) -> Answer<'b, 'v> {
    Ok(CowVal::owned(CelBool::from(b)))
}

fn contains<'b, 'v>(args: Args<'b, 'v>) -> Answer<'b, 'v> {
    let (a, b) = pair(&args)?;
    answer(all_in(&b, &a))
}

fn equivalent<'b, 'v>(args: Args<'b, 'v>) -> Answer<'b, 'v> {
    let (a, b) = pair(&args)?;
    answer(all_in(&b, &a) && all_in(&a, &b))
}

fn intersects<'b, 'v>(args: Args<'b, 'v>) -> Answer<'b, 'v> {
    let (a, b) = pair(&args)?;
    answer(a.iter().any(|x| b.iter().any(|y| y.equals(*x))))
}

#[cfg(test)]
mod tests {
    use super::super::rule::{compile_expression, env};

    #[test]
    fn set_functions() {
        for src in [
            "sets.contains([], []) && sets.contains([1, 2, 3], [3, 1]) && !sets.contains([1], [1, 2])",
            "sets.contains([1, 2], [2.0]) && sets.contains(['a', 'b'], ['a', 'a'])",
            "sets.equivalent([1, 2, 2], [2, 1]) && !sets.equivalent([1], [1, 2]) && sets.equivalent([], [])",
            "sets.intersects([1, 2], [2, 3]) && !sets.intersects([1], [2]) && !sets.intersects([], [1])",
            "sets.intersects([[1], [2]], [[2]])",
        ] {
            let p = compile_expression(src).unwrap();
            assert_eq!(
                p.execute(&cel::Context::with_env(env())),
                Ok(cel::Value::Bool(true)),
                "{src}"
            );
        }
    }
}
