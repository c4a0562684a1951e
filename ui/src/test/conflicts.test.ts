import { describe, it, expect } from 'vitest';
import { screen, within, waitFor } from '@testing-library/svelte';
import ConflictsBanner from '../screens/case/ConflictsBanner.svelte';
import type { ConflictView } from '$lib/bindings/ConflictView';
import { asRole } from './fixtures';
import { mockBackend, renderWithUser } from './backend';

function conflicts(reveal: boolean): ConflictView[] {
  return [
    {
      case_id: 'c1',
      path: 'header/title',
      sensitive: false,
      values: [
        { choice: 'ch-a', value: 'Brick kiln, Kaskelen', author: 'm-a', author_name: 'Aigerim', shown_now: true },
        { choice: 'ch-b', value: 'Brick factory, Kaskelen', author: 'm-b', author_name: 'Bekzod', shown_now: false },
      ],
    },
    {
      case_id: 'c1',
      path: 'victims/p1/identity/full_name',
      sensitive: true,
      values: [
        { choice: 'n-a', value: reveal ? 'Dilnoza' : null, author: 'm-a', author_name: 'Aigerim', shown_now: true },
        { choice: 'n-b', value: reveal ? 'Dilnoza K.' : null, author: 'm-b', author_name: 'Bekzod', shown_now: false },
      ],
    },
  ];
}

describe('conflicts banner', () => {
  it('shows both values with their authors and keeps the chosen one', async () => {
    asRole('investigator');
    const backend = mockBackend({ conflicts: (a) => conflicts(a.reveal) });
    let resolved = 0;
    const { user } = renderWithUser(ConflictsBanner, { caseId: 'c1', onresolved: async () => { resolved++; } });

    const banner = screen.getByTestId('conflicts-banner');
    const [title, name] = await within(banner).findAllByTestId('conflict');
    expect(within(title).getByText('Brick kiln, Kaskelen')).toBeInTheDocument();
    expect(within(title).getByText('Brick factory, Kaskelen')).toBeInTheDocument();
    expect(within(title).getByText(/Aigerim/)).toBeInTheDocument();
    expect(within(title).getByText(/Bekzod/)).toBeInTheDocument();

    // The identity field stays masked until deliberately revealed.
    expect(name).not.toHaveTextContent('Dilnoza');
    expect(within(name).getAllByTestId('conflict-value').map((e) => e.textContent)).toEqual(['••••', '••••']);
    expect(backend.calls[0]).toEqual(['conflicts', { case_id: 'c1', reveal: false }]);

    const keep = within(title).getAllByTestId('conflict-keep');
    expect(keep.map((b) => b.getAttribute('data-author-name'))).toEqual(['Aigerim', 'Bekzod']);
    await user.click(keep[1]);
    expect(backend.argsOf('resolve_conflict')).toEqual({ case_id: 'c1', path: 'header/title', choice: 'ch-b' });
    await waitFor(() => expect(resolved).toBe(1));
  });

  it('reveals sensitive values only on request, through conflicts with reveal=true', async () => {
    asRole('investigator');
    const backend = mockBackend({ conflicts: (a) => conflicts(a.reveal) });
    const { user } = renderWithUser(ConflictsBanner, { caseId: 'c1', onresolved: async () => {} });
    await user.click(await screen.findByTestId('conflict-reveal'));
    expect(await screen.findByText('Dilnoza K.')).toBeInTheDocument();
    expect(backend.calls.map(([, a]) => a.reveal)).toEqual([false, true]);
  });
});
