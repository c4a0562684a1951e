//! Every value written is one HTCDS 2.0 (or CTDC, for the fields derived
//! as it derives them) allows. The lists below are copied from the
//! standard (IOM, `HTCDS Field Standards 2.0.ods`, 24 Dec 2021), not
//! read from the model's vocabularies: a value the model names otherwise
//! fails here.

use caravan_model::vocab::*;
use serde_json::Value;

use crate::common::*;

const CASE_STATUS: &[&str] = &["Active", "FollowUp", "Closed", "ClosedReferred"];
const GENDER: &[&str] = &[
    "Feminine",
    "Masculine",
    "TransgenderFeminine",
    "TransgenderMasculine",
    "NonConforming",
    "NonSpecifiedUnknown",
];
const TRAFFICKING_STATUS: &[&str] = &[
    "PossibleVictimOfTrafficking",
    "ActualVictimOfTrafficking",
    "NotAVictimOfTrafficking",
];
const DECIDED_BY: &[&str] = &[
    "Police",
    "NGO",
    "CourtOrProsecution",
    "NonPoliceGovernmentalOrganization",
    "Other",
];
const EXPLOITATION: &[&str] = &[
    "ForcedLabour",
    "SexualExploitation",
    "ChildLabour",
    "ForcedMarriage",
    "Servitude",
    "ForcedMilitaryByNonStateActors",
    "OrganRemoval",
    "ForcedBegging",
    "ForcedAdoption",
    "Surrogacy",
    "Other",
];
const INDUSTRY: &[&str] = &[
    "A_AgricultureForestryAndFishing",
    "B_MiningAndQuarrying",
    "C_Manufacturing",
    "D_ElectricityGasSteamAndAirConditioningSupply",
    "E_WaterSupplySewerageWasteManagement",
    "F_Construction",
    "G_WholesaleAndRetailTradeRepairOfMotorVehicles",
    "H_TransportationAndStorage",
    "I_AccommodationAndFoodServiceActivities",
    "J_InformationAndCommunication",
    "K_FinancialAndInsuranceActivities",
    "L_RealEstateActivities",
    "M_ProfessionalScientificAndTechnicalActivities",
    "N_AdministrativeAndSupportServiceActivities",
    "O_PublicAdministrationAndDefence",
    "P_Education",
    "Q_HumanHealthAndSocialWorkActivities",
    "R_ArtsEntertainmentAndRecreation",
    "S_OtherServiceActivities",
    "T_ActivitiesOfHouseholdsAsEmployers",
    "U_ActivitiesOfExtraterritorialOrganizations",
];
const SEX_EXPLOITATION: &[&str] = &[
    "Prostitution",
    "Pornography",
    "RemoteInteractiveServices",
    "PrivateSexualServices",
];
const RECRUITMENT: &[&str] = &[
    "AtAPlaceOfBusiness",
    "AtAnEducationalInstitution",
    "AtWork",
    "ThroughOnlineSocialNetworks",
    "ThroughAnOnlineAdvertisement",
    "ThroughATelevisionAdvert",
    "ThroughANewspaperAdvert",
    "ThroughFamilyOrFamilyEvents",
    "ThroughFriendsOrSocialEvents",
    "Other",
];
const CONTROL: &[&str] = &[
    "PhysicalThreats",
    "ThreatsLawEnforcement",
    "ThreatensChildrenFamily",
    "DebtBondage",
    "FalsePromises",
    "PhysicalAbuse",
    "SexualAbuse",
    "TakesEarnings",
    "RestrictsFinancialAccess",
    "RestrictsMedicalCare",
    "WithholdsNecessities",
    "PsychologicalAbuse",
    "PsychoactiveSubstance",
    "ExcessiveWorkingHours",
    "WithholdsDocuments",
    "Other",
];
const ROLE: &[&str] = &[
    "TravellingPartner",
    "Transporter",
    "RecruiterOrIntermediary",
    "BrokerTravelAgent",
    "TransferredIndividual",
    "HarbouredIndividual",
    "SoldIndividual",
    "BoughtIndividual",
    "ReceivedIndividual",
    "ControlledIndividual",
    "Smuggler",
    "Abuser",
    "Kidnapper",
    "Exploiter",
    "Other",
];
const RELATIONSHIP: &[&str] = &["Familial", "Acquainted", "Unaquainted"];
const WEBSITES: &[&str] = &[
    "Facebook",
    "Instagram",
    "WhatsApp",
    "Telegram",
    "FacebookMessenger",
    "Viber",
    "SnapChat",
    "Line",
    "4Sale",
    "WeChat",
    "QQ",
    "QZone",
    "TikTok",
    "Twitter",
    "Other",
];
/// CTDC's `ageBroad`.
const AGE_BANDS: &[&str] = &[
    "0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+",
];

fn country(v: &str) -> bool {
    v.len() == 2 && v.bytes().all(|b| b.is_ascii_uppercase())
}

/// Whether `v` is a value the field `field` may hold.
pub fn allowed(field: &str, v: &str) -> bool {
    let list = match field {
        "cas_Status" => CASE_STATUS,
        "prs_Gender" => GENDER,
        "vic_TraffickingStatus" => TRAFFICKING_STATUS,
        "vic_TraffickingStatusDecisionMakingOrg" => DECIDED_BY,
        "vic_TypeOfExploitation" => EXPLOITATION,
        "vic_ForcedLabourIndustry" => INDUSTRY,
        "vic_TypeOfSexExploitation" => SEX_EXPLOITATION,
        "vic_MethodOfRecruitment" => RECRUITMENT,
        "vic_MethodsOfControl" => CONTROL,
        "per_RoleInProcess" => ROLE,
        "vic_RelationshipToTrafficker" => RELATIONSHIP,
        "vic_RecruitmentWebsitesAndApps" | "vic_ExploitationWebsitesAndApps" => WEBSITES,
        "vic_AgeBand" => AGE_BANDS,
        "prs_Citizenship" | "vic_CountryOfRecruitment" | "vic_CountryOfExploitation" => {
            return country(v);
        }
        "cas_RegistrationYear" => return v.len() == 4 && v.bytes().all(|b| b.is_ascii_digit()),
        "prs_Stateless" => return v == "true" || v == "false",
        "vic_Id" => {
            return v
                .strip_prefix('V')
                .is_some_and(|n| n.parse::<u32>().is_ok());
        }
        "per_Id" => {
            return v
                .strip_prefix('P')
                .is_some_and(|n| n.parse::<u32>().is_ok());
        }
        other => panic!("a field the test does not know: {other}"),
    };
    list.contains(&v)
}

/// Every value of every JSON row and CSV cell of the export is allowed.
pub fn assert_all_allowed(e: &caravan_htcds::Export) {
    for table in ["victims", "perpetrators"] {
        for row in json_rows(e, &format!("{table}.json")) {
            for (field, value) in &row {
                let values: Vec<String> = match value {
                    Value::Null => vec![],
                    Value::String(s) => vec![s.clone()],
                    Value::Bool(b) => vec![b.to_string()],
                    Value::Array(a) => a.iter().map(|v| v.as_str().unwrap().to_string()).collect(),
                    other => panic!("{field}: unexpected {other}"),
                };
                for v in values {
                    assert!(allowed(field, &v), "{table}.json {field} = {v:?}");
                }
            }
        }
        let rows = csv_rows(e, &format!("{table}.csv"));
        let header = &rows[0];
        for row in &rows[1..] {
            assert_eq!(row.len(), header.len());
            for (field, cell) in header.iter().zip(row) {
                for v in cell.split(';').filter(|v| !v.is_empty()) {
                    assert!(allowed(field, v), "{table}.csv {field} = {v:?}");
                }
            }
        }
    }
}

/// A victim for each value of every list, so every current value is
/// exported at least once (k = 2, each victim twice).
fn every_value() -> Vec<caravan_model::Case> {
    let n = 21;
    let make = |i: usize| {
        let mut v = victim();
        v.sex = Gender::ALL[i % Gender::ALL.len()];
        v.status = TraffickingStatus::ALL[i % 3];
        v.status_decided_by = Some(StatusDecidedBy::ALL[i % StatusDecidedBy::ALL.len()]);
        v.exploitation = vec![Exploitation::ALL[i % Exploitation::ALL.len()]];
        v.forced_labour_industry = Some(ForcedLabourIndustry::ALL[i % 21]);
        v.sex_exploitation = vec![SexualExploitationType::ALL[i % 4]];
        v.recruitment_methods = vec![RecruitmentMethod::ALL[i % RecruitmentMethod::ALL.len()]];
        v.control_methods = vec![ControlMethod::ALL[i % ControlMethod::ALL.len()]];
        v.relationship_to_trafficker = Some(RelationshipToTrafficker::ALL[i % 3]);
        v.recruitment_websites = vec![WebsiteOrApp::ALL[i % WebsiteOrApp::ALL.len()]];
        v.exploitation_websites = vec![WebsiteOrApp::ALL[(i + 3) % WebsiteOrApp::ALL.len()]];
        v.age_at_trafficking = Some((i as u64) * 3);
        v
    };
    let mut cases = Vec::new();
    for copy in 0..2 {
        let mut c = case_of(n, make);
        c.header.status = CaseStatus::ALL[copy % 4];
        for (i, s) in PerpetratorRole::ALL.iter().enumerate() {
            let mut p = suspect();
            p.roles = vec![*s];
            c.suspects.insert(format!("s{i}"), p);
        }
        cases.push(c);
    }
    // The same again, so every class holds two rows.
    let again = cases.clone();
    cases.extend(again);
    cases
}

#[test]
fn every_exported_value_is_one_htcds_allows() {
    let e = run(&every_value(), 2);
    assert!(e.victims.rows.len() >= 21 * 2, "rows were exported");
    assert_all_allowed(&e);
}

#[test]
fn every_current_value_of_each_list_reaches_the_export_under_the_standards_name() {
    let e = run(&every_value(), 2);
    let text = String::from_utf8(file(&e, "victims.csv")).unwrap();
    for v in INDUSTRY.iter().chain(SEX_EXPLOITATION).chain(RELATIONSHIP) {
        assert!(text.contains(v), "{v} exported");
    }
    let perps = String::from_utf8(file(&e, "perpetrators.csv")).unwrap();
    for r in ROLE {
        assert!(perps.contains(r), "{r} exported");
    }
}

#[test]
fn the_dictionary_lists_every_field_with_values_the_standard_allows() {
    let e = run(&[], 11);
    let text = String::from_utf8(file(&e, "dictionary.csv")).unwrap();
    let lines: Vec<&str> = text.split_terminator("\r\n").collect();
    assert_eq!(
        lines[0],
        "table,field,origin,multiple,quasi_identifier,allowed_values,description"
    );
    for table in ["victims", "perpetrators"] {
        let data = String::from_utf8(file(&e, &format!("{table}.csv"))).unwrap();
        let header = data.lines().next().unwrap().trim_end();
        for field in header.split(',') {
            let row = lines
                .iter()
                .find(|l| l.starts_with(&format!("{table},{field},")))
                .unwrap_or_else(|| panic!("{table}.{field} is in the dictionary"));
            let cells: Vec<&str> = row.split(',').collect();
            // Vocabulary fields list exactly the standard's values.
            if let Some(list) = [
                ("prs_Gender", GENDER),
                ("vic_TypeOfExploitation", EXPLOITATION),
                ("vic_ForcedLabourIndustry", INDUSTRY),
                ("vic_MethodsOfControl", CONTROL),
                ("per_RoleInProcess", ROLE),
                ("vic_AgeBand", AGE_BANDS),
            ]
            .iter()
            .find(|(f, _)| *f == field)
            {
                assert_eq!(cells[5], list.1.join(";"), "{field}");
            }
        }
    }
}
