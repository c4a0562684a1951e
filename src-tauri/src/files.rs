//! Files the window names for the shell to read or write.
//!
//! The window never reads or writes a file itself; it names one, and the
//! shell does the I/O. A window that ran injected script must not turn
//! that into reading or overwriting any file the user can. So a path is
//! admitted only if the shell's own file dialog returned it (`pick_file`:
//! granted for that access while the app runs), or, typed by the user (machines
//! without a dialog portal), if it passes rules that keep it to Caravan's
//! own kinds of file: absolute, no `..`, not in the vault's folder;
//! written only as a *new* file with the kind's extension in an existing
//! folder (never over a file); read only from a regular file (not a link)
//! with the kind's extension. An attachment, which may have any name, is
//! neither read from nor written to a hidden folder or file: an exported
//! file never becomes a start-up script, a key or a setting. A folder of
//! statistics, like one of i2 files, is picked with the folder dialog, or
//! typed as an existing, visible folder holding none of the export's
//! files: an export never writes over files the user did not choose.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::dto::ErrorDto;

/// What the file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bundle,
    Join,
    Attachment,
    /// Routes for GIS software.
    Geojson,
    /// A folder the link analysis's i2 files (`entities.csv`,
    /// `links.csv`) are written into.
    I2,
    /// A folder the anonymised statistics are written into.
    Statistics,
    /// A court dossier (PDF) the shell writes.
    Dossier,
}

impl Kind {
    pub fn parse(s: &str) -> Result<Kind, ErrorDto> {
        match s {
            "bundle" => Ok(Kind::Bundle),
            "join" => Ok(Kind::Join),
            "attachment" => Ok(Kind::Attachment),
            "geojson" => Ok(Kind::Geojson),
            "i2" => Ok(Kind::I2),
            "statistics" => Ok(Kind::Statistics),
            "dossier" => Ok(Kind::Dossier),
            _ => Err(crate::state::invalid(
                "kind",
                "must be bundle, join, attachment, geojson, i2, statistics or dossier",
            )),
        }
    }

    /// The extensions a typed path of this kind must have (none: any).
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Kind::Bundle => &["caravan"],
            Kind::Join => &["caravan-join", "txt"],
            Kind::Attachment | Kind::I2 | Kind::Statistics => &[],
            Kind::Geojson => &["geojson", "json"],
            Kind::Dossier => &["pdf"],
        }
    }

    /// The file dialog's filter.
    pub fn filter(self) -> Option<(&'static str, &'static [&'static str])> {
        match self {
            Kind::Bundle => Some(("Caravan bundle", self.extensions())),
            Kind::Join => Some(("Caravan join file", self.extensions())),
            Kind::Attachment | Kind::I2 | Kind::Statistics => None,
            Kind::Geojson => Some(("GeoJSON", self.extensions())),
            Kind::Dossier => Some(("PDF", self.extensions())),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    Read,
    Write,
    /// Files written into a folder (the folder dialog's choice, or an
    /// existing folder typed that holds none of the files yet).
    Folder,
}

/// The files an i2 export writes into its folder.
pub const I2_FILES: [&str; 2] = ["entities.csv", "links.csv"];

/// Paths the shell's file dialog returned, each for the access it was
/// picked for.
#[derive(Default)]
pub struct FileGate {
    granted: Mutex<HashSet<(PathBuf, Access)>>,
}

fn refused(why: &str) -> ErrorDto {
    ErrorDto {
        code: crate::codes::PATH_REFUSED.into(),
        message: format!(
            "Caravan does not use this path: {why}. Choose the file with the file dialog instead."
        ),
        kind: "rejected".into(),
    }
}

impl FileGate {
    pub fn grant(&self, path: PathBuf, access: Access) {
        if let Ok(mut g) = self.granted.lock() {
            g.insert((path, access));
        }
    }

    /// The path to use for `access` of a `kind` file named `path`, or why
    /// not (`app.path_refused`). `vault` is the vault's folder.
    pub fn admit(
        &self,
        path: &str,
        access: Access,
        kind: Kind,
        vault: &Path,
    ) -> Result<PathBuf, ErrorDto> {
        let p = PathBuf::from(path);
        if let Ok(g) = self.granted.lock()
            && g.contains(&(p.clone(), access))
        {
            return Ok(p);
        }
        typed(&p, access, kind, vault)?;
        Ok(p)
    }
}

/// The rules for a path the user typed (see the module's comment).
pub fn typed(p: &Path, access: Access, kind: Kind, vault: &Path) -> Result<(), ErrorDto> {
    if !p.is_absolute() {
        return Err(refused("a typed path must be absolute"));
    }
    if p.components().any(|c| matches!(c, Component::ParentDir)) {
        return Err(refused("a typed path may not go up a folder ('..')"));
    }
    let extension = p.extension().and_then(|e| e.to_str()).unwrap_or("");
    let exts = kind.extensions();
    if !exts.is_empty() && !exts.iter().any(|e| e.eq_ignore_ascii_case(extension)) {
        return Err(refused(&format!(
            "a typed path must end in .{}",
            exts.join(" or .")
        )));
    }
    if p.starts_with(vault) {
        return Err(refused("it is inside the vault's folder"));
    }
    let hidden = p.components().any(|c| match c {
        Component::Normal(n) => n.to_str().is_none_or(|s| s.starts_with('.')),
        _ => false,
    });
    if matches!(kind, Kind::Attachment | Kind::I2 | Kind::Statistics) && hidden {
        return Err(refused("it is a hidden file or in a hidden folder"));
    }
    match access {
        Access::Folder => {
            let folder = std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_dir());
            if !folder {
                return Err(refused("it is not a folder (or it is a link)"));
            }
            let files: &[&str] = match kind {
                Kind::Statistics => &caravan_core::caravan_htcds::FILE_NAMES,
                _ => &I2_FILES,
            };
            if files
                .iter()
                .any(|f| std::fs::symlink_metadata(p.join(f)).is_ok())
            {
                return Err(refused("a typed folder never has its files replaced"));
            }
        }
        Access::Write => {
            if std::fs::symlink_metadata(p).is_ok() {
                return Err(refused("a typed path never replaces a file that exists"));
            }
            if !p.parent().is_some_and(Path::is_dir) {
                return Err(refused("its folder does not exist"));
            }
        }
        Access::Read => {
            let regular = std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_file());
            if !regular {
                return Err(refused("it is not a file (or it is a link)"));
            }
        }
    }
    Ok(())
}
