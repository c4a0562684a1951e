//! The smallest Typst world the dossier needs: one template, one data
//! file and the bundled fonts. No file system, no packages, no clock:
//! nothing outside the dossier's content can reach the document.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The template: fixed markup that reads the dossier's data as JSON.
const TEMPLATE: &str = include_str!("dossier.typ");

/// DejaVu Serif (regular and bold, Bitstream Vera licence with DejaVu's
/// public-domain changes; `fonts/LICENSE-DejaVu.txt`): every letter of the
/// shipped languages, Kazakh, Tajik and Uzbek Cyrillic included.
const FONT_FILES: [&[u8]; 2] = [
    include_bytes!("../fonts/DejaVuSerif.ttf"),
    include_bytes!("../fonts/DejaVuSerif-Bold.ttf"),
];

/// The family the template sets.
pub const FONT_FAMILY: &str = "DejaVu Serif";

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONT_FILES
        .iter()
        .flat_map(|data| Font::iter(Bytes::new(*data)))
        .collect();
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// Whether a bundled font has a glyph for `c`.
pub fn covered(c: char) -> bool {
    FONTS
        .fonts
        .iter()
        .any(|f| f.info().coverage.contains(c as u32))
}

fn file_id(path: &str) -> FileId {
    // Both paths are constants of this module, valid by construction.
    let vpath = VirtualPath::new(path).unwrap_or_else(|_| unreachable_path());
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

fn unreachable_path() -> VirtualPath {
    VirtualPath::new("/").expect("the root is a path")
}

pub const MAIN_PATH: &str = "/dossier.typ";
pub const DATA_PATH: &str = "/dossier.json";

/// A world holding the template and one dossier's data.
pub struct DossierWorld {
    main: FileId,
    data_id: FileId,
    source: Source,
    data: Bytes,
}

impl DossierWorld {
    pub fn new(data_json: String) -> DossierWorld {
        let main = file_id(MAIN_PATH);
        DossierWorld {
            main,
            data_id: file_id(DATA_PATH),
            source: Source::new(main, TEMPLATE.to_string()),
            data: Bytes::from_string(data_json),
        }
    }
}

impl World for DossierWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main {
            Ok(self.source.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else if id == self.main {
            Ok(Bytes::from_string(self.source.text().to_string()))
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    /// No clock: a dossier's bytes depend on its content alone.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}
