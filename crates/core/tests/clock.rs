//! The clock's calendar arithmetic.

use caravan_core::clock::date_of;

#[test]
fn dates_of_known_instants() {
    for (ms, want) in [
        (0, "1970-01-01"),
        (951_782_400_000, "2000-02-29"),
        (1_795_824_000_000, "2026-11-28"),
    ] {
        assert_eq!(date_of(ms).to_string(), want);
    }
}
