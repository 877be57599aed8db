/**
 * Storage refusals by their real shape: a FAIL_IF_EXISTS conflict is a `ForgeKvsAPIError` whose
 * `responseDetails.status` is 409; its body's code is not one any source names, so the app must not read it.
 */
import { ForgeKvsAPIError, kvs } from '@forge/kvs';
import { acquireLease } from '../../src/store/leases';
import { claimComment, markClaimUncertain } from '../../src/store/follow-ups';
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

  it('a follow-up comment claimed twice: the second claim loses quietly while the first holds it', async () => {
    const s = site();
    expect(await s.asInvocation(undefined, () => claimComment('OPS-7:2'))).toBe('first');
    expect(await s.asInvocation(undefined, () => claimComment('OPS-7:2'))).toBe('busy');
  });

  it('a claim whose attempt failed with an unknown outcome is recovered (comments read first), by one run at a time', async () => {
    const s = site();
    expect(await s.asInvocation(undefined, () => claimComment('OPS-7:3'))).toBe('first');
    await s.asInvocation(undefined, () => markClaimUncertain('OPS-7:3'));
    expect(await s.asInvocation(undefined, () => claimComment('OPS-7:3'))).toBe('recover');
    expect(await s.asInvocation(undefined, () => claimComment('OPS-7:3'))).toBe('busy');
  });

  it('a claim whose run ended without recording is recovered once its lease is over', async () => {
    const s = site();
    const t0 = new Date('2026-11-03T08:00:00Z');
    expect(await s.asInvocation(undefined, () => claimComment('OPS-7:4', t0))).toBe('first');
    expect(await s.asInvocation(undefined, () => claimComment('OPS-7:4', new Date(t0.getTime() + 5 * 60_000)))).toBe('busy');
    expect(await s.asInvocation(undefined, () => claimComment('OPS-7:4', new Date(t0.getTime() + 21 * 60_000)))).toBe('recover');
  });

  it('any other storage refusal still fails loudly', async () => {
    await expect(site().asInvocation(undefined, () => acquireLease('bad/name', 'a', 60))).rejects.toBeInstanceOf(ForgeKvsAPIError);
  });
});
