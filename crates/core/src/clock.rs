//! Time, supplied to the model (which has no clock of its own).

use std::sync::atomic::{AtomicI64, Ordering};

/// Milliseconds since the Unix epoch, and the calendar date in UTC.
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now_ms(&self) -> i64;

    fn today(&self) -> caravan_model::Date {
        date_of(self.now_ms())
    }
}

/// The operating system's clock.
#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64)
    }
}

/// A clock that starts at a given instant and moves one second per reading:
/// reproducible stories (the demo) and tests.
#[derive(Debug)]
pub struct SteppingClock(AtomicI64);

impl SteppingClock {
    pub fn starting_at(ms: i64) -> Self {
        Self(AtomicI64::new(ms))
    }

    /// Moves the clock forward, e.g. by days in a story.
    pub fn advance(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for SteppingClock {
    fn now_ms(&self) -> i64 {
        self.0.fetch_add(1000, Ordering::SeqCst)
    }
}

/// The UTC calendar date of an instant (proleptic Gregorian).
pub fn date_of(ms: i64) -> caravan_model::Date {
    // Howard Hinnant's days-from-civil inverse.
    let days = ms.div_euclid(86_400_000);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
    caravan_model::Date::new(year, month, day).unwrap_or_else(|| {
        caravan_model::Date::new(1970, 1, 1).unwrap_or_else(|| unreachable!("1970-01-01 is valid"))
    })
}
