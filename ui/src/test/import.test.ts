import { describe, it, expect } from 'vitest';
import { screen, within } from '@testing-library/svelte';
import ImportPanel from '../screens/sync/ImportPanel.svelte';
import ExportPanel from '../screens/sync/ExportPanel.svelte';
import type { ImportSummary } from '$lib/bindings/ImportSummary';
import { asRole, member, sendOnChannel, team } from './fixtures';
import { mockBackend, refuse, renderWithUser } from './backend';
import { ru } from '$lib/i18n/catalogues';

const report: ImportSummary = {
  sender: 'dev-bekzod-0123456789',
  sender_name: 'Bekzod',
  applied: 12,
  already_had: 3,
  held: 1,
  quarantined: [{ case_id: 'case-0001', change: 'abc123', code: 'sync.revoked_device', message: 'from a revoked device' }],
  not_permitted: 2,
  docs_changed: ['team', 'case-0001', 'case-0002'],
  cases_changed: 2,
};

describe('sync centre', () => {
  it('asks the shell for the file when no path is typed', async () => {
    asRole('investigator');
    const backend = mockBackend({ pick_file: '/media/usb/picked.caravan', import_bundle: report });
    const { user } = renderWithUser(ImportPanel, { ondone: async () => {} });
    await user.click(screen.getByTestId('import-bundle'));
    await screen.findByTestId('import-summary');
    expect(backend.argsOf('pick_file')).toEqual({ mode: 'open', kind: 'bundle', default_name: null });
    expect(backend.argsOf('import_bundle')?.path).toBe('/media/usb/picked.caravan');
  });


  it('imports a typed path with progress and renders the summary', async () => {
    asRole('investigator', 'ru');
    const backend = mockBackend({
      import_bundle: (a) => {
        sendOnChannel(a.on_progress, 0, { step: 'verifying', done: 5, total: 10 });
        return report;
      },
    });
    const { user } = renderWithUser(ImportPanel, { ondone: async () => {} });
    await user.type(screen.getByTestId('import-path'), '/media/usb/from-bekzod.caravan');
    await user.click(screen.getByTestId('import-bundle'));

    const summary = await screen.findByTestId('import-summary');
    expect(backend.argsOf('import_bundle')?.path).toBe('/media/usb/from-bekzod.caravan');
    expect(summary).toHaveTextContent('Bekzod');
    expect(within(summary).getByTestId('summary-applied')).toHaveTextContent('12');
    expect(within(summary).getByTestId('summary-already')).toHaveTextContent('3');
    expect(within(summary).getByTestId('summary-held')).toHaveTextContent('1');
    expect(within(summary).getByTestId('summary-quarantined')).toHaveTextContent('1');
    expect(within(summary).getByTestId('summary-not-permitted')).toHaveTextContent('2');
    expect(within(summary).getByTestId('quarantine-reasons')).toHaveTextContent(ru['error.sync.revoked_device']);
    expect(summary).toHaveTextContent('Изменено 2 дела.');
    expect(screen.getByTestId('sync-progress')).toHaveAttribute('data-step', 'verifying');
  });

  it('exports for the chosen member to a typed path', async () => {
    asRole('investigator');
    const backend = mockBackend({
      team: team({ members: [member(), member({ id: 'm-bek', name: 'Bekzod' })] }),
      export_bundle: { bytes: 2048, recipient: 'm-bek', path: '/media/usb/for-bekzod.caravan' },
    });
    const { user } = renderWithUser(ExportPanel, { ondone: async () => {} });
    await screen.findByRole('option', { name: /Bekzod/ });
    expect(screen.queryByRole('option', { name: /Aigerim/ })).toBeNull();
    await user.selectOptions(screen.getByTestId('export-member'), 'm-bek');
    await user.type(screen.getByTestId('export-path'), '/media/usb/for-bekzod.caravan');
    await user.click(screen.getByTestId('export-bundle'));
    expect(await screen.findByTestId('export-result')).toHaveTextContent('2048');
    expect(backend.argsOf('export_bundle')).toMatchObject({ member: 'm-bek', path: '/media/usb/for-bekzod.caravan' });
  });

  it('shows a translated error when the bundle is rejected', async () => {
    asRole('investigator');
    mockBackend({ import_bundle: refuse('sync.wrong_team') });
    const { user } = renderWithUser(ImportPanel, { ondone: async () => {} });
    await user.type(screen.getByTestId('import-path'), '/tmp/a.caravan');
    await user.click(screen.getByTestId('import-bundle'));
    expect(await screen.findByTestId('error-message')).toHaveTextContent('This belongs to another team.');
    expect(screen.queryByTestId('import-summary')).toBeNull();
  });
});
