// How an article of a criminal code is named: its number with the part
// and paragraph a qualification or a charge gives, and its title in the
// user's language.
import type { QualifiedArticle } from '$lib/bindings/QualifiedArticle';
import { t, i18n, foreignText, dataText } from '$lib/i18n/index.svelte';

export function articleLabel(q: QualifiedArticle): string {
  const a = q.article;
  const base = { article: a.article, jurisdiction: a.jurisdiction, year: a.code_year };
  if (a.paragraph) return t('overview.article_paragraph', { ...base, part: a.part ?? '—', paragraph: a.paragraph });
  if (a.part) return t('overview.article_part', { ...base, part: a.part });
  return t('overview.article', base);
}

/** The languages a title is looked for in, as the core's texts do: the
 *  reader's, then Russian (the region's common working language), then
 *  English. Data files write Uzbek in the Latin script as `uz`. */
function titleLangs(): string[] {
  const own = i18n.lang === 'uz-Latn' ? 'uz' : i18n.lang;
  if (own === 'uz-Cyrl') return ['uz-Cyrl', 'uz', 'ru', 'en'];
  return own === 'en' ? ['en'] : own === 'ru' ? ['ru', 'en'] : [own, 'ru', 'en'];
}

/** The title shown and the language it is written in. */
export function articleTitleShown(q: QualifiedArticle): { text: string; lang: string } {
  const lang = titleLangs().find((l) => q.titles[l]);
  return lang ? { text: dataText(q.titles[lang] ?? '', lang), lang } : { text: '', lang: 'en' };
}

export const articleTitle = (q: QualifiedArticle) => articleTitleShown(q).text;

/** A title in a list (a select's option cannot hold a mark): its language
 *  appended when it is not the reader's. */
export function withTextLang(text: string, lang: string): string {
  const other = foreignText(lang);
  const shown = dataText(text, lang);
  return other ? `${shown} (${other.toUpperCase()})` : shown;
}
