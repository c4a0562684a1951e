//! Criminal-code articles on trafficking offered per jurisdiction. Data, with
//! the code's year: codes change, and a case keeps the article it was
//! qualified under.

use std::sync::LazyLock;

use serde::Deserialize;

use crate::case::LegalArticle;
use crate::checklist::Texts;

/// One offered article.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleInfo {
    pub jurisdiction: String,
    pub code_year: u64,
    pub article: String,
    pub title: Texts,
}

impl ArticleInfo {
    pub fn to_article(&self) -> LegalArticle {
        LegalArticle {
            jurisdiction: self.jurisdiction.clone(),
            code_year: self.code_year,
            article: self.article.clone(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticlesFile {
    articles: Vec<ArticleInfo>,
}

/// Parses an articles file (see `data/articles.toml`).
pub fn parse(text: &str) -> Result<Vec<ArticleInfo>, String> {
    let file: ArticlesFile = toml::from_str(text).map_err(|e| e.message().to_string())?;
    for a in &file.articles {
        crate::validate::validate_jurisdiction(&a.jurisdiction).map_err(|e| e.to_string())?;
        if !a.title.contains_key("en") || !a.title.contains_key("ru") {
            return Err(format!(
                "article {} of {} needs an English and a Russian title",
                a.article, a.jurisdiction
            ));
        }
    }
    Ok(file.articles)
}

/// The articles shipped with Caravan (validated by the test suite).
pub fn builtin() -> &'static [ArticleInfo] {
    static ARTICLES: LazyLock<Vec<ArticleInfo>> = LazyLock::new(|| {
        parse(include_str!("../data/articles.toml"))
            .unwrap_or_else(|e| panic!("built-in articles are invalid: {e}"))
    });
    &ARTICLES
}

/// The articles offered for one jurisdiction.
pub fn for_jurisdiction(code: &str) -> impl Iterator<Item = &'static ArticleInfo> {
    let code = code.to_string();
    builtin().iter().filter(move |a| a.jurisdiction == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_per_jurisdiction() {
        let table: Vec<(&str, Vec<String>)> = ["KZ", "KG", "TJ", "TM", "UZ", "DE"]
            .iter()
            .map(|j| {
                (
                    *j,
                    for_jurisdiction(j).map(|a| a.to_article().key()).collect(),
                )
            })
            .collect();
        let expected: Vec<(&str, Vec<String>)> = vec![
            ("KZ", vec!["KZ-2014-128".into(), "KZ-2014-135".into()]),
            (
                "KG",
                vec![
                    "KG-2021-166".into(),
                    "KG-2021-170".into(),
                    "KG-2021-167".into(),
                ],
            ),
            (
                "TJ",
                vec![
                    "TJ-1998-130¹".into(),
                    "TJ-1998-130²".into(),
                    "TJ-1998-132".into(),
                    "TJ-1998-167".into(),
                ],
            ),
            ("TM", vec!["TM-2010-129¹".into()]),
            ("UZ", vec!["UZ-1994-135".into()]),
            ("DE", vec![]),
        ];
        assert_eq!(table, expected);
    }

    #[test]
    fn bad_article_files_are_refused() {
        let no_ru = "[[articles]]\njurisdiction = \"KZ\"\ncode_year = 2014\narticle = \"1\"\ntitle = { en = \"x\" }\n";
        assert_eq!(
            parse(no_ru).unwrap_err(),
            "article 1 of KZ needs an English and a Russian title"
        );
        let bad_country = no_ru.replace("\"KZ\"", "\"Kaz\"");
        assert!(
            parse(&bad_country)
                .unwrap_err()
                .contains("two-letter country code")
        );
    }
}
