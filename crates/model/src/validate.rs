//! Checks of single values that edits, the schema and the article list
//! share, kept apart from the document code so that each can use them.

use crate::error::ModelError;

pub(crate) fn non_empty(field: &str, value: &str) -> Result<(), ModelError> {
    if value.trim().is_empty() {
        return Err(ModelError::Invalid {
            field: field.into(),
            message: "must not be empty".into(),
        });
    }
    Ok(())
}

/// ISO 3166-1 alpha-2: two capital Latin letters.
pub fn validate_jurisdiction(code: &str) -> Result<(), ModelError> {
    if code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(ModelError::Invalid {
            field: "jurisdiction".into(),
            message: "use a two-letter country code such as KZ, KG, TJ, TM or UZ".into(),
        })
    }
}

/// ISO 4217: three capital Latin letters, e.g. KZT.
pub(crate) fn is_currency(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

/// A part (ч.) or paragraph (п.) of an article as codes number them: a
/// number such as 3 or a letter such as а, up to 8 characters.
pub(crate) fn is_subdivision(value: &str) -> bool {
    !value.is_empty() && value.chars().count() <= 8 && value.chars().all(char::is_alphanumeric)
}

/// A stateless person's citizenship: ICAO Doc 9303's code for a stateless
/// person, the one their travel document bears (see
/// `crate::later_lists`).
pub const STATELESS: &str = "XXA";

/// A citizenship: an ISO 3166-1 alpha-2 code, or [`STATELESS`].
pub(crate) fn is_citizenship(code: &str) -> bool {
    code == STATELESS || validate_jurisdiction(code).is_ok()
}
