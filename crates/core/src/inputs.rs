//! What front ends send to the core: the inputs of the use cases, the same
//! for the app (deserialised from the window, TypeScript declarations
//! generated behind the `ts` feature) and for the command line (which
//! parses its flags straight into them, behind the `clap` feature; a doc
//! comment on a field is its help there). Values
//! arrive typed (vocabularies, dates, ids); text is normalised here, once
//! ([`Normalise`]), whoever sent it: trimmed, and blank optional text is
//! none.

use caravan_model::{
    CaseStatus, ControlMethod, Date, EventKind, EvidenceKind, Exploitation, Gender, ItemStatus,
    PerpetratorRole, RecruitmentMethod, ReferralDirection, RiskSubject, Stage, TransportMode,
};
use caravan_model::{
    ForcedLabourIndustry, OrganisationType, ReferralReason, ReferralStatus,
    RelationshipToTrafficker, SexualExploitationType, WebsiteOrApp,
};
use serde::Deserialize;

use crate::error::{CoreError, Result};
use crate::ids::RecordId;
use crate::view::PersonKind;

/// Trims text, turns blank optional text into none, drops repeated list
/// entries, and refuses input too large to travel: a change every peer
/// would refuse for its size (`sync.change_too_large`) would hold back
/// every later change of the case. Every use case normalises its input
/// before it judges it.
pub trait Normalise: Sized {
    fn normalised(self) -> Result<Self>;
}

/// Bytes of one line of text (a name, a place, a title).
pub const MAX_TEXT: usize = 4 * 1024;
/// Bytes of a longer text (a description, a plan, a note).
pub const MAX_LONG_TEXT: usize = 256 * 1024;
/// Entries of a list (ids, vocabulary values, languages).
pub const MAX_LIST: usize = 256;

fn text(s: String) -> String {
    let t = s.trim();
    if t.len() == s.len() { s } else { t.to_string() }
}

fn opt(s: Option<String>) -> Option<String> {
    s.map(text).filter(|t| !t.is_empty())
}

/// The list without repeated entries, in its order.
fn distinct<T: PartialEq>(list: Vec<T>) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(list.len());
    for v in list {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// Refuses `value` past `max` bytes, naming the field.
pub(crate) fn bounded(field: &str, value: &str, max: usize) -> Result<()> {
    if value.len() > max {
        return Err(CoreError::invalid(
            field,
            format!("is too long: at most {max} bytes"),
        ));
    }
    Ok(())
}

fn listed(field: &str, len: usize) -> Result<()> {
    if len > MAX_LIST {
        return Err(CoreError::invalid(
            field,
            format!("has too many entries: at most {MAX_LIST}"),
        ));
    }
    Ok(())
}

/// Implements [`Normalise`] from the input's fields by kind: `text`
/// (trimmed, one line), `optional` (trimmed, blank is none, one line),
/// `long` (a longer text, kept as written), `lists` (of vocabulary values)
/// and `text_lists` (of ids or words); other fields pass unchanged.
macro_rules! normalise {
    ($ty:ty {
        text: [$($t:ident),*], optional: [$($o:ident),*]
        $(, long: [$($g:ident),*])? $(, lists: [$($l:ident),*])? $(, text_lists: [$($x:ident),*])?
    }) => {
        impl Normalise for $ty {
            // Inputs whose every field is text need no struct update.
            #[allow(clippy::needless_update)]
            fn normalised(self) -> Result<Self> {
                let out = Self {
                    $($t: text(self.$t),)*
                    $($o: opt(self.$o),)*
                    $($($l: distinct(self.$l),)*)?
                    $($($x: distinct(self.$x),)*)?
                    ..self
                };
                $(bounded(stringify!($t), &out.$t, MAX_TEXT)?;)*
                $(bounded(stringify!($o), out.$o.as_deref().unwrap_or(""), MAX_TEXT)?;)*
                $($(bounded(stringify!($g), &out.$g, MAX_LONG_TEXT)?;)*)?
                $($(listed(stringify!($l), out.$l.len())?;)*)?
                $($(
                    listed(stringify!($x), out.$x.len())?;
                    for entry in &out.$x {
                        bounded(stringify!($x), entry, MAX_TEXT)?;
                    }
                )*)?
                Ok(out)
            }
        }
    };
}

/// A moment as a person types it on the command line, in milliseconds
/// since the epoch: `YYYY-MM-DDTHH:MM[:SS]` (or a space for the `T`)
/// followed by `Z` or an offset from UTC such as `+05:00` — a moment
/// without its offset would depend on the computer's time zone — or the
/// milliseconds themselves.
pub fn parse_moment(s: &str) -> std::result::Result<i64, String> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().map_err(|_| "is too large".to_string());
    }
    let bad = || {
        format!(
            "'{s}' is not a moment: write 2026-03-01T14:30+05:00 (the date, the time and the offset from UTC, or Z for UTC)"
        )
    };
    let (date, rest) = s.split_at_checked(10).ok_or_else(bad)?;
    let date: Date = date.parse().map_err(|_| bad())?;
    let rest = rest.strip_prefix(['T', 't', ' ']).ok_or_else(bad)?;
    let (time, offset) = match rest.find(['Z', 'z', '+', '-']) {
        Some(i) => rest.split_at(i),
        None => return Err(bad()),
    };
    let num = |t: &str, max: i64| -> std::result::Result<i64, String> {
        if t.len() != 2 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let n: i64 = t.parse().map_err(|_| bad())?;
        if n > max { Err(bad()) } else { Ok(n) }
    };
    let parts: Vec<&str> = time.split(':').collect();
    let (h, m, sec) = match parts.as_slice() {
        [h, m] => (num(h, 23)?, num(m, 59)?, 0),
        [h, m, s] => (num(h, 23)?, num(m, 59)?, num(s, 59)?),
        _ => return Err(bad()),
    };
    let offset_min = match offset {
        "Z" | "z" => 0,
        o => {
            let sign = if o.starts_with('-') { -1 } else { 1 };
            let (oh, om) = o[1..].split_once(':').ok_or_else(bad)?;
            sign * (num(oh, 14)? * 60 + num(om, 59)?)
        }
    };
    let days = date.days_since_epoch();
    let secs = days * 86_400 + h * 3_600 + m * 60 + sec - offset_min * 60;
    Ok(secs * 1_000)
}

/// What a new case starts with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct NewCaseInput {
    #[cfg_attr(feature = "clap", arg(long))]
    pub reference: String,
    #[cfg_attr(feature = "clap", arg(long, default_value = ""))]
    pub title: String,
    /// ISO 3166-1 alpha-2 country code, e.g. KZ
    #[cfg_attr(feature = "clap", arg(long))]
    pub jurisdiction: String,
}
normalise!(NewCaseInput {
    text: [reference, title, jurisdiction],
    optional: []
});

/// Filters of the case list; all given filters must match.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct CaseFilter {
    /// Matches title, reference and every name in the case, whatever the
    /// alphabet or spelling (see `caravan_model::search::fold`).
    pub query: Option<String>,
    pub stage: Option<Stage>,
    pub status: Option<CaseStatus>,
    /// Member id.
    pub assignee: Option<String>,
    pub jurisdiction: Option<String>,
    pub overdue_only: bool,
}
normalise!(CaseFilter {
    text: [],
    optional: [query, assignee, jurisdiction]
});

/// What to record on one checklist item.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct ItemUpdate {
    pub status: ItemStatus,
    /// Required for not applicable.
    pub reason: Option<String>,
    pub note: Option<String>,
    #[serde(default)]
    pub evidence_ids: Vec<RecordId>,
    #[serde(default)]
    pub interview_ids: Vec<RecordId>,
}
normalise!(ItemUpdate {
    text: [],
    optional: [reason, note],
    text_lists: [evidence_ids, interview_ids]
});

/// One field of a record as an edit dialog saves it, given as text and
/// typed by the core as [`crate::workspace::Workspace::set_field`],
/// `set_text` and `set_list` type theirs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldEdit {
    /// A value: '' clears an optional field.
    Value { path: String, value: String },
    /// Collaborative text, edited where it differs.
    Text { path: String, text: String },
    /// A list's values.
    List { path: String, values: Vec<String> },
}

/// A new victim, suspect or witness.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct PersonInput {
    #[cfg_attr(feature = "clap", arg(long))]
    pub kind: PersonKind,
    /// Name the case file shows instead of the real name
    #[cfg_attr(feature = "clap", arg(long))]
    pub pseudonym: String,
    /// Full name (identity: masked in every view)
    #[cfg_attr(feature = "clap", arg(long = "name"))]
    pub full_name: String,
    #[cfg_attr(feature = "clap", arg(long))]
    pub other_names: Option<String>,
    /// YYYY-MM-DD
    #[cfg_attr(feature = "clap", arg(long))]
    pub birth_date: Option<Date>,
    #[cfg_attr(feature = "clap", arg(long = "documents"))]
    pub document_numbers: Option<String>,
    #[cfg_attr(feature = "clap", arg(long))]
    pub contact: Option<String>,
    #[cfg_attr(feature = "clap", arg(long))]
    pub address: Option<String>,
    /// Gender (HTCDS), e.g. feminine
    #[cfg_attr(
        feature = "clap",
        arg(
            long,
            visible_alias = "gender",
            default_value = "non_specified_unknown"
        )
    )]
    pub sex: Gender,
    /// Age at the time of trafficking
    #[cfg_attr(feature = "clap", arg(long = "age"))]
    pub age_at_trafficking: Option<u64>,
    /// Citizenship (repeatable): ISO 3166-1 alpha-2 country code, any case
    /// (stored upper-case), or `stateless` (stored as ICAO's XXA)
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long = "citizenship"))]
    pub citizenships: Vec<String>,
    /// Language spoken (repeatable)
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long = "language"))]
    pub languages: Vec<String>,
    /// Type of exploitation (repeatable), e.g. forced_labour
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long))]
    pub exploitation: Vec<Exploitation>,
    /// Means of control (repeatable), e.g. debt_bondage
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long = "control"))]
    pub control_methods: Vec<ControlMethod>,
    /// Method of recruitment (repeatable, HTCDS), e.g. at_work
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long = "recruitment"))]
    pub recruitment_methods: Vec<RecruitmentMethod>,
    /// Suspect's role (repeatable), e.g. recruiter_or_intermediary
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long = "role"))]
    pub roles: Vec<PerpetratorRole>,
    /// Witness's relation to the case
    #[cfg_attr(feature = "clap", arg(long))]
    pub relation: Option<String>,
    /// Victim's forced-labour industry (HTCDS: an ISIC section), e.g. f_construction
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long = "industry"))]
    pub forced_labour_industry: Option<ForcedLabourIndustry>,
    /// Victim's relationship to the trafficker (HTCDS), e.g. acquainted
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long = "relationship"))]
    pub relationship_to_trafficker: Option<RelationshipToTrafficker>,
    /// Suspect is a public official complicit in the crime
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long))]
    pub public_official: bool,
    /// Victim's type of sexual exploitation (repeatable, HTCDS), e.g. prostitution
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long = "sex-exploitation"))]
    pub sex_exploitation: Vec<SexualExploitationType>,
    /// Website or app the victim was recruited through (repeatable, HTCDS), e.g. telegram
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long = "recruitment-website"))]
    pub recruitment_websites: Vec<WebsiteOrApp>,
    /// Website or app the victim was exploited through (repeatable, HTCDS), e.g. instagram
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long = "exploitation-website"))]
    pub exploitation_websites: Vec<WebsiteOrApp>,
}
normalise!(PersonInput {
    text: [pseudonym, full_name],
    optional: [other_names, document_numbers, contact, address, relation],
    lists: [
        exploitation,
        control_methods,
        roles,
        recruitment_methods,
        sex_exploitation,
        recruitment_websites,
        exploitation_websites
    ],
    text_lists: [languages, citizenships]
});

impl PersonInput {
    /// Refuses details that the person's kind does not keep (an age for a
    /// witness, a role in the crime for a victim): stored, they would be
    /// dropped without a word, and the person who typed them would believe
    /// them kept.
    pub fn fits_kind(&self) -> Result<()> {
        use PersonKind::{Suspect, Victim, Witness};
        let given: [(&str, bool, &[PersonKind]); 15] = [
            ("sex", self.sex != Gender::NonSpecifiedUnknown, &[Victim]),
            (
                "age_at_trafficking",
                self.age_at_trafficking.is_some(),
                &[Victim],
            ),
            (
                "citizenships",
                !self.citizenships.is_empty(),
                &[Victim, Suspect],
            ),
            ("languages", !self.languages.is_empty(), &[Victim]),
            ("exploitation", !self.exploitation.is_empty(), &[Victim]),
            (
                "control_methods",
                !self.control_methods.is_empty(),
                &[Victim],
            ),
            (
                "recruitment_methods",
                !self.recruitment_methods.is_empty(),
                &[Victim],
            ),
            ("roles", !self.roles.is_empty(), &[Suspect]),
            ("relation", self.relation.is_some(), &[Witness]),
            (
                "forced_labour_industry",
                self.forced_labour_industry.is_some(),
                &[Victim],
            ),
            (
                "relationship_to_trafficker",
                self.relationship_to_trafficker.is_some(),
                &[Victim],
            ),
            ("public_official", self.public_official, &[Suspect]),
            (
                "sex_exploitation",
                !self.sex_exploitation.is_empty(),
                &[Victim],
            ),
            (
                "recruitment_websites",
                !self.recruitment_websites.is_empty(),
                &[Victim],
            ),
            (
                "exploitation_websites",
                !self.exploitation_websites.is_empty(),
                &[Victim],
            ),
        ];
        match given
            .iter()
            .find(|(_, set, kinds)| *set && !kinds.contains(&self.kind))
        {
            Some((field, _, kinds)) => Err(CoreError::invalid(
                *field,
                format!(
                    "is kept only for a {}, not for a {}: leave it empty or choose that kind",
                    kinds
                        .iter()
                        .map(|k| k.noun())
                        .collect::<Vec<_>>()
                        .join(" or "),
                    self.kind.noun()
                ),
            )),
            None => Ok(()),
        }
    }

    /// A person with only the required details; fill in the rest.
    pub fn new(kind: PersonKind, pseudonym: &str, full_name: &str) -> Self {
        Self {
            kind,
            pseudonym: pseudonym.into(),
            full_name: full_name.into(),
            other_names: None,
            birth_date: None,
            document_numbers: None,
            contact: None,
            address: None,
            sex: Gender::NonSpecifiedUnknown,
            age_at_trafficking: None,
            citizenships: Vec::new(),
            languages: Vec::new(),
            exploitation: Vec::new(),
            control_methods: Vec::new(),
            recruitment_methods: Vec::new(),
            roles: Vec::new(),
            relation: None,
            forced_labour_industry: None,
            relationship_to_trafficker: None,
            public_official: false,
            sex_exploitation: Vec::new(),
            recruitment_websites: Vec::new(),
            exploitation_websites: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct EvidenceInput {
    #[cfg_attr(feature = "clap", arg(long))]
    pub label: String,
    #[cfg_attr(feature = "clap", arg(long))]
    pub kind: EvidenceKind,
    #[cfg_attr(feature = "clap", arg(long, default_value = ""))]
    pub description: String,
    /// When it was seized (milliseconds since the epoch); on the command
    /// line 2026-03-01T14:30+05:00 (or Z for UTC)
    #[cfg_attr(feature = "clap", arg(long, value_parser = parse_moment))]
    pub seized_at: Option<i64>,
    /// Who seized it (an officer, a unit): the item's first holder
    #[cfg_attr(feature = "clap", arg(long))]
    pub seized_by: Option<String>,
    #[cfg_attr(feature = "clap", arg(long))]
    pub seized_from: Option<String>,
    #[cfg_attr(feature = "clap", arg(long))]
    pub location: Option<String>,
    #[cfg_attr(feature = "clap", arg(long = "seal"))]
    pub seal_number: Option<String>,
}
normalise!(EvidenceInput {
    text: [label],
    optional: [seized_by, seized_from, location, seal_number],
    long: [description]
});

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct CustodyInput {
    #[cfg_attr(feature = "clap", arg(long))]
    pub from: String,
    #[cfg_attr(feature = "clap", arg(long))]
    pub to: String,
    #[cfg_attr(feature = "clap", arg(long))]
    pub place: String,
    /// When the hand-over took place (milliseconds since the epoch), as
    /// typed: never in the future, never before the item was seized; now
    /// when left out. On the command line 2026-03-01T14:30+05:00 (or Z)
    #[cfg_attr(feature = "clap", arg(long, value_parser = parse_moment))]
    pub at: Option<i64>,
    #[cfg_attr(feature = "clap", arg(long = "seal"))]
    pub seal_number: Option<String>,
    #[cfg_attr(feature = "clap", arg(long))]
    pub purpose: Option<String>,
}
normalise!(CustodyInput {
    text: [from, to, place],
    optional: [seal_number, purpose]
});

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct InterviewInput {
    #[cfg_attr(feature = "clap", arg(long = "person"))]
    pub person_id: RecordId,
    /// YYYY-MM-DD
    #[cfg_attr(feature = "clap", arg(long = "date"))]
    pub planned_for: Option<Date>,
    #[cfg_attr(feature = "clap", arg(long))]
    pub venue: Option<String>,
    #[cfg_attr(feature = "clap", arg(long))]
    pub interpreter: Option<String>,
    #[cfg_attr(feature = "clap", arg(long))]
    pub interpreter_vetted: bool,
    #[cfg_attr(feature = "clap", arg(long = "consent"))]
    pub consent_given: bool,
    /// Child-sensitive interview track
    #[cfg_attr(feature = "clap", arg(long = "child"))]
    pub child_track: bool,
    /// The PEACE plan (collaborative text)
    #[cfg_attr(feature = "clap", arg(long, default_value = ""))]
    pub plan: String,
}
normalise!(InterviewInput {
    text: [],
    optional: [venue, interpreter],
    long: [plan]
});

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct TaskInput {
    #[cfg_attr(feature = "clap", arg(long))]
    pub title: String,
    /// A member's id, id prefix or name
    #[cfg_attr(feature = "clap", arg(long))]
    pub assignee: Option<String>,
    /// YYYY-MM-DD
    #[cfg_attr(feature = "clap", arg(long))]
    pub due: Option<Date>,
    #[cfg_attr(feature = "clap", arg(long))]
    pub stage: Option<Stage>,
}
normalise!(TaskInput {
    text: [title],
    optional: [assignee]
});

/// An event of the trafficking route (HTCDS historic trafficking event).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct EventInput {
    #[cfg_attr(feature = "clap", arg(long))]
    pub kind: EventKind,
    /// YYYY-MM-DD
    #[cfg_attr(feature = "clap", arg(long))]
    pub date: Option<Date>,
    #[cfg_attr(feature = "clap", arg(long))]
    pub place: String,
    /// ISO 3166-1 alpha-2, any case; stored upper-case.
    #[cfg_attr(feature = "clap", arg(long))]
    pub country: Option<String>,
    #[cfg_attr(feature = "clap", arg(long, default_value = ""))]
    pub description: String,
    /// A victim, suspect or witness of the case (repeat for several)
    #[cfg_attr(feature = "clap", arg(long = "person"))]
    #[serde(default)]
    pub person_ids: Vec<RecordId>,
    /// Latitude in decimal degrees (WGS 84), e.g. 43.238949; with --longitude
    #[cfg_attr(feature = "clap", arg(long, allow_negative_numbers = true))]
    #[serde(default)]
    pub latitude: Option<f64>,
    /// Longitude in decimal degrees (WGS 84), e.g. 76.889709; with --latitude
    #[cfg_attr(feature = "clap", arg(long, allow_negative_numbers = true))]
    #[serde(default)]
    pub longitude: Option<f64>,
    /// The person crossed a state border on this leg
    #[cfg_attr(feature = "clap", arg(long, num_args = 0..=1, default_missing_value = "true"))]
    #[serde(default)]
    pub crosses_border: Option<bool>,
    /// The border crossing point, e.g. Korday
    #[cfg_attr(feature = "clap", arg(long))]
    #[serde(default)]
    pub border_point: Option<String>,
    #[cfg_attr(feature = "clap", arg(long))]
    #[serde(default)]
    pub transport: Option<TransportMode>,
}
normalise!(EventInput {
    text: [place],
    optional: [country, border_point],
    long: [description],
    text_lists: [person_ids]
});

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct ReferralInput {
    pub person_id: RecordId,
    pub direction: ReferralDirection,
    pub organisation: String,
    pub date: Option<Date>,
    /// The reason in the referrer's words (details beside `htcds_reason`).
    pub reason: String,
    #[serde(default)]
    pub organisation_type: Option<OrganisationType>,
    /// HTCDS reason for the referral.
    #[serde(default)]
    pub htcds_reason: Option<ReferralReason>,
    #[serde(default)]
    pub status: Option<ReferralStatus>,
    /// The person consented to being referred (on `consent_date`).
    #[serde(default)]
    pub consent_given: bool,
    #[serde(default)]
    pub consent_date: Option<Date>,
}
normalise!(ReferralInput {
    text: [organisation],
    optional: [],
    long: [reason]
});

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct RiskInput {
    pub subject: RiskSubject,
    pub person_id: Option<RecordId>,
    pub threat: String,
    pub threat_source: Option<String>,
    pub severity: u64,
    pub likelihood: u64,
    pub mitigation: String,
    pub review_on: Option<Date>,
}
normalise!(RiskInput {
    text: [],
    optional: [threat_source],
    long: [threat, mitigation]
});

mod case_file;
mod court;
pub use case_file::*;
mod case_records;
pub use case_records::*;
pub use court::*;
mod support;
pub use support::*;
mod finance;
pub use finance::*;
