//! Matching keys: one spelling-independent form per value, so that the
//! same person, phone, document or account written differently in two
//! cases is found to be one.
//!
//! A key is made of the value itself: it is as sensitive as the value and
//! never leaves this crate's graph builder (no key is in a node, an edge,
//! a label or an error).

use caravan_model::search::fold;

/// Endings of patronymics and of the Turkic "son of / daughter of" words:
/// a patronymic is left out of a name's key, so "Abdullaeva Zhanar
/// Serikovna" and "Zhanar Abdullaeva" are one person.
const PATRONYMIC_ENDINGS: &[&str] = &["ovna", "evna", "ovic", "evic", "ovih", "evih", "icna"];
const PATRONYMIC_WORDS: &[&str] = &["kizi", "kiz", "uli", "ugli", "ogli", "ulu", "kyzy"];

/// A person's name as a key: folded across scripts and romanisations
/// (Cyrillic of Russian, Kazakh, Kyrgyz, Tajik and Uzbek; ICAO, GOST and
/// national Latin spellings), lower case, without marks, patronymics
/// left out, the words in alphabetical order (so word order does not
/// matter). Empty when nothing of a name is left.
pub fn name_key(name: &str) -> String {
    // Ё is "yo" in Uzbek (Бахтиёр, Bakhtiyor) and often in Russian
    // (Алёна, Alyona), and just as often "e" (Alena): read as "yo" here,
    // and "yo" after a consonant as "e" below.
    let name = name.to_lowercase().replace('ё', "йо");
    let mut words: Vec<String> = fold(&name)
        .split(' ')
        .map(glide)
        .filter(|w| !w.is_empty())
        .filter(|w| {
            !PATRONYMIC_WORDS.contains(&w.as_str())
                && !PATRONYMIC_ENDINGS
                    .iter()
                    .any(|e| w.len() > e.len() + 2 && w.ends_with(e))
        })
        .collect();
    words.sort();
    words.dedup();
    words.join(" ")
}

/// The glide between vowels that some spellings write and others leave
/// out (-ayev / -aev, Sergeyev / Sergeev, Mariya / Maria: after folding,
/// an `i` between a vowel and `e` or `a`); "yo" after a consonant as "e"
/// (Alyona / Alena, Fyodor / Fedor); then doubled letters as one.
fn glide(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let vowel = |c: char| "aeiou".contains(c);
    let mut out = String::with_capacity(word.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let between = c == 'i'
            && prev.is_some_and(|p| vowel(p) && p != 'i')
            && (next == Some('e') || next == Some('a'));
        if c == 'i' && next == Some('o') && prev.is_some_and(|p| p.is_alphabetic() && !vowel(p)) {
            if !out.ends_with('e') {
                out.push('e');
            }
            i += 2;
            continue;
        }
        if !(between || out.ends_with(c)) {
            out.push(c);
        }
        i += 1;
    }
    out
}

/// A phone number as digits with the country code: `+` and `00` prefixes
/// dropped, the trunk prefix `8` of Kazakhstan and Russia (`8 701 …`, 11
/// digits) read as `7`. Codes of Kyrgyzstan (996), Tajikistan (992),
/// Turkmenistan (993) and Uzbekistan (998) are kept as written. `None`
/// for fewer than 5 digits or more than 15.
pub fn phone_key(text: &str) -> Option<String> {
    let t = text.trim();
    if t.chars()
        .any(|c| !(c.is_ascii_digit() || " +-().\u{a0}".contains(c)))
    {
        return None;
    }
    let mut digits: String = t.chars().filter(char::is_ascii_digit).collect();
    if let Some(rest) = digits.strip_prefix("00") {
        digits = rest.to_string();
    }
    if digits.len() == 11 && digits.starts_with('8') && !t.starts_with('+') {
        digits.replace_range(0..1, "7");
    }
    (5..=15).contains(&digits.len()).then_some(digits)
}

/// The Luhn check digit of an IMEI's first 14 digits.
pub fn luhn_digit(body: &str) -> Option<char> {
    if body.len() != 14 || !body.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut sum = 0;
    for (i, c) in body.chars().enumerate() {
        let mut d = c.to_digit(10)?;
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    char::from_digit((10 - sum % 10) % 10, 10)
}

/// An IMEI as its 15 digits: 14 digits get their Luhn check digit, 16
/// (an IMEISV) lose the software version and get it too. `None` for any
/// other form.
pub fn imei_key(text: &str) -> Option<String> {
    let t: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '/'))
        .collect();
    if !t.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    match t.len() {
        15 => Some(t),
        14 | 16 => {
            let body = &t[..14];
            luhn_digit(body).map(|d| format!("{body}{d}"))
        }
        _ => None,
    }
}

/// Cyrillic letters that look like Latin ones, as the Latin letter (plates
/// and document series are written with either).
fn look_alike(c: char) -> char {
    match c {
        'А' => 'A',
        'В' => 'B',
        'Е' | 'Ё' => 'E',
        'К' => 'K',
        'М' => 'M',
        'Н' => 'H',
        'О' => 'O',
        'Р' => 'P',
        'С' => 'C',
        'Т' => 'T',
        'У' => 'Y',
        'Х' => 'X',
        'І' => 'I',
        other => other,
    }
}

/// A document or account number: upper case, letters and digits only
/// (spaces of an IBAN, dashes and slashes dropped), Cyrillic look-alike
/// letters as Latin. `None` when fewer than 4 characters are left or no
/// digit is among them.
pub fn number_key(text: &str) -> Option<String> {
    let key: String = text
        .chars()
        .flat_map(char::to_uppercase)
        .map(look_alike)
        .filter(|c| c.is_alphanumeric())
        .collect();
    (key.chars().count() >= 4 && key.chars().any(|c| c.is_ascii_digit())).then_some(key)
}

/// A vehicle's registration plate: as a number (upper case, no spaces or
/// dashes, Cyrillic look-alikes as Latin), 4 to 10 characters with at
/// least two digits.
pub fn plate_key(text: &str) -> Option<String> {
    let key = number_key(text)?;
    let n = key.chars().count();
    let digits = key.chars().filter(char::is_ascii_digit).count();
    ((4..=10).contains(&n) && digits >= 2 && key.chars().all(|c| c.is_ascii_alphanumeric()))
        .then_some(key)
}

/// An e-mail address, a messenger or social account, a website: lower
/// case, without a leading `@`, a scheme or `www.`, and without a
/// trailing slash.
pub fn handle_key(text: &str) -> Option<String> {
    let mut t = text.trim().to_lowercase();
    for prefix in ["https://", "http://", "www.", "@"] {
        if let Some(rest) = t.strip_prefix(prefix) {
            t = rest.to_string();
        }
    }
    let t = t.trim_end_matches('/').to_string();
    (!t.is_empty()).then_some(t)
}

/// An address or an organisation's name: folded as names are, the words
/// in their order (an address's order carries meaning). Empty when
/// nothing is left.
pub fn text_key(text: &str) -> String {
    fold(text)
        .split(' ')
        .map(glide)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Splits a field of several numbers (a person's documents, contacts)
/// into its parts: commas, semicolons, slashes and new lines separate.
pub fn parts(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', ';', '\n', '/', '|'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
}
