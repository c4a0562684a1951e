//! In-crate tests: they forge changes and bundles with access to internals
//! that no caller has.

mod adversarial;
mod announce;
mod attribution;
mod bad_values;
mod bounds;
mod compact_bundles;
mod converge;
mod court;
mod doc_ids;
mod equivocation;
mod finance;
mod fixture;
mod forged_writes;
mod join_package;
mod later_lists;
mod need_to_know;
mod older_cases;
mod planted_keys;
mod proofs;
mod qualification_role;
mod quarantine;
mod relays;
mod residency;
mod review2;
mod review3;
mod review_h7;
mod roster;
mod route_records;
mod scenario;
mod session;
mod support;
mod weak_keys;
mod withdrawals;
