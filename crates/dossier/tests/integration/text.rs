//! What the dossier says, read back with pdftotext.

use caravan_dossier::{DossierError, render};

use crate::common::{ATTACHMENT, pdf_text, sample};

#[test]
fn the_dossier_holds_the_case_number_charge_custody_hash_and_binding() {
    let content = sample("en", "Victim V-1");
    let r = render(&content, 1_773_570_600_000).unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert!(
        r.pages >= 4,
        "cover, sections and the binding: {} pages",
        r.pages
    );
    let text = pdf_text(&r.pdf);
    for expected in [
        "KZ-2026-0142",
        "261500031000142",
        "KZ 2014 art. 128 part 3",
        "Officer Abenov",
        "Forensic lab",
        "Astana",
        ATTACHMENT,
        &content.binding.digest,
        &content.binding.heads[0],
        "Court dossier",
        "Evidence and chain of custody",
        "Nothing recorded.",
        "2026-03-14 10:30 UTC",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
}

#[test]
fn a_russian_dossier_has_russian_labels_and_a_kazakh_one_falls_back_where_it_must() {
    let ru = pdf_text(&render(&sample("ru", "Жертва В-1"), 0).unwrap().pdf);
    for label in [
        "Материалы дела для суда",
        "Доказательства и цепочка хранения",
        "Привязка к делу",
        "Страница",
    ] {
        assert!(ru.contains(label), "{label:?} missing from:\n{ru}");
    }
    assert!(!ru.contains("Court dossier"));
    let kk = pdf_text(&render(&sample("kk", "Құрбан"), 0).unwrap().pdf);
    assert!(kk.contains("Сотқа арналған іс материалдары"), "{kk}");
    assert!(kk.contains("Құрбан"));
}

#[test]
fn hostile_case_text_is_shown_literally_and_never_evaluated() {
    let hostile = r#"#import "/etc/passwd": * *bold* $x^2$ [a] \n <lbl> @ref #let x = 1 #panic("boom") #read("/etc/passwd") ]"#;
    let r = render(&sample("en", hostile), 0).unwrap();
    let text = pdf_text(&r.pdf);
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let want: String = hostile.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(&want),
        "{want:?} not shown literally in:\n{flat}"
    );
    assert!(!text.contains("root:"), "a file was read");
}

#[test]
fn every_shipped_alphabet_renders_with_no_missing_glyph() {
    let alphabets = [
        (
            "en",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz № « » — ’",
        ),
        (
            "ru",
            "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        ),
        ("kk", "ӘҒҚҢӨҰҮҺІ әғқңөұүһі"),
        ("ky", "ҢӨҮ ңөү"),
        ("tg", "ҒӢҚӮҲҶ ғӣқӯҳҷ"),
        ("tk", "ÄÇŇÖŞÜÝŽ äçňöşüýž"),
        ("uz-Latn", "Oʻ Gʻ oʻ gʻ O‘ G‘ o‘ g‘ Sh Ch ’"),
        ("uz-Cyrl", "ЎҚҒҲ ўқғҳ"),
    ];
    for (lang, letters) in alphabets {
        let r = render(&sample(lang, letters), 0).unwrap();
        assert!(r.warnings.is_empty(), "{lang}: {:?}", r.warnings);
        let text = pdf_text(&r.pdf);
        for word in letters.split_whitespace() {
            assert!(
                text.contains(word),
                "{lang}: {word:?} missing from:\n{text}"
            );
        }
    }
}

#[test]
fn a_letter_the_fonts_lack_is_replaced_and_reported_not_fatal() {
    let r = render(&sample("en", "phone 📱 of V-1"), 0).unwrap();
    assert_eq!(r.warnings, vec!["no glyph for U+1F4F1".to_string()]);
    assert!(pdf_text(&r.pdf).contains("phone \u{FFFD} of V-1"));
}

#[test]
fn an_unknown_language_is_refused_with_its_code() {
    let err = render(&sample("xx", "V"), 0).unwrap_err();
    assert!(matches!(err, DossierError::UnknownLanguage(_)));
    assert_eq!(err.code(), "dossier.unknown_language");
}
