/**
 * The app's index of postmortems: one `postmortem` entity per macro (page + localId), updated on every
 * save. The central index, the insights, the report and the follow-up jobs read it instead of every page.
 *
 * Beside it, one `postmortem-text` entity per macro holds what the cross-postmortem search looks in (the
 * "What failed" notes and the action items), so the index rows stay small.
 */
import { kvs, Sort, Filter, FilterConditions, WhereConditions } from '@forge/kvs';
import type { ConfluenceClient, PageSummary } from '../atlassian/confluence';
import type { FailureCategory, Postmortem, ActionItemState } from '../contract/postmortem';
import { actionItemCounts } from '../domain/postmortem';
import { computeTimelineMetrics } from '../domain/timeline';

const ENTITY = 'postmortem';
const TEXT_ENTITY = 'postmortem-text';

export interface PostmortemIndexEntry {
  pageId: string;
  localId: string;
  spaceKey: string;
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
export function indexEntryFor(input: { pageId: string; localId: string; spaceKey: string; postmortem: Postmortem; now: string }, existing: PostmortemIndexEntry | undefined): PostmortemIndexEntry {
  const pm = input.postmortem;
  const counts = actionItemCounts(pm);
  const metrics = computeTimelineMetrics(pm.timeline);
  const createdAt = existing?.createdAt ?? input.now;
  const entry: PostmortemIndexEntry = {
    pageId: input.pageId,
    localId: input.localId,
    spaceKey: input.spaceKey,
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

/** Indexes the postmortem stored on this page, looking up the page's space (what every writer of a postmortem does). */
export async function indexPostmortem(confluence: ConfluenceClient, pageId: string, localId: string, postmortem: Postmortem, knownPage?: PageSummary): Promise<PostmortemIndexEntry> {
  // The page as read earlier in the same invocation, when there is one (its space is what matters here).
  const page = knownPage ?? (await confluence.getPage(pageId));
  const space = await confluence.getSpace(page.spaceId);
  return upsertIndexEntry({ pageId, localId, spaceKey: space.key, postmortem, now: new Date().toISOString() });
}

export async function upsertIndexEntry(input: { pageId: string; localId: string; spaceKey: string; postmortem: Postmortem; now: string }): Promise<PostmortemIndexEntry> {
  const key = indexKey(input.pageId, input.localId);
  const existing = await kvs.entity<PostmortemIndexEntry>(ENTITY).get(key);
  const entry = indexEntryFor(input, existing);
  await kvs.entity<PostmortemIndexEntry>(ENTITY).set(key, entry);
  await kvs.entity<PostmortemTextEntry>(TEXT_ENTITY).set(key, textEntryFor(input.pageId, input.localId, entry.incidentAt!, input.postmortem));
  return entry;
}

/** Postmortems registered for an incident, newest first. */
export async function findByIncident(incidentKey: string): Promise<PostmortemIndexEntry[]> {
  const out = await kvs.entity<PostmortemIndexEntry>(ENTITY).query().index('by-incident', { partition: [incidentKey] }).sort(Sort.DESC).limit(20).getMany();
  return out.results.map((r) => r.value);
}

// ---------- reading the index by incident date ----------

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

export interface Batch<T> {
  results: { key: string; value: T }[];
  /** Where the next batch starts; absent after the last one. */
  cursor?: string;
}

/** Newest incident first; at most 100 per batch (the entity query maximum). */
function dateRange(f: { from?: string; to?: string }) {
  if (f.from && f.to) return WhereConditions.between(f.from, f.to);
  if (f.from) return WhereConditions.greaterThanEqualTo(f.from);
  if (f.to) return WhereConditions.lessThanEqualTo(f.to);
  return undefined;
}

/**
 * One batch of index entries matching the filters, newest incident first. The platform may apply filters
 * after the page limit, so a batch can hold fewer than `limit` entries (even none) and still have a cursor.
 */
export async function queryIndexBatch(filters: IndexFilters, cursor: string | undefined, limit = 100): Promise<Batch<PostmortemIndexEntry>> {
  let q = kvs.entity<PostmortemIndexEntry>(ENTITY).query().index('by-date');
  const range = dateRange(filters);
  if (range) q = q.where(range);
  type Condition = ReturnType<typeof FilterConditions.equalTo> | ReturnType<typeof FilterConditions.contains>;
  const conditions: [keyof PostmortemIndexEntry, Condition][] = [];
  if (filters.status) conditions.push(['status', FilterConditions.equalTo(filters.status)]);
  if (filters.severity) conditions.push(['severity', FilterConditions.equalTo(filters.severity)]);
  if (filters.spaceKey) conditions.push(['spaceKey', FilterConditions.equalTo(filters.spaceKey)]);
  // Tags are stored as ",a,b,": a whole tag matches, never part of one.
  if (filters.tag) conditions.push(['tagKeys', FilterConditions.contains(`,${tagKey(filters.tag)},`)]);
  const [head, ...rest] = conditions;
  if (head) {
    const [field, condition] = head;
    let and = new Filter<PostmortemIndexEntry>().and(field, condition);
    for (const [f, c] of rest) and = and.and(f, c);
    q = q.filters(and);
  }
  q = q.sort(Sort.DESC).limit(limit);
  if (cursor) q = q.cursor(cursor);
  const out = await q.getMany();
  return { results: out.results, cursor: out.nextCursor };
}

/** One batch of search texts whose text contains every one of `words` (already normalised), newest incident first. */
export async function queryTextBatch(words: string[], range: { from?: string; to?: string }, cursor: string | undefined, limit = 100): Promise<Batch<PostmortemTextEntry>> {
  if (!words.length) throw new Error('queryTextBatch needs at least one word');
  let q = kvs.entity<PostmortemTextEntry>(TEXT_ENTITY).query().index('by-date');
  const where = dateRange(range);
  if (where) q = q.where(where);
  const [first, ...others] = words;
  if (first === undefined) throw new Error('queryTextBatch needs at least one word');
  let and = new Filter<PostmortemTextEntry>().and('searchText', FilterConditions.contains(first));
  for (const w of others) and = and.and('searchText', FilterConditions.contains(w));
  q = q.filters(and).sort(Sort.DESC).limit(limit);
  if (cursor) q = q.cursor(cursor);
  const out = await q.getMany();
  return { results: out.results, cursor: out.nextCursor };
}
