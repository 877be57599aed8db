/**
 * The follow-through report (Jira project page and Confluence page): open postmortem action items that are
 * overdue, unassigned, unprioritized or stale — counted and listed AS THE VIEWING USER, so nobody sees an
 * issue of a project they cannot browse.
 *
 * Nothing reads every item: the counts and the aging chart are one `approximate-count` per category, and the
 * table is one search of 50 at a time (nextPageToken). The categories are the follow-up job's rules
 * (src/domain/follow-up.ts) written as JQL, and each row's reasons come from `followUpReasons` itself, so
 * the report and the job agree. All input is validated before any JQL is built; user text only ever
 * enters JQL as a quoted string literal of plain words.
 */
import { makeResolver } from '@forge/resolver';
import api, { route } from '@forge/api';
import { z } from 'zod';
import type { AgeBucket, ReportDefinitions, ReportPage, ReportProject, ReportReason, ReportReasonFilter, ReportRow, ReportSummary } from '../contract/report';
import type { AppSettings } from '../contract/settings';
import { AtlassianError, jsonRequest } from '../atlassian/request';
import type { SearchedIssue } from '../atlassian/jira';
import { ACTION_ITEM_PROPERTY, jqlString, type ActionItemProperty } from '../domain/action-item-issue';
import { businessDaysCutoff } from '../domain/business-days';
import { defaultPriorityClause, describeReasons, followUpReasons, openItemsJql, type FollowUpSettings, type OpenItem } from '../domain/follow-up';
import { lastHumanActivity } from '../domain/human-activity';
import { localDate } from '../domain/time-zone';
import { historyFor, type StoredHistory } from '../store/follow-ups';
import { appIssues, type AppIssueRecord } from '../store/app-issues';
import { pageLink } from '../domain/site-links';
import { loadSettings } from '../store/settings';
import { respond, UserError } from './respond';
import { fieldErrorsOf } from '../domain/validation';

export const PAGE_SIZE = 50;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** How old a paging `asOf` may be before the report must be reloaded. */
const MAX_AS_OF_AGE_MS = 60 * MINUTE_MS;
const MAX_TEXT = 200;
const MAX_PROJECTS = 100;

// ---------- pure helpers (unit-tested in follow-through-report.test.ts) ----------

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

/** JQL for "unprioritized" as the settings define it, or null when nothing can count as unprioritized. */
export function unprioritizedClause(s: Pick<FollowUpSettings, 'unprioritized'>, defaultPriority: string | null): string | null {
  const parts: string[] = [];
  if (s.unprioritized.whenPriorityEmpty) parts.push('priority IS EMPTY');
  if (s.unprioritized.whenDefaultPriority && defaultPriority) parts.push(defaultPriorityClause(defaultPriority));
  if (!parts.length) return null;
  return `(${parts.join(' OR ')})${s.unprioritized.onlyWithoutDueDate ? ' AND duedate IS EMPTY' : ''}`;
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

// ---------- input ----------

const projectKeySchema = z.string().regex(/^[A-Z][A-Z0-9_]{1,9}$/, 'Use a Jira project key such as OPS.');
const summaryInput = z.object({ projectKey: projectKeySchema.optional() }).strict();
const pageInput = z
  .object({
    projectKey: projectKeySchema.optional(),
    reason: z.enum(['any', 'overdue', 'unassigned', 'unprioritized', 'stale']).optional(),
    text: z.string().max(MAX_TEXT, `Search for at most ${MAX_TEXT} characters.`).optional(),
    pageToken: z.string().min(1).max(4096).regex(/^[\x21-\x7e]+$/, 'Not a page token.').optional(),
    asOf: z.iso.datetime().optional(),
  })
  .strict();

function parse<T>(schema: z.ZodType<T>, payload: unknown): T {
  const parsed = schema.safeParse(payload ?? {});
  if (parsed.success) return parsed.data;
  throw new UserError({ code: 'invalid-input', message: 'The report cannot be shown for this request.', fieldErrors: fieldErrorsOf(parsed.error, 'payload') });
}

interface ReportContext {
  siteUrl?: string;
  extension?: { type?: string; project?: { key?: string } };
}

/** The project: from the Jira project page's context (never the payload there), else the viewer's pick. */
function projectOf(context: ReportContext, picked: string | undefined, settings: AppSettings): { projectKey: string | null; fixed: boolean; outOfScope: boolean } {
  const fromPage = context.extension?.project?.key;
  if (fromPage !== undefined || context.extension?.type === 'jira:projectPage') {
    const key = String(fromPage ?? '');
    if (!projectKeySchema.safeParse(key).success) throw new UserError({ code: 'invalid-input', message: 'This page belongs to no Jira project the report can show.' });
    return { projectKey: key, fixed: true, outOfScope: settings.projectsInScope.length > 0 && !settings.projectsInScope.includes(key) };
  }
  if (picked && settings.projectsInScope.length && !settings.projectsInScope.includes(picked)) {
    throw new UserError({ code: 'invalid-input', message: `Project ${picked} is not among the projects this report covers.`, fieldErrors: { projectKey: 'Pick one of the listed projects.' } });
  }
  return { projectKey: picked ?? null, fixed: false, outOfScope: false };
}

function asOfFrom(text: string | undefined): Date {
  const now = new Date();
  if (!text) return now;
  const t = Date.parse(text);
  if (t > now.getTime() + MINUTE_MS || now.getTime() - t > MAX_AS_OF_AGE_MS) {
    throw new UserError({ code: 'invalid-input', message: 'This report is out of date: reload it to see the current items.', fieldErrors: { asOf: 'Reload the report.' } });
  }
  return new Date(t);
}

// ---------- Jira, as the user ----------

/** As the viewing user; called as `jira.requestJira(route`...`, { method })` so that @forge/lint sees each call. */
const jira = { requestJira: jsonRequest((path, init) => api.asUser().requestJira(path, init)) };

async function approximateCount(jql: string): Promise<number> {
  return (await jira.requestJira<{ count: number }>(route`/rest/api/3/search/approximate-count`, { method: 'POST', body: JSON.stringify({ jql }) })).count;
}

async function defaultPriorityName(): Promise<string | null> {
  const priorities = await jira.requestJira<{ name: string; isDefault?: boolean }[]>(route`/rest/api/3/priority`);
  return priorities.find((p) => p.isDefault)?.name ?? null;
}

/** The listed projects the viewer can browse, or (none listed) every browsable one; first 100 by key. */
async function browsableProjects(keys: string[]): Promise<ReportProject[]> {
  const params = new URLSearchParams({ maxResults: String(MAX_PROJECTS), orderBy: 'key' });
  for (const key of keys) params.append('keys', key);
  const page = await jira.requestJira<{ values: { key: string; name: string }[] }>(route`/rest/api/3/project/search?${params}`);
  return page.values.map((p) => ({ key: p.key, name: p.name }));
}

interface SearchPage {
  issues: SearchedIssue[];
  nextPageToken?: string;
  isLast?: boolean;
}

const ROW_FIELDS = ['summary', 'status', 'project', 'assignee', 'priority', 'duedate', 'created', 'updated', 'labels'];

async function searchPage(jql: string, pageToken: string | undefined, fields = ROW_FIELDS, maxResults = PAGE_SIZE): Promise<SearchPage> {
  return jira.requestJira<SearchPage>(route`/rest/api/3/search/jql`, {
    method: 'POST',
    body: JSON.stringify({ jql, fields, properties: [ACTION_ITEM_PROPERTY], maxResults, ...(pageToken ? { nextPageToken: pageToken } : {}) }),
  });
}

/** Jira refusing a query built here is never the viewer's JQL: say what to do, not what Jira said about it. */
async function asViewer<T>(work: () => Promise<T>, projectKey: string | null, paging: boolean): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof AtlassianError && e.status === 400) {
      throw new UserError({
        code: 'invalid-input',
        message: paging
          ? 'These results have expired: reload the report.'
          : projectKey
            ? `Jira could not report on project ${projectKey}: check that it exists and that you can see it.`
            : 'Jira could not run this report; reload the page, and ask your Jira admin to check the app settings if it persists.',
      });
    }
    throw e;
  }
}

/** What the follow-up rules know of a searched issue: its last human activity comes from the app's own records. */
function openItemOf(issue: SearchPage['issues'][number], history: StoredHistory): OpenItem {
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

/**
 * The nudged items that are stale by their last human activity although `updated` is recent, with their
 * exact reasons: what the approximate counts by JQL cannot see. Usually none or a handful.
 */
async function nudgedStale(all: string, now: Date, settings: AppSettings, defaultPriority: string | null): Promise<{ key: string; reasons: ReportReason[] }[]> {
  const out: { key: string; reasons: ReportReason[] }[] = [];
  let pageToken: string | undefined;
  do {
    const page = await searchPage(`${all} AND ${nudgedStaleCandidatesClause(now, settings)} ORDER BY key ASC`, pageToken, ['assignee', 'priority', 'duedate', 'updated'], 100);
    for (const issue of page.issues) {
      const reasons = followUpReasons(openItemOf(issue, await historyFor(issue.key)), settings, defaultPriority, now);
      if (reasons.includes('stale')) out.push({ key: issue.key, reasons });
    }
    pageToken = page.isLast === false && page.nextPageToken ? page.nextPageToken : undefined;
  } while (pageToken);
  return out;
}

function toRow(issue: SearchPage['issues'][number], settings: AppSettings, defaultPriority: string | null, now: Date, siteUrl: string, history: StoredHistory, origin: AppIssueRecord | undefined): ReportRow {
  const f = issue.fields;
  const item = openItemOf(issue, history);
  const followUps = history.records;
  const reasons = followUpReasons(item, settings, defaultPriority, now);
  // ROW_FIELDS asks for both; an answer without them counts the item as new rather than failing the page.
  const created = f.created ?? now.toISOString();
  const updated = f.updated ?? created;
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
    assignee: f.assignee ? { accountId: f.assignee.accountId, displayName: f.assignee.displayName ?? '' } : null,
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

const ZERO = { open: 0, attention: 0, overdue: 0, unassigned: 0, unprioritized: 0, stale: 0 };

export const followThroughReportResolver = makeResolver<ReportDefinitions>({
  getReportSummary: ({ payload, context }) =>
    respond(async (): Promise<ReportSummary> => {
      const input = parse(summaryInput, payload);
      const settings = await loadSettings();
      const { projectKey, fixed, outOfScope } = projectOf(context, input.projectKey, settings);
      const now = new Date();
      // The project page looks up just its project (for the name); the Confluence page the ones to pick from.
      const [defaultPriority, listed] = await Promise.all([defaultPriorityName(), browsableProjects(projectKey && fixed ? [projectKey] : settings.projectsInScope)]);
      const rules = { staleAfterDays: settings.staleAfterDays, businessDaysOnly: settings.businessDaysOnly, timeZone: settings.timeZone, unprioritized: describeUnprioritized(settings, defaultPriority) };
      const project = projectKey ? (listed.find((p) => p.key === projectKey) ?? { key: projectKey, name: projectKey }) : null;
      const base = { asOf: now.toISOString(), project, projectFixed: fixed, projects: fixed ? [] : listed, outOfScope, rules };
      const projectKeys = projectKey ? [projectKey] : settings.projectsInScope.length ? listed.map((p) => p.key) : null;
      if (outOfScope || projectKeys?.length === 0) return { ...base, counts: ZERO, aging: AGE_BUCKETS.map(({ bucket, label }) => ({ bucket, label, count: 0 })) };

      const all = baseJql(projectKeys);
      const clauses = reasonClauses(now, settings, defaultPriority);
      const count = (clause: string | null) => (clause ? approximateCount(`${all} AND (${clause})`) : Promise.resolve(0));
      const [nudged, open, attention, overdue, unassigned, unprioritized, stale, ...aging] = await asViewer(
        () =>
          Promise.all([
            clauses.stale ? nudgedStale(all, now, settings, defaultPriority) : Promise.resolve([]),
            approximateCount(all),
            count(filterClause('any', clauses)),
            count(clauses.overdue),
            count(clauses.unassigned),
            count(clauses.unprioritized),
            count(clauses.stale),
            ...AGE_BUCKETS.map((b) => count(b.jql)),
          ]),
        projectKey,
        false,
      );
      return {
        ...base,
        // A nudged stale item fails the `updated` clause: it adds to stale, and to attention unless another reason counted it.
        counts: { open, attention: attention + nudged.filter((n) => n.reasons.length === 1).length, overdue, unassigned, unprioritized, stale: stale + nudged.length },
        aging: AGE_BUCKETS.map(({ bucket, label }, i) => ({ bucket, label, count: aging[i] ?? 0 })),
      };
    }),

  getReportPage: ({ payload, context }) =>
    respond(async (): Promise<ReportPage> => {
      const input = parse(pageInput, payload);
      const settings = await loadSettings();
      const { projectKey, outOfScope } = projectOf(context, input.projectKey, settings);
      const now = asOfFrom(input.pageToken ? input.asOf : undefined);
      let words: string | null = null;
      if (input.text !== undefined && input.text.trim() !== '') {
        words = searchWords(input.text);
        if (!words) throw new UserError({ code: 'invalid-input', message: 'Search for words: letters or digits.', fieldErrors: { text: 'Type a word from the summary.' } });
      }
      const none: ReportPage = { asOf: now.toISOString(), rows: [], nextPageToken: null };
      if (outOfScope) return none;
      // All projects in scope: only those the viewer can browse may be named in the JQL.
      const scopeLookup = !projectKey && settings.projectsInScope.length ? browsableProjects(settings.projectsInScope) : undefined;
      const [defaultPriority, visibleScope] = await Promise.all([defaultPriorityName(), scopeLookup]);
      const projectKeys = projectKey ? [projectKey] : visibleScope ? visibleScope.map((p) => p.key) : null;
      if (projectKeys?.length === 0) return none;
      let filter: string | null = null;
      if (input.reason) {
        const clauses = reasonClauses(now, settings, defaultPriority);
        // Stale by the last human activity: the `updated` clause plus the items the app's comment made look fresh
        // (a superset; each row's exact reasons decide below).
        if (clauses.stale) clauses.stale = `(${clauses.stale}) OR (${nudgedStaleCandidatesClause(now, settings)})`;
        filter = filterClause(input.reason, clauses);
        if (!filter) return none; // nothing can match under these settings
      }
      const jql = pageJql(baseJql(projectKeys), filter, words);
      const page = await asViewer(() => searchPage(jql, input.pageToken), projectKey, !!input.pageToken);
      const siteUrl = String((context as ReportContext).siteUrl ?? '');
      const origins = page.issues.length ? await appIssues(page.issues.map((i) => String(i.id))) : new Map<string, AppIssueRecord>();
      const all = await Promise.all(page.issues.map(async (issue) => toRow(issue, settings, defaultPriority, now, siteUrl, await historyFor(issue.key), origins.get(String(issue.id)))));
      const wanted = input.reason;
      const rows = wanted ? all.filter((r) => (wanted === 'any' ? r.reasons.length > 0 : r.reasons.includes(wanted))) : all;
      const more = page.isLast === false || (page.isLast === undefined && !!page.nextPageToken);
      return { asOf: now.toISOString(), rows, nextPageToken: more && page.nextPageToken ? page.nextPageToken : null };
    }),
});
