// @ts-check
// Uzbek Latin → Uzbek Cyrillic, the rules behind the uz-Cyrl catalogue.
//
// Plain JavaScript (types in uz-translit.d.ts) so that
// scripts/i18n-uz-cyrl runs it with Node.js alone, without a build step;
// the UI and its tests use it through translit.ts.
//
// The correspondence is the one of the 1995 Latin alphabet to the Cyrillic
// one, read backwards:
//   letters   a б d e f g h i j k l m n o p q r s t u v x y z → а б д е/э ф г ҳ и ж к л м н о п қ р с т у в х й з
//   digraphs  sh → ш, ch → ч, oʻ → ў, gʻ → ғ, ng → нг (two letters in both)
//   y + vowel yo → ё, yu → ю, ya → я, ye → е (yoʻ is й + ў: yoʻl → йўл)
//   e         э at the start of a word and after a vowel (aeroport → аэропорт),
//             е elsewhere
//   ʼ         the tutuq belgisi → ъ (maʼlumot → маълумот); in sʼh it only
//             separates s from h (Isʼhoq → Исҳоқ) and is dropped
//   ts        ц before i + vowel (federatsiya → федерация, aktsiya → акция),
//             тс elsewhere (ketsa → кетса); ks before iya/ion → кц
//             (yurisdiksiya → юрисдикция, funksional → функционал)
// Upper and title case are kept: SH and Sh → Ш, Oʻ → Ў, OʻZBEKISTON → ЎЗБЕКИСТОН.
//
// Apostrophes: ʻ (U+02BB) marks oʻ and gʻ, ʼ (U+02BC) the tutuq belgisi;
// ' ‘ ’ are read as ʻ after o and g and as ʼ elsewhere. An apostrophe is a
// letter only between two letters (or ʻ right after o or g); elsewhere it is
// a quotation mark and is copied.
//
// Copied as written: {placeholders}; URLs, e-mail addresses and paths;
// identifiers (snake_case, dotted names such as relay.example.org);
// command-line options (--passphrase-file);
// file extensions (.caravan); a capital letter alone before a colon, a
// section's code (C: …); digits; all-capital Latin acronyms (HTCDS, USB,
// ICAO, PDF, ID, roman numerals) with any suffix after them transliterated
// (PDFga → PDFга); the Latin names of the exceptions file (Caravan, Wi-Fi,
// Telegram…); and any other word with letters Uzbek does not use (c outside
// ch, w) or a capital inside (iPhone). Text inside «…» is ordinary text: it quotes labels of the
// UI, which are Cyrillic too; identifiers inside it are kept by the rules above.
//
// What the letters cannot tell, the exceptions file says (uz-Cyrl.exceptions.json):
//   words     whole words: Latin (lower case) → Cyrillic
//   stems     beginnings of words, the rest transliterated by the rules: a
//             stem whose Cyrillic ends in ь drops it before a suffix
//             (sentabr → сентябрь, sentabrda → сентябрда)
//   latin     names kept in Latin letters (matched whole, any case)
//   acronyms  keep: Latin acronyms reviewed as such; uzbek: Uzbek
//             abbreviations written in capitals, transliterated (XMT → ХМТ);
//             cyrillic: abbreviations whose own spelling is Cyrillic
//             (ERDR → ЕРДР, Kazakhstan's register)
//   regular   reviewed stems that the rules spell right although a doubtful
//             letter group occurs in them, anywhere in a word (versiya,
//             valyut: kriptovalyuta)
// `doubts` finds the words of a text whose spelling the rules may get wrong
// (ц or тс, ц or с, ь or ъ before я ё ю е, foreign letters, unknown acronyms)
// and that no exception or reviewed stem covers; the catalogue's test keeps
// that list empty.

/** @typedef {{ words?: Record<string,string>, stems?: Record<string,string>, latin?: string[],
 *   acronyms?: { keep?: string[], uzbek?: string[], cyrillic?: Record<string,string> }, regular?: string[] }} Exceptions */

const APOSTROPHES = "ʻʼ'‘’";
const OKINA = 'ʻ'; // U+02BB: oʻ, gʻ
const TUTUQ = 'ʼ'; // U+02BC: tutuq belgisi

/** @type {Record<string, string>} */
const LETTERS = {
  a: 'а', b: 'б', c: 'ц', d: 'д', e: 'е', f: 'ф', g: 'г', h: 'ҳ', i: 'и', j: 'ж', k: 'к',
  l: 'л', m: 'м', n: 'н', o: 'о', p: 'п', q: 'қ', r: 'р', s: 'с', t: 'т', u: 'у', v: 'в',
  w: 'в', x: 'х', y: 'й', z: 'з',
};
/** @type {Record<string, string>} */
const IOTATED = { a: 'я', o: 'ё', u: 'ю', e: 'е' };
const VOWELS = 'aeiou';
const CONSONANTS = 'bcdfghjklmnpqrstvwxz';

const isLetter = (/** @type {string|undefined} */ c) => c !== undefined && /[A-Za-z]/.test(c);
const isApostrophe = (/** @type {string|undefined} */ c) => c !== undefined && APOSTROPHES.includes(c);
const isUpper = (/** @type {string|undefined} */ c) => c !== undefined && c !== c.toLowerCase();

/** Whether an occurrence of `stem` in `word` contains position `at`. */
function covers(/** @type {string} */ word, /** @type {string} */ stem, /** @type {number} */ at) {
  for (let i = word.indexOf(stem); i >= 0 && i <= at; i = word.indexOf(stem, i + 1)) if (at < i + stem.length) return true;
  return false;
}

/** Lower case, apostrophes read as ʻ (after o, g) or ʼ, so that rules and
 *  exceptions see one spelling. Keeps the length: index i is letter i. */
export function normalise(/** @type {string} */ word) {
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const c = word[i];
    if (isApostrophe(c)) {
      const prev = out[i - 1];
      out += c !== TUTUQ && (prev === 'o' || prev === 'g') ? OKINA : TUTUQ;
    } else out += c.toLowerCase();
  }
  return out;
}

const isVowelAt = (/** @type {string} */ s, /** @type {number} */ i) =>
  (s[i] !== undefined && VOWELS.includes(s[i])) || (s[i] === OKINA && s[i - 1] === 'o');

/** The Cyrillic of `norm` from index `from` on, by the rules alone. `orig`
 *  is the word as written (same length), for the case of each letter. */
function byRules(/** @type {string} */ norm, /** @type {string} */ orig, from = 0, allCaps = false) {
  let out = '';
  let i = from;
  while (i < norm.length) {
    const c = norm[i];
    const next = norm[i + 1];
    let cyr;
    let len = 1;
    if (c === 's' && next === 'h') [cyr, len] = ['ш', 2];
    else if (c === 'c' && next === 'h') [cyr, len] = ['ч', 2];
    else if (c === 'o' && next === OKINA) [cyr, len] = ['ў', 2];
    else if (c === 'g' && next === OKINA) [cyr, len] = ['ғ', 2];
    else if (c === 'y' && next !== undefined && next in IOTATED && !(next === 'o' && norm[i + 2] === OKINA))
      [cyr, len] = [IOTATED[next], 2];
    else if (c === 't' && next === 's' && norm[i + 2] === 'i' && (isVowelAt(norm, i + 3) || norm[i + 3] === 'y'))
      [cyr, len] = ['ц', 2];
    else if (c === 's' && norm[i - 1] === 'k' && /^s(iya|ion)/.test(norm.slice(i))) cyr = 'ц';
    else if (c === 'e') cyr = i === 0 || isVowelAt(norm, i - 1) ? 'э' : 'е';
    else if (c === TUTUQ) cyr = norm[i - 1] === 's' && next === 'h' ? '' : 'ъ';
    else if (c === OKINA) cyr = 'ъ';
    else cyr = LETTERS[c] ?? orig[i];
    if (allCaps) cyr = cyr.toUpperCase();
    else if (isUpper(orig[i])) cyr = cyr.charAt(0).toUpperCase() + cyr.slice(1);
    out += cyr;
    i += len;
  }
  return out;
}

/** `cyr` in the case of the Latin word `orig`: all capitals, a capital
 *  first letter, or as given. */
function withCase(/** @type {string} */ cyr, /** @type {string} */ orig) {
  const letters = orig.replace(/[^A-Za-z]/g, '');
  if (letters.length > 1 && letters === letters.toUpperCase()) return cyr.toUpperCase();
  if (isUpper(letters[0])) return cyr.charAt(0).toUpperCase() + cyr.slice(1);
  return cyr;
}

/** A word with letters Uzbek does not use (c outside ch, w) or with a
 *  capital inside (iPhone): a foreign name, kept as written. */
const looksForeign = (/** @type {string} */ word) => /c(?!h)|w/i.test(word) || /[a-z][A-Z]/.test(word);

const escape = (/** @type {string} */ s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Spans copied as written, tried in this order at each position.
const PLACEHOLDER = /\{[^{}\s]*\}/y;
const URL = /[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^\s«»"<>]*[^\s«»"<>.,;:!?)])?/y;
// A command-line option (--passphrase-file).
const OPTION = /(?<![\p{L}\p{N}-])--[A-Za-z][A-Za-z0-9-]*/uy;
// A capital letter alone before a colon: a section's code (C: ishlab chiqarish).
const CODE_LETTER = /(?<![\p{L}\p{N}.ʻʼ'‘’])[A-Z](?=:)/uy;
const EMAIL = /(?<![\p{L}\p{N}])[\w.+-]+@[\w-]+(?:\.[\w-]+)+/uy;
const PATH = /(?<![\p{L}\p{N}])(?:~|[A-Za-z]:)?[/\\][\w.-]+(?:[/\\][\w.-]*)+/uy;
const IDENTIFIER = /(?<![\p{L}\p{N}_.])(?:[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+|[a-z][a-z0-9]+(?:\.[a-z0-9-]{2,})+)(?![\p{L}\p{N}_])/uy;
const EXTENSION = /(?<![\p{L}\p{N}.])\.[a-z0-9]{1,10}(?![\p{L}\p{N}])/uy;
// Two or more capitals not inside a word; a lower-case suffix may follow.
// Capitals followed by an apostrophe and a capital are an Uzbek word in
// capitals (SOʻZ); followed by an apostrophe and a small letter, an acronym
// and its suffix (USB’ga).
const ACRONYM = /(?<![A-Za-z0-9ʻʼ'‘’])[A-Z][A-Z0-9]*[A-Z](?![A-Z0-9]|[ʻʼ'‘’][A-Z])/y;
// A word: letters, with apostrophes between letters, and ʻ right after o or g.
const WORD = /[A-Za-z](?:[A-Za-z]|[ʻʼ'‘’](?=[A-Za-z])|(?<=[oOgG])ʻ)*/y;
const ROMAN = /^(?=[IVXLCDM]{2,}$)M*(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})$/;

/**
 * A transliterator for the given exceptions.
 * @param {Exceptions} exceptions
 */
export function createTransliterator(exceptions) {
  const words = new Map(Object.entries(exceptions.words ?? {}).map(([k, v]) => [normalise(k), v]));
  const stems = Object.entries(exceptions.stems ?? {})
    .map(([k, v]) => /** @type {[string, string]} */ ([normalise(k), v]))
    .sort((a, b) => b[0].length - a[0].length);
  const regular = (exceptions.regular ?? []).map(normalise);
  const keep = new Set(exceptions.acronyms?.keep ?? []);
  const spelled = new Map(Object.entries(exceptions.acronyms?.cyrillic ?? {}));
  const uzbekAcronyms = [...(exceptions.acronyms?.uzbek ?? []), ...spelled.keys()].sort((a, b) => b.length - a.length);
  const latin = [...(exceptions.latin ?? [])].sort((a, b) => b.length - a.length);
  const LATIN = latin.length
    ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${latin.map(escape).join('|')})(?![\\p{L}\\p{N}])`, 'iuy')
    : null;
  const UZBEK_ACRONYM = uzbekAcronyms.length
    ? new RegExp(`(?<![A-Za-z0-9ʻʼ'‘’])(?:${uzbekAcronyms.map(escape).join('|')})(?![A-Z0-9])`, 'y')
    : null;
  const copied = [PLACEHOLDER, URL, EMAIL, PATH, IDENTIFIER, OPTION, EXTENSION, CODE_LETTER, ...(LATIN ? [LATIN] : [])];

  /** The exception covering a normalised word: [Latin part, its Cyrillic]. */
  function exceptionFor(/** @type {string} */ norm) {
    const whole = words.get(norm);
    if (whole !== undefined) return /** @type {[string, string]} */ ([norm, whole]);
    return stems.find(([stem]) => norm.startsWith(stem));
  }

  /** One word (letters and inner apostrophes) in Cyrillic. */
  function word(/** @type {string} */ orig) {
    if (looksForeign(orig)) return orig;
    const norm = normalise(orig);
    const letters = orig.replace(/[^A-Za-z]/g, '');
    const allCaps = letters.length > 1 && letters === letters.toUpperCase();
    const exception = exceptionFor(norm);
    if (!exception) return byRules(norm, orig, 0, allCaps);
    const [latinPart, cyr] = exception;
    const rest = norm.length > latinPart.length;
    const head = rest && cyr.endsWith('ь') ? cyr.slice(0, -1) : cyr;
    return withCase(head, orig) + byRules(norm, orig, latinPart.length, allCaps);
  }

  /**
   * Splits a text into the pieces the rules see: copied spans, Uzbek
   * acronyms, words and what lies between them.
   * @param {string} text
   * @returns {{ kind: 'copy' | 'acronym' | 'word' | 'other', text: string }[]}
   */
  function pieces(text) {
    /** @type {{ kind: 'copy' | 'acronym' | 'word' | 'other', text: string }[]} */
    const out = [];
    let i = 0;
    const at = (/** @type {RegExp} */ re) => {
      re.lastIndex = i;
      const m = re.exec(text);
      return m && m[0].length > 0 ? m[0] : null;
    };
    while (i < text.length) {
      let m = null;
      for (const re of copied) if ((m = at(re))) break;
      if (m) {
        out.push({ kind: 'copy', text: m });
      } else if (UZBEK_ACRONYM && (m = at(UZBEK_ACRONYM))) {
        out.push({ kind: 'acronym', text: m });
      } else if ((m = at(ACRONYM))) {
        out.push({ kind: 'copy', text: m });
      } else if ((m = at(WORD))) {
        out.push({ kind: 'word', text: m });
      } else {
        m = text[i];
        const last = out[out.length - 1];
        if (last?.kind === 'other') last.text += m;
        else out.push({ kind: 'other', text: m });
      }
      i += m.length;
    }
    return out;
  }

  /** Uzbek Latin text in Uzbek Cyrillic. */
  function transliterate(/** @type {string} */ text) {
    return pieces(text)
      .map((p) =>
        p.kind === 'word'
          ? word(p.text)
          : p.kind === 'acronym'
            ? (spelled.get(p.text) ?? byRules(normalise(p.text), p.text, 0, true))
            : p.text,
      )
      .join('');
  }

  /**
   * The words of `text` whose Cyrillic spelling the rules may get wrong
   * and that no exception or reviewed stem covers, each with the reason.
   * @param {string} text
   * @returns {{ word: string, reason: string }[]}
   */
  function doubts(text) {
    /** @type {{ word: string, reason: string }[]} */
    const found = [];
    for (const p of pieces(text)) {
      if (p.kind === 'copy' && /^[A-Z][A-Z0-9]+$/.test(p.text) && !keep.has(p.text) && !ROMAN.test(p.text))
        found.push({ word: p.text, reason: 'acronym: keep it in Latin letters (acronyms.keep) or transliterate it (acronyms.uzbek)?' });
      if (p.kind !== 'word') continue;
      const norm = normalise(p.text);
      if (exceptionFor(norm)) continue;
      if (/[a-z][A-Z]/.test(p.text)) {
        found.push({ word: p.text, reason: 'kept in Latin letters (a capital inside): a name (latin)?' });
        continue;
      }
      /** @type {[RegExp, string][]} */
      const groups = [
        // ts before i + vowel is ц, before a, in and iz a suffix (ketsa, ketsin, hujjatsiz)
        [/ts(?!i[aeiouy]|a|i[nz])/g, 'ts: тс or ц?'],
        [new RegExp(`[${CONSONANTS.replace(/[skt]/g, '')}]si(?:[aeou]|y[aeou])`, 'g'), 'si before a vowel: с or ц?'],
        [new RegExp(`[${CONSONANTS}]y(?:[aeu]|o(?!ʻ))`, 'g'), 'y after a consonant: я ё ю е, or ь/ъ before them?'],
        [/c(?!h)|w/g, 'kept in Latin letters (c, w are not Uzbek letters): a name (latin), or a loanword to spell (words, stems)?'],
        [/[og]ʼ/g, 'oʼ or gʼ with the tutuq belgisi (ъ): or oʻ, gʻ (ў, ғ) written with U+02BC?'],
      ];
      for (const [re, reason] of groups) {
        for (const m of norm.matchAll(re)) {
          // kelyapti → келяпти; l + я, ё, ю before t is never ль (izolyatsiya, valyuta, samolyot)
          if (reason.startsWith('y after') && /^(?:[^y]yap|ly[aou]t)/.test(norm.slice(m.index))) continue;
          if (regular.some((stem) => covers(norm, stem, m.index))) continue;
          found.push({ word: norm, reason });
          break;
        }
      }
    }
    return found;
  }

  return { transliterate, doubts };
}

/**
 * A catalogue in Cyrillic: same keys in the same order, each value
 * transliterated; serialised as the catalogues are (2 spaces, final newline).
 * @param {Record<string, string>} latin
 * @param {Exceptions} exceptions
 */
export function cyrillicCatalogue(latin, exceptions) {
  const { transliterate } = createTransliterator(exceptions);
  /** @type {Record<string, string>} */
  const out = {};
  for (const [key, value] of Object.entries(latin)) out[key] = transliterate(value);
  return `${JSON.stringify(out, null, 2)}\n`;
}
