import { digestTitle, inWeek, previousWeek, publishLabels, publishRefusal, shortText, weekById, weekOf } from './publish';
import { publishEmail } from './publish-email';
import { newPostmortem } from './postmortem-defaults';

const owner = { kind: 'user' as const, id: 'u-owner', displayName: 'Olive Owner' };

describe('who may publish', () => {
  it('is the incident owner, on a reviewed postmortem, with edit rights', () => {
    expect(publishRefusal({ status: 'reviewed', incidentOwner: owner }, { accountId: 'u-owner', canEdit: true })).toBeUndefined();
    expect(publishRefusal({ status: 'reviewed', incidentOwner: owner }, { accountId: 'u-other', canEdit: true })).toBe('Only the incident owner, Olive Owner, can publish it.');
    expect(publishRefusal({ status: 'reviewed', incidentOwner: owner }, { accountId: 'u-owner', canEdit: false })).toBe('Only people who can edit this page can publish its postmortem.');
    expect(publishRefusal({ status: 'in-review', incidentOwner: owner }, { accountId: 'u-owner', canEdit: true })).toMatch(/move it to Reviewed first/);
  });

  it('is any page editor when the owner is a team or nobody', () => {
    expect(publishRefusal({ status: 'reviewed', incidentOwner: null }, { accountId: 'anyone', canEdit: true })).toBeUndefined();
    expect(publishRefusal({ status: 'reviewed', incidentOwner: { kind: 'team', id: 'SRE', displayName: 'SRE' } }, { accountId: 'anyone', canEdit: true })).toBeUndefined();
  });
});

describe('labels and text', () => {
  it('labels the page postmortem and its severity', () => {
    expect(publishLabels({ severity: 'SEV2' })).toEqual(['postmortem', 'sev2']);
  });
  it('cuts long text at a word', () => {
    expect(shortText('short')).toBe('short');
    expect(shortText('alpha beta gamma delta', 15)).toBe('alpha beta\u2026');
  });
});

describe('ISO weeks in a time zone', () => {
  it('numbers weeks by their Thursday, across year ends', () => {
    expect(weekOf(new Date('2026-11-18T12:00:00Z'), 'UTC')).toMatchObject({ id: '2026-W47', start: '2026-11-16', end: '2026-11-22' });
    expect(weekOf(new Date('2027-01-01T12:00:00Z'), 'UTC')).toMatchObject({ id: '2026-W53', start: '2026-12-28' });
    expect(weekOf(new Date('2025-12-30T12:00:00Z'), 'UTC')).toMatchObject({ id: '2026-W01', start: '2025-12-29' });
  });

  it('starts the week at local midnight on Monday', () => {
    const w = weekOf(new Date('2026-11-15T23:30:00Z'), 'Europe/Berlin'); // Monday 00:30 in Berlin
    expect(w).toMatchObject({ id: '2026-W47', startsAt: '2026-11-15T23:00:00.000Z', endsAt: '2026-11-22T23:00:00.000Z' });
    expect(inWeek(w, '2026-11-15T23:00:00.000Z')).toBe(true);
    expect(inWeek(w, '2026-11-22T23:00:00.000Z')).toBe(false);
    expect(inWeek(w, null)).toBe(false);
  });

  it('finds the previous week and weeks by id', () => {
    expect(previousWeek(new Date('2026-11-23T08:00:00Z'), 'UTC').id).toBe('2026-W47');
    expect(weekById('2026-W47', 'UTC')).toMatchObject({ start: '2026-11-16', end: '2026-11-22' });
    expect(weekById('2026-W53', 'UTC')?.start).toBe('2026-12-28');
    expect(weekById('2025-W53', 'UTC')).toBeUndefined();
    expect(weekById('2026-47', 'UTC')).toBeUndefined();
    expect(digestTitle(weekById('2026-W47', 'UTC')!)).toBe('Postmortem digest 2026-W47 (2026-11-16 to 2026-11-22)');
  });
});

describe('the announcement email', () => {
  it('carries the summary, the agreed action items and the link, with HTML escaped', () => {
    const pm = {
      ...newPostmortem({ title: 'Checkout <latency>', actionItemProjectKey: 'OPS', actionItemIssueType: 'Task', severity: 'SEV2' }),
      summary: 'Checkout was slow for 40 minutes.',
      actionItems: [
        { id: 'a', title: 'Alert on p99', description: '', owner: { kind: 'team' as const, id: 'SRE', displayName: 'SRE' }, effort: 'low' as const, impact: 'high' as const, dueDate: null, state: 'accepted' as const, issue: { key: 'OPS-1', id: '1' } },
        { id: 'b', title: 'Rewrite everything', description: '', owner: null, effort: 'high' as const, impact: 'low' as const, dueDate: null, state: 'dropped' as const, dropReason: 'no' },
      ],
    };
    const mail = publishEmail({ pm, pageUrl: 'https://x/wiki/pages/1', pageId: '1', localId: 'l', incidentUrl: null, publisherName: 'Olive' });
    expect(mail.subject).toBe('[Postmortem SEV2] Checkout <latency>');
    expect(mail.text).toContain('Checkout was slow for 40 minutes.');
    expect(mail.text).toContain('- Alert on p99 (OPS-1) \u2014 SRE (team)');
    expect(mail.text).not.toContain('Rewrite everything');
    expect(mail.html).toContain('Checkout &lt;latency&gt;');
    expect(mail.messageId).toBe('<pft-publish-1-l@postmortem-follow-through>');
  });
});
