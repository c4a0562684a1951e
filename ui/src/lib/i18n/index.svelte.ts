// Runtime-switchable translations through i18next: flat key maps, plural
// forms chosen by CLDR rules (Intl.PluralRules), dates and numbers by
// Intl in the chosen locale. A national language's missing key is shown in
// Russian, the region's common working language, then in English.
import i18next from 'i18next';
import { en, ru, national, type MessageKey, type PartialCatalogue } from './catalogues';
import { ApiError, toApiError } from '$lib/api';
import { latinToCyrillic } from './translit';

export const LANGS = ['en', 'ru', 'kk', 'ky', 'tg', 'tk', 'uz-Latn', 'uz-Cyrl'] as const;
export type Lang = (typeof LANGS)[number];
export type Messages = Partial<Record<string, string>>;
export type { MessageKey };

/** Each language's name in itself, as a language picker lists it. */
export const LANG_NAMES: Record<Lang, string> = {
  en: 'English',
  ru: 'Русский',
  kk: 'Қазақша',
  ky: 'Кыргызча',
  tg: 'Тоҷикӣ',
  tk: 'Türkmençe',
  'uz-Latn': 'Oʻzbekcha',
  'uz-Cyrl': 'Ўзбекча',
};

/** The locale for dates, numbers and plural rules. */
const intlLocale: Record<Lang, string> = {
  en: 'en-GB',
  ru: 'ru-RU',
  kk: 'kk-KZ',
  ky: 'ky-KG',
  tg: 'tg-TJ',
  tk: 'tk-TM',
  'uz-Latn': 'uz-Latn-UZ',
  'uz-Cyrl': 'uz-Cyrl-UZ',
};

export const catalogues: Record<Lang, PartialCatalogue> = {
  en,
  ru,
  kk: national('kk'),
  ky: national('ky'),
  tg: national('tg'),
  tk: national('tk'),
  'uz-Latn': national('uz-Latn'),
  'uz-Cyrl': national('uz-Cyrl'),
};

const engine = i18next.createInstance();
void engine.init({
  resources: Object.fromEntries(LANGS.map((l) => [l, { translation: catalogues[l] }])),
  lng: 'en',
  supportedLngs: [...LANGS],
  // Exact tags: `uz-Latn` must not be read as `uz`, nor fall back to it.
  load: 'currentOnly',
  fallbackLng: { en: [], ru: ['en'], default: ['ru', 'en'] },
  // Keys are flat and dotted. Plural forms (`<key>.<category>`) are chosen
  // by `tp` and placeholders filled by `fill`, so i18next is given no
  // count and interpolates nothing.
  keySeparator: false,
  nsSeparator: false,
  returnEmptyString: false,
  initAsync: false,
  showSupportNotice: false,
});

export const i18n = $state<{ lang: Lang }>({ lang: 'en' });

export function isLang(v: string): v is Lang {
  return (LANGS as readonly string[]).includes(v);
}

/** The shipped language a stored tag names: older releases stored Uzbek in
 *  the Latin script as `uz`. */
export function toLang(tag: string | null | undefined): Lang | null {
  if (!tag) return null;
  if (tag === 'uz') return 'uz-Latn';
  return isLang(tag) ? tag : null;
}

export function setLang(lang: string): void {
  i18n.lang = toLang(lang) ?? 'en';
  void engine.changeLanguage(i18n.lang);
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
    return toLang(localStorage.getItem(LANG_KEY));
  } catch {
    return null;
  }
}

const LANG_KEY = 'caravan.language';

export type Params = Record<string, string | number>;

// Every lookup names the language read from `i18n`, so a component that
// calls `t` re-renders when the language changes. i18next finds the text
// (in the language, or down its fallbacks); the placeholders are filled
// here in one pass, so a value that itself holds `{name}` (a member called
// "{role}") is shown as typed and never filled in turn.
function lookup(key: string, params?: Params): string | undefined {
  const s = engine.t(key, { lng: i18n.lang, skipInterpolation: true, defaultValue: '' });
  return s === '' ? undefined : fill(s, params);
}

function fill(s: string, params?: Params): string {
  if (!params) return s;
  return s.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

/** Rules an engine may lack: CLDR 49 gave Tajik Persian's (`one` for 0
 *  and 1); an ICU older than that answers with the machine's own locale's
 *  rules instead, which would pick Russian forms on a Russian Windows. */
const WRITTEN_OUT: Record<string, (n: number) => Intl.LDMLPluralRule> = {
  tg: (n) => (n === 0 || n === 1 ? 'one' : 'other'),
};

/** The CLDR plural category of `n` in `lang`. */
export function pluralCategory(lang: Lang, n: number): Intl.LDMLPluralRule {
  const rules = new Intl.PluralRules(intlLocale[lang]);
  const base = lang.split('-')[0] ?? lang;
  if (rules.resolvedOptions().locale.split('-')[0] === base) return rules.select(n);
  return WRITTEN_OUT[base]?.(n) ?? 'other';
}

export function has(key: string): boolean {
  return engine.exists(key, { lng: i18n.lang });
}

/** Translates `key`; a national language falls back to Russian, then English. */
export function t(key: MessageKey, params?: Params): string {
  return td(key, params);
}

/** `t` for a key made at run time (`error.<code>`, `template.<id>`): falls
 *  back like `t`, then to the key itself. Prefer `t`, whose keys are
 *  checked when the UI is built. */
export function td(key: string, params?: Params): string {
  return lookup(key, params) ?? key;
}

/** Plural-aware: `key.<category>` (one, few, many, other), `{n}` the
 *  number. The form is chosen by the rules of the language whose catalogue
 *  has the text: a Kazakh reader shown a Russian fallback gets Russian's
 *  forms, never a Kazakh category looked up in Russian. */
export function tp(key: string, n: number, params?: Params): string {
  for (const code of engine.services.languageUtils.toResolveHierarchy(i18n.lang)) {
    if (!isLang(code)) continue;
    const text = (k: string): string | undefined => {
      const s: unknown = engine.getResource(code, 'translation', k);
      return typeof s === 'string' && s.trim() !== '' ? s : undefined;
    };
    const s = text(`${key}.${pluralCategory(code, n)}`) ?? text(`${key}.other`);
    if (s) return fill(s, { n, ...params });
  }
  return key;
}

/** A vocabulary id (stage, role, exploitation…) in the current language. */
export function v(group: string, id: string | null | undefined): string {
  if (!id) return '—';
  const key = `${group}.${id}`;
  return has(key) ? td(key) : id;
}

/** The locale the chosen language formats dates and numbers in. */
export function locale(): string {
  return intlLocale[i18n.lang];
}

export function fmtDate(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium' }).format(new Date(ms));
}

export function fmtDateTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
}

/** A YYYY-MM-DD date from the backend, shown in the user's locale. */
export function fmtDay(day: string | null | undefined): string {
  if (!day) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

/** A file's size: bytes, kilobytes or megabytes, in the user's locale. */
export function fmtBytes(n: number): string {
  const [value, unit] = n < 1000 ? [n, 'byte'] : n < 1_000_000 ? [n / 1000, 'kilobyte'] : [n / 1_000_000, 'megabyte'];
  return new Intl.NumberFormat(locale(), {
    style: 'unit',
    unit,
    unitDisplay: 'short',
    maximumFractionDigits: 1,
  }).format(value);
}

export function fmtNumber(n: number): string {
  return new Intl.NumberFormat(locale()).format(n);
}

/** The translated text for a failed command: `error.<code>`, else generic. */
export function errorText(e: unknown): string {
  const err: ApiError = toApiError(e);
  const key = `error.${err.code}`;
  return has(key) ? td(key) : t('error.generic', { code: err.code });
}

/** The language to mark on a text from the case data (a checklist's, an
 *  article's title) when it is not the reader's: `null` when it is. Data
 *  files write Uzbek in the Latin script as `uz`. */
export function foreignText(textLang: string | null | undefined): string | null {
  if (!textLang) return null;
  if (textLang === 'uz' && (i18n.lang === 'uz-Latn' || i18n.lang === 'uz-Cyrl')) return null;
  return textLang === i18n.lang ? null : textLang;
}

/** The language tag of a data text as shown (for the `lang` attribute). */
export function dataLang(textLang: string | null | undefined): string | undefined {
  if (textLang !== 'uz') return textLang ?? undefined;
  return i18n.lang === 'uz-Cyrl' ? 'uz-Cyrl' : 'uz-Latn';
}

/** A text from the case data as the reader reads it: an Uzbek one (the
 *  data write Uzbek in the Latin script) in Cyrillic letters for a reader
 *  of Uzbek in the Cyrillic script. */
export function dataText(text: string, textLang: string | null | undefined): string {
  return textLang === 'uz' && i18n.lang === 'uz-Cyrl' ? latinToCyrillic(text) : text;
}
