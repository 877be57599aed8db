/**
 * Storage refusals by their real shape: a FAIL_IF_EXISTS conflict is a `ForgeKvsAPIError` whose
 * `responseDetails.status` is 409; its body's code is not one any source names, so the app must not read it.
 */
import { ForgeKvsAPIError, kvs } from '@forge/kvs';
import { acquireLease } from '../../src/store/leases';
import { claimComment } from '../../src/store/follow-ups';
import { useLocalSite } from './support/site';

const site = useLocalSite();

describe('FAIL_IF_EXISTS conflicts', () => {
  it('reach the app as ForgeKvsAPIError with status 409 and no code the app could know', async () => {
    const err = await site().asInvocation(undefined, async () => {
      await kvs.set('once', 1, { keyPolicy: 'FAIL_IF_EXISTS' });
      return kvs.set('once', 2, { keyPolicy: 'FAIL_IF_EXISTS' }).then(() => undefined, (e: unknown) => e);
    });
    expect(err).toBeInstanceOf(ForgeKvsAPIError);
    expect((err as ForgeKvsAPIError).responseDetails.status).toBe(409);
    expect((err as ForgeKvsAPIError).code).not.toBe('KEY_ALREADY_EXISTS');
  });

  it('a lease raced by two callers: one holds it, the other is told no (not an error)', async () => {
    const results = await site().asInvocation(undefined, () =>
      Promise.all([acquireLease('create:65538', 'a', 60), acquireLease('create:65538', 'b', 60)]),
    );
    expect(results.sort()).toEqual([false, true]);
  });

  it('a follow-up comment claimed twice: the second claim loses quietly', async () => {
    const s = site();
    expect(await s.asInvocation(undefined, () => claimComment('OPS-7:2'))).toBe(true);
    expect(await s.asInvocation(undefined, () => claimComment('OPS-7:2'))).toBe(false);
  });

  it('any other storage refusal still fails loudly', async () => {
    await expect(site().asInvocation(undefined, () => acquireLease('bad/name', 'a', 60))).rejects.toBeInstanceOf(ForgeKvsAPIError);
  });
});
