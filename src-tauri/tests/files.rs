//! The shell's rules for file paths the window names (`files.rs`): typed
//! paths kept to Caravan's own files, dialog results admitted for their
//! access; and the commands that take paths use them.

use std::path::Path;

use caravan_desktop::files::{Access, FileGate, Kind, typed};

/// (what, path relative to a fresh folder, access, kind, admitted)
type Row = (&'static str, &'static str, Access, Kind, bool);

#[test]
fn typed_paths_are_kept_to_caravans_own_files() {
    let dir = tempfile::Builder::new()
        .prefix("caravan-files")
        .tempdir()
        .unwrap();
    let base = dir.path();
    let vault = base.join("vault");
    std::fs::create_dir_all(base.join(".ssh")).unwrap();
    std::fs::create_dir_all(&vault).unwrap();
    std::fs::create_dir_all(base.join("i2")).unwrap();
    std::fs::create_dir_all(base.join("done")).unwrap();
    std::fs::write(base.join("done/links.csv"), b"x").unwrap();
    for f in [
        "in.caravan",
        "notes.txt",
        ".ssh/id_ed25519",
        "photo.jpg",
        "vault/caravan.db",
    ] {
        std::fs::write(base.join(f), b"x").unwrap();
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink(base.join(".ssh/id_ed25519"), base.join("link.caravan")).unwrap();
    let rows: &[Row] = &[
        (
            "a new bundle",
            "out.caravan",
            Access::Write,
            Kind::Bundle,
            true,
        ),
        (
            "over a bundle that exists",
            "in.caravan",
            Access::Write,
            Kind::Bundle,
            false,
        ),
        (
            "a bundle without its extension",
            "out.txt",
            Access::Write,
            Kind::Bundle,
            false,
        ),
        (
            "into a folder that does not exist",
            "no/out.caravan",
            Access::Write,
            Kind::Bundle,
            false,
        ),
        (
            "up a folder",
            "x/../out.caravan",
            Access::Write,
            Kind::Bundle,
            false,
        ),
        ("a bundle", "in.caravan", Access::Read, Kind::Bundle, true),
        (
            "a key as a bundle",
            ".ssh/id_ed25519",
            Access::Read,
            Kind::Bundle,
            false,
        ),
        ("a join file", "notes.txt", Access::Read, Kind::Join, true),
        ("a photo", "photo.jpg", Access::Read, Kind::Attachment, true),
        (
            "a hidden key as an attachment",
            ".ssh/id_ed25519",
            Access::Read,
            Kind::Attachment,
            false,
        ),
        (
            "the vault's database",
            "vault/caravan.db",
            Access::Read,
            Kind::Attachment,
            false,
        ),
        (
            "an exported attachment, new",
            "export.jpg",
            Access::Write,
            Kind::Attachment,
            true,
        ),
        (
            "an exported attachment in a hidden folder",
            ".ssh/authorized_keys",
            Access::Write,
            Kind::Attachment,
            false,
        ),
        (
            "an exported attachment as a hidden file",
            ".profile",
            Access::Write,
            Kind::Attachment,
            false,
        ),
        (
            "a file that does not exist",
            "none.jpg",
            Access::Read,
            Kind::Attachment,
            false,
        ),
        #[cfg(unix)]
        (
            "a link with a bundle's name",
            "link.caravan",
            Access::Read,
            Kind::Bundle,
            false,
        ),
        (
            "a folder for i2 files",
            "i2",
            Access::Folder,
            Kind::I2,
            true,
        ),
        (
            "a folder whose i2 files exist",
            "done",
            Access::Folder,
            Kind::I2,
            false,
        ),
        (
            "a file as a folder",
            "notes.txt",
            Access::Folder,
            Kind::I2,
            false,
        ),
        (
            "a folder that does not exist",
            "none",
            Access::Folder,
            Kind::I2,
            false,
        ),
        ("a hidden folder", ".ssh", Access::Folder, Kind::I2, false),
        (
            "the vault's folder",
            "vault",
            Access::Folder,
            Kind::I2,
            false,
        ),
    ];
    for (what, rel, access, kind, admitted) in rows {
        let got = typed(&base.join(rel), *access, *kind, &vault);
        assert_eq!(got.is_ok(), *admitted, "{what}: {got:?}");
        if let Err(e) = got {
            assert_eq!(e.code, "app.path_refused", "{what}");
        }
    }
    assert!(
        typed(
            Path::new("out.caravan"),
            Access::Write,
            Kind::Bundle,
            &vault
        )
        .is_err()
    );
}

#[test]
fn a_path_the_dialog_returned_is_admitted_for_its_access() {
    let dir = tempfile::Builder::new()
        .prefix("caravan-files")
        .tempdir()
        .unwrap();
    let vault = dir.path().join("vault");
    let picked = dir.path().join("chosen.anything");
    std::fs::write(&picked, b"x").unwrap();
    let gate = FileGate::default();
    let text = picked.to_str().unwrap();
    assert!(
        gate.admit(text, Access::Write, Kind::Bundle, &vault)
            .is_err()
    );
    gate.grant(picked.clone(), Access::Write);
    assert!(
        gate.admit(text, Access::Read, Kind::Bundle, &vault)
            .is_err()
    );
    assert_eq!(
        gate.admit(text, Access::Write, Kind::Bundle, &vault)
            .unwrap(),
        picked
    );
}
