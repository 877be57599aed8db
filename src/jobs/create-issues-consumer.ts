/**
 * The background half of "Create all" for large postmortems: one queue event per 150 items, processed one
 * after another (each event pushes the next). A consumer has no user (asUser() there is not documented), so
 * the resolver checks the clicking user's rights and the events act as the app with that user as reporter.
 * A failure asks the platform to retry the same chunk; the per-item leases and the JQL recovery make the
 * retry create only what is missing, also when events of several runs run side by side.
 *
 * Items another run holds (a double click, or a run that died with its leases) come back as pending. They
 * are collected and, once the last chunk is done, tried again by an event delayed past the leases' expiry
 * (src/jobs/pending-items.ts): the run is never reported done while an item is pending.
 */
import { Queue, InvocationError, InvocationErrorCode, type AsyncEvent } from '@forge/events';
import { z } from 'zod';
import { createActionItemIssues } from '../services/create-action-item-issues';
import { recordOutcomes } from '../store/create-runs';
import { APP_ID } from '../domain/validation';
import { malformed } from './malformed-event';
import { afterChunk, CHUNK, RETRY_ROUNDS } from './pending-items';

export { CHUNK };
export const CREATE_ISSUES_QUEUE = 'create-action-item-issues';

export interface CreateIssuesEvent {
  runId: string;
  pageId: string;
  localId: string;
  pageUrl: string;
  /** This event's items, then the ones still to do. */
  itemIds: string[];
  rest: string[];
  /** The user who clicked (reporter of the issues) and what the resolver found they may do. */
  onBehalfOf: { accountId: string; incidentVisible: boolean };
  /** Items found pending (held by another run) so far, to try again after the last chunk. */
  retry?: string[];
  /** How many retry rounds came before this event. */
  round?: number;
}

export async function pushCreateIssues(event: CreateIssuesEvent, delayInSeconds?: number): Promise<void> {
  await new Queue({ key: CREATE_ISSUES_QUEUE }).push([{ body: event as unknown as Record<string, unknown>, ...(delayInSeconds ? { delayInSeconds } : {}) }]);
}

const eventSchema = z.object({
  runId: z.string().regex(APP_ID),
  pageId: z.string().regex(APP_ID),
  localId: z.string().regex(APP_ID),
  pageUrl: z.string().max(2048),
  itemIds: z.array(z.string().min(1).max(100)).max(CHUNK),
  rest: z.array(z.string().min(1).max(100)).max(500),
  onBehalfOf: z.object({ accountId: z.string().min(1).max(128), incidentVisible: z.boolean() }),
  retry: z.array(z.string().min(1).max(100)).max(500).optional(),
  round: z.number().int().min(0).max(RETRY_ROUNDS).optional(),
});

export async function createIssuesConsumer(event: AsyncEvent): Promise<unknown> {
  // Only the app pushes to this queue, but an event is still checked before anything is written.
  const parsed = eventSchema.safeParse(event?.body);
  if (!parsed.success) return malformed(CREATE_ISSUES_QUEUE, parsed.error);
  const body: CreateIssuesEvent = parsed.data;
  try {
    const { outcomes, version } = await createActionItemIssues(
      { pageId: body.pageId, localId: body.localId, pageUrl: body.pageUrl, runId: body.runId, onBehalfOf: body.onBehalfOf },
      { itemIds: body.itemIds },
    );
    const step = afterChunk(body, outcomes);
    await recordOutcomes(body.runId, step.outcomes, !step.next, version);
    if (step.next) await pushCreateIssues(step.next.event, step.next.delayInSeconds);
    return undefined;
  } catch (e) {
    console.error(`Creating issues for run ${body.runId} failed; asking for a retry`, e);
    return new InvocationError({ retryAfter: 30, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
  }
}
