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
import { describeReasons, followUpDecision, followUpReasons, nudgesSince, postmortemOverdue, type OpenItem } from '../domain/follow-up';
import { humanActivityBeforeWrite, lastHumanActivity } from '../domain/human-activity';
import { FOLLOW_UP_PROPERTY, type FollowUpProperty } from '../domain/action-item-issue';
import { followUpComment, followUpMarker, handoverComment, HANDOVER_MARKER, INCIDENT_REMINDER_MARKER, incidentReminderComment } from '../adf/follow-up-comment';
import { loadSettings } from '../store/settings';
import { cadenceOf, claimComment, historyFor, recordFollowUp, recordHandover, recordReminder, releaseClaim, reminderSent } from '../store/follow-ups';
import { findByIncident } from '../store/postmortem-index';
import { indexKey, type PostmortemIndexEntry } from '../domain/postmortem-index';
import type { DueIncident, DueItem, FollowUpEvent } from './follow-up-trigger';
import { APP_ID, ISSUE_KEY } from '../domain/validation';
import { findAppComment } from '../services/app-comments';

type Comment = Awaited<ReturnType<JiraClient['recentComments']>>[number];

/**
 * Posts once: the claim keeps other runs out, and an app comment with this marker posted after the app's
 * last recorded write (a run that crashed before recording it) is taken instead of posting again. The
 * comments read for that also show whether a person commented since the job searched.
 */
async function postOnce(jira: JiraClient, issueKey: string, slot: string, marker: string, body: unknown, after: string | null): Promise<{ posted?: { id: string; created: string }; comments: Comment[] }> {
  if (!(await claimComment(slot))) return { comments: [] }; // another run is posting (or just posted) this one
  try {
    const comments = await jira.recentComments(issueKey);
    const since = after ? Date.parse(after) : -Infinity;
    const earlier = findAppComment(comments.filter((c) => Date.parse(c.created) > since), marker, { kind: 'app' });
    return { posted: earlier ?? (await jira.addComment(issueKey, body)), comments };
  } catch (e) {
    // Not posted (or not known to be): let the retry try again; it checks the comments first.
    await releaseClaim(slot).catch(() => undefined);
    throw e;
  }
}

/**
 * Keeps the human activity the app knew of in its follow-up property (`pmHumanActivityAt`), so tomorrow's JQL
 * still finds the item although the app's comment bumped `updated`; written only when it changed (the first
 * follow-up after a person acted). Best effort: the decision itself reads the record in Forge storage, and a
 * failed write only delays the next follow-up until `updated` is old.
 */
async function noteHumanActivity(jira: JiraClient, due: DueItem, humanActivityAt: string): Promise<void> {
  if (due.notedHumanActivityAt && Date.parse(due.notedHumanActivityAt) === Date.parse(humanActivityAt)) return;
  try {
    const value: FollowUpProperty = { humanActivityAt };
    await jira.setIssueProperty(due.key, FOLLOW_UP_PROPERTY, value);
  } catch (e) {
    console.warn(`Could not note the last human activity on ${due.key}`, e);
  }
}

const isoOf = (t: string | undefined, fallback: Date) => (t && !Number.isNaN(Date.parse(t)) ? new Date(t).toISOString() : fallback.toISOString());

async function followUpItem(jira: JiraClient, due: DueItem, defaultPriority: string | null): Promise<void> {
  const settings = await loadSettings();
  const now = new Date();
  const stored = await historyFor(due.key);
  const humanAt = lastHumanActivity(due.updated, stored.appWrite);
  const item: OpenItem = { key: due.key, assigneeId: due.assigneeId, priorityName: due.priorityName, dueDate: due.dueDate, lastHumanActivity: humanAt, impactPriority: due.impactPriority };
  const reasons = followUpReasons(item, settings, defaultPriority, now);
  if (!reasons.length) return;
  const history = cadenceOf(stored);
  const decision = followUpDecision(history, humanAt, settings, now);
  if (decision !== 'post' && decision !== 'flag-owner') return;
  const index = await kvs.entity<PostmortemIndexEntry>('postmortem').get(indexKey(due.item.pageId, due.item.localId));
  const owner = index?.ownerAccountId || null;
  const pageUrl = due.item.pageUrl;
  if (decision === 'post') {
    const n = nudgesSince(history, humanAt) + 1;
    const body = followUpComment({
      to: { accountId: due.assigneeId ?? owner, fallback: 'there' },
      reasons: describeReasons(reasons, item, settings, now),
      postmortemTitle: due.item.postmortemTitle,
      pageUrl,
      n,
      max: settings.maxFollowUps,
    });
    // The slot counts every follow-up ever posted on the issue: a new cycle after a person acted gets new slots.
    const { posted, comments } = await postOnce(jira, due.key, `${due.key}:${history.nudges.length + 1}`, followUpMarker(n, settings.maxFollowUps), body, history.lastWriteAt);
    if (!posted) return;
    const humanBefore = humanActivityBeforeWrite(due.updated, stored.appWrite, comments.filter((c) => c.id !== posted.id));
    await recordFollowUp(due.key, { at: isoOf(posted.created, now), commentId: posted.id, reasons }, humanBefore);
    await noteHumanActivity(jira, due, humanBefore);
  } else {
    const body = handoverComment({ to: { accountId: owner ?? due.assigneeId, fallback: 'there' }, postmortemTitle: due.item.postmortemTitle, pageUrl, followUps: nudgesSince(history, humanAt) });
    const { posted, comments } = await postOnce(jira, due.key, `${due.key}:handover:${history.nudges.length}`, HANDOVER_MARKER, body, history.lastWriteAt);
    if (!posted) return;
    const humanBefore = humanActivityBeforeWrite(due.updated, stored.appWrite, comments.filter((c) => c.id !== posted.id));
    await recordHandover(due.key, isoOf(posted.created, now), humanBefore);
    await noteHumanActivity(jira, due, humanBefore);
  }
}

async function remindIncident(jira: JiraClient, incident: DueIncident): Promise<void> {
  const settings = await loadSettings();
  // The search's cut-off is exact only in the zone Jira reads its date-time in; the rule itself decides.
  if (!postmortemOverdue(new Date(incident.resolved), settings, new Date())) return;
  if (await reminderSent(incident.key)) return;
  if ((await findByIncident(incident.key)).length) return; // it has its postmortem
  const body = incidentReminderComment({ to: { accountId: incident.assigneeId, fallback: 'there' }, resolvedOn: incident.resolved.slice(0, 10), businessDays: settings.postmortemDueBusinessDays });
  const { posted } = await postOnce(jira, incident.key, `${incident.key}:reminder`, INCIDENT_REMINDER_MARKER, body, null);
  if (posted) await recordReminder(incident.key, new Date().toISOString());
}

const issueKey = z.string().regex(ISSUE_KEY);
const instant = z.string().max(40).refine((t) => !Number.isNaN(Date.parse(t)), 'Not a date and time.');
const dueItemSchema = z.object({
  key: issueKey,
  assigneeId: z.string().min(1).max(128).nullable(),
  priorityName: z.string().max(255).nullable(),
  impactPriority: z.string().max(255).nullable().default(null),
  dueDate: z.string().refine(isCalendarDate, 'Not a YYYY-MM-DD date.').nullable(),
  updated: instant,
  notedHumanActivityAt: instant.nullable().default(null),
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
