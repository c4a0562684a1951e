//! A sample dossier and the PDF tools the tests read it with.

use std::process::Command;

use caravan_dossier::{Binding, Cover, DossierContent, Entry, Field, Section, Table, Value};

pub const HEAD_A: &str = "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100";
pub const HEAD_B: &str = "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf";
pub const ATTACHMENT: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

/// A dossier of one case with a charge, a victim, an evidence item with
/// two hand-overs, a checklist and a sign-off; `text` goes into the
/// victim's pseudonym and the evidence's description.
pub fn sample(lang: &str, text: &str) -> DossierContent {
    DossierContent {
        lang: lang.into(),
        revealed: false,
        cover: Cover {
            case_number: "KZ-2026-0142".into(),
            title: "Operation Steppe".into(),
            fields: vec![
                Field::new(
                    "dossier.registry_number",
                    Value::Text("261500031000142".into()),
                ),
                Field::new("dossier.jurisdiction", Value::Text("KZ".into())),
                Field::new("dossier.status", Value::Key("case_status.active".into())),
                Field::new("dossier.opened", Value::Time(1_773_484_200_000)),
            ],
        },
        sections: vec![
            Section {
                title: "dossier.section.qualification".into(),
                empty: "dossier.empty".into(),
                entries: vec![Entry {
                    heading: vec![Value::Text("Suspect S-1".into())],
                    fields: vec![
                        Field::new(
                            "dossier.article",
                            Value::Text("KZ 2014 art. 128 part 3".into()),
                        ),
                        Field::new(
                            "dossier.charge_status",
                            Value::Key("charge_status.brought".into()),
                        ),
                    ],
                    table: None,
                }],
            },
            Section {
                title: "dossier.section.persons".into(),
                empty: "dossier.empty".into(),
                entries: vec![Entry {
                    heading: vec![
                        Value::Key("person_kind.victim".into()),
                        Value::Text(text.into()),
                    ],
                    fields: vec![Field::text("dossier.pseudonym", Some(text))],
                    table: None,
                }],
            },
            Section {
                title: "dossier.section.evidence".into(),
                empty: "dossier.empty".into(),
                entries: vec![Entry {
                    heading: vec![Value::Text("E-7 phone".into())],
                    fields: vec![
                        Field::new("dossier.description", Value::Text(text.into())),
                        Field::new("dossier.attachment_sha256", Value::Hash(ATTACHMENT.into())),
                    ],
                    table: Some(Table {
                        columns: vec![
                            "dossier.custody_at".into(),
                            "dossier.custody_from".into(),
                            "dossier.custody_to".into(),
                            "dossier.place".into(),
                        ],
                        rows: vec![
                            vec![
                                Value::Time(1_773_484_200_000),
                                Value::Text("Officer Abenov".into()),
                                Value::Text("Evidence room".into()),
                                Value::Text("Almaty".into()),
                            ],
                            vec![
                                Value::Time(1_773_570_600_000),
                                Value::Text("Evidence room".into()),
                                Value::Text("Forensic lab".into()),
                                Value::Text("Astana".into()),
                            ],
                        ],
                    }),
                }],
            },
            Section {
                title: "dossier.section.interviews".into(),
                empty: "dossier.empty".into(),
                entries: vec![],
            },
        ],
        binding: Binding::new("case-0142", &[HEAD_B.into(), HEAD_A.into()], lang, false),
    }
}

/// The text of a PDF, as poppler's `pdftotext` reads it.
pub fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/lib/setup.sh");
    assert!(
        out.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `pdfinfo`'s report of a PDF.
pub fn pdf_info(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdfinfo")
        .arg("-meta")
        .arg(&path)
        .output()
        .expect("pdfinfo (poppler-utils) is installed by scripts/lib/setup.sh");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}
