//! Typing a field value given as text (command line, form field) by what
//! the field holds now, so `case edit … victims/v1/status actual` stores
//! the vocabulary's document name and `… age_at_trafficking 17` a number.

use automerge::{AutoCommit, ReadDoc, ScalarValue, Value};
use caravan_model::*;

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

fn last_key(path: &DocPath) -> &str {
    match path.segments().last() {
        Some(Seg::Key(k)) => k,
        _ => "",
    }
}

/// Optional numeric fields (stored as null while unknown).
pub(crate) fn numeric(path: &DocPath) -> bool {
    matches!(
        last_key(path),
        "age_at_trafficking" | "severity" | "likelihood"
    )
}

/// If `value` is a vocabulary id and the field holds (or, when empty, is
/// known to hold) that vocabulary, its document name.
pub(crate) fn vocabulary_name(
    path: &DocPath,
    current: Option<&str>,
    value: &str,
) -> Option<String> {
    // The later records' vocabulary fields, by path: a field unset (null)
    // says nothing of its vocabulary, and a shared last key (`status`,
    // `kind`) names several.
    macro_rules! by_path {
        ($($pattern:literal => $v:ty),+ $(,)?) => {
            $(
                if path.matches($pattern) {
                    return <$v>::from_id(value).map(|x| x.doc_name().to_string());
                }
            )+
        };
    }
    by_path!(
        "links/*/relation" => CaseLinkKind,
        "international_requests/*/kind" => RequestKind,
        "international_requests/*/notice" => NoticeColour,
        "international_requests/*/legal_basis" => LegalBasis,
        "international_requests/*/status" => RequestStatus,
    );
    macro_rules! try_vocab {
        ($($v:ty),+) => {
            $(
                if let Some(c) = current
                    && <$v>::from_doc_name(c).is_some()
                    && let Some(x) = <$v>::from_id(value)
                {
                    return Some(x.doc_name().to_string());
                }
            )+
        };
    }
    try_vocab!(
        CaseStatus,
        TraffickingStatus,
        StatusDecidedBy,
        RecruitmentMethod,
        Sex,
        EvidenceKind,
        PeaceStage,
        Stage,
        RiskSubject,
        ReferralDirection,
        Decision,
        EventKind
    );
    if current.is_none() {
        let name = match last_key(path) {
            "recruitment" => RecruitmentMethod::from_id(value).map(|v| v.doc_name()),
            "status_decided_by" => StatusDecidedBy::from_id(value).map(|v| v.doc_name()),
            "stage" => Stage::from_id(value).map(|v| v.doc_name()),
            _ => None,
        };
        return name.map(str::to_string);
    }
    None
}
