/**
 * The follow-through report's use case, shared by the report (Jira project page, Confluence page) and the
 * dashboard gadget, so that both show the same numbers for the same scope. Everything is read with the
 * client the caller hands in — as the viewing user — so counts and rows only ever include issues the viewer
 * may browse.
 *
 * Nothing reads every item: the counts and the aging chart are one `approximate-count` per category, the
 * table one search of 50 at a time (nextPageToken), plus one search for the few items the app's own comment
 * made look fresh (the nudged-stale check). The rules are in src/domain/follow-through-report.ts.
 */
import type { AgeBucket, ReportCounts, ReportPage, ReportReason, ReportReasonFilter, ReportRow } from '../contract/report';
import type { AppSettings } from '../contract/settings';
import { AtlassianError } from '../atlassian/request';
import type { JiraClient, SearchPage } from '../atlassian/jira';
import { ACTION_ITEM_PROPERTY } from '../domain/action-item-issue';
import { followUpReasons } from '../domain/follow-up';
import {
  AGE_BUCKETS,
  filterClause,
  nudgedStaleCandidatesClause,
  openItemOf,
  pageJql,
  PAGE_SIZE,
  REASON_FIELDS,
  reasonClauses,
  reasonsClause,
  ROW_FIELDS,
  toRow,
} from '../domain/follow-through-report';
import { historyFor } from '../store/follow-ups';
import { appIssues, type AppIssueRecord } from '../store/app-issues';

/** Jira refused a query the app built (400): never the viewer's JQL; the caller says what to do. */
export class ReportQueryRefused extends Error {
  constructor(readonly refusal: AtlassianError) {
    super(refusal.message);
    this.name = 'ReportQueryRefused';
  }
}

async function refusedAsTyped<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof AtlassianError && e.status === 400) throw new ReportQueryRefused(e);
    throw e;
  }
}

export const ZERO_COUNTS: ReportCounts = { open: 0, attention: 0, overdue: 0, unassigned: 0, unprioritized: 0, stale: 0 };

export function emptyAging(): { bucket: AgeBucket; label: string; count: number }[] {
  return AGE_BUCKETS.map(({ bucket, label }) => ({ bucket, label, count: 0 }));
}

/**
 * The nudged items that are stale by their last human activity although `updated` is recent, with their
 * exact reasons: what the approximate counts by JQL cannot see. Usually none or a handful.
 */
async function nudgedStale(jira: JiraClient, all: string, now: Date, settings: AppSettings, defaultPriority: string | null): Promise<{ key: string; reasons: ReportReason[] }[]> {
  const out: { key: string; reasons: ReportReason[] }[] = [];
  let pageToken: string | undefined;
  do {
    const page: SearchPage = await jira.searchPage(`${all} AND ${nudgedStaleCandidatesClause(now, settings)} ORDER BY key ASC`, {
      fields: REASON_FIELDS,
      properties: [ACTION_ITEM_PROPERTY],
      maxResults: 100,
      nextPageToken: pageToken,
    });
    for (const issue of page.issues) {
      const reasons = followUpReasons(openItemOf(issue, await historyFor(issue.key)), settings, defaultPriority, now);
      if (reasons.includes('stale')) out.push({ key: issue.key, reasons });
    }
    pageToken = page.isLast === false && page.nextPageToken ? page.nextPageToken : undefined;
  } while (pageToken);
  return out;
}

export interface ReportCountsResult {
  counts: ReportCounts;
  aging: { bucket: AgeBucket; label: string; count: number }[];
}

/**
 * The counts by reason and by age of every open action item `all` finds (a JQL without ORDER BY, e.g.
 * `baseJql(projectKeys)`), as the client's user may see them. Jira refusing the JQL: ReportQueryRefused.
 */
export async function reportCounts(jira: JiraClient, all: string, settings: AppSettings, defaultPriority: string | null, now: Date): Promise<ReportCountsResult> {
  const clauses = reasonClauses(now, settings, defaultPriority);
  const count = (clause: string | null) => (clause ? jira.approximateCount(`${all} AND (${clause})`) : Promise.resolve(0));
  const [nudged, open, attention, overdue, unassigned, unprioritized, stale, ...aging] = await refusedAsTyped(() =>
    Promise.all([
      clauses.stale ? nudgedStale(jira, all, now, settings, defaultPriority) : Promise.resolve([]),
      jira.approximateCount(all),
      count(filterClause('any', clauses)),
      count(clauses.overdue),
      count(clauses.unassigned),
      count(clauses.unprioritized),
      count(clauses.stale),
      ...AGE_BUCKETS.map((b) => count(b.jql)),
    ]),
  );
  return {
    // A nudged stale item fails the `updated` clause: it adds to stale, and to attention unless another reason counted it.
    counts: { open, attention: attention + nudged.filter((n) => n.reasons.length === 1).length, overdue, unassigned, unprioritized, stale: stale + nudged.length },
    aging: AGE_BUCKETS.map(({ bucket, label }, i) => ({ bucket, label, count: aging[i] ?? 0 })), // one count per bucket, asked for in this order above,
  };
}

export interface ReportPageRequest {
  /** Every open action item in scope (JQL without ORDER BY). */
  all: string;
  /** One reason, `any`, or (the gadget) any of these reasons. */
  reason?: ReportReasonFilter | readonly ReportReason[];
  /** Summary search words (already made safe: `searchWords`). */
  words: string | null;
  pageToken?: string;
  now: Date;
  siteUrl: string;
  defaultPriority: string | null;
  /** Rows per page (the report's 50 unless a smaller view asks for fewer). */
  maxResults?: number;
}

/**
 * One page of rows, oldest first, each with its exact reasons. A reason filter searches a superset by JQL
 * (stale also finds the items the app's comment made look fresh), then keeps the rows whose exact reasons
 * match. Jira refusing the JQL or an expired page token: ReportQueryRefused.
 */
export async function reportPage(jira: JiraClient, settings: AppSettings, request: ReportPageRequest): Promise<ReportPage> {
  const { now } = request;
  const none: ReportPage = { asOf: now.toISOString(), rows: [], nextPageToken: null };
  let filter: string | null = null;
  if (request.reason) {
    const clauses = reasonClauses(now, settings, request.defaultPriority);
    // Stale by the last human activity: the `updated` clause plus the items the app's comment made look fresh
    // (a superset; each row's exact reasons decide below).
    if (clauses.stale) clauses.stale = `(${clauses.stale}) OR (${nudgedStaleCandidatesClause(now, settings)})`;
    filter = typeof request.reason === 'string' ? filterClause(request.reason, clauses) : reasonsClause(request.reason, clauses);
    if (!filter) return none; // nothing can match under these settings
  }
  const jql = pageJql(request.all, filter, request.words);
  const page = await refusedAsTyped(() =>
    jira.searchPage(jql, { fields: ROW_FIELDS, properties: [ACTION_ITEM_PROPERTY], maxResults: request.maxResults ?? PAGE_SIZE, nextPageToken: request.pageToken }),
  );
  const origins = page.issues.length ? await appIssues(page.issues.map((i) => String(i.id))) : new Map<string, AppIssueRecord>();
  const all: ReportRow[] = await Promise.all(
    page.issues.map(async (issue) => toRow(issue, settings, request.defaultPriority, now, request.siteUrl, await historyFor(issue.key), origins.get(String(issue.id)))),
  );
  const wanted = request.reason;
  const keep = (r: ReportRow) => (wanted === 'any' ? r.reasons.length > 0 : typeof wanted === 'string' ? r.reasons.includes(wanted) : r.reasons.some((x) => wanted?.includes(x)));
  const rows = wanted ? all.filter(keep) : all;
  const more = page.isLast === false || (page.isLast === undefined && !!page.nextPageToken);
  return { asOf: now.toISOString(), rows, nextPageToken: more && page.nextPageToken ? page.nextPageToken : null };
}
