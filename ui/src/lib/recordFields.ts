// The fields of each kind of record that can be corrected after it was
// added, as the edit form shows them. Paths and forms follow the case
// document's schema (crates/model/src/schema/case.rs): a field that is an
// `Option` there is optional here, and the interview plan is the one
// collaborative text. What identifies a record (whose interview, whose
// referral) and what is written once (seizure time, custody) are not here.
import type { EvidenceView } from '$lib/bindings/EvidenceView';
import type { TaskView } from '$lib/bindings/TaskView';
import type { EventView } from '$lib/bindings/EventView';
import type { ReferralView } from '$lib/bindings/ReferralView';
import type { RiskView } from '$lib/bindings/RiskView';
import type { InterviewView } from '$lib/bindings/InterviewView';
import type { MemberView } from '$lib/bindings/MemberView';
import type { CaseLinkView } from '$lib/bindings/CaseLinkView';
import type { InternationalRequestView } from '$lib/bindings/InternationalRequestView';
import type { IdentifierView } from '$lib/bindings/IdentifierView';
import type { GroupView } from '$lib/bindings/GroupView';
import type { PersonKind } from '$lib/bindings/PersonKind';
import type { PersonView } from '$lib/bindings/PersonView';
import type { RevealedIdentity } from '$lib/bindings/RevealedIdentity';
import { t, v, type MessageKey } from '$lib/i18n/index.svelte';
import {
  CASE_LINK_KINDS, CONTROL_METHODS, EVENT_KINDS, EVIDENCE_KINDS, EXPLOITATION, LEGAL_BASES, NOTICE_COLOURS, PERPETRATOR_ROLES,
  RECRUITMENT_METHODS, REFERRAL_DIRECTIONS, REQUEST_KINDS, REQUEST_STATUSES, RISK_SUBJECTS, GENDERS, STAGES, STATUS_DECIDED_BY,
  TRAFFICKING_STATUSES, LEGACY_GENDERS, LEGACY_CONTROL_METHODS, LEGACY_RECRUITMENT_METHODS, LEGACY_PERPETRATOR_ROLES, offered,
  FORCED_LABOUR_INDUSTRIES, RELATIONSHIPS_TO_TRAFFICKER, ORGANISATION_TYPES, REFERRAL_REASONS, REFERRAL_STATUSES, TRANSPORT_MODES, IDENTIFIER_KINDS, GROUP_ROLES,
  SEX_EXPLOITATION_TYPES, WEBSITES_AND_APPS,
} from '$lib/vocab';
import { choices, joinList, orBlank, type EditField } from '$lib/edit';
import { victimSupportFields } from '$lib/supportFields';

const SCALE = [1, 2, 3, 4, 5] as const;

export const evidenceBase = (id: string) => `evidence/${id}`;
export function evidenceFields(e: EvidenceView): EditField[] {
  return [
    { field: 'label', label: t('evidence.label'), kind: 'text', value: e.label },
    { field: 'kind', label: t('evidence.kind'), kind: 'select', value: e.kind, options: choices(EVIDENCE_KINDS, (k) => v('evidence_kind', k)) },
    { field: 'description', label: t('evidence.description'), kind: 'longtext', value: e.description },
    { field: 'seized_by', label: t('evidence.seized_by'), kind: 'text', value: orBlank(e.seized_by), optional: true },
    { field: 'seized_from', label: t('evidence.seized_from'), kind: 'text', value: orBlank(e.seized_from), optional: true },
    { field: 'location', label: t('evidence.location'), kind: 'text', value: orBlank(e.location), optional: true },
    { field: 'seal_number', label: t('evidence.seal'), kind: 'text', value: orBlank(e.seal_number), optional: true },
  ];
}

export const taskBase = (id: string) => `tasks/${id}`;
export function taskFields(task: TaskView, members: readonly MemberView[]): EditField[] {
  const assignees = members.map((m) => ({ value: m.id, text: t('tasks.assignee_role', { name: m.name, role: v('role', m.role) }) }));
  // An assignee no longer in the team is still offered: the form must show what the task holds.
  if (task.assignee && !members.some((m) => m.id === task.assignee?.id)) assignees.unshift({ value: task.assignee.id, text: task.assignee.name });
  return [
    { field: 'title', label: t('tasks.task'), kind: 'text', value: task.title },
    { field: 'assignee', label: t('tasks.assignee'), kind: 'select', value: orBlank(task.assignee?.id), options: assignees, optional: true },
    { field: 'due', label: t('tasks.due'), kind: 'date', value: orBlank(task.due), optional: true },
    { field: 'stage', label: t('cases.stage'), kind: 'select', value: orBlank(task.stage), options: choices(STAGES, (s) => v('stage', s)), optional: true },
  ];
}

export const eventBase = (id: string) => `timeline/${id}`;
export function eventFields(e: EventView): EditField[] {
  return [
    { field: 'kind', label: t('timeline.kind'), kind: 'select', value: e.kind, options: choices(EVENT_KINDS, (k) => v('event_kind', k)) },
    { field: 'date', label: t('timeline.date'), kind: 'date', value: orBlank(e.date), optional: true },
    { field: 'place', label: t('timeline.place'), kind: 'text', value: e.place },
    { field: 'country', label: t('timeline.country'), kind: 'text', value: orBlank(e.country), optional: true, maxlength: 3 },
    { field: 'description', label: t('timeline.description'), kind: 'longtext', value: e.description },
    // Typed in degrees; the core stores whole microdegrees.
    { field: 'latitude_microdeg', label: t('timeline.latitude'), kind: 'text', value: orBlank(e.latitude), optional: true },
    { field: 'longitude_microdeg', label: t('timeline.longitude'), kind: 'text', value: orBlank(e.longitude), optional: true },
    { field: 'crosses_border', label: t('timeline.crosses_border'), kind: 'check', value: e.crosses_border ? 'true' : 'false' },
    { field: 'border_point', label: t('timeline.border_point'), kind: 'text', value: orBlank(e.border_point), optional: true },
    { field: 'transport', label: t('timeline.transport'), kind: 'select', value: orBlank(e.transport), options: choices(TRANSPORT_MODES, (m) => v('transport', m)), optional: true },
  ];
}

export const referralBase = (id: string) => `referrals/${id}`;
export function referralFields(r: ReferralView): EditField[] {
  return [
    { field: 'direction', label: t('referrals.direction'), kind: 'select', value: r.direction, options: choices(REFERRAL_DIRECTIONS, (d) => v('direction', d)) },
    { field: 'organisation', label: t('referrals.organisation'), kind: 'text', value: r.organisation },
    { field: 'date', label: t('timeline.date'), kind: 'date', value: orBlank(r.date), optional: true },
    { field: 'reason', label: t('referrals.reason'), kind: 'text', value: r.reason },
    { field: 'outcome', label: t('referrals.outcome'), kind: 'text', value: orBlank(r.outcome), optional: true },
    { field: 'organisation_type', label: t('referrals.organisation_type'), kind: 'select', value: orBlank(r.organisation_type), options: choices(ORGANISATION_TYPES, (x) => v('organisation_type', x)), optional: true },
    { field: 'htcds_reason', label: t('referrals.htcds_reason'), kind: 'select', value: orBlank(r.htcds_reason), options: choices(REFERRAL_REASONS, (x) => v('referral_reason', x)), optional: true },
    { field: 'status', label: t('referrals.status'), kind: 'select', value: orBlank(r.status), options: choices(REFERRAL_STATUSES, (x) => v('referral_status', x)), optional: true },
    { field: 'consent_given', label: t('referrals.consent_given'), kind: 'check', value: String(r.consent_given) },
    { field: 'consent_date', label: t('referrals.consent_date'), kind: 'date', value: orBlank(r.consent_date), optional: true },
  ];
}

export const riskBase = (id: string) => `risks/${id}`;
export function riskFields(r: RiskView): EditField[] {
  return [
    { field: 'subject', label: t('risks.subject'), kind: 'select', value: r.subject, options: choices(RISK_SUBJECTS, (s) => v('risk_subject', s)) },
    { field: 'threat', label: t('risks.threat'), kind: 'text', value: r.threat },
    { field: 'severity', label: t('risks.severity'), kind: 'select', value: String(r.severity), options: choices(SCALE, String) },
    { field: 'likelihood', label: t('risks.likelihood'), kind: 'select', value: String(r.likelihood), options: choices(SCALE, String) },
    { field: 'mitigation', label: t('risks.mitigation'), kind: 'text', value: r.mitigation },
    { field: 'review_on', label: t('risks.review_on'), kind: 'date', value: orBlank(r.review_on), optional: true },
  ];
}

export const interviewBase = (id: string) => `interviews/${id}`;
export function interviewFields(iv: InterviewView): EditField[] {
  return [
    { field: 'planned_for', label: t('interviews.planned_for'), kind: 'date', value: orBlank(iv.planned_for), optional: true },
    { field: 'venue', label: t('interviews.venue'), kind: 'text', value: orBlank(iv.venue), optional: true },
    { field: 'interpreter', label: t('interviews.interpreter'), kind: 'text', value: orBlank(iv.interpreter), optional: true },
    { field: 'interpreter_vetted', label: t('interviews.vetted'), kind: 'check', value: String(iv.interpreter_vetted) },
    { field: 'consent_given', label: t('interviews.consent'), kind: 'check', value: String(iv.consent_given) },
    { field: 'child_track', label: t('interviews.child_track'), kind: 'check', value: String(iv.child_track) },
    { field: 'plan', label: t('interviews.plan'), kind: 'longtext', value: iv.plan, optional: true, collaborative: true },
  ];
}

const PEOPLE: Record<PersonKind, string> = { victim: 'victims', suspect: 'suspects', witness: 'witnesses' };
export const personBase = (p: Pick<PersonView, 'kind' | 'id'>) => `${PEOPLE[p.kind]}/${p.id}`;

/** A field of a person: which kinds of person have it, and how it is
 *  edited, from the person as the case shows them. A new field of the
 *  case document's people is one row here. */
type PersonField = { kinds: readonly PersonKind[]; make: (p: PersonView) => EditField };
const EVERYONE: readonly PersonKind[] = ['victim', 'suspect', 'witness'];
const VICTIMS: readonly PersonKind[] = ['victim'];

/** An identity field: the view never holds it, so the form starts masked
 *  and blank; revealing fills it in (see `identityValues`). */
const identity = (name: keyof RevealedIdentity, kind: EditField['kind'] = 'text', optional = true): PersonField => ({
  kinds: EVERYONE,
  make: () => ({ field: `identity/${name}`, label: t(`people.field.${name}`), kind, value: '', optional, sensitive: true }),
});

type ListField = 'exploitation' | 'control_methods' | 'roles' | 'recruitment_methods' | 'sex_exploitation' | 'recruitment_websites' | 'exploitation_websites';
const list = (field: ListField, label: MessageKey, values: readonly string[], group: string, kinds: readonly PersonKind[], legacy: readonly string[] = []): PersonField => ({
  kinds,
  make: (p) => {
    const f: EditField = { field, label: t(label), kind: 'choices', value: '', options: choices(offered(values, legacy, p[field]), (x) => v(group, x)) };
    return { ...f, value: joinList(f, p[field]) };
  },
});

const PERSON_FIELDS: PersonField[] = [
  { kinds: EVERYONE, make: (p) => ({ field: 'pseudonym', label: t('people.field.pseudonym'), kind: 'text', value: p.pseudonym }) },
  identity('full_name', 'text', false),
  identity('other_names'),
  identity('birth_date', 'date'),
  identity('document_numbers'),
  identity('contact'),
  identity('address'),
  { kinds: VICTIMS, make: (p) => ({ field: 'sex', label: t('people.field.sex'), kind: 'select', value: orBlank(p.sex), options: choices(offered(GENDERS, LEGACY_GENDERS, [p.sex]), (x) => v('sex', x)) }) },
  { kinds: VICTIMS, make: (p) => ({ field: 'age_at_trafficking', label: t('people.field.age'), kind: 'number', value: orBlank(p.age_at_trafficking), optional: true, max: 120 }) },
  { kinds: ['victim', 'suspect'], make: (p) => ({ field: 'citizenships', label: t('people.field.citizenship'), kind: 'words', value: p.citizenships.join(', '), optional: true }) },
  {
    kinds: VICTIMS,
    make: (p) => ({ field: 'languages', label: t('people.field.languages'), kind: 'words', value: p.languages.join(', '), optional: true }),
  },
  { kinds: VICTIMS, make: (p) => ({ field: 'status', label: t('people.field.status'), kind: 'select', value: orBlank(p.status), options: choices(TRAFFICKING_STATUSES, (x) => v('victim_status', x)) }) },
  {
    kinds: VICTIMS,
    make: (p) => ({ field: 'status_decided_by', label: t('people.field.status_decided_by'), kind: 'select', value: orBlank(p.status_decided_by), options: choices(STATUS_DECIDED_BY, (x) => v('decided_by', x)), optional: true }),
  },
  list('recruitment_methods', 'people.field.recruitment_methods', RECRUITMENT_METHODS, 'recruitment', VICTIMS, LEGACY_RECRUITMENT_METHODS),
  list('exploitation', 'people.field.exploitation', EXPLOITATION, 'exploitation', VICTIMS),
  list('control_methods', 'people.field.control', CONTROL_METHODS, 'control', VICTIMS, LEGACY_CONTROL_METHODS),
  list('roles', 'people.field.roles', PERPETRATOR_ROLES, 'perp_role', ['suspect'], LEGACY_PERPETRATOR_ROLES),
  {
    kinds: VICTIMS,
    make: (p) => ({ field: 'forced_labour_industry', label: t('people.field.forced_labour_industry'), kind: 'select', value: orBlank(p.forced_labour_industry), options: choices(FORCED_LABOUR_INDUSTRIES, (x) => v('industry', x)), optional: true }),
  },
  {
    kinds: VICTIMS,
    make: (p) => ({ field: 'relationship_to_trafficker', label: t('people.field.relationship_to_trafficker'), kind: 'select', value: orBlank(p.relationship_to_trafficker), options: choices(RELATIONSHIPS_TO_TRAFFICKER, (x) => v('relationship', x)), optional: true }),
  },
  { kinds: ['suspect'], make: (p) => ({ field: 'public_official', label: t('people.field.public_official'), kind: 'check', value: String(p.public_official) }) },
  { kinds: ['witness'], make: (p) => ({ field: 'relation', label: t('people.field.relation'), kind: 'text', value: orBlank(p.relation), optional: true }) },
  list('sex_exploitation', 'people.field.sex_exploitation', SEX_EXPLOITATION_TYPES, 'sex_exploitation', VICTIMS),
  list('recruitment_websites', 'people.field.recruitment_websites', WEBSITES_AND_APPS, 'website', VICTIMS),
  list('exploitation_websites', 'people.field.exploitation_websites', WEBSITES_AND_APPS, 'website', VICTIMS),
];

/** The fields of a person of their kind. */
export function personFields(p: PersonView): EditField[] {
  const own = PERSON_FIELDS.filter((f) => f.kinds.includes(p.kind)).map((f) => f.make(p));
  // A victim's reflection period, residence or return and reintegration.
  return p.kind === 'victim' ? [...own, ...victimSupportFields(p)] : own;
}

/** A revealed identity as the edit form's values, by field. */
export function identityValues(i: RevealedIdentity): Record<string, string> {
  return Object.fromEntries(Object.entries(i).map(([k, val]) => [`identity/${k}`, orBlank(val as string | null)]));
}

export const linkBase = (id: string) => `links/${id}`;
export function linkFields(l: CaseLinkView): EditField[] {
  return [
    { field: 'relation', label: t('links.relation'), kind: 'select', value: l.relation, options: choices(CASE_LINK_KINDS, (k) => v('case_link', k)) },
    { field: 'note', label: t('links.note'), kind: 'text', value: orBlank(l.note), optional: true },
  ];
}

export const requestBase = (id: string) => `international_requests/${id}`;
export function requestFields(r: InternationalRequestView): EditField[] {
  return [
    { field: 'kind', label: t('intl.kind'), kind: 'select', value: r.kind, options: choices(REQUEST_KINDS, (k) => v('request_kind', k)) },
    { field: 'notice', label: t('intl.notice'), kind: 'select', value: orBlank(r.notice), options: choices(NOTICE_COLOURS, (n) => v('notice', n)), optional: true },
    { field: 'requested_state', label: t('intl.state'), kind: 'text', value: r.requested_state, maxlength: 2 },
    { field: 'legal_basis', label: t('intl.basis'), kind: 'select', value: r.legal_basis, options: choices(LEGAL_BASES, (b) => v('legal_basis', b)) },
    { field: 'central_authority', label: t('intl.authority'), kind: 'text', value: orBlank(r.central_authority), optional: true },
    { field: 'subject', label: t('intl.subject'), kind: 'text', value: r.subject },
    { field: 'sent_on', label: t('intl.sent_on'), kind: 'date', value: orBlank(r.sent_on), optional: true },
    { field: 'deadline', label: t('intl.deadline'), kind: 'date', value: orBlank(r.deadline), optional: true },
    { field: 'status', label: t('intl.status'), kind: 'select', value: r.status, options: choices(REQUEST_STATUSES, (s) => v('request_status', s)) },
    { field: 'response_on', label: t('intl.response_on'), kind: 'date', value: orBlank(r.response_on), optional: true },
  ];
}

export const identifierBase = (id: string) => `identifiers/${id}`;
/** The value is an identity field: masked until revealed (audited). */
export function identifierFields(i: IdentifierView): EditField[] {
  return [
    { field: 'kind', label: t('ident.kind'), kind: 'select', value: i.kind, options: choices(IDENTIFIER_KINDS, (k) => v('identifier_kind', k)) },
    { field: 'value', label: t('ident.value'), kind: 'text', value: '', sensitive: true },
    { field: 'platform', label: t('ident.platform'), kind: 'text', value: orBlank(i.platform), optional: true },
    { field: 'source', label: t('ident.source'), kind: 'text', value: orBlank(i.source), optional: true },
    { field: 'note', label: t('ident.note'), kind: 'text', value: orBlank(i.note), optional: true },
  ];
}

export const groupBase = (id: string) => `groups/${id}`;
/** The group's own fields and each member's role; who belongs to it is
 *  set when it is recorded. */
export function groupFields(g: GroupView): EditField[] {
  return [
    { field: 'name', label: t('groups.name'), kind: 'text', value: g.name },
    { field: 'description', label: t('groups.description'), kind: 'text', value: orBlank(g.description), optional: true },
    { field: 'countries', label: t('groups.countries'), kind: 'words', value: g.countries.join(', '), optional: true },
    ...g.members.map((m): EditField => ({
      field: `members/${m.person_id}/role`,
      label: `${t('groups.role')}: ${m.pseudonym}`,
      kind: 'select',
      value: m.role,
      options: choices(GROUP_ROLES, (r) => v('group_role', r)),
    })),
  ];
}
