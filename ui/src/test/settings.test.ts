import { describe, it, expect } from 'vitest';
import { screen } from '@testing-library/svelte';
import Settings from '../screens/Settings.svelte';
import { i18n, setLang } from '$lib/i18n/index.svelte';
import { ru } from '$lib/i18n/catalogues';
import { asRole } from './fixtures';
import { mockBackend, renderWithUser } from './backend';

describe('settings', () => {
  it('saves the language and auto-lock minutes, and switches the language at once', async () => {
    asRole('investigator');
    const backend = mockBackend();
    const { user } = renderWithUser(Settings, {});
    await user.selectOptions(screen.getByTestId('settings-language'), 'ru');
    await user.clear(screen.getByTestId('settings-auto-lock'));
    await user.type(screen.getByTestId('settings-auto-lock'), '3');
    await user.click(screen.getByTestId('settings-save'));
    expect(backend.argsOf('set_settings')).toEqual({ settings: { auto_lock_minutes: 3, language: 'ru' } });
    expect(i18n.lang).toBe('ru');
    expect(await screen.findByRole('heading', { name: ru['settings.title'] })).toBeInTheDocument();
    setLang('en');
  });
});
