/**
 * zonedTimeToUtc against an independent oracle: the Temporal polyfill (@js-temporal/polyfill, its own
 * disambiguation algorithm on the same tz data), in every IANA zone this runtime knows, at every offset
 * change from 2024 to 2030, plus Intl round trips on random wall times.
 */
import fc from 'fast-check';
import { Temporal } from '@js-temporal/polyfill';
import { formatLocalDate, localDate, wallTimeInstants, zonedParts, zonedTimeToUtc, zoneOffsetMs, type Disambiguation } from './time-zone';

const ZONES = Intl.supportedValuesOf('timeZone');
const FROM = Date.UTC(2024, 0, 1);
const TO = Date.UTC(2031, 0, 1);
const WEEK = 7 * 86_400_000;

interface Transition { zone: string; at: number; before: number; after: number }

/** Offset changes of a zone in [FROM, TO): weekly scan, then bisection to the millisecond. */
function transitions(zone: string): Transition[] {
  const out: Transition[] = [];
  let t = FROM;
  let offset = zoneOffsetMs(new Date(t), zone);
  while (t < TO) {
    const next = t + WEEK;
    const nextOffset = zoneOffsetMs(new Date(next), zone);
    if (nextOffset !== offset) {
      let lo = t;
      let hi = next; // offset(lo) = offset, offset(hi) != offset
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (zoneOffsetMs(new Date(mid), zone) === offset) lo = mid;
        else hi = mid;
      }
      out.push({ zone, at: hi, before: offset, after: zoneOffsetMs(new Date(hi), zone) });
    }
    t = next;
    offset = nextOffset;
  }
  return out;
}

const ALL_TRANSITIONS = ZONES.flatMap(transitions);

/** The wall clock (as a UTC-labelled ms count) that `instant` shows with `offset`. */
function wallOf(instant: number, offset: number) {
  const d = new Date(instant + offset);
  return {
    date: formatLocalDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()),
    time: { hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), millisecond: d.getUTCMilliseconds() },
  };
}

function oracle(date: string, time: { hour: number; minute: number; second: number; millisecond: number }, zone: string, disambiguation: Disambiguation): number {
  const [year, month, day] = date.split('-').map(Number);
  return Number(Temporal.PlainDateTime.from({ year, month, day, ...time }).toZonedDateTime(zone, { disambiguation }).epochMilliseconds);
}

describe('zonedTimeToUtc agrees with Temporal in every zone, 2024–2030', () => {
  it('finds the offset changes it is tested on', () => {
    // Sanity of the harness: New York, Santiago, St John's and Berlin change twice a year.
    for (const zone of ['America/New_York', 'America/Santiago', 'America/St_Johns', 'Europe/Berlin']) {
      expect(ALL_TRANSITIONS.filter((t) => t.zone === zone)).toHaveLength(14);
    }
    expect(ALL_TRANSITIONS.length).toBeGreaterThan(1000);
  });

  it('at every transition: wall times just before, inside and just after the gap or overlap', () => {
    const mismatches: string[] = [];
    for (const tr of ALL_TRANSITIONS) {
      const jump = Math.abs(tr.after - tr.before);
      // Wall readings around the change: on both sides of it, and in the middle of the gap/overlap.
      const instants = [tr.at - 1000, tr.at + jump / 2, tr.at + jump];
      for (const instant of instants) {
        for (const offset of [tr.before, tr.after]) {
          const { date, time } = wallOf(instant, offset);
          for (const mode of ['later', 'earlier'] as const) {
            const expected = oracle(date, time, tr.zone, mode);
            const actual = zonedTimeToUtc(date, time, tr.zone, mode).getTime();
            if (actual !== expected) mismatches.push(`${tr.zone} ${date} ${JSON.stringify(time)} ${mode}: ${new Date(actual).toISOString()} ≠ ${new Date(expected).toISOString()}`);
          }
        }
      }
    }
    expect(mismatches.slice(0, 20)).toEqual([]);
  });

  it('random wall times in random zones: same as Temporal, and a round trip through Intl when the time exists', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: FROM / 1000, max: TO / 1000 - 1 }),
        fc.constantFrom<Disambiguation>('later', 'earlier'),
        (zone, seconds, mode) => {
          const { date, time } = wallOf(seconds * 1000, 0);
          const actual = zonedTimeToUtc(date, time, zone, mode);
          expect(actual.getTime()).toBe(oracle(date, time, zone, mode));
          const instants = wallTimeInstants(date, time, zone);
          for (const i of instants) {
            const p = zonedParts(i, zone);
            expect(formatLocalDate(p.year, p.month, p.day)).toBe(date);
            expect([p.hour, p.minute, p.second]).toEqual([time.hour, time.minute, time.second]);
          }
          if (instants.length) expect(instants).toContainEqual(actual);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('random wall times near random transitions', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ALL_TRANSITIONS),
        fc.integer({ min: -3 * 3600, max: 3 * 3600 }),
        fc.constantFrom<Disambiguation>('later', 'earlier'),
        (tr, deltaSeconds, mode) => {
          const { date, time } = wallOf(tr.at + deltaSeconds * 1000, tr.before);
          expect(zonedTimeToUtc(date, time, tr.zone, mode).getTime()).toBe(oracle(date, time, tr.zone, mode));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('the cases from issue 13', () => {
  it('zones behind UTC: gap later, overlap the later occurrence, start of day on the right day', () => {
    expect(zonedTimeToUtc('2026-03-08', { hour: 2, minute: 30 }, 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(zonedTimeToUtc('2026-11-01', { hour: 1, minute: 30 }, 'America/New_York').toISOString()).toBe('2026-11-01T06:30:00.000Z');
    expect(zonedTimeToUtc('2026-11-01', { hour: 1, minute: 30 }, 'America/New_York', 'earlier').toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(zonedTimeToUtc('2026-09-06', { hour: 0 }, 'America/Santiago').toISOString()).toBe('2026-09-06T04:00:00.000Z');
    expect(localDate(zonedTimeToUtc('2026-09-06', { hour: 0 }, 'America/Santiago'), 'America/Santiago')).toBe('2026-09-06');
  });
});
