/**
 * The postmortem document model: a new document shaped like the essay's Postmortem Summary, the rules a
 * stored document must pass, the status workflow, and the three-way merge that resolves a save conflict
 * without losing anyone's text. Pure, no I/O.
 */
import { z } from 'zod';
import type {
  ActionItem,
  ActionItemOwner,
  FailureCategory,
  Postmortem,
  PostmortemStatus,
  Severity,
  TimelineEntry,
  WhatFailedAnswer,
} from '../contract/postmortem';
import { isCalendarDate } from './time-zone';
import { fieldErrorsOf, ISSUE_KEY, ITEM_ID } from './validation';

// ---------------------------------------------------------------------------------------------------------
// A new document

/** The essay's four "what failed" prompts, in the order the template asks them. */
export const FAILURE_CATEGORIES: readonly FailureCategory[] = ['detection', 'escalation', 'resilience', 'documentation'];

export const DEFAULT_SEVERITY: Severity = 'SEV3';

/** What each status is called, in the macro, the index and the export. */
export const POSTMORTEM_STATUS_LABEL: Record<PostmortemStatus, string> = { draft: 'Draft', 'in-review': 'In review', reviewed: 'Reviewed', published: 'Published' };

export interface NewPostmortemInput {
  title: string;
  incidentKey?: string | null;
  severity?: Severity;
  actionItemProjectKey: string;
  actionItemIssueType: string;
  /** The incident owner. */
  owner?: ActionItemOwner | null;
  summary?: string;
  /** ISO instants from the incident issue, if known: they seed the timeline. */
  detectedAt?: string | null;
  resolvedAt?: string | null;
}

/**
 * A draft with the Summary's sections in place: the timeline starts with the detection and resolution times
 * the incident issue already knows, the four "what failed" prompts wait for notes, and Action Items stay
 * empty until the meeting (as the essay asks).
 */
export function newPostmortem(input: NewPostmortemInput): Postmortem {
  const timeline: TimelineEntry[] = [];
  if (input.detectedAt) timeline.push({ id: 'timeline-detection', at: input.detectedAt, kind: 'detection', text: 'Incident detected' });
  if (input.resolvedAt) timeline.push({ id: 'timeline-resolution', at: input.resolvedAt, kind: 'resolution', text: 'Incident resolved' });
  return {
    schema: 1,
    title: input.title.trim(),
    status: 'draft',
    severity: input.severity ?? DEFAULT_SEVERITY,
    incidentKey: input.incidentKey ?? null,
    summary: input.summary ?? '',
    impact: '',
    timeline,
    rootCause: '',
    fiveWhys: [],
    whatFailed: FAILURE_CATEGORIES.map((category) => ({ category, notes: '' })),
    actionItems: [],
    incidentOwner: input.owner ?? null,
    attendees: [],
    stakeholders: [],
    reviewMeetingAt: null,
    actionItemProjectKey: input.actionItemProjectKey,
    actionItemIssueType: input.actionItemIssueType,
    tags: [],
  };
}

// ---------------------------------------------------------------------------------------------------------
// Validation

export const LIMITS = {
  title: 255,
  text: 20_000,
  timeline: 500,
  actionItems: 200,
  fiveWhys: 20,
  people: 100,
  tags: 30,
  tag: 50,
  /** A Confluence content property value holds at most 32 KB of JSON. */
  storedBytes: 32 * 1024,
} as const;

const notBlank = (s: string) => s.trim().length > 0;
const text = (label: string) => z.string({ error: `${label} must be text.` }).max(LIMITS.text, `Keep ${label} under ${LIMITS.text.toLocaleString('en-US')} characters.`);
const id = z.string().min(1, 'Every entry needs an id.').max(100, 'Ids are at most 100 characters.');
const instant = z.iso.datetime({ offset: true, error: 'Use a date and time such as 2026-11-20T10:42:00Z.' });
const calendarDate = z.string().refine(isCalendarDate, 'Use a real date written YYYY-MM-DD.');
const level = z.enum(['low', 'medium', 'high'], { error: 'Choose low, medium or high.' });
const issueKey = z.string().regex(ISSUE_KEY, 'Use a Jira issue key such as INC-42.');

const ownerSchema = z
  .object({
    kind: z.enum(['user', 'team'], { error: 'An owner is a person or a team.' }),
    id: z.string().max(255).refine(notBlank, 'Name the person or team.'),
    displayName: z.string().max(255, 'Names are at most 255 characters.'),
  })
  .strict();

const timelineEntrySchema = z
  .object({
    id,
    at: instant.nullable(),
    kind: z.enum(['initial-failure', 'detection', 'response', 'remediation', 'resolution', 'note'], { error: 'Unknown kind of timeline entry.' }),
    text: text('a timeline entry'),
    author: z.string().max(255, 'Names are at most 255 characters.').optional(),
  })
  .strict();

const failureCategory = z.enum(['detection', 'escalation', 'resilience', 'documentation']);

const actionItemSchema = z
  .object({
    id: z.string().regex(ITEM_ID, 'An action item id is 1–64 letters, digits or - _ . : (starting with a letter or digit); add the item again to get a new one.'),
    title: z.string().max(LIMITS.title, `Keep the title to ${LIMITS.title} characters (it becomes the Jira summary).`).refine(notBlank, 'Give the action item a title.'),
    description: text('the description'),
    owner: ownerSchema.nullable(),
    effort: level,
    impact: level,
    dueDate: calendarDate.nullable(),
    state: z.enum(['proposed', 'accepted', 'dropped'], { error: 'State must be proposed, accepted or dropped.' }),
    dropReason: text('the reason').optional(),
    fromFailure: failureCategory.optional(),
    issue: z.object({ key: issueKey, id: z.string().min(1).max(50) }).strict().optional(),
  })
  .strict()
  .refine((item) => item.state !== 'dropped' || (item.dropReason ?? '').trim().length > 0, {
    path: ['dropReason'],
    message: 'Say why the item is dropped, so the decision is visible later.',
  });

const whatFailedSchema = z.object({ category: failureCategory, notes: text('the notes') }).strict();

/** Duplicate ids would make merge-by-id and the Jira links ambiguous. */
function uniqueIds(items: { id: string }[], ctx: z.RefinementCtx, field: string) {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [field, i, 'id'], message: `The id ${item.id} is used twice.` });
    seen.add(item.id);
  });
}

export const postmortemSchema = z
  .object({
    schema: z.literal(1, { error: 'Unknown document version.' }),
    title: z.string().max(LIMITS.title, `Keep the title to ${LIMITS.title} characters.`).refine(notBlank, 'Give the postmortem a title.'),
    status: z.enum(['draft', 'in-review', 'reviewed', 'published'], { error: 'Unknown status.' }),
    severity: z.enum(['SEV1', 'SEV2', 'SEV3', 'SEV4'], { error: 'Severity is SEV1 to SEV4.' }),
    incidentKey: issueKey.nullable(),
    summary: text('the summary'),
    impact: text('the impact'),
    timeline: z.array(timelineEntrySchema).max(LIMITS.timeline, `A timeline holds at most ${LIMITS.timeline} entries.`),
    rootCause: text('the root cause'),
    fiveWhys: z.array(text('each why')).max(LIMITS.fiveWhys, `At most ${LIMITS.fiveWhys} whys.`),
    whatFailed: z.array(whatFailedSchema).max(FAILURE_CATEGORIES.length, 'Each "what failed" prompt appears once.'),
    actionItems: z.array(actionItemSchema).max(LIMITS.actionItems, `At most ${LIMITS.actionItems} action items per postmortem.`),
    incidentOwner: ownerSchema.nullable(),
    attendees: z.array(ownerSchema).max(LIMITS.people, `At most ${LIMITS.people} attendees.`),
    stakeholders: z.array(ownerSchema).max(LIMITS.people, `At most ${LIMITS.people} stakeholders.`),
    reviewMeetingAt: instant.nullable(),
    actionItemProjectKey: z.string().regex(/^[A-Z][A-Z0-9_]{1,9}$/, 'Use a Jira project key such as OPS.'),
    actionItemIssueType: z.string().max(60).refine(notBlank, 'Name the issue type for action items.'),
    tags: z
      .array(z.string().max(LIMITS.tag, `Tags are at most ${LIMITS.tag} characters.`).refine(notBlank, 'Tags cannot be empty.'))
      .max(LIMITS.tags, `At most ${LIMITS.tags} tags.`),
    // Read back as stored; the save resolver replaces it with the stored history (src/domain/owner-rule.ts).
    ownerChanges: z
      .array(z.object({ at: instant, byAccountId: z.string().max(128), byName: z.string().max(255), from: ownerSchema.nullable(), to: ownerSchema.nullable() }).strict())
      .max(500)
      .optional(),
  })
  .strict()
  .superRefine((pm, ctx) => {
    uniqueIds(pm.timeline, ctx, 'timeline');
    uniqueIds(pm.actionItems, ctx, 'actionItems');
    const categories = new Set<string>();
    pm.whatFailed.forEach((w, i) => {
      if (categories.has(w.category)) ctx.addIssue({ code: 'custom', path: ['whatFailed', i, 'category'], message: `The "${w.category}" prompt appears twice.` });
      categories.add(w.category);
    });
  });

export type PostmortemValidation = { ok: true; value: Postmortem } | { ok: false; fieldErrors: Record<string, string> };

function utf8Bytes(s: string): number {
  return new TextEncoder().encode(s).length;
}

/**
 * Checks a document before it is stored. Field errors are keyed by dotted path (`actionItems.3.title`);
 * a document that is valid field by field but too big for a page property gets the key `postmortem`.
 */
export function validatePostmortem(input: unknown): PostmortemValidation {
  const parsed = postmortemSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, fieldErrors: fieldErrorsOf(parsed.error, 'postmortem') };
  }
  const value = parsed.data;
  const bytes = utf8Bytes(JSON.stringify(value));
  if (bytes > LIMITS.storedBytes) {
    const largest = (Object.keys(value) as (keyof Postmortem)[])
      .map((k) => ({ k, size: utf8Bytes(JSON.stringify(value[k])) }))
      .sort((a, b) => b.size - a.size)
      .slice(0, 2)
      .map((x) => x.k);
    return {
      ok: false,
      fieldErrors: {
        postmortem: `The postmortem is ${Math.ceil(bytes / 1024)} KB but a page can store at most ${LIMITS.storedBytes / 1024} KB. Shorten the largest parts (${largest.join(', ')}) or link to details elsewhere.`,
      },
    };
  }
  return { ok: true, value };
}

// ---------------------------------------------------------------------------------------------------------
// Workflow and counts

export const STATUS_ORDER: readonly PostmortemStatus[] = ['draft', 'in-review', 'reviewed', 'published'];

/** Forward one step at a time, or back one step (to reopen a review); published is final. */
export function canTransition(from: PostmortemStatus, to: PostmortemStatus): boolean {
  const a = STATUS_ORDER.indexOf(from);
  const b = STATUS_ORDER.indexOf(to);
  if (a < 0 || b < 0 || from === 'published') return false;
  return b === a + 1 || b === a - 1;
}

export interface ActionItemCounts {
  proposed: number;
  accepted: number;
  dropped: number;
  /** Items that already have a Jira issue. */
  withIssue: number;
}

export function actionItemCounts(pm: Pick<Postmortem, 'actionItems'>): ActionItemCounts {
  const counts: ActionItemCounts = { proposed: 0, accepted: 0, dropped: 0, withIssue: 0 };
  for (const item of pm.actionItems) {
    counts[item.state]++;
    if (item.issue) counts.withIssue++;
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------------------
// Three-way merge

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
 * Puts each of `additions` (items of `mine`) after the nearest item that precedes it in `mine` and is already
 * in `result`, so an item added on my side lands where I put it.
 */
function insertInMyOrder<T>(result: T[], additions: Set<T>, mine: T[], keyOf: (x: T) => string): T[] {
  const out = [...result];
  for (let i = 0; i < mine.length; i++) {
    const item = mine[i];
    if (!additions.has(item)) continue;
    let at = 0;
    for (let j = i - 1; j >= 0; j--) {
      const idx = out.findIndex((x) => keyOf(x) === keyOf(mine[j]));
      if (idx >= 0) {
        at = idx + 1;
        break;
      }
    }
    out.splice(at, 0, item);
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
