// The one place that talks to the desktop shell. One typed function per
// command; every failure becomes an ApiError carrying the backend's stable
// code, which the UI translates (never the message text).
import { invoke, Channel } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { ErrorDto } from '$lib/bindings/ErrorDto';
import type { HistoryEntry } from '$lib/bindings/HistoryEntry';
import type { FieldEdit } from '$lib/bindings/FieldEdit';
import type { ErrorCode } from '$lib/bindings/ErrorCode';
import type { StatusDto } from '$lib/bindings/StatusDto';
import type { StrengthDto } from '$lib/bindings/StrengthDto';
import type { CreatedVaultDto } from '$lib/bindings/CreatedVaultDto';
import type { Settings } from '$lib/bindings/Settings';
import type { TeamView } from '$lib/bindings/TeamView';
import type { AccessRow } from '$lib/bindings/AccessRow';
import type { JoinRequestView } from '$lib/bindings/JoinRequestView';
import type { CaseFilter } from '$lib/bindings/CaseFilter';
import type { CaseList } from '$lib/bindings/CaseList';
import type { NewCaseInput } from '$lib/bindings/NewCaseInput';
import type { CaseView } from '$lib/bindings/CaseView';
import type { ArticleOption } from '$lib/bindings/ArticleOption';
import type { PersonInput } from '$lib/bindings/PersonInput';
import type { RevealedIdentity } from '$lib/bindings/RevealedIdentity';
import type { ChecklistView } from '$lib/bindings/ChecklistView';
import type { ItemUpdate } from '$lib/bindings/ItemUpdate';
import type { EvidenceInput } from '$lib/bindings/EvidenceInput';
import type { CustodyInput } from '$lib/bindings/CustodyInput';
import type { AttachmentView } from '$lib/bindings/AttachmentView';
import type { InterviewInput } from '$lib/bindings/InterviewInput';
import type { TaskInput } from '$lib/bindings/TaskInput';
import type { EventInput } from '$lib/bindings/EventInput';
import type { ReferralInput } from '$lib/bindings/ReferralInput';
import type { CaseLinkInput } from '$lib/bindings/CaseLinkInput';
import type { InternationalRequestInput } from '$lib/bindings/InternationalRequestInput';
import type { IdentifierInput } from '$lib/bindings/IdentifierInput';
import type { GroupInput } from '$lib/bindings/GroupInput';
import type { GroupMemberInput } from '$lib/bindings/GroupMemberInput';
import type { RevealedValue } from '$lib/bindings/RevealedValue';
import type { LinkGraph } from '$lib/bindings/LinkGraph';
import type { LinkOptions } from '$lib/bindings/LinkOptions';
import type { I2ExportInput } from '$lib/bindings/I2ExportInput';
import type { I2Export } from '$lib/bindings/I2Export';
import type { ProceduralDecisionInput } from '$lib/bindings/ProceduralDecisionInput';
import type { MeasureInput } from '$lib/bindings/MeasureInput';
import type { ChargeInput } from '$lib/bindings/ChargeInput';
import type { IndictmentInput } from '$lib/bindings/IndictmentInput';
import type { HearingInput } from '$lib/bindings/HearingInput';
import type { VerdictInput } from '$lib/bindings/VerdictInput';
import type { CompensationInput } from '$lib/bindings/CompensationInput';
import type { SupportServiceInput } from '$lib/bindings/SupportServiceInput';
import type { RiskInput } from '$lib/bindings/RiskInput';
import type { ConflictView } from '$lib/bindings/ConflictView';
import type { Progress } from '$lib/bindings/Progress';
import type { ExportSummary } from '$lib/bindings/ExportSummary';
import type { ImportSummary } from '$lib/bindings/ImportSummary';
import type { PeerExchange } from '$lib/bindings/PeerExchange';
import type { QuarantineRow } from '$lib/bindings/QuarantineRow';
import type { Role } from '$lib/bindings/Role';
import type { Stage } from '$lib/bindings/Stage';
import type { ReviewKind } from '$lib/bindings/ReviewKind';
import type { Decision } from '$lib/bindings/Decision';
import type { SignOffTarget } from '$lib/bindings/SignOffTarget';
import type { ReleaseView } from '$lib/bindings/ReleaseView';
import type { DiscardView } from '$lib/bindings/DiscardView';
import type { RoutesOptions } from '$lib/bindings/RoutesOptions';
import type { RoutesView } from '$lib/bindings/RoutesView';
import type { GeojsonSummary } from '$lib/bindings/GeojsonSummary';
import type { ProgressReport } from '$lib/bindings/ProgressReport';
import type { AuditRow } from '$lib/bindings/AuditRow';
import type { AuditCheck } from '$lib/bindings/AuditCheck';
import type { LanStartRequest } from '$lib/bindings/LanStartRequest';
import type { LanStatusDto } from '$lib/bindings/LanStatusDto';
import type { RelayView } from '$lib/bindings/RelayView';
import type { RelaySyncDto } from '$lib/bindings/RelaySyncDto';
import type { FinancialFlowInput } from '$lib/bindings/FinancialFlowInput';
import type { HtcdsOptions } from '$lib/bindings/HtcdsOptions';
import type { HtcdsExport } from '$lib/bindings/HtcdsExport';
import type { DossierOptions } from '$lib/bindings/DossierOptions';
import type { DossierView } from '$lib/bindings/DossierView';

/** A rejected command, with the backend's stable code. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly kind: string;
  constructor(dto: ErrorDto) {
    super(dto.message);
    this.name = 'ApiError';
    this.code = dto.code;
    this.kind = dto.kind;
  }
}

function isErrorDto(v: unknown): v is ErrorDto {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as Record<string, unknown>).code === 'string' &&
    typeof (v as Record<string, unknown>).kind === 'string'
  );
}

/** Turns whatever a command rejected with into an ApiError. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (isErrorDto(e)) {
    const m = (e as Record<string, unknown>).message;
    return new ApiError({ code: e.code, kind: e.kind, message: typeof m === 'string' ? m : '' });
  }
  const message = e instanceof Error ? e.message : typeof e === 'string' ? e : '';
  return new ApiError({ code: 'app.unexpected', kind: 'failure', message });
}

// The invoke boundary: the only untyped spot.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Args = Record<string, any>;

let lockedHandler: (() => void) | null = null;

/** Called when any command reports that the vault is locked. */
export function onLockedError(handler: (() => void) | null): void {
  lockedHandler = handler;
}

async function call<T>(cmd: string, args?: Args): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    const err = toApiError(e);
    if (err.code === 'app.locked' && cmd !== 'lock') lockedHandler?.();
    throw err;
  }
}

export type ProgressHandler = (p: Progress) => void;

function progressChannel(onProgress?: ProgressHandler): Channel<Progress> {
  return new Channel<Progress>((p) => onProgress?.(p));
}

// --- session ---------------------------------------------------------------
export const appStatus = () => call<StatusDto>('app_status');
export const passphraseStrength = (passphrase: string) =>
  call<StrengthDto>('passphrase_strength', { passphrase });
export const createVault = (passphrase: string) => call<CreatedVaultDto>('create_vault', { passphrase });
export const unlock = (passphrase: string) => call<StatusDto>('unlock', { passphrase });
export const recover = (recovery_code: string, new_passphrase: string) =>
  call<StatusDto>('recover', { recovery_code, new_passphrase });
/** The person wrote the recovery code down: it is not shown again. */
export const confirmRecoveryCode = () => call<null>('confirm_recovery_code');
/** A new recovery code (the unconfirmed one stops working). */
export const newRecoveryCode = () => call<string>('new_recovery_code');
export const lock = () => call<null>('lock');
export const touch = () => call<null>('touch');
export const setSettings = (settings: Settings) => call<null>('set_settings', { settings });
export const openDemo = () => call<StatusDto>('open_demo');
export const demoPassphrase = () => call<string>('demo_passphrase');
export const leaveDemo = () => call<StatusDto>('leave_demo');
/** Opens the shell's file dialog; `null` when the user cancels. */
export const pickFile = (mode: 'open' | 'save' | 'folder', kind: string, default_name: string | null) =>
  call<string | null>('pick_file', { mode, kind, default_name });

// --- team ------------------------------------------------------------------
export const foundTeam = (team_name: string, member_name: string, device_label: string) =>
  call<TeamView>('found_team', { team_name, member_name, device_label });
export const team = () => call<TeamView>('team');
export const writeJoinRequest = (member_name: string, device_label: string, path: string | null) =>
  call<string>('write_join_request', { member_name, device_label, path });
/** `team_id`: the team fingerprint read out by the admin (or the team id); required. */
export const acceptJoin = (package_path: string, team_id: string) =>
  call<TeamView>('accept_join', { package_path, team_id });
export const inspectJoinRequest = (request: string) =>
  call<JoinRequestView>('inspect_join_request', { request });
export const approveJoin = (request: string, role: Role, out_path: string) =>
  call<TeamView>('approve_join', { request, role, out_path });
export const setRole = (member: string, role: Role) => call<null>('set_role', { member, role });
export const revoke = (device_or_member: string, reason: string | null) =>
  call<string[]>('revoke', { device_or_member, reason });
export const caseAccess = (case_id: string) => call<AccessRow[]>('case_access', { case_id });
export const grant = (case_id: string, member: string, allowed: boolean) =>
  call<null>('grant', { case_id, member, allowed });

// --- cases -----------------------------------------------------------------
export const listCases = (filter: CaseFilter) => call<CaseList>('list_cases', { filter });
export const createCase = (c: NewCaseInput) => call<string>('create_case', { case: c });
export const showCase = (case_id: string) => call<CaseView>('show_case', { case_id });
export const setField = (case_id: string, path: string, value: string) =>
  call<null>('set_field', { case_id, path, value });
export const setText = (case_id: string, path: string, text: string) =>
  call<null>('set_text', { case_id, path, text });
export const setList = (case_id: string, path: string, values: string[]) =>
  call<null>('set_list', { case_id, path, values });
/** An edit dialog's changed fields of one record, saved as one change:
 *  checked together, written together or not at all. */
export const setFields = (case_id: string, fields: FieldEdit[]) => call<null>('set_fields', { case_id, fields });
/** A record's changes (`victims/<id>`, `tasks/<id>`, …); identity values
 *  only with `reveal`, which the core records in the audit log. */
export const recordHistory = (case_id: string, record: string, reveal: boolean) =>
  call<HistoryEntry[]>('record_history', { case_id, record, reveal });
export const setStage = (case_id: string, stage: Stage, open: boolean) =>
  call<null>('set_stage', { case_id, stage, open });
export const assign = (case_id: string, member: string, assigned: boolean) =>
  call<null>('assign', { case_id, member, assigned });
export const addPerson = (case_id: string, person: PersonInput) =>
  call<string>('add_person', { case_id, person });
export const revealPerson = (case_id: string, person_id: string) =>
  call<RevealedIdentity>('reveal_person', { case_id, person_id });
export const articles = (jurisdiction: string, lang: string) =>
  call<ArticleOption[]>('articles', { jurisdiction, lang });
export const addArticle = (case_id: string, key: string, part: string | null, paragraph: string | null) =>
  call<null>('add_article', { case_id, key, part, paragraph });
export const agreeWithQualification = (case_id: string, comment: string) =>
  call<string>('agree_with_qualification', { case_id, comment });
export const proposeArticle = (
  case_id: string,
  key: string,
  part: string | null,
  paragraph: string | null,
  comment: string,
) => call<string>('propose_article', { case_id, key, part, paragraph, comment });
export const removeArticle = (case_id: string, key: string) => call<null>('remove_article', { case_id, key });
export const checklists = (case_id: string, stage: Stage | null, lang: string) =>
  call<ChecklistView[]>('checklists', { case_id, stage, lang });
/** `checklist` is the checklist's key (`ChecklistView.key`). */
export const setItem = (case_id: string, checklist: string, item_id: string, update: ItemUpdate) =>
  call<null>('set_item', { case_id, checklist, item_id, update });
export const signOffItem = (case_id: string, checklist: string, item_id: string) =>
  call<null>('sign_off_item', { case_id, checklist, item_id });
/** For the case, or, for a template kept per victim, for `person_id`. */
export const startChecklist = (case_id: string, template_id: string, person_id: string | null = null) =>
  call<null>('start_checklist', { case_id, template_id, person_id });
/** Starts a per-victim template for every victim who has not got it; returns whom for. */
export const startChecklistForEveryVictim = (case_id: string, template_id: string) =>
  call<string[]>('start_checklist_for_every_victim', { case_id, template_id });
export const adoptTemplate = (case_id: string, checklist: string) =>
  call<null>('adopt_template', { case_id, checklist });
export const addEvidence = (case_id: string, evidence: EvidenceInput) =>
  call<string>('add_evidence', { case_id, evidence });
export const transferCustody = (case_id: string, evidence_id: string, transfer: CustodyInput) =>
  call<string>('transfer_custody', { case_id, evidence_id, transfer });
export const attach = (case_id: string, evidence_id: string | null, path: string) =>
  call<AttachmentView>('attach', { case_id, evidence_id, path });
/** Writes the file attached to an evidence item, decrypted, to `path`. */
export const exportAttachment = (case_id: string, evidence_id: string, path: string) =>
  call<AttachmentView>('export_attachment', { case_id, evidence_id, path });
export const addInterview = (case_id: string, interview: InterviewInput) =>
  call<string>('add_interview', { case_id, interview });
export const addTask = (case_id: string, task: TaskInput) => call<string>('add_task', { case_id, task });
export const setTaskDone = (case_id: string, task_id: string, done: boolean) =>
  call<null>('set_task_done', { case_id, task_id, done });
export const addEvent = (case_id: string, event: EventInput) => call<string>('add_event', { case_id, event });
export const addReferral = (case_id: string, referral: ReferralInput) =>
  call<string>('add_referral', { case_id, referral });
export const addRisk = (case_id: string, risk: RiskInput) => call<string>('add_risk', { case_id, risk });
export const addNote = (case_id: string, body: string) => call<string>('add_note', { case_id, body });
export const addCaseLink = (case_id: string, link: CaseLinkInput) => call<string>('add_case_link', { case_id, link });
export const addInternationalRequest = (case_id: string, request: InternationalRequestInput) =>
  call<string>('add_international_request', { case_id, request });
export const addIdentifier = (case_id: string, identifier: IdentifierInput) =>
  call<string>('add_identifier', { case_id, identifier });
/** An identifier's value; the core writes the audit entry first. */
export const revealIdentifier = (case_id: string, identifier_id: string) =>
  call<RevealedValue>('reveal_identifier', { case_id, identifier_id });
export const addGroup = (case_id: string, group: GroupInput) => call<string>('add_group', { case_id, group });
export const setGroupMember = (case_id: string, group_id: string, member: GroupMemberInput) =>
  call<null>('set_group_member', { case_id, group_id, member });
export const removeGroupMember = (case_id: string, group_id: string, person_id: string) =>
  call<null>('remove_group_member', { case_id, group_id, person_id });
// The court phase (crates/core/src/court.rs).
/** The case's number in the national register (e.g. ERDR); '' clears it. */
export const setRegistryNumber = (case_id: string, number: string) => call<null>('set_registry_number', { case_id, number });
export const addProceduralDecision = (case_id: string, decision: ProceduralDecisionInput) =>
  call<string>('add_procedural_decision', { case_id, decision });
export const addMeasure = (case_id: string, measure: MeasureInput) => call<string>('add_measure', { case_id, measure });
export const addCharge = (case_id: string, charge: ChargeInput) => call<string>('add_charge', { case_id, charge });
export const addIndictment = (case_id: string, indictment: IndictmentInput) => call<string>('add_indictment', { case_id, indictment });
export const addHearing = (case_id: string, hearing: HearingInput) => call<string>('add_hearing', { case_id, hearing });
export const addVerdict = (case_id: string, verdict: VerdictInput) => call<string>('add_verdict', { case_id, verdict });
export const addCompensation = (case_id: string, compensation: CompensationInput) =>
  call<string>('add_compensation', { case_id, compensation });
export const addReview = (case_id: string, kind: ReviewKind, stage: Stage | null, text: string) =>
  call<string>('add_review', { case_id, kind, stage, text });
/** Withdraws one of the caller's own sign-offs; the reason is required. */
export const withdrawSignOff = (case_id: string, target: SignOffTarget, reason: string) =>
  call<string>('withdraw_signoff', { case_id, target, reason });
export const addApproval = (
  case_id: string,
  stage: Stage | null,
  subject: string,
  decision: Decision,
  comment: string | null,
) => call<string>('add_approval', { case_id, stage, subject, decision, comment });
export const conflicts = (case_id: string | null, reveal: boolean) =>
  call<ConflictView[]>('conflicts', { case_id, reveal });
export const resolveConflict = (case_id: string, path: string, choice: string) =>
  call<null>('resolve_conflict', { case_id, path, choice });

// --- sync, reports, audit --------------------------------------------------
export const exportBundle = (member: string | null, path: string, onProgress?: ProgressHandler) =>
  call<ExportSummary>('export_bundle', { member, path, on_progress: progressChannel(onProgress) });
export const importBundle = (path: string, onProgress?: ProgressHandler) =>
  call<ImportSummary>('import_bundle', { path, on_progress: progressChannel(onProgress) });
export const peers = () => call<PeerExchange[]>('peers');
export const quarantine = () => call<QuarantineRow[]>('quarantine');
/** A quarantined change, by its case (or "team") and change hash. */
export type QuarantineRef = { case_id: string; change: string };
export const releaseQuarantined = (target: QuarantineRef) => call<ReleaseView>('release_quarantined', target);
export const discardQuarantined = (target: QuarantineRef) => call<DiscardView>('discard_quarantined', target);
export const progressReport = () => call<ProgressReport>('progress_report');
export const auditLog = (limit: number | null) => call<AuditRow[]>('audit_log', { limit });
export const auditVerify = () => call<AuditCheck>('audit_verify');

// --- LAN sync and relays ---------------------------------------------------
/** Starts LAN sync (restarting it if it runs); answers once it listens. */
export const lanStart = (request: LanStartRequest) => call<LanStatusDto>('lan_start', { request });
export const lanStop = () => call<LanStatusDto>('lan_stop');
/** Dials another laptop by `ip:port` while LAN sync runs. */
export const lanConnect = (address: string) => call<LanStatusDto>('lan_connect', { address });
export const lanStatus = () => call<LanStatusDto>('lan_status');
/** What the sync centre shows before the shell has answered: not running. */
export const LAN_IDLE: LanStatusDto = {
  running: false,
  listening: null,
  addresses: [],
  discovery: true,
  discovery_failed: false,
  public_network: false,
  last_error_code: null,
  peers: [],
};

/** Calls `handler` with the whole LAN status each time it changes; returns
 *  the function that stops listening. */
export function onLanStatus(handler: (status: LanStatusDto) => void): () => void {
  let unlisten: (() => void) | null = null;
  let stopped = false;
  listen<LanStatusDto>('caravan://lan', (e) => handler(e.payload))
    .then((u) => (stopped ? u() : (unlisten = u)))
    .catch(() => {}); // without events the screen still shows what the commands answer
  return () => {
    stopped = true;
    const r: unknown = unlisten?.();
    if (r instanceof Promise) r.catch(() => {});
  };
}

export const relays = () => call<RelayView[]>('relays');
/** Calls `handler` with the relays as listed after each background round
 *  (the app syncs through every relay while the vault is open); returns
 *  the function that stops listening. */
export function onRelays(handler: (relays: RelayView[]) => void): () => void {
  let unlisten: (() => void) | null = null;
  let stopped = false;
  listen<RelayView[]>('caravan://relays', (e) => handler(e.payload))
    .then((u) => (stopped ? u() : (unlisten = u)))
    .catch(() => {}); // without events the list shows what the commands answer
  return () => {
    stopped = true;
    const r: unknown = unlisten?.();
    if (r instanceof Promise) r.catch(() => {});
  };
}
/** Adds a relay (admins): its address and the key its operator gave; the
 *  relay is sent the team's list of devices. Answers with every relay. */
export const relayAdd = (url: string, key: string) => call<RelayView[]>('relay_add', { url, key });
/** Removes a relay (admins); answers with the relays left. */
export const relayRemove = (key: string) => call<RelayView[]>('relay_remove', { key });
/** One round through the relay: send, fetch, apply, acknowledge. */
export const relaySyncNow = (key: string) => call<RelaySyncDto>('relay_sync_now', { key });
// A victim's support plan (crates/core/src/support.rs); the victim's
// reflection period and return are their fields, set with `setField`.
export const addSupport = (case_id: string, service: SupportServiceInput) => call<string>('add_support', { case_id, service });
// The financial investigation (crates/core/src/finance.rs).
export const addFinancialFlow = (case_id: string, flow: FinancialFlowInput) => call<string>('add_financial_flow', { case_id, flow });
/** A flow's account number; the core writes the audit entry first. */
export const revealAccount = (case_id: string, flow_id: string) => call<RevealedValue>('reveal_account', { case_id, flow_id });
// Routes on the map (crates/core/src/routes.rs): one case's or every case
// the member may see; the GeoJSON export for analysts.
export const routes = (options: RoutesOptions) => call<RoutesView>('routes', { options });
export const exportGeojson = (options: RoutesOptions, path: string) =>
  call<GeojsonSummary>('export_geojson', { options, path });
// The link analysis across cases (crates/core/src/links.rs).
/** The graph of the cases this member may see, values masked. */
export const linkGraph = (options: LinkOptions) => call<LinkGraph>('link_graph', { options });
/** One occurrence's value (a case and a record path the graph gives);
 *  the core writes the audit entry first. */
export const revealLinkEntity = (case_id: string, path: string) =>
  call<RevealedValue>('reveal_link_entity', { case_id, path });
/** Writes entities.csv and links.csv for i2 Analyst's Notebook into a
 *  folder (chosen with `pickFolder`, or typed: an existing folder holding
 *  neither file); audited, masked unless `reveal`. */
export const exportI2 = (request: I2ExportInput) => call<I2Export>('export_i2', { request });
/** The shell's folder dialog, for the i2 files; `null` when cancelled. */
export const pickFolder = () => call<string | null>('pick_file', { mode: 'folder', kind: 'i2', default_name: null });
// Anonymised statistics (crates/core/src/htcds.rs): written into a folder
// the folder dialog returned, or a new one typed by the user.
export const exportHtcds = (options: HtcdsOptions) => call<HtcdsExport>('export_htcds', { options });
// The court dossier (crates/core/src/dossier.rs): written to `path` (the
// save dialog's choice or a new .pdf file typed by the user).
export const writeDossier = (case_id: string, options: DossierOptions, path: string) =>
  call<DossierView>('write_dossier', { case_id, options, path });
