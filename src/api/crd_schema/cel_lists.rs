//! Kubernetes' lists library for CEL, which the `cel` crate lacks: `isSorted()`, `sum()`,
//! `min()`, `max()`, `indexOf(x)` and `lastIndexOf(x)` on any list, as kube-apiserver offers
//! them to CRD rules and admission expressions. kube picks `sum`'s zero by the list's static
//! element type; checked without types, an empty list sums to the int 0.

use cel::common::functions::Function;
use cel::common::types::{CelBool, CelInt, DYN_TYPE, Kind, LIST_TYPE};
use cel::common::value::{CowVal, Val};
use cel::{Env, ExecutionError};
use std::cmp::Ordering;

pub fn install(env: &mut Env) {
    let unary: [(&str, Function); 4] = [
        ("isSorted", is_sorted),
        ("sum", sum),
        ("min", min),
        ("max", max),
    ];
    for (name, f) in unary {
        let _ = env.add_member_overload(name, &format!("list.{name}()"), LIST_TYPE, vec![], f);
    }
    let _ = env.add_member_overload(
        "indexOf",
        "list.indexOf(dyn)",
        LIST_TYPE,
        vec![DYN_TYPE],
        index_of,
    );
    let _ = env.add_member_overload(
        "lastIndexOf",
        "list.lastIndexOf(dyn)",
        LIST_TYPE,
        vec![DYN_TYPE],
        last_index_of,
    );
}

type Args<'b, 'v> = Vec<CowVal<'b, 'v>>;
type Answer<'b, 'v> = Result<CowVal<'b, 'v>, ExecutionError>;

/// The list's elements, borrowed.
fn elements<'b, 'v>(
    list: &'b (dyn Val + 'v),
    function: &str,
) -> Result<Vec<&'b (dyn Val + 'v)>, ExecutionError> {
    let iterable = list
        .as_iterable()
        .ok_or_else(|| ExecutionError::function_error(function, "no such overload"))?;
    let mut items = iterable.iter();
    let mut out = Vec::new();
    while let Some(item) = items.next() {
        out.push(item);
    }
    Ok(out)
}

fn compare(a: &dyn Val, b: &dyn Val, function: &str) -> Result<Ordering, ExecutionError> {
    a.as_comparer()
        .ok_or_else(|| ExecutionError::function_error(function, "no such overload"))?
        .compare(b)
}

fn is_sorted<'b, 'v>(args: Args<'b, 'v>) -> Answer<'b, 'v> {
    let list = args
        .first()
        .ok_or_else(|| ExecutionError::invalid_argument_count(1, 0))?;
    let items = elements(list.as_ref(), "isSorted")?;
    for pair in items.windows(2) {
        if compare(pair[0], pair[1], "isSorted")? == Ordering::Greater {
            return Ok(CowVal::owned(CelBool::from(false)));
        }
    }
    Ok(CowVal::owned(CelBool::from(true)))
}

fn sum<'b, 'v>(args: Args<'b, 'v>) -> Answer<'b, 'v> {
    let list = args
        .first()
        .ok_or_else(|| ExecutionError::invalid_argument_count(1, 0))?;
    let items = elements(list.as_ref(), "sum")?;
    // Numbers and durations only, as kube declares it: a sum of strings would copy the
    // growing total once per element.
    let summable = |v: &&(dyn Val + 'v)| {
        matches!(
            v.get_type().kind(),
            Kind::Int | Kind::UInt | Kind::Double | Kind::Duration
        )
    };
    if !items.iter().all(summable) {
        return Err(ExecutionError::function_error("sum", "no such overload"));
    }
    let Some((first, rest)) = items.split_first() else {
        return Ok(CowVal::owned(CelInt::from(0i64)));
    };
    let mut total: Box<dyn Val + 'v> = first.clone_as_boxed();
    for item in rest {
        let next: Box<dyn Val + 'v> = {
            let adder = total
                .as_adder()
                .ok_or_else(|| ExecutionError::function_error("sum", "no such overload"))?;
            match adder.add(*item)? {
                CowVal::Owned(v) => v,
                CowVal::Borrowed(v) => v.clone_as_boxed(),
            }
        };
        total = next;
    }
    Ok(CowVal::Owned(total))
}

/// The first element that no later one replaces: a later one replaces it when it orders
/// `replace_when` against it (`Greater` for min, `Less` for max).
fn extreme<'b, 'v>(args: Args<'b, 'v>, function: &str, replace_when: Ordering) -> Answer<'b, 'v> {
    let list = args
        .first()
        .ok_or_else(|| ExecutionError::invalid_argument_count(1, 0))?;
    let items = elements(list.as_ref(), function)?;
    let Some((&first, rest)) = items.split_first() else {
        return Err(ExecutionError::function_error(
            function,
            format!("{function} called on empty list"),
        ));
    };
    let mut best = first;
    for &item in rest {
        if compare(best, item, function)? == replace_when {
            best = item;
        }
    }
    Ok(CowVal::Owned(best.clone_as_boxed()))
}

fn min<'b, 'v>(args: Args<'b, 'v>) -> Answer<'b, 'v> {
    extreme(args, "min", Ordering::Greater)
}

fn max<'b, 'v>(args: Args<'b, 'v>) -> Answer<'b, 'v> {
    extreme(args, "max", Ordering::Less)
}

fn position<'b, 'v>(args: Args<'b, 'v>, function: &str, last: bool) -> Answer<'b, 'v> {
    let [list, wanted] = args.as_slice() else {
        return Err(ExecutionError::invalid_argument_count(2, args.len()));
    };
    let items = elements(list.as_ref(), function)?;
    let matches = |item: &&(dyn Val + 'v)| item.equals(wanted.as_ref());
    let at = if last {
        items.iter().rposition(matches)
    } else {
        items.iter().position(matches)
    };
    let at = at.and_then(|i| i64::try_from(i).ok()).unwrap_or(-1);
    Ok(CowVal::owned(CelInt::from(at)))
}

fn index_of<'b, 'v>(args: Args<'b, 'v>) -> Answer<'b, 'v> {
    position(args, "indexOf", false)
}

fn last_index_of<'b, 'v>(args: Args<'b, 'v>) -> Answer<'b, 'v> {
    position(args, "lastIndexOf", true)
}

#[cfg(test)]
mod tests {
    fn eval(src: &str) -> Result<cel::Value, String> {
        super::super::cel_library::eval(src).map_err(|e| e.to_string())
    }

    #[test]
    fn kubes_list_functions() {
        for src in [
            "[1, 2, 2, 3].isSorted()",
            "!([1, 3, 2].isSorted())",
            "['a', 'b'].isSorted() && [].isSorted()",
            "[1, 2, 3].sum() == 6",
            "[1.5, 2.5].sum() == 4.0",
            "[].sum() == 0",
            "[3, 1, 2].min() == 1 && [3, 1, 2].max() == 3",
            "['b', 'a'].min() == 'a'",
            "[1, 2, 1].indexOf(1) == 0 && [1, 2, 1].lastIndexOf(1) == 2",
            "[1, 2].indexOf(5) == -1",
            // The strings' indexOf is still there.
            "'abcb'.indexOf('b') == 1 && 'abcb'.lastIndexOf('b') == 3",
        ] {
            assert_eq!(eval(src), Ok(cel::Value::Bool(true)), "{src}");
        }
        assert!(
            eval("[].min()")
                .unwrap_err()
                .contains("min called on empty list")
        );
        assert!(eval("[1, 'a'].max()").is_err());
        assert!(eval("['a', 'b'].sum()").is_err());
    }
}
