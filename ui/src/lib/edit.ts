// Correcting a record after it was added: a field of the record, what it
// holds now and how it is typed, and which commands save the fields that
// were changed. The core checks each value against the case's schema and
// the caller's role; these descriptors only shape the form.
import * as api from '$lib/api';

/** How a field is typed in the edit form. */
export type EditKind = 'text' | 'longtext' | 'date' | 'select' | 'check';

/** One field of a record as the edit form shows it. */
export type EditField = {
  /** The field's path below the record, e.g. `title` or `review_on`. */
  field: string;
  label: string;
  kind: EditKind;
  /** What the record holds now, as the core reads it back as text:
   *  '' when unset, `true`/`false` for a box, a vocabulary id, an ISO date. */
  value: string;
  /** The choices of a select, with their texts. */
  options?: ReadonlyArray<{ value: string; text: string }>;
  /** The record may leave it unset: cleared, it is saved as none. A field
   *  that may not be unset cannot be saved blank. */
  optional?: boolean;
  /** Collaborative text (a text object in the case document): saved
   *  with `set_text`, which edits only the characters that differ. */
  collaborative?: boolean;
  maxlength?: number;
};

/** A field's value as it is sent: text trimmed as the add forms trim it;
 *  collaborative text (a plan's layout) and everything else as is. */
export function sentValue(f: EditField, value: string): string {
  return (f.kind === 'text' || f.kind === 'longtext') && !f.collaborative ? value.trim() : value;
}

/** Saves one field of the record at `base` (e.g. `tasks/<id>`). */
export function saveField(caseId: string, base: string, f: EditField, value: string): Promise<null> {
  const path = `${base}/${f.field}`;
  return f.collaborative ? api.setText(caseId, path, value) : api.setField(caseId, path, value);
}

/** A select's options from vocabulary ids and their texts. */
export function choices<V extends string | number>(values: readonly V[], text: (v: V) => string) {
  return values.map((v) => ({ value: String(v), text: text(v) }));
}

/** An optional value as the form holds it ('' for none). */
export const orBlank = (value: string | number | null | undefined): string => (value === null || value === undefined ? '' : String(value));
