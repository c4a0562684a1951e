import { describe, it, expect } from 'vitest';
import { screen } from '@testing-library/svelte';
import Unlock from '../screens/Unlock.svelte';
import { setLang } from '$lib/i18n/index.svelte';
import { ru } from '$lib/i18n/catalogues';
import { status } from './fixtures';
import { mockBackend, refuse, renderWithUser } from './backend';

/** The unlock screen of a locked vault; `opened` tells whether it reported an unlocked status. */
function lockedScreen() {
  const state = { opened: false };
  const { user } = renderWithUser(Unlock, { status: status('investigator', { unlocked: false }), onstatus: () => (state.opened = true) });
  return { user, state };
}

describe('unlock', () => {
  it('shows the Russian message for a wrong passphrase', async () => {
    setLang('ru');
    mockBackend({ unlock: refuse('vault.wrong_passphrase', 'wrong_secret') });
    const { user, state } = lockedScreen();
    await user.type(screen.getByTestId('unlock-passphrase'), 'not my phrase');
    await user.click(screen.getByTestId('unlock'));
    const msg = await screen.findByTestId('error-message');
    expect(msg).toHaveTextContent(ru['error.vault.wrong_passphrase']);
    expect(msg).not.toHaveTextContent('English message');
    expect(state.opened).toBe(false);
    expect(screen.getByTestId('unlock-passphrase')).toHaveValue('');
    setLang('en');
  });

  it('recovers with the recovery code and a new passphrase', async () => {
    setLang('en');
    const backend = mockBackend({ recover: status('investigator') });
    const { user, state } = lockedScreen();
    await user.click(screen.getByTestId('use-recovery'));
    await user.type(screen.getByTestId('recovery-input'), 'ABCD-EFGH');
    await user.type(screen.getByTestId('new-passphrase'), 'a whole new phrase here');
    await user.type(screen.getByTestId('new-passphrase-confirm'), 'a whole new phrase here');
    await user.click(screen.getByTestId('recover'));
    expect(backend.argsOf('recover')).toEqual({ recovery_code: 'ABCD-EFGH', new_passphrase: 'a whole new phrase here' });
    expect(state.opened).toBe(true);
  });
});
