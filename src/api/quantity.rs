//! Resource quantities (`100m`, `128Mi`, `2`), enough of Kubernetes' semantics for
//! the API server and describe: parse, add, compare, and print in canonical form keeping the format
//! (binary or decimal) of the first operand, as kubectl's sums do.

use serde_json::Value;

const NANO: i128 = 1_000_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    BinarySi,
    DecimalSi,
    DecimalExponent,
}

/// A quantity held exactly in units of 10^-9 (values below that are rounded up, as the
/// API server does).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quantity {
    nanos: i128,
    format: Format,
}

impl Default for Quantity {
    fn default() -> Self {
        Quantity {
            nanos: 0,
            format: Format::DecimalSi,
        }
    }
}

fn pow(base: i128, exp: u32) -> Option<i128> {
    base.checked_pow(exp)
}

/// Division rounding toward positive infinity.
fn div_ceil(a: i128, b: i128) -> i128 {
    let q = a / b;
    if a % b != 0 && (a > 0) == (b > 0) {
        q + 1
    } else {
        q
    }
}

impl Quantity {
    pub fn parse(text: &str) -> Result<Quantity, String> {
        let bad = || format!("quantities must match the regular expression: {text:?}");
        let t = text.trim();
        let (neg, rest) = match t.as_bytes().first() {
            Some(b'-') => (true, &t[1..]),
            Some(b'+') => (false, &t[1..]),
            _ => (false, t),
        };
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, suffix) = rest.split_at(num_len);
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return Err(bad());
        }
        let (int_part, frac_part) = number.split_once('.').unwrap_or((number, ""));
        let digits: String = format!("{int_part}{frac_part}");
        let mantissa: i128 = if digits.is_empty() {
            0
        } else {
            digits.parse().map_err(|_| bad())?
        };
        let frac = frac_part.len() as u32;

        let (format, numer, exp10): (Format, i128, i32) = match suffix {
            "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" => {
                let k = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
                    .iter()
                    .position(|s| *s == suffix)
                    .unwrap_or(0) as u32
                    + 1;
                let mult = pow(1024, k).ok_or_else(bad)?;
                (
                    Format::BinarySi,
                    mantissa.checked_mul(mult).ok_or_else(bad)?,
                    0,
                )
            }
            "n" => (Format::DecimalSi, mantissa, -9),
            "u" => (Format::DecimalSi, mantissa, -6),
            "m" => (Format::DecimalSi, mantissa, -3),
            "" => (Format::DecimalSi, mantissa, 0),
            "k" => (Format::DecimalSi, mantissa, 3),
            "M" => (Format::DecimalSi, mantissa, 6),
            "G" => (Format::DecimalSi, mantissa, 9),
            "T" => (Format::DecimalSi, mantissa, 12),
            "P" => (Format::DecimalSi, mantissa, 15),
            "E" => (Format::DecimalSi, mantissa, 18),
            s if s.starts_with(['e', 'E']) => {
                let e: i32 = s[1..].parse().map_err(|_| bad())?;
                (Format::DecimalExponent, mantissa, e)
            }
            _ => return Err(bad()),
        };
        // nanos = numer * 10^(9 + exp10 - frac)
        let shift = 9 + exp10 - frac as i32;
        let nanos = if shift >= 0 {
            numer
                .checked_mul(pow(10, shift as u32).ok_or_else(bad)?)
                .ok_or_else(bad)?
        } else {
            match pow(10, (-shift) as u32) {
                Some(unit) => div_ceil(numer, unit),
                // Below 10^-9 and beyond i128's reach: any non-zero value rounds up to 1n.
                None => i128::from(numer > 0),
            }
        };
        Ok(Quantity {
            nanos: if neg { -nanos } else { nanos },
            format,
        })
    }

    /// Reads a quantity from JSON (normally a string, sometimes a bare number).
    pub fn from_json(v: &Value) -> Option<Quantity> {
        match v {
            Value::String(s) => Quantity::parse(s).ok(),
            Value::Number(n) => Quantity::parse(&n.to_string()).ok(),
            _ => None,
        }
    }

    pub fn is_zero(&self) -> bool {
        self.nanos == 0
    }

    pub fn add(&mut self, other: &Quantity) {
        self.nanos = self.nanos.saturating_add(other.nanos);
    }

    /// Subtracts `other`, never going below zero (quota deltas).
    pub fn sub_non_negative(&mut self, other: &Quantity) {
        self.nanos = self.nanos.saturating_sub(other.nanos).max(0);
    }

    /// The value in thousandths, rounded up.
    pub fn milli_value(&self) -> i128 {
        div_ceil(self.nanos, 1_000_000)
    }

    /// The whole value, rounded up.
    pub fn value(&self) -> i128 {
        div_ceil(self.nanos, NANO)
    }

    pub fn nanos(&self) -> i128 {
        self.nanos
    }

    /// A decimal quantity of `nanos` units of 10^-9.
    pub fn from_nanos(nanos: i128) -> Quantity {
        Quantity {
            nanos,
            format: Format::DecimalSi,
        }
    }

    /// Whether it was written with a binary suffix (`Ki`, `Mi`, ...).
    pub fn is_binary(&self) -> bool {
        self.format == Format::BinarySi
    }
}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.nanos.cmp(&other.nanos))
    }
}

impl std::fmt::Display for Quantity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.nanos == 0 {
            return f.write_str("0");
        }
        let mut format = self.format;
        if format == Format::BinarySi
            && (self.nanos.unsigned_abs() < 1024 * NANO as u128 || self.nanos % NANO != 0)
        {
            // Small or fractional binary values print in decimal to stay exact.
            format = Format::DecimalSi;
        }
        if format == Format::BinarySi {
            let whole = self.nanos / NANO;
            let suffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
            let mut k = 0usize;
            let mut n = whole;
            while k + 1 < suffixes.len() && n % 1024 == 0 {
                n /= 1024;
                k += 1;
            }
            return write!(f, "{n}{}", suffixes[k]);
        }
        // Largest exponent (multiple of 3, from 10^-9 up to 10^18) that divides exactly.
        let mut exp = 18i32;
        loop {
            let unit = 10i128.pow((exp + 9) as u32);
            if self.nanos % unit == 0 || exp == -9 {
                let mantissa = self.nanos / unit;
                let suffix = if format == Format::DecimalExponent {
                    if exp == 0 {
                        String::new()
                    } else {
                        format!("e{exp}")
                    }
                } else {
                    match exp {
                        -9 => "n",
                        -6 => "u",
                        -3 => "m",
                        3 => "k",
                        6 => "M",
                        9 => "G",
                        12 => "T",
                        15 => "P",
                        18 => "E",
                        _ => "",
                    }
                    .to_string()
                };
                return write!(f, "{mantissa}{suffix}");
            }
            exp -= 3;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Quantity;

    fn canon(s: &str) -> String {
        Quantity::parse(s)
            .map(|q| q.to_string())
            .unwrap_or_else(|e| e)
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(canon("100m"), "100m");
        assert_eq!(canon("1000m"), "1");
        assert_eq!(canon("0.5"), "500m");
        assert_eq!(canon("1500"), "1500");
        assert_eq!(canon("2000"), "2k");
        assert_eq!(canon("128Mi"), "128Mi");
        assert_eq!(canon("1024Mi"), "1Gi");
        assert_eq!(canon("1.5Gi"), "1536Mi");
        assert_eq!(canon("512"), "512");
        assert_eq!(canon("0"), "0");
        assert_eq!(canon("20134592Ki"), "20134592Ki");
        assert_eq!(canon("18556039957"), "18556039957");
        assert_eq!(canon("1e3"), "1e3");
        assert_eq!(canon("100Ki").as_str(), "100Ki");
    }

    #[test]
    fn sums_keep_first_format() {
        let mut a = Quantity::parse("70Mi").unwrap();
        a.add(&Quantity::parse("100Mi").unwrap());
        assert_eq!(a.to_string(), "170Mi");
        let mut c = Quantity::parse("100m").unwrap();
        c.add(&Quantity::parse("250m").unwrap());
        c.add(&Quantity::parse("600m").unwrap());
        assert_eq!(c.to_string(), "950m");
        assert_eq!(c.milli_value(), 950);
    }

    #[test]
    fn rejects_garbage() {
        assert!(Quantity::parse("abc").is_err());
        assert!(Quantity::parse("1Xi").is_err());
        assert!(Quantity::parse("").is_err());
    }
}
