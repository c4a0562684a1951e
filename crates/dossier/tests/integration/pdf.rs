//! The PDF itself: PDF/A, reproducible bytes, the binding in its metadata.

use caravan_dossier::{Binding, DossierError, read_binding, render};

use crate::common::{pdf_info, sample};

#[test]
fn the_same_content_gives_the_same_bytes() {
    let content = sample("ru", "Жертва В-1");
    let a = render(&content, 1_773_570_600_000).unwrap();
    let b = render(&content, 1_773_570_600_000).unwrap();
    assert_eq!(a.pdf, b.pdf, "two renderings of one content differ");
    let other = render(&sample("ru", "Жертва В-2"), 1_773_570_600_000).unwrap();
    assert_ne!(a.pdf, other.pdf);
}

#[test]
fn the_pdf_is_pdf_a_2b_dated_by_the_case_and_carries_its_binding() {
    let content = sample("en", "V-1");
    let r = render(&content, 1_773_570_600_000).unwrap();
    let info = pdf_info(&r.pdf);
    assert!(info.contains("<pdfaid:part>2</pdfaid:part>"), "{info}");
    assert!(
        info.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
        "{info}"
    );
    assert!(
        info.contains("2026-03-15T10:30:00"),
        "the case's last change is the date: {info}"
    );
    assert!(info.contains(&content.binding.digest), "{info}");
    assert_eq!(read_binding(&r.pdf).unwrap(), content.binding);
    let undated = render(&content, 0).unwrap();
    assert!(!pdf_info(&undated.pdf).contains("CreationDate"));
}

#[test]
fn a_tampered_or_foreign_binding_is_refused() {
    let content = sample("en", "V-1");
    let pdf = render(&content, 0).unwrap().pdf;
    // Another case id of the same length, written over the metadata.
    let tampered = replace_all(&pdf, b"case=case-0142", b"case=case-0143");
    assert!(matches!(
        read_binding(&tampered),
        Err(DossierError::BindingAltered)
    ));
    let flipped = replace_all(&pdf, b"reveal=0", b"reveal=1");
    assert!(matches!(
        read_binding(&flipped),
        Err(DossierError::BindingAltered)
    ));
    let broken = replace_all(&pdf, b"reveal=0", b"reveal=x");
    assert_eq!(
        read_binding(&broken).unwrap_err().code(),
        "dossier.bad_binding"
    );
    assert!(matches!(
        read_binding(b"%PDF-1.7\n%%EOF"),
        Err(DossierError::NoBinding)
    ));
    assert!(matches!(
        read_binding(b"not a pdf"),
        Err(DossierError::NotPdf)
    ));
    assert!(matches!(read_binding(b""), Err(DossierError::NotPdf)));
    let b = &content.binding;
    assert!(b.is_intact());
    assert_eq!(Binding::new(&b.case_id, &b.heads, &b.lang, b.revealed), *b);
}

fn replace_all(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let mut out = hay.to_vec();
    let mut i = 0;
    let mut n = 0;
    while i + from.len() <= out.len() {
        if &out[i..i + from.len()] == from {
            out[i..i + from.len()].copy_from_slice(to);
            n += 1;
        }
        i += 1;
    }
    assert!(n > 0, "nothing to replace");
    out
}

/// Regression: a binding naming no head, its digest made over no head,
/// was intact, and `verify` found every one of its (no) heads in any case:
/// a 120-byte file naming a case's id passed as that case's dossier.
#[test]
fn a_binding_naming_no_head_is_refused() {
    let forged = Binding::new("case-0142", &[], "ru", false);
    assert!(forged.is_intact());
    assert!(matches!(
        Binding::from_keyword(&forged.keyword()),
        Err(DossierError::BadBinding)
    ));
}
