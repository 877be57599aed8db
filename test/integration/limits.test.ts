/**
 * The platform's limits on the local site, met by the real @forge SDKs of a small fixture app: invocations end
 * at their time limit (UI resolvers 25 s, consumers their timeoutSeconds) and nothing they do afterwards lands;
 * asUser() is refused in a consumer; a chain of pushes ends at the cyclic invocation limit
 * (InvocationLimitReachedError) and a flood of pushes at the events-per-minute limit (RateLimitError).
 */
import path from 'node:path';
import { kvs } from '@forge/kvs';
import { Queue, RateLimitError } from '@forge/events';
import { useLocalSite } from './support/site';
import { CYCLIC_INVOCATION_LIMIT, EVENTS_PER_MINUTE, FunctionTimeoutError } from '../../local-site/site';
import { ADMIN_ID } from '../../local-site/state/users';

const appRoot = path.join(__dirname, '../fixtures/platform-app');
const site = useLocalSite({ appRoot, startAt: new Date('2026-11-02T09:00:00Z') });

/**
 * Runs `work` under Jest's fake clock, moving it `totalMs` forward in small steps so that the site's limit
 * timers and the app's own waits fire in order (real I/O between them still runs).
 */
async function withFakeClock<T>(totalMs: number, work: () => Promise<T>): Promise<{ settled: PromiseSettledResult<T> }> {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  try {
    let settled: PromiseSettledResult<T> | undefined;
    const running = work().then(
      (value) => (settled = { status: 'fulfilled', value }),
      (reason: unknown) => (settled = { status: 'rejected', reason }),
    );
    for (let t = 0; t < totalMs; t += 250) {
      await jest.advanceTimersByTimeAsync(250);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await running;
    return { settled: settled! };
  } finally {
    jest.useRealTimers();
  }
}

describe('time limits', () => {
  it('end a UI resolver at 25 s: the call fails and what it still does afterwards never lands', async () => {
    const s = site();
    const { settled } = await withFakeClock(40_000, () => s.invokeUi('slow-page', { functionKey: 'any', payload: { waitMs: 30_000 } }, { accountId: ADMIN_ID }));
    expect(settled.status).toBe('rejected');
    expect((settled as PromiseRejectedResult).reason).toBeInstanceOf(FunctionTimeoutError);
    expect(String((settled as PromiseRejectedResult).reason)).toMatch(/25 s/);
    expect(s.invocations).toEqual([expect.objectContaining({ kind: 'ui', ok: false })]);
    // The resolver woke up at 30 s and tried to write: the platform had already ended it.
    expect(await kvs.get('slow-resolver-finished')).toBeUndefined();
  });

  it('let a UI resolver finish within 25 s', async () => {
    const s = site();
    const { settled } = await withFakeClock(30_000, () => s.invokeUi('slow-page', { functionKey: 'any', payload: { waitMs: 20_000 } }, { accountId: ADMIN_ID }));
    expect(settled).toEqual({ status: 'fulfilled', value: 'finished' });
    expect(await kvs.get('slow-resolver-finished')).toBe(true);
  });

  it('end a consumer at its timeoutSeconds, and the platform retries the event', async () => {
    const s = site();
    await s.asInvocation(undefined, () => new Queue({ key: 'slow' }).push([{ body: { id: 'long', waitMs: 70_000 } }, { body: { id: 'short', waitMs: 50_000 } }]));
    await withFakeClock(80_000, () => s.runDueEvents());
    expect(await kvs.get('slow-consumed:short')).toBe(true);
    expect(await kvs.get('slow-consumed:long')).toBeUndefined();
    expect(s.state.platform.queue).toEqual([expect.objectContaining({ retryReason: 'FUNCTION_TIME_OUT', attempt: 1 })]);
  });
});

describe('queue consumers', () => {
  it('get no user: asUser() there is refused, and the consumer goes on as the app', async () => {
    const s = site();
    // Pushed during a user's invocation: the consumer still runs without that user.
    await s.asInvocation(ADMIN_ID, () => new Queue({ key: 'slow' }).push([{ body: { id: 'u', waitMs: 0, asUser: true } }]));
    await s.drainQueue();
    expect(await kvs.get('as-user:u')).toMatch(/^ProxyRequestError/);
    expect(await kvs.get('slow-consumed:u')).toBe(true);
    expect(s.log.count({ product: 'jira' })).toBe(0);
  });

  it(`end a chain of pushes at ${CYCLIC_INVOCATION_LIMIT} push requests with InvocationLimitReachedError`, async () => {
    const s = site();
    await s.asInvocation(undefined, () => new Queue({ key: 'chain' }).push([{ body: { n: 1 } }]));
    await s.drainQueue();
    // The first push was the chain's first request; each consumer then pushed once more until refused.
    expect(await kvs.get('chain-stopped')).toEqual({ at: CYCLIC_INVOCATION_LIMIT, error: 'InvocationLimitReachedError' });
    expect(s.state.platform.queue).toHaveLength(0);
  });

  it(`refuse more than ${EVENTS_PER_MINUTE} events pushed in a minute with RateLimitError`, async () => {
    const s = site();
    const push = () => s.asInvocation(undefined, () => new Queue({ key: 'work' }).push(Array.from({ length: 50 }, (_, i) => ({ body: { id: `e${i}` }, delayInSeconds: 600 }))));
    for (let i = 0; i < EVENTS_PER_MINUTE / 50; i += 1) await push();
    await expect(push()).rejects.toBeInstanceOf(RateLimitError);
    await s.advanceClock(61_000);
    await expect(push()).resolves.toEqual({ jobId: expect.any(String) });
  });
});
