/**
 * The Forge platform services of the local site, driven by the real @forge/events, @forge/kvs and
 * @forge/api code of a small fixture app.
 */
import path from 'node:path';
import { kvs, WhereConditions, Sort } from '@forge/kvs';
import { Queue } from '@forge/events';
import { useLocalSite } from './support/site';

const appRoot = path.join(__dirname, '../fixtures/platform-app');
const site = useLocalSite({ appRoot, startAt: new Date('2026-11-02T09:00:00Z') });

describe('async events', () => {
  it('delivers a pushed event to its consumer, honouring the delay', async () => {
    const s = site();
    await s.asInvocation(undefined, () => new Queue({ key: 'work' }).push([{ body: { id: 'a' }, delayInSeconds: 60 }]));
    expect(s.state.platform.queue).toHaveLength(1);
    expect(await s.runDueEvents()).toBe(0); // not due yet
    await s.advanceClock(61_000);
    expect(s.state.platform.queue).toHaveLength(0);
    expect(await kvs.entity<{ count: number }>('audit-event').get('consumed:a')).toMatchObject({ kind: 'consumed', count: 0 });
  });

  it('retries an event whose consumer returns InvocationError, with retryContext', async () => {
    const s = site();
    await s.asInvocation(undefined, () => new Queue({ key: 'work' }).push([{ body: { id: 'b', failOnce: true } }]));
    await s.drainQueue();
    expect(await kvs.entity<{ count: number }>('audit-event').get('consumed:b')).toMatchObject({ count: 1 });
    expect(s.invocations.filter((i) => i.kind === 'consumer')).toHaveLength(2);
    expect(await kvs.get('retry:b')).toEqual({ reason: 'FUNCTION_UPSTREAM_RATE_LIMITED', data: { note: 'try later' } });
  });

  it('refuses a push to a queue no consumer listens to', async () => {
    const s = site();
    await expect(s.asInvocation(undefined, () => new Queue({ key: 'nobody' }).push([{ body: { id: 'x' } }]))).rejects.toThrow(/No consumer/);
  });
});

describe('scheduled triggers', () => {
  it('fire on their interval as the site clock moves, and on demand', async () => {
    const s = site();
    await s.advanceClock(59 * 60_000);
    expect(await kvs.get('tick-runs')).toBeUndefined();
    await s.advanceClock(2 * 60_000);
    expect(await kvs.get('tick-runs')).toBe(1);
    await s.advanceClock(3 * 3600_000);
    expect(await kvs.get('tick-runs')).toBe(4);
    await s.runScheduledTrigger('hourly-tick');
    expect(await kvs.get('tick-runs')).toBe(5);
    expect(await kvs.get('last-tick-module')).toBe('hourly-tick');
    // Each tick pushed an event; advancing the clock delivered those already due.
    await s.drainQueue();
    const consumed = await kvs.entity('audit-event').query().index('by-kind', { partition: ['consumed'] }).limit(100).getMany();
    expect(consumed.results.map((r) => r.key).sort()).toEqual(['consumed:from-tick-1', 'consumed:from-tick-2', 'consumed:from-tick-3', 'consumed:from-tick-4', 'consumed:from-tick-5']);
  });

  it('can be made to fire twice, as the platform sometimes does', async () => {
    const s = site();
    s.duplicateTriggerFiring = true;
    await s.runScheduledTrigger('hourly-tick');
    expect(await kvs.get('tick-runs')).toBe(2);
  });
});

describe('web triggers', () => {
  it('gives a URL and calls the function with the request', async () => {
    const s = site();
    const out = await s.callWebTrigger('hook', { method: 'POST', path: '/x/webtrigger/hook', headers: {}, query: new URLSearchParams('who=eden'), body: '{"ping":1}' });
    expect(out.statusCode).toBe(200);
    expect(JSON.parse(out.body)).toEqual({ method: 'POST', body: '{"ping":1}', who: 'eden', url: `${s.baseUrl}/x/webtrigger/hook` });
  });
});

describe('KVS', () => {
  it('serves entity index queries with range conditions, sort and cursors', async () => {
    site();
    for (let i = 0; i < 7; i += 1) {
      await kvs.entity('audit-event').set(`e${i}`, { kind: i % 2 ? 'odd' : 'even', at: `2026-11-0${i + 1}`, count: i });
    }
    const first = await kvs.entity<{ count: number }>('audit-event').query().index('by-kind', { partition: ['even'] }).where(WhereConditions.greaterThan('2026-11-02')).sort(Sort.DESC).limit(2).getMany();
    expect(first.results.map((r) => r.value.count)).toEqual([6, 4]);
    const second = await kvs.entity<{ count: number }>('audit-event').query().index('by-kind', { partition: ['even'] }).where(WhereConditions.greaterThan('2026-11-02')).sort(Sort.DESC).limit(2).cursor(first.nextCursor!).getMany();
    expect(second.results.map((r) => r.value.count)).toEqual([2]);
    expect(second.nextCursor).toBeUndefined();
  });

  it('rejects an entity value that does not match the manifest', async () => {
    site();
    await expect(kvs.entity('audit-event').set('bad', { kind: 'x', at: 'y', count: 'three' })).rejects.toThrow();
  });
});
