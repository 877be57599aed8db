import { DEFAULT_SETTINGS } from './settings';
import { describeReasons, dueItemsJql, followUpDecision, nudgesSince, followUpReasons, openItemsJql, postmortemOverdue, type OpenItem } from './follow-up';

const s = { ...DEFAULT_SETTINGS, timeZone: 'UTC', holidays: ['2026-12-25'] };
const now = new Date('2026-12-01T09:00:00Z'); // a Tuesday
const item = (over: Partial<OpenItem> = {}): OpenItem => ({ key: 'OPS-1', assigneeId: 'acc', priorityName: 'High', dueDate: null, lastHumanActivity: '2026-11-30T09:00:00Z', ...over });

describe('follow-up reasons', () => {
  it('flags nothing on an owned, prioritised, fresh item', () => {
    expect(followUpReasons(item(), s, 'Medium', now)).toEqual([]);
  });

  it('flags unassigned, unprioritized (empty or still the default, without a due date), stale and overdue', () => {
    expect(followUpReasons(item({ assigneeId: null }), s, 'Medium', now)).toEqual(['unassigned']);
    expect(followUpReasons(item({ priorityName: null }), s, 'Medium', now)).toEqual(['unprioritized']);
    expect(followUpReasons(item({ priorityName: 'Medium' }), s, 'Medium', now)).toEqual(['unprioritized']);
    expect(followUpReasons(item({ priorityName: 'Medium', dueDate: '2026-12-20' }), s, 'Medium', now)).toEqual([]);
    // Medium set by the app from the item's impact is a choice, not Jira's default that nobody chose.
    expect(followUpReasons(item({ priorityName: 'Medium', impactPriority: 'Medium' }), s, 'Medium', now)).toEqual([]);
    expect(followUpReasons(item({ priorityName: 'Medium', impactPriority: 'Low' }), s, 'Medium', now)).toEqual(['unprioritized']);
    expect(followUpReasons(item({ dueDate: '2026-11-30' }), s, 'Medium', now)).toEqual(['overdue']);
    // 14 business days before Tue 1 Dec is Wed 11 Nov.
    expect(followUpReasons(item({ lastHumanActivity: '2026-11-11T09:00:00Z' }), s, 'Medium', now)).toEqual(['stale']);
    expect(followUpReasons(item({ lastHumanActivity: '2026-11-12T09:00:00Z' }), s, 'Medium', now)).toEqual([]);
    expect(followUpReasons(item({ lastHumanActivity: '2026-11-12T09:00:00Z' }), { ...s, businessDaysOnly: false }, 'Medium', now)).toEqual(['stale']);
  });

  it('describes reasons in plain words', () => {
    const i = item({ assigneeId: null, dueDate: '2026-11-20', lastHumanActivity: '2026-11-01T00:00:00Z' });
    expect(describeReasons(followUpReasons(i, s, null, now), i, s, now)).toEqual(['it was due on 2026-11-20', 'nobody is assigned to it yet', 'nobody has updated it for 22 business days']);
  });
});

describe('follow-up cadence', () => {
  const none = { nudges: [], lastWriteAt: null, flaggedAt: null };
  const human = '2026-10-01T09:00:00Z';
  it('posts at most once per interval, up to the cap since the last human activity, then hands over to the owner once', () => {
    expect(followUpDecision(none, human, s, now)).toBe('post');
    expect(followUpDecision({ nudges: ['2026-11-20T09:00:00Z'], lastWriteAt: '2026-11-20T09:00:00Z', flaggedAt: null }, human, s, now)).toBe('wait');
    expect(followUpDecision({ nudges: ['2026-11-11T09:00:00Z'], lastWriteAt: '2026-11-11T09:00:00Z', flaggedAt: null }, human, s, now)).toBe('post');
    const three: [string, string, string] = ['2026-10-01T10:00:00Z', '2026-10-20T09:00:00Z', '2026-11-11T09:00:00Z'];
    expect(followUpDecision({ nudges: three, lastWriteAt: three[2], flaggedAt: null }, human, s, now)).toBe('flag-owner');
    expect(followUpDecision({ nudges: three, lastWriteAt: '2026-11-11T09:00:00Z', flaggedAt: '2026-11-11T09:00:00Z' }, human, s, now)).toBe('done');
  });

  it('starts again after a person acts: earlier follow-ups and the hand-over no longer count', () => {
    const three = ['2026-10-01T10:00:00Z', '2026-10-20T09:00:00Z', '2026-11-01T09:00:00Z'];
    const history = { nudges: three, lastWriteAt: '2026-11-11T09:00:00Z', flaggedAt: '2026-11-11T09:00:00Z' };
    expect(nudgesSince(history, '2026-10-25T09:00:00Z')).toBe(1);
    expect(followUpDecision(history, '2026-10-25T09:00:00Z', s, now)).toBe('post');
    expect(followUpDecision(history, '2026-11-12T09:00:00Z', s, now)).toBe('post');
    // Still never within an interval of the app's last comment.
    expect(followUpDecision(history, '2026-11-12T09:00:00Z', s, new Date('2026-11-20T09:00:00Z'))).toBe('wait');
  });
});

describe('JQL', () => {
  it('lets Jira filter open, in-scope items that may be due', () => {
    expect(dueItemsJql(s, 'Medium')).toBe(
      'pmCreatedAt IS NOT EMPTY AND statusCategory != Done AND (assignee IS EMPTY OR ((priority IS EMPTY OR (priority = "Medium" AND (pmImpactPriority IS EMPTY OR pmImpactPriority != "Medium"))) AND duedate IS EMPTY) OR updated <= -14d OR pmHumanActivityAt <= -14d OR duedate < now()) ORDER BY key ASC',
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
