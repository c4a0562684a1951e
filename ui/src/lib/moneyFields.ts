// The fields of a financial flow as its edit form shows them (see
// recordFields.ts for the other records). Paths follow the case
// document's schema (crates/model/src/schema/case.rs): the people a flow
// names and its evidence are set when it is recorded; the account number
// is an identity field, masked until revealed (audited).
import type { FinancialFlowView } from '$lib/bindings/FinancialFlowView';
import { t, v } from '$lib/i18n/index.svelte';
import { FLOW_KINDS, FLOW_SOURCES, FREEZE_STATUSES } from '$lib/vocab';
import { choices, orBlank, type EditField } from '$lib/edit';

export const financialFlowBase = (id: string) => `financial_flows/${id}`;
export function financialFlowFields(f: FinancialFlowView): EditField[] {
  const party = (p: FinancialFlowView['from']) => (p && p.person_id === null ? p.label : '');
  return [
    { field: 'kind', label: t('money.kind'), kind: 'select', value: f.kind, options: choices(FLOW_KINDS, (k) => v('flow_kind', k)) },
    // A party named in the record; a person of the case is not changed here.
    ...(f.from?.person_id ? [] : [{ field: 'from_party', label: t('money.from'), kind: 'text' as const, value: party(f.from), optional: true }]),
    ...(f.to?.person_id ? [] : [{ field: 'to_party', label: t('money.to'), kind: 'text' as const, value: party(f.to), optional: true }]),
    { field: 'institution', label: t('money.institution'), kind: 'text', value: orBlank(f.institution), optional: true },
    { field: 'account', label: t('money.account'), kind: 'text', value: '', optional: true, sensitive: true },
    // Text, not 'number': the number control is bounded for ages (max 120).
    { field: 'amount', label: t('money.amount'), kind: 'text', value: orBlank(f.amount), optional: true },
    { field: 'currency', label: t('money.currency'), kind: 'text', value: orBlank(f.currency), optional: true, maxlength: 3 },
    { field: 'date', label: t('money.date'), kind: 'date', value: orBlank(f.date), optional: true },
    { field: 'source', label: t('money.source'), kind: 'select', value: f.source, options: choices(FLOW_SOURCES, (s) => v('flow_source', s)) },
    { field: 'freeze', label: t('money.freeze'), kind: 'select', value: f.freeze, options: choices(FREEZE_STATUSES, (s) => v('freeze_status', s)) },
    { field: 'freeze_ordered_on', label: t('money.ordered_on'), kind: 'date', value: orBlank(f.freeze_ordered_on), optional: true },
    { field: 'note', label: t('money.note'), kind: 'text', value: orBlank(f.note), optional: true },
  ];
}
