//! The court dossier of a case (`caravan-dossier` typesets it): what it
//! holds, built from the case's views, with people's identities only when
//! the member reveals them for this dossier (audited first, as every
//! reveal is); and the check of a dossier against this vault's case.

use std::path::Path;

use caravan_dossier::{
    Binding, Cover, DossierContent, DossierError, Entry, Field, Section, Table, Value, language,
};
use caravan_model::Identity;
use caravan_model::texts;
use serde::{Deserialize, Serialize};

use crate::checklists::ChecklistView;
use crate::error::{CoreError, Result};
use crate::permissions::CASE_READERS;
use crate::view::{CaseView, MemberRef, QualifiedArticle, SignOffTarget};
use crate::workspace::Workspace;

/// The most a dossier read for its check may weigh.
pub use caravan_dossier::MAX_PDF_BYTES;

/// How a dossier is made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DossierOptions {
    /// The document's language: a shipped language's tag.
    pub lang: String,
    /// Show people's identities (an audited reveal) rather than their
    /// pseudonyms alone.
    pub reveal: bool,
}

/// A dossier made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dossier {
    pub pdf: Vec<u8>,
    pub pages: usize,
    pub binding: Binding,
}

/// What was written, for the front ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DossierView {
    pub pages: u32,
    pub bytes: u64,
    /// The binding's SHA-256 digest.
    pub digest: String,
    pub revealed: bool,
}

/// A dossier that matches a case of this vault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DossierCheck {
    pub case_id: String,
    pub reference: String,
    pub digest: String,
    pub lang: String,
    pub revealed: bool,
    /// This vault made this very file (its SHA-256 is in the audit log):
    /// its pages are the case's as made, not only its binding. A copy
    /// made on another device, or altered, has a binding to check but no
    /// content vouched for here.
    pub made_here: bool,
}

impl Workspace {
    /// What the dossier of `case` holds, and the case's last change (the
    /// document's date). Identities are read only when `reveal`, and the
    /// reveal is written to the audit log before they are returned.
    pub fn dossier_content(
        &mut self,
        case: &str,
        options: &DossierOptions,
    ) -> Result<(DossierContent, i64)> {
        let lang = language(&options.lang)?;
        let (_, role) = self.me()?;
        if !CASE_READERS.contains(&role) {
            return Err(CoreError::Denied {
                role: format!("{role:?}").to_lowercase(),
                action: "make a court dossier".into(),
            });
        }
        let (case_id, c) = self.case_doc(case)?;
        let (member, _) = self.me()?;
        if !self
            .replica()?
            .team()?
            .may_access(&member, &case_id, Some(&c.header.created_by))
        {
            return Err(CoreError::NoCaseAccess);
        }
        let (heads, last_change) = self
            .replica_mut()?
            .read_case(&case_id, |doc| {
                let heads: Vec<String> = doc.heads().iter().map(ToString::to_string).collect();
                (heads, doc.updated_at())
            })
            .ok_or_else(|| CoreError::not_found("case", &case_id))?;
        let view = self.show_case(&case_id)?;
        let checklists = self.checklists(&case_id, None, lang)?;
        let identities = if options.reveal {
            self.audit(
                "dossier.reveal",
                &format!("case {case_id}: court dossier with identities"),
            )?;
            let mut all: Vec<(String, Identity)> = Vec::new();
            all.extend(
                c.victims
                    .iter()
                    .map(|(k, v)| (k.clone(), v.identity.clone())),
            );
            all.extend(
                c.suspects
                    .iter()
                    .map(|(k, v)| (k.clone(), v.identity.clone())),
            );
            all.extend(
                c.witnesses
                    .iter()
                    .map(|(k, v)| (k.clone(), v.identity.clone())),
            );
            Some(all)
        } else {
            self.audit("dossier.export", &format!("case {case_id}: court dossier"))?;
            None
        };
        let last_change = last_change.unwrap_or(c.header.created_at);
        let binding = Binding::new(&case_id, &heads, lang, options.reveal);
        let content = DossierContent {
            lang: lang.to_string(),
            revealed: options.reveal,
            cover: cover(&view, c.header.registry_number.as_deref(), last_change),
            sections: vec![
                qualification(&view, lang),
                persons(&view, identities.as_deref()),
                chronology(&view),
                evidence(&view),
                interviews(&view),
                checklist_section(&checklists),
                review(&view),
            ],
            binding,
        };
        Ok((content, last_change))
    }

    /// Makes the dossier of `case`: its content, typeset.
    pub fn dossier(&mut self, case: &str, options: &DossierOptions) -> Result<Dossier> {
        let (content, last_change) = self.dossier_content(case, options)?;
        let rendered = caravan_dossier::render(&content, last_change)?;
        // The file's own digest, so that `verify_dossier` can tell this
        // very file from a copy whose pages were changed under an intact
        // binding.
        self.audit(
            "dossier.made",
            &format!(
                "case {}: {} pages, sha256 {}",
                content.binding.case_id,
                rendered.pages,
                sha256_hex(&rendered.pdf)
            ),
        )?;
        Ok(Dossier {
            pdf: rendered.pdf,
            pages: rendered.pages,
            binding: content.binding,
        })
    }

    /// Makes the dossier of `case` and writes it to `dest` (a new file
    /// beside which nothing is left on failure).
    pub fn write_dossier(
        &mut self,
        case: &str,
        options: &DossierOptions,
        dest: &Path,
    ) -> Result<DossierView> {
        let d = self.dossier(case, options)?;
        write_new(dest, &d.pdf)?;
        Ok(DossierView {
            pages: u32::try_from(d.pages).unwrap_or(u32::MAX),
            bytes: d.pdf.len() as u64,
            digest: d.binding.digest,
            revealed: d.binding.revealed,
        })
    }

    /// Checks a dossier's PDF against this vault: its binding is intact,
    /// the case it names is here, and the case holds every head the
    /// dossier was made at (so the copy shows the case as it was then).
    pub fn verify_dossier(&mut self, pdf: &[u8]) -> Result<DossierCheck> {
        let binding = caravan_dossier::read_binding(pdf)?;
        let case_id = self
            .find_case(&binding.case_id)
            .map_err(|_| DossierError::OtherCase)?;
        if case_id != binding.case_id {
            return Err(DossierError::OtherCase.into());
        }
        let holds_all = self
            .replica_mut()?
            .read_case(&case_id, |doc| {
                binding.heads.iter().all(|h| {
                    h.parse::<automerge::ChangeHash>()
                        .ok()
                        .is_some_and(|hash| doc.automerge_mut().get_change_by_hash(&hash).is_some())
                })
            })
            .ok_or(DossierError::OtherCase)?;
        if !holds_all {
            return Err(DossierError::Mismatch.into());
        }
        let (_, c) = self.case_doc(&case_id)?;
        let digest = sha256_hex(pdf);
        let made_here = self
            .audit_log(None)?
            .iter()
            .any(|r| r.action == "dossier.made" && r.detail.ends_with(&format!("sha256 {digest}")));
        self.audit(
            "dossier.verify",
            &format!("case {case_id}: court dossier checked"),
        )?;
        Ok(DossierCheck {
            case_id,
            reference: c.header.reference,
            digest: binding.digest,
            lang: binding.lang,
            revealed: binding.revealed,
            made_here,
        })
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// Writes `bytes` to a new file `dest` through a temporary file beside it.
fn write_new(dest: &Path, bytes: &[u8]) -> Result<()> {
    let file_err = |e: std::io::Error| CoreError::File {
        path: dest.display().to_string(),
        reason: e.to_string(),
    };
    let dir = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.part"));
    std::fs::write(&tmp, bytes).map_err(file_err)?;
    std::fs::rename(&tmp, dest).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        file_err(e)
    })
}

/// A vocabulary value as its catalogue key, `<prefix>.<id>`.
fn key<T: Serialize>(prefix: &str, v: &T) -> Value {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(id)) => Value::Key(format!("{prefix}.{id}")),
        _ => Value::Empty,
    }
}

fn keys<T: Serialize>(prefix: &str, vs: &[T]) -> Value {
    if vs.is_empty() {
        return Value::Empty;
    }
    Value::List(vs.iter().map(|v| key(prefix, v)).collect())
}

fn texts_of(vs: &[String]) -> Value {
    if vs.is_empty() {
        Value::Empty
    } else {
        Value::Text(vs.join(", "))
    }
}

fn who(m: &MemberRef) -> Value {
    Value::Text(if m.name.trim().is_empty() {
        m.id.to_string()
    } else {
        m.name.clone()
    })
}

fn day(d: Option<&caravan_model::Date>) -> Value {
    d.map_or(Value::Empty, |d| Value::Day(d.to_string()))
}

fn section(title: &str, entries: Vec<Entry>) -> Section {
    Section {
        title: title.into(),
        empty: "dossier.empty".into(),
        entries,
    }
}

fn cover(v: &CaseView, registry: Option<&str>, last_change: i64) -> Cover {
    let registry = registry.or(v.court.registry_number.as_deref());
    Cover {
        case_number: v.reference.clone(),
        title: v.title.clone(),
        fields: vec![
            Field::new("dossier.case_number", Value::Text(v.reference.clone())),
            Field::text("dossier.registry_number", registry),
            Field::new("dossier.jurisdiction", Value::Text(v.jurisdiction.clone())),
            Field::new("dossier.status", key("case_status", &v.status)),
            Field::new("dossier.opened", Value::Time(v.created_at)),
            Field::new("dossier.last_change", Value::Time(last_change)),
        ],
    }
}

fn article_text(a: &QualifiedArticle, lang: &str) -> Value {
    let art = &a.article;
    let mut s = format!("{} {}: {}", art.jurisdiction, art.code_year, art.article);
    if let Some(p) = &art.part {
        s.push_str(&format!(" ({p}"));
        if let Some(q) = &art.paragraph {
            s.push_str(&format!(", {q}"));
        }
        s.push(')');
    } else if let Some(q) = &art.paragraph {
        s.push_str(&format!(" (—, {q})"));
    }
    let title = texts::shown(&a.titles, lang).text;
    if !title.is_empty() {
        s.push_str(&format!(" — {title}"));
    }
    Value::Text(s)
}

fn pseudonym_of(v: &CaseView, person_id: &str) -> Value {
    v.people
        .iter()
        .find(|p| p.id.as_str() == person_id)
        .map_or(Value::Text(person_id.to_string()), |p| {
            Value::Text(p.pseudonym.clone())
        })
}

fn qualification(v: &CaseView, lang: &str) -> Section {
    let mut articles: Vec<Field> = v
        .qualification
        .iter()
        .map(|a| Field::new("dossier.article", article_text(a, lang)))
        .collect();
    if articles.is_empty() {
        articles.push(Field::new("dossier.article", Value::Empty));
    }
    let mut entries = vec![Entry {
        heading: vec![Value::Key("dossier.qualified_under".into())],
        fields: articles,
        table: None,
    }];
    // Charges per defendant, in the order the people are listed.
    for p in &v.people {
        let charges: Vec<_> = v
            .court
            .charges
            .iter()
            .filter(|c| c.person_id.as_str() == p.id.as_str())
            .collect();
        if charges.is_empty() {
            continue;
        }
        entries.push(Entry {
            heading: vec![
                Value::Key("dossier.defendant".into()),
                Value::Text(p.pseudonym.clone()),
            ],
            fields: Vec::new(),
            table: Some(Table {
                columns: vec![
                    "dossier.article".into(),
                    "dossier.charge_status".into(),
                    "dossier.brought_on".into(),
                    "dossier.note".into(),
                ],
                rows: charges
                    .iter()
                    .map(|c| {
                        vec![
                            article_text(&c.article, lang),
                            key("charge_status", &c.status),
                            day(c.brought_on.as_ref()),
                            Value::text(c.note.as_deref()),
                        ]
                    })
                    .collect(),
            }),
        });
    }
    section("dossier.section.qualification", entries)
}

fn identity_fields(i: &Identity) -> Vec<Field> {
    vec![
        Field::text("dossier.full_name", Some(&i.full_name)),
        Field::text("dossier.other_names", i.other_names.as_deref()),
        Field::new("dossier.birth_date", day(i.birth_date.as_ref())),
        Field::text("dossier.document_numbers", i.document_numbers.as_deref()),
        Field::text("dossier.contact", i.contact.as_deref()),
        Field::text("dossier.address", i.address.as_deref()),
    ]
}

fn persons(v: &CaseView, identities: Option<&[(String, Identity)]>) -> Section {
    let entries = v
        .people
        .iter()
        .map(|p| {
            let mut fields = vec![
                Field::new("dossier.role", key("person_kind", &p.kind)),
                Field::new("dossier.pseudonym", Value::Text(p.pseudonym.clone())),
            ];
            if let Some(i) = identities.and_then(|all| {
                all.iter()
                    .find(|(id, _)| id.as_str() == p.id.as_str())
                    .map(|(_, i)| i)
            }) {
                fields.extend(identity_fields(i));
            }
            if let Some(sex) = &p.sex {
                fields.push(Field::new("dossier.sex", key("sex", sex)));
            }
            if let Some(age) = p.age_at_trafficking {
                fields.push(Field::new("dossier.age", Value::Text(age.to_string())));
            }
            if !p.citizenships.is_empty() {
                fields.push(Field::new("dossier.citizenship", texts_of(&p.citizenships)));
            }
            if let Some(status) = &p.status {
                fields.push(Field::new(
                    "dossier.trafficking_status",
                    key("trafficking_status", status),
                ));
            }
            if !p.exploitation.is_empty() {
                fields.push(Field::new(
                    "dossier.exploitation",
                    keys("exploitation", &p.exploitation),
                ));
            }
            if !p.roles.is_empty() {
                fields.push(Field::new(
                    "dossier.perpetrator_roles",
                    keys("perp_role", &p.roles),
                ));
            }
            if p.public_official {
                fields.push(Field::new("dossier.public_official", Value::yes_no(true)));
            }
            if p.relation.is_some() {
                fields.push(Field::text("dossier.relation", p.relation.as_deref()));
            }
            fields.push(Field::new("dossier.recorded", Value::Time(p.recorded_at)));
            fields.push(Field::new("dossier.recorded_by", who(&p.recorded_by)));
            Entry {
                heading: vec![
                    key("person_kind", &p.kind),
                    Value::Text(p.pseudonym.clone()),
                ],
                fields,
                table: None,
            }
        })
        .collect();
    section("dossier.section.persons", entries)
}

fn chronology(v: &CaseView) -> Section {
    let mut events: Vec<_> = v.timeline.iter().collect();
    events.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    let entries = events
        .into_iter()
        .map(|e| Entry {
            heading: vec![day(e.date.as_ref()), key("event_kind", &e.kind)],
            fields: vec![
                Field::text("dossier.place", Some(&e.place)),
                Field::text("dossier.country", e.country.as_deref()),
                Field::text("dossier.description", Some(&e.description)),
            ],
            table: None,
        })
        .collect();
    section("dossier.section.chronology", entries)
}

fn evidence(v: &CaseView) -> Section {
    let entries = v
        .evidence
        .iter()
        .map(|e| {
            let mut fields = vec![
                Field::new("dossier.kind", key("evidence_kind", &e.kind)),
                Field::text("dossier.description", Some(&e.description)),
                Field::new(
                    "dossier.seized_at",
                    e.seized_at.map_or(Value::Empty, Value::Time),
                ),
                Field::text("dossier.seized_by", e.seized_by.as_deref()),
                Field::text("dossier.seized_from", e.seized_from.as_deref()),
                Field::text("dossier.location", e.location.as_deref()),
                Field::text("dossier.seal", e.seal_number.as_deref()),
                Field::text("dossier.holder", Some(&e.holder)),
                Field::new("dossier.recorded_by", who(&e.recorded_by)),
            ];
            if let Some(a) = &e.attachment {
                fields.push(Field::text("dossier.attachment", a.file_name.as_deref()));
                fields.push(Field::new(
                    "dossier.attachment_sha256",
                    Value::Hash(a.sha256.clone()),
                ));
            }
            Entry {
                heading: vec![Value::Text(e.label.clone())],
                fields,
                table: Some(Table {
                    columns: vec![
                        "dossier.custody_at".into(),
                        "dossier.custody_from".into(),
                        "dossier.custody_to".into(),
                        "dossier.place".into(),
                        "dossier.seal".into(),
                        "dossier.purpose".into(),
                        "dossier.recorded_by".into(),
                    ],
                    rows: e
                        .custody
                        .iter()
                        .map(|t| {
                            vec![
                                Value::Time(t.at),
                                Value::Text(t.from.clone()),
                                Value::Text(t.to.clone()),
                                Value::Text(t.place.clone()),
                                Value::text(t.seal_number.as_deref()),
                                Value::text(t.purpose.as_deref()),
                                who(&t.recorded_by),
                            ]
                        })
                        .collect(),
                }),
            }
        })
        .collect();
    section("dossier.section.evidence", entries)
}

fn interviews(v: &CaseView) -> Section {
    let entries = v
        .interviews
        .iter()
        .map(|i| Entry {
            heading: vec![
                pseudonym_of(v, i.person_id.as_str()),
                day(i.planned_for.as_ref()),
            ],
            fields: vec![
                Field::new("dossier.person", pseudonym_of(v, i.person_id.as_str())),
                Field::new("dossier.planned_for", day(i.planned_for.as_ref())),
                Field::text("dossier.venue", i.venue.as_deref()),
                Field::text("dossier.interpreter", i.interpreter.as_deref()),
                Field::new("dossier.consent", Value::yes_no(i.consent_given)),
                Field::new("dossier.child_track", Value::yes_no(i.child_track)),
                Field::text("dossier.plan", Some(&i.plan)),
            ],
            table: None,
        })
        .collect();
    section("dossier.section.interviews", entries)
}

fn checklist_section(lists: &[ChecklistView]) -> Section {
    let entries = lists
        .iter()
        .map(|l| {
            let mut heading = vec![Value::Text(l.title.clone())];
            if let Some(p) = &l.person {
                heading.push(Value::Text(p.clone()));
            }
            Entry {
                heading,
                fields: vec![
                    Field::new(
                        "dossier.stage",
                        l.stage.as_ref().map_or(Value::Empty, |s| key("stage", s)),
                    ),
                    Field::new("dossier.version", Value::Text(l.version.to_string())),
                    Field::new(
                        "dossier.progress",
                        Value::Text(format!("{} / {}", l.required_resolved, l.required)),
                    ),
                ],
                table: Some(Table {
                    columns: vec![
                        "dossier.item".into(),
                        "dossier.item_state".into(),
                        "dossier.source".into(),
                        "dossier.note".into(),
                        "dossier.by".into(),
                    ],
                    rows: l
                        .items
                        .iter()
                        .map(|i| {
                            vec![
                                Value::Text(i.text.clone()),
                                key("item_status", &i.status),
                                Value::Text(i.source.clone()),
                                Value::text(i.note.as_deref().or(i.reason.as_deref())),
                                match (&i.recorded_by, i.recorded_at) {
                                    (Some(m), Some(at)) => {
                                        Value::List(vec![who(m), Value::Time(at)])
                                    }
                                    (Some(m), None) => who(m),
                                    _ => Value::Empty,
                                },
                            ]
                        })
                        .collect(),
                }),
            }
        })
        .collect();
    section("dossier.section.checklists", entries)
}

fn review(v: &CaseView) -> Section {
    let mut entries: Vec<Entry> = v
        .review
        .iter()
        .map(|r| Entry {
            heading: vec![key("review_kind", &r.kind), Value::Time(r.at)],
            fields: vec![
                Field::new(
                    "dossier.stage",
                    r.stage.as_ref().map_or(Value::Empty, |s| key("stage", s)),
                ),
                Field::new("dossier.by", who(&r.by)),
                Field::text("dossier.text", Some(&r.text)),
            ],
            table: None,
        })
        .collect();
    entries.extend(v.approvals.iter().map(|a| Entry {
        heading: vec![key("decision", &a.decision), Value::Time(a.at)],
        fields: vec![
            Field::new(
                "dossier.stage",
                a.stage.as_ref().map_or(Value::Empty, |s| key("stage", s)),
            ),
            Field::text("dossier.subject", Some(&a.subject)),
            Field::new("dossier.by", who(&a.by)),
            Field::text("dossier.note", a.comment.as_deref()),
        ],
        table: None,
    }));
    for stage in &v.signoffs {
        if stage.signoffs.is_empty() {
            continue;
        }
        entries.push(Entry {
            heading: vec![
                Value::Key("dossier.signoff".into()),
                key("stage", &stage.stage),
            ],
            fields: Vec::new(),
            table: Some(Table {
                columns: vec![
                    "dossier.item".into(),
                    "dossier.role".into(),
                    "dossier.by".into(),
                    "dossier.date".into(),
                    "dossier.withdrawn".into(),
                ],
                rows: stage
                    .signoffs
                    .iter()
                    .map(|s| {
                        vec![
                            match &s.target {
                                SignOffTarget::Stage { .. } => key("stage", &stage.stage),
                                SignOffTarget::Item { item_id, .. } => Value::Text(item_id.clone()),
                            },
                            key("role", &s.role),
                            who(&s.by),
                            Value::Time(s.at),
                            s.withdrawn.as_ref().map_or(Value::Empty, |w| {
                                Value::List(vec![
                                    who(&w.by),
                                    Value::Time(w.at),
                                    Value::Text(w.reason.clone()),
                                ])
                            }),
                        ]
                    })
                    .collect(),
            }),
        });
    }
    section("dossier.section.review", entries)
}
