//! [`Edit::SetList`](crate::Edit::SetList): a list field (a person's
//! languages, forms of exploitation, control methods, roles) written by
//! changing only the elements that differ.
//!
//! How two devices' edits of one list merge. The lists a person has are
//! sets in meaning: each value once, order kept as entered. An edit is
//! written as deletions of the elements that are no longer wanted and
//! insertions of the values that are missing (the longest run of elements
//! already in the wanted order stays untouched); an element is never
//! overwritten in place. Automerge merges list deletions and insertions
//! element by element, so:
//! - one device adds a value while another removes a different one: both
//!   happen;
//! - both remove the same value: it is removed once;
//! - both replace one value by different ones: the old value is gone and
//!   both new values are there (no value is lost, nothing is garbled into
//!   a mix of the two: there is no element both wrote);
//! - both add the same value: Automerge keeps both insertions, so the
//!   merged list holds the value twice. Readers show a list's values once
//!   (the core's views drop repeats), and the next edit of the list by
//!   anyone deletes the repeat, as it deletes any element not wanted.
//!
//! Overwriting elements in place (a `put` at each index) would instead
//! turn concurrent edits into per-index conflicts, and an insertion on one
//! device beside a `put` on another would pair values that were never
//! meant together.

use automerge::transaction::Transactable;
use automerge::{ObjId, ObjType, ReadDoc, ScalarValue, Value};

use super::edits::By;
use crate::attribution;
use crate::doc::CaseDoc;
use crate::error::{ModelError, am};
use crate::later_lists::LaterList;
use crate::path::{DocPath, Seg};
use crate::policy::{DocKind, WriteKind};
use crate::scalar::Scalar;
use crate::schema::Written;

impl CaseDoc {
    pub(super) fn set_list(
        &mut self,
        path: &DocPath,
        values: &[Scalar],
        by: &By<'_>,
    ) -> Result<(), ModelError> {
        if let Some(later) = crate::later_lists::find(path) {
            return self.set_later_list(path, later, values, by);
        }
        let obj = self.obj_at(path)?;
        if self.doc.object_type(&obj).map_err(am)? != ObjType::List {
            return Err(ModelError::Invalid {
                field: path.to_string(),
                message: "is not a list field".into(),
            });
        }
        let canonical = Canonical::of(path);
        let wanted = wanted(path, values, &canonical)?;
        if !self.rewrite(&obj, path, &wanted, &canonical, by)? {
            return Err(ModelError::NoChange);
        }
        Ok(())
    }

    /// A list field added to its record later (`crate::later_lists`):
    /// made where the record lacks it, the lists two devices made at once
    /// read and written as one, the single field it stands for kept in
    /// step with its first value.
    fn set_later_list(
        &mut self,
        path: &DocPath,
        later: &LaterList,
        values: &[Scalar],
        by: &By<'_>,
    ) -> Result<(), ModelError> {
        let record_path = DocPath(path.segments()[..2].to_vec());
        let record = self.obj_at(&record_path)?;
        let canonical = Canonical::of(path);
        let wanted = wanted(path, values, &canonical)?;
        let lists = crate::later_lists::lists(&self.doc, &record, later.key);
        let mut now = Vec::new();
        for list in &lists {
            for value in self.elements(list, &canonical)?.into_iter().flatten() {
                if !now.contains(&value) {
                    now.push(value);
                }
            }
        }
        // The single field: its first wanted value it accepts, or null.
        let single = match later.replaces {
            Some(key) => {
                let single_path = record_path.child(Seg::Key(key.into()));
                let target = wanted
                    .iter()
                    .find(|v| {
                        crate::schema::case()
                            .check(&single_path, &Written::Put((*v).clone()))
                            .is_ok()
                    })
                    .cloned()
                    .unwrap_or(ScalarValue::Null);
                let held = self
                    .doc
                    .get_all(&record, key)
                    .map_err(am)?
                    .into_iter()
                    .map(|(v, _)| match v {
                        Value::Scalar(s) => Some(canonical.apply(s.into_owned())),
                        _ => None,
                    })
                    .collect::<Vec<_>>();
                if let [Some(value)] = held.as_slice()
                    && value != &ScalarValue::Null
                    && !now.contains(value)
                {
                    now.push(value.clone());
                }
                let in_step = held.as_slice() == [Some(target.clone())];
                Some((single_path, key, target, in_step, !held.is_empty()))
            }
            None => None,
        };
        let single_in_step = single.as_ref().is_none_or(|s| s.3);
        if now == wanted && lists.len() <= 1 && single_in_step {
            return Err(ModelError::NoChange);
        }
        match lists.split_first() {
            Some((shown, others)) => {
                self.rewrite(shown, path, &wanted, &canonical, by)?;
                // The values of the others are read with the shown one's;
                // those still wanted are in it now.
                for list in others {
                    let len = self.doc.length(list);
                    if len > 0 {
                        let element = path.child(Seg::Index(0));
                        by.allow_in_place(&element, WriteKind::Delete)?;
                        attribution::judge(
                            DocKind::Case,
                            &element,
                            WriteKind::Delete,
                            false,
                            None,
                            by.signer,
                        )?;
                        for i in (0..len).rev() {
                            self.doc.delete(list, i).map_err(am)?;
                        }
                    }
                }
            }
            None if wanted.is_empty() => {}
            None => {
                by.allow_in_place(path, WriteKind::Create)?;
                attribution::judge(
                    DocKind::Case,
                    path,
                    WriteKind::Create,
                    false,
                    None,
                    by.signer,
                )?;
                let list = self
                    .doc
                    .put_object(&record, later.key, ObjType::List)
                    .map_err(am)?;
                self.rewrite(&list, path, &wanted, &canonical, by)?;
            }
        }
        if let Some((single_path, key, target, false, present)) = single {
            let kind = if present {
                WriteKind::Update
            } else {
                WriteKind::Create
            };
            let value = match &target {
                ScalarValue::Str(s) => Scalar::Str(s.to_string()),
                _ => Scalar::Null,
            };
            by.allow_in_place(&single_path, kind)?;
            attribution::judge(
                DocKind::Case,
                &single_path,
                kind,
                false,
                Some(&value),
                by.signer,
            )?;
            self.doc.put(&record, key, target).map_err(am)?;
        }
        Ok(())
    }

    /// The elements of list `obj`, each as the value it stands for (none
    /// for an element that is not a value).
    fn elements(
        &self,
        obj: &ObjId,
        canonical: &Canonical,
    ) -> Result<Vec<Option<ScalarValue>>, ModelError> {
        let len = self.doc.length(obj);
        let mut out = Vec::with_capacity(len);
        for i in 0..len {
            out.push(match self.doc.get(obj, i).map_err(am)? {
                Some((Value::Scalar(s), _)) => Some(canonical.apply(s.into_owned())),
                // Not a value this field holds: it goes, as any unwanted element.
                _ => None,
            });
        }
        Ok(out)
    }

    /// Makes list `obj` hold `wanted`, deleting and inserting only the
    /// elements that differ; whether anything was written.
    fn rewrite(
        &mut self,
        obj: &ObjId,
        path: &DocPath,
        wanted: &[ScalarValue],
        canonical: &Canonical,
        by: &By<'_>,
    ) -> Result<bool, ModelError> {
        let current = self.elements(obj, canonical)?;
        let (kept_now, kept_wanted) = kept(&current, wanted);
        let deletes = kept_now.iter().any(|k| !k);
        let inserts = kept_wanted.iter().any(|k| !k);
        if !deletes && !inserts {
            return Ok(false);
        }
        let element = path.child(Seg::Index(0));
        for (kind, needed) in [(WriteKind::Delete, deletes), (WriteKind::Create, inserts)] {
            if needed {
                by.allow_in_place(&element, kind)?;
                attribution::judge(DocKind::Case, &element, kind, false, None, by.signer)?;
            }
        }
        // Deleted from the end, so the positions still to delete stay put;
        // then the list holds the kept values in the wanted order, and each
        // missing value goes in at its wanted position.
        for (i, keep) in kept_now.iter().enumerate().rev() {
            if !keep {
                self.doc.delete(obj, i).map_err(am)?;
            }
        }
        for (i, keep) in kept_wanted.iter().enumerate() {
            if !keep {
                self.doc.insert(obj, i, wanted[i].clone()).map_err(am)?;
            }
        }
        Ok(true)
    }
}

/// A vocabulary's values compare by what they stand for: an element
/// stored under a name an earlier version used is the value it was
/// renamed to, kept as it is (rewriting it would be a deletion and an
/// insertion, which undoes another device's concurrent removal).
struct Canonical(Option<crate::schema::Vocabulary>);

impl Canonical {
    fn of(path: &DocPath) -> Self {
        Canonical(
            match crate::schema::case()
                .rule(&path.child(Seg::Index(0)))
                .map(|r| r.expect)
            {
                Some(crate::schema::Expect::Vocab(v)) => Some(v),
                _ => None,
            },
        )
    }

    fn apply(&self, s: ScalarValue) -> ScalarValue {
        let renamed = match (&s, self.0) {
            (ScalarValue::Str(name), Some(v)) => (v.canonical)(name.as_str()),
            _ => None,
        };
        renamed.map_or(s, |c| ScalarValue::Str(c.into()))
    }
}

/// The values a list is to hold, as written, each checked against the
/// schema and held once.
fn wanted(
    path: &DocPath,
    values: &[Scalar],
    canonical: &Canonical,
) -> Result<Vec<ScalarValue>, ModelError> {
    let wanted: Vec<ScalarValue> = values
        .iter()
        .map(|v| match Written::from(v) {
            Written::Put(s) => canonical.apply(s),
            _ => unreachable!("a scalar is written as a value"),
        })
        .collect();
    for (i, written) in wanted.iter().enumerate() {
        let element = path.child(Seg::Index(i));
        crate::schema::case()
            .check(&element, &Written::Put(written.clone()))
            .map_err(|bad| ModelError::Invalid {
                field: path.to_string(),
                message: bad.reason(),
            })?;
        if wanted[..i].contains(written) {
            return Err(ModelError::Invalid {
                field: path.to_string(),
                message: "holds each value once".into(),
            });
        }
    }
    Ok(wanted)
}

/// Which elements of `now` and of `wanted` a longest common subsequence
/// keeps: every other element of `now` is deleted and every other value of
/// `wanted` inserted. Lists are short (the core bounds them), so the
/// quadratic table is small.
fn kept(now: &[Option<ScalarValue>], wanted: &[ScalarValue]) -> (Vec<bool>, Vec<bool>) {
    let (n, m) = (now.len(), wanted.len());
    // lcs[i][j]: the longest common subsequence of now[i..] and wanted[j..].
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if now[i].as_ref() == Some(&wanted[j]) {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut keep_now, mut keep_wanted) = (vec![false; n], vec![false; m]);
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if now[i].as_ref() == Some(&wanted[j]) {
            keep_now[i] = true;
            keep_wanted[j] = true;
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    (keep_now, keep_wanted)
}
