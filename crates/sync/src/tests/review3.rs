//! Third review of per-case keys (wraps without signatures of their own,
//! keys kept in memory) and audit heads, played by a member with a valid
//! device key. Each test failed on the build it reviewed, and holds the fix.

use super::fixture::*;
use crate::case_keys::{Wrap, case_bytes};
use crate::identity::DeviceId;
use crate::replica::Replica;

/// A wrap by `r` to `recipient` of no key at all: the largest key id at
/// the last epoch, and 104 random bytes where the sealed key goes. It
/// passes `check_wraps` (writer = author, own slot, 104 bytes, recipient
/// in the team): nothing there asks that it opens.
fn unopenable_wrap(r: &mut Replica, case: &str, recipient: DeviceId) {
    let wrap = Wrap {
        case: case_bytes(case).unwrap(),
        epoch: u32::MAX,
        key_id: [0xff; 16],
        recipient,
        writer: r.device(),
        sealed: crate::crypto::random::<104>().unwrap().to_vec(),
        mac: [0; 32],
    };
    r.write_wraps(&[wrap], T0).unwrap();
}

// ---------------------------------------------------------------------
// 1. Review 2's fix (a device sends under the newest key sealed TO IT)
//    is bypassed by sealing the unbeatable key to the victim instead of
//    to oneself: a wrap that does not open, at epoch u32::MAX with id
//    ff..ff, makes the victim rotate at every export, for ever.
// ---------------------------------------------------------------------

#[test]
fn review3_an_unopenable_wrap_at_the_last_epoch_sealed_to_a_device_does_not_make_it_rotate_at_every_export()
 {
    let (mut t, c1) = shared();
    // B, granted c1, writes one wrap to the admin and one to A: no key
    // behind them, no grinding needed (the id is any 16 bytes it likes).
    let (admin, a) = (t.admin.device(), t.inv_a.device());
    unopenable_wrap(&mut t.inv_b, &c1, admin);
    unopenable_wrap(&mut t.inv_b, &c1, a);
    let report = send(&mut t.inv_b, &mut t.admin);
    assert!(report.quarantined.is_empty(), "{:?}", codes(&report));
    // The admin cannot open the "newest key sealed to it": it makes the
    // next epoch, which saturates at u32::MAX and ranks below ff..ff.
    // Once is expected; after that nothing changed, and nothing should.
    assert_no_rotation_at_every_export(
        &mut t,
        &c1,
        ": two wraps of B's make the admin and A rotate for ever, and the team \
         document grows with each export",
    );
}
