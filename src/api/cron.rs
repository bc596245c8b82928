//! CronJob schedules: the standard five-field cron syntax and the `@` descriptors, with the
//! semantics and error texts of the cron library kube-controller-manager and
//! kube-apiserver use (robfig/cron v3's standard parser).

use chrono::{DateTime, Datelike, Duration, NaiveDateTime, TimeZone, Timelike, Utc};
pub use chrono_tz::Tz;

/// Set when a field was written `*` or `?`: a day-of-month or day-of-week star means "any",
/// so the other day field alone decides.
const STAR: u64 = 1 << 63;

struct Bounds {
    min: u32,
    max: u32,
    names: &'static [(&'static str, u32)],
}

const MINUTES: Bounds = Bounds {
    min: 0,
    max: 59,
    names: &[],
};
const HOURS: Bounds = Bounds {
    min: 0,
    max: 23,
    names: &[],
};
const DOM: Bounds = Bounds {
    min: 1,
    max: 31,
    names: &[],
};
const MONTHS: Bounds = Bounds {
    min: 1,
    max: 12,
    names: &[
        ("jan", 1),
        ("feb", 2),
        ("mar", 3),
        ("apr", 4),
        ("may", 5),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("oct", 10),
        ("nov", 11),
        ("dec", 12),
    ],
};
const DOW: Bounds = Bounds {
    min: 0,
    max: 6,
    names: &[
        ("sun", 0),
        ("mon", 1),
        ("tue", 2),
        ("wed", 3),
        ("thu", 4),
        ("fri", 5),
        ("sat", 6),
    ],
};

/// A parsed schedule: bit sets per field, or a fixed interval (`@every`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Schedule {
    Fields {
        minute: u64,
        hour: u64,
        dom: u64,
        month: u64,
        dow: u64,
    },
    Every(i64),
}

/// Parses a standard cron spec; the error is the library's message.
pub fn parse(spec: &str) -> Result<Schedule, String> {
    if spec.is_empty() {
        return Err("empty spec string".into());
    }
    if let Some(desc) = spec.strip_prefix('@') {
        return descriptor(desc, spec);
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!(
            "expected exactly 5 fields, found {}: [{}]",
            fields.len(),
            fields.join(" ")
        ));
    }
    Ok(Schedule::Fields {
        minute: field(fields[0], &MINUTES)?,
        hour: field(fields[1], &HOURS)?,
        dom: field(fields[2], &DOM)?,
        month: field(fields[3], &MONTHS)?,
        dow: field(fields[4], &DOW)?,
    })
}

fn descriptor(desc: &str, spec: &str) -> Result<Schedule, String> {
    let all = |b: &Bounds| bits(b.min, b.max, 1);
    let fixed = |minute: u64, hour: u64, dom: u64, month: u64, dow: u64| Schedule::Fields {
        minute,
        hour,
        dom,
        month,
        dow,
    };
    Ok(match desc {
        "yearly" | "annually" => fixed(1, 1, 1 << 1, 1 << 1, all(&DOW) | STAR),
        "monthly" => fixed(1, 1, 1 << 1, all(&MONTHS) | STAR, all(&DOW) | STAR),
        "weekly" => fixed(1, 1, all(&DOM) | STAR, all(&MONTHS) | STAR, 1),
        "daily" | "midnight" => fixed(
            1,
            1,
            all(&DOM) | STAR,
            all(&MONTHS) | STAR,
            all(&DOW) | STAR,
        ),
        "hourly" => fixed(
            1,
            all(&HOURS) | STAR,
            all(&DOM) | STAR,
            all(&MONTHS) | STAR,
            all(&DOW) | STAR,
        ),
        _ => {
            if let Some(d) = desc.strip_prefix("every ") {
                let secs = go_duration(d).ok_or_else(|| {
                    format!(
                        "failed to parse duration {spec}: time: invalid duration {}",
                        go_quote(d)
                    )
                })?;
                // Intervals below a second round up to one; others drop sub-second parts.
                return Ok(Schedule::Every(secs.max(1)));
            }
            return Err(format!("unrecognized descriptor: {spec}"));
        }
    })
}

fn go_quote(s: &str) -> String {
    format!("\"{s}\"")
}

/// A Go duration such as `1h30m` or `90s`, in whole seconds.
pub fn go_duration(s: &str) -> Option<i64> {
    let mut total = 0f64;
    let mut rest = s;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if n == 0 {
            return None;
        }
        let value: f64 = rest[..n].parse().ok()?;
        rest = &rest[n..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let factor = match &rest[..unit_len] {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 0.001,
            "us" | "µs" => 0.000_001,
            "ns" => 0.000_000_001,
            _ => return None,
        };
        total += value * factor;
        rest = &rest[unit_len..];
    }
    Some(total as i64)
}

fn bits(min: u32, max: u32, step: u32) -> u64 {
    let mut b = 0u64;
    let mut i = min;
    while i <= max {
        b |= 1 << i;
        i += step;
    }
    b
}

fn field(text: &str, b: &Bounds) -> Result<u64, String> {
    let mut out = 0;
    for expr in text.split(',').filter(|e| !e.is_empty()) {
        out |= range(expr, b)?;
    }
    Ok(out)
}

fn range(expr: &str, b: &Bounds) -> Result<u64, String> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_high: Vec<&str> = range_and_step[0].split('-').collect();
    let single = low_high.len() == 1;
    let (start, mut end, mut extra) = if low_high[0] == "*" || low_high[0] == "?" {
        (b.min, b.max, STAR)
    } else {
        let start = int_or_name(low_high[0], b)?;
        let end = match low_high.len() {
            1 => start,
            2 => int_or_name(low_high[1], b)?,
            _ => return Err(format!("too many hyphens: {expr}")),
        };
        (start, end, 0)
    };
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let step = positive_int(range_and_step[1])?;
            if single {
                end = b.max;
            }
            if step > 1 {
                extra = 0;
            }
            step
        }
        _ => return Err(format!("too many slashes: {expr}")),
    };
    if start < b.min {
        return Err(format!(
            "beginning of range ({start}) below minimum ({}): {expr}",
            b.min
        ));
    }
    if end > b.max {
        return Err(format!(
            "end of range ({end}) above maximum ({}): {expr}",
            b.max
        ));
    }
    if start > end {
        return Err(format!(
            "beginning of range ({start}) beyond end of range ({end}): {expr}"
        ));
    }
    if step == 0 {
        return Err(format!("step of range should be a positive number: {expr}"));
    }
    Ok(bits(start, end, step) | extra)
}

fn int_or_name(text: &str, b: &Bounds) -> Result<u32, String> {
    let lower = text.to_ascii_lowercase();
    if let Some((_, v)) = b.names.iter().find(|(n, _)| *n == lower) {
        return Ok(*v);
    }
    positive_int(text)
}

fn positive_int(text: &str) -> Result<u32, String> {
    let n: i64 = text.parse().map_err(|_| {
        format!(
            "failed to parse int from {text}: strconv.Atoi: parsing {}: invalid syntax",
            go_quote(text)
        )
    })?;
    if n < 0 {
        return Err(format!("negative number ({n}) not allowed: {text}"));
    }
    Ok(n.min(i64::from(u32::MAX)) as u32)
}

impl Schedule {
    /// The first activation strictly after `t`, reading the fields in the time zone `tz`
    /// (a local time that a daylight-saving change skips never comes; a repeated one
    /// counts once, at its first occurrence).
    pub fn next_in(&self, t: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
        let Schedule::Fields {
            minute,
            hour,
            dom,
            month,
            dow,
        } = self
        else {
            let Schedule::Every(secs) = self else {
                return None;
            };
            return Some(t + Duration::seconds(*secs));
        };
        let local = t.with_timezone(&tz).naive_local();
        let mut c = local.with_second(0)?.with_nanosecond(0)? + Duration::minutes(1);
        let limit = local.year() + 5;
        while c.year() <= limit {
            if month & (1 << c.month()) == 0 {
                c = start_of_next_month(c)?;
                continue;
            }
            if !day_matches(*dom, *dow, &c) {
                c = c.date().succ_opt()?.and_hms_opt(0, 0, 0)?;
                continue;
            }
            if hour & (1 << c.hour()) == 0 {
                c = c.with_minute(0)? + Duration::hours(1);
                continue;
            }
            if minute & (1 << c.minute()) == 0 {
                c += Duration::minutes(1);
                continue;
            }
            if let Some(at) = tz.from_local_datetime(&c).earliest() {
                let at = at.with_timezone(&Utc);
                if at > t {
                    return Some(at);
                }
            }
            c += Duration::minutes(1);
        }
        None
    }
}

fn day_matches(dom: u64, dow: u64, t: &NaiveDateTime) -> bool {
    let d = dom & (1 << t.day()) != 0;
    let w = dow & (1 << t.weekday().num_days_from_sunday()) != 0;
    if dom & STAR != 0 || dow & STAR != 0 {
        d && w
    } else {
        d || w
    }
}

fn start_of_next_month(c: NaiveDateTime) -> Option<NaiveDateTime> {
    let (y, m) = if c.month() == 12 {
        (c.year() + 1, 1)
    } else {
        (c.year(), c.month() + 1)
    };
    chrono::NaiveDate::from_ymd_opt(y, m, 1)?.and_hms_opt(0, 0, 0)
}

/// The next activation after `t` in UTC.
pub fn next_utc(s: &Schedule, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
    s.next_in(t, Tz::UTC)
}

/// A time zone by its IANA name, as Go's time.LoadLocation finds it ("UTC" included).
pub fn time_zone(name: &str) -> Option<Tz> {
    name.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn every_five_minutes() {
        let s = parse("*/5 * * * *").unwrap();
        assert_eq!(
            next_utc(&s, at("2024-01-01T00:00:00Z")),
            Some(at("2024-01-01T00:05:00Z"))
        );
        assert_eq!(
            next_utc(&s, at("2024-01-01T00:03:10Z")),
            Some(at("2024-01-01T00:05:00Z"))
        );
    }

    #[test]
    fn descriptors_and_days() {
        let daily = parse("@daily").unwrap();
        assert_eq!(
            next_utc(&daily, at("2024-01-31T10:00:00Z")),
            Some(at("2024-02-01T00:00:00Z"))
        );
        let hourly = parse("@hourly").unwrap();
        assert_eq!(
            next_utc(&hourly, at("2024-12-31T23:00:00Z")),
            Some(at("2025-01-01T00:00:00Z"))
        );
        // Day of month OR day of week when neither is a star: the 13th, or any Friday.
        let s = parse("0 0 13 * fri").unwrap();
        assert_eq!(
            next_utc(&s, at("2024-01-01T00:00:00Z")),
            Some(at("2024-01-05T00:00:00Z"))
        );
        let s = parse("30 4 1 feb *").unwrap();
        assert_eq!(
            next_utc(&s, at("2024-03-01T00:00:00Z")),
            Some(at("2025-02-01T04:30:00Z"))
        );
    }

    #[test]
    fn schedules_read_in_their_time_zone() {
        let tz = time_zone("America/New_York").unwrap();
        let s = parse("0 9 * * *").unwrap();
        // 09:00 in New York in January is 14:00 UTC.
        assert_eq!(
            s.next_in(at("2024-01-01T00:00:00Z"), tz),
            Some(at("2024-01-01T14:00:00Z"))
        );
        assert!(time_zone("Mars/Base").is_none());
    }

    #[test]
    fn errors_read_as_the_library_writes_them() {
        assert_eq!(
            parse("foo").unwrap_err(),
            "expected exactly 5 fields, found 1: [foo]"
        );
        assert_eq!(
            parse("61 * * * *").unwrap_err(),
            "end of range (61) above maximum (59): 61"
        );
        assert_eq!(
            parse("* * 0 * *").unwrap_err(),
            "beginning of range (0) below minimum (1): 0"
        );
        assert_eq!(
            parse("@often").unwrap_err(),
            "unrecognized descriptor: @often"
        );
        assert_eq!(
            parse("x * * * *").unwrap_err(),
            "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax"
        );
    }
}
