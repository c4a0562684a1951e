//! [`Scalar`]: one value of a document field as an edit writes it and the
//! attribution checks read it back. It sits below the vocabularies and the
//! schema so that both can convert to and from it.

use autosurgeon::{Reconcile, Reconciler};

use crate::date::Date;

/// A single scalar value, as [`crate::Edit::Set`] writes it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Str(String),
}

impl Reconcile for Scalar {
    type Key<'a> = autosurgeon::reconcile::NoKey;
    fn reconcile<R: Reconciler>(&self, mut r: R) -> Result<(), R::Error> {
        match self {
            Scalar::Null => r.none(),
            Scalar::Bool(b) => r.boolean(*b),
            Scalar::Int(i) => r.i64(*i),
            Scalar::Uint(u) => r.u64(*u),
            Scalar::Str(s) => r.str(s),
        }
    }
}

impl From<&str> for Scalar {
    fn from(s: &str) -> Self {
        Scalar::Str(s.to_string())
    }
}
impl From<String> for Scalar {
    fn from(s: String) -> Self {
        Scalar::Str(s)
    }
}
impl From<bool> for Scalar {
    fn from(b: bool) -> Self {
        Scalar::Bool(b)
    }
}
impl From<u64> for Scalar {
    fn from(u: u64) -> Self {
        Scalar::Uint(u)
    }
}
impl From<Date> for Scalar {
    fn from(d: Date) -> Self {
        Scalar::Str(d.to_string())
    }
}
impl<T: Into<Scalar>> From<Option<T>> for Scalar {
    fn from(v: Option<T>) -> Self {
        v.map_or(Scalar::Null, Into::into)
    }
}

impl Scalar {
    /// The model's scalar for an Automerge one; `None` for kinds Caravan
    /// never writes (bytes, floats, counters, unknown types).
    pub fn from_automerge(value: &automerge::ScalarValue) -> Option<Scalar> {
        use automerge::ScalarValue as V;
        match value {
            V::Null => Some(Scalar::Null),
            V::Boolean(b) => Some(Scalar::Bool(*b)),
            V::Int(i) | V::Timestamp(i) => Some(Scalar::Int(*i)),
            V::Uint(u) => Some(Scalar::Uint(*u)),
            V::Str(s) => Some(Scalar::Str(s.to_string())),
            V::Bytes(_) | V::F64(_) | V::Counter(_) | V::Unknown { .. } => None,
        }
    }
}
