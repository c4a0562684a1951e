//! Calendar dates. The model has no clock: every date comes from the caller.

use autosurgeon::{Hydrate, HydrateError, Reconcile, Reconciler};
use serde::{Deserialize, Serialize};

/// A calendar date (`YYYY-MM-DD`), stored in documents as that string so it
/// sorts and reads the same everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(type = "string", rename = "IsoDate")
)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Why a date string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
// The message never repeats the value: it may be a person's birth date.
#[error("not a date in the form YYYY-MM-DD")]
pub struct DateError(pub String);

impl Date {
    /// Builds a date, checking the day exists in that month.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    pub fn year(self) -> u16 {
        self.year
    }
    pub fn month(self) -> u8 {
        self.month
    }
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard
    /// Hinnant's days-from-civil).
    pub fn days_since_epoch(self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Days from `earlier` to this date (negative when it is before).
    pub fn days_since(self, earlier: Date) -> i64 {
        self.days_since_epoch() - earlier.days_since_epoch()
    }
}

impl std::str::FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || DateError(s.chars().take(32).collect());
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(err());
        }
        let num = |r: std::ops::Range<usize>| -> Result<u16, DateError> {
            let part = &s[r];
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return Err(err());
            }
            part.parse().map_err(|_| err())
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        Date::new(y, m as u8, d as u8).ok_or_else(err)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl TryFrom<String> for Date {
    type Error = DateError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

impl Reconcile for Date {
    type Key<'a> = autosurgeon::reconcile::NoKey;
    fn reconcile<R: Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
        reconciler.str(self.to_string())
    }
}

impl Hydrate for Date {
    fn hydrate_string(s: &str) -> Result<Self, HydrateError> {
        s.parse()
            .map_err(|_| HydrateError::unexpected("a date YYYY-MM-DD", s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        for (input, ok) in [
            ("2024-02-29", true),
            ("2023-02-29", false),
            ("2024-13-01", false),
            ("2024-04-31", false),
            ("2024-4-1", false),
            ("+024-01-01", false),
            ("2024-01-0x", false),
            ("", false),
            ("2026-11-27", true),
        ] {
            assert_eq!(input.parse::<Date>().is_ok(), ok, "{input}");
        }
        let d: Date = "2026-01-05".parse().unwrap();
        assert_eq!(d.to_string(), "2026-01-05");
        assert!(d < "2026-01-06".parse().unwrap());
    }

    #[test]
    fn counts_days_across_months_and_leap_years() {
        let day = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(day("1970-01-01").days_since_epoch(), 0);
        assert_eq!(day("2000-03-01").days_since(day("2000-02-28")), 2);
        assert_eq!(day("2026-03-01").days_since(day("2026-02-28")), 1);
        assert_eq!(day("2027-01-01").days_since(day("2026-01-01")), 365);
        assert_eq!(day("2026-01-01").days_since(day("2026-01-08")), -7);
    }
}
