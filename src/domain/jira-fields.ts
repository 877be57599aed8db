/** Jira issue fields as the app reads them: shared by the Jira client and the pure rules that map searched issues. */
/**
 * The issue fields the app reads from Jira (each present only when asked for); any other field Jira sends is
 * `unknown` until checked.
 */
export interface IssueFields {
  [field: string]: unknown;
  summary?: string;
  assignee?: { accountId: string; displayName?: string } | null;
  priority?: { name?: string } | null;
  status?: { name?: string; statusCategory?: { key?: 'new' | 'indeterminate' | 'done' } } | null;
  duedate?: string | null;
  created?: string;
  updated?: string;
  resolutiondate?: string | null;
  labels?: string[];
  project?: { key?: string };
}

