//! The anonymised statistics of the cases this device holds, in HTCDS 2.0 /
//! CTDC form (`caravan_htcds`): gathered here, written into a folder the
//! person chose, audited. Only the roles that see every case may write
//! them (`permissions::STATISTICS_EXPORTERS`).

use std::path::PathBuf;

use caravan_htcds::{MAX_K, MIN_K, Options, Report};
use caravan_model::Case;
use caravan_vault::VaultError;
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};
use crate::inputs::{MAX_LIST, MAX_TEXT, bounded};
use crate::permissions::STATISTICS_EXPORTERS;
use crate::team::role_may;
use crate::workspace::Workspace;

/// What to export, and where to.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct HtcdsOptions {
    /// The folder the files are written into (made if missing; files of
    /// an earlier export there are replaced)
    #[cfg_attr(feature = "clap", arg(long = "out", value_name = "DIR"))]
    pub folder: String,
    /// The smallest number of rows that may share a combination of
    /// quasi-identifier values (2 to 1000; CTDC publishes with 11)
    #[cfg_attr(feature = "clap", arg(long, default_value_t = caravan_htcds::DEFAULT_K))]
    pub k: u32,
    /// Only these cases (an id or the start of one; repeat the flag);
    /// every case this device holds without it
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long = "case", value_name = "CASE"))]
    pub cases: Vec<String>,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HtcdsExport {
    /// The folder, as given.
    pub folder: String,
    /// The files written into it, in order.
    pub files: Vec<String>,
    /// Rows, suppressed values and withheld rows (`suppression.json`).
    pub report: Report,
    /// Cases left out because their document on this device is damaged
    /// (named in the case list; restore them from a peer).
    pub unreadable: u32,
}

impl HtcdsOptions {
    fn checked(mut self) -> Result<HtcdsOptions> {
        self.folder = self.folder.trim().to_string();
        if self.folder.is_empty() {
            return Err(CoreError::invalid("folder", "must not be empty"));
        }
        bounded("folder", &self.folder, MAX_TEXT)?;
        if !(MIN_K..=MAX_K).contains(&self.k) {
            return Err(CoreError::invalid(
                "k",
                format!("must be a whole number from {MIN_K} to {MAX_K}"),
            ));
        }
        if self.cases.len() > MAX_LIST {
            return Err(CoreError::invalid(
                "cases",
                format!("has too many entries: at most {MAX_LIST}"),
            ));
        }
        for c in &mut self.cases {
            *c = c.trim().to_string();
            bounded("cases", c, MAX_TEXT)?;
        }
        Ok(self)
    }
}

impl Workspace {
    /// Writes the anonymised statistics of the cases this device holds
    /// (or of `options.cases`) into `options.folder`: victims and
    /// perpetrators as CSV and JSON, the data dictionary and the
    /// suppression report. The audit entry (what, how many rows, k; no
    /// case, person or folder) is written before any file.
    pub fn export_htcds(&mut self, options: &HtcdsOptions) -> Result<HtcdsExport> {
        let options = options.clone().checked()?;
        let (member, role) = self.me()?;
        role_may(role, STATISTICS_EXPORTERS, "export anonymised statistics")?;
        let ids: Vec<String> = if options.cases.is_empty() {
            let mut ids: Vec<String> = self.replica()?.case_ids().cloned().collect();
            ids.sort();
            ids
        } else {
            let mut ids = Vec::new();
            for c in &options.cases {
                let id = self.find_case(c)?;
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            ids
        };
        let mut cases: Vec<Case> = Vec::with_capacity(ids.len());
        let mut unreadable = 0u32;
        for id in &ids {
            let case = match self.case_doc(id) {
                Ok((_, case)) => case,
                Err(CoreError::Vault(
                    VaultError::CorruptRecord(_) | VaultError::DocumentIncomplete { .. },
                )) => {
                    unreadable += 1;
                    continue;
                }
                Err(e) => return Err(e),
            };
            if !self
                .replica()?
                .team()?
                .may_access(&member, id, Some(&case.header.created_by))
            {
                return Err(CoreError::NoCaseAccess);
            }
            cases.push(case);
        }
        let export = caravan_htcds::export(&cases, &Options { k: options.k });
        drop(cases);
        let r = &export.report;
        let suppressed: u32 = r
            .victims
            .suppressed
            .iter()
            .chain(&r.perpetrators.suppressed)
            .map(|f| f.rows)
            .sum();
        self.audit(
            "htcds.export",
            &format!(
                "k {}: {} cases, {} victim rows and {} perpetrator rows written, {} rows withheld, {} values suppressed, {} cases unreadable",
                r.k,
                r.cases,
                r.victims.exported,
                r.perpetrators.exported,
                r.victims.withheld + r.perpetrators.withheld,
                suppressed,
                unreadable,
            ),
        )?;
        let folder = PathBuf::from(&options.folder);
        std::fs::create_dir_all(&folder).map_err(|e| CoreError::file(&folder, &e))?;
        let mut files = Vec::new();
        for f in export.files() {
            let path = folder.join(f.name);
            std::fs::write(&path, &f.bytes).map_err(|e| CoreError::file(&path, &e))?;
            files.push(f.name.to_string());
        }
        Ok(HtcdsExport {
            folder: options.folder,
            files,
            report: export.report,
            unreadable,
        })
    }
}
