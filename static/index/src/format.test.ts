/** Figures as the index tabs show them. */
import { expect, it } from '@jest/globals';
import '../../../test/support/custom-ui-bridge';
import { FAILURE_CATEGORIES } from '../../../src/contract/postmortem';
import { CATEGORY_LABELS, days, formatMonth, minutes, percent } from './format';

it('names a month by its middle, so no time zone moves it into another month or year', () => {
  const month = (m: string, options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(undefined, { ...options, timeZone: 'UTC' }).format(new Date(`${m}-15T00:00:00Z`));
  for (const m of ['2026-01', '2026-12', '2027-02']) {
    expect(formatMonth(m)).toBe(month(m, { month: 'short', year: 'numeric' }));
    expect(formatMonth(m, true)).toBe(`${month(m, { month: 'short' })} ’${m.slice(2, 4)}`);
  }
  expect(formatMonth('2026-12')).toMatch(/2026/);
  expect(formatMonth('2027-01', true)).toMatch(/’27$/);
});

it('writes a missing figure as a dash and others in their unit', () => {
  expect([minutes(null), percent(null), days(null)]).toEqual(['—', '—', '—']);
  expect(minutes(0)).toBe('0 min');
  expect(minutes(90)).toBe('1 h 30 min');
  expect(minutes(60 * 24 * 2 + 60)).toBe('2 d 1 h');
  expect(percent(0)).toBe('0%');
  expect(percent(0.125)).toBe('13%');
  expect(percent(1)).toBe('100%');
  expect(days(0)).toBe('0 d');
});

it('labels every failure category', () => {
  expect(Object.keys(CATEGORY_LABELS).sort()).toEqual([...FAILURE_CATEGORIES].sort());
});
