import { describe, it, expect } from 'vitest';
import { i18n, setLang } from '$lib/i18n/index.svelte';
import { chooseLanguage, settleLanguage, systemLanguage } from '$lib/language';
import { session } from '$lib/session.svelte';
import { status } from './fixtures';
import { mockBackend } from './backend';

describe('the language kept per device', () => {
  it('writes a language chosen while locked to the vault when it opens', async () => {
    setLang('en');
    const backend = mockBackend();
    session.status = status(null, { unlocked: false });
    await chooseLanguage('kk');
    expect(backend.commands()).toEqual([]);
    const opened = settleLanguage(status('investigator', { settings: { auto_lock_minutes: 7, language: 'ru' } }));
    expect(i18n.lang).toBe('kk');
    expect(opened.settings.language).toBe('kk');
    expect(backend.argsOf('set_settings')).toEqual({ settings: { auto_lock_minutes: 7, language: 'kk' } });
    // Opened again later: the vault's own language, nothing written.
    const again = mockBackend();
    settleLanguage(status('investigator', { settings: { auto_lock_minutes: 7, language: 'tg' } }));
    expect(i18n.lang).toBe('tg');
    expect(again.commands()).toEqual([]);
    setLang('en');
  });

  it('saves a language chosen while the vault is open at once', async () => {
    const backend = mockBackend();
    session.status = status('investigator');
    await chooseLanguage('uz-Cyrl');
    expect(backend.argsOf('set_settings')).toEqual({ settings: { auto_lock_minutes: 5, language: 'uz-Cyrl' } });
    expect(session.status?.settings.language).toBe('uz-Cyrl');
    setLang('en');
  });

  it('reads what older releases stored for Uzbek', () => {
    mockBackend();
    settleLanguage(status('investigator', { settings: { auto_lock_minutes: 5, language: 'uz' } }));
    expect(i18n.lang).toBe('uz-Latn');
    setLang('en');
  });

  it.each([
    [['kk-KZ'], 'kk'],
    [['ru-RU', 'en'], 'ru'],
    [['uz-Cyrl-UZ'], 'uz-Cyrl'],
    [['uz-UZ'], 'uz-Latn'],
    [['de-DE', 'tk-TM'], 'tk'],
    [['fr-FR'], null],
  ])('starts a new device from the system language %j', (tags, expected) => {
    expect(systemLanguage(tags)).toBe(expected);
  });
});
