//! The legal qualification through the application core: the articles in
//! force are offered, an article is added with its part and paragraph in
//! the version in force, and the prosecutor records agreement or a
//! proposal as their own entries where the procedure gives them a say,
//! seen by the investigator after an exchange.

use std::path::Path;

use caravan_core::model::Date;
use caravan_core::*;

use crate::util::*;

fn day(s: &str) -> Date {
    s.parse().unwrap()
}

#[test]
fn the_articles_in_force_are_offered() {
    let keys = |j: &str, on: &str| -> Vec<String> {
        offered_articles_on(j, "ru", day(on))
            .into_iter()
            .map(|o| o.key)
            .collect()
    };
    assert_eq!(keys("uz", "2026-01-01"), ["UZ-1994-135", "UZ-1994-148²"]);
    let uz = offered_articles_on("UZ", "en", day("2025-05-18"));
    assert_eq!(uz[0].in_force_from, day("2008-09-16"));
    let uz = offered_articles_on("UZ", "en", day("2025-05-19"));
    assert_eq!(uz[0].in_force_from, day("2025-05-19"));
    let kz = offered_articles_on("KZ", "kk", day("2026-01-01"));
    assert_eq!(kz[1].title, "Кәмелетке толмағандар саудасы");
    assert_eq!(kz[1].title_lang, "kk");
    assert_eq!(
        (kz[0].title.as_str(), kz[0].title_lang.as_str()),
        ("Торговля людьми", "ru"),
        "Russian, marked as such, where no Kazakh title was read"
    );
    assert!(keys("DE", "2026-01-01").is_empty());
}

/// Saule (admin), Aibek (investigator) and Marat (prosecutor); Aibek's
/// case in `jurisdiction`, held by all three.
fn unit(dir: &Path, jurisdiction: &str) -> (Workspace, Workspace, CaseId) {
    let (mut admin, mut inv) = admin_and_investigator(dir);
    let mut pro = enrol_prosecutor(&mut admin, dir);
    let case = inv
        .create_case(NewCaseInput {
            reference: "Q-1".into(),
            title: "Workshop".into(),
            jurisdiction: jurisdiction.into(),
        })
        .unwrap();
    let first = offered_articles(jurisdiction, "en")[0].key.clone();
    inv.add_offered_article(&case, &first, Some(" 2 "), Some(""))
        .unwrap();
    share_with_prosecutor(&mut inv, &mut admin, &mut pro, &case);
    (inv, pro, case)
}

#[test]
fn the_prosecutor_agrees_and_proposes_beside_the_qualification() {
    let dir = tempfile::tempdir().unwrap();
    let (mut inv, mut pro, case) = unit(dir.path(), "KZ");
    let shown = pro.show_case(&case).unwrap();
    assert!(shown.prosecutor_qualifies);
    let q = &shown.qualification[0];
    assert_eq!(q.key, "KZ-2014-128:2");
    assert_eq!(
        (q.article.part.as_deref(), q.article.paragraph.as_deref()),
        (Some("2"), None)
    );
    assert_eq!(q.article.in_force_from, Some(day("2015-01-01")));
    assert_eq!(q.titles["ru"], "Торговля людьми");
    assert!(q.verified);

    pro.agree_with_qualification(&case, "").unwrap();
    pro.propose_article(
        &case,
        "KZ-2014-128",
        Some("3"),
        Some("2"),
        "organised group",
    )
    .unwrap();
    // Only offered articles, and well-formed parts.
    let refused = pro
        .propose_article(&case, "KZ-2014-999", None, None, "")
        .unwrap_err();
    assert_eq!(refused.code(), "core.invalid");
    let refused = pro
        .propose_article(&case, "KZ-2014-128", Some("ч. 3"), None, "")
        .unwrap_err();
    assert_eq!(refused.code(), "case.invalid");
    // The investigator cannot record the prosecutor's position.
    let refused = inv.agree_with_qualification(&case, "").unwrap_err();
    assert_eq!(refused.code(), "policy.denied");

    let mine = pro.show_case(&case).unwrap();
    assert_eq!(
        mine.qualification_opinions.len(),
        2,
        "{:#?} {:#?}",
        mine.qualification_opinions,
        mine.review
    );
    let summary = swap(&mut pro, &mut inv);
    let shown = inv.show_case(&case).unwrap();
    let o = &shown.qualification_opinions;
    assert_eq!(o.len(), 2, "{summary:#?}");
    assert!(
        o.iter()
            .any(|o| o.agrees && !o.outdated && o.articles[0].key == "KZ-2014-128:2")
    );
    let proposal = o.iter().find(|o| !o.agrees).unwrap();
    assert_eq!(proposal.articles[0].key, "KZ-2014-128:3:2");
    assert_eq!(proposal.comment, "organised group");
    assert_eq!(proposal.by.name, "Marat");
    // Shown with the qualification, not again among the review comments.
    assert!(shown.review.is_empty());
    // The qualification changes: the agreement was with the earlier one.
    inv.add_offered_article(&case, "KZ-2014-135", None, None)
        .unwrap();
    let shown = inv.show_case(&case).unwrap();
    assert!(
        shown
            .qualification_opinions
            .iter()
            .any(|o| o.agrees && o.outdated)
    );
    assert_eq!(shown.qualification.len(), 2);
}

#[test]
fn a_prosecutor_whose_procedure_gives_no_say_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (_inv, mut pro, case) = unit(dir.path(), "KG");
    assert!(!pro.show_case(&case).unwrap().prosecutor_qualifies);
    let refused = pro.agree_with_qualification(&case, "").unwrap_err();
    assert_eq!(refused.code(), "policy.denied");
    let refused = pro
        .propose_article(&case, "KG-2021-167", None, None, "")
        .unwrap_err();
    assert_eq!(refused.code(), "policy.denied");
    assert!(
        pro.show_case(&case)
            .unwrap()
            .qualification_opinions
            .is_empty()
    );
}
