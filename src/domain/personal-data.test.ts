import type { Postmortem } from '../contract/postmortem';
import { anonymisePostmortem, earlier, FORMER_USER, mentionsIn, refreshNames, reportedUpdatedAt, sameDocument, type KnownAccount } from './personal-data';

const ROBIN = '557058:robin';
const EDEN = '557058:eden';
const robin: KnownAccount = { accountId: ROBIN, names: ['Robin Roe'], emails: ['robin@example.com'] };

function postmortem(over: Partial<Postmortem> = {}): Postmortem {
  return {
    schema: 1,
    title: 'Checkout latency',
    status: 'reviewed',
    severity: 'SEV2',
    incidentKey: null,
    summary: 'Robin Roe restarted the pool; nothing people wrote is changed.',
    impact: '',
    timeline: [
      { id: 't1', at: '2026-11-02T10:00:00Z', kind: 'detection', text: 'alarm', author: ' robin roe ' },
      { id: 't2', at: '2026-11-02T10:05:00Z', kind: 'response', text: 'paged', author: 'Eden Editor' },
      { id: 't3', at: null, kind: 'note', text: 'no author' },
    ],
    rootCause: '',
    fiveWhys: [],
    whatFailed: [],
    actionItems: [
      { id: 'a', title: 'Fix', description: '', owner: { kind: 'user', id: 'Robin@Example.com', displayName: 'Robin Roe' }, effort: 'low', impact: 'high', dueDate: null, state: 'accepted' },
      { id: 'b', title: 'Team', description: '', owner: { kind: 'team', id: 'Robin Roe', displayName: 'Robin Roe' }, effort: 'low', impact: 'high', dueDate: null, state: 'accepted' },
      { id: 'c', title: 'None', description: '', owner: null, effort: 'low', impact: 'high', dueDate: null, state: 'proposed' },
    ],
    incidentOwner: { kind: 'user', id: ROBIN, displayName: 'Robin Roe' },
    attendees: [{ kind: 'user', id: EDEN, displayName: 'Eden Editor' }, { kind: 'user', id: ROBIN, displayName: 'Robin R.' }],
    stakeholders: [],
    reviewMeetingAt: null,
    actionItemProjectKey: 'OPS',
    actionItemIssueType: 'Task',
    tags: [],
    ownerChanges: [{ at: '2026-11-03T10:00:00Z', byAccountId: ROBIN, byName: 'Robin Roe', from: { kind: 'user', id: EDEN, displayName: 'Eden Editor' }, to: { kind: 'user', id: ROBIN, displayName: 'Robin Roe' } }],
    ...over,
  };
}

describe('anonymisePostmortem (a closed account becomes "Former user")', () => {
  const out = anonymisePostmortem(postmortem(), [robin]);

  it('turns every owner who is the person, by account id or a known email, into Former user with the account id', () => {
    const former = { kind: 'user', id: ROBIN, displayName: FORMER_USER };
    expect(out.incidentOwner).toEqual(former);
    expect(out.attendees).toEqual([{ kind: 'user', id: EDEN, displayName: 'Eden Editor' }, former]);
    expect(out.actionItems[0]?.owner).toEqual(former); // the email (any case) is replaced by the account id
    expect(out.ownerChanges![0]).toEqual({ at: '2026-11-03T10:00:00Z', byAccountId: ROBIN, byName: FORMER_USER, from: { kind: 'user', id: EDEN, displayName: 'Eden Editor' }, to: former });
  });

  it('renames a pasted line whose author is exactly one of their names (case and spaces aside), and no other', () => {
    expect(out.timeline.map((t) => t.author)).toEqual([FORMER_USER, 'Eden Editor', undefined]);
  });

  it('keeps the text people wrote, and a team that happens to share the name', () => {
    expect(out.summary).toBe(postmortem().summary);
    expect(out.timeline.map((t) => t.text)).toEqual(['alarm', 'paged', 'no author']);
    expect(out.actionItems[1]?.owner).toEqual({ kind: 'team', id: 'Robin Roe', displayName: 'Robin Roe' });
  });

  it('leaves no name or email of the person in the stored fields it owns, and changes nothing a second time', () => {
    const { summary: _summary, ...rest } = out;
    const json = JSON.stringify({ ...rest, actionItems: rest.actionItems.filter((i) => i.owner?.kind !== 'team') }).toLowerCase();
    expect(json).not.toContain('robin roe');
    expect(json).not.toContain('robin@example.com');
    expect(json).not.toContain('robin r.');
    expect(sameDocument(anonymisePostmortem(out, [robin]), out)).toBe(true);
  });

  it('changes nothing for people who are not closed', () => {
    expect(anonymisePostmortem(postmortem(), [])).toEqual(postmortem());
    expect(anonymisePostmortem(postmortem(), [{ accountId: '557058:other', names: [], emails: [] }])).toEqual(postmortem());
  });

  it('never matches "Former user" itself as a name', () => {
    const pm = postmortem({ timeline: [{ id: 't', at: null, kind: 'note', text: 'x', author: FORMER_USER }] });
    expect(anonymisePostmortem(pm, [{ ...robin, names: [FORMER_USER] }]).timeline[0]?.author).toBe(FORMER_USER);
  });
});

describe('refreshNames (an updated account)', () => {
  it('replaces the stored name wherever the account id is stored, and nothing typed as an email or a team', () => {
    const out = refreshNames(postmortem(), new Map([[ROBIN, 'Robin Okafor']]));
    expect(out.incidentOwner).toEqual({ kind: 'user', id: ROBIN, displayName: 'Robin Okafor' });
    expect(out.attendees[1]?.displayName).toBe('Robin Okafor');
    expect(out.ownerChanges?.[0]?.byName).toBe('Robin Okafor');
    expect(out.actionItems[0]?.owner?.displayName).toBe('Robin Roe');
    expect(out.actionItems[1]?.owner?.displayName).toBe('Robin Roe');
    expect(refreshNames(out, new Map([[ROBIN, 'Robin Okafor']]))).toEqual(out);
  });
});

describe('mentionsIn', () => {
  it('lists every account and typed email with the name stored, and no team', () => {
    const refs = mentionsIn(postmortem()).map((m) => `${m.kind}:${m.ref}:${m.name}`);
    expect(refs).toEqual(expect.arrayContaining([`account:${ROBIN}:Robin Roe`, `account:${EDEN}:Eden Editor`, 'email:robin@example.com:Robin Roe', `account:${ROBIN}:Robin R.`]));
    expect(refs.some((r) => r.includes('team'))).toBe(false);
  });

  it('leaves out an id that cannot be an account id (one bad id could fail a whole report)', () => {
    const pm = postmortem({ attendees: [{ kind: 'user', id: 'Some Person', displayName: 'Some Person' }], incidentOwner: null, actionItems: [], ownerChanges: [] });
    expect(mentionsIn(pm)).toEqual([]);
  });
});

describe('reportedUpdatedAt', () => {
  it('is when the app last fetched the name, else since when it stores the person', () => {
    expect(reportedUpdatedAt({ storedSince: '2026-01-01T00:00:00Z' })).toBe('2026-01-01T00:00:00Z');
    expect(reportedUpdatedAt({ storedSince: '2026-01-01T00:00:00Z', checkedAt: '2026-02-01T00:00:00Z' })).toBe('2026-02-01T00:00:00Z');
    expect(earlier('2026-02-01T00:00:00Z', '2026-01-01T00:00:00+01:00')).toBe('2026-01-01T00:00:00+01:00');
    expect(earlier(undefined, 'x')).toBe('x');
  });
});
