//! A team of devices for tests: admin (founder), two investigators, a
//! prosecutor, all enrolled through join requests and packages.

use automerge::transaction::Transactable;
use caravan_model::{Catalog, Edit, NewCase, Record, Role};

use crate::bundle::{Limits, Recipient, SignedChange};
use crate::case_keys::read_wraps;
pub(crate) use crate::chunk::write_uleb;
use crate::identity::DeviceKeys;
use crate::import::ImportReport;
use crate::join::JoinRequest;
use crate::replica::Replica;

pub const T0: i64 = 1_767_000_000_000;

/// Names of the cases tests open. A case's id comes from its first change
/// (`open_case` returns it); the name makes that change unique.
pub const C1: &str = "c1";
pub const C2: &str = "c2";
pub const SECRET: &str = "secret";
pub const B_ONLY: &str = "b-only";

pub struct Team {
    pub admin: Replica,
    pub inv_a: Replica,
    pub inv_b: Replica,
    pub prosecutor: Replica,
}

pub fn enrol(admin: &mut Replica, name: &str, role: Role) -> Replica {
    let keys = DeviceKeys::generate().unwrap();
    let request =
        JoinRequest::from_text(&JoinRequest::new(&keys, name, "laptop").to_text()).unwrap();
    let package = admin.approve(&request, role, T0).unwrap();
    Replica::accept(keys, &package, &admin.team_id().into()).unwrap()
}

pub fn member(r: &Replica) -> String {
    r.me().unwrap().0
}

pub fn team() -> Team {
    let mut admin = Replica::found(
        DeviceKeys::generate().unwrap(),
        "Almaty TIP unit",
        "Supervisor Amir",
        "office",
        T0,
    )
    .unwrap();
    let inv_a = enrol(&mut admin, "Investigator Aigerim", Role::Investigator);
    let inv_b = enrol(&mut admin, "Investigator Bakyt", Role::Investigator);
    let prosecutor = enrol(&mut admin, "Prosecutor Dana", Role::Prosecutor);
    Team {
        admin,
        inv_a,
        inv_b,
        prosecutor,
    }
}

/// The founding device of an unrelated team.
pub fn other_team() -> Replica {
    Replica::found(
        DeviceKeys::generate().unwrap(),
        "Other unit",
        "Admin",
        "pc",
        T0,
    )
    .unwrap()
}

pub fn send(from: &mut Replica, to: &mut Replica) -> ImportReport {
    let bundle = export_to(from, to);
    to.import(&bundle, &Limits::default()).unwrap()
}

/// What a modified client sends `to`: its cases as they are, under the
/// keys it chose (see `Replica::force_case_key`), without `export`'s checks.
pub fn craft_send(from: &mut Replica, to: &mut Replica) -> ImportReport {
    let bundle = from.craft_export(&Recipient::Member(member(to)));
    to.import(&bundle, &Limits::default()).unwrap()
}

pub fn catalog() -> &'static Catalog {
    Catalog::builtin()
}

/// Opens a case named `name` on `r`; returns its id.
#[must_use = "a case's id comes from its first change: use the id returned"]
pub fn open_case(r: &mut Replica, name: &str) -> String {
    r.create_case(
        NewCase {
            nonce: nonce(name),
            reference: format!("REF-{name}"),
            title: "Garment workshop".into(),
            jurisdiction: "KZ".into(),
        },
        T0,
        catalog(),
    )
    .unwrap()
}

/// The first-change bytes that make the case named `name` unique.
pub fn nonce(name: &str) -> [u8; 16] {
    let mut n = [0u8; 16];
    for (i, b) in name.bytes().take(16).enumerate() {
        n[i] = b;
    }
    n
}

pub fn grant(admin: &mut Replica, case: &str, to: &Replica) {
    let m = member(to);
    admin
        .edit_team(|t, k| t.grant(k, case, &m, true, T0))
        .unwrap();
}

/// A team with a supervisor, enrolled before any case is opened.
pub fn with_supervisor() -> (Team, Replica) {
    let mut t = team();
    let sup = enrol(&mut t.admin, "Supervisor Sabina", Role::Supervisor);
    (t, sup)
}

/// A opens case c1 with a victim v1 named `name` and sends it to the
/// admin; returns c1's id.
pub fn a_opens(t: &mut Team, name: &str) -> String {
    let c1 = open_case(&mut t.inv_a, C1);
    add_victim(&mut t.inv_a, &c1, "v1", name);
    send(&mut t.inv_a, &mut t.admin);
    c1
}

/// A team where A has opened c1 (victim v1 named `name`) and sent it to
/// the admin, and no one else holds it yet.
pub fn opened_by_a(name: &str) -> (Team, String) {
    let mut t = team();
    let c1 = a_opens(&mut t, name);
    (t, c1)
}

/// The admin revokes B's device (a stolen laptop); B, not told, keeps
/// working with its stolen keys and adds a victim "v7" to `case`.
pub fn revoke_b_then_b_writes(t: &mut Team, case: &str) {
    let b = t.inv_b.device();
    t.admin
        .revoke(&b, Some("laptop stolen".into()), T0)
        .unwrap();
    add_victim(&mut t.inv_b, case, "v7", "After revocation");
}

/// `r`'s copy of `case`, read as the model reads it.
pub fn case_of(r: &Replica, case: &str) -> caravan_model::Case {
    r.case(case).unwrap().case().unwrap()
}

/// `r`'s device signature over change `hash` of document `doc_id`.
pub fn sign_as(r: &Replica, doc_id: &str, hash: &automerge::ChangeHash) -> [u8; 64] {
    r.keys
        .sign(&crate::trust::change_message(&r.team_id, doc_id, hash))
}

/// `c` as a bundle carries it, signed with `r`'s device key as a change
/// of `doc_id`.
pub fn signed(r: &Replica, doc_id: &str, c: &automerge::Change) -> SignedChange {
    SignedChange {
        bytes: c.raw_bytes().to_vec(),
        signature: sign_as(r, doc_id, &c.hash()).to_vec(),
    }
}

/// A bundle from `from` sealed to `to`, as an honest device exports it.
pub fn export_to(from: &mut Replica, to: &Replica) -> Vec<u8> {
    from.export(&Recipient::Member(member(to)), T0).unwrap()
}

/// Once the admin has sent `case` to A (rotating its key there, if it
/// must), three more rounds both ways with nothing changed write no new
/// wrap of `case`: otherwise every export rotates, for ever. `consequence`
/// says what that does, for the failure message.
pub fn assert_no_rotation_at_every_export(t: &mut Team, case: &str, consequence: &str) {
    send(&mut t.admin, &mut t.inv_a);
    let after_first = read_wraps(t.admin.team.automerge(), case).len();
    for _ in 0..3 {
        send(&mut t.admin, &mut t.inv_a);
        send(&mut t.inv_a, &mut t.admin);
    }
    let after_more = read_wraps(t.admin.team.automerge(), case).len();
    assert_eq!(
        after_more,
        after_first,
        "{case} got a new key at every export ({} wraps more after three rounds \
         with nothing changed){consequence}",
        after_more - after_first
    );
}

/// Lets `r` hold at most `changes` held and quarantined changes of any one
/// device.
pub fn limit_changes(r: &mut Replica, changes: usize) {
    r.set_quota(crate::quota::Quota {
        changes,
        ..crate::quota::QUOTA
    });
}

/// A victim record with only a name, as a quick field entry makes it.
pub fn victim(id: &str, name: &str, recorded_by: &str) -> caravan_model::Victim {
    caravan_model::Victim {
        identity: caravan_model::Identity {
            full_name: name.into(),
            ..Default::default()
        },
        pseudonym: format!("V-{id}"),
        sex: caravan_model::Gender::Feminine,
        age_at_trafficking: None,
        citizenship: None,
        languages: vec![],
        status: caravan_model::TraffickingStatus::PossibleVictimOfTrafficking,
        status_decided_by: None,
        exploitation: vec![],
        control_methods: vec![],
        recruitment: None,
        recorded_at: T0,
        recorded_by: recorded_by.into(),
        forced_labour_industry: None,
        relationship_to_trafficker: None,
        recruitment_methods: vec![],
        citizenships: vec![],
        sex_exploitation: vec![],
        recruitment_websites: vec![],
        exploitation_websites: vec![],
        reflection_from: None,
        reflection_until: None,
        residence_decision: None,
        residence_decided_on: None,
        return_country: None,
        reintegration_status: None,
        family_assessment_done: false,
        family_assessment_on: None,
    }
}

/// A hand-over `id` of evidence from an officer to the evidence room at
/// `at`, recorded by `recorded_by`.
pub fn hand_over(id: &str, recorded_by: &str, at: i64) -> caravan_model::CustodyEntry {
    caravan_model::CustodyEntry {
        id: id.into(),
        from: "Officer X".into(),
        to: "Evidence room".into(),
        at,
        place: "Almaty".into(),
        seal_number: Some("S-1".into()),
        purpose: None,
        attachment_sha256: None,
        recorded_by: recorded_by.into(),
        recorded_at: Some(at),
    }
}

/// `r` records a seized phone "e1" in `case`, and its first hand-over "k1".
pub fn phone_in_custody(r: &mut Replica, case: &str) {
    let me = member(r);
    let edits = [
        Edit::Insert {
            id: "e1".into(),
            record: Record::Evidence(phone(&me)),
        },
        Edit::AppendCustody {
            evidence_id: "e1".into(),
            entry: hand_over("k1", &me, T0),
        },
    ];
    for e in edits {
        r.edit_case(case, e, T0, catalog()).unwrap();
    }
}

/// Marks checklist item `item_id` of `template_id` done, with nothing more.
pub fn item_done(template_id: &str, item_id: &str) -> Edit {
    Edit::SetItem {
        template_id: template_id.into(),
        item_id: item_id.into(),
        status: caravan_model::ItemStatus::Done,
        reason: None,
        note: None,
        evidence_ids: vec![],
        interview_ids: vec![],
    }
}

/// A seized phone, sealed as "S-1".
pub fn phone(recorded_by: &str) -> caravan_model::Evidence {
    caravan_model::Evidence {
        label: "Phone".into(),
        kind: caravan_model::EvidenceKind::Phone,
        description: "seized".into(),
        seized_at: None,
        seized_by: None,
        seized_from: None,
        location: None,
        seal_number: Some("S-1".into()),
        attachment_sha256: None,
        attachment_name: None,
        attachment_type: None,
        attachment_size: None,
        custody: vec![],
        recorded_at: T0,
        recorded_by: recorded_by.into(),
    }
}

pub fn add_victim(r: &mut Replica, case: &str, id: &str, name: &str) {
    let v = victim(id, name, &member(r));
    r.edit_case(
        case,
        Edit::Insert {
            id: id.into(),
            record: Record::Victim(v),
        },
        T0,
        catalog(),
    )
    .unwrap();
}

/// Writes to a case with raw Automerge, bypassing the model's checks (as a
/// modified client would), and signs the result with this device's key.
pub fn forge(r: &mut Replica, case: &str, f: impl FnOnce(&mut automerge::AutoCommit)) {
    let before = r.heads(case).unwrap();
    let doc = r.cases.get_mut(case).unwrap();
    f(doc);
    doc.commit_with(at_t0());
    r.sign_new(case, &before).unwrap();
}

/// The prosecutor, whom the policy does not let edit a victim's record,
/// rewrites v1's pseudonym in `case` with raw Automerge, signed with its
/// real key; returns the change's hash.
pub fn prosecutor_renames_v1(t: &mut Team, case: &str, pseudonym: &str) -> automerge::ChangeHash {
    forge(&mut t.prosecutor, case, |d| {
        put(d, &["victims", "v1", "pseudonym"], pseudonym)
    });
    t.prosecutor.heads(case).unwrap()[0]
}

/// A team with a supervisor, and a case c1 of A's.
pub struct Supervised {
    pub t: Team,
    pub sup: Replica,
    pub c1: String,
}

/// Commit options stamping a change with `T0`, as a modified client's
/// changes carry a time like any others.
pub fn at_t0() -> automerge::transaction::CommitOptions {
    automerge::transaction::CommitOptions::default().with_time(T0 / 1000)
}

pub fn put(doc: &mut automerge::AutoCommit, path: &[&str], value: &str) {
    use automerge::ReadDoc;
    let mut obj = automerge::ROOT;
    for k in &path[..path.len() - 1] {
        obj = match doc.get(&obj, *k).unwrap() {
            Some((automerge::Value::Object(_), id)) => id,
            _ => doc.put_object(&obj, *k, automerge::ObjType::Map).unwrap(),
        };
    }
    doc.put(&obj, path[path.len() - 1], value).unwrap();
}

/// Signs `c` with `r`'s device key as `sign_new` does, and adds it to `r`'s
/// copy of `case` (creating the copy if `r` has none), so `r`'s ordinary
/// export carries it: how a modified client would send crafted bytes.
pub fn plant(r: &mut Replica, case: &str, c: &automerge::Change) {
    let sig = sign_as(r, case, &c.hash());
    let actor = r.device().actor();
    if !r.cases.contains_key(case) {
        let empty = automerge::AutoCommit::new().with_actor(actor);
        r.cases.insert(case.to_string(), empty);
    }
    r.cases
        .get_mut(case)
        .unwrap()
        .apply_changes([c.clone()])
        .unwrap();
    r.signatures.insert(c.hash(), sig);
}

/// A change by `r` on top of its copy of `case`, made by `f` on a fork
/// (so `r`'s copy is untouched) and then rewritten by `edit` at the level
/// of its decoded operations, deps, seq and start_op.
pub fn craft(
    r: &mut Replica,
    case: &str,
    f: impl FnOnce(&mut automerge::AutoCommit),
    edit: impl FnOnce(&mut automerge::ExpandedChange),
) -> automerge::Change {
    let actor = r.device().actor();
    let mut fork = r.cases.get_mut(case).unwrap().fork().with_actor(actor);
    f(&mut fork);
    fork.commit_with(at_t0());
    let mut e = fork.get_last_local_change().unwrap().decode();
    edit(&mut e);
    automerge::Change::from(e)
}

/// Drops every operation's `pred`: the ops then name no value they replace.
pub fn no_preds(e: &mut automerge::ExpandedChange) {
    for op in &mut e.operations {
        op.pred = automerge::legacy::SortedVec::new();
    }
}

/// Renumbers a change's operations to start at `start`, keeping the
/// references among its own operations consistent.
pub fn renumber(e: &mut automerge::ExpandedChange, start: u64) {
    use automerge::legacy::{ElementId, Key, ObjectId, OpId};
    let me = e.actor_id.clone();
    let old = e.start_op.get();
    let shift = |id: &OpId| {
        if id.actor() == &me && id.counter() >= old {
            OpId::new(id.counter() - old + start, &me)
        } else {
            id.clone()
        }
    };
    for op in &mut e.operations {
        if let ObjectId::Id(id) = &op.obj {
            op.obj = ObjectId::Id(shift(id));
        }
        if let Key::Seq(ElementId::Id(id)) = &op.key {
            op.key = Key::Seq(ElementId::Id(shift(id)));
        }
        op.pred = op.pred.iter().map(shift).collect::<Vec<_>>().into();
    }
    e.start_op = std::num::NonZeroU64::new(start).expect("a start above zero");
}

/// The codes of the changes an import set aside.
pub fn codes(r: &ImportReport) -> Vec<&str> {
    r.quarantined.iter().map(|q| q.code.as_str()).collect()
}

/// A team where the admin, both investigators and the prosecutor hold a
/// case A opened, with one victim; returns the case's id.
pub fn shared() -> (Team, String) {
    let (mut t, c1) = opened_by_a("Name");
    grant(&mut t.admin, &c1, &t.prosecutor);
    grant(&mut t.admin, &c1, &t.inv_b);
    send(&mut t.admin, &mut t.prosecutor);
    send(&mut t.admin, &mut t.inv_b);
    send(&mut t.admin, &mut t.inv_a);
    (t, c1)
}

/// Hello and Proof both ways, by hand; returns both sessions ready to sync.
pub fn handshake(
    a: &mut Replica,
    b: &mut Replica,
) -> (crate::session::Session, crate::session::Session) {
    use crate::session::Session;
    let mut sa = Session::new(a, None, T0).unwrap();
    let mut sb = Session::new(b, None, T0).unwrap();
    let ha = sa.poll(a).unwrap().unwrap();
    let hb = sb.poll(b).unwrap().unwrap();
    sb.receive(b, &ha).unwrap();
    sa.receive(a, &hb).unwrap();
    let pa = sa.poll(a).unwrap().unwrap();
    let pb = sb.poll(b).unwrap().unwrap();
    sb.receive(b, &pa).unwrap();
    sa.receive(a, &pb).unwrap();
    (sa, sb)
}

/// A bundle from `from` to `to` of `team` changes and `cases` sections, as
/// a modified client writes it.
pub fn crafted_bundle(
    from: &mut Replica,
    to: &Replica,
    team: Vec<crate::bundle::SignedChange>,
    cases: Vec<crate::bundle::CaseSection>,
) -> Vec<u8> {
    let key = from.team_keys.values().last().unwrap().clone();
    let meta = crate::bundle::Meta {
        epoch: key.epoch,
        sender: from.device(),
        recipient: crate::bundle::Recipient::Member(member(to)),
        created_at: T0,
    };
    let body = crate::bundle::Body {
        team: Some(crate::bundle::DocEntry::signed(
            crate::team::TEAM_DOC_ID,
            Vec::new(),
            team,
        )),
        cases,
    };
    from.seal(&meta, Vec::new(), &body, &key).unwrap()
}

// ---- Automerge bytes crafted by hand ------------------------------------

/// The magic bytes every Automerge storage chunk begins with.
const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];

/// A storage chunk: magic, checksum (the first bytes of Automerge's hash
/// of the chunk), type, length, data.
pub fn chunk(kind: u8, data: &[u8]) -> Vec<u8> {
    let mut head = vec![kind];
    write_uleb(&mut head, data.len() as u64);
    let hash = crate::crypto::sha256(&[&head, data]);
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&hash[..4]);
    out.extend_from_slice(&head);
    out.extend_from_slice(data);
    out
}

/// A bundle from `from` holding `docs` as they are, sealed under its
/// current team key and signed with its device key.
pub fn sealed(from: &mut Replica, docs: Vec<crate::bundle::DocEntry>) -> Vec<u8> {
    let epoch = from.team().unwrap().current_epoch();
    let meta = crate::bundle::Meta {
        epoch,
        sender: from.device(),
        recipient: Recipient::AnyMember,
        created_at: T0,
    };
    let key = from.team_keys[&epoch].clone();
    from.seal_docs(&meta, docs, &key, Vec::new())
}

/// A second copy of `r`, as a vault restored from a backup or copied to
/// another laptop would give: same device key, same stored state.
pub fn copy_of(r: &mut Replica) -> Replica {
    let keys = crate::identity::DeviceKeys::from_bytes(&r.keys.to_secret_bytes());
    let team_doc = r.team.automerge_mut().clone();
    let cases: Vec<(String, automerge::AutoCommit)> = r
        .cases
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let signatures: Vec<_> = r.signatures.iter().map(|(h, s)| (*h, *s)).collect();
    let team_keys: Vec<_> = r.team_keys().cloned().collect();
    Replica::restore(keys, team_doc, team_keys, cases, signatures, r.state()).unwrap()
}
