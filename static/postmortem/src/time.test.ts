/** datetime-local values are wall-clock times in the site's zone, not the browser's. */
import { describe, expect, it } from '@jest/globals';
import '../../../test/support/custom-ui-bridge';
import { fromLocalInput, newId, toLocalInput } from './time';

describe('toLocalInput / fromLocalInput', () => {
  it('writes an instant as the wall-clock time of the site zone, and reads it back', () => {
    expect(toLocalInput('2026-12-31T23:30:00Z', 'Europe/Berlin')).toBe('2027-01-01T00:30');
    expect(fromLocalInput('2027-01-01T00:30', 'Europe/Berlin')).toBe('2026-12-31T23:30:00.000Z');
    expect(toLocalInput('2027-01-01T03:15:00Z', 'America/Los_Angeles')).toBe('2026-12-31T19:15');
    expect(fromLocalInput('2026-12-31T19:15', 'America/Los_Angeles')).toBe('2027-01-01T03:15:00.000Z');
    expect(toLocalInput('2026-06-30T10:30:00Z', 'Pacific/Kiritimati')).toBe('2026-07-01T00:30');
  });

  it('round-trips every half hour through a daylight-saving change', () => {
    // Each zone's spring-forward and fall-back days of 2026 (Lord Howe moves by 30 minutes).
    const changes: [string, string][] = [
      ['Europe/London', '2026-03-29'], ['Europe/London', '2026-10-25'],
      ['America/New_York', '2026-03-08'], ['America/New_York', '2026-11-01'],
      ['Australia/Lord_Howe', '2026-04-05'], ['Australia/Lord_Howe', '2026-10-04'],
    ];
    for (const [zone, day] of changes) {
      const from = Date.parse(`${day}T00:00:00Z`) - 86_400_000;
      for (let t = from; t < from + 3 * 86_400_000; t += 15 * 60_000) {
        const iso = new Date(t).toISOString();
        const wall = toLocalInput(iso, zone);
        // In the repeated hour of a fall-back, a wall time names two instants; either reads back to the same wall time.
        expect([iso, toLocalInput(fromLocalInput(wall, zone), zone)]).toEqual([iso, wall]);
      }
    }
  });

  it('reads a wall time the spring-forward skips as an instant an hour around it, not as nothing', () => {
    expect(['2026-03-08T06:30:00.000Z', '2026-03-08T07:30:00.000Z']).toContain(fromLocalInput('2026-03-08T02:30', 'America/New_York'));
  });

  it('gives nothing for empty, unreadable or partial values', () => {
    expect(toLocalInput(null, 'UTC')).toBe('');
    expect(toLocalInput('', 'UTC')).toBe('');
    expect(toLocalInput('yesterday', 'UTC')).toBe('');
    expect(fromLocalInput('', 'UTC')).toBeNull();
    expect(fromLocalInput('2026-03-08', 'UTC')).toBeNull();
    expect(fromLocalInput('2026-03-08T1', 'UTC')).toBeNull();
  });
});

describe('newId', () => {
  it('makes distinct ids with the prefix, also within one millisecond', () => {
    const ids = Array.from({ length: 200 }, () => newId('timeline'));
    expect(new Set(ids).size).toBe(200);
    expect(ids.every((id) => /^timeline-[a-z0-9]+-[a-z0-9-]{8}$/.test(id))).toBe(true);
  });
});
