//! Checked date arithmetic: the current time and every "now plus N days" aitls computes.
//!
//! Certificates hold dates up to 9999-12-31 (X.509 GeneralizedTime has four year digits,
//! RFC 5280 §4.1.2.5.2), and so does the `time` crate; a system clock near or past that
//! end, or far before 1970, must give an error naming the clock, never an overflow panic
//! (SPEC §4). Takes and returns plain values; never prints.

use std::time::SystemTime;

use time::{Duration, OffsetDateTime};

use crate::error::{Error, Result};

/// The current time from the system clock, or an error when the clock reads a date a
/// certificate cannot hold.
pub fn now() -> Result<OffsetDateTime> {
    from_system_time(SystemTime::now())
}

/// Converts a system time, refusing one outside the years 1..=9999 (before the Unix epoch
/// included).
pub fn from_system_time(t: SystemTime) -> Result<OffsetDateTime> {
    let (secs, negative) = match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => (d.as_secs(), false),
        Err(e) => (e.duration().as_secs(), true),
    };
    let signed = i64::try_from(secs)
        .ok()
        .map(|s| if negative { -s } else { s });
    signed
        .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
        .filter(|t| t.year() >= 1)
        .ok_or_else(|| {
            Error::Clock(format!(
                "the system clock reads a date {} ({secs} seconds {} 1970), outside the years 1 to 9999 that certificates can hold; set the clock right",
                if negative { "before the year 1" } else { "after 9999-12-31" },
                if negative { "before" } else { "after" }
            ))
        })
}

/// `t` plus `days` days, or an error naming `what` when the end falls after 9999-12-31.
pub fn add_days(t: OffsetDateTime, days: u32, what: &str) -> Result<OffsetDateTime> {
    t.checked_add(Duration::days(i64::from(days)))
        .ok_or_else(|| {
            Error::Clock(format!(
                "{what} would end {days} days after {}, past 9999-12-31, the last date a certificate can hold; check the system clock",
                t.date()
            ))
        })
}

/// `t` minus `d`, or an error naming `what` when that falls before the year 1.
pub fn sub(t: OffsetDateTime, d: Duration, what: &str) -> Result<OffsetDateTime> {
    t.checked_sub(d).filter(|t| t.year() >= 1).ok_or_else(|| {
        Error::Clock(format!(
            "{what} would start before the year 1; check the system clock"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn days_past_9999_are_an_error_not_a_panic() {
        let late = datetime!(9999-06-01 00:00 UTC);
        assert_eq!(
            add_days(late, 200, "x").unwrap(),
            datetime!(9999-12-18 00:00 UTC)
        );
        for days in [214, 365, 825, 3650, u32::MAX] {
            let err = add_days(late, days, "the CA").unwrap_err().to_string();
            assert!(
                err.contains("the CA would end") && err.contains("9999-12-31"),
                "{err}"
            );
        }
        assert!(add_days(OffsetDateTime::now_utc(), u32::MAX, "x").is_err());
        assert!(add_days(datetime!(9999-12-31 23:59:59 UTC), 1, "x").is_err());
    }

    #[test]
    fn backdating_at_the_start_of_time_is_an_error_not_a_panic() {
        let first = datetime!(-9999-01-01 00:00 UTC);
        assert!(sub(first, Duration::minutes(5), "x").is_err());
        assert!(sub(datetime!(0001-01-01 00:04 UTC), Duration::minutes(5), "x").is_err());
        assert_eq!(
            sub(datetime!(0001-01-01 00:05 UTC), Duration::minutes(5), "x").unwrap(),
            datetime!(0001-01-01 00:00 UTC)
        );
    }

    #[test]
    fn system_times_before_1970_and_after_9999_are_handled() {
        let epoch = SystemTime::UNIX_EPOCH;
        let day = std::time::Duration::from_secs(86_400);
        assert_eq!(
            from_system_time(epoch - day * 365).unwrap(),
            datetime!(1969-01-01 00:00 UTC)
        );
        // 0001-01-01 is 719162 days before 1970.
        assert_eq!(
            from_system_time(epoch - day * 719_162).unwrap(),
            datetime!(0001-01-01 00:00 UTC)
        );
        assert!(from_system_time(epoch - day * 719_163).is_err());
        // 10000-01-01 is 2932897 days after 1970.
        assert!(from_system_time(epoch + day * 2_932_896).is_ok());
        let err = from_system_time(epoch + day * 2_932_897).unwrap_err();
        assert!(err.to_string().contains("system clock"), "{err}");
        if let Some(far) = epoch.checked_add(std::time::Duration::from_secs(u64::MAX / 2)) {
            assert!(from_system_time(far).is_err());
        }
    }
}
