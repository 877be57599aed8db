/**
 * Where else the app's storage keeps account ids and names, read page by page for the personal-data job
 * (src/jobs/personal-data.ts): publish runs (`startedBy`, the comment's author), background create runs (the
 * clicking user; they expire after a day), the settings audit trail, and the owner names copied into the
 * index and the digest entries. The records' own modules write them; this one only reads them and, for a
 * closed or renamed account, rewrites the copied names.
 */
import { kvs, Sort, WhereConditions } from '@forge/kvs';
import type { PublishRun } from '../contract/publish';
import type { StoredRun } from './create-runs';
import type { SettingsChange } from './settings';
import type { PostmortemIndexEntry } from '../domain/postmortem-index';
import { fromIndex } from './postmortem-index';
import { DIGEST_ENTRY, POSTMORTEM_INDEX, stamp, upgradeRecord } from '../domain/storage-schema';
import type { DigestEntry } from './digest';

/** Entity names as manifest.yml declares them (the owning modules keep them private). */
const INDEX_ENTITY = 'postmortem';
const DIGEST_ENTITY = 'digest-entry';
const CHANGE_ENTITY = 'settings-change';
/** The audit entry's author when the personal-data job itself changed the settings (not a person). */
export const APP_CHANGE = 'app';

export interface AccountPage { accounts: { accountId: string; storedSince: string }[]; cursor?: string }

async function keyPage<T>(prefix: string, cursor: string | undefined, pick: (v: T) => { accountId: string; storedSince: string }[]): Promise<AccountPage> {
  let q = kvs.query().where('key', WhereConditions.beginsWith(prefix)).limit(20);
  if (cursor) q = q.cursor(cursor);
  const out = await q.getMany<T>();
  return { accounts: out.results.flatMap((r) => pick(r.value)), cursor: out.nextCursor };
}

/** Who started each publish and who its incident comment was posted as. */
export function publishRunAccounts(cursor: string | undefined): Promise<AccountPage> {
  return keyPage<PublishRun>('publish-run:', cursor, (r) => [
    ...(r.startedBy ? [{ accountId: r.startedBy, storedSince: r.startedAt }] : []),
    ...(r.steps?.commentIntent?.accountId ? [{ accountId: r.steps.commentIntent.accountId, storedSince: r.steps.commentIntent.at }] : []),
  ]);
}

/** Who clicked each background issue-creation run still kept (a day). */
export function createRunAccounts(cursor: string | undefined, now: string): Promise<AccountPage> {
  return keyPage<StoredRun>('create-run:', cursor, (r) => (r.accountId ? [{ accountId: r.accountId, storedSince: now }] : []));
}

/** Who saved the settings, from the audit trail (100 a page). */
export async function settingsChangeAccounts(cursor: string | undefined): Promise<AccountPage> {
  let q = kvs.entity<SettingsChange>(CHANGE_ENTITY).query().index('by-time').sort(Sort.ASC).limit(100);
  if (cursor) q = q.cursor(cursor);
  const out = await q.getMany();
  return { accounts: out.results.filter((r) => r.value.accountId && r.value.accountId !== APP_CHANGE).map((r) => ({ accountId: r.value.accountId, storedSince: r.value.changedAt })), cursor: out.nextCursor };
}

/**
 * Rewrites the owner copied into an index entry (id and name) and into its digest entry (name), when `decide`
 * says what the stored owner becomes (a closed account: "Former user"; a renamed one: the current name).
 * Returns whether anything was written; writing the same again writes nothing.
 */
export async function rewriteCopiedOwner(indexKey: string, decide: (ownerRef: string) => { ref: string; name: string } | undefined): Promise<boolean> {
  // Read and written in the current format (src/domain/storage-schema.ts), like every other writer of these.
  const stored = await kvs.entity<PostmortemIndexEntry>(INDEX_ENTITY).get(indexKey);
  const entry = stored ? fromIndex(stored) : undefined;
  if (!entry || !entry.ownerAccountId) return false;
  const next = decide(entry.ownerAccountId);
  if (!next) return false;
  let wrote = false;
  if (entry.ownerName !== next.name || entry.ownerAccountId !== next.ref) {
    await kvs.entity<PostmortemIndexEntry>(INDEX_ENTITY).set(indexKey, stamp(POSTMORTEM_INDEX, { ...entry, ownerAccountId: next.ref, ownerName: next.name }));
    wrote = true;
  }
  const storedDigest = await kvs.entity<DigestEntry>(DIGEST_ENTITY).get(indexKey);
  const digest = storedDigest ? upgradeRecord<DigestEntry>(DIGEST_ENTRY, storedDigest) : undefined;
  if (digest && digest.ownerName !== next.name) {
    await kvs.entity<DigestEntry>(DIGEST_ENTITY).set(indexKey, stamp(DIGEST_ENTRY, { ...digest, ownerName: next.name }));
    wrote = true;
  }
  return wrote;
}
