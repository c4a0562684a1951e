import { describe, it, expect } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import FirstRun from '../screens/setup/FirstRun.svelte';
import { setLang } from '$lib/i18n/index.svelte';
import { en } from '$lib/i18n/catalogues';
import { status } from './fixtures';

describe('first run: create a vault', () => {
  it('shows live strength feedback, creates the vault, and gates the recovery code on confirmation', async () => {
    setLang('en');
    const calls: string[] = [];
    let created: unknown = null;
    mockIPC((cmd, args) => {
      calls.push(cmd);
      const a = args as Record<string, string>;
      if (cmd === 'demo_passphrase') return 'demo pass';
      if (cmd === 'passphrase_strength') {
        const strong = a.passphrase.length >= 20;
        return { acceptable: strong, score: strong ? 4 : 1, message: strong ? null : 'vault.weak_passphrase' };
      }
      if (cmd === 'create_vault') {
        created = a;
        return { recovery_code: 'ABCD-EFGH-JKLM-NPQR' };
      }
      return null;
    });
    const user = userEvent.setup();
    let refreshed = 0;
    render(FirstRun, {
      props: {
        status: status(null, { vault_exists: false, unlocked: false }),
        onstatus: () => {},
        refresh: async () => {
          refreshed++;
        },
        onlocked: () => {},
      },
    });

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
    expect(created).toEqual({ passphrase: 'copper kettle under the bridge' });
    expect(await screen.findByTestId('recovery-code')).toHaveTextContent('ABCD-EFGH-JKLM-NPQR');

    const cont = screen.getByTestId('continue');
    expect(cont).toBeDisabled();
    await user.click(screen.getByTestId('recovery-confirm'));
    expect(cont).toBeEnabled();
    await user.click(cont);

    expect(screen.queryByTestId('recovery-code')).toBeNull();
    expect(screen.getByTestId('team-name')).toBeInTheDocument();
    expect(screen.getByTestId('lock')).toBeInTheDocument();
    expect(calls.filter((c) => c === 'create_vault')).toHaveLength(1);
    expect(refreshed).toBe(1);
  });

  it('checks the strength before creating when the live check has not answered yet', async () => {
    setLang('en');
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === 'passphrase_strength') return { acceptable: false, score: 0, message: 'vault.weak_passphrase' };
      return null;
    });
    const user = userEvent.setup();
    render(FirstRun, { props: { status: status(null, { vault_exists: false, unlocked: false }), onstatus: () => {}, refresh: async () => {}, onlocked: () => {} } });
    await user.type(screen.getByTestId('passphrase'), 'password');
    await user.type(screen.getByTestId('passphrase-confirm'), 'password');
    await user.click(screen.getByTestId('create-vault'));
    await waitFor(() => expect(screen.getByTestId('strength-score')).toHaveTextContent(en['strength.score.0']));
    expect(calls).not.toContain('create_vault');
    expect(screen.queryByTestId('recovery-code')).toBeNull();
  });

  it('keeps the create button disabled while the two passphrases differ', async () => {
    setLang('en');
    mockIPC((cmd) => (cmd === 'passphrase_strength' ? { acceptable: true, score: 4, message: null } : null));
    const user = userEvent.setup();
    render(FirstRun, { props: { status: status(null, { vault_exists: false, unlocked: false }), onstatus: () => {}, refresh: async () => {}, onlocked: () => {} } });
    await user.type(screen.getByTestId('passphrase'), 'copper kettle under the bridge');
    await user.type(screen.getByTestId('passphrase-confirm'), 'copper kettle under the brigde');
    await waitFor(() => expect(screen.getByTestId('strength-score')).toBeInTheDocument());
    expect(screen.getByTestId('create-vault')).toBeDisabled();
    expect(screen.getByText(en['setup.create.mismatch'])).toBeInTheDocument();
  });
});
