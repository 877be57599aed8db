/** A create run after each chunk: never done while an item is pending; held items retried after the leases expire. */
import { afterChunk, RETRY_DELAY_SECONDS, RETRY_ROUNDS } from './pending-items';
import type { CreateIssuesEvent } from './create-issues-consumer';

const event = (over: Partial<CreateIssuesEvent>): CreateIssuesEvent => ({ runId: 'r', pageId: '1', localId: 'l', pageUrl: 'https://x/wiki/pages/1', itemIds: [], rest: [], onBehalfOf: { accountId: 'u', incidentVisible: false }, ...over });

it('carries pending items to the end of the run, then retries them after the leases expire', () => {
  const first = afterChunk(event({ itemIds: ['a', 'b'], rest: ['c'] }), [{ itemId: 'a', state: 'pending' }, { itemId: 'b', state: 'created', issueKey: 'OPS-1' }]);
  expect(first.next).toEqual({ event: expect.objectContaining({ itemIds: ['c'], rest: [], retry: ['a'], round: 0 }) });
  const last = afterChunk(first.next!.event, [{ itemId: 'c', state: 'created', issueKey: 'OPS-2' }]);
  expect(last.next).toEqual({ event: expect.objectContaining({ itemIds: ['a'], rest: [], retry: [], round: 1 }), delayInSeconds: RETRY_DELAY_SECONDS });
  expect(afterChunk(last.next!.event, [{ itemId: 'a', state: 'existing', issueKey: 'OPS-3' }])).toEqual({ outcomes: [{ itemId: 'a', state: 'existing', issueKey: 'OPS-3' }] });
});

it('ends after the last round with the still-held items failed, saying what to do, and never leaves an item without an outcome', () => {
  const end = afterChunk(event({ itemIds: ['a', 'gone'], round: RETRY_ROUNDS, retry: ['z'] }), [{ itemId: 'a', state: 'pending' }]);
  expect(end.next).toBeUndefined();
  expect(end.outcomes).toEqual([
    { itemId: 'gone', state: 'failed', reason: expect.stringMatching(/removed or is no longer accepted/) },
    { itemId: 'z', state: 'failed', reason: expect.stringMatching(/click Create all again/) },
    { itemId: 'a', state: 'failed', reason: expect.stringMatching(/click Create all again/) },
  ]);
});
