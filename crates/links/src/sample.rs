//! Generated case files for measuring the graph: deterministic (a seed,
//! no randomness), made-up names and numbers, a share of them recurring
//! across cases in other spellings so that there are links to find.

use std::collections::BTreeMap;

use autosurgeon::Text;
use caravan_model::*;

/// A case with nothing in it but its header.
pub fn blank_case(reference: &str) -> Case {
    Case {
        schema: CASE_SCHEMA,
        header: CaseHeader {
            reference: reference.into(),
            title: format!("Case {reference}"),
            jurisdiction: "KZ".into(),
            qualification: BTreeMap::new(),
            status: CaseStatus::Active,
            created_at: 0,
            created_by: "m".into(),
            registry_number: None,
        },
        narrative: Text::with_value(""),
        stages: BTreeMap::new(),
        assignment: Assignment::default(),
        victims: BTreeMap::new(),
        suspects: BTreeMap::new(),
        witnesses: BTreeMap::new(),
        evidence: BTreeMap::new(),
        interviews: BTreeMap::new(),
        tasks: BTreeMap::new(),
        timeline: BTreeMap::new(),
        referrals: BTreeMap::new(),
        risks: BTreeMap::new(),
        notes: BTreeMap::new(),
        checklists: BTreeMap::new(),
        review: BTreeMap::new(),
        approvals: BTreeMap::new(),
        links: BTreeMap::new(),
        international_requests: BTreeMap::new(),
        identifiers: BTreeMap::new(),
        groups: BTreeMap::new(),
        procedural_decisions: BTreeMap::new(),
        measures: BTreeMap::new(),
        charges: BTreeMap::new(),
        indictments: BTreeMap::new(),
        hearings: BTreeMap::new(),
        verdicts: BTreeMap::new(),
        compensation: BTreeMap::new(),
        support: BTreeMap::new(),
        financial_flows: BTreeMap::new(),
    }
}

/// A victim with a name, a date of birth and documents.
pub fn victim(pseudonym: &str, name: &str, birth: Option<Date>) -> Victim {
    Victim {
        identity: Identity {
            full_name: name.into(),
            birth_date: birth,
            ..Default::default()
        },
        pseudonym: pseudonym.into(),
        sex: Gender::Feminine,
        age_at_trafficking: None,
        citizenship: None,
        languages: Vec::new(),
        status: TraffickingStatus::PossibleVictimOfTrafficking,
        status_decided_by: None,
        exploitation: Vec::new(),
        control_methods: Vec::new(),
        recruitment: None,
        recorded_at: 0,
        recorded_by: "m".into(),
        forced_labour_industry: None,
        relationship_to_trafficker: None,
        recruitment_methods: Vec::new(),
        citizenships: Vec::new(),
        sex_exploitation: Vec::new(),
        recruitment_websites: Vec::new(),
        exploitation_websites: Vec::new(),
        reflection_from: None,
        reflection_until: None,
        residence_decision: None,
        residence_decided_on: None,
        return_country: None,
        reintegration_status: None,
        family_assessment_done: false,
        family_assessment_on: None,
    }
}

/// A suspect with a name.
pub fn suspect(pseudonym: &str, name: &str, birth: Option<Date>) -> Suspect {
    Suspect {
        identity: Identity {
            full_name: name.into(),
            birth_date: birth,
            ..Default::default()
        },
        pseudonym: pseudonym.into(),
        roles: Vec::new(),
        citizenship: None,
        recorded_at: 0,
        recorded_by: "m".into(),
        public_official: false,
        citizenships: Vec::new(),
    }
}

/// A communication identifier, held by `person` if given.
pub fn identifier(kind: IdentifierKind, value: &str, person: Option<&str>) -> Identifier {
    Identifier {
        kind,
        value: value.into(),
        platform: None,
        person_id: person.map(String::from),
        source: None,
        note: None,
        recorded_at: 0,
        recorded_by: "m".into(),
    }
}

/// An account held by `person`.
pub fn account(number: &str, person: Option<&str>) -> FinancialFlow {
    FinancialFlow {
        kind: FlowKind::Account,
        from_person_id: person.map(String::from),
        from_party: None,
        to_person_id: None,
        to_party: None,
        institution: Some("Bank".into()),
        account: Some(number.into()),
        amount: None,
        currency: None,
        date: None,
        source: FlowSource::BankRecords,
        freeze: FreezeStatus::NotFrozen,
        freeze_ordered_on: None,
        evidence: Vec::new(),
        note: None,
        recorded_at: 0,
        recorded_by: "m".into(),
    }
}

const GIVEN: &[(&str, &str)] = &[
    ("Жанар", "Zhanar"),
    ("Айгуль", "Aigul"),
    ("Гульнара", "Gulnara"),
    ("Шухрат", "Shukhrat"),
    ("Юлия", "Yulia"),
    ("Нодира", "Nodira"),
    ("Бахтиёр", "Bakhtiyor"),
    ("Чолпон", "Cholpon"),
];
const FAMILY: &[(&str, &str)] = &[
    ("Абдуллаева", "Abdullayeva"),
    ("Ахмедова", "Akhmedova"),
    ("Каримова", "Karimova"),
    ("Юсупова", "Yusupova"),
    ("Исаева", "Isayeva"),
    ("Турсунова", "Tursunova"),
    ("Сергеева", "Sergeyeva"),
];

/// A small deterministic generator (SplitMix64).
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// `cases` cases holding about `entities` people and identifiers in all;
/// about one in ten is shared with another case, written there in the
/// other script or format. Returns (case id, case) pairs.
pub fn generate(cases: usize, entities: usize, seed: u64) -> Vec<(String, Case)> {
    let mut rng = Mix(seed);
    let cases = cases.max(1);
    let per_case = (entities / cases).max(1);
    let pool = (entities / 10).max(1) as u64;
    let mut out = Vec::with_capacity(cases);
    for c in 0..cases {
        let id = format!("{:016x}", (c as u64 + 1).wrapping_mul(0x9E37_79B9));
        let mut case = blank_case(&format!("KZ-2026-{c:05}"));
        let mut person = 0;
        for n in 0..per_case {
            let shared = rng.below(10) == 0;
            let who = if shared {
                rng.below(pool)
            } else {
                pool + (c * per_case + n) as u64
            };
            let cyrillic = rng.below(2) == 0;
            match n % 4 {
                0 | 1 => {
                    let (g, f) = (
                        GIVEN[(who % GIVEN.len() as u64) as usize],
                        FAMILY[((who / 8) % FAMILY.len() as u64) as usize],
                    );
                    let name = if cyrillic {
                        format!("{} {} {who}", g.0, f.0)
                    } else {
                        format!("{} {} {who}", f.1, g.1)
                    };
                    let birth = Date::new(1980 + (who % 25) as u16, 1 + (who % 12) as u8, 1);
                    person += 1;
                    let pid = format!("p{person}");
                    if n % 4 == 0 {
                        case.victims
                            .insert(pid, victim(&format!("V-{person}"), &name, birth));
                    } else {
                        case.suspects
                            .insert(pid, suspect(&format!("S-{person}"), &name, birth));
                    }
                }
                2 => {
                    let number = 7_000_000_000_u64 + who;
                    let value = if cyrillic {
                        format!("8 ({}) {:07}", number / 10_000_000, number % 10_000_000)
                    } else {
                        format!("+7{number}")
                    };
                    let holder = (person > 0).then(|| format!("p{person}"));
                    case.identifiers.insert(
                        format!("i{n}"),
                        identifier(IdentifierKind::Phone, &value, holder.as_deref()),
                    );
                }
                _ => {
                    let value = format!("KZ{:02}  125 {:012}", who % 97, who);
                    case.financial_flows
                        .insert(format!("f{n}"), account(&value, None));
                }
            }
        }
        out.push((id, case));
    }
    out
}
