/**
 * Jira's default priority as the app last looked it up: one KVS key. Not personal, not per user — Jira lists
 * the same priorities to everyone who can use it (`GET /rest/api/3/priority`).
 */
import { kvs } from '@forge/kvs';
import { DEFAULT_PRIORITY, stamp, upgradeRecord } from '../domain/storage-schema';

const KEY = 'jira:default-priority';

export interface KnownDefaultPriority {
  /** Its name; null when Jira marks no priority as default. */
  name: string | null;
  /** When Jira was asked (ISO instant). */
  checkedAt: string;
}

export async function readKnownDefaultPriority(): Promise<KnownDefaultPriority | undefined> {
  const stored = await kvs.get<unknown>(KEY);
  return stored ? upgradeRecord<KnownDefaultPriority>(DEFAULT_PRIORITY, stored) : undefined;
}

export async function storeKnownDefaultPriority(known: KnownDefaultPriority): Promise<void> {
  await kvs.set(KEY, stamp(DEFAULT_PRIORITY, known));
}
