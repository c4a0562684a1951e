//! The benchmark workload: one team, one investigator who opens N cases of
//! ~100 changes each (Cyrillic and Latin names, notes of realistic length,
//! narrative text, checklist ticks), and two supervisors' devices that sync
//! them. Everything is derived from a fixed seed, so every peer gets the
//! same documents.

#![forbid(unsafe_code)]

use anyhow::{Context, Result, anyhow};
use caravan_bench_fixture::Rng;
use caravan_model::{Catalog, Edit, Identity, ItemStatus, NewCase, Record, Role, Task, Witness};
use caravan_sync::join::JoinRequest;
use caravan_sync::{DeviceKeys, Replica};
use caravan_vault::{CaseIndexEntry, DocId};

/// Fixed clock for every change: times are inputs of the model, and a fixed
/// one keeps the bytes identical from run to run.
pub const AT: i64 = 1_767_000_000_000;
pub const SEED: u64 = 0x0ca7_a7a0_2026_0001;
pub const PASSPHRASE: &str = "benchmark vault passphrase, not a secret";

/// How many edits the incremental and divergent scenarios make.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub cases: usize,
    /// Changes per case in the base workload (the first is the case's creation).
    pub changes: usize,
}

impl Plan {
    /// Incremental sync: 100 edits spread over 50 cases (fewer for tiny runs).
    pub fn incremental(&self) -> Vec<usize> {
        spread(self.cases, 50.min(self.cases))
    }
    pub const INCREMENTAL_PER_CASE: usize = 2;
    /// Divergent sync: 1,000 + 1,000 changes over 100 cases.
    pub fn divergent(&self) -> Vec<usize> {
        spread(self.cases, 100.min(self.cases))
    }
    pub const DIVERGENT_PER_CASE: usize = 10;
}

fn spread(total: usize, n: usize) -> Vec<usize> {
    (0..n).map(|i| i * total / n.max(1)).collect()
}

/// Ids of the generated cases, in order. A case's id comes from its first
/// change, so the ids are recorded when a fixture is made (`case-ids.txt`)
/// and read back by every run that uses it.
static CASE_IDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();

/// The id of generated case `c`.
pub fn case_name(c: usize) -> String {
    CASE_IDS
        .get()
        .and_then(|ids| ids.get(c))
        .cloned()
        .unwrap_or_else(|| panic!("the fixture's case ids are not loaded (case {c})"))
}

/// Reads the case ids a fixture recorded.
pub fn load_case_ids(dir: &std::path::Path) -> Result<()> {
    let text = std::fs::read_to_string(dir.join("case-ids.txt"))?;
    let ids = text.lines().map(str::to_string).collect();
    let _ = CASE_IDS.set(ids);
    Ok(())
}

/// Records the generated cases' ids in a fixture.
pub fn save_case_ids(dir: &std::path::Path) -> Result<()> {
    let ids = CASE_IDS.get().map(|v| v.join("\n")).unwrap_or_default();
    std::fs::write(dir.join("case-ids.txt"), ids)?;
    Ok(())
}

/// The vault's document id of case `c` (deterministic, like random ids look).
pub fn doc_id(c: usize) -> DocId {
    let c = c as u64;
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&c.to_be_bytes());
    b[8..].copy_from_slice(&c.wrapping_mul(0x9e37_79b9_7f4a_7c15).to_be_bytes());
    DocId(b)
}

/// Device keys of the four team devices, from the seed.
pub fn device_keys(which: u64) -> DeviceKeys {
    let mut rng = Rng::new(SEED ^ (which + 1).wrapping_mul(0x2545_f491_4f6c_dd1d));
    let mut s = [0u8; 32];
    let mut a = [0u8; 32];
    for chunk in s.chunks_mut(8).chain(a.chunks_mut(8)) {
        chunk.copy_from_slice(&rng.next_u64().to_le_bytes());
    }
    DeviceKeys::from_secret_bytes(&s, &a)
}
pub const ADMIN: u64 = 0;
pub const INVESTIGATOR: u64 = 1;
pub const SUPERVISOR_A: u64 = 2;
pub const SUPERVISOR_B: u64 = 3;

const GIVEN: &[&str] = &[
    "Айгерим",
    "Бакыт",
    "Дильноза",
    "Ерлан",
    "Гульнара",
    "Ильяс",
    "Камила",
    "Мадина",
    "Нурлан",
    "Сауле",
    "Aigerim",
    "Bakyt",
    "Dilnoza",
    "Erlan",
    "Gulnara",
    "Ilyas",
    "Kamila",
    "Madina",
    "Nurlan",
    "Saule",
    "Olena",
    "Ірина",
    "Тимур",
    "Timur",
];
const FAMILY: &[&str] = &[
    "Абенова",
    "Каримова",
    "Нурланов",
    "Садыков",
    "Токаева",
    "Усманов",
    "Жакупова",
    "Рахимов",
    "Abenova",
    "Karimova",
    "Nurlanov",
    "Sadykov",
    "Tokaeva",
    "Usmanov",
    "Zhakupova",
    "Rakhimov",
    "Kovalenko",
    "Шевченко",
];
const SENTENCES: &[&str] = &[
    "The witness described how the recruiter approached her at the bus station in Shymkent and promised work in a restaurant abroad.",
    "Свидетельница пояснила, что вербовщик обещал работу официанткой и оплатил билет, а паспорт забрал сразу по прибытии.",
    "Documents were held by the employer; the victim was told she owed the cost of travel and lodging, which grew every week.",
    "Переводчик проверен: связей с подозреваемыми и потерпевшей не установлено.",
    "Bank transfers between the two suspects were requested from the financial intelligence unit; the answer is pending.",
    "Потерпевшая направлена в кризисный центр, получила медицинскую помощь и консультацию юриста.",
    "The phone seized at the apartment was sealed and handed to the forensic laboratory with a custody record.",
    "A second victim was identified from the advert's phone number; she agreed to a first interview next week.",
];

fn person_name(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(GIVEN), rng.pick(FAMILY))
}

/// A note of realistic length: 1–3 sentences (≈ 100–400 bytes).
fn note_text(rng: &mut Rng) -> String {
    let n = 1 + rng.below(3);
    (0..n)
        .map(|_| *rng.pick(SENTENCES))
        .collect::<Vec<_>>()
        .join(" ")
}

fn checklist_items() -> Result<Vec<String>> {
    Ok(Catalog::builtin()
        .latest("crime-scene-evidence")
        .context("crime-scene-evidence template")?
        .items
        .iter()
        .map(|i| i.id.clone())
        .collect())
}

/// The team: its admin device and join packages for the other three.
pub struct TeamSetup {
    pub investigator_package: Vec<u8>,
    pub supervisor_a_package: Vec<u8>,
    pub supervisor_b_package: Vec<u8>,
    /// The admin's team document after all three approvals: each package
    /// only holds the team as it stood when that device was approved.
    pub team_bundle: Vec<u8>,
}

pub fn found_team() -> Result<TeamSetup> {
    let mut admin = Replica::found(device_keys(ADMIN), "Unit", "Admin", "pc", AT)?;
    let mut approve = |which, name, role| {
        admin.approve(&JoinRequest::new(&device_keys(which), name, "pc"), role, AT)
    };
    let investigator_package = approve(INVESTIGATOR, "Investigator", Role::Investigator)?;
    let supervisor_a_package = approve(SUPERVISOR_A, "Supervisor A", Role::Supervisor)?;
    let supervisor_b_package = approve(SUPERVISOR_B, "Supervisor B", Role::Supervisor)?;
    let team_bundle = admin.export(&caravan_sync::bundle::Recipient::AnyMember, AT)?;
    Ok(TeamSetup {
        investigator_package,
        supervisor_a_package,
        supervisor_b_package,
        team_bundle,
    })
}

/// Enrols a device from its package and brings its team document up to date.
pub fn join(which: u64, package: &[u8], team_bundle: &[u8]) -> Result<Replica> {
    // The team id travels with the bundle, as an admin would read it out.
    let limits = caravan_sync::bundle::Limits::default();
    let team = caravan_sync::bundle::parse(team_bundle, &limits)?
        .header
        .team_id;
    let mut r = Replica::accept(device_keys(which), package, &team.into())?;
    r.import(team_bundle, &limits)?;
    Ok(r)
}

/// The investigator opens `plan.cases` cases with `plan.changes` changes
/// each. Returns the replica and the index entry of every case.
pub fn investigator_cases(team: &TeamSetup, plan: Plan) -> Result<(Replica, Vec<CaseIndexEntry>)> {
    let mut inv = join(INVESTIGATOR, &team.investigator_package, &team.team_bundle)?;
    let (me, _) = inv.me()?;
    let catalog = Catalog::builtin();
    let items = checklist_items()?;
    let mut rng = Rng::new(SEED);
    let mut index = Vec::with_capacity(plan.cases);
    let mut ids = Vec::with_capacity(plan.cases);
    for c in 0..plan.cases {
        let victim = person_name(&mut rng);
        let mut nonce = [0u8; 16];
        nonce[..8].copy_from_slice(&(c as u64).to_be_bytes());
        let id = inv.create_case(
            NewCase {
                nonce,
                reference: format!("KZ-2026-{c:05}"),
                title: format!("Recruitment for forced labour — {victim}"),
                jurisdiction: "KZ".into(),
            },
            AT,
            catalog,
        )?;
        ids.push(id.clone());
        let mut names = vec![victim.clone()];
        let mut narrative = String::new();
        for e in 1..plan.changes {
            // Per 10 changes: one note and one narrative edit (collaborative
            // text: every character is an Automerge object, so text dominates
            // memory), eight checklist ticks with a short note each.
            let edit = match e % 10 {
                _ if e <= 3 => {
                    let name = person_name(&mut rng);
                    names.push(name.clone());
                    Edit::Insert {
                        id: format!("w{e}"),
                        record: Record::Witness(Witness {
                            identity: Identity {
                                full_name: name,
                                other_names: None,
                                birth_date: None,
                                document_numbers: None,
                                contact: None,
                                address: None,
                            },
                            pseudonym: format!("W-{c}-{e}"),
                            relation: Some("co-worker".into()),
                            recorded_at: AT,
                            recorded_by: me.clone(),
                        }),
                    }
                }
                0 => Edit::Insert {
                    id: format!("n{e}"),
                    record: Record::Note(caravan_model::Note {
                        body: note_text(&mut rng).as_str().into(),
                        recorded_at: AT,
                        recorded_by: me.clone(),
                    }),
                },
                1 => {
                    // The narrative grows by a sentence, then is rewritten
                    // once it reaches ~1 KB: long shared text, edited in place.
                    if narrative.len() > 1000 {
                        narrative.clear();
                    }
                    let sentence: &str = SENTENCES[rng.below(SENTENCES.len())];
                    narrative.push_str(sentence);
                    narrative.push(' ');
                    Edit::SetText {
                        path: "narrative".parse().map_err(|e| anyhow!("{e:?}"))?,
                        text: narrative.clone(),
                    }
                }
                _ => Edit::SetItem {
                    template_id: "crime-scene-evidence".into(),
                    item_id: rng.pick(&items).clone(),
                    status: ItemStatus::Done,
                    reason: None,
                    note: Some(format!("done on visit {e}: {}", rng.pick(SENTENCES))),
                    evidence_ids: vec![],
                    interview_ids: vec![],
                },
            };
            inv.edit_case(&id, edit, AT, catalog)?;
        }
        index.push(CaseIndexEntry {
            case_id: doc_id(c),
            title: format!("Recruitment for forced labour — {victim}"),
            reference: format!("KZ-2026-{c:05}"),
            stage: "investigation".into(),
            status: "open".into(),
            assignees: vec![me.clone()],
            updated_at_ms: AT + c as i64,
            search_terms: names
                .iter()
                .map(|n| caravan_model::search::fold(n))
                .collect(),
            jurisdiction: "KZ".into(),
            open_task_dues: Vec::new(),
            open_international_deadlines: Vec::new(),
            measure_ends: Vec::new(),
            progress_percent: 0,
            conflicts: 0,
            dashboard: Default::default(),
            layout: 0,
        });
    }
    let _ = CASE_IDS.set(ids);
    Ok((inv, index))
}

/// A supervisor's edits while apart: `per_case` follow-up tasks in each of
/// `cases`. `tag` keeps the two sides' record ids distinct.
pub fn supervisor_edits(
    r: &mut Replica,
    cases: &[usize],
    per_case: usize,
    tag: &str,
) -> Result<()> {
    let (me, _) = r.me()?;
    let catalog = Catalog::builtin();
    for &c in cases {
        for e in 0..per_case {
            let task = Task {
                title: format!(
                    "Follow-up {e}: re-interview the witness about the recruiter's phone"
                ),
                assignee: None,
                due: None,
                stage: None,
                done: false,
                recorded_at: AT,
                recorded_by: me.clone(),
            };
            r.edit_case(
                &case_name(c),
                Edit::Insert {
                    id: format!("{tag}-{e}"),
                    record: Record::Task(task),
                },
                AT,
                catalog,
            )?;
        }
    }
    Ok(())
}

pub fn member_id(r: &Replica) -> Result<String> {
    Ok(r.me()?.0)
}
