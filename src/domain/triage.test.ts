import type { ActionItem, Level } from '../contract/postmortem';
import { orderForTriage, quadrantLabel, triageGrid, triageScore, validateActionItem } from './triage';

let n = 0;
const item = (impact: Level, effort: Level, extra: Partial<ActionItem> = {}): ActionItem => ({
  id: `ai-${++n}`,
  title: `${impact} impact / ${effort} effort`,
  description: '',
  owner: null,
  effort,
  impact,
  dueDate: null,
  state: 'proposed',
  ...extra,
});

describe('triageScore and orderForTriage', () => {
  it('orders the whole 3×3 grid: quick wins first, thankless tasks last', () => {
    const cells: [Level, Level][] = [
      ['low', 'high'],
      ['low', 'medium'],
      ['medium', 'high'],
      ['low', 'low'],
      ['medium', 'medium'],
      ['high', 'high'],
      ['medium', 'low'],
      ['high', 'medium'],
      ['high', 'low'],
    ];
    const ordered = orderForTriage(cells.map(([impact, effort]) => item(impact, effort)));
    expect(ordered.map((i) => `${i.impact}/${i.effort}`)).toEqual([
      'high/low',
      'high/medium',
      'medium/low',
      'high/high',
      'medium/medium',
      'low/low',
      'medium/high',
      'low/medium',
      'low/high',
    ]);
    const scores = ordered.map(triageScore);
    expect(new Set(scores).size).toBe(9);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('puts dropped items after all others and keeps ties in original order', () => {
    const a = item('high', 'low', { state: 'dropped', dropReason: 'duplicate' });
    const b = item('low', 'high');
    const c = item('medium', 'medium', { title: 'c' });
    const d = item('medium', 'medium', { title: 'd', state: 'accepted' });
    const e = item('low', 'high', { state: 'dropped', dropReason: 'not worth it' });
    const input = [a, b, c, d, e];
    expect(orderForTriage(input)).toEqual([c, d, b, a, e]);
    expect(input).toEqual([a, b, c, d, e]); // not mutated
  });
});

describe('triageGrid', () => {
  it('groups items by impact then effort, leaving dropped ones out unless asked', () => {
    const a = item('high', 'low');
    const b = item('high', 'low');
    const c = item('low', 'medium');
    const d = item('medium', 'high', { state: 'dropped', dropReason: 'x' });
    const grid = triageGrid([a, b, c, d]);
    expect(grid.high.low).toEqual([a, b]);
    expect(grid.low.medium).toEqual([c]);
    expect(grid.medium.high).toEqual([]);
    expect(Object.keys(grid)).toEqual(['low', 'medium', 'high']);
    expect(Object.keys(grid.low)).toEqual(['low', 'medium', 'high']);
    expect(triageGrid([d], { includeDropped: true }).medium.high).toEqual([d]);
  });
});

describe('quadrantLabel', () => {
  it.each([
    ['high', 'low', 'Quick win'],
    ['medium', 'low', 'Quick win'],
    ['high', 'medium', 'Major project'],
    ['high', 'high', 'Major project'],
    ['medium', 'medium', 'Major project'],
    ['medium', 'high', 'Major project'],
    ['low', 'low', 'Fill-in'],
    ['low', 'medium', 'Thankless task'],
    ['low', 'high', 'Thankless task'],
  ] as [Level, Level, string][])('impact %s, effort %s → %s', (impact, effort, label) => {
    expect(quadrantLabel({ impact, effort })).toBe(label);
  });
});

describe('validateActionItem', () => {
  it('accepts a complete item', () => {
    expect(validateActionItem(item('high', 'low', { dueDate: '2026-12-01', owner: { kind: 'team', id: 'SRE', displayName: 'SRE' } }))).toEqual({});
  });

  it('requires a title of at most 255 characters', () => {
    expect(validateActionItem(item('high', 'low', { title: '   ' }))).toEqual({ title: 'Give the action item a title.' });
    expect(validateActionItem(item('high', 'low', { title: 'x'.repeat(255) }))).toEqual({});
    expect(validateActionItem(item('high', 'low', { title: 'x'.repeat(256) }))).toEqual({
      title: 'Keep the title to 255 characters (it becomes the Jira summary); it has 256.',
    });
  });

  it('requires a reason to drop', () => {
    expect(validateActionItem(item('low', 'high', { state: 'dropped' }))).toEqual({ dropReason: 'Say why the item is dropped, so the decision is visible later.' });
    expect(validateActionItem(item('low', 'high', { state: 'dropped', dropReason: '  ' })).dropReason).toBeDefined();
    expect(validateActionItem(item('low', 'high', { state: 'dropped', dropReason: 'Covered by OPS-12' }))).toEqual({});
  });

  it('requires a real due date', () => {
    for (const dueDate of ['2026-02-30', '2026-13-01', '01/12/2026', '2026-12-1', '']) {
      expect(validateActionItem(item('high', 'low', { dueDate }))).toEqual({ dueDate: 'Due dates are real dates written YYYY-MM-DD.' });
    }
    expect(validateActionItem(item('high', 'low', { dueDate: '2028-02-29' }))).toEqual({});
  });

  it('requires a team name / user id for the owner', () => {
    expect(validateActionItem(item('high', 'low', { owner: { kind: 'team', id: ' ', displayName: '' } }))).toEqual({ 'owner.id': 'Name the team that owns this item.' });
    expect(validateActionItem(item('high', 'low', { owner: { kind: 'user', id: '', displayName: 'Alice' } }))).toEqual({ 'owner.id': 'Pick the person who owns this item.' });
    expect(validateActionItem(item('high', 'low', { owner: null }))).toEqual({});
  });

  it('reports bad levels and states from untyped input', () => {
    const bad = { ...item('high', 'low'), effort: 'huge', impact: 'none', state: 'done' } as unknown as ActionItem;
    expect(Object.keys(validateActionItem(bad)).sort()).toEqual(['effort', 'impact', 'state']);
  });
});
