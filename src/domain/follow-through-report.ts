/**
 * The follow-through report's rules, pure: the categories (overdue, unassigned, unprioritized, stale) written
 * as JQL, the age buckets, the summary search words, and how a searched issue becomes a report row. The
 * categories are the follow-up job's rules (src/domain/follow-up.ts) — the unprioritized fragment is the one
 * `dueItemsJql` uses — and each row's reasons come from `followUpReasons` itself, so report, gadget and job
 * agree. User text only ever enters JQL as a quoted string literal of plain words. No I/O: the service
 * (src/services/follow-through-report.ts) reads Jira and storage and hands the results in.
 */
import type { AgeBucket, ReportReason, ReportReasonFilter, ReportRow } from '../contract/report';
import type { AppSettings } from '../contract/settings';
import { ACTION_ITEM_PROPERTY, jqlString, type ActionItemProperty } from './action-item-issue';
import { businessDaysCutoff } from './business-days';
import { describeReasons, followUpReasons, openItemsJql, unprioritizedClause, type FollowUpSettings, type OpenItem } from './follow-up';
import { lastHumanActivity, type AppWrite } from './human-activity';
import { localDate } from './time-zone';
import { pageLink } from './site-links';
import type { IssueFields } from './jira-fields';

export { unprioritizedClause };

export const PAGE_SIZE = 50;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** An issue as Jira's search returns it (fields and properties asked for). */
export interface ReportIssue {
  id: string;
  key: string;
  fields: IssueFields;
  properties?: Record<string, unknown>;
}

/** What the app's storage knows of an issue's follow-ups (src/store/follow-ups.ts `StoredHistory`). */
export interface ReportHistory {
  records: { at: string }[];
  appWrite?: AppWrite;
}

/** The app's own record of an issue it created (src/store/app-issues.ts), as far as a row needs it. */
export interface ReportOrigin {
  pageId: string;
  postmortemTitle: string;
  incidentKey: string | null;
}

/** The fields a report row is built from. */
export const ROW_FIELDS = ['summary', 'status', 'project', 'assignee', 'priority', 'duedate', 'created', 'updated', 'labels'];
/** The fields the exact reasons of an item need (the nudged-stale check). */
export const REASON_FIELDS = ['assignee', 'priority', 'duedate', 'updated'];

/**
 * The instant before which an item's last update makes it stale under business-day counting: the start
 * (in the settings' zone) of the N-th most recent business date up to today. `followUpReasons` says stale
 * exactly when `updated < cutoff` (businessDaysBetween(updated, now) >= N).
 */
export function businessStaleCutoff(now: Date, s: Pick<FollowUpSettings, 'staleAfterDays' | 'timeZone' | 'holidays'>): Date {
  return businessDaysCutoff(now, s.staleAfterDays, { timeZone: s.timeZone, holidays: s.holidays });
}

/**
 * JQL for "stale". Calendar days: `updated <= -Nd` is exact. Business days cannot be said in JQL, so the
 * cut-off instant is computed here and written as a period relative to now in minutes: a date-time literal
 * would be read in the viewer's own time zone (Jira's rule for JQL literals), a relative period in none.
 */
export function staleClause(now: Date, s: FollowUpSettings, field: 'updated' | 'pmHumanActivityAt' = 'updated'): string {
  if (!s.businessDaysOnly) return `${field} <= -${s.staleAfterDays}d`;
  const minutes = Math.max(0, Math.ceil((now.getTime() - businessStaleCutoff(now, s).getTime()) / MINUTE_MS));
  return `${field} < -${minutes}m`;
}

/**
 * Items whose `updated` is recent but whose last human activity, as the app recorded it when it last
 * commented, is old: stale items the app's own comment made look fresh. Only items the app commented on
 * in the stale window match, so the exact check of each (src/domain/human-activity.ts) stays cheap.
 */
export function nudgedStaleCandidatesClause(now: Date, s: FollowUpSettings): string {
  return `${staleClause(now, s, 'pmHumanActivityAt')} AND NOT (${staleClause(now, s)})`;
}

/** JQL for "overdue": due before today in the settings' zone (a date literal: no time zone involved). */
export function overdueClause(now: Date, s: Pick<FollowUpSettings, 'timeZone'>): string {
  return `duedate < ${jqlString(localDate(now, s.timeZone))}`;
}

/** One JQL condition per reason (null = the reason cannot occur under these settings). */
export function reasonClauses(now: Date, s: FollowUpSettings, defaultPriority: string | null): Record<ReportReason, string | null> {
  return {
    overdue: overdueClause(now, s),
    unassigned: 'assignee IS EMPTY',
    unprioritized: unprioritizedClause(s, defaultPriority),
    stale: staleClause(now, s),
  };
}

/** The condition for a table filter, or null when it can match nothing. */
export function filterClause(filter: ReportReasonFilter, clauses: Record<ReportReason, string | null>): string | null {
  if (filter !== 'any') return clauses[filter];
  const any = Object.values(clauses).filter((c): c is string => !!c);
  return any.length ? any.map((c) => `(${c})`).join(' OR ') : null;
}

/** The condition for "any of these reasons" (the gadget's chosen reasons), or null when none can match. */
export function reasonsClause(reasons: readonly ReportReason[], clauses: Record<ReportReason, string | null>): string | null {
  const any = reasons.map((r) => clauses[r]).filter((c): c is string => !!c);
  return any.length ? any.map((c) => `(${c})`).join(' OR ') : null;
}

/**
 * Every open action item in these projects (null = in every project). Only projects the viewer can browse
 * may be named: Jira refuses JQL naming a project the user cannot see.
 */
export function baseJql(projectKeys: string[] | null): string {
  if (projectKeys && !projectKeys.length) throw new Error('baseJql needs at least one project (or null for all)');
  return openItemsJql({ projectsInScope: projectKeys ?? [] });
}

export const AGE_BUCKETS: { bucket: AgeBucket; label: string; jql: string }[] = [
  { bucket: 'under-7', label: '< 7 days', jql: 'created > -7d' },
  { bucket: '7-30', label: '7–30 days', jql: 'created <= -7d AND created > -30d' },
  { bucket: '30-90', label: '30–90 days', jql: 'created <= -30d AND created > -90d' },
  { bucket: 'over-90', label: '> 90 days', jql: 'created <= -90d' },
];

export function ageDays(created: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - created.getTime()) / DAY_MS));
}

export function ageBucket(days: number): AgeBucket {
  return days < 7 ? 'under-7' : days < 30 ? '7-30' : days < 90 ? '30-90' : 'over-90';
}

/**
 * The words of a summary search, made safe for Jira's text search: letters and digits only (joined by
 * ' _ . - inside a word), lower case so that AND / OR / NOT are words, not operators; at most 20 words.
 * Null when nothing searchable is left.
 */
export function searchWords(text: string): string | null {
  const words = text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+(?:['_.-][\p{L}\p{N}]+)*/gu) ?? [];
  return words.length ? words.slice(0, 20).join(' ') : null;
}

/** The search for one page of the table. */
export function pageJql(base: string, filter: string | null, words: string | null): string {
  return [base, ...(filter ? [`(${filter})`] : []), ...(words ? [`summary ~ ${jqlString(words)}`] : [])].join(' AND ') + ' ORDER BY created ASC';
}

export function describeUnprioritized(s: Pick<FollowUpSettings, 'unprioritized'>, defaultPriority: string | null): string {
  const ways: string[] = [];
  if (s.unprioritized.whenPriorityEmpty) ways.push('no priority');
  if (s.unprioritized.whenDefaultPriority && defaultPriority) ways.push(`still at Jira's default priority (${defaultPriority}) that nobody chose (not set from the item's impact)`);
  if (!ways.length) return 'nothing counts as unprioritized';
  return ways.join(' or ') + (s.unprioritized.onlyWithoutDueDate ? ', and no due date' : '');
}

/** What the follow-up rules know of a searched issue: its last human activity comes from the app's own records. */
export function openItemOf(issue: ReportIssue, history: Pick<ReportHistory, 'appWrite'>): OpenItem {
  const f = issue.fields;
  const prop = issue.properties?.[ACTION_ITEM_PROPERTY] as ActionItemProperty | undefined;
  return {
    key: issue.key,
    assigneeId: f.assignee?.accountId ?? null,
    priorityName: f.priority?.name ?? null,
    impactPriority: typeof prop?.impactPriority === 'string' ? prop.impactPriority : null,
    dueDate: f.duedate ?? null,
    lastHumanActivity: lastHumanActivity(String(f.updated), history.appWrite),
  };
}

export function toRow(issue: ReportIssue, settings: AppSettings, defaultPriority: string | null, now: Date, siteUrl: string, history: ReportHistory, origin: ReportOrigin | undefined): ReportRow {
  const f = issue.fields;
  const item = openItemOf(issue, history);
  const followUps = history.records;
  const reasons = followUpReasons(item, settings, defaultPriority, now);
  const created = f.created ?? '';
  const updated = f.updated ?? '';
  const days = ageDays(new Date(created), now);
  const teamLabel = (f.labels ?? []).find((l) => l.startsWith('team-'));
  return {
    key: issue.key,
    url: `${siteUrl}/browse/${issue.key}`,
    summary: String(f.summary ?? ''),
    projectKey: String(f.project?.key ?? issue.key.split('-')[0]),
    status: String(f.status?.name ?? ''),
    // From the app's record of the issues it created, the link rebuilt from the page id: never the issue property.
    postmortem: origin ? { title: origin.postmortemTitle, url: pageLink(siteUrl, origin.pageId) ?? null, incidentKey: origin.incidentKey ?? null } : null,
    assignee: f.assignee ? { accountId: f.assignee.accountId, displayName: f.assignee.displayName ?? f.assignee.accountId } : null,
    team: teamLabel ? teamLabel.slice('team-'.length) : null,
    priority: item.priorityName,
    dueDate: item.dueDate,
    created,
    updated,
    lastHumanActivity: item.lastHumanActivity,
    ageDays: days,
    ageBucket: ageBucket(days),
    reasons,
    reasonText: describeReasons(reasons, item, settings, now),
    followUps: { count: followUps.length, lastAt: followUps.at(-1)?.at ?? null },
  };
}
