import type { ActionItem, Postmortem, TimelineEntry } from '../contract/postmortem';
import { actionItemCounts, canTransition } from './postmortem-workflow';
import { deepEqual, mergePostmortems } from './postmortem-merge';
import { newPostmortem } from './postmortem-defaults';
import { validatePostmortem } from './postmortem-schema';

const alice = { kind: 'user' as const, id: 'acc-alice', displayName: 'Alice' };
const bob = { kind: 'user' as const, id: 'acc-bob', displayName: 'Bob' };
const sre = { kind: 'team' as const, id: 'SRE', displayName: 'SRE' };

const base = (): Postmortem =>
  newPostmortem({ title: 'Checkout outage', incidentKey: 'INC-42', actionItemProjectKey: 'OPS', actionItemIssueType: 'Task', owner: alice, detectedAt: '2026-11-20T10:12:00.000Z', resolvedAt: '2026-11-20T12:15:00.000Z' });

const ai = (id: string, extra: Partial<ActionItem> = {}): ActionItem => ({
  id,
  title: `Item ${id}`,
  description: '',
  owner: null,
  effort: 'low',
  impact: 'high',
  dueDate: null,
  state: 'proposed',
  ...extra,
});
const tl = (id: string, text: string, at: string | null = null): TimelineEntry => ({ id, at, kind: 'note', text });

describe('newPostmortem', () => {
  it('creates a draft with the summary sections in place', () => {
    expect(base()).toEqual({
      schema: 1,
      title: 'Checkout outage',
      status: 'draft',
      severity: 'SEV3',
      incidentKey: 'INC-42',
      summary: '',
      impact: '',
      timeline: [
        { id: 'timeline-detection', at: '2026-11-20T10:12:00.000Z', kind: 'detection', text: 'Incident detected' },
        { id: 'timeline-resolution', at: '2026-11-20T12:15:00.000Z', kind: 'resolution', text: 'Incident resolved' },
      ],
      rootCause: '',
      fiveWhys: [],
      whatFailed: [
        { category: 'detection', notes: '' },
        { category: 'escalation', notes: '' },
        { category: 'resilience', notes: '' },
        { category: 'documentation', notes: '' },
      ],
      actionItems: [],
      incidentOwner: alice,
      attendees: [],
      stakeholders: [],
      reviewMeetingAt: null,
      actionItemProjectKey: 'OPS',
      actionItemIssueType: 'Task',
      tags: [],
    });
  });

  it('leaves the timeline empty without incident times and takes the given severity and summary', () => {
    const pm = newPostmortem({ title: '  Search down ', actionItemProjectKey: 'OPS', actionItemIssueType: 'Task', severity: 'SEV1', summary: 'Search returned 500s.' });
    expect(pm.timeline).toEqual([]);
    expect(pm.title).toBe('Search down');
    expect(pm.severity).toBe('SEV1');
    expect(pm.summary).toBe('Search returned 500s.');
    expect(pm.incidentKey).toBeNull();
    expect(pm.incidentOwner).toBeNull();
  });

  it('produces a valid document', () => {
    expect(validatePostmortem(base())).toEqual({ ok: true, value: base() });
  });
});

describe('validatePostmortem', () => {
  it('reports field errors by dotted path', () => {
    const pm = {
      ...base(),
      title: '',
      incidentKey: 'inc 42',
      timeline: [{ id: 't1', at: '2026-02-30T10:00:00Z', kind: 'detection', text: 'x' }],
      actionItems: [ai('a1', { state: 'dropped' }), ai('a2', { dueDate: '2026-13-01', title: 'x'.repeat(256) })],
      tags: ['ok', 'x'.repeat(51)],
      attendees: [{ kind: 'team', id: ' ', displayName: '' }],
    };
    const r = validatePostmortem(pm);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fieldErrors).toEqual({
      title: 'Give the postmortem a title.',
      incidentKey: 'Use a Jira issue key such as INC-42.',
      'timeline.0.at': 'Use a date and time such as 2026-11-20T10:42:00Z.',
      'actionItems.0.dropReason': 'Say why the item is dropped, so the decision is visible later.',
      'actionItems.1.title': 'Keep the title to 255 characters (it becomes the Jira summary).',
      'actionItems.1.dueDate': 'Use a real date written YYYY-MM-DD.',
      'tags.1': 'Tags are at most 50 characters.',
      'attendees.0.id': 'Name the person or team.',
    });
  });

  it('rejects unknown fields and wrong versions', () => {
    const r = validatePostmortem({ ...base(), schema: 2, extra: true });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fieldErrors.schema).toBe('Unknown document version.');
    expect(Object.keys(r.fieldErrors)).toContain('postmortem');
    expect(validatePostmortem(null)).toEqual({ ok: false, fieldErrors: { postmortem: expect.any(String) } });
  });

  it('enforces count limits', () => {
    const r = validatePostmortem({
      ...base(),
      fiveWhys: Array.from({ length: 21 }, (_, i) => `why ${i}`),
      tags: Array.from({ length: 31 }, (_, i) => `t${i}`),
      timeline: Array.from({ length: 501 }, (_, i) => tl(`t${i}`, '')),
      summary: 'x'.repeat(20_001),
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fieldErrors).toEqual({
      fiveWhys: 'At most 20 whys.',
      tags: 'At most 30 tags.',
      timeline: 'A timeline holds at most 500 entries.',
      summary: 'Keep the summary under 20,000 characters.',
    });
  });

  it('rejects duplicate ids and duplicate what-failed prompts', () => {
    const pm = base();
    const r = validatePostmortem({ ...pm, actionItems: [ai('a1'), ai('a1')], whatFailed: [...pm.whatFailed.slice(0, 3), { category: 'detection', notes: '' }] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fieldErrors).toEqual({ 'actionItems.1.id': 'The id a1 is used twice.', 'whatFailed.3.category': 'The "detection" prompt appears twice.' });
  });

  it('rejects a document too big for a page property (32 KB, counted in UTF-8 bytes)', () => {
    const fits = { ...base(), summary: 'x'.repeat(15_000), rootCause: 'y'.repeat(15_000) };
    expect(validatePostmortem(fits).ok).toBe(true);
    // 12 000 three-byte characters are within the 20 000 character limit but take 36 000 bytes.
    const tooBig = { ...base(), summary: '€'.repeat(12_000) };
    const r = validatePostmortem(tooBig);
    expect(r).toEqual({ ok: false, fieldErrors: { postmortem: expect.stringMatching(/^The postmortem is 36 KB but a page can store at most 32 KB\. Shorten the largest parts \(summary, timeline\)/) } });
  });
});

describe('canTransition', () => {
  it.each([
    ['draft', 'in-review', true],
    ['in-review', 'reviewed', true],
    ['reviewed', 'published', true],
    ['in-review', 'draft', true],
    ['reviewed', 'in-review', true],
    ['draft', 'reviewed', false],
    ['draft', 'published', false],
    ['reviewed', 'draft', false],
    ['published', 'reviewed', false],
    ['published', 'draft', false],
    ['draft', 'draft', false],
    ['published', 'published', false],
  ] as const)('%s → %s: %s', (from, to, ok) => {
    expect(canTransition(from, to)).toBe(ok);
  });
});

describe('actionItemCounts', () => {
  it('counts by state and linked issue', () => {
    const pm = { ...base(), actionItems: [ai('1'), ai('2', { state: 'accepted', issue: { key: 'OPS-1', id: '10001' } }), ai('3', { state: 'accepted' }), ai('4', { state: 'dropped', dropReason: 'dup' })] };
    expect(actionItemCounts(pm)).toEqual({ proposed: 1, accepted: 2, dropped: 1, withIssue: 1 });
    expect(actionItemCounts(base())).toEqual({ proposed: 0, accepted: 0, dropped: 0, withIssue: 0 });
  });
});

describe('mergePostmortems', () => {
  it('returns the document unchanged when nobody changed anything', () => {
    expect(mergePostmortems(base(), base(), base())).toEqual({ merged: base(), conflicts: [] });
  });

  it('takes each scalar field from the side that changed it', () => {
    const b = base();
    const mine = { ...b, summary: 'My summary', severity: 'SEV2' as const };
    const theirs = { ...b, impact: 'Their impact', reviewMeetingAt: '2026-11-23T09:00:00.000Z' };
    const { merged, conflicts } = mergePostmortems(b, mine, theirs);
    expect(conflicts).toEqual([]);
    expect(merged).toEqual({ ...b, summary: 'My summary', severity: 'SEV2', impact: 'Their impact', reviewMeetingAt: '2026-11-23T09:00:00.000Z' });
  });

  it('keeps theirs and reports the path when both changed a field differently', () => {
    const b = base();
    const { merged, conflicts } = mergePostmortems(b, { ...b, rootCause: 'mine', title: 'Same' }, { ...b, rootCause: 'theirs', title: 'Same' });
    expect(merged.rootCause).toBe('theirs');
    expect(merged.title).toBe('Same');
    expect(conflicts).toEqual(['rootCause']);
  });

  it('compares object fields structurally', () => {
    const b = base();
    const { merged, conflicts } = mergePostmortems(b, { ...b, incidentOwner: { ...bob } }, { ...b, incidentOwner: { ...bob } });
    expect(merged.incidentOwner).toEqual(bob);
    expect(conflicts).toEqual([]);
    expect(mergePostmortems(b, { ...b, incidentOwner: bob }, { ...b, incidentOwner: sre }).conflicts).toEqual(['incidentOwner']);
  });

  it('merges action items by id: additions on both sides, my additions where I put them', () => {
    const b = { ...base(), actionItems: [ai('a1'), ai('a2')] };
    const mine = { ...b, actionItems: [ai('a1'), ai('m1'), ai('a2'), ai('m2')] };
    const theirs = { ...b, actionItems: [ai('t1'), ai('a1'), ai('a2')] };
    const { merged, conflicts } = mergePostmortems(b, mine, theirs);
    expect(merged.actionItems.map((a) => a.id)).toEqual(['t1', 'a1', 'm1', 'a2', 'm2']);
    expect(conflicts).toEqual([]);
  });

  it('deletes what one side deleted and the other left alone', () => {
    const b = { ...base(), actionItems: [ai('a1'), ai('a2'), ai('a3')] };
    const mine = { ...b, actionItems: [ai('a1'), ai('a3')] };
    const theirs = { ...b, actionItems: [ai('a1'), ai('a2')] };
    const { merged, conflicts } = mergePostmortems(b, mine, theirs);
    expect(merged.actionItems.map((a) => a.id)).toEqual(['a1']);
    expect(conflicts).toEqual([]);
  });

  it('keeps an item one side deleted and the other edited, and reports it', () => {
    const b = { ...base(), actionItems: [ai('a1'), ai('a2')] };
    const mine = { ...b, actionItems: [ai('a1')] };
    const theirs = { ...b, actionItems: [ai('a1'), ai('a2', { title: 'edited by them' })] };
    const r1 = mergePostmortems(b, mine, theirs);
    expect(r1.merged.actionItems.map((a) => a.title)).toEqual(['Item a1', 'edited by them']);
    expect(r1.conflicts).toEqual(['actionItems.a2']);
    // And the other way round.
    const r2 = mergePostmortems(b, theirs, mine);
    expect(r2.merged.actionItems.map((a) => a.title)).toEqual(['Item a1', 'edited by them']);
    expect(r2.conflicts).toEqual(['actionItems.a2']);
  });

  it('merges an item edited on both sides field by field', () => {
    const b = { ...base(), actionItems: [ai('a1', { dropReason: undefined })] };
    const mine = { ...b, actionItems: [ai('a1', { owner: sre, effort: 'medium', title: 'mine' })] };
    const theirs = { ...b, actionItems: [ai('a1', { issue: { key: 'OPS-7', id: '10007' }, state: 'accepted', title: 'theirs' })] };
    const { merged, conflicts } = mergePostmortems(b, mine, theirs);
    expect(merged.actionItems).toEqual([ai('a1', { owner: sre, effort: 'medium', issue: { key: 'OPS-7', id: '10007' }, state: 'accepted', title: 'theirs' })]);
    expect(Object.keys(merged.actionItems[0] ?? {})).not.toContain('dropReason');
    expect(conflicts).toEqual(['actionItems.a1.title']);
  });

  it('merges the timeline by id too', () => {
    const b = { ...base(), timeline: [tl('t1', 'one'), tl('t2', 'two')] };
    const mine = { ...b, timeline: [tl('t1', 'one, edited by me'), tl('t2', 'two'), tl('chat-1', 'pasted by me', '2026-11-20T10:00:00.000Z')] };
    const theirs = { ...b, timeline: [tl('t1', 'one'), tl('t2', 'two', '2026-11-20T10:30:00.000Z')] };
    const { merged, conflicts } = mergePostmortems(b, mine, theirs);
    expect(merged.timeline).toEqual([tl('t1', 'one, edited by me'), tl('t2', 'two', '2026-11-20T10:30:00.000Z'), tl('chat-1', 'pasted by me', '2026-11-20T10:00:00.000Z')]);
    expect(conflicts).toEqual([]);
  });

  it('merges what-failed notes per prompt', () => {
    const b = base();
    const set = (pm: Postmortem, category: string, notes: string) => ({ ...pm, whatFailed: pm.whatFailed.map((w) => (w.category === category ? { ...w, notes } : w)) });
    const mine = set(set(b, 'detection', 'No alert on queue depth'), 'resilience', 'mine');
    const theirs = set(set(b, 'documentation', 'Runbook was stale'), 'resilience', 'theirs');
    const { merged, conflicts } = mergePostmortems(b, mine, theirs);
    expect(merged.whatFailed).toEqual([
      { category: 'detection', notes: 'No alert on queue depth' },
      { category: 'escalation', notes: '' },
      { category: 'resilience', notes: 'theirs' },
      { category: 'documentation', notes: 'Runbook was stale' },
    ]);
    expect(conflicts).toEqual(['whatFailed.resilience.notes']);
  });

  it('takes the changed side of whys, tags and attendees, and the union when both changed', () => {
    const b = { ...base(), fiveWhys: ['w1', 'w2'], tags: ['checkout'], attendees: [alice] };
    const onlyMine = mergePostmortems(b, { ...b, fiveWhys: ['w1'] }, b);
    expect(onlyMine.merged.fiveWhys).toEqual(['w1']);

    const mine = { ...b, fiveWhys: ['w1', 'w2', 'w3 mine'], tags: ['checkout', 'payments'], attendees: [alice, bob] };
    const theirs = { ...b, fiveWhys: ['w1', 'w2', 'w3 theirs'], tags: ['db', 'checkout'], attendees: [sre, alice] };
    const { merged, conflicts } = mergePostmortems(b, mine, theirs);
    // My addition goes after w2, where I put it.
    expect(merged.fiveWhys).toEqual(['w1', 'w2', 'w3 mine', 'w3 theirs']);
    expect(merged.tags).toEqual(['db', 'checkout', 'payments']);
    expect(merged.attendees).toEqual([sre, alice, bob]);
    expect(conflicts).toEqual([]);
  });

  it('respects a removal on one side when both changed a list', () => {
    const b = { ...base(), fiveWhys: ['w1', 'w2 draft', 'w3'] };
    const mine = { ...b, fiveWhys: ['w1', 'w2 final', 'w3'] }; // I rewrote w2
    const theirs = { ...b, fiveWhys: ['w1', 'w2 draft', 'w3', 'w4'] }; // they added w4
    expect(mergePostmortems(b, mine, theirs).merged.fiveWhys).toEqual(['w1', 'w2 final', 'w3', 'w4']);
  });

  it('loses no text when both sides rewrote the same why', () => {
    const b = { ...base(), fiveWhys: ['w1'] };
    const { merged } = mergePostmortems(b, { ...b, fiveWhys: ['w1 by me'] }, { ...b, fiveWhys: ['w1 by them'] });
    expect(merged.fiveWhys).toEqual(['w1 by me', 'w1 by them']);
  });

  it('produces a valid document from valid inputs', () => {
    const b = { ...base(), actionItems: [ai('a1')] };
    const mine = { ...b, actionItems: [ai('a1'), ai('a2')], tags: ['x'] };
    const theirs = { ...b, actionItems: [ai('a1', { state: 'accepted' }), ai('a3')], tags: ['y'] };
    expect(validatePostmortem(mergePostmortems(b, mine, theirs).merged).ok).toBe(true);
  });
});

describe('deepEqual', () => {
  it('treats undefined properties as absent and compares arrays in order', () => {
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
    expect(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(deepEqual(null, {})).toBe(false);
    expect(deepEqual([], {})).toBe(false);
  });
});
