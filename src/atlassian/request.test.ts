/** The retry policy is passed in (an argument, or a scope for whole app runs), never changed for everyone. */
import { route, type Response as ForgeResponse } from '@forge/api';
import { DEFAULT_RETRY, send, withRetryPolicy, type Requester } from './request';

/** A requester that answers 503 every time and counts the tries. */
function alwaysBusy(): { request: Requester; tries: () => number } {
  let tries = 0;
  const request: Requester = () => {
    tries += 1;
    return Promise.resolve(new Response('{"message":"busy"}', { status: 503 }) as unknown as ForgeResponse);
  };
  return { request, tries: () => tries };
}

const quick = (maxAttempts: number) => ({ maxAttempts, baseDelayMs: 1, maxDelayMs: 5 });

it('keeps the app policy frozen', () => {
  expect(Object.isFrozen(DEFAULT_RETRY)).toBe(true);
  expect(() => Object.assign(DEFAULT_RETRY, { baseDelayMs: 1 })).toThrow(TypeError);
  expect(DEFAULT_RETRY).toEqual({ maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 20_000 });
});

it('tries as often as the policy passed as an argument says', async () => {
  const busy = alwaysBusy();
  await expect(send(busy.request, route`/rest/api/3/myself`, {}, quick(3))).rejects.toMatchObject({ status: 503, messages: ['busy'] });
  expect(busy.tries()).toBe(3);
});

it('gives each scope its own policy, also when they run at the same time', async () => {
  const a = alwaysBusy();
  const b = alwaysBusy();
  await Promise.all([
    withRetryPolicy(quick(2), () => expect(send(a.request, route`/rest/api/3/myself`)).rejects.toMatchObject({ status: 503 })),
    withRetryPolicy(quick(4), () => expect(send(b.request, route`/rest/api/3/myself`)).rejects.toMatchObject({ status: 503 })),
  ]);
  expect([a.tries(), b.tries()]).toEqual([2, 4]);
  // An explicit argument wins over the scope; a write that is not idempotent is never retried on a 5xx.
  const c = alwaysBusy();
  await withRetryPolicy(quick(4), () => expect(send(c.request, route`/rest/api/3/myself`, {}, { ...quick(4), retryServerErrors: false })).rejects.toMatchObject({ status: 503 }));
  expect(c.tries()).toBe(1);
});
