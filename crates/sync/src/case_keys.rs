//! Case keys: need-to-know in the cryptography.
//!
//! Each case has its own symmetric key, in epochs. A key is sealed (X25519,
//! as team keys) to exactly the devices whose members may access the case,
//! and each case's changes travel in bundles and sessions under its current
//! key. A member who may not access a case holds no key of it: a bundle or
//! session it captures, addressed to someone else, carries nothing of that
//! case it can decrypt.
//!
//! Every copy of a key for one device is a *wrap*, stored in the team
//! document under `case_keys/<slot>`. A wrap is judged at merge like every
//! write (`check_wraps`): its writer is the change's author (whose
//! signature covers the change), its slot is derived from what it holds
//! (so no one can take another device's slot), and it is sealed to a
//! device of the team.
//! A wrap also carries a MAC under the key it seals, which only a device
//! that knows the key can make. A device sends a case only under a key
//! whose wrap to it was written by an active device of a member who may
//! access the case, and checks that the key it opens is the one the key id
//! commits to. So a member without access can add wraps of its own, and
//! nothing comes of it: no honest device encrypts under a key it made.
//!
//! Keys are rotated when a device that knows the current key (the writer
//! or recipient of a wrap of it whose MAC checks out) may no longer access
//! the case: its member lost access, or the device was revoked. The next
//! device of an entitled member that sends the case makes the next epoch,
//! sealed only to the devices that may. Old keys stay in the team
//! document, so history stays readable to whoever could read it then (no
//! forward secrecy for history, as in Keyhive).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{AutoCommit, ObjType, ROOT, ReadDoc, Value};
use caravan_model::Millis;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::crypto::{self, open_from, random, seal_to, sha256};
use crate::error::{SyncError, doc_err};
use crate::identity::DeviceId;
use crate::replica::Replica;
use crate::team::{TEAM_DOC_ID, TeamDoc, TeamId, public_device};

/// The team-document map that holds every wrap of every case key.
pub(crate) const CASE_KEYS: &str = "case_keys";

/// One epoch of one case's key, opened on this device. Never cloned, never
/// serialised: it lives in the replica's memory and is zeroed when dropped.
pub(crate) struct CaseKey {
    pub(crate) epoch: u32,
    pub(crate) id: [u8; 16],
    key: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for CaseKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CaseKey(epoch {}, {})", self.epoch, hex::encode(self.id))
    }
}

/// A case key sealed to one device, as the team document stores it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Wrap {
    pub(crate) case: [u8; 16],
    pub(crate) epoch: u32,
    pub(crate) key_id: [u8; 16],
    pub(crate) recipient: DeviceId,
    pub(crate) writer: DeviceId,
    #[serde(with = "serde_bytes")]
    pub(crate) sealed: Vec<u8>,
    /// HMAC-SHA256 under the key of the fields above but `sealed`: proof
    /// that the writer knew the key.
    pub(crate) mac: [u8; 32],
}

/// Bytes a sealed key takes: ephemeral public key, nonce, key, tag.
const SEALED_LEN: usize = 32 + 24 + 32 + 16;
/// Bytes a stored wrap may take (hex of its postcard form).
const MAX_WRAP_TEXT: usize = 1024;

pub(crate) fn key_mac(team: &TeamId, key: &[u8; 32], w: &Wrap) -> [u8; 32] {
    use hkdf::hmac::{Hmac, KeyInit, Mac};
    let Ok(mut mac) = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(key) else {
        return [0; 32];
    };
    for part in [
        &b"caravan/case-key-mac/v1\0"[..],
        &team.0,
        &w.case,
        &w.epoch.to_be_bytes(),
        &w.key_id,
        &w.recipient.0,
        &w.writer.0,
    ] {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// The id a key commits to: whoever opens a wrap checks that the key it
/// found is the one the id names, so a wrap cannot smuggle in another key.
pub(crate) fn key_id(team: &TeamId, case: &[u8; 16], epoch: u32, key: &[u8; 32]) -> [u8; 16] {
    let h = sha256(&[
        b"caravan/case-key-id/v1\0",
        &team.0,
        case,
        &epoch.to_be_bytes(),
        key,
    ]);
    let mut id = [0u8; 16];
    id.copy_from_slice(&h[..16]);
    id
}

fn wrap_aad(team: &TeamId, w: &Wrap) -> Vec<u8> {
    let mut aad = b"caravan/case-key/v1\0".to_vec();
    aad.extend_from_slice(&team.0);
    aad.extend_from_slice(&w.case);
    aad.extend_from_slice(&w.epoch.to_be_bytes());
    aad.extend_from_slice(&w.key_id);
    aad.extend_from_slice(&w.recipient.0);
    aad
}

/// Where a wrap is stored: the case id first (so one case's wraps are one
/// range of keys), then a digest of what makes the wrap unique.
fn slot(w: &Wrap) -> String {
    let h = sha256(&[&w.key_id, &w.recipient.0, &w.writer.0]);
    format!("{}{}", hex::encode(w.case), hex::encode(&h[..12]))
}

/// The 16 bytes of a case id (32 lower-case hex digits).
pub(crate) fn case_bytes(case_id: &str) -> Option<[u8; 16]> {
    let mut out = [0u8; 16];
    hex::decode_to_slice(case_id, &mut out).ok()?;
    Some(out)
}

/// Every wrap of one case's keys in a team document, unverified: all
/// values of the `case_keys` map (two devices may have made it at once)
/// and every concurrent value of each slot.
pub(crate) fn read_wraps(doc: &AutoCommit, case_id: &str) -> Vec<Wrap> {
    let Some(case) = case_bytes(case_id) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (value, map) in doc.get_all(ROOT, CASE_KEYS).unwrap_or_default() {
        if !matches!(value, Value::Object(ObjType::Map)) {
            continue;
        }
        let slots: Vec<String> = doc
            .map_range(&map, case_id.to_string()..)
            .map(|item| item.key.to_string())
            .take_while(|k| k.starts_with(case_id))
            .collect();
        for key in slots {
            for (value, _) in doc.get_all(&map, key.as_str()).unwrap_or_default() {
                let Some(w) = value
                    .as_str()
                    .and_then(|s| hex::decode(s).ok())
                    .and_then(|b| postcard::from_bytes::<Wrap>(&b).ok())
                else {
                    continue;
                };
                if w.case == case {
                    out.push(w);
                }
            }
        }
    }
    out
}

/// The wraps a set of changes writes, by case, read from their operations
/// alone (an input's own team changes, before they are judged: a key found
/// there only reads, see `case_key_to_read`). An input's team changes are
/// read once, not once for each of the cases whose keys they bring.
pub(crate) fn wraps_by_case<'a>(
    changes: impl IntoIterator<Item = &'a automerge::Change>,
) -> HashMap<[u8; 16], Vec<Wrap>> {
    let mut out: HashMap<[u8; 16], Vec<Wrap>> = HashMap::new();
    for change in changes {
        let Some(decoded) = crate::analyze::decode_change(change) else {
            continue;
        };
        for op in decoded.operations {
            let automerge::legacy::Key::Map(key) = &op.key else {
                continue;
            };
            let automerge::legacy::OpType::Put(automerge::ScalarValue::Str(text)) = &op.action
            else {
                continue;
            };
            // Only under its own case's id, as the team document holds it.
            if let Some(w) = parse_wrap(text).filter(|w| key.starts_with(&hex::encode(w.case))) {
                out.entry(w.case).or_default().push(w);
            }
        }
    }
    out
}

/// The wraps that `wraps_by_case` found for `case_id`.
pub(crate) fn wraps_for(by_case: &HashMap<[u8; 16], Vec<Wrap>>, case_id: &str) -> Vec<Wrap> {
    case_bytes(case_id)
        .and_then(|case| by_case.get(&case).cloned())
        .unwrap_or_default()
}

fn parse_wrap(text: &str) -> Option<Wrap> {
    if text.len() > MAX_WRAP_TEXT {
        return None;
    }
    postcard::from_bytes(&hex::decode(text).ok()?).ok()
}

/// Judges the wraps a team change writes (see the module's comment):
/// each value under `case_keys/<slot>` must be a wrap naming the change's
/// author as its writer, stored in its own slot, of the right size, sealed
/// to a device of the team. Whether its writer may access the case is not
/// judged here (a device that does not hold a case cannot know who opened
/// it); a wrap by a writer who may not is never used.
pub(crate) fn check_wraps(
    team: &TeamDoc,
    author: &DeviceId,
    writes: &[crate::analyze::Write],
) -> Result<(), crate::refusal::Rejection> {
    use caravan_model::Seg;
    let refuse = |why: &str| {
        crate::refusal::Rejection::new(
            crate::refusal::Refusal::BadKeyWrap,
            format!("a case key wrap {why}"),
        )
    };
    for w in writes {
        let (Some(Seg::Key(first)), Some(Seg::Key(slot_key))) = (w.path.0.first(), w.path.0.get(1))
        else {
            continue;
        };
        if first != CASE_KEYS {
            continue;
        }
        let Some(text) = w.scalar().and_then(|v| match v {
            automerge::ScalarValue::Str(s) => Some(s.to_string()),
            _ => None,
        }) else {
            return Err(refuse("is not a wrap"));
        };
        let Some(wrap) = parse_wrap(&text) else {
            return Err(refuse("is not a wrap"));
        };
        // The change is signed by its author: a wrap naming its author as
        // its writer needs no signature of its own.
        if wrap.writer != *author {
            return Err(refuse("names another device as its writer"));
        }
        if *slot_key != slot(&wrap) {
            return Err(refuse("is stored in a slot that is not its own"));
        }
        if wrap.sealed.len() != SEALED_LEN {
            return Err(refuse("does not hold one sealed key"));
        }
        if !team.devices.contains_key(&wrap.recipient.to_hex()) {
            return Err(refuse("is sealed to a device that is not in the team"));
        }
    }
    Ok(())
}

/// What the team document says of one case's keys, as this device judges
/// it now.
struct KeyState {
    /// Keys that may be the one to send the case under, newest first
    /// (epoch, then key id): those sealed to this device by an active
    /// device of an entitled member. The first this device can open is
    /// the current key. A key not sealed to this device, or sealed so that
    /// it does not open, is not waited for: an honest rotation seals to
    /// every entitled device it knows, and a key no other device can use
    /// would otherwise keep every other device rotating.
    candidates: Vec<(u32, [u8; 16])>,
    /// The highest epoch any entitled member's device used.
    newest_epoch: Option<u32>,
}

impl Replica {
    /// Opens a wrap sealed to this device; the key must be the one its id
    /// commits to.
    fn open_wrap(&self, w: &Wrap) -> Option<CaseKey> {
        if w.recipient != self.device() {
            return None;
        }
        let plain = open_from(
            self.keys.agreement_secret(),
            &wrap_aad(&self.team_id, w),
            &w.sealed,
        )?;
        let key: [u8; 32] = plain.as_slice().try_into().ok()?;
        (key_id(&self.team_id, &w.case, w.epoch, &key) == w.key_id).then(|| CaseKey {
            epoch: w.epoch,
            id: w.key_id,
            key: Zeroizing::new(key),
        })
    }

    /// A key of a case, to read what was sent under it: from this device's
    /// memory, else opened from a wrap to this device in the team document
    /// or among `extra` (wraps an input's own team changes write). Reading
    /// needs no judgement of the writer: what the key decrypts is judged
    /// change by change like everything else. A slot holds one wrap per
    /// (key, recipient, writer), so a lookup opens at most one wrap per
    /// writer.
    pub(crate) fn case_key_to_read(
        &mut self,
        case_id: &str,
        id: &[u8; 16],
        extra: &[Wrap],
    ) -> Option<&CaseKey> {
        let held = |r: &Replica| {
            r.case_keys
                .get(case_id)
                .is_some_and(|ks| ks.iter().any(|k| k.id == *id))
        };
        if !held(self) {
            let me = self.device();
            let stored = read_wraps(self.team.automerge(), case_id);
            let mut tried = BTreeSet::new();
            let found = stored
                .iter()
                .chain(extra)
                .filter(|w| w.key_id == *id && w.recipient == me)
                .filter(|w| tried.insert(w.writer))
                .find_map(|w| self.open_wrap(w));
            if let Some(k) = found {
                self.case_keys
                    .entry(case_id.to_string())
                    .or_default()
                    .push(k);
            }
        }
        self.case_keys.get(case_id)?.iter().find(|k| k.id == *id)
    }

    fn holds_case_key(&self, case_id: &str, id: &[u8; 16]) -> bool {
        self.held_case_key(case_id, id).is_some()
    }

    fn held_case_key(&self, case_id: &str, id: &[u8; 16]) -> Option<&CaseKey> {
        self.case_keys.get(case_id)?.iter().find(|k| k.id == *id)
    }

    /// Keeps a key in memory (once); returns its id.
    fn keep_case_key(&mut self, case_id: &str, key: CaseKey) -> [u8; 16] {
        let id = key.id;
        let held = self.case_keys.entry(case_id.to_string()).or_default();
        if !held.iter().any(|k| k.id == id) {
            held.push(key);
        }
        id
    }

    /// The key this device sends a case under, if it holds it (see
    /// [`Replica::tend_case_keys`]).
    pub(crate) fn case_key_to_send(&self, case_id: &str) -> Option<&CaseKey> {
        let id = self.sending_keys.get(case_id)?;
        self.case_keys.get(case_id)?.iter().find(|k| k.id == *id)
    }

    fn key_state(
        team: &TeamDoc,
        me: &DeviceId,
        case_id: &str,
        creator: Option<&str>,
        wraps: &[Wrap],
    ) -> KeyState {
        let mut candidates = Vec::new();
        let mut newest_epoch = None;
        for w in wraps {
            let writer = w.writer.to_hex();
            let Some(device) = team.devices.get(&writer) else {
                continue;
            };
            if !team.may_access(&device.member, case_id, creator) {
                continue;
            }
            newest_epoch = newest_epoch.max(Some(w.epoch));
            if w.recipient == *me && !team.revocations.contains_key(&writer) {
                candidates.push((w.epoch, w.key_id));
            }
        }
        candidates.sort_unstable_by(|a, b| b.cmp(a));
        candidates.dedup();
        KeyState {
            candidates,
            newest_epoch,
        }
    }

    /// Devices that know `key`: the writer and the recipient of every wrap
    /// of it whose MAC proves its writer knew the key.
    fn knowing(&self, key: &CaseKey, wraps: &[Wrap]) -> (BTreeSet<DeviceId>, BTreeSet<DeviceId>) {
        let mut recipients = BTreeSet::new();
        let mut writers = BTreeSet::new();
        for w in wraps.iter().filter(|w| w.key_id == key.id) {
            if key_mac(&self.team_id, &key.key, w) == w.mac {
                recipients.insert(w.recipient);
                writers.insert(w.writer);
            }
        }
        (recipients, writers)
    }

    /// Makes sure every case of `case_ids` that this device may access has
    /// a key it can send under, sealed to every device that may access the
    /// case and to no other: it makes the case's first key, adds wraps of
    /// the current key for devices that lack one, or rotates when a device
    /// that knows the current key may no longer access the case. The wraps
    /// it writes go into one signed change of the team document, which
    /// travels ahead of the cases. Cases this device may not access are
    /// left alone (and never sent).
    pub(crate) fn tend_case_keys(
        &mut self,
        team: &TeamDoc,
        case_ids: &[String],
        at: Millis,
    ) -> Result<(), SyncError> {
        let me = self.device();
        let Some(my_member) = team.devices.get(&me.to_hex()).map(|d| d.member.clone()) else {
            return Ok(());
        };
        let mut new_wraps: Vec<Wrap> = Vec::new();
        for case_id in case_ids {
            self.sending_keys.remove(case_id);
            let Some(doc) = self.cases.get(case_id) else {
                continue;
            };
            let creator = Replica::creator_of(team, case_id, doc);
            if !crate::team::is_case_id(case_id)
                || !team.may_access(&my_member, case_id, creator.as_deref())
            {
                continue;
            }
            let entitled: BTreeMap<DeviceId, [u8; 32]> = team
                .active_devices()
                .filter(|(_, d)| team.may_access(&d.member, case_id, creator.as_deref()))
                .filter_map(|(id, d)| public_device(id, d).ok())
                .filter(|d| d.check_strong("device").is_ok())
                .map(|d| (d.id, d.agreement))
                .collect();
            let wraps = read_wraps(self.team.automerge(), case_id);
            let state = Replica::key_state(team, &me, case_id, creator.as_deref(), &wraps);
            // The current key: the newest candidate this device holds in
            // memory or can open (once) from its wrap.
            let mut held_current = None;
            for (_, id) in &state.candidates {
                if self.holds_case_key(case_id, id) {
                    held_current = Some(*id);
                    break;
                }
                // A key whose wraps to this device did not open is tried
                // again only when another wrap of it arrives.
                let tried = (*id, wraps.iter().filter(|w| w.key_id == *id).count());
                if self.unopenable.contains(&tried) {
                    continue;
                }
                match wraps
                    .iter()
                    .filter(|w| w.key_id == *id)
                    .find_map(|w| self.open_wrap(w))
                {
                    Some(k) => {
                        held_current = Some(self.keep_case_key(case_id, k));
                        break;
                    }
                    None => {
                        self.unopenable.insert(tried);
                    }
                }
            }
            let current = held_current;
            let (served, stale) = match held_current.and_then(|id| self.held_case_key(case_id, &id))
            {
                Some(k) => {
                    let (recipients, writers) = self.knowing(k, &wraps);
                    let stale = recipients
                        .iter()
                        .chain(&writers)
                        .any(|d| !entitled.contains_key(d));
                    (recipients, stale)
                }
                None => (BTreeSet::new(), true),
            };
            let id = match held_current {
                Some(id) if !stale => id,
                // A copy of a device that stopped writing seals nothing.
                _ if self.copied => continue,
                // No key yet, or one a device that may no longer see the
                // case knows: a new epoch.
                _ => {
                    let epoch = state.newest_epoch.map_or(0, |e| e.saturating_add(1));
                    let case = case_bytes(case_id).ok_or_else(|| {
                        SyncError::Document(format!("'{case_id}' is not a case id"))
                    })?;
                    let secret: [u8; 32] = random()?;
                    let key = CaseKey {
                        epoch,
                        id: key_id(&self.team_id, &case, epoch, &secret),
                        key: Zeroizing::new(secret),
                    };
                    self.keep_case_key(case_id, key)
                }
            };
            if !self.copied
                && let Some(key) = self.held_case_key(case_id, &id)
            {
                let sealed_before = current == Some(id);
                for (device, agreement) in &entitled {
                    if sealed_before && served.contains(device) {
                        continue;
                    }
                    new_wraps.push(self.make_wrap(case_id, key, *device, agreement)?);
                }
            }
            self.sending_keys.insert(case_id.clone(), id);
        }
        if !new_wraps.is_empty() {
            self.write_wraps(&new_wraps, at)?;
        }
        Ok(())
    }

    fn make_wrap(
        &self,
        case_id: &str,
        key: &CaseKey,
        recipient: DeviceId,
        agreement: &[u8; 32],
    ) -> Result<Wrap, SyncError> {
        let case = case_bytes(case_id)
            .ok_or_else(|| SyncError::Document(format!("'{case_id}' is not a case id")))?;
        let mut wrap = Wrap {
            case,
            epoch: key.epoch,
            key_id: key.id,
            recipient,
            writer: self.device(),
            sealed: Vec::new(),
            mac: [0; 32],
        };
        wrap.mac = key_mac(&self.team_id, &key.key, &wrap);
        wrap.sealed = seal_to(agreement, &wrap_aad(&self.team_id, &wrap), key.key.as_ref())?;
        Ok(wrap)
    }

    /// Writes wraps into the team document as one change of this device,
    /// signed like every other.
    pub(crate) fn write_wraps(&mut self, wraps: &[Wrap], at: Millis) -> Result<(), SyncError> {
        if self.copied {
            return Err(SyncError::DeviceCopied);
        }
        let doc = self.team.automerge_mut();
        let before = doc.get_heads();
        let map = match doc.get(ROOT, CASE_KEYS).map_err(doc_err)? {
            Some((Value::Object(ObjType::Map), id)) => id,
            _ => doc
                .put_object(ROOT, CASE_KEYS, ObjType::Map)
                .map_err(doc_err)?,
        };
        for w in wraps {
            let bytes = postcard::to_stdvec(w).map_err(doc_err)?;
            doc.put(&map, slot(w), hex::encode(bytes))
                .map_err(doc_err)?;
        }
        doc.commit_with(
            CommitOptions::default()
                .with_message(format!("case keys: {} wraps", wraps.len()))
                .with_time(at.div_euclid(1000)),
        );
        self.sign_new(TEAM_DOC_ID, &before)
    }

    /// Encrypts one case's section under its current key.
    pub(crate) fn seal_case(
        &self,
        case_id: &str,
        plain: &[u8],
    ) -> Result<Option<SealedCase>, SyncError> {
        let Some(key) = self.case_key_to_send(case_id) else {
            return Ok(None);
        };
        let sealed = crypto::seal(
            &key.key,
            &section_aad(&self.team_id, case_id, &key.id),
            plain,
        )?;
        Ok(Some((key.id, sealed)))
    }

    /// Decrypts one case's section, if this device holds its key (looked
    /// up in the team document and among `extra` when not in memory).
    pub(crate) fn open_case(
        &mut self,
        case_id: &str,
        id: &[u8; 16],
        sealed: &[u8],
        extra: &[Wrap],
    ) -> Option<Zeroizing<Vec<u8>>> {
        let aad = section_aad(&self.team_id, case_id, id);
        let key = self.case_key_to_read(case_id, id, extra)?;
        crypto::open(&key.key, &aad, sealed)
    }
}

/// A case's bytes sealed under one of its keys, and that key's id.
pub(crate) type SealedCase = ([u8; 16], Vec<u8>);

fn section_aad(team: &TeamId, case_id: &str, id: &[u8; 16]) -> Vec<u8> {
    let mut aad = b"caravan/case-section/v1\0".to_vec();
    aad.extend_from_slice(&team.0);
    aad.extend_from_slice(case_id.as_bytes());
    aad.extend_from_slice(id);
    aad
}

#[cfg(test)]
impl Replica {
    /// What a modified client does to send a case it may not access: it
    /// makes a key of its own for the case (epoch 1000, to outrank the
    /// real ones), seals it to `to` and to itself in wraps it signs, and
    /// sends the case under it.
    pub(crate) fn force_case_key(&mut self, case_id: &str, to: &[crate::identity::PublicDevice]) {
        let me = self.device();
        self.force_case_key_as(case_id, to, me);
    }

    /// [`Replica::force_case_key`], with wraps that name `writer` as the
    /// device that wrote them (signed with this device's key all the same).
    pub(crate) fn force_case_key_as(
        &mut self,
        case_id: &str,
        to: &[crate::identity::PublicDevice],
        writer: DeviceId,
    ) {
        let case = case_bytes(case_id).unwrap();
        let secret: [u8; 32] = random().unwrap();
        let key = CaseKey {
            epoch: 1000,
            id: key_id(&self.team_id, &case, 1000, &secret),
            key: Zeroizing::new(secret),
        };
        let mut wraps = Vec::new();
        for d in to.iter().chain([&self.keys.public()]) {
            let mut wrap = Wrap {
                case,
                epoch: key.epoch,
                key_id: key.id,
                recipient: d.id,
                writer,
                sealed: Vec::new(),
                mac: [0; 32],
            };
            wrap.mac = key_mac(&self.team_id, &key.key, &wrap);
            wrap.sealed = seal_to(
                &d.agreement,
                &wrap_aad(&self.team_id, &wrap),
                key.key.as_ref(),
            )
            .unwrap();
            wraps.push(wrap);
        }
        self.write_wraps(&wraps, 0).unwrap();
        self.sending_keys.insert(case_id.to_string(), key.id);
        self.case_keys
            .entry(case_id.to_string())
            .or_default()
            .push(key);
    }
}
