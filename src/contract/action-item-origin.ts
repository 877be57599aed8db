/** The Jira issue panel on an action-item issue: where it came from. */
import type { Result } from './result';

export interface FollowUpRecord {
  /** ISO instant the follow-up comment was posted. */
  at: string;
  commentId: string;
  /** Why the item was flagged: unassigned, unprioritized, stale, overdue. */
  reasons: string[];
}

export interface ActionItemOrigin {
  isActionItem: boolean;
  postmortemTitle?: string;
  pageUrl?: string;
  incidentKey?: string | null;
  createdAt?: string;
  followUps: FollowUpRecord[];
  /** The site's time zone (the app settings'), in which dates are shown. */
  timeZone?: string;
}

export type ActionItemOriginDefinitions = {
  getOrigin: () => Result<ActionItemOrigin>;
};
