/**
 * Follow-ups the app has posted, per issue: the history that keeps them to one per interval and stops
 * them after the cap, plus short "intent" keys that let only one run post a given follow-up.
 */
import { kvs } from '@forge/kvs';
import { isKeyConflict } from './kvs-errors';
import type { FollowUpRecord } from '../contract/action-item-origin';
import type { FollowUpHistory } from '../domain/follow-up';
import type { AppWrite } from '../domain/human-activity';
import { COMMENT_CLAIM, FOLLOW_UP_HISTORY, INCIDENT_REMINDER, stamp, upgradeRecord } from '../domain/storage-schema';

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
  const stored = await kvs.get<unknown>(key(issueKey));
  return stored ? upgradeRecord<StoredHistory>(FOLLOW_UP_HISTORY, stored) : EMPTY;
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
  await kvs.set(key(issueKey), stamp(FOLLOW_UP_HISTORY, { ...h, count: h.records.length + 1, lastAt: record.at, records: [...h.records, record], appWrite: { at: record.at, humanActivityAt } }));
}

export async function recordHandover(issueKey: string, at: string, humanActivityAt: string): Promise<void> {
  const h = await historyFor(issueKey);
  await kvs.set(key(issueKey), stamp(FOLLOW_UP_HISTORY, { ...h, flaggedAt: at, appWrite: { at, humanActivityAt } }));
}

/**
 * The right to post one specific comment (e.g. follow-up 2 of issue OPS-7):
 * - `first`: nobody ever tried this one, so it cannot be on the issue yet: post without reading the comments
 *   (one REST call per follow-up, the minimum);
 * - `recover`: an earlier attempt may have posted it (it failed with an unknown outcome, or its run ended
 *   without recording): read the issue's comments first and take the earlier one if it is there;
 * - `busy`: another run holds it now (within its lease), or is recovering it.
 * The first claim is kept for CLAIM_DAYS, so a duplicate event that read the history before the first run
 * recorded its comment still finds the claim; a run that crashed after posting is recovered by the next
 * daily run long before that (the item stays due while its history is unchanged).
 */
export type CommentClaim = 'first' | 'recover' | 'busy';

const CLAIM_DAYS = 30;
/** Longer than the consumer's timeoutSeconds (900 in the manifest): past it, the holder's run is over. */
const LEASE_MS = 20 * 60_000;
const RECOVERY_SECONDS = 3600;

interface StoredClaim { at: string; state?: 'posting' | 'uncertain' }

export async function claimComment(slot: string, now = new Date()): Promise<CommentClaim> {
  try {
    const claim: StoredClaim = { at: now.toISOString(), state: 'posting' };
    await kvs.set(`comment-claim:${slot}`, stamp(COMMENT_CLAIM, claim), { keyPolicy: 'FAIL_IF_EXISTS', ttl: { value: CLAIM_DAYS, unit: 'DAYS' } });
    return 'first';
  } catch (e) {
    if (!isKeyConflict(e)) throw e;
  }
  const held = await kvs.get<StoredClaim>(`comment-claim:${slot}`);
  if (held && held.state !== 'uncertain' && now.getTime() - Date.parse(held.at) < LEASE_MS) return 'busy';
  // One recovering run at a time; its claim expires so that a run that crashed while recovering does not block.
  try {
    await kvs.set(`comment-recovery:${slot}`, stamp(COMMENT_CLAIM, { at: now.toISOString() }), { keyPolicy: 'FAIL_IF_EXISTS', ttl: { value: RECOVERY_SECONDS, unit: 'SECONDS' } });
    return 'recover';
  } catch (e) {
    if (isKeyConflict(e)) return 'busy';
    throw e;
  }
}

/** A first attempt failed without knowing whether Jira kept the comment: the retry must read before posting. */
export async function markClaimUncertain(slot: string): Promise<void> {
  const claim: StoredClaim = { at: new Date().toISOString(), state: 'uncertain' };
  await kvs.set(`comment-claim:${slot}`, stamp(COMMENT_CLAIM, claim), { ttl: { value: CLAIM_DAYS, unit: 'DAYS' } });
}

/** Gives a recovery claim back after a post that failed, so that the retry can recover at once. */
export async function releaseRecovery(slot: string): Promise<void> {
  await kvs.delete(`comment-recovery:${slot}`);
}

/** Incident reminders sent (one per incident, ever). */
export async function reminderSent(incidentKey: string): Promise<string | undefined> {
  const stored = await kvs.get<unknown>(`incident-reminder:${incidentKey}`);
  return stored ? upgradeRecord<{ at: string }>(INCIDENT_REMINDER, stored).at : undefined;
}

export async function recordReminder(incidentKey: string, at: string): Promise<void> {
  await kvs.set(`incident-reminder:${incidentKey}`, stamp(INCIDENT_REMINDER, { at }));
}
