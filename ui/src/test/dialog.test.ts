import { describe, it, expect, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/svelte';
import NaDialog from '../screens/case/NaDialog.svelte';
import ChecklistsTab from '../screens/case/ChecklistsTab.svelte';
import { asRole, caseDto, checklist } from './fixtures';
import { setLang } from '$lib/i18n/index.svelte';
import { mockBackend, renderWithUser } from './backend';

describe('dialogs', () => {
  it('trap focus, start in the first field and close with Escape', async () => {
    setLang('en');
    const onclose = vi.fn();
    const { user } = renderWithUser(NaDialog, { text: 'Interpreter arranged', onclose, onsave: async () => null });
    const dialog = screen.getByRole('dialog');
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(dialog).toHaveAccessibleName('Not applicable');
    await waitFor(() => expect(screen.getByTestId('na-reason')).toHaveFocus());

    const close = screen.getByRole('button', { name: 'Close' });
    const cancel = screen.getByRole('button', { name: 'Cancel' });
    cancel.focus();
    await user.tab();
    expect(close).toHaveFocus();
    await user.tab({ shift: true });
    expect(cancel).toHaveFocus();

    await user.keyboard('{Escape}');
    expect(onclose).toHaveBeenCalledTimes(1);
  });
});

describe('dialog focus', () => {
  it('returns focus to the control that opened it', async () => {
    asRole('investigator');
    mockBackend({ checklists: [checklist()] });
    const { user } = renderWithUser(ChecklistsTab, { c: caseDto(), reload: async () => {} });
    const na = await screen.findByTestId('item-na');
    await user.click(na);
    await waitFor(() => expect(screen.getByTestId('na-reason')).toHaveFocus());
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(na).toHaveFocus();
  });
});
