import { describe, it, expect, vi } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import QuarantineList from '../screens/sync/QuarantineList.svelte';
import type { QuarantineRow } from '$lib/bindings/QuarantineRow';
import { asRole } from './fixtures';
import { mockBackend, refuse, renderWithUser } from './backend';
import { en, ru } from '$lib/i18n/catalogues';

const rows: QuarantineRow[] = [
  {
    case_id: 'c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1',
    change: '3e7c50c1966d3c012b7436cc79480a89',
    author: 'dev-timur-0123456789',
    author_name: 'Timur',
    relayed_by: 'dev-bakyt-0123456789',
    relayed_by_name: null,
    code: 'policy.denied',
    message: 'the prosecutor role may not open a case',
    arrived_at_ms: Date.UTC(2026, 2, 5, 10, 30),
  },
];

describe('quarantine review', () => {
  it('lets a supervisor judge a change again and shows why it stays', async () => {
    asRole('supervisor', 'ru');
    const backend = mockBackend({
      release_quarantined: { case_id: rows[0].case_id, change: rows[0].change, applied: false, changes_applied: 0, held: false, reasons: [{ code: 'policy.denied', message: 'x' }] },
    });
    const onchanged = vi.fn(async () => {});
    const { user } = renderWithUser(QuarantineList, { rows, onchanged });
    const row = screen.getByTestId('quarantine-row');
    expect(row).toHaveTextContent('Timur');
    expect(row).toHaveTextContent('dev-bakyt-01');
    expect(row).toHaveTextContent(ru['error.policy.denied']);
    await user.click(within(row).getByTestId('quarantine-release'));
    expect(backend.argsOf('release_quarantined')).toEqual({ case_id: rows[0].case_id, change: rows[0].change });
    expect(await screen.findByTestId('quarantine-outcome')).toHaveTextContent(ru['error.policy.denied']);
    expect(screen.getByTestId('quarantine-outcome')).toHaveTextContent('остаётся в карантине');
    expect(onchanged).toHaveBeenCalled();
  });

  it('asks before discarding, and discards only on confirmation', async () => {
    asRole('admin');
    const backend = mockBackend({ discard_quarantined: { case_id: rows[0].case_id, change: rows[0].change, codes: ['policy.denied'] } });
    const onchanged = vi.fn(async () => {});
    const { user } = renderWithUser(QuarantineList, { rows, onchanged });
    await user.click(screen.getByTestId('quarantine-discard'));
    const dialog = await screen.findByTestId('discard-dialog');
    expect(dialog).toHaveTextContent(en['quarantine.discard_explained']);
    await user.click(within(dialog).getByRole('button', { name: en['common.cancel'] }));
    expect(screen.queryByTestId('discard-dialog')).toBeNull();
    expect(backend.commands()).toEqual([]);
    await user.click(screen.getByTestId('quarantine-discard'));
    await user.click(await screen.findByTestId('discard-confirm'));
    expect(await screen.findByTestId('quarantine-outcome')).toHaveTextContent(en['quarantine.discarded']);
    expect(backend.commands()).toEqual(['discard_quarantined']);
    expect(onchanged).toHaveBeenCalled();
  });

  it('shows an investigator the list without the review actions', () => {
    asRole('investigator');
    render(QuarantineList, { props: { rows, onchanged: async () => {} } });
    expect(screen.getByTestId('quarantine-row')).toHaveTextContent(en['error.policy.denied']);
    expect(screen.queryByTestId('quarantine-release')).toBeNull();
    expect(screen.queryByTestId('quarantine-discard')).toBeNull();
  });

  it('translates a refusal of the backend by its code', async () => {
    asRole('supervisor');
    mockBackend({ release_quarantined: refuse('sync.not_quarantined') });
    const { user } = renderWithUser(QuarantineList, { rows, onchanged: async () => {} });
    await user.click(screen.getByTestId('quarantine-release'));
    expect(await screen.findByTestId('error-message')).toHaveTextContent(en['error.sync.not_quarantined']);
  });
});
