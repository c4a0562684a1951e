//! Where the events of a trafficking route happened: coordinates, border
//! crossings and the means of transport of a timeline event.
//!
//! Coordinates are stored as whole microdegrees (millionths of a degree,
//! about 11 cm at the equator) rather than as floating-point numbers: every
//! device then stores, compares and merges exactly the same value, the
//! schema checks the range of an integer exactly, and no NaN or infinity
//! can be written (see docs/decisions.md).

use crate::case::TimelineEvent;
use crate::error::ModelError;

/// Microdegrees in a degree.
pub const MICRODEGREES: i64 = 1_000_000;
/// The largest latitude, in microdegrees (90°).
pub const MAX_LATITUDE: i64 = 90 * MICRODEGREES;
/// The largest longitude, in microdegrees (180°).
pub const MAX_LONGITUDE: i64 = 180 * MICRODEGREES;

/// Degrees (as typed: 43.238949) in microdegrees, rounded to the nearest;
/// `None` for a value that is not a number or outside `±max` degrees.
pub fn microdegrees(degrees: f64, max: i64) -> Option<i64> {
    if !degrees.is_finite() {
        return None;
    }
    let micro = (degrees * MICRODEGREES as f64).round();
    (micro.abs() <= max as f64).then_some(micro as i64)
}

/// Microdegrees as degrees, for display and maps.
pub fn degrees(microdegrees: i64) -> f64 {
    microdegrees as f64 / MICRODEGREES as f64
}

fn invalid(field: &str, message: &str) -> ModelError {
    ModelError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

/// What an event's place must hold: both coordinates or neither, each in
/// its range, and a crossing point only on an event that crosses a border.
pub(crate) fn validate(e: &TimelineEvent) -> Result<(), ModelError> {
    match (e.latitude_microdeg, e.longitude_microdeg) {
        (None, None) => {}
        (Some(lat), Some(lon)) => {
            if lat.abs() > MAX_LATITUDE {
                return Err(invalid(
                    "latitude",
                    "is outside -90 to 90 degrees: check the order of latitude and longitude",
                ));
            }
            if lon.abs() > MAX_LONGITUDE {
                return Err(invalid("longitude", "is outside -180 to 180 degrees"));
            }
        }
        _ => {
            return Err(invalid(
                "coordinates",
                "give both latitude and longitude, or neither",
            ));
        }
    }
    if e.border_point.is_some() && e.crosses_border != Some(true) {
        return Err(invalid(
            "border_point",
            "a border crossing point is given only for an event that crosses a border",
        ));
    }
    if let Some(point) = &e.border_point {
        crate::validate::non_empty("border_point", point)?;
    }
    Ok(())
}
