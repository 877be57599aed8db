/**
 * The storage upgrade's own state (one KVS key) and the index reads and writes it needs. The upgrade walks
 * the index in `updatedAt` order, a page at a time; the cursor of the next page is kept here after each page,
 * so a crash, a timeout or the end of an event chain resumes where it stopped.
 */
import { kvs, Sort, Filter, FilterConditions } from '@forge/kvs';
import { isKeyConflict } from './kvs-errors';
import { fromIndex, fromText } from './postmortem-index';
import type { PostmortemIndexEntry, PostmortemTextEntry } from '../domain/postmortem-index';
import { isCurrent, POSTMORTEM_INDEX, POSTMORTEM_TEXT, stamp, upgradeRecord, UPGRADE_PROGRESS } from '../domain/storage-schema';

const PROGRESS_KEY = 'storage-upgrade:progress';

export interface UpgradeProgress {
  /** The storage format this run brings everything to (STORAGE_FORMAT in src/jobs/storage-upgrade.ts). */
  target: number;
  /** Each start gets its own id: events of an older start are dropped. */
  runId: string;
  /** The number of the next event of the chain; a repeated or late event with another number is dropped. */
  step: number;
  /** Where the next page of the index starts (absent: from the beginning, or done). */
  cursor?: string;
  done: boolean;
  startedAt: string;
  updatedAt: string;
  /** What was done so far (for the platform log and the README's promise that a rerun changes nothing). */
  counts: { seen: number; upgraded: number; datesFilled: number; textWritten: number; skipped: number };
}

export async function loadProgress(): Promise<UpgradeProgress | undefined> {
  const stored = await kvs.get<unknown>(PROGRESS_KEY);
  return stored ? upgradeRecord<UpgradeProgress>(UPGRADE_PROGRESS, stored) : undefined;
}

export async function saveProgress(p: UpgradeProgress): Promise<void> {
  await kvs.set(PROGRESS_KEY, stamp(UPGRADE_PROGRESS, p));
}

export interface StoredIndexRow {
  key: string;
  /** As stored (any format). */
  raw: Record<string, unknown>;
  entry: PostmortemIndexEntry;
}

/** One page of the index, oldest change first (the `by-updated` index holds every entry: `updatedAt` is always set). */
export async function indexPage(cursor: string | undefined, limit: number): Promise<{ rows: StoredIndexRow[]; cursor?: string }> {
  let q = kvs.entity<Record<string, unknown>>('postmortem').query().index('by-updated').sort(Sort.ASC).limit(limit);
  if (cursor) q = q.cursor(cursor);
  const out = await q.getMany();
  return { rows: out.results.map((r) => ({ key: r.key, raw: r.value, entry: fromIndex(r.value) })), cursor: out.nextCursor };
}

export const indexEntryIsCurrent = (raw: unknown) => isCurrent(POSTMORTEM_INDEX, raw);

export async function textEntry(key: string): Promise<PostmortemTextEntry | undefined> {
  const stored = await kvs.entity<PostmortemTextEntry>('postmortem-text').get(key);
  return stored ? fromText(stored) : undefined;
}

export const textEntryIsCurrent = (raw: unknown) => isCurrent(POSTMORTEM_TEXT, raw);
export async function rawTextEntry(key: string): Promise<unknown> {
  return kvs.entity<unknown>('postmortem-text').get(key);
}

/**
 * Writes the upgraded entry (and its search text) only if nobody saved the postmortem since it was read: a
 * save writes the current format itself, so losing that race is fine. Returns false when it was lost.
 */
export async function replaceIndexEntry(key: string, readUpdatedAt: string, entry: PostmortemIndexEntry, text?: PostmortemTextEntry): Promise<boolean> {
  const unchanged = new Filter<PostmortemIndexEntry>().and('updatedAt', FilterConditions.equalTo(readUpdatedAt));
  const tx = kvs.transact().set(key, stamp(POSTMORTEM_INDEX, entry), { entityName: 'postmortem', conditions: unchanged });
  if (text) tx.set(key, stamp(POSTMORTEM_TEXT, text), { entityName: 'postmortem-text' });
  try {
    await tx.execute();
    return true;
  } catch (e) {
    if (isKeyConflict(e)) return false;
    throw e;
  }
}
