//! The dossier's labels, from the message catalogues the app and the
//! command line read (`ui/src/lib/i18n/<tag>.json`, embedded at compile
//! time), so the document reads the same whichever front end made it. A
//! key a national language lacks is taken from Russian, then English; a
//! Russian one from English.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::error::DossierError;

/// The shipped languages, as their catalogues are named.
pub const LANGUAGES: [&str; 8] = ["en", "ru", "kk", "ky", "tg", "tk", "uz-Latn", "uz-Cyrl"];

type Catalogue = HashMap<String, String>;

fn parse(json: &str) -> Catalogue {
    // The catalogues are checked by the front ends' tests; one that does
    // not parse is a build fault, shown as missing labels (their keys).
    serde_json::from_str(json).unwrap_or_default()
}

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

/// The shipped language a tag names (`uz` is Uzbek in the Latin script;
/// tags compare case-insensitively).
pub fn language(tag: &str) -> Result<&'static str, DossierError> {
    let tag = tag.trim();
    if tag.eq_ignore_ascii_case("uz") {
        return Ok("uz-Latn");
    }
    LANGUAGES
        .iter()
        .copied()
        .find(|l| l.eq_ignore_ascii_case(tag))
        .ok_or_else(|| DossierError::UnknownLanguage(tag.chars().take(16).collect()))
}

/// Labels in one language.
#[derive(Debug, Clone, Copy)]
pub struct Labels {
    chain: &'static [usize],
}

impl Labels {
    pub fn new(lang: &'static str) -> Labels {
        let chain: &'static [usize] = match lang {
            "en" => &[0],
            "ru" => &[1, 0],
            "kk" => &[2, 1, 0],
            "ky" => &[3, 1, 0],
            "tg" => &[4, 1, 0],
            "tk" => &[5, 1, 0],
            "uz-Latn" => &[6, 1, 0],
            "uz-Cyrl" => &[7, 1, 0],
            _ => &[0],
        };
        Labels { chain }
    }

    /// The text of `key`, down the fallbacks; the key itself where no
    /// catalogue has it (a test keeps every key the dossier uses in
    /// English and Russian).
    pub fn get(&self, key: &str) -> String {
        self.find(key).unwrap_or(key).to_string()
    }

    /// The text of `key`, if a catalogue on the chain has it (a blank text
    /// is a gap).
    pub fn find(&self, key: &str) -> Option<&'static str> {
        self.chain.iter().find_map(|&i| {
            CATALOGUES[i]
                .get(key)
                .map(String::as_str)
                .filter(|s| !s.trim().is_empty())
        })
    }

    /// `key` with `{name}` placeholders filled, in one pass (a value's
    /// own braces stay as written).
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        let text = self.get(key);
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let hit = after.find('}').and_then(|close| {
                let name = &after[..close];
                args.iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v, close))
            });
            match hit {
                Some((v, close)) => {
                    out.push_str(v);
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
}
