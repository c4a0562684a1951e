import { describe, it, expect } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import TextLang from '$lib/components/TextLang.svelte';
import { articleTitleShown, withTextLang } from '$lib/articles';
import { dataText, foreignText, setLang } from '$lib/i18n/index.svelte';
import type { QualifiedArticle } from '$lib/bindings/QualifiedArticle';

const article = (titles: Record<string, string>): QualifiedArticle => ({
  key: 'UZ-1994-135',
  article: { jurisdiction: 'UZ', code_year: 1994, article: '135', part: null, paragraph: null, in_force_from: '2008-09-16' },
  titles,
  related: false,
  verified: true,
});

describe("texts of the case data in the reader's language", () => {
  it.each([
    // reader, title languages held, shown, language shown in, marked as
    ['kk', { en: 'Trafficking', ru: 'Торговля людьми', kk: 'Адам саудасы' }, 'Адам саудасы', 'kk', null],
    ['ky', { en: 'Trafficking', ru: 'Торговля людьми' }, 'Торговля людьми', 'ru', 'ru'],
    ['uz-Latn', { en: 'Trafficking', ru: 'Торговля людьми', uz: 'Odam savdosi' }, 'Odam savdosi', 'uz', null],
    ['uz-Cyrl', { en: 'Trafficking', ru: 'Торговля людьми', uz: 'Odam savdosi' }, 'Одам савдоси', 'uz', null],
    ['ru', { en: 'Trafficking', ru: 'Торговля людьми', uz: 'Odam savdosi' }, 'Торговля людьми', 'ru', null],
    ['en', { en: 'Trafficking', ru: 'Торговля людьми' }, 'Trafficking', 'en', null],
  ] as const)('a %s reader of %j sees %s', (reader, titles, text, lang, mark) => {
    setLang(reader);
    const shown = articleTitleShown(article(titles));
    expect(shown).toEqual({ text, lang });
    expect(foreignText(shown.lang)).toBe(mark);
    setLang('en');
  });

  it('marks a Russian text shown to a Kazakh reader, with a note in Kazakh', () => {
    setLang('kk');
    render(TextLang, { lang: 'ru' });
    const mark = screen.getByTestId('text-lang');
    expect(mark).toHaveTextContent('RU');
    expect(mark.getAttribute('title')).toMatch(/орыс/);
    expect(withTextLang('Торговля людьми', 'ru')).toBe('Торговля людьми (RU)');
    expect(dataText('Odam savdosi', 'uz')).toBe('Odam savdosi');
    setLang('en');
  });
});
