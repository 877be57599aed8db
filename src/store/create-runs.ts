/** Progress of an issue-creation run that went to the background, for the macro to follow. */
import { kvs } from '@forge/kvs';
import type { CreateRun, ItemOutcome } from '../contract/action-items';
import { CREATE_RUN, stamp, upgradeRecord } from '../domain/storage-schema';

export interface StoredRun extends CreateRun {
  pageId: string;
  localId: string;
  accountId: string;
}

const key = (runId: string) => `create-run:${runId}`;
/** Kept for a day: long enough for anyone to come back to the page and see what happened. */
const TTL = { value: 1, unit: 'DAYS' as const };

export async function saveRun(run: StoredRun): Promise<void> {
  await kvs.set(key(run.runId), stamp(CREATE_RUN, run), { ttl: TTL });
}

export async function loadRun(runId: string): Promise<StoredRun | undefined> {
  const stored = await kvs.get<unknown>(key(runId));
  return stored ? upgradeRecord<StoredRun>(CREATE_RUN, stored) : undefined;
}

/** Replaces the outcomes of these items (single writer: the run's events are processed one after another). */
export async function recordOutcomes(runId: string, outcomes: ItemOutcome[], done: boolean, version?: number): Promise<StoredRun | undefined> {
  const run = await loadRun(runId);
  if (!run) return undefined;
  const byId = new Map(outcomes.map((o) => [o.itemId, o]));
  const next: StoredRun = { ...run, outcomes: run.outcomes.map((o) => byId.get(o.itemId) ?? o), status: done ? 'done' : 'running', ...(version ? { version } : {}) };
  await saveRun(next);
  return next;
}
