import { DEFAULT_SETTINGS } from './settings';
import { describeReasons, dueItemsJql, followUpDecision, followUpReasons, openItemsJql, postmortemOverdue, type OpenItem } from './follow-up';

const s = { ...DEFAULT_SETTINGS, timeZone: 'UTC', holidays: ['2026-12-25'] };
const now = new Date('2026-12-01T09:00:00Z'); // a Tuesday
const item = (over: Partial<OpenItem> = {}): OpenItem => ({ key: 'OPS-1', assigneeId: 'acc', priorityName: 'High', dueDate: null, updated: '2026-11-30T09:00:00Z', ...over });

describe('follow-up reasons', () => {
  it('flags nothing on an owned, prioritised, fresh item', () => {
    expect(followUpReasons(item(), s, 'Medium', now)).toEqual([]);
  });

  it('flags unassigned, unprioritized (empty or still the default, without a due date), stale and overdue', () => {
    expect(followUpReasons(item({ assigneeId: null }), s, 'Medium', now)).toEqual(['unassigned']);
    expect(followUpReasons(item({ priorityName: null }), s, 'Medium', now)).toEqual(['unprioritized']);
    expect(followUpReasons(item({ priorityName: 'Medium' }), s, 'Medium', now)).toEqual(['unprioritized']);
    expect(followUpReasons(item({ priorityName: 'Medium', dueDate: '2026-12-20' }), s, 'Medium', now)).toEqual([]);
    expect(followUpReasons(item({ dueDate: '2026-11-30' }), s, 'Medium', now)).toEqual(['overdue']);
    // 14 business days before Tue 1 Dec is Wed 11 Nov.
    expect(followUpReasons(item({ updated: '2026-11-11T09:00:00Z' }), s, 'Medium', now)).toEqual(['stale']);
    expect(followUpReasons(item({ updated: '2026-11-12T09:00:00Z' }), s, 'Medium', now)).toEqual([]);
    expect(followUpReasons(item({ updated: '2026-11-12T09:00:00Z' }), { ...s, businessDaysOnly: false }, 'Medium', now)).toEqual(['stale']);
  });

  it('describes reasons in plain words', () => {
    const i = item({ assigneeId: null, dueDate: '2026-11-20', updated: '2026-11-01T00:00:00Z' });
    expect(describeReasons(followUpReasons(i, s, null, now), i, s, now)).toEqual(['it was due on 2026-11-20', 'nobody is assigned to it yet', 'it has not been updated for 22 business days']);
  });
});

describe('follow-up cadence', () => {
  it('posts at most once per interval, up to the cap, then hands over to the owner once', () => {
    expect(followUpDecision({ count: 0, lastAt: null, flaggedAt: null }, s, now)).toBe('post');
    expect(followUpDecision({ count: 1, lastAt: '2026-11-20T09:00:00Z', flaggedAt: null }, s, now)).toBe('wait');
    expect(followUpDecision({ count: 1, lastAt: '2026-11-11T09:00:00Z', flaggedAt: null }, s, now)).toBe('post');
    expect(followUpDecision({ count: 3, lastAt: '2026-11-11T09:00:00Z', flaggedAt: null }, s, now)).toBe('flag-owner');
    expect(followUpDecision({ count: 3, lastAt: '2026-11-11T09:00:00Z', flaggedAt: '2026-11-11T09:00:00Z' }, s, now)).toBe('done');
  });
});

describe('JQL', () => {
  it('lets Jira filter open, in-scope items that may be due', () => {
    expect(dueItemsJql(s, 'Medium')).toBe(
      'pmCreatedAt IS NOT EMPTY AND statusCategory != Done AND (assignee IS EMPTY OR ((priority IS EMPTY OR priority = "Medium") AND duedate IS EMPTY) OR updated <= -14d OR duedate < now()) ORDER BY key ASC',
    );
    expect(openItemsJql({ projectsInScope: ['OPS', 'SEC'] })).toBe('pmCreatedAt IS NOT EMPTY AND statusCategory != Done AND project in ("OPS", "SEC")');
  });
});

it('says when an incident is overdue for its postmortem, in business days', () => {
  const resolved = new Date('2026-11-24T15:00:00Z'); // Tuesday
  expect(postmortemOverdue(resolved, s, new Date('2026-11-30T09:00:00Z'))).toBe(false); // 4 business days
  // Due within 5: the 5th business day (Tue 1 Dec) is still on time, like a review held that day.
  expect(postmortemOverdue(resolved, s, new Date('2026-12-01T23:00:00Z'))).toBe(false); // 5
  expect(postmortemOverdue(resolved, s, new Date('2026-12-02T00:00:00Z'))).toBe(true); // 6
});
