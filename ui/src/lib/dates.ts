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

/** The time of day a person typed (`14:30`, `9:05`, `14.30`) as `HH:MM`,
 *  `''` for nothing typed, or `null` when it is not a time. */
export function parseTime(typed: string): string | null {
  const s = typed.trim();
  if (!s) return '';
  const m = /^(\d{1,2})[:.](\d{2})$/.exec(s);
  if (!m) return null;
  const [h, min] = [Number(m[1]), Number(m[2])];
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

/** The instant (milliseconds since the epoch) of an ISO date and an
 *  `HH:MM` time on this computer's clock and time zone. */
export function momentOf(day: string, time = '00:00'): number {
  const [y, m, d] = day.split('-').map(Number);
  const [h, min] = time.split(':').map(Number);
  return new Date(y, m - 1, d, h, min).getTime();
}

/** The ISO date of an instant on this computer's calendar. */
export function dayOf(ms: number): string {
  const t = new Date(ms);
  return isoDay(t.getFullYear(), t.getMonth() + 1, t.getDate());
}
