//! Bundles of format 3: compressed plaintext, whole documents for a
//! recipient that holds none, and one signature per author of a document
//! vouching for the author's changes it builds on. A modified client
//! crafts what it sends with its real device key; every change is judged
//! exactly as one in a list of changes with its own signature would be.

use automerge::{AutoCommit, Change, ChangeHash};

use super::fixture::*;
use crate::bundle::{AuthorSignature, Content, DocEntry, Limits, Meta, Recipient};
use crate::replica::Replica;

/// `r`'s copy of `case` with `extra` applied, saved with plain columns.
fn whole_document(r: &Replica, case: &str, extra: &[Change]) -> (Vec<u8>, Vec<[u8; 32]>) {
    let mut doc: AutoCommit = r.cases[case].clone();
    doc.apply_changes(extra.iter().cloned()).unwrap();
    let heads = doc.get_heads().iter().map(|h| h.0).collect();
    (doc.save_nocompress(), heads)
}

/// The signature `signer` holds that vouches for each of `changes`.
fn vouching(signer: &Replica, changes: &[Change]) -> Vec<AuthorSignature> {
    let (held, bare) = crate::vouch::covering("", changes, &signer.signatures);
    assert!(bare.is_empty(), "{bare:?}");
    held.into_iter()
        .map(|(h, s)| AuthorSignature {
            change: h.0,
            signature: s.to_vec(),
        })
        .collect()
}

/// A change by `r` to `case`'s title, on `r`'s copy, not applied there.
pub(super) fn title_change(r: &mut Replica, case: &str, title: &str) -> Change {
    craft(r, case, |d| put(d, &["header", "title"], title), |_| {})
}

pub(super) fn title(r: &Replica, case: &str) -> String {
    case_of(r, case).header.title
}

/// Whether `r` holds a change of `case`.
pub(super) fn holds(r: &mut Replica, case: &str, hash: &ChangeHash) -> bool {
    r.cases
        .get_mut(case)
        .is_some_and(|d| d.get_change_by_hash(hash).is_some())
}

#[test]
fn an_unsigned_change_hidden_in_a_whole_document_is_refused_and_the_rest_lands() {
    let (mut t, c1) = shared();
    add_victim(&mut t.inv_a, &c1, "x", "Genuine");
    let x = t.inv_a.heads(&c1).unwrap()[0];
    send(&mut t.inv_a, &mut t.inv_b);
    // B's modified client adds a change of its own that no signature
    // vouches for, inside the whole document, beside A's signed changes.
    let hidden = title_change(&mut t.inv_b, &c1, "rewritten unsigned");
    let (bytes, heads) = whole_document(&t.inv_b, &c1, std::slice::from_ref(&hidden));
    let genuine = t.inv_b.cases[&c1].clone().get_changes(&[]);
    let entry = DocEntry {
        doc_id: c1.clone(),
        heads,
        content: Content::Document(bytes.into()),
        signatures: vouching(&t.inv_b, &genuine),
    };
    let before = title(&t.admin, &c1);
    let bundle = sealed(&mut t.inv_b, vec![entry]);
    let report = t.admin.import(&bundle, &Limits::default()).unwrap();
    assert_eq!(codes(&report), ["sync.bad_change_signature"]);
    assert_eq!(report.quarantined[0].hash, hidden.hash().to_string());
    assert_eq!(report.applied, 1, "A's signed change lands: {report:?}");
    assert!(holds(&mut t.admin, &c1, &x));
    assert!(!holds(&mut t.admin, &c1, &hidden.hash()));
    assert_eq!(title(&t.admin, &c1), before);
}

#[test]
fn a_change_under_an_authors_name_that_its_signed_change_does_not_reach_is_refused() {
    let (mut t, c1) = shared();
    add_victim(&mut t.inv_a, &c1, "x", "Genuine");
    let x = t.inv_a.heads(&c1).unwrap()[0];
    let x_change = t
        .inv_a
        .cases
        .get_mut(&c1)
        .unwrap()
        .get_change_by_hash(&x)
        .unwrap();
    // B forges a sibling of X under A's actor, with the next sequence
    // number, on what X builds on: A's signature of X does not reach it.
    let a_actor = t.inv_a.device().actor();
    let (deps, seq) = (x_change.deps().to_vec(), x_change.seq());
    let sibling = craft(
        &mut t.inv_b,
        &c1,
        |d| put(d, &["header", "title"], "forged under A's name"),
        |e| {
            e.actor_id = a_actor.clone();
            e.seq = seq + 1;
            e.deps = deps.clone();
        },
    );
    assert_eq!(*sibling.actor_id(), a_actor);
    let entry = DocEntry {
        doc_id: c1.clone(),
        heads: Vec::new(),
        content: Content::Changes(vec![
            x_change.raw_bytes().to_vec().into(),
            sibling.raw_bytes().to_vec().into(),
        ]),
        signatures: vec![AuthorSignature {
            change: x.0,
            signature: t.inv_a.signatures[&x].to_vec(),
        }],
    };
    let before = title(&t.admin, &c1);
    let bundle = sealed(&mut t.inv_b, vec![entry]);
    let report = t.admin.import(&bundle, &Limits::default()).unwrap();
    assert_eq!(codes(&report), ["sync.bad_change_signature"]);
    assert_eq!(report.quarantined[0].hash, sibling.hash().to_string());
    assert_eq!(report.applied, 1);
    assert!(holds(&mut t.admin, &c1, &x));
    assert_eq!(title(&t.admin, &c1), before);
}

#[test]
fn one_authors_signature_attached_to_anothers_change_is_refused() {
    let (mut t, c1) = shared();
    add_victim(&mut t.inv_a, &c1, "x", "Genuine");
    let x = t.inv_a.heads(&c1).unwrap()[0];
    let a_signature = t.inv_a.signatures[&x];
    let b_change = title_change(&mut t.inv_b, &c1, "vouched by A's signature");
    let entry = DocEntry {
        doc_id: c1.clone(),
        heads: Vec::new(),
        content: Content::Changes(vec![b_change.raw_bytes().to_vec().into()]),
        signatures: vec![AuthorSignature {
            change: b_change.hash().0,
            signature: a_signature.to_vec(),
        }],
    };
    let before = title(&t.admin, &c1);
    let bundle = sealed(&mut t.inv_b, vec![entry]);
    let report = t.admin.import(&bundle, &Limits::default()).unwrap();
    assert_eq!(codes(&report), ["sync.bad_change_signature"]);
    assert_eq!(report.applied, 0);
    assert_eq!(title(&t.admin, &c1), before);
    assert!(!t.admin.signatures.contains_key(&b_change.hash()));
}

/// A bundle from `from` whose compressed body is `plain` as given.
fn with_body(from: &mut Replica, plain: &[u8]) -> Vec<u8> {
    let epoch = from.team().unwrap().current_epoch();
    let meta = Meta {
        epoch,
        sender: from.device(),
        recipient: Recipient::AnyMember,
        created_at: T0,
    };
    let key = from.team_keys[&epoch].clone();
    from.seal_compressed(&meta, Vec::new(), plain, &key)
        .unwrap()
}

#[test]
fn a_compressed_body_that_expands_past_the_readers_limit_is_refused_before_it_is_expanded() {
    let (mut t, c1) = shared();
    let heads = t.admin.heads(&c1);
    let limits = Limits {
        max_body: 1 << 20,
        ..Limits::default()
    };
    let zeros = vec![0u8; 32 << 20];
    // A frame that states its size: 32 MiB from a few kilobytes.
    let bomb = zstd::bulk::compress(&zeros, 3).unwrap();
    assert!(bomb.len() < 8 << 10, "{}", bomb.len());
    let err = t
        .admin
        .import(&with_body(&mut t.inv_b, &bomb), &limits)
        .unwrap_err();
    assert_eq!(err.code(), "sync.too_large");
    assert!(err.to_string().contains("expand to more than"), "{err}");
    // One that does not state it is not read at all.
    let unstated = zstd::stream::encode_all(&zeros[..], 3).unwrap();
    let err = t
        .admin
        .import(&with_body(&mut t.inv_b, &unstated), &limits)
        .unwrap_err();
    assert_eq!(err.code(), "sync.malformed");
    // One that states a small size and expands past it stops at the size
    // it states.
    let mut lying = zstd::bulk::compress(b"tiny", 3).unwrap();
    lying.extend_from_slice(&bomb);
    let err = t
        .admin
        .import(&with_body(&mut t.inv_b, &lying), &limits)
        .unwrap_err();
    assert_eq!(err.code(), "sync.malformed");
    assert_eq!(t.admin.heads(&c1), heads, "nothing was imported");
    assert!(t.admin.quarantine().is_empty());
}

#[test]
fn a_whole_document_that_is_cut_short_or_altered_refuses_the_bundle() {
    let (mut t, c1) = shared();
    add_victim(&mut t.inv_b, &c1, "x", "Genuine");
    let (bytes, heads) = whole_document(&t.inv_b, &c1, &[]);
    let genuine = t.inv_b.cases[&c1].clone().get_changes(&[]);
    let signatures = vouching(&t.inv_b, &genuine);
    let entry = |content: Vec<u8>| DocEntry {
        doc_id: c1.clone(),
        heads: heads.clone(),
        content: Content::Document(content.into()),
        signatures: signatures.clone(),
    };
    let before = t.admin.heads(&c1);
    let cut = entry(bytes[..bytes.len() - 10].to_vec());
    // A head the document names, altered: its changes no longer hash to it.
    let mut altered = bytes.clone();
    let at = altered
        .windows(32)
        .position(|w| w == heads[0])
        .expect("the document names its head");
    altered[at] ^= 1;
    for (what, bad) in [("cut short", cut), ("altered", entry(altered))] {
        let bundle = sealed(&mut t.inv_b, vec![bad]);
        let err = t.admin.import(&bundle, &Limits::default()).unwrap_err();
        assert_eq!(err.code(), "sync.malformed", "{what}: {err}");
        assert_eq!(t.admin.heads(&c1), before, "{what}: nothing was imported");
    }
    // The document as it was saved lands.
    let bundle = sealed(&mut t.inv_b, vec![entry(bytes)]);
    let report = t.admin.import(&bundle, &Limits::default()).unwrap();
    assert_eq!((report.applied, report.quarantined.len()), (1, 0));
}

#[test]
fn a_device_that_holds_nothing_receives_whole_documents_and_every_change_lands() {
    let (mut t, c1) = shared();
    add_victim(&mut t.inv_a, &c1, "x", "Genuine");
    send(&mut t.inv_a, &mut t.admin);
    let mut fresh = enrol(
        &mut t.admin,
        "Investigator Nilufar",
        caravan_model::Role::Investigator,
    );
    grant(&mut t.admin, &c1, &fresh);
    let bundle = export_to(&mut t.admin, &fresh);
    let report = fresh.import(&bundle, &Limits::default()).unwrap();
    assert!(report.quarantined.is_empty(), "{report:?}");
    assert_eq!(fresh.heads(&c1), t.admin.heads(&c1));
    // Opened now that the case key it came with is held here.
    let (_, _, mut docs) = fresh.open_docs(&bundle);
    let case = docs
        .iter_mut()
        .find(|d| d.doc_id == c1)
        .expect("c1 travels");
    assert!(matches!(case.content, Content::Document(_)));
    let authors = case
        .changes()
        .iter()
        .map(|(c, _)| c.actor_id().clone())
        .collect::<std::collections::BTreeSet<_>>();
    assert!(
        case.signatures.len() <= authors.len(),
        "one signature per author and head: {} for {} authors",
        case.signatures.len(),
        authors.len()
    );
    // What it holds it can vouch for, and pass on.
    let doc_changes = fresh.cases[&c1].clone().get_changes(&[]);
    assert!(
        crate::vouch::covering(&c1, &doc_changes, &fresh.signatures)
            .1
            .is_empty()
    );
}

#[test]
fn a_relay_holding_an_older_part_of_an_authors_changes_still_passes_it_on() {
    let (mut t, c1) = shared();
    let mut sup = enrol(
        &mut t.admin,
        "Supervisor Saule",
        caravan_model::Role::Supervisor,
    );
    grant(&mut t.admin, &c1, &sup);
    send(&mut t.admin, &mut sup);
    send(&mut t.admin, &mut t.inv_b);
    send(&mut t.admin, &mut t.prosecutor);
    add_victim(&mut t.inv_a, &c1, "x1", "First");
    add_victim(&mut t.inv_a, &c1, "x2", "Second");
    // B holds A's first two changes, vouched for by A's signature of X2.
    send(&mut t.inv_a, &mut t.inv_b);
    add_victim(&mut t.inv_a, &c1, "x3", "Third");
    add_victim(&mut t.inv_a, &c1, "x4", "Fourth");
    // The prosecutor holds all four, vouched for by A's signature of X4.
    send(&mut t.inv_a, &mut t.prosecutor);
    let x2 = t.inv_b.heads(&c1).unwrap()[0];
    let x4 = t.prosecutor.heads(&c1).unwrap()[0];
    assert!(t.inv_b.signatures.contains_key(&x2));
    // The supervisor, who never met A, hears from B first, then from the
    // prosecutor: each relay vouches for what it holds with what it kept.
    let from_b = send(&mut t.inv_b, &mut sup);
    assert!(from_b.quarantined.is_empty(), "{from_b:?}");
    assert!(holds(&mut sup, &c1, &x2));
    let from_p = send(&mut t.prosecutor, &mut sup);
    assert!(from_p.quarantined.is_empty(), "{from_p:?}");
    assert_eq!(from_p.applied, 2);
    assert_eq!(sup.heads(&c1), t.inv_a.heads(&c1));
    assert_eq!(sup.signatures[&x4], t.inv_a.signatures[&x4]);
    let doc_changes = sup.cases[&c1].clone().get_changes(&[]);
    assert!(
        crate::vouch::covering(&c1, &doc_changes, &sup.signatures)
            .1
            .is_empty()
    );
}

/// An input of one document: each of `authors` fresh devices' first change
/// at the root, a chain of 20 changes by another device on all of them
/// (its tip signed), and each author's second change, signed, on the tip.
/// Returns the input and the first changes' hashes.
#[allow(clippy::type_complexity)]
fn many_authors(
    team: &crate::team::TeamId,
    doc_id: &str,
    authors: usize,
) -> (Vec<(Change, Option<[u8; 64]>)>, Vec<ChangeHash>) {
    use crate::identity::DeviceKeys;
    use automerge::transaction::Transactable;
    let sign =
        |k: &DeviceKeys, h: &ChangeHash| k.sign(&crate::trust::change_message(team, doc_id, h));
    let keys: Vec<DeviceKeys> = (0..authors)
        .map(|_| DeviceKeys::generate().unwrap())
        .collect();
    let mut doc = AutoCommit::new();
    let mut input = Vec::new();
    for k in &keys {
        let mut d = AutoCommit::new().with_actor(k.id().actor());
        d.put(automerge::ROOT, "first", 1).unwrap();
        d.commit();
        let c = d.get_last_local_change().unwrap();
        doc.apply_changes([c.clone()]).unwrap();
        input.push((c, None));
    }
    let firsts = input.iter().map(|(c, _): &(Change, _)| c.hash()).collect();
    let chain_author = DeviceKeys::generate().unwrap();
    let mut doc = doc.with_actor(chain_author.id().actor());
    for i in 0..20 {
        doc.put(automerge::ROOT, "chain", i).unwrap();
        doc.commit();
        input.push((doc.get_last_local_change().unwrap(), None));
    }
    let tip = input.last().unwrap().0.hash();
    input.last_mut().unwrap().1 = Some(sign(&chain_author, &tip));
    for k in &keys {
        let mut d = doc.fork().with_actor(k.id().actor());
        d.put(automerge::ROOT, "second", 2).unwrap();
        d.commit();
        let c = d.get_last_local_change().unwrap();
        let s = sign(k, &c.hash());
        input.push((c, Some(s)));
    }
    (input, firsts)
}

/// How many of `firsts` the input's later signatures vouch for, walking
/// for at most `max` authors.
fn vouched(
    verifier: &crate::trust::Verifier<'_>,
    input: &[(Change, Option<[u8; 64]>)],
    firsts: &[ChangeHash],
    max: Option<usize>,
) -> usize {
    let out = match max {
        Some(m) => crate::vouch::vouch_walking(verifier, input.to_vec(), m),
        None => crate::vouch::vouch(verifier, input.to_vec()),
    };
    out.into_iter()
        .filter(|(c, v)| {
            firsts.contains(&c.hash()) && matches!(v, crate::vouch::Voucher::Later { .. })
        })
        .count()
}

/// Regression: every author's signature started a walk over the whole
/// input, so fresh keys (which cost nothing) on top of a long chain made
/// reading one input cost authors × changes. Past a number of authors,
/// each change needs its own signature.
#[test]
fn an_input_with_more_authors_than_are_walked_needs_their_own_signatures() {
    let team = crate::team::TeamId::of_genesis(&ChangeHash([7; 32]));
    let doc_id = "0123456789abcdef0123456789abcdef";
    let (input, firsts) = many_authors(&team, doc_id, 5);
    let verifier = crate::trust::Verifier::new(&team, doc_id);
    // Enough walks: every author's first change is vouched for.
    assert_eq!(vouched(&verifier, &input, &firsts, None), 5);
    // Three walks, newest signatures first: three authors' first changes
    // are vouched for; the other two, and the chain below its tip, need
    // signatures of their own.
    assert_eq!(vouched(&verifier, &input, &firsts, Some(3)), 3);
}

/// Regression (found in review): a member sent its own team change T1 with
/// only its signature of a successor T2 that every device refuses. T1 was
/// taken on T2's signature, kept without one, and passed on unsigned, so
/// every device refused it and every later team change built on it: the
/// member's revocation, key rotations, enrolments. A team change now needs
/// its own signature, on the way in and on the way out.
#[test]
fn every_team_change_needs_and_travels_with_its_own_signature() {
    let team = crate::team::TeamId::of_genesis(&ChangeHash([7; 32]));
    let (input, firsts) = many_authors(&team, crate::team::TEAM_DOC_ID, 3);
    let verifier = crate::trust::Verifier::new(&team, crate::team::TEAM_DOC_ID);
    assert_eq!(vouched(&verifier, &input, &firsts, None), 0);
    // A device holding only the signatures of the newest team changes
    // cannot vouch for the rest: they are named as bare.
    let held: std::collections::HashMap<ChangeHash, [u8; 64]> = input
        .iter()
        .filter_map(|(c, s)| s.map(|s| (c.hash(), s)))
        .collect();
    let changes: Vec<Change> = input.iter().map(|(c, _)| c.clone()).collect();
    let (chosen, bare) = crate::vouch::covering(crate::team::TEAM_DOC_ID, &changes, &held);
    assert_eq!(chosen.len(), held.len());
    assert_eq!(bare.len(), changes.len() - held.len());
}

/// Regression: a whole document was loaded within what the input's
/// operation budget had left, but not charged to it, so every section of
/// one input could load a document of the whole budget's size. Now a
/// document's rows are charged before it is loaded: the second one here
/// does not fit what the first left, and is refused unread.
#[test]
fn whole_documents_are_charged_to_the_inputs_budget_before_they_are_loaded() {
    let (mut t, c1) = shared();
    let c2 = open_case(&mut t.inv_a, C2);
    grant(&mut t.admin, &c2, &t.inv_b);
    send(&mut t.inv_a, &mut t.admin);
    send(&mut t.admin, &mut t.inv_b);
    let big = |r: &mut Replica, case: &str| {
        craft(
            r,
            case,
            |d| {
                for i in 0..1500 {
                    put(d, &["header", "title"], &format!("t{i}"));
                }
            },
            |_| {},
        )
    };
    let (b1, b2) = (big(&mut t.inv_b, &c1), big(&mut t.inv_b, &c2));
    let entry = |r: &Replica, case: &str, c: &Change| {
        let (bytes, heads) = whole_document(r, case, std::slice::from_ref(c));
        DocEntry {
            doc_id: case.to_string(),
            heads,
            content: Content::Document(bytes.into()),
            signatures: vec![AuthorSignature {
                change: c.hash().0,
                signature: sign_as(r, case, &c.hash()).to_vec(),
            }],
        }
    };
    let entries = vec![entry(&t.inv_b, &c1, &b1), entry(&t.inv_b, &c2, &b2)];
    let bundle = sealed(&mut t.inv_b, entries);
    let limits = Limits {
        max_change_ops: 1 << 10,
        max_ops: 1 << 11,
        ..Limits::default()
    };
    let report = t.admin.import(&bundle, &limits).unwrap();
    assert!(!holds(&mut t.admin, &c1, &b1.hash()));
    assert!(!holds(&mut t.admin, &c2, &b2.hash()));
    let second: Vec<_> = report
        .quarantined
        .iter()
        .filter(|q| q.doc_id == c2)
        .collect();
    assert_eq!(second.len(), 1, "{report:?}");
    assert_eq!(second[0].code, "sync.change_too_large");
    // Refused as a document, before Automerge read the change out of it.
    assert_ne!(second[0].hash, b2.hash().to_string());
}

/// A title change by `r` numbered 1,000 past its next sequence number.
fn skipping_change(r: &mut Replica, case: &str) -> Change {
    craft(
        r,
        case,
        |d| put(d, &["header", "title"], "gap"),
        |e| e.seq += 1000,
    )
}

/// Regression: a change whose sequence number skips its author's changes
/// passed every check and made Automerge panic when it was applied,
/// stopping the import (and, run on the caller's thread, the app). Now it
/// is refused before it is applied, and the rest of the input lands.
#[test]
fn a_change_that_skips_its_authors_sequence_numbers_is_refused_before_it_is_applied() {
    let (mut t, c1) = shared();
    let gap = skipping_change(&mut t.inv_b, &c1);
    add_victim(&mut t.inv_a, &c1, "v2", "Signed");
    let genuine = t
        .inv_a
        .cases
        .get_mut(&c1)
        .unwrap()
        .get_last_local_change()
        .unwrap();
    let signed = |r: &Replica, c: &Change| AuthorSignature {
        change: c.hash().0,
        signature: sign_as(r, &c1, &c.hash()).to_vec(),
    };
    let entry = DocEntry {
        doc_id: c1.clone(),
        heads: vec![],
        content: Content::Changes(vec![
            gap.raw_bytes().to_vec().into(),
            genuine.raw_bytes().to_vec().into(),
        ]),
        signatures: vec![signed(&t.inv_b, &gap), signed(&t.inv_a, &genuine)],
    };
    let bundle = sealed(&mut t.inv_b, vec![entry]);
    let report = t.admin.import(&bundle, &Limits::default()).unwrap();
    assert_eq!(codes(&report), ["sync.bad_sequence"]);
    assert_eq!(report.applied, 1);
    assert!(case_of(&t.admin, &c1).victims.contains_key("v2"));
    assert!(!holds(&mut t.admin, &c1, &gap.hash()));
}

/// Automerge panics on a change whose history it does not expect (here a
/// sequence number past its author's next one, which the checks refuse
/// before it gets this far); whatever still makes it panic refuses the
/// whole input with `sync.malformed` instead of stopping the import.
#[test]
fn a_change_automerge_panics_on_refuses_the_input_instead() {
    let (mut t, c1) = shared();
    let gap = skipping_change(&mut t.inv_b, &c1);
    let mut staged = t.admin.cases.get_mut(&c1).unwrap().clone();
    let err = crate::import::guarded_apply(&mut staged, vec![gap]).unwrap_err();
    assert_eq!(err.code(), "sync.malformed");
}
