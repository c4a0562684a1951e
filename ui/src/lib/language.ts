// A person's choice of language, kept per device: in the vault's settings
// while it is open, and in this computer's web storage for the screens
// shown while it is locked (set by `setLang`). A choice made while locked
// (first run, unlock screen) is written to the vault when it next opens.
import * as api from '$lib/api';
import type { StatusDto } from '$lib/bindings/StatusDto';
import { session } from '$lib/session.svelte';
import { i18n, LANGS, rememberedLang, setLang, toLang, type Lang } from '$lib/i18n/index.svelte';

let chosenWhileLocked: Lang | null = null;

/** Shows `lang` now and keeps it for this device. */
export async function chooseLanguage(lang: string): Promise<void> {
  setLang(lang);
  const s = session.status;
  if (!s?.unlocked) {
    chosenWhileLocked = i18n.lang;
    return;
  }
  const settings = { ...s.settings, language: i18n.lang };
  await api.setSettings(settings);
  if (session.status) session.status = { ...session.status, settings };
}

/** The status with the language to show: the vault's own while it is open,
 *  unless one was chosen while it was locked, which is saved to it now. */
export function settleLanguage(s: StatusDto): StatusDto {
  if (!s.unlocked) {
    setLang(chosenWhileLocked ?? rememberedLang() ?? s.settings.language);
    return s;
  }
  const chosen = chosenWhileLocked;
  chosenWhileLocked = null;
  if (!chosen || chosen === toLang(s.settings.language)) {
    setLang(s.settings.language);
    return s;
  }
  const settings = { ...s.settings, language: chosen };
  setLang(chosen);
  // Shown at once; if it cannot be saved the vault's keeps its own.
  api.setSettings(settings).catch(() => {});
  return { ...s, settings };
}

/** A vault just made on this device takes the language chosen before it,
 *  at once: the app may be closed before the next status is read. */
export async function keepLanguageInNewVault(settings: StatusDto['settings']): Promise<void> {
  await api.setSettings({ ...settings, language: i18n.lang });
  chosenWhileLocked = null;
}

/** The shipped language closest to the system's (`kk-KZ` → `kk`). */
export function systemLanguage(tags: readonly string[]): Lang | null {
  for (const tag of tags) {
    const exact = toLang(tag);
    if (exact) return exact;
    const [base, script] = tag.split('-');
    if (base === 'uz') return script?.toLowerCase() === 'cyrl' ? 'uz-Cyrl' : 'uz-Latn';
    const lang = LANGS.find((l) => l === base);
    if (lang) return lang;
  }
  return null;
}
