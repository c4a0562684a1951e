//! The shipped checklist templates: they load, validate, round-trip, and the
//! rendered list in docs/checklists.md is current.

use std::fmt::Write as _;
use std::path::Path;

use caravan_model::checklist::{Catalog, Template, TemplateError, validate};
use caravan_model::{ItemKind, Stage};

fn templates_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/templates"))
}

#[test]
fn every_template_file_is_shipped_and_valid() {
    let catalog = Catalog::builtin();
    let mut files: Vec<String> = std::fs::read_dir(templates_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    files.sort();
    let mut shipped: Vec<String> = catalog
        .latest_all()
        .iter()
        .map(|t| format!("{}.toml", t.id))
        .collect();
    shipped.sort();
    assert_eq!(
        files, shipped,
        "every file under templates/ must be listed in checklist.rs BUILTIN"
    );
    assert_eq!(shipped.len(), 16);
    for t in catalog.latest_all() {
        validate(t).unwrap();
    }
}

#[test]
fn templates_round_trip_through_toml() {
    for t in Catalog::builtin().latest_all() {
        let text = toml::to_string(t).unwrap();
        let back: Template = toml::from_str(&text).unwrap();
        assert_eq!(&back, t, "{} changed in a round trip", t.id);
    }
}

#[test]
fn the_manual_is_covered() {
    let catalog = Catalog::builtin();
    for stage in [
        Stage::InitialResponse,
        Stage::Identification,
        Stage::Referral,
        Stage::Interviews,
        Stage::Evidence,
        Stage::Financial,
        Stage::International,
        Stage::Assistance,
        Stage::ProsecutionReview,
        Stage::Closure,
    ] {
        assert!(
            catalog.latest_all().iter().any(|t| t.stage == stage),
            "no checklist for {stage}"
        );
    }
    let ilo = catalog.latest("identification-ilo11").unwrap();
    assert_eq!(ilo.items.len(), 11);
    assert!(
        ilo.items
            .iter()
            .all(|i| i.kind == ItemKind::Indicator && !i.required)
    );
    let defaults: Vec<&str> = catalog
        .defaults_for_new_case()
        .iter()
        .map(|t| t.id.as_str())
        .collect();
    assert!(!defaults.contains(&"identification-sexual"));
    assert!(defaults.contains(&"identification-general"));
}

fn bad(toml: &str) -> String {
    let err: TemplateError = Catalog::from_sources([("x.toml", toml)]).unwrap_err();
    format!("{}: {err}", err.code())
}

const GOOD_HEAD: &str = r#"id = "x"
version = 1
stage = "intake"
sources = ["UNODC manual M2"]
title = { en = "X", ru = "Икс" }
"#;

fn with_items(items: &str) -> String {
    format!("{GOOD_HEAD}{items}")
}

#[test]
fn invalid_templates_are_refused_with_a_reason() {
    let item = |extra: &str| {
        with_items(&format!(
            "[[items]]\nid = \"a\"\nkind = \"action\"\nrequired = true\nsource = \"M2\"\ntext = {{ en = \"A\", ru = \"А\" }}\n{extra}"
        ))
    };
    let rows: Vec<(String, &str)> = vec![
        (
            GOOD_HEAD.replace("version = 1", "version = 0")
                + "[[items]]\nid=\"a\"\nkind=\"action\"\nrequired=true\nsource=\"s\"\ntext={en=\"a\",ru=\"б\"}\n",
            "template.invalid: template x: version must be 1 or more",
        ),
        (
            with_items(""),
            "template.parse: template file x.toml: missing field `items`",
        ),
        (
            item("").replace("ru = \"А\"", "ru = \" \""),
            "template.invalid: template x: item 'a': text in 'ru' is missing",
        ),
        (
            item("").replace("id = \"a\"", "id = \"Bad Id\""),
            "template.invalid: template x: item 'Bad Id': id must be lowercase kebab-case",
        ),
        (
            item("").replace("kind = \"action\"", "kind = \"indicator\""),
            "template.invalid: template x: item 'a': indicators trigger inquiry, they cannot be required",
        ),
        (
            item(
                "[[items]]\nid = \"a\"\nkind = \"action\"\nrequired = false\nsource = \"M2\"\ntext = { en = \"A\", ru = \"А\" }\n",
            ),
            "template.invalid: template x: item 'a' appears twice",
        ),
        (
            item("").replace("source = \"M2\"", "source = \"\""),
            "template.invalid: template x: item 'a': source is missing",
        ),
        (
            item("").replace("stage = \"intake\"", "stage = \"trial\""),
            "template.parse: template file x.toml: unknown variant `trial`, expected one of `intake`, `initial_response`, `identification`, `referral`, `planning`, `interviews`, `evidence`, `financial`, `international`, `prosecution_review`, `trial_protection`, `assistance`, `closure`",
        ),
        (
            item("").replace("id = \"x\"", "id = \"y\""),
            "template.invalid: template y: file name 'x.toml' does not match the id",
        ),
        (
            item("").replace(
                "sources = [\"UNODC manual M2\"]",
                "sources = [\"UNODC manual M2\"]\nsignoff = \"investigator\"",
            ),
            "template.invalid: template x: sign-off role must be prosecutor or supervisor, not investigator",
        ),
        (
            item("").replace(
                "sources = [\"UNODC manual M2\"]",
                "sources = [\"UNODC manual M2\"]\nexploitation = \"Piracy\"",
            ),
            "template.parse: template file x.toml: unknown HTCDS exploitation type 'Piracy'",
        ),
        (
            item("").replace(
                "title = { en = \"X\", ru = \"Икс\" }",
                "title = { en = \"X\", ru = \"Икс\", xx = \"?\" }",
            ),
            "template.invalid: template x: title: unknown language 'xx'",
        ),
    ];
    let mut failures = Vec::new();
    for (text, expected) in &rows {
        let got = bad(text);
        if got != *expected {
            failures.push(format!("expected: {expected}\n     got: {got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Renders the catalog as the reference page docs/checklists.md.
fn render_markdown(catalog: &Catalog) -> String {
    let mut out = String::from(
        "# Checklists\n\n\
         Caravan ships these checklist templates, written in Caravan's own words from the\n\
         sources each item names (see the references at the end). They live as data in\n\
         `crates/model/templates/*.toml`; this page is generated from them by the model's\n\
         test suite (`UPDATE_DOCS=1 cargo test -p caravan-model --test integration templates` rewrites it).\n\n\
         - **kind**: *action* — something to do; *indicator* — something to look for. Indicators\n  \
           trigger inquiry, they are not proof (UNODC manual M2), and are never required.\n\
         - **required**: must be done, or marked not applicable with a reason, before the stage gate closes.\n\
         - **sign-off**: the role whose sign-off the item (or the whole stage gate) needs.\n\
         - A case keeps the template version it started with; adopting a newer version keeps every ticked item.\n\
         - A checklist of a template version this copy of Caravan does not know (made with a newer one) holds\n  \
           its stage gate, and every gate if the template is unknown altogether, until Caravan is updated.\n\
         - New cases start with every template except the per-type identification lists, which are\n  \
           suggested once a victim's exploitation type (or a child victim) is recorded.\n\n",
    );
    let templates = catalog.latest_all();
    out.push_str("| template | version | stage | items | required | gate sign-off |\n|---|---|---|---|---|---|\n");
    for t in &templates {
        let required = t.items.iter().filter(|i| i.required).count();
        let _ = writeln!(
            out,
            "| [{}](#{}) | {} | {} | {} | {} | {} |",
            t.title_in("en"),
            t.id,
            t.version,
            t.stage,
            t.items.len(),
            required,
            t.signoff.map_or("—".to_string(), |r| r.to_string())
        );
    }
    for t in &templates {
        let _ = write!(
            out,
            "\n## {} <a id=\"{}\"></a>\n\n`{}` v{} · stage `{}`{}{} · {}\n\nRussian title: {}\n\n",
            t.title_in("en"),
            t.id,
            t.id,
            t.version,
            t.stage,
            t.signoff
                .map_or(String::new(), |r| format!(" · gate sign-off: {r}")),
            t.exploitation.map_or(String::new(), |e| format!(
                " · HTCDS type: {}",
                e.doc_name()
            )),
            t.sources.join("; "),
            t.title_in("ru"),
        );
        out.push_str(
            "| # | item | kind | required | sign-off | source |\n|---|---|---|---|---|---|\n",
        );
        for (n, i) in t.items.iter().enumerate() {
            let _ = writeln!(
                out,
                "| {} | **{}** — {} | {} | {} | {} | {} |",
                n + 1,
                i.id,
                i.text_in("en").replace('|', "\\|"),
                i.kind,
                if i.required { "yes" } else { "" },
                i.signoff.map_or(String::new(), |r| r.to_string()),
                i.source
            );
        }
    }
    out.push_str(
        "\n## References\n\n\
         - UNODC, *Anti-human trafficking manual for criminal justice practitioners* (2009), modules M1–M14 (\"UNODC manual M8\").\n\
         - UNODC, *Toolkit to Combat Trafficking in Persons* (2008) (\"TK 5.6\").\n\
         - UNODC/UN.GIFT human trafficking indicators (general; children; domestic servitude; sexual exploitation; labour exploitation; begging and petty crime).\n\
         - ILO indicators of forced labour (\"ILO-11 #n\") and ILO/EC Delphi operational indicators.\n\
         - OSCE/ODIHR, *National Referral Mechanisms* handbook, 2nd ed. (2022) (\"NRM handbook\").\n\
         - IOM and partners, Human Trafficking Case Data Standard 2.0 (\"HTCDS\").\n",
    );
    out
}

#[test]
fn docs_checklists_md_is_current() {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/checklists.md"
    ));
    let rendered = render_markdown(Catalog::builtin());
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, &rendered).unwrap();
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == rendered,
        "docs/checklists.md is stale: run UPDATE_DOCS=1 cargo test -p caravan-model --test integration templates"
    );
}

#[test]
fn template_list_snapshot() {
    let mut listing = String::new();
    for t in Catalog::builtin().latest_all() {
        let _ = writeln!(
            listing,
            "{:<28} v{} {:<20} items={:<2} required={:<2} signoff={}",
            t.id,
            t.version,
            t.stage.id(),
            t.items.len(),
            t.items.iter().filter(|i| i.required).count(),
            t.signoff.map_or("-", |r| r.id())
        );
    }
    insta::assert_snapshot!(listing);
}
