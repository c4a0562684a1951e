// The Money tab: account numbers masked until an audited reveal, totals
// per currency, and the add and edit buttons only for the roles that
// record flows (a prosecutor reads them).
import { describe, it, expect } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import MoneyTab from '../screens/case/MoneyTab.svelte';
import { asRole, caseDto, financialFlow } from './fixtures';
import { mockBackend, renderWithUser } from './backend';

const c = caseDto({
  finance: {
    flows: [financialFlow(), financialFlow({ id: 'ff2', kind: 'cash_payment', has_account: false, freeze: 'not_frozen', freeze_ordered_on: null })],
    totals: [{ currency: 'KZT', moved: 900000, held: 450000, confiscated: 0 }],
  },
});

describe('the Money tab', () => {
  it('masks an account number until it is revealed, one row at a time', async () => {
    asRole('investigator');
    const backend = mockBackend({ reveal_account: { value: 'KZ86 125K ZT50 0410 0100' } });
    const { user } = renderWithUser(MoneyTab, { c, reload: async () => {} });
    const [first, second] = screen.getAllByTestId('flow-row');
    expect(within(first).getByTestId('flow-account')).toHaveTextContent('••••');
    expect(within(second).getByTestId('flow-account')).toHaveTextContent('—');
    expect(within(second).queryByTestId('flow-reveal')).not.toBeInTheDocument();
    expect(document.body.textContent).not.toContain('ZT50');

    await user.click(within(first).getByTestId('flow-reveal'));
    await waitFor(() => expect(within(first).getByTestId('flow-account')).toHaveTextContent('KZ86 125K ZT50 0410 0100'));
    expect(backend.argsOf('reveal_account')).toEqual({ case_id: 'c1', flow_id: 'ff1' });
    await user.click(within(first).getByTestId('flow-hide'));
    expect(within(first).getByTestId('flow-account')).toHaveTextContent('••••');

    const totals = screen.getAllByTestId('money-total-row');
    expect(totals).toHaveLength(1);
    expect(totals[0]).toHaveTextContent('KZT');
    expect(screen.getByTestId('add-flow')).toBeInTheDocument();
  });

  it('lets a prosecutor read the flows and reveal, but not add or correct them', async () => {
    asRole('prosecutor');
    mockBackend({});
    renderWithUser(MoneyTab, { c, reload: async () => {} });
    expect(screen.getAllByTestId('flow-row')).toHaveLength(2);
    expect(screen.queryByTestId('add-flow')).not.toBeInTheDocument();
    expect(screen.queryByTestId('edit-flow')).not.toBeInTheDocument();
    expect(screen.getByTestId('flow-reveal')).toBeInTheDocument();
  });
});
