import { describe, it, expect, vi } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { en, ru } from './catalogues';
import { catalogues, LANGS, setLang, t, tp, fmtDay, fmtNumber, rememberedLang, i18n, pluralCategory } from './index.svelte';

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'bindings' || f === 'test' ? [] : files(p);
    return /\.(svelte|ts)$/.test(f) && !f.endsWith('.test.ts') ? [p] : [];
  });
}

describe('translations', () => {
  it('has every English key in Russian', () => {
    const missing = Object.keys(en).filter((k) => !(k in ru));
    expect(missing).toEqual([]);
  });

  it('has no key in any language that English lacks', () => {
    const known = (k: string) => k in en || `${k.replace(/\.(zero|one|two|few|many|other)$/, '')}.other` in en;
    const stray = LANGS.flatMap((l) => Object.keys(catalogues[l]).filter((k) => !known(k)).map((k) => `${l}:${k}`));
    expect(stray).toEqual([]);
  });

  it("has every plural form each language's CLDR rules ask for, where it has the key", () => {
    const bases = Object.keys(en)
      .filter((k) => k.endsWith('.other'))
      .map((k) => k.slice(0, -'.other'.length))
      .filter((b) => `${b}.one` in en); // not a vocabulary id `other`
    const gaps = LANGS.flatMap((l) => {
      const c = catalogues[l];
      const categories = new Intl.PluralRules(l).resolvedOptions().pluralCategories;
      return bases
        .filter((b) => Object.keys(c).some((k) => k.startsWith(`${b}.`)))
        .flatMap((b) => categories.filter((cat) => !(`${b}.${cat}` in c)).map((cat) => `${l}:${b}.${cat}`));
    });
    expect(gaps).toEqual([]);
  });

  it('keeps the same placeholders in every language', () => {
    const names = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join(',');
    const english: Record<string, string> = en;
    const bad = Object.keys(en).filter((k) => {
      const base = k.replace(/\.(one|few|many|other)$/, '');
      if (base !== k) return false; // plural forms may drop {n}
      return LANGS.some((l) => k in catalogues[l] && names(catalogues[l][k]) !== names(english[k]));
    });
    expect(bad).toEqual([]);
  });

  it('defines every literal key the components use', () => {
    const used = new Set<string>();
    for (const f of files(src)) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/\bt\('([a-z0-9_.-]+)'/g)) used.add(m[1]);
      for (const m of text.matchAll(/\btp\('([a-z0-9_.-]+)'/g)) used.add(`${m[1]}.other`);
    }
    const missing = [...used].filter((k) => !(k in en));
    expect(used.size).toBeGreaterThan(200);
    expect(missing).toEqual([]);
  });

  it('renders no message as HTML: i18next does not escape, Svelte does', () => {
    const html = files(src).filter((f) => /\{@html\b|\.innerHTML\b/.test(readFileSync(f, 'utf8')));
    expect(html).toEqual([]);
  });

  it('uses Russian plural rules', () => {
    setLang('ru');
    expect(tp('cases.count', 1)).toBe('1 дело');
    expect(tp('cases.count', 3)).toBe('3 дела');
    expect(tp('cases.count', 5)).toBe('5 дел');
    expect(tp('cases.count', 21)).toBe('21 дело');
    setLang('en');
    expect(tp('cases.count', 1)).toBe('1 case');
    expect(tp('cases.count', 2)).toBe('2 cases');
  });

  it("regression: shows a person's text holding braces as typed, never filling it in turn", () => {
    setLang('en');
    expect(t('team.role_confirm', { name: '{role}', role: 'Admin' })).toBe(
      '{role} will be Admin. What they may do changes on every device as the team syncs.',
    );
    expect(t('tasks.assignee_role', { name: '$t(app.name) {x}', role: 'investigator' })).toBe('$t(app.name) {x} (investigator)');
  });

  it('regression: chooses Tajik forms by its own rules on an engine whose ICU lacks them', () => {
    // Such an engine answers for `tg` with the machine's own locale; on a
    // Russian Windows, Russian's rules (few, many) looked up in Tajik.
    const Real = Intl.PluralRules;
    class RussianDefault extends Real {
      constructor(locales?: string | string[], options?: Intl.PluralRulesOptions) {
        super(String(locales).startsWith('tg') ? 'ru' : locales, options);
      }
    }
    vi.stubGlobal('Intl', { ...Intl, PluralRules: RussianDefault });
    try {
      expect([0, 1, 2, 5, 21].map((n) => pluralCategory('tg', n))).toEqual(['one', 'one', 'other', 'other', 'other']);
      setLang('tg');
      expect(tp('cases.count', 5)).toBe(catalogues.tg['cases.count.other']?.replace('{n}', '5'));
    } finally {
      vi.unstubAllGlobals();
      setLang('en');
    }
  });

  it("chooses a fallback's form by the fallback's rules", () => {
    // A Kazakh reader shown the Russian text of a count gets Russian's forms.
    const kept = { ...catalogues.kk };
    for (const k of Object.keys(catalogues.kk)) if (k.startsWith('cases.count.')) delete catalogues.kk[k];
    try {
      setLang('kk');
      expect(tp('cases.count', 21)).toBe('21 дело');
      expect(tp('cases.count', 3)).toBe('3 дела');
    } finally {
      Object.assign(catalogues.kk, kept);
      setLang('en');
    }
  });

  it('uses one/other in the Turkic languages', () => {
    setLang('kk');
    expect(tp('cases.count', 1)).toBe(catalogues.kk['cases.count.one']?.replace('{n}', '1'));
    expect(tp('cases.count', 5)).toBe(catalogues.kk['cases.count.other']?.replace('{n}', '5'));
    setLang('en');
  });

  it("shows a national language's missing key in Russian, then English", () => {
    // A key no national catalogue may lack is read from the catalogues; the
    // fallback is checked on a language with the key removed.
    const key = 'unlock.submit';
    setLang('kk');
    expect(t(key)).toBe(catalogues.kk[key]);
    const kept = catalogues.kk[key];
    delete catalogues.kk[key];
    try {
      // i18next holds its own copy: the language missing the key is a fresh one.
      setLang('uz-Cyrl');
      const shown = t(key);
      expect(shown).toBe(catalogues['uz-Cyrl'][key] ?? ru[key]);
    } finally {
      catalogues.kk[key] = kept as string;
      setLang('en');
    }
    setLang('ru');
    expect(t(key)).toBe(ru[key]);
    setLang('en');
    expect(t(key)).toBe(en[key]);
  });

  it('remembers the language on this device, reading what older releases stored', () => {
    localStorage.setItem('caravan.language', 'uz');
    expect(rememberedLang()).toBe('uz-Latn');
    setLang('ky');
    expect(rememberedLang()).toBe('ky');
    expect(document.documentElement.lang).toBe('ky');
    setLang('xx');
    expect(i18n.lang).toBe('en');
  });

  it('formats dates in the chosen locale', () => {
    setLang('ru');
    const ruDay = fmtDay('2026-03-05');
    setLang('en');
    const enDay = fmtDay('2026-03-05');
    expect(ruDay).not.toBe(enDay);
    expect(ruDay).toMatch(/2026/);
    expect(enDay).toMatch(/Mar/);
    setLang('kk');
    expect(fmtNumber(12345.5)).toMatch(/12\s345,5/);
    setLang('en');
  });
});
