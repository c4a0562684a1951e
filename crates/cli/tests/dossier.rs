//! `caravan dossier`: the court dossier's PDF, identities only when
//! revealed (and audited), and the check of a copy against a vault.

use std::process::Command;

use crate::common::*;

const CANARY: &str = "Zhanar CANARY-7731";
const CANARY_DOC: &str = "N-CANARY-55119";

fn pdf_text(path: &std::path::Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/lib/setup.sh");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_dossier_shows_identities_only_when_revealed_and_a_copy_is_checked_against_the_vault() {
    let t = team();
    let inv = &t.inv;
    let case = new_case(inv, "2026-DOS-1");
    inv.json(&person_add(
        &case,
        "victim",
        "V-7",
        CANARY,
        &["--documents", CANARY_DOC, "--sex", "feminine"],
    ));
    let ev = inv.json(&[
        "evidence",
        "add",
        &case,
        "--label",
        "Phone of V-7",
        "--kind",
        "phone",
        "--seized-at",
        "2026-03-01T10:00Z",
        "--seized-by",
        "Officer Abenov",
    ]);
    let ev = ev["id"].as_str().unwrap().to_string();
    inv.ok(&[
        "evidence",
        "transfer",
        &case,
        &ev,
        "--from",
        "Officer Abenov",
        "--to",
        "Forensic lab",
        "--place",
        "Almaty",
        "--at",
        "2026-03-02T09:30Z",
    ]);

    // Masked: the pseudonym, the chain of custody, the binding; no identity.
    let masked = inv.path("masked.pdf");
    let out = inv.json(&["dossier", &case, "--out", s(&masked)]);
    assert!(out["pages"].as_u64().unwrap() >= 4, "{out}");
    assert_eq!(out["revealed"], false);
    let digest = out["digest"].as_str().unwrap().to_string();
    let text = pdf_text(&masked);
    for want in [
        "2026-DOS-1",
        "V-7",
        "Officer Abenov",
        "Forensic lab",
        "2026-03-02 09:30 UTC",
        &digest,
    ] {
        assert!(text.contains(want), "{want:?} missing from:\n{text}");
    }
    let raw = std::fs::read(&masked).unwrap();
    for secret in [CANARY, CANARY_DOC, "CANARY"] {
        assert!(!text.contains(secret), "{secret} in the masked dossier");
        assert!(!raw.windows(secret.len()).any(|w| w == secret.as_bytes()));
    }
    let log = inv.json(&["audit", "log"]);
    assert_logged(&log, "dossier.export");
    assert!(!log.to_string().contains("CANARY"));

    // Revealed, in Russian: the identity is there and the reveal audited.
    let revealed = inv.path("revealed.pdf");
    let out = inv.json(&[
        "--lang",
        "ru",
        "dossier",
        &case,
        "--out",
        s(&revealed),
        "--reveal",
    ]);
    assert_eq!(out["revealed"], true);
    let text = pdf_text(&revealed);
    assert!(text.contains(CANARY) && text.contains(CANARY_DOC), "{text}");
    assert!(text.contains("Доказательства и цепочка хранения"), "{text}");
    assert_logged(&inv.json(&["audit", "log"]), "dossier.reveal");

    // The same state gives the same bytes.
    let again = inv.path("again.pdf");
    inv.json(&["dossier", &case, "--out", s(&again)]);
    assert_eq!(std::fs::read(&again).unwrap(), raw);

    // The copy matches this vault's case, also after later work on it.
    let check = inv.json(&["dossier", "verify", s(&masked)]);
    assert_eq!(check["reference"], "2026-DOS-1");
    assert_eq!(check["digest"], digest.as_str());
    assert_eq!(check["made_here"], true);
    inv.json(&person_add(&case, "witness", "W-1", "Someone", &[]));
    inv.json(&["dossier", "verify", s(&masked)]);

    // Regression: a copy whose pages were changed under an intact binding
    // passed as the case's dossier. Its binding still checks, but this
    // vault did not make that file, and says so.
    let forged = inv.path("forged.pdf");
    let mut bytes = raw.clone();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x01;
    std::fs::write(&forged, bytes).unwrap();
    let check = inv.json(&["dossier", "verify", s(&forged)]);
    assert_eq!(check["made_here"], false);

    // A vault without the case: a mismatch with its code.
    let (code, err) = t.admin.fail(&["dossier", "verify", s(&masked)]);
    assert_eq!(code, 6, "{err}");
    assert!(err.contains("dossier.other_case"), "{err}");

    // A binding changed by hand is refused.
    let tampered = inv.path("tampered.pdf");
    let bytes: Vec<u8> = String::from_utf8_lossy(&raw)
        .replace("reveal=0", "reveal=1")
        .into_bytes();
    std::fs::write(&tampered, bytes).unwrap();
    let (code, err) = inv.fail(&["dossier", "verify", s(&tampered)]);
    assert_eq!(code, 6, "{err}");
    assert!(err.contains("dossier.binding_altered"), "{err}");

    // Not a PDF: refused, in the user's language.
    let junk = inv.path("junk.pdf");
    std::fs::write(&junk, b"hello").unwrap();
    let (code, err) = inv.fail(&["--lang", "ru", "dossier", "verify", s(&junk)]);
    assert_eq!(code, 5, "{err}");
    assert!(err.contains("Это не файл PDF"), "{err}");
}

#[test]
fn a_dossier_of_an_unknown_case_or_to_a_missing_folder_is_refused_with_its_code() {
    let t = team();
    let inv = &t.inv;
    let (code, err) = inv.fail(&["dossier", "nope", "--out", s(&inv.path("x.pdf"))]);
    assert_eq!(code, 5, "{err}");
    assert!(err.contains("core.not_found"), "{err}");
    let case = new_case(inv, "2026-DOS-2");
    let (code, err) = inv.fail(&["dossier", &case, "--out", "/nonexistent-dir/x.pdf"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("core.file"), "{err}");
    let (code, _) = inv.fail(&["dossier", &case]);
    assert_eq!(code, 2, "--out is required");
}
