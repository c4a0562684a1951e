//! Tables written in sections and joined at compile time, so that rows
//! several parts of a document share are written once (by a macro that
//! makes a section) and the table is still one static slice.

/// How many rows the sections hold in all.
pub(crate) const fn rows_in<T>(sections: &[&[T]]) -> usize {
    let (mut n, mut i) = (0, 0);
    while i < sections.len() {
        n += sections[i].len();
        i += 1;
    }
    n
}

/// The sections one after another; `N` is [`rows_in`] of them, and `blank`
/// only fills the table before the rows are copied in.
pub(crate) const fn join<T: Copy, const N: usize>(sections: &[&[T]], blank: T) -> [T; N] {
    let mut table = [blank; N];
    let (mut n, mut i) = (0, 0);
    while i < sections.len() {
        let mut j = 0;
        while j < sections[i].len() {
            table[n] = sections[i][j];
            n += 1;
            j += 1;
        }
        i += 1;
    }
    assert!(n == N, "the table's length is the sections' rows");
    table
}
