import { describe, it, expect } from 'vitest';
import { screen, waitFor } from '@testing-library/svelte';
import FirstRun from '../screens/setup/FirstRun.svelte';
import { setLang } from '$lib/i18n/index.svelte';
import { en } from '$lib/i18n/catalogues';
import { catalogues } from '$lib/i18n/index.svelte';

const kk = catalogues.kk;
import { status } from './fixtures';
import { mockBackend, renderWithUser } from './backend';

/** The first run on a computer without a vault, past its language step
 *  (English); `refreshed` counts the status reloads. */
async function firstRun() {
  const run = firstRunAtLanguage();
  await run.user.click(screen.getByTestId('first-language-en'));
  await run.user.click(screen.getByTestId('language-continue'));
  return run;
}

function firstRunAtLanguage() {
  const state = { refreshed: 0 };
  const { user } = renderWithUser(FirstRun, {
    status: status(null, { vault_exists: false, unlocked: false }),
    onstatus: () => {},
    refresh: async () => {
      state.refreshed++;
    },
    onlocked: () => {},
  });
  return { user, state };
}

describe('first run: create a vault', () => {
  it('offers the language before anything else, each named in itself, and speaks the one chosen', async () => {
    setLang('en');
    mockBackend({ passphrase_strength: { acceptable: false, score: 0, message: null } });
    const { user } = firstRunAtLanguage();
    expect(screen.queryByTestId('passphrase')).toBeNull();
    expect(screen.getByTestId('first-language-kk')).toHaveTextContent('Қазақша');
    expect(screen.getByTestId('first-language-uz-Cyrl')).toHaveTextContent('Ўзбекча');
    await user.click(screen.getByTestId('first-language-kk'));
    expect(await screen.findByText(kk['setup.language.title'] as string)).toBeInTheDocument();
    expect(screen.getByTestId('first-language-kk')).toHaveAttribute('aria-pressed', 'true');
    expect(document.documentElement.lang).toBe('kk');
    await user.click(screen.getByTestId('language-continue'));
    expect(screen.getByTestId('passphrase')).toBeInTheDocument();
    expect(screen.getByTestId('create-vault')).toHaveTextContent(kk['setup.create.submit'] as string);
    setLang('en');
  });

  it('shows live strength feedback, creates the vault, and gates the recovery code on confirmation', async () => {
    setLang('en');
    const backend = mockBackend({
      demo_passphrase: 'demo pass',
      passphrase_strength: (a) => {
        const strong = a.passphrase.length >= 20;
        return { acceptable: strong, score: strong ? 4 : 1, message: strong ? null : 'vault.weak_passphrase' };
      },
      create_vault: { recovery_code: 'ABCD-EFGH-JKLM-NPQR' },
    });
    const { user, state } = await firstRun();

    const create = screen.getByTestId('create-vault');
    expect(create).toBeDisabled();

    await user.type(screen.getByTestId('passphrase'), 'short');
    await waitFor(() => expect(screen.getByTestId('strength-score')).toHaveTextContent(en['strength.score.1']));
    expect(screen.getByTestId('strength-message')).toHaveTextContent(en['strength.msg.vault.weak_passphrase']);
    await user.type(screen.getByTestId('passphrase-confirm'), 'short');
    expect(create).toBeDisabled();

    await user.clear(screen.getByTestId('passphrase'));
    await user.type(screen.getByTestId('passphrase'), 'copper kettle under the bridge');
    await user.clear(screen.getByTestId('passphrase-confirm'));
    await user.type(screen.getByTestId('passphrase-confirm'), 'copper kettle under the bridge');
    await waitFor(() => expect(screen.getByTestId('strength-score')).toHaveTextContent(en['strength.score.4']));
    await waitFor(() => expect(create).toBeEnabled());

    await user.click(create);
    expect(backend.argsOf('create_vault')).toEqual({ passphrase: 'copper kettle under the bridge' });
    // The language chosen first is the new vault's at once.
    await waitFor(() => expect(backend.argsOf('set_settings')).toEqual({ settings: { auto_lock_minutes: 5, language: 'en' } }));
    expect(await screen.findByTestId('recovery-code')).toHaveTextContent('ABCD-EFGH-JKLM-NPQR');

    const cont = screen.getByTestId('continue');
    expect(cont).toBeDisabled();
    await user.click(screen.getByTestId('recovery-confirm'));
    expect(cont).toBeEnabled();
    await user.click(cont);

    expect(screen.queryByTestId('recovery-code')).toBeNull();
    expect(screen.getByTestId('team-name')).toBeInTheDocument();
    expect(screen.getByTestId('lock')).toBeInTheDocument();
    expect(backend.commands().filter((c) => c === 'create_vault')).toHaveLength(1);
    expect(backend.commands()).toContain('confirm_recovery_code');
    expect(state.refreshed).toBe(1);
  });

  it('regression: a recovery code never confirmed (the vault was locked on its screen) is replaced by a new one until confirmed', async () => {
    setLang('en');
    const backend = mockBackend({ new_recovery_code: 'WXYZ-2345-6789-ABCD' });
    const { user } = renderWithUser(FirstRun, {
      status: status(null, { vault_exists: true, unlocked: true, recovery_unconfirmed: true }),
      onstatus: () => {},
      refresh: async () => {},
      onlocked: () => {},
    });
    expect(await screen.findByTestId('recovery-code')).toHaveTextContent('WXYZ-2345-6789-ABCD');
    expect(screen.getByTestId('recovery-replaced')).toHaveTextContent(en['setup.recovery.replaced']);
    expect(screen.queryByTestId('team-name')).toBeNull();
    await user.click(screen.getByTestId('recovery-confirm'));
    await user.click(screen.getByTestId('continue'));
    expect(backend.commands()).toEqual(['new_recovery_code', 'confirm_recovery_code']);
    expect(await screen.findByTestId('team-name')).toBeInTheDocument();
  });

  it('checks the strength before creating when the live check has not answered yet', async () => {
    setLang('en');
    const backend = mockBackend({ passphrase_strength: { acceptable: false, score: 0, message: 'vault.weak_passphrase' } });
    const { user } = await firstRun();
    await user.type(screen.getByTestId('passphrase'), 'password');
    await user.type(screen.getByTestId('passphrase-confirm'), 'password');
    await user.click(screen.getByTestId('create-vault'));
    await waitFor(() => expect(screen.getByTestId('strength-score')).toHaveTextContent(en['strength.score.0']));
    expect(backend.commands()).not.toContain('create_vault');
    expect(screen.queryByTestId('recovery-code')).toBeNull();
  });

  it('keeps the create button disabled while the two passphrases differ', async () => {
    setLang('en');
    mockBackend({ passphrase_strength: { acceptable: true, score: 4, message: null } });
    const { user } = await firstRun();
    await user.type(screen.getByTestId('passphrase'), 'copper kettle under the bridge');
    await user.type(screen.getByTestId('passphrase-confirm'), 'copper kettle under the brigde');
    await waitFor(() => expect(screen.getByTestId('strength-score')).toBeInTheDocument());
    expect(screen.getByTestId('create-vault')).toBeDisabled();
    expect(screen.getByText(en['setup.create.mismatch'])).toBeInTheDocument();
  });
});
