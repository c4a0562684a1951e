//! Every decoder refuses damaged or random input with an error — never a
//! panic, never a partial change. A stable-Rust companion to the cargo-fuzz
//! targets under `fuzz/`.

use caravan_sync::bundle::{Limits, Recipient};
use caravan_sync::join::JoinRequest;
use caravan_sync::{DeviceKeys, ExpectedTeam, Replica, TeamId};
use proptest::prelude::*;

fn founder() -> Replica {
    Replica::found(
        DeviceKeys::from_secret_bytes(&[1; 32], &[2; 32]),
        "Unit",
        "Admin",
        "pc",
        0,
    )
    .unwrap()
}

/// A valid bundle and join material to mutate.
struct Seeds {
    bundle: Vec<u8>,
    request: String,
    package: Vec<u8>,
    team: ExpectedTeam,
}

fn seeds() -> Seeds {
    let mut admin = founder();
    let keys = DeviceKeys::from_secret_bytes(&[5; 32], &[6; 32]);
    let request = JoinRequest::new(&keys, "Investigator", "laptop");
    let package = admin
        .approve(&request, caravan_model::Role::Investigator, 0)
        .unwrap();
    let bundle = admin.export(&Recipient::AnyMember, 0).unwrap();
    Seeds {
        bundle,
        request: request.to_text(),
        package,
        team: admin.team_id().into(),
    }
}

fn mutate(base: &[u8], edits: &[(usize, u8)], cut: Option<usize>) -> Vec<u8> {
    let mut out = base.to_vec();
    for (at, byte) in edits {
        if !out.is_empty() {
            let i = at % out.len();
            out[i] ^= byte | 1;
        }
    }
    if let Some(c) = cut {
        out.truncate(c % (out.len() + 1));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_are_refused(data in prop::collection::vec(any::<u8>(), 0..512)) {
        let mut replica = founder();
        prop_assert!(replica.import(&data, &Limits::default()).is_err());
        prop_assert!(Replica::accept(DeviceKeys::from_secret_bytes(&[5; 32], &[6; 32]), &data, &ExpectedTeam::Id(TeamId([7; 16]))).is_err());
        let text = String::from_utf8_lossy(&data);
        prop_assert!(JoinRequest::from_text(&text).is_err());
        let mut session = caravan_sync::session::Session::new(&replica, None, 0).unwrap();
        prop_assert!(session.receive(&mut replica, &data).is_err());
        let _ = caravan_sync::session::frame_len(&data);
        let prefixed = format!("CARAVAN-JOIN1:{}", hex_of(&data));
        prop_assert!(JoinRequest::from_text(&prefixed).is_err());
    }

    #[test]
    fn damaged_inputs_are_refused(edits in prop::collection::vec((any::<usize>(), any::<u8>()), 1..4), cut in prop::option::of(any::<usize>())) {
        let s = seeds();
        let mut replica = founder();
        let heads = replica.heads("team");
        let bad = mutate(&s.bundle, &edits, cut);
        prop_assert!(replica.import(&bad, &Limits::default()).is_err());
        prop_assert_eq!(replica.heads("team"), heads);
        let bad_pkg = mutate(&s.package, &edits, cut);
        prop_assert!(Replica::accept(DeviceKeys::from_secret_bytes(&[5; 32], &[6; 32]), &bad_pkg, &s.team).is_err());
        let bad_req = mutate(s.request.as_bytes(), &edits, cut);
        if let Ok(text) = std::str::from_utf8(&bad_req) && text != s.request {
            prop_assert!(JoinRequest::from_text(text).is_err());
        }
    }
}

fn hex_of(data: &[u8]) -> String {
    data.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes the fuzzers' seed corpus (run by hand, see fuzz/README.md).
#[test]
#[ignore]
fn write_fuzz_seeds() {
    let s = seeds();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    for (target, bytes) in [
        ("bundle", s.bundle.clone()),
        ("join_request", s.request.into_bytes()),
        ("join_package", s.package.clone()),
    ] {
        let d = dir.join(target);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("valid"), bytes).unwrap();
    }
}
