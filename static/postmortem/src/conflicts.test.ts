/**
 * The conflict panel's paths: reading a value at a conflict path, taking one side's value into the merged
 * document (nothing either side wrote elsewhere is lost), and describing paths and values for people.
 */
import { describe, expect, it } from '@jest/globals';
import '../../../test/support/custom-ui-bridge';
import type { ActionItem, Postmortem, TimelineEntry } from '../../../src/contract/postmortem';
import { newPostmortem } from '../../../src/domain/postmortem-defaults';
import { mergePostmortems } from '../../../src/domain/postmortem-merge';
import { describePath, readable, takeFrom, valueAt } from './conflicts';

const entry = (id: string, text: string, at: string | null = '2026-11-02T09:00:00Z'): TimelineEntry => ({ id, at, kind: 'note', text });
const item = (id: string, title: string, over: Partial<ActionItem> = {}): ActionItem => ({
  id, title, description: '', owner: null, effort: 'low', impact: 'high', dueDate: null, state: 'proposed', ...over,
});

/** Deeply frozen, so any test that mutates an input fails. */
function frozen<T>(x: T): T {
  if (x && typeof x === 'object') {
    for (const v of Object.values(x)) frozen(v);
    Object.freeze(x);
  }
  return x;
}

const base = (): Postmortem => ({
  ...newPostmortem({ title: 'Checkout outage', actionItemProjectKey: 'OPS', actionItemIssueType: 'Task' }),
  summary: 'Payments failed.',
  timeline: [entry('t1', 'alert fired'), entry('t2', 'acked')],
  actionItems: [item('a1', 'Add alert'), item('a2', 'Runbook')],
});

describe('valueAt', () => {
  const pm = frozen({ ...base(), actionItems: [item('a1', 'Add alert', { dropReason: 'dup' })] });

  it('reads top-level fields, list items by key, and their fields', () => {
    expect(valueAt(pm, 'summary')).toBe('Payments failed.');
    expect(valueAt(pm, 'timeline.t2')).toEqual(entry('t2', 'acked'));
    expect(valueAt(pm, 'timeline.t2.text')).toBe('acked');
    expect(valueAt(pm, 'actionItems.a1.dropReason')).toBe('dup');
    expect(valueAt(pm, 'whatFailed.escalation.notes')).toBe('');
  });

  it('is undefined for an item or field that is absent', () => {
    expect(valueAt(pm, 'timeline.nope')).toBeUndefined();
    expect(valueAt(pm, 'timeline.nope.text')).toBeUndefined();
    expect(valueAt(pm, 'actionItems.a1.issue')).toBeUndefined();
  });
});

describe('takeFrom', () => {
  it('takes one field of an item from the chosen side and keeps the item\'s other fields', () => {
    const target = frozen({ ...base(), actionItems: [item('a1', 'Add alert (theirs)', { description: 'their notes' }), item('a2', 'Runbook')] });
    const mine = frozen({ ...base(), actionItems: [item('a1', 'Add paging alert', { description: 'my notes' }), item('a2', 'Runbook')] });
    const out = takeFrom(target, mine, 'actionItems.a1.title');
    expect(out.actionItems[0]).toEqual(item('a1', 'Add paging alert', { description: 'their notes' }));
    expect(out.actionItems[1]).toBe(target.actionItems[1]);
  });

  it('removes a field the chosen side no longer has', () => {
    const target = frozen({ ...base(), actionItems: [item('a1', 'Add alert', { state: 'dropped', dropReason: 'duplicate' })] });
    const mine = frozen({ ...base(), actionItems: [item('a1', 'Add alert', { state: 'dropped' })] });
    const out = takeFrom(target, mine, 'actionItems.a1.dropReason');
    expect(out.actionItems).toHaveLength(1);
    expect('dropReason' in (out.actionItems[0] ?? {})).toBe(false);
  });

  it('puts back an item only the chosen side kept, after the item that precedes it there', () => {
    const target = frozen({ ...base(), timeline: [entry('t1', 'alert fired'), entry('t3', 'their entry')] });
    const mine = frozen({ ...base(), timeline: [entry('t1', 'alert fired'), entry('t2', 'acked, investigating'), entry('t3', 'their entry')] });
    expect(takeFrom(target, mine, 'timeline.t2').timeline.map((e) => e.id)).toEqual(['t1', 't2', 't3']);
    // A field path of an item the target lost brings back the whole item.
    expect(takeFrom(target, mine, 'timeline.t2.text').timeline).toEqual(mine.timeline);
  });

  it('puts an item first when nothing before it in the chosen side is in the target', () => {
    const target = frozen({ ...base(), timeline: [entry('t9', 'theirs')] });
    const mine = frozen({ ...base(), timeline: [entry('t0', 'first'), entry('t9', 'theirs')] });
    expect(takeFrom(target, mine, 'timeline.t0').timeline.map((e) => e.id)).toEqual(['t0', 't9']);
  });

  it('removes an item the chosen side deleted, and changes nothing for an item neither has', () => {
    const target = frozen(base());
    const theirs = frozen({ ...base(), actionItems: [item('a2', 'Runbook')] });
    expect(takeFrom(target, theirs, 'actionItems.a1').actionItems.map((a) => a.id)).toEqual(['a2']);
    expect(takeFrom(target, theirs, 'actionItems.zz').actionItems).toEqual(target.actionItems);
  });

  it('takes a what-failed answer by its category', () => {
    const mine = frozen({ ...base(), whatFailed: base().whatFailed.map((w) => (w.category === 'detection' ? { ...w, notes: 'no alert on 5xx' } : w)) });
    const out = takeFrom(frozen(base()), mine, 'whatFailed.detection.notes');
    expect(out.whatFailed.find((w) => w.category === 'detection')?.notes).toBe('no alert on 5xx');
    expect(out.whatFailed.map((w) => w.category)).toEqual(base().whatFailed.map((w) => w.category));
  });

  it('resolving a merge conflict for my side keeps both sides\' other text', () => {
    const b = frozen(base());
    const mine = frozen({ ...base(), summary: 'Payments failed for 40 minutes.', timeline: [...b.timeline, entry('m1', 'my entry', '2026-11-02T10:00:00Z')] });
    const theirs = frozen({ ...base(), summary: 'Card payments failed.', rootCause: 'Expired certificate.', actionItems: [...b.actionItems, item('x1', 'Rotate certs')] });
    const { merged, conflicts } = mergePostmortems(b, mine, theirs);
    expect(conflicts).toEqual(['summary']);
    expect(merged.summary).toBe('Card payments failed.');
    const resolved = conflicts.reduce((doc, path) => takeFrom(doc, mine, path), merged);
    expect(resolved.summary).toBe('Payments failed for 40 minutes.');
    expect(resolved.rootCause).toBe('Expired certificate.');
    expect(resolved.timeline.map((e) => e.id)).toEqual(['t1', 't2', 'm1']);
    expect(resolved.actionItems.map((a) => a.id)).toEqual(['a1', 'a2', 'x1']);
    // Taking theirs instead leaves the merge as it was.
    expect(conflicts.reduce((doc, path) => takeFrom(doc, theirs, path), merged)).toEqual(merged);
  });
});

describe('describePath', () => {
  const pm = frozen({ ...base(), timeline: [entry('t1', `A very long timeline entry that goes on and on ${'x'.repeat(40)}`)] });

  it('names fields, items and what-failed answers in words', () => {
    expect(describePath('summary', pm, pm)).toBe('Summary');
    expect(describePath('reviewMeetingAt', pm, pm)).toBe('Review meeting');
    expect(describePath('actionItems.a2.dueDate', pm, pm)).toBe('Action item “Runbook” — due date');
    expect(describePath('actionItems.a2.dropReason', pm, pm)).toBe('Action item “Runbook” — reason for dropping');
    expect(describePath('timeline.t1.at', pm, pm)).toMatch(/^Timeline entry “.{47}…” — time$/);
    expect(describePath('whatFailed.escalation.notes', pm, pm)).toBe('What failed: Escalation — notes');
    expect(describePath('tags', pm, pm)).toBe('tags');
  });

  it('finds an item on either side, else names it by its id', () => {
    const theirs = frozen({ ...base(), actionItems: [item('x1', 'Rotate certs')] });
    expect(describePath('actionItems.x1', pm, theirs)).toBe('Action item “Rotate certs”');
    expect(describePath('actionItems.a1', pm, theirs)).toBe('Action item “Add alert”');
    expect(describePath('actionItems.gone', pm, theirs)).toBe('Action item “gone”');
  });
});

describe('readable', () => {
  const zone = 'Europe/Berlin';
  const dateTime = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZone: zone });

  it('says removed and empty in words, and shows instants in the site zone', () => {
    expect(readable(undefined, zone)).toBe('(removed)');
    expect(readable(null, zone)).toBe('(empty)');
    expect(readable('', zone)).toBe('(empty)');
    expect(readable('2026-12-31T23:30:00Z', zone)).toBe(dateTime.format(new Date('2026-12-31T23:30:00Z')));
    expect(readable('2026-12-31T23:30:00Z', zone)).toContain('2027');
    expect(readable(3, zone)).toBe('3');
    expect(readable(false, zone)).toBe('false');
  });

  it('describes owners, lists, timeline entries and action items', () => {
    expect(readable({ kind: 'team', id: 'sre', displayName: 'SRE' }, zone)).toBe('SRE (team)');
    expect(readable([{ kind: 'user', id: 'u1', displayName: '' }, 'plain'], zone)).toBe('u1 (person), plain');
    expect(readable({ ...entry('t1', 'acked'), author: 'Ana' }, zone)).toBe(`${dateTime.format(new Date('2026-11-02T09:00:00Z'))} · note · Ana: acked`);
    expect(readable(item('a1', 'Add alert', { owner: { kind: 'user', id: 'u1', displayName: 'Ana' }, dueDate: '2026-12-01' }), zone)).toBe('Add alert · proposed · effort low, impact high · Ana · due 2026-12-01');
    expect(readable(item('a1', 'Add alert'), zone)).toBe('Add alert · proposed · effort low, impact high · no owner');
    expect(readable({ category: 'detection', notes: '' }, zone)).toBe('(empty)');
  });
});
