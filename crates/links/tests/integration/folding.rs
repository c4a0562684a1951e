//! Matching keys, as data: each row is an input and the key it must give
//! (or that two inputs must give the same key).

use caravan_links::keys::{
    handle_key, imei_key, name_key, number_key, phone_key, plate_key, text_key,
};

/// `input` gives `expect` (`None`: no key).
fn check(f: fn(&str) -> Option<String>, rows: &[(&str, Option<&str>)]) {
    let mut failures = Vec::new();
    for (input, expect) in rows {
        let got = f(input);
        if got.as_deref() != *expect {
            failures.push(format!("{input:?}: expected {expect:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every spelling in a group gives one key, and groups differ.
fn same_key(groups: &[&[&str]]) {
    let mut failures = Vec::new();
    let mut keys = Vec::new();
    for group in groups {
        let key = name_key(group[0]);
        for spelling in &group[1..] {
            let other = name_key(spelling);
            if other != key {
                failures.push(format!(
                    "{spelling:?} → {other:?}, {:?} → {key:?}",
                    group[0]
                ));
            }
        }
        if keys.contains(&key) {
            failures.push(format!("{:?} collides with another group", group[0]));
        }
        keys.push(key);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn names_across_scripts_and_romanisations_fold_to_one_key() {
    same_key(&[
        &[
            "Жанар Абдуллаева",
            "Zhanar Abdullaeva",
            "Janar Abdullayeva",
            "ABDULLAYEVA Zhanar",
            "Abdullaeva Zhanar Serikovna",
        ],
        &[
            "Гульнара Ахмедова",
            "Gulnara Akhmedova",
            "Gulnara Axmedova",
            "Gulnara Ahmedova",
        ],
        &[
            "Шухрат Юсупов",
            "Shukhrat Yusupov",
            "Şuhrat Yusupov",
            "Šuhrat Jusupov",
            "Shuhrat Iusupov",
        ],
        &[
            "Чолпон Исаева",
            "Cholpon Isaeva",
            "Çolpon Isayeva",
            "Čolpon Isaeva",
        ],
        &[
            "Мария Сергеева",
            "Mariya Sergeyeva",
            "Maria Sergeeva",
            "Mariia Sergeeva",
        ],
        &[
            "Алёна Яковлева",
            "Алена Яковлева",
            "Alena Yakovleva",
            "Alyona Iakovleva",
            "Alena Jakovleva",
        ],
        &[
            "Айгерим Қасымова",
            "Айгерим Касымова",
            "Aigerim Kasymova",
            "Aygerim Qasymova",
        ],
        &["Зарина Ганиева", "Zarina Ganieva", "Zarina Ganiyeva"],
        &[
            "Бахтиёр Рахимов",
            "Bakhtiyor Rakhimov",
            "Baxtiyor Raximov",
            "Bahtiyor Rahimov",
        ],
        &[
            "Ғайрат Нурматов",
            "Gʻayrat Nurmatov",
            "G'ayrat Nurmatov",
            "Gairat Nurmatov",
        ],
        &[
            "Ильина Дарья",
            "Il'ina Dar'ya",
            "Ilyina Darya",
            "Ilina Daria",
        ],
        &["Фёдор Пётр", "Федор Петр", "Fyodor Pyotr", "Fedor Petr"],
        &["Нурлан Серикович Ахметов", "Nurlan Akhmetov"],
        &["Жумабек Алиев", "Jumabek Aliev", "Zhumabek Aliyev"],
    ]);
}

#[test]
fn unrelated_names_keep_apart() {
    for (a, b) in [
        ("Жанар Абдуллаева", "Жанна Абдуллаева"),
        ("Aigul Karimova", "Aigul Karimov"),
        ("Zarina Ganieva", "Zarina Ganeva Isaeva"),
    ] {
        assert_ne!(name_key(a), name_key(b), "{a} / {b}");
    }
    assert_eq!(name_key(" ,.'- "), "");
}

#[test]
fn phone_numbers_normalise_to_digits_with_the_country_code() {
    check(
        phone_key,
        &[
            ("+7 701 123 45 67", Some("77011234567")),
            ("8 (701) 123-45-67", Some("77011234567")),
            ("87011234567", Some("77011234567")),
            ("007 701 1234567", Some("77011234567")),
            ("+996 555 123 456", Some("996555123456")),
            ("00996555123456", Some("996555123456")),
            ("+992 93 123 4567", Some("992931234567")),
            ("+993 65 12 34 56", Some("99365123456")),
            ("+998 (90) 123-45-67", Some("998901234567")),
            ("1234", None),
            ("+7 701 CALL ME", None),
            ("", None),
            ("1234567890123456", None),
        ],
    );
}

#[test]
fn imeis_are_fifteen_digits_with_their_luhn_digit() {
    check(
        imei_key,
        &[
            ("490154203237518", Some("490154203237518")),
            ("49015420323751", Some("490154203237518")),
            ("49-015420-323751-8", Some("490154203237518")),
            ("4901542032375199", Some("490154203237518")),
            ("35209900176148", Some("352099001761481")),
            ("4901542032", None),
            ("49015420323751X", None),
        ],
    );
}

#[test]
fn documents_accounts_and_plates_are_upper_case_alphanumerics() {
    check(
        number_key,
        &[
            ("KZ86 125K ZT50 0410 0100", Some("KZ86125KZT5004100100")),
            ("kz86125kzt5004100100", Some("KZ86125KZT5004100100")),
            ("N 12345678", Some("N12345678")),
            ("АА 1234567", Some("AA1234567")),
            ("ID-042/17", Some("ID04217")),
            ("abc", None),
            ("ABCDEFG", None),
        ],
    );
    check(
        plate_key,
        &[
            ("777 ABC 02", Some("777ABC02")),
            ("777-АВС-02", Some("777ABC02")),
            ("01 KG 123 ABC", Some("01KG123ABC")),
            ("Toyota", None),
            ("12345678901", None),
        ],
    );
    check(
        handle_key,
        &[
            ("@Recruiter_Job", Some("recruiter_job")),
            ("https://www.example.org/jobs/", Some("example.org/jobs")),
            ("  ", None),
        ],
    );
    assert_eq!(text_key("ул. Абая, 10"), text_key("ul Abaya 10"));
}

proptest::proptest! {
    /// Any text, in any script, gives a key or none and never panics; a
    /// name's key is its words, sorted, each once, single spaces between.
    #[test]
    fn any_text_folds_without_panicking(text in "\\PC{0,40}") {
        let key = name_key(&text);
        let words: Vec<&str> = key.split(' ').collect();
        let mut sorted = words.clone();
        sorted.sort();
        sorted.dedup();
        proptest::prop_assert_eq!(&words, &sorted);
        proptest::prop_assert!(key.is_empty() || words.iter().all(|w| !w.is_empty()));
        let _ = (phone_key(&text), imei_key(&text), number_key(&text), plate_key(&text), handle_key(&text), text_key(&text));
        if let Some(imei) = imei_key(&text) {
            proptest::prop_assert_eq!(imei.len(), 15);
        }
    }
}
