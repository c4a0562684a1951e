//! The court dossier of a case: a paginated PDF/A-2b document, typeset
//! with Typst as a library, in the case's chosen language, bound to the
//! case's state by its Automerge heads.
//!
//! The core builds a [`DossierContent`] from a case (labels as catalogue
//! keys, the case's text as data); [`render`] typesets it; [`read_binding`]
//! takes the binding back from a PDF, for a later check against a vault.
//! Nothing of the case's text is ever evaluated as Typst code: the
//! template is fixed, and reads the content as JSON.

mod binding;
mod content;
mod error;
mod labels;
mod render;
mod world;

pub use binding::{Binding, MARKER, MAX_PDF_BYTES, read as read_binding};
pub use content::{Cover, DossierContent, Entry, Field, Section, Table, Value};
pub use error::DossierError;
pub use labels::{LANGUAGES, Labels, language};
pub use render::{Rendered, moment, render};
pub use world::FONT_FAMILY;
