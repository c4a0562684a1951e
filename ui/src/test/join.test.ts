import { describe, it, expect } from 'vitest';
import { screen } from '@testing-library/svelte';
import JoinTeam from '../screens/setup/JoinTeam.svelte';
import { setLang } from '$lib/i18n/index.svelte';
import { en } from '$lib/i18n/catalogues';
import { mockBackend, refuse, renderWithUser } from './backend';

describe('joining a team', () => {
  it('opens the join package only with the team fingerprint, and explains where it is', async () => {
    setLang('en');
    const backend = mockBackend({
      inspect_join_request: { name: 'Timur', label: 'laptop', device: 'dev-t', fingerprint: 'H4JX-9QLE' },
      accept_join: refuse('sync.wrong_team', 'verification'),
    });
    let refreshed = 0;
    const { user } = renderWithUser(JoinTeam, { pendingJoin: 'CARAVAN-JOIN1:abc', refresh: async () => { refreshed++; } });
    const field = screen.getByTestId('join-team-id');
    expect(field).toBeRequired();
    expect(field).toHaveAccessibleDescription(en['join.team_id_help']);
    const accept = screen.getByTestId('accept-join');
    expect(accept).toBeDisabled();
    await user.type(field, '   ');
    expect(accept).toBeDisabled();

    await user.type(field, '04213 55120 09876 31877 60012 47751');
    await user.type(screen.getByTestId('join-package-path'), '/media/usb/timur.caravan-join');
    expect(accept).toBeEnabled();
    await user.click(accept);
    expect(backend.argsOf('accept_join')).toEqual({
      package_path: '/media/usb/timur.caravan-join',
      team_id: '04213 55120 09876 31877 60012 47751',
    });
    // A package of another team is refused with the translated reason.
    expect(await screen.findByText(en['error.sync.wrong_team'])).toBeInTheDocument();
    expect(refreshed).toBe(0);
  });
});
