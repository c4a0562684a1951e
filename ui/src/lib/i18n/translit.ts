// Uzbek Latin → Uzbek Cyrillic for the uz-Cyrl catalogue, which
// scripts/i18n-uz-cyrl makes from uz-Latn.json. The rules are in
// uz-translit.js (read there what is transliterated and what is copied);
// the reviewed exceptions in uz-Cyrl.exceptions.json.
import exceptionsJson from './uz-Cyrl.exceptions.json';
import { createTransliterator, cyrillicCatalogue, type Doubt, type Exceptions } from './uz-translit.js';

export const exceptions: Exceptions = exceptionsJson;

const uzbek = createTransliterator(exceptions);

/** Uzbek text in Latin letters, in Cyrillic letters. */
export function latinToCyrillic(text: string): string {
  return uzbek.transliterate(text);
}

/** The words of `text` the rules may spell wrong that no exception or
 *  reviewed stem covers. */
export function doubtfulWords(text: string): Doubt[] {
  return uzbek.doubts(text);
}

/** uz-Cyrl.json as scripts/i18n-uz-cyrl writes it from uz-Latn.json. */
export function cyrillicCatalogueText(latin: Record<string, string>): string {
  return cyrillicCatalogue(latin, exceptions);
}
