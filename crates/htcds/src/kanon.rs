//! k-anonymity by local suppression, as CTDC publishes: rows are grouped
//! into classes by their quasi-identifier values, and a row in a class of
//! fewer than k rows loses values until it joins a class of k or more, or
//! is withheld whole. Every suppressed value and withheld row is counted
//! in the report.
//!
//! 1. Rare values: quasi-identifier by quasi-identifier (in the table's
//!    order), a row of a small class loses the value if fewer than k rows
//!    hold it.
//! 2. Then, in the same order, a row still in a small class loses the
//!    quasi-identifier whatever its value.
//! 3. A row still in a small class (every quasi-identifier suppressed, and
//!    fewer than k such rows) is withheld.
//!
//! A row is only ever suppressed while its class is small, and a
//! suppressed row can only join a class, never leave one: classes of k
//! rows or more are never broken up, and after step 3 every class holds
//! at least k rows.

use std::collections::HashMap;

use crate::fields::Values;
use crate::rows::{Cell, Row};
use crate::{FieldCount, TableKind, TableReport};

/// The indices of each quasi-identifier's fields.
fn groups(kind: TableKind) -> Vec<Vec<usize>> {
    let fields = kind.fields();
    kind.quasi_identifiers()
        .iter()
        .map(|group| {
            group
                .iter()
                .filter_map(|name| fields.iter().position(|f| f.name == *name))
                .collect()
        })
        .collect()
}

fn key(row: &Row, qi: &[usize]) -> Vec<Cell> {
    qi.iter().map(|i| row.cells[*i].clone()).collect()
}

/// Which rows are in a class of fewer than `k` rows.
fn small(rows: &[Row], qi: &[usize], k: u32) -> Vec<bool> {
    let keys: Vec<Vec<Cell>> = rows.iter().map(|r| key(r, qi)).collect();
    let mut counts: HashMap<&[Cell], u32> = HashMap::new();
    for k in &keys {
        *counts.entry(k.as_slice()).or_default() += 1;
    }
    keys.iter().map(|key| counts[key.as_slice()] < k).collect()
}

/// Suppresses `group` in `row`, marking each field whose value it took.
fn suppress(row: &mut Row, group: &[usize], taken: &mut [bool]) {
    for i in group {
        if row.cells[*i] != Cell::Empty {
            row.cells[*i] = Cell::Empty;
            taken[*i] = true;
        }
    }
}

pub(crate) fn anonymise(kind: TableKind, mut rows: Vec<Row>, k: u32) -> (Vec<Row>, TableReport) {
    let fields = kind.fields();
    let groups = groups(kind);
    let qi: Vec<usize> = groups.iter().flatten().copied().collect();
    // Per row, which fields lost their value.
    let mut taken = vec![vec![false; fields.len()]; rows.len()];
    let before = rows.len();

    // 1. Rare values.
    for group in &groups {
        let in_small = small(&rows, &qi, k);
        let mut frequency: HashMap<Vec<Cell>, u32> = HashMap::new();
        for r in &rows {
            *frequency.entry(key(r, group)).or_default() += 1;
        }
        for ((row, is_small), taken) in rows.iter_mut().zip(in_small).zip(&mut taken) {
            if is_small && frequency[&key(row, group)] < k {
                suppress(row, group, taken);
            }
        }
    }
    // 2. Whatever the value.
    for group in &groups {
        let in_small = small(&rows, &qi, k);
        for ((row, is_small), taken) in rows.iter_mut().zip(in_small).zip(&mut taken) {
            if is_small {
                suppress(row, group, taken);
            }
        }
    }
    // 3. Withheld. What a withheld row lost is not counted: it is
    // counted as withheld.
    let in_small = small(&rows, &qi, k);
    let mut counts = vec![0u32; fields.len()];
    let mut kept = Vec::with_capacity(rows.len());
    for ((row, is_small), taken) in rows.into_iter().zip(in_small).zip(&taken) {
        if !is_small {
            for (count, t) in counts.iter_mut().zip(taken) {
                *count += u32::from(*t);
            }
            kept.push(row);
        }
    }
    let withheld = before - kept.len();

    // File order: by content, so the same cases give the same file and a
    // row's place says nothing its values do not.
    kept.sort();
    if let Some(Values::Id(letter)) = fields.first().map(|f| f.values) {
        for (n, row) in kept.iter_mut().enumerate() {
            row.cells[0] = Cell::One(format!("{letter}{}", n + 1));
        }
    }

    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let report = TableReport {
        quasi_identifiers: qi.iter().map(|i| fields[*i].name.to_string()).collect(),
        rows: count(before),
        exported: count(kept.len()),
        withheld: count(withheld),
        suppressed: fields
            .iter()
            .zip(&counts)
            .filter(|(_, n)| **n > 0)
            .map(|(f, n)| FieldCount {
                field: f.name.to_string(),
                rows: *n,
            })
            .collect(),
    };
    (kept, report)
}
