//! Exchanging changes by file: bundles for a member (or any member), their
//! import with a report of what was applied, held and quarantined, and the
//! supervisor's review of the quarantine.

use std::collections::BTreeSet;

use automerge::ChangeHash;
use caravan_sync::audit_anchor::AuditHead;
use caravan_sync::bundle::{Limits, Recipient};
use caravan_sync::import::ImportReport;
use serde::Serialize;

use crate::error::{CoreError, Result};
use crate::names::Names;
use crate::permissions::QUARANTINE_REVIEWERS;
use crate::team::role_may;
use crate::workspace::Workspace;

/// Where an export or import is, for progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Step {
    Reading,
    Verifying,
    Applying,
    Saving,
    Done,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Progress {
    pub step: Step,
    /// Steps finished out of `total`.
    pub done: u32,
    pub total: u32,
}

/// A bundle written for a peer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportSummary {
    pub bytes: usize,
    pub recipient: String,
}

/// When this device last exchanged changes with a member.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PeerExchange {
    pub member: String,
    pub name: String,
    pub last_export_ms: Option<i64>,
    pub last_import_ms: Option<i64>,
    /// The end of the last live session with one of the member's devices.
    #[serde(default)]
    pub last_session_ms: Option<i64>,
}

/// Which way this device last exchanged changes with a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExchangeKind {
    Export,
    Import,
    Session,
}

const EXCHANGES: &[u8] = b"exchanges";

/// A change held aside or refused, for the sync centre and the supervisor.
/// One row per (case, change, reason code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct QuarantineRow {
    /// The case id, or "team" for the team document.
    pub case_id: String,
    pub change: String,
    /// Device that authored the change (hex); for a bad signature, only the
    /// author it claims.
    pub author: Option<String>,
    /// The author device's member, if the team knows the device.
    pub author_name: Option<String>,
    /// Device that sent it to this one (hex), if known.
    pub relayed_by: Option<String>,
    pub relayed_by_name: Option<String>,
    pub code: String,
    pub message: String,
    /// When it arrived here; `None` for changes kept before arrival times were.
    pub arrived_at_ms: Option<i64>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportSummary {
    /// Device that sent the bundle (hex).
    pub sender: String,
    /// Its member's name; empty when the team does not know the device.
    pub sender_name: String,
    pub applied: usize,
    pub already_had: usize,
    /// Changes now waiting for changes they build on (all documents).
    pub held: usize,
    pub quarantined: Vec<QuarantineNote>,
    /// Case documents in the bundle this device may not see (not applied).
    pub not_permitted: usize,
    /// Documents that changed: case ids, and "team" for the team document.
    pub docs_changed: Vec<String>,
    pub cases_changed: usize,
}

/// A change an import refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct QuarantineNote {
    /// The case id, or "team".
    pub case_id: String,
    pub change: String,
    pub code: String,
    pub message: String,
}

impl ImportSummary {
    pub(crate) fn of(r: ImportReport, sender_name: String) -> Self {
        Self {
            cases_changed: r.docs_changed.iter().filter(|d| *d != "team").count(),
            sender: r.sender,
            sender_name,
            applied: r.applied,
            already_had: r.already_had,
            held: r.held,
            quarantined: r
                .quarantined
                .into_iter()
                .map(|q| QuarantineNote {
                    case_id: q.doc_id,
                    change: q.hash,
                    code: q.code,
                    message: q.message,
                })
                .collect(),
            not_permitted: r.not_permitted,
            docs_changed: r.docs_changed,
        }
    }
}

/// What a supervisor's release of a quarantined change did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReleaseView {
    pub case_id: String,
    pub change: String,
    /// The change passed every check and was applied.
    pub applied: bool,
    /// Changes applied in all: this one and those that waited on it.
    pub changes_applied: usize,
    /// It waits for changes it builds on (held, not quarantined).
    pub held: bool,
    /// Why it stays in quarantine, empty when applied or held.
    pub reasons: Vec<Reason>,
}

/// A refusal's stable code and its English message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Reason {
    pub code: String,
    pub message: String,
}

/// A quarantined change removed from the list by a supervisor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DiscardView {
    pub case_id: String,
    pub change: String,
    /// The reason codes it was kept for.
    pub codes: Vec<String>,
}

fn report(progress: &mut dyn FnMut(Progress), step: Step, done: u32) {
    progress(Progress {
        step,
        done,
        total: 4,
    });
}

impl Workspace {
    /// [`Self::export_bundle`], written to `file`.
    pub fn export_bundle_to(
        &mut self,
        member: Option<&str>,
        file: &std::path::Path,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<ExportSummary> {
        let (bytes, summary) = self.export_bundle(member, progress)?;
        std::fs::write(file, &bytes).map_err(|e| CoreError::file(file, &e))?;
        Ok(summary)
    }

    /// Writes a bundle holding every change `member` lacks (as far as this
    /// device knows) of the cases they may see; `None`: for any member,
    /// only cases every active member may see.
    pub fn export_bundle(
        &mut self,
        member: Option<&str>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<(Vec<u8>, ExportSummary)> {
        report(progress, Step::Reading, 0);
        let recipient = match member {
            Some(m) => Recipient::Member(self.find_member(m)?),
            None => Recipient::AnyMember,
        };
        let now = self.now();
        self.load_everything()?;
        report(progress, Step::Applying, 1);
        self.share_audit_head()?;
        let bytes = self.replica_mut()?.export(&recipient, now)?;
        report(progress, Step::Saving, 3);
        self.commit(&[])?;
        if let Recipient::Member(m) = &recipient {
            self.note_exchange(m, ExchangeKind::Export)?;
        }
        report(progress, Step::Done, 4);
        let name = match &recipient {
            Recipient::Member(m) => self.names()?.name_of(m),
            Recipient::AnyMember => "any member".into(),
        };
        Ok((
            bytes.clone(),
            ExportSummary {
                bytes: bytes.len(),
                recipient: name,
            },
        ))
    }

    /// Verifies and imports a bundle. A bundle-level failure (another
    /// team, bad signature, damage) changes nothing; within a valid bundle
    /// every change is judged on its own.
    pub fn import_bundle(
        &mut self,
        bytes: &[u8],
        progress: &mut dyn FnMut(Progress),
    ) -> Result<ImportSummary> {
        self.load_everything()?;
        report(progress, Step::Verifying, 1);
        let report_ = self.replica_mut()?.import(bytes, &Limits::default())?;
        report(progress, Step::Saving, 3);
        self.commit(&[])?;
        let summary = self.import_summary(report_)?;
        report(progress, Step::Done, 4);
        Ok(summary)
    }

    /// Records the exchange with the bundle's sender and describes what
    /// the import did.
    pub(crate) fn import_summary(&mut self, report: ImportReport) -> Result<ImportSummary> {
        let sender = self.member_of_device(&report.sender)?;
        if let Some(m) = &sender {
            self.note_exchange(m, ExchangeKind::Import)?;
        }
        let sender_name = match sender {
            Some(m) => self.names()?.name_of(&m),
            None => String::new(),
        };
        Ok(ImportSummary::of(report, sender_name))
    }

    /// The member a device (hex id) belongs to, if the team knows it.
    pub(crate) fn member_of_device(&self, device: &str) -> Result<Option<String>> {
        Ok(self
            .replica()?
            .team()?
            .devices
            .get(device)
            .map(|d| d.member.clone()))
    }

    /// Records this vault's audit log head in the team document before a
    /// bundle leaves, if the log has grown since: peers keep it, so a
    /// rollback of this vault to an older copy shows when the log is
    /// verified (`audit_verify`).
    pub(crate) fn share_audit_head(&mut self) -> Result<()> {
        if self.audit_unshared
            && let Some(head) = self.vault.audit_head()?
        {
            let now = self.now();
            self.replica_mut()?.record_audit_head(
                AuditHead {
                    entries: head.entries,
                    hash: head.head_hash,
                },
                now,
            )?;
        }
        self.audit_unshared = false;
        Ok(())
    }

    /// Last exchange with each member this device has swapped bundles with.
    pub fn peers(&self) -> Result<Vec<PeerExchange>> {
        let names = self.names()?;
        let mut all: Vec<PeerExchange> = self.exchanges()?.into_values().collect();
        for p in &mut all {
            p.name = names.name_of(&p.member);
        }
        Ok(all)
    }

    fn exchanges(&self) -> Result<std::collections::BTreeMap<String, PeerExchange>> {
        Ok(
            match self
                .vault
                .get_record(caravan_vault::RecordKind::AppState, EXCHANGES)?
            {
                Some(v) => serde_json::from_slice(v.expose()).unwrap_or_default(),
                None => Default::default(),
            },
        )
    }

    pub(crate) fn note_exchange(&mut self, member: &str, kind: ExchangeKind) -> Result<()> {
        let mut all = self.exchanges()?;
        let now = self.now();
        let e = all
            .entry(member.to_string())
            .or_insert_with(|| PeerExchange {
                member: member.to_string(),
                ..Default::default()
            });
        let slot = match kind {
            ExchangeKind::Export => &mut e.last_export_ms,
            ExchangeKind::Import => &mut e.last_import_ms,
            ExchangeKind::Session => &mut e.last_session_ms,
        };
        *slot = Some(now);
        let bytes =
            serde_json::to_vec(&all).map_err(|e| CoreError::invalid("exchanges", e.to_string()))?;
        self.vault
            .put_record(caravan_vault::RecordKind::AppState, EXCHANGES, &bytes)?;
        Ok(())
    }

    /// Changes that failed a check, with their reasons, oldest arrival
    /// first. Any member sees their device's quarantine; only a supervisor
    /// or an admin releases or discards.
    pub fn quarantine(&self) -> Result<Vec<QuarantineRow>> {
        let replica = self.replica()?;
        let team = replica.team()?;
        let names = Names::of(&team);
        let name_of = |device: &Option<String>| {
            device
                .as_ref()
                .and_then(|d| team.devices.get(d))
                .map(|d| names.name_of(&d.member))
        };
        Ok(replica
            .quarantine()
            .iter()
            .map(|q| QuarantineRow {
                case_id: q.doc_id.clone(),
                change: q.hash.clone(),
                author_name: name_of(&q.author),
                author: q.author.clone(),
                relayed_by_name: name_of(&q.relayed_by),
                relayed_by: q.relayed_by.clone(),
                code: q.reason.code.clone(),
                message: q.reason.message.clone(),
                arrived_at_ms: q.arrived_at,
            })
            .collect())
    }

    /// Finds a quarantined change by its hash or a prefix of it, and, if
    /// given, its case id or a prefix of it.
    fn find_quarantined(&self, case: Option<&str>, change: &str) -> Result<(String, ChangeHash)> {
        let change = change.trim().to_ascii_lowercase();
        let case = case.map(|c| c.trim().to_ascii_lowercase());
        if change.is_empty() {
            return Err(CoreError::invalid("change", "must not be empty"));
        }
        let hits: BTreeSet<(String, String)> = self
            .replica()?
            .quarantine()
            .iter()
            .filter(|q| q.hash.starts_with(&change))
            .filter(|q| case.as_deref().is_none_or(|c| q.doc_id.starts_with(c)))
            .map(|q| (q.doc_id.clone(), q.hash.clone()))
            .collect();
        let mut hits = hits.into_iter();
        match (hits.next(), hits.next()) {
            (Some((doc, hash)), None) => Ok((
                doc,
                hash.parse()
                    .map_err(|_| CoreError::not_found("quarantined change", change))?,
            )),
            (None, _) => Err(CoreError::not_found("quarantined change", change)),
            (Some(_), Some(_)) => Err(CoreError::Ambiguous {
                what: "quarantined change",
                id: change,
            }),
        }
    }

    /// Judges a quarantined change again, with every check, against the
    /// team as it stands now: applied if it passes (with the changes that
    /// waited on it), kept with its new reasons if not. Supervisors and
    /// admins only; recorded in the audit log.
    pub fn release_quarantined(&mut self, case: Option<&str>, change: &str) -> Result<ReleaseView> {
        let (_, role) = self.me()?;
        role_may(role, QUARANTINE_REVIEWERS, "release quarantined changes")?;
        let (doc, hash) = self.find_quarantined(case, change)?;
        self.load_everything()?;
        let r = self.replica_mut()?.release_quarantined(&doc, &hash)?;
        self.commit(&[])?;
        Ok(ReleaseView {
            case_id: doc,
            change: hash.to_string(),
            applied: r.applied,
            changes_applied: r.changes_applied,
            held: r.held,
            reasons: r
                .reasons
                .into_iter()
                .map(|r| Reason {
                    code: r.code,
                    message: r.message,
                })
                .collect(),
        })
    }

    /// Removes a quarantined change from the list, recorded in the audit
    /// log. Nothing applied is touched, and a peer sending the same change
    /// again does not bring the same verdict back. Supervisors and admins
    /// only.
    pub fn discard_quarantined(&mut self, case: Option<&str>, change: &str) -> Result<DiscardView> {
        let (_, role) = self.me()?;
        role_may(role, QUARANTINE_REVIEWERS, "discard quarantined changes")?;
        let (doc, hash) = self.find_quarantined(case, change)?;
        self.load_everything()?;
        let codes = self.replica_mut()?.discard_quarantined(&doc, &hash)?;
        self.commit(&[])?;
        Ok(DiscardView {
            case_id: doc,
            change: hash.to_string(),
            codes,
        })
    }

    /// Changes waiting for changes they build on.
    pub fn held_count(&self) -> Result<usize> {
        Ok(self.replica()?.held().len())
    }
}
