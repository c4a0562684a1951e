import { describe, it, expect } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import CaseList from '../screens/CaseList.svelte';
import type { CaseFilter } from '$lib/bindings/CaseFilter';
import { asRole, caseSummary, member, status, team } from './fixtures';
import { session } from '$lib/session.svelte';
import { mockBackend, renderWithUser } from './backend';

const summary = caseSummary({ assignees: ['m-bek'], progress_percent: 42, overdue_tasks: 2, conflicts: 1 });

describe('case list', () => {
  it('sends the chosen filters to list_cases', async () => {
    asRole('investigator');
    const backend = mockBackend({
      list_cases: { cases: [summary], unreadable: [] },
      team: team({ members: [member({ id: 'm-bek', name: 'Bekzod' })] }),
    });
    const filters = (): CaseFilter[] => backend.calls.filter(([c]) => c === 'list_cases').map(([, a]) => a.filter);
    const { user } = renderWithUser(CaseList, {});
    await waitFor(() => expect(filters().length).toBe(1));
    expect(filters()[0]).toEqual({ query: null, stage: null, status: null, assignee: null, jurisdiction: null, overdue_only: false });

    const row = await screen.findByTestId('case-row');
    expect(row).toHaveAttribute('data-case-id', 'c1');
    expect(within(row).getByTestId('overdue-badge')).toHaveTextContent('2 overdue tasks');
    expect(within(row).getByTestId('conflict-badge')).toHaveTextContent('1 conflict');
    expect(within(row).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '42');
    await waitFor(() => expect(within(row).getByText('Bekzod')).toBeInTheDocument());

    await user.selectOptions(screen.getByTestId('filter-stage'), 'identification');
    await user.selectOptions(screen.getByTestId('filter-jurisdiction'), 'UZ');
    await user.selectOptions(screen.getByTestId('filter-assignee'), 'm-bek');
    await user.click(screen.getByTestId('filter-overdue'));
    await user.type(screen.getByTestId('case-search'), 'Каскелен');
    await waitFor(() => expect(filters().at(-1)?.query).toBe('Каскелен'));
    expect(filters().at(-1)).toEqual({
      query: 'Каскелен',
      stage: 'identification',
      status: null,
      assignee: 'm-bek',
      jurisdiction: 'UZ',
      overdue_only: true,
    });
  });

  it('offers New case only to roles that may create one', async () => {
    mockBackend({ list_cases: { cases: [], unreadable: [] } });
    asRole('prosecutor');
    const { unmount } = render(CaseList);
    expect(screen.queryByTestId('new-case')).toBeNull();
    unmount();
    asRole('investigator');
    render(CaseList);
    expect(screen.getByTestId('new-case')).toBeInTheDocument();
  });

  it('regression: a new team\'s empty list says what to do next, not "No cases match."', async () => {
    asRole('admin');
    mockBackend({ list_cases: { cases: [], unreadable: [] }, team: team() });
    renderWithUser(CaseList, {});
    const next = await screen.findByTestId('no-cases-yet');
    expect(within(next).getByTestId('first-case')).toBeInTheDocument();
    expect(within(next).getByTestId('enrol-colleague')).toBeInTheDocument();
    expect(within(next).getByTestId('open-sync')).toBeInTheDocument();
    expect(screen.queryByText('No cases match.')).toBeNull();
  });

  it('a new team can explore the demo team from its empty list', async () => {
    asRole('investigator');
    const demoCases = { cases: [caseSummary({ reference: 'DEMO-1' })], unreadable: [] };
    let opened = false;
    mockBackend({
      list_cases: () => (opened ? demoCases : { cases: [], unreadable: [] }),
      team: team(),
      open_demo: () => {
        opened = true;
        return { ...status('investigator'), demo: true };
      },
    });
    const { user } = renderWithUser(CaseList, {});
    await user.click(await screen.findByTestId('explore-demo'));
    expect(await screen.findByText('DEMO-1')).toBeInTheDocument();
    expect(session.status?.demo).toBe(true);
  });
});
