/**
 * The follow-up cadence over months of daily runs, as the job drives it: the scheduled trigger fires once a
 * day at a fixed UTC time (give or take minutes), skips non-business days in business-day mode, and the
 * comment's creation time (seconds after the run) becomes the history's `lastWriteAt`. Nobody acts on the item
 * in between: the last human activity stays before the first run.
 */
import { DEFAULT_SETTINGS } from './settings';
import { followUpDecision, type FollowUpHistory, type FollowUpSettings } from './follow-up';
import { addBusinessDays, isBusinessDay } from './business-days';
import { addDaysToLocalDate, localDate } from './time-zone';

const DAY = 86_400_000;

/** The local dates on which a follow-up is posted, over `days` daily runs from `firstRun`. */
function simulate(s: FollowUpSettings, firstRun: Date, days: number, jitterMs: (day: number) => number): string[] {
  const history: FollowUpHistory = { nudges: [], lastWriteAt: null, flaggedAt: null };
  const lastHumanActivity = new Date(firstRun.getTime() - 30 * DAY).toISOString();
  const posted: string[] = [];
  for (let k = 0; k < days; k++) {
    const now = new Date(firstRun.getTime() + k * DAY + jitterMs(k));
    if (s.businessDaysOnly && !isBusinessDay(now, s)) continue; // the trigger's own rule
    if (followUpDecision(history, lastHumanActivity, s, now) !== 'post') continue;
    const created = new Date(now.getTime() + 2_500 + jitterMs(k + 1000) / 100).toISOString(); // the comment's `created`
    history.nudges.push(created);
    history.lastWriteAt = created;
    posted.push(localDate(now, s.timeZone));
  }
  return posted;
}

// Runs at 14:00Z ± a few minutes: 09:00/10:00 in New York, 02:00/03:00 in Auckland, 15:00/16:00 in Berlin —
// each crossing its DST changes during the half year simulated.
const zones = ['UTC', 'America/New_York', 'Europe/Berlin', 'Pacific/Auckland', 'Asia/Kolkata', 'America/Santiago'];
const jitters: Record<string, (day: number) => number> = {
  exact: () => 0,
  'a few minutes either way': (day) => (((day * 7919) % 11) - 5) * 60_000,
};
const jitterNamed = (name: string) => {
  const jitter = jitters[name];
  if (!jitter) throw new Error(`No jitter named ${name}`);
  return jitter;
};

describe('calendar-day cadence: posts every N calendar days of the site, to the day', () => {
  it.each(zones.flatMap((z) => Object.keys(jitters).map((j) => [z, j])))('in %s, trigger time %s', (timeZone, jitter) => {
    for (const interval of [1, 3, 7, 14, 30]) {
      const s: FollowUpSettings = { ...DEFAULT_SETTINGS, businessDaysOnly: false, timeZone, holidays: [], followUpIntervalDays: interval, maxFollowUps: 1000 };
      const firstRun = new Date('2026-01-05T14:00:00Z');
      const posted = simulate(s, firstRun, 200, jitterNamed(jitter));
      const first = localDate(firstRun, timeZone);
      const lastRunDate = addDaysToLocalDate(first, 199);
      const expected = Array.from({ length: 200 }, (_, k) => addDaysToLocalDate(first, k * interval)).filter((d) => d <= lastRunDate);
      expect([interval, posted]).toEqual([interval, expected]);
    }
  });

  it('the case from issue 13: a 14-day cadence from Jan 5 posts Jan 19 and Feb 2 (not Jan 20, Feb 4)', () => {
    const s: FollowUpSettings = { ...DEFAULT_SETTINGS, businessDaysOnly: false, timeZone: 'UTC', holidays: [], followUpIntervalDays: 14, maxFollowUps: 3 };
    expect(simulate(s, new Date('2026-01-05T09:00:00Z'), 60, () => 0)).toEqual(['2026-01-05', '2026-01-19', '2026-02-02']);
  });
});

describe('business-day cadence: posts every N business days of the site, to the day', () => {
  const holidays = ['2026-01-19', '2026-02-16', '2026-04-03', '2026-04-06', '2026-05-25', '2026-07-03'];
  it.each(zones.flatMap((z) => Object.keys(jitters).map((j) => [z, j])))('in %s, trigger time %s', (timeZone, jitter) => {
    for (const interval of [1, 2, 5, 10]) {
      const s: FollowUpSettings = { ...DEFAULT_SETTINGS, businessDaysOnly: true, timeZone, holidays, followUpIntervalDays: interval, maxFollowUps: 1000 };
      const firstRun = new Date('2026-01-05T14:00:00Z');
      const posted = simulate(s, firstRun, 200, jitterNamed(jitter));
      const last = new Date(firstRun.getTime() + 199 * DAY);
      const expected: string[] = [];
      for (let at = firstRun; localDate(at, timeZone) <= localDate(last, timeZone); at = addBusinessDays(at, interval, s)) expected.push(localDate(at, timeZone));
      expect([interval, posted]).toEqual([interval, expected]);
    }
  });
});
