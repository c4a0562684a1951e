//! Finding 4 of the trust review: a join package's team history was taken
//! as it came, without checking its changes' signatures or the policy, and
//! the team id was optional. Each test crafts the package a member could
//! write, its changes and the package signed with real device keys.

use automerge::{AutoCommit, ReadDoc};
use caravan_model::Role;

use super::fixture::*;
use crate::error::SyncError;
use crate::identity::{DeviceKeys, PublicDevice};
use crate::join::{JoinRequest, PackageBody, write_package};
use crate::keys::TeamKey;
use crate::replica::Replica;
use crate::team::{ExpectedTeam, TEAM_DOC_ID, Team as TeamDocument, TeamId};

/// A copy of `r`'s team document for a modified client to write to, as
/// `actor` (by default `r`'s own device).
fn fork(r: &Replica, actor: Option<automerge::ActorId>) -> TeamDocument {
    let actor = actor.unwrap_or_else(|| r.device().actor());
    TeamDocument::from_automerge(r.team.automerge().clone().with_actor(actor))
}

/// Sets `member`'s role with raw Automerge, bypassing every local check.
fn set_role_raw(team: &mut TeamDocument, member: &str, role: Role) {
    let doc = team.automerge_mut();
    let (_, members) = doc.get(automerge::ROOT, "members").unwrap().unwrap();
    let (_, m) = doc.get(&members, member).unwrap().unwrap();
    autosurgeon::reconcile_prop(doc, &m, "role", role).unwrap();
    doc.commit();
}

/// A package holding `team`, every signature `signer` knows plus `signed`
/// (each change of `team` `signer` lacks, signed by `signer`'s key), and
/// the team keys `signer` holds; sealed to `to` and signed by `signer`'s
/// device key.
fn package(signer: &Replica, team: &mut TeamDocument, to: &PublicDevice) -> Vec<u8> {
    let team_id = signer.team_id();
    let doc: &mut AutoCommit = team.automerge_mut();
    let signatures = doc
        .get_changes(&[])
        .iter()
        .map(|c| {
            let sig = signer
                .signatures
                .get(&c.hash())
                .copied()
                .unwrap_or_else(|| {
                    signer.keys.sign(&crate::trust::change_message(
                        &team_id,
                        TEAM_DOC_ID,
                        &c.hash(),
                    ))
                });
            (c.hash().0, sig.to_vec())
        })
        .collect();
    let body = PackageBody {
        team_id,
        team_doc: doc.save(),
        signatures,
        keys: signer
            .team_keys
            .values()
            .map(|k| (k.epoch, *k.secret_bytes()))
            .collect(),
    };
    write_package(&signer.keys, to, &body).unwrap()
}

/// Enrols `newcomer` in `team` as `author` (whose role in `team` must be
/// admin for the local checks to let it), sealing epoch 1 to it.
fn enrol_raw(team: &mut TeamDocument, author: &DeviceKeys, newcomer: &PublicDevice, key: &TeamKey) {
    let member = team
        .add_member(author, "Newcomer", Role::Investigator, T0)
        .unwrap();
    team.enrol_device(author, &member, newcomer, "laptop", key, T0)
        .unwrap();
}

/// The refusal of a package whose history fails a change's check, with
/// that check's code.
fn untrusted(err: SyncError) -> String {
    match err {
        SyncError::UntrustedHistory { reason, .. } => {
            assert_eq!(
                SyncError::UntrustedHistory {
                    reason: reason.clone(),
                    detail: String::new()
                }
                .code(),
                "sync.untrusted_history"
            );
            reason
        }
        other => panic!(
            "expected sync.untrusted_history, got {}: {other}",
            other.code()
        ),
    }
}

#[test]
fn finding_4_a_member_making_itself_admin_in_a_join_package_is_refused() {
    let t = team();
    // Investigator A writes itself an admin in its copy of the team
    // document, enrols a new device as that "admin", and signs the package.
    let newcomer = DeviceKeys::generate().unwrap();
    let mut forged = fork(&t.inv_a, None);
    set_role_raw(&mut forged, &member(&t.inv_a), Role::Admin);
    let key = t.inv_a.team_key(1).unwrap().clone();
    enrol_raw(&mut forged, &t.inv_a.keys, &newcomer.public(), &key);
    let package = package(&t.inv_a, &mut forged, &newcomer.public());
    let err = Replica::accept(newcomer, &package, &t.admin.team_id().into()).unwrap_err();
    assert_eq!(untrusted(err), "policy.denied");
    // The honest team is as it was.
    assert_eq!(t.admin.me().unwrap().1, Role::Admin);
    assert_eq!(t.inv_a.me().unwrap().1, Role::Investigator);
}

#[test]
fn finding_4_a_change_with_a_bad_signature_in_a_join_package_is_refused() {
    let t = team();
    // A writes "A is an admin" under the admin's actor, which only the
    // admin's key can sign: A signs it with its own.
    let newcomer = DeviceKeys::generate().unwrap();
    let mut forged = fork(&t.inv_a, Some(t.admin.device().actor()));
    set_role_raw(&mut forged, &member(&t.inv_a), Role::Admin);
    let mut forged = TeamDocument::from_automerge(
        forged
            .automerge()
            .clone()
            .with_actor(t.inv_a.device().actor()),
    );
    let key = t.inv_a.team_key(1).unwrap().clone();
    enrol_raw(&mut forged, &t.inv_a.keys, &newcomer.public(), &key);
    let package = package(&t.inv_a, &mut forged, &newcomer.public());
    let err = Replica::accept(newcomer, &package, &t.admin.team_id().into()).unwrap_err();
    assert_eq!(untrusted(err), "sync.bad_change_signature");
}

#[test]
fn finding_4_a_non_admin_adding_members_in_a_join_package_is_refused() {
    let t = team();
    // A adds a member with the admin role and a device it controls, which
    // then signs a package as "an admin of the team".
    let accomplice = DeviceKeys::generate().unwrap();
    let newcomer = DeviceKeys::generate().unwrap();
    let mut forged = fork(&t.inv_a, None);
    {
        let accomplice_id = accomplice.id().to_hex();
        let doc = forged.automerge_mut();
        let (_, members) = doc.get(automerge::ROOT, "members").unwrap().unwrap();
        autosurgeon::reconcile_prop(
            doc,
            &members,
            "feedfacefeedface",
            &crate::team::Member {
                name: "Accomplice".into(),
                role: Role::Admin,
                added_at: T0,
                added_by: member(&t.inv_a),
            },
        )
        .unwrap();
        let (_, devices) = doc.get(automerge::ROOT, "devices").unwrap().unwrap();
        autosurgeon::reconcile_prop(
            doc,
            &devices,
            accomplice_id.as_str(),
            &crate::team::Device {
                member: "feedfacefeedface".into(),
                agreement: hex::encode(accomplice.agreement_public()),
                label: "pc".into(),
                enrolled_at: T0,
                enrolled_by: member(&t.inv_a),
            },
        )
        .unwrap();
        doc.commit();
    }
    // A signs its change; the accomplice's device enrols the newcomer and
    // signs the package.
    let mut signer = Replica::assemble(
        DeviceKeys::from_bytes(&accomplice.to_secret_bytes()),
        t.inv_a.team_id(),
        forged.clone(),
        [t.inv_a.team_key(1).unwrap().clone()],
    );
    let team_id = t.inv_a.team_id();
    for c in forged.automerge_mut().get_changes(&[]) {
        let sig = t
            .inv_a
            .signatures
            .get(&c.hash())
            .copied()
            .unwrap_or_else(|| {
                t.inv_a.keys.sign(&crate::trust::change_message(
                    &team_id,
                    TEAM_DOC_ID,
                    &c.hash(),
                ))
            });
        signer.signatures.insert(c.hash(), sig);
    }
    let key = t.inv_a.team_key(1).unwrap().clone();
    let mut forged = TeamDocument::from_automerge(
        forged
            .automerge()
            .clone()
            .with_actor(accomplice.id().actor()),
    );
    enrol_raw(&mut forged, &accomplice, &newcomer.public(), &key);
    let package = package(&signer, &mut forged, &newcomer.public());
    let err = Replica::accept(newcomer, &package, &t.admin.team_id().into()).unwrap_err();
    assert_eq!(untrusted(err), "policy.denied");
}

#[test]
fn finding_4_a_package_for_another_team_is_refused() {
    let t = team();
    let mut other = other_team();
    let keys = DeviceKeys::generate().unwrap();
    let request = JoinRequest::new(&keys, "Newcomer", "laptop");
    let package = other.approve(&request, Role::Investigator, T0).unwrap();
    let ours: ExpectedTeam = t.admin.team_id().into();
    let copy = || DeviceKeys::from_bytes(&keys.to_secret_bytes());
    let err = Replica::accept(copy(), &package, &ours).unwrap_err();
    assert_eq!(err.code(), "sync.wrong_team");
    // By fingerprint too: the one the admin reads out names its team only.
    let ours = ExpectedTeam::parse(&t.admin.team_id().fingerprint()).unwrap();
    let err = Replica::accept(copy(), &package, &ours).unwrap_err();
    assert_eq!(err.code(), "sync.wrong_team");
    // A package that claims our team id over another team's history, every
    // change signed for our team id by its author.
    let theirs = other.team_id();
    let ours_id = t.admin.team_id();
    let mut history = other.team.automerge().clone();
    let signatures = history
        .get_changes(&[])
        .iter()
        .map(|c| {
            let m = crate::trust::change_message(&ours_id, TEAM_DOC_ID, &c.hash());
            (c.hash().0, other.keys.sign(&m).to_vec())
        })
        .collect();
    let body = PackageBody {
        team_id: ours_id,
        team_doc: history.save(),
        signatures,
        keys: other
            .team_keys
            .values()
            .map(|k| (k.epoch, *k.secret_bytes()))
            .collect(),
    };
    let package = write_package(&other.keys, &keys.public(), &body).unwrap();
    let ours: ExpectedTeam = t.admin.team_id().into();
    let err = Replica::accept(copy(), &package, &ours).unwrap_err();
    assert_eq!(untrusted(err), "sync.foreign_team_root");
    assert_ne!(theirs, t.admin.team_id());
}

#[test]
fn finding_4_an_honest_package_is_accepted_by_team_id_or_fingerprint() {
    let mut t = team();
    let id = t.admin.team_id();
    for expected in [
        ExpectedTeam::from(id),
        ExpectedTeam::parse(&id.to_hex().to_uppercase()).unwrap(),
        ExpectedTeam::parse(&id.fingerprint()).unwrap(),
        ExpectedTeam::parse(&id.fingerprint().replace(' ', "-")).unwrap(),
    ] {
        let keys = DeviceKeys::generate().unwrap();
        let request = JoinRequest::new(&keys, "Newcomer", "laptop");
        let package = t.admin.approve(&request, Role::Prosecutor, T0).unwrap();
        let mut joined = Replica::accept(keys, &package, &expected).unwrap();
        assert_eq!(joined.me().unwrap().1, Role::Prosecutor);
        assert_eq!(joined.heads(TEAM_DOC_ID), t.admin.heads(TEAM_DOC_ID));
        assert!(
            joined
                .team_key(1)
                .unwrap()
                .same_key(t.admin.team_key(1).unwrap())
        );
        // Every change it holds carries a verified signature, so it relays.
        send(&mut joined, &mut t.inv_a);
    }
}

#[test]
fn team_fingerprints_read_aloud_parse_and_refuse_typos() {
    let id = TeamId([0x5a; 16]);
    let fp = id.fingerprint();
    assert_eq!(fp.split(' ').count(), 6);
    assert!(fp.split(' ').all(|g| g.len() == 5));
    assert!(ExpectedTeam::parse(&fp).unwrap().matches(&id));
    assert!(
        !ExpectedTeam::parse(&fp)
            .unwrap()
            .matches(&TeamId([0x5b; 16]))
    );
    let typo = format!(
        "{}{}",
        if fp.starts_with('1') { '2' } else { '1' },
        &fp[1..]
    );
    assert!(!ExpectedTeam::parse(&typo).unwrap().matches(&id));
    for bad in [
        "",
        "12345",
        "99999 99999 99999 99999 99999 99999",
        "zz",
        &fp[..fp.len() - 1],
    ] {
        assert_eq!(ExpectedTeam::parse(bad), None, "{bad:?}");
    }
}
