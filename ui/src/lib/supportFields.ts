// The fields of a victim's support plan and of their reflection period and
// return, as the edit forms show them. Paths follow the case document's
// schema (crates/model/src/schema/case.rs): a service's victim is not
// corrected here. The family assessment comes before the decision, so that
// one save records a child's assessment before their return.
import type { PersonView } from '$lib/bindings/PersonView';
import type { ReferralView } from '$lib/bindings/ReferralView';
import type { SupportServiceView } from '$lib/bindings/SupportServiceView';
import { t, v } from '$lib/i18n/index.svelte';
import { REINTEGRATION_STATUSES, RESIDENCE_DECISIONS, SUPPORT_STATUSES, SUPPORT_TYPES } from '$lib/vocab';
import { choices, orBlank, type EditField } from '$lib/edit';

export const supportBase = (id: string) => `support/${id}`;
/** A service's fields; its referral is chosen among the victim's. */
export function supportFields(s: SupportServiceView, referrals: readonly ReferralView[]): EditField[] {
  const theirs = referrals.filter((r) => r.person_id === s.victim_id || r.id === s.referral_id);
  return [
    { field: 'kind', label: t('support.kind'), kind: 'select', value: s.kind, options: choices(SUPPORT_TYPES, (k) => v('support_type', k)) },
    { field: 'provider', label: t('support.provider'), kind: 'text', value: orBlank(s.provider), optional: true },
    {
      field: 'referral_id', label: t('support.referral'), kind: 'select', value: orBlank(s.referral_id), optional: true,
      options: theirs.map((r) => ({ value: r.id, text: r.organisation })),
    },
    { field: 'status', label: t('support.status'), kind: 'select', value: s.status, options: choices(SUPPORT_STATUSES, (x) => v('support_status', x)) },
    { field: 'started_on', label: t('support.started_on'), kind: 'date', value: orBlank(s.started_on), optional: true },
    { field: 'ended_on', label: t('support.ended_on'), kind: 'date', value: orBlank(s.ended_on), optional: true },
    { field: 'note', label: t('support.note'), kind: 'text', value: orBlank(s.note), optional: true },
  ];
}

/** A victim's reflection period, residence or return and reintegration:
 *  fields of the victim (`victims/<id>/…`). */
export function victimSupportFields(p: PersonView): EditField[] {
  const s = p.support;
  return [
    { field: 'reflection_from', label: t('support.reflection_from'), kind: 'date', value: orBlank(s?.reflection_from), optional: true },
    { field: 'reflection_until', label: t('support.reflection_until'), kind: 'date', value: orBlank(s?.reflection_until), optional: true },
    { field: 'family_assessment_done', label: t('support.family_assessment_done'), kind: 'check', value: String(s?.family_assessment_done ?? false) },
    { field: 'family_assessment_on', label: t('support.family_assessment_on'), kind: 'date', value: orBlank(s?.family_assessment_on), optional: true },
    {
      field: 'residence_decision', label: t('support.residence_decision'), kind: 'select', value: orBlank(s?.residence_decision), optional: true,
      options: choices(RESIDENCE_DECISIONS, (x) => v('residence_decision', x)),
    },
    { field: 'residence_decided_on', label: t('support.residence_decided_on'), kind: 'date', value: orBlank(s?.residence_decided_on), optional: true },
    { field: 'return_country', label: t('support.return_country'), kind: 'text', value: orBlank(s?.return_country), optional: true, maxlength: 2 },
    {
      field: 'reintegration_status', label: t('support.reintegration_status'), kind: 'select', value: orBlank(s?.reintegration_status), optional: true,
      options: choices(REINTEGRATION_STATUSES, (x) => v('reintegration_status', x)),
    },
  ];
}
