//! The criminal-code articles: the table holds what it must, references
//! are checked, a qualification with parts and paragraphs is stored,
//! merged and read (entries of older releases too), the prosecutor's
//! position is theirs where the procedure gives them that role, and
//! docs/articles.md is current.

use std::fmt::Write as _;
use std::path::Path;

use crate::common::*;
use automerge::ReadDoc;
use automerge::transaction::Transactable;
use caravan_model::articles::{self, ArticleInfo};
use caravan_model::*;

fn day(s: &str) -> Date {
    s.parse().unwrap()
}

fn article(
    j: &str,
    year: u64,
    number: &str,
    part: Option<&str>,
    paragraph: Option<&str>,
) -> LegalArticle {
    LegalArticle {
        jurisdiction: j.into(),
        code_year: year,
        article: number.into(),
        part: part.map(Into::into),
        paragraph: paragraph.map(Into::into),
        in_force_from: None,
    }
}

#[test]
fn every_article_has_a_source_a_year_and_an_in_force_date() {
    let all = articles::builtin();
    assert!(all.len() >= 15, "{} articles", all.len());
    for a in all {
        let name = format!("{} {} art. {}", a.jurisdiction, a.code_year, a.article);
        assert!(a.source.starts_with("http"), "{name}: source");
        assert!((1990..=2030).contains(&a.code_year), "{name}: code year");
        assert!(
            u64::from(a.in_force_from.year()) >= a.code_year,
            "{name}: in force"
        );
        assert!(
            articles::parse_number(&a.article).is_some(),
            "{name}: number"
        );
        assert!(
            a.title.contains_key("en") && a.title.contains_key("ru"),
            "{name}: titles"
        );
        if !a.verified {
            assert!(a.note.is_some(), "{name}: an unverified entry says why");
        }
    }
    for j in ["KZ", "KG", "TJ", "TM", "UZ"] {
        assert!(
            articles::procedures().iter().any(|p| p.jurisdiction == j),
            "{j}: the prosecutor's role is stated"
        );
        assert!(
            articles::in_force(j, day("2026-01-01"))
                .iter()
                .any(|a| !a.related),
            "{j}: a trafficking article is offered"
        );
    }
}

/// (key, English title, related) of the articles in force on a day.
fn offered(j: &str, on: &str) -> Vec<(String, String, bool)> {
    articles::in_force(j, day(on))
        .into_iter()
        .map(|a| (a.to_article().key(), a.title["en"].clone(), a.related))
        .collect()
}

fn row(key: &str, title: &str, related: bool) -> (String, String, bool) {
    (key.into(), title.into(), related)
}

#[test]
fn the_corrections_hold() {
    // Kyrgyzstan: 166 is the general trafficking article, 167 trafficking in
    // children, 170 forced labour (slave labour); 159 is related. All four
    // were read in a copy of the code's text.
    assert_eq!(
        offered("KG", "2026-01-01"),
        vec![
            row("KG-2021-166", "Trafficking in persons", false),
            row("KG-2021-167", "Trafficking in children", false),
            row("KG-2021-170", "Forced use of labour (slave labour)", false),
            row("KG-2021-159", "Involving in prostitution", true),
        ]
    );
    let kg = |n: &str| {
        articles::for_jurisdiction("KG")
            .find(|a| a.article == n)
            .unwrap()
    };
    assert_eq!(
        kg("170").title["ru"],
        "Принудительное использование труда (рабский труд)"
    );
    assert_eq!(kg("159").title["ru"], "Вовлечение в занятие проституцией");
    for n in ["166", "167", "170", "159"] {
        assert!(kg(n).verified, "KG {n} is read in the code's text");
        assert_eq!(kg(n).in_force_from.to_string(), "2021-12-01", "KG {n}");
    }
    // Uzbekistan: art. 135 changed on 19 May 2025; 148² is related.
    let uz135 = |on: &str| {
        articles::in_force("UZ", day(on))
            .into_iter()
            .find(|a| a.article == "135")
            .map(|a| a.in_force_from.to_string())
    };
    assert_eq!(uz135("2025-05-18").as_deref(), Some("2008-09-16"));
    assert_eq!(uz135("2025-05-19").as_deref(), Some("2025-05-19"));
    assert_eq!(uz135("2008-09-15"), None);
    let amended = articles::for_jurisdiction("UZ")
        .find(|a| a.article == "135" && a.in_force_until.is_none())
        .unwrap();
    assert!(amended.note.as_deref().unwrap().contains("15 years"));
    assert!(
        amended
            .note
            .as_deref()
            .unwrap()
            .contains("identity documents")
    );
    assert_eq!(
        offered("UZ", "2026-01-01"),
        vec![
            row("UZ-1994-135", "Trafficking in persons", false),
            row("UZ-1994-148²", "Forced labour", true),
        ]
    );
    // Tajikistan's articles in the code's order, superscripts included.
    let tj: Vec<String> = offered("TJ", "2026-01-01")
        .into_iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(
        tj,
        ["TJ-1998-130¹", "TJ-1998-130²", "TJ-1998-132", "TJ-1998-167"]
    );
}

#[test]
fn numbers_with_superscripts_parse() {
    let check = |input: &str, expect: Option<(u32, u32)>| {
        assert_eq!(articles::parse_number(input), expect, "{input}");
    };
    check("128", Some((128, 0)));
    check("130¹", Some((130, 1)));
    check("148²", Some((148, 2)));
    check("205¹²", Some((205, 12)));
    check("130⁰", None);
    check("130-1", None);
    check("0128", None);
    check("", None);
    check("¹", None);
    let mut numbers = vec!["131", "130²", "130", "130¹", "1"];
    numbers.sort_by(|a, b| articles::compare_numbers(a, b));
    assert_eq!(numbers, ["1", "130", "130¹", "130²", "131"]);
}

#[test]
fn references_are_validated() {
    let check = |reference: LegalArticle, expect: Result<&str, &str>| {
        let got = articles::validate_reference(&reference)
            .map(|a: &ArticleInfo| a.in_force_from.to_string())
            .map_err(|e| e.code());
        assert_eq!(got.as_deref().map_err(|e| *e), expect, "{reference:?}");
    };
    check(
        article("KZ", 2014, "128", Some("3"), Some("2")),
        Ok("2015-01-01"),
    );
    check(article("KG", 2021, "167", None, None), Ok("2021-12-01"));
    // Without a version: the latest; with one: that one.
    check(
        article("UZ", 1994, "135", Some("2"), Some("и")),
        Ok("2025-05-19"),
    );
    check(
        LegalArticle {
            in_force_from: Some(day("2008-09-16")),
            ..article("UZ", 1994, "135", None, None)
        },
        Ok("2008-09-16"),
    );
    check(
        LegalArticle {
            in_force_from: Some(day("2000-01-01")),
            ..article("UZ", 1994, "135", None, None)
        },
        Err("case.not_found"),
    );
    check(
        article("KG", 2021, "171", None, None),
        Err("case.not_found"),
    );
    check(
        article("KG", 2019, "166", None, None),
        Err("case.not_found"),
    );
    check(
        article("TJ", 1998, "130¹", Some("2"), None),
        Ok("1998-09-01"),
    );
    check(
        article("KZ", 2014, "128", Some("3 "), None),
        Err("case.invalid"),
    );
    check(
        article("KZ", 2014, "128", Some(""), None),
        Err("case.invalid"),
    );
    check(
        article("KZ", 2014, "128", None, Some("2)")),
        Err("case.invalid"),
    );
    check(article("kz", 2014, "128", None, None), Err("case.invalid"));
}

#[test]
fn keys_name_the_part_and_paragraph() {
    let check = |part: Option<&str>, paragraph: Option<&str>, expect: &str| {
        assert_eq!(article("KZ", 2014, "128", part, paragraph).key(), expect);
    };
    check(None, None, "KZ-2014-128");
    check(Some("3"), None, "KZ-2014-128:3");
    check(Some("3"), Some("2"), "KZ-2014-128:3:2");
    check(None, Some("2"), "KZ-2014-128::2");
}

fn add(doc: &mut CaseDoc, a: LegalArticle) {
    doc.apply(Edit::AddArticle(a), &investigator(), catalog())
        .unwrap();
}

#[test]
fn parts_of_one_article_are_listed_and_merge() {
    let mut doc = new_case();
    let mut other = doc.fork(actor(2));
    add(
        &mut doc,
        LegalArticle {
            in_force_from: Some(day("2015-01-01")),
            ..article("KZ", 2014, "128", Some("1"), None)
        },
    );
    add(&mut other, article("KZ", 2014, "128", Some("3"), Some("2")));
    doc.merge(&mut other).unwrap();
    let case = doc.case().unwrap();
    assert_eq!(
        case.header.qualification.keys().collect::<Vec<_>>(),
        ["KZ-2014-128:1", "KZ-2014-128:3:2"]
    );
    let p2 = &case.header.qualification["KZ-2014-128:3:2"];
    assert_eq!(
        (p2.part.as_deref(), p2.paragraph.as_deref()),
        (Some("3"), Some("2"))
    );
    assert_eq!(
        case.header.qualification["KZ-2014-128:1"].in_force_from,
        Some(day("2015-01-01"))
    );
    assert!(doc.conflicts().is_empty());
    // Saved and loaded, the same.
    let loaded = CaseDoc::load(&doc.save(), actor(3)).unwrap();
    assert_eq!(loaded.case().unwrap(), case);
    // A bad part is refused, nothing written.
    let err = doc
        .apply(
            Edit::AddArticle(article("KZ", 2014, "135", Some("ч.2"), None)),
            &investigator(),
            catalog(),
        )
        .unwrap_err();
    assert_eq!(caravan_errors::Coded::code(&err), "case.invalid");
}

#[test]
fn entries_without_part_or_paragraph_read_as_before() {
    // An entry as an older release wrote it: three fields.
    let mut doc = new_case();
    let am = doc.automerge_mut();
    let header = am.get(automerge::ROOT, "header").unwrap().unwrap().1;
    let q = am.get(&header, "qualification").unwrap().unwrap().1;
    let entry = am
        .put_object(&q, "KZ-2014-128", automerge::ObjType::Map)
        .unwrap();
    am.put(&entry, "jurisdiction", "KZ").unwrap();
    am.put(&entry, "code_year", 2014u64).unwrap();
    am.put(&entry, "article", "128").unwrap();
    am.commit();
    let case = doc.case().unwrap();
    assert_eq!(
        case.header.qualification["KZ-2014-128"],
        article("KZ", 2014, "128", None, None)
    );
    // The version it names is the one in force when the case was opened.
    let v = articles::version_of(&case.header.qualification["KZ-2014-128"], day("2026-01-01"));
    assert_eq!(v.map(|v| v.in_force_from), Some(day("2015-01-01")));
    // An article added now without part or paragraph is written as before:
    // no keys an older release does not know.
    add(&mut doc, article("KZ", 2014, "135", None, None));
    let am = doc.automerge();
    let header = am.get(automerge::ROOT, "header").unwrap().unwrap().1;
    let q = am.get(&header, "qualification").unwrap().unwrap().1;
    let entry = am.get(&q, "KZ-2014-135").unwrap().unwrap().1;
    let keys: Vec<String> = am.keys(&entry).collect();
    assert_eq!(keys, ["article", "code_year", "jurisdiction"]);
}

fn prosecutor() -> Author {
    author(Role::Prosecutor, "pro-1")
}

fn opinion(agrees: bool, articles: &[LegalArticle]) -> Edit {
    Edit::Insert {
        id: format!(
            "q-{agrees}-{}",
            articles
                .iter()
                .map(LegalArticle::key)
                .collect::<Vec<_>>()
                .join(",")
        ),
        record: Record::Review(ReviewItem {
            kind: ReviewKind::Comment,
            stage: None,
            text: String::new(),
            by: "pro-1".into(),
            at: AT,
            withdraws: None,
            qualification: Some(QualificationOpinion {
                agrees,
                articles: articles.iter().map(|a| (a.key(), a.clone())).collect(),
            }),
        }),
    }
}

fn case_in(jurisdiction: &str) -> CaseDoc {
    let mut doc = CaseDoc::create(
        actor(1),
        NewCase {
            nonce: [7; 16],
            reference: "R-1".into(),
            title: "t".into(),
            jurisdiction: jurisdiction.into(),
        },
        &investigator(),
        catalog(),
    )
    .unwrap();
    let a = articles::in_force(jurisdiction, day("2026-01-01"))[0].to_article();
    add(
        &mut doc,
        LegalArticle {
            part: Some("2".into()),
            ..a
        },
    );
    doc
}

#[test]
fn the_prosecutor_agrees_or_proposes_where_the_procedure_says_so() {
    let mut doc = case_in("KZ");
    let standing: Vec<LegalArticle> = doc
        .case()
        .unwrap()
        .header
        .qualification
        .into_values()
        .collect();
    let proposal = article("KZ", 2014, "128", Some("3"), Some("2"));
    doc.apply(opinion(true, &standing), &prosecutor(), catalog())
        .unwrap();
    doc.apply(
        opinion(false, std::slice::from_ref(&proposal)),
        &prosecutor(),
        catalog(),
    )
    .unwrap();
    let case = doc.case().unwrap();
    let agreed = case.review["q-true-KZ-2014-128:2"]
        .qualification
        .as_ref()
        .unwrap();
    assert!(agreed.agrees);
    assert_eq!(
        agreed.articles.keys().collect::<Vec<_>>(),
        ["KZ-2014-128:2"]
    );
    let proposed = case.review["q-false-KZ-2014-128:3:2"]
        .qualification
        .as_ref()
        .unwrap();
    assert_eq!(proposed.articles["KZ-2014-128:3:2"], proposal);
    // The investigators' qualification is untouched.
    assert_eq!(case.header.qualification.len(), 1);
    // Refused: what an honest front end would never send.
    let refusals: Vec<(Edit, &str)> = vec![
        (
            opinion(true, std::slice::from_ref(&proposal)),
            "case.invalid",
        ),
        (opinion(false, &[]), "case.invalid"),
        (
            opinion(false, &[proposal.clone(), standing[0].clone()]),
            "case.invalid",
        ),
        (
            opinion(false, &[article("KG", 2021, "166", None, None)]),
            "case.invalid",
        ),
        (
            opinion(false, &[article("KZ", 2014, "128", Some("3)"), None)]),
            "case.invalid",
        ),
    ];
    for (edit, code) in refusals {
        let before = doc.save();
        let err = doc
            .apply(edit.clone(), &prosecutor(), catalog())
            .unwrap_err();
        assert_eq!(caravan_errors::Coded::code(&err), code, "{edit:?}");
        assert_eq!(doc.save(), before);
    }
}

#[test]
fn an_investigator_cannot_write_the_prosecutors_entry() {
    let mut doc = case_in("KZ");
    let standing: Vec<LegalArticle> = doc
        .case()
        .unwrap()
        .header
        .qualification
        .into_values()
        .collect();
    // A malicious investigator's change: the prosecutor's agreement under
    // the prosecutor's name.
    let err = doc
        .apply(opinion(true, &standing), &investigator(), catalog())
        .unwrap_err();
    assert!(matches!(err, ModelError::Denied(_)), "{err}");
    // Nor under their own name.
    let mut own = opinion(true, &standing);
    if let Edit::Insert {
        record: Record::Review(r),
        ..
    } = &mut own
    {
        r.by = "inv-1".into();
    }
    let err = doc.apply(own, &investigator(), catalog()).unwrap_err();
    assert!(matches!(err, ModelError::Denied(_)), "{err}");
    assert!(doc.case().unwrap().review.is_empty());
}

#[test]
fn a_prosecutor_without_the_role_in_their_procedure_is_refused() {
    for j in ["KG", "TJ", "TM", "UZ"] {
        let mut doc = case_in(j);
        let standing: Vec<LegalArticle> = doc
            .case()
            .unwrap()
            .header
            .qualification
            .into_values()
            .collect();
        let err = doc
            .apply(opinion(true, &standing), &prosecutor(), catalog())
            .unwrap_err();
        match err {
            ModelError::Denied(d) => assert!(d.why.contains("no say in the qualification"), "{j}"),
            e => panic!("{j}: {e}"),
        }
        assert!(doc.case().unwrap().review.is_empty(), "{j}");
    }
}

/// Renders the article table as the reference page docs/articles.md.
fn render_markdown() -> String {
    let mut out = String::from(
        "# Criminal-code articles\n\n\
         The articles Caravan offers for a case's legal qualification, per\n\
         jurisdiction, and what each jurisdiction's criminal procedure lets the\n\
         prosecutor do with the qualification. Generated from\n\
         `crates/model/data/articles.toml` by the model's test suite\n\
         (`UPDATE_DOCS=1 cargo test -p caravan-model --test integration articles` rewrites it).\n\n\
         *Verified*: the number and title were read in the source. An entry not\n\
         verified rests on what its note says and is to be checked against the\n\
         code's official text. A title in the national language is listed only\n\
         where it was read in a source; otherwise the article has Russian and\n\
         English titles only.\n",
    );
    let mut jurisdictions: Vec<&str> = articles::builtin()
        .iter()
        .map(|a| a.jurisdiction.as_str())
        .collect();
    jurisdictions.dedup();
    for j in jurisdictions {
        let _ = writeln!(out, "\n## {j}\n");
        let mut list: Vec<&ArticleInfo> = articles::for_jurisdiction(j).collect();
        list.sort_by(|a, b| {
            (a.related, a.code_year)
                .cmp(&(b.related, b.code_year))
                .then_with(|| articles::compare_numbers(&a.article, &b.article))
                .then_with(|| a.in_force_from.cmp(&b.in_force_from))
        });
        for a in list {
            let national: Vec<String> = a
                .title
                .iter()
                .filter(|(l, _)| articles::NATIONAL_LANGUAGES.contains(&l.as_str()))
                .map(|(l, t)| format!("{l}: {t}"))
                .collect();
            let until = a
                .in_force_until
                .map(|u| format!(" until {u}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "- **Art. {} ({} code)** — {} / {}{}{}\n  - in force from {}{}; {}; {}\n  - source: <{}>",
                a.article,
                a.code_year,
                a.title["en"],
                a.title["ru"],
                if national.is_empty() {
                    " (Russian and English only)".to_string()
                } else {
                    format!(" / {}", national.join(" / "))
                },
                if a.related { " — *related*" } else { "" },
                a.in_force_from,
                until,
                if a.related {
                    "charged alongside trafficking"
                } else {
                    "trafficking"
                },
                if a.verified {
                    "verified"
                } else {
                    "**not verified**"
                },
                a.source,
            );
            if let Some(note) = &a.note {
                let _ = writeln!(out, "  - {note}");
            }
        }
        if let Some(p) = articles::procedures().iter().find(|p| p.jurisdiction == j) {
            let _ = writeln!(
                out,
                "\nThe prosecutor's role in the qualification: {}{} — <{}>{}",
                if p.prosecutor_qualifies {
                    "agrees with it or proposes an article"
                } else {
                    "none recorded"
                },
                if p.verified {
                    ""
                } else {
                    " (**not verified**)"
                },
                p.source,
                p.note
                    .as_deref()
                    .map(|n| format!("\n  {n}"))
                    .unwrap_or_default(),
            );
        }
    }
    out
}

#[test]
fn docs_articles_md_is_current() {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/articles.md"
    ));
    let rendered = render_markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, &rendered).unwrap();
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == rendered,
        "docs/articles.md is stale: run UPDATE_DOCS=1 cargo test -p caravan-model --test integration articles"
    );
}
