//! Messages in the chosen language, from the message catalogues the UI
//! reads too (`ui/src/lib/i18n/<language>.json`, embedded at compile
//! time): one flat JSON object of key → text per shipped language, with
//! `{name}` placeholders and plural forms under `<key>.one`, `.few`,
//! `.many`, `.other`.
//!
//! A key a language's catalogue lacks is looked up in Russian for the
//! region's languages (Russian is its common working language), then in
//! English. Plural forms follow the CLDR rules of the language whose
//! catalogue has the key (`other` where it lacks the form the rules pick).
//!
//! English error messages come from the errors' `Display`, which carries
//! their details (ids, paths, fields); the other languages' from the
//! catalogue, keyed `error.<code>` by the stable error code (see
//! `crate::exit`).

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::LazyLock;

use caravan_core::model::texts::{self, Texts};
use clap::ValueEnum;
use clap::builder::PossibleValue;
use icu_plurals::{PluralCategory, PluralRules};

/// A shipped language, by its BCP 47 tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Ru,
    /// Kazakh.
    Kk,
    /// Kyrgyz.
    Ky,
    /// Tajik.
    Tg,
    /// Turkmen.
    Tk,
    /// Uzbek in the Latin script (also `uz`).
    UzLatn,
    /// Uzbek in the Cyrillic script.
    UzCyrl,
}

/// Every shipped language, in the order help texts and lists give them.
pub const LANGS: [Lang; 8] = [
    Lang::En,
    Lang::Ru,
    Lang::Kk,
    Lang::Ky,
    Lang::Tg,
    Lang::Tk,
    Lang::UzLatn,
    Lang::UzCyrl,
];

impl ValueEnum for Lang {
    fn value_variants<'a>() -> &'a [Self] {
        &LANGS
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let v = PossibleValue::new(self.id());
        Some(if *self == Lang::UzLatn {
            v.alias("uz")
        } else {
            v
        })
    }
}

impl Lang {
    /// The language's tag, as its catalogue file is named.
    pub fn id(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::Kk => "kk",
            Lang::Ky => "ky",
            Lang::Tg => "tg",
            Lang::Tk => "tk",
            Lang::UzLatn => "uz-Latn",
            Lang::UzCyrl => "uz-Cyrl",
        }
    }

    /// Where a text this language lacks is looked for next.
    pub fn fallback(self) -> Option<Lang> {
        match self {
            Lang::En => None,
            Lang::Ru => Some(Lang::En),
            Lang::Kk | Lang::Ky | Lang::Tg | Lang::Tk | Lang::UzLatn | Lang::UzCyrl => {
                Some(Lang::Ru)
            }
        }
    }

    /// This language, then those it falls back to.
    pub fn chain(self) -> impl Iterator<Item = Lang> {
        std::iter::successors(Some(self), |l| l.fallback())
    }

    fn catalogue(self) -> &'static Catalogue {
        &CATALOGUES[LANGS.iter().position(|l| *l == self).unwrap_or(0)]
    }

    /// The text of `key` in this language's own catalogue; a blank one is
    /// a gap, as the coverage report counts it.
    fn own(self, key: &str) -> Option<&'static str> {
        self.catalogue()
            .get(key)
            .map(String::as_str)
            .filter(|s| !s.trim().is_empty())
    }

    /// The text of `key` in this language (or the one it falls back to),
    /// placeholders filled from `args`; the key itself if no catalogue has
    /// it (a test keeps every `cli.*` key in English and Russian).
    pub fn t(self, key: &str, args: Args) -> String {
        self.chain()
            .find_map(|l| l.own(key))
            .map_or_else(|| key.to_string(), |s| fill(s, args))
    }

    /// The text of `key` in this language or the one it falls back to, if
    /// a catalogue has it.
    pub fn find(self, key: &str) -> Option<&'static str> {
        self.chain().find_map(|l| l.own(key))
    }

    /// `key`'s plural form for `n` (`{n}` is filled with it): the form of
    /// the first catalogue on the chain that has the key, chosen by that
    /// language's plural rules.
    pub fn tn(self, key: &str, n: u64, args: Args) -> String {
        let n_text = n.to_string();
        let mut all: Vec<(&str, &dyn Display)> = vec![("n", &n_text)];
        all.extend_from_slice(args);
        let other = format!("{key}.other");
        for l in self.chain() {
            let Some(fallback) = l.own(&other) else {
                continue;
            };
            let form = format!("{key}.{}", category_name(plural_category(l, n)));
            return fill(l.own(&form).unwrap_or(fallback), &all);
        }
        key.to_string()
    }

    /// The message for an error code in this language's catalogue or the
    /// one it falls back to, not English (whose messages come from the
    /// errors themselves, with their details).
    pub fn error(self, code: &str) -> Option<&'static str> {
        let key = format!("error.{code}");
        self.chain()
            .filter(|l| *l != Lang::En)
            .find_map(|l| l.own(&key))
    }

    /// A text of the shipped data (a checklist's title, an article's
    /// title) as the core gave it, `text_lang` being the language it is
    /// written in: marked where it is Russian shown for another language,
    /// "Торговля людьми (рус.)".
    pub fn marked(self, text: &str, text_lang: &str) -> String {
        if text_lang == Lang::Ru.id() && self != Lang::Ru {
            format!("{text} {}", self.t("cli.in_russian", &[]))
        } else {
            text.to_string()
        }
    }

    /// [`Self::marked`] for texts in several languages (a qualification's
    /// article titles), chosen as the core chooses them.
    pub fn marked_of(self, texts: &Texts) -> String {
        let shown = texts::shown(texts, self.id());
        self.marked(shown.text, shown.lang)
    }
}

/// Values for a message's `{name}` placeholders.
pub type Args<'a> = &'a [(&'a str, &'a dyn Display)];

/// A message catalogue: one flat JSON object of key → text.
type Catalogue = HashMap<String, String>;

fn parse(json: &str) -> Catalogue {
    serde_json::from_str(json).expect("a message catalogue is a JSON object of strings")
}

/// The catalogues, in the order of [`LANGS`].
static CATALOGUES: LazyLock<[Catalogue; 8]> = LazyLock::new(|| {
    [
        parse(include_str!("../../../ui/src/lib/i18n/en.json")),
        parse(include_str!("../../../ui/src/lib/i18n/ru.json")),
        parse(include_str!("../../../ui/src/lib/i18n/kk.json")),
        parse(include_str!("../../../ui/src/lib/i18n/ky.json")),
        parse(include_str!("../../../ui/src/lib/i18n/tg.json")),
        parse(include_str!("../../../ui/src/lib/i18n/tk.json")),
        parse(include_str!("../../../ui/src/lib/i18n/uz-Latn.json")),
        parse(include_str!("../../../ui/src/lib/i18n/uz-Cyrl.json")),
    ]
});

/// The CLDR cardinal plural category of `n` in `lang`. The rules are the
/// language's, whatever the script (uz-Cyrl has Uzbek's, which the data
/// keeps under `uz` alone). A language the data lacked would get the root
/// rules, every number `other`.
fn plural_category(lang: Lang, n: u64) -> PluralCategory {
    let language = lang.id().split('-').next().unwrap_or_default();
    let locale =
        icu_locale_core::Locale::try_from_str(language).unwrap_or(icu_locale_core::Locale::UNKNOWN);
    PluralRules::try_new_cardinal(locale.into())
        .or_else(|_| PluralRules::try_new_cardinal(icu_locale_core::Locale::UNKNOWN.into()))
        .map_or(PluralCategory::Other, |rules| rules.category_for(n))
}

fn category_name(c: PluralCategory) -> &'static str {
    match c {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

/// Fills `{name}` placeholders; an unknown one stays as written.
fn fill(text: &str, args: Args) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            let is_name =
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            let (_, v) = args.iter().find(|(n, _)| is_name && *n == name)?;
            Some((v.to_string(), close))
        });
        match value {
            Some((v, close)) => {
                out.push_str(&v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exit::CliCode;

    fn keys_in_order(json: &str) -> Vec<String> {
        // serde_json keeps no order; the keys as written, one per line.
        json.lines()
            .filter_map(|l| l.trim().strip_prefix('"'))
            .filter_map(|l| l.split_once("\":").map(|(k, _)| k.to_string()))
            .collect()
    }

    /// Every code a command can end with has a message in English (what
    /// the UI shows) and Russian (what both show).
    #[test]
    fn every_code_has_an_english_and_a_russian_message() {
        let mut codes = caravan_core::all_codes();
        codes.extend(CliCode::CODES);
        codes.extend(caravan_net::NetError::CODES);
        let missing: Vec<_> = codes
            .iter()
            .filter(|c| {
                !Lang::En.catalogue().contains_key(&format!("error.{c}"))
                    || !Lang::Ru.catalogue().contains_key(&format!("error.{c}"))
            })
            .collect();
        assert!(missing.is_empty(), "no message for {missing:?}");
    }

    /// The command line's own texts (`cli.*`) are in English and Russian,
    /// in the same order, with the same placeholders; every other language
    /// falls back to Russian for those it lacks.
    #[test]
    fn every_cli_text_is_in_english_and_russian() {
        let base = |k: &str| {
            k.strip_suffix(".one")
                .or_else(|| k.strip_suffix(".few"))
                .or_else(|| k.strip_suffix(".many"))
                .or_else(|| k.strip_suffix(".other"))
                .unwrap_or(k)
                .to_string()
        };
        let en = keys_in_order(include_str!("../../../ui/src/lib/i18n/en.json"));
        let ru = keys_in_order(include_str!("../../../ui/src/lib/i18n/ru.json"));
        let cli = |keys: &[String]| {
            let mut out: Vec<String> = keys
                .iter()
                .filter(|k| k.starts_with("cli."))
                .map(|k| base(k))
                .collect();
            out.dedup();
            out
        };
        assert!(cli(&en).len() > 40, "{:?}", cli(&en));
        assert_eq!(cli(&en), cli(&ru));
        let names = |s: &str| {
            let mut v: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
                .collect();
            v.sort();
            v
        };
        for k in en
            .iter()
            .filter(|k| k.starts_with("cli.") && base(k) == **k)
        {
            let (e, r) = (&Lang::En.catalogue()[k], &Lang::Ru.catalogue()[k]);
            assert_eq!(names(e), names(r), "{k}");
        }
        // Plural keys: English's one and other, Russian's four forms.
        for k in en
            .iter()
            .filter(|k| k.starts_with("cli.") && base(k) != **k)
        {
            let b = base(k);
            for form in ["one", "few", "many", "other"] {
                assert!(
                    Lang::Ru.catalogue().contains_key(&format!("{b}.{form}")),
                    "{b}.{form}"
                );
            }
        }
    }

    #[test]
    fn russian_plural_forms() {
        let forms = |n| Lang::Ru.tn("cli.audit.intact", n, &[("head", &"h")]);
        let ru = Lang::Ru.catalogue();
        assert_eq!(
            forms(1),
            fill(&ru["cli.audit.intact.one"], &[("n", &1), ("head", &"h")])
        );
        assert_eq!(
            forms(3),
            fill(&ru["cli.audit.intact.few"], &[("n", &3), ("head", &"h")])
        );
        assert_eq!(
            forms(5),
            fill(&ru["cli.audit.intact.many"], &[("n", &5), ("head", &"h")])
        );
        assert_eq!(
            forms(21),
            fill(&ru["cli.audit.intact.one"], &[("n", &21), ("head", &"h")])
        );
        assert_ne!(forms(1), forms(3));
        assert_ne!(forms(3), forms(5));
    }

    #[test]
    fn plural_rules_of_every_language() {
        let cat = |l: Lang, n: u64| category_name(plural_category(l, n));
        assert_eq!(
            [1, 3, 5, 21, 11].map(|n| cat(Lang::Ru, n)),
            ["one", "few", "many", "one", "many"]
        );
        assert_eq!([1, 2].map(|n| cat(Lang::En, n)), ["one", "other"]);
        // Kazakh, Kyrgyz, Turkmen and Uzbek: one and other.
        for l in [Lang::Kk, Lang::Ky, Lang::Tk, Lang::UzLatn, Lang::UzCyrl] {
            assert_eq!(
                [1, 2, 5, 21].map(|n| cat(l, n)),
                ["one", "other", "other", "other"],
                "{l:?}"
            );
        }
        // Tajik: the rules of Persian (i = 0 or n = 1 is one), as the CLDR 49
        // data has them; older CLDR had none, and every number was other.
        assert_eq!(
            [0, 1, 2, 5].map(|n| cat(Lang::Tg, n)),
            ["one", "one", "other", "other"]
        );
    }

    /// Kazakh forms by the Kazakh rules (one, other); a key Kazakh lacks
    /// takes the Russian forms by the Russian rules.
    #[test]
    fn kazakh_plural_forms_or_russian_ones() {
        let kk = Lang::Kk.catalogue();
        let form = |key: &str, n: u64| {
            let text = kk.get(key).unwrap_or_else(|| panic!("kk has no {key}"));
            fill(text, &[("n", &n)])
        };
        assert_eq!(
            Lang::Kk.tn("cases.count", 1, &[]),
            form("cases.count.one", 1)
        );
        assert_eq!(
            Lang::Kk.tn("cases.count", 3, &[]),
            form("cases.count.other", 3)
        );
        assert_eq!(
            Lang::Kk.tn("cases.count", 21, &[]),
            form("cases.count.other", 21)
        );
        let key = "cli.audit.intact";
        if !kk.contains_key(&format!("{key}.other")) {
            for n in [1, 3, 5, 21] {
                let args: Args = &[("head", &"h")];
                assert_eq!(Lang::Kk.tn(key, n, args), Lang::Ru.tn(key, n, args));
            }
        }
    }

    /// The help texts name every shipped language.
    #[test]
    fn help_lists_every_language() {
        for l in LANGS {
            assert!(crate::cli::EXIT_HELP.contains(l.id()), "{l:?}");
        }
    }

    #[test]
    fn fallback_and_placeholders() {
        assert_eq!(
            Lang::UzCyrl.chain().collect::<Vec<_>>(),
            [Lang::UzCyrl, Lang::Ru, Lang::En]
        );
        assert_eq!(
            fill("{a} and {b} {c}", &[("a", &1), ("b", &"two")]),
            "1 and two {c}"
        );
        assert_eq!(fill("{ {} {a", &[("a", &1)]), "{ {} {a");
        assert_eq!(Lang::En.t("no.such.key", &[]), "no.such.key");
        // Every catalogue parses.
        assert_eq!(LazyLock::force(&CATALOGUES).len(), LANGS.len());
    }

    #[test]
    fn data_texts_in_the_language_or_marked_russian() {
        let texts: Texts = [("en", "Trafficking"), ("ru", "Торговля"), ("kk", "Сауда")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(Lang::Kk.marked_of(&texts), "Сауда");
        assert_eq!(Lang::Ru.marked_of(&texts), "Торговля");
        assert_eq!(Lang::En.marked_of(&texts), "Trafficking");
        let marker = Lang::Ky.t("cli.in_russian", &[]);
        assert_eq!(Lang::Ky.marked_of(&texts), format!("Торговля {marker}"));
        assert_eq!(
            Lang::Ky.marked("Торговля", "ru"),
            format!("Торговля {marker}")
        );
        assert_eq!(Lang::UzLatn.marked("Savdo", "uz"), "Savdo");
    }

    /// The languages --lang takes are the ones the app ships, and fall
    /// back as its data texts do.
    #[test]
    fn the_shipped_languages() {
        let ids: Vec<&str> = LANGS.iter().map(|l| l.id()).collect();
        assert_eq!(ids, texts::SHIPPED_LANGUAGES);
        for l in LANGS {
            assert_eq!(texts::shipped_language(l.id()), Some(l.id()));
            let chain: Vec<&str> = l.chain().map(|c| c.id()).collect();
            // Data texts add Uzbek in the Latin script for a Cyrillic reader
            // (the app transliterates it; this shows it as written).
            let data: Vec<&str> = texts::fallbacks(l.id())
                .into_iter()
                .filter(|d| !(l == Lang::UzCyrl && *d == "uz"))
                .collect();
            assert_eq!(chain.len(), data.len(), "{l:?}");
        }
        assert_eq!(Lang::from_str("UZ", true), Ok(Lang::UzLatn));
        assert_eq!(Lang::from_str("uz-cyrl", true), Ok(Lang::UzCyrl));
        assert!(Lang::from_str("fr", true).is_err());
    }
}
