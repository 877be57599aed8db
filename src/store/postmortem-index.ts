/**
 * The app's index of postmortems: one `postmortem` entity per macro (page + localId), updated on every
 * save. The central index, the insights, the report and the follow-up jobs read it instead of every page.
 *
 * Beside it, one `postmortem-text` entity per macro holds what the cross-postmortem search looks in (the
 * "What failed" notes and the action items), so the index rows stay small.
 */
import { kvs, Sort, Filter, FilterConditions, WhereConditions } from '@forge/kvs';
import type { Postmortem } from '../contract/postmortem';
import { indexEntryFor, indexKey, tagKey, textEntryFor, type IndexFilters, type PostmortemIndexEntry, type PostmortemTextEntry } from '../domain/postmortem-index';
import { POSTMORTEM_INDEX, POSTMORTEM_TEXT, stamp, upgradeRecord } from '../domain/storage-schema';

const ENTITY = 'postmortem';
const TEXT_ENTITY = 'postmortem-text';

/** `existing`: the entry as just read by the caller (undefined: none), to spare a second read. */
export async function upsertIndexEntry(
  input: { pageId: string; localId: string; spaceKey: string; spaceId?: string; postmortem: Postmortem; now: string },
  known?: { existing: PostmortemIndexEntry | undefined },
): Promise<PostmortemIndexEntry> {
  const key = indexKey(input.pageId, input.localId);
  const existing = known ? known.existing : await getIndexEntry(input.pageId, input.localId);
  const entry = indexEntryFor(input, existing);
  await kvs.entity<PostmortemIndexEntry>(ENTITY).set(key, stamp(POSTMORTEM_INDEX, entry));
  await kvs.entity<PostmortemTextEntry>(TEXT_ENTITY).set(key, stamp(POSTMORTEM_TEXT, textEntryFor(input.pageId, input.localId, entry.incidentAt!, input.postmortem)));
  return entry;
}

/** Postmortems registered for an incident, newest first. */
export async function findByIncident(incidentKey: string): Promise<PostmortemIndexEntry[]> {
  const out = await kvs.entity<PostmortemIndexEntry>(ENTITY).query().index('by-incident', { partition: [incidentKey] }).sort(Sort.DESC).limit(20).getMany();
  return out.results.map((r) => fromIndex(r.value));
}

/** One postmortem's index entry, in the current format. */
export async function getIndexEntry(pageId: string, localId: string): Promise<PostmortemIndexEntry | undefined> {
  const stored = await kvs.entity<PostmortemIndexEntry>(ENTITY).get(indexKey(pageId, localId));
  return stored ? fromIndex(stored) : undefined;
}

/** Every read of the index goes through this: an entry of an older format reads as today's (src/domain/storage-schema.ts). */
export const fromIndex = (stored: unknown): PostmortemIndexEntry => upgradeRecord<PostmortemIndexEntry>(POSTMORTEM_INDEX, stored);
export const fromText = (stored: unknown): PostmortemTextEntry => upgradeRecord<PostmortemTextEntry>(POSTMORTEM_TEXT, stored);

// ---------- reading the index by incident date ----------

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
  return { results: out.results.map((r) => ({ key: r.key, value: fromIndex(r.value) })), cursor: out.nextCursor };
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
  return { results: out.results.map((r) => ({ key: r.key, value: fromText(r.value) })), cursor: out.nextCursor };
}
