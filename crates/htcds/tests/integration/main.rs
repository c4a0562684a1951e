//! The anonymised HTCDS export, tested through its public API: values the
//! standard allows, no identity in any byte, coarse dates and ages,
//! k-anonymity, statelessness, cases of earlier versions.

mod common;
mod identities;
mod kanon;
mod property;
mod shapes;
mod values;
