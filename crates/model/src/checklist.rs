//! Checklist templates (data files under `templates/`, compiled in) and the
//! pure functions over a case's checklist instances.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::case::ChecklistInstance;
use crate::vocab::{Exploitation, ItemKind, ItemStatus, Role, Stage};

/// Languages a template text may be written in. `en` and `ru` are required.
pub const TEXT_LANGUAGES: &[&str] = &["en", "ru", "uz", "uz-Cyrl", "kk", "ky", "tg", "tk"];

pub use crate::texts::Texts;
use crate::texts::{Shown, shown};

/// A checklist template: one list of the manual's actions or indicators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub id: String,
    pub version: u64,
    pub stage: Stage,
    /// Role whose sign-off closes this template's part of the stage gate.
    #[serde(default)]
    pub signoff: Option<Role>,
    /// For per-type identification lists: the HTCDS exploitation type.
    #[serde(default, with = "htcds_exploitation")]
    pub exploitation: Option<Exploitation>,
    /// Whom one instance is for: absent, the case has one instance; `victim`,
    /// each victim has their own (see [`checklist_key`]). The same in every
    /// version of a template, since it decides where instances are kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per: Option<Per>,
    pub sources: Vec<String>,
    pub title: Texts,
    pub items: Vec<TemplateItem>,
}

/// Whom a per-person template's instances are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Per {
    /// One instance per victim of the case, started for that victim.
    Victim,
}

/// Separates a per-person checklist's template id from its person's id in
/// its key. Never part of a template id (kebab-case), so the first one
/// splits a key exactly.
pub const PERSON_SEPARATOR: char = '~';

/// The key a checklist instance is kept under in `checklists/`: the
/// template id for the case's own instance, `<template-id>~<person-id>`
/// for a person's. Two devices that start the same template for the same
/// person at once write the same key (and the case reads the two
/// instances as one, see [`crate::CaseDoc::case`]); for different people,
/// different keys.
pub fn checklist_key(template_id: &str, person_id: Option<&str>) -> String {
    match person_id {
        Some(p) => format!("{template_id}{PERSON_SEPARATOR}{p}"),
        None => template_id.to_string(),
    }
}

/// The template id and, for a per-person checklist, the person's id a
/// checklist key names (see [`checklist_key`]).
pub fn parse_checklist_key(key: &str) -> (&str, Option<&str>) {
    match key.split_once(PERSON_SEPARATOR) {
        Some((template, person)) => (template, Some(person)),
        None => (key, None),
    }
}

/// Whether `key` is the form of a checklist key: a template id in
/// kebab-case, optionally followed by the separator and a person's id.
pub(crate) fn is_checklist_key(key: &str) -> bool {
    match parse_checklist_key(key) {
        (template, None) => is_kebab(template),
        (template, Some(person)) => is_kebab(template) && !person.is_empty(),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateItem {
    pub id: String,
    pub kind: ItemKind,
    /// Must be done, or marked not applicable with a reason, before the gate closes.
    pub required: bool,
    #[serde(default)]
    pub signoff: Option<Role>,
    /// Role whose sign-off a "not applicable" needs before it counts for the
    /// stage gate (safety items). Done needs no sign-off.
    #[serde(default)]
    pub na_signoff: Option<Role>,
    /// Where the item comes from, e.g. "UNODC manual M8" or "ILO-11 #7".
    pub source: String,
    pub text: Texts,
}

/// Templates name exploitation types by their HTCDS value (`SexualExploitation`).
mod htcds_exploitation {
    use super::Exploitation;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(v: &Option<Exploitation>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(e) => s.serialize_some(e.doc_name()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Exploitation>, D::Error> {
        let name = Option::<String>::deserialize(d)?;
        name.map(|n| {
            Exploitation::from_doc_name(&n)
                .ok_or_else(|| D::Error::custom(format!("unknown HTCDS exploitation type '{n}'")))
        })
        .transpose()
    }
}

impl Template {
    /// Title in `lang`, falling back to English.
    /// The title a reader of `lang` is shown (see [`crate::texts`]).
    pub fn title_in(&self, lang: &str) -> &str {
        self.title_shown(lang).text
    }

    /// [`Self::title_in`], with the language it is written in.
    pub fn title_shown(&self, lang: &str) -> Shown<'_> {
        shown(&self.title, lang)
    }

    pub fn item(&self, id: &str) -> Option<&TemplateItem> {
        self.items.iter().find(|i| i.id == id)
    }

    /// Whether each person has an instance of their own.
    pub fn is_per_person(&self) -> bool {
        self.per.is_some()
    }

    /// Whether every case needs it (rather than a case whose victims'
    /// exploitation types or ages suggest it).
    pub fn is_default(&self) -> bool {
        self.exploitation.is_none() && !CHILD_TEMPLATES.contains(&self.id.as_str())
    }
}

impl TemplateItem {
    /// The text a reader of `lang` is shown (see [`crate::texts`]).
    pub fn text_in(&self, lang: &str) -> &str {
        self.text_shown(lang).text
    }

    /// [`Self::text_in`], with the language it is written in.
    pub fn text_shown(&self, lang: &str) -> Shown<'_> {
        shown(&self.text, lang)
    }
}

/// Why a template was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("template file {file}: {message}")]
    Parse { file: String, message: String },
    #[error("template {template}: {message}")]
    Invalid { template: String, message: String },
}

caravan_errors::coded! {
    TemplateError {
        Self::Parse { .. } => ("template.parse", Rejected),
        Self::Invalid { .. } => ("template.invalid", Rejected),
    }
}

pub(crate) fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Checks one template's internal rules.
pub fn validate(t: &Template) -> Result<(), TemplateError> {
    let bad = |message: String| {
        Err(TemplateError::Invalid {
            template: t.id.clone(),
            message,
        })
    };
    if !is_kebab(&t.id) {
        return bad("id must be lowercase kebab-case".into());
    }
    if t.version == 0 {
        return bad("version must be 1 or more".into());
    }
    if t.sources.is_empty() || t.sources.iter().any(|s| s.trim().is_empty()) {
        return bad("sources must name at least one document".into());
    }
    if let Some(m) = check_texts(&t.title) {
        return bad(format!("title: {m}"));
    }
    if let Some(r) = t
        .signoff
        .filter(|r| !matches!(r, Role::Prosecutor | Role::Supervisor))
    {
        return bad(format!(
            "sign-off role must be prosecutor or supervisor, not {r}"
        ));
    }
    if t.items.is_empty() {
        return bad("a template needs at least one item".into());
    }
    let mut seen = BTreeSet::new();
    for item in &t.items {
        let at = &item.id;
        if !is_kebab(at) {
            return bad(format!("item '{at}': id must be lowercase kebab-case"));
        }
        if !seen.insert(at.as_str()) {
            return bad(format!("item '{at}' appears twice"));
        }
        if item.source.trim().is_empty() {
            return bad(format!("item '{at}': source is missing"));
        }
        if let Some(m) = check_texts(&item.text) {
            return bad(format!("item '{at}': {m}"));
        }
        if item.kind == ItemKind::Indicator && item.required {
            return bad(format!(
                "item '{at}': indicators trigger inquiry, they cannot be required"
            ));
        }
        if let Some(r) = item
            .signoff
            .filter(|r| !matches!(r, Role::Prosecutor | Role::Supervisor))
        {
            return bad(format!(
                "item '{at}': sign-off role must be prosecutor or supervisor, not {r}"
            ));
        }
        if let Some(r) = item.na_signoff {
            if r != Role::Supervisor {
                return bad(format!(
                    "item '{at}': a not-applicable sign-off is a supervisor's, not a {r}'s"
                ));
            }
            if item.signoff.is_some() {
                return bad(format!(
                    "item '{at}': an item signed off whatever its state needs no separate not-applicable sign-off"
                ));
            }
            if !item.required {
                return bad(format!(
                    "item '{at}': only a required item can need a sign-off to be not applicable"
                ));
            }
        }
    }
    Ok(())
}

fn check_texts(texts: &Texts) -> Option<String> {
    for required in ["en", "ru"] {
        if texts.get(required).is_none_or(|s| s.trim().is_empty()) {
            return Some(format!("text in '{required}' is missing"));
        }
    }
    texts
        .keys()
        .find(|k| !TEXT_LANGUAGES.contains(&k.as_str()))
        .map(|k| format!("unknown language '{k}'"))
}

/// A set of templates, possibly several versions of each.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Catalog {
    templates: BTreeMap<(String, u64), Template>,
}

/// Templates that apply only when a child victim is recorded: like the
/// per-type identification lists, they are suggested, not started with
/// every case.
pub const CHILD_TEMPLATES: &[&str] = &["identification-children", "child-procedures"];

/// The template files shipped with Caravan, compiled in. A template with one
/// version lives in `<id>.toml`; one with several keeps every version, each
/// in `<id>@<version>.toml`, since cases keep the version they started with.
const BUILTIN: &[(&str, &str)] = &[
    ("intake.toml", include_str!("../templates/intake.toml")),
    (
        "initial-actions@1.toml",
        include_str!("../templates/initial-actions@1.toml"),
    ),
    (
        "initial-actions@2.toml",
        include_str!("../templates/initial-actions@2.toml"),
    ),
    (
        "identification-general@1.toml",
        include_str!("../templates/identification-general@1.toml"),
    ),
    (
        "identification-general@2.toml",
        include_str!("../templates/identification-general@2.toml"),
    ),
    (
        "identification-ilo11.toml",
        include_str!("../templates/identification-ilo11.toml"),
    ),
    (
        "identification-children@1.toml",
        include_str!("../templates/identification-children@1.toml"),
    ),
    (
        "identification-children@2.toml",
        include_str!("../templates/identification-children@2.toml"),
    ),
    (
        "identification-sexual.toml",
        include_str!("../templates/identification-sexual.toml"),
    ),
    (
        "identification-labour.toml",
        include_str!("../templates/identification-labour.toml"),
    ),
    (
        "identification-domestic.toml",
        include_str!("../templates/identification-domestic.toml"),
    ),
    (
        "identification-begging.toml",
        include_str!("../templates/identification-begging.toml"),
    ),
    (
        "risk-assessment.toml",
        include_str!("../templates/risk-assessment.toml"),
    ),
    (
        "investigation-planning.toml",
        include_str!("../templates/investigation-planning.toml"),
    ),
    (
        "victim-interview@1.toml",
        include_str!("../templates/victim-interview@1.toml"),
    ),
    (
        "victim-interview@2.toml",
        include_str!("../templates/victim-interview@2.toml"),
    ),
    (
        "victim-centred-measures.toml",
        include_str!("../templates/victim-centred-measures.toml"),
    ),
    (
        "crime-scene-evidence@1.toml",
        include_str!("../templates/crime-scene-evidence@1.toml"),
    ),
    (
        "crime-scene-evidence@2.toml",
        include_str!("../templates/crime-scene-evidence@2.toml"),
    ),
    (
        "digital-evidence.toml",
        include_str!("../templates/digital-evidence.toml"),
    ),
    (
        "financial-investigation@1.toml",
        include_str!("../templates/financial-investigation@1.toml"),
    ),
    (
        "financial-investigation@2.toml",
        include_str!("../templates/financial-investigation@2.toml"),
    ),
    (
        "international-cooperation@1.toml",
        include_str!("../templates/international-cooperation@1.toml"),
    ),
    (
        "international-cooperation@2.toml",
        include_str!("../templates/international-cooperation@2.toml"),
    ),
    (
        "victim-protection@1.toml",
        include_str!("../templates/victim-protection@1.toml"),
    ),
    (
        "victim-protection@2.toml",
        include_str!("../templates/victim-protection@2.toml"),
    ),
    (
        "child-procedures.toml",
        include_str!("../templates/child-procedures.toml"),
    ),
    (
        "prosecution-review@1.toml",
        include_str!("../templates/prosecution-review@1.toml"),
    ),
    (
        "prosecution-review@2.toml",
        include_str!("../templates/prosecution-review@2.toml"),
    ),
    (
        "trial-protection.toml",
        include_str!("../templates/trial-protection.toml"),
    ),
    (
        "compensation.toml",
        include_str!("../templates/compensation.toml"),
    ),
    ("closure.toml", include_str!("../templates/closure.toml")),
];

impl Catalog {
    /// Parses and validates template files given as (file name, TOML text).
    pub fn from_sources<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Catalog, TemplateError> {
        let mut catalog = Catalog::default();
        for (file, text) in files {
            let t: Template = toml::from_str(text).map_err(|e| TemplateError::Parse {
                file: file.to_string(),
                message: e.message().to_string(),
            })?;
            let stem = file.trim_end_matches(".toml");
            let stem = stem.split_once('@').map_or(stem, |(id, _)| id);
            if stem != t.id {
                return Err(TemplateError::Invalid {
                    template: t.id,
                    message: format!("file name '{file}' does not match the id"),
                });
            }
            catalog.insert(t)?;
        }
        Ok(catalog)
    }

    /// Adds a template after validating it.
    pub fn insert(&mut self, t: Template) -> Result<(), TemplateError> {
        validate(&t)?;
        let key = (t.id.clone(), t.version);
        let differs = self
            .versions(&t.id)
            .find(|o| o.per != t.per)
            .map(|o| o.version);
        if let Some(other) = differs {
            return Err(TemplateError::Invalid {
                template: t.id,
                message: format!(
                    "version {} says whom an instance is for differently from version {other}",
                    key.1
                ),
            });
        }
        if self.templates.contains_key(&key) {
            return Err(TemplateError::Invalid {
                template: t.id,
                message: format!("version {} is defined twice", key.1),
            });
        }
        self.templates.insert(key, t);
        Ok(())
    }

    /// The templates shipped with Caravan. They are validated by the test
    /// suite, so a failure here is a build defect, not bad input.
    pub fn builtin() -> &'static Catalog {
        static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
            Catalog::from_sources(BUILTIN.iter().copied())
                .unwrap_or_else(|e| panic!("built-in checklist templates are invalid: {e}"))
        });
        &CATALOG
    }

    pub fn get(&self, id: &str, version: u64) -> Option<&Template> {
        self.templates.get(&(id.to_string(), version))
    }

    /// Every version of a template, oldest first.
    fn versions<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a Template> {
        self.templates
            .range((id.to_string(), 0)..=(id.to_string(), u64::MAX))
            .map(|(_, t)| t)
    }

    /// The newest version of a template.
    pub fn latest(&self, id: &str) -> Option<&Template> {
        self.templates
            .range((id.to_string(), 0)..=(id.to_string(), u64::MAX))
            .next_back()
            .map(|(_, t)| t)
    }

    /// The newest version of every template, in stage order.
    pub fn latest_all(&self) -> Vec<&Template> {
        let mut out: Vec<&Template> = Vec::new();
        for t in self.templates.values() {
            match out.last_mut() {
                Some(last) if last.id == t.id => *last = t,
                _ => out.push(t),
            }
        }
        out.sort_by(|a, b| (a.stage, &a.id).cmp(&(b.stage, &b.id)));
        out
    }

    /// Templates every new case starts with: all but the per-type lists,
    /// the lists for child victims and the per-person lists (started for
    /// each victim, see [`Catalog::per_victim_defaults`]).
    pub fn defaults_for_new_case(&self) -> Vec<&Template> {
        self.latest_all()
            .into_iter()
            .filter(|t| t.is_default() && !t.is_per_person())
            .collect()
    }

    /// Per-victim templates of `stage` every victim needs an instance of
    /// before the stage's gate closes: those every case needs. A per-type
    /// or child list started for a victim counts once started.
    pub fn per_victim_defaults(&self, stage: Stage) -> Vec<&Template> {
        self.latest_all()
            .into_iter()
            .filter(|t| t.stage == stage && t.per == Some(Per::Victim) && t.is_default())
            .collect()
    }

    /// Per-type identification lists, and the lists for child victims,
    /// suggested by what is known of the victims.
    pub fn suggested_for(&self, types: &[Exploitation], child_involved: bool) -> Vec<&Template> {
        self.latest_all()
            .into_iter()
            .filter(|t| {
                t.exploitation.is_some_and(|e| types.contains(&e))
                    || (child_involved && CHILD_TEMPLATES.contains(&t.id.as_str()))
            })
            .collect()
    }
}

/// The status of an item in a case's instance (untouched items are open).
pub fn item_status(instance: &ChecklistInstance, item_id: &str) -> ItemStatus {
    instance
        .items
        .get(item_id)
        .map_or(ItemStatus::Open, |s| s.status)
}

/// What adopting a newer template version does to a case's instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Adoption {
    pub template_id: String,
    pub from: u64,
    pub to: u64,
    /// Touched items that exist in the new version: kept as they are.
    pub kept: Vec<String>,
    /// Touched items the new version dropped: kept in the case, shown as retired.
    pub retired: Vec<String>,
    /// Items new in this version: open.
    pub added: Vec<String>,
}

/// Plans adopting `newer` for an instance that follows `current`.
pub fn plan_adoption(
    instance: &ChecklistInstance,
    current: &Template,
    newer: &Template,
) -> Adoption {
    let (kept, retired) = instance
        .items
        .keys()
        .cloned()
        .partition(|id| newer.item(id).is_some());
    Adoption {
        template_id: newer.id.clone(),
        from: instance.version,
        to: newer.version,
        kept,
        retired,
        added: newer
            .items
            .iter()
            .filter(|i| current.item(&i.id).is_none())
            .map(|i| i.id.clone())
            .collect(),
    }
}
