//! The contract's TypeScript declarations: every view and input a front
//! end exchanges with the core, with the vocabularies, dates and ids they
//! use. The desktop shell writes them to `ui/src/lib/bindings/` (a test
//! there fails when they are stale).

use ts_rs::{Config, ExportError, TS};

use crate::cases::ArticleOption;
use crate::checklists::ChecklistView;
use crate::conflicts::ConflictView;
use crate::exchange::{
    DiscardView, ExportSummary, ImportSummary, PeerExchange, Progress, QuarantineRow, ReleaseView,
};
use crate::inputs::*;
use crate::records::AttachmentView;
use crate::reports::ProgressReport;
use crate::team::{JoinRequestView, TeamView};
use crate::view::{CaseList, CaseView, RevealedIdentity};
use crate::{Settings, audit, model};

/// Writes the declaration of every type of the contract (one file each)
/// into `cfg`'s output folder.
pub fn export_all(cfg: &Config) -> Result<(), ExportError> {
    macro_rules! export {
        ($($t:ty),+ $(,)?) => { $(<$t as TS>::export_all(cfg)?;)+ };
    }
    export!(
        CaseList,
        caravan_links::LinkGraph,
        caravan_links::LinkOptions,
        crate::links::I2ExportInput,
        crate::links::I2Export,
        CaseFilter,
        NewCaseInput,
        CaseView,
        ArticleOption,
        PersonInput,
        RevealedIdentity,
        crate::view::RevealedValue,
        ChecklistView,
        ItemUpdate,
        EvidenceInput,
        CustodyInput,
        AttachmentView,
        crate::dossier::DossierOptions,
        crate::dossier::DossierView,
        crate::dossier::DossierCheck,
        InterviewInput,
        TaskInput,
        EventInput,
        ReferralInput,
        RiskInput,
        CaseLinkInput,
        InternationalRequestInput,
        IdentifierInput,
        GroupInput,
        GroupMemberInput,
        crate::inputs::FieldEdit,
        ProceduralDecisionInput,
        MeasureInput,
        ChargeInput,
        IndictmentInput,
        HearingInput,
        VerdictInput,
        CompensationInput,
        FinancialFlowInput,
        ConflictView,
        crate::history::HistoryEntry,
        Progress,
        ExportSummary,
        ImportSummary,
        PeerExchange,
        QuarantineRow,
        ReleaseView,
        DiscardView,
        ProgressReport,
        audit::AuditRow,
        audit::AuditCheck,
        TeamView,
        crate::team::AccessRow,
        crate::relays::RelayView,
        JoinRequestView,
        Settings,
        crate::view::SignOffTarget,
        model::ReviewKind,
        model::Decision,
        model::Role,
        model::ItemStatus,
        crate::inputs::SupportServiceInput,
        crate::routes::RoutesOptions,
        crate::routes::RoutesView,
        crate::geojson::GeojsonSummary,
        crate::htcds::HtcdsOptions,
        crate::htcds::HtcdsExport,
    );
    Ok(())
}
