import { describe, it, expect } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import Unlock from '../screens/Unlock.svelte';
import { setLang } from '$lib/i18n/index.svelte';
import { ru } from '$lib/i18n/catalogues';
import { status, err } from './fixtures';

describe('unlock', () => {
  it('shows the Russian message for a wrong passphrase', async () => {
    setLang('ru');
    mockIPC((cmd) => {
      if (cmd === 'unlock') throw err('vault.wrong_passphrase', 'wrong_secret');
      return null;
    });
    const user = userEvent.setup();
    let opened = false;
    render(Unlock, { props: { status: status('investigator', { unlocked: false }), onstatus: () => (opened = true) } });
    await user.type(screen.getByTestId('unlock-passphrase'), 'not my phrase');
    await user.click(screen.getByTestId('unlock'));
    const msg = await screen.findByTestId('error-message');
    expect(msg).toHaveTextContent(ru['error.vault.wrong_passphrase']);
    expect(msg).not.toHaveTextContent('English message');
    expect(opened).toBe(false);
    expect(screen.getByTestId('unlock-passphrase')).toHaveValue('');
    setLang('en');
  });

  it('recovers with the recovery code and a new passphrase', async () => {
    setLang('en');
    let args: unknown = null;
    mockIPC((cmd, a) => {
      if (cmd === 'recover') {
        args = a;
        return status('investigator');
      }
      return null;
    });
    const user = userEvent.setup();
    let opened = false;
    render(Unlock, { props: { status: status('investigator', { unlocked: false }), onstatus: () => (opened = true) } });
    await user.click(screen.getByTestId('use-recovery'));
    await user.type(screen.getByTestId('recovery-input'), 'ABCD-EFGH');
    await user.type(screen.getByTestId('new-passphrase'), 'a whole new phrase here');
    await user.type(screen.getByTestId('new-passphrase-confirm'), 'a whole new phrase here');
    await user.click(screen.getByTestId('recover'));
    expect(args).toEqual({ recovery_code: 'ABCD-EFGH', new_passphrase: 'a whole new phrase here' });
    expect(opened).toBe(true);
  });
});
