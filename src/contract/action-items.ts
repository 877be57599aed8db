/**
 * Action items → Jira issues: the macro's calls for creating issues and following their live state.
 * Served by src/resolvers/postmortem-macro.ts (same resolver as the macro) and the create-issues consumer.
 */
import type { Result } from './result';

/** Per item outcome of a create run. */
export type ItemOutcome =
  // `issueId` when the run knows it: the macro then records the link without reloading the postmortem.
  | { itemId: string; state: 'created'; issueKey: string; issueId?: string }
  | { itemId: string; state: 'existing'; issueKey: string; issueId?: string }
  | { itemId: string; state: 'failed'; reason: string }
  | { itemId: string; state: 'pending' };

export interface CreateRun {
  runId: string;
  /** 'running' while a background job works through the items (large runs); 'done' when every item has an outcome. */
  status: 'running' | 'done';
  total: number;
  outcomes: ItemOutcome[];
  /** Page-property version after the issue keys were recorded. */
  version?: number;
}

export interface LiveIssue {
  itemId: string;
  issueKey: string;
  /** false when the viewer may not see the issue in Jira: nothing else is shown. */
  visible: boolean;
  status?: { name: string; category: 'new' | 'indeterminate' | 'done' };
  assignee?: string | null;
  priority?: string | null;
  dueDate?: string | null;
  url?: string;
}

/** A Jira project the person can see, and the issue types an action item can be created as there. */
export interface IssueTarget {
  key: string;
  name: string;
  issueTypes: string[];
}

export type ActionItemDefinitions = {
  /** Where this person could send the action items (projects they can see, standard issue types). */
  getIssueTargets: () => Result<IssueTarget[]>;
  /** Create issues for these accepted items (all accepted items without an issue when `itemIds` is omitted). */
  createIssues: (input: { itemIds?: string[] }) => Result<CreateRun>;
  /** Progress of a run that went to the background. */
  getCreateRun: (input: { runId: string }) => Result<CreateRun>;
  /** Live status, assignee, priority and due date from Jira for every item that has an issue: one search. */
  getLiveIssues: () => Result<LiveIssue[]>;
};
