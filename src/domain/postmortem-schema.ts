/**
 * The rules a stored postmortem document must pass (zod). Backend only: the Custom UI does not validate with
 * it, so no UI bundle carries zod. Pure, no I/O.
 */
import { z } from 'zod';
import { ACTION_ITEM_STATES, FAILURE_CATEGORIES, LEVELS, POSTMORTEM_STATUSES, SEVERITIES, TIMELINE_KINDS } from '../contract/postmortem';
import type { Postmortem } from '../contract/postmortem';
import { LIMITS } from './postmortem-defaults';
import { isCalendarDate } from './time-zone';
import { fieldErrorsOf, ISSUE_KEY, ITEM_ID, PROJECT_KEY } from './validation';

const notBlank = (s: string) => s.trim().length > 0;
const text = (label: string) => z.string({ error: `${label} must be text.` }).max(LIMITS.text, `Keep ${label} under ${LIMITS.text.toLocaleString('en-US')} characters.`);
const id = z.string().min(1, 'Every entry needs an id.').max(100, 'Ids are at most 100 characters.');
const instant = z.iso.datetime({ offset: true, error: 'Use a date and time such as 2026-11-20T10:42:00Z.' });
const calendarDate = z.string().refine(isCalendarDate, 'Use a real date written YYYY-MM-DD.');
const level = z.enum(LEVELS, { error: 'Choose low, medium or high.' });
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
    kind: z.enum(TIMELINE_KINDS, { error: 'Unknown kind of timeline entry.' }),
    text: text('a timeline entry'),
    author: z.string().max(255, 'Names are at most 255 characters.').optional(),
  })
  .strict();

const failureCategory = z.enum(FAILURE_CATEGORIES);

const actionItemSchema = z
  .object({
    id: z.string().regex(ITEM_ID, 'An action item id is 1–64 letters, digits or - _ . : (starting with a letter or digit); add the item again to get a new one.'),
    title: z.string().max(LIMITS.title, `Keep the title to ${LIMITS.title} characters (it becomes the Jira summary).`).refine(notBlank, 'Give the action item a title.'),
    description: text('the description'),
    owner: ownerSchema.nullable(),
    effort: level,
    impact: level,
    dueDate: calendarDate.nullable(),
    state: z.enum(ACTION_ITEM_STATES, { error: 'State must be proposed, accepted or dropped.' }),
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
    status: z.enum(POSTMORTEM_STATUSES, { error: 'Unknown status.' }),
    severity: z.enum(SEVERITIES, { error: 'Severity is SEV1 to SEV4.' }),
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
    actionItemProjectKey: z.string().regex(PROJECT_KEY, 'Use a Jira project key such as OPS.'),
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
