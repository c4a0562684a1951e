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
    #[error(
        "This vault holds no case the dossier was made from: check it on a device that holds the case."
    )]
    OtherCase,
    #[error(
        "The dossier does not match this vault's case: the state of the case it names is not here. Sync the case, or treat the copy as not matching."
    )]
    Mismatch,
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
        Self::OtherCase => ("dossier.other_case", Verification),
        Self::Mismatch => ("dossier.mismatch", Verification),
        Self::UnknownLanguage(_) => ("dossier.unknown_language", Rejected),
    }
}
