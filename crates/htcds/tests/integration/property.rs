//! For random cases: no identity value in any file, every value one the
//! standard allows, and every class of k rows or more after suppression,
//! with every row the cases gave either exported or counted as withheld.

use caravan_htcds::TableKind;
use caravan_model::vocab::*;
use proptest::prelude::*;

use crate::common::*;
use crate::identities::assert_no_identity;
use crate::kanon::class_sizes;
use crate::values::assert_all_allowed;

fn pick<T: Copy + std::fmt::Debug + 'static>(all: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(all)
}

prop_compose! {
    fn a_victim()(
        sex in pick(Gender::ALL),
        age in proptest::option::of(0u64..90),
        citizenship in proptest::sample::select(&["KZ", "UZ", "KG", "XXA", "TJ", "RU"][..]),
        exploitation in proptest::collection::vec(pick(Exploitation::ALL), 0..3),
        control in proptest::collection::vec(pick(ControlMethod::ALL), 0..4),
        recruitment in proptest::collection::vec(pick(RecruitmentMethod::ALL), 0..3),
        n in 0u32..1_000_000,
    ) -> caravan_model::Victim {
        let mut v = victim();
        v.identity.full_name = format!("CANARY-NAME-{n}");
        v.identity.contact = Some(format!("CANARY-PHONE-{n}"));
        v.identity.document_numbers = Some(format!("CANARY-DOC-{n}"));
        v.pseudonym = format!("CANARY-PSEUDONYM-{n}");
        v.sex = sex;
        v.age_at_trafficking = age;
        v.citizenships = vec![citizenship.to_string()];
        v.exploitation = exploitation;
        v.control_methods = control;
        v.recruitment_methods = recruitment;
        v
    }
}

prop_compose! {
    fn a_case()(
        victims in proptest::collection::vec(a_victim(), 0..12),
        roles in proptest::collection::vec(pick(PerpetratorRole::ALL), 0..4),
        year in 0i64..4,
        country in proptest::sample::select(&["TR", "AE", "RU", "KZ"][..]),
    ) -> caravan_model::Case {
        let mut c = base();
        c.header.created_at += year * 31_536_000_000;
        c.header.title = "CANARY-TITLE".into();
        for (i, v) in victims.into_iter().enumerate() {
            c.victims.insert(format!("CANARYID-{i}"), v);
        }
        for (i, r) in roles.into_iter().enumerate() {
            let mut s = suspect();
            s.identity.full_name = "CANARY-SUSPECT".into();
            s.roles = vec![r];
            c.suspects.insert(format!("CANARYID-s{i}"), s);
        }
        let mut e = event(EventKind::Exploitation, country, &[]);
        e.place = "CANARY-PLACE".into();
        e.latitude_microdeg = Some(43_123_457);
        e.longitude_microdeg = Some(76_987_653);
        c.timeline.insert("CANARYID-e".into(), e);
        c
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_cases_leave_no_identity_and_every_class_meets_k(
        cases in proptest::collection::vec(a_case(), 0..8),
        k in 2u32..6,
    ) {
        let e = run(&cases, k);
        assert_no_identity(&e);
        assert_all_allowed(&e);
        for kind in [TableKind::Victims, TableKind::Perpetrators] {
            for size in class_sizes(&e, kind) {
                prop_assert!(size >= k as usize, "{kind:?}: a class of {size} < {k}");
            }
        }
        let victims: usize = cases.iter().map(|c| c.victims.len()).sum();
        let r = &e.report.victims;
        prop_assert_eq!(r.rows as usize, victims);
        prop_assert_eq!((r.exported + r.withheld) as usize, victims);
        prop_assert_eq!(r.exported as usize, e.victims.rows.len());
        let suspects: usize = cases.iter().map(|c| c.suspects.len()).sum();
        let p = &e.report.perpetrators;
        prop_assert_eq!((p.exported + p.withheld) as usize, suspects);
    }
}
