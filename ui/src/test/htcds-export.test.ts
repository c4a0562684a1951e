import { describe, it, expect } from 'vitest';
import { screen, within } from '@testing-library/svelte';
import Dashboard from '../screens/dashboard/Dashboard.svelte';
import HtcdsExport from '../screens/dashboard/HtcdsExport.svelte';
import { asRole } from './fixtures';
import { mockBackend, refuse, renderWithUser, type Args } from './backend';

const report = (k: number) => ({
  folder: '/home/saule/stats',
  files: ['victims.csv', 'victims.json', 'perpetrators.csv', 'perpetrators.json', 'dictionary.csv', 'suppression.json'],
  report: {
    standard: 'HTCDS 2.0',
    k,
    cases: 12,
    victims: { quasi_identifiers: ['prs_Gender'], rows: 30, exported: 26, withheld: 4, suppressed: [{ field: 'vic_AgeBand', rows: 5 }] },
    perpetrators: { quasi_identifiers: ['per_RoleInProcess'], rows: 9, exported: 9, withheld: 0, suppressed: [{ field: 'per_RoleInProcess', rows: 2 }] },
  },
  unreadable: 0,
});

describe('anonymised statistics', () => {
  it('asks for k, writes into the chosen folder and lists what was suppressed', async () => {
    asRole('supervisor');
    const backend = mockBackend({
      pick_file: (a: Args) => (a.mode === 'folder' && a.kind === 'statistics' ? '/home/saule/stats' : null),
      export_htcds: (a: Args) => report((a.options as { k: number }).k),
    });
    const { user } = renderWithUser(HtcdsExport, {});
    await user.click(screen.getByTestId('htcds-export'));
    const k = screen.getByTestId('htcds-k');
    expect(k).toHaveValue(11);
    await user.clear(k);
    await user.type(k, '15');
    await user.click(screen.getByTestId('htcds-write'));
    const result = await screen.findByTestId('htcds-result');
    expect(backend.argsOf('export_htcds')).toEqual({ options: { folder: '/home/saule/stats', k: 15, cases: [] } });
    expect(result).toHaveTextContent('/home/saule/stats');
    expect(screen.getByTestId('htcds-victims')).toHaveTextContent('26');
    expect(screen.getByTestId('htcds-victims-withheld')).toHaveTextContent('4');
    const rows = screen.getAllByTestId('htcds-suppressed-row').map((r) => within(r).getAllByRole('cell').map((c) => c.textContent));
    expect(rows).toEqual([
      ['Victims', 'vic_AgeBand', '5'],
      ['Perpetrators', 'per_RoleInProcess', '2'],
    ]);
  });

  it('sends a typed folder as it is, refuses a k below 2, and shows a refusal by its code', async () => {
    asRole('supervisor');
    const backend = mockBackend({ export_htcds: refuse('core.denied') });
    const { user } = renderWithUser(HtcdsExport, {});
    await user.click(screen.getByTestId('htcds-export'));
    const k = screen.getByTestId('htcds-k');
    await user.clear(k);
    await user.type(k, '1');
    expect(screen.getByTestId('htcds-write')).toBeDisabled();
    await user.clear(k);
    await user.type(k, '11');
    await user.type(screen.getByTestId('htcds-folder'), '/tmp/new-stats');
    await user.click(screen.getByTestId('htcds-write'));
    expect(await screen.findByRole('alert')).toBeInTheDocument();
    expect(backend.commands()).not.toContain('pick_file');
    expect(backend.argsOf('export_htcds')?.options.folder).toBe('/tmp/new-stats');
    expect(screen.queryByTestId('htcds-result')).toBeNull();
  });

  it('is offered on the dashboard only to the roles that see every case', async () => {
    asRole('supervisor');
    mockBackend({ progress_report: { today: '2026-12-07', cases: [], overdue: [], by_stage: [], overdue_by_assignee: [], quarantined_changes: 0 }, audit_log: [] });
    const first = renderWithUser(Dashboard, {});
    expect(await screen.findByTestId('htcds-export')).toBeInTheDocument();
    first.unmount?.();
    asRole('investigator');
    renderWithUser(Dashboard, {});
    await screen.findAllByTestId('quarantined-count');
    expect(screen.queryByTestId('htcds-export')).toBeNull();
  });
});
