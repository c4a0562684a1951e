import type { StageView } from '$lib/bindings/StageView';
import { describe, it, expect } from 'vitest';
import { render, screen, within, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import ChecklistsTab from '../screens/case/ChecklistsTab.svelte';
import StageTrack from '../screens/case/StageTrack.svelte';
import { asRole, caseDto, checklist } from './fixtures';

describe('checklists', () => {
  it('requires a reason before marking an item not applicable', async () => {
    asRole('investigator');
    const calls: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === 'checklists') return [checklist()];
      return null;
    });
    const user = userEvent.setup();
    render(ChecklistsTab, { props: { c: caseDto(), reload: async () => {} } });

    const item = await screen.findByTestId('checklist-item');
    expect(item).toHaveAttribute('data-item-id', 'safety');
    expect(item).toHaveAttribute('data-template-id', 'initial-actions');
    await user.click(within(item).getByTestId('item-na'));

    const dialog = screen.getByRole('dialog');
    const save = within(dialog).getByTestId('na-save');
    expect(save).toBeDisabled();
    await user.type(within(dialog).getByTestId('na-reason'), '   ');
    expect(save).toBeDisabled();
    await user.click(save);
    expect(calls.some(([c]) => c === 'set_item')).toBe(false);

    await user.type(within(dialog).getByTestId('na-reason'), 'Adult, no medical needs');
    expect(save).toBeEnabled();
    await user.click(save);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(calls.find(([c]) => c === 'set_item')?.[1]).toEqual({
      case_id: 'c1',
      template_id: 'initial-actions',
      item_id: 'safety',
      update: { status: 'not_applicable', reason: 'Adult, no medical needs', note: null, evidence_ids: [], interview_ids: [] },
    });
  });

  it('closes the N/A dialog with Escape without saving', async () => {
    asRole('investigator');
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      return cmd === 'checklists' ? [checklist()] : null;
    });
    const user = userEvent.setup();
    render(ChecklistsTab, { props: { c: caseDto(), reload: async () => {} } });
    await user.click(await screen.findByTestId('item-na'));
    expect(screen.getByTestId('na-reason')).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(calls).not.toContain('set_item');
  });

  it('ticks an item done and offers identification lists not yet started', async () => {
    asRole('investigator');
    const calls: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === 'checklists') return [checklist(), checklist({ template_id: 'identification-labour', stage: 'identification', title: 'Labour', newer_version: 2 })];
      return null;
    });
    const user = userEvent.setup();
    render(ChecklistsTab, { props: { c: caseDto(), reload: async () => {} } });
    const items = await screen.findAllByTestId('item-done');
    await user.click(items[0]);
    expect(calls.find(([c]) => c === 'set_item')?.[1]).toMatchObject({ update: { status: 'done' } });
    const starts = screen.getAllByTestId('start-checklist').map((b) => b.getAttribute('data-template-id'));
    expect(starts).not.toContain('identification-labour');
    expect(starts).toContain('identification-sexual');
    await user.click(screen.getByTestId('adopt-template'));
    expect(calls.find(([c]) => c === 'adopt_template')?.[1]).toEqual({ case_id: 'c1', template_id: 'identification-labour' });
  });
});

describe('checklists: a refused N/A', () => {
  it('keeps the dialog open and shows the translated reason inside it', async () => {
    asRole('investigator');
    mockIPC((cmd) => {
      if (cmd === 'checklists') return [checklist()];
      if (cmd === 'set_item') throw { code: 'policy.denied', kind: 'rejected', message: 'denied' };
      return null;
    });
    const user = userEvent.setup();
    render(ChecklistsTab, { props: { c: caseDto(), reload: async () => {} } });
    await user.click(await screen.findByTestId('item-na'));
    await user.type(screen.getByTestId('na-reason'), 'Not relevant');
    await user.click(screen.getByTestId('na-save'));
    const dialog = screen.getByRole('dialog');
    expect(await within(dialog).findByTestId('error-message')).toHaveTextContent('Your role does not allow this change.');
  });

  it('shows a checklist of a newer template version, with what to do, and no items to work on', async () => {
    asRole('investigator');
    mockIPC((cmd) =>
      cmd === 'checklists'
        ? [
            checklist(),
            checklist({ template_id: 'identification-general', version: 9, template_unknown: true, stage: 'identification', title: 'General indicators', items: [], required: 0 }),
            checklist({ template_id: 'trial-witnesses', version: 1, template_unknown: true, stage: null, title: 'trial-witnesses', items: [], required: 0 }),
          ]
        : null,
    );
    render(ChecklistsTab, { props: { c: caseDto(), reload: async () => {} } });
    const lists = await screen.findAllByTestId('checklist');
    expect(lists.map((l) => l.getAttribute('data-template-id'))).toEqual(['initial-actions', 'identification-general', 'trial-witnesses']);
    for (const list of lists.slice(1)) {
      expect(within(list).getByTestId('template-unknown')).toHaveTextContent('update Caravan');
      expect(within(list).queryByTestId('checklist-item')).toBeNull();
    }
    expect(screen.getByText('Checklists of a template this copy of Caravan does not know')).toBeInTheDocument();
  });

  it('names the checklists of a newer template version that hold a stage gate', async () => {
    asRole('supervisor');
    mockIPC((cmd) => (cmd === 'checklists' ? [] : null));
    const stage: StageView = {
      stage: 'identification',
      status: 'active',
      opened_at: 1_795_824_000_000,
      closed_at: null,
      gate: { ready: false, missing_items: [], missing_signoffs: [], unknown_templates: ['identification-general@9'] },
    };
    render(StageTrack, { props: { c: caseDto({ stages: [stage] }), reload: async () => {} } });
    const held = await screen.findByTestId('gate-template-unknown');
    expect(held).toHaveTextContent('identification-general@9');
    expect(held).toHaveTextContent('update Caravan');
  });
});
