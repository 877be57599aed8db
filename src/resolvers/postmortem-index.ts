/**
 * The postmortem index (Confluence global page and macro): the Index, Insights and Search tabs.
 *
 * Built from the app's index entities (src/store/postmortem-index.ts), never by reading every page: each
 * view reads entity batches of 100, asks Confluence AS THE VIEWER which of those pages they may see
 * (`GET /wiki/api/v2/pages?id=...` answers only those), and asks Jira AS THE VIEWER for the action-item
 * issues of the visible pages (`pmPageId in (...)`, the app's indexed issue property). A postmortem on a
 * page the viewer cannot read, or an issue they cannot browse, never reaches the UI.
 *
 * Paging: a page token names the entity cursor of the batch being read and how far into it the previous
 * page got, so a page that ends mid-batch resumes exactly there. One call reads at most a few batches and
 * hands back a token when it runs out of budget before the page is full.
 */
import { makeResolver } from '@forge/resolver';
import { z } from 'zod';
import type {
  IndexOptions,
  IndexPage,
  IndexRow,
  Insights,
  ItemProgress,
  PostmortemIndexDefinitions,
  SearchHit,
  SearchMatch,
  SearchPage,
} from '../contract/postmortem-index';
import type { PostmortemStatus, Severity } from '../contract/postmortem';
import type { AppSettings } from '../contract/settings';
import { JiraClient, type SearchedIssue } from '../atlassian/jira';
import { jiraConnected } from '../atlassian/installation';
import { ACTION_ITEM_PROPERTY, jqlString, type ActionItemProperty } from '../domain/action-item-issue';
import { businessDaysBetween } from '../domain/business-days';
import { postmortemOverdue } from '../domain/follow-up';
import { actionItemInsights, durationInsights, monthsBetween, repeatGroups, reviewInsights, REPEAT_WINDOW_DAYS, type ItemIssue } from '../domain/insights';
import { addDaysToLocalDate, isCalendarDate, localDate, zonedTimeToUtc } from '../domain/time-zone';
import { indexKey, normaliseText, tagsOfEntry, queryIndexBatch, queryTextBatch, type Batch, type IndexFilters, type PostmortemIndexEntry, type PostmortemTextEntry } from '../store/postmortem-index';
import { loadSettings } from '../store/settings';
import { respond, UserError } from './respond';
import { fieldErrorsOf, PAGE_ID } from '../domain/validation';
import { ConfluenceClient, pageUrl } from '../atlassian/confluence';

export const DEFAULT_PAGE_SIZE = 25;
export const SEARCH_PAGE_SIZE = 20;
/** Entity batches one index or search call may read before it returns what it has (and a token). */
export const MAX_BATCHES_PER_CALL = 10;
/** Postmortems the insights read at most (newest first); beyond this the view says it is truncated. */
export const MAX_INSIGHT_POSTMORTEMS = 2000;
const BATCH = 100;
const PAGES_PER_LOOKUP = 250;
const PAGES_PER_JQL = 100;
const MAX_SEARCH_WORDS = 10;
const MAX_INCIDENT_ROWS = 500;

// ---------- input ----------

const calendarDate = z.string().refine(isCalendarDate, 'Use a date written YYYY-MM-DD.');
const filterShape = {
  status: z.enum(['draft', 'in-review', 'reviewed', 'published'], { error: 'Pick draft, in review, reviewed or published.' }).optional(),
  severity: z.enum(['SEV1', 'SEV2', 'SEV3', 'SEV4'], { error: 'Pick SEV1 to SEV4.' }).optional(),
  spaceKey: z.string().regex(/^~?[A-Za-z0-9_-]{1,255}$/, 'Not a Confluence space key.').optional(),
  tag: z.string().trim().min(1, 'Type a tag.').max(50, 'Tags are at most 50 characters.').optional(),
  from: calendarDate.optional(),
  to: calendarDate.optional(),
};
const pageToken = z.string().min(1).max(4096).regex(/^[A-Za-z0-9_-]+$/, 'Not a page token.');
const indexInput = z.object({ ...filterShape, pageToken: pageToken.optional(), pageSize: z.number().int().min(1).max(100).optional() }).strict();
const insightsInput = z.object({ from: filterShape.from, to: filterShape.to, spaceKey: filterShape.spaceKey, severity: filterShape.severity }).strict();
const searchInput = z.object({ text: z.string().max(200, 'Search for at most 200 characters.'), from: filterShape.from, to: filterShape.to, pageToken: pageToken.optional() }).strict();

function parse<T>(schema: z.ZodType<T>, payload: unknown, what: string): T {
  const parsed = schema.safeParse(payload ?? {});
  if (!parsed.success) {
    throw new UserError({ code: 'invalid-input', message: `The ${what} cannot be shown for this request.`, fieldErrors: fieldErrorsOf(parsed.error, 'payload') });
  }
  const value = parsed.data as T & { from?: string; to?: string };
  if (value.from && value.to && value.from > value.to) {
    throw new UserError({ code: 'invalid-input', message: `The ${what} cannot be shown for this request.`, fieldErrors: { to: 'The end date comes before the start date.' } });
  }
  return value;
}

/** A calendar-date range in the app's zone as the inclusive instants `incidentAt` is compared with. */
export function instantRange(range: { from?: string; to?: string }, timeZone: string): { from?: string; to?: string } {
  return {
    ...(range.from ? { from: zonedTimeToUtc(range.from, { hour: 0 }, timeZone).toISOString() } : {}),
    ...(range.to ? { to: new Date(zonedTimeToUtc(addDaysToLocalDate(range.to, 1), { hour: 0 }, timeZone).getTime() - 1).toISOString() } : {}),
  };
}

interface Token {
  /** Entity cursor of the batch to read ('' = the first). */
  k: string;
  /** Entries of that batch already handed out. */
  s: number;
}

export function encodeToken(t: Token): string {
  return Buffer.from(JSON.stringify(t), 'utf8').toString('base64url');
}

export function decodeToken(text: string | undefined): Token {
  if (!text) return { k: '', s: 0 };
  try {
    const t = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Token;
    if (typeof t.k === 'string' && t.k.length <= 4000 && Number.isInteger(t.s) && t.s >= 0 && t.s < BATCH) return t;
  } catch {
    // fall through
  }
  throw new UserError({ code: 'invalid-input', message: 'These results have expired: reload the list.', fieldErrors: { pageToken: 'Reload the list.' } });
}

/** The words of a search: letters and digits (joined by ' _ . - inside a word), normalised like the stored text. */
export function searchWordsOf(text: string): string[] {
  const words = normaliseText(text).match(/[\p{L}\p{N}]+(?:['_.-][\p{L}\p{N}]+)*/gu) ?? [];
  return [...new Set(words)].slice(0, MAX_SEARCH_WORDS);
}

// ---------- what the viewer may see ----------

interface VisiblePage {
  id: string;
  title: string;
  url: string;
}

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

/** The action-item issues of these pages that the viewer can browse, by postmortem (pageId:localId). */
async function itemIssues(pageIds: string[]): Promise<Map<string, SearchedIssue[]>> {
  const out = new Map<string, SearchedIssue[]>();
  // Jira is optional: without it the index lists the postmortems without their issues' progress.
  if (!jiraConnected()) return out;
  const jira = JiraClient.asUser();
  const unique = [...new Set(pageIds)];
  for (let i = 0; i < unique.length; i += PAGES_PER_JQL) {
    const jql = `pmPageId in (${unique.slice(i, i + PAGES_PER_JQL).map(jqlString).join(', ')})`;
    for (const issue of await jira.searchAll(jql, ['status', 'created', 'resolutiondate', 'duedate'], [ACTION_ITEM_PROPERTY])) {
      const prop = issue.properties?.[ACTION_ITEM_PROPERTY] as ActionItemProperty | undefined;
      if (!prop) continue;
      const key = indexKey(prop.pageId, prop.localId);
      out.set(key, [...(out.get(key) ?? []), issue]);
    }
  }
  return out;
}

const toItemIssue = (issue: SearchedIssue): ItemIssue => ({
  done: issue.fields.status?.statusCategory?.key === 'done',
  created: String(issue.fields.created),
  resolved: issue.fields.resolutiondate ?? null,
  dueDate: issue.fields.duedate ?? null,
});

/**
 * Reads entity batches from `token` until `want` entries on visible pages are found, the entities run out,
 * or `maxBatches` were read; returns them with the token to continue from (null at the end).
 */
export async function scanVisible<T extends { pageId: string }>(
  fetch: (cursor: string | undefined) => Promise<Batch<T>>,
  token: Token,
  want: number,
  siteUrl: string,
  maxBatches = MAX_BATCHES_PER_CALL,
): Promise<{ found: { value: T; page: VisiblePage }[]; next: Token | null; exhausted: boolean }> {
  const found: { value: T; page: VisiblePage }[] = [];
  let { k, s } = token;
  for (let b = 0; b < maxBatches; b++) {
    const batch = await fetch(k || undefined);
    const rest = batch.results.slice(s);
    const visible = await visiblePages(rest.map((r) => r.value.pageId), siteUrl);
    for (let i = s; i < batch.results.length; i++) {
      const entry = batch.results[i];
      if (!entry) continue;
      const value = entry.value;
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

// ---------- rows ----------

const orNull = (s: string | undefined) => (s ? s : null);

/** When the incident started: its timeline's first time, else when the postmortem was written. */
const incidentAtOf = (e: PostmortemIndexEntry) => e.incidentAt || e.createdAt;
/** When a postmortem became due from: the incident's resolution, else its start. */
const dueFrom = (e: PostmortemIndexEntry) => e.resolvedAt || incidentAtOf(e);
const tagsOf = (e: PostmortemIndexEntry) => tagsOfEntry(e.tags);

export function toRow(e: PostmortemIndexEntry, page: VisiblePage, issues: SearchedIssue[], settings: AppSettings, now: Date, siteUrl: string): IndexRow {
  const today = localDate(now, settings.timeZone);
  const visible = issues.map(toItemIssue);
  const done = visible.filter((i) => i.done).length;
  const open = visible.length - done;
  const items: ItemProgress = {
    proposed: e.proposed,
    accepted: e.accepted,
    dropped: e.dropped,
    created: Math.max(e.withIssue, visible.length),
    done,
    open,
    overdue: visible.filter((i) => !i.done && i.dueDate != null && i.dueDate < today).length,
    hidden: Math.max(0, e.withIssue - visible.length),
  };
  const opts = { timeZone: settings.timeZone, holidays: settings.holidays };
  const due = new Date(dueFrom(e));
  const draftOverdue = e.status === 'draft' && postmortemOverdue(due, settings, now) ? { businessDays: businessDaysBetween(due, now, opts) } : null;
  return {
    key: indexKey(e.pageId, e.localId),
    pageId: e.pageId,
    title: e.title || page.title,
    pageTitle: page.title,
    url: page.url,
    spaceKey: e.spaceKey,
    status: e.status as PostmortemStatus,
    severity: e.severity as Severity,
    incident: e.incidentKey ? { key: e.incidentKey, url: `${siteUrl}/browse/${e.incidentKey}` } : null,
    incidentAt: incidentAtOf(e),
    resolvedAt: orNull(e.resolvedAt),
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    publishedAt: orNull(e.publishedAt),
    owner: orNull(e.ownerName),
    reviewMeetingAt: orNull(e.reviewMeetingAt),
    tags: tagsOf(e),
    items,
    timeToDetectMinutes: e.ttdMinutes ?? null,
    timeToResolveMinutes: e.ttrMinutes ?? null,
    draftOverdue,
  };
}

/** The matching what-failed answers and action items of one postmortem: each that holds at least one word. */
export function searchMatches(text: PostmortemTextEntry, words: string[]): SearchMatch[] {
  const has = (s: string) => {
    const n = normaliseText(s);
    return words.some((w) => n.includes(w));
  };
  return [
    ...text.failed.filter((f) => has(f.notes)).map((f): SearchMatch => ({ kind: 'what-failed', category: f.category, text: f.notes.length > 600 ? `${f.notes.slice(0, 597)}…` : f.notes })),
    ...text.items.filter((i) => has(i.title)).map((i): SearchMatch => ({ kind: 'action-item', title: i.title, state: i.state, fromFailure: i.fromFailure, issueKey: i.issueKey })),
  ];
}

interface IndexContext {
  siteUrl?: string;
  extension?: { type?: string };
}

const siteOf = (context: unknown) => String((context as IndexContext).siteUrl ?? '');

function indexFilters(input: { status?: string; severity?: string; spaceKey?: string; tag?: string; from?: string; to?: string }, timeZone: string): IndexFilters {
  return {
    ...instantRange(input, timeZone),
    ...(input.status ? { status: input.status } : {}),
    ...(input.severity ? { severity: input.severity } : {}),
    ...(input.spaceKey ? { spaceKey: input.spaceKey } : {}),
    ...(input.tag ? { tag: input.tag } : {}),
  };
}

export const postmortemIndexResolver = makeResolver<PostmortemIndexDefinitions>({
  getIndexOptions: ({ context }) =>
    respond(async (): Promise<IndexOptions> => {
      const settings = await loadSettings();
      const spaces = await ConfluenceClient.asUser().listSpaces();
      return {
        spaces: spaces.map((s) => ({ key: s.key, name: s.name })),
        dueBusinessDays: settings.postmortemDueBusinessDays,
        timeZone: settings.timeZone,
        macro: (context as IndexContext).extension?.type === 'macro',
      };
    }),

  getIndexPage: ({ payload, context }) =>
    respond(async (): Promise<IndexPage> => {
      const input = parse(indexInput, payload, 'postmortem index');
      const token = decodeToken(input.pageToken);
      const settings = await loadSettings();
      const now = new Date();
      const siteUrl = siteOf(context);
      const filters = indexFilters(input, settings.timeZone);
      const { found, next } = await scanVisible((cursor) => queryIndexBatch(filters, cursor, BATCH), token, input.pageSize ?? DEFAULT_PAGE_SIZE, siteUrl);
      const issues = found.length ? await itemIssues(found.map((f) => f.value.pageId)) : new Map<string, SearchedIssue[]>();
      return {
        asOf: now.toISOString(),
        rows: found.map(({ value, page }) => toRow(value, page, issues.get(indexKey(value.pageId, value.localId)) ?? [], settings, now, siteUrl)),
        nextPageToken: next ? encodeToken(next) : null,
      };
    }),

  getInsights: ({ payload, context }) =>
    respond(async (): Promise<Insights> => {
      const input = parse(insightsInput, payload, 'insights');
      const settings = await loadSettings();
      const now = new Date();
      const siteUrl = siteOf(context);
      const tz = settings.timeZone;
      const to = input.to ?? localDate(now, tz);
      const from = input.from ?? addDaysToLocalDate(to, -364);
      if (from > to) throw new UserError({ code: 'invalid-input', message: 'The insights cannot be shown for this request.', fieldErrors: { from: 'The start date comes after the end date.' } });
      const filters = indexFilters({ from, to, spaceKey: input.spaceKey, severity: input.severity }, tz);
      const { found, exhausted } = await scanVisible((cursor) => queryIndexBatch(filters, cursor, BATCH), { k: '', s: 0 }, MAX_INSIGHT_POSTMORTEMS, siteUrl, MAX_INSIGHT_POSTMORTEMS / BATCH + 5);
      const issues = found.length ? await itemIssues(found.map((f) => f.value.pageId)) : new Map<string, SearchedIssue[]>();

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
        actionItems: actionItemInsights(visibleIssues.map(toItemIssue), { dropped, hidden }, localDate(now, tz)),
        reviews: reviewInsights(
          rows.map(({ e }) => ({ dueFrom: dueFrom(e), reviewMeetingAt: orNull(e.reviewMeetingAt) })),
          settings.postmortemDueBusinessDays,
          { timeZone: tz, holidays: settings.holidays },
          now,
        ),
        repeatWindowDays: REPEAT_WINDOW_DAYS,
        repeats: repeatGroups(rows.map(({ e, page, key }) => ({ key, title: e.title || page.title, url: page.url, incidentAt: incidentAtOf(e), tags: tagsOf(e) }))),
      };
    }),

  searchPostmortems: ({ payload, context }) =>
    respond(async (): Promise<SearchPage> => {
      const input = parse(searchInput, payload, 'search');
      const words = searchWordsOf(input.text);
      if (!words.length) throw new UserError({ code: 'invalid-input', message: 'Search for words: letters or digits.', fieldErrors: { text: 'Type a word to look for.' } });
      const token = decodeToken(input.pageToken);
      const settings = await loadSettings();
      const siteUrl = siteOf(context);
      const range = instantRange(input, settings.timeZone);
      const { found, next } = await scanVisible((cursor) => queryTextBatch(words, range, cursor, BATCH), token, SEARCH_PAGE_SIZE, siteUrl);
      return {
        words,
        hits: found.map(({ value, page }): SearchHit => ({ key: indexKey(value.pageId, value.localId), title: value.title || page.title, pageTitle: page.title, url: page.url, incidentAt: value.incidentAt, matches: searchMatches(value, words) })),
        nextPageToken: next ? encodeToken(next) : null,
      };
    }),
});
