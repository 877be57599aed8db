/**
 * Posts the follow-ups of one batch (as the app). Each comment is posted at most once: the history decides
 * whether one is due (one per interval, at most the cap, then a single hand-over to the postmortem owner);
 * a claim lets only one run post a given follow-up; and before posting, the issue's recent comments are
 * checked for that follow-up, so a run that crashed after posting only records it.
 */
import { InvocationError, InvocationErrorCode, type AsyncEvent } from '@forge/events';
import { z } from 'zod';
import { malformed } from './malformed-event';
import { isCalendarDate } from '../domain/time-zone';
import { kvs } from '@forge/kvs';
import { JiraClient } from '../atlassian/jira';
import { describeReasons, followUpDecision, followUpReasons } from '../domain/follow-up';
import { followUpComment, followUpMarker, handoverComment, HANDOVER_MARKER, INCIDENT_REMINDER_MARKER, incidentReminderComment } from '../adf/follow-up-comment';
import { loadSettings } from '../store/settings';
import { claimComment, historyFor, recordFollowUp, recordHandover, recordReminder, releaseClaim, reminderSent } from '../store/follow-ups';
import { findByIncident, indexKey, type PostmortemIndexEntry } from '../store/postmortem-index';
import type { DueIncident, DueItem, FollowUpEvent } from './follow-up-trigger';
import { APP_ID, ISSUE_KEY } from '../domain/validation';
import { findAppComment } from '../services/app-comments';

/** The id of an app comment on the issue that carries this marker, if one was already posted. */
async function alreadyPosted(jira: JiraClient, issueKey: string, marker: string): Promise<{ id: string; created: string } | undefined> {
  return findAppComment(await jira.recentComments(issueKey), marker, { kind: 'app' });
}

async function postOnce(jira: JiraClient, issueKey: string, slot: string, marker: string, body: unknown): Promise<{ id: string; created: string } | undefined> {
  if (!(await claimComment(slot))) return undefined; // another run is posting (or just posted) this one
  try {
    return (await alreadyPosted(jira, issueKey, marker)) ?? (await jira.addComment(issueKey, body));
  } catch (e) {
    // Not posted (or not known to be): let the retry try again; it checks the comments first.
    await releaseClaim(slot).catch(() => undefined);
    throw e;
  }
}

async function followUpItem(jira: JiraClient, item: DueItem, defaultPriority: string | null): Promise<void> {
  const settings = await loadSettings();
  const now = new Date();
  const reasons = followUpReasons(item, settings, defaultPriority, now);
  if (!reasons.length) return;
  const history = await historyFor(item.key);
  const decision = followUpDecision(history, settings, now);
  const index = await kvs.entity<PostmortemIndexEntry>('postmortem').get(indexKey(item.item.pageId, item.item.localId));
  const owner = index?.ownerAccountId || null;
  const pageUrl = item.item.pageUrl;
  if (decision === 'post') {
    const n = history.count + 1;
    const marker = followUpMarker(n, settings.maxFollowUps);
    const body = followUpComment({
      to: { accountId: item.assigneeId ?? owner, fallback: 'postmortem owner' },
      reasons: describeReasons(reasons, item, settings, now),
      postmortemTitle: item.item.postmortemTitle,
      pageUrl,
      n,
      max: settings.maxFollowUps,
    });
    const posted = await postOnce(jira, item.key, `${item.key}:${n}`, marker, body);
    if (posted) await recordFollowUp(item.key, { at: posted.created ? new Date(posted.created).toISOString() : now.toISOString(), commentId: posted.id, reasons }, n);
  } else if (decision === 'flag-owner') {
    const body = handoverComment({ to: { accountId: owner ?? item.assigneeId, fallback: 'postmortem owner' }, postmortemTitle: item.item.postmortemTitle, pageUrl, followUps: history.count });
    const posted = await postOnce(jira, item.key, `${item.key}:handover`, HANDOVER_MARKER, body);
    if (posted) await recordHandover(item.key, now.toISOString());
  }
}

async function remindIncident(jira: JiraClient, incident: DueIncident): Promise<void> {
  if (await reminderSent(incident.key)) return;
  if ((await findByIncident(incident.key)).length) return; // it has its postmortem
  const settings = await loadSettings();
  const body = incidentReminderComment({ to: { accountId: incident.assigneeId, fallback: 'incident owner' }, resolvedOn: incident.resolved.slice(0, 10), businessDays: settings.postmortemDueBusinessDays });
  const posted = await postOnce(jira, incident.key, `${incident.key}:reminder`, INCIDENT_REMINDER_MARKER, body);
  if (posted) await recordReminder(incident.key, new Date().toISOString());
}

const issueKey = z.string().regex(ISSUE_KEY);
const instant = z.string().max(40).refine((t) => !Number.isNaN(Date.parse(t)), 'Not a date and time.');
const dueItemSchema = z.object({
  key: issueKey,
  assigneeId: z.string().min(1).max(128).nullable(),
  priorityName: z.string().max(255).nullable(),
  dueDate: z.string().refine(isCalendarDate, 'Not a YYYY-MM-DD date.').nullable(),
  updated: instant,
  item: z.object({ pageId: z.string().regex(APP_ID), localId: z.string().regex(APP_ID), postmortemTitle: z.string().max(1000), pageUrl: z.string().max(2048) }),
});
const eventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('items'), runDate: z.string().max(40), defaultPriority: z.string().max(255).nullable(), items: z.array(dueItemSchema).max(100) }),
  z.object({ kind: z.literal('incidents'), runDate: z.string().max(40), incidents: z.array(z.object({ key: issueKey, assigneeId: z.string().min(1).max(128).nullable(), resolved: instant })).max(100) }),
]);

export async function followUpConsumer(event: AsyncEvent): Promise<unknown> {
  // Only the app's daily run pushes here, but an event is still checked before any comment is posted.
  const parsed = eventSchema.safeParse(event?.body);
  if (!parsed.success) return malformed('follow-ups', parsed.error);
  const body: FollowUpEvent = parsed.data;
  const jira = JiraClient.asApp();
  try {
    if (body.kind === 'items') for (const item of body.items) await followUpItem(jira, item, body.defaultPriority);
    else for (const incident of body.incidents) await remindIncident(jira, incident);
    return undefined;
  } catch (e) {
    // Jira stayed unavailable or rate-limited beyond the client's retries: do the batch again later.
    // Items already handled are skipped by their history and claims.
    console.error('Follow-up batch failed; asking for a retry', e);
    return new InvocationError({ retryAfter: 60, retryReason: InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED });
  }
}
