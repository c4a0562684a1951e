//! The product's scenarios through the application core, on real vaults:
//! enrolment without network, two investigators working one case offline
//! with a same-field conflict, bundles by file, the supervisor relaying to
//! the prosecutor, review and sign-off flowing back, and every vault
//! surviving a lock and unlock with nothing lost.

use caravan_core::model::{ItemStatus, Role, Stage};
use caravan_core::vault::Passphrase;
use caravan_core::*;

use crate::util::*;

fn member_id(ws: &Workspace, name: &str) -> String {
    ws.find_member(name).unwrap()
}

fn swap(
    from: &mut Workspace,
    to: &mut Workspace,
    recipient: &str,
) -> caravan_core::exchange::ImportSummary {
    let member = member_id(from, recipient);
    let (bundle, _) = from.export_bundle(Some(&member), &mut |_| {}).unwrap();
    to.import_bundle(&bundle, &mut |_| {}).unwrap()
}

struct Team {
    _dirs: tempfile::TempDir,
    sup: Workspace,
    ina: Workspace,
    inb: Workspace,
    pro: Workspace,
}

fn team() -> Team {
    let dirs = tempfile::tempdir().unwrap();
    let mut sup = create(&dirs.path().join("sup"));
    sup.found_team("Almaty TIP unit", "Saule", "office laptop")
        .unwrap();
    let ina = enrol(
        &mut sup,
        &dirs.path().join("a"),
        "Aibek",
        Role::Investigator,
    );
    let inb = enrol(&mut sup, &dirs.path().join("b"), "Dana", Role::Investigator);
    let pro = enrol(&mut sup, &dirs.path().join("p"), "Marat", Role::Prosecutor);
    Team {
        _dirs: dirs,
        sup,
        ina,
        inb,
        pro,
    }
}

#[test]
fn two_investigators_relay_and_review() {
    let mut t = team();
    // Everyone learns the whole team from the supervisor first.
    for name in ["Aibek", "Dana", "Marat"] {
        let member = member_id(&t.sup, name);
        let (b, _) = t.sup.export_bundle(Some(&member), &mut |_| {}).unwrap();
        let target = match name {
            "Aibek" => &mut t.ina,
            "Dana" => &mut t.inb,
            _ => &mut t.pro,
        };
        target.import_bundle(&b, &mut |_| {}).unwrap();
    }

    let case = t
        .ina
        .create_case(NewCaseInput {
            reference: "KZ-2026-0142".into(),
            title: "Construction site, Almaty region".into(),
            jurisdiction: "kz".into(),
        })
        .unwrap();
    let dana = member_id(&t.ina, "Dana");
    let marat = member_id(&t.sup, "Marat");
    // Dana sees Aibek's case once the supervisor grants it.
    t.sup
        .import_bundle(
            &t.ina
                .export_bundle(Some(&member_id(&t.ina, "Saule")), &mut |_| {})
                .unwrap()
                .0,
            &mut |_| {},
        )
        .unwrap();
    t.sup.grant(&case, &dana, true).unwrap();
    t.sup.grant(&case, &marat, true).unwrap();
    swap(&mut t.sup, &mut t.inb, "Dana");
    swap(&mut t.sup, &mut t.ina, "Aibek");
    assert_eq!(
        t.inb
            .list_cases(&CaseFilter::default())
            .unwrap()
            .cases
            .len(),
        1
    );

    // A week apart: Aibek adds a victim and ticks indicators; Dana logs
    // seized phones with a custody transfer; both retitle the case.
    let mut victim = PersonInput::new(PersonKind::Victim, "V-1", "Гульнара Ахмедова");
    victim.age_at_trafficking = Some(17);
    let v = t.ina.add_person(&case, victim).unwrap();
    t.ina
        .start_checklist(&case, "identification-labour", Some(&v))
        .unwrap();
    let labour = t
        .ina
        .checklists(&case, Some(Stage::Identification), "en")
        .unwrap();
    let labour = labour
        .iter()
        .find(|c| c.template_id == "identification-labour")
        .unwrap();
    assert_eq!(labour.person_id.as_ref(), Some(&v));
    let first = &labour.items[0];
    t.ina
        .set_item(
            &case,
            &labour.key,
            &first.id,
            ItemUpdate {
                status: ItemStatus::Done,
                reason: None,
                note: Some("seen at the site".into()),
                evidence_ids: vec![],
                interview_ids: vec![],
            },
        )
        .unwrap();
    let e = t
        .inb
        .add_evidence(
            &case,
            EvidenceInput {
                label: "Phone 1".into(),
                kind: caravan_core::model::EvidenceKind::Phone,
                description: "Samsung, cracked screen".into(),
                seized_at: None,
                seized_by: Some("Dana".into()),
                seized_from: Some("site office".into()),
                location: None,
                seal_number: Some("S-0001".into()),
            },
        )
        .unwrap();
    t.inb
        .transfer_custody(
            &case,
            &e,
            CustodyInput {
                from: "Dana".into(),
                to: "Forensic lab".into(),
                place: "Almaty".into(),
                at: None,
                seal_number: Some("S-0001".into()),
                purpose: Some("extraction".into()),
            },
        )
        .unwrap();
    t.ina
        .set_field(&case, "header/title", "Construction site, Kaskelen")
        .unwrap();
    t.inb
        .set_field(&case, "header/title", "Kaskelen construction site")
        .unwrap();

    // Back in the car: a bundle each way.
    let r1 = swap(&mut t.ina, &mut t.inb, "Dana");
    let r2 = swap(&mut t.inb, &mut t.ina, "Aibek");
    assert!(r1.applied > 0 && r2.applied > 0, "{r1:?} {r2:?}");
    assert!(r1.quarantined.is_empty() && r2.quarantined.is_empty());
    let a = t.ina.show_case(&case).unwrap();
    let b = t.inb.show_case(&case).unwrap();
    assert_eq!(a.people.len(), 1);
    assert_eq!(b.evidence[0].custody.len(), 1);
    assert_eq!(a.evidence, b.evidence);
    // No view carries a person's identity: the name is nowhere in it.
    let shown_person = serde_json::to_string(&a.people[0]).unwrap();
    assert!(!shown_person.contains("Гульнара"), "{shown_person}");
    // Both titles survive, with their authors, until someone decides.
    let conflicts = t.ina.conflicts(Some(&case), false).unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    let c = &conflicts[0];
    assert_eq!(c.path, "header/title");
    let mut authors: Vec<&str> = c.values.iter().map(|v| v.author_name.as_str()).collect();
    authors.sort();
    assert_eq!(authors, ["Aibek", "Dana"]);
    let keep = c
        .values
        .iter()
        .find(|v| v.author_name == "Dana")
        .unwrap()
        .choice
        .clone();
    t.ina.resolve(&case, "header/title", &keep).unwrap();
    assert!(t.ina.conflicts(Some(&case), false).unwrap().is_empty());
    swap(&mut t.ina, &mut t.inb, "Dana");
    assert_eq!(
        t.inb.show_case(&case).unwrap().title,
        "Kaskelen construction site"
    );

    // The supervisor relays to the prosecutor, who reviews and signs off.
    swap(&mut t.ina, &mut t.sup, "Saule");
    swap(&mut t.sup, &mut t.pro, "Marat");
    let seen = t.pro.show_case(&case).unwrap();
    assert_eq!(seen.evidence.len(), 1);
    assert_eq!(seen.people.len(), 1);
    let denied = t
        .pro
        .add_person(&case, PersonInput::new(PersonKind::Witness, "W", "X"));
    assert_eq!(denied.unwrap_err().code(), "policy.denied");
    t.pro
        .review_request(
            &case,
            Some(Stage::Interviews),
            "Two more interviews, please",
        )
        .unwrap();
    // A stage is signed off once it is open.
    let early = t
        .pro
        .review_signoff(&case, Stage::Identification, "Identification is sound");
    assert_eq!(early.unwrap_err().code(), "review.stage_not_started");
    swap(&mut t.pro, &mut t.sup, "Saule");
    swap(&mut t.sup, &mut t.ina, "Aibek");
    t.ina.open_stage(&case, Stage::Identification).unwrap();
    swap(&mut t.ina, &mut t.sup, "Saule");
    swap(&mut t.sup, &mut t.pro, "Marat");
    t.pro
        .review_signoff(&case, Stage::Identification, "Identification is sound")
        .unwrap();
    swap(&mut t.pro, &mut t.sup, "Saule");
    swap(&mut t.sup, &mut t.ina, "Aibek");
    let back = t.ina.show_case(&case).unwrap();
    assert_eq!(back.review.len(), 2);

    // The supervisor's report and audit.
    let report = t.sup.progress_report().unwrap();
    assert_eq!(report.cases.len(), 1);
    assert_eq!(report.quarantined_changes, 0);
    t.sup.audit_verify().unwrap();

    // Reveal is audited; the name never appears in a masked view.
    let shown = serde_json::to_string(&t.ina.show_case(&case).unwrap()).unwrap();
    assert!(!shown.contains("Гульнара"));
    assert_eq!(
        t.ina.reveal(&case, &v).unwrap().full_name(),
        "Гульнара Ахмедова"
    );
    // At the edge it becomes JSON with the fields the window declares.
    let json = t.ina.reveal(&case, &v).unwrap().into_json();
    assert_eq!(json["full_name"], "Гульнара Ахмедова");
    revealed_fields_are_declared(&json);
    let log = t.ina.audit_log(None).unwrap();
    assert!(log.iter().any(|e| e.action == "person.reveal"));

    // Search across alphabets finds the case.
    let hits = t
        .ina
        .list_cases(&CaseFilter {
            query: Some("Gulnara Akhmedova".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(hits.cases.len(), 1);
    // Finding 9: the search is audited, by a fingerprint, never the words.
    let log = t.ina.audit_log(None).unwrap();
    let search = log.iter().rfind(|e| e.action == "case.search").unwrap();
    let fingerprint =
        caravan_core::search_fingerprint(&caravan_model::search::fold("Gulnara Akhmedova"));
    assert!(search.detail.contains(&fingerprint), "{}", search.detail);
    assert!(search.detail.contains("1 cases matched"));
    assert!(!search.detail.to_lowercase().contains("gulnara"));

    // Every vault keeps everything across lock and unlock.
    let before = serde_json::to_value(t.ina.show_case(&case).unwrap()).unwrap();
    let mut ina = reopen(t.ina);
    let after = serde_json::to_value(ina.show_case(&case).unwrap()).unwrap();
    assert_eq!(before, after);
    ina.audit_verify().unwrap();
    // And it can still export (signatures were stored with the changes).
    let dana_id = member_id(&ina, "Dana");
    ina.export_bundle(Some(&dana_id), &mut |_| {}).unwrap();
}

#[test]
fn a_refused_bundle_changes_nothing() {
    let mut t = team();
    let case = t
        .sup
        .create_case(NewCaseInput {
            reference: "KZ-1".into(),
            title: "t".into(),
            jurisdiction: "KZ".into(),
        })
        .unwrap();
    let aibek = member_id(&t.sup, "Aibek");
    t.sup.grant(&case, &aibek, true).unwrap();
    let (bundle, _) = t.sup.export_bundle(Some(&aibek), &mut |_| {}).unwrap();
    let before = t.ina.audit_log(None).unwrap().len();
    for i in [20, bundle.len() / 2, bundle.len() - 1] {
        let mut bad = bundle.clone();
        bad[i] ^= 0x40;
        let err = t.ina.import_bundle(&bad, &mut |_| {}).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Verification, "{}", err.code());
    }
    let err = t
        .ina
        .import_bundle(&bundle[..bundle.len() / 3], &mut |_| {})
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Verification);
    assert!(
        t.ina
            .list_cases(&CaseFilter::default())
            .unwrap()
            .cases
            .is_empty()
    );
    assert_eq!(t.ina.audit_log(None).unwrap().len(), before);
    // The intact bundle still imports, and importing it again is harmless.
    t.ina.import_bundle(&bundle, &mut |_| {}).unwrap();
    let again = t.ina.import_bundle(&bundle, &mut |_| {}).unwrap();
    assert_eq!(again.applied, 0);
    assert_eq!(
        t.ina
            .list_cases(&CaseFilter::default())
            .unwrap()
            .cases
            .len(),
        1
    );
}

#[test]
fn wrong_secrets_and_a_busy_vault_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = create(&dir.path().join("v"));
    ws.found_team("T", "Admin", "laptop").unwrap();
    let busy = Workspace::unlock(&dir.path().join("v"), &pass(), &opts()).unwrap_err();
    assert_eq!(busy.code(), "vault.in_use");
    assert_eq!(busy.kind(), ErrorKind::InUse);
    ws.lock();
    let wrong = Workspace::unlock(
        &dir.path().join("v"),
        &Passphrase::new("not the passphrase at all".into()),
        &opts(),
    )
    .unwrap_err();
    assert_eq!(wrong.code(), "vault.wrong_passphrase");
    assert_eq!(wrong.kind(), ErrorKind::WrongSecret);
    let not_vault = Workspace::unlock(dir.path(), &pass(), &opts()).unwrap_err();
    assert_eq!(not_vault.code(), "vault.not_a_vault");
}

#[test]
fn the_demo_story_leaves_five_consistent_vaults() {
    let dir = tempfile::tempdir().unwrap();
    let mut out = Vec::new();
    caravan_core::demo::run(dir.path(), 7, &mut out).unwrap();
    let told = String::from_utf8(out).unwrap();
    assert_eq!(told.matches("chain intact").count(), 5, "{told}");
    assert!(told.contains("conflict on header/title"), "{told}");
    let pass = Passphrase::new(caravan_core::demo::DEMO_PASSPHRASE.into());
    let mut titles = Vec::new();
    for who in [
        "supervisor",
        "investigator-aibek",
        "investigator-dana",
        "prosecutor-marat",
    ] {
        let mut ws = Workspace::unlock(&dir.path().join(who), &pass, &opts()).unwrap();
        let list = ws.list_cases(&CaseFilter::default()).unwrap();
        assert_eq!(list.cases.len(), 1, "{who}");
        titles.push(ws.show_case(&list.cases[0].id).unwrap().title);
        // Every member's map shows the route: recruited in Jizzakh (UZ),
        // across the border at Zhibek Zholy, exploited in Kaskelen (KZ).
        let routes = ws.routes(&RoutesOptions::default()).unwrap();
        let route = &routes.cases[0];
        let countries: Vec<_> = route
            .places
            .iter()
            .map(|p| (p.stage.id(), p.country.as_deref(), p.position().is_some()))
            .collect();
        assert_eq!(
            countries,
            [
                ("recruitment", Some("UZ"), true),
                ("transit", Some("KZ"), true),
                ("exploitation", Some("KZ"), true)
            ],
            "{who}"
        );
        assert_eq!(route.legs.len(), 2);
        assert_eq!(route.legs[0].crosses_border, Some(true));
        ws.audit_verify().unwrap();
    }
    // The admin's membership founded the team and enrolled the others.
    let mut admin = Workspace::unlock(&dir.path().join("admin"), &pass, &opts()).unwrap();
    admin.audit_verify().unwrap();
    assert_eq!(admin.team_view().unwrap().members.len(), 5);
    titles.dedup();
    assert_eq!(titles.len(), 1, "{titles:?}");
    // The same folder is never overwritten.
    let again = caravan_core::demo::run(dir.path(), 7, &mut Vec::new()).unwrap_err();
    assert_eq!(again.code(), "core.invalid");
}

#[test]
fn a_reply_teaches_the_sender_what_the_peer_holds() {
    let mut t = team();
    let case = t
        .sup
        .create_case(NewCaseInput {
            reference: "KZ-7".into(),
            title: "t".into(),
            jurisdiction: "KZ".into(),
        })
        .unwrap();
    let aibek = member_id(&t.sup, "Aibek");
    t.sup.grant(&case, &aibek, true).unwrap();
    let first = swap(&mut t.sup, &mut t.ina, "Aibek");
    assert!(first.applied > 0);
    // Aibek has nothing new, but his reply carries his heads...
    swap(&mut t.ina, &mut t.sup, "Saule");
    // ...so the next bundle for him holds no change at all.
    let again = swap(&mut t.sup, &mut t.ina, "Aibek");
    assert_eq!((again.applied, again.already_had), (0, 0), "{again:?}");
}

#[test]
fn finding_4_joining_needs_the_team_fingerprint_and_a_refused_package_leaves_no_team() {
    let dirs = tempfile::tempdir().unwrap();
    let mut sup = create(&dirs.path().join("sup"));
    let ours = sup
        .found_team("Almaty TIP unit", "Saule", "office")
        .unwrap();
    let mut other = create(&dirs.path().join("other"));
    let theirs = other.found_team("Other unit", "Someone", "pc").unwrap();
    assert_eq!(ours.fingerprint.len(), 6 * 5 + 5);
    assert_ne!(ours.fingerprint, theirs.fingerprint);

    let mut ws = create(&dirs.path().join("new"));
    let request = ws.join_request("Aibek", "laptop").unwrap();
    let package = sup.approve_join(&request, Role::Investigator).unwrap();
    let code = |r: Result<team::TeamView>| r.unwrap_err().code();
    assert_eq!(code(ws.accept_join(&package, "  ")), "core.invalid");
    assert_eq!(code(ws.accept_join(&package, "12345 678")), "core.invalid");
    assert_eq!(
        code(ws.accept_join(&package, &theirs.fingerprint)),
        "sync.wrong_team"
    );
    assert_eq!(
        code(ws.accept_join(&package, &theirs.id)),
        "sync.wrong_team"
    );
    // Nothing was stored: the device is still waiting, with its request.
    let mut ws = reopen(ws);
    assert_eq!(ws.team_view().unwrap_err().code(), "core.no_team");
    assert_eq!(ws.pending_join_request().unwrap(), Some(request));
    // As read aloud from the admin's screen, with or without the spaces.
    let joined = ws
        .accept_join(&package, &ours.fingerprint.replace(' ', ""))
        .unwrap();
    assert_eq!((joined.id, joined.fingerprint), (ours.id, ours.fingerprint));
    let ws = reopen(ws);
    assert_eq!(ws.me().unwrap().1, Role::Investigator);
}

/// The keys `RevealedIdentity::into_json` writes are the fields of the
/// window's `RevealedIdentity` type (generated from the struct).
fn revealed_fields_are_declared(json: &serde_json::Value) {
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "address",
            "birth_date",
            "contact",
            "document_numbers",
            "full_name",
            "other_names"
        ]
    );
    #[cfg(feature = "ts")]
    {
        use ts_rs::TS;
        let decl = caravan_core::RevealedIdentity::decl(&ts_rs::Config::new());
        for key in keys {
            assert!(decl.contains(&format!("{key}:")), "{key} not in {decl}");
        }
    }
}
