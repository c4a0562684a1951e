//! The relays a team's devices use, pinned in the team document by an
//! admin: each relay's public key (the Noise `NK` static key a device
//! checks it against, docs/formats/relay.md) and where it listens. Only
//! admins write `relays` (the role policy refuses anyone else's change at
//! merge), so a member cannot point the team's devices at a relay of its
//! own choosing.

use automerge::transaction::Transactable;
use autosurgeon::{Reconcile, reconcile_prop};
use caravan_model::{Millis, WriteKind};

use crate::error::{SyncError, doc_err};
use crate::identity::DeviceKeys;
use crate::team::{RelayEntry, Team, TeamDoc, commit};

/// A relay's public key from its 64 hexadecimal digits (either case);
/// `None` for anything else, and for the all-zero key, which no relay has.
pub fn relay_key_from_hex(hex: &str) -> Option<[u8; 32]> {
    let mut key = [0u8; 32];
    hex::decode_to_slice(hex, &mut key).ok()?;
    (key != [0u8; 32]).then_some(key)
}

/// Written by hand rather than derived: a team with no relay (every new
/// one) is founded without the `relays` map, so that devices of a version
/// that does not know it still accept the team's first change; the first
/// relay an admin adds makes the map.
impl Reconcile for TeamDoc {
    type Key<'a> = autosurgeon::reconcile::NoKey;

    fn reconcile<R: autosurgeon::Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
        use autosurgeon::reconcile::MapReconciler;
        let mut m = reconciler.map()?;
        m.put("schema", self.schema)?;
        m.put("info", &self.info)?;
        m.put("members", &self.members)?;
        m.put("devices", &self.devices)?;
        m.put("revocations", &self.revocations)?;
        m.put("case_access", &self.case_access)?;
        m.put("key_epochs", &self.key_epochs)?;
        if !self.relays.is_empty() {
            m.put("relays", &self.relays)?;
        }
        Ok(())
    }
}

impl Team {
    /// Adds a relay (or gives a known one a new address). `key` is the
    /// relay's public key in lowercase hex.
    pub fn add_relay(
        &mut self,
        author: &DeviceKeys,
        key: &str,
        url: &str,
        at: Millis,
    ) -> Result<(), SyncError> {
        if relay_key_from_hex(key).is_none() || key.chars().any(|c| c.is_ascii_uppercase()) {
            return Err(SyncError::Denied(
                "a relay key is 64 lowercase hexadecimal digits".into(),
            ));
        }
        let known = self.view()?.relays.contains_key(key);
        let kind = if known {
            WriteKind::Update
        } else {
            WriteKind::Create
        };
        let by = self.authorise(author, &["relays", key], kind)?;
        // Teams founded before relays, and those none was added to, have
        // no `relays` map yet.
        let relays = match self.obj(&["relays"]) {
            Ok(obj) => obj,
            Err(_) => self
                .doc
                .put_object(automerge::ROOT, "relays", automerge::ObjType::Map)
                .map_err(doc_err)?,
        };
        let entry = RelayEntry {
            url: url.into(),
            added_at: at,
            added_by: by,
        };
        reconcile_prop(&mut self.doc, &relays, key, &entry).map_err(doc_err)?;
        commit(&mut self.doc, "add relay", at);
        Ok(())
    }

    /// Removes a relay; `false` if the team has none with that key.
    pub fn remove_relay(
        &mut self,
        author: &DeviceKeys,
        key: &str,
        at: Millis,
    ) -> Result<bool, SyncError> {
        if !self.view()?.relays.contains_key(key) {
            return Ok(false);
        }
        self.authorise(author, &["relays", key], WriteKind::Delete)?;
        let relays = self.obj(&["relays"])?;
        self.doc.delete(&relays, key).map_err(doc_err)?;
        commit(&mut self.doc, "remove relay", at);
        Ok(true)
    }

    /// Whether the team document has a `relays` map.
    #[cfg(test)]
    pub(crate) fn has_relays_map(&self) -> bool {
        use automerge::ReadDoc;
        self.doc
            .get(automerge::ROOT, "relays")
            .ok()
            .flatten()
            .is_some()
    }
}
