//! Controlled vocabularies. Where HTCDS 2.0 / CTDC defines a list, the variant
//! names are HTCDS's, so anonymised exports need no mapping table.

use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

use crate::scalar::Scalar;

/// A closed vocabulary as documents store it; every `vocabulary!` enum has
/// one (`VOCABULARY`).
#[derive(Clone, Copy)]
pub struct Vocabulary {
    pub name: &'static str,
    /// The names stored in documents, in display order.
    pub doc_names: &'static [&'static str],
    /// Whether a stored name belongs to the vocabulary (`from_doc_name`).
    pub accepts: fn(&str) -> bool,
}

impl std::fmt::Debug for Vocabulary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// Declares a closed vocabulary: a unit enum stored in documents as its
/// variant name, with a stable snake-case id for files, CLI and UI.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $id:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Reconcile, Hydrate, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Stable identifier used in files, on the command line and in the UI.
            pub fn id(self) -> &'static str {
                match self { $($name::$variant => $id),+ }
            }

            /// The name stored in documents (and used by HTCDS where it defines the list).
            pub fn doc_name(self) -> &'static str {
                match self { $($name::$variant => stringify!($variant)),+ }
            }

            /// Parses a document name (as returned by [`Self::doc_name`]).
            pub fn from_doc_name(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.doc_name() == name)
            }

            /// This vocabulary as the document schema checks it: the names
            /// stored in documents, accepted through [`Self::from_doc_name`].
            pub const VOCABULARY: Vocabulary = Vocabulary {
                name: stringify!($name),
                doc_names: &[$(stringify!($variant)),+],
                accepts: |name| Self::from_doc_name(name).is_some(),
            };

            /// Parses a stable identifier (as returned by [`Self::id`]).
            pub fn from_id(id: &str) -> Option<Self> {
                match id { $($id => Some($name::$variant),)+ _ => None }
            }
        }

        impl From<$name> for Scalar {
            fn from(v: $name) -> Self {
                Scalar::Str(v.doc_name().to_string())
            }
        }

        /// On the command line a vocabulary value is its stable id.
        #[cfg(feature = "clap")]
        impl clap::ValueEnum for $name {
            fn value_variants<'a>() -> &'a [Self] {
                Self::ALL
            }

            fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
                Some(clap::builder::PossibleValue::new(self.id()))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.id())
            }
        }
    };
}

vocabulary! {
    /// A member's role in the team; decides what they may write (see `policy`).
    Role {
        Investigator => "investigator",
        Prosecutor => "prosecutor",
        Supervisor => "supervisor",
        Admin => "admin",
    }
}

vocabulary! {
    /// Case stages, in their usual order; several may be active at once.
    Stage {
        Intake => "intake",
        InitialResponse => "initial_response",
        Identification => "identification",
        Referral => "referral",
        Planning => "planning",
        Interviews => "interviews",
        Evidence => "evidence",
        Financial => "financial",
        International => "international",
        ProsecutionReview => "prosecution_review",
        TrialProtection => "trial_protection",
        Assistance => "assistance",
        Closure => "closure",
    }
}

vocabulary! {
    /// HTCDS case status.
    CaseStatus {
        Active => "active",
        FollowUp => "follow_up",
        Closed => "closed",
        ClosedReferred => "closed_referred",
    }
}

vocabulary! {
    /// HTCDS victim trafficking status. Indicators trigger inquiry; this is the decision.
    TraffickingStatus {
        Possible => "possible",
        Actual => "actual",
        NotAVictim => "not_a_victim",
    }
}

vocabulary! {
    /// Who decided a person's trafficking status (HTCDS).
    StatusDecidedBy {
        Police => "police",
        Ngo => "ngo",
        CourtOrProsecution => "court_or_prosecution",
        SocialServices => "social_services",
        Other => "other",
    }
}

vocabulary! {
    /// HTCDS type of exploitation.
    Exploitation {
        ForcedLabour => "forced_labour",
        SexualExploitation => "sexual_exploitation",
        ChildLabour => "child_labour",
        ForcedMarriage => "forced_marriage",
        Servitude => "servitude",
        ForcedMilitary => "forced_military",
        OrganRemoval => "organ_removal",
        ForcedBegging => "forced_begging",
        ForcedAdoption => "forced_adoption",
        Surrogacy => "surrogacy",
        Other => "other",
    }
}

vocabulary! {
    /// HTCDS / CTDC methods of control.
    ControlMethod {
        DebtBondage => "debt_bondage",
        TakesEarnings => "takes_earnings",
        RestrictsFinancialAccess => "restricts_financial_access",
        ThreatsOfViolence => "threats_of_violence",
        PsychologicalAbuse => "psychological_abuse",
        PhysicalAbuse => "physical_abuse",
        SexualAbuse => "sexual_abuse",
        FalsePromises => "false_promises",
        PsychoactiveSubstance => "psychoactive_substance",
        RestrictsMovement => "restricts_movement",
        RestrictsMedicalCare => "restricts_medical_care",
        ExcessiveWorkingHours => "excessive_working_hours",
        ThreatsLawEnforcement => "threats_law_enforcement",
        WithholdsNecessities => "withholds_necessities",
        WithholdsDocuments => "withholds_documents",
        ThreatsToFamily => "threats_to_family",
        Other => "other",
    }
}

vocabulary! {
    /// HTCDS methods of recruitment.
    RecruitmentMethod {
        Workplace => "workplace",
        School => "school",
        OnlineSocialNetwork => "online_social_network",
        OnlineAdvertisement => "online_advertisement",
        PrintOrBroadcastAdvertisement => "print_or_broadcast_advertisement",
        Family => "family",
        Friend => "friend",
        Intermediary => "intermediary",
        Other => "other",
    }
}

vocabulary! {
    /// HTCDS perpetrator role in the trafficking process.
    PerpetratorRole {
        Recruiter => "recruiter",
        Transporter => "transporter",
        Broker => "broker",
        Exploiter => "exploiter",
        Smuggler => "smuggler",
        Kidnapper => "kidnapper",
        Financier => "financier",
        Other => "other",
    }
}

vocabulary! {
    /// HTCDS historic trafficking event.
    EventKind {
        Recruitment => "recruitment",
        Transit => "transit",
        Exploitation => "exploitation",
    }
}

vocabulary! {
    /// PEACE interview model (UNODC manual M8).
    PeaceStage {
        Planning => "planning",
        Engage => "engage",
        Account => "account",
        Closure => "closure",
        Evaluate => "evaluate",
    }
}

vocabulary! {
    /// Kinds of physical or digital evidence.
    EvidenceKind {
        Document => "document",
        Phone => "phone",
        Computer => "computer",
        Cash => "cash",
        Vehicle => "vehicle",
        Photograph => "photograph",
        FinancialRecord => "financial_record",
        Biological => "biological",
        Other => "other",
    }
}

vocabulary! {
    /// State of one checklist item in a case.
    ItemStatus {
        Open => "open",
        Done => "done",
        NotApplicable => "not_applicable",
    }
}

vocabulary! {
    /// What a checklist item asks: something to do, or something to look for.
    ItemKind {
        Action => "action",
        Indicator => "indicator",
    }
}

vocabulary! {
    /// A stage's state in a case.
    StageStatus {
        NotStarted => "not_started",
        Active => "active",
        Closed => "closed",
    }
}

vocabulary! {
    /// Prosecutor's review entries. A withdrawal takes back one of the
    /// prosecutor's own sign-offs, with the reason as its text.
    ReviewKind {
        Comment => "comment",
        Request => "request",
        SignOff => "sign_off",
        Withdrawal => "withdrawal",
    }
}

vocabulary! {
    /// Supervisor's decision on an approval.
    Decision {
        Approved => "approved",
        Rejected => "rejected",
    }
}

vocabulary! {
    /// Who or what a risk assessment is about (UNODC manual M5).
    RiskSubject {
        Victim => "victim",
        Family => "family",
        Witness => "witness",
        Officer => "officer",
        Investigation => "investigation",
    }
}

vocabulary! {
    /// Direction of a referral.
    ReferralDirection {
        Incoming => "incoming",
        Outgoing => "outgoing",
    }
}

vocabulary! {
    /// What two linked cases share.
    CaseLinkKind {
        SameSuspect => "same_suspect",
        SameVictim => "same_victim",
        SameNetwork => "same_network",
        SameRoute => "same_route",
        SamePlace => "same_place",
        Other => "other",
    }
}

vocabulary! {
    /// Sex as recorded by HTCDS.
    Sex {
        Female => "female",
        Male => "male",
        Other => "other",
        Unknown => "unknown",
    }
}

vocabulary! {
    /// What an international request asks (UNODC manual M6; Toolkit 4.3,
    /// 4.5, 4.7–4.10).
    RequestKind {
        MutualLegalAssistance => "mutual_legal_assistance",
        Extradition => "extradition",
        JointInvestigationTeam => "joint_investigation_team",
        InterpolNotice => "interpol_notice",
        PoliceChannel => "police_channel",
        ConsularNotification => "consular_notification",
    }
}

vocabulary! {
    /// The colour of an INTERPOL notice.
    NoticeColour {
        Red => "red",
        Yellow => "yellow",
        Blue => "blue",
        Black => "black",
        Green => "green",
        Orange => "orange",
        Purple => "purple",
        Silver => "silver",
        UnSpecial => "un_special",
    }
}

vocabulary! {
    /// The legal basis a request is made on: the CIS conventions on legal
    /// assistance (Minsk 1993, Chisinau 2002), the UN Convention against
    /// Transnational Organized Crime (art. 18, mutual legal assistance).
    LegalBasis {
        BilateralTreaty => "bilateral_treaty",
        Minsk1993 => "minsk1993",
        Chisinau2002 => "chisinau2002",
        UntocArticle18 => "untoc_article18",
        Reciprocity => "reciprocity",
        Other => "other",
    }
}

vocabulary! {
    /// Where an international request stands. Drafted, sent and
    /// acknowledged requests are open (see `crate::international`).
    RequestStatus {
        Drafted => "drafted",
        Sent => "sent",
        Acknowledged => "acknowledged",
        Executed => "executed",
        Refused => "refused",
        Withdrawn => "withdrawn",
    }
}

vocabulary! {
    /// A person's procedural status, as a decision gives it: recognised as
    /// victim (потерпевший) or civil claimant; suspect, accused,
    /// defendant; convicted or acquitted.
    ProceduralStatus {
        RecognisedVictim => "recognised_victim",
        CivilClaimant => "civil_claimant",
        Suspect => "suspect",
        Accused => "accused",
        Defendant => "defendant",
        Convicted => "convicted",
        Acquitted => "acquitted",
    }
}

vocabulary! {
    /// A preventive measure against a suspect.
    MeasureKind {
        Detention => "detention",
        HouseArrest => "house_arrest",
        Bail => "bail",
        TravelRestriction => "travel_restriction",
        PersonalGuarantee => "personal_guarantee",
        ElectronicMonitoring => "electronic_monitoring",
        Other => "other",
    }
}

vocabulary! {
    /// Where a charge stands.
    ChargeStatus {
        Brought => "brought",
        Amended => "amended",
        Dropped => "dropped",
    }
}

vocabulary! {
    /// Where the indictment stands: drafted by the investigator, approved
    /// by the prosecutor (or returned for further investigation), sent to
    /// court.
    IndictmentStatus {
        Drafted => "drafted",
        Approved => "approved",
        ReturnedForInvestigation => "returned_for_investigation",
        SentToCourt => "sent_to_court",
    }
}

vocabulary! {
    /// The kind of a court hearing.
    HearingKind {
        Preliminary => "preliminary",
        Trial => "trial",
        Sentencing => "sentencing",
        Appeal => "appeal",
        Cassation => "cassation",
        Other => "other",
    }
}

vocabulary! {
    /// What became of a hearing.
    HearingOutcome {
        Scheduled => "scheduled",
        Held => "held",
        Adjourned => "adjourned",
        Concluded => "concluded",
    }
}

vocabulary! {
    /// A measure protecting a victim or witness at trial (UNODC manual
    /// M13; Toolkit 5.20–5.22).
    ProtectiveMeasure {
        Anonymity => "anonymity",
        VideoLink => "video_link",
        ClosedHearing => "closed_hearing",
        NoFaceToFace => "no_face_to_face",
        Screen => "screen",
        VoiceOrImageDistortion => "voice_or_image_distortion",
        SupportPerson => "support_person",
        PriorDeposition => "prior_deposition",
        WitnessProtection => "witness_protection",
        Other => "other",
    }
}

vocabulary! {
    /// A verdict's outcome for one defendant.
    VerdictOutcome {
        Convicted => "convicted",
        Acquitted => "acquitted",
        Discontinued => "discontinued",
        ReturnedToProsecutor => "returned_to_prosecutor",
    }
}

vocabulary! {
    /// Where an appeal against a verdict stands.
    AppealStatus {
        Filed => "filed",
        Upheld => "upheld",
        Modified => "modified",
        Overturned => "overturned",
        Withdrawn => "withdrawn",
    }
}

vocabulary! {
    /// Where a victim's compensation stands.
    CompensationStatus {
        Claimed => "claimed",
        Awarded => "awarded",
        Refused => "refused",
        PartlyPaid => "partly_paid",
        Paid => "paid",
    }
}

vocabulary! {
    /// How a person was moved on one leg of a trafficking route.
    TransportMode {
        Air => "air",
        Road => "road",
        Rail => "rail",
        Sea => "sea",
        OnFoot => "on_foot",
        Other => "other",
    }
}

vocabulary! {
    /// What a communication identifier is: a number, a handset, an
    /// account or an address through which people of the case were
    /// reached, recruited or controlled.
    IdentifierKind {
        Phone => "phone",
        Imei => "imei",
        Email => "email",
        MessengerAccount => "messenger_account",
        SocialAccount => "social_account",
        Website => "website",
        Other => "other",
    }
}

vocabulary! {
    /// A suspect's place in an organised group.
    GroupRole {
        Leader => "leader",
        Organiser => "organiser",
        Member => "member",
        Accomplice => "accomplice",
        Other => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T: Copy + PartialEq + std::fmt::Debug>(
        all: &[T],
        id: fn(T) -> &'static str,
        parse: fn(&str) -> Option<T>,
    ) {
        let mut seen = std::collections::HashSet::new();
        for v in all {
            assert!(seen.insert(id(*v)), "duplicate id {}", id(*v));
            assert_eq!(parse(id(*v)), Some(*v));
        }
        assert_eq!(parse("no-such-value"), None);
    }

    #[test]
    fn ids_are_unique_and_parse_back() {
        macro_rules! round_trip {
            ($($vocab:ident),*) => {$(round_trip($vocab::ALL, $vocab::id, $vocab::from_id);)*};
        }
        round_trip!(
            Role,
            Stage,
            Exploitation,
            ControlMethod,
            CaseStatus,
            EvidenceKind
        );
    }

    /// Files and the CLI use `id()`; serde (templates) must agree with it.
    #[test]
    fn ids_are_snake_case_document_names() {
        fn snake(name: &str) -> String {
            let mut out = String::new();
            for (i, c) in name.chars().enumerate() {
                if c.is_ascii_uppercase() && i > 0 {
                    out.push('_');
                }
                out.push(c.to_ascii_lowercase());
            }
            out
        }
        for s in Stage::ALL {
            assert_eq!(s.id(), snake(s.doc_name()));
        }
        for e in Exploitation::ALL {
            assert_eq!(e.id(), snake(e.doc_name()));
            assert_eq!(Exploitation::from_doc_name(e.doc_name()), Some(*e));
        }
        for r in Role::ALL {
            assert_eq!(r.id(), snake(r.doc_name()));
        }
        for c in CaseStatus::ALL {
            assert_eq!(c.id(), snake(c.doc_name()));
        }
    }

    /// The schema checks stored names through `VOCABULARY`: the same
    /// names `doc_name` writes, and `from_doc_name` reads.
    #[test]
    fn the_schema_sees_every_stored_name() {
        fn same<T: Copy>(all: &[T], doc_name: fn(T) -> &'static str, v: Vocabulary) {
            let names: Vec<&str> = all.iter().map(|x| doc_name(*x)).collect();
            assert_eq!(names, v.doc_names, "{}", v.name);
            assert!(names.iter().all(|n| (v.accepts)(n)), "{}", v.name);
            assert!(!(v.accepts)("no-such-value"), "{}", v.name);
        }
        macro_rules! same {
            ($($vocab:ident),*) => {$(same($vocab::ALL, $vocab::doc_name, $vocab::VOCABULARY);)*};
        }
        same!(Stage, StageStatus, Exploitation, ControlMethod, Role, Sex);
        same!(RequestKind, NoticeColour, LegalBasis, RequestStatus);
        same!(TransportMode, IdentifierKind, GroupRole);
        same!(
            ProceduralStatus,
            MeasureKind,
            ChargeStatus,
            IndictmentStatus,
            HearingKind
        );
        same!(
            HearingOutcome,
            ProtectiveMeasure,
            VerdictOutcome,
            AppealStatus,
            CompensationStatus
        );
    }

    #[test]
    fn stages_follow_the_manual_order() {
        assert_eq!(Stage::ALL.len(), 13);
        assert_eq!(Stage::ALL.first(), Some(&Stage::Intake));
        assert_eq!(Stage::ALL.last(), Some(&Stage::Closure));
    }
}
