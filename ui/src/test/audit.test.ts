import { describe, it, expect } from 'vitest';
import { screen, within } from '@testing-library/svelte';
import AuditLog from '../screens/dashboard/AuditLog.svelte';
import { setLang } from '$lib/i18n/index.svelte';
import { ru } from '$lib/i18n/catalogues';
import { asRole } from './fixtures';
import { mockBackend, renderWithUser } from './backend';

const rows = [
  { seq: 1, at_ms: Date.UTC(2026, 10, 1), actor: 'dev-1', actor_name: 'Saule', action: 'team.enrol', detail: 'device dev-2' },
  { seq: 2, at_ms: Date.UTC(2026, 10, 2), actor: 'm-aibek', actor_name: 'Aibek', action: 'case.open', detail: 'case c1' },
  { seq: 3, at_ms: Date.UTC(2026, 10, 3), actor: 'm-aibek', actor_name: 'Aibek', action: 'person.reveal', detail: 'case c2: person p1' },
];

describe('audit log', () => {
  it('regression: lists the newest first, actions in the reader\'s language, and filters by person, action and case', async () => {
    asRole('supervisor', 'ru');
    setLang('ru');
    mockBackend({ audit_log: rows });
    const { user } = renderWithUser(AuditLog, {});
    const seqs = async () => (await screen.findAllByTestId('audit-row')).map((r) => within(r).getAllByRole('cell')[0].textContent);
    expect(await seqs()).toEqual(['3', '2', '1']);
    const first = (await screen.findAllByTestId('audit-row'))[0];
    expect(first).toHaveTextContent(ru['audit.action.person.reveal']);
    expect(first).not.toHaveTextContent('person.reveal');

    await user.selectOptions(screen.getByTestId('audit-person'), 'Saule');
    expect(await seqs()).toEqual(['1']);
    await user.selectOptions(screen.getByTestId('audit-person'), '');
    await user.selectOptions(screen.getByTestId('audit-action'), 'case.open');
    expect(await seqs()).toEqual(['2']);
    await user.selectOptions(screen.getByTestId('audit-action'), '');
    await user.type(screen.getByTestId('audit-text'), 'c2');
    expect(await seqs()).toEqual(['3']);
    await user.clear(screen.getByTestId('audit-text'));
    // The date is typed day first, as everywhere (the browser's own field
    // showed MM/DD/YYYY in every language).
    const from = screen.getByTestId('audit-from');
    expect(from).toHaveAttribute('placeholder', 'ДД.ММ.ГГГГ');
    await user.type(from, '02.11.2026');
    expect(await seqs()).toEqual(['3', '2']);
    setLang('en');
  });
});
