import { describe, it, expect } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import Settings from '../screens/Settings.svelte';
import { i18n, setLang } from '$lib/i18n/index.svelte';
import { ru } from '$lib/i18n/catalogues';
import { asRole } from './fixtures';

describe('settings', () => {
  it('saves the language and auto-lock minutes, and switches the language at once', async () => {
    asRole('investigator');
    let saved: unknown = null;
    mockIPC((cmd, args) => {
      if (cmd === 'set_settings') saved = args;
      return null;
    });
    const user = userEvent.setup();
    render(Settings);
    await user.selectOptions(screen.getByTestId('settings-language'), 'ru');
    await user.clear(screen.getByTestId('settings-auto-lock'));
    await user.type(screen.getByTestId('settings-auto-lock'), '3');
    await user.click(screen.getByTestId('settings-save'));
    expect(saved).toEqual({ settings: { auto_lock_minutes: 3, language: 'ru' } });
    expect(i18n.lang).toBe('ru');
    expect(await screen.findByRole('heading', { name: ru['settings.title'] })).toBeInTheDocument();
    setLang('en');
  });
});
