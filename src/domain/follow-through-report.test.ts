import { DEFAULT_SETTINGS } from './settings';
import { followUpReasons, type FollowUpSettings } from './follow-up';
import { ageBucket, ageDays, businessStaleCutoff, filterClause, pageJql, reasonClauses, searchWords, staleClause, unprioritizedClause } from './follow-through-report';

const settings = (over: Partial<FollowUpSettings> = {}): FollowUpSettings => ({ ...DEFAULT_SETTINGS, ...over });
const HOUR = 3_600_000;

describe('businessStaleCutoff agrees with followUpReasons (the follow-up job)', () => {
  const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Pacific/Auckland'];
  const holidays = ['2026-12-24', '2026-12-25', '2026-12-31', '2027-01-01'];
  let seed = 42;
  const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);

  it.each(zones)('in %s, for any now, N and last update', (timeZone) => {
    for (let k = 0; k < 400; k++) {
      const now = new Date(Date.UTC(2026, 11, 15) + Math.floor(rand() * 40 * 24) * HOUR + Math.floor(rand() * 3_600_000));
      const s = settings({ businessDaysOnly: true, timeZone, holidays, staleAfterDays: 1 + Math.floor(rand() * 15) });
      const cutoff = businessStaleCutoff(now, s);
      for (const hoursBack of [0, 1, 5, 23, 24, 25, 47, 49, 70, 100, 200, 300, 500, 800]) {
        const updated = new Date(now.getTime() - hoursBack * HOUR - Math.floor(rand() * HOUR));
        const stale = followUpReasons({ key: 'X-1', assigneeId: 'a', priorityName: 'High', dueDate: null, lastHumanActivity: updated.toISOString() }, s, 'Medium', now).includes('stale');
        expect([now.toISOString(), s.staleAfterDays, updated.toISOString(), updated < cutoff]).toEqual([now.toISOString(), s.staleAfterDays, updated.toISOString(), stale]);
      }
      // And just either side of the cut-off itself.
      for (const delta of [-1, 0, 1]) {
        const updated = new Date(cutoff.getTime() + delta);
        const stale = followUpReasons({ key: 'X-1', assigneeId: 'a', priorityName: 'High', dueDate: null, lastHumanActivity: updated.toISOString() }, s, 'Medium', now).includes('stale');
        expect(stale).toBe(delta < 0);
      }
    }
  });
});

describe('JQL per reason', () => {
  const now = new Date('2026-11-04T15:30:20Z'); // a Wednesday

  it('uses an exact calendar-day period, or a minute period to the business-day cut-off', () => {
    expect(staleClause(now, settings({ businessDaysOnly: false, staleAfterDays: 14 }))).toBe('updated <= -14d');
    // 3 business days in UTC on a Wednesday: stale when last updated before Monday 00:00 → 2 d 15 h 31 min ago (rounded up).
    expect(staleClause(now, settings({ businessDaysOnly: true, staleAfterDays: 3, timeZone: 'UTC' }))).toBe(`updated < -${2 * 1440 + 15 * 60 + 31}m`);
  });

  it('follows the unprioritized settings, and says when nothing can match', () => {
    expect(unprioritizedClause(settings(), 'Medium')).toBe('(priority IS EMPTY OR (priority = "Medium" AND (pmImpactPriority IS EMPTY OR pmImpactPriority != "Medium"))) AND duedate IS EMPTY');
    expect(unprioritizedClause(settings({ unprioritized: { whenPriorityEmpty: false, whenDefaultPriority: true, onlyWithoutDueDate: false } }), null)).toBeNull();
    const clauses = reasonClauses(now, settings({ timeZone: 'Asia/Tokyo' }), 'Medium');
    expect(clauses.overdue).toBe('duedate < "2026-11-05"'); // already the 5th in Tokyo
    expect(clauses.unassigned).toBe('assignee IS EMPTY');
    expect(filterClause('any', { ...clauses, unprioritized: null })).toBe(`(${clauses.overdue}) OR (assignee IS EMPTY) OR (${clauses.stale})`);
  });

  it('puts user text into JQL only as plain lower-case words inside one string literal', () => {
    expect(searchWords('" OR project = SEC OR summary ~ "')).toBe('or project sec or summary');
    expect(searchWords('Pin-rotation, "cert\\" AND -x')).toBe('pin-rotation cert and x');
    expect(searchWords('!!! ()')).toBeNull();
    expect(pageJql('base', 'assignee IS EMPTY', searchWords('say "hi"'))).toBe('base AND (assignee IS EMPTY) AND summary ~ "say hi" ORDER BY created ASC');
  });

  it('buckets ages in whole days since creation', () => {
    expect([0, 6, 7, 29, 30, 89, 90].map(ageBucket)).toEqual(['under-7', 'under-7', '7-30', '7-30', '30-90', '30-90', 'over-90']);
    expect(ageDays(new Date(now.getTime() - 7 * 86_400_000 + 1), now)).toBe(6);
  });
});
