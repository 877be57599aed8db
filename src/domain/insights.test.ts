import { actionItemInsights, durationInsights, durationStats, median, monthsBetween, percentile, repeatGroups, reviewInsights, reviewState } from './insights';

const opts = { timeZone: 'Europe/Berlin', holidays: ['2026-12-25'] };

describe('median and p90', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([])).toBeNull();
    expect(median([7])).toBe(7);
    expect(median([30, 10, 20])).toBe(20);
    expect(median([40, 10, 30, 20])).toBe(25);
  });

  it('p90 is the nearest rank ⌈0.9·n⌉', () => {
    expect(percentile([], 0.9)).toBeNull();
    expect(percentile([5], 0.9)).toBe(5);
    // n = 10 → rank 9; n = 11 → rank 10; n = 4 → rank 4.
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(percentile([11, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(10);
    expect(percentile([40, 10, 30, 20], 0.9)).toBe(40);
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(durationStats([60, 15, 240])).toEqual({ count: 3, medianMinutes: 60, p90Minutes: 240 });
  });
});

describe('durations by severity and month', () => {
  it('groups known durations, keeps empty months, and leaves out unknown ones', () => {
    const out = durationInsights(
      [
        { severity: 'SEV1', incidentAt: '2026-09-30T22:30:00Z', minutes: 10 }, // 1 October in Berlin
        { severity: 'SEV1', incidentAt: '2026-10-05T10:00:00Z', minutes: 30 },
        { severity: 'SEV2', incidentAt: '2026-12-01T10:00:00Z', minutes: 100 },
        { severity: 'SEV2', incidentAt: '2026-12-02T10:00:00Z', minutes: null },
      ],
      monthsBetween('2026-09-15', '2026-12-31'),
      'Europe/Berlin',
    );
    expect(out.overall).toEqual({ count: 3, medianMinutes: 30, p90Minutes: 100 });
    expect(out.bySeverity.map((s) => [s.severity, s.stats.count, s.stats.medianMinutes])).toEqual([['SEV1', 2, 20], ['SEV2', 1, 100], ['SEV3', 0, null], ['SEV4', 0, null]]);
    expect(out.byMonth.map((m) => [m.month, m.stats.count, m.stats.medianMinutes])).toEqual([['2026-09', 0, null], ['2026-10', 2, 20], ['2026-11', 0, null], ['2026-12', 1, 100]]);
  });

  it('lists months across a year end and caps a silly range', () => {
    expect(monthsBetween('2026-11-20', '2027-02-01')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthsBetween('1900-01-01', '2099-01-01')).toHaveLength(120);
  });
});

describe('action items', () => {
  it('counts completion, overdue share and time to close', () => {
    const out = actionItemInsights(
      [
        { done: true, created: '2026-10-01T00:00:00Z', resolved: '2026-10-03T00:00:00Z', dueDate: null },
        { done: true, created: '2026-10-01T00:00:00Z', resolved: '2026-10-11T12:00:00Z', dueDate: '2026-10-05' },
        { done: false, created: '2026-10-01T00:00:00Z', resolved: null, dueDate: '2026-11-01' },
        { done: false, created: '2026-10-01T00:00:00Z', resolved: null, dueDate: '2026-11-02' },
        { done: false, created: '2026-10-01T00:00:00Z', resolved: null, dueDate: null },
      ],
      { dropped: 2, hidden: 1 },
      '2026-11-02',
    );
    expect(out).toEqual({
      created: 5,
      done: 2,
      open: 3,
      overdue: 1,
      dropped: 2,
      hidden: 1,
      completionRate: 0.4,
      overdueShare: 1 / 3,
      timeToClose: { count: 2, medianDays: 6.3, p90Days: 10.5 },
    });
    expect(actionItemInsights([], { dropped: 0, hidden: 0 }, '2026-11-02')).toMatchObject({ completionRate: null, overdueShare: null, timeToClose: { count: 0, medianDays: null, p90Days: null } });
  });
});

describe('reviews held on time', () => {
  const now = new Date('2026-12-28T12:00:00Z'); // Monday
  it('counts business days from the resolution to the meeting', () => {
    // Resolved Friday 18 Dec; 5 business days later is Monday 28 Dec (25 Dec is a holiday).
    const resolved = '2026-12-18T15:00:00Z';
    expect(reviewState({ dueFrom: resolved, reviewMeetingAt: '2026-12-28T09:00:00Z' }, 5, opts, now)).toBe('on-time');
    expect(reviewState({ dueFrom: '2026-12-17T15:00:00Z', reviewMeetingAt: '2026-12-28T09:00:00Z' }, 5, opts, now)).toBe('late');
    // Not held: late once more than N business days have passed, pending before.
    expect(reviewState({ dueFrom: '2026-12-17T15:00:00Z', reviewMeetingAt: null }, 5, opts, now)).toBe('late');
    expect(reviewState({ dueFrom: resolved, reviewMeetingAt: null }, 5, opts, now)).toBe('pending');
    // A meeting still in the future is not held yet.
    expect(reviewState({ dueFrom: resolved, reviewMeetingAt: '2026-12-29T09:00:00Z' }, 5, opts, now)).toBe('pending');
    expect(reviewInsights([{ dueFrom: resolved, reviewMeetingAt: '2026-12-21T09:00:00Z' }, { dueFrom: '2026-12-01T09:00:00Z', reviewMeetingAt: null }, { dueFrom: resolved, reviewMeetingAt: null }], 5, opts, now)).toEqual({
      dueBusinessDays: 5,
      onTime: 1,
      late: 1,
      pending: 1,
      shareOnTime: 0.5,
    });
  });
});

describe('repeat failure categories', () => {
  const pm = (key: string, incidentAt: string, tags: string[]) => ({ key, title: key, url: `/${key}`, incidentAt, tags });
  it('chains postmortems with the same tag at most 90 days apart', () => {
    const groups = repeatGroups([
      pm('a', '2026-01-01T00:00:00Z', ['checkout-api', 'detection']),
      pm('b', '2026-03-31T00:00:00Z', ['Checkout-API']), // 89 days after a
      pm('c', '2026-06-30T00:00:00Z', ['checkout-api']), // 91 days after b: a new run of one
      pm('d', '2026-07-15T00:00:00Z', ['detection']),
      pm('e', '2026-08-01T00:00:00Z', ['detection', 'search']),
      pm('f', '2026-08-02T00:00:00Z', ['detection']),
    ]);
    expect(groups.map((g) => [g.tag, g.postmortems.map((p) => p.key), g.spanDays])).toEqual([
      ['detection', ['d', 'e', 'f'], 18],
      ['checkout-api', ['a', 'b'], 89],
    ]);
    expect(repeatGroups([pm('x', '2026-01-01T00:00:00Z', ['x', 'X'])])).toEqual([]);
  });
});
