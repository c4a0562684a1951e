// The message catalogues: one JSON file per language in this folder, read
// by the UI here and by the command line (crates/cli/src/i18n.rs, at
// compile time), so an error code has one text per language everywhere.
// Placeholders are `{name}`, filled by `td` here and by the command line.
import enJson from './en.json';
import ruJson from './ru.json';
import uzJson from './uz-Latn.json';

/** English: the reference catalogue. */
export const en = enJson;

/** Every message's key: what `t` takes, checked when the UI is built. */
export type MessageKey = keyof typeof en;

/** Russian: every English key (checked when the UI is built), and the
 *  plural forms Russian has beyond English's. */
export const ru: Record<MessageKey, string> & Record<string, string> = ruJson;

/** Uzbek (Latin): the main screens — unlock, first run, case list, case
 *  overview, checklists, sync. Missing keys fall back to English. */
export const uz: Partial<Record<MessageKey, string>> & Record<string, string> = uzJson;
