//! Name folding for search: one spelling-independent key per name, so that
//! "Гульнара Ахмедова", "Gulnara Akhmedova", "GUL'NARA AHMEDOVA" and
//! "Gulnara Axmedova" all find each other.
//!
//! Case files in Central Asia mix Russian, Kazakh, Kyrgyz, Tajik and Uzbek
//! names written in Cyrillic and in several Latin romanisations (passport
//! ICAO, Russian GOST, Uzbek and Turkmen Latin alphabets, ad-hoc). Folding
//! lower-cases, strips diacritics and apostrophes, transliterates Cyrillic,
//! then maps the letters that romanisations disagree on to one skeleton:
//! kh/h/x → h, zh/j/dj → j → i, y → i, ts/tz/c → c, w → v, q → k, and
//! doubled letters to one. It is deliberately lossy: it matches more than it
//! should (a search result list), never less. Both the stored search terms
//! and the query go through the same function, so matching is a substring
//! test on folded text.

/// Folds text to its search key. Words are kept apart by single spaces.
pub fn fold(text: &str) -> String {
    let mut latin = String::with_capacity(text.len());
    for ch in text.chars().flat_map(char::to_lowercase) {
        match translit(ch) {
            Some(s) => latin.push_str(s),
            None if ch.is_alphanumeric() => latin.push(ch),
            None if ch.is_whitespace() || ch == '-' || ch == ',' || ch == '.' => latin.push(' '),
            // Apostrophes, modifier letters and other marks carry no sound.
            None => {}
        }
    }
    let mut words = Vec::new();
    for word in latin.split_whitespace() {
        let mut w = word.to_string();
        for (from, to) in [
            ("shch", "sh"),
            ("sch", "sh"),
            ("kh", "h"),
            ("x", "h"),
            ("zh", "j"),
            ("dj", "j"),
            ("dzh", "j"),
            ("ts", "c"),
            ("tz", "c"),
            ("ch", "c"),
            ("w", "v"),
            ("q", "k"),
            ("ph", "f"),
            ("j", "i"),
            ("y", "i"),
        ] {
            w = w.replace(from, to);
        }
        // "Ye"/"Ie" at the start of a word is how several schemes write "Е".
        if let Some(rest) = w.strip_prefix("ie") {
            w = format!("e{rest}");
        }
        let mut out = String::with_capacity(w.len());
        for c in w.chars() {
            if !out.ends_with(c) {
                out.push(c);
            }
        }
        if !out.is_empty() {
            words.push(out);
        }
    }
    words.join(" ")
}

/// Whether `query` matches `text` after folding both.
pub fn matches(text: &str, query: &str) -> bool {
    let q = fold(query);
    !q.is_empty() && fold(text).contains(&q)
}

fn translit(c: char) -> Option<&'static str> {
    Some(match c {
        'а' | 'ә' => "a",
        'б' => "b",
        'в' => "v",
        'г' | 'ғ' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'ж' | 'җ' => "zh",
        'з' => "z",
        'и' | 'і' | 'ӣ' => "i",
        'й' => "y",
        'к' | 'қ' => "k",
        'л' => "l",
        'м' => "m",
        'н' | 'ң' => "n",
        'о' | 'ө' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ү' | 'ұ' | 'ў' | 'ӯ' => "u",
        'ф' => "f",
        'х' | 'ҳ' | 'һ' => "kh",
        'ц' => "ts",
        'ч' | 'ҷ' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        // Apostrophe-like letters (Uzbek oʻ, gʻ; Kazakh and Turkmen Latin).
        'ʻ' | 'ʼ' | 'ʹ' | '’' | '‘' | '`' | '´' => "",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        // Latin letters with marks (Turkmen, Uzbek, Kazakh Latin, European).
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ā' => "a",
        'ç' | 'č' | 'ć' => "ch",
        'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ě' => "e",
        'ğ' | 'ǵ' => "g",
        'í' | 'ì' | 'î' | 'ï' | 'ī' | 'ı' => "i",
        'ñ' | 'ň' | 'ń' => "n",
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ō' => "o",
        'ş' | 'š' | 'ś' => "sh",
        'ú' | 'ù' | 'û' | 'ü' | 'ū' => "u",
        'ý' | 'ÿ' => "y",
        'ž' | 'ź' | 'ż' => "zh",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_name_find_each_other() {
        let same: &[&[&str]] = &[
            &[
                "Гульнара Ахмедова",
                "Gulnara Akhmedova",
                "GUL'NARA AHMEDOVA",
                "Gulnara Axmedova",
                "gulnara  ahmedova",
            ],
            &["Юлия", "Yulia", "Yuliya", "Iuliia", "Julia"],
            &["Жанна", "Zhanna", "Janna"],
            &["Айгуль", "Aigul", "Aygul", "Ajgul", "Aigül"],
            &["Шухрат", "Shukhrat", "Shuhrat", "Şuhrat", "Shuxrat"],
            &["Цой", "Tsoi", "Tsoy", "Coi"],
            &["Евгений", "Yevgeniy", "Evgeniy", "Evgenii", "Yevgeny"],
            &["Қайрат", "Кайрат", "Kairat", "Qayrat"],
            &["Ғулом", "G'ulom", "Gʻulom", "Gulom"],
            &["Оқила", "Oqila", "Okila"],
            &["Öwez", "Овез", "Ovez"],
            &["Чолпон", "Cholpon", "Çolpon"],
        ];
        let mut failures = Vec::new();
        for group in same {
            for a in *group {
                for b in *group {
                    if fold(a) != fold(b) {
                        failures.push(format!("{a} → {} but {b} → {}", fold(a), fold(b)));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn different_names_stay_apart() {
        for (a, b) in [
            ("Марат", "Мурат"),
            ("Ахмедова", "Ахмадова"),
            ("Dilnoza", "Dilfuza"),
            ("Ivanov", "Ivanova Olga"),
        ] {
            assert_ne!(fold(a), fold(b), "{a} / {b}");
        }
    }

    #[test]
    fn fragments_match_inside_names() {
        let rows = [
            ("Гульнара Ахмедова", "ахмед", true),
            ("Гульнара Ахмедова", "Akhmed", true),
            ("Gulnara Akhmedova", "гульн", true),
            ("Gulnara Akhmedova", "Bakyt", false),
            ("Gulnara Akhmedova", "", false),
            ("Gulnara Akhmedova", "'''", false),
        ];
        for (text, query, expected) in rows {
            assert_eq!(matches(text, query), expected, "{text} ~ {query}");
        }
    }
}
