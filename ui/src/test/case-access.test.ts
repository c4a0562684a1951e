import { describe, it, expect } from 'vitest';
import { screen, within, waitFor } from '@testing-library/svelte';
import CaseAccess from '../screens/admin/CaseAccess.svelte';
import { setLang } from '$lib/i18n/index.svelte';
import { asRole, caseSummary } from './fixtures';
import { mockBackend, renderWithUser } from './backend';

describe('case access', () => {
  it('regression: shows who sees the chosen case and why, offering Grant only to those without access and Withdraw only where it was granted', async () => {
    asRole('supervisor');
    setLang('en');
    const backend = mockBackend({
      list_cases: { cases: [caseSummary()], unreadable: [] },
      case_access: [
        { member: { id: 'm-saule', name: 'Saule' }, role: 'supervisor', reason: 'role' },
        { member: { id: 'm-aibek', name: 'Aibek' }, role: 'investigator', reason: 'opened' },
        { member: { id: 'm-dana', name: 'Dana' }, role: 'investigator', reason: 'granted' },
        { member: { id: 'm-marat', name: 'Marat' }, role: 'prosecutor', reason: 'none' },
      ],
      grant: null,
    });
    const { user } = renderWithUser(CaseAccess, {});
    await waitFor(() => expect(screen.getByTestId('access-case').querySelectorAll('option').length).toBe(2));
    await user.selectOptions(screen.getByTestId('access-case'), 'c1');
    const rows = await screen.findAllByTestId('access-row');
    const by = (name: string) => rows.find((r) => r.textContent?.includes(name))!;
    expect(within(by('Saule')).queryByRole('button')).toBeNull();
    expect(within(by('Aibek')).queryByRole('button')).toBeNull();
    expect(within(by('Dana')).getByTestId('withdraw')).toBeInTheDocument();
    expect(within(by('Dana')).queryByTestId('grant')).toBeNull();
    await user.click(within(by('Marat')).getByTestId('grant'));
    await waitFor(() => expect(backend.argsOf('grant')).toEqual({ case_id: 'c1', member: 'm-marat', allowed: true }));
  });
});
