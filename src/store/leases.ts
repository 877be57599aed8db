/**
 * Short leases in Forge storage: "I am creating X". Two clicks, two users or a retried request race for
 * the same lease; only the holder does the work, the others wait for its result. A lease expires on its
 * own (TTL) so a crashed holder does not block forever.
 */
import { kvs } from '@forge/kvs';
import { isKeyConflict } from './kvs-errors';
import { LEASE, stamp, upgradeRecord } from '../domain/storage-schema';

export interface Lease<T> { holder: string; startedAt: string; result?: T }

const key = (name: string) => `lease:${name}`;

/** True when this caller now holds the lease. */
export async function acquireLease(name: string, holder: string, ttlSeconds: number): Promise<boolean> {
  try {
    await kvs.set<Lease<unknown>>(key(name), stamp(LEASE, { holder, startedAt: new Date().toISOString() }), { keyPolicy: 'FAIL_IF_EXISTS', ttl: { value: ttlSeconds, unit: 'SECONDS' } });
    return true;
  } catch (e) {
    if (isKeyConflict(e)) return false;
    throw e;
  }
}

export async function readLease<T>(name: string): Promise<Lease<T> | undefined> {
  const stored = await kvs.get<unknown>(key(name));
  return stored ? upgradeRecord<Lease<T>>(LEASE, stored) : undefined;
}

/** Records the outcome for whoever is waiting, keeping the lease until it expires. */
export async function completeLease<T>(name: string, holder: string, result: T, ttlSeconds: number): Promise<void> {
  await kvs.set<Lease<T>>(key(name), stamp(LEASE, { holder, startedAt: new Date().toISOString(), result }), { ttl: { value: ttlSeconds, unit: 'SECONDS' } });
}

export async function releaseLease(name: string): Promise<void> {
  await kvs.delete(key(name));
}
