//! The chain of custody and an evidence item's file: a hand-over is dated
//! when it took place (as typed) and recorded when it was entered; the
//! item's holder; the attached file's name, type and size; writing the
//! file out, for those who may see the case.

use caravan_core::inputs::parse_moment;
use caravan_core::model::{EvidenceKind, Role};
use caravan_core::*;

use crate::util::*;

const HOUR: i64 = 60 * 60 * 1000;
const DAY: i64 = 24 * HOUR;

/// A phone seized by Det. Omarov two days before the tests' clock starts.
fn phone_seized_by_omarov() -> EvidenceInput {
    EvidenceInput {
        seized_at: Some(T0 - 2 * DAY),
        seized_by: Some("Det. Omarov".into()),
        ..seized(EvidenceKind::Phone, "S-0001")
    }
}

fn evidence_view(ws: &mut Workspace, case: &str, id: &str) -> view::EvidenceView {
    let shown = ws.show_case(case).unwrap();
    shown
        .evidence
        .into_iter()
        .find(|e| e.id.as_str() == id)
        .unwrap()
}

#[test]
fn a_hand_over_is_dated_as_typed_and_recorded_when_entered() {
    let dirs = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dirs.path());
    let case = open_case(&mut inv, "KZ-21", "Farm");
    let phone = inv.add_evidence(&case, phone_seized_by_omarov()).unwrap();
    // Handed to the lab yesterday; entered in the field today.
    let yesterday = T0 - DAY + 3 * HOUR;
    inv.transfer_custody(
        &case,
        &phone,
        CustodyInput {
            at: Some(yesterday),
            ..handover("Det. Omarov", "Forensic lab")
        },
    )
    .unwrap();
    let e = evidence_view(&mut inv, &case, &phone);
    let entry = &e.custody[0];
    assert_eq!(entry.at, yesterday);
    let recorded = entry.recorded_at.unwrap();
    assert!(recorded >= T0, "recorded at {recorded}, before the clock");
    assert_eq!(e.holder, "Forensic lab");
    // Without a moment, the hand-over is dated when it is recorded.
    inv.transfer_custody(&case, &phone, handover("Forensic lab", "Evidence room"))
        .unwrap();
    let e = evidence_view(&mut inv, &case, &phone);
    let now = &e.custody[1];
    assert!(now.at >= recorded && now.recorded_at >= Some(now.at));
}

#[test]
fn a_hand_over_in_the_future_or_before_the_seizure_is_refused_with_its_code() {
    let dirs = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dirs.path());
    let case = open_case(&mut inv, "KZ-22", "Farm");
    let phone = inv.add_evidence(&case, phone_seized_by_omarov()).unwrap();
    let before = inv.show_case(&case).unwrap();
    let logged = inv.audit_log(None).unwrap().len();
    let at = |at: i64| CustodyInput {
        at: Some(at),
        ..handover("Det. Omarov", "Forensic lab")
    };
    for (moment, code) in [
        (T0 + 2 * HOUR, "custody.in_future"),
        (T0 + 365 * DAY, "custody.in_future"),
        (i64::MAX, "custody.in_future"),
        (T0 - 2 * DAY - 60_000, "custody.before_seizure"),
        (0, "custody.before_seizure"),
    ] {
        let refused = inv.transfer_custody(&case, &phone, at(moment)).unwrap_err();
        assert_eq!(refused.code(), code, "{moment}");
        // Both messages are the person's to act on, in every language.
        assert_eq!(refused.kind(), ErrorKind::Rejected);
    }
    // Nothing was written: no hand-over, no audit entry (opening the case
    // above is the one read).
    let after = inv.show_case(&case).unwrap();
    assert_eq!(after.evidence, before.evidence);
    assert_eq!(inv.audit_log(None).unwrap().len(), logged + 1);
    // The moment of the seizure itself, and a minute ahead of this
    // device's clock (another device's clock), are accepted.
    inv.transfer_custody(&case, &phone, at(T0 - 2 * DAY))
        .unwrap();
    inv.transfer_custody(&case, &phone, at(T0 + 60_000))
        .unwrap();
    // An item with no seizure time only refuses the future.
    let other = inv
        .add_evidence(&case, seized(EvidenceKind::Document, "S-0002"))
        .unwrap();
    inv.transfer_custody(&case, &other, at(T0 - 400 * DAY))
        .unwrap();
}

#[test]
fn the_holder_is_the_recipient_of_the_hand_over_that_took_place_last() {
    let dirs = tempfile::tempdir().unwrap();
    let (mut admin, mut inv) = admin_and_investigator(dirs.path());
    let case = open_case(&mut inv, "KZ-23", "Farm");
    let phone = inv.add_evidence(&case, phone_seized_by_omarov()).unwrap();
    assert_eq!(evidence_view(&mut inv, &case, &phone).holder, "Det. Omarov");
    let hand = |from: &str, to: &str, at: i64| CustodyInput {
        at: Some(at),
        ..handover(from, to)
    };
    inv.transfer_custody(
        &case,
        &phone,
        hand("Forensic lab", "Evidence room", T0 - HOUR),
    )
    .unwrap();
    // Entered later, but it took place first.
    inv.transfer_custody(&case, &phone, hand("Det. Omarov", "Forensic lab", T0 - DAY))
        .unwrap();
    let e = evidence_view(&mut inv, &case, &phone);
    assert_eq!(e.holder, "Evidence room");
    let chain: Vec<&str> = e.custody.iter().map(|c| c.to.as_str()).collect();
    assert_eq!(chain, ["Forensic lab", "Evidence room"]);
    // Every device reads the same chain and holder.
    swap(&mut inv, &mut admin);
    assert_eq!(evidence_view(&mut admin, &case, &phone), e);
}

#[test]
fn an_attached_file_keeps_its_name_type_and_size() {
    let dirs = tempfile::tempdir().unwrap();
    let (mut admin, mut inv) = admin_and_investigator(dirs.path());
    let case = open_case(&mut inv, "KZ-24", "Farm");
    let phone = inv.add_evidence(&case, phone_seized_by_omarov()).unwrap();
    let file = dirs.path().join("seal receipt.pdf");
    std::fs::write(&file, b"%PDF-1.4 seal receipt").unwrap();
    let attached = inv.attach(&case, Some(&phone), &file).unwrap();
    assert_eq!(
        (
            attached.file_name.as_str(),
            attached.media_type.as_str(),
            attached.size
        ),
        ("seal receipt.pdf", "application/pdf", 21)
    );
    let expect = view::EvidenceAttachmentView {
        sha256: attached.sha256.clone(),
        file_name: Some("seal receipt.pdf".into()),
        media_type: Some("application/pdf".into()),
        size: Some(21),
    };
    assert_eq!(
        evidence_view(&mut inv, &case, &phone).attachment,
        Some(expect.clone())
    );
    // The case carries what the file is to every device (the file itself
    // stays in this vault): another device's Export says where it is.
    swap(&mut inv, &mut admin);
    assert_eq!(
        evidence_view(&mut admin, &case, &phone).attachment,
        Some(expect)
    );
    let out = dirs.path().join("copy.pdf");
    assert_eq!(
        admin
            .export_attachment(&case, &phone, &out)
            .unwrap_err()
            .code(),
        "core.attachment_elsewhere"
    );
    assert!(!out.exists());
}

#[test]
fn an_exported_file_is_the_attached_file_byte_for_byte_and_is_audited() {
    let dirs = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dirs.path());
    let case = open_case(&mut inv, "KZ-25", "Farm");
    let phone = inv.add_evidence(&case, phone_seized_by_omarov()).unwrap();
    // Several of the vault's chunks, and a part of one.
    let data: Vec<u8> = (0..200_003u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let file = dirs.path().join("Gulnara passport.jpg");
    std::fs::write(&file, &data).unwrap();
    let attached = inv.attach(&case, Some(&phone), &file).unwrap();
    std::fs::remove_file(&file).unwrap();
    let out = dirs.path().join("exported.jpg");
    let exported = inv.export_attachment(&case, &phone, &out).unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), data);
    assert_eq!(exported.sha256, attached.sha256);
    assert_eq!(exported.file_name, "Gulnara passport.jpg");
    // Nothing else was left beside it.
    let beside: Vec<String> = std::fs::read_dir(dirs.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("exported") || n.contains("partial"))
        .collect();
    assert_eq!(beside, ["exported.jpg"]);
    // Audited: which case, item and attachment; never the file's name
    // (it may name a person) or where the copy went.
    let log = inv.audit_log(None).unwrap();
    let row = log.iter().find(|r| r.action == "evidence.export").unwrap();
    assert!(row.detail.contains(case.as_str()), "{}", row.detail);
    assert!(row.detail.contains(&phone.to_string()), "{}", row.detail);
    for secret in ["Gulnara", "passport", "exported", "jpg"] {
        assert!(
            log.iter().all(|r| !r.detail.contains(secret)),
            "{secret} in the audit log"
        );
    }
    // A second copy to the same place replaces the first, whole.
    inv.export_attachment(&case, &phone, &out).unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), data);
    // No file, no export.
    let bare = inv
        .add_evidence(&case, seized(EvidenceKind::Document, "S-0002"))
        .unwrap();
    let none = dirs.path().join("none.bin");
    assert_eq!(
        inv.export_attachment(&case, &bare, &none)
            .unwrap_err()
            .code(),
        "core.not_found"
    );
    assert!(!none.exists());
}

#[test]
fn export_is_refused_to_a_member_without_access_to_the_case() {
    let dirs = tempfile::tempdir().unwrap();
    let (mut admin, mut inv) = admin_and_investigator(dirs.path());
    let mut dana = enrol(
        &mut admin,
        &dirs.path().join("dana"),
        "Dana",
        Role::Investigator,
    );
    let case = open_case(&mut inv, "KZ-26", "Farm");
    let phone = inv.add_evidence(&case, phone_seized_by_omarov()).unwrap();
    swap(&mut inv, &mut admin);
    // Dana is given the case, attaches the photo she took, and may write
    // it out.
    let (dana_id, _) = dana.me().unwrap();
    admin.grant(&case, &dana_id, true).unwrap();
    swap(&mut admin, &mut dana);
    let file = dirs.path().join("seal.png");
    std::fs::write(&file, b"\x89PNG seal").unwrap();
    dana.attach(&case, Some(&phone), &file).unwrap();
    let out = dirs.path().join("copy.png");
    dana.export_attachment(&case, &phone, &out).unwrap();
    std::fs::remove_file(&out).unwrap();
    // The case is taken from her: the file stays in her vault, but is no
    // longer hers to write out.
    admin.grant(&case, &dana_id, false).unwrap();
    swap(&mut admin, &mut dana);
    let logged = dana.audit_log(None).unwrap().len();
    assert_eq!(
        dana.export_attachment(&case, &phone, &out)
            .unwrap_err()
            .code(),
        "core.no_case_access"
    );
    assert!(!out.exists());
    assert_eq!(dana.audit_log(None).unwrap().len(), logged);
}

#[test]
fn a_moment_on_the_command_line_names_its_offset_from_utc() {
    const MARCH_1_0930_UTC: i64 = 1_772_357_400_000;
    for (typed, ms) in [
        ("2026-03-01T14:30+05:00", MARCH_1_0930_UTC),
        ("2026-03-01 09:30Z", MARCH_1_0930_UTC),
        ("2026-03-01T09:30:00z", MARCH_1_0930_UTC),
        ("2026-03-01T04:30-05:00", MARCH_1_0930_UTC),
        ("2024-02-29T00:00Z", 1_709_164_800_000),
        ("1969-12-31T23:59:59Z", -1000),
        ("1772357400000", MARCH_1_0930_UTC),
    ] {
        assert_eq!(parse_moment(typed), Ok(ms), "{typed}");
    }
    for typed in [
        "",
        "2026-03-01",
        "2026-03-01T14:30",
        "2026-02-30T10:00Z",
        "2026-03-01T24:00Z",
        "2026-03-01T14:60Z",
        "01.03.2026 14:30+05:00",
        "2026-03-01T14:30+5",
        "2026-03-01T1:30Z",
        "yesterday",
    ] {
        assert!(parse_moment(typed).is_err(), "{typed}");
    }
}
