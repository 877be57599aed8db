/**
 * The three-way merge that resolves a save conflict without losing anyone's text, and the insert-in-order step
 * the macro's conflict panel shares with it. Pure, no I/O, no zod: the Custom UI imports it.
 */
import type { ActionItem, ActionItemOwner, Postmortem, TimelineEntry, WhatFailedAnswer } from '../contract/postmortem';

/** Structural equality for JSON-like values; `undefined` properties count as absent. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!deepEqual(ao[k], bo[k])) return false;
  return true;
}

/** Whichever side changed; when both changed differently, theirs (already saved) wins and the path is reported. */
function mergeValue<T>(base: T, mine: T, theirs: T, path: string, conflicts: string[]): T {
  if (deepEqual(mine, theirs)) return theirs;
  if (deepEqual(mine, base)) return theirs;
  if (deepEqual(theirs, base)) return mine;
  conflicts.push(path);
  return theirs;
}

/** Field by field, for one item both sides kept. `base` is undefined when both added the same key. */
function mergeFields<T extends object>(base: T | undefined, mine: T, theirs: T, path: string, conflicts: string[]): T {
  const b = (base ?? {}) as Record<string, unknown>;
  const m = mine as Record<string, unknown>;
  const t = theirs as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const keys = [...new Set([...Object.keys(t), ...Object.keys(m), ...Object.keys(b)])];
  for (const k of keys) {
    const v = mergeValue(b[k], m[k], t[k], `${path}.${k}`, conflicts);
    if (v !== undefined) out[k] = v;
  }
  return out as T;
}

/**
 * Where `order[position]` goes in `list`: just after the nearest item that precedes it in `order` and is
 * already in `list`, or at the start. The one insert-in-order step: the merge places my additions with it,
 * and the macro's conflict panel places an item taken from one side (static/postmortem/src/conflicts.ts).
 */
export function insertionIndex<T>(list: readonly T[], order: readonly T[], position: number, keyOf: (x: T) => string): number {
  for (const anchor of order.slice(0, position).reverse()) {
    const idx = list.findIndex((x) => keyOf(x) === keyOf(anchor));
    if (idx >= 0) return idx + 1;
  }
  return 0;
}

/**
 * Puts each of `additions` (items of `mine`) after the nearest item that precedes it in `mine` and is already
 * in `result`, so an item added on my side lands where I put it.
 */
function insertInMyOrder<T>(result: T[], additions: Set<T>, mine: T[], keyOf: (x: T) => string): T[] {
  const out = [...result];
  for (const [i, item] of mine.entries()) {
    if (additions.has(item)) out.splice(insertionIndex(out, mine, i, keyOf), 0, item);
  }
  return out;
}

/**
 * Lists of items with an identity (timeline, action items, what-failed answers): added on either side → kept;
 * deleted on one side and untouched on the other → deleted; deleted on one side but edited on the other →
 * kept (edited) and reported; kept on both → merged field by field. Order: theirs, with my additions in place.
 */
function mergeKeyed<T extends object>(base: T[], mine: T[], theirs: T[], keyOf: (x: T) => string, path: string, conflicts: string[]): T[] {
  const baseBy = new Map(base.map((x) => [keyOf(x), x]));
  const mineBy = new Map(mine.map((x) => [keyOf(x), x]));
  const theirsBy = new Map(theirs.map((x) => [keyOf(x), x]));

  const result: T[] = [];
  for (const t of theirs) {
    const key = keyOf(t);
    const m = mineBy.get(key);
    const b = baseBy.get(key);
    if (m) result.push(mergeFields(b, m, t, `${path}.${key}`, conflicts));
    else if (!b) result.push(t); // they added it
    else if (!deepEqual(t, b)) {
      result.push(t); // I deleted what they edited: keep their edit, let the UI ask
      conflicts.push(`${path}.${key}`);
    } // else: I deleted it and they did not touch it
  }

  const additions = new Set<T>();
  for (const m of mine) {
    const key = keyOf(m);
    if (theirsBy.has(key)) continue;
    const b = baseBy.get(key);
    if (!b) additions.add(m); // I added it
    else if (!deepEqual(m, b)) {
      additions.add(m); // they deleted what I edited
      conflicts.push(`${path}.${key}`);
    }
  }
  return insertInMyOrder(result, additions, mine, keyOf);
}

/**
 * Lists of plain values (whys, tags, people): if only one side changed, that side; if both changed, the union
 * in their order with my additions in place, minus what either side removed (a removal is a decision too).
 */
function mergeUnion<T>(base: T[], mine: T[], theirs: T[], keyOf: (x: T) => string): T[] {
  if (deepEqual(mine, theirs) || deepEqual(mine, base)) return theirs;
  if (deepEqual(theirs, base)) return mine;
  const baseKeys = new Set(base.map(keyOf));
  const mineKeys = new Set(mine.map(keyOf));
  const theirsKeys = new Set(theirs.map(keyOf));
  const kept = theirs.filter((x) => !(baseKeys.has(keyOf(x)) && !mineKeys.has(keyOf(x))));
  const seen = new Set(kept.map(keyOf));
  const additions = new Set<T>();
  for (const m of mine) {
    const k = keyOf(m);
    if (!baseKeys.has(k) && !theirsKeys.has(k) && !seen.has(k)) {
      additions.add(m);
      seen.add(k);
    }
  }
  return insertInMyOrder(kept, additions, mine, keyOf);
}

const personKey = (p: ActionItemOwner) => `${p.kind}:${p.id}`;
const same = (s: string) => s;

export interface MergeResult {
  merged: Postmortem;
  /**
   * Dotted paths both sides changed differently; the merged document holds theirs, the UI shows both.
   * List items are addressed by id, not index: `actionItems.<id>.title`, `timeline.<id>`, `whatFailed.<category>.notes`.
   */
  conflicts: string[];
}

/**
 * Three-way merge for a save conflict: `base` is what I loaded, `mine` what I am saving, `theirs` what was
 * saved meanwhile. Nobody's text is silently lost: every field both sides changed is reported.
 */
export function mergePostmortems(base: Postmortem, mine: Postmortem, theirs: Postmortem): MergeResult {
  const conflicts: string[] = [];
  const scalar = <K extends keyof Postmortem>(k: K): Postmortem[K] => mergeValue(base[k], mine[k], theirs[k], k, conflicts);

  const merged: Postmortem = {
    schema: 1,
    title: scalar('title'),
    status: scalar('status'),
    severity: scalar('severity'),
    incidentKey: scalar('incidentKey'),
    summary: scalar('summary'),
    impact: scalar('impact'),
    timeline: mergeKeyed<TimelineEntry>(base.timeline, mine.timeline, theirs.timeline, (e) => e.id, 'timeline', conflicts),
    rootCause: scalar('rootCause'),
    fiveWhys: mergeUnion(base.fiveWhys, mine.fiveWhys, theirs.fiveWhys, same),
    whatFailed: mergeKeyed<WhatFailedAnswer>(base.whatFailed, mine.whatFailed, theirs.whatFailed, (w) => w.category, 'whatFailed', conflicts),
    actionItems: mergeKeyed<ActionItem>(base.actionItems, mine.actionItems, theirs.actionItems, (a) => a.id, 'actionItems', conflicts),
    incidentOwner: scalar('incidentOwner'),
    attendees: mergeUnion(base.attendees, mine.attendees, theirs.attendees, personKey),
    stakeholders: mergeUnion(base.stakeholders, mine.stakeholders, theirs.stakeholders, personKey),
    reviewMeetingAt: scalar('reviewMeetingAt'),
    actionItemProjectKey: scalar('actionItemProjectKey'),
    actionItemIssueType: scalar('actionItemIssueType'),
    tags: mergeUnion(base.tags, mine.tags, theirs.tags, same),
  };
  return { merged, conflicts };
}
