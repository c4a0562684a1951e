//! What commands print: aligned tables and short messages for people
//! (colour only on a terminal), or one JSON document with --json.

use std::io::{IsTerminal, Write};

use comfy_table::{Cell, ContentArrangement, Table, presets};
use owo_colors::OwoColorize;
use serde::Serialize;

use crate::i18n::{Args, Lang};

#[derive(Debug, Clone, Copy)]
pub struct Out {
    pub json: bool,
    pub lang: Lang,
    pub color: bool,
}

impl Out {
    pub fn new(json: bool, lang: Lang) -> Self {
        let tty = std::io::stdout().is_terminal();
        let color = tty && std::env::var_os("NO_COLOR").is_none();
        Self { json, lang, color }
    }

    /// Prints `value` as the command's one JSON document.
    pub fn json<T: Serialize + ?Sized>(&self, value: &T) -> anyhow::Result<()> {
        let mut s = serde_json::to_string_pretty(value)?;
        s.push('\n');
        write_stdout(&s)
    }

    /// `value` as JSON with --json; otherwise what `human` prints of it.
    pub fn show<T: Serialize>(
        &self,
        value: &T,
        human: impl FnOnce(&T) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        if self.json {
            self.json(value)
        } else {
            human(value)
        }
    }

    /// The catalogue's text of `key` in the chosen language.
    pub fn t(&self, key: &str, args: Args) -> String {
        self.lang.t(key, args)
    }

    /// The catalogue's plural form of `key` for `n`.
    pub fn tn(&self, key: &str, n: u64, args: Args) -> String {
        self.lang.tn(key, n, args)
    }

    /// A confirmation: the catalogue's text of `key` (people only;
    /// nothing with --json).
    pub fn say(&self, key: &str, args: Args) -> anyhow::Result<()> {
        self.confirm(&self.t(key, args))
    }

    /// A confirmation with a count: the plural form of `key` for `n`.
    pub fn say_n(&self, key: &str, n: u64, args: Args) -> anyhow::Result<()> {
        self.confirm(&self.tn(key, n, args))
    }

    /// A vocabulary value (a stage, a role…) as people read it: in English
    /// its identifier, as commands take it; in another language the
    /// catalogue's label `<prefix>.<value>`, or the identifier without one.
    pub fn vocab(&self, prefix: &str, value: &impl std::fmt::Display) -> String {
        let value = value.to_string();
        if self.lang == Lang::En {
            return value;
        }
        self.lang
            .find(&format!("{prefix}.{value}"))
            .map_or(value, str::to_string)
    }

    /// An error's message as a list shows it: in English its own (with its
    /// details), in another language the catalogue's for its code, or the
    /// English one where no catalogue has the code.
    pub fn error_text(&self, code: &str, english: &str) -> String {
        match self.lang {
            Lang::En => english.to_string(),
            lang => lang.error(code).unwrap_or(english).to_string(),
        }
    }

    /// A plain line: the catalogue's text of `key` (people only).
    pub fn note(&self, key: &str, args: Args) -> anyhow::Result<()> {
        self.line(&self.t(key, args))
    }

    fn confirm(&self, text: &str) -> anyhow::Result<()> {
        if self.json {
            return Ok(());
        }
        if self.color {
            write_stdout(&format!("{}\n", text.green()))
        } else {
            write_stdout(&format!("{text}\n"))
        }
    }

    /// A line of data (people only).
    pub fn line(&self, text: &str) -> anyhow::Result<()> {
        if self.json {
            return Ok(());
        }
        write_stdout(&format!("{text}\n"))
    }

    /// A bold heading (people only).
    pub fn heading(&self, text: &str) -> anyhow::Result<()> {
        if self.json {
            return Ok(());
        }
        if self.color {
            write_stdout(&format!("{}\n", text.bold()))
        } else {
            write_stdout(&format!("{text}\n"))
        }
    }

    /// `label: value` lines, aligned; each label is the catalogue's text
    /// of its key.
    pub fn fields(&self, rows: &[(&str, String)]) -> anyhow::Result<()> {
        if self.json {
            return Ok(());
        }
        let rows: Vec<(String, &String)> = rows.iter().map(|(k, v)| (self.t(k, &[]), v)).collect();
        let width = rows
            .iter()
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(0);
        let mut s = String::new();
        for (k, v) in rows {
            let pad = width - k.chars().count();
            s.push_str(&format!("{k}:{} {v}\n", " ".repeat(pad)));
        }
        write_stdout(&s)
    }

    /// A heading (the catalogue's text of the key `heading`) over a table
    /// of `items`, one row each, or "-" when there are none.
    pub fn listing<T>(
        &self,
        heading: &str,
        headers: &[&str],
        items: &[T],
        row: impl Fn(&T) -> Vec<String>,
    ) -> anyhow::Result<()> {
        self.heading(&self.t(heading, &[]))?;
        self.table(headers, items.iter().map(row).collect(), None)
    }

    /// An aligned table under the catalogue's texts of the keys `headers`
    /// (in capitals; "" for a column without one); an empty table prints
    /// the catalogue's text of the key `empty`, or "-" without one.
    pub fn table(
        &self,
        headers: &[&str],
        rows: Vec<Vec<String>>,
        empty: Option<&str>,
    ) -> anyhow::Result<()> {
        if self.json {
            return Ok(());
        }
        if rows.is_empty() {
            return match empty {
                Some(key) => self.note(key, &[]),
                None => self.line("-"),
            };
        }
        let mut t = Table::new();
        t.load_style(presets::NOTHING)
            .set_content_arrangement(ContentArrangement::Disabled);
        t.set_header(headers.iter().map(|h| {
            let label = if h.is_empty() {
                String::new()
            } else {
                self.t(h, &[])
            };
            let c = Cell::new(label.to_uppercase());
            if self.color {
                c.add_attribute(comfy_table::Attribute::Bold)
            } else {
                c
            }
        }));
        for r in rows {
            t.add_row(r);
        }
        if !self.color {
            t.force_no_tty();
        }
        let text: String = t.lines().map(|l| format!("{}\n", l.trim_end())).collect();
        write_stdout(&text)
    }
}

fn write_stdout(s: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        // A closed pipe (`caravan case list | head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}

/// A short form of a long id, as lists show it.
pub fn short(id: &str) -> String {
    id.chars().take(8).collect()
}

/// Milliseconds since the epoch as `YYYY-MM-DD HH:MM` (UTC).
pub fn time(ms: i64) -> String {
    let date = caravan_core::clock::date_of(ms);
    let secs = ms.div_euclid(1000).rem_euclid(86_400);
    format!("{date} {:02}:{:02}", secs / 3600, (secs / 60) % 60)
}

pub fn opt(v: &Option<String>) -> String {
    or_dash(v.as_deref())
}

pub fn or_dash(v: Option<&str>) -> String {
    v.map_or_else(|| "-".into(), str::to_string)
}

pub fn opt_date(v: Option<caravan_core::model::Date>) -> String {
    v.map_or_else(|| "-".into(), |d| d.to_string())
}
