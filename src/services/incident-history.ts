/**
 * Reads an incident's Jira history for "Import from INC-…" in as few requests as Jira allows: the issue (its
 * creation, creator and the comments its `comment` field carries) and the first changelog page at once, then
 * only the pages still missing — the changelog's next pages until `isLast`, and comment pages only when the
 * issue's field did not hold them all (compared with its `total`). A small incident takes 2 requests.
 * As whoever the client acts for: read with `JiraClient.asUser()`, it shows only what that person may see.
 */
import type { JiraClient, JiraCommentRef } from '../atlassian/jira';
import type { IncidentHistory } from '../domain/incident-timeline';

/** Jira's page size for the changelog and comments (the OpenAPI document's default). */
const PAGE = 100;
/** A stop for a history that never says it ended (10,000 changes): the import must finish inside the UI call. */
const MAX_PAGES = 100;

export async function readIncidentHistory(jira: JiraClient, issueKey: string): Promise<IncidentHistory> {
  const [issue, firstChanges] = await Promise.all([jira.getIssue(issueKey, ['summary', 'created', 'creator', 'comment']), jira.changelogPage(issueKey, 0, PAGE)]);

  const changes = [...firstChanges.values];
  let page = firstChanges;
  for (let n = 1; !page.isLast && page.values.length > 0 && n < MAX_PAGES; n += 1) {
    page = await jira.changelogPage(issueKey, page.startAt + page.values.length, PAGE);
    changes.push(...page.values);
  }

  const comments: JiraCommentRef[] = [...(issue.fields.comment?.comments ?? [])];
  const total = issue.fields.comment?.total ?? comments.length;
  if (comments.length < total) {
    // The field held only the first ones: the rest, oldest first, from the comment endpoint.
    for (let n = 0; comments.length < total && n < MAX_PAGES; n += 1) {
      const next = await jira.commentsPage(issueKey, comments.length, PAGE);
      if (!next.comments.length) break;
      comments.push(...next.comments);
    }
  }

  return {
    issueId: issue.id,
    issueKey: issue.key,
    summary: issue.fields.summary ?? '',
    created: issue.fields.created ?? '',
    creator: issue.fields.creator?.displayName ?? null,
    changes: changes.map((c) => ({ id: c.id, created: c.created, author: c.author?.displayName || null, items: c.items })),
    // The app's own comments (follow-ups, the publish note) are not part of the incident's story.
    comments: comments.filter((c) => c.author?.accountType !== 'app').map((c) => ({ id: String(c.id), created: c.created, author: c.author?.displayName || null, body: c.body })),
  };
}
