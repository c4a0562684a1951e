import type { Role } from '$lib/bindings/Role';
import { describe, it, expect } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import { emit } from '@tauri-apps/api/event';
import App from '../App.svelte';
import { go } from '$lib/session.svelte';
import { member, status, team } from './fixtures';
import { mockBackend, renderWithUser } from './backend';
import { setLang } from '$lib/i18n/index.svelte';
import { ru } from '$lib/i18n/catalogues';

const noCases = { cases: [], unreadable: [] };

/** An unlocked vault of a member with `role`; `state.unlocked` is what app_status reports. */
function backend(role: Role) {
  const state = { unlocked: true };
  const calls = mockBackend(
    {
      app_status: () => status(role, { unlocked: state.unlocked, settings: { auto_lock_minutes: 5, language: 'en' } }),
      list_cases: noCases,
      team: team({ me: member({ role }), members: [] }),
      lock: () => {
        state.unlocked = false;
        return null;
      },
    },
    { shouldMockEvents: true },
  );
  return { state, commands: calls.commands };
}

describe('app shell', () => {
  it('speaks the language last used on this computer before the vault says which', async () => {
    setLang('en');
    localStorage.setItem('caravan.language', 'ru');
    mockBackend({ app_status: () => new Promise(() => {}) });
    render(App);
    expect(await screen.findByText(ru['common.loading'])).toBeInTheDocument();
    setLang('en');
  });

  it('marks the demo on every screen and leaves it for the user\'s own vault', async () => {
    go('cases');
    const state = { demo: true, unlocked: true };
    const backend = mockBackend(
      {
        app_status: () => status('supervisor', { unlocked: state.unlocked, demo: state.demo }),
        list_cases: noCases,
        leave_demo: () => {
          state.demo = false;
          state.unlocked = false;
          return status('supervisor', { unlocked: false, demo: false });
        },
      },
      { shouldMockEvents: true },
    );
    const { user } = renderWithUser(App, {});
    expect(await screen.findByTestId('demo-banner')).toHaveTextContent('not your vault');
    await user.click(screen.getByTestId('leave-demo'));
    expect(await screen.findByTestId('unlock-passphrase')).toBeInTheDocument();
    expect(screen.queryByTestId('demo-banner')).toBeNull();
    expect(backend.commands()).toContain('leave_demo');
  });


  it('goes to the unlock screen when the backend reports an auto-lock', async () => {
    go('cases');
    const { state } = backend('investigator');
    render(App);
    expect(await screen.findByTestId('nav-cases')).toBeInTheDocument();
    state.unlocked = false;
    await emit('caravan://locked');
    expect(await screen.findByTestId('unlock-passphrase')).toBeInTheDocument();
    expect(screen.queryByTestId('nav-cases')).toBeNull();
  });

  it('locks from the top bar', async () => {
    go('cases');
    const { commands } = backend('investigator');
    const { user } = renderWithUser(App, {});
    await user.click(await screen.findByTestId('lock'));
    expect(await screen.findByTestId('unlock-passphrase')).toBeInTheDocument();
    expect(commands()).toContain('lock');
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

  it('offers the link chart to the roles that see every case', async () => {
    go('cases');
    backend('investigator');
    const first = render(App);
    await screen.findByTestId('nav-cases');
    // (The status read at start-up replaces the one a test before left.)
    await waitFor(() => expect(screen.getByTestId('my-role')).toHaveTextContent(/investigator/i));
    expect(screen.queryByTestId('nav-links')).toBeNull();
    first.unmount();

    backend('supervisor');
    render(App);
    expect(await screen.findByTestId('nav-links')).toHaveTextContent('Links');
  });
});

describe('language while locked', () => {
  it('keeps the language last used, since locked settings cannot be read', async () => {
    setLang('ru');
    mockBackend({ app_status: status('investigator', { unlocked: false, me: null, team_name: null, has_team: false }) });
    render(App);
    expect(await screen.findByRole('button', { name: ru['unlock.submit'] })).toBeInTheDocument();
    setLang('en');
  });
});
