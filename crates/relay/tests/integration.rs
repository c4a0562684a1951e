//! The relay's tests: the storage conformance suite (SQLite always,
//! PostgreSQL when `CARAVAN_TEST_POSTGRES` names a server), end to end
//! over loopback with real device keys, faults, and the canary.

mod integration {
    pub mod canary;
    pub mod common;
    pub mod e2e;
    pub mod faults;
    pub mod outages;
    pub mod recent;
    pub mod shared_pg;
    pub mod store;
    pub mod tls;
}
