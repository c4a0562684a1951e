//! `caravan demo`: a realistic story on five fresh vaults, told as it goes.
//! The unit's supervisor founds a team as its admin, and enrols, by files,
//! her own supervisor's membership (an admin is not a supervisor by that),
//! two investigators and a prosecutor; the investigators work one case offline on two
//! laptops, with one same-field conflict; they swap bundles; the supervisor
//! relays to the prosecutor, who comments and signs off a gate; the
//! supervisor's report and `audit verify` close it. Every step goes through
//! the core's public use cases, exactly as the front ends do; the vaults are left for
//! inspection with the printed passphrase.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use caravan_model::{
    ChargeStatus, EventKind, EvidenceKind, Exploitation, FlowKind, FlowSource, FreezeStatus,
    Gender, GroupRole, HearingKind, HearingOutcome, IdentifierKind, ItemStatus, LegalBasis,
    MeasureKind, PerpetratorRole, ProtectiveMeasure, RequestKind, RequestStatus, Role, Stage,
    TransportMode,
};
use caravan_vault::Passphrase;

use crate::error::{CoreError, Result};
use crate::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The demo vaults' passphrase (printed: the vaults hold made-up people).
pub const DEMO_PASSPHRASE: &str = "caravan demo passphrase";

/// The names the demo gives its victims (Cyrillic, Latin): made up, and
/// masked wherever an identity is, so a test can look for them.
pub const VICTIMS: &[(&str, &str)] = &[
    ("Гульнара Ахмедова", "Gulnara Akhmedova"),
    ("Айгерим Сарсенова", "Aigerim Sarsenova"),
    ("Бахтияр Юсупов", "Bakhtiyar Yusupov"),
    ("Нодира Каримова", "Nodira Karimova"),
    ("Рустам Назаров", "Rustam Nazarov"),
];
const SITES: &[&str] = &["Kaskelen", "Talgar", "Esik", "Kapchagay"];

struct Desk<'a> {
    out: &'a mut dyn Write,
    exchange: PathBuf,
}

impl Desk<'_> {
    fn say(&mut self, who: &str, what: &str) -> Result<()> {
        writeln!(self.out, "  {who:<8} {what}").map_err(out_err)?;
        Ok(())
    }

    fn chapter(&mut self, title: &str) -> Result<()> {
        writeln!(self.out, "\n== {title}").map_err(out_err)?;
        Ok(())
    }

    /// Writes a bundle from `from` for `to` into the exchange folder (the
    /// USB stick) and imports it on `to`'s laptop.
    fn carry(&mut self, from: (&str, &mut Workspace), to: (&str, &mut Workspace)) -> Result<()> {
        let member = from.1.find_member(to.0)?;
        let (bytes, _) = from.1.export_bundle(Some(&member), &mut |_| {})?;
        let file = self
            .exchange
            .join(format!("{}-to-{}.caravan", from.0, to.0).to_lowercase());
        std::fs::write(&file, &bytes).map_err(|e| CoreError::file(&file, &e))?;
        let read = std::fs::read(&file).map_err(|e| CoreError::file(&file, &e))?;
        let r = to.1.import_bundle(&read, &mut |_| {})?;
        let q = r.quarantined.len();
        self.say(
            to.0,
            &format!(
                "imports {} ({} bytes): {} applied, {} already had, {} held, {q} quarantined",
                file.file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                bytes.len(),
                r.applied,
                r.already_had,
                r.held
            ),
        )?;
        if q > 0 {
            return Err(broken(&format!(
                "the demo's own changes were quarantined: {:?}",
                r.quarantined
            )));
        }
        Ok(())
    }
}

fn open(dir: &Path, clock: &Arc<SteppingClock>) -> Result<Workspace> {
    let opts = OpenOptions {
        clock: clock.clone(),
        ..OpenOptions::default()
    };
    let (ws, _code) = Workspace::create(dir, &Passphrase::new(DEMO_PASSPHRASE.into()), &opts)?;
    Ok(ws)
}

fn enrol(
    desk: &mut Desk<'_>,
    admin: &mut Workspace,
    dir: &Path,
    clock: &Arc<SteppingClock>,
    name: &str,
    role: Role,
) -> Result<Workspace> {
    let mut ws = open(dir, clock)?;
    let request = ws.join_request(name, &format!("{name}'s laptop"))?;
    let req_file = desk.exchange.join(format!("{}.join", name.to_lowercase()));
    std::fs::write(&req_file, &request).map_err(|e| CoreError::file(&req_file, &e))?;
    let text = std::fs::read_to_string(&req_file).map_err(|e| CoreError::file(&req_file, &e))?;
    let seen = Workspace::inspect_join_request(&text)?;
    let package = admin.approve_join(&request, role)?;
    let pkg_file = desk
        .exchange
        .join(format!("{}.package", name.to_lowercase()));
    std::fs::write(&pkg_file, &package).map_err(|e| CoreError::file(&pkg_file, &e))?;
    let team = admin.team_view()?.fingerprint;
    let package = std::fs::read(&pkg_file).map_err(|e| CoreError::file(&pkg_file, &e))?;
    ws.accept_join(&package, &team)?;
    desk.say(
        ADMIN,
        &format!(
            "enrols {name} as {role} (device fingerprint {} and team fingerprint {team} checked aloud)",
            seen.fingerprint
        ),
    )?;
    Ok(ws)
}

const DAY: i64 = 86_400_000;

/// The supervisor's admin membership, which founds the team and enrols.
const ADMIN: &str = "Saule (admin)";

/// Runs the story in a fresh folder `dir` (which must not hold a demo yet).
pub fn run(dir: &Path, seed: u64, out: &mut dyn Write) -> Result<()> {
    if dir.join("supervisor").exists() {
        return Err(CoreError::invalid(
            "demo folder",
            format!(
                "{} already holds a demo; choose another folder",
                dir.display()
            ),
        ));
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let exchange = dir.join("exchange");
    std::fs::create_dir_all(&exchange).map_err(|e| CoreError::file(&exchange, &e))?;
    // 2026-11-02 08:00 UTC: the story's first morning.
    let clock = Arc::new(SteppingClock::starting_at(1_793_606_400_000));
    let mut desk = Desk { out, exchange };
    writeln!(
        desk.out,
        "Caravan demo (seed {seed}) in {} — passphrase of every vault: \"{DEMO_PASSPHRASE}\"",
        dir.display()
    )
    .map_err(out_err)?;

    desk.chapter("Monday: the supervisor founds the team as its admin and enrols four devices")?;
    // Saule runs the unit and administers its team: two memberships, each
    // on a vault of its own, since an admin is not a supervisor by that.
    let mut adm = open(&dir.join("admin"), &clock)?;
    let team = adm.found_team("Almaty regional TIP unit", ADMIN, "office desktop")?;
    desk.say(
        ADMIN,
        &format!("founds team \"{}\" ({})", team.name, team.id),
    )?;
    let mut sup = enrol(
        &mut desk,
        &mut adm,
        &dir.join("supervisor"),
        &clock,
        "Saule",
        Role::Supervisor,
    )?;
    let mut ina = enrol(
        &mut desk,
        &mut adm,
        &dir.join("investigator-aibek"),
        &clock,
        "Aibek",
        Role::Investigator,
    )?;
    let mut inb = enrol(
        &mut desk,
        &mut adm,
        &dir.join("investigator-dana"),
        &clock,
        "Dana",
        Role::Investigator,
    )?;
    let mut pro = enrol(
        &mut desk,
        &mut adm,
        &dir.join("prosecutor-marat"),
        &clock,
        "Marat",
        Role::Prosecutor,
    )?;
    for (name, ws) in [
        ("Saule", &mut sup),
        ("Aibek", &mut ina),
        ("Dana", &mut inb),
        ("Marat", &mut pro),
    ] {
        desk.carry((ADMIN, &mut adm), (name, ws))?;
    }

    desk.chapter("Tuesday: a signal from a construction site; Aibek opens a case")?;
    let site = SITES[rng.gen_range(0..SITES.len())];
    let case = ina.create_case(NewCaseInput {
        reference: format!("KZ-2026-{:04}", rng.gen_range(100..10_000)),
        title: format!("Construction site, {site}"),
        jurisdiction: "KZ".into(),
    })?;
    desk.say("Aibek", &format!("opens case {} ({})", &case[..8], site))?;
    desk.carry(("Aibek", &mut ina), ("Saule", &mut sup))?;
    for name in ["Dana", "Marat"] {
        let m = sup.find_member(name)?;
        sup.grant(&case, &m, true)?;
        desk.say("Saule", &format!("lets {name} see the case"))?;
    }
    let dana = sup.find_member("Dana")?;
    sup.assign(&case, &dana, true)?;
    let aibek = sup.find_member("Aibek")?;
    sup.assign(&case, &aibek, true)?;
    desk.carry(("Saule", &mut sup), ("Dana", &mut inb))?;
    desk.carry(("Saule", &mut sup), ("Aibek", &mut ina))?;

    desk.chapter("Wednesday to Friday: two laptops, no network")?;
    clock.advance(DAY);
    let (cyr, lat) = VICTIMS[rng.gen_range(0..VICTIMS.len())];
    let mut victim = PersonInput::new(PersonKind::Victim, "V-1", cyr);
    victim.other_names = Some(lat.into());
    victim.sex = Gender::Feminine;
    victim.age_at_trafficking = Some(rng.gen_range(16..30));
    victim.citizenships = vec!["UZ".into()];
    victim.exploitation = vec![Exploitation::ForcedLabour];
    for stage in [Stage::InitialResponse, Stage::Identification] {
        ina.open_stage(&case, stage)?;
    }
    desk.say(
        "Aibek",
        "opens the initial-response and identification stages",
    )?;
    let v = ina.add_person(&case, victim)?;
    desk.say(
        "Aibek",
        "records a victim (pseudonym V-1; the name stays masked)",
    )?;
    ina.start_checklist(&case, "identification-labour", Some(v.as_str()))?;
    let lists = ina.checklists(&case, Some(Stage::Identification), "en")?;
    let labour = lists
        .iter()
        .find(|c| c.template_id == "identification-labour")
        .ok_or_else(|| broken("the labour indicators checklist is missing"))?;
    let ticks = rng.gen_range(3..6);
    for item in labour.items.iter().take(ticks) {
        ina.set_item(&case, &labour.key, &item.id, done(None))?;
    }
    desk.say(
        "Aibek",
        &format!("ticks {ticks} labour-exploitation indicators"),
    )?;
    ina.start_checklist(&case, "initial-actions", Some(v.as_str()))?;
    let initial = ina.checklists(&case, Some(Stage::InitialResponse), "en")?;
    if let Some(list) = initial.first() {
        for item in list.items.iter().take(4) {
            ina.set_item(&case, &list.key, &item.id, done(None))?;
        }
        if let Some(item) = list.items.iter().find(|i| i.id == "presume-child") {
            ina.set_item(
                &case,
                &list.key,
                &item.id,
                ItemUpdate {
                    status: ItemStatus::NotApplicable,
                    reason: Some("adult: passport checked".into()),
                    ..done(None)
                },
            )?;
        }
    }
    desk.say(
        "Aibek",
        "starts V-1's initial actions and works them (one item not applicable, with its reason)",
    )?;
    ina.add_interview(&case, InterviewInput {
        person_id: v.clone(),
        planned_for: "2026-11-10".parse().ok(),
        venue: Some("NGO shelter, Almaty".into()),
        interpreter: Some("Uzbek interpreter, no tie to the case".into()),
        interpreter_vetted: true,
        consent_given: true,
        child_track: false,
        plan: "Plan: rapport first; reflection period explained. Engage & explain. Account: recruitment, travel, work, debts. Closure. Evaluate.".into(),
    })?;
    desk.say(
        "Aibek",
        "drafts a PEACE interview plan with a vetted interpreter",
    )?;
    ina.add_international_request(
        &case,
        InternationalRequestInput {
            kind: RequestKind::MutualLegalAssistance,
            notice: None,
            requested_state: "UZ".into(),
            legal_basis: LegalBasis::Chisinau2002,
            central_authority: Some("Prosecutor General's Office of Uzbekistan".into()),
            subject: "Questioning of the recruiter in Jizzakh; his bank records".into(),
            sent_on: "2026-11-03".parse().ok(),
            deadline: "2026-12-03".parse().ok(),
            status: RequestStatus::Sent,
            response_on: None,
        },
    )?;
    desk.say(
        "Aibek",
        "sends a request for legal assistance to Uzbekistan (Chisinau Convention)",
    )?;
    ina.add_event(
        &case,
        EventInput {
            kind: EventKind::Transit,
            date: "2026-09-14".parse().ok(),
            place: "Zhibek Zholy".into(),
            country: Some("KZ".into()),
            description: "Crossed from Uzbekistan by minibus with the recruiter".into(),
            person_ids: vec![v.clone()],
            latitude: Some(41.366_389),
            longitude: Some(69.113_611),
            crosses_border: Some(true),
            border_point: Some("Zhibek Zholy checkpoint".into()),
            transport: Some(TransportMode::Road),
        },
    )?;
    ina.add_event(
        &case,
        EventInput {
            kind: EventKind::Recruitment,
            date: "2026-08-20".parse().ok(),
            place: "Jizzakh".into(),
            country: Some("UZ".into()),
            description: "Offered greenhouse work in Almaty through a WhatsApp contact".into(),
            person_ids: vec![v.clone()],
            latitude: Some(40.115_833),
            longitude: Some(67.842_222),
            crosses_border: None,
            border_point: None,
            transport: None,
        },
    )?;
    ina.add_event(
        &case,
        EventInput {
            kind: EventKind::Exploitation,
            date: "2026-09-15".parse().ok(),
            place: "Kaskelen greenhouses".into(),
            country: Some("KZ".into()),
            description: "Unpaid work in the greenhouses; passport held by the employer".into(),
            person_ids: vec![v.clone()],
            latitude: Some(43.201_667),
            longitude: Some(76.623_889),
            crosses_border: Some(false),
            border_point: None,
            transport: Some(TransportMode::Road),
        },
    )?;
    let mut recruiter = PersonInput::new(PersonKind::Suspect, "S-1", "Рустам Каримов");
    recruiter.roles = vec![PerpetratorRole::RecruiterOrIntermediary];
    let recruiter = ina.add_person(&case, recruiter)?;
    ina.add_identifier(
        &case,
        IdentifierInput {
            kind: IdentifierKind::Phone,
            value: "+998 90 123 45 67".into(),
            platform: Some("WhatsApp".into()),
            person_id: Some(recruiter.clone()),
            source: Some("V-1's phone, messages of August".into()),
            note: None,
        },
    )?;
    ina.add_group(
        &case,
        GroupInput {
            name: "Jizzakh–Almaty recruiters".into(),
            description: Some("Recruits in Jizzakh, moves workers to Almaty sites".into()),
            members: vec![GroupMemberInput {
                person_id: recruiter.clone(),
                role: GroupRole::Organiser,
                superior: None,
            }],
            countries: vec!["UZ".into(), "KZ".into()],
        },
    )?;
    ina.add_financial_flow(
        &case,
        FinancialFlowInput {
            kind: FlowKind::Transfer,
            from_person_id: None,
            from_party: Some("Almaty site office".into()),
            to_person_id: Some(recruiter),
            to_party: None,
            institution: Some("Kaspi Bank".into()),
            account: Some("KZ86 125K ZT50 0410 0100".into()),
            amount: Some(450_000),
            currency: Some("KZT".into()),
            date: "2026-09-30".parse().ok(),
            source: FlowSource::BankRecords,
            freeze: FreezeStatus::Frozen,
            freeze_ordered_on: "2026-10-05".parse().ok(),
            evidence: Vec::new(),
            note: Some("V-1's wages for September, paid to the recruiter".into()),
        },
    )?;
    desk.say(
        "Aibek",
        "records V-1's route with its coordinates (recruited in Jizzakh, across the border at Zhibek Zholy, exploited in Kaskelen), the recruiter (S-1), his masked WhatsApp number, his group and the frozen transfer of V-1's wages to him",
    )?;

    let mut phones = Vec::new();
    for n in 1..=2 {
        let e = inb.add_evidence(
            &case,
            EvidenceInput {
                label: format!("Phone {n}"),
                kind: EvidenceKind::Phone,
                description: format!("Seized at the site office, handset {n}"),
                seized_at: Some(clock.now_ms()),
                seized_by: Some("Dana".into()),
                seized_from: Some("site office".into()),
                location: Some(site.into()),
                seal_number: Some(format!("S-{:04}", rng.gen_range(1..10_000))),
            },
        )?;
        phones.push(e);
    }
    desk.say("Dana", "logs two seized phones")?;
    inb.transfer_custody(
        &case,
        &phones[0],
        CustodyInput {
            from: "Dana".into(),
            to: "Forensic lab, Almaty".into(),
            place: "Almaty".into(),
            at: None,
            seal_number: Some("S-LAB-1".into()),
            purpose: Some("data extraction".into()),
        },
    )?;
    desk.say(
        "Dana",
        "hands phone 1 to the forensic lab (custody chain: 1 entry)",
    )?;
    let photo = desk.exchange.join("phone-1-seal.txt");
    std::fs::write(
        &photo,
        format!("Seal photograph placeholder, seed {seed}\n"),
    )
    .map_err(|e| CoreError::file(&photo, &e))?;
    let att = inb.attach(&case, Some(&phones[0]), &photo)?;
    std::fs::remove_file(&photo).map_err(|e| CoreError::file(&photo, &e))?;
    desk.say(
        "Dana",
        &format!(
            "attaches the seal photograph (sha256 {}…)",
            &att.sha256[..16]
        ),
    )?;
    let due = crate::clock::date_of(clock.now_ms() + DAY);
    inb.add_task(
        &case,
        TaskInput {
            title: "Request the employer's payroll records".into(),
            assignee: Some(dana.clone()),
            due: Some(due),
            stage: Some(Stage::Financial),
        },
    )?;
    desk.say("Dana", &format!("plans a task due {due}"))?;
    ina.set_field(
        &case,
        "header/title",
        &format!("Forced labour at a {site} construction site"),
    )?;
    inb.set_field(
        &case,
        "header/title",
        &format!("{site} construction site: labour exploitation"),
    )?;
    desk.say("both", "retitle the case, each on their own laptop")?;

    desk.chapter("Friday evening: bundles swapped on a USB stick")?;
    clock.advance(2 * DAY);
    desk.carry(("Aibek", &mut ina), ("Dana", &mut inb))?;
    desk.carry(("Dana", &mut inb), ("Aibek", &mut ina))?;
    let conflicts = ina.conflicts(Some(&case), false)?;
    for c in &conflicts {
        let values: Vec<String> = c
            .values
            .iter()
            .map(|v| {
                format!(
                    "\"{}\" by {}",
                    v.value.clone().unwrap_or_default(),
                    v.author_name
                )
            })
            .collect();
        desk.say(
            "Caravan",
            &format!("conflict on {}: {}", c.path, values.join(" / ")),
        )?;
    }
    let choice = conflicts
        .iter()
        .find(|c| c.path == "header/title")
        .and_then(|c| c.values.iter().find(|v| v.author_name == "Dana"))
        .ok_or_else(|| broken("the expected title conflict did not appear"))?
        .choice
        .clone();
    ina.resolve(&case, "header/title", &choice)?;
    desk.say(
        "Aibek",
        "keeps Dana's title; the decision is a signed change like any other",
    )?;
    desk.carry(("Aibek", &mut ina), ("Dana", &mut inb))?;
    let a = ina.show_case(&case)?;
    let b = inb.show_case(&case)?;
    if a.title != b.title || a.people.len() != b.people.len() || a.evidence != b.evidence {
        return Err(broken("the two laptops did not converge"));
    }
    desk.say(
        "both",
        &format!(
            "now show the same case: {} person, {} evidence items, {} custody entry",
            a.people.len(),
            a.evidence.len(),
            a.evidence.iter().map(|e| e.custody.len()).sum::<usize>()
        ),
    )?;

    desk.chapter("Next week: the supervisor relays the case to the prosecutor")?;
    clock.advance(3 * DAY);
    desk.carry(("Aibek", &mut ina), ("Saule", &mut sup))?;
    desk.carry(("Dana", &mut inb), ("Saule", &mut sup))?;
    desk.carry(("Saule", &mut sup), ("Marat", &mut pro))?;
    let seen = pro.show_case(&case)?;
    desk.say(
        "Marat",
        &format!(
            "verifies every signature and role, then opens \"{}\"",
            seen.title
        ),
    )?;
    match pro.add_person(
        &case,
        PersonInput::new(PersonKind::Witness, "W-1", "Someone"),
    ) {
        Err(e) if e.code() == "policy.denied" => desk.say(
            "Marat",
            "cannot alter the investigators' record (policy.denied)",
        )?,
        other => {
            return Err(broken(&format!(
                "the prosecutor's edit should be refused: {other:?}"
            )));
        }
    }
    pro.review_comment(
        &case,
        Some(Stage::Evidence),
        "Phone extraction report to be attached to the file.",
    )?;
    pro.review_request(
        &case,
        Some(Stage::Interviews),
        "Interview two more co-workers from the site.",
    )?;
    pro.review_signoff(
        &case,
        Stage::Identification,
        "Identification of V-1 as a victim is well founded.",
    )?;
    desk.say(
        "Marat",
        "comments, requests two more interviews, signs off identification",
    )?;
    desk.carry(("Marat", &mut pro), ("Saule", &mut sup))?;
    desk.carry(("Saule", &mut sup), ("Aibek", &mut ina))?;
    desk.say(
        "Aibek",
        &format!(
            "sees {} review items from the prosecutor",
            ina.show_case(&case)?.review.len()
        ),
    )?;

    desk.chapter("Two weeks on: a suspect is charged and the trial is set")?;
    clock.advance(7 * DAY);
    court_phase(&mut desk, &clock, &case, (&mut ina, &mut sup, &mut pro))?;

    desk.chapter("The supervisor's report")?;
    let report = sup.progress_report()?;
    for c in &report.cases {
        desk.say(
            "Saule",
            &format!(
                "{} {:<50} stage {:<16} {:>3}% of required items, {} overdue task(s), {} open request(s)",
                c.reference, c.title, c.stage, c.percent, c.overdue_tasks, c.open_requests
            ),
        )?;
    }
    for o in &report.overdue {
        desk.say(
            "Saule",
            &format!(
                "overdue: \"{}\" due {} ({})",
                o.title,
                o.due,
                o.assignee_name.clone().unwrap_or_default()
            ),
        )?;
    }
    for (name, ws) in [
        (ADMIN, &mut adm),
        ("Saule", &mut sup),
        ("Aibek", &mut ina),
        ("Dana", &mut inb),
        ("Marat", &mut pro),
    ] {
        let check = ws.audit_verify()?;
        desk.say(
            name,
            &format!("audit verify: {} entries, chain intact", check.entries),
        )?;
    }
    for ws in [adm, sup, ina, inb, pro] {
        ws.lock();
    }
    writeln!(
        desk.out,
        "\nDone. Inspect a vault, e.g.:\n  CARAVAN_PASSPHRASE='{DEMO_PASSPHRASE}' caravan --vault {} case list",
        dir.join("supervisor").display()
    ).map_err(out_err)?;
    Ok(())
}

fn done(note: Option<String>) -> ItemUpdate {
    ItemUpdate {
        status: ItemStatus::Done,
        reason: None,
        note,
        evidence_ids: Vec::new(),
        interview_ids: Vec::new(),
    }
}

fn out_err(e: std::io::Error) -> CoreError {
    CoreError::file(Path::new("standard output"), &e)
}

/// The story did not unfold as written: a defect, reported, never a panic.
fn broken(what: &str) -> CoreError {
    CoreError::invalid("demo", what)
}

/// The court phase of the demo case: Aibek records the suspect, the
/// case's ERDR number, a charge and his detention, which ends in five days
/// (an alert); Marat sets the preliminary hearing with the victim's
/// protective measures.
fn court_phase(
    desk: &mut Desk<'_>,
    clock: &Arc<SteppingClock>,
    case: &str,
    (ina, sup, pro): (&mut Workspace, &mut Workspace, &mut Workspace),
) -> Result<()> {
    let in_days = |n: i64| crate::clock::date_of(clock.now_ms() + n * DAY);
    // The recruiter, recorded with his number and his group earlier on.
    let known = ina
        .show_case(case)?
        .people
        .into_iter()
        .find(|p| p.pseudonym == "S-1")
        .map(|p| p.id);
    let s = match known {
        Some(id) => id,
        None => {
            let mut suspect = PersonInput::new(PersonKind::Suspect, "S-1", "Рустам Каримов");
            suspect.roles = vec![PerpetratorRole::RecruiterOrIntermediary];
            ina.add_person(case, suspect)?
        }
    };
    ina.set_registry_number(case, "261500031000123")?;
    ina.add_charge(
        case,
        ChargeInput {
            person_id: s.clone(),
            article: "KZ-2014-128".into(),
            part: Some("3".into()),
            paragraph: Some("1".into()),
            status: ChargeStatus::Brought,
            brought_on: Some(in_days(0)),
            note: None,
        },
    )?;
    ina.add_measure(
        case,
        MeasureInput {
            person_id: s,
            kind: MeasureKind::Detention,
            ordered_by: Some("Investigating judge, Almaly district court".into()),
            from: in_days(-55),
            until: Some(in_days(5)),
        },
    )?;
    desk.say(
        "Aibek",
        "records the ERDR number, a charge against S-1 under item 1 of part 3 of art. 128 and his detention (ends in 5 days: an alert)",
    )?;
    support_plan(clock, case, ina)?;
    desk.say(
        "Aibek",
        "records V-1's reflection period (ends in 4 days with no decision on residence or return: an alert) and the shelter's health care in V-1's support plan",
    )?;
    desk.carry(("Aibek", ina), ("Saule", sup))?;
    desk.carry(("Saule", sup), ("Marat", pro))?;
    pro.add_hearing(
        case,
        HearingInput {
            date: in_days(14),
            court: "Specialised inter-district criminal court, Almaty".into(),
            kind: HearingKind::Preliminary,
            outcome: HearingOutcome::Scheduled,
            measures_granted: vec![
                ProtectiveMeasure::VideoLink,
                ProtectiveMeasure::NoFaceToFace,
            ],
            measures_refused: vec![],
            safety_reviewed: true,
            next_date: None,
            note: None,
        },
    )?;
    desk.say(
        "Marat",
        "sets the preliminary hearing: V-1 testifies by video link, never face to face with the accused",
    )?;
    desk.carry(("Marat", pro), ("Saule", sup))
}

/// V-1's reflection period, ending in four days with no decision on
/// residence or return yet, and a service of their support plan.
fn support_plan(clock: &Arc<SteppingClock>, case: &str, ina: &mut Workspace) -> Result<()> {
    let in_days = |n: i64| crate::clock::date_of(clock.now_ms() + n * DAY);
    let Some(v) = ina
        .show_case(case)?
        .people
        .into_iter()
        .find(|p| p.kind == PersonKind::Victim)
        .map(|p| p.id)
    else {
        return Ok(());
    };
    let field = |name: &str| format!("victims/{v}/{name}");
    ina.set_field(case, &field("reflection_from"), &in_days(-26).to_string())?;
    ina.set_field(case, &field("reflection_until"), &in_days(4).to_string())?;
    ina.set_field(case, &field("residence_decision"), "pending")?;
    ina.add_support(
        case,
        SupportServiceInput {
            victim_id: v.clone(),
            kind: caravan_model::SupportType::Health,
            provider: Some("Crisis centre \"Sana Sezim\", Almaty".into()),
            referral_id: None,
            status: caravan_model::SupportStatus::InProgress,
            started_on: Some(in_days(-25)),
            ended_on: None,
            note: None,
        },
    )?;
    Ok(())
}
