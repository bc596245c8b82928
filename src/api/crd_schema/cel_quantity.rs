//! kube's quantity library for CEL (1.28+): `quantity(s)`, `isQuantity(s)`, `sign(q)`, and
//! on a quantity `isInteger()`, `asInteger()`, `asApproximateFloat()`, `add`, `sub` (of a
//! quantity or an int), `isLessThan`, `isGreaterThan`, `compareTo`. Values are kubelite's
//! `Quantity` (exact to 10^-9, up to about 1.7e29); strings are first checked against
//! apimachinery's grammar so that refusals carry its three messages.

use super::cel_library::kube_error;
use crate::api::quantity::Quantity;
use cel::common::types::{CelBool, CelDouble, CelInt, CelString, Type};
use cel::common::value::{StaticVal, Val};
use cel::{Env, ExecutionError};
use std::any::Any;
use std::cmp::Ordering;

const FORMAT_WRONG: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const BAD_SUFFIX: &str = "unable to parse quantity's suffix";
const BAD_NUMBER: &str = "unable to parse numeric part of quantity";
const NANO: i128 = 1_000_000_000;

static QUANTITY: Type = Type::new_unspecified_type("kubernetes.Quantity");

#[derive(Debug, Clone)]
pub struct CelQuantity(Quantity);

impl Val for CelQuantity {
    fn get_type(&self) -> &Type {
        &QUANTITY
    }
    fn cel_type() -> &'static Type {
        &QUANTITY
    }
    /// Equal values are equal quantities, however written (`200M` and `0.2G`).
    fn equals(&self, other: &dyn Val) -> bool {
        other
            .downcast_ref::<CelQuantity>()
            .is_some_and(|o| o.0.nanos() == self.0.nanos())
    }
    fn clone_as_boxed<'v>(&self) -> Box<dyn Val + 'v> {
        Box::new(self.clone())
    }
    fn as_any(&self) -> Option<&dyn Any> {
        Some(self)
    }
}
impl StaticVal for CelQuantity {}

pub fn install(env: &mut Env) {
    let _ = env.add_type(QUANTITY.to_owned());
    let _ = cel::add_overload!(env, fn quantity: (CelString) -> Result<CelQuantity>);
    let _ = cel::add_overload!(env, fn is_quantity: (CelString) -> CelBool, name = "isQuantity");
    // kube declares `sign` as a global function only: `sign(q)`, not `q.sign()`.
    let _ = cel::add_overload!(env, fn sign: (CelQuantity) -> CelInt);
    let _ = cel::add_member_overload!(env, fn is_integer: (CelQuantity) -> CelBool,
        name = "isInteger");
    let _ = cel::add_member_overload!(env, fn as_integer: (CelQuantity) -> Result<CelInt>,
        name = "asInteger");
    let _ = cel::add_member_overload!(env, fn as_approximate_float: (CelQuantity) -> CelDouble,
        name = "asApproximateFloat");
    let _ = cel::add_member_overload!(env, fn add: (CelQuantity, CelQuantity) -> CelQuantity);
    let _ = cel::add_member_overload!(env, fn add_int: (CelQuantity, CelInt) -> CelQuantity,
        name = "add");
    let _ = cel::add_member_overload!(env, fn sub: (CelQuantity, CelQuantity) -> CelQuantity);
    let _ = cel::add_member_overload!(env, fn sub_int: (CelQuantity, CelInt) -> CelQuantity,
        name = "sub");
    let _ = cel::add_member_overload!(env, fn is_less_than: (CelQuantity, CelQuantity) -> CelBool,
        name = "isLessThan");
    let _ = cel::add_member_overload!(env, fn is_greater_than: (CelQuantity, CelQuantity) -> CelBool,
        name = "isGreaterThan");
    let _ = cel::add_member_overload!(env, fn compare_to: (CelQuantity, CelQuantity) -> CelInt,
        name = "compareTo");
}

/// `resource.ParseQuantity`: the grammar `[+-]digits[.digits]suffix` where any part may be
/// empty (`.`, `-` and `Mi` are zero), a suffix of the decimal or binary SI or an exponent;
/// binary quantities beyond int64 are capped at its maximum, as kube caps them.
pub fn parse(s: &str) -> Result<Quantity, &'static str> {
    let b = s.as_bytes();
    if b.is_empty() {
        return Err(FORMAT_WRONG);
    }
    let digits_end =
        |from: usize| from + b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let sign_len = usize::from(matches!(b[0], b'-' | b'+'));
    let int_end = digits_end(sign_len);
    let (frac, number_end) = if b.get(int_end) == Some(&b'.') {
        let end = digits_end(int_end + 1);
        (&s[int_end + 1..end], end)
    } else {
        ("", int_end)
    };
    let mut i = number_end;
    while i < b.len() && b"eEinumkKMGTP".contains(&b[i]) {
        i += 1;
    }
    if i < b.len() && matches!(b[i], b'-' | b'+') {
        i += 1;
    }
    if digits_end(i) < b.len() {
        return Err(FORMAT_WRONG);
    }
    let suffix = &s[number_end..];
    let known = matches!(
        suffix,
        "" | "n"
            | "u"
            | "m"
            | "k"
            | "M"
            | "G"
            | "T"
            | "P"
            | "E"
            | "Ki"
            | "Mi"
            | "Gi"
            | "Ti"
            | "Pi"
            | "Ei"
    ) || (suffix.len() > 1
        && suffix.starts_with(['e', 'E'])
        && suffix[1..].parse::<i64>().is_ok());
    if !known {
        return Err(BAD_SUFFIX);
    }
    let int = &s[sign_len..int_end];
    let text = format!(
        "{}{}{}{frac}{suffix}",
        if b[0] == b'-' { "-" } else { "" },
        if int.is_empty() { "0" } else { int },
        if frac.is_empty() { "" } else { "." },
    );
    let q = Quantity::parse(&text).map_err(|_| BAD_NUMBER)?;
    let cap = i128::from(i64::MAX) * NANO;
    Ok(if q.is_binary() && q.nanos() > cap {
        Quantity::from_nanos(cap)
    } else {
        q
    })
}

fn quantity(s: &CelString<'_>) -> Result<CelQuantity, ExecutionError> {
    parse(s.inner()).map(CelQuantity).map_err(kube_error)
}

fn is_quantity(s: &CelString<'_>) -> CelBool {
    CelBool::from(parse(s.inner()).is_ok())
}

fn sign(q: &CelQuantity) -> CelInt {
    CelInt::from(q.0.nanos().signum() as i64)
}

/// The value as an int64, when it is whole and fits.
fn whole(q: &CelQuantity) -> Option<i64> {
    let n = q.0.nanos();
    (n % NANO == 0)
        .then(|| i64::try_from(n / NANO).ok())
        .flatten()
}

fn is_integer(q: &CelQuantity) -> CelBool {
    CelBool::from(whole(q).is_some())
}

fn as_integer(q: &CelQuantity) -> Result<CelInt, ExecutionError> {
    whole(q)
        .map(CelInt::from)
        .ok_or_else(|| kube_error("cannot convert value to integer"))
}

/// As kube computes it: the digits without trailing zeros times the power of ten left.
fn as_approximate_float(q: &CelQuantity) -> CelDouble {
    let mut digits = q.0.nanos();
    let mut exponent = -9i32;
    while digits != 0 && digits % 10 == 0 {
        digits /= 10;
        exponent += 1;
    }
    let base = digits as f64;
    CelDouble::from(if exponent == 0 {
        base
    } else {
        // 10^exponent correctly rounded, as Go's `math.Pow10` gives it.
        base * format!("1e{exponent}").parse::<f64>().unwrap_or(f64::NAN)
    })
}

fn plus(q: &CelQuantity, nanos: i128) -> CelQuantity {
    CelQuantity(Quantity::from_nanos(q.0.nanos().saturating_add(nanos)))
}

fn add(q: &CelQuantity, other: &CelQuantity) -> CelQuantity {
    plus(q, other.0.nanos())
}

fn add_int(q: &CelQuantity, n: &CelInt) -> CelQuantity {
    plus(q, i128::from(*n.inner()) * NANO)
}

fn sub(q: &CelQuantity, other: &CelQuantity) -> CelQuantity {
    plus(q, other.0.nanos().saturating_neg())
}

fn sub_int(q: &CelQuantity, n: &CelInt) -> CelQuantity {
    plus(q, -(i128::from(*n.inner()) * NANO))
}

fn order(q: &CelQuantity, other: &CelQuantity) -> Ordering {
    q.0.nanos().cmp(&other.0.nanos())
}

fn is_less_than(q: &CelQuantity, other: &CelQuantity) -> CelBool {
    CelBool::from(order(q, other) == Ordering::Less)
}

fn is_greater_than(q: &CelQuantity, other: &CelQuantity) -> CelBool {
    CelBool::from(order(q, other) == Ordering::Greater)
}

fn compare_to(q: &CelQuantity, other: &CelQuantity) -> CelInt {
    CelInt::from(order(q, other) as i64)
}

#[cfg(test)]
mod tests {

    use super::super::cel_library::eval_as_kube as eval;

    #[test]
    fn quantities_parse_compare_and_add_as_kubes_do() {
        for src in [
            "quantity('200M') == quantity('0.2G') && quantity('0.2G') == quantity('200M')",
            "quantity('200M') != quantity('0.3G')",
            "isQuantity('1.3Gi') && isQuantity('10000k') && isQuantity('-1e3') && isQuantity('.')",
            "!isQuantity('1,3G') && !isQuantity('200K') && !isQuantity('Three') && !isQuantity(' 1')",
            "quantity('50M').isLessThan(quantity('50Mi')) && quantity('150Mi').isGreaterThan(quantity('100Mi'))",
            "quantity('200M').compareTo(quantity('0.2G')) == 0 && quantity('50M').compareTo(quantity('50Mi')) == -1",
            "quantity('50Mi').compareTo(quantity('50M')) == 1",
            "quantity('50k').add(quantity('20')) == quantity('50.02k') && quantity('50k').sub(20) == quantity('49980')",
            "quantity('50k').add(20).sub(quantity('100k')).sub(-50000).asInteger() == 20",
            "quantity('50k').asInteger() == 50000 && quantity('50').isInteger() && !quantity('100m').isInteger()",
            "!quantity('99999999999999G').isInteger()",
            "quantity('50.703k').asApproximateFloat() == 50703.0 && quantity('100m').asApproximateFloat() == 0.1",
            "sign(quantity('-1m')) == -1 && sign(quantity('0')) == 0 && sign(quantity('1Ki')) == 1",
            "quantity('Mi') == quantity('0') && quantity('8Ei').asInteger() == 9223372036854775807",
        ] {
            assert_eq!(eval(src), Ok(cel::Value::Bool(true)), "{src}");
        }
        for (src, want) in [
            ("quantity('10Mo')", super::FORMAT_WRONG),
            ("quantity('Three')", super::FORMAT_WRONG),
            ("quantity('')", super::FORMAT_WRONG),
            ("quantity('10Mm')", super::BAD_SUFFIX),
            ("quantity('200K')", super::BAD_SUFFIX),
            ("quantity('1e')", super::BAD_SUFFIX),
            (
                "quantity('99999999999999G').asInteger()",
                "cannot convert value to integer",
            ),
        ] {
            assert_eq!(eval(src), Err(want.to_string()), "{src}");
        }
    }
}
