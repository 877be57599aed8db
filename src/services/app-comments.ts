/**
 * "A comment the app wrote": the one rule by which the app recognises its own comments on an issue (a retry
 * after a crash finds what it posted instead of posting again). The marker line alone proves nothing: anyone
 * who can comment on the issue can type it. So a comment counts only when it carries the marker AND was
 * written by the writer the app used for that step:
 * - posted as the app (follow-ups, reminders): the author's account is of type `app`;
 * - posted as a person on the app's behalf (Publish writes as the publisher, so Jira's permissions and their
 *   name apply): the author is the very account the app recorded, before posting, as the one it posts as, and
 *   the comment is not older than that record (a comment typed earlier is not the app's).
 */
import { adfText } from '../adf/text';

export interface IssueComment {
  id: string;
  created: string;
  author?: { accountId: string; accountType?: string };
  body: unknown;
}

export type AppCommentWriter = { kind: 'app' } | { kind: 'user'; accountId: string; notBefore: string };

/** Slack for the app's and Jira's clocks when comparing "created" with the intent the app recorded. */
const CLOCK_SLACK_MS = 60_000;

export function writtenBy(comment: IssueComment, writer: AppCommentWriter): boolean {
  if (writer.kind === 'app') return comment.author?.accountType === 'app';
  if (comment.author?.accountId !== writer.accountId) return false;
  const created = Date.parse(comment.created);
  return Number.isFinite(created) && created >= Date.parse(writer.notBefore) - CLOCK_SLACK_MS;
}

/** The app's own comment carrying this marker, if it is among these comments. */
export function findAppComment<C extends IssueComment>(comments: C[], marker: string, writer: AppCommentWriter): C | undefined {
  return comments.find((c) => writtenBy(c, writer) && adfText(c.body).includes(marker));
}
