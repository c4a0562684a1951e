//! Messages in every shipped language, from the catalogues the app reads
//! too (ui/src/lib/i18n/<language>.json): the expected texts are read from
//! those files here, so a catalogue can grow without these tests changing.

use std::collections::HashMap;

use caravan_core::model::Catalog;
use caravan_core::model::articles;

use crate::common::*;

/// Every shipped language, as `--lang` takes it.
const LANGS: &[&str] = &["en", "ru", "kk", "ky", "tg", "tk", "uz-Latn", "uz-Cyrl"];

fn catalogue(lang: &str) -> HashMap<String, String> {
    let path = format!(
        "{}/../../ui/src/lib/i18n/{lang}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `key` in `lang`'s catalogue, else in Russian (every shipped language
/// but English falls back to it), else in English.
fn text(lang: &str, key: &str) -> String {
    let chain: &[&str] = match lang {
        "en" => &["en"],
        "ru" => &["ru", "en"],
        _ => &[lang, "ru", "en"],
    };
    chain
        .iter()
        .find_map(|l| catalogue(l).get(key).cloned())
        .unwrap_or_else(|| panic!("no catalogue has {key}"))
}

/// Russian's CLDR plural category of a whole number.
fn russian_form(n: u64) -> &'static str {
    match (n % 10, n % 100) {
        (1, r) if r != 11 => "one",
        (2..=4, r) if !(12..=14).contains(&r) => "few",
        _ => "many",
    }
}

fn stderr_of(d: &Device, env_lang: Option<&str>, args: &[&str]) -> (i32, String) {
    let mut c = d.cmd();
    if let Some(l) = env_lang {
        c.env("CARAVAN_LANG", l);
    }
    let out = c.args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).trim_end().to_string(),
    )
}

#[test]
fn errors_in_every_language() {
    let d = Device::new();
    d.ok(&["init", "--team", "T", "--name", "A"]);
    for lang in LANGS {
        // A refusal with a detail: the id that was not found.
        let (code, err) = stderr_of(&d, None, &["--lang", lang, "case", "show", "nosuchcase"]);
        assert_eq!(code, 5, "{lang}: {err}");
        let expected = if *lang == "en" {
            // English: the error's own message, with its details.
            "error[core.not_found]: ".to_string()
        } else {
            let base = text(lang, "error.core.not_found");
            format!(
                "error[core.not_found]: {}: «nosuchcase».",
                base.trim_end_matches('.')
            )
        };
        if *lang == "en" {
            assert!(
                err.starts_with(&expected) && err.contains("nosuchcase"),
                "{err}"
            );
        } else {
            assert_eq!(err, expected, "{lang}");
        }

        // A refusal without details, the language chosen by CARAVAN_LANG.
        let out = d
            .cmd()
            .env("CARAVAN_LANG", lang)
            .env("CARAVAN_PASSPHRASE", "wrong wrong wrong wrong")
            .args(["case", "list"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{lang}: {err}");
        if *lang != "en" {
            let message = text(lang, "error.vault.wrong_passphrase");
            assert_eq!(
                err.trim_end(),
                format!("error[vault.wrong_passphrase]: {message}")
            );
        }
    }
    // The same in JSON: the code, and the message in the language.
    let (_, err) = stderr_of(&d, Some("ky"), &["--json", "case", "show", "nosuchcase"]);
    let v: serde_json::Value = serde_json::from_str(&err).unwrap();
    assert_eq!(v["error"]["code"], "core.not_found");
    let base = text("ky", "error.core.not_found");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with(base.trim_end_matches('.')),
        "{v}"
    );
}

#[test]
fn languages_by_tag_in_any_case_or_refused() {
    let d = Device::new();
    d.ok(&["init", "--team", "T", "--name", "A"]);
    let case = new_case(&d, "KZ-1");
    // CARAVAN_LANG=uz-Cyrl, `uz` for uz-Latn, any letter case.
    for (env, flag, lang) in [
        (Some("uz-Cyrl"), None, "uz-Cyrl"),
        (Some("UZ-CYRL"), None, "uz-Cyrl"),
        (None, Some("uz"), "uz-Latn"),
        (None, Some("Uz-latn"), "uz-Latn"),
        (Some("ru"), Some("TK"), "tk"),
    ] {
        let task = d.json(&["task", "add", &case, "--title", "Call the shelter"]);
        let task = task["id"].as_str().unwrap();
        let mut c = d.cmd();
        if let Some(e) = env {
            c.env("CARAVAN_LANG", e);
        }
        if let Some(f) = flag {
            c.args(["--lang", f]);
        }
        let out = c.args(["task", "done", &case, task]).output().unwrap();
        let said = String::from_utf8_lossy(&out.stdout);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{env:?} {flag:?}: {err}");
        let expected = text(lang, "cli.task.done");
        assert_eq!(said.trim(), expected, "{env:?} {flag:?}");
    }
    // An unknown language: a usage error naming the languages there are.
    for (env, flag) in [(None, Some("fr")), (Some("uz-Arab"), None)] {
        let mut c = d.cmd();
        if let Some(e) = env {
            c.env("CARAVAN_LANG", e);
        }
        if let Some(f) = flag {
            c.args(["--lang", f]);
        }
        let out = c.args(["case", "list"]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        let bad = env.or(flag).unwrap();
        assert!(
            err.contains(&format!("invalid value '{bad}' for '--lang <LANG>'")),
            "{err}"
        );
        assert!(err.contains("possible values"), "{err}");
        for lang in LANGS {
            assert!(err.contains(lang), "{lang} not named: {err}");
        }
    }
}

#[test]
fn counts_in_russian_plural_forms() {
    let d = Device::new();
    d.ok(&["init", "--team", "T", "--name", "A"]);
    new_case(&d, "KZ-1");
    // Each run adds to the log: the count is read from what is printed.
    let said = d.ok(&["--lang", "ru", "audit", "verify"]);
    let said = said.trim();
    let words: Vec<&str> = said.split(' ').collect();
    let n: u64 = words.iter().find_map(|w| w.parse().ok()).unwrap();
    let head = words.last().unwrap();
    let form = text("ru", &format!("cli.audit.intact.{}", russian_form(n)))
        .replace("{n}", &n.to_string())
        .replace("{head}", head);
    assert_eq!(said, form);
    let said = d.ok(&["audit", "verify"]);
    assert!(said.contains(" entries, head "), "{said}");
}

#[test]
fn data_titles_in_the_language_or_marked_russian() {
    let d = Device::new();
    d.ok(&["init", "--team", "T", "--name", "A"]);
    let case = new_case(&d, "KZ-1");

    // Articles: the Kazakh title where the data has one, else the Russian
    // one, marked as Russian.
    let kz: Vec<_> = articles::builtin()
        .iter()
        .filter(|a| a.jurisdiction == "KZ" && a.in_force_until.is_none())
        .collect();
    let with_kk = kz.iter().find(|a| a.title.contains_key("kk")).unwrap();
    let without = kz.iter().find(|a| !a.title.contains_key("kk")).unwrap();
    let marker = text("kk", "cli.in_russian");
    let listed = d.ok(&["--lang", "kk", "case", "qualify", &case]);
    let line_of = |a: &articles::ArticleInfo| {
        let key = a.to_article().key();
        listed
            .lines()
            .find(|l| l.split_whitespace().next() == Some(key.as_str()))
            .unwrap_or_else(|| panic!("{key}: {listed}"))
            .to_string()
    };
    assert!(line_of(with_kk).contains(&with_kk.title["kk"]), "{listed}");
    assert!(!line_of(with_kk).contains(&marker), "{listed}");
    let russian = format!("{} {marker}", without.title["ru"]);
    assert!(line_of(without).contains(&russian), "{listed}");
    // In Russian, no mark.
    let listed = d.ok(&["--lang", "ru", "case", "qualify", &case]);
    assert!(listed.contains(&without.title["ru"]), "{listed}");
    assert!(!listed.contains(&text("ru", "cli.in_russian")), "{listed}");

    // Checklists: Uzbek titles where the templates have them; Kyrgyz (none
    // yet) shows the Russian ones, marked.
    let lists = d.json(&["checklist", "show", &case]);
    let first = &lists[0];
    let template = Catalog::builtin()
        .get(
            first["template_id"].as_str().unwrap(),
            first["version"].as_u64().unwrap(),
        )
        .unwrap();
    let shown = d.ok(&["--lang", "uz", "checklist", "show", &case]);
    if let Some(uz) = template.title.get("uz") {
        assert!(shown.contains(&format!("{uz} [")), "{shown}");
    }
    let shown = d.ok(&["--lang", "ky", "checklist", "show", &case]);
    let marker = text("ky", "cli.in_russian");
    if !template.title.contains_key("ky") {
        let title = format!("{} {marker} [", template.title["ru"]);
        assert!(shown.contains(&title), "{shown}");
    }
    // Items Kyrgyz lacks are in Russian.
    let item = &template.items[0];
    if !item.text.contains_key("ky") {
        let words: String = item.text["ru"].chars().take(20).collect();
        assert!(shown.contains(&words), "{shown}");
    }
    // JSON keeps its shape, and says which language a text is in.
    let json = d.json(&["--lang", "ky", "checklist", "show", &case]);
    assert_eq!(json[0]["template_id"], first["template_id"]);
    if !template.title.contains_key("ky") {
        assert_eq!(json[0]["title"], template.title["ru"].as_str());
        assert_eq!(json[0]["title_lang"], "ru");
    }
}

/// Tables, labels and headings in Kazakh under `--lang kk`: each text is
/// the Kazakh catalogue's own (not the Russian it would fall back to).
#[test]
fn tables_and_labels_in_kazakh() {
    let d = Device::new();
    d.ok(&["init", "--team", "T", "--name", "A"]);
    let case = new_case(&d, "KZ-1");
    let kk = catalogue("kk");
    let own = |key: &str| {
        kk.get(key)
            .cloned()
            .unwrap_or_else(|| panic!("kk has no {key}"))
    };

    // A table's headers, in capitals as the table prints them.
    let listed = d.ok(&["--lang", "kk", "case", "list"]);
    let header = listed.lines().next().unwrap_or_default();
    for key in [
        "cli.col.id",
        "cases.reference",
        "cases.case_title",
        "cases.stage",
        "cases.status",
        "cli.col.jurisdiction",
        "dashboard.overdue",
        "cases.updated",
    ] {
        let label = own(key).to_uppercase();
        assert!(header.contains(&label), "{key}: {label} not in {header}");
    }
    assert!(!header.contains("REFERENCE"), "{header}");
    // The stage of the case by its Kazakh label.
    assert!(listed.contains(&own("stage.intake")), "{listed}");

    // `case show`: the labels of its fields and its sections' headings.
    let shown = d.ok(&["--lang", "kk", "case", "show", &case]);
    for key in [
        "cli.field.id",
        "cli.field.jurisdiction",
        "cli.field.status",
        "cli.field.created",
        "cli.field.progress",
        "cli.field.conflicts",
    ] {
        let label = format!("{}:", own(key));
        assert!(
            shown.lines().any(|l| l.starts_with(&label)),
            "{key}: {label} not in {shown}"
        );
    }
    for key in ["overview.stages", "cli.heading.people", "tasks.title"] {
        let heading = own(key);
        assert!(shown.lines().any(|l| l == heading), "{key}: {shown}");
    }
    assert!(!shown.contains("jurisdiction:"), "{shown}");

    // A failure of the command line's own, in Kazakh too.
    let (code, err) = stderr_of(&d, None, &["--lang", "kk", "sync", "relay"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        err,
        format!("error[cli.failure]: {}", own("cli.failure.no_relay"))
    );
}
