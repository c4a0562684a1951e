// Dates as people in the region type them: day, month, year (15.03.2009),
// whatever the browser's own locale. The stored form is ISO (2009-03-15).

/** The ISO date a person typed (`15.03.2009`, `15/3/2009`, `15-03-2009` or
 *  ISO itself), `''` for nothing typed, or `null` when it is not a date. */
export function parseDay(typed: string): string | null {
  const s = typed.trim();
  if (!s) return '';
  let y: number, m: number, d: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  const dmy = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(s);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (dmy) [d, m, y] = [Number(dmy[1]), Number(dmy[2]), Number(dmy[3])];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return isoDay(y, m, d);
}

/** `YYYY-MM-DD` of a year, month (1–12) and day. */
function isoDay(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Today on this computer's calendar, as dates are stored. */
export function today(): string {
  const now = new Date();
  return isoDay(now.getFullYear(), now.getMonth() + 1, now.getDate());
}

/** An ISO date as it is typed: `2009-03-15` → `15.03.2009`. */
export function typedDay(iso: string | null | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  return m ? `${m[3]}.${m[2]}.${m[1]}` : '';
}
