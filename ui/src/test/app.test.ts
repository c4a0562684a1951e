import type { Role } from '$lib/bindings/Role';
import { describe, it, expect } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import App from '../App.svelte';
import { go } from '$lib/session.svelte';
import { status } from './fixtures';
import { setLang } from '$lib/i18n/index.svelte';
import { ru } from '$lib/i18n/catalogues';

function backend(role: Role) {
  const state = { unlocked: true, calls: [] as string[] };
  mockIPC(
    (cmd) => {
      state.calls.push(cmd);
      if (cmd === 'app_status') return status(role, { unlocked: state.unlocked, settings: { auto_lock_minutes: 5, language: 'en' } });
      if (cmd === 'list_cases') return { cases: [], unreadable: [] };
      if (cmd === 'team') return { id: 't', name: 'T', device: 'd', key_epoch: 1, me: { id: 'm-me', name: 'Aigerim', role, devices: [] }, members: [] };
      if (cmd === 'lock') {
        state.unlocked = false;
        return null;
      }
      return null;
    },
    { shouldMockEvents: true },
  );
  return state;
}

describe('app shell', () => {
  it('marks the demo on every screen and leaves it for the user\'s own vault', async () => {
    go('cases');
    const state = { demo: true, unlocked: true, calls: [] as string[] };
    mockIPC(
      (cmd) => {
        state.calls.push(cmd);
        if (cmd === 'app_status') return status('supervisor', { unlocked: state.unlocked, demo: state.demo });
        if (cmd === 'list_cases') return { cases: [], unreadable: [] };
        if (cmd === 'leave_demo') {
          state.demo = false;
          state.unlocked = false;
          return status('supervisor', { unlocked: false, demo: false });
        }
        return null;
      },
      { shouldMockEvents: true },
    );
    const user = userEvent.setup();
    render(App);
    expect(await screen.findByTestId('demo-banner')).toHaveTextContent('not your vault');
    await user.click(screen.getByTestId('leave-demo'));
    expect(await screen.findByTestId('unlock-passphrase')).toBeInTheDocument();
    expect(screen.queryByTestId('demo-banner')).toBeNull();
    expect(state.calls).toContain('leave_demo');
  });


  it('goes to the unlock screen when the backend reports an auto-lock', async () => {
    go('cases');
    const state = backend('investigator');
    render(App);
    expect(await screen.findByTestId('nav-cases')).toBeInTheDocument();
    state.unlocked = false;
    await emit('caravan://locked');
    expect(await screen.findByTestId('unlock-passphrase')).toBeInTheDocument();
    expect(screen.queryByTestId('nav-cases')).toBeNull();
  });

  it('locks from the top bar', async () => {
    go('cases');
    const state = backend('investigator');
    const user = userEvent.setup();
    render(App);
    await user.click(await screen.findByTestId('lock'));
    expect(await screen.findByTestId('unlock-passphrase')).toBeInTheDocument();
    expect(state.calls).toContain('lock');
  });

  it('shows the dashboard and team admin only to the roles that use them', async () => {
    go('cases');
    backend('investigator');
    const first = render(App);
    await screen.findByTestId('nav-cases');
    expect(screen.queryByTestId('nav-dashboard')).toBeNull();
    expect(screen.queryByTestId('nav-team')).toBeNull();
    first.unmount();

    backend('supervisor');
    const second = render(App);
    await screen.findByTestId('nav-dashboard');
    expect(screen.queryByTestId('nav-team')).toBeNull();
    second.unmount();

    backend('admin');
    render(App);
    await waitFor(() => expect(screen.getByTestId('nav-team')).toBeInTheDocument());
    expect(screen.getByTestId('nav-dashboard')).toBeInTheDocument();
  });
});

describe('language while locked', () => {
  it('keeps the language last used, since locked settings cannot be read', async () => {
    setLang('ru');
    mockIPC((cmd) => {
      if (cmd === 'app_status') return status('investigator', { unlocked: false, me: null, team_name: null, has_team: false });
      return null;
    });
    render(App);
    expect(await screen.findByRole('button', { name: ru['unlock.submit'] })).toBeInTheDocument();
    setLang('en');
  });
});
