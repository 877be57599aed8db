/**
 * The follow-through report's resolver contract (Jira project page and Confluence page), shared by
 * src/resolvers/follow-through-report.ts and static/report. Everything is read as the viewing user: counts
 * and rows only ever include issues the viewer may browse.
 *
 * The project comes from the invocation context on the Jira project page; on the Confluence page the
 * viewer picks one (or none = every project in scope).
 */
import type { Result } from './result';

/** Why an open action item needs attention (the same words as the follow-up job, src/domain/follow-up.ts). */
export type ReportReason = 'overdue' | 'unassigned' | 'unprioritized' | 'stale';

/** Table filter: one reason, `any` (at least one reason), or absent = every open action item. */
export type ReportReasonFilter = ReportReason | 'any';

/** Age since the issue was created: < 7 d, 7–30 d, 30–90 d, > 90 d. */
export type AgeBucket = 'under-7' | '7-30' | '30-90' | 'over-90';

export interface ReportProject {
  key: string;
  name: string;
}

export interface ReportRules {
  staleAfterDays: number;
  businessDaysOnly: boolean;
  timeZone: string;
  /** Plain words for what counts as unprioritized under the current settings. */
  unprioritized: string;
}

export interface ReportCounts {
  /** Open action items (status category not Done). */
  open: number;
  /** Open items with at least one reason. */
  attention: number;
  overdue: number;
  unassigned: number;
  unprioritized: number;
  stale: number;
}

export interface ReportSummary {
  /** The instant the counts were taken (ISO); pass it back to getReportPage so paging sees the same cut-offs. */
  asOf: string;
  /** The project the report is limited to, or null for every project in scope. */
  project: ReportProject | null;
  /** True on the Jira project page: the project comes from the page and cannot be changed. */
  projectFixed: boolean;
  /** Projects the viewer can pick (Confluence page only; empty on the project page). */
  projects: ReportProject[];
  /** The project page's project is not among the admin's projects in scope: nothing is reported for it. */
  outOfScope: boolean;
  /** Jira's approximate counts (POST /search/approximate-count), one per category. */
  counts: ReportCounts;
  /** Open items by age since creation, in bucket order. */
  aging: { bucket: AgeBucket; label: string; count: number }[];
  rules: ReportRules;
}

export interface ReportRow {
  key: string;
  /** Link to the issue on the site. */
  url: string;
  summary: string;
  projectKey: string;
  status: string;
  postmortem: { title: string; url: string | null; incidentKey: string | null } | null;
  assignee: { accountId: string; displayName: string } | null;
  /** The owning team, from a `team-*` label (set when an item's owner is a team). */
  team: string | null;
  priority: string | null;
  /** YYYY-MM-DD or null. */
  dueDate: string | null;
  /** ISO instants. */
  created: string;
  updated: string;
  /** The last change or comment not written by the app (its follow-ups do not count): what "stale" is measured from. */
  lastHumanActivity: string;
  /** Whole calendar days since the issue was created. */
  ageDays: number;
  ageBucket: AgeBucket;
  /** In REASON_ORDER, decided by the same rules as the follow-up job. */
  reasons: ReportReason[];
  /** The reasons in words, as the follow-up comment would say them. */
  reasonText: string[];
  /** Follow-up comments the app has posted on the issue. */
  followUps: { count: number; lastAt: string | null };
}

export interface ReportPageQuery {
  /** Confluence page only (ignored on the project page, where the context decides). */
  projectKey?: string;
  reason?: ReportReasonFilter;
  /** Words to find in the summary (at most 200 characters). */
  text?: string;
  /** From the previous page's `nextPageToken`; send the same filters and `asOf` with it. */
  pageToken?: string;
  /** The first page's (or summary's) `asOf`, so later pages use the same cut-offs. At most an hour old. */
  asOf?: string;
}

export interface ReportPage {
  asOf: string;
  rows: ReportRow[];
  /** Null on the last page. */
  nextPageToken: string | null;
}

export type ReportDefinitions = {
  getReportSummary: (input: { projectKey?: string }) => Result<ReportSummary>;
  getReportPage: (input: ReportPageQuery) => Result<ReportPage>;
};
