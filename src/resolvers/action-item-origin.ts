/**
 * The issue panel: where an action-item issue came from. Jira decides who may see the issue (read as the
 * viewer); what the issue came from is the app's own record of the issues it created (src/store/app-issues.ts),
 * never the issue property, which anyone who may edit the issue can write. The link is rebuilt from the page id.
 */
import { makeResolver } from '@forge/resolver';
import type { ActionItemOrigin, ActionItemOriginDefinitions } from '../contract/action-item-origin';
import { JiraClient } from '../atlassian/jira';
import { AtlassianError } from '../atlassian/request';
import { pageLink } from '../domain/site-links';
import { appIssue } from '../store/app-issues';
import { followUpsFor } from '../store/follow-ups';
import { loadSettings } from '../store/settings';
import { respond, UserError } from './respond';
import { ISSUE_KEY } from '../domain/validation';

export const actionItemOriginResolver = makeResolver<ActionItemOriginDefinitions>({
  getOrigin: ({ context }) =>
    respond(async (): Promise<ActionItemOrigin> => {
      const issueKey = String((context.extension as { issue?: { key?: string } } | undefined)?.issue?.key ?? '');
      if (!ISSUE_KEY.test(issueKey)) throw new UserError({ code: 'invalid-input', message: 'This panel only works on a Jira issue.' });
      const issue = await JiraClient.asUser()
        .getIssue(issueKey, ['summary'])
        .catch((e: unknown) => {
          if (e instanceof AtlassianError && (e.status === 404 || e.status === 403)) return undefined;
          throw e;
        });
      const record = issue ? await appIssue(String(issue.id)) : undefined;
      if (!record) return { isActionItem: false, followUps: [] };
      return {
        isActionItem: true,
        postmortemTitle: record.postmortemTitle,
        pageUrl: pageLink(String(context.siteUrl ?? ''), record.pageId),
        incidentKey: record.incidentKey,
        createdAt: record.createdAt,
        followUps: await followUpsFor(issueKey),
        timeZone: (await loadSettings()).timeZone,
      };
    }),
});
