/** The status workflow and the action-item counts. Pure, no I/O, no zod: the Custom UI imports it. */
import { POSTMORTEM_STATUSES } from '../contract/postmortem';
import type { Postmortem, PostmortemStatus } from '../contract/postmortem';

export const STATUS_ORDER: readonly PostmortemStatus[] = POSTMORTEM_STATUSES;

/** Forward one step at a time, or back one step (to reopen a review); published is final. */
export function canTransition(from: PostmortemStatus, to: PostmortemStatus): boolean {
  const a = STATUS_ORDER.indexOf(from);
  const b = STATUS_ORDER.indexOf(to);
  if (a < 0 || b < 0 || from === 'published') return false;
  return b === a + 1 || b === a - 1;
}

export interface ActionItemCounts {
  proposed: number;
  accepted: number;
  dropped: number;
  /** Items that already have a Jira issue. */
  withIssue: number;
}

export function actionItemCounts(pm: Pick<Postmortem, 'actionItems'>): ActionItemCounts {
  const counts: ActionItemCounts = { proposed: 0, accepted: 0, dropped: 0, withIssue: 0 };
  for (const item of pm.actionItems) {
    counts[item.state]++;
    if (item.issue) counts.withIssue++;
  }
  return counts;
}
