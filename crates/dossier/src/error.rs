//! Why a dossier could not be made or read.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum DossierError {
    /// The document could not be typeset: a fault of this build (the
    /// case's text is data to the typesetter and cannot cause it).
    #[error("the dossier could not be typeset: {0}")]
    Typeset(String),
    #[error("this is not a PDF file")]
    NotPdf,
    #[error("this PDF carries no dossier binding: it was not made by Caravan's court dossier")]
    NoBinding,
    #[error("the dossier's binding cannot be read: its metadata was damaged")]
    BadBinding,
    #[error("the dossier's binding does not match its digest: the document was altered")]
    BindingAltered,
    #[error("the language {0} is not one Caravan is shipped in")]
    UnknownLanguage(String),
}

caravan_errors::coded! {
    DossierError {
        Self::Typeset(_) => ("dossier.typeset", Failure),
        Self::NotPdf => ("dossier.not_pdf", Rejected),
        Self::NoBinding => ("dossier.no_binding", Rejected),
        Self::BadBinding => ("dossier.bad_binding", Verification),
        Self::BindingAltered => ("dossier.binding_altered", Verification),
        Self::UnknownLanguage(_) => ("dossier.unknown_language", Rejected),
    }
}
