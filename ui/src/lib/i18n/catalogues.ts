// The message catalogues: one JSON file per language in this folder, read
// by the UI here and by the command line (crates/cli/src/i18n.rs, at
// compile time), so an error code has one text per language everywhere.
// Placeholders are `{name}`; plural forms are `<key>.<CLDR category>`
// (one, few, many, other). See docs/i18n.md.
import enJson from './en.json';
import ruJson from './ru.json';

/** English: the reference catalogue. */
export const en = enJson;

/** Every message's key: what `t` takes, checked when the UI is built. */
export type MessageKey = keyof typeof en;

/** Russian: every English key (checked when the UI is built), and the
 *  plural forms Russian has beyond English's. */
export const ru: Record<MessageKey, string> & Record<string, string> = ruJson;

/** A catalogue that may lag behind English: a missing key is a gap the
 *  coverage report counts (scripts/i18n-report), shown in Russian, then
 *  English, until it is translated. */
export type PartialCatalogue = Partial<Record<MessageKey, string>> & Record<string, string>;

// The national languages' catalogues, by file name (`kk.json` → `kk`);
// uz-Cyrl.exceptions.json is the transliteration's input, not a catalogue.
const files = import.meta.glob<PartialCatalogue>(['./*.json', '!./en.json', '!./ru.json', '!./*.exceptions.json'], {
  eager: true,
  import: 'default',
});

/** The catalogue of a national language; empty until its file exists. */
export function national(lang: string): PartialCatalogue {
  return files[`./${lang}.json`] ?? {};
}
