/**
 * The postmortem index's resolver contract (Confluence global page "Postmortem index" and the macro of the
 * same name), shared by src/resolvers/postmortem-index.ts and static/index. Everything is what the viewing
 * user may see: postmortems on pages they cannot read and Jira issues they cannot browse never appear.
 */
import type { FailureCategory, ActionItemState, PostmortemStatus, Severity } from './postmortem';
import type { Result } from './result';

/** Filters shared by the index and the insights. Dates are calendar dates (YYYY-MM-DD) in the app's time zone. */
export interface IndexFilterInput {
  status?: PostmortemStatus;
  severity?: Severity;
  spaceKey?: string;
  /** One service / failure-category tag, matched exactly (case-insensitive). */
  tag?: string;
  /** The incident happened on or after this date... */
  from?: string;
  /** ...and on or before this one. */
  to?: string;
}

export interface IndexPageQuery extends IndexFilterInput {
  /** From the previous page's `nextPageToken`; send the same filters with it. */
  pageToken?: string;
  /** Rows per page, 1–100 (default 25). */
  pageSize?: number;
}

export interface ItemProgress {
  /** Action items in the document by triage state. */
  proposed: number;
  accepted: number;
  dropped: number;
  /** Jira issues created for them. */
  created: number;
  /** Of the created issues the viewer can see: done, still open, and open past their due date. */
  done: number;
  open: number;
  overdue: number;
  /** Created issues the viewer cannot browse (not counted in done / open / overdue). */
  hidden: number;
}

export interface IndexRow {
  /** pageId:localId — one row per postmortem macro. */
  key: string;
  pageId: string;
  /** The postmortem's title (several macros may share a page). */
  title: string;
  /** The Confluence page it is on, as the viewer sees it now. */
  pageTitle: string;
  url: string;
  spaceKey: string;
  status: PostmortemStatus;
  severity: Severity;
  incident: { key: string; url: string } | null;
  /** When the incident started (ISO; the postmortem's creation when its timeline does not say). */
  incidentAt: string;
  resolvedAt: string | null;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  /** The incident owner (person or team). */
  owner: string | null;
  reviewMeetingAt: string | null;
  tags: string[];
  items: ItemProgress;
  timeToDetectMinutes: number | null;
  timeToResolveMinutes: number | null;
  /** Still a draft although the postmortem was due (N business days after the incident was resolved). */
  draftOverdue: { businessDays: number } | null;
  /** issue 16: a Jira admin waived the workflow gate for this postmortem's incident (the app's record); absent when not. */
  gateWaiver?: { by: string; at: string; reason: string };
}

export interface IndexPage {
  asOf: string;
  rows: IndexRow[];
  /** Null on the last page. */
  nextPageToken: string | null;
}

export interface IndexOptions {
  /** Spaces the viewer can see, for the space filter. */
  spaces: { key: string; name: string }[];
  /** The "postmortem due" setting: drafts older than this stand out; reviews within it count as on time. */
  dueBusinessDays: number;
  timeZone: string;
  /** True when shown as the macro (the index only, no insights or search tabs). */
  macro: boolean;
}

export interface DurationStats {
  count: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
}

export interface DurationInsights {
  overall: DurationStats;
  bySeverity: { severity: Severity; stats: DurationStats }[];
  /** Calendar months (YYYY-MM, app time zone) of the incidents in range, oldest first; empty months included. */
  byMonth: { month: string; stats: DurationStats }[];
}

export interface IncidentTimes {
  key: string;
  title: string;
  url: string;
  incidentKey: string | null;
  severity: Severity;
  incidentAt: string;
  timeToDetectMinutes: number | null;
  timeToResolveMinutes: number | null;
}

export interface ActionItemInsights {
  /** Jira issues created for action items of the postmortems in range that the viewer can see. */
  created: number;
  done: number;
  open: number;
  /** Open and past their due date. */
  overdue: number;
  /** Items dropped explicitly at triage (from the documents). */
  dropped: number;
  /** Created issues the viewer cannot browse (left out of every figure above). */
  hidden: number;
  /** done / created, or null with nothing created. */
  completionRate: number | null;
  /** overdue / open, or null with nothing open. */
  overdueShare: number | null;
  /** Created → resolved, over the done issues, in days. */
  timeToClose: { count: number; medianDays: number | null; p90Days: number | null };
}

export interface ReviewInsights {
  dueBusinessDays: number;
  /** Review meeting held within N business days of the incident's resolution. */
  onTime: number;
  /** Held later, or not held although N business days have passed. */
  late: number;
  /** Not held yet, still within N business days. */
  pending: number;
  /** onTime / (onTime + late), or null. */
  shareOnTime: number | null;
}

export interface RepeatGroup {
  tag: string;
  /** Postmortems with this tag, each within 90 days of the one before; oldest first. */
  postmortems: { key: string; title: string; url: string; incidentAt: string }[];
  spanDays: number;
}

export interface Insights {
  asOf: string;
  /** The range actually used (YYYY-MM-DD), defaults filled in. */
  from: string;
  to: string;
  timeZone: string;
  postmortems: number;
  /** More postmortems matched than one view reads (the figures cover the newest ones); narrow the range. */
  truncated: boolean;
  incidents: IncidentTimes[];
  detect: DurationInsights;
  resolve: DurationInsights;
  actionItems: ActionItemInsights;
  reviews: ReviewInsights;
  repeatWindowDays: number;
  repeats: RepeatGroup[];
}

export type InsightsQuery = Pick<IndexFilterInput, 'from' | 'to' | 'spaceKey' | 'severity'>;

export interface SearchQuery {
  /** Words that must all appear (in one postmortem's what-failed notes or action items). */
  text: string;
  from?: string;
  to?: string;
  pageToken?: string;
}

export type SearchMatch =
  | { kind: 'what-failed'; category: FailureCategory; text: string }
  | { kind: 'action-item'; title: string; state: ActionItemState; fromFailure: FailureCategory | null; issueKey: string | null };

export interface SearchHit {
  key: string;
  title: string;
  pageTitle: string;
  url: string;
  incidentAt: string;
  matches: SearchMatch[];
}

export interface SearchPage {
  /** The words searched for, as matched (lower case). */
  words: string[];
  hits: SearchHit[];
  nextPageToken: string | null;
}

export type PostmortemIndexDefinitions = {
  getIndexOptions: () => Result<IndexOptions>;
  getIndexPage: (input: IndexPageQuery) => Result<IndexPage>;
  getInsights: (input: InsightsQuery) => Result<Insights>;
  searchPostmortems: (input: SearchQuery) => Result<SearchPage>;
};
