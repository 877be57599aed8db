/**
 * `POST /rest/api/3/issue/{issueIdOrKey}/notify` (Jira Cloud platform REST v3, operationId `notify`): Jira
 * emails an issue's reporter, assignee, watchers, voters and named users and groups, through its own mail
 * settings. The local Jira resolves the recipients, keeps only those who may browse the issue (what Jira
 * does: a notification never reaches someone who cannot see the issue) and delivers the email to the site's
 * inbox (`state.platform.outbox`).
 *
 * From the OpenAPI document: 204 when queued; 400 when "the recipient is the same as the calling user", when
 * "the recipient is invalid" (e.g. the assignee is asked for but the issue is unassigned) or the request is
 * invalid; 404 when the issue is not found (or not visible). GUESS (stricter, because the document does not
 * say more): a named user or group that does not exist is a 400; the caller named as reporter, assignee or
 * user is a 400 (the document's "recipient is the same as the calling user"); the caller as a watcher or a
 * group member is left out silently; a notification that ends with nobody to email is still a 204.
 */
import { randomUUID } from 'node:crypto';
import { jiraError } from '../http/types';
import type { RouteContext, SiteResponse } from '../http/types';
import type { JiraIssue, JiraProject, SiteUser } from '../state/types';
import { canBrowse } from './permissions';
import type { JiraEnv } from './issues';

/** Where the local Jira's notification emails come from. */
export const JIRA_MAIL_FROM = 'Jira <jira@local-site.invalid>';

interface NotifyBody {
  subject?: unknown;
  textBody?: unknown;
  htmlBody?: unknown;
  to?: { reporter?: unknown; assignee?: unknown; watchers?: unknown; voters?: unknown; users?: unknown; groups?: unknown; groupIds?: unknown };
  restrict?: unknown;
}

export function notify(env: JiraEnv, issue: JiraIssue, project: JiraProject, body: unknown, ctx: RouteContext): SiteResponse {
  if (env.actor.kind !== 'user' && env.actor.kind !== 'app') return jiraError(400, ['Unknown caller.']);
  const b = (body && typeof body === 'object' ? body : {}) as NotifyBody;
  const to = b.to ?? {};
  const caller = env.actor.kind === 'user' ? env.actor.accountId : undefined;
  const groups = env.jira.groups ?? [];
  const named = new Set<string>();
  const add = (id: string | null | undefined) => id && named.add(id);

  if (to.reporter === true) {
    if (issue.reporterId === caller) return jiraError(400, ['The recipient is the same as the calling user.']);
    add(issue.reporterId);
  }
  if (to.assignee === true) {
    if (!issue.assigneeId) return jiraError(400, [`The issue ${issue.key} has no assignee to notify.`]);
    if (issue.assigneeId === caller) return jiraError(400, ['The recipient is the same as the calling user.']);
    add(issue.assigneeId);
  }
  if (to.watchers === true) for (const w of issue.watchers ?? []) if (w !== caller) add(w);
  // The local Jira keeps no votes: asking for voters adds nobody.
  for (const u of Array.isArray(to.users) ? (to.users as { accountId?: unknown }[]) : []) {
    const id = typeof u?.accountId === 'string' ? u.accountId : '';
    if (!env.users.some((x) => x.accountId === id)) return jiraError(400, [`The user ${id || '(no accountId)'} does not exist.`]);
    if (id === caller) return jiraError(400, ['The recipient is the same as the calling user.']);
    add(id);
  }
  const groupRefs: { name?: unknown; groupId?: unknown }[] = [
    ...(Array.isArray(to.groups) ? (to.groups as { name?: unknown; groupId?: unknown }[]) : []),
    ...(Array.isArray(to.groupIds) ? (to.groupIds as unknown[]).map((groupId) => ({ groupId })) : []),
  ];
  for (const g of groupRefs) {
    const group = groups.find((x) => (typeof g?.groupId === 'string' && x.groupId === g.groupId) || (typeof g?.name === 'string' && x.name === g.name));
    if (!group) return jiraError(400, [`The group ${String(g?.name ?? g?.groupId)} does not exist.`]);
    for (const m of group.members) if (m !== caller) add(m);
  }

  // Only people who may see the issue get it, as Jira does.
  const recipients = [...named]
    .map((id) => env.users.find((u) => u.accountId === id))
    .filter((u): u is SiteUser => !!u && canBrowse(env, { kind: 'user', accountId: u.accountId }, project));
  if (recipients.length) {
    const subject = typeof b.subject === 'string' && b.subject.trim() ? b.subject : `[JIRA] (${issue.key}) ${issue.summary}`;
    ctx.state.platform.outbox.push({
      id: randomUUID(),
      at: ctx.now().toISOString(),
      to: recipients.map((u) => u.emailAddress),
      subject,
      body: typeof b.textBody === 'string' ? b.textBody : '',
      from: JIRA_MAIL_FROM,
      ...(typeof b.htmlBody === 'string' ? { html: b.htmlBody } : {}),
    });
  }
  return { status: 204 };
}
