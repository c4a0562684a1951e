// Sample DTOs shaped exactly like the backend's, for the tests and for the
// mocked backend of the preview. Each builder fills every field with a
// plausible value and takes overrides, so a change of a DTO's shape is
// made here once.
import type { StatusDto } from '$lib/bindings/StatusDto';
import type { CourtView } from '$lib/bindings/CourtView';
import type { ChargeView } from '$lib/bindings/ChargeView';
import type { MeasureView } from '$lib/bindings/MeasureView';
import type { HearingView } from '$lib/bindings/HearingView';
import type { CaseView } from '$lib/bindings/CaseView';
import type { CaseSummary } from '$lib/bindings/CaseSummary';
import type { PersonView } from '$lib/bindings/PersonView';
import type { EvidenceView } from '$lib/bindings/EvidenceView';
import type { TaskView } from '$lib/bindings/TaskView';
import type { EventView } from '$lib/bindings/EventView';
import type { ReferralView } from '$lib/bindings/ReferralView';
import type { RiskView } from '$lib/bindings/RiskView';
import type { CaseLinkView } from '$lib/bindings/CaseLinkView';
import type { InternationalRequestView } from '$lib/bindings/InternationalRequestView';
import type { IdentifierView } from '$lib/bindings/IdentifierView';
import type { GroupView } from '$lib/bindings/GroupView';
import type { SupportServiceView } from '$lib/bindings/SupportServiceView';
import type { VictimSupportView } from '$lib/bindings/VictimSupportView';
import type { InterviewView } from '$lib/bindings/InterviewView';
import type { ChecklistView } from '$lib/bindings/ChecklistView';
import type { ItemView } from '$lib/bindings/ItemView';
import type { MemberView } from '$lib/bindings/MemberView';
import type { DeviceView } from '$lib/bindings/DeviceView';
import type { TeamView } from '$lib/bindings/TeamView';
import type { Role } from '$lib/bindings/Role';
import type { FinancialFlowView } from '$lib/bindings/FinancialFlowView';
import type { CaseRoute } from '$lib/bindings/CaseRoute';
import type { RoutePlace } from '$lib/bindings/RoutePlace';
import { PERMISSIONS_BY_ROLE } from '$lib/bindings/permissionsByRole';
import { NONE } from '$lib/perms';
import { STAGES } from '$lib/vocab';

export function status(role: Role | null, over: Partial<StatusDto> = {}): StatusDto {
  return {
    vault_dir: '/home/a/.local/share/caravan/vault',
    vault_exists: true,
    unlocked: true,
    has_team: role !== null,
    pending_join: null,
    me: role ? member({ role }) : null,
    permissions: role ? PERMISSIONS_BY_ROLE[role] : NONE,
    team_name: role ? 'Almaty unit' : null,
    settings: { auto_lock_minutes: 5, language: 'en' },
    recovery_unconfirmed: false,
    demo: false,
    ...over,
  };
}

export function device(over: Partial<DeviceView> = {}): DeviceView {
  return { id: 'dev-me', fingerprint: 'AAAA-BBBB', label: 'Office', enrolled_at: 0, revoked: false, ...over };
}

export function member(over: Partial<MemberView> = {}): MemberView {
  return { id: 'm-me', name: 'Aigerim', role: 'investigator', devices: [], ...over };
}

export function team(over: Partial<TeamView> = {}): TeamView {
  const me = over.me ?? member();
  return {
    id: 'team-1',
    fingerprint: '11111 22222 33333 44444 55555 00666',
    name: 'Almaty unit',
    me,
    device: 'dev-me',
    key_epoch: 1,
    members: [me],
    ...over,
  };
}

export function person(over: Partial<PersonView> = {}): PersonView {
  return {
    id: 'p1',
    kind: 'victim',
    pseudonym: 'V-01',
    status: 'possible_victim_of_trafficking',
    status_decided_by: null,
    recruitment_methods: [],
    sex: 'feminine',
    age_at_trafficking: 19,
    citizenships: ['UZ'],
    languages: [],
    exploitation: ['forced_labour'],
    control_methods: [],
    roles: [],
    relation: null,
    recorded_at: Date.UTC(2026, 0, 5),
    recorded_by: { id: 'm-me', name: 'Aigerim' },
    forced_labour_industry: null,
    relationship_to_trafficker: null,
    public_official: false,
    sex_exploitation: [],
    recruitment_websites: [],
    exploitation_websites: [],
    support: null,
    ...over,
  };
}

export function evidence(over: Partial<EvidenceView> = {}): EvidenceView {
  return {
    id: 'e1',
    label: 'Phone 1',
    kind: 'phone',
    description: 'Samsung, cracked screen',
    seized_at: Date.UTC(2026, 0, 4),
    seized_by: 'Det. Omarov',
    seized_from: 'site office',
    location: null,
    seal_number: 'S-0001',
    attachment: null,
    custody: [],
    holder: 'Det. Omarov',
    recorded_by: { id: 'm-me', name: 'Aigerim' },
    ...over,
  };
}

export function task(over: Partial<TaskView> = {}): TaskView {
  return { id: 't1', title: 'Request bank records', assignee: null, due: '2026-02-01', stage: 'financial', done: false, overdue: false, ...over };
}

export function timelineEvent(over: Partial<EventView> = {}): EventView {
  return {
    id: 'tl1', kind: 'transit', date: '2025-11-03', place: 'Almaty bus station', country: 'KZ', description: 'Left by bus',
    latitude: null, longitude: null, crosses_border: null, border_point: null, transport: null, ...over,
  };
}

export function identifier(over: Partial<IdentifierView> = {}): IdentifierView {
  return {
    id: 'id1', kind: 'phone', platform: 'WhatsApp', person_id: null, person: null, source: 'Seized phone', note: null,
    recorded_at: Date.UTC(2026, 0, 6), recorded_by: { id: 'm-me', name: 'Aigerim' }, ...over,
  };
}

export function group(over: Partial<GroupView> = {}): GroupView {
  return {
    id: 'g1', name: 'Kaskelen brick kiln crew', description: null,
    members: [{ person_id: 'ps1', pseudonym: 'S-1', role: 'leader', superior: null }],
    countries: ['KZ'], recorded_at: Date.UTC(2026, 0, 6), recorded_by: { id: 'm-me', name: 'Aigerim' }, ...over,
  };
}

export function referral(over: Partial<ReferralView> = {}): ReferralView {
  return { id: 'rf1', person_id: 'p1', direction: 'outgoing', organisation: 'Shelter Sana', date: '2026-01-05', reason: 'Housing', outcome: null, organisation_type: 'shelter', htcds_reason: 'additional_services_required', status: 'accepted', consent_given: true, consent_date: '2026-01-04', ...over };
}

export function caseLink(over: Partial<CaseLinkView> = {}): CaseLinkView {
  return { id: 'l1', case_id: 'c2', reference: 'ALM-2026-009', relation: 'same_suspect', note: null, openable: true, recorded_at: Date.UTC(2026, 0, 6), recorded_by: { id: 'm-me', name: 'Aigerim' }, ...over };
}

export function internationalRequest(over: Partial<InternationalRequestView> = {}): InternationalRequestView {
  return {
    id: 'ir1', kind: 'mutual_legal_assistance', notice: null, requested_state: 'UZ', legal_basis: 'chisinau2002', central_authority: null, subject: 'Bank records',
    sent_on: '2026-01-05', deadline: '2026-02-05', status: 'sent', response_on: null, open: true, overdue: false, ...over,
  };
}

export function risk(over: Partial<RiskView> = {}): RiskView {
  return { id: 'rk1', subject: 'victim', person_id: 'p1', threat: 'Contact by the recruiter', severity: 3, likelihood: 2, level: 6, mitigation: 'Phone changed', review_on: null, ...over };
}

export function interview(over: Partial<InterviewView> = {}): InterviewView {
  return {
    id: 'iv1',
    person_id: 'p1',
    stage: 'planning',
    planned_for: '2026-01-10',
    venue: 'Child-friendly room',
    interpreter: null,
    interpreter_vetted: false,
    consent_given: false,
    child_track: false,
    plan: 'Welfare check first.',
    ...over,
  };
}

/** A case's court phase: nothing recorded yet, unless given. */
export function court(over: Partial<CourtView> = {}): CourtView {
  return {
    registry_number: null, statuses: [], decisions: [], measures: [], charges: [], indictments: [], hearings: [], verdicts: [], compensation: [],
    measure_alerts: 0, ...over,
  };
}

export function charge(over: Partial<ChargeView> = {}): ChargeView {
  return {
    id: 'ch1', person_id: 'ps1', status: 'brought', brought_on: '2026-03-02', note: null,
    article: { key: 'KZ-2014-128:3', article: { jurisdiction: 'KZ', code_year: 2014, article: '128', part: '3', paragraph: null, in_force_from: '2015-01-01' }, titles: { en: 'Trafficking in persons', ru: 'Торговля людьми' }, related: false, verified: true },
    ...over,
  };
}

export function measure(over: Partial<MeasureView> = {}): MeasureView {
  return { id: 'pm1', person_id: 'ps1', kind: 'detention', ordered_by: 'Almaly district court', from: '2026-03-01', until: '2026-05-01', lifted_on: null, alert: null, ...over };
}

export function hearing(over: Partial<HearingView> = {}): HearingView {
  return {
    id: 'he1', date: '2026-05-10', court: 'Almaty city court', kind: 'trial', outcome: 'scheduled', measures_granted: ['video_link'], measures_refused: [],
    safety_reviewed: true, next_date: null, note: null, ...over,
  };
}

export function caseDto(over: Partial<CaseView> = {}): CaseView {
  return {
    id: 'c1',
    reference: 'ALM-2026-014',
    title: 'Brick kiln, Kaskelen',
    jurisdiction: 'KZ',
    status: 'active',
    created_at: Date.UTC(2026, 0, 2),
    created_by: { id: 'm-me', name: 'Aigerim' },
    narrative: '',
    qualification: [],
    qualification_opinions: [],
    prosecutor_qualifies: true,
    stages: [],
    assignment: { investigators: [], prosecutor: null, supervisor: null, reviewers: [] },
    people: [person()],
    evidence: [],
    interviews: [],
    tasks: [],
    timeline: [],
    referrals: [],
    risks: [],
    notes: [],
    review: [],
    approvals: [],
    links: [],
    international_requests: [],
    identifiers: [],
    groups: [],
    court: court(),
    finance: { flows: [], totals: [] },
    // Intake is open (a new case's), the other stages not started.
    signoffs: STAGES.map((stage) => ({ stage, blocked: stage === 'intake' ? null : 'not_started', signoffs: [] })),
    progress_percent: 10,
    stage_progress: [],
    person_progress: [],
    conflicts: 0,
    support: [],
    reflection_alerts: 0,
    ...over,
  };
}

export function caseSummary(over: Partial<CaseSummary> = {}): CaseSummary {
  return {
    id: 'c1',
    reference: 'ALM-2026-014',
    title: 'Brick kiln, Kaskelen',
    stage: 'identification',
    status: 'active',
    jurisdiction: 'KZ',
    assignees: [],
    updated_at_ms: Date.UTC(2026, 1, 1),
    progress_percent: 10,
    overdue_tasks: 0,
    overdue_international: 0,
    measure_alerts: 0,
    conflicts: 0,
    ...over,
  };
}

export function checklistItem(over: Partial<ItemView> = {}): ItemView {
  return {
    id: 'safety',
    kind: 'action',
    required: true,
    text: 'Immediate safety and medical needs addressed',
    text_lang: 'en',
    source: 'UNODC manual M5',
    status: 'open',
    reason: null,
    note: null,
    evidence_ids: [],
    signoff_needed: null,
    signed_off_by: null,
    recorded_by: null,
    recorded_at: null,
    ...over,
  };
}

export function checklist(over: Partial<ChecklistView> = {}): ChecklistView {
  return {
    key: over.template_id ?? 'initial-actions',
    template_id: 'initial-actions',
    person_id: null,
    person: null,
    per_victim: false,
    version: 1,
    newer_version: null,
    template_unknown: false,
    stage: 'initial_response',
    title: 'Initial actions',
    title_lang: 'en',
    items: [checklistItem()],
    required: 1,
    required_resolved: 0,
    ...over,
  };
}

/** A victim's reflection period and return: nothing recorded, unless given. */
export function victimSupport(over: Partial<VictimSupportView> = {}): VictimSupportView {
  return {
    reflection_from: null, reflection_until: null, residence_decision: null, residence_decided_on: null, return_country: null,
    reintegration_status: null, family_assessment_done: false, family_assessment_on: null, reflection_alert: null, child: false, ...over,
  };
}

export function supportService(over: Partial<SupportServiceView> = {}): SupportServiceView {
  return {
    id: 'sp1', victim_id: 'p1', kind: 'health', provider: 'City hospital No. 4', referral_id: null, status: 'in_progress',
    started_on: '2026-11-03', ended_on: null, note: null, recorded_by: { id: 'm-me', name: 'Aigerim' }, ...over,
  };
}

/** A transfer from the suspect to a company, frozen, its account masked. */
export function financialFlow(over: Partial<FinancialFlowView> = {}): FinancialFlowView {
  return {
    id: 'ff1', kind: 'transfer', from: { person_id: 'ps1', label: 'S-1' }, to: { person_id: null, label: 'Almaty Build LLP' }, institution: 'Kaspi Bank',
    has_account: true, amount: 450000, currency: 'KZT', date: '2026-09-30', source: 'bank_records', freeze: 'frozen', freeze_ordered_on: '2026-10-05',
    evidence: [], note: null, recorded_at: Date.UTC(2026, 9, 1), recorded_by: { id: 'm-me', name: 'Aigerim' }, ...over,
  };
}

export function routePlace(over: Partial<RoutePlace> = {}): RoutePlace {
  return {
    event_id: 'tl1', sequence: 1, stage: 'transit', date: '2026-09-14', country: 'KZ',
    latitude: null, longitude: null, crosses_border: null, border_point: null, transport: null, ...over,
  };
}

/** A case's route: its legs join each two consecutive places that have
 *  coordinates, as the core's do. */
export function caseRoute(over: Partial<CaseRoute> = {}): CaseRoute {
  const places = over.places ?? [];
  const placed = places.filter((p) => p.latitude !== null && p.longitude !== null);
  const legs = placed.slice(1).map((to, i) => ({
    from: placed[i].sequence, to: to.sequence, stage: to.stage, date: to.date,
    from_country: placed[i].country, to_country: to.country,
    crosses_border: to.crosses_border, border_point: to.border_point, transport: to.transport,
  }));
  return { case_id: 'c1', reference: 'KZ-2026-0142', title: 'Construction site, Kaskelen', places, legs, ...over };
}

/** A route from Jizzakh (UZ) across Zhibek Zholy into Kazakhstan, to
 *  Kaskelen, then across the border into Russia (Orenburg), with one
 *  place whose coordinates are not known. */
export function demoRoute(over: Partial<CaseRoute> = {}): CaseRoute {
  return caseRoute({
    places: [
      routePlace({ event_id: 'tl1', sequence: 1, stage: 'recruitment', date: '2026-08-20', country: 'UZ', latitude: 40.115833, longitude: 67.842222 }),
      routePlace({ event_id: 'tl2', sequence: 2, stage: 'transit', date: '2026-09-14', country: 'KZ', latitude: 41.366389, longitude: 69.113611, crosses_border: true, border_point: 'Zhibek Zholy checkpoint', transport: 'road' }),
      routePlace({ event_id: 'tl3', sequence: 3, stage: 'transit', date: '2026-09-15', country: 'KZ' }),
      routePlace({ event_id: 'tl4', sequence: 4, stage: 'exploitation', date: '2026-09-16', country: 'KZ', latitude: 43.201667, longitude: 76.623889, crosses_border: false, transport: 'road' }),
      routePlace({ event_id: 'tl5', sequence: 5, stage: 'exploitation', date: '2026-10-30', country: 'RU', latitude: 51.768199, longitude: 55.096955, crosses_border: true, border_point: 'Zhaisan – Orenburg', transport: 'rail' }),
    ],
    ...over,
  });
}
