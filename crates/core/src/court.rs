//! The court phase through the workspace: procedural decisions, preventive
//! measures, charges, the indictment, hearings, verdicts, compensation,
//! and the case's number in the national register. Each record names
//! people of the case, checked here to be of the kind the record needs.

use caravan_model::*;

use crate::error::{CoreError, Result};
use crate::ids::RecordId;
use crate::inputs::*;
use crate::workspace::Workspace;

/// The kind of person a court record names.
#[derive(Clone, Copy)]
enum Party {
    Victim,
    Suspect,
}

fn of_kind(case: &Case, id: &RecordId, party: Party) -> Result<()> {
    let (held, what) = match party {
        Party::Victim => (
            case.victims.contains_key(id.as_str()),
            "victim in this case",
        ),
        Party::Suspect => (
            case.suspects.contains_key(id.as_str()),
            "suspect in this case",
        ),
    };
    if held {
        Ok(())
    } else {
        Err(CoreError::not_found(what, id.as_str()))
    }
}

/// The charges that still stand (not dropped).
fn standing(case: &Case) -> impl Iterator<Item = (&String, &Charge)> {
    case.charges
        .iter()
        .filter(|(_, c)| c.status != ChargeStatus::Dropped)
}

/// The charges against `person` that still stand.
fn standing_charges<'a>(
    case: &'a Case,
    person: &'a str,
) -> impl Iterator<Item = (&'a String, &'a Charge)> {
    standing(case).filter(move |(_, c)| c.person_id == person)
}

impl Workspace {
    /// Records the case's number in the national register (Kazakhstan's
    /// ERDR, for one); blank clears it.
    pub fn set_registry_number(&mut self, case: &str, number: &str) -> Result<()> {
        crate::inputs::bounded("registry_number", number.trim(), crate::inputs::MAX_TEXT)?;
        self.set_field(case, "header/registry_number", number.trim())
    }

    /// Records a decision giving a person a procedural status: victims are
    /// recognised as victims or civil claimants, suspects become accused,
    /// defendants, convicted or acquitted.
    pub fn add_procedural_decision(
        &mut self,
        case: &str,
        d: ProceduralDecisionInput,
    ) -> Result<RecordId> {
        let d = d.normalised()?;
        let (_, c) = self.case_doc(case)?;
        let party = match d.status {
            ProceduralStatus::RecognisedVictim | ProceduralStatus::CivilClaimant => Party::Victim,
            _ => Party::Suspect,
        };
        of_kind(&c, &d.person_id, party)?;
        let (member, _) = self.me()?;
        let record = Record::ProceduralDecision(ProceduralDecision {
            person_id: d.person_id.into_string(),
            status: d.status,
            decided_on: d.decided_on,
            reference: d.reference,
            recorded_at: self.now(),
            recorded_by: member,
        });
        Ok(RecordId::from(
            self.insert_noted(case, record, "court.decision", None)?.1,
        ))
    }

    /// Records a preventive measure against a suspect.
    pub fn add_measure(&mut self, case: &str, m: MeasureInput) -> Result<RecordId> {
        let m = m.normalised()?;
        let (_, c) = self.case_doc(case)?;
        of_kind(&c, &m.person_id, Party::Suspect)?;
        let (member, _) = self.me()?;
        let record = Record::Measure(PreventiveMeasure {
            person_id: m.person_id.into_string(),
            kind: m.kind,
            ordered_by: m.ordered_by,
            from: m.from,
            until: m.until,
            lifted_on: None,
            recorded_at: self.now(),
            recorded_by: member,
        });
        Ok(RecordId::from(
            self.insert_noted(case, record, "court.measure", None)?.1,
        ))
    }

    /// Brings a charge against a suspect under an offered article, in the
    /// version in force on the day it is brought.
    pub fn add_charge(&mut self, case: &str, ch: ChargeInput) -> Result<RecordId> {
        let ch = ch.normalised()?;
        let (_, c) = self.case_doc(case)?;
        of_kind(&c, &ch.person_id, Party::Suspect)?;
        let day = ch.brought_on.unwrap_or_else(|| self.clock.today());
        let article = crate::cases::offered_article(
            &ch.article,
            ch.part.as_deref(),
            ch.paragraph.as_deref(),
            day,
        )?;
        let (member, _) = self.me()?;
        let record = Record::Charge(Charge {
            person_id: ch.person_id.into_string(),
            article,
            status: ch.status,
            brought_on: ch.brought_on,
            note: ch.note,
            recorded_at: self.now(),
            recorded_by: member,
        });
        Ok(RecordId::from(
            self.insert_noted(case, record, "court.charge", None)?.1,
        ))
    }

    /// Records the indictment. Without defendants it names every suspect
    /// with a charge standing; without charges, every standing charge of
    /// its defendants.
    pub fn add_indictment(&mut self, case: &str, i: IndictmentInput) -> Result<RecordId> {
        let i = i.normalised()?;
        let (_, c) = self.case_doc(case)?;
        let defendants: Vec<String> = if i.defendants.is_empty() {
            let mut charged: Vec<String> =
                standing(&c).map(|(_, ch)| ch.person_id.clone()).collect();
            charged.sort();
            charged.dedup();
            charged
        } else {
            for d in &i.defendants {
                of_kind(&c, d, Party::Suspect)?;
            }
            i.defendants
                .iter()
                .map(|d| d.as_str().to_string())
                .collect()
        };
        if defendants.is_empty() {
            return Err(CoreError::invalid(
                "defendants",
                "no one is charged yet: bring a charge, or name the defendants",
            ));
        }
        let charges: Vec<String> = if i.charges.is_empty() {
            defendants
                .iter()
                .flat_map(|d| standing_charges(&c, d).map(|(id, _)| id.clone()))
                .collect()
        } else {
            for id in &i.charges {
                let Some(ch) = c.charges.get(id.as_str()) else {
                    return Err(CoreError::not_found("charge in this case", id.as_str()));
                };
                if !defendants.contains(&ch.person_id) {
                    return Err(CoreError::invalid(
                        "charges",
                        "a charge of someone the indictment does not name as defendant",
                    ));
                }
            }
            i.charges.iter().map(|id| id.as_str().to_string()).collect()
        };
        let (member, _) = self.me()?;
        let record = Record::Indictment(Indictment {
            status: i.status,
            defendants,
            charges,
            signed_on: i.signed_on,
            approved_on: i.approved_on,
            court: i.court,
            sent_to_court_on: i.sent_to_court_on,
            note: i.note,
            recorded_at: self.now(),
            recorded_by: member,
        });
        Ok(RecordId::from(
            self.insert_noted(case, record, "court.indictment", None)?.1,
        ))
    }

    /// Records a court hearing.
    pub fn add_hearing(&mut self, case: &str, h: HearingInput) -> Result<RecordId> {
        let h = h.normalised()?;
        self.find_case(case)?;
        let (member, _) = self.me()?;
        let record = Record::Hearing(Hearing {
            date: h.date,
            court: h.court,
            kind: h.kind,
            outcome: h.outcome,
            measures_granted: h.measures_granted,
            measures_refused: h.measures_refused,
            safety_reviewed: h.safety_reviewed,
            next_date: h.next_date,
            note: h.note,
            recorded_at: self.now(),
            recorded_by: member,
        });
        Ok(RecordId::from(
            self.insert_noted(case, record, "court.hearing", None)?.1,
        ))
    }

    /// Records a verdict for one defendant. A conviction without articles
    /// is under the defendant's standing charges.
    pub fn add_verdict(&mut self, case: &str, v: VerdictInput) -> Result<RecordId> {
        let v = v.normalised()?;
        let (_, c) = self.case_doc(case)?;
        of_kind(&c, &v.person_id, Party::Suspect)?;
        let articles = if v.articles.is_empty() && v.outcome == VerdictOutcome::Convicted {
            standing_charges(&c, v.person_id.as_str())
                .map(|(_, ch)| ch.article.key())
                .collect()
        } else {
            v.articles
        };
        let (member, _) = self.me()?;
        let record = Record::Verdict(Verdict {
            person_id: v.person_id.into_string(),
            date: v.date,
            court: v.court,
            outcome: v.outcome,
            articles,
            sentence: v.sentence,
            custodial_months: v.custodial_months,
            confiscation: v.confiscation,
            appeal: v.appeal,
            appeal_decided_on: None,
            in_force_on: v.in_force_on,
            recorded_at: self.now(),
            recorded_by: member,
        });
        Ok(RecordId::from(
            self.insert_noted(case, record, "court.verdict", None)?.1,
        ))
    }

    /// Records a victim's claim for compensation.
    pub fn add_compensation(&mut self, case: &str, k: CompensationInput) -> Result<RecordId> {
        let k = k.normalised()?;
        let (_, c) = self.case_doc(case)?;
        of_kind(&c, &k.person_id, Party::Victim)?;
        let (member, _) = self.me()?;
        let record = Record::Compensation(Compensation {
            person_id: k.person_id.into_string(),
            currency: k.currency.to_ascii_uppercase(),
            claimed: k.claimed,
            awarded: k.awarded,
            paid: k.paid,
            status: k.status,
            note: k.note,
            recorded_at: self.now(),
            recorded_by: member,
        });
        Ok(RecordId::from(
            self.insert_noted(case, record, "court.compensation", None)?
                .1,
        ))
    }
}
