//! The pure transform (rows, k-anonymity, files) on generated cases, for
//! docs/benchmarks.md: `cargo bench -p caravan-htcds`.

use caravan_htcds::{Options, export};
use caravan_model::vocab::*;
use caravan_model::*;
use criterion::{Criterion, criterion_group, criterion_main};

fn base() -> Case {
    CaseDoc::create(
        automerge::ActorId::from([1u8; 16]),
        NewCase {
            nonce: [1; 16],
            reference: "KZ-2026-0001".into(),
            title: "Generated".into(),
            jurisdiction: "KZ".into(),
        },
        &Author {
            member: "m".into(),
            role: Role::Investigator,
            at: 1_767_000_000_000,
        },
        Catalog::builtin(),
    )
    .unwrap()
    .case()
    .unwrap()
}

/// `n` cases of two victims and one suspect each, their values drawn in
/// turn from small lists (deterministic).
fn cases(n: usize) -> Vec<Case> {
    let base = base();
    let countries = ["KZ", "KG", "TJ", "UZ", "TM", "RU", "TR", "AE"];
    (0..n)
        .map(|i| {
            let mut c = base.clone();
            c.header.created_at = 1_600_000_000_000 + (i as i64 % 7) * 31_536_000_000;
            for v in 0..2 {
                let j = i * 2 + v;
                c.victims.insert(
                    format!("v{v}"),
                    Victim {
                        identity: Identity {
                            full_name: format!("Name {j}"),
                            ..Default::default()
                        },
                        pseudonym: format!("V-{j}"),
                        sex: Gender::CURRENT[j % 3],
                        age_at_trafficking: Some((j % 60) as u64),
                        citizenship: None,
                        languages: vec!["rus".into()],
                        status: TraffickingStatus::CURRENT[j % 3],
                        status_decided_by: Some(StatusDecidedBy::Police),
                        exploitation: vec![Exploitation::CURRENT[j % 4]],
                        control_methods: vec![
                            ControlMethod::DebtBondage,
                            ControlMethod::CURRENT[j % 16],
                        ],
                        recruitment: None,
                        recorded_at: 1_767_000_000_000,
                        recorded_by: "m".into(),
                        forced_labour_industry: Some(ForcedLabourIndustry::Construction),
                        relationship_to_trafficker: None,
                        recruitment_methods: vec![RecruitmentMethod::CURRENT[j % 10]],
                        citizenships: vec![countries[j % 5].into()],
                        sex_exploitation: Vec::new(),
                        recruitment_websites: vec![WebsiteOrApp::Telegram],
                        exploitation_websites: Vec::new(),
                        reflection_from: None,
                        reflection_until: None,
                        residence_decision: None,
                        residence_decided_on: None,
                        return_country: None,
                        reintegration_status: None,
                        family_assessment_done: false,
                        family_assessment_on: None,
                    },
                );
            }
            c.suspects.insert(
                "s".into(),
                Suspect {
                    identity: Identity::default(),
                    pseudonym: format!("S-{i}"),
                    roles: vec![PerpetratorRole::CURRENT[i % 15]],
                    citizenship: None,
                    recorded_at: 1_767_000_000_000,
                    recorded_by: "m".into(),
                    public_official: false,
                    citizenships: vec![countries[i % 8].into()],
                },
            );
            c
        })
        .collect()
}

fn transform(c: &mut Criterion) {
    for n in [1_000, 10_000] {
        let input = cases(n);
        let mut group = c.benchmark_group("htcds");
        group.sample_size(10);
        group.bench_function(format!("export {n} cases"), |b| {
            b.iter(|| {
                let e = export(&input, &Options::default());
                e.files().iter().map(|f| f.bytes.len()).sum::<usize>()
            })
        });
        group.finish();
    }
}

criterion_group!(benches, transform);
criterion_main!(benches);
