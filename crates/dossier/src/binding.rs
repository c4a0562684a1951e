//! What binds a dossier to the state of its case: the case's id, its
//! Automerge heads when the dossier was made, and the dossier's options,
//! with a SHA-256 digest over all of them. The binding is printed on the
//! last page and written into the PDF's metadata (a keyword of the
//! document info and of its XMP packet), from where [`read`] takes it back
//! without any tool outside this crate.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::DossierError;

/// The first word of the keyword that carries the binding.
pub const MARKER: &str = "caravan-dossier-binding/1";

/// What ties a dossier to the case's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Binding {
    /// The case's id.
    pub case_id: String,
    /// The case document's heads (change hashes, hex), sorted.
    pub heads: Vec<String>,
    /// The dossier's language.
    pub lang: String,
    /// Whether identities were revealed in it.
    pub revealed: bool,
    /// SHA-256 (hex) over the fields above, as [`Binding::digest_of`]
    /// writes them.
    pub digest: String,
}

impl Binding {
    /// The binding of a dossier of `case_id` at `heads` (any order) made
    /// with these options.
    pub fn new(case_id: &str, heads: &[String], lang: &str, revealed: bool) -> Binding {
        let mut heads: Vec<String> = heads.iter().map(|h| h.to_ascii_lowercase()).collect();
        heads.sort();
        heads.dedup();
        let digest = Binding::digest_of(case_id, &heads, lang, revealed);
        Binding {
            case_id: case_id.to_string(),
            heads,
            lang: lang.to_string(),
            revealed,
            digest,
        }
    }

    /// SHA-256 over one line each: a format tag, the case id, every head
    /// (sorted), the language and the reveal flag.
    pub fn digest_of(case_id: &str, sorted_heads: &[String], lang: &str, revealed: bool) -> String {
        let mut h = Sha256::new();
        h.update(b"caravan-dossier/1\n");
        h.update(format!("case {case_id}\n"));
        for head in sorted_heads {
            h.update(format!("head {head}\n"));
        }
        h.update(format!("lang {lang}\n"));
        h.update(format!("reveal {}\n", u8::from(revealed)));
        hex::encode(h.finalize())
    }

    /// Whether the digest matches the fields (a binding edited by hand
    /// does not).
    pub fn is_intact(&self) -> bool {
        let mut sorted = self.heads.clone();
        sorted.sort();
        sorted == self.heads
            && Binding::digest_of(&self.case_id, &self.heads, &self.lang, self.revealed)
                == self.digest
    }

    /// The keyword written into the PDF's metadata: words without commas,
    /// quotes or markup characters, so it reads back the same from the
    /// document info and the XMP packet.
    pub fn keyword(&self) -> String {
        format!(
            "{MARKER} case={} lang={} reveal={} heads={} digest={}",
            self.case_id,
            self.lang,
            u8::from(self.revealed),
            self.heads.join("+"),
            self.digest
        )
    }

    /// Parses a keyword [`Binding::keyword`] wrote.
    pub fn from_keyword(keyword: &str) -> Result<Binding, DossierError> {
        let mut words = keyword.split_whitespace();
        if words.next() != Some(MARKER) {
            return Err(DossierError::NoBinding);
        }
        let (mut case_id, mut lang, mut revealed, mut heads, mut digest) =
            (None, None, None, None, None);
        for word in words {
            let (key, value) = word.split_once('=').ok_or(DossierError::BadBinding)?;
            match key {
                "case" => case_id = Some(value.to_string()),
                "lang" => lang = Some(value.to_string()),
                "reveal" => {
                    revealed = Some(match value {
                        "0" => false,
                        "1" => true,
                        _ => return Err(DossierError::BadBinding),
                    })
                }
                "heads" => {
                    heads = Some(
                        value
                            .split('+')
                            .filter(|h| !h.is_empty())
                            .map(str::to_string)
                            .collect::<Vec<_>>(),
                    )
                }
                "digest" => digest = Some(value.to_string()),
                _ => return Err(DossierError::BadBinding),
            }
        }
        let binding = Binding {
            case_id: case_id
                .filter(|c| safe_word(c))
                .ok_or(DossierError::BadBinding)?,
            heads: heads
                .filter(|h| !h.is_empty() && h.iter().all(|h| is_hex(h, 64)))
                .ok_or(DossierError::BadBinding)?,
            lang: lang
                .filter(|l| safe_word(l))
                .ok_or(DossierError::BadBinding)?,
            revealed: revealed.ok_or(DossierError::BadBinding)?,
            digest: digest
                .filter(|d| is_hex(d, 64))
                .ok_or(DossierError::BadBinding)?,
        };
        if !binding.is_intact() {
            return Err(DossierError::BindingAltered);
        }
        Ok(binding)
    }
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A word of the keyword: letters, digits, `-` and `_`, at most 128.
fn safe_word(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 128
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The most a PDF is read for its binding: a dossier of a large case is a
/// few megabytes; anything past this is not one.
pub const MAX_PDF_BYTES: usize = 512 * 1024 * 1024;

/// Reads the binding from the XMP metadata of a PDF this crate wrote (its
/// `pdf:Keywords`). The whole PDF is given; only its metadata packet is
/// read.
pub fn read(pdf: &[u8]) -> Result<Binding, DossierError> {
    if !pdf.starts_with(b"%PDF-") {
        return Err(DossierError::NotPdf);
    }
    if pdf.len() > MAX_PDF_BYTES {
        return Err(DossierError::NotPdf);
    }
    const OPEN: &[u8] = b"<pdf:Keywords>";
    const CLOSE: &[u8] = b"</pdf:Keywords>";
    let mut found: Option<Binding> = None;
    let mut rest = pdf;
    while let Some(at) = find(rest, OPEN) {
        let after = &rest[at + OPEN.len()..];
        let Some(end) = find(after, CLOSE) else {
            break;
        };
        let text = String::from_utf8_lossy(&after[..end]);
        for keyword in text.split(',') {
            let keyword = keyword.trim();
            if keyword.starts_with(MARKER) {
                let b = Binding::from_keyword(keyword)?;
                // Two packets that disagree: the file was altered.
                if found.as_ref().is_some_and(|f| *f != b) {
                    return Err(DossierError::BindingAltered);
                }
                found = Some(b);
            }
        }
        rest = &after[end..];
    }
    found.ok_or(DossierError::NoBinding)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_keyword_reads_back_and_a_changed_one_is_refused() {
        let heads = vec!["b".repeat(64), "a".repeat(64)];
        let b = Binding::new("case-1", &heads, "ru", false);
        assert_eq!(b.heads[0], "a".repeat(64));
        assert!(b.is_intact());
        assert_eq!(Binding::from_keyword(&b.keyword()).unwrap(), b);
        let changed = b.keyword().replace("reveal=0", "reveal=1");
        assert!(matches!(
            Binding::from_keyword(&changed),
            Err(DossierError::BindingAltered)
        ));
        assert!(matches!(
            Binding::from_keyword("caravan-dossier-binding/1 case=x"),
            Err(DossierError::BadBinding)
        ));
    }
}
