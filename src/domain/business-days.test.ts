import fc from 'fast-check';
import { addBusinessDays, businessDaysBetween, businessDaysCutoff, isBusinessDay, nextBusinessDayAt } from './business-days';
import { postmortemOverdue } from './follow-up';
import { localDate } from './time-zone';

const berlin = { timeZone: 'Europe/Berlin', holidays: [] as string[] };
const utc = { timeZone: 'UTC', holidays: [] as string[] };
const d = (iso: string) => new Date(iso);

describe('isBusinessDay', () => {
  it('skips weekends in the given zone, not in UTC', () => {
    expect(isBusinessDay(d('2026-11-20T12:00:00Z'), utc)).toBe(true); // Friday
    expect(isBusinessDay(d('2026-11-21T12:00:00Z'), utc)).toBe(false); // Saturday
    // Friday 23:30 UTC is already Saturday in Berlin…
    expect(isBusinessDay(d('2026-11-20T23:30:00Z'), berlin)).toBe(false);
    // …and Sunday 23:30 UTC is Sunday afternoon in Los Angeles but Monday in Tokyo.
    expect(isBusinessDay(d('2026-11-22T23:30:00Z'), { timeZone: 'America/Los_Angeles', holidays: [] })).toBe(false);
    expect(isBusinessDay(d('2026-11-22T23:30:00Z'), { timeZone: 'Asia/Tokyo', holidays: [] })).toBe(true);
  });

  it('skips holidays', () => {
    expect(isBusinessDay(d('2026-12-24T09:00:00Z'), { ...berlin, holidays: ['2026-12-24'] })).toBe(false);
    expect(isBusinessDay(d('2026-12-23T09:00:00Z'), { ...berlin, holidays: ['2026-12-24'] })).toBe(true);
  });
});

describe('addBusinessDays', () => {
  it('jumps the weekend and keeps the local time', () => {
    expect(addBusinessDays(d('2026-11-20T14:00:00Z'), 1, utc).toISOString()).toBe('2026-11-23T14:00:00.000Z');
    expect(addBusinessDays(d('2026-11-20T14:00:00Z'), 5, utc).toISOString()).toBe('2026-11-27T14:00:00.000Z');
    expect(addBusinessDays(d('2026-11-21T14:00:00Z'), 1, utc).toISOString()).toBe('2026-11-23T14:00:00.000Z'); // from Saturday
  });

  it('goes back with negative n and is the identity for 0', () => {
    expect(addBusinessDays(d('2026-11-23T14:00:00Z'), -1, utc).toISOString()).toBe('2026-11-20T14:00:00.000Z');
    expect(addBusinessDays(d('2026-11-21T14:00:00.123Z'), 0, utc).toISOString()).toBe('2026-11-21T14:00:00.123Z');
  });

  it('skips holidays across the year end', () => {
    const opts = { timeZone: 'Europe/Berlin', holidays: ['2026-12-24', '2026-12-25', '2026-12-31', '2027-01-01'] };
    // Wed 23 Dec 10:00 Berlin + 1 → Mon 28 Dec; + 4 → Wed 30 Dec… + 5 → Mon 4 Jan 2027.
    const from = d('2026-12-23T09:00:00Z');
    expect(addBusinessDays(from, 1, opts).toISOString()).toBe('2026-12-28T09:00:00.000Z');
    expect(addBusinessDays(from, 3, opts).toISOString()).toBe('2026-12-30T09:00:00.000Z');
    expect(addBusinessDays(from, 4, opts).toISOString()).toBe('2027-01-04T09:00:00.000Z');
  });

  it('keeps 10:00 local across the Berlin spring-forward (the UTC hour changes)', () => {
    // Fri 27 Mar 2026 10:00 CET = 09:00Z; Mon 30 Mar 10:00 CEST = 08:00Z.
    expect(addBusinessDays(d('2026-03-27T09:00:00Z'), 1, berlin).toISOString()).toBe('2026-03-30T08:00:00.000Z');
    // And back in autumn: Fri 23 Oct 10:00 CEST → Mon 26 Oct 10:00 CET.
    expect(addBusinessDays(d('2026-10-23T08:00:00Z'), 1, berlin).toISOString()).toBe('2026-10-26T09:00:00.000Z');
  });

  it('rejects fractional days', () => {
    expect(() => addBusinessDays(d('2026-11-20T14:00:00Z'), 1.5, utc)).toThrow(RangeError);
  });
});

describe('businessDaysBetween', () => {
  it('counts business dates after a up to and including b', () => {
    expect(businessDaysBetween(d('2026-11-20T17:00:00Z'), d('2026-11-23T09:00:00Z'), utc)).toBe(1); // Fri → Mon
    expect(businessDaysBetween(d('2026-11-23T09:00:00Z'), d('2026-11-23T17:00:00Z'), utc)).toBe(0); // same day
    expect(businessDaysBetween(d('2026-11-21T09:00:00Z'), d('2026-11-22T17:00:00Z'), utc)).toBe(0); // the weekend
    expect(businessDaysBetween(d('2026-11-16T09:00:00Z'), d('2026-11-30T09:00:00Z'), utc)).toBe(10);
    expect(businessDaysBetween(d('2026-11-23T09:00:00Z'), d('2026-11-20T09:00:00Z'), utc)).toBe(-1);
  });

  it('counts in the local zone', () => {
    // 22:30Z Thursday is already Friday in Berlin, so Friday 08:00 Berlin is the same day: 0.
    expect(businessDaysBetween(d('2026-11-19T23:30:00Z'), d('2026-11-20T07:00:00Z'), berlin)).toBe(0);
    expect(businessDaysBetween(d('2026-11-19T23:30:00Z'), d('2026-11-20T07:00:00Z'), utc)).toBe(1);
  });

  it('skips holidays across the year end', () => {
    const opts = { timeZone: 'UTC', holidays: ['2026-12-25', '2027-01-01'] };
    expect(businessDaysBetween(d('2026-12-24T12:00:00Z'), d('2027-01-04T12:00:00Z'), opts)).toBe(5); // 28, 29, 30, 31 Dec and 4 Jan
  });

  it('is the inverse of addBusinessDays', () => {
    const opts = { timeZone: 'Europe/Berlin', holidays: ['2026-04-03', '2026-04-06'] };
    const from = d('2026-03-26T15:00:00Z');
    for (let n = -12; n <= 12; n++) {
      expect(businessDaysBetween(from, addBusinessDays(from, n, opts), opts)).toBe(n);
    }
  });
});

describe('nextBusinessDayAt (the review meeting default)', () => {
  it('is the next business day at the hour, local time', () => {
    expect(nextBusinessDayAt(d('2026-11-18T15:00:00Z'), { ...berlin, hour: 10 }).toISOString()).toBe('2026-11-19T09:00:00.000Z');
    // A Friday incident → Monday.
    expect(nextBusinessDayAt(d('2026-11-20T15:00:00Z'), { ...berlin, hour: 10 }).toISOString()).toBe('2026-11-23T09:00:00.000Z');
    // Saturday → Monday.
    expect(nextBusinessDayAt(d('2026-11-21T15:00:00Z'), { ...berlin, hour: 10, minute: 30 }).toISOString()).toBe('2026-11-23T09:30:00.000Z');
  });

  it('is always strictly after the incident day, even early in the morning', () => {
    expect(nextBusinessDayAt(d('2026-11-18T05:00:00Z'), { ...berlin, hour: 10 }).toISOString()).toBe('2026-11-19T09:00:00.000Z');
  });

  it('lands on 10:00 CEST after the spring-forward weekend', () => {
    expect(nextBusinessDayAt(d('2026-03-27T16:00:00Z'), { ...berlin, hour: 10 }).toISOString()).toBe('2026-03-30T08:00:00.000Z');
  });

  it('lands on 10:00 EDT when New York changes clocks', () => {
    expect(nextBusinessDayAt(d('2026-03-06T20:00:00Z'), { timeZone: 'America/New_York', holidays: [], hour: 10 }).toISOString()).toBe('2026-03-09T14:00:00.000Z');
  });

  it('uses the local date: a late-evening incident in Los Angeles is still "today" there', () => {
    // Thu 19 Nov 21:00 PST = Fri 05:00Z; next business day in LA is Friday 20 Nov.
    expect(nextBusinessDayAt(d('2026-11-20T05:00:00Z'), { timeZone: 'America/Los_Angeles', holidays: [], hour: 10 }).toISOString()).toBe('2026-11-20T18:00:00.000Z');
  });

  it('skips the holidays around the year end', () => {
    const opts = { timeZone: 'Europe/Berlin', holidays: ['2026-12-31', '2027-01-01'], hour: 10 };
    expect(nextBusinessDayAt(d('2026-12-30T12:00:00Z'), opts).toISOString()).toBe('2027-01-04T09:00:00.000Z');
  });

  it('rejects a bad hour', () => {
    expect(() => nextBusinessDayAt(d('2026-11-18T15:00:00Z'), { ...berlin, hour: 24 })).toThrow(RangeError);
  });
});

describe('business-day identities hold for every n, weekends and holidays included (property tests)', () => {
  const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'America/Santiago', 'America/St_Johns', 'Asia/Kolkata', 'Pacific/Auckland', 'Pacific/Chatham'];
  const FROM = Date.UTC(2024, 0, 1);
  const TO = Date.UTC(2030, 11, 31);
  const instant = fc.integer({ min: FROM, max: TO }).map((t) => new Date(t));
  /** Holidays clustered around the instant so they matter: up to 12 dates within ±60 days. */
  const optsNear = (a: Date) =>
    fc.record({
      timeZone: fc.constantFrom(...zones),
      holidays: fc.array(fc.integer({ min: -60, max: 60 }), { maxLength: 12 }).map((ds) => ds.map((k) => localDate(new Date(a.getTime() + k * 86_400_000), 'UTC'))),
    });
  const withOpts = instant.chain((a) => optsNear(a).map((opts) => ({ a, opts })));
  const runs = { numRuns: 400 };

  it('businessDaysBetween(a, addBusinessDays(a, n)) = n, and the result is a business day', () => {
    fc.assert(
      fc.property(withOpts, fc.integer({ min: -40, max: 40 }), ({ a, opts }, n) => {
        const b = addBusinessDays(a, n, opts);
        expect(businessDaysBetween(a, b, opts)).toBe(n);
        if (n !== 0) expect(isBusinessDay(b, opts)).toBe(true);
      }),
      runs,
    );
  });

  it('is monotone in n and, from a business day, n then −n comes back to the same date', () => {
    fc.assert(
      fc.property(withOpts, fc.integer({ min: -40, max: 39 }), ({ a, opts }, n) => {
        expect(addBusinessDays(a, n, opts).getTime()).toBeLessThan(addBusinessDays(a, n + 1, opts).getTime());
        if (isBusinessDay(a, opts)) expect(localDate(addBusinessDays(addBusinessDays(a, n, opts), -n, opts), opts.timeZone)).toBe(localDate(a, opts.timeZone));
      }),
      runs,
    );
  });

  it('businessDaysBetween is antisymmetric and additive', () => {
    fc.assert(
      fc.property(withOpts, instant, instant, ({ a, opts }, b, c) => {
        // Keep the walk short: instants within ±90 days of a.
        const near = (x: Date) => new Date(a.getTime() + ((x.getTime() - FROM) % (180 * 86_400_000)) - 90 * 86_400_000);
        const [b2, c2] = [near(b), near(c)];
        expect(businessDaysBetween(b2, a, opts) + businessDaysBetween(a, b2, opts)).toBe(0);
        expect(businessDaysBetween(a, b2, opts) + businessDaysBetween(b2, c2, opts)).toBe(businessDaysBetween(a, c2, opts));
      }),
      runs,
    );
  });

  it('businessDaysCutoff(now, n): businessDaysBetween(t, now) ≥ n exactly when t is before it', () => {
    fc.assert(
      fc.property(withOpts, fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 60 * 86_400_000 }), ({ a: now, opts }, n, back) => {
        const cutoff = businessDaysCutoff(now, n, opts);
        for (const t of [new Date(now.getTime() - back), new Date(cutoff.getTime() - 1), cutoff, new Date(cutoff.getTime() + 1)]) {
          expect([t.toISOString(), businessDaysBetween(t, now, opts) >= n]).toEqual([t.toISOString(), t < cutoff]);
        }
        // And the reminder rule that uses it agrees.
        // Overdue means more than N business days: its cut-off is businessDaysCutoff(now, N + 1).
        const s = { postmortemDueBusinessDays: n - 1, ...opts };
        if (n >= 2) {
          expect(postmortemOverdue(new Date(cutoff.getTime() - 1), s, now)).toBe(true);
          expect(postmortemOverdue(cutoff, s, now)).toBe(false);
        }
      }),
      runs,
    );
  });

  it('the cases from issue 13: Saturday − 1 is Thursday, and the reminder cut-off matches postmortemOverdue', () => {
    const sat = d('2026-11-21T12:00:00Z');
    expect(addBusinessDays(sat, -1, utc).toISOString()).toBe('2026-11-19T12:00:00.000Z');
    expect(businessDaysBetween(sat, addBusinessDays(sat, -1, utc), utc)).toBe(-1);
    // Saturday run, N = 1: Friday's incidents are not overdue yet; Thursday's are.
    expect(businessDaysCutoff(sat, 1, utc).toISOString()).toBe('2026-11-20T00:00:00.000Z');
    // Monday run, N = 1: everything before Monday is overdue (Friday 14:00 included).
    expect(businessDaysCutoff(d('2026-11-23T12:00:00Z'), 1, utc).toISOString()).toBe('2026-11-23T00:00:00.000Z');
  });
});
