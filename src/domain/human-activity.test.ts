import { activityDay, humanActivityBeforeWrite, lastHumanActivity } from './human-activity';

describe('last human activity', () => {
  const write = { at: '2026-11-20T09:00:00.120Z', humanActivityAt: '2026-10-30T15:00:00.000Z' };

  it('is `updated` while the app has not written', () => {
    expect(lastHumanActivity('2026-11-21T10:00:00.000+0000', undefined)).toBe('2026-11-21T10:00:00.000Z');
  });

  it('is what the app recorded when the only update since is its own comment', () => {
    expect(lastHumanActivity('2026-11-20T09:00:00.120Z', write)).toBe(write.humanActivityAt);
    expect(lastHumanActivity('2026-11-20T09:00:00.120+0000', write)).toBe(write.humanActivityAt);
  });

  it('is any later update: a person changing the status the same minute, even the next millisecond', () => {
    expect(lastHumanActivity('2026-11-20T09:00:00.121Z', write)).toBe('2026-11-20T09:00:00.121Z');
    expect(lastHumanActivity('2026-11-20T09:00:40.000Z', write)).toBe('2026-11-20T09:00:40.000Z');
  });

  it('counts a comment by a person read just before the app writes, not the app\'s own', () => {
    const comments = [
      { created: '2026-11-20T08:59:30.000Z', author: { accountType: 'atlassian' } },
      { created: '2026-11-20T08:59:50.000Z', author: { accountType: 'app' } },
    ];
    expect(humanActivityBeforeWrite('2026-11-01T00:00:00.000Z', undefined, comments)).toBe('2026-11-20T08:59:30.000Z');
    expect(humanActivityBeforeWrite('2026-11-01T00:00:00.000Z', undefined, comments.slice(1))).toBe('2026-11-01T00:00:00.000Z');
  });
});

describe('activityDay', () => {
  it('rounds an instant down to its UTC day, whatever offset Jira wrote it with', () => {
    expect(activityDay('2026-10-30T15:00:00.000Z')).toBe('2026-10-30T00:00:00.000Z');
    expect(activityDay('2026-10-31T01:30:00.000+0200')).toBe('2026-10-30T00:00:00.000Z');
    expect(activityDay('2026-10-30T00:00:00.000Z')).toBe('2026-10-30T00:00:00.000Z');
  });
});
