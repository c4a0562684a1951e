//! Exchanging changes by file: bundles for a member (or any member), and
//! their import with a report of what was applied, held and quarantined.

use caravan_sync::bundle::{Limits, Recipient};
use caravan_sync::import::ImportReport;
use serde::Serialize;

use crate::error::Result;
use crate::workspace::Workspace;

/// Where an export or import is, for progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Reading,
    Verifying,
    Applying,
    Saving,
    Done,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub step: Step,
    /// Steps finished out of `total`.
    pub done: u32,
    pub total: u32,
}

/// A bundle written for a peer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportSummary {
    pub bytes: usize,
    pub recipient: String,
}

/// When this device last exchanged changes with a member.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct PeerExchange {
    pub member: String,
    pub name: String,
    pub last_export_ms: Option<i64>,
    pub last_import_ms: Option<i64>,
}

const EXCHANGES: &[u8] = b"exchanges";

/// A change held aside or refused, for the sync centre and the supervisor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuarantineRow {
    pub case_id: String,
    pub change: String,
    pub author: Option<String>,
    pub code: String,
    pub message: String,
}

fn report(progress: &mut dyn FnMut(Progress), step: Step, done: u32) {
    progress(Progress {
        step,
        done,
        total: 4,
    });
}

impl Workspace {
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
        report(progress, Step::Applying, 1);
        let bytes = self.replica_mut()?.export(&recipient, now)?;
        report(progress, Step::Saving, 3);
        self.commit(&[])?;
        if let Recipient::Member(m) = &recipient {
            self.note_exchange(m, true)?;
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
    ) -> Result<ImportReport> {
        report(progress, Step::Verifying, 1);
        let report_ = self.replica_mut()?.import(bytes, &Limits::default())?;
        report(progress, Step::Saving, 3);
        self.commit(&[])?;
        let sender = self
            .replica()?
            .team()?
            .devices
            .get(&report_.sender)
            .map(|d| d.member.clone());
        if let Some(m) = sender {
            self.note_exchange(&m, false)?;
        }
        report(progress, Step::Done, 4);
        Ok(report_)
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

    fn note_exchange(&mut self, member: &str, export: bool) -> Result<()> {
        let mut all = self.exchanges()?;
        let now = self.now();
        let e = all
            .entry(member.to_string())
            .or_insert_with(|| PeerExchange {
                member: member.to_string(),
                ..Default::default()
            });
        if export {
            e.last_export_ms = Some(now);
        } else {
            e.last_import_ms = Some(now);
        }
        let bytes = serde_json::to_vec(&all)
            .map_err(|e| crate::CoreError::invalid("exchanges", e.to_string()))?;
        self.vault
            .put_record(caravan_vault::RecordKind::AppState, EXCHANGES, &bytes)?;
        Ok(())
    }

    /// Changes that failed a check, with their reasons.
    pub fn quarantine(&self) -> Result<Vec<QuarantineRow>> {
        Ok(self
            .replica()?
            .quarantine()
            .iter()
            .map(|q| QuarantineRow {
                case_id: q.doc_id.clone(),
                change: q.hash.clone(),
                author: q.author.clone(),
                code: q.reason.code.clone(),
                message: q.reason.message.clone(),
            })
            .collect())
    }

    /// Changes waiting for changes they build on.
    pub fn held_count(&self) -> Result<usize> {
        Ok(self.replica()?.held().len())
    }
}
