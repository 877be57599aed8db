/**
 * Follow-ups the app has posted, per issue: the history that keeps them to one per interval and stops
 * them after the cap, plus short "intent" keys that let only one run post a given follow-up.
 */
import { kvs } from '@forge/kvs';
import { isKeyConflict } from './kvs-errors';
import type { FollowUpRecord } from '../contract/action-item-origin';
import type { FollowUpHistory } from '../domain/follow-up';
import type { AppWrite } from '../domain/human-activity';

export interface StoredHistory {
  /** Follow-ups posted so far (all cycles). */
  count: number;
  /** ISO instant of the last follow-up. */
  lastAt: string | null;
  /** Set when the item was last handed over to the postmortem owner. */
  flaggedAt: string | null;
  records: FollowUpRecord[];
  /** The app's last comment on the issue and the human activity known before it (absent in histories written before it was kept). */
  appWrite?: AppWrite;
}

const key = (issueKey: string) => `followups:${issueKey}`;
const EMPTY: StoredHistory = { count: 0, lastAt: null, flaggedAt: null, records: [] };

export async function historyFor(issueKey: string): Promise<StoredHistory> {
  return (await kvs.get<StoredHistory>(key(issueKey))) ?? EMPTY;
}

/** The history as the cadence rules read it. */
export function cadenceOf(h: StoredHistory): FollowUpHistory {
  const writes = [h.appWrite?.at, h.lastAt, h.flaggedAt].filter((t): t is string => !!t).sort((a, b) => Date.parse(a) - Date.parse(b));
  return { nudges: h.records.map((r) => r.at), lastWriteAt: writes.at(-1) ?? null, flaggedAt: h.flaggedAt };
}

export async function followUpsFor(issueKey: string): Promise<FollowUpRecord[]> {
  return (await historyFor(issueKey)).records;
}

export async function recordFollowUp(issueKey: string, record: FollowUpRecord, humanActivityAt: string): Promise<void> {
  const h = await historyFor(issueKey);
  if (h.records.some((r) => r.commentId === record.commentId)) return;
  await kvs.set(key(issueKey), { ...h, count: h.records.length + 1, lastAt: record.at, records: [...h.records, record], appWrite: { at: record.at, humanActivityAt } });
}

export async function recordHandover(issueKey: string, at: string, humanActivityAt: string): Promise<void> {
  const h = await historyFor(issueKey);
  await kvs.set(key(issueKey), { ...h, flaggedAt: at, appWrite: { at, humanActivityAt } });
}

/**
 * Claims the right to post one specific comment (e.g. follow-up 2 of issue OPS-7). Only one claimant
 * wins; the claim expires so that a run that crashed before posting does not block it forever.
 */
export async function claimComment(slot: string, ttlSeconds = 3600): Promise<boolean> {
  try {
    await kvs.set(`comment-claim:${slot}`, { at: new Date().toISOString() }, { keyPolicy: 'FAIL_IF_EXISTS', ttl: { value: ttlSeconds, unit: 'SECONDS' } });
    return true;
  } catch (e) {
    if (isKeyConflict(e)) return false;
    throw e;
  }
}

/** Gives a claim back after a post that failed, so that the retry can post at once. */
export async function releaseClaim(slot: string): Promise<void> {
  await kvs.delete(`comment-claim:${slot}`);
}

/** Incident reminders sent (one per incident, ever). */
export async function reminderSent(incidentKey: string): Promise<string | undefined> {
  return kvs.get<string>(`incident-reminder:${incidentKey}`);
}

export async function recordReminder(incidentKey: string, at: string): Promise<void> {
  await kvs.set(`incident-reminder:${incidentKey}`, at);
}
