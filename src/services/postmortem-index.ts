/**
 * The postmortem index's use cases (Confluence global page and macro): the Index, Insights and Search tabs.
 *
 * Built from the app's index entities (src/store/postmortem-index.ts), never by reading every page: each
 * view reads entity batches of 100, asks Confluence AS THE VIEWER which of those pages they may see
 * (`GET /wiki/api/v2/pages?id=...` answers only those), and asks Jira AS THE VIEWER for the action-item
 * issues of the visible pages (`pmPageId in (...)`, the app's indexed issue property). A postmortem on a
 * page the viewer cannot read, or an issue they cannot browse, never reaches the UI.
 *
 * One call reads at most a few batches and hands back a page token (src/domain/postmortem-index.ts) when it
 * runs out of budget before the page is full.
 */
import type { IndexOptions, IndexPage, IndexPageQuery, Insights, InsightsQuery, SearchHit, SearchPage } from '../contract/postmortem-index';
import type { Severity } from '../contract/postmortem';
import type { AppSettings } from '../contract/settings';
import { JiraClient, type SearchedIssue } from '../atlassian/jira';
import { jiraConnected } from '../atlassian/installation';
import { ConfluenceClient, pageUrl } from '../atlassian/confluence';
import { ACTION_ITEM_PROPERTY, type ActionItemProperty } from '../domain/action-item-issue';
import { actionItemInsights, durationInsights, monthsBetween, repeatGroups, reviewInsights, REPEAT_WINDOW_DAYS, type ItemIssue } from '../domain/insights';
import { addDaysToLocalDate, localDate } from '../domain/time-zone';
import {
  dueFrom,
  encodeToken,
  incidentAtOf,
  indexFilters,
  indexKey,
  INDEX_BATCH as BATCH,
  instantRange,
  itemIssuesOfPagesJql,
  orNull,
  searchMatches,
  tagsOf,
  toRow,
  type PageToken,
  type PostmortemIndexEntry,
  type VisiblePage,
} from '../domain/postmortem-index';
import { PAGE_ID } from '../domain/validation';
import { queryIndexBatch, queryTextBatch, type Batch } from '../store/postmortem-index';
import { ServiceRefusal } from './refusal';
import { loadWaivers } from '../store/gate-waivers'; // issue 16
import type { GateWaiver } from '../domain/workflow-gate';
import type { IndexRow } from '../contract/postmortem-index';

/** issue 16: the row with its incident's gate waiver, as the app recorded it; absent when there is none. */
function withWaiver(row: IndexRow, waiver: GateWaiver | undefined): IndexRow {
  return waiver ? { ...row, gateWaiver: { by: waiver.displayName, at: waiver.waivedAt, reason: waiver.reason } } : row;
}

export const DEFAULT_PAGE_SIZE = 25;
export const SEARCH_PAGE_SIZE = 20;
/** Entity batches one index or search call may read before it returns what it has (and a token). */
export const MAX_BATCHES_PER_CALL = 10;
/** Postmortems the insights read at most (newest first); beyond this the view says it is truncated. */
export const MAX_INSIGHT_POSTMORTEMS = 2000;
const PAGES_PER_LOOKUP = 250;
const PAGES_PER_JQL = 100;
const MAX_INCIDENT_ROWS = 500;

/** Of these page ids, the pages the viewer can see (Confluence answers only those), with live titles and links. */
export async function visiblePages(ids: string[], siteUrl: string): Promise<Map<string, VisiblePage>> {
  const unique = [...new Set(ids.filter((id) => PAGE_ID.test(id)))];
  const out = new Map<string, VisiblePage>();
  const confluence = ConfluenceClient.asUser();
  for (let i = 0; i < unique.length; i += PAGES_PER_LOOKUP) {
    for (const p of await confluence.pagesByIds(unique.slice(i, i + PAGES_PER_LOOKUP))) out.set(String(p.id), { id: String(p.id), title: p.title, url: pageUrl(siteUrl, String(p.id), p._links?.webui) });
  }
  return out;
}

/** Jira's fields of an action-item issue, as the index's figures count it. */
const toItemIssue = (issue: SearchedIssue): ItemIssue => ({
  done: issue.fields.status?.statusCategory?.key === 'done',
  created: String(issue.fields.created),
  resolved: issue.fields.resolutiondate ?? null,
  dueDate: issue.fields.duedate ?? null,
});

/** The action-item issues of these pages that the viewer can browse, by postmortem (pageId:localId). */
async function itemIssues(pageIds: string[]): Promise<Map<string, ItemIssue[]>> {
  const out = new Map<string, ItemIssue[]>();
  // Jira is optional: without it the index lists the postmortems without their issues' progress.
  if (!jiraConnected()) return out;
  const jira = JiraClient.asUser();
  const unique = [...new Set(pageIds)];
  for (let i = 0; i < unique.length; i += PAGES_PER_JQL) {
    const jql = itemIssuesOfPagesJql(unique.slice(i, i + PAGES_PER_JQL));
    for (const issue of await jira.searchAll(jql, ['status', 'created', 'resolutiondate', 'duedate'], [ACTION_ITEM_PROPERTY])) {
      const prop = issue.properties?.[ACTION_ITEM_PROPERTY] as ActionItemProperty | undefined;
      if (!prop) continue;
      const key = indexKey(prop.pageId, prop.localId);
      out.set(key, [...(out.get(key) ?? []), toItemIssue(issue)]);
    }
  }
  return out;
}

/**
 * Reads entity batches from `token` until `want` entries on visible pages are found, the entities run out,
 * or `maxBatches` were read; returns them with the token to continue from (null at the end).
 */
export async function scanVisible<T extends { pageId: string }>(
  fetch: (cursor: string | undefined) => Promise<Batch<T>>,
  token: PageToken,
  want: number,
  siteUrl: string,
  maxBatches = MAX_BATCHES_PER_CALL,
): Promise<{ found: { value: T; page: VisiblePage }[]; next: PageToken | null; exhausted: boolean }> {
  const found: { value: T; page: VisiblePage }[] = [];
  let { k, s } = token;
  for (let b = 0; b < maxBatches; b++) {
    const batch = await fetch(k || undefined);
    const rest = batch.results.slice(s);
    const visible = await visiblePages(rest.map((r) => r.value.pageId), siteUrl);
    for (const [offset, { value }] of rest.entries()) {
      const i = s + offset;
      const page = visible.get(value.pageId);
      if (page) found.push({ value, page });
      if (found.length === want) {
        if (i + 1 < batch.results.length) return { found, next: { k, s: i + 1 }, exhausted: false };
        return { found, next: batch.cursor ? { k: batch.cursor, s: 0 } : null, exhausted: !batch.cursor };
      }
    }
    if (!batch.cursor) return { found, next: null, exhausted: true };
    k = batch.cursor;
    s = 0;
  }
  return { found, next: { k, s: 0 }, exhausted: false };
}

/** One page of the index for the viewer: the filters as the resolver checked them, from the position `token` names. */
export async function indexPage(input: Omit<IndexPageQuery, 'pageToken'>, token: PageToken, settings: AppSettings, siteUrl: string): Promise<IndexPage> {
  const now = new Date();
  const filters = indexFilters(input, settings.timeZone);
  const { found, next } = await scanVisible((cursor) => queryIndexBatch(filters, cursor, BATCH), token, input.pageSize ?? DEFAULT_PAGE_SIZE, siteUrl);
  const issues = found.length ? await itemIssues(found.map((f) => f.value.pageId)) : new Map<string, ItemIssue[]>();
  // issue 16: the workflow-gate waivers of these incidents (one storage batch read, no REST call).
  const waivers = found.length ? await loadWaivers(found.map((f) => f.value.incidentKey)) : new Map<string, GateWaiver>();
  return {
    asOf: now.toISOString(),
    rows: found.map(({ value, page }) => withWaiver(toRow(value, page, issues.get(indexKey(value.pageId, value.localId)) ?? [], settings, now, siteUrl), waivers.get(value.incidentKey))),
    nextPageToken: next ? encodeToken(next) : null,
  };
}

/** The insights over the postmortems the viewer may see, for the checked date range (default: the last year). */
export async function insights(input: InsightsQuery, settings: AppSettings, siteUrl: string): Promise<Insights> {
  const now = new Date();
  const tz = settings.timeZone;
  const to = input.to ?? localDate(now, tz);
  const from = input.from ?? addDaysToLocalDate(to, -364);
  if (from > to) throw new ServiceRefusal({ code: 'invalid-input', message: 'The insights cannot be shown for this request.', fieldErrors: { from: 'The start date comes after the end date.' } });
  const filters = indexFilters({ from, to, spaceKey: input.spaceKey, severity: input.severity }, tz);
  const { found, exhausted } = await scanVisible((cursor) => queryIndexBatch(filters, cursor, BATCH), { k: '', s: 0 }, MAX_INSIGHT_POSTMORTEMS, siteUrl, MAX_INSIGHT_POSTMORTEMS / BATCH + 5);
  const issues = found.length ? await itemIssues(found.map((f) => f.value.pageId)) : new Map<string, ItemIssue[]>();

  const rows = found.map(({ value: e, page }) => ({ e, page, key: indexKey(e.pageId, e.localId) }));
  const months = monthsBetween(from, to);
  const timed = (pick: (e: PostmortemIndexEntry) => number | undefined) => rows.map(({ e }) => ({ severity: e.severity as Severity, incidentAt: incidentAtOf(e), minutes: pick(e) ?? null }));
  const visibleIssues = rows.flatMap(({ key }) => issues.get(key) ?? []);
  const hidden = rows.reduce((n, { e, key }) => n + Math.max(0, e.withIssue - (issues.get(key)?.length ?? 0)), 0);
  const dropped = rows.reduce((n, { e }) => n + e.dropped, 0);
  return {
    asOf: now.toISOString(),
    from,
    to,
    timeZone: tz,
    postmortems: rows.length,
    truncated: !exhausted,
    incidents: rows.slice(0, MAX_INCIDENT_ROWS).map(({ e, page, key }) => ({
      key,
      title: e.title || page.title,
      url: page.url,
      incidentKey: e.incidentKey || null,
      severity: e.severity as Severity,
      incidentAt: incidentAtOf(e),
      timeToDetectMinutes: e.ttdMinutes ?? null,
      timeToResolveMinutes: e.ttrMinutes ?? null,
    })),
    detect: durationInsights(timed((e) => e.ttdMinutes), months, tz),
    resolve: durationInsights(timed((e) => e.ttrMinutes), months, tz),
    actionItems: actionItemInsights(visibleIssues, { dropped, hidden }, localDate(now, tz)),
    reviews: reviewInsights(
      rows.map(({ e }) => ({ dueFrom: dueFrom(e), reviewMeetingAt: orNull(e.reviewMeetingAt) })),
      settings.postmortemDueBusinessDays,
      { timeZone: tz, holidays: settings.holidays },
      now,
    ),
    repeatWindowDays: REPEAT_WINDOW_DAYS,
    repeats: repeatGroups(rows.map(({ e, page, key }) => ({ key, title: e.title || page.title, url: page.url, incidentAt: incidentAtOf(e), tags: tagsOf(e) }))),
  };
}

/** One page of search hits for the viewer: these words (searchWordsOf in src/domain/postmortem-index.ts), from `token`. */
export async function searchPostmortems(input: { from?: string; to?: string }, words: string[], token: PageToken, settings: AppSettings, siteUrl: string): Promise<SearchPage> {
  const range = instantRange(input, settings.timeZone);
  const { found, next } = await scanVisible((cursor) => queryTextBatch(words, range, cursor, BATCH), token, SEARCH_PAGE_SIZE, siteUrl);
  return {
    words,
    hits: found.map(({ value, page }): SearchHit => ({ key: indexKey(value.pageId, value.localId), title: value.title || page.title, pageTitle: page.title, url: page.url, incidentAt: value.incidentAt, matches: searchMatches(value, words) })),
    nextPageToken: next ? encodeToken(next) : null,
  };
}

/** What the filters offer: the spaces the viewer may see, and how the index counts a draft as due. */
export async function indexOptions(settings: AppSettings, macro: boolean): Promise<IndexOptions> {
  const spaces = await ConfluenceClient.asUser().listSpaces();
  return { spaces: spaces.map((s) => ({ key: s.key, name: s.name })), dueBusinessDays: settings.postmortemDueBusinessDays, timeZone: settings.timeZone, macro };
}
