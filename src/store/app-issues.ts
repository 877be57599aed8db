/**
 * The issues the app itself created for action items, in Forge storage (which only the app can write).
 *
 * The `postmortem-action-item` issue property makes items findable by JQL, but anyone who may edit an issue
 * can write it. So the property is never trusted on its own:
 * - Recovery after a crash takes an issue only when its property carries the secret token of one of the
 *   app's own creation attempts for that item, recorded here before the bulk call (a person cannot guess it).
 * - Everything that acts on or links from an action-item issue (issue panel, report, follow-ups, digest)
 *   reads the record kept here by issue id, written by the app right after it created the issue.
 */
import { randomUUID } from 'node:crypto';
import { kvs } from '@forge/kvs';
import { keyPart } from './storage-keys';
import { APP_ISSUE, CREATE_ATTEMPTS, stamp, upgradeRecord } from '../domain/storage-schema';

export interface AppIssueRecord {
  issueId: string;
  issueKey: string;
  /** page / macro / item, as in the property. */
  itemRef: string;
  pageId: string;
  localId: string;
  postmortemTitle: string;
  incidentKey: string | null;
  /** The site the issue was created from (platform context), for links rebuilt from the page id. */
  siteUrl: string;
  createdAt: string;
}

/** The platform's batch limit (local-site/platform/kvs MAX_BATCH_ITEMS, as Forge storage). */
const BATCH = 25;
/** Attempts kept per item: more than a run could crash in a row before one succeeds. */
const MAX_ATTEMPTS = 20;

const recordKey = (issueId: string) => `app-issue:${keyPart(issueId)}`;
const attemptsKey = (itemRef: string) => `create-attempts:${keyPart(itemRef)}`;

interface Attempts { tokens: string[] }

/** The tokens of this item's creation attempts that may have created an issue without recording it. */
export async function creationTokens(itemRef: string): Promise<string[]> {
  const stored = await kvs.get<unknown>(attemptsKey(itemRef));
  return stored ? upgradeRecord<Attempts>(CREATE_ATTEMPTS, stored).tokens : [];
}

/**
 * A fresh secret token per item for its next creation attempt, stored before the bulk call so that a crash
 * after Jira created the issues leaves a way to recognise them. Each item has its own token: one item's
 * issue (readable by whoever sees it) tells nothing about another item's.
 */
export async function startCreationAttempt(itemRefs: string[]): Promise<Map<string, string>> {
  const tokens = new Map(itemRefs.map((ref) => [ref, randomUUID()]));
  for (let i = 0; i < itemRefs.length; i += BATCH) {
    const group = itemRefs.slice(i, i + BATCH);
    const current = await kvs.batchGet<unknown>(group.map((ref) => ({ key: attemptsKey(ref) })));
    const byKey = new Map(current.successfulKeys.map((r) => [r.key, upgradeRecord<Attempts>(CREATE_ATTEMPTS, r.value).tokens]));
    const result = await kvs.batchSet(group.map((ref) => ({ key: attemptsKey(ref), value: stamp(CREATE_ATTEMPTS, { tokens: [...(byKey.get(attemptsKey(ref)) ?? []), tokens.get(ref)!].slice(-MAX_ATTEMPTS) }) })));
    const [failed] = result.failedKeys;
    if (failed) throw new Error(`Could not record the creation attempt (${failed.error.message})`);
  }
  return tokens;
}

/** The item's issue is recorded in the postmortem: its attempts no longer matter. */
export async function endCreationAttempts(itemRefs: string[]): Promise<void> {
  for (let i = 0; i < itemRefs.length; i += BATCH) await kvs.batchDelete(itemRefs.slice(i, i + BATCH).map((ref) => ({ key: attemptsKey(ref) })));
}

export async function recordAppIssues(records: AppIssueRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += BATCH) {
    const result = await kvs.batchSet(records.slice(i, i + BATCH).map((r) => ({ key: recordKey(r.issueId), value: stamp(APP_ISSUE, r) })));
    const [failed] = result.failedKeys;
    if (failed) throw new Error(`Could not record the created issues (${failed.error.message})`);
  }
}

export async function appIssue(issueId: string): Promise<AppIssueRecord | undefined> {
  const stored = await kvs.get<unknown>(recordKey(issueId));
  const r = stored ? upgradeRecord<AppIssueRecord>(APP_ISSUE, stored) : undefined;
  return r && r.issueId === issueId ? r : undefined;
}

/** The app's records for these issue ids (ids the app did not create are absent). */
export async function appIssues(issueIds: string[]): Promise<Map<string, AppIssueRecord>> {
  const out = new Map<string, AppIssueRecord>();
  const unique = [...new Set(issueIds)];
  for (let i = 0; i < unique.length; i += BATCH) {
    const got = await kvs.batchGet<unknown>(unique.slice(i, i + BATCH).map((id) => ({ key: recordKey(id) })));
    for (const { value } of got.successfulKeys) {
      const r = value ? upgradeRecord<AppIssueRecord>(APP_ISSUE, value) : undefined;
      if (r?.issueId) out.set(r.issueId, r);
    }
  }
  return out;
}
