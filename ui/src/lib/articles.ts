// How an article of a criminal code is named: its number with the part
// and paragraph a qualification or a charge gives, and its title in the
// user's language.
import type { QualifiedArticle } from '$lib/bindings/QualifiedArticle';
import { t, i18n } from '$lib/i18n/index.svelte';

export function articleLabel(q: QualifiedArticle): string {
  const a = q.article;
  const base = { article: a.article, jurisdiction: a.jurisdiction, year: a.code_year };
  if (a.paragraph) return t('overview.article_paragraph', { ...base, part: a.part ?? '—', paragraph: a.paragraph });
  if (a.part) return t('overview.article_part', { ...base, part: a.part });
  return t('overview.article', base);
}

export const articleTitle = (q: QualifiedArticle) => q.titles[i18n.lang] ?? q.titles['en'] ?? '';
