//! Findings 10 and 11 of the trust review.
//!
//! 10: bundles were decrypted and decoded before their sender's standing
//! was judged, and Automerge inflated what a member sent without any bound
//! (a compressed change chunk, a deflated column) and walked as many
//! operations as a run-length encoded column claimed.
//!
//! 11: held and quarantined changes were stored in one record under a
//! 16 MiB cap, so one member could push it over and make every import fail.
//!
//! Every attack here is raw bytes crafted by hand, following Automerge's
//! storage format, and signed with the attacker's real device key.

use std::io::Read;

use automerge::{Change, ChangeHash};

use super::fixture::*;
use crate::bundle::{DocEntry, Limits, Recipient, SignedChange};
use crate::identity::DeviceKeys;
use crate::keys::TeamKey;
use crate::replica::Replica;

// ---- Crafting Automerge bytes by hand ---------------------------------

fn sleb(out: &mut Vec<u8>, mut v: i64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if (v == 0 && b & 0x40 == 0) || (v == -1 && b & 0x40 != 0) {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// A change chunk's data, split where the column metadata starts.
struct RawChange {
    /// Dependencies, actor, seq, start op, time, message, other actors.
    prefix: Vec<u8>,
    /// (specification, data) of each column.
    columns: Vec<(u64, Vec<u8>)>,
    extra: Vec<u8>,
}

struct Cursor<'a>(&'a [u8]);

impl Cursor<'_> {
    fn uleb(&mut self) -> u64 {
        let mut v = 0;
        for i in 0.. {
            let b = self.0[0];
            self.0 = &self.0[1..];
            v |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                break;
            }
        }
        v
    }
    fn skip(&mut self, n: u64) {
        self.0 = &self.0[n as usize..];
    }
}

impl RawChange {
    fn parse(change: &[u8]) -> RawChange {
        let mut c = Cursor(&change[9..]);
        let len = c.uleb();
        let data = &c.0[..len as usize];
        let mut c = Cursor(data);
        let deps = c.uleb();
        c.skip(deps * 32);
        let actor = c.uleb();
        c.skip(actor);
        c.uleb();
        c.uleb();
        c.uleb(); // time: non-negative here
        let message = c.uleb();
        c.skip(message);
        for _ in 0..c.uleb() {
            let a = c.uleb();
            c.skip(a);
        }
        let prefix = data[..data.len() - c.0.len()].to_vec();
        let metas: Vec<(u64, u64)> = (0..c.uleb()).map(|_| (c.uleb(), c.uleb())).collect();
        let mut columns = Vec::new();
        for (spec, len) in metas {
            columns.push((spec, c.0[..len as usize].to_vec()));
            c.skip(len);
        }
        RawChange {
            prefix,
            columns,
            extra: c.0.to_vec(),
        }
    }

    fn bytes(&self) -> Vec<u8> {
        let mut data = self.prefix.clone();
        write_uleb(&mut data, self.columns.len() as u64);
        for (spec, col) in &self.columns {
            write_uleb(&mut data, *spec);
            write_uleb(&mut data, col.len() as u64);
        }
        for (_, col) in &self.columns {
            data.extend_from_slice(col);
        }
        data.extend_from_slice(&self.extra);
        chunk(1, &data)
    }
}

/// Bits of a DEFLATE stream, least significant first.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    used: u32,
}

impl Bits {
    fn put(&mut self, value: u32, n: u32) {
        for i in 0..n {
            if self.used.is_multiple_of(8) {
                self.out.push(0);
            }
            if value >> i & 1 == 1 {
                *self.out.last_mut().unwrap() |= 1 << (self.used % 8);
            }
            self.used += 1;
        }
    }
    /// A Huffman code: its most significant bit first.
    fn code(&mut self, code: u32, len: u32) {
        for i in (0..len).rev() {
            self.put(code >> i & 1, 1);
        }
    }
}

/// A DEFLATE stream that inflates to `1 + 258 × refs` zero bytes in two
/// bits per 258 (DEFLATE's largest ratio, about 1 : 1032): one dynamic
/// Huffman block whose only literal is 0, whose length code 285 (258
/// bytes) is one bit long, and whose only distance (1) is one bit long.
fn deflate_bomb(refs: usize) -> Vec<u8> {
    let mut b = Bits::default();
    b.put(1, 1); // final block
    b.put(2, 2); // dynamic Huffman
    b.put(29, 5); // 286 literal/length codes
    b.put(0, 5); // 1 distance code
    b.put(14, 4); // 18 code length codes
    // Code length code lengths, in DEFLATE's order: 18 → 1 bit, 2 → 2, 1 → 2.
    let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1];
    for sym in order {
        b.put(
            match sym {
                18 => 1,
                1 | 2 => 2,
                _ => 0,
            },
            3,
        );
    }
    // Canonical codes: 18 = 0, 1 = 10, 2 = 11.
    let two = |b: &mut Bits| b.code(0b11, 2);
    let zeros = |b: &mut Bits, n: u32| {
        b.code(0, 1);
        b.put(n - 11, 7);
    };
    two(&mut b); // literal 0: 2 bits
    zeros(&mut b, 138); // literals 1..=255: unused
    zeros(&mut b, 117);
    two(&mut b); // 256, end of block: 2 bits
    zeros(&mut b, 28); // 257..=284: unused
    b.code(0b10, 2); // 285 (length 258): 1 bit
    b.code(0b10, 2); // distance 0 (1 byte back): 1 bit
    // Canonical codes: 285 = 0, literal 0 = 10, end of block = 11; distance = 0.
    b.code(0b10, 2);
    for _ in 0..refs {
        b.code(0, 1);
        b.code(0, 1);
    }
    b.code(0b11, 2);
    b.out
}

/// A DEFLATE bomb of at least 256 MiB, about 256 KiB long.
fn big_bomb() -> Vec<u8> {
    deflate_bomb((256 << 20) / 258 + 1)
}

/// What a DEFLATE stream inflates to, counted without keeping it.
fn inflated_len(deflate: &[u8]) -> u64 {
    std::io::copy(
        &mut flate2::bufread::DeflateDecoder::new(deflate),
        &mut std::io::sink(),
    )
    .unwrap()
}

/// A change by `actor` that claims `ops` operations in a few bytes: every
/// column it needs is one run (key "a", not inserted, action set, value
/// null, no predecessors).
fn claims_ops(actor: &automerge::ActorId, deps: &[ChangeHash], seq: u64, ops: u64) -> Vec<u8> {
    let mut prefix = Vec::new();
    write_uleb(&mut prefix, deps.len() as u64);
    for d in deps {
        prefix.extend_from_slice(&d.0);
    }
    write_uleb(&mut prefix, actor.to_bytes().len() as u64);
    prefix.extend_from_slice(actor.to_bytes());
    write_uleb(&mut prefix, seq);
    write_uleb(&mut prefix, 1_000_000); // start op
    write_uleb(&mut prefix, 0); // time
    write_uleb(&mut prefix, 0); // message
    write_uleb(&mut prefix, 0); // other actors
    let run = |value: &[u8]| {
        let mut out = Vec::new();
        sleb(&mut out, ops as i64);
        out.extend_from_slice(value);
        out
    };
    let mut insert = Vec::new();
    write_uleb(&mut insert, ops);
    RawChange {
        prefix,
        columns: vec![
            ((1 << 4) | 5, run(b"\x01a")), // key string
            ((3 << 4) | 4, insert),        // insert
            ((4 << 4) | 2, run(b"\x01")),  // action: set
            ((5 << 4) | 6, run(b"\x00")),  // value metadata: null
            ((5 << 4) | 7, Vec::new()),    // values
            (7 << 4, run(b"\x00")),        // predecessors: none
        ],
        extra: Vec::new(),
    }
    .bytes()
}

// ---- Bundles and sessions as an attacker writes them --------------------

/// A bundle from `from` with one document entry holding `changes` as they
/// are: each with the signature `from` holds for it (a change of another
/// device it relays), or else signed with `from`'s device key over the
/// hash it carries.
fn bundle(
    from: &mut Replica,
    doc_id: &str,
    heads: Vec<ChangeHash>,
    changes: &[Vec<u8>],
) -> Vec<u8> {
    let signed = changes
        .iter()
        .map(|bytes| {
            let hash: ChangeHash = crate::chunk::hash_as_received(bytes).parse().unwrap();
            let held = from.signatures.get(&hash).copied();
            let signature = held.unwrap_or_else(|| sign_as(from, doc_id, &hash));
            SignedChange {
                bytes: bytes.clone(),
                signature: signature.to_vec(),
            }
        })
        .collect();
    sealed(
        from,
        vec![DocEntry::signed(
            doc_id,
            heads.iter().map(|h| h.0).collect(),
            signed,
        )],
    )
}

/// Each of `changes` as raw bytes.
fn raw(changes: &[Change]) -> Vec<Vec<u8>> {
    changes.iter().map(|c| c.raw_bytes().to_vec()).collect()
}

/// The changes `r` made to `doc_id` since `before`, as raw bytes.
fn made_since(r: &mut Replica, doc_id: &str, before: &[ChangeHash]) -> Vec<Vec<u8>> {
    r.doc_mut(doc_id)
        .unwrap()
        .get_changes(before)
        .iter()
        .map(|c| c.raw_bytes().to_vec())
        .collect()
}

/// Everything an import may change on a replica.
#[derive(Debug, PartialEq)]
struct Snapshot {
    heads: Vec<Vec<ChangeHash>>,
    held: usize,
    quarantined: usize,
    peer_heads: usize,
    keys: Vec<u32>,
}

fn snapshot(r: &mut Replica) -> Snapshot {
    let ids = r.doc_ids();
    Snapshot {
        heads: ids.iter().map(|id| r.heads(id).unwrap()).collect(),
        held: r.held().len(),
        quarantined: r.quarantine().len(),
        peer_heads: r.peer_heads.len(),
        keys: r.team_keys.keys().copied().collect(),
    }
}

/// Replaces a device's copy of the team key: what it writes from now on is
/// still signed with its real device key, but opens under no key any other
/// device holds.
fn lose_key(r: &mut Replica) {
    let epoch = r.team().unwrap().current_epoch();
    r.team_keys
        .insert(epoch, TeamKey::from_bytes(epoch, &[0x5a; 32]));
}

fn victims(r: &Replica, case: &str) -> Vec<String> {
    case_of(r, case).victims.keys().cloned().collect()
}

// ---- Finding 10: the sender first, every inflation bounded ---------------

#[test]
fn finding_10_a_revoked_members_bundle_is_refused_before_it_is_decrypted() {
    let (mut t, c1) = shared();
    revoke_b_then_b_writes(&mut t, &c1);
    lose_key(&mut t.inv_b);
    let from_b = t.inv_b.export(&Recipient::AnyMember, T0).unwrap();

    // A has not heard of the revocation: it reads the bundle with the key
    // B offers it, which no admin issued for that epoch, and refuses it.
    let before_a = snapshot(&mut t.inv_a);
    let err = t.inv_a.import(&from_b, &Limits::default()).unwrap_err();
    assert_eq!(err.code(), "sync.forged_key");
    assert_eq!(snapshot(&mut t.inv_a), before_a);

    // The admin knows B is revoked and refuses the bundle before it tries
    // to open the body at all.
    let before = snapshot(&mut t.admin);
    let err = t.admin.import(&from_b, &Limits::default()).unwrap_err();
    assert_eq!(err.code(), "sync.sender_revoked");
    assert_eq!(snapshot(&mut t.admin), before);
    assert!(!victims(&t.admin, &c1).contains(&"v7".to_string()));
}

#[test]
fn finding_10_a_revoked_peer_is_refused_before_a_frame_is_decrypted() {
    let (mut t, _) = shared();
    // While B is a member, a frame whose body does not open is refused as
    // damaged: the body is tried.
    let (mut s_admin, mut s_b) = handshake(&mut t.admin, &mut t.inv_b);
    let real = t.inv_b.team_keys[&1].clone();
    lose_key(&mut t.inv_b);
    let frame = s_b.poll(&mut t.inv_b).unwrap().unwrap();
    assert_eq!(
        s_admin.receive(&mut t.admin, &frame).unwrap_err().code(),
        "sync.bad_signature"
    );

    // A session that was open when B was revoked: B's next frame is
    // refused on its sender alone, before its body is tried.
    t.inv_b.add_team_key(real);
    let (mut s_admin, mut s_b) = handshake(&mut t.admin, &mut t.inv_b);
    let b = t.inv_b.device();
    t.admin.revoke(&b, None, T0).unwrap();
    lose_key(&mut t.inv_b);
    let frame = s_b.poll(&mut t.inv_b).unwrap().unwrap();
    let before = snapshot(&mut t.admin);
    assert_eq!(
        s_admin.receive(&mut t.admin, &frame).unwrap_err().code(),
        "sync.sender_revoked"
    );
    assert_eq!(snapshot(&mut t.admin), before);
}

#[test]
fn finding_10_a_sender_enrolled_after_this_devices_copy_of_the_team_is_judged_after_its_team_changes()
 {
    let (mut t, c1) = shared();
    // The admin enrols a new investigator and grants it c1; A has not
    // heard of either when the newcomer's first bundle reaches it.
    let mut newcomer = enrol(
        &mut t.admin,
        "Investigator Gulnara",
        caravan_model::Role::Investigator,
    );
    grant(&mut t.admin, &c1, &newcomer);
    send(&mut t.admin, &mut newcomer);
    add_victim(&mut newcomer, &c1, "v5", "From the newcomer");
    assert!(
        !t.inv_a
            .team()
            .unwrap()
            .devices
            .contains_key(&newcomer.device().to_hex())
    );
    let report = send(&mut newcomer, &mut t.inv_a);
    assert!(report.quarantined.is_empty(), "{report:?}");
    assert!(report.docs_changed.contains(&"team".to_string()));
    assert!(victims(&t.inv_a, &c1).contains(&"v5".to_string()));

    // A device with a copy of the team key that no team change enrols
    // (keys from a stolen backup): its bundle is read, within bounds, and
    // refused once the team changes it carries are judged.
    let team = crate::team::Team::from_automerge(t.admin.team.automerge().clone());
    let epoch = t.admin.team().unwrap().current_epoch();
    let key = t.admin.team_key(epoch).unwrap().clone();
    let mut outsider = Replica::assemble(
        DeviceKeys::generate().unwrap(),
        t.admin.team_id(),
        team,
        [key],
    );
    outsider.signatures = t.admin.signatures.clone();
    let from_outsider = outsider.export(&Recipient::AnyMember, T0).unwrap();
    let before = snapshot(&mut t.admin);
    assert_eq!(
        t.admin
            .import(&from_outsider, &Limits::default())
            .unwrap_err()
            .code(),
        "sync.unknown_sender"
    );
    assert_eq!(snapshot(&mut t.admin), before);
}

#[test]
fn the_bombs_here_are_real() {
    // The hand-made DEFLATE stream inflates as its comment says.
    let small = deflate_bomb(10);
    let mut out = Vec::new();
    flate2::bufread::DeflateDecoder::new(small.as_slice())
        .read_to_end(&mut out)
        .unwrap();
    assert_eq!(out, vec![0u8; 1 + 2580]);
    let big = big_bomb();
    assert!(big.len() < 300 << 10, "{} bytes", big.len());
    assert!(inflated_len(&big) >= 256 << 20);
    // A change claiming a thousand operations in a few bytes is one that
    // Automerge reads, operation by operation.
    let actor = DeviceKeys::generate().unwrap().id().actor();
    let claim = claims_ops(&actor, &[], 1, 1000);
    assert!(claim.len() < 100);
    assert_eq!(Change::from_bytes(claim).unwrap().len(), 1000);
}

/// A has two honest changes to c1; returns them (raw) and the heads
/// before them.
fn two_honest_changes(t: &mut Team, c1: &str) -> (Vec<Vec<u8>>, Vec<ChangeHash>) {
    let before = t.inv_a.heads(c1).unwrap();
    add_victim(&mut t.inv_a, c1, "h1", "Honest one");
    add_victim(&mut t.inv_a, c1, "h2", "Honest two");
    (made_since(&mut t.inv_a, c1, &before), before)
}

#[test]
fn finding_10_a_compressed_change_chunk_is_refused_unread_and_the_rest_lands() {
    let (mut t, c1) = shared();
    let (honest, _) = two_honest_changes(&mut t, &c1);
    // A DEFLATE change chunk of 256 KiB that inflates to 256 MiB, and one
    // whose DEFLATE stream is not even valid: neither is inflated, so
    // both are refused the same way.
    let bomb = chunk(2, &big_bomb());
    let garbage = chunk(2, &[0xff; 64]);
    let heads = t.inv_a.heads(&c1).unwrap();
    let crafted = bundle(
        &mut t.inv_a,
        &c1,
        heads.clone(),
        &[honest[0].clone(), bomb, garbage, honest[1].clone()],
    );
    let before = snapshot(&mut t.admin);
    let report = t.admin.import(&crafted, &Limits::default()).unwrap();
    assert_eq!(codes(&report), ["sync.compressed_change"; 2]);
    assert_eq!(report.applied, 2);
    assert_eq!(t.admin.heads(&c1).unwrap(), heads);
    assert!(victims(&t.admin, &c1).contains(&"h2".to_string()));
    let after = snapshot(&mut t.admin);
    assert_eq!(
        (after.held, after.quarantined),
        (before.held, before.quarantined),
        "nothing of the refused chunks is stored"
    );
}

#[test]
fn finding_10_a_change_with_a_deflated_column_is_refused_and_the_rest_lands() {
    let (mut t, c1) = shared();
    let (honest, before_honest) = two_honest_changes(&mut t, &c1);
    // A third change of A's, its value column marked deflated and replaced
    // by the bomb.
    add_victim(&mut t.inv_a, &c1, "h3", "Bombed");
    let third = made_since(&mut t.inv_a, &c1, &before_honest).pop().unwrap();
    let mut raw = RawChange::parse(&third);
    let values = raw
        .columns
        .iter()
        .position(|(spec, _)| spec & 0b111 == 7)
        .unwrap();
    raw.columns[values].0 |= 0b1000;
    raw.columns[values].1 = big_bomb();
    let bombed = raw.bytes();
    let crafted = bundle(
        &mut t.inv_a,
        &c1,
        Vec::new(),
        &[honest[0].clone(), bombed, honest[1].clone()],
    );
    let report = t.admin.import(&crafted, &Limits::default()).unwrap();
    assert_eq!(codes(&report), ["sync.compressed_change"]);
    assert_eq!(report.applied, 2);
    let on_admin = victims(&t.admin, &c1);
    assert!(on_admin.contains(&"h2".to_string()) && !on_admin.contains(&"h3".to_string()));
    assert!(t.admin.quarantine().is_empty() && t.admin.held().is_empty());
}

#[test]
fn finding_10_a_change_claiming_more_operations_than_allowed_is_refused_unread() {
    let (mut t, c1) = shared();
    let (honest, _) = two_honest_changes(&mut t, &c1);
    // A change of A's, on top of its honest ones, that claims 2^40
    // operations in a few bytes: Automerge would walk every one of them.
    let heads = t.inv_a.heads(&c1).unwrap();
    let claim = claims_ops(&t.inv_a.device().actor(), &heads, 99, 1 << 40);
    assert!(claim.len() < 200);
    let crafted = bundle(
        &mut t.inv_a,
        &c1,
        heads,
        &[honest[0].clone(), claim, honest[1].clone()],
    );
    let report = t.admin.import(&crafted, &Limits::default()).unwrap();
    assert_eq!(codes(&report), ["sync.change_too_large"]);
    assert_eq!(report.applied, 2);
    assert!(t.admin.quarantine().is_empty() && t.admin.held().is_empty());
}

#[test]
fn finding_10_an_import_reads_a_bounded_number_of_operations_and_the_rest_arrives_next_time() {
    let (mut t, c1) = shared();
    let before = t.inv_a.heads(&c1).unwrap();
    for n in 0..6 {
        add_victim(&mut t.inv_a, &c1, &format!("b{n}"), "Budget");
    }
    let changes = made_since(&mut t.inv_a, &c1, &before);
    let per_change: Vec<u64> = changes
        .iter()
        .map(|c| crate::chunk::inspect_change(c, u64::MAX).unwrap())
        .collect();
    // Room for the first three changes only.
    let limits = Limits {
        max_ops: per_change[..3].iter().sum(),
        ..Limits::default()
    };
    let crafted = bundle(&mut t.inv_a, &c1, Vec::new(), &changes);
    let first = t.admin.import(&crafted, &limits).unwrap();
    assert_eq!(first.applied, 3);
    assert_eq!(codes(&first), ["sync.change_too_large"; 3]);
    assert!(first.quarantined[0].message.contains("later exchange"));
    assert!(t.admin.held().is_empty() && t.admin.quarantine().is_empty());
    // The same bundle again: what arrived is known by its hash and costs
    // nothing, so the rest fits.
    let second = t.admin.import(&crafted, &limits).unwrap();
    assert_eq!((second.applied, second.already_had), (3, 3));
    assert!(second.quarantined.is_empty());
    assert_eq!(t.admin.heads(&c1), t.inv_a.heads(&c1));
}

#[test]
fn finding_10_a_session_takes_only_plain_change_chunks() {
    use crate::session::wire::{ChangeSig, DocMessage};
    let (mut t, c1) = shared();
    let (honest, _) = two_honest_changes(&mut t, &c1);
    let doc_chunk = t.inv_a.cases.get_mut(&c1).unwrap().save();
    let mut run = honest[0].clone();
    run.extend_from_slice(&chunk(2, &big_bomb()));
    run.extend_from_slice(&doc_chunk);
    run.extend_from_slice(&honest[1]);
    let message = automerge::sync::Message {
        heads: Vec::new(),
        need: Vec::new(),
        have: Vec::new(),
        changes: automerge::sync::ChunkList::from(vec![run]),
        flags: None,
        version: automerge::sync::MessageVersion::V2,
    };
    let signatures = honest
        .iter()
        .map(|c| {
            let c = Change::from_bytes(c.clone()).unwrap();
            ChangeSig {
                hash: c.hash().0,
                signature: t.inv_a.signatures[&c.hash()].to_vec(),
            }
        })
        .collect();
    let m = DocMessage {
        doc_id: c1.clone(),
        message: message.encode(),
        signatures,
        key_id: None,
    };
    let mut budget =
        crate::chunk::Budget::new(crate::bundle::MAX_CHANGE_OPS, crate::bundle::MAX_OPS);
    // Whole documents are read in frames of version 4 (with plain
    // columns only) and not before: either way this one is refused.
    for whole_documents in [true, false] {
        let (_, changes, refused) = m
            .decode(&t.inv_a.team_id, &mut budget, whole_documents)
            .unwrap();
        assert_eq!(changes.len(), 2);
        assert_eq!(
            refused.iter().map(|n| n.code.as_str()).collect::<Vec<_>>(),
            ["sync.compressed_change"; 2]
        );
    }
}

#[test]
fn finding_10_a_session_sends_a_document_with_plain_columns() {
    // A device that holds nothing of c1 yet is sent everything; Automerge
    // would send it as one saved document, with deflated columns, which
    // the session sends again with plain ones.
    let (mut t, c1) = shared();
    let mut fresh = enrol(
        &mut t.admin,
        "Supervisor Sabina",
        caravan_model::Role::Supervisor,
    );
    send(&mut t.admin, &mut t.inv_a);
    let (mut s_a, mut s_f) = handshake(&mut t.inv_a, &mut fresh);
    let mut to_f = Vec::new();
    let mut to_a = Vec::new();
    for _ in 0..50 {
        while let Some(f) = s_a.poll(&mut t.inv_a).unwrap() {
            to_f.push(f);
        }
        while let Some(f) = s_f.poll(&mut fresh).unwrap() {
            to_a.push(f);
        }
        if to_f.is_empty() && to_a.is_empty() && s_a.is_done() && s_f.is_done() {
            break;
        }
        for f in std::mem::take(&mut to_f) {
            let r = s_f.receive(&mut fresh, &f).unwrap();
            assert!(r.quarantined.is_empty(), "{r:?}");
        }
        for f in std::mem::take(&mut to_a) {
            s_a.receive(&mut t.inv_a, &f).unwrap();
        }
    }
    assert_eq!(fresh.heads(&c1), t.inv_a.heads(&c1));
    assert!(victims(&fresh, &c1).contains(&"v1".to_string()));
}

#[test]
fn finding_10_a_join_package_document_inflates_within_bounds() {
    // A real team document, with its deflated columns, loads.
    let (mut t, _) = shared();
    let saved = t.admin.team.automerge_mut().save();
    let mut loaded = crate::replica::load_doc(&saved).unwrap();
    assert_eq!(loaded.get_heads(), t.admin.heads("team").unwrap());
    // A document whose one deflated column is the 256 MiB bomb stops at
    // the cap, before Automerge sees it.
    let mut data = Vec::new();
    write_uleb(&mut data, 1); // actors
    write_uleb(&mut data, 32);
    data.extend_from_slice(&[7; 32]);
    write_uleb(&mut data, 0); // heads
    let bomb = big_bomb();
    write_uleb(&mut data, 1); // change columns
    write_uleb(&mut data, (1 << 4) | 0b1000 | 1);
    write_uleb(&mut data, bomb.len() as u64);
    write_uleb(&mut data, 0); // operation columns
    data.extend_from_slice(&bomb);
    let err = crate::replica::load_doc(&chunk(0, &data)).unwrap_err();
    assert_eq!(err.code(), "sync.too_large");
    // A compressed change chunk after a valid document is not inflated.
    let mut with_compressed = saved.clone();
    with_compressed.extend_from_slice(&chunk(2, &bomb));
    assert_eq!(
        crate::replica::load_doc(&with_compressed)
            .unwrap_err()
            .code(),
        "sync.malformed"
    );
}

#[test]
fn every_change_automerge_writes_passes_the_bounded_reader() {
    use automerge::transaction::Transactable;
    use automerge::{ObjType, ROOT, ScalarValue};
    // Case and team histories, and a document exercising every kind of
    // operation and column: text typed and deleted, lists, counters,
    // marks, several actors, conflicts, long strings.
    let (t, c1) = shared();
    let mut docs = vec![t.admin.team.automerge().clone(), t.admin.cases[&c1].clone()];
    let mut doc = automerge::AutoCommit::new();
    let text = doc.put_object(ROOT, "text", ObjType::Text).unwrap();
    doc.splice_text(&text, 0, 0, &"narrative ".repeat(2000))
        .unwrap();
    doc.commit();
    doc.splice_text(&text, 100, 15_000, "").unwrap();
    doc.mark(
        &text,
        automerge::marks::Mark::new("bold".into(), true, 0, 50),
        automerge::marks::ExpandMark::Both,
    )
    .unwrap();
    doc.commit();
    let list = doc.put_object(ROOT, "list", ObjType::List).unwrap();
    for i in 0..300 {
        doc.insert(&list, i, ScalarValue::Null).unwrap();
    }
    doc.put(ROOT, "counter", ScalarValue::counter(1)).unwrap();
    doc.commit();
    doc.increment(ROOT, "counter", 5).unwrap();
    doc.put(ROOT, "long", "x".repeat(100_000)).unwrap();
    doc.commit();
    let mut other = doc.fork();
    other.put(ROOT, "long", "y").unwrap();
    other.delete(&list, 0).unwrap();
    other.commit();
    doc.put(ROOT, "long", "z").unwrap();
    doc.commit();
    doc.merge(&mut other).unwrap();
    docs.push(doc);
    let mut seen = 0;
    for d in &mut docs {
        for c in d.get_changes(&[]) {
            let rows = crate::chunk::inspect_change(c.raw_bytes(), u64::MAX)
                .unwrap_or_else(|e| panic!("{e:?}"));
            assert!(rows >= c.len() as u64, "{rows} < {}", c.len());
            assert_eq!(crate::chunk::change_hash(c.raw_bytes()), Some(c.hash()));
            seen += 1;
        }
        let saved = d.save();
        let mut loaded = crate::replica::load_doc(&saved).unwrap();
        assert_eq!(loaded.get_heads(), d.get_heads());
    }
    assert!(seen > 10);
}

// ---- Finding 11: what one device may leave stored here ------------------

/// `n` changes by `r` to its copy of `case` (values named by `tag`), each
/// on top of the one before, made on a fork (so `r`'s copy is untouched):
/// the first is what the rest wait for.
fn chain(r: &mut Replica, case: &str, tag: &str, n: usize) -> Vec<Change> {
    let actor = r.device().actor();
    let mut fork = r.cases.get_mut(case).unwrap().fork().with_actor(actor);
    (0..n)
        .map(|i| {
            put(
                &mut fork,
                &["victims", "v1", "pseudonym"],
                &format!("{tag}-{i}"),
            );
            fork.commit();
            fork.get_last_local_change().unwrap()
        })
        .collect()
}

/// How many held changes, and their bytes, are charged to `device`.
fn charged(r: &Replica, device: &crate::identity::DeviceId) -> (usize, usize) {
    let d = device.to_hex();
    let held = r.held().iter().filter(|h| h.owner == d);
    let entries = r.quarantine();
    let quarantined = entries.iter().filter(|q| q.owner == d);
    (
        held.clone().count() + quarantined.clone().count(),
        held.map(|h| h.bytes.len()).sum::<usize>()
            + quarantined.map(|q| q.bytes.len()).sum::<usize>(),
    )
}

#[test]
fn finding_11_a_member_flooding_held_changes_is_stopped_at_its_quota_and_the_rest_lands() {
    let (mut t, c1) = shared();
    let quota = crate::quota::QUOTA;
    // A's honest change reaches B, who carries it in its own bundle.
    let before = t.inv_a.heads(&c1).unwrap();
    add_victim(&mut t.inv_a, &c1, "h1", "Honest");
    send(&mut t.inv_a, &mut t.inv_b);
    let honest = made_since(&mut t.inv_a, &c1, &before);
    // B makes a change it never sends, and 50 more than its quota on top
    // of it: none can be applied anywhere, all would wait.
    let flood = chain(&mut t.inv_b, &c1, "flood", quota.changes + 51);
    let mut bytes: Vec<Vec<u8>> = honest.clone();
    bytes.extend(raw(&flood[1..]));
    let crafted = bundle(&mut t.inv_b, &c1, Vec::new(), &bytes);
    let b = t.inv_b.device();

    let report = t.admin.import(&crafted, &Limits::default()).unwrap();
    assert_eq!(report.applied, 1, "A's change, relayed by B, lands");
    assert!(victims(&t.admin, &c1).contains(&"h1".to_string()));
    assert_eq!(report.held, quota.changes);
    assert_eq!(codes(&report), ["sync.quota_exceeded"]);
    assert!(report.quarantined[0].message.starts_with("50 change(s)"));
    let (count, size) = charged(&t.admin, &b);
    assert_eq!(count, quota.changes);
    assert!(size <= quota.bytes);
    // What the store would hold: one row per kept change, nothing more.
    let rows = t.admin.state_diff(&crate::StoredRows::default());
    assert_eq!(
        rows.put
            .iter()
            .filter(|(k, _, _)| *k == crate::RowKind::Held)
            .count(),
        quota.changes
    );

    // Later imports: A's new work lands; B's next flood is refused whole,
    // its honest changes still land.
    let report = send(&mut t.inv_a, &mut t.admin);
    assert!(report.quarantined.is_empty(), "{report:?}");
    let more = chain(&mut t.inv_b, &c1, "more", 3);
    let crafted = bundle(&mut t.inv_b, &c1, Vec::new(), &raw(&more[1..]));
    let report = t.admin.import(&crafted, &Limits::default()).unwrap();
    assert_eq!(codes(&report), ["sync.quota_exceeded"]);
    assert_eq!(t.admin.held().len(), quota.changes);
    let other_case = open_case(&mut t.inv_b, C2);
    add_victim(&mut t.inv_b, &other_case, "w", "B's own case");
    let report = send(&mut t.inv_b, &mut t.admin);
    assert!(report.applied >= 2, "{report:?}");
    assert!(t.admin.case(&other_case).is_some());
    assert_eq!(charged(&t.admin, &b).0, quota.changes);
}

#[test]
fn finding_11_changes_under_made_up_authors_are_charged_to_the_device_that_sent_them() {
    let (mut t, c1) = shared();
    limit_changes(&mut t.admin, 10);
    // B writes held changes under forty made-up actor ids, each signed by
    // the key of that id (not a team device) or by nothing valid at all.
    let heads = t.inv_b.heads(&c1).unwrap();
    let missing = ChangeHash([0x42; 32]);
    let mut bytes = Vec::new();
    let mut sigs = Vec::new();
    for i in 0..40 {
        let keys = DeviceKeys::generate().unwrap();
        let c = claims_ops(&keys.id().actor(), &[heads[0], missing], 1, 1);
        let hash = crate::chunk::change_hash(&c).unwrap();
        let sig = if i % 2 == 0 {
            keys.sign(&crate::trust::change_message(&t.inv_b.team_id, &c1, &hash))
        } else {
            [9; 64]
        };
        bytes.push(c);
        sigs.push(sig);
    }
    let crafted = sealed(
        &mut t.inv_b,
        vec![DocEntry::signed(
            &c1,
            Vec::new(),
            bytes
                .iter()
                .zip(&sigs)
                .map(|(b, s)| SignedChange {
                    bytes: b.clone(),
                    signature: s.to_vec(),
                })
                .collect(),
        )],
    );
    // Those signed by nobody valid are quarantined, those signed by a key
    // outside the team held: all of them charged to B, who sent them.
    let report = t.admin.import(&crafted, &Limits::default()).unwrap();
    let b = t.inv_b.device();
    assert_eq!(charged(&t.admin, &b).0, 10);
    assert_eq!(t.admin.held().len() + t.admin.quarantine().len(), 10);
    assert!(codes(&report).contains(&"sync.quota_exceeded"));
    assert!(t.admin.held().iter().all(|h| h.owner == b.to_hex()));
    assert!(
        t.admin
            .quarantine()
            .iter()
            .all(|q| q.owner == b.to_hex() && q.reason.code == "sync.bad_change_signature")
    );
    // A's own held changes, signed by A and relayed by B, are charged to
    // A: B's flood does not touch A's room.
    let flood = chain(&mut t.inv_a, &c1, "a", 5);
    for c in &flood {
        let sig = sign_as(&t.inv_a, &c1, &c.hash());
        t.inv_b.signatures.insert(c.hash(), sig);
    }
    let crafted = bundle(&mut t.inv_b, &c1, Vec::new(), &raw(&flood[1..]));
    let report = t.admin.import(&crafted, &Limits::default()).unwrap();
    assert!(report.quarantined.is_empty(), "{report:?}");
    assert_eq!(charged(&t.admin, &t.inv_a.device()).0, 4);
}

#[test]
fn finding_11_quarantined_changes_count_against_the_quota_and_are_not_remembered_past_it() {
    let (mut t, c1) = shared();
    limit_changes(&mut t.admin, 5);
    // The prosecutor may not edit a victim's record: the first change is
    // refused, the seven on top of it build on a refused change.
    let before = t.prosecutor.heads(&c1).unwrap();
    for i in 0..8 {
        forge(&mut t.prosecutor, &c1, |d| {
            put(d, &["victims", "v1", "pseudonym"], &format!("P-{i}"))
        });
    }
    let forged: Vec<ChangeHash> = t
        .prosecutor
        .doc_mut(&c1)
        .unwrap()
        .get_changes(&before)
        .iter()
        .map(|c| c.hash())
        .collect();
    let report = send(&mut t.prosecutor, &mut t.admin);
    assert_eq!(
        codes(&report),
        [
            "policy.denied",
            "sync.depends_on_quarantined",
            "sync.depends_on_quarantined",
            "sync.depends_on_quarantined",
            "sync.depends_on_quarantined",
            "sync.quota_exceeded"
        ]
    );
    assert_eq!(t.admin.quarantine().len(), 5);
    assert_eq!(
        forged
            .iter()
            .filter(|h| t.admin.is_quarantined(&c1, h))
            .count(),
        5,
        "verdicts not kept are not remembered"
    );
    assert_eq!(charged(&t.admin, &t.prosecutor.device()).0, 5);
    assert_eq!(victims(&t.admin, &c1), ["v1"]);
}

#[test]
fn finding_11_heads_of_documents_this_device_does_not_hold_are_not_recorded() {
    let (mut t, c1) = shared();
    let before = t.admin.peer_heads.len();
    // B sends heads of a thousand made-up cases, and of c1 a thousand heads.
    let mut docs: Vec<DocEntry> = (0..1000u32)
        .map(|i| {
            let id = format!("{:032x}", u128::from(i) + 1);
            DocEntry::signed(&id, vec![[7; 32]; 10], Vec::new())
        })
        .collect();
    docs.push(DocEntry::signed(&c1, vec![[8; 32]; 1000], Vec::new()));
    let crafted = sealed(&mut t.inv_b, docs);
    t.admin.import(&crafted, &Limits::default()).unwrap();
    assert!(t.admin.peer_heads.len() <= before);
    assert!(
        !t.admin
            .peer_heads
            .contains_key(&(member(&t.inv_b), c1.clone())),
        "a thousand heads are not recorded"
    );
    // Honest heads still are.
    send(&mut t.inv_b, &mut t.admin);
    assert_eq!(
        t.admin.peer_heads[&(member(&t.inv_b), c1.clone())],
        t.inv_b.heads(&c1).unwrap()
    );
}

#[test]
fn finding_11_the_state_is_stored_as_rows_and_read_back() {
    let (mut t, c1) = shared();
    limit_changes(&mut t.admin, 20);
    let flood = chain(&mut t.inv_b, &c1, "rows", 12);
    let crafted = bundle(&mut t.inv_b, &c1, Vec::new(), &raw(&flood[1..]));
    t.admin.import(&crafted, &Limits::default()).unwrap();
    forge(&mut t.prosecutor, &c1, |d| {
        put(d, &["victims", "v1", "pseudonym"], "P")
    });
    send(&mut t.prosecutor, &mut t.admin);
    assert_eq!((t.admin.held().len(), t.admin.quarantine().len()), (11, 1));

    // Everything from nothing: one row per entry.
    let mut stored = crate::StoredRows::default();
    let diff = t.admin.state_diff(&stored);
    assert!(diff.delete.is_empty());
    stored.apply(&diff);
    assert_eq!(stored.count(crate::RowKind::Held), 11);
    assert_eq!(stored.count(crate::RowKind::Quarantined), 1);
    assert!(
        t.admin.state_diff(&stored).is_empty(),
        "nothing new to write"
    );
    let (state, read) = crate::stored_state::state_from_rows(diff.put.clone()).unwrap();
    assert_eq!(read, stored);
    let mut held = state.held.clone();
    held.sort_by(|a, b| a.hash.cmp(&b.hash));
    let mut mine = t.admin.held().to_vec();
    mine.sort_by(|a, b| a.hash.cmp(&b.hash));
    assert_eq!(held, mine);
    assert_eq!(
        state.quarantine,
        t.admin
            .quarantine()
            .into_iter()
            .cloned()
            .collect::<Vec<_>>()
    );

    // The missing change arrives: the held ones are applied, and their
    // rows deleted, nothing else.
    let first = flood[0].raw_bytes().to_vec();
    let crafted = bundle(&mut t.inv_b, &c1, Vec::new(), &[first]);
    let report = t.admin.import(&crafted, &Limits::default()).unwrap();
    assert_eq!(report.applied, 12);
    let diff = t.admin.state_diff(&stored);
    assert_eq!(
        diff.delete
            .iter()
            .filter(|(k, _)| *k == crate::RowKind::Held)
            .count(),
        11
    );
    assert!(
        diff.put
            .iter()
            .all(|(k, _, _)| *k == crate::RowKind::PeerHeads)
    );
    // A row that is not of this format is refused, not misread.
    let (kind, key, mut value) = first_quarantine_row(&t.admin);
    value[0] = 2;
    assert_eq!(
        crate::stored_state::state_from_rows([(kind, key, value)])
            .unwrap_err()
            .code(),
        "sync.future_version"
    );
}

fn first_quarantine_row(r: &Replica) -> (crate::RowKind, Vec<u8>, Vec<u8>) {
    r.state_diff(&crate::StoredRows::default())
        .put
        .into_iter()
        .find(|(k, _, _)| *k == crate::RowKind::Quarantined)
        .unwrap()
}

#[test]
fn finding_11_state_stored_before_rows_is_completed_on_restore() {
    let (mut t, c1) = shared();
    let flood = chain(&mut t.inv_b, &c1, "legacy", 3);
    let b = t.inv_b.device().to_hex();
    // The JSON an earlier version stored: bytes as arrays of numbers, no
    // hash, author or owner on held changes, no owner on quarantined ones.
    let held: Vec<serde_json::Value> = flood[1..]
        .iter()
        .map(|c| {
            serde_json::json!({
                "doc_id": c1,
                "bytes": c.raw_bytes(),
                "signature": vec![0u8; 64],
            })
        })
        .collect();
    let legacy = serde_json::json!({
        "peer_heads": [[member(&t.inv_b), c1, [vec![1u8; 32]]]],
        "held": [held[0], held[1], held[0]],
        "quarantine": [{
            "doc_id": c1,
            "hash": flood[0].hash().to_string(),
            "author": b,
            "reason": {"code": "policy.denied", "message": "m"},
            "bytes": flood[0].raw_bytes(),
        }],
    });
    let state: crate::ReplicaState = serde_json::from_value(legacy).unwrap();
    let r = Replica::restore(
        DeviceKeys::from_bytes(&t.admin.keys.to_secret_bytes()),
        t.admin.team.automerge().clone(),
        t.admin.team_keys.values().cloned(),
        t.admin.cases.clone(),
        Vec::new(),
        state,
    )
    .unwrap();
    assert_eq!(r.held().len(), 2, "one row per change");
    for (h, c) in r.held().iter().zip(&flood[1..]) {
        assert_eq!(h.hash, c.hash().to_string());
        assert_eq!(
            (h.author.as_deref(), h.owner.as_str()),
            (Some(b.as_str()), b.as_str())
        );
    }
    assert_eq!(r.quarantine()[0].owner, b);
    assert!(r.is_quarantined(&c1, &flood[0].hash()));
    let rows = r.state_diff(&crate::StoredRows::default());
    // Peer heads, two held changes, one quarantine entry, the notes.
    assert_eq!(rows.put.len(), 1 + 2 + 1 + 1);
}
