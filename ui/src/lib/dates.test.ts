import { describe, it, expect } from 'vitest';
import { parseDay, typedDay } from './dates';

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
});
