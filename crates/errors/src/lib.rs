//! The contract every Caravan error follows: a stable code that front ends
//! translate and scripts match (never the message text), and the kind of
//! failure, both decided by the variant. The vault, sync, model and core
//! crates all use it, so it depends on none of them.

/// What kind of failure an error is, for exit codes and for how a front
/// end presents it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Wrong passphrase or recovery code.
    WrongSecret,
    /// The vault is open in another window or process.
    InUse,
    /// The input was refused (invalid value, not permitted, unknown id).
    Rejected,
    /// A signature, checksum or chain did not verify: data was damaged or
    /// tampered with.
    Verification,
    /// Anything else (disk, storage, internal).
    Failure,
}

/// An error with a stable code and a kind.
pub trait Coded {
    /// Every code `code` can return, except those of the errors it wraps
    /// (their own type lists them).
    const CODES: &'static [&'static str];

    /// Stable machine-readable code, e.g. `vault.wrong_passphrase`.
    fn code(&self) -> &'static str;

    /// How a front end presents the error.
    fn kind(&self) -> ErrorKind;
}

/// Implements [`Coded`] (and the same `code`, `kind` and `CODES` as inherent
/// items, so callers need no import) from one table: each variant's pattern
/// with its code and kind, then the variants that wrap another coded error
/// and take its code and kind. `CODES` is made from the same table as
/// `code`, and the match is exhaustive, so no code can be left out of it.
///
/// ```ignore
/// caravan_errors::coded! {
///     SyncError {
///         Self::NotABundle => ("sync.not_a_bundle", Verification),
///         Self::Random => ("sync.random", Failure),
///     }
///     wraps { Model }
/// }
/// ```
#[macro_export]
macro_rules! coded {
    (
        $ty:ty {
            $( $pat:pat => ($code:expr, $kind:ident) ),* $(,)?
        }
        $( wraps { $( $wrap:ident ),* $(,)? } )?
    ) => {
        impl $ty {
            /// Every code `code` can return, except those of wrapped errors.
            pub const CODES: &'static [&'static str] = &[$( $code ),*];

            /// Stable machine-readable code, decided by the variant.
            pub const fn code(&self) -> &'static str {
                match self {
                    $( $pat => $code, )*
                    $( $( Self::$wrap(e) => e.code(), )* )?
                }
            }

            /// The kind of failure, decided by the variant.
            pub const fn kind(&self) -> $crate::ErrorKind {
                match self {
                    $( $pat => $crate::ErrorKind::$kind, )*
                    $( $( Self::$wrap(e) => e.kind(), )* )?
                }
            }
        }

        impl $crate::Coded for $ty {
            const CODES: &'static [&'static str] = <$ty>::CODES;

            fn code(&self) -> &'static str {
                <$ty>::code(self)
            }

            fn kind(&self) -> $crate::ErrorKind {
                <$ty>::kind(self)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    enum Inner {
        Bad,
    }

    coded! {
        Inner {
            Self::Bad => ("inner.bad", Verification),
        }
    }

    #[derive(Debug)]
    enum Outer {
        Busy { _what: &'static str },
        Wrapped(Inner),
    }

    coded! {
        Outer {
            Self::Busy { .. } => ("outer.busy", InUse),
        }
        wraps { Wrapped }
    }

    #[test]
    fn codes_and_kinds_follow_the_table_and_wrapped_errors_keep_theirs() {
        let busy = Outer::Busy { _what: "x" };
        assert_eq!((busy.code(), busy.kind()), ("outer.busy", ErrorKind::InUse));
        let wrapped = Outer::Wrapped(Inner::Bad);
        assert_eq!(Coded::code(&wrapped), "inner.bad");
        assert_eq!(Coded::kind(&wrapped), ErrorKind::Verification);
        assert_eq!(Outer::CODES, ["outer.busy"]);
        assert_eq!(<Inner as Coded>::CODES, ["inner.bad"]);
    }
}
