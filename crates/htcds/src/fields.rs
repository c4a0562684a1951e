//! The fields of each table: their names (HTCDS 2.0's where the standard
//! has the field, else CTDC's or ours, said in [`Origin`]), what they hold
//! and the values they may hold. The data dictionary is written from here.

use caravan_model::vocab::{
    CaseStatus, ControlMethod, Exploitation, ForcedLabourIndustry, Gender, PerpetratorRole,
    RecruitmentMethod, RelationshipToTrafficker, SexualExploitationType, StatusDecidedBy,
    TraffickingStatus, WebsiteOrApp,
};

/// Where a field's name and values come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A field of HTCDS 2.0, under its name, with its values.
    Htcds,
    /// A field derived from an HTCDS 2.0 field as CTDC's dataset derives
    /// it (age bands, registration year, country of exploitation).
    Ctdc,
    /// Caravan's own: a row id, and statelessness, which HTCDS 2.0's
    /// citizenship (ISO 3166 codes) cannot express.
    Caravan,
}

impl Origin {
    pub fn label(self) -> &'static str {
        match self {
            Origin::Htcds => "HTCDS 2.0",
            Origin::Ctdc => "CTDC",
            Origin::Caravan => "Caravan",
        }
    }
}

/// What a field may hold.
#[derive(Debug, Clone, Copy)]
pub enum Values {
    /// A pseudonymous row id: the letter, then the row's place in its file.
    Id(&'static str),
    /// One of a vocabulary's current HTCDS names.
    Vocabulary(fn() -> Vec<&'static str>),
    /// An ISO 3166-1 alpha-2 country code.
    Country,
    /// A calendar year (four digits).
    Year,
    /// One of [`AGE_BANDS`].
    AgeBand,
    /// `true` or `false`.
    Flag,
}

/// One field of a table.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub origin: Origin,
    /// Several values (HTCDS's "Multiselect Picklist"): `;`-separated in
    /// CSV, an array in JSON.
    pub multiple: bool,
    pub values: Values,
    pub description: &'static str,
}

/// CTDC's age bands (`ageBroad` in its global dataset), as it spells them.
pub const AGE_BANDS: [&str; 9] = [
    "0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+",
];

/// The field that says a person is stateless (Caravan's `XXA`), kept out of
/// `prs_Citizenship`'s country codes.
pub const STATELESS_FIELD: &str = "prs_Stateless";

fn current<T: Copy + 'static>(all: &'static [T], name: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| name(*v)).collect()
}

const fn field(
    name: &'static str,
    origin: Origin,
    multiple: bool,
    values: Values,
    description: &'static str,
) -> Field {
    Field {
        name,
        origin,
        multiple,
        values,
        description,
    }
}

use Origin::{Caravan, Ctdc, Htcds};

const CASE_STATUS: Field = field(
    "cas_Status",
    Htcds,
    false,
    Values::Vocabulary(|| current(CaseStatus::CURRENT, CaseStatus::doc_name)),
    "The status of the case the person is recorded in.",
);
const REGISTRATION_YEAR: Field = field(
    "cas_RegistrationYear",
    Ctdc,
    false,
    Values::Year,
    "The year the case was opened (CTDC yearOfRegistration). No finer date is exported.",
);
const CITIZENSHIP: Field = field(
    "prs_Citizenship",
    Htcds,
    true,
    Values::Country,
    "The person's citizenships, ISO 3166-1 alpha-2 codes. Statelessness is never among them: see prs_Stateless.",
);
const STATELESS: Field = field(
    STATELESS_FIELD,
    Caravan,
    false,
    Values::Flag,
    "The person is stateless (recorded as XXA, ICAO Doc 9303's code). HTCDS 2.0's citizenship takes ISO 3166 codes only and has no value for statelessness.",
);

/// The victims' table, in column order.
pub const VICTIM_FIELDS: &[Field] = &[
    field(
        "vic_Id",
        Caravan,
        false,
        Values::Id("V"),
        "Pseudonymous row id, valid within this export only: V, then the row's place in the file. Not a record id; the same person has another id in another export.",
    ),
    CASE_STATUS,
    REGISTRATION_YEAR,
    field(
        "prs_Gender",
        Htcds,
        false,
        Values::Vocabulary(|| current(Gender::CURRENT, Gender::doc_name)),
        "Gender. A value of an earlier Caravan list with no HTCDS counterpart is NonSpecifiedUnknown.",
    ),
    field(
        "vic_AgeBand",
        Ctdc,
        false,
        Values::AgeBand,
        "Age when first trafficked (HTCDS vic_AgeWhenTrafficked) as CTDC's band (ageBroad). The age itself is not exported.",
    ),
    CITIZENSHIP,
    STATELESS,
    field(
        "vic_TraffickingStatus",
        Htcds,
        false,
        Values::Vocabulary(|| current(TraffickingStatus::CURRENT, TraffickingStatus::doc_name)),
        "The decision on whether the person is a victim of trafficking.",
    ),
    field(
        "vic_TraffickingStatusDecisionMakingOrg",
        Htcds,
        false,
        Values::Vocabulary(|| current(StatusDecidedBy::CURRENT, StatusDecidedBy::doc_name)),
        "The kind of organisation that decided the trafficking status.",
    ),
    field(
        "vic_RelationshipToTrafficker",
        Htcds,
        false,
        Values::Vocabulary(|| {
            current(
                RelationshipToTrafficker::CURRENT,
                RelationshipToTrafficker::doc_name,
            )
        }),
        "The victim's relationship to the trafficker (the standard's spelling).",
    ),
    field(
        "vic_TypeOfExploitation",
        Htcds,
        true,
        Values::Vocabulary(|| current(Exploitation::CURRENT, Exploitation::doc_name)),
        "Types of exploitation.",
    ),
    field(
        "vic_ForcedLabourIndustry",
        Htcds,
        false,
        Values::Vocabulary(|| current(ForcedLabourIndustry::CURRENT, crate::rows::industry_name)),
        "The industry of forced labour, an ISIC Rev. 4 section under HTCDS 2.0's value name.",
    ),
    field(
        "vic_TypeOfSexExploitation",
        Htcds,
        true,
        Values::Vocabulary(|| {
            current(
                SexualExploitationType::CURRENT,
                SexualExploitationType::doc_name,
            )
        }),
        "Types of sexual exploitation.",
    ),
    field(
        "vic_MethodOfRecruitment",
        Htcds,
        true,
        Values::Vocabulary(|| current(RecruitmentMethod::CURRENT, RecruitmentMethod::doc_name)),
        "Methods of recruitment. A value of an earlier Caravan list with no HTCDS counterpart is Other.",
    ),
    field(
        "vic_MethodsOfControl",
        Htcds,
        true,
        Values::Vocabulary(|| current(ControlMethod::CURRENT, ControlMethod::doc_name)),
        "Methods of control. A value of an earlier Caravan list with no HTCDS counterpart is Other.",
    ),
    field(
        "vic_RecruitmentWebsitesAndApps",
        Htcds,
        true,
        Values::Vocabulary(|| current(WebsiteOrApp::CURRENT, WebsiteOrApp::doc_name)),
        "Websites and apps through which the victim was recruited.",
    ),
    field(
        "vic_ExploitationWebsitesAndApps",
        Htcds,
        true,
        Values::Vocabulary(|| current(WebsiteOrApp::CURRENT, WebsiteOrApp::doc_name)),
        "Websites and apps through which the victim was exploited.",
    ),
    field(
        "vic_CountryOfRecruitment",
        Ctdc,
        true,
        Values::Country,
        "Countries of the case's recruitment events (HTCDS hte_Country where hte_Type is Recruitment) that name this victim or no one. No place or coordinates.",
    ),
    field(
        "vic_CountryOfExploitation",
        Ctdc,
        true,
        Values::Country,
        "Countries of the case's exploitation events (HTCDS hte_Country where hte_Type is Exploitation; CTDC CountryOfExploitation) that name this victim or no one.",
    ),
];

/// The suspects' table (HTCDS's perpetrator context), in column order.
pub const PERPETRATOR_FIELDS: &[Field] = &[
    field(
        "per_Id",
        Caravan,
        false,
        Values::Id("P"),
        "Pseudonymous row id, valid within this export only: P, then the row's place in the file. Not a record id.",
    ),
    CASE_STATUS,
    REGISTRATION_YEAR,
    CITIZENSHIP,
    STATELESS,
    field(
        "per_RoleInProcess",
        Htcds,
        true,
        Values::Vocabulary(|| current(PerpetratorRole::CURRENT, PerpetratorRole::doc_name)),
        "The suspect's roles in the trafficking process. A value of an earlier Caravan list with no HTCDS counterpart is Other.",
    ),
];

/// The values a field may hold, as the data dictionary lists them.
pub fn allowed_values(field: &Field) -> Vec<String> {
    match field.values {
        Values::Id(letter) => vec![format!("{letter}1, {letter}2, …")],
        Values::Vocabulary(list) => list().into_iter().map(String::from).collect(),
        Values::Country => vec!["ISO 3166-1 alpha-2 code".into()],
        Values::Year => vec!["YYYY".into()],
        Values::AgeBand => AGE_BANDS.iter().map(|b| b.to_string()).collect(),
        Values::Flag => vec!["true".into(), "false".into()],
    }
}
