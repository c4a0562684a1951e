import { describe, it, expect } from 'vitest';
import { coverage, isMainScreenKey, percent } from './coverage.mjs';
import { en } from './catalogues';
import { catalogues, LANGS } from './index.svelte';

const english: Record<string, string> = en;

describe('translation coverage (scripts/i18n-report)', () => {
  it('has every key in English and Russian', () => {
    for (const lang of ['en', 'ru'] as const) {
      expect(coverage(english, catalogues[lang]).missing, lang).toEqual([]);
    }
  });

  it.each(LANGS.filter((l) => l !== 'en' && l !== 'ru'))('has at least 95 percent of the main screens in %s', (lang) => {
    const c = coverage(english, catalogues[lang]);
    expect(percent(c.mainTranslated, c.main), `${lang}: ${c.missing.filter(isMainScreenKey).slice(0, 20).join(', ')}`).toBeGreaterThanOrEqual(95);
  });

  it.each([
    ['unlock.submit', true],
    ['error.vault.locked', true],
    ['demo.case_title', false],
    ['cli.done', false],
  ] as const)('counts %s as a main-screen key: %s', (key, main) => {
    expect(isMainScreenKey(key)).toBe(main);
  });

  it('counts a blank text as missing', () => {
    const c = coverage({ a: 'A', b: 'B' }, { a: ' ', b: 'Б' });
    expect([c.translated, c.missing]).toEqual([1, ['a']]);
    expect(percent(1, 3)).toBe(33.3);
  });
});
