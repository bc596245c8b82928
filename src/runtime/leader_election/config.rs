//! How long a leader holds its Lease, as kube-controller-manager and kube-scheduler are told
//! with `--leader-elect-lease-duration`, `--leader-elect-renew-deadline` and
//! `--leader-elect-retry-period`, checked by client-go's rules.

use std::time::Duration;

/// client-go's JitterFactor: candidates retry within `retry period * 1.2`.
pub const JITTER_FACTOR: f64 = 1.2;

/// The timings of an election.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timing {
    /// How long a non-leader waits after it last saw the Lease change before it takes it.
    pub lease_duration: Duration,
    /// How long a leader keeps trying to renew before it gives up leading.
    pub renew_deadline: Duration,
    /// How often candidates try to take the Lease and the leader renews it.
    pub retry_period: Duration,
}

impl Default for Timing {
    /// kube's defaults: 15 s, 10 s, 2 s.
    fn default() -> Self {
        Timing {
            lease_duration: Duration::from_secs(15),
            renew_deadline: Duration::from_secs(10),
            retry_period: Duration::from_secs(2),
        }
    }
}

impl Timing {
    /// The timings if they make an election that can work (client-go's checks and words).
    pub fn checked(self) -> Result<Timing, String> {
        if self.lease_duration <= self.renew_deadline {
            return Err("leaseDuration must be greater than renewDeadline".to_string());
        }
        if self.renew_deadline.as_secs_f64() <= JITTER_FACTOR * self.retry_period.as_secs_f64() {
            return Err("renewDeadline must be greater than retryPeriod*JitterFactor".to_string());
        }
        if self.lease_duration.is_zero() {
            return Err("leaseDuration must be greater than zero".to_string());
        }
        if self.renew_deadline.is_zero() {
            return Err("renewDeadline must be greater than zero".to_string());
        }
        if self.retry_period.is_zero() {
            return Err("retryPeriod must be greater than zero".to_string());
        }
        Ok(self)
    }

    /// `leaseDurationSeconds` as the Lease carries it (whole seconds, at least one).
    pub fn lease_seconds(&self) -> i64 {
        (self.lease_duration.as_secs_f64().ceil() as i64).max(1)
    }
}

/// A Go duration flag's value (`15s`, `500ms`, `1m`) as a non-negative duration.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    match crate::go::duration::seconds(text) {
        Some(s) if s >= 0.0 && s.is_finite() && s < 1e9 => Ok(Duration::from_secs_f64(s)),
        Some(_) => Err(format!("{text:?} is not a duration of zero or more")),
        None => Err(format!("time: invalid duration {text:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_defaults_pass_and_bad_orders_are_refused() {
        assert!(Timing::default().checked().is_ok());
        let d = |s: f64| Duration::from_secs_f64(s);
        let t = |l, r, p| Timing {
            lease_duration: d(l),
            renew_deadline: d(r),
            retry_period: d(p),
        };
        assert_eq!(
            t(10.0, 10.0, 2.0).checked().unwrap_err(),
            "leaseDuration must be greater than renewDeadline"
        );
        assert_eq!(
            t(15.0, 2.4, 2.0).checked().unwrap_err(),
            "renewDeadline must be greater than retryPeriod*JitterFactor"
        );
        assert!(t(3.0, 2.0, 0.5).checked().is_ok());
        assert_eq!(t(1.5, 1.0, 0.5).lease_seconds(), 2);
        assert_eq!(parse_duration("500ms").unwrap(), d(0.5));
        assert!(parse_duration("x").is_err());
        assert!(parse_duration("-1s").is_err());
    }
}
