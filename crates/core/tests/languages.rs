//! The languages a device may be set to, and the language each text of a
//! checklist is shown in: the reader's own where the template has it,
//! otherwise Russian (the region's common working language), marked as such.

use caravan_core::model::texts::SHIPPED_LANGUAGES;
use caravan_core::*;

use crate::util::*;

#[test]
fn every_shipped_language_can_be_chosen_and_others_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let mut ws = create(tmp.path());
    for lang in SHIPPED_LANGUAGES {
        let s = Settings {
            language: lang.to_string(),
            ..Settings::default()
        };
        ws.set_settings(&s).unwrap();
        assert_eq!(ws.settings().unwrap().language, *lang);
    }
    // What older releases stored for Uzbek in the Latin script.
    let uz = Settings {
        language: "uz".into(),
        ..Settings::default()
    };
    ws.set_settings(&uz).unwrap();
    assert_eq!(ws.settings().unwrap().language, "uz-Latn");
    let fr = Settings {
        language: "fr".into(),
        ..Settings::default()
    };
    let e = ws.set_settings(&fr).unwrap_err();
    assert_eq!(e.code(), "core.invalid");
    assert!(
        e.to_string().contains("kk, ky, tg, tk, uz-Latn, uz-Cyrl"),
        "{e}"
    );
    let ws = reopen(ws);
    assert_eq!(
        ws.settings().unwrap().language,
        "uz-Latn",
        "the refusal changed nothing"
    );
}

#[test]
fn checklist_texts_fall_back_to_russian_for_national_languages() {
    let tmp = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(tmp.path());
    let case = open_case(&mut inv, "KZ-2026-7", "Languages");
    let langs_of = |ws: &mut Workspace, lang: &str| -> Vec<(String, String)> {
        ws.checklists(&case, None, lang)
            .unwrap()
            .into_iter()
            .flat_map(|l| {
                let title = (l.title.clone(), l.title_lang.clone());
                std::iter::once(title).chain(l.items.into_iter().map(|i| (i.text, i.text_lang)))
            })
            .collect()
    };
    let english = langs_of(&mut inv, "en");
    assert!(english.iter().all(|(_, l)| l == "en"));
    let russian = langs_of(&mut inv, "ru");
    for lang in ["kk", "ky", "tg", "tk"] {
        assert_eq!(
            langs_of(&mut inv, lang),
            russian,
            "{lang} reads the Russian texts"
        );
    }
    // The templates hold some Uzbek (Latin) texts: those are shown, the
    // rest in Russian; in either script (the app transliterates).
    let uzbek = langs_of(&mut inv, "uz-Latn");
    assert!(uzbek.iter().any(|(_, l)| l == "uz"));
    assert!(uzbek.iter().any(|(_, l)| l == "ru"));
    assert!(uzbek.iter().all(|(_, l)| l == "uz" || l == "ru"));
    assert_eq!(uzbek.len(), russian.len());
    assert_eq!(langs_of(&mut inv, "uz-Cyrl"), uzbek);
}
