/**
 * What a create run does after each chunk, so that it never says "done" while an item is pending.
 *
 * An item is pending when another run holds its lease: a double click (that run will finish it) or a run that
 * died without releasing it (nothing will, until the lease expires). Pending items are carried to the end of
 * the run, then tried again by an event delayed past the lease's life; the retry takes the lease, and the
 * recovery (src/services/create-action-item-issues.ts) finds an issue the dead run created, so none is made twice.
 * After RETRY_ROUNDS rounds an item still held is reported failed with what to do, so the run ends.
 */
import type { ItemOutcome } from '../contract/action-items';
import { ITEM_LEASE_SECONDS } from '../services/create-action-item-issues';
import type { CreateIssuesEvent } from './create-issues-consumer';

export const RETRY_ROUNDS = 5;
/**
 * Items per queue event: three bulk creates of 50. Each event reads the postmortem once and writes the keys
 * into it once, so fewer, larger events spend fewer Confluence calls (a 120-item run: one event, not three);
 * 150 remote links at 5 at a time stay far inside the 900 s a run may take. The per-item leases and the
 * recovery by creation token keep a retried or overlapping event from creating an issue twice.
 */
export const CHUNK = 150;
/** Past the lease's expiry, with a margin for clocks. */
export const RETRY_DELAY_SECONDS = ITEM_LEASE_SECONDS + 10;

export interface ChunkStep {
  outcomes: ItemOutcome[];
  /** The next event to push (undefined: the run is done). */
  next?: { event: CreateIssuesEvent; delayInSeconds?: number };
}

export function afterChunk(event: CreateIssuesEvent, outcomes: ItemOutcome[]): ChunkStep {
  const byId = new Map(outcomes.map((o) => [o.itemId, o]));
  // An asked-for item with no outcome was removed or un-accepted meanwhile: say so rather than leave it pending.
  const all: ItemOutcome[] = event.itemIds.map((itemId) => byId.get(itemId) ?? { itemId, state: 'failed', reason: 'This item was removed or is no longer accepted, so no issue was created.' });
  const retry = [...(event.retry ?? []), ...all.filter((o) => o.state === 'pending').map((o) => o.itemId)];
  const round = event.round ?? 0;
  if (event.rest.length) return { outcomes: all, next: { event: { ...event, itemIds: event.rest.slice(0, CHUNK), rest: event.rest.slice(CHUNK), retry, round } } };
  if (!retry.length) return { outcomes: all };
  if (round < RETRY_ROUNDS) return { outcomes: all, next: { event: { ...event, itemIds: retry.slice(0, CHUNK), rest: retry.slice(CHUNK), retry: [], round: round + 1 }, delayInSeconds: RETRY_DELAY_SECONDS } };
  const stuck = new Set(retry);
  const failed = retry.map((itemId): ItemOutcome => ({ itemId, state: 'failed', reason: 'Another run kept this item busy for too long; click Create all again.' }));
  return { outcomes: [...all.filter((o) => !stuck.has(o.itemId)), ...failed] };
}
