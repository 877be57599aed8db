import { addDaysToLocalDate, dayOfWeek, isCalendarDate, isTimeZone, localDate, zonedParts, zonedTimeToUtc, zoneOffsetMs } from './time-zone';

describe('time-zone helpers', () => {
  it('reads the wall clock in a zone', () => {
    expect(zonedParts(new Date('2026-11-20T23:30:00Z'), 'Europe/Berlin')).toEqual({ year: 2026, month: 11, day: 21, hour: 0, minute: 30, second: 0 });
    expect(localDate(new Date('2026-11-21T03:00:00Z'), 'America/Los_Angeles')).toBe('2026-11-20');
  });

  it('knows the offset on both sides of a DST change', () => {
    expect(zoneOffsetMs(new Date('2026-03-29T00:59:00Z'), 'Europe/Berlin')).toBe(3600_000);
    expect(zoneOffsetMs(new Date('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toBe(7200_000);
    expect(zoneOffsetMs(new Date('2026-06-01T00:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * 3600_000);
  });

  it('converts a local wall time to UTC, including DST days', () => {
    expect(zonedTimeToUtc('2026-11-20', { hour: 10, minute: 42 }, 'Europe/Berlin').toISOString()).toBe('2026-11-20T09:42:00.000Z');
    expect(zonedTimeToUtc('2026-07-01', { hour: 10 }, 'Europe/Berlin').toISOString()).toBe('2026-07-01T08:00:00.000Z');
    // After the spring-forward on the same day.
    expect(zonedTimeToUtc('2026-03-29', { hour: 10 }, 'Europe/Berlin').toISOString()).toBe('2026-03-29T08:00:00.000Z');
    expect(zonedTimeToUtc('2026-03-29', { hour: 1, minute: 30 }, 'Europe/Berlin').toISOString()).toBe('2026-03-29T00:30:00.000Z');
    // 02:30 does not exist in Berlin that day: it is read as 03:30 CEST.
    expect(zonedTimeToUtc('2026-03-29', { hour: 2, minute: 30 }, 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    // 02:30 happens twice in autumn: the later (standard-time) one.
    expect(zonedTimeToUtc('2026-10-25', { hour: 2, minute: 30 }, 'Europe/Berlin').toISOString()).toBe('2026-10-25T01:30:00.000Z');
    expect(zonedTimeToUtc('2026-03-08', { hour: 9 }, 'America/New_York').toISOString()).toBe('2026-03-08T13:00:00.000Z');
    expect(zonedTimeToUtc('2026-01-01', { hour: 0 }, 'UTC').toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('does calendar arithmetic on local dates', () => {
    expect(addDaysToLocalDate('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDaysToLocalDate('2028-03-01', -1)).toBe('2028-02-29');
    expect(dayOfWeek('2026-11-20')).toBe(5);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-1-01')).toBe(false);
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
