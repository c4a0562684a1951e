import { describe, it, expect } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import JoinTeam from '../screens/setup/JoinTeam.svelte';
import { setLang } from '$lib/i18n/index.svelte';
import { en } from '$lib/i18n/catalogues';

describe('joining a team', () => {
  it('opens the join package only with the team fingerprint, and explains where it is', async () => {
    setLang('en');
    const calls: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === 'inspect_join_request') return { name: 'Timur', label: 'laptop', device: 'dev-t', fingerprint: 'H4JX-9QLE' };
      if (cmd === 'accept_join') throw { code: 'sync.wrong_team', kind: 'verification', message: 'another team' };
      return null;
    });
    const user = userEvent.setup();
    let refreshed = 0;
    render(JoinTeam, {
      props: {
        pendingJoin: 'CARAVAN-JOIN1:abc',
        refresh: async () => {
          refreshed++;
        },
      },
    });
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
    expect(calls.find(([c]) => c === 'accept_join')?.[1]).toEqual({
      package_path: '/media/usb/timur.caravan-join',
      team_id: '04213 55120 09876 31877 60012 47751',
    });
    // A package of another team is refused with the translated reason.
    expect(await screen.findByText(en['error.sync.wrong_team'])).toBeInTheDocument();
    expect(refreshed).toBe(0);
  });
});
