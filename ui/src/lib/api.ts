// The one place that talks to the desktop shell. One typed function per
// command; every failure becomes an ApiError carrying the backend's stable
// code, which the UI translates (never the message text).
import { invoke, Channel } from '@tauri-apps/api/core';
import type { ErrorDto } from '$lib/bindings/ErrorDto';
import type { ErrorCode } from '$lib/bindings/ErrorCode';
import type { StatusDto } from '$lib/bindings/StatusDto';
import type { StrengthDto } from '$lib/bindings/StrengthDto';
import type { CreatedVaultDto } from '$lib/bindings/CreatedVaultDto';
import type { SettingsDto } from '$lib/bindings/SettingsDto';
import type { TeamDto } from '$lib/bindings/TeamDto';
import type { JoinRequestDto } from '$lib/bindings/JoinRequestDto';
import type { CaseFilterDto } from '$lib/bindings/CaseFilterDto';
import type { CaseListDto } from '$lib/bindings/CaseListDto';
import type { NewCaseDto } from '$lib/bindings/NewCaseDto';
import type { CaseDto } from '$lib/bindings/CaseDto';
import type { ArticleOptionDto } from '$lib/bindings/ArticleOptionDto';
import type { NewPersonDto } from '$lib/bindings/NewPersonDto';
import type { IdentityDto } from '$lib/bindings/IdentityDto';
import type { ChecklistDto } from '$lib/bindings/ChecklistDto';
import type { ItemUpdateDto } from '$lib/bindings/ItemUpdateDto';
import type { NewEvidenceDto } from '$lib/bindings/NewEvidenceDto';
import type { CustodyTransferDto } from '$lib/bindings/CustodyTransferDto';
import type { AttachmentDto } from '$lib/bindings/AttachmentDto';
import type { NewInterviewDto } from '$lib/bindings/NewInterviewDto';
import type { NewTaskDto } from '$lib/bindings/NewTaskDto';
import type { NewEventDto } from '$lib/bindings/NewEventDto';
import type { NewReferralDto } from '$lib/bindings/NewReferralDto';
import type { NewRiskDto } from '$lib/bindings/NewRiskDto';
import type { ConflictDto } from '$lib/bindings/ConflictDto';
import type { ProgressDto } from '$lib/bindings/ProgressDto';
import type { ExportDto } from '$lib/bindings/ExportDto';
import type { ImportReportDto } from '$lib/bindings/ImportReportDto';
import type { PeerDto } from '$lib/bindings/PeerDto';
import type { QuarantineRowDto } from '$lib/bindings/QuarantineRowDto';
import type { QuarantineRefDto } from '$lib/bindings/QuarantineRefDto';
import type { ReleaseDto } from '$lib/bindings/ReleaseDto';
import type { DiscardDto } from '$lib/bindings/DiscardDto';
import type { ReportDto } from '$lib/bindings/ReportDto';
import type { AuditRowDto } from '$lib/bindings/AuditRowDto';
import type { AuditCheckDto } from '$lib/bindings/AuditCheckDto';

/** A failure the UI reports itself: a command that failed without an
 *  ErrorDto (the shell unreachable, a bug). */
export type UiErrorCode = 'app.unexpected';

/** A rejected command, with the backend's stable code. */
export class ApiError extends Error {
  readonly code: ErrorCode | UiErrorCode;
  readonly kind: string;
  constructor(dto: ErrorDto) {
    super(dto.message);
    this.name = 'ApiError';
    // The shell and this UI are built together from one tree, and
    // ErrorCode is generated from the codes the shell returns.
    this.code = dto.code as ErrorCode | UiErrorCode;
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

export type ProgressHandler = (p: ProgressDto) => void;

function progressChannel(onProgress?: ProgressHandler): Channel<ProgressDto> {
  return new Channel<ProgressDto>((p) => onProgress?.(p));
}

// --- session ---------------------------------------------------------------
export const appStatus = () => call<StatusDto>('app_status');
export const passphraseStrength = (passphrase: string) =>
  call<StrengthDto>('passphrase_strength', { passphrase });
export const createVault = (passphrase: string) => call<CreatedVaultDto>('create_vault', { passphrase });
export const unlock = (passphrase: string) => call<StatusDto>('unlock', { passphrase });
export const recover = (recovery_code: string, new_passphrase: string) =>
  call<StatusDto>('recover', { recovery_code, new_passphrase });
export const lock = () => call<null>('lock');
export const touch = () => call<null>('touch');
export const setSettings = (settings: SettingsDto) => call<null>('set_settings', { settings });
export const openDemo = () => call<StatusDto>('open_demo');
export const demoPassphrase = () => call<string>('demo_passphrase');
export const leaveDemo = () => call<StatusDto>('leave_demo');
/** Opens the shell's file dialog; `null` when the user cancels. */
export const pickFile = (mode: 'open' | 'save', kind: string, default_name: string | null) =>
  call<string | null>('pick_file', { mode, kind, default_name });

// --- team ------------------------------------------------------------------
export const foundTeam = (team_name: string, member_name: string, device_label: string) =>
  call<TeamDto>('found_team', { team_name, member_name, device_label });
export const team = () => call<TeamDto>('team');
export const writeJoinRequest = (member_name: string, device_label: string, path: string | null) =>
  call<string>('write_join_request', { member_name, device_label, path });
/** `team_id`: the team fingerprint read out by the admin (or the team id); required. */
export const acceptJoin = (package_path: string, team_id: string) =>
  call<TeamDto>('accept_join', { package_path, team_id });
export const inspectJoinRequest = (request: string) =>
  call<JoinRequestDto>('inspect_join_request', { request });
export const approveJoin = (request: string, role_id: string, out_path: string) =>
  call<TeamDto>('approve_join', { request, role_id, out_path });
export const setRole = (member: string, role_id: string) => call<null>('set_role', { member, role_id });
export const revoke = (device_or_member: string, reason: string | null) =>
  call<string[]>('revoke', { device_or_member, reason });
export const grant = (case_id: string, member: string, allowed: boolean) =>
  call<null>('grant', { case_id, member, allowed });

// --- cases -----------------------------------------------------------------
export const listCases = (filter: CaseFilterDto) => call<CaseListDto>('list_cases', { filter });
export const createCase = (c: NewCaseDto) => call<string>('create_case', { case: c });
export const showCase = (case_id: string) => call<CaseDto>('show_case', { case_id });
export const setField = (case_id: string, path: string, value: string) =>
  call<null>('set_field', { case_id, path, value });
export const setText = (case_id: string, path: string, text: string) =>
  call<null>('set_text', { case_id, path, text });
export const setStage = (case_id: string, stage: string, open: boolean) =>
  call<null>('set_stage', { case_id, stage, open });
export const assign = (case_id: string, member: string, assigned: boolean) =>
  call<null>('assign', { case_id, member, assigned });
export const addPerson = (case_id: string, person: NewPersonDto) =>
  call<string>('add_person', { case_id, person });
export const revealPerson = (case_id: string, person_id: string) =>
  call<IdentityDto>('reveal_person', { case_id, person_id });
export const articles = (jurisdiction: string, lang: string) =>
  call<ArticleOptionDto[]>('articles', { jurisdiction, lang });
export const addArticle = (case_id: string, key: string) => call<null>('add_article', { case_id, key });
export const removeArticle = (case_id: string, key: string) => call<null>('remove_article', { case_id, key });
export const checklists = (case_id: string, stage: string | null, lang: string) =>
  call<ChecklistDto[]>('checklists', { case_id, stage, lang });
export const setItem = (case_id: string, template_id: string, item_id: string, update: ItemUpdateDto) =>
  call<null>('set_item', { case_id, template_id, item_id, update });
export const signOffItem = (case_id: string, template_id: string, item_id: string) =>
  call<null>('sign_off_item', { case_id, template_id, item_id });
export const startChecklist = (case_id: string, template_id: string) =>
  call<null>('start_checklist', { case_id, template_id });
export const adoptTemplate = (case_id: string, template_id: string) =>
  call<null>('adopt_template', { case_id, template_id });
export const addEvidence = (case_id: string, evidence: NewEvidenceDto) =>
  call<string>('add_evidence', { case_id, evidence });
export const transferCustody = (case_id: string, evidence_id: string, transfer: CustodyTransferDto) =>
  call<string>('transfer_custody', { case_id, evidence_id, transfer });
export const attach = (case_id: string, evidence_id: string | null, path: string) =>
  call<AttachmentDto>('attach', { case_id, evidence_id, path });
export const addInterview = (case_id: string, interview: NewInterviewDto) =>
  call<string>('add_interview', { case_id, interview });
export const addTask = (case_id: string, task: NewTaskDto) => call<string>('add_task', { case_id, task });
export const setTaskDone = (case_id: string, task_id: string, done: boolean) =>
  call<null>('set_task_done', { case_id, task_id, done });
export const addEvent = (case_id: string, event: NewEventDto) => call<string>('add_event', { case_id, event });
export const addReferral = (case_id: string, referral: NewReferralDto) =>
  call<string>('add_referral', { case_id, referral });
export const addRisk = (case_id: string, risk: NewRiskDto) => call<string>('add_risk', { case_id, risk });
export const addNote = (case_id: string, body: string) => call<string>('add_note', { case_id, body });
export const addReview = (case_id: string, kind: string, stage: string | null, text: string) =>
  call<string>('add_review', { case_id, kind, stage, text });
export const addApproval = (
  case_id: string,
  stage: string | null,
  subject: string,
  decision: string,
  comment: string | null,
) => call<string>('add_approval', { case_id, stage, subject, decision, comment });
export const conflicts = (case_id: string | null, reveal: boolean) =>
  call<ConflictDto[]>('conflicts', { case_id, reveal });
export const resolveConflict = (case_id: string, path: string, choice: string) =>
  call<null>('resolve_conflict', { case_id, path, choice });

// --- sync, reports, audit --------------------------------------------------
export const exportBundle = (member: string | null, path: string, onProgress?: ProgressHandler) =>
  call<ExportDto>('export_bundle', { member, path, on_progress: progressChannel(onProgress) });
export const importBundle = (path: string, onProgress?: ProgressHandler) =>
  call<ImportReportDto>('import_bundle', { path, on_progress: progressChannel(onProgress) });
export const peers = () => call<PeerDto[]>('peers');
export const quarantine = () => call<QuarantineRowDto[]>('quarantine');
export const releaseQuarantined = (target: QuarantineRefDto) => call<ReleaseDto>('release_quarantined', { target });
export const discardQuarantined = (target: QuarantineRefDto) => call<DiscardDto>('discard_quarantined', { target });
export const progressReport = () => call<ReportDto>('progress_report');
export const auditLog = (limit: number | null) => call<AuditRowDto[]>('audit_log', { limit });
export const auditVerify = () => call<AuditCheckDto>('audit_verify');
