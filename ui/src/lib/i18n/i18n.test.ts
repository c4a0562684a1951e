import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { en, ru, uz } from './catalogues';
import { setLang, t, tp, fmtDay } from './index.svelte';

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

  it('has no Russian or Uzbek keys that English lacks', () => {
    const known = (k: string) => k in en || `${k.replace(/\.(zero|one|two|few|many|other)$/, '')}.other` in en;
    const stray = [...Object.keys(ru), ...Object.keys(uz)].filter((k) => !known(k));
    expect(stray).toEqual([]);
  });

  it('keeps the same placeholders in every language', () => {
    const names = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join(',');
    const english: Record<string, string> = en;
    const bad = Object.keys(en).filter((k) => {
      const base = k.replace(/\.(one|few|many|other)$/, '');
      if (base !== k) return false; // plural forms may drop {n}
      return (k in ru && names(ru[k]) !== names(english[k])) || (k in uz && names(uz[k]) !== names(english[k]));
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

  it('falls back to English for keys Uzbek lacks', () => {
    setLang('uz');
    expect(t('unlock.submit')).toBe(uz['unlock.submit']);
    expect(t('audit.verify')).toBe(en['audit.verify']);
    setLang('en');
  });

  it('formats dates in the chosen locale', () => {
    setLang('ru');
    const ruDay = fmtDay('2026-03-05');
    setLang('en');
    const enDay = fmtDay('2026-03-05');
    expect(ruDay).not.toBe(enDay);
    expect(ruDay).toMatch(/2026/);
    expect(enDay).toMatch(/Mar/);
  });
});
