/** The app's one date format: the site locale's numeric date, in the site's time zone, at day and zone boundaries. */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { bridgeCalls, setHostContext } from '../../test/support/custom-ui-bridge';
import { formatDate, formatDateTime, formatDay, initSiteLocale, locale } from './dates';

async function siteLocale(tag: string): Promise<void> {
  setHostContext({ locale: tag });
  await initSiteLocale();
}

describe('the site locale', () => {
  it('comes from the Forge context, written as a BCP 47 tag', async () => {
    await siteLocale('en_GB');
    expect(locale()).toBe('en-GB');
    expect(bridgeCalls.some((c) => c.name === 'getContext')).toBe(true);
    expect(formatDay('2026-12-21')).toBe('21/12/2026');
    await siteLocale('en_US');
    expect(formatDay('2026-12-21')).toBe('12/21/2026');
  });

  it('stays as it was when the context has none', async () => {
    await siteLocale('de_DE');
    setHostContext({});
    await initSiteLocale();
    expect(locale()).toBe('de-DE');
    expect(formatDay('2026-12-21')).toBe('21.12.2026');
  });
});

describe('formatting', () => {
  beforeAll(() => siteLocale('en_GB'));

  it('shows a calendar day as that day, whatever the zone', () => {
    expect(formatDay('2026-01-01')).toBe('01/01/2026');
    expect(formatDay('2026-12-31')).toBe('31/12/2026');
    expect(formatDay('2028-02-29')).toBe('29/02/2028');
  });

  it('gives back a day that is not a real date as it was written, never another day', () => {
    expect(formatDay('2026-02-29')).toBe('2026-02-29');
    expect(formatDay('2026-04-31')).toBe('2026-04-31');
    expect(formatDay('someday')).toBe('someday');
  });

  it('dates an instant in the site zone, across the year boundary both ways', () => {
    const newYearUtc = '2026-12-31T23:30:00Z';
    expect(formatDate(newYearUtc, 'UTC')).toBe('31/12/2026');
    expect(formatDate(newYearUtc, 'Europe/Berlin')).toBe('01/01/2027');
    expect(formatDate('2027-01-01T00:30:00Z', 'America/New_York')).toBe('31/12/2026');
    // UTC+14 and UTC−11: the same instant on two different days.
    expect(formatDate('2026-06-30T10:30:00Z', 'Pacific/Kiritimati')).toBe('01/07/2026');
    expect(formatDate('2026-06-30T10:30:00Z', 'Pacific/Pago_Pago')).toBe('29/06/2026');
  });

  it('shows the wall-clock time on both sides of a daylight-saving change', () => {
    expect(formatDateTime('2026-03-29T00:59:00Z', 'Europe/London')).toBe('29/03/2026, 00:59');
    expect(formatDateTime('2026-03-29T01:00:00Z', 'Europe/London')).toBe('29/03/2026, 02:00');
    expect(formatDateTime('2026-10-25T00:30:00Z', 'Europe/London')).toBe('25/10/2026, 01:30');
    expect(formatDateTime('2026-10-25T01:30:00Z', 'Europe/London')).toBe('25/10/2026, 01:30');
  });

  it('gives back text that is not an instant as it was', () => {
    expect(formatDate('not a date', 'UTC')).toBe('not a date');
    expect(formatDateTime('', 'UTC')).toBe('');
  });

  it('still shows a date when the zone name is unknown, rather than failing the screen', () => {
    expect(() => formatDate('2026-12-31T12:00:00Z', 'Mars/Olympus_Mons')).not.toThrow();
    expect(formatDate('2026-12-31T12:00:00Z', 'Mars/Olympus_Mons')).toMatch(/2026/);
    expect(formatDateTime('2026-12-31T12:00:00Z', 'Mars/Olympus_Mons')).toMatch(/2026/);
  });
});
