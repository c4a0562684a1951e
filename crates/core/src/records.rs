//! The records of a case: people (with audited reveal), evidence and its
//! chain of custody, attachments, interviews, tasks, timeline, referrals,
//! risk assessments and notes.

use std::path::Path;

use autosurgeon::Text;
use caravan_model::*;

use crate::cases::new_record_id;
use crate::error::{CoreError, Result};
use crate::field_text::country_code;
use crate::ids::RecordId;
use crate::inputs::*;
use crate::view::{PersonKind, RevealedIdentity};
use crate::workspace::Workspace;

/// How far a device's clock may run ahead of the time a seizure is
/// recorded for.
const SEIZURE_CLOCK_SKEW_MS: i64 = 10 * 60 * 1000;

/// How far a typed hand-over moment may lie ahead of this device's clock
/// (another device's clock, a minute rounded up). Below the model's own
/// limit for a moment (`attribution::TIME_SKEW_MS`), so a hand-over in the
/// future is refused here, with its own code, before the model sees it.
const HAND_OVER_CLOCK_SKEW_MS: i64 = 5 * 60 * 1000;

/// An attachment stored in the vault (attached, or written out).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AttachmentView {
    pub id: String,
    pub sha256: String,
    /// The file's name when it was attached.
    pub file_name: String,
    pub media_type: String,
    /// Bytes.
    pub size: u64,
    pub evidence_id: Option<String>,
}

impl AttachmentView {
    fn of(info: &caravan_vault::AttachmentInfo, evidence_id: Option<&str>) -> Self {
        AttachmentView {
            id: info.id.to_string(),
            sha256: hex::encode(info.sha256),
            file_name: info.file_name.clone(),
            media_type: info.media_type.clone(),
            size: info.size,
            evidence_id: evidence_id.map(str::to_string),
        }
    }
}

fn identity(p: &PersonInput) -> Identity {
    Identity {
        full_name: p.full_name.clone(),
        other_names: p.other_names.clone(),
        birth_date: p.birth_date,
        document_numbers: p.document_numbers.clone(),
        contact: p.contact.clone(),
        address: p.address.clone(),
    }
}

impl Workspace {
    fn insert(&mut self, case: &str, record: Record, action: &str) -> Result<(String, String)> {
        self.insert_noted(case, record, action, None)
    }

    /// Adds a record under a fresh id; the audit entry names it, with
    /// `note` (e.g. the review kind) when given.
    pub(crate) fn insert_noted(
        &mut self,
        case: &str,
        record: Record,
        action: &str,
        note: Option<String>,
    ) -> Result<(String, String)> {
        let case_id = self.find_case(case)?;
        let id = new_record_id()?;
        let coll = record.collection();
        let detail = match note {
            Some(n) => format!("{coll}/{id}: {n}"),
            None => format!("{coll}/{id} added"),
        };
        self.edit(
            &case_id,
            Edit::Insert {
                id: id.clone(),
                record,
            },
            action,
            detail,
        )?;
        Ok((case_id, id))
    }

    /// Refuses a person reference that is not a victim, suspect or witness
    /// of this case.
    pub(crate) fn people_of<'a>(
        &mut self,
        case: &str,
        ids: impl IntoIterator<Item = &'a RecordId>,
    ) -> Result<()> {
        let mut ids = ids.into_iter().peekable();
        // Reading the case costs a whole hydration: only when someone is named.
        if ids.peek().is_none() {
            return Ok(());
        }
        let (_, c) = self.case_doc(case)?;
        for id in ids {
            let id = id.as_str();
            if !(c.victims.contains_key(id)
                || c.suspects.contains_key(id)
                || c.witnesses.contains_key(id))
            {
                return Err(CoreError::not_found("person in this case", id));
            }
        }
        Ok(())
    }

    /// Adds a victim, suspect or witness; returns the new person's id.
    pub fn add_person(&mut self, case: &str, p: PersonInput) -> Result<RecordId> {
        let p = p.normalised()?;
        p.fits_kind()?;
        if p.pseudonym.is_empty() {
            return Err(CoreError::invalid(
                "pseudonym",
                "must not be empty: it is the name the case file shows",
            ));
        }
        let citizenships = crate::field_text::citizenships("citizenships", &p.citizenships)?;
        // The single field an older release reads: the first country code.
        let citizenship = citizenships
            .iter()
            .find(|c| c.as_str() != caravan_model::later_lists::STATELESS)
            .cloned();
        let (member, _) = self.me()?;
        let at = self.now();
        let record = match p.kind {
            PersonKind::Victim => Record::Victim(Victim {
                identity: identity(&p),
                pseudonym: p.pseudonym.clone(),
                sex: p.sex,
                age_at_trafficking: p.age_at_trafficking,
                citizenship: citizenship.clone(),
                languages: p.languages.clone(),
                status: TraffickingStatus::PossibleVictimOfTrafficking,
                status_decided_by: None,
                exploitation: p.exploitation.clone(),
                control_methods: p.control_methods.clone(),
                recruitment: p.recruitment_methods.first().copied(),
                recorded_at: at,
                recorded_by: member,
                forced_labour_industry: p.forced_labour_industry,
                relationship_to_trafficker: p.relationship_to_trafficker,
                recruitment_methods: p.recruitment_methods.clone(),
                citizenships: citizenships.clone(),
                sex_exploitation: p.sex_exploitation.clone(),
                recruitment_websites: p.recruitment_websites.clone(),
                exploitation_websites: p.exploitation_websites.clone(),
                reflection_from: None,
                reflection_until: None,
                residence_decision: None,
                residence_decided_on: None,
                return_country: None,
                reintegration_status: None,
                family_assessment_done: false,
                family_assessment_on: None,
            }),
            PersonKind::Suspect => Record::Suspect(Suspect {
                identity: identity(&p),
                pseudonym: p.pseudonym.clone(),
                roles: p.roles.clone(),
                citizenship: citizenship.clone(),
                recorded_at: at,
                recorded_by: member,
                public_official: p.public_official,
                citizenships: citizenships.clone(),
            }),
            PersonKind::Witness => Record::Witness(Witness {
                identity: identity(&p),
                pseudonym: p.pseudonym.clone(),
                relation: p.relation.clone(),
                recorded_at: at,
                recorded_by: member,
            }),
        };
        Ok(RecordId::from(self.insert(case, record, "person.add")?.1))
    }

    /// Shows a person's identity. Every reveal is written to the audit log
    /// (who, which case, which person) before the identity is returned.
    pub fn reveal(&mut self, case: &str, person_id: &str) -> Result<RevealedIdentity> {
        let (case_id, c) = self.case_doc(case)?;
        let ident = c
            .victims
            .get(person_id)
            .map(|v| &v.identity)
            .or_else(|| c.suspects.get(person_id).map(|s| &s.identity))
            .or_else(|| c.witnesses.get(person_id).map(|w| &w.identity))
            .ok_or_else(|| CoreError::not_found("person", person_id))?;
        let view = RevealedIdentity::of(ident);
        self.audit(
            "person.reveal",
            &format!("case {case_id}: person {person_id}"),
        )?;
        Ok(view)
    }

    /// Adds an evidence item; returns its id.
    pub fn add_evidence(&mut self, case: &str, e: EvidenceInput) -> Result<RecordId> {
        let e = e.normalised()?;
        // A seizure is a fact of the chain of custody: never in the future.
        if e.seized_at
            .is_some_and(|at| at > self.now() + SEIZURE_CLOCK_SKEW_MS)
        {
            return Err(CoreError::invalid(
                "seized at",
                "is in the future: a seizure is recorded once it happened",
            ));
        }
        let (member, _) = self.me()?;
        let record = Record::Evidence(Evidence {
            label: e.label,
            kind: e.kind,
            description: e.description,
            seized_at: e.seized_at,
            seized_by: e.seized_by,
            seized_from: e.seized_from,
            location: e.location,
            seal_number: e.seal_number,
            attachment_sha256: None,
            attachment_name: None,
            attachment_type: None,
            attachment_size: None,
            custody: Vec::new(),
            recorded_at: self.now(),
            recorded_by: member,
        });
        Ok(RecordId::from(self.insert(case, record, "evidence.add")?.1))
    }

    /// Appends a hand-over to an evidence item's chain of custody, dated
    /// when it took place (`t.at`; now when not given) and recorded now.
    /// A hand-over is final: the chain is only appended to. It never took
    /// place in the future, nor before the item was seized.
    pub fn transfer_custody(
        &mut self,
        case: &str,
        evidence_id: &str,
        t: CustodyInput,
    ) -> Result<String> {
        let t = t.normalised()?;
        let (case_id, c) = self.case_doc(case)?;
        let item = c
            .evidence
            .get(evidence_id)
            .ok_or_else(|| CoreError::not_found("evidence item", evidence_id))?;
        let now = self.now();
        let at = t.at.unwrap_or(now);
        if at > now.saturating_add(HAND_OVER_CLOCK_SKEW_MS) {
            return Err(CoreError::HandOverInFuture);
        }
        if item.seized_at.is_some_and(|seized| at < seized) {
            return Err(CoreError::HandOverBeforeSeizure);
        }
        let (member, _) = self.me()?;
        let id = new_record_id()?;
        let entry = CustodyEntry {
            id: id.clone(),
            from: t.from,
            to: t.to,
            at,
            place: t.place,
            seal_number: t.seal_number,
            purpose: t.purpose,
            attachment_sha256: None,
            recorded_by: member,
            recorded_at: Some(now),
        };
        self.edit(
            &case_id,
            Edit::AppendCustody {
                evidence_id: evidence_id.into(),
                entry,
            },
            "evidence.custody",
            format!("evidence/{evidence_id}: hand-over {id}"),
        )?;
        Ok(id)
    }

    /// Stores a file in the vault (encrypted, streamed) and, with an
    /// evidence id, records on that item its SHA-256, name, media type and
    /// size (the file itself stays in this device's vault).
    pub fn attach(
        &mut self,
        case: &str,
        evidence_id: Option<&str>,
        file: &Path,
    ) -> Result<AttachmentView> {
        let case_id = self.find_case(case)?;
        if let Some(e) = evidence_id {
            let (_, c) = self.case_doc(&case_id)?;
            if !c.evidence.contains_key(e) {
                return Err(CoreError::not_found("evidence item", e));
            }
        }
        let info = self.vault.import_attachment_file(file, media_type(file))?;
        let view = AttachmentView::of(&info, evidence_id);
        if let Some(e) = evidence_id {
            self.edit(
                &case_id,
                Edit::SetAttachment {
                    evidence_id: e.to_string(),
                    attachment: AttachmentRef {
                        sha256: view.sha256.clone(),
                        name: view.file_name.clone(),
                        media_type: view.media_type.clone(),
                        size: view.size,
                    },
                },
                "evidence.attach",
                format!("evidence/{e}: attachment {}", info.id),
            )?;
        } else {
            self.audit(
                "attachment.add",
                &format!("case {case_id}: attachment {}", info.id),
            )?;
        }
        Ok(view)
    }

    /// Writes the file attached to an evidence item to `dest`, decrypted,
    /// for a member who may see the case. The vault streams it into a
    /// temporary file beside `dest`, checks its SHA-256 and renames it:
    /// on any failure no plaintext is left behind. Audited (which case,
    /// item and attachment; never the file's name or where it went)
    /// before the file is written, as a reveal is.
    pub fn export_attachment(
        &mut self,
        case: &str,
        evidence_id: &str,
        dest: &Path,
    ) -> Result<AttachmentView> {
        let (case_id, c) = self.case_doc(case)?;
        let (member, _) = self.me()?;
        if !self
            .replica()?
            .team()?
            .may_access(&member, &case_id, Some(&c.header.created_by))
        {
            return Err(CoreError::NoCaseAccess);
        }
        let sha = c
            .evidence
            .get(evidence_id)
            .ok_or_else(|| CoreError::not_found("evidence item", evidence_id))?
            .attachment_sha256
            .clone()
            .ok_or_else(|| CoreError::not_found("file of the evidence item", evidence_id))?;
        let id = self.attachment_with(&sha)?;
        self.audit(
            "evidence.export",
            &format!("case {case_id}: evidence/{evidence_id}: attachment {id}"),
        )?;
        let info = self.vault.export_attachment(&id, dest)?;
        Ok(AttachmentView::of(&info, Some(evidence_id)))
    }

    /// The attachment in this device's vault whose content has SHA-256 `sha`.
    fn attachment_with(&self, sha: &str) -> Result<caravan_vault::AttachmentId> {
        for id in self.vault.attachment_ids()? {
            if hex::encode(self.vault.attachment_info(&id)?.sha256) == sha {
                return Ok(id);
            }
        }
        Err(CoreError::AttachmentElsewhere)
    }

    pub fn add_interview(&mut self, case: &str, i: InterviewInput) -> Result<RecordId> {
        let i = i.normalised()?;
        self.people_of(case, [&i.person_id])?;
        let (member, _) = self.me()?;
        let record = Record::Interview(Interview {
            person_id: i.person_id.into_string(),
            stage: PeaceStage::Planning,
            planned_for: i.planned_for,
            venue: i.venue,
            interpreter: i.interpreter,
            interpreter_vetted: i.interpreter_vetted,
            consent_given: i.consent_given,
            child_track: i.child_track,
            plan: Text::with_value(i.plan),
            recorded_at: self.now(),
            recorded_by: member,
        });
        Ok(RecordId::from(
            self.insert(case, record, "interview.add")?.1,
        ))
    }

    pub fn add_task(&mut self, case: &str, t: TaskInput) -> Result<RecordId> {
        let t = t.normalised()?;
        if t.title.is_empty() {
            return Err(CoreError::invalid("title", "must not be empty"));
        }
        let (member, _) = self.me()?;
        let assignee = t
            .assignee
            .as_deref()
            .map(|a| self.find_member(a))
            .transpose()?;
        let record = Record::Task(Task {
            title: t.title,
            assignee,
            due: t.due,
            stage: t.stage,
            done: false,
            recorded_at: self.now(),
            recorded_by: member,
        });
        Ok(RecordId::from(self.insert(case, record, "task.add")?.1))
    }

    /// Marks a task done (or open again).
    pub fn set_task_done(&mut self, case: &str, task_id: &str, done: bool) -> Result<()> {
        let case_id = self.find_case(case)?;
        self.edit(
            &case_id,
            Edit::Set {
                path: DocPath::keys(["tasks", task_id, "done"]),
                value: Scalar::Bool(done),
            },
            "task.done",
            format!("tasks/{task_id}: done {done}"),
        )
    }

    pub fn add_event(&mut self, case: &str, e: EventInput) -> Result<RecordId> {
        let e = e.normalised()?;
        self.people_of(case, &e.person_ids)?;
        let country = country_code("country", e.country.as_deref())?;
        let (lat, lon) = coordinates(e.latitude, e.longitude)?;
        if e.border_point.is_some() && e.crosses_border != Some(true) {
            return Err(CoreError::invalid(
                "border_point",
                "a border crossing point is given only for an event that crosses a border",
            ));
        }
        let (member, _) = self.me()?;
        let record = Record::Timeline(TimelineEvent {
            kind: e.kind,
            date: e.date,
            place: e.place,
            country,
            description: e.description,
            person_ids: e
                .person_ids
                .into_iter()
                .map(RecordId::into_string)
                .collect(),
            recorded_at: self.now(),
            recorded_by: member,
            latitude_microdeg: lat,
            longitude_microdeg: lon,
            crosses_border: e.crosses_border,
            border_point: e.border_point,
            transport: e.transport,
        });
        Ok(RecordId::from(self.insert(case, record, "timeline.add")?.1))
    }

    pub fn add_referral(&mut self, case: &str, r: ReferralInput) -> Result<RecordId> {
        let r = r.normalised()?;
        self.people_of(case, [&r.person_id])?;
        let (member, _) = self.me()?;
        let record = Record::Referral(Referral {
            person_id: r.person_id.into_string(),
            direction: r.direction,
            organisation: r.organisation,
            date: r.date,
            reason: r.reason,
            outcome: None,
            recorded_at: self.now(),
            recorded_by: member,
            organisation_type: r.organisation_type,
            htcds_reason: r.htcds_reason,
            status: r.status,
            consent_given: r.consent_given,
            consent_date: r.consent_date,
        });
        Ok(RecordId::from(self.insert(case, record, "referral.add")?.1))
    }

    pub fn add_risk(&mut self, case: &str, r: RiskInput) -> Result<RecordId> {
        let r = r.normalised()?;
        self.people_of(case, &r.person_id)?;
        let (member, _) = self.me()?;
        let record = Record::Risk(RiskAssessment {
            subject: r.subject,
            person_id: r.person_id.map(RecordId::into_string),
            threat: r.threat,
            threat_source: r.threat_source,
            severity: r.severity,
            likelihood: r.likelihood,
            mitigation: r.mitigation,
            review_on: r.review_on,
            recorded_at: self.now(),
            recorded_by: member,
        });
        Ok(RecordId::from(self.insert(case, record, "risk.add")?.1))
    }

    pub fn add_note(&mut self, case: &str, body: &str) -> Result<RecordId> {
        bounded("note", body, MAX_LONG_TEXT)?;
        let (member, _) = self.me()?;
        let record = Record::Note(Note {
            body: Text::with_value(body),
            recorded_at: self.now(),
            recorded_by: member,
        });
        Ok(RecordId::from(self.insert(case, record, "note.add")?.1))
    }
}

fn media_type(file: &Path) -> &'static str {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("heic") => "image/heic",
        Some("tif" | "tiff") => "image/tiff",
        Some("pdf") => "application/pdf",
        Some("txt") => "text/plain",
        Some("csv") => "text/csv",
        Some("doc") => "application/msword",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("xls") => "application/vnd.ms-excel",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("zip") => "application/zip",
        Some("mp3") => "audio/mpeg",
        Some("m4a") => "audio/mp4",
        Some("ogg" | "oga") => "audio/ogg",
        Some("wav") => "audio/wav",
        Some("mp4") => "video/mp4",
        Some("mov") => "video/quicktime",
        _ => "application/octet-stream",
    }
}

/// Coordinates typed in degrees as stored: microdegrees, both or neither,
/// each in its range (see `caravan_model::places`).
fn coordinates(lat: Option<f64>, lon: Option<f64>) -> Result<(Option<i64>, Option<i64>)> {
    match (lat, lon) {
        (None, None) => Ok((None, None)),
        (Some(lat), Some(lon)) => {
            let lat = places::microdegrees(lat, places::MAX_LATITUDE).ok_or_else(|| {
                CoreError::invalid(
                    "latitude",
                    "must be between -90 and 90 degrees: check the order of latitude and longitude",
                )
            })?;
            let lon = places::microdegrees(lon, places::MAX_LONGITUDE).ok_or_else(|| {
                CoreError::invalid("longitude", "must be between -180 and 180 degrees")
            })?;
            Ok((Some(lat), Some(lon)))
        }
        _ => Err(CoreError::invalid(
            "coordinates",
            "give both latitude and longitude, or neither",
        )),
    }
}
