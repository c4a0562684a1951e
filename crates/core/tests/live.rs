//! Live sessions between two vaults, frames carried in memory: they
//! converge, an edit made while connected arrives through the same
//! session, a crash between frames loses nothing received, and a device
//! that is not an active one of the team is refused with a clear code.

use caravan_core::model::Role;
use caravan_core::*;

use crate::util::*;

const MAX_ROUNDS: usize = 100;

/// Shuttles frames until both sides are done and nothing is in transit;
/// a refusal names the side that refused.
fn pump(
    a: &mut Workspace,
    sa: &mut LiveSession,
    b: &mut Workspace,
    sb: &mut LiveSession,
) -> Result<(), (char, CoreError)> {
    for _ in 0..MAX_ROUNDS {
        let to_b = drain(a, sa).map_err(|e| ('a', e))?;
        let to_a = drain(b, sb).map_err(|e| ('b', e))?;
        if to_a.is_empty() && to_b.is_empty() && sa.is_done() && sb.is_done() {
            return Ok(());
        }
        for f in to_b {
            b.session_receive(sb, &f).map_err(|e| ('b', e))?;
        }
        for f in to_a {
            a.session_receive(sa, &f).map_err(|e| ('a', e))?;
        }
    }
    panic!("the session did not end within {MAX_ROUNDS} rounds");
}

fn drain(ws: &mut Workspace, s: &mut LiveSession) -> Result<Vec<Vec<u8>>, CoreError> {
    let mut out = Vec::new();
    while let Some(f) = ws.session_poll(s)? {
        out.push(f);
    }
    Ok(out)
}

fn title(ws: &mut Workspace, case: &CaseId) -> String {
    ws.show_case(case.as_str()).unwrap().title
}

#[test]
fn a_session_converges_and_is_recorded_per_member() {
    let dir = tempfile::tempdir().unwrap();
    let (mut admin, mut inv) = admin_and_investigator(dir.path());
    let case = open_case(&mut inv, "KZ-1", "Made on the investigator's laptop");
    let own = open_case(&mut admin, "KZ-2", "Made on the admin's laptop");
    let (mut sa, mut si) = (admin.session_start().unwrap(), inv.session_start().unwrap());
    pump(&mut admin, &mut sa, &mut inv, &mut si).unwrap();

    assert_eq!(
        title(&mut admin, &case),
        "Made on the investigator's laptop"
    );
    let peer = admin.session_peer(&sa).unwrap();
    assert_eq!(peer.name, "Aibek");
    assert_eq!(peer.member, inv.me().unwrap().0);
    let at_admin = admin.session_end(sa).unwrap();
    assert!(at_admin.docs_changed.contains(&case.to_string()));
    assert_eq!(at_admin.sender_name, "Aibek");
    inv.session_end(si).unwrap();
    // The investigator was not granted the admin's case.
    assert!(inv.show_case(own.as_str()).is_err());
    let peers = admin.peers().unwrap();
    let aibek = peers.iter().find(|p| p.name == "Aibek").unwrap();
    assert!(aibek.last_session_ms.is_some());
    assert_eq!(aibek.last_import_ms, None, "a session is not a bundle");
    // Each side logged what the session brought.
    let log = admin.audit_log(None).unwrap();
    assert!(log.iter().any(|r| r.action == "sync.session"));
}

#[test]
fn an_edit_made_while_connected_arrives_through_the_same_session() {
    let dir = tempfile::tempdir().unwrap();
    let (mut admin, mut inv) = admin_and_investigator(dir.path());
    let case = open_case(&mut inv, "KZ-1", "First title");
    let (mut sa, mut si) = (admin.session_start().unwrap(), inv.session_start().unwrap());
    pump(&mut admin, &mut sa, &mut inv, &mut si).unwrap();
    assert!(sa.is_done() && si.is_done());

    inv.set_field(case.as_str(), "header/title", "Edited while connected")
        .unwrap();
    let later = open_case(&mut inv, "KZ-3", "Opened while connected");
    pump(&mut admin, &mut sa, &mut inv, &mut si).unwrap();
    assert_eq!(title(&mut admin, &case), "Edited while connected");
    assert_eq!(title(&mut admin, &later), "Opened while connected");

    // And back: the admin's edit reaches the investigator.
    admin
        .set_field(case.as_str(), "header/title", "Corrected by the admin")
        .unwrap();
    pump(&mut admin, &mut sa, &mut inv, &mut si).unwrap();
    assert_eq!(title(&mut inv, &case), "Corrected by the admin");
}

/// The admin's vault goes away between two frames, without the session
/// being ended: what the frames before brought is there after unlock.
#[test]
fn a_crash_between_frames_loses_nothing_received() {
    let dir = tempfile::tempdir().unwrap();
    let (mut admin, mut inv) = admin_and_investigator(dir.path());
    let case = open_case(&mut inv, "KZ-1", "Must survive");
    let (mut sa, mut si) = (admin.session_start().unwrap(), inv.session_start().unwrap());
    let admin_dir = admin.vault_dir().to_path_buf();
    let mut arrived = false;
    'session: for _ in 0..MAX_ROUNDS {
        let to_inv = drain(&mut admin, &mut sa).unwrap();
        for f in drain(&mut inv, &mut si).unwrap() {
            admin.session_receive(&mut sa, &f).unwrap();
            if admin.show_case(case.as_str()).is_ok() {
                arrived = true;
                break 'session;
            }
        }
        for f in to_inv {
            inv.session_receive(&mut si, &f).unwrap();
        }
    }
    assert!(arrived, "the case never arrived");
    // No session_end, no lock: the process is gone.
    drop(sa);
    drop(admin);

    let mut admin = Workspace::unlock(&admin_dir, &pass(), &opts()).unwrap();
    assert_eq!(title(&mut admin, &case), "Must survive");
    // A new session with the same peer picks up where the first stopped.
    let (mut sa, mut si) = (admin.session_start().unwrap(), inv.session_start().unwrap());
    pump(&mut admin, &mut sa, &mut inv, &mut si).unwrap();
    assert!(admin.quarantine().unwrap().is_empty());
}

#[test]
fn a_revoked_device_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (mut admin, mut inv) = admin_and_investigator(dir.path());
    let mut other = enrol(
        &mut admin,
        &dir.path().join("b"),
        "Dana",
        Role::Investigator,
    );
    swap(&mut admin, &mut other);
    admin.revoke("Dana", Some("laptop lost".into())).unwrap();
    swap(&mut admin, &mut inv);

    for ws in [&mut admin, &mut inv] {
        let (mut s, mut so) = (ws.session_start().unwrap(), other.session_start().unwrap());
        let hello = other.session_poll(&mut so).unwrap().unwrap();
        ws.session_poll(&mut s).unwrap();
        let e = ws.session_receive(&mut s, &hello).unwrap_err();
        assert_eq!(e.code(), "sync.sender_revoked");
        assert!(ws.session_peer(&s).is_none());
    }
}

#[test]
fn a_device_of_another_team_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (mut admin, _) = admin_and_investigator(dir.path());
    let mut stranger = founder(&dir.path().join("stranger"), "Another unit");
    let (mut sa, mut ss) = (
        admin.session_start().unwrap(),
        stranger.session_start().unwrap(),
    );
    let (side, e) = pump(&mut admin, &mut sa, &mut stranger, &mut ss).unwrap_err();
    assert_eq!((side, e.code()), ('b', "sync.wrong_team"));
    assert!(admin.session_peer(&sa).is_none());
    // Nothing of the stranger's reached the admin.
    assert!(admin.quarantine().unwrap().is_empty());
}
