/**
 * When an open action item gets a gentle follow-up (the essay: "gentle nags every few weeks"), and what
 * the report calls stale, unassigned, unprioritized or overdue. Shared by the scheduled job and the report
 * so that both always agree. Pure: no I/O.
 */
import type { AppSettings } from '../contract/settings';
import { businessDaysBetween } from './business-days';
import { calendarDaysBetween, localDate, zonedParts } from './time-zone';
import { jqlString } from './action-item-issue';

export type FollowUpReason = 'unassigned' | 'unprioritized' | 'stale' | 'overdue';
export const REASON_ORDER: readonly FollowUpReason[] = ['overdue', 'unassigned', 'unprioritized', 'stale'];

/** What the job and the report know of an open action-item issue. */
export interface OpenItem {
  key: string;
  assigneeId: string | null;
  priorityName: string | null;
  /** The priority the app set from the item's impact when it created the issue (null: none recorded). */
  impactPriority?: string | null;
  /** YYYY-MM-DD or null. */
  dueDate: string | null;
  /** ISO instant of the last human activity: the last change or comment not written by the app (src/domain/human-activity.ts). */
  lastHumanActivity: string;
}

export type FollowUpSettings = Pick<AppSettings, 'staleAfterDays' | 'followUpIntervalDays' | 'maxFollowUps' | 'businessDaysOnly' | 'timeZone' | 'holidays' | 'unprioritized' | 'projectsInScope'>;

/** Days elapsed between two instants: business days or calendar days, per the settings. */
export function daysBetween(from: Date, to: Date, s: Pick<FollowUpSettings, 'businessDaysOnly' | 'timeZone' | 'holidays'>): number {
  if (s.businessDaysOnly) return businessDaysBetween(from, to, { timeZone: s.timeZone, holidays: s.holidays });
  return Math.floor((to.getTime() - from.getTime()) / 86_400_000);
}

/** Why an open item needs attention now (empty = it is fine). */
export function followUpReasons(item: OpenItem, s: FollowUpSettings, defaultPriority: string | null, now: Date): FollowUpReason[] {
  const reasons = new Set<FollowUpReason>();
  if (!item.assigneeId) reasons.add('unassigned');
  const noPriority = s.unprioritized.whenPriorityEmpty && !item.priorityName;
  // Jira's default priority counts as "nobody chose" only when the app's impact mapping did not set it.
  const stillDefault = s.unprioritized.whenDefaultPriority && !!defaultPriority && item.priorityName === defaultPriority && item.impactPriority !== defaultPriority;
  if ((noPriority || stillDefault) && (!s.unprioritized.onlyWithoutDueDate || !item.dueDate)) reasons.add('unprioritized');
  if (daysBetween(new Date(item.lastHumanActivity), now, s) >= s.staleAfterDays) reasons.add('stale');
  if (item.dueDate && item.dueDate < localDate(now, s.timeZone)) reasons.add('overdue');
  return REASON_ORDER.filter((r) => reasons.has(r));
}

/**
 * JQL for the open action items that may need a follow-up, so Jira does the filtering (not a read of every
 * issue). The JQL is a superset on "stale" in business days (Jira counts calendar days), and finds an item
 * the app has commented on by the human activity the app recorded in its property (`pmHumanActivityAt`);
 * the exact decision is `followUpReasons` with the last human activity from the app's own records.
 */
export function dueItemsJql(s: FollowUpSettings, defaultPriority: string | null): string {
  const unprioritized = unprioritizedClause(s, defaultPriority);
  const flagged = ['assignee IS EMPTY', ...(unprioritized ? [`(${unprioritized})`] : []), `updated <= -${s.staleAfterDays}d`, `pmHumanActivityAt <= -${s.staleAfterDays}d`, 'duedate < now()'];
  return [openItemsJql(s), `(${flagged.join(' OR ')})`].join(' AND ') + ' ORDER BY key ASC';
}

/**
 * JQL for "unprioritized" as the settings define it, or null when nothing can count as unprioritized. The one
 * definition the follow-up job (`dueItemsJql`) and the report (src/domain/follow-through-report.ts) share.
 */
export function unprioritizedClause(s: Pick<FollowUpSettings, 'unprioritized'>, defaultPriority: string | null): string | null {
  const parts: string[] = [];
  if (s.unprioritized.whenPriorityEmpty) parts.push('priority IS EMPTY');
  if (s.unprioritized.whenDefaultPriority && defaultPriority) parts.push(defaultPriorityClause(defaultPriority));
  if (!parts.length) return null;
  return `(${parts.join(' OR ')})${s.unprioritized.onlyWithoutDueDate ? ' AND duedate IS EMPTY' : ''}`;
}

/**
 * JQL for "still at Jira's default priority, which the app did not set from impact". JQL's `!=` never
 * matches an empty value, hence the IS EMPTY for items created before the app recorded its choice.
 */
export function defaultPriorityClause(defaultPriority: string): string {
  const name = jqlString(defaultPriority);
  return `(priority = ${name} AND (pmImpactPriority IS EMPTY OR pmImpactPriority != ${name}))`;
}

/** Every open action item in scope. */
export function openItemsJql(s: Pick<FollowUpSettings, 'projectsInScope'>): string {
  const scope = s.projectsInScope.length ? ` AND project in (${s.projectsInScope.map(jqlString).join(', ')})` : '';
  return `pmCreatedAt IS NOT EMPTY AND statusCategory != Done${scope}`;
}

export interface FollowUpHistory {
  /** ISO instants of every follow-up posted so far, oldest first. */
  nudges: string[];
  /** ISO instant of the app's last comment on the item (follow-up or hand-over), if any. */
  lastWriteAt: string | null;
  /** Set when the item was last handed to the postmortem owner after the cap. */
  flaggedAt: string | null;
}

export type FollowUpDecision = 'post' | 'wait' | 'flag-owner' | 'done';

/**
 * Days of the follow-up cadence from the last follow-up to now: business days or calendar days of the
 * site's zone, counted by date, not by elapsed 24-hour periods. The daily run posts seconds after it fires,
 * so the run N days later at the same hour is a little short of N × 24 h; counting dates lets it post on the
 * promised day (14 days after Jan 5 is Jan 19), whatever time the trigger fires and across DST changes.
 */
export function cadenceDaysBetween(from: Date, to: Date, s: Pick<FollowUpSettings, 'businessDaysOnly' | 'timeZone' | 'holidays'>): number {
  if (s.businessDaysOnly) return businessDaysBetween(from, to, { timeZone: s.timeZone, holidays: s.holidays });
  return calendarDaysBetween(from, to, s.timeZone);
}

/** Follow-ups posted since the last human activity: the ones that count towards the cap. */
export function nudgesSince(history: Pick<FollowUpHistory, 'nudges'>, lastHumanActivity: string): number {
  const since = Date.parse(lastHumanActivity);
  return history.nudges.filter((t) => Date.parse(t) > since).length;
}

/**
 * Whether to post now. The cadence restarts at the last human activity: the first follow-up when the item
 * needs attention, then one every interval, at most `maxFollowUps` since that activity, then one note to
 * the owner. Never two app comments within an interval, whatever a person did in between.
 */
export function followUpDecision(history: FollowUpHistory, lastHumanActivity: string, s: FollowUpSettings, now: Date): FollowUpDecision {
  if (history.lastWriteAt && cadenceDaysBetween(new Date(history.lastWriteAt), now, s) < s.followUpIntervalDays) return 'wait';
  if (nudgesSince(history, lastHumanActivity) < s.maxFollowUps) return 'post';
  return history.flaggedAt && Date.parse(history.flaggedAt) > Date.parse(lastHumanActivity) ? 'done' : 'flag-owner';
}

/** Human words for the reasons, for comments and the report. */
export function describeReasons(reasons: FollowUpReason[], item: OpenItem, s: FollowUpSettings, now: Date): string[] {
  return reasons.map((r) => {
    switch (r) {
      case 'unassigned': return 'nobody is assigned to it yet';
      case 'unprioritized': return 'it has no priority of its own yet';
      case 'stale': return `nobody has updated it for ${daysBetween(new Date(item.lastHumanActivity), now, s)} ${s.businessDaysOnly ? 'business ' : ''}days`;
      case 'overdue': return `it was due on ${item.dueDate}`;
    }
  });
}

/**
 * Whether an incident resolved at `resolvedAt` should have had its postmortem by now. "Due within N business
 * days" means by the end of the N-th business day after the incident's day, the same reading as a review
 * held on that day counting as on time (insights' `reviewState`): overdue from the next business day on.
 */
export function postmortemOverdue(resolvedAt: Date, s: Pick<AppSettings, 'postmortemDueBusinessDays' | 'timeZone' | 'holidays'>, now: Date): boolean {
  return businessDaysBetween(resolvedAt, now, { timeZone: s.timeZone, holidays: s.holidays }) > s.postmortemDueBusinessDays;
}

/** Jira's date-time literal for JQL, in UTC ("2026-11-20 14:05"). */
function jqlDateTime(d: Date): string {
  const z = zonedParts(d, 'UTC');
  const two = (n: number) => String(n).padStart(2, '0');
  return `${z.year}-${two(z.month)}-${two(z.day)} ${two(z.hour)}:${two(z.minute)}`;
}

/**
 * The admin's incident JQL (which Jira has parsed on its own before the settings were saved) inside
 * parentheses, AND the app's own conditions: whatever the admin wrote, every result is resolved in the window.
 */
export function incidentSearchJql(adminJql: string, resolvedBefore: Date): string {
  return `(${adminJql}) AND resolved <= "${jqlDateTime(resolvedBefore)}" AND resolved >= -90d ORDER BY resolved ASC`;
}
