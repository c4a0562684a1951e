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
        report(progress, Step::Done, 4);
        Ok(report_)
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
