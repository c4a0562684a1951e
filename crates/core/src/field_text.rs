//! Typing a field value given as text (command line, form field) by what
//! the field holds now, so `case edit … victims/v1/status actual_victim_of_trafficking` stores
//! the vocabulary's document name and `… age_at_trafficking 17` a number.

use automerge::{AutoCommit, ReadDoc, ScalarValue, Value};
use caravan_model::*;

use crate::error::{CoreError, Result};

/// The scalar at `path`, if there is one.
pub(crate) fn scalar_at(doc: &AutoCommit, path: &DocPath) -> Option<Scalar> {
    let (last, parents) = path.segments().split_last()?;
    let obj = caravan_model::later::object_at(doc, &DocPath(parents.to_vec()))?;
    let Seg::Key(k) = last else { return None };
    match doc.get(&obj, k.as_str()).ok()?? {
        (Value::Scalar(s), _) => Some(match s.as_ref() {
            ScalarValue::Null => Scalar::Null,
            ScalarValue::Boolean(b) => Scalar::Bool(*b),
            ScalarValue::Int(i) => Scalar::Int(*i),
            ScalarValue::Uint(u) => Scalar::Uint(*u),
            ScalarValue::Str(s) => Scalar::Str(s.to_string()),
            _ => return None,
        }),
        _ => None,
    }
}

/// The largest value, in microdegrees, of a coordinate field (a timeline
/// event's latitude or longitude), which is typed in degrees.
pub(crate) fn coordinate(path: &DocPath) -> Option<i64> {
    if path.matches("timeline/*/latitude_microdeg") {
        Some(places::MAX_LATITUDE)
    } else if path.matches("timeline/*/longitude_microdeg") {
        Some(places::MAX_LONGITUDE)
    } else {
        None
    }
}

/// Whether the field holds a boolean though it may be unset (null).
pub(crate) fn optional_bool(path: &DocPath) -> bool {
    path.matches("timeline/*/crosses_border")
}

/// A value typed as the case's schema says its field holds, where it names
/// a vocabulary (the value is its id) or a whole number: the field being
/// unset says nothing of its type.
pub(crate) fn by_schema(path: &DocPath, value: &str) -> Option<Result<Scalar>> {
    use caravan_model::schema::Expect;
    match caravan_model::schema::case().rule(path)?.expect {
        Expect::Vocab(v) => doc_name_of(&v, value).map(|name| Ok(Scalar::Str(name.to_string()))),
        Expect::Uint | Expect::Positive => Some(
            value
                .parse::<u64>()
                .map(Scalar::Uint)
                .map_err(|_| CoreError::invalid(path.to_string(), "expects a whole number")),
        ),
        // A flag added after the record was made (a suspect's complicity,
        // a referral's consent), absent until first set.
        Expect::Bool => Some(flag(path, value)),
        _ => None,
    }
}

/// A flag typed as text: true or yes, false or no.
pub(crate) fn flag(path: &DocPath, value: &str) -> Result<Scalar> {
    match value {
        "true" | "yes" => Ok(Scalar::Bool(true)),
        "false" | "no" => Ok(Scalar::Bool(false)),
        _ => Err(CoreError::invalid(
            path.to_string(),
            "expects true or false",
        )),
    }
}

/// Converts between a vocabulary's stable ids (what front ends send and
/// show) and its document names (what the case stores), for the
/// vocabulary a schema rule names. Every vocabulary of the model is
/// listed: a new one is added here, and the `vocabularies_convert` test
/// fails until it is.
macro_rules! by_vocabulary {
    ($v:expr, |$t:ident| $body:expr, $($ty:ty),+ $(,)?) => {{
        let name = $v.name;
        $(
            if name == <$ty>::VOCABULARY.name {
                type $t = $ty;
                return $body;
            }
        )+
        None
    }};
}

macro_rules! every_vocabulary {
    ($v:expr, |$t:ident| $body:expr) => {
        by_vocabulary!(
            $v,
            |$t| $body,
            Role,
            Stage,
            CaseStatus,
            TraffickingStatus,
            StatusDecidedBy,
            Exploitation,
            ControlMethod,
            RecruitmentMethod,
            PerpetratorRole,
            EventKind,
            PeaceStage,
            EvidenceKind,
            ItemStatus,
            ItemKind,
            StageStatus,
            ReviewKind,
            Decision,
            RiskSubject,
            ReferralDirection,
            Gender,
            CaseLinkKind,
            RequestKind,
            NoticeColour,
            LegalBasis,
            RequestStatus,
            TransportMode,
            IdentifierKind,
            GroupRole,
            ForcedLabourIndustry,
            SexualExploitationType,
            RelationshipToTrafficker,
            WebsiteOrApp,
            OrganisationType,
            ReferralReason,
            ReferralStatus,
            ProceduralStatus,
            MeasureKind,
            ChargeStatus,
            IndictmentStatus,
            HearingKind,
            HearingOutcome,
            ProtectiveMeasure,
            VerdictOutcome,
            AppealStatus,
            CompensationStatus,
            SupportType,
            SupportStatus,
            ResidenceDecision,
            ReintegrationStatus,
            FlowKind,
            FlowSource,
            FreezeStatus,
        )
    };
}

/// The document name of the value with id `id` in vocabulary `v`.
pub(crate) fn doc_name_of(v: &caravan_model::schema::Vocabulary, id: &str) -> Option<&'static str> {
    every_vocabulary!(v, |T| T::from_id(id).map(T::doc_name))
}

/// The id of the value stored as `doc_name` in vocabulary `v`.
pub(crate) fn id_of(v: &caravan_model::schema::Vocabulary, doc_name: &str) -> Option<&'static str> {
    every_vocabulary!(v, |T| T::from_doc_name(doc_name).map(T::id))
}

/// The vocabulary the schema says `path` holds, if any.
pub(crate) fn vocabulary_at(path: &DocPath) -> Option<caravan_model::schema::Vocabulary> {
    match caravan_model::schema::case().rule(path)?.expect {
        caravan_model::schema::Expect::Vocab(v) => Some(v),
        _ => None,
    }
}

/// A country as every front end stores it: two letters of ISO 3166-1,
/// upper-case (`kz`, ` KZ ` → `KZ`); blank is none. Done here, once, so the
/// CLI and the app store the same value.
pub(crate) fn country_code(field: &str, value: Option<&str>) -> Result<Option<String>> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if v.len() != 2 || !v.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(CoreError::invalid(
            field,
            "must be a two-letter country code (ISO 3166), such as KZ or UZ",
        ));
    }
    Ok(Some(v.to_ascii_uppercase()))
}

/// Citizenships as every front end stores them: each a country code as
/// [`country_code`] makes it, or `stateless` (any case, or ICAO's `XXA`)
/// stored as [`caravan_model::later_lists::STATELESS`]; blanks dropped,
/// each once. Statelessness stands alone: a person with a citizenship is
/// not stateless.
pub(crate) fn citizenships(field: &str, values: &[String]) -> Result<Vec<String>> {
    use caravan_model::later_lists::STATELESS;
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for value in values {
        let v = value.trim();
        let code = if v.eq_ignore_ascii_case("stateless") || v.eq_ignore_ascii_case(STATELESS) {
            Some(STATELESS.to_string())
        } else {
            country_code(field, Some(v)).map_err(|_| {
                CoreError::invalid(
                    field,
                    "must be two-letter country codes (ISO 3166), such as KZ or UZ, or stateless",
                )
            })?
        };
        if let Some(code) = code
            && !out.contains(&code)
        {
            out.push(code);
        }
    }
    if out.len() > 1 && out.iter().any(|c| c == STATELESS) {
        return Err(CoreError::invalid(
            field,
            "names a citizenship and statelessness together: keep one or the other",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_convert() {
        for rule in caravan_model::schema::case().rules() {
            if let caravan_model::schema::Expect::Vocab(v) = rule.expect {
                for name in v.doc_names {
                    let id = id_of(&v, name)
                        .unwrap_or_else(|| panic!("{}: {name} has no id here", v.name));
                    assert_eq!(doc_name_of(&v, id), Some(*name));
                }
            }
        }
    }
}
