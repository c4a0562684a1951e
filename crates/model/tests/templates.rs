//! The shipped checklist templates: they load, validate, round-trip, and the
//! rendered list in docs/checklists.md is current.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::common::*;
use caravan_model::checklist::{
    Catalog, Template, TemplateError, item_status, plan_adoption, validate,
};
use caravan_model::*;

fn templates_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/templates"))
}

/// Every file under templates/, as (file name, text).
fn template_files() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(templates_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            let name = p.file_name().unwrap().to_str().unwrap().to_string();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_template_file_is_shipped_and_valid() {
    let catalog = Catalog::builtin();
    let files = template_files();
    let mut versions: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for (name, text) in &files {
        let t: Template = toml::from_str(text).unwrap();
        versions.entry(t.id.clone()).or_default().push(t.version);
        assert_eq!(
            catalog.get(&t.id, t.version),
            Some(&t),
            "{name} must be listed in checklist.rs BUILTIN"
        );
    }
    // One version: `<id>.toml`; several: each in `<id>@<version>.toml`.
    let mut expected: Vec<String> = Vec::new();
    for (id, vs) in &versions {
        match vs.as_slice() {
            [_] => expected.push(format!("{id}.toml")),
            _ => expected.extend(vs.iter().map(|v| format!("{id}@{v}.toml"))),
        }
    }
    expected.sort();
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, expected);
    assert_eq!(catalog.latest_all().len(), 23);
    assert_eq!(files.len(), 32);
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
        Stage::Intake,
        Stage::InitialResponse,
        Stage::Identification,
        Stage::Referral,
        Stage::Planning,
        Stage::Interviews,
        Stage::Evidence,
        Stage::Financial,
        Stage::International,
        Stage::ProsecutionReview,
        Stage::TrialProtection,
        Stage::Assistance,
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
    assert!(!defaults.contains(&"identification-children"));
    assert!(!defaults.contains(&"child-procedures"));
    // Kept for each victim: started for one, never with the case.
    assert!(!defaults.contains(&"identification-general"));
    assert!(
        catalog
            .per_victim_defaults(Stage::Identification)
            .iter()
            .any(|t| t.id == "identification-general")
    );
    assert!(defaults.contains(&"intake"));
    let for_child: Vec<&str> = catalog
        .suggested_for(&[], true)
        .iter()
        .map(|t| t.id.as_str())
        .collect();
    assert_eq!(for_child, ["identification-children", "child-procedures"]);
    assert!(catalog.suggested_for(&[], false).is_empty());
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
        (
            item("").replace(
                "required = true\n",
                "required = true\nna_signoff = \"prosecutor\"\n",
            ),
            "template.invalid: template x: item 'a': a not-applicable sign-off is a supervisor's, not a prosecutor's",
        ),
        (
            item("").replace(
                "required = true\n",
                "required = true\nsignoff = \"prosecutor\"\nna_signoff = \"supervisor\"\n",
            ),
            "template.invalid: template x: item 'a': an item signed off whatever its state needs no separate not-applicable sign-off",
        ),
        (
            item("").replace(
                "required = true\n",
                "required = false\nna_signoff = \"supervisor\"\n",
            ),
            "template.invalid: template x: item 'a': only a required item can need a sign-off to be not applicable",
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
         - **sign-off**: the role whose sign-off the item (or the whole stage gate) needs. *supervisor, if not\n  \
           applicable*: a safety item that may be marked not applicable, but that counts for the gate only once\n  \
           a supervisor has signed it off (an admin's sign-off does not count); done, it needs no sign-off.\n\
         - A case keeps the template version it started with; adopting a newer version keeps every ticked item.\n\
         - A checklist of a template version this copy of Caravan does not know (made with a newer one) holds\n  \
           its stage gate, and every gate if the template is unknown altogether, until Caravan is updated.\n\
         - A template with several versions keeps each in `<id>@<version>.toml`; this page shows the newest.\n\
         - **per victim**: the manual's steps done for each victim (identifying them, initial actions,\n  \
           risk assessment, protection and assistance, interviewing, measures at trial, compensation) are kept\n  \
           for each victim: each victim has their own checklist of such a template, started for them, and a\n  \
           stage's gate closes only when every victim (but those decided not to be one) has their own checklist\n  \
           of each per-victim template the stage needs and its required items are done or, signed off where\n  \
           asked, not applicable. The steps about the case as a whole (intake, planning, evidence, financial\n  \
           investigation, cooperation, prosecution review, closure) are kept once for the case. Cases made\n  \
           before keep their one checklist of such a template for the whole case; it is shown and counted as before.\n\
         - New cases start with every template kept for the case except the per-type identification lists and the\n  \
           lists for child victims, which are suggested once a victim's exploitation type (or a child victim) is\n  \
           recorded; each victim recorded needs their per-victim checklists started (the per-type and child lists\n  \
           where they apply to that victim).\n\n",
    );
    let templates = catalog.latest_all();
    out.push_str("| template | version | stage | per | items | required | gate sign-off |\n|---|---|---|---|---|---|---|\n");
    for t in &templates {
        let required = t.items.iter().filter(|i| i.required).count();
        let _ = writeln!(
            out,
            "| [{}](#{}) | {} | {} | {} | {} | {} | {} |",
            t.title_in("en"),
            t.id,
            t.version,
            t.stage,
            if t.is_per_person() { "victim" } else { "case" },
            t.items.len(),
            required,
            t.signoff.map_or("—".to_string(), |r| r.to_string())
        );
    }
    for t in &templates {
        let _ = write!(
            out,
            "\n## {} <a id=\"{}\"></a>\n\n`{}` v{} · stage `{}`{}{}{} · {}\n\nRussian title: {}\n\n",
            t.title_in("en"),
            t.id,
            t.id,
            t.version,
            t.stage,
            if t.is_per_person() {
                " · per victim"
            } else {
                ""
            },
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
                match (i.signoff, i.na_signoff) {
                    (Some(r), _) => r.to_string(),
                    (None, Some(r)) => format!("{r}, if not applicable"),
                    (None, None) => String::new(),
                },
                i.source
            );
        }
    }
    out.push_str(
        "\n## References\n\n\
         - UNODC, *Anti-human trafficking manual for criminal justice practitioners* (2009), modules M1–M14 (\"UNODC manual M8\").\n\
         - UNODC, *Toolkit to Combat Trafficking in Persons* (2008) (\"UNODC Toolkit (2008) 5.6\").\n\
         - UNODC, *Model Law against Trafficking in Persons* (2009) (\"UNODC Model Law (2009) art. 10\").\n\
         - Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children (2000) (\"Palermo Protocol art. 6\").\n\
         - United Nations Convention against Transnational Organized Crime (2000) (\"UNTOC art. 18\").\n\
         - CIS conventions on legal assistance and legal relations in civil, family and criminal cases: Minsk (1993) and Chisinau (2002).\n\
         - Vienna Convention on Consular Relations (1963).\n\
         - ISO/IEC 17025, general requirements for the competence of testing and calibration laboratories.\n\
         - The code of criminal procedure of the case's jurisdiction (\"National criminal procedure code\").\n\
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

/// The full name of the Toolkit edition the templates cite.
const TOOLKIT: &str = "UNODC Toolkit to Combat Trafficking in Persons (2008)";

/// Facts about the shipped templates that reviews have corrected; each row
/// pins one of them on the newest version.
/// Items whose meaning changed in a template's second version: the old id,
/// and the new ids that take its place.
const REPLACED: [(&str, &str, &[&str]); 2] = [
    (
        "victim-interview",
        "consent-and-rights",
        &[
            "procedural-rights-explained",
            "consent-recording-and-sharing",
        ],
    ),
    (
        "initial-actions",
        "non-punishment",
        &["non-punishment-flagged", "parallel-proceedings-checked"],
    ),
];

#[test]
fn corrected_facts_stay_corrected() {
    let catalog = Catalog::builtin();
    let latest = |id: &str| catalog.latest(id).unwrap();
    // Crime-scene steps cite the crime-scene module (M7), interpreter steps
    // the interpreters module (M10).
    let sources = [
        ("initial-actions", "documents-secured", "UNODC manual M7"),
        ("initial-actions", "phones-secured", "UNODC manual M7"),
        ("initial-actions", "location-recorded", "UNODC manual M7"),
        ("initial-actions", "language-identified", "UNODC manual M10"),
        ("initial-actions", "interpreter-no-ties", "UNODC manual M10"),
        (
            "victim-interview",
            "interpreter-no-ties",
            "UNODC manual M10",
        ),
        (
            "initial-actions",
            "non-punishment-flagged",
            "UNODC Model Law (2009) art. 10",
        ),
    ];
    for (template, item, source) in sources {
        let got = &latest(template).item(item).unwrap().source;
        assert_eq!(got, source, "{template}/{item}");
    }
    for t in catalog.latest_all() {
        for i in t.items.iter().filter(|i| i.id.contains("interpreter")) {
            assert_eq!(i.source, "UNODC manual M10", "{}/{}", t.id, i.id);
        }
        for i in t.items.iter().filter(|i| i.source.contains("M5")) {
            assert!(
                !i.text_in("en").to_lowercase().contains("interpreter"),
                "{}/{} cites M5 for an interpreter step",
                t.id,
                i.id
            );
        }
    }

    // Items whose meaning changed have new ids; the old versions keep the old.
    for (template, old, successors) in REPLACED {
        let newest = latest(template);
        assert!(newest.item(old).is_none(), "{template}/{old} is retired");
        for s in successors {
            assert!(newest.item(s).is_some(), "{template}/{s} is missing");
        }
        assert!(catalog.get(template, 1).unwrap().item(old).is_some());
    }
    let means = latest("prosecution-review").item("means-proven").unwrap();
    assert!(
        means
            .text_in("en")
            .starts_with("Where the national article requires means")
    );
    assert!(means.text_in("ru").contains("ст. 128 и 135"));
    let non_punishment = latest("initial-actions")
        .item("non-punishment-flagged")
        .unwrap();
    assert!(
        non_punishment
            .text_in("en")
            .contains("not the officer's decision")
    );

    // The general indicators are a selection: 12 of the UNODC list.
    let general = latest("identification-general");
    assert!(general.title_in("en").contains("selected"));
    assert_eq!(
        general
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::Indicator)
            .count(),
        12
    );

    // Where a template cites the Toolkit, its sources name the edition, and
    // every item citing it gives the year.
    for t in catalog.latest_all() {
        let cites = |s: &str| s.contains("Toolkit") || s.starts_with("TK");
        if t.sources.iter().any(|s| cites(s)) || t.items.iter().any(|i| cites(&i.source)) {
            assert!(
                t.sources.iter().any(|s| s.starts_with(TOOLKIT)),
                "{} cites the Toolkit without its edition",
                t.id
            );
        }
        for i in t.items.iter().filter(|i| cites(&i.source)) {
            assert!(
                i.source.contains("UNODC Toolkit (2008)"),
                "{}/{}: {}",
                t.id,
                i.id,
                i.source
            );
        }
    }
}

/// A case that started on the first versions adopts the corrected ones: a
/// ticked item the new version dropped is kept, as retired, and its
/// successors are open.
#[test]
fn adopting_the_corrected_versions_retires_the_replaced_items() {
    let first: Vec<(String, String)> = template_files()
        .into_iter()
        .filter(|(name, _)| !name.contains('@') || name.contains("@1."))
        .collect();
    let older = Catalog::from_sources(first.iter().map(|(n, t)| (n.as_str(), t.as_str()))).unwrap();
    let inv = investigator();
    let mut doc = CaseDoc::create(
        actor(1),
        NewCase {
            nonce: [7; 16],
            reference: "KG-2025-0007".into(),
            title: "Bishkek sewing shop".into(),
            jurisdiction: "KG".into(),
        },
        &inv,
        &older,
    )
    .unwrap();
    let catalog = Catalog::builtin();
    // The lists kept per victim are started for one, on their first versions.
    doc.apply(
        insert("v1", Record::Victim(victim("V-1", "Name"))),
        &inv,
        catalog,
    )
    .unwrap();

    for (template, old, successors) in REPLACED {
        let key = if catalog.latest(template).unwrap().is_per_person() {
            let start = Edit::StartPersonChecklist {
                template_id: template.to_string(),
                version: 1,
                person_id: "v1".into(),
            };
            doc.apply(start, &inv, &older).unwrap();
            key_for(template, "v1")
        } else {
            template.to_string()
        };
        let key = key.as_str();
        assert_eq!(doc.case().unwrap().checklists[key].version, 1);
        doc.apply(tick(key, old), &inv, catalog).unwrap();
        let case = doc.case().unwrap();
        let plan = plan_adoption(
            &case.checklists[key],
            catalog.get(template, 1).unwrap(),
            catalog.latest(template).unwrap(),
        );
        assert_eq!(plan.retired, [old.to_string()], "{template}");
        assert_eq!(plan.added, successors, "{template}");
        doc.apply(
            Edit::AdoptTemplate {
                template_id: key.into(),
                version: 2,
            },
            &inv,
            catalog,
        )
        .unwrap();
        let case = doc.case().unwrap();
        let list = &case.checklists[key];
        assert_eq!(list.version, 2);
        assert_eq!(list.items[old].status, ItemStatus::Done, "kept as retired");
        for s in successors {
            assert_eq!(item_status(list, s), ItemStatus::Open);
        }
    }
}

/// The safety items of the newest templates may be not applicable only with
/// a supervisor's sign-off; no other item asks for one.
#[test]
fn safety_items_need_a_supervisor_to_be_not_applicable() {
    let catalog = Catalog::builtin();
    let mut flagged: Vec<(String, String, Role)> = Vec::new();
    for t in catalog.latest_all() {
        for i in &t.items {
            if let Some(r) = i.na_signoff {
                flagged.push((t.id.clone(), i.id.clone(), r));
            }
        }
    }
    flagged.sort();
    let expected: Vec<(String, String, Role)> = [
        ("child-procedures", "guardian-appointed"),
        ("initial-actions", "immediate-safety"),
        ("initial-actions", "medical-needs"),
        ("initial-actions", "non-punishment-flagged"),
        ("initial-actions", "presume-child"),
        ("intake", "urgent-safety-check"),
    ]
    .iter()
    .map(|(t, i)| (t.to_string(), i.to_string(), Role::Supervisor))
    .collect();
    assert_eq!(flagged, expected);
    let presume = catalog
        .latest("initial-actions")
        .unwrap()
        .item("presume-child")
        .unwrap();
    assert!(
        presume
            .text_in("en")
            .starts_with("Where the age check leaves doubt")
    );
    assert!(
        presume
            .text_in("ru")
            .starts_with("Если проверка возраста оставляет сомнения")
    );
}
