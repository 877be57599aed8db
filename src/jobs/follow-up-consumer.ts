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
import { JiraClient, type SearchedIssue } from '../atlassian/jira';
import { describeReasons, followUpDecision, followUpReasons, nudgesSince, postmortemOverdue, type OpenItem } from '../domain/follow-up';
import { activityDay, humanActivityBeforeWrite, lastHumanActivity, type AppWrite } from '../domain/human-activity';
import { FOLLOW_UP_PROPERTY, type FollowUpProperty } from '../domain/action-item-issue';
import { followUpComment, followUpMarker, handoverComment, HANDOVER_MARKER, INCIDENT_REMINDER_MARKER, incidentReminderComment } from '../adf/follow-up-comment';
import { loadSettings } from '../store/settings';
import { cadenceOf, claimComment, historyFor, markClaimUncertain, recordFollowUp, recordHandover, recordReminder, releaseRecovery, reminderSent } from '../store/follow-ups';
import { findByIncident, getIndexEntry } from '../store/postmortem-index';
import { noted, type DueIncident, type DueItem, type FollowUpEvent } from './follow-up-trigger';
import { APP_ID, ISSUE_KEY } from '../domain/validation';
import { findAppComment } from '../services/app-comments';

type Comment = Awaited<ReturnType<JiraClient['recentComments']>>[number];

/**
 * Posts once. The first attempt at a comment posts straight away (it cannot be on the issue yet). Only when an
 * earlier attempt may have posted it (unknown outcome, or a run that ended before recording) are the recent
 * comments read, and an app comment with this marker posted after the app's last recorded write is taken
 * instead of posting again.
 */
async function postOnce(jira: JiraClient, issueKey: string, slot: string, marker: string, body: unknown, after: string | null): Promise<{ posted?: { id: string; created: string }; comments: Comment[] }> {
  const claim = await claimComment(slot);
  if (claim === 'busy') return { comments: [] }; // another run is posting (or recovering) this one
  if (claim === 'first') {
    try {
      return { posted: await jira.addComment(issueKey, body), comments: [] };
    } catch (e) {
      await markClaimUncertain(slot).catch(() => undefined); // past its lease the claim is recovered anyway
      throw e;
    }
  }
  try {
    const comments = await jira.recentComments(issueKey);
    const since = after ? Date.parse(after) : -Infinity;
    const earlier = findAppComment(comments.filter((c) => Date.parse(c.created) > since), marker, { kind: 'app' });
    return { posted: earlier ?? (await jira.addComment(issueKey, body)), comments };
  } catch (e) {
    // Not posted (or not known to be): let the retry recover again; it reads the comments first.
    await releaseRecovery(slot).catch(() => undefined);
    throw e;
  }
}

/**
 * Keeps the day of the human activity the app knew of in its follow-up property (`pmHumanActivityAt`), so
 * tomorrow's JQL still finds the item although the app's comment bumped `updated`; written only when that day
 * changed (the first follow-up after a person acted). The notes of a batch are written together at its end, one
 * bulk request per distinct day (usually one or a few for a batch of 100): best effort, since the decisions read
 * the exact instant from Forge storage, and a failed write only delays the next follow-up until `updated` is old.
 */
class HumanActivityNotes {
  private readonly byDay = new Map<string, { ids: string[]; keys: string[] }>();

  add(due: DueItem, humanActivityAt: string): void {
    const day = activityDay(humanActivityAt);
    if (due.notedHumanActivityAt && Date.parse(due.notedHumanActivityAt) === Date.parse(day)) return;
    const group = this.byDay.get(day) ?? { ids: [], keys: [] };
    if (due.id) group.ids.push(due.id);
    else group.keys.push(due.key); // an event queued before ids were sent
    this.byDay.set(day, group);
  }

  async write(jira: JiraClient): Promise<void> {
    for (const [day, { ids, keys }] of this.byDay) {
      const value: FollowUpProperty = { humanActivityAt: day };
      try {
        if (ids.length) await jira.bulkSetIssueProperty(FOLLOW_UP_PROPERTY, value, ids);
        for (const key of keys) await jira.setIssueProperty(key, FOLLOW_UP_PROPERTY, value);
      } catch (e) {
        console.warn(`Could not note the last human activity (${day}) on ${ids.length + keys.length} issues`, e);
      }
    }
    this.byDay.clear();
  }
}

const isoOf = (t: string | undefined, fallback: Date) => (t && !Number.isNaN(Date.parse(t)) ? new Date(t).toISOString() : fallback.toISOString());

/** An item as the daily search saw it, with the `updated` Jira reports for it now. */
type CurrentItem = DueItem & { updatedNow: string };

const latest = (a: string, b: string) => (Date.parse(b) > Date.parse(a) ? b : a);

/**
 * The last human activity, now. If nothing changed since the daily search (the usual case) the search and the
 * app's records tell it, at no cost. If the issue changed since, that was a person, or the app's own comment
 * from an attempt that ended before recording it: only then are the recent comments read, to tell which.
 */
async function humanActivityNow(jira: JiraClient, due: CurrentItem, appWrite: AppWrite | undefined): Promise<string> {
  const known = lastHumanActivity(due.updated, appWrite);
  if (Date.parse(due.updatedNow) <= Date.parse(due.updated)) return known;
  const comments = await jira.recentComments(due.key);
  const byPeople = humanActivityBeforeWrite(due.updated, appWrite, comments);
  const appLatest = comments.filter((c) => c.author?.accountType === 'app').reduce((t, c) => Math.max(t, Date.parse(c.created)), -Infinity);
  // Newer than every comment: a change to the issue's fields, which only a person makes (the app only comments here).
  const fieldChange = Date.parse(due.updatedNow) > Math.max(appLatest, Date.parse(byPeople)) ? new Date(Date.parse(due.updatedNow)).toISOString() : byPeople;
  return latest(byPeople, fieldChange);
}

async function followUpItem(jira: JiraClient, due: CurrentItem, defaultPriority: string | null, notes: HumanActivityNotes): Promise<void> {
  const settings = await loadSettings();
  const now = new Date();
  const stored = await historyFor(due.key);
  const humanAt = await humanActivityNow(jira, due, stored.appWrite);
  const item: OpenItem = { key: due.key, assigneeId: due.assigneeId, priorityName: due.priorityName, dueDate: due.dueDate, lastHumanActivity: humanAt, impactPriority: due.impactPriority };
  const reasons = followUpReasons(item, settings, defaultPriority, now);
  if (!reasons.length) return;
  const history = cadenceOf(stored);
  const decision = followUpDecision(history, humanAt, settings, now);
  if (decision !== 'post' && decision !== 'flag-owner') return;
  const index = await getIndexEntry(due.item.pageId, due.item.localId);
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
    const humanBefore = latest(humanAt, humanActivityBeforeWrite(due.updated, stored.appWrite, comments.filter((c) => c.id !== posted.id)));
    await recordFollowUp(due.key, { at: isoOf(posted.created, now), commentId: posted.id, reasons }, humanBefore);
    notes.add(due, humanBefore);
  } else {
    const body = handoverComment({ to: { accountId: owner ?? due.assigneeId, fallback: 'there' }, postmortemTitle: due.item.postmortemTitle, pageUrl, followUps: nudgesSince(history, humanAt) });
    const { posted, comments } = await postOnce(jira, due.key, `${due.key}:handover:${history.nudges.length}`, HANDOVER_MARKER, body, history.lastWriteAt);
    if (!posted) return;
    const humanBefore = latest(humanAt, humanActivityBeforeWrite(due.updated, stored.appWrite, comments.filter((c) => c.id !== posted.id)));
    await recordHandover(due.key, isoOf(posted.created, now), humanBefore);
    notes.add(due, humanBefore);
  }
}

/**
 * The batch as Jira has it now: one bulk read for up to 100 items (not one per item). Between the daily search
 * and this run a person may have commented, reassigned or closed an item; an item closed, deleted or out of
 * the app's sight since then gets nothing.
 */
async function asTheyAreNow(jira: JiraClient, items: DueItem[]): Promise<CurrentItem[]> {
  const fresh = await jira.bulkFetch(items.map((i) => i.id ?? i.key), ['assignee', 'priority', 'duedate', 'updated', 'status'], [FOLLOW_UP_PROPERTY]);
  const byRef = new Map<string, SearchedIssue>();
  for (const issue of fresh) {
    byRef.set(String(issue.id), issue);
    byRef.set(issue.key, issue);
  }
  const out: CurrentItem[] = [];
  for (const item of items) {
    const now = byRef.get(item.id ?? item.key);
    if (!now || now.fields.status?.statusCategory?.key === 'done') continue;
    const updatedNow = typeof now.fields.updated === 'string' && !Number.isNaN(Date.parse(now.fields.updated)) ? now.fields.updated : item.updated;
    out.push({
      ...item,
      key: now.key,
      assigneeId: now.fields.assignee?.accountId ?? null,
      priorityName: now.fields.priority?.name ?? null,
      dueDate: typeof now.fields.duedate === 'string' && isCalendarDate(now.fields.duedate) ? now.fields.duedate : null,
      updatedNow,
      notedHumanActivityAt: noted(now.properties?.[FOLLOW_UP_PROPERTY]),
    });
  }
  return out;
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
  id: z.string().regex(/^\d{1,18}$/).optional(),
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
  const notes = new HumanActivityNotes();
  try {
    if (body.kind === 'items') for (const item of await asTheyAreNow(jira, body.items)) await followUpItem(jira, item, body.defaultPriority, notes);
    else for (const incident of body.incidents) await remindIncident(jira, incident);
    return undefined;
  } catch (e) {
    // Jira stayed unavailable or rate-limited beyond the client's retries: do the batch again later.
    // Items already handled are skipped by their history and claims.
    console.error('Follow-up batch failed; asking for a retry', e);
    return new InvocationError({ retryAfter: 60, retryReason: InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED });
  } finally {
    // Also after a failure: the retry skips the items already followed up, so their notes are written now.
    await notes.write(jira);
  }
}
