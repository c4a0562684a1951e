//! Messages in the chosen language. English error messages come from the
//! errors' `Display`, which carries their details (ids, paths, fields);
//! Russian ones from the Russian message catalogue the UI reads too
//! (`ui/src/lib/i18n/ru.json`, embedded at compile time), keyed
//! `error.<code>` by the stable error code.

use std::collections::HashMap;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Ru,
}

impl Lang {
    pub fn parse(s: &str) -> Lang {
        if s.eq_ignore_ascii_case("ru") {
            Lang::Ru
        } else {
            Lang::En
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// Picks the text for this language.
    pub fn pick<'a>(self, en: &'a str, ru: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Ru => ru,
        }
    }
}

/// A message catalogue: one flat JSON object of key → text.
type Catalogue = HashMap<String, String>;

fn parse(json: &str) -> Catalogue {
    serde_json::from_str(json).expect("a message catalogue is a JSON object of strings")
}

static RUSSIAN: LazyLock<Catalogue> =
    LazyLock::new(|| parse(include_str!("../../../ui/src/lib/i18n/ru.json")));

/// The Russian message for an error code, if the catalogue has one.
pub fn russian(code: &str) -> Option<&'static str> {
    RUSSIAN.get(&format!("error.{code}")).map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exit::CliCode;

    /// Every code a command can end with has a message in English (what
    /// the UI shows) and Russian (what both show).
    #[test]
    fn every_code_has_an_english_and_a_russian_message() {
        let english = parse(include_str!("../../../ui/src/lib/i18n/en.json"));
        let mut codes = caravan_core::all_codes();
        codes.extend(CliCode::CODES);
        codes.extend(caravan_net::NetError::CODES);
        let missing: Vec<_> = codes
            .iter()
            .filter(|c| !english.contains_key(&format!("error.{c}")) || russian(c).is_none())
            .collect();
        assert!(missing.is_empty(), "no message for {missing:?}");
    }
}
