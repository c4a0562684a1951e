//! A case's route and network as a malicious member would write them:
//! coordinates off the globe, a forged identifier kind, a value that is no
//! text, and an identifier value or group role written by a prosecutor.
//! Every attack is a change crafted with raw Automerge, signed with the
//! attacker's real device key and sent in an ordinary bundle; it is
//! quarantined on the receiving device, which keeps the case as it was.

use automerge::ScalarValue;
use caravan_model::*;

use super::fixture::*;
use crate::replica::Replica;
use crate::trust::BAD_VALUE;

fn event(by: &str) -> Record {
    Record::Timeline(TimelineEvent {
        kind: EventKind::Transit,
        date: None,
        place: "Korday".into(),
        country: Some("KZ".into()),
        description: "crossed by bus".into(),
        person_ids: vec![],
        recorded_at: T0,
        recorded_by: by.into(),
        latitude_microdeg: Some(43_238_949),
        longitude_microdeg: Some(76_889_709),
        crosses_border: Some(true),
        border_point: Some("Korday checkpoint".into()),
        transport: Some(TransportMode::Road),
    })
}

fn identifier(by: &str) -> Record {
    Record::Identifier(Identifier {
        kind: IdentifierKind::Phone,
        value: "+996 555 123 456".into(),
        platform: Some("WhatsApp".into()),
        person_id: Some("v1".into()),
        source: None,
        note: None,
        recorded_at: T0,
        recorded_by: by.into(),
    })
}

/// A's case c1 with an event ev1 and an identifier id1, held by the admin
/// and the prosecutor.
fn shared_route() -> (Team, String) {
    let (mut t, c1) = shared();
    let a = member(&t.inv_a);
    for (id, record) in [("ev1", event(&a)), ("id1", identifier(&a))] {
        t.inv_a
            .edit_case(
                &c1,
                Edit::Insert {
                    id: id.into(),
                    record,
                },
                T0,
                catalog(),
            )
            .unwrap();
    }
    send(&mut t.inv_a, &mut t.admin);
    send(&mut t.admin, &mut t.prosecutor);
    (t, c1)
}

/// Plants in `r`'s copy of `case` a change that puts `value` at `path`,
/// crafted and signed with `r`'s key.
fn forged_by(r: &mut Replica, case: &str, path: &[&str], value: ScalarValue) {
    let c = craft(
        r,
        case,
        |d| {
            use automerge::ReadDoc;
            use automerge::transaction::Transactable;
            let (last, parents) = path.split_last().unwrap();
            let obj = parents
                .iter()
                .fold(automerge::ROOT, |o, k| d.get(&o, *k).unwrap().unwrap().1);
            d.put(&obj, *last, value).unwrap();
        },
        |_| {},
    );
    plant(r, case, &c);
}

#[test]
fn a_wrong_coordinate_kind_or_value_is_refused_and_the_case_stays_as_it_was() {
    let rows: [(&str, &[&str], ScalarValue); 5] = [
        (
            "latitude past the pole",
            &["timeline", "ev1", "latitude_microdeg"],
            ScalarValue::Int(95_000_000),
        ),
        (
            "longitude as a float",
            &["timeline", "ev1", "longitude_microdeg"],
            ScalarValue::F64(76.9),
        ),
        (
            "transport by its id",
            &["timeline", "ev1", "transport"],
            ScalarValue::Str("road".into()),
        ),
        (
            "identifier kind outside the list",
            &["identifiers", "id1", "kind"],
            ScalarValue::Str("Sms".into()),
        ),
        (
            "identifier value as a number",
            &["identifiers", "id1", "value"],
            ScalarValue::Int(996_555),
        ),
    ];
    for (what, path, value) in rows {
        let (mut t, c1) = shared_route();
        let before = case_of(&t.admin, &c1);
        forged_by(&mut t.inv_a, &c1, path, value);
        let report = send(&mut t.inv_a, &mut t.admin);
        assert_eq!(codes(&report), [BAD_VALUE], "{what}");
        let message = &report.quarantined[0].message;
        assert!(message.contains(&path.join("/")), "{what}: {message}");
        assert!(!message.contains("996 555"), "{what}: {message}");
        assert_eq!(case_of(&t.admin, &c1), before, "{what}");
    }
}

#[test]
fn a_prosecutor_writing_an_identifier_value_or_moving_an_event_is_refused() {
    let rows: [(&str, &[&str], ScalarValue); 3] = [
        (
            "identifier value",
            &["identifiers", "id1", "value"],
            ScalarValue::Str("+996 700 000 000".into()),
        ),
        (
            "identifier platform",
            &["identifiers", "id1", "platform"],
            ScalarValue::Str("Telegram".into()),
        ),
        (
            "event latitude",
            &["timeline", "ev1", "latitude_microdeg"],
            ScalarValue::Int(0),
        ),
    ];
    for (what, path, value) in rows {
        let (mut t, c1) = shared_route();
        let before = case_of(&t.admin, &c1);
        forged_by(&mut t.prosecutor, &c1, path, value);
        let report = send(&mut t.prosecutor, &mut t.admin);
        assert_eq!(codes(&report), ["policy.denied"], "{what}");
        assert_eq!(case_of(&t.admin, &c1), before, "{what}");
    }
}
