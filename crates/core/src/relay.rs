//! Relay rounds, without I/O: the front end's relay client asks
//! [`Workspace::relay_outbox`] what to upload, reports what the relay
//! stored durably ([`Workspace::relay_sent`]), and hands over each envelope
//! it fetched ([`Workspace::relay_received`]) before acknowledging it.
//!
//! An envelope is a bundle built for one member (docs/formats/relay.md).
//! What it announces counts as sent only once the relay has stored it: an
//! upload that failed leaves no record, and the next outbox writes the
//! envelope again. An envelope carries what the member lacks beyond what
//! it is recorded to hold and what the envelopes the relay stored for it
//! carried. Once an envelope from the member arrives, its heads are what
//! the member holds, and the record of what was sent to it is dropped: an
//! envelope that never reached it (skipped there, or past the relay's
//! retention) is then made up for by the next one.

use std::collections::BTreeMap;

use automerge::ChangeHash;
use caravan_sync::announce::Announced;
use caravan_sync::bundle::{Limits, Recipient};
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, ErrorKind, Result};
use crate::exchange::{ExchangeKind, ImportSummary};
use crate::relays::parse_relay_key;
use crate::workspace::Workspace;

/// Skipped envelopes remembered per relay, newest last.
const MAX_SKIPPED: usize = 32;

/// An envelope to upload to a relay for one member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingEnvelope {
    /// The member id the envelope is addressed to (the relay's `to`).
    pub member: String,
    /// The bundle.
    pub body: Vec<u8>,
    /// Handed back to [`Workspace::relay_sent`] once the relay has
    /// confirmed the envelope stored (`Stored`).
    pub token: u64,
}

/// What became of one envelope fetched from a relay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum RelayReceipt {
    /// Imported, as a bundle is.
    Imported { seq: u64, summary: ImportSummary },
    /// Refused as a whole (not a bundle of this team, a bad signature, a
    /// revoked sender…): nothing of it was applied, and the queue goes on.
    Skipped { seq: u64, code: String },
}

/// What this device keeps per relay (an `AppState` record).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct RelayState {
    /// The highest sequence number handled (imported or skipped).
    pub(crate) cursor: u64,
    pub(crate) last_sync_ms: Option<i64>,
    pub(crate) last_error_code: Option<String>,
    /// Member → document → this device's heads (hex) as the envelopes the
    /// relay confirmed announced them.
    sent: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// Envelopes refused as a whole: (sequence number, code).
    skipped: Vec<(u64, String)>,
}

impl RelayState {
    fn sent_to(&self, member: &str) -> BTreeMap<String, Vec<ChangeHash>> {
        self.sent
            .get(member)
            .into_iter()
            .flatten()
            .map(|(doc, heads)| {
                let heads = heads.iter().filter_map(|h| h.parse().ok()).collect();
                (doc.clone(), heads)
            })
            .collect()
    }

    fn note_sent(&mut self, a: &Announced) {
        let Some(member) = &a.member else {
            return;
        };
        let docs = self.sent.entry(member.clone()).or_default();
        for (doc, heads) in &a.heads {
            docs.insert(doc.clone(), heads.iter().map(|h| h.to_string()).collect());
        }
    }
}

fn state_key(relay: &str) -> Vec<u8> {
    format!("relay/{relay}").into_bytes()
}

impl Workspace {
    pub(crate) fn relay_state(&self, relay: &str) -> Result<RelayState> {
        Ok(
            match self
                .vault
                .get_record(caravan_vault::RecordKind::AppState, &state_key(relay))?
            {
                Some(v) => serde_json::from_slice(v.expose()).unwrap_or_default(),
                None => RelayState::default(),
            },
        )
    }

    fn put_relay_state(&mut self, relay: &str, state: &RelayState) -> Result<()> {
        let bytes = encode(state)?;
        self.vault.put_record(
            caravan_vault::RecordKind::AppState,
            &state_key(relay),
            &bytes,
        )?;
        Ok(())
    }

    /// The envelopes to upload to the relay: one for each active member
    /// (this device's own included, for its other devices) who may see
    /// something this device holds that, as far as it knows, the member
    /// lacks. None for a member with nothing new. What each announces is
    /// recorded by [`Self::relay_sent`] once the relay has stored it.
    pub fn relay_outbox(&mut self, relay_key: &str) -> Result<Vec<OutgoingEnvelope>> {
        let relay = self.team_relay(relay_key)?;
        self.load_everything()?;
        let state = self.relay_state(&relay)?;
        // The audit log's head rides along with news, and alone makes
        // none: otherwise every unlock's audit entries would be news, and
        // devices that have nothing to say would send each other an
        // envelope every round, for ever.
        let members = self.relay_recipients()?;
        let mut news = false;
        for member in &members {
            let sent = state.sent_to(member);
            if !self.replica_mut()?.news_for(member, &sent)?.is_empty() {
                news = true;
                break;
            }
        }
        if !news {
            return Ok(Vec::new());
        }
        // Asked again below: the head recorded here is news for everyone.
        self.share_audit_head()?;
        let now = self.now();
        let mut out = Vec::new();
        let mut announced = Vec::new();
        for member in members {
            let sent = state.sent_to(&member);
            let replica = self.replica_mut()?;
            if replica.news_for(&member, &sent)?.is_empty() {
                continue;
            }
            let (body, a) =
                replica.export_deferred(&Recipient::Member(member.clone()), now, &sent)?;
            out.push((member, body));
            announced.push(a);
        }
        if out.is_empty() {
            return Ok(Vec::new());
        }
        // Case keys sealed and the audit head recorded for these envelopes
        // are saved before any of them leaves.
        self.commit(&[])?;
        Ok(out
            .into_iter()
            .zip(announced)
            .map(|((member, body), a)| OutgoingEnvelope {
                member,
                body,
                token: self.relay_unconfirmed.add(&relay, a),
            })
            .collect())
    }

    /// Members with an active device other than this one.
    fn relay_recipients(&self) -> Result<Vec<String>> {
        let replica = self.replica()?;
        let me = replica.device().to_hex();
        let team = replica.team()?;
        let mut members: Vec<String> = team
            .active_devices()
            .filter(|(id, _)| **id != me)
            .map(|(_, d)| d.member.clone())
            .collect();
        members.sort();
        members.dedup();
        Ok(members)
    }

    /// The relay stored these envelopes durably: what they announce is
    /// recorded as sent to their members, with the relay's last sync time.
    /// Tokens this device does not know (already confirmed, or from before
    /// the vault was unlocked) are ignored.
    pub fn relay_sent(&mut self, relay_key: &str, tokens_confirmed: &[u64]) -> Result<()> {
        let relay = self.team_relay(relay_key)?;
        let mut state = self.relay_state(&relay)?;
        for token in tokens_confirmed {
            let Some(a) = self.relay_unconfirmed.take(&relay, *token) else {
                continue;
            };
            state.note_sent(&a);
            self.replica_mut()?.note_sent(&a);
            if let Some(m) = &a.member {
                self.note_exchange(m, ExchangeKind::Export)?;
            }
        }
        state.last_sync_ms = Some(self.now());
        state.last_error_code = None;
        self.put_relay_state(&relay, &state)
    }

    /// Records that an exchange with the relay failed (for the sync
    /// centre), with the failure's code: the relay's own
    /// (`relay.unavailable`…) or this device's.
    pub fn relay_failed(&mut self, relay_key: &str, code: &str) -> Result<()> {
        let relay = parse_relay_key(relay_key)?;
        let mut state = self.relay_state(&relay)?;
        state.last_error_code = Some(code.chars().take(64).collect());
        self.put_relay_state(&relay, &state)
    }

    /// Takes the relay's word that it holds nothing this device handled
    /// past `acknowledged` (the cursor it keeps for this device, told at
    /// authentication), when that is behind this device's own: a relay
    /// restored from a backup, or one that once sent a number far ahead.
    /// What comes again is imported again, which changes nothing. Never
    /// moves the cursor forward.
    pub fn relay_rewind(&mut self, relay_key: &str, acknowledged: u64) -> Result<()> {
        let relay = parse_relay_key(relay_key)?;
        let mut state = self.relay_state(&relay)?;
        if acknowledged >= state.cursor {
            return Ok(());
        }
        tracing::warn!(
            from = state.cursor,
            to = acknowledged,
            "the relay is behind this device's cursor: fetching again from its own"
        );
        state.cursor = acknowledged;
        self.put_relay_state(&relay, &state)
    }

    /// The highest sequence number handled from this relay: the `after`
    /// of the next `Fetch`.
    pub fn relay_cursor(&self, relay_key: &str) -> Result<u64> {
        let relay = parse_relay_key(relay_key)?;
        Ok(self.relay_state(&relay)?.cursor)
    }

    /// Takes one envelope fetched from the relay and advances the cursor
    /// past it, in the same transaction as what it brought. The envelope is
    /// judged as a bundle is; one refused as a whole is recorded as
    /// skipped, with its code, so that it never holds up the queue. One
    /// handled before is harmless: what it holds is already here.
    pub fn relay_received(
        &mut self,
        relay_key: &str,
        seq: u64,
        body: &[u8],
    ) -> Result<RelayReceipt> {
        // Envelopes already queued still arrive from a relay the team has
        // since removed: they are signed bundles, judged on their own.
        let relay = parse_relay_key(relay_key)?;
        self.load_everything()?;
        let mut state = self.relay_state(&relay)?;
        state.cursor = state.cursor.max(seq);
        state.last_sync_ms = Some(self.now());
        let report = match self.replica_mut()?.import(body, &Limits::default()) {
            Ok(r) => r,
            Err(e) if e.kind() == ErrorKind::Verification => {
                let code = e.code().to_string();
                tracing::warn!(seq, code = %code, "a relayed envelope was refused as a whole");
                state.skipped.push((seq, code.clone()));
                let excess = state.skipped.len().saturating_sub(MAX_SKIPPED);
                state.skipped.drain(..excess);
                state.last_error_code = Some(code.clone());
                let audit = [(
                    "sync.import",
                    format!("relayed envelope {seq} refused: {code}"),
                )];
                self.commit_with(&audit, &[(&state_key(&relay), &encode(&state)?)])?;
                return Ok(RelayReceipt::Skipped { seq, code });
            }
            Err(e) => return Err(e.into()),
        };
        state.last_error_code = None;
        // The member's heads just recorded say what it holds; what was
        // sent to it through this relay no longer stands in for them.
        if let Some(m) = self.member_of_device(&report.sender)? {
            state.sent.remove(&m);
        }
        self.commit_with(&[], &[(&state_key(&relay), &encode(&state)?)])?;
        let summary = self.import_summary(report)?;
        Ok(RelayReceipt::Imported { seq, summary })
    }
}

fn encode(state: &RelayState) -> Result<Vec<u8>> {
    serde_json::to_vec(state).map_err(|e| CoreError::invalid("relay state", e.to_string()))
}
