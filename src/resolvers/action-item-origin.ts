/** The issue panel: reads the action-item property as the viewer (Jira decides who may see the issue). */
import { makeResolver } from '@forge/resolver';
import type { ActionItemOrigin, ActionItemOriginDefinitions } from '../contract/action-item-origin';
import { JiraClient } from '../atlassian/jira';
import { ACTION_ITEM_PROPERTY, type ActionItemProperty } from '../domain/action-item-issue';
import { followUpsFor } from '../store/follow-ups';
import { loadSettings } from '../store/settings';
import { respond, UserError } from './respond';
import { ISSUE_KEY } from '../domain/validation';

export const actionItemOriginResolver = makeResolver<ActionItemOriginDefinitions>({
  getOrigin: ({ context }) =>
    respond(async (): Promise<ActionItemOrigin> => {
      const issueKey = String((context.extension as { issue?: { key?: string } } | undefined)?.issue?.key ?? '');
      if (!ISSUE_KEY.test(issueKey)) throw new UserError({ code: 'invalid-input', message: 'This panel only works on a Jira issue.' });
      const prop = await JiraClient.asUser().getIssueProperty<ActionItemProperty>(issueKey, ACTION_ITEM_PROPERTY);
      if (!prop) return { isActionItem: false, followUps: [] };
      return {
        isActionItem: true,
        postmortemTitle: prop.postmortemTitle,
        pageUrl: prop.pageUrl,
        incidentKey: prop.incidentKey,
        createdAt: prop.createdAt,
        followUps: await followUpsFor(issueKey),
        timeZone: (await loadSettings()).timeZone,
      };
    }),
});
