import { describe, it, expect } from 'vitest';
import { parseDay, typedDay, parseTime, momentOf, dayOf } from './dates';

describe('dates as people type them', () => {
  const check = (typed: string, expect_: string | null) => expect(parseDay(typed), typed).toBe(expect_);
  it('reads day, month, year, whatever the browser\'s locale (15.03.2009 stored 3 December)', () => {
    check('15.03.2009', '2009-03-15');
    check(' 5.3.2009 ', '2009-03-05');
    check('15/03/2009', '2009-03-15');
    check('15-03-2009', '2009-03-15');
    check('2009-03-15', '2009-03-15');
    check('', '');
    check('31.02.2009', null);
    check('15.13.2009', null);
    check('15.03', null);
    check('03/15/2009', null);
    check('yesterday', null);
  });
  it('shows a stored date as it is typed', () => {
    expect(typedDay('2009-03-15')).toBe('15.03.2009');
    expect(typedDay(null)).toBe('');
  });
  it('reads a time of day as hours and minutes', () => {
    const time = (typed: string, expect_: string | null) => expect(parseTime(typed), typed).toBe(expect_);
    time('14:30', '14:30');
    time(' 9:05 ', '09:05');
    time('14.30', '14:30');
    time('00:00', '00:00');
    time('', '');
    time('24:00', null);
    time('14:60', null);
    time('1430', null);
    time('2pm', null);
  });
  it('dates a moment on this computer\'s clock, and back', () => {
    const at = momentOf('2026-03-01', '14:30');
    const d = new Date(at);
    expect([d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes()]).toEqual([2026, 3, 1, 14, 30]);
    expect(dayOf(at)).toBe('2026-03-01');
    expect(new Date(momentOf('2026-03-01')).getHours()).toBe(0);
  });
});
