//! From a dossier's content to PDF bytes: labels resolved in the
//! dossier's language, values written out, all of it handed to the
//! template as JSON data (the case's text is never markup), typeset and
//! written as PDF/A-2b with a fixed identifier and the case's last change
//! as its date, so the same content always gives the same bytes.

use serde_json::{Value as Json, json};
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::content::{DossierContent, Entry, Field, Value};
use crate::error::DossierError;
use crate::labels::{self, Labels};
use crate::world::{DossierWorld, covered};

/// A typeset dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// What the typesetter warned of (none for a dossier whose letters the
    /// fonts all have: a letter they lack is shown as U+FFFD and named
    /// here).
    pub warnings: Vec<String>,
}

/// Typesets a dossier. `last_change` (ms since the epoch), the case's
/// last change, is the document's date (PDF/A requires one; the clock
/// would make two copies of one state differ).
pub fn render(content: &DossierContent, last_change: i64) -> Result<Rendered, DossierError> {
    let lang = labels::language(&content.lang)?;
    let l = Labels::new(lang);
    let mut missing = Vec::new();
    let data = data(content, lang, &l, &mut missing);
    let world = DossierWorld::new(data.to_string());
    let compiled = typst::compile::<PagedDocument>(&world);
    let mut warnings: Vec<String> = compiled
        .warnings
        .iter()
        .map(|w| w.message.to_string())
        .collect();
    missing.sort_unstable();
    missing.dedup();
    for c in missing {
        warnings.push(format!("no glyph for U+{:04X}", c as u32));
    }
    let document = compiled.output.map_err(|errors| {
        DossierError::Typeset(
            errors
                .iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    let standards = PdfStandards::new(&[PdfStandard::A_2b])
        .map_err(|e| DossierError::Typeset(e.message().to_string()))?;
    let options = PdfOptions {
        ident: Smart::Custom(format!("caravan-dossier-{}", content.binding.digest)),
        creator: Smart::Custom(Some("Caravan".into())),
        timestamp: datetime(last_change).map(Timestamp::new_utc),
        standards,
        ..PdfOptions::default()
    };
    let pdf = typst_pdf::pdf(&document, &options).map_err(|errors| {
        DossierError::Typeset(
            errors
                .iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    Ok(Rendered {
        pdf,
        pages: document.pages().len(),
        warnings,
    })
}

fn datetime(ms: i64) -> Option<Datetime> {
    let (y, mo, d, h, mi, s) = civil(ms);
    Datetime::from_ymd_hms(y, mo, d, h, mi, s)
}

/// Year, month, day, hour, minute, second (UTC) of a moment.
fn civil(ms: i64) -> (i32, u8, u8, u8, u8, u8) {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        i32::try_from(year).unwrap_or(0),
        month as u8,
        day as u8,
        (rem / 3600) as u8,
        ((rem % 3600) / 60) as u8,
        (rem % 60) as u8,
    )
}

/// A moment as the dossier prints it: `2026-03-14 10:30 UTC`.
pub fn moment(ms: i64) -> String {
    let (y, mo, d, h, mi, _) = civil(ms);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02} UTC")
}

/// Text as the fonts can show it: a letter they lack becomes U+FFFD
/// (and is reported), a control character other than a line break or a
/// tab too.
fn shown(text: &str, missing: &mut Vec<char>) -> String {
    text.chars()
        .map(|c| {
            if c == '\n' || c == '\t' || c == ' ' {
                c
            } else if c.is_control() || !covered(c) {
                missing.push(c);
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

struct Cx<'a> {
    l: &'a Labels,
    missing: &'a mut Vec<char>,
}

impl Cx<'_> {
    fn label(&mut self, key: &str) -> String {
        let text = self.l.get(key);
        shown(&text, self.missing)
    }

    /// A value as an object the template shows: its text, and whether it
    /// is a digest (set smaller, so a whole one fits on a line).
    fn value(&mut self, v: &Value) -> Json {
        let hash = matches!(v, Value::Hash(_));
        json!({ "s": self.text_of(v), "hash": hash })
    }

    fn text_of(&mut self, v: &Value) -> String {
        match v {
            Value::Text(t) => shown(t, self.missing),
            Value::Key(k) => self.label(k),
            Value::Time(ms) => moment(*ms),
            Value::Day(d) => shown(d, self.missing),
            Value::Hash(h) => shown(h, self.missing),
            Value::List(items) => items
                .iter()
                .map(|i| self.text_of(i))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
            Value::Empty => "—".into(),
        }
    }

    fn fields(&mut self, fields: &[Field]) -> Json {
        Json::Array(
            fields
                .iter()
                .map(|f| json!({ "label": self.label(&f.label), "value": self.value(&f.value) }))
                .collect(),
        )
    }

    fn entry(&mut self, e: &Entry) -> Json {
        let heading = e
            .heading
            .iter()
            .map(|v| self.text_of(v))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
        let table = e.table.as_ref().map(|t| {
            json!({
                "columns": t.columns.iter().map(|c| self.label(c)).collect::<Vec<_>>(),
                "rows": t.rows.iter().map(|r| r.iter().map(|v| self.value(v)).collect::<Vec<_>>()).collect::<Vec<_>>(),
            })
        });
        json!({ "heading": heading, "fields": self.fields(&e.fields), "table": table })
    }
}

/// The data the template reads.
fn data(content: &DossierContent, lang: &str, l: &Labels, missing: &mut Vec<char>) -> Json {
    let mut cx = Cx { l, missing };
    let b = &content.binding;
    let sections: Vec<Json> = content
        .sections
        .iter()
        .map(|s| {
            json!({
                "title": cx.label(&s.title),
                "empty": cx.label(&s.empty),
                "entries": s.entries.iter().map(|e| cx.entry(e)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let number = shown(&content.cover.case_number, cx.missing);
    let running = l.fill("dossier.running_head", &[("number", &number)]);
    json!({
        // Typst's text language: the ISO 639 code alone.
        "lang": lang.split('-').next().unwrap_or("en"),
        "keywords": [b.keyword()],
        "doc_title": shown(&l.fill("dossier.pdf_title", &[("number", &number)]), cx.missing),
        "labels": {
            "title": cx.label("dossier.title"),
            "page": cx.label("dossier.page"),
            "of": cx.label("dossier.page_of"),
            "running": shown(&running, cx.missing),
            "identity_notice": cx.label(if content.revealed { "dossier.revealed_notice" } else { "dossier.pseudonyms_notice" }),
            "binding_title": cx.label("dossier.binding"),
            "binding_intro": cx.label("dossier.binding_intro"),
            "case_id": cx.label("dossier.case_id"),
            "heads": cx.label("dossier.heads"),
            "digest": cx.label("dossier.digest"),
            "options": cx.label("dossier.options"),
            "lang": cx.label("dossier.language"),
            "revealed": cx.label("dossier.identities"),
        },
        "revealed": content.revealed,
        "cover": {
            "number": number,
            "title": shown(&content.cover.title, cx.missing),
            "fields": cx.fields(&content.cover.fields),
        },
        "sections": sections,
        "binding": {
            "case_id": b.case_id,
            "heads": b.heads,
            "digest": b.digest,
            "lang": b.lang,
            "revealed": cx.label(if b.revealed { "dossier.identities_shown" } else { "dossier.identities_hidden" }),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_are_printed_in_utc() {
        assert_eq!(moment(0), "1970-01-01 00:00 UTC");
        assert_eq!(moment(1_773_484_200_000), "2026-03-14 10:30 UTC");
        assert_eq!(moment(951_782_400_000), "2000-02-29 00:00 UTC");
    }
}
