// Types of uz-translit.js (plain JavaScript, so that scripts/i18n-uz-cyrl
// runs it with Node.js alone).

/** The reviewed exceptions (uz-Cyrl.exceptions.json). */
export interface Exceptions {
  about?: string;
  /** Whole words: Latin (lower case) → Cyrillic. */
  words?: Record<string, string>;
  /** Beginnings of words: Latin (lower case) → Cyrillic; the rest by the rules. */
  stems?: Record<string, string>;
  /** Names kept in Latin letters. */
  latin?: string[];
  acronyms?: {
    /** Latin acronyms, kept. */
    keep?: string[];
    /** Uzbek abbreviations in capitals, transliterated. */
    uzbek?: string[];
    /** Abbreviations whose own spelling is Cyrillic: Latin → Cyrillic. */
    cyrillic?: Record<string, string>;
  };
  /** Reviewed stems that the rules spell right. */
  regular?: string[];
}

/** A word whose spelling the rules may get wrong, with the reason. */
export interface Doubt {
  word: string;
  reason: string;
}

export interface Transliterator {
  transliterate(text: string): string;
  doubts(text: string): Doubt[];
}

export function normalise(word: string): string;
export function createTransliterator(exceptions: Exceptions): Transliterator;
export function cyrillicCatalogue(latin: Record<string, string>, exceptions: Exceptions): string;
