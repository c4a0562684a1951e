// How much of each language's catalogue is translated, counted against
// English, the reference: every key, and the keys of the main screens
// (every screen of the app and every error message; not the made-up
// records of the demonstration vault, nor the command line's own lines).
// Read by scripts/i18n-report and by the coverage test, so the number the
// README states is the number CI checks.

/** Keys that are not on a main screen. */
const NOT_MAIN = [/^demo\./, /^cli\./];

/** @param {string} key */
export function isMainScreenKey(key) {
  return !NOT_MAIN.some((re) => re.test(key));
}

/**
 * @param {Record<string, string>} english
 * @param {Record<string, string>} catalogue
 * @returns {{ total: number, translated: number, main: number, mainTranslated: number, missing: string[] }}
 */
export function coverage(english, catalogue) {
  const keys = Object.keys(english);
  const has = (k) => typeof catalogue[k] === 'string' && catalogue[k].trim() !== '';
  const main = keys.filter(isMainScreenKey);
  const missing = keys.filter((k) => !has(k));
  return {
    total: keys.length,
    translated: keys.length - missing.length,
    main: main.length,
    mainTranslated: main.filter(has).length,
    missing,
  };
}

/** @param {number} part @param {number} whole */
export function percent(part, whole) {
  return whole === 0 ? 100 : Math.floor((1000 * part) / whole) / 10;
}
