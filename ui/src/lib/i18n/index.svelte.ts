// Runtime-switchable translations: flat key maps, English fallback, plural
// rules from Intl.PluralRules, dates from Intl.DateTimeFormat.
import { en, ru, uz, type MessageKey } from './catalogues';
import { ApiError, toApiError } from '$lib/api';

export type Lang = 'en' | 'ru' | 'uz';
export const LANGS: readonly Lang[] = ['en', 'ru', 'uz'];
export type Messages = Partial<Record<string, string>>;
export type { MessageKey };

const catalogs: Record<Lang, Messages> = { en, ru, uz };
const english: Messages = en;
const intlLocale: Record<Lang, string> = { en: 'en-GB', ru: 'ru-RU', uz: 'uz-Latn-UZ' };

export const i18n = $state<{ lang: Lang }>({ lang: 'en' });

export function isLang(v: string): v is Lang {
  return (LANGS as readonly string[]).includes(v);
}

export function setLang(lang: string): void {
  i18n.lang = isLang(lang) ? lang : 'en';
  if (typeof document !== 'undefined') document.documentElement.lang = i18n.lang;
  try {
    // Only the language, so the locked screen speaks it too; nothing sensitive.
    localStorage.setItem(LANG_KEY, i18n.lang);
  } catch {
    // storage unavailable: the default language is used while locked
  }
}


/** The language last used on this computer, for screens shown while locked. */
export function rememberedLang(): Lang | null {
  try {
    const l = localStorage.getItem(LANG_KEY);
    return l && isLang(l) ? l : null;
  } catch {
    return null;
  }
}

const LANG_KEY = 'caravan.language';

export type Params = Record<string, string | number>;

function fill(s: string, params?: Params): string {
  if (!params) return s;
  return s.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

export function has(key: string): boolean {
  return key in catalogs[i18n.lang] || key in english;
}

/** Translates `key`; falls back to English. */
export function t(key: MessageKey, params?: Params): string {
  return td(key, params);
}

/** `t` for a key made at run time (`error.<code>`, `template.<id>`): falls
 *  back to English, then to the key itself. Prefer `t`, whose keys are
 *  checked when the UI is built. */
export function td(key: string, params?: Params): string {
  const s = catalogs[i18n.lang][key] ?? english[key];
  return s === undefined ? key : fill(s, params);
}

/** Plural-aware: looks up `key.<category>` (one, few, many, other). */
export function tp(key: string, n: number, params?: Params): string {
  const cat = new Intl.PluralRules(intlLocale[i18n.lang]).select(n);
  const cat_key = `${key}.${cat}`;
  const s = catalogs[i18n.lang][cat_key] ?? catalogs[i18n.lang][`${key}.other`] ?? english[`${key}.${cat === 'one' ? 'one' : 'other'}`];
  return s === undefined ? key : fill(s, { n, ...params });
}

/** A vocabulary id (stage, role, exploitation…) in the current language. */
export function v(group: string, id: string | null | undefined): string {
  if (!id) return '—';
  const key = `${group}.${id}`;
  return has(key) ? td(key) : id;
}

export function fmtDate(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return new Intl.DateTimeFormat(intlLocale[i18n.lang], { dateStyle: 'medium' }).format(new Date(ms));
}

export function fmtDateTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return new Intl.DateTimeFormat(intlLocale[i18n.lang], { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(ms),
  );
}

/** A YYYY-MM-DD date from the backend, shown in the user's locale. */
export function fmtDay(day: string | null | undefined): string {
  if (!day) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(intlLocale[i18n.lang], { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

/** A file's size: bytes, kilobytes or megabytes, in the user's locale. */
export function fmtBytes(n: number): string {
  const [value, unit] = n < 1000 ? [n, 'byte'] : n < 1_000_000 ? [n / 1000, 'kilobyte'] : [n / 1_000_000, 'megabyte'];
  return new Intl.NumberFormat(intlLocale[i18n.lang], {
    style: 'unit',
    unit,
    unitDisplay: 'short',
    maximumFractionDigits: 1,
  }).format(value);
}

export function fmtNumber(n: number): string {
  return new Intl.NumberFormat(intlLocale[i18n.lang]).format(n);
}

/** The translated text for a failed command: `error.<code>`, else generic. */
export function errorText(e: unknown): string {
  const err: ApiError = toApiError(e);
  const key = `error.${err.code}`;
  return has(key) ? td(key) : t('error.generic', { code: err.code });
}
