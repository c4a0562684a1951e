//! Criminal-code articles offered per jurisdiction, and the prosecutor's
//! role in the qualification by jurisdiction. Data (`data/articles.toml`),
//! with the code's year and the days each version of an article was in
//! force: codes change, and a case keeps the version it was qualified under.

use std::cmp::Ordering;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::case::LegalArticle;
use crate::checklist::Texts;
use crate::date::Date;
use crate::error::ModelError;
use crate::validate::validate_jurisdiction;

/// One version of an offered article.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleInfo {
    pub jurisdiction: String,
    pub code_year: u64,
    /// The number as the code writes it, e.g. "128" or "130¹".
    pub article: String,
    /// The first day this version was in force.
    pub in_force_from: Date,
    /// The last day this version was in force; none while it still is.
    #[serde(default)]
    pub in_force_until: Option<Date>,
    /// Charged alongside trafficking, not a trafficking article itself.
    #[serde(default)]
    pub related: bool,
    /// English and Russian, and the national language where it was read in
    /// a source text.
    pub title: Texts,
    /// Where the number and title were read (an address).
    pub source: String,
    /// The number and title were read in `source`.
    pub verified: bool,
    /// What the entry rests on and what is still to be checked.
    #[serde(default)]
    pub note: Option<String>,
}

/// What a jurisdiction's criminal procedure lets the prosecutor do with
/// the legal qualification.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Procedure {
    pub jurisdiction: String,
    /// The prosecutor may agree with the qualification or propose an article.
    pub prosecutor_qualifies: bool,
    pub source: String,
    pub verified: bool,
    #[serde(default)]
    pub note: Option<String>,
}

/// The national-language codes a title may carry besides English and Russian.
pub const NATIONAL_LANGUAGES: &[&str] = &["kk", "ky", "tg", "tk", "uz"];

impl ArticleInfo {
    /// The article, as a case records it (no part or paragraph).
    pub fn to_article(&self) -> LegalArticle {
        LegalArticle {
            jurisdiction: self.jurisdiction.clone(),
            code_year: self.code_year,
            article: self.article.clone(),
            part: None,
            paragraph: None,
            in_force_from: Some(self.in_force_from),
        }
    }

    /// Was this version in force on `day`?
    pub fn in_force_on(&self, day: Date) -> bool {
        self.in_force_from <= day && self.in_force_until.is_none_or(|u| day <= u)
    }

    /// The title in `lang`, or in English where it has none.
    /// The title a reader of `lang` is shown (see [`crate::texts`]).
    pub fn title_in(&self, lang: &str) -> &str {
        self.title_shown(lang).text
    }

    /// [`Self::title_in`], with the language it is written in.
    pub fn title_shown(&self, lang: &str) -> crate::texts::Shown<'_> {
        crate::texts::shown(&self.title, lang)
    }

    fn same_article(&self, jurisdiction: &str, code_year: u64, article: &str) -> bool {
        self.jurisdiction == jurisdiction && self.code_year == code_year && self.article == article
    }
}

/// An article number as codes write it: digits, then optionally a
/// superscript index ("130¹" is 130 with index 1, an article inserted after
/// 130). Returns (number, index).
pub fn parse_number(number: &str) -> Option<(u32, u32)> {
    let digits: String = number.chars().take_while(char::is_ascii_digit).collect();
    let rest = &number[digits.len()..];
    let base: u32 = digits.parse().ok()?;
    if digits.starts_with('0') {
        return None;
    }
    let mut index = 0u32;
    for c in rest.chars() {
        let d = superscript_digit(c)?;
        index = index.checked_mul(10)?.checked_add(d)?;
    }
    if !rest.is_empty() && index == 0 {
        return None;
    }
    Some((base, index))
}

fn superscript_digit(c: char) -> Option<u32> {
    Some(match c {
        '⁰' => 0,
        '¹' => 1,
        '²' => 2,
        '³' => 3,
        '⁴' => 4,
        '⁵' => 5,
        '⁶' => 6,
        '⁷' => 7,
        '⁸' => 8,
        '⁹' => 9,
        _ => return None,
    })
}

/// Codes' order of article numbers: 130 < 130¹ < 130² < 131.
pub fn compare_numbers(a: &str, b: &str) -> Ordering {
    match (parse_number(a), parse_number(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

/// A part (ч.) or paragraph (п.) of an article as the code writes it:
/// a number ("3", "3¹") or a letter ("а"), at most 8 characters.
pub fn validate_subdivision(field: &str, value: &str) -> Result<(), ModelError> {
    if crate::validate::is_subdivision(value) {
        Ok(())
    } else {
        Err(ModelError::Invalid {
            field: field.into(),
            message: "a part or paragraph is a number such as 3 or a letter such as а, without spaces or punctuation".into(),
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticlesFile {
    articles: Vec<ArticleInfo>,
    #[serde(default)]
    jurisdictions: Vec<Procedure>,
}

/// The contents of an articles file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Articles {
    pub articles: Vec<ArticleInfo>,
    pub procedures: Vec<Procedure>,
}

/// Parses an articles file (see `data/articles.toml`).
pub fn parse(text: &str) -> Result<Articles, String> {
    let file: ArticlesFile = toml::from_str(text).map_err(|e| e.message().to_string())?;
    for (i, a) in file.articles.iter().enumerate() {
        let name = format!("article {} of {}", a.article, a.jurisdiction);
        validate_jurisdiction(&a.jurisdiction).map_err(|e| e.to_string())?;
        if !a.title.contains_key("en") || !a.title.contains_key("ru") {
            return Err(format!("{name} needs an English and a Russian title"));
        }
        if let Some(lang) = a.title.keys().find(|l| {
            !["en", "ru"].contains(&l.as_str()) && !NATIONAL_LANGUAGES.contains(&l.as_str())
        }) {
            return Err(format!(
                "{name} has a title in an unknown language '{lang}'"
            ));
        }
        if parse_number(&a.article).is_none() {
            return Err(format!(
                "{name}: write the number as the code does, digits with an optional superscript index such as 130¹"
            ));
        }
        if !(a.source.starts_with("https://") || a.source.starts_with("http://")) {
            return Err(format!("{name} needs the address of its source"));
        }
        if !a.verified && a.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
            return Err(format!("{name} is not verified: say why in a note"));
        }
        if u64::from(a.in_force_from.year()) < a.code_year {
            return Err(format!("{name} is in force before its code's year"));
        }
        if a.in_force_until.is_some_and(|u| u < a.in_force_from) {
            return Err(format!(
                "{name} is in force until before it is in force from"
            ));
        }
        let overlaps = file.articles[..i].iter().any(|b| {
            b.same_article(&a.jurisdiction, a.code_year, &a.article)
                && b.in_force_until.is_none_or(|u| a.in_force_from <= u)
                && a.in_force_until.is_none_or(|u| b.in_force_from <= u)
        });
        if overlaps {
            return Err(format!("{name}: two versions in force on the same day"));
        }
    }
    for (i, p) in file.jurisdictions.iter().enumerate() {
        validate_jurisdiction(&p.jurisdiction).map_err(|e| e.to_string())?;
        if file.jurisdictions[..i]
            .iter()
            .any(|q| q.jurisdiction == p.jurisdiction)
        {
            return Err(format!(
                "the procedure of {} is listed twice",
                p.jurisdiction
            ));
        }
        if p.prosecutor_qualifies && !p.verified {
            return Err(format!(
                "the prosecutor's role in {} is granted without a checked source",
                p.jurisdiction
            ));
        }
    }
    Ok(Articles {
        articles: file.articles,
        procedures: file.jurisdictions,
    })
}

fn table() -> &'static Articles {
    static ARTICLES: LazyLock<Articles> = LazyLock::new(|| {
        parse(include_str!("../data/articles.toml"))
            .unwrap_or_else(|e| panic!("built-in articles are invalid: {e}"))
    });
    &ARTICLES
}

/// Every version of every article shipped with Caravan (validated by the
/// test suite).
pub fn builtin() -> &'static [ArticleInfo] {
    &table().articles
}

/// Every jurisdiction's procedure shipped with Caravan.
pub fn procedures() -> &'static [Procedure] {
    &table().procedures
}

/// Every version of the articles of one jurisdiction.
pub fn for_jurisdiction(code: &str) -> impl Iterator<Item = &'static ArticleInfo> {
    let code = code.to_string();
    builtin().iter().filter(move |a| a.jurisdiction == code)
}

/// The articles of one jurisdiction in force on `day` (one version each),
/// trafficking articles first, then related ones, each in the code's order.
pub fn in_force(code: &str, day: Date) -> Vec<&'static ArticleInfo> {
    let mut out: Vec<&'static ArticleInfo> = for_jurisdiction(code)
        .filter(|a| a.in_force_on(day))
        .collect();
    out.sort_by(|a, b| {
        (a.related, a.code_year)
            .cmp(&(b.related, b.code_year))
            .then_with(|| compare_numbers(&a.article, &b.article))
    });
    out
}

/// May a prosecutor of a case in `jurisdiction` agree with or propose its
/// legal qualification? Not where the procedure is not listed.
pub fn prosecutor_qualifies(jurisdiction: &str) -> bool {
    procedures()
        .iter()
        .any(|p| p.jurisdiction == jurisdiction && p.prosecutor_qualifies)
}

/// Checks a reference to an article (jurisdiction, code year, article,
/// part, paragraph) against the articles Caravan ships: the article exists
/// in that code, the part and paragraph are written as codes write them,
/// and, where the reference names the version (`in_force_from`), that
/// version exists. Returns the version named, or else the latest.
pub fn validate_reference(reference: &LegalArticle) -> Result<&'static ArticleInfo, ModelError> {
    validate_jurisdiction(&reference.jurisdiction)?;
    if let Some(part) = &reference.part {
        validate_subdivision("part", part)?;
    }
    if let Some(paragraph) = &reference.paragraph {
        validate_subdivision("paragraph", paragraph)?;
    }
    let versions: Vec<&'static ArticleInfo> = builtin()
        .iter()
        .filter(|a| {
            a.same_article(
                &reference.jurisdiction,
                reference.code_year,
                &reference.article,
            )
        })
        .collect();
    let not_found = || ModelError::NotFound {
        what: "criminal-code article",
        id: reference.key(),
    };
    match reference.in_force_from {
        Some(from) => versions
            .into_iter()
            .find(|a| a.in_force_from == from)
            .ok_or_else(not_found),
        None => versions
            .into_iter()
            .max_by_key(|a| a.in_force_from)
            .ok_or_else(not_found),
    }
}

/// The version of an article a case's qualification names: the one it was
/// qualified under, or, for an entry made before versions were recorded,
/// the one in force on `fallback_day` (the day the case was opened).
pub fn version_of(reference: &LegalArticle, fallback_day: Date) -> Option<&'static ArticleInfo> {
    let mut versions = builtin().iter().filter(|a| {
        a.same_article(
            &reference.jurisdiction,
            reference.code_year,
            &reference.article,
        )
    });
    match reference.in_force_from {
        Some(from) => versions.find(|a| a.in_force_from == from),
        None => {
            let all: Vec<_> = versions.collect();
            all.iter()
                .find(|a| a.in_force_on(fallback_day))
                .or_else(|| all.iter().max_by_key(|a| a.in_force_from))
                .copied()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_article_files_are_refused() {
        let good = "[[articles]]\njurisdiction = \"KZ\"\ncode_year = 2014\narticle = \"1\"\nin_force_from = \"2015-01-01\"\ntitle = { en = \"x\", ru = \"y\" }\nsource = \"https://example.org\"\nverified = true\n";
        assert!(parse(good).is_ok());
        let cases: &[(&str, &str, &str)] = &[
            (
                ", ru = \"y\" }",
                " }",
                "needs an English and a Russian title",
            ),
            (
                "ru = \"y\" }",
                "ru = \"y\", de = \"z\" }",
                "unknown language 'de'",
            ),
            ("\"1\"", "\"1a\"", "write the number as the code does"),
            ("\"1\"", "\"01\"", "write the number as the code does"),
            ("\"KZ\"", "\"Kaz\"", "two-letter country code"),
            (
                "https://example.org",
                "example.org",
                "needs the address of its source",
            ),
            (
                "verified = true",
                "verified = false",
                "is not verified: say why in a note",
            ),
            (
                "2015-01-01",
                "2013-01-01",
                "in force before its code's year",
            ),
            (
                "verified = true\n",
                "verified = true\nin_force_until = \"2014-12-31\"\n",
                "in force until before it is in force from",
            ),
        ];
        for (from, to, expected) in cases {
            let text = good.replacen(from, to, 1);
            let err = parse(&text).unwrap_err();
            assert!(err.contains(expected), "{to}: {err}");
        }
        let twice = format!("{good}{good}");
        assert!(parse(&twice).unwrap_err().contains("two versions in force"));
        let successive = format!(
            "{}{}",
            good.replace(
                "verified = true\n",
                "verified = true\nin_force_until = \"2019-12-31\"\n"
            ),
            good.replace("2015-01-01", "2020-01-01")
        );
        assert!(parse(&successive).is_ok());
        let unverified_role = format!(
            "{good}[[jurisdictions]]\njurisdiction = \"KZ\"\nprosecutor_qualifies = true\nsource = \"https://example.org\"\nverified = false\n"
        );
        assert!(
            parse(&unverified_role)
                .unwrap_err()
                .contains("without a checked source")
        );
    }
}
