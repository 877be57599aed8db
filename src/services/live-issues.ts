/**
 * The live Jira state of a postmortem's action items, for the macro: what the viewer may see of each issue.
 * Takes the document its caller already read.
 */
import type { LiveIssue } from '../contract/action-items';
import type { Postmortem } from '../contract/postmortem';
import { JiraClient } from '../atlassian/jira';
import { chunk, issuesForItemsJql, itemRef } from '../domain/action-item-issue';
import type { IssueFields } from '../domain/jira-fields';

/**
 * The live Jira state of the items that have an issue: one search per 100 items, as the viewer, on the indexed
 * action-item property. Issues they may not see simply do not come back (a `key in (...)` naming an invisible
 * issue would be refused outright).
 */
export async function liveIssues(stored: Postmortem, pageId: string, localId: string, siteUrl: string): Promise<LiveIssue[]> {
  const withIssue = stored.actionItems.filter((i) => i.issue);
  if (!withIssue.length) return [];
  const jira = JiraClient.asUser();
  const seen = new Map<string, { fields: IssueFields }>();
  for (const group of chunk(withIssue, 100)) {
    const found = await jira.searchAll(issuesForItemsJql(group.map((i) => itemRef(pageId, localId, i.id))), ['status', 'assignee', 'priority', 'duedate']);
    for (const issue of found) seen.set(issue.key, issue);
  }
  return withIssue.map((item): LiveIssue => {
    const issue = seen.get(item.issue!.key);
    if (!issue) return { itemId: item.id, issueKey: item.issue!.key, visible: false };
    const f = issue.fields;
    return {
      itemId: item.id,
      issueKey: item.issue!.key,
      visible: true,
      status: { name: f.status?.name ?? '', category: f.status?.statusCategory?.key ?? 'new' },
      assignee: f.assignee?.displayName ?? null,
      priority: f.priority?.name ?? null,
      dueDate: f.duedate ?? null,
      url: `${siteUrl}/browse/${item.issue!.key}`,
    };
  });
}
