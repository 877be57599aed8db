/** Follow-up comments the app has posted, per issue: the record that keeps follow-ups to one per interval. */
import { kvs } from '@forge/kvs';
import type { FollowUpRecord } from '../contract/action-item-origin';

const key = (issueKey: string) => `followups:${issueKey}`;

export async function followUpsFor(issueKey: string): Promise<FollowUpRecord[]> {
  return (await kvs.get<FollowUpRecord[]>(key(issueKey))) ?? [];
}

export async function recordFollowUp(issueKey: string, record: FollowUpRecord): Promise<void> {
  const list = await followUpsFor(issueKey);
  if (!list.some((r) => r.commentId === record.commentId)) await kvs.set(key(issueKey), [...list, record]);
}
