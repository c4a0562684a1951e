// Correcting a record after it was added: a field of the record, what it
// holds now and how it is typed, and which commands save the fields that
// were changed. The core checks each value against the case's schema and
// the caller's role, and the record as the changes leave it; these
// descriptors only shape the form.
import * as api from '$lib/api';
import type { FieldEdit } from '$lib/bindings/FieldEdit';

/** How a field is typed in the edit form. `number`: a whole number;
 *  `choices`: a list of vocabulary values, ticked from `options`; `words`:
 *  a list typed as words separated by commas (a person's languages). */
export type EditKind = 'text' | 'longtext' | 'date' | 'select' | 'check' | 'number' | 'choices' | 'words';

/** One field of a record as the edit form shows it. */
export type EditField = {
  /** The field's path below the record, e.g. `title` or `review_on`. */
  field: string;
  label: string;
  kind: EditKind;
  /** What the record holds now, as the core reads it back as text:
   *  '' when unset, `true`/`false` for a box, a vocabulary id, an ISO date;
   *  a list's values joined by commas. '' for an identity field not
   *  revealed: the form does not know it. */
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
  /** The largest whole number a `number` field takes (an age: 120);
   *  none for amounts and months. */
  max?: number;
  /** An identity field: masked until the person reveals it (an audited
   *  reveal); a new value can be typed without the old one being shown. */
  sensitive?: boolean;
};

/** A list field, saved with `set_list`. */
export const isList = (f: EditField) => f.kind === 'choices' || f.kind === 'words';

/** The values of a list field as the form holds them (joined by commas). */
export function listValues(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A list as the form holds it. */
export const joinList = (f: EditField, values: readonly (string | number)[]) => values.join(f.kind === 'words' ? ', ' : ',');

/** A field's value as it is sent: text trimmed as the add forms trim it;
 *  collaborative text (a plan's layout) and everything else as is. */
export function sentValue(f: EditField, value: string): string {
  if (isList(f)) return joinList(f, listValues(value));
  return (f.kind === 'text' || f.kind === 'longtext' || f.kind === 'number') && !f.collaborative ? value.trim() : value;
}

/** One field of the record at `base` (e.g. `tasks/<id>`) as it is saved. */
export function fieldEdit(base: string, f: EditField, value: string): FieldEdit {
  const path = `${base}/${f.field}`;
  if (isList(f)) return { kind: 'list', path, values: listValues(value) };
  return f.collaborative ? { kind: 'text', path, text: value } : { kind: 'value', path, value };
}

/** Saves the changed fields of the record at `base` as one change: the
 *  core checks the record as they all leave it, and writes all or none. */
export function saveFields(caseId: string, base: string, changed: ReadonlyArray<{ field: EditField; value: string }>): Promise<null> {
  return api.setFields(
    caseId,
    changed.map((c) => fieldEdit(base, c.field, c.value)),
  );
}

/** A select's options from vocabulary ids and their texts. */
export function choices<V extends string | number>(values: readonly V[], text: (v: V) => string) {
  return values.map((v) => ({ value: String(v), text: text(v) }));
}

/** An optional value as the form holds it ('' for none). */
export const orBlank = (value: string | number | null | undefined): string => (value === null || value === undefined ? '' : String(value));
