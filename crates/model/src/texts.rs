//! Texts written in several languages (checklist templates, article
//! titles) and which of them a reader of a language is shown.
//!
//! The region's national languages fall back to Russian, the common
//! working language of its criminal-justice units and the language its
//! criminal codes and the UNODC manuals are published in, before English.
//! The language a text is shown in is returned with it, so a screen can
//! mark a Russian text shown to a Kazakh reader as Russian.

use std::collections::BTreeMap;

/// Text in several languages, keyed by language tag.
pub type Texts = BTreeMap<String, String>;

/// The languages the app and the command line are shipped in, in the
/// order a language picker lists them.
pub const SHIPPED_LANGUAGES: &[&str] = &["en", "ru", "kk", "ky", "tg", "tk", "uz-Latn", "uz-Cyrl"];

/// A text and the language it is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown<'a> {
    pub text: &'a str,
    pub lang: &'a str,
}

/// The shipped language a tag names: `uz` (what older releases stored) is
/// Uzbek in the Latin script; tags compare case-insensitively; `None` for
/// a language not shipped.
pub fn shipped_language(tag: &str) -> Option<&'static str> {
    let tag = tag.trim();
    if tag.eq_ignore_ascii_case("uz") {
        return Some("uz-Latn");
    }
    SHIPPED_LANGUAGES
        .iter()
        .copied()
        .find(|l| l.eq_ignore_ascii_case(tag))
}

/// The key a text of `lang` has in the data files: they write Uzbek in the
/// Latin script as plain `uz`.
fn data_key(lang: &str) -> &str {
    match shipped_language(lang) {
        Some("uz-Latn") => "uz",
        Some(l) => l,
        None => lang,
    }
}

/// The languages tried for a reader of `lang`, in order. A reader of
/// Uzbek in the Cyrillic script reads an Uzbek text in the Latin one
/// before a Russian one (the app shows it transliterated).
pub fn fallbacks(lang: &str) -> Vec<&str> {
    match data_key(lang) {
        "en" => vec!["en"],
        "ru" => vec!["ru", "en"],
        "uz-Cyrl" => vec!["uz-Cyrl", "uz", "ru", "en"],
        own => vec![own, "ru", "en"],
    }
}

/// The text a reader of `lang` is shown, and its language (as the data
/// writes it: `uz` for Uzbek in the Latin script). Empty in English when
/// the texts hold none of the languages tried.
pub fn shown<'a>(texts: &'a Texts, lang: &str) -> Shown<'a> {
    fallbacks(lang)
        .into_iter()
        .find_map(|l| texts.get_key_value(l))
        .map_or(
            Shown {
                text: "",
                lang: "en",
            },
            |(l, t)| Shown {
                text: t.as_str(),
                lang: l.as_str(),
            },
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(pairs: &[(&str, &str)]) -> Texts {
        pairs
            .iter()
            .map(|(l, t)| (l.to_string(), t.to_string()))
            .collect()
    }

    #[test]
    fn national_languages_fall_back_to_russian_then_english() {
        let t = texts(&[
            ("en", "Trafficking"),
            ("ru", "Торговля"),
            ("kk", "Сауда"),
            ("uz", "Savdo"),
        ]);
        let check = |lang: &str, text: &str, shown_lang: &str| {
            assert_eq!(
                shown(&t, lang),
                Shown {
                    text,
                    lang: shown_lang
                },
                "for {lang}"
            );
        };
        check("en", "Trafficking", "en");
        check("ru", "Торговля", "ru");
        check("kk", "Сауда", "kk");
        check("ky", "Торговля", "ru");
        check("tg", "Торговля", "ru");
        check("uz-Latn", "Savdo", "uz");
        check("uz", "Savdo", "uz");
        check("uz-Cyrl", "Savdo", "uz");
        check("fr", "Торговля", "ru");
        let no_uzbek = texts(&[("en", "Trafficking"), ("ru", "Торговля")]);
        assert_eq!(shown(&no_uzbek, "uz-Cyrl").lang, "ru");
        let english_only = texts(&[("en", "Only English")]);
        assert_eq!(shown(&english_only, "kk").lang, "en");
    }

    #[test]
    fn names_the_shipped_languages() {
        assert_eq!(shipped_language("UZ"), Some("uz-Latn"));
        assert_eq!(shipped_language("uz-cyrl"), Some("uz-Cyrl"));
        assert_eq!(shipped_language("kk"), Some("kk"));
        assert_eq!(shipped_language("fr"), None);
    }
}
