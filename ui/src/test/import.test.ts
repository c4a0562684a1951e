import { describe, it, expect } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import ImportPanel from '../screens/sync/ImportPanel.svelte';
import ExportPanel from '../screens/sync/ExportPanel.svelte';
import type { ImportSummary } from '$lib/bindings/ImportSummary';
import { asRole, sendOnChannel } from './fixtures';
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
    const calls: { cmd: string; args: Record<string, unknown> }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args: args as Record<string, unknown> });
      if (cmd === 'pick_file') return '/media/usb/picked.caravan';
      if (cmd === 'import_bundle') return report;
      return null;
    });
    const user = userEvent.setup();
    render(ImportPanel, { props: { ondone: async () => {} } });
    await user.click(screen.getByTestId('import-bundle'));
    await screen.findByTestId('import-summary');
    expect(calls.find((c) => c.cmd === 'pick_file')?.args).toEqual({ mode: 'open', kind: 'bundle', default_name: null });
    expect(calls.find((c) => c.cmd === 'import_bundle')?.args.path).toBe('/media/usb/picked.caravan');
  });


  it('imports a typed path with progress and renders the summary', async () => {
    asRole('investigator', 'ru');
    let path = '';
    mockIPC((cmd, args) => {
      if (cmd === 'import_bundle') {
        const a = args as { path: string; on_progress: unknown };
        path = a.path;
        sendOnChannel(a.on_progress, 0, { step: 'verifying', done: 5, total: 10 });
        return report;
      }
      return null;
    });
    const user = userEvent.setup();
    render(ImportPanel, { props: { ondone: async () => {} } });
    await user.type(screen.getByTestId('import-path'), '/media/usb/from-bekzod.caravan');
    await user.click(screen.getByTestId('import-bundle'));

    const summary = await screen.findByTestId('import-summary');
    expect(path).toBe('/media/usb/from-bekzod.caravan');
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
    let sent: Record<string, unknown> = {};
    mockIPC((cmd, args) => {
      if (cmd === 'team') {
        return { id: 't', name: 'T', device: 'd', key_epoch: 1, me: { id: 'm-me', name: 'Aigerim', role: 'investigator', devices: [] },
          members: [{ id: 'm-me', name: 'Aigerim', role: 'investigator', devices: [] }, { id: 'm-bek', name: 'Bekzod', role: 'investigator', devices: [] }] };
      }
      if (cmd === 'export_bundle') {
        sent = args as Record<string, unknown>;
        return { bytes: 2048, recipient: 'm-bek', path: '/media/usb/for-bekzod.caravan' };
      }
      return null;
    });
    const user = userEvent.setup();
    render(ExportPanel, { props: { ondone: async () => {} } });
    await screen.findByRole('option', { name: /Bekzod/ });
    expect(screen.queryByRole('option', { name: /Aigerim/ })).toBeNull();
    await user.selectOptions(screen.getByTestId('export-member'), 'm-bek');
    await user.type(screen.getByTestId('export-path'), '/media/usb/for-bekzod.caravan');
    await user.click(screen.getByTestId('export-bundle'));
    expect(await screen.findByTestId('export-result')).toHaveTextContent('2048');
    expect(sent.member).toBe('m-bek');
    expect(sent.path).toBe('/media/usb/for-bekzod.caravan');
  });

  it('shows a translated error when the bundle is rejected', async () => {
    asRole('investigator');
    mockIPC((cmd) => {
      if (cmd === 'import_bundle') throw { code: 'sync.wrong_team', kind: 'rejected', message: 'x' };
      return null;
    });
    const user = userEvent.setup();
    render(ImportPanel, { props: { ondone: async () => {} } });
    await user.type(screen.getByTestId('import-path'), '/tmp/a.caravan');
    await user.click(screen.getByTestId('import-bundle'));
    expect(await screen.findByTestId('error-message')).toHaveTextContent('This belongs to another team.');
    expect(screen.queryByTestId('import-summary')).toBeNull();
  });
});
