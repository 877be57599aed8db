/**
 * The postmortem index's pure rules: page tokens, search words and matches, the filters on the stored entries,
 * the index entries stored per postmortem, and how a stored entry becomes the row a viewer sees. No I/O:
 * src/store/postmortem-index.ts stores the entries, src/services/postmortem-index.ts reads for a viewer.
 *
 * Paging: a page token names the entity cursor of the batch being read and how far into it the previous
 * page got, so a page that ends mid-batch resumes exactly there.
 */
import type { IndexRow, ItemProgress, SearchMatch } from '../contract/postmortem-index';
import type { AppSettings } from '../contract/settings';
import { businessDaysBetween } from './business-days';
import { postmortemOverdue } from './follow-up';
import type { ItemIssue } from './insights';
import { jqlString } from './action-item-issue';
import { addDaysToLocalDate, localDate, zonedTimeToUtc } from './time-zone';
import type { ActionItemState, FailureCategory, Postmortem, PostmortemStatus, Severity } from '../contract/postmortem';
import { actionItemCounts } from './postmortem-workflow';
import { computeTimelineMetrics } from './timeline';

// ---------- the stored entries (src/store/postmortem-index.ts keeps them in Forge storage) ----------

export interface PostmortemIndexEntry {
  pageId: string;
  localId: string;
  spaceKey: string;
  /** The Confluence space id the key was looked up for: a later index of the same page in the same space reuses the key. Absent on older entries. */
  spaceId?: string;
  title: string;
  status: string;
  severity: string;
  /** '' when the postmortem names no incident (index attributes must be present to be indexed). */
  incidentKey: string;
  ownerAccountId: string;
  /** The incident owner's display name (person or team), '' when none. */
  ownerName?: string;
  reviewMeetingAt: string;
  createdAt: string;
  updatedAt: string;
  proposed: number;
  accepted: number;
  dropped: number;
  withIssue: number;
  /** The tags as a JSON array (a tag may contain a comma); entries written before that are comma-joined (see tagsOfEntry). */
  tags: string;
  /** Lower-case tags between commas (",checkout-api,database,"), commas inside a tag escaped (tagKey), for an exact-tag `contains` filter. */
  tagKeys?: string;
  /**
   * When the incident happened: the timeline's initial failure, else its detection, else when the
   * postmortem was first indexed. Always set; the index, the date filters and the insights sort by it.
   */
  incidentAt?: string;
  /** Timeline instants ('' when the timeline does not say). */
  startedAt?: string;
  detectedAt?: string;
  resolvedAt?: string;
  /** Whole minutes from initial failure to detection / to resolution; absent when the timeline cannot tell. */
  ttdMinutes?: number;
  ttrMinutes?: number;
  /** When the postmortem was first saved as published ('' until then). */
  publishedAt?: string;
}

export interface PostmortemTextEntry {
  pageId: string;
  localId: string;
  title: string;
  incidentAt: string;
  /** Lower-case, whitespace-collapsed what-failed notes and action item titles: what `contains` filters look in. */
  searchText: string;
  failed: { category: FailureCategory; notes: string }[];
  items: { id: string; title: string; state: ActionItemState; fromFailure: FailureCategory | null; issueKey: string | null }[];
}

export const indexKey = (pageId: string, localId: string) => `${pageId}:${localId}`;

/** How search text is normalised, both when stored and when searched for. */
export function normaliseText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** A tag as it appears between the commas of `tagKeys`: its own commas (and the escape character) escaped. */
export const tagKey = (tag: string) => normaliseText(tag).replace(/%/g, '%25').replace(/,/g, '%2C');

/** The tags of an index entry, exactly as saved. */
export function tagsOfEntry(tags: string | undefined): string[] {
  if (!tags) return [];
  if (tags.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(tags);
      if (Array.isArray(parsed) && parsed.every((t) => typeof t === 'string')) return parsed;
    } catch {
      // not JSON: an entry from before tags were stored as JSON
    }
  }
  return tags.split(',').filter(Boolean);
}

const minutes = (ms: number | null): number | undefined => (ms == null ? undefined : Math.round(ms / 60_000));

/** The index entry for a saved postmortem (pure; `existing` is the entry stored before, if any). */
export function indexEntryFor(input: { pageId: string; localId: string; spaceKey: string; spaceId?: string; postmortem: Postmortem; now: string }, existing: PostmortemIndexEntry | undefined): PostmortemIndexEntry {
  const pm = input.postmortem;
  const counts = actionItemCounts(pm);
  const metrics = computeTimelineMetrics(pm.timeline);
  const createdAt = existing?.createdAt ?? input.now;
  const entry: PostmortemIndexEntry = {
    pageId: input.pageId,
    localId: input.localId,
    spaceKey: input.spaceKey,
    ...(input.spaceId ? { spaceId: input.spaceId } : {}),
    title: pm.title,
    status: pm.status,
    severity: pm.severity,
    incidentKey: pm.incidentKey ?? '',
    ownerAccountId: pm.incidentOwner?.kind === 'user' ? pm.incidentOwner.id : '',
    ownerName: pm.incidentOwner ? pm.incidentOwner.displayName || pm.incidentOwner.id : '',
    reviewMeetingAt: pm.reviewMeetingAt ?? '',
    createdAt,
    updatedAt: input.now,
    proposed: counts.proposed,
    accepted: counts.accepted,
    dropped: counts.dropped,
    withIssue: counts.withIssue,
    tags: JSON.stringify(pm.tags),
    tagKeys: `,${pm.tags.map(tagKey).join(',')},`,
    incidentAt: metrics.startedAt ?? metrics.detectedAt ?? createdAt,
    startedAt: metrics.startedAt ?? '',
    detectedAt: metrics.detectedAt ?? '',
    resolvedAt: metrics.resolvedAt ?? '',
    publishedAt: pm.status === 'published' ? existing?.publishedAt || input.now : '',
  };
  const ttd = minutes(metrics.timeToDetectMs);
  const ttr = minutes(metrics.timeToResolveMs);
  if (ttd !== undefined) entry.ttdMinutes = ttd;
  if (ttr !== undefined) entry.ttrMinutes = ttr;
  return entry;
}

/** What the cross-postmortem search looks in (pure). */
export function textEntryFor(pageId: string, localId: string, incidentAt: string, pm: Postmortem): PostmortemTextEntry {
  const failed = pm.whatFailed.filter((f) => f.notes.trim() !== '').map((f) => ({ category: f.category, notes: f.notes }));
  const items = pm.actionItems.map((i) => ({ id: i.id, title: i.title, state: i.state, fromFailure: i.fromFailure ?? null, issueKey: i.issue?.key ?? null }));
  const searchText = normaliseText([...failed.map((f) => f.notes), ...items.map((i) => i.title)].join('\n'));
  return { pageId, localId, title: pm.title, incidentAt, searchText, failed, items };
}

export interface IndexFilters {
  /** Inclusive ISO instants bounding `incidentAt`. */
  from?: string;
  to?: string;
  status?: string;
  severity?: string;
  spaceKey?: string;
  /** One tag, matched exactly (case-insensitive). */
  tag?: string;
}

// ---------- reading them for a viewer ----------

/** Stored entries read per entity query (a page token points into one such batch). */
export const INDEX_BATCH = 100;
const MAX_SEARCH_WORDS = 10;

/** A page as the viewer may see it: live title and link. */
export interface VisiblePage {
  id: string;
  title: string;
  url: string;
}

/** A calendar-date range in the app's zone as the inclusive instants `incidentAt` is compared with. */
export function instantRange(range: { from?: string; to?: string }, timeZone: string): { from?: string; to?: string } {
  return {
    ...(range.from ? { from: zonedTimeToUtc(range.from, { hour: 0 }, timeZone).toISOString() } : {}),
    ...(range.to ? { to: new Date(zonedTimeToUtc(addDaysToLocalDate(range.to, 1), { hour: 0 }, timeZone).getTime() - 1).toISOString() } : {}),
  };
}

export interface PageToken {
  /** Entity cursor of the batch to read ('' = the first). */
  k: string;
  /** Entries of that batch already handed out. */
  s: number;
}

export function encodeToken(t: PageToken): string {
  return Buffer.from(JSON.stringify(t), 'utf8').toString('base64url');
}

/** The position a token names; null when it is not one the app wrote (a person may send anything). */
export function decodeToken(text: string | undefined): PageToken | null {
  if (!text) return { k: '', s: 0 };
  try {
    const t = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as PageToken;
    if (typeof t.k === 'string' && t.k.length <= 4000 && Number.isInteger(t.s) && t.s >= 0 && t.s < INDEX_BATCH) return t;
  } catch {
    // fall through
  }
  return null;
}

/** The words of a search: letters and digits (joined by ' _ . - inside a word), normalised like the stored text. */
export function searchWordsOf(text: string): string[] {
  const words = normaliseText(text).match(/[\p{L}\p{N}]+(?:['_.-][\p{L}\p{N}]+)*/gu) ?? [];
  return [...new Set(words)].slice(0, MAX_SEARCH_WORDS);
}

/** JQL for the action-item issues of these pages (the app's indexed issue property `pmPageId`). */
export function itemIssuesOfPagesJql(pageIds: string[]): string {
  return `pmPageId in (${pageIds.map(jqlString).join(', ')})`;
}


export const orNull = (s: string | undefined) => (s ? s : null);

/** When the incident started: its timeline's first time, else when the postmortem was written. */
export const incidentAtOf = (e: PostmortemIndexEntry) => e.incidentAt || e.createdAt;
/** When a postmortem became due from: the incident's resolution, else its start. */
export const dueFrom = (e: PostmortemIndexEntry) => e.resolvedAt || incidentAtOf(e);
export const tagsOf = (e: PostmortemIndexEntry) => tagsOfEntry(e.tags);

/** One index row: the stored entry, the page as the viewer sees it, and the action items' issues they may browse. */
export function toRow(e: PostmortemIndexEntry, page: VisiblePage, visible: ItemIssue[], settings: AppSettings, now: Date, siteUrl: string): IndexRow {
  const today = localDate(now, settings.timeZone);
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

/** The stored-entry filters for the index and insights, dates as instants in the app's zone. */
export function indexFilters(input: { status?: string; severity?: string; spaceKey?: string; tag?: string; from?: string; to?: string }, timeZone: string): IndexFilters {
  return {
    ...instantRange(input, timeZone),
    ...(input.status ? { status: input.status } : {}),
    ...(input.severity ? { severity: input.severity } : {}),
    ...(input.spaceKey ? { spaceKey: input.spaceKey } : {}),
    ...(input.tag ? { tag: input.tag } : {}),
  };
}

