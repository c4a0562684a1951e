// The fields of the court phase's records as their edit forms show them
// (see recordFields.ts for the other records). Paths follow the case
// document's schema (crates/model/src/schema/case.rs): who a record names
// and the charges an indictment brings are not corrected here.
import type { ChargeView } from '$lib/bindings/ChargeView';
import type { MeasureView } from '$lib/bindings/MeasureView';
import type { ProceduralDecisionView } from '$lib/bindings/ProceduralDecisionView';
import type { IndictmentView } from '$lib/bindings/IndictmentView';
import type { HearingView } from '$lib/bindings/HearingView';
import type { VerdictView } from '$lib/bindings/VerdictView';
import type { CompensationView } from '$lib/bindings/CompensationView';
import { t, v } from '$lib/i18n/index.svelte';
import {
  APPEAL_STATUSES, CHARGE_STATUSES, COMPENSATION_STATUSES, HEARING_KINDS, HEARING_OUTCOMES, INDICTMENT_STATUSES, MEASURE_KINDS,
  PROTECTIVE_MEASURES, VERDICT_OUTCOMES,
} from '$lib/vocab';
import { choices, joinList, orBlank, type EditField } from '$lib/edit';

export const decisionBase = (id: string) => `procedural_decisions/${id}`;
export function decisionFields(d: ProceduralDecisionView): EditField[] {
  return [
    { field: 'decided_on', label: t('court.decided_on'), kind: 'date', value: d.decided_on },
    { field: 'reference', label: t('court.reference'), kind: 'text', value: orBlank(d.reference), optional: true },
  ];
}

export const measureBase = (id: string) => `measures/${id}`;
export function measureFields(m: MeasureView): EditField[] {
  return [
    { field: 'kind', label: t('court.measure'), kind: 'select', value: m.kind, options: choices(MEASURE_KINDS, (k) => v('measure_kind', k)) },
    { field: 'ordered_by', label: t('court.ordered_by'), kind: 'text', value: orBlank(m.ordered_by), optional: true },
    { field: 'from', label: t('court.from'), kind: 'date', value: m.from },
    { field: 'until', label: t('court.until'), kind: 'date', value: orBlank(m.until), optional: true },
    { field: 'lifted_on', label: t('court.lifted_on'), kind: 'date', value: orBlank(m.lifted_on), optional: true },
  ];
}

export const chargeBase = (id: string) => `charges/${id}`;
export function chargeFields(c: ChargeView): EditField[] {
  return [
    { field: 'status', label: t('court.status'), kind: 'select', value: c.status, options: choices(CHARGE_STATUSES, (s) => v('charge_status', s)) },
    { field: 'brought_on', label: t('court.brought_on'), kind: 'date', value: orBlank(c.brought_on), optional: true },
    { field: 'note', label: t('court.note'), kind: 'text', value: orBlank(c.note), optional: true },
  ];
}

export const indictmentBase = (id: string) => `indictments/${id}`;
export function indictmentFields(i: IndictmentView): EditField[] {
  return [
    { field: 'status', label: t('court.status'), kind: 'select', value: i.status, options: choices(INDICTMENT_STATUSES, (s) => v('indictment_status', s)) },
    { field: 'signed_on', label: t('court.signed_on'), kind: 'date', value: orBlank(i.signed_on), optional: true },
    { field: 'approved_on', label: t('court.approved_on'), kind: 'date', value: orBlank(i.approved_on), optional: true },
    { field: 'court', label: t('court.court'), kind: 'text', value: orBlank(i.court), optional: true },
    { field: 'sent_to_court_on', label: t('court.sent_to_court_on'), kind: 'date', value: orBlank(i.sent_to_court_on), optional: true },
    { field: 'note', label: t('court.note'), kind: 'text', value: orBlank(i.note), optional: true },
  ];
}

export const hearingBase = (id: string) => `hearings/${id}`;
export function hearingFields(h: HearingView): EditField[] {
  const measures = choices(PROTECTIVE_MEASURES, (m) => v('protective_measure', m));
  return [
    { field: 'date', label: t('court.date'), kind: 'date', value: h.date },
    { field: 'court', label: t('court.court'), kind: 'text', value: h.court },
    { field: 'kind', label: t('court.hearing_kind'), kind: 'select', value: h.kind, options: choices(HEARING_KINDS, (k) => v('hearing_kind', k)) },
    { field: 'outcome', label: t('court.outcome'), kind: 'select', value: h.outcome, options: choices(HEARING_OUTCOMES, (o) => v('hearing_outcome', o)) },
    { field: 'measures_granted', label: t('court.granted'), kind: 'choices', value: h.measures_granted.join(','), options: measures },
    { field: 'measures_refused', label: t('court.refused'), kind: 'choices', value: h.measures_refused.join(','), options: measures },
    { field: 'safety_reviewed', label: t('court.safety_reviewed'), kind: 'check', value: String(h.safety_reviewed) },
    { field: 'next_date', label: t('court.next_date'), kind: 'date', value: orBlank(h.next_date), optional: true },
    { field: 'note', label: t('court.note'), kind: 'text', value: orBlank(h.note), optional: true },
  ];
}

export const verdictBase = (id: string) => `verdicts/${id}`;
export function verdictFields(x: VerdictView): EditField[] {
  const articles: EditField = { field: 'articles', label: t('court.articles'), kind: 'words', value: '' };
  return [
    { field: 'date', label: t('court.date'), kind: 'date', value: x.date },
    { field: 'court', label: t('court.court'), kind: 'text', value: x.court },
    { field: 'outcome', label: t('court.outcome'), kind: 'select', value: x.outcome, options: choices(VERDICT_OUTCOMES, (o) => v('verdict_outcome', o)) },
    { ...articles, value: joinList(articles, x.articles) },
    { field: 'sentence', label: t('court.sentence'), kind: 'text', value: orBlank(x.sentence), optional: true },
    { field: 'custodial_months', label: t('court.months'), kind: 'number', value: orBlank(x.custodial_months), optional: true },
    { field: 'confiscation', label: t('court.confiscation'), kind: 'text', value: orBlank(x.confiscation), optional: true },
    { field: 'appeal', label: t('court.appeal'), kind: 'select', value: orBlank(x.appeal), options: choices(APPEAL_STATUSES, (a) => v('appeal', a)), optional: true },
    { field: 'appeal_decided_on', label: t('court.appeal_decided_on'), kind: 'date', value: orBlank(x.appeal_decided_on), optional: true },
    { field: 'in_force_on', label: t('court.in_force_on'), kind: 'date', value: orBlank(x.in_force_on), optional: true },
  ];
}

export const compensationBase = (id: string) => `compensation/${id}`;
export function compensationFields(k: CompensationView): EditField[] {
  return [
    { field: 'claimed', label: t('court.claimed'), kind: 'number', value: orBlank(k.claimed), optional: true },
    { field: 'awarded', label: t('court.awarded'), kind: 'number', value: orBlank(k.awarded), optional: true },
    { field: 'paid', label: t('court.paid'), kind: 'number', value: orBlank(k.paid), optional: true },
    { field: 'status', label: t('court.status'), kind: 'select', value: k.status, options: choices(COMPENSATION_STATUSES, (s) => v('compensation_status', s)) },
    { field: 'note', label: t('court.note'), kind: 'text', value: orBlank(k.note), optional: true },
  ];
}
