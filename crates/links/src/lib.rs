//! Link analysis across cases, without I/O: what each case holds that
//! another may share (people by folded name and date of birth, phone
//! numbers, IMEIs, e-mail and online accounts, document and account
//! numbers, vehicles, addresses, organisations), matched by
//! spelling-independent keys ([`keys`]), as a graph of cases, people and
//! entities ([`graph`]) whose values stay masked, and its export for i2
//! Analyst's Notebook ([`i2`]).

pub mod extract;
pub mod graph;
pub mod i2;
pub mod keys;
pub mod sample;

pub use extract::{Found, extract};
pub use graph::{
    CaseInfo, EdgeKind, EntityKind, LinkEdge, LinkGraph, LinkNode, LinkOptions, Occurrence,
    PersonRole, Revealed, build, build_revealing,
};
