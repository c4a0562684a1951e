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
    /// The names stored in documents, in display order: the current
    /// values, then the legacy ones (see [`Vocabulary::legacy`]).
    pub doc_names: &'static [&'static str],
    /// Values kept from an earlier version of the vocabulary that have no
    /// equivalent in the standard it follows now: still read, shown and
    /// written (nothing recorded is lost), not offered for new records.
    pub legacy: &'static [&'static str],
    /// Names earlier versions stored for a value that now has another
    /// name, and that name: read as it (`from_doc_name`).
    pub renamed: &'static [(&'static str, &'static str)],
    /// Whether a stored name belongs to the vocabulary (`from_doc_name`).
    pub accepts: fn(&str) -> bool,
    /// The name a stored name is written as now: itself, or for a renamed
    /// value its new name.
    pub canonical: fn(&str) -> Option<&'static str>,
}

impl std::fmt::Debug for Vocabulary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// A value's document name: its variant's name, or the name given with
/// `Variant = "name"` where the standard's name is no Rust identifier
/// (`4Sale`).
macro_rules! doc_name {
    ($variant:ident) => {
        stringify!($variant)
    };
    ($variant:ident, $doc:literal) => {
        $doc
    };
}

/// Declares a closed vocabulary: a unit enum stored in documents as its
/// variant name, with a stable snake-case id for files, CLI and UI.
///
/// A vocabulary that changed keeps what documents hold readable:
/// `legacy { Variant => "id" }` lists values of an earlier version with no
/// equivalent now (kept as values, after the current ones, not offered for
/// new records), and `renamed { "OldName" => Variant }` names an earlier
/// version stored for a value that has a new one: read as that value, and
/// written under its new name by the next edit.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident $(= $doc:literal)? => $id:literal),+ $(,)? }
        $(legacy { $($old:ident => $old_id:literal),+ $(,)? })?
        $(renamed { $($was:literal => $now:ident),+ $(,)? })?
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        pub enum $name { $($(#[$vmeta])* $variant,)+ $($($old,)+)? }

        impl $name {
            /// Every value, in display order: the current ones, then the legacy ones.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+ $($($name::$old,)+)?];

            /// The values offered for new records (every value but the legacy ones).
            pub const CURRENT: &'static [$name] = &[$($name::$variant),+];

            /// Whether the value is kept from an earlier version of the
            /// vocabulary only (see the `vocabulary!` macro).
            pub fn is_legacy(self) -> bool {
                !Self::CURRENT.contains(&self)
            }

            /// Stable identifier used in files, on the command line and in the UI.
            pub fn id(self) -> &'static str {
                match self { $($name::$variant => $id,)+ $($($name::$old => $old_id,)+)? }
            }

            /// The name stored in documents (and used by HTCDS where it defines the list).
            pub fn doc_name(self) -> &'static str {
                match self {
                    $($name::$variant => doc_name!($variant $(, $doc)?),)+
                    $($($name::$old => stringify!($old),)+)?
                }
            }

            /// Parses a document name (as returned by [`Self::doc_name`]),
            /// or a name an earlier version stored for a renamed value.
            pub fn from_doc_name(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.doc_name() == name).or_else(|| {
                    match name {
                        $($($was => Some($name::$now),)+)?
                        _ => None,
                    }
                })
            }

            /// This vocabulary as the document schema checks it: the names
            /// stored in documents, accepted through [`Self::from_doc_name`].
            pub const VOCABULARY: Vocabulary = Vocabulary {
                name: stringify!($name),
                doc_names: &[$(doc_name!($variant $(, $doc)?),)+ $($(stringify!($old),)+)?],
                legacy: &[$($(stringify!($old)),+)?],
                renamed: &[$($(($was, stringify!($now))),+)?],
                accepts: |name| Self::from_doc_name(name).is_some(),
                canonical: |name| Self::from_doc_name(name).map(Self::doc_name),
            };

            /// Parses a stable identifier (as returned by [`Self::id`]).
            pub fn from_id(id: &str) -> Option<Self> {
                match id {
                    $($id => Some($name::$variant),)+
                    $($($old_id => Some($name::$old),)+)?
                    _ => None,
                }
            }
        }

        /// Written as its document name.
        impl Reconcile for $name {
            type Key<'a> = autosurgeon::reconcile::NoKey;

            fn reconcile<R: autosurgeon::Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
                reconciler.str(self.doc_name())
            }
        }

        /// Read by its stored name, or a name an earlier version stored
        /// (see [`Self::from_doc_name`]).
        impl Hydrate for $name {
            fn hydrate_string(s: &'_ str) -> Result<Self, autosurgeon::HydrateError> {
                Self::from_doc_name(s).ok_or_else(|| {
                    autosurgeon::HydrateError::unexpected(
                        concat!("a value of ", stringify!($name)),
                        s.to_string(),
                    )
                })
            }
        }

        impl From<$name> for Scalar {
            fn from(v: $name) -> Self {
                Scalar::Str(v.doc_name().to_string())
            }
        }

        /// On the command line a vocabulary value is its stable id; legacy
        /// values are accepted and not listed.
        #[cfg(feature = "clap")]
        impl clap::ValueEnum for $name {
            fn value_variants<'a>() -> &'a [Self] {
                Self::ALL
            }

            fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
                Some(clap::builder::PossibleValue::new(self.id()).hide(self.is_legacy()))
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
    /// HTCDS victim trafficking status (`vic_TraffickingStatus`). Indicators
    /// trigger inquiry; this is the decision.
    TraffickingStatus {
        PossibleVictimOfTrafficking => "possible_victim_of_trafficking",
        ActualVictimOfTrafficking => "actual_victim_of_trafficking",
        NotAVictimOfTrafficking => "not_a_victim_of_trafficking",
    }
    renamed {
        "Possible" => PossibleVictimOfTrafficking,
        "Actual" => ActualVictimOfTrafficking,
        "NotAVictim" => NotAVictimOfTrafficking,
    }
}

vocabulary! {
    /// Who decided a person's trafficking status (HTCDS
    /// `vic_TraffickingStatusDecisionMakingOrg`). Social services, a value of
    /// the earlier list, are a governmental organisation other than the police.
    #[allow(clippy::upper_case_acronyms)]
    StatusDecidedBy {
        Police => "police",
        #[serde(rename = "ngo")]
        NGO => "ngo",
        CourtOrProsecution => "court_or_prosecution",
        NonPoliceGovernmentalOrganization => "non_police_governmental_organization",
        Other => "other",
    }
    renamed {
        "Ngo" => NGO,
        "SocialServices" => NonPoliceGovernmentalOrganization,
    }
}

vocabulary! {
    /// HTCDS type of exploitation (`vic_TypeOfExploitation`, several per victim).
    Exploitation {
        ForcedLabour => "forced_labour",
        SexualExploitation => "sexual_exploitation",
        ChildLabour => "child_labour",
        ForcedMarriage => "forced_marriage",
        Servitude => "servitude",
        ForcedMilitaryByNonStateActors => "forced_military_by_non_state_actors",
        OrganRemoval => "organ_removal",
        ForcedBegging => "forced_begging",
        ForcedAdoption => "forced_adoption",
        Surrogacy => "surrogacy",
        Other => "other",
    }
    renamed {
        "ForcedMilitary" => ForcedMilitaryByNonStateActors,
    }
}

vocabulary! {
    /// HTCDS methods of control (`vic_MethodsOfControl`, several per victim).
    /// Restricting movement, a value of the earlier list, has no HTCDS
    /// equivalent: kept as a legacy value.
    ControlMethod {
        PhysicalThreats => "physical_threats",
        ThreatsLawEnforcement => "threats_law_enforcement",
        ThreatensChildrenFamily => "threatens_children_family",
        DebtBondage => "debt_bondage",
        FalsePromises => "false_promises",
        PhysicalAbuse => "physical_abuse",
        SexualAbuse => "sexual_abuse",
        TakesEarnings => "takes_earnings",
        RestrictsFinancialAccess => "restricts_financial_access",
        RestrictsMedicalCare => "restricts_medical_care",
        WithholdsNecessities => "withholds_necessities",
        PsychologicalAbuse => "psychological_abuse",
        PsychoactiveSubstance => "psychoactive_substance",
        ExcessiveWorkingHours => "excessive_working_hours",
        WithholdsDocuments => "withholds_documents",
        Other => "other",
    }
    legacy {
        RestrictsMovement => "restricts_movement",
    }
    renamed {
        "ThreatsOfViolence" => PhysicalThreats,
        "ThreatsToFamily" => ThreatensChildrenFamily,
    }
}

vocabulary! {
    /// HTCDS methods of recruitment (`vic_MethodOfRecruitment`). Print or
    /// broadcast advertisement (HTCDS tells a newspaper from a television
    /// advert) and recruitment through an intermediary, values of the earlier
    /// list, are kept as legacy values.
    RecruitmentMethod {
        AtAPlaceOfBusiness => "at_a_place_of_business",
        AtAnEducationalInstitution => "at_an_educational_institution",
        AtWork => "at_work",
        ThroughOnlineSocialNetworks => "through_online_social_networks",
        ThroughAnOnlineAdvertisement => "through_an_online_advertisement",
        ThroughATelevisionAdvert => "through_a_television_advert",
        ThroughANewspaperAdvert => "through_a_newspaper_advert",
        ThroughFamilyOrFamilyEvents => "through_family_or_family_events",
        ThroughFriendsOrSocialEvents => "through_friends_or_social_events",
        Other => "other",
    }
    legacy {
        PrintOrBroadcastAdvertisement => "print_or_broadcast_advertisement",
        Intermediary => "intermediary",
    }
    renamed {
        "Workplace" => AtWork,
        "School" => AtAnEducationalInstitution,
        "OnlineSocialNetwork" => ThroughOnlineSocialNetworks,
        "OnlineAdvertisement" => ThroughAnOnlineAdvertisement,
        "Family" => ThroughFamilyOrFamilyEvents,
        "Friend" => ThroughFriendsOrSocialEvents,
    }
}

vocabulary! {
    /// HTCDS perpetrator role in the trafficking process (`per_RoleInProcess`).
    /// Financier, a value of the earlier list, is kept as a legacy value.
    PerpetratorRole {
        TravellingPartner => "travelling_partner",
        Transporter => "transporter",
        RecruiterOrIntermediary => "recruiter_or_intermediary",
        BrokerTravelAgent => "broker_travel_agent",
        TransferredIndividual => "transferred_individual",
        HarbouredIndividual => "harboured_individual",
        SoldIndividual => "sold_individual",
        BoughtIndividual => "bought_individual",
        ReceivedIndividual => "received_individual",
        ControlledIndividual => "controlled_individual",
        Smuggler => "smuggler",
        Abuser => "abuser",
        Kidnapper => "kidnapper",
        Exploiter => "exploiter",
        Other => "other",
    }
    legacy {
        Financier => "financier",
    }
    renamed {
        "Recruiter" => RecruiterOrIntermediary,
        "Broker" => BrokerTravelAgent,
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
    /// A person's gender as HTCDS records it (`prs_Gender`). Documents store it
    /// under the key `sex`, as before; "other", a value of the earlier list,
    /// is kept as a legacy value.
    Gender {
        Feminine => "feminine",
        Masculine => "masculine",
        TransgenderFeminine => "transgender_feminine",
        TransgenderMasculine => "transgender_masculine",
        NonConforming => "non_conforming",
        NonSpecifiedUnknown => "non_specified_unknown",
    }
    legacy {
        Other => "other",
    }
    renamed {
        "Female" => Feminine,
        "Male" => Masculine,
        "Unknown" => NonSpecifiedUnknown,
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
    /// HTCDS forced-labour industry (`vic_ForcedLabourIndustry`): the
    /// sections of ISIC Rev. 4, named as HTCDS names them (section letter,
    /// then the section's title). Domestic work is forced labour in section
    /// T, not servitude.
    ForcedLabourIndustry {
        #[serde(rename = "a_agriculture_forestry_and_fishing")]
        AgricultureForestryAndFishing = "A_AgricultureForestryAndFishing" => "a_agriculture_forestry_and_fishing",
        #[serde(rename = "b_mining_and_quarrying")]
        MiningAndQuarrying = "B_MiningAndQuarrying" => "b_mining_and_quarrying",
        #[serde(rename = "c_manufacturing")]
        Manufacturing = "C_Manufacturing" => "c_manufacturing",
        #[serde(rename = "d_electricity_gas_steam_and_air_conditioning_supply")]
        ElectricityGasSteamAndAirConditioningSupply = "D_ElectricityGasSteamAndAirConditioningSupply" => "d_electricity_gas_steam_and_air_conditioning_supply",
        #[serde(rename = "e_water_supply_sewerage_waste_management_and_remediation_activities")]
        WaterSupplySewerageWasteManagementAndRemediationActivities = "E_WaterSupplySewerageWasteManagementAndRemediationActivities" => "e_water_supply_sewerage_waste_management_and_remediation_activities",
        #[serde(rename = "f_construction")]
        Construction = "F_Construction" => "f_construction",
        #[serde(rename = "g_wholesale_and_retail_trade_repair_of_motor_vehicles_and_motorcycles")]
        WholesaleAndRetailTradeRepairOfMotorVehiclesAndMotorcycles = "G_WholesaleAndRetailTradeRepairOfMotorVehiclesAndMotorcycles" => "g_wholesale_and_retail_trade_repair_of_motor_vehicles_and_motorcycles",
        #[serde(rename = "h_transportation_and_storage")]
        TransportationAndStorage = "H_TransportationAndStorage" => "h_transportation_and_storage",
        #[serde(rename = "i_accommodation_and_food_service_activities")]
        AccommodationAndFoodServiceActivities = "I_AccommodationAndFoodServiceActivities" => "i_accommodation_and_food_service_activities",
        #[serde(rename = "j_information_and_communication")]
        InformationAndCommunication = "J_InformationAndCommunication" => "j_information_and_communication",
        #[serde(rename = "k_financial_and_insurance_activities")]
        FinancialAndInsuranceActivities = "K_FinancialAndInsuranceActivities" => "k_financial_and_insurance_activities",
        #[serde(rename = "l_real_estate_activities")]
        RealEstateActivities = "L_RealEstateActivities" => "l_real_estate_activities",
        #[serde(rename = "m_professional_scientific_and_technical_activities")]
        ProfessionalScientificAndTechnicalActivities = "M_ProfessionalScientificAndTechnicalActivities" => "m_professional_scientific_and_technical_activities",
        #[serde(rename = "n_administrative_and_support_service_activities")]
        AdministrativeAndSupportServiceActivities = "N_AdministrativeAndSupportServiceActivities" => "n_administrative_and_support_service_activities",
        #[serde(rename = "o_public_administration_and_defence_compulsory_social_security")]
        PublicAdministrationAndDefenceCompulsorySocialSecurity = "O_PublicAdministrationAndDefenceCompulsorySocialSecurity" => "o_public_administration_and_defence_compulsory_social_security",
        #[serde(rename = "p_education")]
        Education = "P_Education" => "p_education",
        #[serde(rename = "q_human_health_and_social_work_activities")]
        HumanHealthAndSocialWorkActivities = "Q_HumanHealthAndSocialWorkActivities" => "q_human_health_and_social_work_activities",
        #[serde(rename = "r_arts_entertainment_and_recreation")]
        ArtsEntertainmentAndRecreation = "R_ArtsEntertainmentAndRecreation" => "r_arts_entertainment_and_recreation",
        #[serde(rename = "s_other_service_activities")]
        OtherServiceActivities = "S_OtherServiceActivities" => "s_other_service_activities",
        #[serde(rename = "t_activities_of_households_as_employers")]
        ActivitiesOfHouseholdsAsEmployers = "T_ActivitiesOfHouseholdsAsEmployers" => "t_activities_of_households_as_employers",
        #[serde(rename = "u_activities_of_extraterritorial_organizations_and_bodies")]
        ActivitiesOfExtraterritorialOrganizationsAndBodies = "U_ActivitiesOfExtraterritorialOrganizationsAndBodies" => "u_activities_of_extraterritorial_organizations_and_bodies",
    }
}

vocabulary! {
    /// HTCDS type of sexual exploitation (`vic_TypeOfSexExploitation`,
    /// several per victim).
    SexualExploitationType {
        Prostitution => "prostitution",
        Pornography => "pornography",
        RemoteInteractiveServices => "remote_interactive_services",
        PrivateSexualServices => "private_sexual_services",
    }
}

vocabulary! {
    /// HTCDS relationship of a victim to the trafficker
    /// (`vic_RelationshipToTrafficker`), in the standard's spelling.
    RelationshipToTrafficker {
        Familial => "familial",
        Acquainted => "acquainted",
        Unaquainted => "unaquainted",
    }
}

vocabulary! {
    /// HTCDS websites and apps used to recruit or to exploit a victim
    /// (`vic_RecruitmentWebsitesAndApps`, `vic_ExploitationWebsitesAndApps`,
    /// several each).
    #[allow(clippy::upper_case_acronyms)]
    WebsiteOrApp {
        Facebook => "facebook",
        Instagram => "instagram",
        #[serde(rename = "whatsapp")]
        WhatsApp => "whatsapp",
        Telegram => "telegram",
        FacebookMessenger => "facebook_messenger",
        Viber => "viber",
        #[serde(rename = "snapchat")]
        SnapChat => "snapchat",
        Line => "line",
        #[serde(rename = "4sale")]
        FourSale = "4Sale" => "4sale",
        #[serde(rename = "wechat")]
        WeChat => "wechat",
        #[serde(rename = "qq")]
        QQ => "qq",
        #[serde(rename = "qzone")]
        QZone => "qzone",
        #[serde(rename = "tiktok")]
        TikTok => "tiktok",
        Twitter => "twitter",
        Other => "other",
    }
}

vocabulary! {
    /// The kind of organisation a referral is made to or comes from.
    #[allow(clippy::upper_case_acronyms)]
    OrganisationType {
        Police => "police",
        #[serde(rename = "ngo")]
        NGO => "ngo",
        Shelter => "shelter",
        Health => "health",
        SocialServices => "social_services",
        Legal => "legal",
        Government => "government",
        InternationalOrganisation => "international_organisation",
        Other => "other",
    }
}

vocabulary! {
    /// HTCDS reason for a referral (`cas_ReasonForIncomingReferral`,
    /// `cas_ReasonForOutgoingReferral`).
    ReferralReason {
        AdditionalServicesRequired => "additional_services_required",
        MigrationOrChangeOfLocation => "migration_or_change_of_location",
        Other => "other",
    }
}

vocabulary! {
    /// Where a referral stands.
    ReferralStatus {
        Proposed => "proposed",
        Accepted => "accepted",
        Refused => "refused",
        Completed => "completed",
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

mod support;
pub use support::{ReintegrationStatus, ResidenceDecision, SupportStatus, SupportType};
vocabulary! {
    /// What a financial flow is: an account or an asset someone holds, or
    /// money moved from one party to another.
    FlowKind {
        Account => "account",
        Transfer => "transfer",
        CashPayment => "cash_payment",
        /// Hawala and other value transfer outside the banks.
        InformalTransfer => "informal_transfer",
        CryptoTransfer => "crypto_transfer",
        /// Property, vehicles, cash found, valuables.
        Asset => "asset",
    }
}

vocabulary! {
    /// Where a financial flow was learnt.
    FlowSource {
        /// A report or an answer to a request of the financial
        /// intelligence unit.
        FiuReport => "fiu_report",
        BankRecords => "bank_records",
        SeizedDevice => "seized_device",
        Witness => "witness",
        Other => "other",
    }
}

vocabulary! {
    /// Whether an order holds the money or asset of a flow.
    FreezeStatus {
        NotFrozen => "not_frozen",
        FreezeRequested => "freeze_requested",
        Frozen => "frozen",
        Seized => "seized",
        Confiscated => "confiscated",
        Released => "released",
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
            EvidenceKind,
            TraffickingStatus,
            StatusDecidedBy,
            RecruitmentMethod,
            PerpetratorRole,
            Gender
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
        macro_rules! snake_ids {
            ($($vocab:ident),*) => {$(
                for v in $vocab::ALL {
                    // HTCDS spells one value as an acronym: NGO, id `ngo`.
                    let name = v.doc_name().replace("NGO", "Ngo");
                    assert_eq!(v.id(), snake(&name), "{}", stringify!($vocab));
                    assert_eq!(serde_json::to_value(v).unwrap(), v.id());
                }
            )*};
        }
        snake_ids!(
            TraffickingStatus,
            StatusDecidedBy,
            Exploitation,
            ControlMethod,
            RecruitmentMethod,
            PerpetratorRole,
            Gender
        );
    }

    /// Names earlier versions stored read as the value that replaced them;
    /// values with no HTCDS equivalent are kept, after the current ones.
    #[test]
    fn earlier_names_read_as_their_htcds_values() {
        assert_eq!(
            TraffickingStatus::from_doc_name("Possible"),
            Some(TraffickingStatus::PossibleVictimOfTrafficking)
        );
        assert_eq!(Gender::from_doc_name("Female"), Some(Gender::Feminine));
        assert_eq!(
            ControlMethod::from_doc_name("ThreatsToFamily"),
            Some(ControlMethod::ThreatensChildrenFamily)
        );
        assert_eq!(
            StatusDecidedBy::from_doc_name("SocialServices"),
            Some(StatusDecidedBy::NonPoliceGovernmentalOrganization)
        );
        assert!((RecruitmentMethod::VOCABULARY.accepts)("Workplace"));
        assert!(ControlMethod::RestrictsMovement.is_legacy());
        assert!(!ControlMethod::CURRENT.contains(&ControlMethod::RestrictsMovement));
        assert_eq!(
            ControlMethod::ALL.last(),
            Some(&ControlMethod::RestrictsMovement)
        );
        assert_eq!(ControlMethod::CURRENT.len(), 16);
        assert_eq!(ControlMethod::VOCABULARY.legacy, ["RestrictsMovement"]);
        // A renamed name is read, never written.
        assert!(
            !ControlMethod::VOCABULARY
                .doc_names
                .contains(&"ThreatsToFamily")
        );
        assert_eq!(
            Gender::from_doc_name("Feminine").map(Gender::doc_name),
            Some("Feminine")
        );
        assert_eq!(StatusDecidedBy::NGO.doc_name(), "NGO");
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
        same!(
            Stage,
            StageStatus,
            Exploitation,
            ControlMethod,
            Role,
            Gender
        );
        same!(
            TraffickingStatus,
            StatusDecidedBy,
            RecruitmentMethod,
            PerpetratorRole
        );
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
        same!(
            ForcedLabourIndustry,
            SexualExploitationType,
            RelationshipToTrafficker
        );
        same!(
            WebsiteOrApp,
            OrganisationType,
            ReferralReason,
            ReferralStatus
        );
        same!(FlowKind, FlowSource, FreezeStatus);
    }

    #[test]
    fn stages_follow_the_manual_order() {
        assert_eq!(Stage::ALL.len(), 13);
        assert_eq!(Stage::ALL.first(), Some(&Stage::Intake));
        assert_eq!(Stage::ALL.last(), Some(&Stage::Closure));
    }
}
