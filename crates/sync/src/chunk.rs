//! Automerge storage chunks from other devices, read within bounds before
//! Automerge parses them.
//!
//! Automerge 0.12 inflates a compressed change chunk (chunk type 2) and
//! every deflated column of a saved document without any limit, and walks
//! run-length encoded columns as far as their counts say: a few bytes can
//! claim billions of operations, and a few kilobytes of DEFLATE can
//! inflate to gigabytes. Caravan only ever sends change chunks with plain
//! columns (`Change::raw_bytes`), so a change from another device is read
//! here first — the chunk header, the change header and the column
//! metadata — and refused if it is compressed in any form, or if any of
//! its columns holds more rows than allowed. Only then is it given to
//! Automerge. A saved document (a join package's team document) is read
//! the same way, with every deflated column inflated here under a cap.
//!
//! Chunk layout (automerge 0.12, `storage/chunk.rs`): magic `85 6f 4a 83`,
//! checksum[4], chunk type[1] (0 document, 1 change, 2 compressed change,
//! 3 bundle), data length (uLEB128), data. A change's data: dependencies
//! (count, 32-byte hashes), actor, seq, start op, time, message, other
//! actors, column metadata (count, then per column its specification —
//! id << 4 | deflate bit 8 | type 0–7 — and data length), the column data,
//! then extra bytes. A document's data: actors, heads, change column
//! metadata, operation column metadata, the change columns' data, the
//! operation columns' data, then the heads' indices.

use std::io::Read;

use automerge::{AutoCommit, Change, ChangeHash};

use crate::crypto::sha256;
use crate::error::SyncError;
use crate::refusal::Rejection;

const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
const DOCUMENT: u8 = 0;
const CHANGE: u8 = 1;
const COMPRESSED: u8 = 2;
const BUNDLE: u8 = 3;
/// The deflate bit of a column specification.
const DEFLATE: u64 = 0b1000;

/// Why a change from another device was not given to Automerge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refused {
    /// A compressed chunk, a deflated column, or a document or bundle
    /// chunk where a change belongs.
    Compressed(&'static str),
    /// A column with more rows than one change may hold, or more than is
    /// left of the input's operation budget.
    TooLarge(String),
    /// The bytes do not follow the format.
    Malformed(String),
}

impl Refused {
    /// The reason reported for a change refused on its own (`None` for
    /// malformed bytes, which refuse the whole input).
    pub(crate) fn rejection(&self) -> Option<Rejection> {
        match self {
            Refused::Compressed(what) => Some(Rejection::new(
                crate::refusal::Refusal::CompressedChange,
                format!(
                    "the change arrived compressed ({what}); Caravan sends every change uncompressed, so another program made it, and it was not read"
                ),
            )),
            Refused::TooLarge(detail) => Some(Rejection::new(
                crate::refusal::Refusal::ChangeTooLarge,
                format!("the change was not read: {detail}"),
            )),
            Refused::Malformed(_) => None,
        }
    }

    pub(crate) fn detail(&self) -> String {
        match self {
            Refused::Compressed(what) => (*what).to_string(),
            Refused::TooLarge(d) | Refused::Malformed(d) => d.clone(),
        }
    }
}

/// How much reading one input (a bundle, a session frame) may cost: no
/// column of one change may hold more than `per_change` rows, and the
/// changes of the input together no more than `total` operations.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Budget {
    per_change: u64,
    total: u64,
    used: u64,
}

impl Budget {
    pub(crate) fn new(per_change: u64, total: u64) -> Budget {
        Budget {
            per_change,
            total,
            used: 0,
        }
    }
}

/// The type and data of the one chunk `bytes` hold (`what` names it).
fn only_chunk<'a>(bytes: &'a [u8], what: &str) -> Result<(u8, &'a [u8]), Refused> {
    let mut r = Reader::new(bytes);
    let (kind, data) = r.chunk()?;
    if !r.done() {
        return Err(Refused::Malformed(format!("bytes follow the {what}")));
    }
    Ok((kind, data))
}

/// Reads a change chunk's header and column metadata without inflating
/// or parsing anything else, and counts the rows of its columns
/// (`max_rows` bounds each). Returns the most rows any column holds: the
/// change's operations, and a bound of what Automerge walks to read it.
pub(crate) fn inspect_change(bytes: &[u8], max_rows: u64) -> Result<u64, Refused> {
    let (kind, data) = only_chunk(bytes, "change")?;
    match kind {
        CHANGE => {}
        COMPRESSED => return Err(Refused::Compressed("a DEFLATE change chunk")),
        DOCUMENT => {
            return Err(Refused::Compressed(
                "a saved document where a change belongs",
            ));
        }
        BUNDLE => return Err(Refused::Compressed("a bundle chunk where a change belongs")),
        other => return Err(Refused::Malformed(format!("unknown chunk type {other}"))),
    }
    change_rows(data, max_rows)
}

/// Checks a change from another device within `budget`, charges it, and
/// only then parses it with Automerge. A change this device already holds
/// (`known`) is bounded as one change but not charged: an input resent
/// whole reads what it did not read before.
pub(crate) fn read_change(
    bytes: &[u8],
    budget: &mut Budget,
    known: bool,
) -> Result<Change, Refused> {
    if known {
        inspect_change(bytes, budget.per_change)?;
        return Change::from_bytes(bytes.to_vec())
            .map_err(|e| Refused::Malformed(format!("a change: {e}")));
    }
    let left = budget.total - budget.used;
    let rows = match inspect_change(bytes, budget.per_change.min(left)) {
        Err(Refused::TooLarge(_))
            if left < budget.per_change && inspect_change(bytes, budget.per_change).is_ok() =>
        {
            return Err(Refused::TooLarge(format!(
                "it comes with more operations than one import or session frame reads (at most {} in all); it arrives with a later exchange",
                budget.total
            )));
        }
        other => other?,
    };
    budget.used += rows;
    Change::from_bytes(bytes.to_vec()).map_err(|e| Refused::Malformed(format!("a change: {e}")))
}

/// What a saved document from another device may cost to load.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DocLimits {
    /// Bytes all its deflated columns may inflate to, together.
    pub(crate) max_inflated: usize,
    /// Rows any one column may hold.
    pub(crate) max_rows: u64,
}

/// Loads a saved document that came from another device: every chunk is
/// read here first, every deflated column inflated under
/// `limits.max_inflated`, every column's rows counted; compressed change
/// chunks and bundle chunks are refused. `what` names the input in errors.
pub(crate) fn load_document(
    bytes: &[u8],
    limits: DocLimits,
    what: &'static str,
) -> Result<AutoCommit, SyncError> {
    let too_large = |detail: String| SyncError::TooLarge { what, detail };
    let malformed = |detail: String| SyncError::Malformed { what, detail };
    let mut r = Reader::new(bytes);
    let mut inflated = 0usize;
    while !r.done() {
        let (kind, data) = r.chunk().map_err(|e| malformed(e.detail()))?;
        match kind {
            DOCUMENT => document_rows(
                data,
                limits.max_rows,
                Deflated::Inflate {
                    cap: limits.max_inflated,
                    used: &mut inflated,
                },
            )
            .map_err(|e| match e {
                Refused::TooLarge(d) => too_large(d),
                other => malformed(other.detail()),
            })
            .map(drop)?,
            CHANGE => {
                change_rows(data, limits.max_rows).map_err(|e| match e {
                    Refused::TooLarge(d) => too_large(d),
                    other => malformed(other.detail()),
                })?;
            }
            _ => return Err(malformed(format!("a chunk of type {kind}"))),
        }
    }
    AutoCommit::load(bytes).map_err(|e| malformed(format!("a document: {e}")))
}

/// The hash of a change chunk, read from its header alone; `None` for
/// anything else.
pub(crate) fn change_hash(bytes: &[u8]) -> Option<ChangeHash> {
    let mut r = Reader::new(bytes);
    match r.chunk() {
        Ok((CHANGE, data)) if r.done() => Some(chunk_hash(CHANGE, data)),
        _ => None,
    }
}

/// What names a chunk refused before it was parsed: Automerge's hash of
/// the chunk as it arrived (for a change chunk, the change hash; for a
/// compressed one, not the hash of the change inside), or of the bytes if
/// they are no chunk at all.
pub(crate) fn hash_as_received(bytes: &[u8]) -> String {
    let mut r = Reader::new(bytes);
    match r.chunk() {
        Ok((kind, data)) => chunk_hash(kind, data).to_string(),
        Err(_) => ChangeHash(sha256(&[bytes])).to_string(),
    }
}

/// Automerge's hash of a chunk: SHA-256 of its type, its length (uLEB128)
/// and its data. For a change chunk, the change hash.
fn chunk_hash(kind: u8, data: &[u8]) -> ChangeHash {
    let mut head = vec![kind];
    write_uleb(&mut head, data.len() as u64);
    ChangeHash(sha256(&[&head, data]))
}

/// Appends `n` as an unsigned LEB128 number, as Automerge writes lengths
/// and counts.
pub(crate) fn write_uleb(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let b = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// The most rows of any column of a change's data (after the chunk
/// header); refuses deflated columns.
fn change_rows(data: &[u8], max_rows: u64) -> Result<u64, Refused> {
    let mut r = Reader::new(data);
    let deps = r.uleb()?;
    r.take_n(deps, 32)?;
    r.bytes()?; // actor
    r.uleb()?; // seq
    r.uleb()?; // start op
    r.sleb()?; // time
    r.bytes()?; // message
    let others = r.uleb()?;
    for _ in 0..others {
        r.bytes()?;
    }
    let columns = r.columns()?;
    if columns.iter().any(|(spec, _)| spec & DEFLATE != 0) {
        return Err(Refused::Compressed("a deflated column"));
    }
    let mut most = 0;
    for (spec, len) in columns {
        let col = r.take(len)?;
        most = most.max(rows(spec, col, max_rows)?);
    }
    Ok(most)
}

/// What is done with a saved document's deflated columns.
enum Deflated<'a> {
    /// Inflated within `cap` bytes in all, counted in `used`.
    Inflate { cap: usize, used: &'a mut usize },
    /// Refused: the document was to come with plain columns.
    Refuse,
}

/// Reads a whole saved document sent in place of its changes (a bundle's
/// entry for a recipient that holds none of the document): one document
/// chunk with plain columns, none holding more rows than `budget` has left
/// (a change's checks apply to the document as to its changes), loaded by
/// Automerge, which checks that its changes hash to the heads it names.
/// Returns its changes, each to be read as any other (`read_change`).
///
/// The document's rows are charged to `budget` before Automerge loads it,
/// so the documents of one input together load no more than its budget
/// allows (each change is then charged again as it is read: a whole
/// document costs twice its operations, never more than was allowed).
pub(crate) fn read_document(bytes: &[u8], budget: &mut Budget) -> Result<Vec<Change>, Refused> {
    let (kind, data) = only_chunk(bytes, "document")?;
    match kind {
        DOCUMENT => {}
        COMPRESSED => return Err(Refused::Compressed("a DEFLATE change chunk")),
        BUNDLE => {
            return Err(Refused::Compressed(
                "a bundle chunk where a document belongs",
            ));
        }
        other => {
            return Err(Refused::Malformed(format!(
                "a chunk of type {other} where a document belongs"
            )));
        }
    }
    let rows = document_rows(data, budget.total - budget.used, Deflated::Refuse)?;
    budget.used += rows;
    // Automerge's loader is not trusted not to panic on crafted input (its
    // change decoder does, see `analyze::decode_change`).
    let loaded =
        std::panic::catch_unwind(|| AutoCommit::load(bytes).map(|mut doc| doc.get_changes(&[])))
            .map_err(|_| Refused::Malformed("a whole document Automerge cannot read".into()))?;
    loaded.map_err(|e| Refused::Malformed(format!("a whole document: {e}")))
}

/// Counts the rows of a document's columns (at most `max_rows` each);
/// deflated ones are inflated under a cap, or refused (`deflated`).
/// Returns the most rows a column holds (about the document's operations).
fn document_rows(data: &[u8], max_rows: u64, mut deflated: Deflated<'_>) -> Result<u64, Refused> {
    let mut most = 0;
    let mut r = Reader::new(data);
    let actors = r.uleb()?;
    for _ in 0..actors {
        r.bytes()?;
    }
    let heads = r.uleb()?;
    r.take_n(heads, 32)?;
    let change_columns = r.columns()?;
    let op_columns = r.columns()?;
    for (spec, len) in change_columns.into_iter().chain(op_columns) {
        let col = r.take(len)?;
        if spec & DEFLATE == 0 {
            most = most.max(rows(spec, col, max_rows)?);
            continue;
        }
        let Deflated::Inflate { cap, used } = &mut deflated else {
            return Err(Refused::Compressed("a deflated column"));
        };
        let plain = inflate(col, cap.saturating_sub(**used)).map_err(|e| match e {
            Refused::TooLarge(_) => Refused::TooLarge(format!(
                "its deflated columns inflate to more than {cap} bytes"
            )),
            other => other,
        })?;
        **used += plain.len();
        most = most.max(rows(spec, &plain, max_rows)?);
    }
    // What follows is the heads' indices, one number per head.
    Ok(most)
}

/// Inflates one DEFLATE column, reading at most `cap` bytes of output.
fn inflate(data: &[u8], cap: usize) -> Result<Vec<u8>, Refused> {
    let mut out = Vec::new();
    flate2::bufread::DeflateDecoder::new(data)
        .take(cap as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|_| Refused::Malformed("a deflated column does not inflate".into()))?;
    if out.len() > cap {
        return Err(Refused::TooLarge(format!(
            "a deflated column inflates to more than {cap} bytes"
        )));
    }
    Ok(out)
}

/// How the values of a run-length encoded column are written.
#[derive(Clone, Copy)]
enum Value {
    Unsigned,
    Signed,
    String,
}

/// The rows of one plain column, by its type: run-length encoded numbers
/// or strings (a signed count: n > 0 a run of one value, n < 0 |n|
/// literal values, 0 a run of n nulls), booleans (alternating run
/// lengths), or raw values (no rows of their own; their lengths come from
/// the metadata column).
fn rows(spec: u64, col: &[u8], max: u64) -> Result<u64, Refused> {
    let value = match spec & 0b111 {
        7 => return Ok(0),
        4 => return boolean_rows(col, max),
        3 => Value::Signed,
        5 => Value::String,
        _ => Value::Unsigned,
    };
    let mut r = Reader::new(col);
    let mut rows: u64 = 0;
    while !r.done() {
        let count = r.sleb()?;
        let n = count.unsigned_abs();
        rows = rows.saturating_add(if count == 0 { r.uleb()? } else { n });
        if rows > max {
            return Err(too_many(max));
        }
        match count {
            0 => {}
            c if c > 0 => r.value(value)?,
            _ => {
                for _ in 0..n {
                    r.value(value)?;
                }
            }
        }
    }
    Ok(rows)
}

fn boolean_rows(col: &[u8], max: u64) -> Result<u64, Refused> {
    let mut r = Reader::new(col);
    let mut rows: u64 = 0;
    while !r.done() {
        rows = rows.saturating_add(r.uleb()?);
        if rows > max {
            return Err(too_many(max));
        }
    }
    Ok(rows)
}

fn too_many(max: u64) -> Refused {
    Refused::TooLarge(format!("a column holds more than {max} operations"))
}

/// A cursor over bytes that never reads past their end.
struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

fn cut_short() -> Refused {
    Refused::Malformed("cut short".into())
}

impl<'a> Reader<'a> {
    fn new(data: &'a [u8]) -> Self {
        Reader { data, at: 0 }
    }

    fn done(&self) -> bool {
        self.at >= self.data.len()
    }

    fn take(&mut self, n: u64) -> Result<&'a [u8], Refused> {
        let n = usize::try_from(n).map_err(|_| cut_short())?;
        let end = self
            .at
            .checked_add(n)
            .filter(|e| *e <= self.data.len())
            .ok_or_else(cut_short)?;
        let out = &self.data[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn take_n(&mut self, count: u64, size: u64) -> Result<&'a [u8], Refused> {
        self.take(count.checked_mul(size).ok_or_else(cut_short)?)
    }

    fn byte(&mut self) -> Result<u8, Refused> {
        Ok(self.take(1)?[0])
    }

    /// An unsigned LEB128 number of at most 64 bits.
    fn uleb(&mut self) -> Result<u64, Refused> {
        let mut value: u64 = 0;
        for i in 0..10 {
            let b = self.byte()?;
            let bits = u64::from(b & 0x7f);
            if i == 9 && bits > 1 {
                return Err(Refused::Malformed("a number over 64 bits".into()));
            }
            value |= bits << (7 * i);
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(Refused::Malformed("a number over 64 bits".into()))
    }

    /// A signed LEB128 number of at most 64 bits.
    fn sleb(&mut self) -> Result<i64, Refused> {
        let mut value: i64 = 0;
        for i in 0..10 {
            let b = self.byte()?;
            value |= i64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                if i < 9 && b & 0x40 != 0 {
                    value |= -1i64 << (7 * (i + 1));
                }
                return Ok(value);
            }
        }
        Err(Refused::Malformed("a number over 64 bits".into()))
    }

    /// A length-prefixed byte string.
    fn bytes(&mut self) -> Result<&'a [u8], Refused> {
        let n = self.uleb()?;
        self.take(n)
    }

    fn value(&mut self, v: Value) -> Result<(), Refused> {
        match v {
            Value::Unsigned => self.uleb().map(drop),
            Value::Signed => self.sleb().map(drop),
            Value::String => self.bytes().map(drop),
        }
    }

    /// Column metadata: a count, then each column's specification and
    /// data length.
    fn columns(&mut self) -> Result<Vec<(u64, u64)>, Refused> {
        let n = self.uleb()?;
        let mut out = Vec::new();
        for _ in 0..n {
            let spec = self.uleb()?;
            if spec > u64::from(u32::MAX) {
                return Err(Refused::Malformed(
                    "a column specification over 32 bits".into(),
                ));
            }
            out.push((spec, self.uleb()?));
        }
        Ok(out)
    }

    /// One chunk: checks the magic, skips the checksum; returns the chunk
    /// type and its data.
    fn chunk(&mut self) -> Result<(u8, &'a [u8]), Refused> {
        if self.take(4)? != MAGIC {
            return Err(Refused::Malformed("not an Automerge chunk".into()));
        }
        self.take(4)?; // checksum
        let kind = self.byte()?;
        let len = self.uleb()?;
        Ok((kind, self.take(len)?))
    }
}

/// Splits a run of chunks (a V2 sync message's change chunk) into single
/// chunks, reading only their headers.
pub(crate) fn split(bytes: &[u8]) -> Result<Vec<&[u8]>, Refused> {
    let mut r = Reader::new(bytes);
    let mut out = Vec::new();
    while !r.done() {
        let start = r.at;
        r.chunk()?;
        out.push(&bytes[start..r.at]);
    }
    Ok(out)
}

/// Whether a chunk that `split` returned is a saved document.
pub(crate) fn is_document(chunk: &[u8]) -> bool {
    chunk.get(8) == Some(&DOCUMENT)
}
